/**
 * The permissions boundary of one stack: the most that any role the stack creates (or writes into)
 * may ever do, whatever its own policies say. The bootstrap program creates it as a managed policy
 * with an administrator's rights; every role of the stack carries it, and the deployer may create
 * and change roles only with it in place. A role's effective permissions are the intersection of its
 * own policies and this document, so a deployer that rewrites a role's policy (or its trust) still
 * cannot make the role reach IAM, STS, KMS administration, Organizations, the account's logging
 * configuration or compute that runs with a role.
 *
 * One pure function builds the document, from the documents of the stack's roles: the main program
 * (which refuses a boundary beyond IAM's size), `npm run deployer-policy -- --boundary` and the
 * bootstrap program all call it, never a copy.
 */
import { AwsLocation } from "../arns/bedrockArns";
import { PolicyDocument, PolicyStatement, policyDocument, policyJson, sortedUnique } from "./iamDocument";
import { iamPolicySize } from "./iamQuotas";

/** The `permissionsBoundary` value that opts a stack out (every role registered without a boundary). */
export const NO_PERMISSIONS_BOUNDARY = "none";

/** The one warning line `npm run check` and `npm run deployer-policy` print for a stack with `permissionsBoundary: none`. */
export const NO_BOUNDARY_WARNING =
    'permissionsBoundary is "none": the stack\'s roles carry no permissions boundary, so the deployer can escalate (write any permission into a stack role, make the role trust it, assume it)';

/** The IAM name of the boundary the bootstrap program creates for a stack of the main project. */
export function permissionsBoundaryPolicyName(stack: string): string {
    return `bedrock-access-boundary-${stack}`;
}

/** The default boundary of a stack, by convention: `arn:<partition>:iam::<account>:policy/bedrock-access-boundary-<stack>`. */
export function defaultPermissionsBoundaryArn(location: Pick<AwsLocation, "partition" | "accountId">, stack: string): string {
    return `arn:${location.partition}:iam::${location.accountId}:policy/${permissionsBoundaryPolicyName(stack)}`;
}

/**
 * What no role of the stack may do, whatever it is granted: denied explicitly, so that the boundary
 * refuses them even if its Allow statements were widened by hand. Each family is one Rhino Security
 * Labs escalation path or a way around the stack's monitoring.
 */
export const BOUNDARY_DENIED_ACTIONS: readonly string[] = [
    // IAM and STS: no identity, policy, key or trust changes; no other role's credentials.
    "iam:*",
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:GetFederationToken",
    "organizations:*",
    "account:*",
    // KMS administration (using a key the key policy allows stays possible).
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:CreateKey",
    "kms:DeleteAlias",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:PutKeyPolicy",
    "kms:ReplicateKey",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
    // The account's Bedrock invocation logging and its audit trail.
    "bedrock:DeleteModelInvocationLoggingConfiguration",
    "bedrock:PutModelInvocationLoggingConfiguration",
    "cloudtrail:DeleteTrail",
    "cloudtrail:PutEventSelectors",
    "cloudtrail:StopLogging",
    "cloudtrail:UpdateTrail",
    "logs:DeleteLogGroup",
    "logs:DeleteRetentionPolicy",
    "logs:DisassociateKmsKey",
    "logs:PutRetentionPolicy",
    // Compute that runs with a role (the PassRole escalations) or runs new code in an existing one.
    "cloudformation:*",
    "codebuild:*",
    "ec2:RunInstances",
    "ecs:*",
    "glue:CreateDevEndpoint",
    "glue:CreateJob",
    "glue:UpdateDevEndpoint",
    "glue:UpdateJob",
    "lambda:AddPermission",
    "lambda:CreateEventSourceMapping",
    "lambda:CreateFunction",
    "lambda:UpdateFunctionCode",
    "lambda:UpdateFunctionConfiguration",
    "sagemaker:*",
];

/**
 * The boundary's reach for one resource of a role's policy: an ARN of the account stays in the
 * account (any region: profiles route across regions), a foundation model is any foundation model,
 * an account-less ARN (an S3 bucket or object) stays exact, `*` stays `*`.
 */
