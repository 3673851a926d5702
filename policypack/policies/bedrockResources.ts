/** Policies over what Bedrock resources statements reach. */
import { BedrockAction, MODEL_INVOCATION_ACTIONS, bedrockActions } from "./bedrockActions";
import { documentPolicy } from "./documentPolicy";
import { NormalizedStatement, hasWildcard, statementCoversAction, wildcardMatches } from "./normalize";

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

function namesResourceOfTypes(resource: string, resourceTypes: ReadonlySet<string>): boolean {
    const arn = arnParts(resource);
    if (!arn || arn.service !== "bedrock") return false;
    const slash = arn.resource.indexOf("/");
    return slash > 0 && resourceTypes.has(arn.resource.slice(0, slash)) && !hasWildcard(arn.resource);
}

function listActions(actions: readonly BedrockAction[]): string {
    const names = actions.map((action) => `bedrock:${action.name}`);
    return names.length <= 4 ? names.join(", ") : `${names.slice(0, 4).join(", ")} and ${names.length - 4} more`;
}

export async function modelScopeProblems(statement: NormalizedStatement): Promise<string[]> {
    if (statement.effect !== "allow") return [];
    const granted = (await bedrockActions()).filter(
        (action) => action.resourceTypes.length > 0 && statementCoversAction(statement, action.qualifiedLowerName),
    );
    if (granted.length === 0) return [];
    if (statement.notResources !== undefined) {
        return [`grants ${listActions(granted)} through NotResource, which reaches every other resource: list the Bedrock resources in Resource.`];
    }
    const problems = statement.resources
        .filter(isUnscopedBedrockResource)
        .map(
            (resource) =>
                `grants ${listActions(granted)} on "${resource}": name the specific models and resources ` +
                "(only the region and account segments may be wildcards).",
        );
    const invocation = granted.filter((action) => MODEL_INVOCATION_ACTIONS.includes(action.qualifiedLowerName));
    const modelTypes = new Set(invocation.flatMap((action) => action.resourceTypes));
    if (invocation.length > 0 && !statement.resources.some((resource) => namesResourceOfTypes(resource, modelTypes))) {
        problems.push(
            `grants ${listActions(invocation)} without naming a model: list foundation-model, inference-profile or other model ARNs in Resource.`,
        );
    }
    return problems;
}

export const modelScopedResources = documentPolicy({
    name: "bedrock-model-scoped-resources",
    description:
        "Checks whether every Allow statement granting a Bedrock action that supports resource-level permissions names specific " +
        "resources (no *, no wildcard in the resource ID, no NotResource), and whether model-invocation grants name models.",
    kinds: ["identity", "resource", "trust"],
    check: modelScopeProblems,
});
