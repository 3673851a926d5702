import * as awsNative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import { AwsProviderSettings, awsNativeProvider } from "../stack/awsNativeProvider";
import { AwsLocation } from "../arns/bedrockArns";
import { EnforcedGuardrailSpec } from "./enforcedGuardrailConfig";

/** With the AWS provider's account guard and credentials, applied to the aws-native provider too. */
export interface EnforcedGuardrailArgs extends AwsProviderSettings {
    /** The stack's partition, region and account: the configuration is the account's, in this region. */
    readonly location: AwsLocation;
    /** `monitoring.enforcedGuardrail`, validated. */
    readonly guardrail: EnforcedGuardrailSpec;
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
        const provider = awsNativeProvider(name, args, this);
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
