/**
 * Trust of OIDC identity providers (GitHub Actions, Pulumi Deployments and ESC, any other): a role
 * that any repository, organization or stack of the provider could assume is the classic
 * misconfiguration, so the audience and the subject must be pinned.
 */
import { documentPolicy } from "./documentPolicy";
import { NormalizedCondition, NormalizedStatement, hasWildcard, statementCoversAction } from "./normalize";

const WEB_IDENTITY_ACTION = "sts:assumerolewithwebidentity";

/** `arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com` -> `token.actions.githubusercontent.com`. */
export function oidcProviderOf(federated: string): string {
    const marker = ":oidc-provider/";
    const at = federated.indexOf(marker);
    return (at >= 0 ? federated.slice(at + marker.length) : federated).toLowerCase();
}

/**
 * For providers whose subject format is known: the part of a subject that must be written out
 * (no wildcard) before the branch, environment or stack-operation part may use one.
 */
const SUBJECT_PREFIXES: Readonly<Record<string, { readonly pattern: RegExp; readonly example: string }>> = {
    "token.actions.githubusercontent.com": {
        pattern: /^repo:[^:*?/]+\/[^:*?]+:(?:ref:refs\/heads\/|ref:refs\/tags\/|environment:)/,
        example: "repo:OWNER/REPOSITORY:ref:refs/heads/BRANCH or repo:OWNER/REPOSITORY:environment:ENVIRONMENT",
    },
    "api.pulumi.com/oidc": {
        pattern: /^pulumi:(?:deploy:org:[^:*?]+:project:[^:*?]+:stack:[^:*?]+:|environments:org:[^:*?]+:env:[^:*?/]+\/)/,
        example: "pulumi:deploy:org:ORG:project:PROJECT:stack:STACK:operation:OPERATION:scope:write",
    },
};

const PINNING_OPERATORS = new Set(["stringequals", "stringlike"]);

function pinningConditions(statement: NormalizedStatement, key: string): NormalizedCondition[] {
    return statement.conditions.filter((condition) => condition.key === key && PINNING_OPERATORS.has(condition.operator.toLowerCase()) && condition.values.length > 0);
}

/** Why a subject value does not pin one repository (or organization and stack); undefined when it does. */
function subjectValueProblem(provider: string, condition: NormalizedCondition, value: string): string | undefined {
    if (condition.operator.toLowerCase() === "stringequals" || !hasWildcard(value)) return undefined;
    const known = SUBJECT_PREFIXES[provider];
    if (known) {
        const prefix = known.pattern.exec(value);
        const firstWildcard = value.search(/[*?]/);
        if (prefix && firstWildcard >= prefix[0].length) return undefined;
        return `"${value}" has a wildcard before the branch or environment part: write out ${known.example}`;
    }
    return `"${value}" is a pattern, and ${provider}'s subject format is not known to this pack: use StringEquals with the exact subject`;
}

export function oidcTrustProblems(statement: NormalizedStatement): string[] {
    if (statement.effect !== "allow" || !statementCoversAction(statement, WEB_IDENTITY_ACTION)) return [];
    if (statement.principal?.everyone || statement.notPrincipal) {
        return ["lets every principal assume the role with a web identity: name the OIDC provider as the Federated principal and pin its aud and sub."];
    }
    const problems: string[] = [];
    for (const federated of statement.principal?.federated ?? []) {
        const provider = oidcProviderOf(federated);
        const audience = pinningConditions(statement, `${provider}:aud`);
        if (audience.length === 0 || audience.some((condition) => condition.values.some(hasWildcard))) {
            problems.push(`lets ${federated} assume the role without pinning its audience: add "StringEquals": {"${provider}:aud": "<the audience>"}.`);
        }
        const subject = pinningConditions(statement, `${provider}:sub`);
        if (subject.length === 0) {
            problems.push(
                `lets any identity of ${federated} assume the role: pin the subject with "StringEquals": {"${provider}:sub": "<the exact subject>"}` +
                    (SUBJECT_PREFIXES[provider] ? ` (${SUBJECT_PREFIXES[provider].example}).` : "."),
            );
            continue;
        }
        for (const condition of subject) {
            for (const value of condition.values) {
                const problem = subjectValueProblem(provider, condition, value);
                if (problem) problems.push(`lets ${federated} assume the role with ${condition.operator} ${provider}:sub ${problem}.`);
            }
        }
    }
    return problems;
}

export const oidcTrustPinsSubject = documentPolicy({
    name: "iam-oidc-trust-pins-subject",
    description:
        "Checks whether every trust-policy statement that lets a federated OIDC principal assume a role with sts:AssumeRoleWithWebIdentity " +
        "pins the provider's audience (<provider>:aud) and subject (<provider>:sub) with StringEquals, or StringLike with no wildcard " +
        "before the branch or environment part.",
    kinds: ["trust"],
    check: oidcTrustProblems,
});
