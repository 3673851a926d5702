/** Policies over role trust policies. */
import { documentPolicy } from "./documentPolicy";
import { NormalizedStatement, statementCoversAction } from "./normalize";

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
