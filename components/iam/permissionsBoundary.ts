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
import { DEFAULT_IAM_QUOTAS, iamPolicySize } from "./iamQuotas";

const MANAGED_POLICY_CHARACTERS = DEFAULT_IAM_QUOTAS.managedPolicyCharacters;

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
    // IAM and STS: no identity, policy or trust changes; no other role's credentials.
    "iam:*",
    "sts:AssumeRole*",
    "sts:GetFederationToken",
    "organizations:*",
    "account:*",
    // KMS administration (using a key its policy allows stays possible: Decrypt, GenerateDataKey, CreateGrant).
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:CreateKey",
    "kms:Delete*",
    "kms:Disable*",
    "kms:Enable*",
    "kms:ImportKeyMaterial",
    "kms:PutKeyPolicy",
    "kms:ReplicateKey",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:Update*",
    // The account's Bedrock invocation logging, its log group's retention and key, and the audit trail.
    "bedrock:*ModelInvocationLoggingConfiguration",
    "cloudtrail:*",
    "logs:DeleteLogGroup",
    "logs:DeleteRetentionPolicy",
    "logs:DisassociateKmsKey",
    "logs:PutRetentionPolicy",
    // Compute that runs with a role (the PassRole escalations) or new code in an existing function.
    "cloudformation:*",
    "codebuild:*",
    "ec2:RunInstances",
    "ecs:*",
    "glue:*",
    "lambda:AddPermission",
    "lambda:Create*",
    "lambda:Update*",
    "sagemaker:*",
];

/** Services whose grants the boundary keeps with their conditions (pinned products and models): the pack judges them so. */
const KEPT_AS_GRANTED: ReadonlySet<string> = new Set(["bedrock-mantle", "aws-marketplace"]);
const INFERENCE_PROFILE_ARN_KEY = "bedrock:InferenceProfileArn";

/** A condition that pins `aws:ResourceTag/...` with `StringEquals`: the grant reaches only resources carrying those tags. */
function bindsResourceTags(condition: PolicyStatement["Condition"]): boolean {
    return Object.keys(condition?.StringEquals ?? {}).some((key) => key.toLowerCase().startsWith("aws:resourcetag/"));
}

/** The profile ARNs of a condition that is exactly `ArnLike bedrock:InferenceProfileArn`, else undefined. */
function profileRouting(condition: PolicyStatement["Condition"]): readonly string[] | undefined {
    const single = singleConditionKey(condition);
    if (!single || !["ArnLike", "ArnEquals", "StringEquals", "StringLike"].includes(single.operator)) return undefined;
    if (single.key.toLowerCase() !== INFERENCE_PROFILE_ARN_KEY.toLowerCase()) return undefined;
    return single.values;
}

/** The values no other value's pattern already matches (an exact profile beside `inference-profile/*` adds nothing). */
function withoutMatchedValues(values: Iterable<string>): string[] {
    const all = sortedUnique(values);
    const patterns = all.filter((value) => /[*?]/.test(value));
    // Only exact values are dropped: two patterns that match each other both stay (the list is never emptied).
    return all.filter((value) => /[*?]/.test(value) || !patterns.some((pattern) => wildcardMatches(pattern, value)));
}

/** A condition of exactly one operator on one key, with its values; else undefined. */
function singleConditionKey(condition: PolicyStatement["Condition"]): { operator: string; key: string; values: readonly string[] } | undefined {
    if (!condition) return undefined;
    const operators = Object.entries(condition);
    if (operators.length !== 1) return undefined;
    const keys = Object.entries(operators[0][1] as Record<string, string | readonly string[]>);
    if (keys.length !== 1) return undefined;
    const values = keys[0][1];
    return { operator: operators[0][0], key: keys[0][0], values: typeof values === "string" ? [values] : [...values] };
}

/** One value as itself, several as a list (IAM's two forms). */
const one = (values: readonly string[]): string | string[] => (values.length === 1 ? values[0] : [...values]);

