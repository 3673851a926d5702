/** Policies over what Bedrock resources statements reach. */
import { BedrockAction, MODEL_INVOCATION_ACTIONS, bedrockActions } from "./bedrockActions";
import { documentPolicy } from "./documentPolicy";
import { ResourceDocument } from "./documents";
import { NormalizedStatement, hasWildcard, statementCoversAction, statementMayCoverService, wildcardMatches } from "./normalize";
import { resourceTypeOfArn } from "./resourceTypes";

interface ArnParts {
    readonly service: string;
    /** Everything after the account: `type/id` for Bedrock. */
    readonly resource: string;
}

function arnParts(resource: string): ArnParts | undefined {
    const parts = resource.split(":");
    if (parts[0] !== "arn" || parts.length < 6) return undefined;
    return { service: parts[2], resource: parts.slice(5).join(":") };
}

/** A resource that may reach Bedrock resources beyond named ones: `*`, or a wildcard in a Bedrock ARN's `type/id`. */
export function isUnscopedBedrockResource(resource: string): boolean {
    if (!hasWildcard(resource)) return false;
    const arn = arnParts(resource);
    if (!arn) return true;
    if (!wildcardMatches(arn.service, "bedrock", true)) return false;
    return hasWildcard(arn.resource);
}

/** Whether the ARN names one resource of these types (by the reference's ARN patterns; no wildcard in its type/ID part). */
async function namesResourceOfTypes(resource: string, resourceTypes: ReadonlySet<string>): Promise<boolean> {
    const arn = arnParts(resource);
    if (!arn || arn.service !== "bedrock" || hasWildcard(arn.resource)) return false;
    const resourceType = await resourceTypeOfArn(resource);
    return resourceType !== undefined && resourceTypes.has(resourceType);
}

/** `application-inference-profile/*` of a Bedrock ARN: every application profile (their IDs are AWS's). */
function isEveryApplicationProfile(resource: string): boolean {
    const arn = arnParts(resource);
    return arn !== undefined && arn.service === "bedrock" && arn.resource === "application-inference-profile/*";
}

/**
 * The statement binds its resources to exact tag values: `StringEquals` on an `aws:ResourceTag/<key>`, no wildcard, no
 * empty value. A statement that invokes no model may bind the tags of the request instead (`aws:RequestTag/<key>`):
 * creating a profile, whose tags are in the call.
 */
function bindsResourceTags(statement: NormalizedStatement, requestTagsToo: boolean): boolean {
    return statement.conditions.some(
        (condition) =>
            (condition.key.startsWith("aws:resourcetag/") || (requestTagsToo && condition.key.startsWith("aws:requesttag/"))) &&
            condition.operator.toLowerCase() === "stringequals" &&
            condition.values.length > 0 &&
            condition.values.every((value) => value !== "" && !hasWildcard(value)),
    );
}

function listActions(actions: readonly BedrockAction[]): string {
    const names = actions.map((action) => `bedrock:${action.name}`);
    return names.length <= 4 ? names.join(", ") : `${names.slice(0, 4).join(", ")} and ${names.length - 4} more`;
}

