/** Policies over the actions statements grant. */
import { documentPolicy } from "./documentPolicy";
import { NormalizedStatement, hasWildcard } from "./normalize";

export function wildcardActionProblems(statement: NormalizedStatement): string[] {
    if (statement.effect !== "allow") return [];
    const problems: string[] = [];
    if (statement.notActions !== undefined) {
        problems.push(`grants every action except ${statement.notActions.join(", ")} through NotAction: list the actions it needs in Action.`);
    }
    for (const action of statement.actions.filter(hasWildcard)) {
        problems.push(`grants the wildcard action "${action}": list each action it needs.`);
    }
    return problems;
}

export const noWildcardActions = documentPolicy({
    name: "iam-no-wildcard-actions",
    description:
        "Checks whether any Allow statement of an IAM document (identity, trust or resource policy) grants an action with * or ?, " +
        "or uses NotAction. Deny statements may use wildcards.",
    kinds: ["identity", "resource", "trust"],
    check: wildcardActionProblems,
});
