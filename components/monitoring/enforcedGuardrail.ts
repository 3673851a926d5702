import * as awsNative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import { AwsLocation } from "../arns/bedrockArns";
import { EnforcedGuardrailSpec } from "./enforcedGuardrailConfig";

export interface EnforcedGuardrailArgs {
    /** The stack's partition, region and account: the configuration is the account's, in this region. */
    readonly location: AwsLocation;
    /** `monitoring.enforcedGuardrail`, validated. */
    readonly guardrail: EnforcedGuardrailSpec;
    /**
     * The AWS provider's account guard and credentials (`aws:allowedAccountIds`, `aws:profile`),
     * applied to the aws-native provider too. If not provided, the environment's credentials, any account.
     */
    readonly allowedAccountIds?: readonly string[];
    readonly profile?: string;
}

/**
 * The account's enforced guardrail in the stack's region (`@pulumi/aws-native`
 * `bedrock.EnforcedGuardrailConfiguration`, CloudFormation's `AWS::Bedrock::EnforcedGuardrailConfiguration`):
 * Bedrock applies the guardrail to every inference call on the models it covers, whoever calls.
 */
export class EnforcedGuardrail extends pulumi.ComponentResource {
    /** The configuration's ID, as Bedrock assigns it. */
    public readonly configId: pulumi.Output<string>;

    constructor(name: string, args: EnforcedGuardrailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bedrock-access:monitoring:EnforcedGuardrail", name, {}, opts);
        const provider = new awsNative.Provider(
            `${name}-aws-native`,
            {
                region: args.location.region as awsNative.Region,
                ...(args.allowedAccountIds ? { allowedAccountIds: [...args.allowedAccountIds] } : {}),
                ...(args.profile ? { profile: args.profile } : {}),
            },
            { parent: this },
        );
        const { guardrailIdentifier, guardrailVersion, modelEnforcement, selectiveContentGuarding } = args.guardrail;
        const configuration = new awsNative.bedrock.EnforcedGuardrailConfiguration(
            name,
            {
                guardrailIdentifier,
                guardrailVersion,
                ...(modelEnforcement && { modelEnforcement: { includedModels: [...modelEnforcement.includedModels], excludedModels: [...modelEnforcement.excludedModels] } }),
                ...(selectiveContentGuarding && { selectiveContentGuarding: { ...selectiveContentGuarding } }),
            },
            { parent: this, provider },
        );
        this.configId = configuration.configId;
        this.registerOutputs({ configId: this.configId });
    }
}
