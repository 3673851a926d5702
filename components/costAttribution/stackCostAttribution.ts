/**
 * The stack's cost attribution beside its roles: the Mantle projects it creates for its gateways, its
 * budgets and the cost allocation tags it activates. Called once by the program, after monitoring.
 */
import * as pulumi from "@pulumi/pulumi";
import { AwsLocation } from "../arns/bedrockArns";
import { GatewaySpec } from "../gateway/gatewayConfig";
import { MonitoringSpec } from "../monitoring/monitoringConfig";
import { monitoringNames, monitoringPlace } from "../monitoring/monitoringPolicies";
import { CostBudgets } from "./costBudgets";
import { CostTags } from "./costTags";
import { MantleProjects } from "./mantleProjects";

/** Every `costTags` key the stack's entries, profiles, projects and budgets use, sorted: what `activateCostTags` activates. */
export function costTagKeys(config: {
    readonly gateways: readonly GatewaySpec[];
    readonly serviceRoles: readonly { readonly costTags: CostTags }[];
    readonly agentCoreRoles: readonly { readonly costTags?: CostTags }[];
    readonly monitoring: MonitoringSpec | undefined;
}): string[] {
    const tagSets: CostTags[] = [
        ...config.gateways.flatMap((gateway) => [gateway.costTags, ...gateway.applicationProfiles.map((profile) => profile.costTags), ...gateway.createdMantleProjects.map((project) => project.costTags)]),
        ...config.serviceRoles.map((role) => role.costTags),
        ...config.agentCoreRoles.map((role) => role.costTags ?? {}),
        ...(config.monitoring?.budgets ?? []).map((budget) => budget.costTags),
    ];
    return [...new Set(tagSets.flatMap((tags) => Object.keys(tags)))].sort();
}

export interface StackCostAttributionArgs {
    readonly location: AwsLocation;
    readonly stack: string;
    readonly gateways: readonly GatewaySpec[];
    readonly monitoring: MonitoringSpec | undefined;
    /** `costTagKeys` of the whole stack. */
    readonly tagKeys: readonly string[];
    readonly defaultTags: CostTags;
    readonly allowedAccountIds?: readonly string[];
    readonly profile?: string;
    /** What the budgets wait for: the alert topic and its policy. */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Registers the Mantle projects, budgets and cost allocation tags; returns the projects' ARNs by gateway and project. */
export function registerCostAttribution(args: StackCostAttributionArgs): Record<string, Record<string, pulumi.Output<string>>> {
    const withProjects = args.gateways.filter((gateway) => gateway.createdMantleProjects.length > 0);
    const projects =
        withProjects.length > 0
            ? new MantleProjects("bedrock-mantle-projects", {
                  location: args.location,
                  gateways: withProjects.map((gateway) => ({ name: gateway.name, costTags: gateway.costTags, projects: gateway.createdMantleProjects })),
                  defaultTags: args.defaultTags,
                  allowedAccountIds: args.allowedAccountIds,
                  profile: args.profile,
              }).arns
            : {};
    const monitoring = args.monitoring;
    if (monitoring && (monitoring.budgets.length > 0 || monitoring.activateCostTags)) {
        new CostBudgets(
            "bedrock-cost-budgets",
            {
                budgets: monitoring.budgets,
                topicArn: monitoringNames(monitoringPlace(args.location, args.stack, monitoring)).topicArn,
                activateTagKeys: monitoring.activateCostTags ? args.tagKeys : [],
            },
            { dependsOn: args.dependsOn },
        );
    }
    return projects;
}
