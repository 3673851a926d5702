import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import { AwsLocation } from "../arns/bedrockArns";
import { PolicyDocument, policyJson } from "../iam/iamDocument";
import { EndpointService, PrivateEndpointsSpec } from "./privateEndpointConfig";

export interface BedrockPrivateEndpointsArgs {
    /** The stack's partition, region and account. */
    readonly location: AwsLocation;
    /** The validated `privateEndpoints` configuration. */
    readonly endpoints: PrivateEndpointsSpec;
    /** The policy of each listed service's endpoint, from `endpointPolicy`. */
    readonly policies: Readonly<Partial<Record<EndpointService, PolicyDocument>>>;
    /** Tags for the endpoints. If not provided, only `bedrock-access:endpoint`. */
    readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Creates the endpoints under `parent`, returning their IDs by service: the one code path of this
 * stack's endpoints and of the package's `BedrockPrivateEndpoints`.
 */
export function declarePrivateEndpoints(parent: pulumi.Resource, name: string, args: BedrockPrivateEndpointsArgs): Record<string, pulumi.Output<string>> {
    const endpointIds: Record<string, pulumi.Output<string>> = {};
    for (const service of args.endpoints.services) {
        const policy = args.policies[service];
        if (!policy) throw new pulumi.ResourceError(`no endpoint policy was given for ${service}`, parent);
        const endpoint = new ec2.VpcEndpoint(
            `${name}-${service}`,
            {
                vpcId: args.endpoints.vpcId,
                serviceName: `com.amazonaws.${args.location.region}.${service}`,
                vpcEndpointType: "Interface",
                subnetIds: [...args.endpoints.subnetIds],
                securityGroupIds: [...args.endpoints.securityGroupIds],
                privateDnsEnabled: args.endpoints.privateDns,
                policy: policyJson(policy),
                tags: { "bedrock-access:endpoint": service, ...args.tags },
            },
            { parent },
        );
        endpointIds[service] = endpoint.id;
    }
    return endpointIds;
}

/** Interface VPC endpoints for Bedrock's APIs, each with a policy naming the stack's principals and resources. */
export class BedrockPrivateEndpoints extends pulumi.ComponentResource {
    /** Endpoint IDs by service. */
    public readonly endpointIds: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: BedrockPrivateEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bedrock-access:network:BedrockPrivateEndpoints", name, {}, opts);
        this.endpointIds = declarePrivateEndpoints(this, name, args);
        this.registerOutputs({ endpointIds: this.endpointIds });
    }
}
