import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { AwsLocation } from "../arns/bedrockArns";
import { GatewaySpec, gatewayInvokeInput, gatewayRoleName } from "./gatewayConfig";
import { gatewayPermissionLayout, gatewayTrustPolicy } from "./gatewayPolicies";
import { DEFAULT_IAM_QUOTAS, IamQuotas } from "../iam/iamQuotas";
import { PolicyDocument, policyJson } from "../iam/iamDocument";
import { attachPermissionLayout } from "../iam/permissionAttachments";
import { PermissionLayout } from "../iam/permissionLayout";

export interface GatewayAccessRoleArgs {
    /** The stack's partition, region and account: every ARN in the documents is built from them. */
    readonly location: AwsLocation;
    /** One validated entry of the `gateways` configuration. */
    readonly gateway: GatewaySpec;
    /** Tags for the role and its managed policies. If not provided, only the `bedrock-access:gateway` tag is set. */
    readonly tags?: Readonly<Record<string, string>>;
    /** The account's IAM quotas. If not provided, AWS's defaults. */
    readonly iamQuotas?: IamQuotas;
    /**
     * The permission layout, when the stack has already computed it (`planStackPermissions`). If not
     * provided, it is laid out here from `gateway` and `iamQuotas`.
     */
    readonly permissions?: PermissionLayout;
    /** The managed policy every role created here carries as its permissions boundary. If not provided, the role has none. */
    readonly permissionsBoundary?: string;
}

/** What one gateway's access consists of, created under a parent component. */
export interface GatewayAccessResources {
    readonly roleArn: pulumi.Output<string>;
    readonly roleName: pulumi.Output<string>;
    readonly externalId: pulumi.Output<string> | undefined;
    readonly trustPolicy: PolicyDocument | undefined;
    readonly permissions: PermissionLayout;
}

/**
 * Creates one gateway's role (or writes into its existing role) under `parent`: the one code path of
 * this stack's gateways and of the package's `GatewayAccessRole`.
 */
export function declareGatewayAccess(parent: pulumi.Resource, name: string, args: GatewayAccessRoleArgs): GatewayAccessResources {
    const { gateway, location } = args;
    const tags = { "bedrock-access:gateway": gateway.name, ...args.tags };
    const permissions = args.permissions ?? layOut(parent, args);

    if (gateway.access.kind === "assume-role") {
        const access = gateway.access;
        const trustPolicy = gatewayTrustPolicy({
            trustedPrincipals: access.trustedPrincipals.map((principal) => principal.arn),
            externalId: access.externalId,
        });
        const role = new iam.Role(
            name,
            {
                // A fixed name: its ARN is known at preview, so a gateway can be configured and an
                // endpoint policy can name it before anything exists.
                name: gatewayRoleName(gateway.name, location.region),
                description: `Assumed by the ${gateway.name} LLM gateway to invoke its listed Bedrock models`,
                // The trust policy carries the external ID: it is stored and shown as a secret.
                assumeRolePolicy: pulumi.secret(policyJson(trustPolicy)),
                maxSessionDuration: access.maxSessionDurationSeconds,
                ...(args.permissionsBoundary ? { permissionsBoundary: args.permissionsBoundary } : {}),
                tags,
            },
            { parent },
        );
        attachPermissionLayout(parent, `${name}-invoke`, role.id, permissions, tags, gatewayRoleName(gateway.name, location.region));
        return { roleArn: role.arn, roleName: role.name, externalId: pulumi.secret(access.externalId), trustPolicy, permissions };
    }
    const existingRole = iam.getRoleOutput({ name: gateway.access.roleName }, { parent });
    attachPermissionLayout(parent, `${name}-invoke`, gateway.access.roleName, permissions, tags, gatewayRoleName(gateway.name, location.region));
    return { roleArn: existingRole.arn, roleName: pulumi.output(gateway.access.roleName), externalId: undefined, trustPolicy: undefined, permissions };
}

function layOut(parent: pulumi.Resource, args: GatewayAccessRoleArgs): PermissionLayout {
    const layout = gatewayPermissionLayout(gatewayInvokeInput(args.location, args.gateway), args.iamQuotas ?? DEFAULT_IAM_QUOTAS);
    if (!layout.ok) throw new pulumi.ResourceError(`the permissions of gateway ${args.gateway.name} exceed IAM's quotas`, parent);
    return layout.layout;
}

/**
 * The IAM access one LLM gateway (Portkey, Port, LiteLLM...) needs to call Bedrock: a role it
 * assumes with an external ID, or an existing role of this account, plus an inline policy that
 * invokes exactly the listed models and applies exactly the listed guardrails.
 *
 * Both documents are plain values when the component is constructed, so `pulumi preview` (and
 * the policy pack) sees them in full before anything exists.
 */
export class GatewayAccessRole extends pulumi.ComponentResource {
    /** The ARN to hand to the gateway as its Bedrock role. */
    public readonly roleArn: pulumi.Output<string>;
    /** The role's name. */
    public readonly roleName: pulumi.Output<string>;
    /** The region the gateway must call Bedrock in. */
    public readonly region: string;
    /** The external ID the gateway must send, as a secret; undefined with `attachToRole`. */
    public readonly externalId: pulumi.Output<string> | undefined;
    /** The trust policy written on the new role; undefined with `attachToRole`. */
    public readonly trustPolicy: PolicyDocument | undefined;
    /** The permissions: one inline policy, or managed policies (and an inline overflow) when they do not fit in one. */
    public readonly permissions: PermissionLayout;

    constructor(name: string, args: GatewayAccessRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bedrock-access:gateway:GatewayAccessRole", name, {}, opts);
        const access = declareGatewayAccess(this, name, args);
        this.region = args.location.region;
        this.roleArn = access.roleArn;
        this.roleName = access.roleName;
        this.externalId = access.externalId;
        this.trustPolicy = access.trustPolicy;
        this.permissions = access.permissions;
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName, externalId: this.externalId });
    }
}
