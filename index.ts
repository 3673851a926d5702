/**
 * The Pulumi program: one stack per AWS account and region. It validates the whole stack
 * configuration first (nothing is registered when any key is wrong), then creates each gateway's
 * access role and each Bedrock service role.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsLocation } from "./components/bedrockArns";
import { BedrockServiceRole } from "./components/bedrockServiceRole";
import { GatewayAccessRole } from "./components/gatewayAccessRole";
import { SERVICE_ROLE_SLUG } from "./components/serviceRoleConfig";
import { readStackConfig } from "./components/stackConfig";

/** What a user hands to each gateway (Portkey virtual key, Port provider, LiteLLM settings). */
interface GatewayHandoff {
    readonly roleArn: pulumi.Output<string>;
    readonly region: string;
    readonly externalId: pulumi.Output<string> | undefined;
}

interface ServiceRoleHandoff {
    readonly roleArn: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string> | undefined;
}

interface StackOutputs {
    readonly gateways: Record<string, GatewayHandoff>;
    /** Service role ARNs (and created key ARNs) by kind and name: what to give Bedrock when creating the flow, agent, knowledge base or job. */
    readonly serviceRoles: Record<string, Record<string, ServiceRoleHandoff>>;
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
    const serviceRoles: Record<string, Record<string, ServiceRoleHandoff>> = {};
    for (const role of config.serviceRoles) {
        const serviceRole = new BedrockServiceRole(`bedrock-${SERVICE_ROLE_SLUG[role.kind]}-${role.name}`, { location, role, iamQuotas: config.iamQuotas });
        serviceRoles[role.kind] = { ...serviceRoles[role.kind], [role.name]: { roleArn: serviceRole.roleArn, keyArn: serviceRole.keyArn } };
    }
    return { gateways, serviceRoles };
};
