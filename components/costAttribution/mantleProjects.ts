import * as awsNative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import { AwsProviderSettings, awsNativeProvider } from "../stack/awsNativeProvider";
import { AwsLocation } from "../arns/bedrockArns";
import { MantleProjectSpec } from "./costAttributionConfig";
import { OWNER_GATEWAY_TAG } from "./costAttributionPolicies";
import { CostTags, mergeTags } from "./costTags";

/** With the AWS provider's account guard and credentials, applied to the aws-native provider too. */
export interface MantleProjectsArgs extends AwsProviderSettings {
    /** The stack's partition, region and account. */
    readonly location: AwsLocation;
    /** Each gateway's projects to create, with the gateway's `costTags`. */
    readonly gateways: readonly { readonly name: string; readonly costTags: CostTags; readonly projects: readonly MantleProjectSpec[] }[];
    /** The stack-wide tags (`aws:defaultTags`): the aws-native provider's `defaultTags` and each project's tags. If not provided, none. */
    readonly defaultTags?: CostTags;
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
        const provider = awsNativeProvider(name, args, this);
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
