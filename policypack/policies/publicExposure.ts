/**
 * Resource policies that admit everyone: `*`, any AWS account, NotPrincipal, or an AWS service acting
 * for any account (the cross-service confused deputy). VPC endpoint policies restrict what passes
 * through an endpoint rather than grant anything, so they are left to the endpoint rules.
 */
import { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { documentViolations } from "./documentPolicy";
import { NormalizedCondition, NormalizedStatement, hasWildcard } from "./normalize";
import { exactAccountOf } from "./servicePrincipals";
import { ACCOUNT_ID, StackAccountConfig, StackAccounts, describeAccounts, stackAccountConfigSchema, stackAccounts } from "./stackAccount";

const LAMBDA_PERMISSION = "aws:lambda/permission:Permission";
/** Restrictions, not grants: their principals are who may use the endpoint, judged by the endpoint rules. */
export const ENDPOINT_POLICY_TYPES: ReadonlySet<string> = new Set(["aws:ec2/vpcEndpoint:VpcEndpoint", "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy"]);
/** Bedrock's own requests are held to the stack's account by bedrock-service-trust-confused-deputy. */
const BEDROCK_SERVICE = "bedrock.amazonaws.com";
const SERVICE_PRINCIPAL = /\.amazonaws\.com(\.cn)?$/i;

type KeyKind = "account" | "arn" | "id";
/** Condition keys that narrow a wide principal to one account, organization or network, and what their values are. */
const NARROWING_KEYS: ReadonlyMap<string, KeyKind> = new Map([
    ["aws:sourceaccount", "account"],
    ["aws:principalaccount", "account"],
    ["kms:calleraccount", "account"],
    ["aws:sourcearn", "arn"],
    ["aws:principalarn", "arn"],
    ["aws:principalorgid", "id"],
    ["aws:sourceorgid", "id"],
    ["aws:sourcevpce", "id"],
    ["aws:sourcevpc", "id"],
]);

/** `kms:EncryptionContext:aws:logs:arn` and the like: the calling service's resource, an ARN (AWS's key-policy form for CloudWatch Logs). */
const ENCRYPTION_CONTEXT_ARN = /^kms:encryptioncontext:aws:[a-z0-9-]+:arn$/;

function positive(condition: NormalizedCondition): boolean {
    const operator = condition.operator.toLowerCase();
    return !operator.includes("not") && !operator.endsWith("ifexists") && operator !== "null" && !operator.startsWith("forallvalues");
}

/** Whether a value names one account (and, when the stack's account is known, that one). */
function accountFits(account: string | undefined, stack: StackAccounts | undefined): boolean {
    return account !== undefined && ACCOUNT_ID.test(account) && (stack === undefined || stack.accounts.includes(account));
}

/** An ARN value narrows when its account is exact (and the stack's); an ARN without an account (an S3 bucket) when its resource has no wildcard. */
function arnFits(value: string, stack: StackAccounts | undefined): boolean {
    const account = exactAccountOf(value);
    if (account !== undefined) return accountFits(account, stack);
    const parts = value.split(":");
    return parts[0] === "arn" && parts.length >= 6 && parts[4] === "" && !hasWildcard(parts.slice(5).join(":"));
}

function narrows(condition: NormalizedCondition, stack: StackAccounts | undefined, keys: ReadonlyMap<string, KeyKind>): boolean {
    const kind = keys.get(condition.key) ?? (ENCRYPTION_CONTEXT_ARN.test(condition.key) ? "arn" : undefined);
    if (kind === undefined || !positive(condition) || condition.values.length === 0) return false;
    return condition.values.every((value) => {
        if (kind === "account") return accountFits(value, stack);
        if (kind === "arn") return arnFits(value, stack);
        return value !== "" && !hasWildcard(value);
    });
}

function narrowedToThisAccount(statement: NormalizedStatement, stack: StackAccounts | undefined): boolean {
    return statement.conditions.some((condition) => narrows(condition, stack, NARROWING_KEYS));
}

/** Service principals must name the calling account or resource: aws:SourceAccount or aws:SourceArn (or the encryption context's ARN, for KMS). */
const SOURCE_KEYS: ReadonlyMap<string, KeyKind> = new Map([
    ["aws:sourceaccount", "account"],
    ["aws:sourcearn", "arn"],
]);

function pinsSourceOfThisAccount(statement: NormalizedStatement, stack: StackAccounts | undefined): boolean {
    return statement.conditions.some((condition) => narrows(condition, stack, SOURCE_KEYS));
}

function everyoneAdmitted(statement: NormalizedStatement): string | undefined {
    if (statement.notPrincipal) return "NotPrincipal (every principal it does not list, in every account)";
    const principal = statement.principal;
    if (!principal) return undefined;
    if (principal.everyone && principal.aws.length === 0) return '"Principal": "*"';
    if (principal.aws.includes("*")) return '"Principal": {"AWS": "*"}';
    const wildcard = principal.aws.filter(hasWildcard);
    return wildcard.length > 0 ? `the AWS principal(s) ${wildcard.map((entry) => `"${entry}"`).join(", ")}` : undefined;
}

function accountHint(stack: StackAccounts | undefined): string {
    return stack?.accounts[0] ?? "<account>";
}

export function publicExposureProblems(statement: NormalizedStatement, stack?: StackAccounts): string[] {
    if (statement.effect !== "allow") return [];
    const problems: string[] = [];
    const everyone = everyoneAdmitted(statement);
    if (everyone && !narrowedToThisAccount(statement, stack)) {
        problems.push(
            `admits ${everyone} with no condition that narrows it to ${stack ? `this stack's account ${describeAccounts(stack)}` : "this account"} or organization: ` +
                `name the principals, or add "StringEquals": {"aws:PrincipalOrgID": "<o-...>"}, {"aws:PrincipalAccount": "${accountHint(stack)}"}, ` +
                `{"aws:SourceAccount": "${accountHint(stack)}"} or {"aws:SourceVpce": "<vpce-...>"}.`,
        );
    }
    const services = (statement.principal?.service ?? []).filter((service) => SERVICE_PRINCIPAL.test(service) && service.toLowerCase() !== BEDROCK_SERVICE);
    if (services.length > 0 && !pinsSourceOfThisAccount(statement, stack)) {
        problems.push(
            `lets ${services.join(", ")} act on the resource without aws:SourceAccount or aws:SourceArn of ${stack ? `this stack's account ${describeAccounts(stack)}` : "one exact account"}: add "StringEquals": {"aws:SourceAccount": "${accountHint(stack)}"} ` +
                `or "ArnLike": {"aws:SourceArn": "<the calling resource's ARN in ${accountHint(stack)}>"} (AWS's cross-service confused-deputy guidance).`,
        );
    }
    return problems;
}

/** An `aws.lambda.Permission`: public to `*`, or a service invoking the function for any account. */
export function lambdaPermissionExposure(props: Record<string, unknown>, stack?: StackAccounts): string[] {
    const principal = String(props.principal ?? "");
    const sourceAccount = typeof props.sourceAccount === "string" ? props.sourceAccount : undefined;
    const sourceArn = typeof props.sourceArn === "string" ? props.sourceArn : undefined;
    const pinnedAccount = accountFits(sourceAccount, stack) || (sourceArn !== undefined && accountFits(exactAccountOf(sourceArn), stack));
    if (principal === "*") {
        if (props.functionUrlAuthType === "NONE") return [`principal "*" with functionUrlAuthType "NONE" makes the function URL public: use functionUrlAuthType "AWS_IAM" and name the principal.`];
        const orgId = typeof props.principalOrgId === "string" && props.principalOrgId !== "" && !hasWildcard(props.principalOrgId);
        return pinnedAccount || orgId
            ? []
            : [`principal "*" lets every AWS account invoke the function: name the account or service in principal, or set sourceAccount "${accountHint(stack)}" or principalOrgId.`];
    }
    if (SERVICE_PRINCIPAL.test(principal) && principal.toLowerCase() !== BEDROCK_SERVICE && !pinnedAccount) {
        return [
            `principal "${principal}" may invoke the function for any account${sourceArn ? ` (sourceArn "${sourceArn}" names no account of this stack)` : ""}: ` +
                `set sourceAccount "${accountHint(stack)}" or a sourceArn of that account (AWS's cross-service confused-deputy guidance).`,
        ];
    }
    return [];
}

export const resourcePoliciesNotPublic: ResourceValidationPolicy = {
    name: "aws-resource-policies-not-public",
    description:
        'Checks whether any Allow statement of a resource policy (bucket, key, topic, queue, secret, Lambda permission, ECR, Logs and the rest) admits "*", ' +
        "any AWS account or NotPrincipal without aws:SourceAccount, aws:SourceArn, aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceVpce or aws:SourceVpc " +
        "narrowing it to this account or organization, and whether every service principal carries aws:SourceAccount or aws:SourceArn of this account. " +
        "VPC endpoint policies are restrictions, left to the endpoint rules.",
    enforcementLevel: "mandatory",
    configSchema: stackAccountConfigSchema,
    validateResource: async (resource: ResourceValidationArgs, reportViolation: ReportViolation) => {
        if (ENDPOINT_POLICY_TYPES.has(resource.type)) return;
        const stack = stackAccounts(resource.provider, resource.getConfig<StackAccountConfig>());
        if (resource.type === LAMBDA_PERMISSION) {
            for (const message of lambdaPermissionExposure(resource.props, stack)) reportViolation(message);
            return;
        }
        for (const message of await documentViolations(resource.type, resource.props, ["resource"], (statement) => publicExposureProblems(statement, stack))) {
            reportViolation(message);
        }
    },
};
