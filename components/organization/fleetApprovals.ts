/**
 * What a fleet of stacks approves, as the organisation's guardrails need it: the models and
 * inference profiles each stack's roles may invoke (in the stack's region), the AWS Marketplace
 * products they may subscribe to, and the models they may call on bedrock-mantle. Pure: read from
 * validated stack configurations.
 */
import { ModelReference, foundationModelArn, GLOBAL_PROFILE_GEOGRAPHY, mantleModelIds } from "../arns/bedrockArns";
import { sortedUnique } from "../iam/iamDocument";
import { geographyOf } from "../placement/geographies";
import type { StackConfig } from "../stack/stackConfig";

/** One stack's approvals: its region and everything its roles are granted that the guardrails govern. */
export interface StackApprovals {
    readonly partition: string;
    readonly region: string;
    /** The stack's accounts (`aws:allowedAccountIds`), empty when it names none. */
    readonly accountIds: readonly string[];
    readonly models: readonly ModelReference[];
    readonly marketplaceProductIds: readonly string[];
    /** Model identifiers the stack's gateways call on bedrock-mantle (`bedrock-mantle:Model`). */
    readonly mantleModels: readonly string[];
}

/** The union of the fleet's approvals, as the ARNs and values the SCPs name. */
export interface FleetApprovals {
    readonly partition: string;
    /** Foundation models invoked directly, in the region of the stack that lists them. */
    readonly foundationModelArns: readonly string[];
    /** System inference profiles, in the source region of the stack that lists them, in any account of the organisation. */
    readonly inferenceProfileArns: readonly string[];
    /**
     * The foundation models those profiles route to, in the destination regions of each profile's
     * geography (`eu-*` for `eu.`; any region, and region-less, for `global.`).
     */
    readonly routedModelArns: readonly string[];
    /**
     * The fleet's application inference profiles in the regions where approved system profiles route
     * (`arn:aws:bedrock:eu-*:111111111111:application-inference-profile/*`), by the stacks' accounts
     * (`aws:allowedAccountIds`; any account when a stack names none): a call through one carries its
     * ARN as `bedrock:InferenceProfileArn`.
     */
    readonly applicationProfileArns: readonly string[];
    /** Other invocable resources listed by full ARN (provisioned models, application profiles, ...). */
    readonly otherModelArns: readonly string[];
    readonly marketplaceProductIds: readonly string[];
    readonly mantleModels: readonly string[];
}

/** What one validated stack approves: its gateways', service roles' and AgentCore roles' models and products. */
export function stackApprovals(config: StackConfig, accountIds: readonly string[] = []): StackApprovals {
    const users = [...config.gateways, ...config.serviceRoles, ...config.agentCoreRoles.agentRuntimes, ...config.agentCoreRoles.agentMemories];
    const mantleGateways = config.gateways.filter((gateway) => gateway.apis.includes("mantle"));
    return {
        partition: config.partition,
        region: config.region,
        accountIds,
        models: users.flatMap((user) => user.models),
        marketplaceProductIds: sortedUnique([...config.gateways, ...config.serviceRoles].flatMap((user) => user.marketplaceProductIds)),
        mantleModels: sortedUnique(mantleGateways.flatMap((gateway) => gateway.mantleModels ?? mantleModelIds(gateway.models))),
    };
}

/** A profile's ARN with its account as a wildcard: the organisation's accounts all reach the same system profile. */
function profileArnInAnyAccount(partition: string, region: string, profileId: string): string {
    return `arn:${partition}:bedrock:${region}:*:inference-profile/${profileId}`;
}

/** The union over the stacks. Throws when they span partitions: an organisation lives in one. */
export function fleetApprovals(stacks: readonly StackApprovals[]): FleetApprovals {
    const partitions = sortedUnique(stacks.map((stack) => stack.partition));
    if (partitions.length > 1) throw new Error(`the stacks span partitions (${partitions.join(", ")}): an organisation's SCPs apply in one partition; run once per partition`);
    const partition = partitions[0] ?? "aws";
    const location = { partition };
    const foundation: string[] = [];
    const profiles: string[] = [];
    const routed: string[] = [];
    const other: string[] = [];
    const applicationProfiles: string[] = [];
    for (const stack of stacks) {
        for (const model of stack.models) {
            switch (model.kind) {
                case "foundation-model":
                    foundation.push(foundationModelArn(location, model.region ?? stack.region, model.modelId));
                    break;
                case "inference-profile": {
                    const region = model.arn ? model.arn.split(":")[3] : stack.region;
                    profiles.push(profileArnInAnyAccount(partition, region, model.profileId));
                    const destinations = routedRegionPatterns(model.geography);
                    routed.push(...destinations.map((pattern) => foundationModelArn(location, pattern, model.modelId)));
                    if (model.geography === GLOBAL_PROFILE_GEOGRAPHY) routed.push(foundationModelArn(location, "", model.modelId));
                    const accounts = stack.accountIds.length > 0 ? stack.accountIds : ["*"];
                    for (const pattern of destinations) for (const account of accounts) applicationProfiles.push(`arn:${partition}:bedrock:${pattern}:${account}:application-inference-profile/*`);
                    break;
                }
                case "resource-arn":
                    other.push(model.arn);
                    break;
            }
        }
    }
    return {
        partition,
        foundationModelArns: sortedUnique(foundation),
        inferenceProfileArns: sortedUnique(profiles),
        routedModelArns: sortedUnique(routed),
        otherModelArns: sortedUnique(other),
        applicationProfileArns: sortedUnique(applicationProfiles),
        marketplaceProductIds: sortedUnique(stacks.flatMap((stack) => stack.marketplaceProductIds)),
        mantleModels: sortedUnique(stacks.flatMap((stack) => stack.mantleModels)),
    };
}

/** Where a profile of `geography` routes, as ARN region patterns; a geography the table does not know routes nowhere it can name, so to its own prefix only. */
function routedRegionPatterns(geography: string): readonly string[] {
    return geographyOf(geography)?.regionPatterns ?? [`${geography}-*`];
}