export async function modelScopeProblems(statement: NormalizedStatement, document?: Pick<ResourceDocument, "kind">): Promise<string[]> {
    if (statement.effect !== "allow" || !statementMayCoverService(statement, "bedrock")) return [];
    const granted = (await bedrockActions()).filter(
        (action) => action.resourceTypes.length > 0 && statementCoversAction(statement, action.qualifiedLowerName),
    );
    if (granted.length === 0) return [];
    if (statement.notResources !== undefined) {
        return [`grants ${listActions(granted)} through NotResource, which reaches every other resource: list the Bedrock resources in Resource.`];
    }
    // Application profiles get IDs only when created: `application-inference-profile/*` is accepted under an exact tag condition.
    const invokesModels = granted.some((action) => MODEL_INVOCATION_ACTIONS.includes(action.qualifiedLowerName));
    const tagBound = bindsResourceTags(statement, !invokesModels);
    const taggedProfiles = tagBound ? statement.resources.filter(isEveryApplicationProfile) : [];
    const problems = statement.resources
        .filter((resource) => isUnscopedBedrockResource(resource) && !taggedProfiles.includes(resource))
        .map((resource) =>
            isEveryApplicationProfile(resource)
                ? `grants ${listActions(granted)} on "${resource}" with no exact aws:ResourceTag condition, which reaches every application inference profile of the account: ` +
                  'bind it to the profiles\' tags ("StringEquals": {"aws:ResourceTag/<key>": "<value>"}) or name the profiles.'
                : `grants ${listActions(granted)} on "${resource}": name the specific models and resources ` + "(only the region and account segments may be wildcards).",
        );
    // A trust policy grants who may assume the role, never model invocation: nothing to name there.
    const invocation = document?.kind === "trust" ? [] : granted.filter((action) => MODEL_INVOCATION_ACTIONS.includes(action.qualifiedLowerName));
    const modelTypes = new Set(invocation.flatMap((action) => action.resourceTypes));
    const namesModel = async () => taggedProfiles.length > 0 || (await Promise.all(statement.resources.map((resource) => namesResourceOfTypes(resource, modelTypes)))).some(Boolean);
    if (invocation.length > 0 && !(await namesModel())) {
        problems.push(
            `grants ${listActions(invocation)} without naming a model: list foundation-model, inference-profile or other model ARNs in Resource.`,
        );
    }
    return problems;
}

/** Operators that pin a condition key to exactly the listed values (for a multi-valued key, any of them). */
const EXACT_OPERATORS = new Set(["stringequals", "foranyvalue:stringequals"]);

function pinsExactValues(statement: NormalizedStatement, key: string): boolean {
    const conditions = statement.conditions.filter((condition) => condition.key === key && EXACT_OPERATORS.has(condition.operator.toLowerCase()));
    return conditions.length > 0 && conditions.every((condition) => condition.values.length > 0 && condition.values.every((value) => value !== "" && !hasWildcard(value)));
}

/** The bedrock-mantle actions that run inference on a model: they must be pinned to models with `bedrock-mantle:Model`. */
export const MANTLE_INFERENCE_ACTIONS: readonly string[] = ["bedrock-mantle:CreateInference", "bedrock-mantle:CountTokens"];

/**
 * Model access beyond Bedrock's own actions: Marketplace subscriptions must name exact products,
 * and inference on the bedrock-mantle endpoint must name exact models.
 */
export function modelAccessProblems(statement: NormalizedStatement): string[] {
    if (statement.effect !== "allow") return [];
    const problems: string[] = [];
    if (statementCoversAction(statement, "aws-marketplace:subscribe") && !pinsExactValues(statement, "aws-marketplace:productid")) {
        problems.push(
            'grants aws-marketplace:Subscribe without "aws-marketplace:ProductId" pinned to exact product IDs (StringEquals or ForAnyValue:StringEquals, ' +
                "no wildcard): anyone holding the role could subscribe the account to any paid Marketplace product. List the models' product IDs.",
        );
    }
    const mantle = MANTLE_INFERENCE_ACTIONS.filter((action) => statementCoversAction(statement, action.toLowerCase()));
    if (mantle.length > 0 && !pinsExactValues(statement, "bedrock-mantle:model")) {
        problems.push(
            `grants ${mantle.join(", ")} without "bedrock-mantle:Model" pinned to exact model IDs (StringEquals, no wildcard): ` +
                "name the models the role may run on the bedrock-mantle endpoint.",
        );
    }
    return problems;
}

/** `bedrock:GuardrailIdentifier` as AWS documents it: a guardrail's ARN and its numbered version. */
const GUARDRAIL_WITH_VERSION = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{12}:guardrail\/[a-z0-9]+:\d+$/;

/**
 * An Allow that requires a guardrail (`bedrock:GuardrailIdentifier`) must pin exact guardrail ARNs with
 * their version: a wildcard accepts any guardrail (or none worth the name), a negated operator allows
 * calls without one, and an ID or an ARN without a version never matches what calls carry.
 */
