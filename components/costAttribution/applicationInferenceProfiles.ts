import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsLocation } from "../arns/bedrockArns";
import { ApplicationProfileSpec } from "./costAttributionConfig";
import { applicationProfileTags, copyFromArn } from "./costAttributionPolicies";
import { CostTags } from "./costTags";

export interface ApplicationInferenceProfilesArgs {
    /** The stack's partition, region and account: `copyFrom` ARNs are built from them. */
    readonly location: AwsLocation;
    /** The gateway's name: every profile carries it as `bedrock-access:gateway`, the tag its role's grant is bound to. */
    readonly gatewayName: string;
    /** The gateway's `costTags`: every profile carries them. */
    readonly gatewayTags: CostTags;
    /** The profiles (`gateways[].applicationProfiles`). */
    readonly profiles: readonly ApplicationProfileSpec[];
    /** The stack-wide tags (`aws:defaultTags`), written on each profile too. If not provided, none. */
    readonly defaultTags?: CostTags;
}

/**
 * A gateway's application inference profiles: each a tagged copy of one of its models, the handle
 * through which Cost Explorer and CUR attribute bedrock-runtime spend to the tags.
 */
export class ApplicationInferenceProfiles extends pulumi.ComponentResource {
    /** Each profile's ARN, by its name: what the gateway calls as its model ID. */
    public readonly arns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: ApplicationInferenceProfilesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bedrock-access:costAttribution:ApplicationInferenceProfiles", name, {}, opts);
        this.arns = {};
        for (const profile of args.profiles) {
            const created = new aws.bedrock.InferenceProfile(
                `${name}-${profile.name.replace(/[^A-Za-z0-9._-]/g, "-")}`,
                {
                    name: profile.name,
                    description: `Calls of the ${args.gatewayName} gateway, attributed by their tags`,
                    modelSource: { copyFrom: copyFromArn(args.location, profile.copyFrom) },
                    tags: applicationProfileTags(args.gatewayName, args.gatewayTags, profile, args.defaultTags),
                },
                { parent: this },
            );
            this.arns[profile.name] = created.arn;
        }
        this.registerOutputs({ arns: this.arns });
    }
}
