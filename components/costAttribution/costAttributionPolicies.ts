/**
 * Pure builders for cost attribution: what a gateway's role needs to call the application inference
 * profiles and Mantle projects the stack creates for it (bound to their tags, since their IDs are
 * AWS's and unknown at preview), the tags each resource carries, the budgets' filters and
 * notifications, and the alert topic's and key's statements that admit AWS Budgets.
 */
import { AwsLocation, ModelReference, foundationModelArn, inferenceProfileArn, invokeGrantFor } from "../arns/bedrockArns";
import { PolicyStatement, sortedUnique } from "../iam/iamDocument";
import { PermissionUnit, StatementTemplate } from "../iam/permissionLayout";
import { MANTLE_INFERENCE_ACTION, PermissionGroup } from "../modelAccess/modelAccessPolicies";
import { ApplicationProfileSpec, BudgetSpec, MantleProjectSpec } from "./costAttributionConfig";
import { CostTags, mergeTags } from "./costTags";

/**
 * The tag the stack writes on each application inference profile and Mantle project it creates for a
 * gateway (the gateway's name, as on its role): the role's grant on them is bound to it.
 */
export const OWNER_GATEWAY_TAG = "bedrock-access:gateway";
export const BUDGETS_SERVICE_PRINCIPAL = "budgets.amazonaws.com";

/** Any application inference profile of the stack's account and region: the ID is AWS's. */
export function applicationProfilePattern(location: AwsLocation): string {
    return `arn:${location.partition}:bedrock:${location.region}:${location.accountId}:application-inference-profile/*`;
}

/** Any bedrock-mantle project of the stack's account and region. */
export function mantleProjectPattern(location: AwsLocation): string {
    return `arn:${location.partition}:bedrock-mantle:${location.region}:${location.accountId}:project/*`;
}

/** The ARN `modelSource.copyFrom` takes: the foundation model's (in the stack's region unless given) or the system profile's. */
export function copyFromArn(location: AwsLocation, model: ModelReference): string {
    switch (model.kind) {
        case "foundation-model":
            return foundationModelArn(location, model.region ?? location.region, model.modelId);
        case "inference-profile":
            return model.arn ?? inferenceProfileArn(location, model.profileId);
        case "resource-arn":
            return model.arn;
    }
}

/** The tags of a gateway's application profile: stack-wide, the gateway's, the profile's own, and the owner tag. */
export function applicationProfileTags(gatewayName: string, gatewayTags: CostTags, profile: Pick<ApplicationProfileSpec, "costTags">, defaultTags: CostTags = {}): Record<string, string> {
    return mergeTags(defaultTags, gatewayTags, profile.costTags, { [OWNER_GATEWAY_TAG]: gatewayName });
}

/**
 * Invoking the gateway's own application profiles: any application profile of the account and region
 * whose owner tag names this gateway (`StringEquals aws:ResourceTag/bedrock-access:gateway`), so no
 * other gateway's profile and no profile created outside the stack without that tag. Calls through a
 * profile also need the foundation model in every region it routes to: for a copy of a system profile,
 * the model in any region, only through an application profile of the account and region (for a copy
 * of a foundation model, the direct grant of the listed model already covers it).
 */
export function applicationProfilePermissions(location: AwsLocation, gatewayName: string, profiles: readonly ApplicationProfileSpec[], actions: readonly string[]): PermissionGroup {
    if (profiles.length === 0) return { units: [], templates: [] };
    const own: StatementTemplate = {
        sid: "InvokeOwnApplicationProfiles",
        actions,
        condition: { StringEquals: { [`aws:ResourceTag/${OWNER_GATEWAY_TAG}`]: gatewayName } },
    };
    const routed: StatementTemplate = {
        sid: "InvokeModelsThroughApplicationProfiles",
        actions,
        condition: { ArnLike: { "bedrock:InferenceProfileArn": applicationProfilePattern(location) } },
    };
    const routedModelArns = sortedUnique(profiles.flatMap((profile) => (profile.copyFrom.kind === "inference-profile" ? invokeGrantFor(location, profile.copyFrom).routedModelArns : [])));
    const units: PermissionUnit[] = [
        {
            key: "application-profiles",
            grants: [
                { template: own, resources: [applicationProfilePattern(location)] },
                { template: routed, resources: routedModelArns },
            ],
        },
    ];
    return { units, templates: [own, routed] };
}