function wildcardMatches(pattern: string, value: string): boolean {
    const expression = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${expression}$`).test(value);
}

const FOUNDATION_MODEL_ARN = /^arn:[^:]+:bedrock:[^:]*::foundation-model\//;
/** Services whose resources the boundary keeps named (any region): models, profiles, guardrails, agents. */
/** Services whose resources the boundary names exactly as granted. */
const EXACT_RESOURCES: ReadonlySet<string> = new Set(["lambda", "secretsmanager"]);
const NAMED_RESOURCES: ReadonlySet<string> = new Set(["bedrock", "bedrock-mantle", "aws-marketplace"]);

/**
 * What the policies of the stack's own keys grant the stack's roles, as identity documents: a role's
 * boundary caps what a resource policy naming the role (not a session) grants it too, so the boundary
 * must allow those key actions. One document per key, on the account's keys of the region (the key
 * policy itself names the one key).
 */
export function keyGrantsToRoles(location: AwsLocation, keyPolicies: readonly PolicyDocument[]): PolicyDocument[] {
    const keys = `arn:${location.partition}:kms:${location.region}:${location.accountId}:key/*`;
    return keyPolicies.flatMap((keyPolicy) => {
        const actions = keyPolicy.Statement.filter((statement) => statement.Effect === "Allow" && namesARole(statement.Principal)).flatMap(actionsOf);
        return actions.length > 0 ? [policyDocument([{ Sid: "KeyPolicyGrants", Effect: "Allow", Action: sortedUnique(actions), Resource: keys }])] : [];
    });
}

function namesARole(principal: PolicyStatement["Principal"]): boolean {
    if (principal === undefined || principal === "*" || principal.AWS === undefined) return false;
    const arns = typeof principal.AWS === "string" ? [principal.AWS] : principal.AWS;
    return arns.some((arn) => /^arn:[^:]+:iam::\d{12}:role\//.test(arn));
}

/**
 * The boundary's reach for one resource of a role's policy. Bedrock's resources stay named, in any
 * region (profiles route across regions); another service's ARN of an account reaches that account's
 * resources of the service; an account-less ARN (an S3 bucket or object) stays exact; `*` stays `*`.
 */
function boundaryResourceOf(resource: string, service: string, nameBedrockResources: boolean): string {
    if (resource === "*") return "*";
    const parts = resource.split(":");
    if (parts.length < 6 || parts[0] !== "arn") return resource;
    const [, partition, arnService, , account] = parts;
    if (!nameBedrockResources && arnService === "bedrock" && account === "") return `arn:${partition}:bedrock:*::foundation-model/*`;
    if (NAMED_RESOURCES.has(service) && (nameBedrockResources || arnService !== "bedrock")) return [parts[0], partition, arnService, parts[3] === "" ? "" : "*", ...parts.slice(4)].join(":");
    // A function runs with a role of its own, and a secret is data: the boundary names those the roles are granted, not the account's.
    if (account === "" || account === "aws" || EXACT_RESOURCES.has(service)) return resource;
    return `arn:${partition}:${arnService}:*:${account}:*`;
}

const actionsOf = (statement: PolicyStatement): string[] => (Array.isArray(statement.Action) ? [...statement.Action] : [statement.Action as string]);
const resourcesOf = (statement: PolicyStatement): string[] => (statement.Resource === undefined ? [] : Array.isArray(statement.Resource) ? [...statement.Resource] : [statement.Resource as string]);
const pascal = (service: string) => service.replace(/[^a-z0-9]+(.)?/gi, (_, next: string | undefined) => (next ?? "").toUpperCase()).replace(/^./, (first) => first.toUpperCase());

/**
 * The boundary document for the roles whose policy documents are given (every Allow of every role
 * the stack creates or writes into): per service, the actions those roles are granted, on the
 * accounts and resources they name; Bedrock, Mantle and Marketplace grants as the roles hold them;
 * actions granted on `*` (they accept nothing else) in a statement of their own; then the explicit denials. No wildcard action is allowed. Deterministic.
 */
export function permissionsBoundaryDocument(location: AwsLocation, roleDocuments: readonly PolicyDocument[], maxCharacters = MANAGED_POLICY_CHARACTERS): PolicyDocument {
    return buildPermissionsBoundary(location, roleDocuments, maxCharacters).document;
}

/** The boundary, and whether it had to name Bedrock's resources by account to fit one managed policy. */
export interface PermissionsBoundaryBuild {
    readonly document: PolicyDocument;
    /** IAM's size of the document that names Bedrock's resources one by one. */
    readonly namedSize: number;
    /**
     * The document with Bedrock's resources named did not fit `maxCharacters`: `document` names them by account
     * (any foundation model, the account's Bedrock resources) instead. Then {@link boundaryFallbackWarning} says so.
     */
    readonly bedrockNamedByAccount: boolean;
    /** How `document` names Bedrock's resources. */
    readonly bedrockNaming: BedrockNaming;
}

/** {@link permissionsBoundaryDocument}, telling whether it fell back to naming Bedrock's resources by account. */
export function buildPermissionsBoundary(location: AwsLocation, roleDocuments: readonly PolicyDocument[], maxCharacters = MANAGED_POLICY_CHARACTERS): PermissionsBoundaryBuild {
    const named = boundaryWithBedrockResources(roleDocuments, "named");
    const namedSize = iamPolicySize(policyJson(named));
    if (namedSize <= maxCharacters) return { document: named, namedSize, bedrockNamedByAccount: false, bedrockNaming: "named" };
    // The same cap, shorter: the models reached through profiles under their profiles' region and account.
    const compact = boundaryWithBedrockResources(roleDocuments, "compactProfiles");
    if (iamPolicySize(policyJson(compact)) <= maxCharacters) return { document: compact, namedSize, bedrockNamedByAccount: false, bedrockNaming: "compactProfiles" };
    // Still too large: Bedrock's resources are then named by account (and any foundation model). Every denial stays; the
    // pack refuses the wider Bedrock statement on the bootstrap, and the program warns (boundaryFallbackWarning).
    return { document: boundaryWithBedrockResources(roleDocuments, "byAccount", location), namedSize, bedrockNamedByAccount: true, bedrockNaming: "byAccount" };
}

/** The one warning line for a boundary that names Bedrock's resources by account: what happened, what it costs, the fix. */
export function boundaryFallbackWarning(namedSize: number, maxCharacters = MANAGED_POLICY_CHARACTERS): string {
    return (
        `permissionsBoundary: the stack's boundary naming Bedrock's resources is ${namedSize} characters, beyond the ${maxCharacters} of a managed policy, ` +
        "so it names them by account (any foundation model in any region, every Bedrock resource of the account), which the policy pack refuses on the bootstrap " +
        "(bedrock-model-scoped-resources, bedrock-model-regions-pinned); write a boundary of your own (npm run deployer-policy -- --boundary prints what it must allow) " +
        "and set permissionsBoundary: <ARN>"
    );
}

/**
 * How Bedrock's resources are named: one by one (`named`); one by one, with the profile condition of the models reached
 * through profiles shortened to the profiles' region and account where the boundary names each of those profiles
 * (`compactProfiles`, the same cap: a call through a profile needs the profile too); or by account (`byAccount`).
 */
export type BedrockNaming = "named" | "compactProfiles" | "byAccount";

/**
 * `arn:...:bedrock:REGION:ACCOUNT:inference-profile/ID` as `arn:...:bedrock:REGION:ACCOUNT:inference-profile/*` when the
 * boundary names that profile itself (`arn:...:bedrock:*:ACCOUNT:inference-profile/ID`, from a role's grant of it); any
 * other value as it is. Sound because Bedrock authorizes a call through a profile on the profile's ARN as well as on the
 * models it routes to: a profile the boundary does not name is refused there, whatever the models' condition says.
 */
function compactProfileCondition(profile: string, namedBedrockResources: ReadonlySet<string>): string {
    const parts = /^arn:([^:]+):bedrock:([^:*?]+):(\d{12}):inference-profile\/([^*?]+)$/.exec(profile);
    if (!parts) return profile;
    const [, partition, region, account, id] = parts;
    return namedBedrockResources.has(`arn:${partition}:bedrock:*:${account}:inference-profile/${id}`) ? `arn:${partition}:bedrock:${region}:${account}:inference-profile/*` : profile;
}

function boundaryWithBedrockResources(roleDocuments: readonly PolicyDocument[], naming: BedrockNaming, location?: AwsLocation): PolicyDocument {
    const nameBedrockResources = naming !== "byAccount";
    const scoped = new Map<string, { actions: Set<string>; resources: Set<string> }>();
    // Bedrock, Mantle and Marketplace grants as the roles have them (conditions kept), merged by actions and conditions.
    const kept = new Map<string, { service: string; actions: string[]; condition: PolicyStatement["Condition"]; resources: Set<string> }>();
    const routedModels = { actions: new Set<string>(), profiles: new Set<string>(), resources: new Set<string>() };
    const directModels = { actions: new Set<string>(), profiles: new Set<string>(), resources: new Set<string>() };
    const onWildcard = new Set<string>();
    for (const document of roleDocuments) {
        for (const statement of document.Statement) {
            if (statement.Effect !== "Allow") continue;
            const byService = new Map<string, string[]>();
            for (const action of actionsOf(statement)) {
                if (/[*?]/.test(action)) throw new Error(`a role of the stack is granted the wildcard action ${action}: the boundary names actions one by one`);
                const service = action.split(":")[0].toLowerCase();
                byService.set(service, [...(byService.get(service) ?? []), action]);
            }
            for (const [service, actions] of byService) {
                const resources = resourcesOf(statement).map((entry) => {
                    const reach = boundaryResourceOf(entry, service, nameBedrockResources);
                    // An account-bearing Bedrock ARN, when they are not named: that account's Bedrock resources.
                    const bedrockOfAccount = /^arn:([^:]+):bedrock:[^:]*:(\d{12}):/.exec(reach);
                    return !nameBedrockResources && location && bedrockOfAccount ? `arn:${bedrockOfAccount[1]}:bedrock:*:${bedrockOfAccount[2]}:*` : reach;
                });
                const keep = (keptResources: readonly string[]) => {
                    const sorted = sortedUnique(actions);
                    // One operator on one key (pinned products, models): grants that differ only in the values are merged, values united.
                    // Only for operators where more values allow more: uniting a negated operator's values would narrow it.
                    const candidate = singleConditionKey(statement.Condition);
                    const single = candidate && !/Not|Null/.test(candidate.operator) ? candidate : undefined;
                    const key = JSON.stringify([sorted, single ? [single.operator, single.key] : (statement.Condition ?? null)]);
                    const entry = kept.get(key) ?? { service, actions: sorted, condition: statement.Condition, resources: new Set<string>() };
                    if (single) {
                        const values = new Set([...(singleConditionKey(entry.condition)?.values ?? []), ...single.values]);
                        entry.condition = { [single.operator]: { [single.key]: one(sortedUnique(values)) } };
                    }
                    for (const resource of keptResources) entry.resources.add(resource);
                    kept.set(key, entry);
                };
                // A grant bound to its resources' tags (application profiles, whose IDs are AWS's) is kept with its condition too.
                if (KEPT_AS_GRANTED.has(service) || bindsResourceTags(statement.Condition)) {
                    keep(resources);
                    continue;
                }
                // Foundation models as the roles reach them: in their own region, or in any region only under the
                // inference-profile condition the grant carries (the boundary keeps the data residency the grants keep).
                const foundationModels = nameBedrockResources && service === "bedrock" ? resourcesOf(statement).filter((entry) => FOUNDATION_MODEL_ARN.test(entry)) : [];
                if (foundationModels.length > 0) {
                    // Foundation models are merged into two statements, whatever action set or profile each grant names: the
                    // models called directly (in their own region, no condition), and the models reached through the stack's
                    // profiles (any of them). A cap, not a grant: it keeps the boundary within one managed policy.
                    const profiles = profileRouting(statement.Condition);
                    const into = profiles ? routedModels : statement.Condition === undefined ? directModels : undefined;
                    if (into) {
                        for (const action of actions) into.actions.add(action);
                        for (const profile of profiles ?? []) into.profiles.add(profile);
                        for (const model of foundationModels) into.resources.add(model);
                    } else keep(foundationModels);
                }
                for (const resource of resources.filter((_, index) => !foundationModels.includes(resourcesOf(statement)[index]))) {
                    if (resource === "*") {
                        for (const action of actions) onWildcard.add(action);
                        continue;
                    }
                    const entry = scoped.get(service) ?? { actions: new Set<string>(), resources: new Set<string>() };
                    for (const action of actions) entry.actions.add(action);
                    entry.resources.add(resource);
                    scoped.set(service, entry);
                }
            }
        }
    }
    const modelStatements: PolicyStatement[] = [];
    if (directModels.resources.size > 0) {
        modelStatements.push({ Sid: "FoundationModels", Effect: "Allow", Action: one(sortedUnique(directModels.actions)), Resource: one(sortedUnique(directModels.resources)) });
    }
    if (routedModels.resources.size > 0) {
        modelStatements.push({
            Sid: "FoundationModelsViaProfiles",
            Effect: "Allow",
            Action: one(sortedUnique(routedModels.actions)),
            Resource: one(sortedUnique(routedModels.resources)),
            Condition: {
                ArnLike: {
                    [INFERENCE_PROFILE_ARN_KEY]: one(
                        withoutMatchedValues(
                            naming === "compactProfiles" ? [...routedModels.profiles].map((profile) => compactProfileCondition(profile, scoped.get("bedrock")?.resources ?? new Set())) : routedModels.profiles,
                        ),
                    ),
                },
            },
        });
    }
    const keptStatements = [...kept.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([, entry], index): PolicyStatement => ({
            Sid: `Granted${index + 1}`,
            Effect: "Allow",
            Action: one(entry.actions),
            Resource: one(sortedUnique(entry.resources)),
            ...(entry.condition ? { Condition: entry.condition } : {}),
        }));
    const statements: PolicyStatement[] = [
        ...keptStatements,
        ...modelStatements,
        ...[...scoped]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([service, entry]): PolicyStatement => ({ Sid: pascal(service), Effect: "Allow", Action: one(sortedUnique(entry.actions)), Resource: one(sortedUnique(entry.resources)) })),
    ];
    if (onWildcard.size > 0) statements.push({ Sid: "OnlyWildcard", Effect: "Allow", Action: one(sortedUnique(onWildcard)), Resource: "*" });
    statements.push({ Sid: "NeverEscalateOrUnmonitor", Effect: "Deny", Action: BOUNDARY_DENIED_ACTIONS, Resource: "*" });
    return policyDocument(statements);
}

