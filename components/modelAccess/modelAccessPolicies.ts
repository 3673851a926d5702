/**
 * Pure builders of what a first call to a model needs beyond invoke permissions: subscribing the
 * account to the model's AWS Marketplace product (third-party models), and inference on the
 * OpenAI-/Anthropic-compatible bedrock-mantle endpoint. Given as permission units, so that gateways
 * and service roles lay them out within IAM's quotas like their other grants.
 */
import { AwsLocation } from "../arns/bedrockArns";
import { PermissionUnit, StatementTemplate } from "../iam/permissionLayout";

export const MARKETPLACE_SUBSCRIBE_ACTION = "aws-marketplace:Subscribe";
export const MARKETPLACE_VIEW_ACTION = "aws-marketplace:ViewSubscriptions";
export const MANTLE_INFERENCE_ACTION = "bedrock-mantle:CreateInference";

export interface PermissionGroup {
    readonly units: PermissionUnit[];
    readonly templates: StatementTemplate[];
}

/**
 * Subscribe only to exactly these products (`aws-marketplace:ProductId`, in the form AWS documents
 * for Bedrock: `ForAnyValue:StringEquals`), and see the account's subscriptions. Both actions
 * accept only `*`. Never Unsubscribe. Nothing when no product is listed.
 */
export function marketplacePermissions(productIds: readonly string[]): PermissionGroup {
    if (productIds.length === 0) return { units: [], templates: [] };
    const products = [...new Set(productIds)].sort();
    const subscribe: StatementTemplate = {
        sid: "SubscribeToListedModelProducts",
        actions: [MARKETPLACE_SUBSCRIBE_ACTION],
        condition: { "ForAnyValue:StringEquals": { "aws-marketplace:ProductId": products } },
    };
    const view: StatementTemplate = { sid: "ViewMarketplaceSubscriptions", actions: [MARKETPLACE_VIEW_ACTION] };
    return {
        units: [{ key: "marketplace", grants: [{ template: subscribe, resources: ["*"] }, { template: view, resources: ["*"] }] }],
        templates: [subscribe, view],
    };
}

export function mantleProjectArn(location: AwsLocation, projectId: string): string {
    return `arn:${location.partition}:bedrock-mantle:${location.region}:${location.accountId}:project/${projectId}`;
}

/** Inference on the bedrock-mantle endpoint, in the listed projects, for exactly the listed model identifiers. */
export function mantlePermissions(location: AwsLocation, projectIds: readonly string[], modelIds: readonly string[]): PermissionGroup {
    if (modelIds.length === 0) return { units: [], templates: [] };
    const models = [...new Set(modelIds)].sort();
    const inference: StatementTemplate = {
        sid: "MantleInferenceForListedModels",
        actions: [MANTLE_INFERENCE_ACTION],
        condition: { StringEquals: { "bedrock-mantle:Model": models.length === 1 ? models[0] : models } },
    };
    return {
        units: [{ key: "mantle", grants: [{ template: inference, resources: projectIds.map((projectId) => mantleProjectArn(location, projectId)) }] }],
        templates: [inference],
    };
}
