import * as awsNative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import { AwsLocation } from "../arns/bedrockArns";
import { MantleProjectSpec } from "./costAttributionConfig";
import { OWNER_GATEWAY_TAG } from "./costAttributionPolicies";
import { CostTags, mergeTags } from "./costTags";

export interface MantleProjectsArgs {
    /** The stack's partition, region and account. */
    readonly location: AwsLocation;
    /** Each gateway's projects to create, with the gateway's `costTags`. */
    readonly gateways: readonly { readonly name: string; readonly costTags: CostTags; readonly projects: readonly MantleProjectSpec[] }[];
    /** The stack-wide tags (`aws:defaultTags`): the aws-native provider's `defaultTags` and each project's tags. If not provided, none. */
    readonly defaultTags?: CostTags;
    /**
     * The AWS provider's account guard and credentials (`aws:allowedAccountIds`, `aws:profile`),
     * applied to the aws-native provider too. If not provided, the environment's credentials, any account.
     */
    readonly allowedAccountIds?: readonly string[];
    readonly profile?: string;
}

/**
 * The bedrock-mantle projects the stack creates for its gateways (`@pulumi/aws-native`
 * `bedrockmantle.Project`, CloudFormation's `AWS::BedrockMantle::Project`): their tags reach Cost
 * Explorer and CUR. Each carries its gateway's name as `bedrock-access:gateway`, the tag the gateway
 * role's `bedrock-mantle:CreateInference` grant is bound to.
 */
export class MantleProjects extends pulumi.ComponentResource {
    /** Each project's ARN, by gateway and project name. */
    public readonly arns: Record<string, Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: MantleProjectsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bedrock-access:costAttribution:MantleProjects", name, {}, opts);
        const defaultTags = args.defaultTags ?? {};
        const provider = new awsNative.Provider(
            `${name}-aws-native`,
            {
                region: args.location.region as awsNative.Region,
                ...(Object.keys(defaultTags).length > 0 ? { defaultTags: { tags: { ...defaultTags } } } : {}),
                ...(args.allowedAccountIds ? { allowedAccountIds: [...args.allowedAccountIds] } : {}),
                ...(args.profile ? { profile: args.profile } : {}),
            },
            { parent: this },
        );
        this.arns = {};
        for (const gateway of args.gateways) {
            for (const project of gateway.projects) {
                const tags = mergeTags(defaultTags, gateway.costTags, project.costTags, { [OWNER_GATEWAY_TAG]: gateway.name });
                const created = new awsNative.bedrockmantle.Project(
                    `${name}-${gateway.name}-${project.name}`,
                    { name: project.name, tags: Object.keys(tags).sort().map((key) => ({ key, value: tags[key] })) },
                    { parent: this, provider },
                );
                this.arns[gateway.name] = { ...this.arns[gateway.name], [project.name]: created.arn };
            }
        }
        this.registerOutputs({ arns: this.arns });
    }
}
