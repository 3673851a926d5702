import * as awsNative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import { AwsProviderSettings, awsNativeProvider } from "../stack/awsNativeProvider";
import { createHash } from "crypto";
import { AwsLocation } from "../arns/bedrockArns";
import { LexBotAliasCallers, lexBotAliasPolicy } from "./serviceRolePolicies";

/** With the AWS provider's account guard and credentials, applied to the aws-native provider too. */
export interface LexBotAliasPoliciesArgs extends AwsProviderSettings {
    /** The stack's partition, region and account. */
    readonly location: AwsLocation;
    /** Each bot alias the stack's flows call, with the flow roles that call it. */
    readonly aliases: readonly LexBotAliasCallers[];
}

/**
 * The resource policies of the Lex V2 bot aliases the stack's flows call. The AWS provider has no
 * Lex resource-policy resource; this uses CloudFormation's `AWS::Lex::ResourcePolicy` through
 * `@pulumi/aws-native`, with a provider in the stack's region.
 */
export class LexBotAliasPolicies extends pulumi.ComponentResource {
    constructor(name: string, args: LexBotAliasPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bedrock-access:service:LexBotAliasPolicies", name, {}, opts);
        const provider = awsNativeProvider(name, args, this);
        for (const alias of args.aliases) {
            const suffix = createHash("sha256").update(alias.aliasArn).digest("hex").slice(0, 8);
            new awsNative.lex.ResourcePolicy(
                `${name}-${suffix}`,
                // A plain object, known at preview: the pack reads it as it reads JSON strings.
                { resourceArn: alias.aliasArn, policy: lexBotAliasPolicy(args.location, alias) },
                { parent: this, provider },
            );
        }
        this.registerOutputs({});
    }
}
