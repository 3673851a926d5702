/**
 * Identity policies must name the resources of what matters: permissions management, writes and
 * data reads. Which actions accept resources, at which access level, comes from AWS's Service
 * Authorization Reference, so actions that accept only `*` and listing actions pass.
 */
import { documentPolicy } from "./documentPolicy";
import { IamAction, actionsOfStatement } from "./iamActions";
import { NormalizedCondition, NormalizedStatement } from "./normalize";

/** Reads of data that the reference files under Read (or Write, for KMS) but that matter as much as writes. */
export const DATA_READ_ACTIONS: ReadonlySet<string> = new Set([
    "s3:getobject",
    "s3:getobjectversion",
    "kms:decrypt",
    "kms:generatedatakey",
    "kms:generatedatakeywithoutplaintext",
    "kms:generatedatakeypair",
    "kms:generatedatakeypairwithoutplaintext",
    "secretsmanager:getsecretvalue",
    "secretsmanager:batchgetsecretvalue",
    "ssm:getparameter",
    "ssm:getparameters",
    "ssm:getparametersbypath",
    "ssm:getparameterhistory",
    "dynamodb:getitem",
    "dynamodb:batchgetitem",
    "dynamodb:query",
    "dynamodb:scan",
    "dynamodb:partiqlselect",
    // A container image is code and often configuration: pulling it reads the repository's data.
    "ecr:batchgetimage",
    "ecr:getdownloadurlforlayer",
]);

/**
 * AgentCore's actions that accept resources act on one agent's runtime, memory, gateway, workload
 * identity or credentials: whatever their access level (reading a memory or an OAuth token is
 * "Read"), granting them on every resource reaches every agent of the account.
 */
const AGENTCORE_SERVICE_PREFIX = "bedrock-agentcore:";

/**
 * Whether an action, granted on `*`, reaches resources a statement should name: it accepts
 * resource-level permissions, and it manages permissions, writes, or reads data. The reference
 * marks a resource type required (`*`) when a call must name one; an action that accepts one of
 * several types (S3's object or access-point object) has none marked, and still names one of them.
 * An action with a single optional type (`cloudwatch:PutMetricData`'s dataset) need not name any.
 */
export function needsNamedResources(action: IamAction): boolean {
    if (action.isWildcardOnly || action.resourceTypes.length === 0) return false;
    if (DATA_READ_ACTIONS.has(action.lowerName)) return true;
    if (action.lowerName.startsWith(AGENTCORE_SERVICE_PREFIX) && action.resourceTypes.some((type) => type.required)) return true;
    if (!/Write|Permissions management/.test(action.accessLevel)) return false;
    return action.resourceTypes.some((type) => type.required) || action.resourceTypes.length > 1;
}

/** `*`, or an ARN whose region, account and resource ID are all wildcards (`arn:aws:s3:::*`, `arn:aws:iam::*:role/*`, `arn:aws:kms:*:*:key/*`). */
export function isUnscopedResource(resource: string): boolean {
    if (resource === "*") return true;
    const parts = resource.split(":");
    if (parts[0] !== "arn" || parts.length < 6) return false;
    const wild = (segment: string) => /^[*?]+$/.test(segment);
    const rest = parts.slice(5).join(":");
    if (!(parts[3] === "" || wild(parts[3])) || !(parts[4] === "" || wild(parts[4]))) return false;
    // `arn:aws:s3:::*` or `arn:aws:s3:::*/*`; or, with a wildcard account, any resource of a type (`arn:aws:iam::*:role/*`), never `arn:aws:s3:::bucket/*`.
    return /^[*?]+([/:][*?]+)*$/.test(rest) || (wild(parts[4]) && /^[A-Za-z0-9_-]+[/:][*?]+$/.test(rest));
}

/** Condition keys that bind the resource a request acts on: its tags, or the service's own resource keys. */
const RESOURCE_BINDING_KEY = /(^|:)resourcetag\/|^secretsmanager:secretid$|^kms:resourcealiases$/;

