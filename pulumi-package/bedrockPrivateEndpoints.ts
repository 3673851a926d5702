import * as pulumi from "@pulumi/pulumi";
import { declarePrivateEndpoints } from "../components/privateEndpoints/bedrockPrivateEndpoints";
import { validatePrivateEndpoints } from "../components/privateEndpoints/privateEndpointConfig";
import { PrincipalGrants, privateEndpointPolicies } from "../components/privateEndpoints/endpointPolicies";
import { ConfigIssue, describeValue } from "../components/config/configValidation";
import { PolicyDocument, policyJson } from "../components/iam/iamDocument";
import { ComponentArgsError, PACKAGE_NAME, afterValidation, awsLocationOf, invokeOptionsOf, plainArgs, quietly, relativeToArgs, withPreviousType } from "./componentArgs";

/** A principal the endpoints let through, with the identity policies that say what it may do there. */
export interface EndpointGrantArgs {
    /** The role's ARN. */
    principalArn: string;
    /** Its identity policies, as JSON documents: the endpoint policy allows exactly their Bedrock statements to this principal. */
    policyDocuments: string[];
}

/** The stack's `privateEndpoints` block, plus who may call through the endpoints (the stack derives it from all its roles). */
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
    /** The principals the endpoint policies let through. If not provided, none: the endpoints let no principal's Bedrock calls through. */
    grants?: EndpointGrantArgs[];
    /** Tags for the endpoints, beside `bedrock-access:endpoint`. If not provided, that tag only. */
    tags?: Record<string, string>;
}

/**
 * The grants of principals laid out by the stack (`stackPrincipalGrants`: every role's permission
 * documents) in the component's args form: the endpoint policies are built from all of them at once.
 */
export function endpointGrantArgs(principals: readonly PrincipalGrants[]): EndpointGrantArgs[] {
    return principals.map((principal) => ({ principalArn: principal.principalArn, policyDocuments: principal.documents.map(policyJson) }));
}

const TYPE = `${PACKAGE_NAME}:index:BedrockPrivateEndpoints`;
/** The token the stack's program registered its endpoints under before it used this class. */
const PREVIOUS_TYPE = "bedrock-access:network:BedrockPrivateEndpoints";

async function checkEndpoints(name: string, args: BedrockPrivateEndpointsArgs, opts: pulumi.ComponentResourceOptions | undefined) {
    const { grants, tags, ...block } = await plainArgs(args, TYPE, name);
    const location = await awsLocationOf(invokeOptionsOf(opts));
    const validated = validatePrivateEndpoints(block);
    const issues: ConfigIssue[] = relativeToArgs(validated.issues, "privateEndpoints");
    const principals: PrincipalGrants[] = [];
    (Array.isArray(grants) ? (grants as { principalArn?: unknown; policyDocuments?: unknown[] }[]) : []).forEach((grant, index) => {
        const documents: PolicyDocument[] = [];
        (grant.policyDocuments ?? []).forEach((text, documentIndex) => {
            try {
                documents.push(JSON.parse(String(text)) as PolicyDocument);
            } catch {
                issues.push({ path: `grants[${index}].policyDocuments[${documentIndex}]`, value: describeValue(text, false), rule: "must be an IAM policy document as JSON" });
            }
        });
        principals.push({ principalArn: String(grant.principalArn), documents });
    });
    if (issues.length > 0 || !validated.value) throw new ComponentArgsError(TYPE, name, issues);
    const built = privateEndpointPolicies(validated.value, principals);
    if (built.issues.length > 0) throw new ComponentArgsError(TYPE, name, relativeToArgs(built.issues, "privateEndpoints"));
    return { location, endpoints: validated.value, policies: built.policies, tags: tags as Record<string, string> | undefined };
}

/**
 * Interface VPC endpoints for Bedrock's services, each with a policy that lets through only the
 * listed principals' own Bedrock grants: the stack's `privateEndpoints` block as a component.
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
