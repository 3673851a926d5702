/**
 * Resources of another account or region that the stack's roles would reach. Where AWS requires the
 * resource in the caller's account and region, such a reference can only fail at the first call, so
 * it is refused at validation; where AWS allows it (a Lambda function or KMS key of another account,
 * whose own resource policy must then let the role in), it is accepted with one warning line. The
 * table, with AWS's pages, is in docs/placement.md.
 */
import { AwsLocation } from "../arns/bedrockArns";
import { ConfigIssue, formatPath } from "../config/configValidation";

/** What a reference to another account's or region's resource gets. */
export type Placement = "refused" | "warned" | "accepted";

export interface OwnershipRule {
    /** The configuration key holding the list, wherever it appears (`lambdaFunctions`). */
    readonly key: string;
    /** What the list holds, for messages. */
    readonly what: string;
    readonly otherAccount: Placement;
    readonly otherRegion: Placement;
    /** What the other account must do, for the warning line. */
    readonly otherAccountMust?: string;
}

export const OWNERSHIP_RULES: readonly OwnershipRule[] = [
    { key: "guardrails", what: "guardrail", otherAccount: "refused", otherRegion: "refused" },
    { key: "knowledgeBases", what: "knowledge base", otherAccount: "refused", otherRegion: "refused" },
    { key: "agentAliases", what: "agent alias", otherAccount: "refused", otherRegion: "refused" },
    // A supervisor agent's collaborators are agent aliases too: the same rule as agentAliases.
    { key: "collaborators", what: "agent alias", otherAccount: "refused", otherRegion: "refused" },
    { key: "prompts", what: "prompt", otherAccount: "refused", otherRegion: "refused" },
    { key: "openSearchCollections", what: "OpenSearch Serverless collection", otherAccount: "refused", otherRegion: "refused" },
    { key: "auroraClusters", what: "Aurora cluster", otherAccount: "refused", otherRegion: "refused" },
    { key: "secrets", what: "Secrets Manager secret", otherAccount: "refused", otherRegion: "refused" },
    {
        key: "lambdaFunctions",
        what: "Lambda function",
        otherAccount: "warned",
        otherRegion: "refused",
        otherAccountMust: "its resource-based policy must let bedrock.amazonaws.com invoke it for this account (aws lambda add-permission with --source-account)",
    },
    {
        key: "kmsKeys",
        what: "KMS key",
        otherAccount: "warned",
        otherRegion: "refused",
        otherAccountMust: "its key policy must let this stack's role use it (kms:Decrypt, kms:GenerateDataKey)",
    },
    {
        // IAM principals (no region): another account's may use the created key only if its own account's IAM lets it too.
        key: "keyUsers",
        what: "key user",
        otherAccount: "warned",
        otherRegion: "accepted",
        otherAccountMust: "the key policy names it, but its own account's IAM policies must also allow it to use the key (kms:Decrypt, kms:GenerateDataKey)",
    },
    {
        key: "agentRuntimes",
        what: "AgentCore runtime",
        otherAccount: "warned",
        otherRegion: "accepted",
        otherAccountMust: "its resource-based policy must let this stack's role call InvokeAgentRuntime",
    },
];

/** `arn:partition:service:region:account:...` -> its region and account; undefined for an ID. */
function placeOf(text: string): { region: string; account: string } | undefined {
    const parts = text.split(":");
    return parts[0] === "arn" && parts.length >= 6 ? { region: parts[3], account: parts[4] } : undefined;
}

export interface OwnershipFindings {
    readonly issues: ConfigIssue[];
    /** One line per accepted resource of another account. */
    readonly warnings: string[];
}

function walk(value: unknown, path: PropertyKey[], visit: (rule: OwnershipRule, path: PropertyKey[], text: string) => void): void {
    if (Array.isArray(value)) {
        value.forEach((item, index) => walk(item, [...path, index], visit));
        return;
    }
    if (value === null || typeof value !== "object") return;
    for (const [key, item] of Object.entries(value)) {
        const rule = OWNERSHIP_RULES.find((candidate) => candidate.key === key);
        if (rule && Array.isArray(item) && item.every((entry) => typeof entry === "string")) {
            (item as string[]).forEach((text, index) => visit(rule, [...path, key, index], text));
        } else {
            walk(item, [...path, key], visit);
        }
    }
}

/**
 * The references to resources of another account or region in the project's keys (their raw values,
 * by key), judged by `OWNERSHIP_RULES`. IDs name the stack's own account and region and always pass.
 */
export function ownershipFindings(rawValues: Readonly<Record<string, unknown>>, location: AwsLocation): OwnershipFindings {
    const issues: ConfigIssue[] = [];
    const warnings: string[] = [];
    for (const [key, value] of Object.entries(rawValues)) {
        walk(value, [key], (rule, path, text) => {
            const place = placeOf(text);
            if (!place) return;
            const foreignAccount = place.account !== "" && place.account !== location.accountId;
            const foreignRegion = place.region !== "" && place.region !== location.region;
            const shown = formatPath(path);
            if (foreignRegion && rule.otherRegion === "refused") {
                issues.push({ path: shown, value: JSON.stringify(text), rule: `is a ${rule.what} of region ${place.region}: AWS uses a ${rule.what} only in its own region, and this stack is in ${location.region}` });
                return;
            }
            if (!foreignAccount) return;
            if (rule.otherAccount === "refused") {
                issues.push({ path: shown, value: JSON.stringify(text), rule: `is a ${rule.what} of account ${place.account}: AWS uses a ${rule.what} only in its own account, and this stack deploys to ${location.accountId}` });
            } else if (rule.otherAccount === "warned") {
                warnings.push(`${shown} = ${JSON.stringify(text)}: a ${rule.what} of account ${place.account}, not ${location.accountId}; ${rule.otherAccountMust}`);
            }
        });
    }
    return { issues, warnings };
}

/** The keys that reference resources (`gateways`, `serviceRoles`), parsed from the JSON texts Pulumi hands the program; the stack is already validated. */
export function referencingValuesOf(projectValues: Readonly<Record<string, string>>): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const key of ["gateways", "serviceRoles"]) {
        const text = projectValues[key];
        if (text !== undefined) values[key] = JSON.parse(text);
    }
    return values;
}