function boundaryResourceOf(resource: string, location: AwsLocation): string {
    if (resource === "*") return "*";
    const parts = resource.split(":");
    if (parts.length < 6 || parts[0] !== "arn") return resource;
    const [, partition, service, , account] = parts;
    if (service === "bedrock" && account === "" && parts.slice(5).join(":").startsWith("foundation-model/")) {
        return `arn:${partition}:bedrock:*::foundation-model/*`;
    }
    if (account === "" || account === "aws") return resource;
    // Another account's resource the configuration names (a cross-account Lambda function, say) keeps its own account.
    return `arn:${partition}:${service}:*:${account === location.accountId ? location.accountId : account}:*`;
}

const actionsOf = (statement: PolicyStatement): string[] => (Array.isArray(statement.Action) ? [...statement.Action] : [statement.Action as string]);
const resourcesOf = (statement: PolicyStatement): string[] => (statement.Resource === undefined ? [] : Array.isArray(statement.Resource) ? [...statement.Resource] : [statement.Resource as string]);
const pascal = (service: string) => service.replace(/[^a-z0-9]+(.)?/gi, (_, next: string | undefined) => (next ?? "").toUpperCase()).replace(/^./, (first) => first.toUpperCase());

/**
 * The boundary document for the roles whose policy documents are given (every Allow of every role
 * the stack creates or writes into): per service, the actions those roles are granted, on the
 * accounts and resources they name; actions granted on `*` (they accept nothing else) in a statement
 * of their own; then the explicit denials. No wildcard action is allowed. Deterministic.
 */
export function permissionsBoundaryDocument(location: AwsLocation, roleDocuments: readonly PolicyDocument[]): PolicyDocument {
    const scoped = new Map<string, { actions: Set<string>; resources: Set<string> }>();
    const onWildcard = new Set<string>();
    for (const document of roleDocuments) {
        for (const statement of document.Statement) {
            if (statement.Effect !== "Allow") continue;
            for (const action of actionsOf(statement)) {
                if (/[*?]/.test(action)) throw new Error(`a role of the stack is granted the wildcard action ${action}: the boundary names actions one by one`);
                for (const resource of resourcesOf(statement).map((entry) => boundaryResourceOf(entry, location))) {
                    if (resource === "*") {
                        onWildcard.add(action);
                        continue;
                    }
                    const service = action.split(":")[0].toLowerCase();
                    const entry = scoped.get(service) ?? { actions: new Set<string>(), resources: new Set<string>() };
                    entry.actions.add(action);
                    entry.resources.add(resource);
                    scoped.set(service, entry);
                }
            }
        }
    }
    const statements: PolicyStatement[] = [...scoped]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([service, entry]) => {
            const actions = sortedUnique(entry.actions);
            const resources = sortedUnique(entry.resources);
            return {
                Sid: `StackRoles${pascal(service)}`,
                Effect: "Allow" as const,
                Action: actions.length === 1 ? actions[0] : actions,
                Resource: resources.length === 1 ? resources[0] : resources,
            };
        });
    if (onWildcard.size > 0) {
        const actions = sortedUnique(onWildcard);
        statements.push({ Sid: "StackRolesAcceptsOnlyWildcard", Effect: "Allow", Action: actions.length === 1 ? actions[0] : actions, Resource: "*" });
    }
    statements.push({ Sid: "NeverEscalateOrUnmonitor", Effect: "Deny", Action: BOUNDARY_DENIED_ACTIONS, Resource: "*" });
    return policyDocument(statements);
}

/** Why each statement of the boundary is there: one line per statement, by Sid. */
export function boundaryStatementReasons(document: PolicyDocument): ReadonlyMap<string, string> {
    const reasons = new Map<string, string>();
    for (const statement of document.Statement) {
        if (statement.Sid === "StackRolesAcceptsOnlyWildcard") reasons.set(statement.Sid, "actions the stack's roles are granted that AWS authorizes on '*' alone");
        else if (statement.Effect === "Deny") reasons.set(statement.Sid, "never, whatever a role is granted: IAM, STS on other roles, Organizations, KMS administration, the logging configuration and trail, compute that runs with a role");
        else reasons.set(statement.Sid, `the ${actionsOf(statement)[0].split(":")[0]} actions the stack's roles are granted, on the accounts and resources they name`);
    }
    return reasons;
}

/** IAM's size of the boundary (a managed policy: 6,144 characters). */
export function permissionsBoundarySize(document: PolicyDocument): number {
    return iamPolicySize(policyJson(document));
}
