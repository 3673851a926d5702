/**
 * The Pulumi program: one stack per AWS account and region. It validates the whole stack
 * configuration first (nothing is registered when any key is wrong), then creates each gateway's
 * access role.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsLocation } from "./components/bedrockArns";
import { GatewayAccessRole } from "./components/gatewayAccessRole";
import { readStackConfig } from "./components/stackConfig";

/** What a user hands to each gateway (Portkey virtual key, Port provider, LiteLLM settings). */
interface GatewayHandoff {
    readonly roleArn: pulumi.Output<string>;
    readonly region: string;
    readonly externalId: pulumi.Output<string> | undefined;
}

interface StackOutputs {
    readonly gateways: Record<string, GatewayHandoff>;
}

export = async (): Promise<StackOutputs> => {
    const config = readStackConfig();
    const identity = await aws.getCallerIdentity();
    const location: AwsLocation = { partition: config.partition, region: config.region, accountId: identity.accountId };

    const gateways: Record<string, GatewayHandoff> = {};
    for (const gateway of config.gateways) {
        const access = new GatewayAccessRole(`bedrock-gateway-${gateway.name}`, { location, gateway, iamQuotas: config.iamQuotas });
        gateways[gateway.name] = { roleArn: access.roleArn, region: access.region, externalId: access.externalId };
    }
    return { gateways };
};
