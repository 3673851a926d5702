/** Policies over role trust policies. */
import { documentPolicy } from "./documentPolicy";
import { NormalizedStatement, hasWildcard, statementCoversAction } from "./normalize";

/** STS's rule for external IDs: what a caller can actually send. */
const STS_EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const EXTERNAL_ID_KEY = "sts:externalid";

/** The AWS principals an Allow statement lets assume the role; undefined when it admits none. */
function awsPrincipalsAssuming(statement: NormalizedStatement): string | undefined {
    if (statement.effect !== "allow" || !statementCoversAction(statement, "sts:assumerole")) return undefined;
    if (statement.notPrincipal) return "every principal not in NotPrincipal";
    const principal = statement.principal;
    if (!principal) return undefined;
    if (principal.everyone) return 'every principal ("*")';
    return principal.aws.length > 0 ? `AWS principal(s) ${principal.aws.join(", ")}` : undefined;
}

export function externalIdProblems(statement: NormalizedStatement): string[] {
    const who = awsPrincipalsAssuming(statement);
    if (who === undefined) return [];
    const externalIdConditions = statement.conditions.filter((condition) => condition.key === EXTERNAL_ID_KEY);
    if (externalIdConditions.length === 0) {
        return [`lets ${who} assume the role without an external ID: add "Condition": {"StringEquals": {"sts:ExternalId": "<the gateway's external ID>"}}.`];
    }
    const exact = externalIdConditions.filter((condition) => condition.operator === "StringEquals");
    if (exact.length === 0) {
        const operators = externalIdConditions.map((condition) => condition.operator).join(", ");
        return [
            `lets ${who} assume the role with sts:ExternalId checked only by ${operators}: use StringEquals ` +
                "(an IfExists form passes when no ID is sent, a pattern accepts IDs nobody chose).",
        ];
    }
    if (exact.some((condition) => condition.values.length === 0 || condition.values.some((value) => !STS_EXTERNAL_ID.test(value)))) {
        return [
            `requires an sts:ExternalId value that STS can never send (empty, or not 2-1224 characters of letters, digits and _+=,.@:/-): ` +
                "set the exact ID the gateway sends, with no trailing space or newline.",
        ];
    }
    return [];
}

export const trustRequiresExternalId = documentPolicy({
    name: "bedrock-trust-requires-external-id",
    description:
        "Checks whether every trust-policy statement that lets an AWS principal (account, root, role, user or *) assume a role " +
        "requires sts:ExternalId with StringEquals and a value STS accepts.",
    kinds: ["trust"],
    check: externalIdProblems,
});

/** Condition keys that narrow a wide principal to known callers, with the operators that pin them exactly. */
const NARROWING_KEYS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
    ["aws:principalorgid", new Set(["stringequals"])],
    ["aws:principalaccount", new Set(["stringequals"])],
    ["aws:principalarn", new Set(["arnequals", "stringequals", "arnlike", "stringlike"])],
]);

/** Whether a condition of the statement pins the caller's organization, account or ARN to exact values (no wildcard, no IfExists). */
export function narrowsToKnownCallers(statement: NormalizedStatement): boolean {
    return statement.conditions.some((condition) => {
        const operators = NARROWING_KEYS.get(condition.key);
        return (
            operators !== undefined &&
            operators.has(condition.operator.toLowerCase()) &&
            condition.values.length > 0 &&
            condition.values.every((value) => value !== "" && !hasWildcard(value)) &&
            (condition.key !== "aws:principalaccount" || condition.values.every((value) => /^\d{12}$/.test(value)))
        );
    });
}

const NARROWING_ADVICE =
    'name the trusted roles or accounts in Principal (e.g. {"AWS": "arn:aws:iam::<account>:role/<name>"}), or narrow the statement with ' +
    '"StringEquals": {"aws:PrincipalOrgID": "<o-...>"}, {"aws:PrincipalAccount": "<account>"} or "ArnEquals": {"aws:PrincipalArn": "<role ARN>"}';

/** What a statement admits that no trust should: `*`, a principal with a wildcard, or NotPrincipal; empty when none. */
function widePrincipals(statement: NormalizedStatement): string[] {
    if (statement.notPrincipal) return ["NotPrincipal (every principal it does not list, in every account)"];
    const principal = statement.principal;
    if (!principal) return [];
    const wide: string[] = [];
    if (principal.everyone && principal.aws.length === 0) wide.push('"Principal": "*" (every principal of every AWS account)');
    else if (principal.aws.includes("*")) wide.push('"Principal": {"AWS": "*"} (every principal of every AWS account)');
    for (const [type, entries] of [["AWS", principal.aws], ["Federated", principal.federated], ["Service", principal.service]] as const) {
        for (const entry of entries.filter((candidate) => candidate !== "*" && hasWildcard(candidate))) wide.push(`the ${type} principal "${entry}", a wildcard`);
    }
    return wide;
}

const SAML_ACTION = "sts:assumerolewithsaml";

/** Whether `SAML:aud` is pinned with StringEquals (or a wildcard-free StringLike) to non-empty values. */
function pinsSamlAudience(statement: NormalizedStatement): boolean {
    return statement.conditions.some(
        (condition) =>
            condition.key === "saml:aud" &&
            ["stringequals", "stringlike"].includes(condition.operator.toLowerCase()) &&
            condition.values.length > 0 &&
            condition.values.every((value) => value !== "" && !hasWildcard(value)),
    );
}

export function trustPrincipalProblems(statement: NormalizedStatement): string[] {
    if (statement.effect !== "allow") return [];
    const problems: string[] = [];
    const wide = widePrincipals(statement);
    if (wide.length > 0 && !narrowsToKnownCallers(statement)) {
        const externalId = statement.conditions.some((condition) => condition.key === EXTERNAL_ID_KEY)
            ? " Its sts:ExternalId does not make this safe: AWS says external IDs are not secrets, and any account that learns it may assume the role."
            : "";
        problems.push(`admits ${wide.join(" and ")}.${externalId} Instead, ${NARROWING_ADVICE}.`);
    }
    const samlProviders = statement.principal?.federated.filter((federated) => /:saml-provider\//i.test(federated)) ?? [];
    if (statementCoversAction(statement, SAML_ACTION) && (samlProviders.length > 0 || wide.length > 0) && !pinsSamlAudience(statement)) {
        const who = samlProviders.length > 0 ? samlProviders.join(", ") : "the statement's principals";
        problems.push(
            `lets ${who} assume the role with sts:AssumeRoleWithSAML without pinning SAML:aud: add "StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"} ` +
                "(or the exact sign-in endpoint the assertions are for).",
        );
    }
    return problems;
}

export const trustNamesPrincipals = documentPolicy({
    name: "iam-trust-names-principals",
    description:
        'Checks whether every Allow statement of a role trust policy names its principals: no "*", no principal with a wildcard, no NotPrincipal ' +
        "(whatever else it requires: an external ID does not make * safe), unless aws:PrincipalOrgID, aws:PrincipalAccount or aws:PrincipalArn " +
        "pins exact values; and whether SAML trust pins SAML:aud.",
    kinds: ["trust"],
    check: trustPrincipalProblems,
});