export function guardrailConditionProblems(statement: NormalizedStatement): string[] {
    if (statement.effect !== "allow") return [];
    return statement.conditions
        .filter((condition) => condition.key === "bedrock:guardrailidentifier")
        .flatMap((condition) => {
            if (!EXACT_OPERATORS.has(condition.operator.toLowerCase())) {
                return [`requires ${condition.writtenKey} with ${condition.operator}: pin the guardrails with StringEquals, so that a call without one of them is not allowed.`];
            }
            const loose = condition.values.filter((value) => hasWildcard(value) || !GUARDRAIL_WITH_VERSION.test(value));
            return loose.length === 0
                ? []
                : [`requires ${condition.writtenKey} ${loose.map((value) => `"${value}"`).join(", ")}: name each guardrail by ARN with its numbered version (arn:aws:bedrock:REGION:ACCOUNT:guardrail/ID:1), as calls carry it; no wildcard.`];
        });
}

export const modelScopedResources = documentPolicy({
    name: "bedrock-model-scoped-resources",
    description:
        "Checks whether every Allow statement granting a Bedrock action that supports resource-level permissions names specific " +
        "resources (no *, no wildcard in the resource ID, no NotResource), whether model-invocation grants name models, whether " +
        "aws-marketplace:Subscribe is pinned to exact product IDs, whether bedrock-mantle inference is pinned to exact models, and whether " +
        "a required guardrail (bedrock:GuardrailIdentifier) is pinned to guardrail ARNs with their version.",
    kinds: ["identity", "resource", "trust"],
    // A trust policy grants who may assume the role: no model access to pin there.
    check: async (statement, document) => [
        ...(await modelScopeProblems(statement, document)),
        ...(document.kind === "trust" ? [] : [...modelAccessProblems(statement), ...guardrailConditionProblems(statement)]),
    ],
});

/** A foundation-model ARN whose region is empty or a wildcard: one that reaches the model in any region. */
export function isRegionlessModelArn(resource: string): boolean {
    const parts = resource.split(":");
    if (parts[0] !== "arn" || parts.length < 6 || !wildcardMatches(parts[2], "bedrock", true)) return false;
    if (!/^foundation-model\//.test(parts.slice(5).join(":"))) return false;
    return parts[3] === "" || hasWildcard(parts[3]);
}

const PROFILE_CONDITION_OPERATORS = new Set(["arnequals", "arnlike", "stringequals", "stringlike"]);

/**
 * An inference-profile ARN of one exact region and account: a call through it stays within the
 * profile's geography. Its ID may be a pattern (the profiles of that account and region), since
 * the caller still needs permission on the profile it calls.
 */
function namesProfiles(value: string): boolean {
    const parts = value.split(":");
    return (
        parts[0] === "arn" &&
        parts.length >= 6 &&
        parts[2] === "bedrock" &&
        /^[a-z]{2}(-[a-z]+)+-\d$/.test(parts[3]) &&
        /^\d{12}$/.test(parts[4]) &&
        /^(application-)?inference-profile\/.+/.test(parts.slice(5).join(":"))
    );
}

function pinsInferenceProfiles(statement: NormalizedStatement): boolean {
    return statement.conditions.some(
        (condition) =>
            condition.key === "bedrock:inferenceprofilearn" &&
            PROFILE_CONDITION_OPERATORS.has(condition.operator.toLowerCase()) &&
            condition.values.length > 0 &&
            condition.values.every(namesProfiles),
    );
}

export function modelRegionProblems(statement: NormalizedStatement): string[] {
    if (statement.effect !== "allow" || statement.notResources !== undefined) return [];
    const regionless = statement.resources.filter(isRegionlessModelArn);
    if (regionless.length === 0 || pinsInferenceProfiles(statement)) return [];
    return [
        `names ${regionless.map((resource) => `"${resource}"`).join(", ")}, a foundation model in any region, with no bedrock:InferenceProfileArn condition naming inference profiles of one region and account: ` +
            "a direct call could run the model in any region, past the data residency the inference profiles keep. Name the region " +
            '(arn:aws:bedrock:<region>::foundation-model/<model ID>), or allow it only through profiles: "ArnLike": {"bedrock:InferenceProfileArn": ' +
            '"arn:aws:bedrock:<region>:<account>:inference-profile/<profile ID>"}.',
    ];
}

export const modelRegionsPinned = documentPolicy({
    name: "bedrock-model-regions-pinned",
    description:
        "Checks whether every Allow statement naming a foundation-model ARN with a wildcard or empty region carries a bedrock:InferenceProfileArn " +
        "condition naming inference profiles of one region and account (how global. and geography profiles route), never bare.",
    kinds: ["identity", "resource"],
    check: modelRegionProblems,
});