/** Why each statement of the boundary is there: one line per statement, by Sid. */
export function boundaryStatementReasons(document: PolicyDocument): ReadonlyMap<string, string> {
    const reasons = new Map<string, string>();
    for (const statement of document.Statement) {
        if (statement.Sid.startsWith("Granted")) reasons.set(statement.Sid, "Bedrock, Mantle and Marketplace grants of the stack's roles as they hold them (named resources, pinned products and models)");
        else if (statement.Sid === "FoundationModels") reasons.set(statement.Sid, "the foundation models the stack's roles call directly, in the region they are granted");
        else if (statement.Sid === "FoundationModelsViaProfiles") reasons.set(statement.Sid, "the foundation models the stack's roles reach through inference profiles, only through the stack's profiles");
        else if (statement.Sid === "OnlyWildcard") reasons.set(statement.Sid, "actions the stack's roles are granted that AWS authorizes on '*' alone");
        else if (statement.Effect === "Deny") reasons.set(statement.Sid, "never, whatever a role is granted: IAM, STS on other roles, Organizations, KMS administration, the logging configuration and trail, compute that runs with a role");
        else reasons.set(statement.Sid, `the ${actionsOf(statement)[0].split(":")[0]} actions the stack's roles are granted, on the accounts and resources they name`);
    }
    return reasons;
}

/** IAM's size of the boundary (a managed policy: 6,144 characters). */
export function permissionsBoundarySize(document: PolicyDocument): number {
    return iamPolicySize(policyJson(document));
}