/** Inference in the Mantle projects the stack creates for the gateway: any project of the account and region tagged with its name, exact models only. */
export function createdMantleProjectPermissions(location: AwsLocation, gatewayName: string, projects: readonly MantleProjectSpec[], modelIds: readonly string[]): PermissionGroup {
    if (projects.length === 0 || modelIds.length === 0) return { units: [], templates: [] };
    const models = sortedUnique(modelIds);
    const inference: StatementTemplate = {
        sid: "MantleInferenceInOwnProjects",
        actions: [MANTLE_INFERENCE_ACTION],
        condition: {
            StringEquals: {
                "bedrock-mantle:Model": models.length === 1 ? models[0] : models,
                [`aws:ResourceTag/${OWNER_GATEWAY_TAG}`]: gatewayName,
            },
        },
    };
    return { units: [{ key: "mantle-created-projects", grants: [{ template: inference, resources: [mantleProjectPattern(location)] }] }], templates: [inference] };
}

/** Cost Explorer's name of Bedrock's own charges, and the billing entity of third-party models sold through AWS Marketplace. */
export const BEDROCK_SERVICE_NAME = "Amazon Bedrock";
export const MARKETPLACE_BILLING_ENTITY = "AWS Marketplace";

/** One tag filter of a budget expression (exact value). */
export interface BudgetTagFilter {
    readonly tags: { readonly key: string; readonly values: readonly string[]; readonly matchOptions: readonly string[] };
}
export interface BudgetDimensionFilter {
    readonly dimensions: { readonly key: string; readonly values: readonly string[] };
}

/**
 * The spend a budget counts: costs carrying every one of its tags, billed either as Amazon Bedrock or
 * through AWS Marketplace (third-party models appear as services of their own, "Claude ... (Amazon
 * Bedrock Edition)", billed by AWS Marketplace: a filter on the service "Amazon Bedrock" alone misses them).
 */
export function budgetFilterExpression(tags: CostTags): { ands: (BudgetTagFilter | { ors: BudgetDimensionFilter[] })[] } {
    const tagFilters: BudgetTagFilter[] = Object.keys(tags)
        .sort()
        .map((key) => ({ tags: { key, values: [tags[key]], matchOptions: ["EQUALS"] } }));
    const billedAs = {
        ors: [{ dimensions: { key: "SERVICE", values: [BEDROCK_SERVICE_NAME] } }, { dimensions: { key: "BILLING_ENTITY", values: [MARKETPLACE_BILLING_ENTITY] } }],
    };
    return { ands: [...tagFilters, billedAs] };
}

/** One budget notification as `aws.budgets.Budget` takes it. */
export interface BudgetNotificationSpec {
    readonly comparisonOperator: "GREATER_THAN";
    readonly threshold: number;
    readonly thresholdType: "PERCENTAGE";
    readonly notificationType: "ACTUAL" | "FORECASTED";
    readonly subscriberSnsTopicArns: string[];
}

/** An ACTUAL notification per threshold, and a FORECASTED one where asked, all to the alert topic. */
export function budgetNotifications(budget: Pick<BudgetSpec, "thresholdsPercent" | "forecastPercent">, topicArn: string): BudgetNotificationSpec[] {
    const notification = (notificationType: "ACTUAL" | "FORECASTED", threshold: number): BudgetNotificationSpec => ({
        comparisonOperator: "GREATER_THAN",
        threshold,
        thresholdType: "PERCENTAGE",
        notificationType,
        subscriberSnsTopicArns: [topicArn],
    });
    return [
        ...[...budget.thresholdsPercent].sort((a, b) => a - b).map((threshold) => notification("ACTUAL", threshold)),
        ...(budget.forecastPercent === undefined ? [] : [notification("FORECASTED", budget.forecastPercent)]),
    ];
}

/** Budgets of this account only: the source conditions AWS's Budgets guide gives for an SNS topic. */
function fromBudgetsOf(location: AwsLocation) {
    return {
        StringEquals: { "aws:SourceAccount": location.accountId },
        ArnLike: { "aws:SourceArn": `arn:${location.partition}:budgets::${location.accountId}:*` },
    };
}

/** The alert topic's statement for AWS Budgets: publish, for this account's budgets only. */
export function budgetsPublishStatement(location: AwsLocation, topicArn: string): PolicyStatement {
    return { Sid: "BudgetsPublish", Effect: "Allow", Principal: { Service: BUDGETS_SERVICE_PRINCIPAL }, Action: "sns:Publish", Resource: topicArn, Condition: fromBudgetsOf(location) };
}

/**
 * The alert key's statement for AWS Budgets: an encrypted topic whose key does not admit the service
 * drops Budgets' messages without an error. For this account's budgets only.
 */
export function budgetsKeyStatement(location: AwsLocation): PolicyStatement {
    return {
        Sid: "BudgetsPublishesEncryptedAlerts",
        Effect: "Allow",
        Principal: { Service: BUDGETS_SERVICE_PRINCIPAL },
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: "*",
        Condition: fromBudgetsOf(location),
    };
}