function bindsResource(condition: NormalizedCondition): boolean {
    const operator = condition.operator.toLowerCase();
    if (operator.includes("not") || operator.endsWith("ifexists") || operator === "null") return false;
    if (!RESOURCE_BINDING_KEY.test(condition.key)) return false;
    return condition.values.length > 0 && condition.values.every((value) => value !== "" && !/^[*?]+$/.test(value));
}

function listActions(actions: readonly IamAction[]): string {
    const names = actions.map((action) => action.qualifiedName);
    return names.length <= 4 ? names.join(", ") : `${names.slice(0, 4).join(", ")} and ${names.length - 4} more`;
}

/** ` (through "s3:*")`: the wildcard patterns or NotAction the actions come from, as written; empty when every action is named. */
function writtenPatterns(statement: NormalizedStatement): string {
    if (statement.notActions !== undefined) return ` (through NotAction ${JSON.stringify(statement.notActions)})`;
    const patterns = statement.actions.filter((action) => action.includes("*") || action.includes("?"));
    return patterns.length > 0 ? ` (through ${patterns.map((pattern) => `"${pattern}"`).join(", ")})` : "";
}

const PASSED_TO_SERVICE = "iam:passedtoservice";

function pinsPassedToService(statement: NormalizedStatement): boolean {
    return statement.conditions.some(
        (condition) =>
            condition.key === PASSED_TO_SERVICE &&
            ["stringequals", "stringlike", "foranyvalue:stringequals", "foranyvalue:stringlike"].includes(condition.operator.toLowerCase()) &&
            condition.values.length > 0 &&
            condition.values.every((value) => value !== "" && !/^[*?]+$/.test(value)),
    );
}

export async function resourceScopeProblems(statement: NormalizedStatement): Promise<string[]> {
    if (statement.effect !== "allow") return [];
    const granted = await actionsOfStatement(statement);
    const problems: string[] = [];
    const unscoped = statement.notResources !== undefined ? [] : statement.resources.filter(isUnscopedResource);
    if ((statement.notResources !== undefined || unscoped.length > 0) && !statement.conditions.some(bindsResource)) {
        // Permissions management first, then data reads, then writes: what a reviewer reads first.
        const rank = (action: IamAction) => (/Permissions management/.test(action.accessLevel) ? 0 : DATA_READ_ACTIONS.has(action.lowerName) ? 1 : 2);
        const sensitive = granted.filter(needsNamedResources).sort((a, b) => rank(a) - rank(b));
        if (sensitive.length > 0) {
            const where = statement.notResources !== undefined ? `through NotResource ${JSON.stringify(statement.notResources)}, which reaches every other resource` : `on ${unscoped.map((resource) => `"${resource}"`).join(", ")}`;
            problems.push(
                `grants ${listActions(sensitive)}${writtenPatterns(statement)} ${where}: these manage permissions, write or read data, and accept resource-level permissions. ` +
                    'List the ARNs they act on in Resource, or bind the resources with a condition such as "StringEquals": {"aws:ResourceTag/<key>": "<value>"}.',
            );
        }
    }
    if (granted.some((action) => action.lowerName === "iam:passrole") && !pinsPassedToService(statement)) {
        problems.push(
            'grants iam:PassRole without "iam:PassedToService": add "StringEquals": {"iam:PassedToService": "<service>.amazonaws.com"}, ' +
                "so the role can be handed only to the service that needs it.",
        );
    }
    return problems;
}

export const resourcesScoped = documentPolicy({
    name: "iam-resources-scoped",
    description:
        'Checks whether every Allow statement of an identity policy names its resources (not "*", not NotResource, or binds them by a condition ' +
        "such as aws:ResourceTag) for actions that accept resource-level permissions and manage permissions, write, or read data " +
        "(S3 objects, KMS decrypt and data keys, secrets, SSM parameters, DynamoDB items, ECR images), every bedrock-agentcore action that " +
        "accepts resources (runtimes, gateways, memories, workload identities, credential providers), and whether iam:PassRole carries iam:PassedToService.",
    kinds: ["identity"],
    check: resourceScopeProblems,
});
