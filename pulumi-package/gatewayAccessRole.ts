import * as pulumi from "@pulumi/pulumi";
import { AwsLocation } from "../components/arns/bedrockArns";
import { GatewaySpec, gatewayInvokeInput, gatewayPermissionsIssue, gatewayTrustSizeIssues, validateGateways } from "../components/gateway/gatewayConfig";
import { GatewayAccessRole as GatewayAccessRoleResources } from "../components/gateway/gatewayAccessRole";
import { gatewayPermissionLayout } from "../components/gateway/gatewayPolicies";
import { DEFAULT_IAM_QUOTAS } from "../components/iam/iamQuotas";
import { PermissionLayout } from "../components/iam/permissionLayout";
import { ComponentArgsError, PACKAGE_NAME, afterValidation, awsLocationOf, invokeOptionsOf, plainArgs, quietly, relativeToArgs } from "./componentArgs";

/** One LLM gateway: the keys of one entry of the stack's `gateways` configuration. */
export interface GatewayAccessRoleArgs {
    /** The gateway's name (1 to 32 characters of a-z, 0-9 and -); the role is `bedrock-gateway-<name>-<region>`. */
    name: string;
    /** The gateway's principal ARNs, allowed to assume the new role with the external ID. Required unless `attachToRole` is set. */
    trustedPrincipals?: string[];
    /** The external ID the gateway sends (STS's rule: 2 to 1224 of letters, digits and _+=,.@:/-). Pass it as a secret: the trust policy stays secret. Required with `trustedPrincipals`. */
    externalId?: pulumi.Input<string>;
    /** The name of an existing role of this account to attach the invoke policy to, instead of creating a role. */
    attachToRole?: string;
    /** Model IDs, cross-region profile IDs or ARNs the gateway may invoke. */
    models: string[];
    /** Guardrail IDs or ARNs the gateway may apply. If not provided, none. */
    guardrails?: string[];
    /** Whether the streaming invoke actions are granted. If not provided, true. */
    streaming?: boolean;
    /** The new role's maximum session, 3600 to 43200 seconds. If not provided, 3600. */
    maxSessionDurationSeconds?: number;
    /** The Bedrock APIs the gateway calls: `runtime` and/or `mantle`. If not provided, `runtime`. */
    apis?: string[];
    /** bedrock-mantle projects the gateway calls in (only with `mantle`). If not provided, `default`. */
    mantleProjects?: string[];
    /** Model names as bedrock-mantle takes them (only with `mantle`). If not provided, derived from `models`. */
    mantleModels?: string[];
    /** AWS Marketplace product IDs the gateway's first call may subscribe the account to. If not provided, none. */
    marketplaceProductIds?: string[];
    /** AgentCore runtime ARNs the gateway may invoke. If not provided, none. */
    agentRuntimes?: string[];
}

const TYPE = `${PACKAGE_NAME}:index:GatewayAccessRole`;

interface CheckedGateway {
    readonly location: AwsLocation;
    readonly gateway: GatewaySpec;
    readonly permissions: PermissionLayout;
}

/** The stack's rules for one `gateways` entry, its trust-policy quota and its permissions within IAM's quotas. */
async function checkGateway(name: string, args: GatewayAccessRoleArgs, opts: pulumi.ComponentResourceOptions | undefined): Promise<CheckedGateway> {
    const entry = await plainArgs(args, TYPE, name);
    const location = await awsLocationOf(invokeOptionsOf(opts));
    const validated = validateGateways([entry], location.partition, "gateways");
    const refuse = (issues: readonly { path: string; value: string; rule: string }[]) => new ComponentArgsError(TYPE, name, relativeToArgs(issues, "gateways[0]"));
    if (validated.issues.length > 0) throw refuse(validated.issues);
    const gateway = validated.value[0];
    const trustIssues = gatewayTrustSizeIssues([gateway], DEFAULT_IAM_QUOTAS);
    if (trustIssues.length > 0) throw refuse(trustIssues);
    const layout = gatewayPermissionLayout(gatewayInvokeInput(location, gateway), DEFAULT_IAM_QUOTAS);
    if (!layout.ok) throw refuse([gatewayPermissionsIssue(gateway, 0, location, DEFAULT_IAM_QUOTAS)]);
    return { location, gateway, permissions: layout.layout };
}

/**
 * The IAM access one LLM gateway (Portkey, Port, LiteLLM...) needs to call Bedrock: a role it assumes
 * with an external ID, or an existing role of this account, plus an inline policy that invokes exactly
 * the listed models and applies exactly the listed guardrails. The same documents as the stack writes.
 */
export class GatewayAccessRole extends pulumi.ComponentResource {
    /** The ARN to hand to the gateway as its Bedrock role. */
    public readonly roleArn: pulumi.Output<string>;
    /** The role's name. */
    public readonly roleName: pulumi.Output<string>;
    /** The region the gateway must call Bedrock in. */
    public readonly region: pulumi.Output<string>;
    /** The external ID the gateway must send, as a secret; not set with `attachToRole`. */
    public readonly externalId: pulumi.Output<string | undefined>;

    constructor(name: string, args: GatewayAccessRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        const checked = quietly(checkGateway(name, args, opts));
        super(TYPE, name, {}, afterValidation(checked, opts));
        const resources = quietly(
            checked.then(({ location, gateway, permissions }) => new GatewayAccessRoleResources(name, { location, gateway, permissions }, { parent: this })),
        );
        this.roleArn = pulumi.output(resources.then((role) => role.roleArn));
        this.roleName = pulumi.output(resources.then((role) => role.roleName));
        this.region = pulumi.output(checked.then(({ location }) => location.region));
        this.externalId = pulumi.secret(resources.then((role) => role.externalId));
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName, region: this.region, externalId: this.externalId });
    }
}
