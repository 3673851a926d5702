import * as pulumi from "@pulumi/pulumi";
import { declarePrivateEndpoints } from "../components/privateEndpoints/bedrockPrivateEndpoints";
import { validatePrivateEndpoints } from "../components/privateEndpoints/privateEndpointConfig";
import { privateEndpointPolicies } from "../components/privateEndpoints/endpointPolicies";
import { ConfigIssue } from "../components/config/configValidation";
import { ComponentArgsError, PACKAGE_NAME, afterValidation, awsLocationOf, invokeOptionsOf, plainArgs, quietly, relativeToArgs, withPreviousType } from "./componentArgs";

/** The stack's `privateEndpoints` block: each endpoint's policy is the stack's data perimeter. */
export interface BedrockPrivateEndpointsArgs {
    /** The VPC (vpc-...). */
    vpcId: string;
    /** One subnet per Availability Zone is usual (subnet-...). */
    subnetIds: string[];
    /** Security groups of the endpoints' network interfaces (sg-...). */
    securityGroupIds: string[];
    /** `bedrock-runtime`, `bedrock-agent-runtime`, `bedrock`, `bedrock-agent`. */
    services: string[];
    /** Private DNS names for the endpoints. If not provided, true. */
    privateDns?: boolean;
    /** The organization (o-...) whose principals the endpoints admit. If not provided, the principals of the provider's account only. */
    organizationId?: string;
    /** IAM role ARNs the endpoints also admit, whatever their account. If not provided, none. */
    allowedPrincipals?: string[];
    /** Tags for the endpoints, beside `bedrock-access:endpoint`. If not provided, that tag only. */
    tags?: Record<string, string>;
}

const TYPE = `${PACKAGE_NAME}:index:BedrockPrivateEndpoints`;
/** The token the stack's program registered its endpoints under before it used this class. */
const PREVIOUS_TYPE = "bedrock-access:network:BedrockPrivateEndpoints";

async function checkEndpoints(name: string, args: BedrockPrivateEndpointsArgs, opts: pulumi.ComponentResourceOptions | undefined) {
    const { tags, ...block } = await plainArgs(args, TYPE, name);
    const location = await awsLocationOf(invokeOptionsOf(opts));
    const validated = validatePrivateEndpoints(block, "privateEndpoints", location.partition);
    const issues: ConfigIssue[] = relativeToArgs(validated.issues, "privateEndpoints");
    if (issues.length > 0 || !validated.value) throw new ComponentArgsError(TYPE, name, issues);
    const built = privateEndpointPolicies(validated.value, location);
    if (built.issues.length > 0) throw new ComponentArgsError(TYPE, name, relativeToArgs(built.issues, "privateEndpoints"));
    return { location, endpoints: validated.value, policies: built.policies, tags: tags as Record<string, string> | undefined };
}

/**
 * Interface VPC endpoints for Bedrock's services, each with a data-perimeter policy (the account's or
 * organization's principals and the listed roles, to the account's resources and foundation models):
 * the stack's `privateEndpoints` block as a component.
 */
export class BedrockPrivateEndpoints extends pulumi.ComponentResource {
    /** VPC endpoint IDs by service. */
    public readonly endpointIds: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: BedrockPrivateEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
        const checked = quietly(checkEndpoints(name, args, opts));
        super(TYPE, name, {}, afterValidation(checked, withPreviousType(opts, PREVIOUS_TYPE)));
        const resources = quietly(checked.then(({ location, endpoints, policies, tags }) => declarePrivateEndpoints(this, name, { location, endpoints, policies, tags })));
        this.endpointIds = pulumi.output(resources.then((endpointIds) => pulumi.all(endpointIds)));
        this.registerOutputs({ endpointIds: this.endpointIds });
    }
}
