import * as pulumi from "@pulumi/pulumi";
import { AwsLocation } from "../components/arns/bedrockArns";
import { GatewaySpec, gatewayInvokeInput, gatewayPermissionsIssue, gatewayTrustSizeIssues, validateGateways } from "../components/gateway/gatewayConfig";
import { declareGatewayAccess } from "../components/gateway/gatewayAccessRole";
import { gatewayPermissionLayout } from "../components/gateway/gatewayPolicies";
import { PermissionLayout } from "../components/iam/permissionLayout";
import {
    ComponentArgsError,
    IamQuotasArgs,
    PACKAGE_NAME,
    PlannedRoleOptions,
    StackWideSettings,
    afterValidation,
    entryTags,
    awsLocationOf,
    invokeOptionsOf,
    plainArgs,
    quietly,
    relativeToArgs,
    resourceOptionsOf,
    stackWideSettings,
    withPreviousType,
} from "./componentArgs";

/** An application inference profile of a gateway, copying one of its models. */
export interface ApplicationProfileArgs {
    /** The profile's name: the model ID the gateway calls. */
    name: string;
    /** One of the gateway's `models`, as listed there. */
    copyFrom: string;
    /** Cost allocation tags of the profile, beside the gateway's. If not provided, none. */
    costTags?: Record<string, string>;
}

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
    /** Invoke only with one of `guardrails` (each with its version, ID:1) applied: the invoke grants carry `bedrock:GuardrailIdentifier`. If not provided, false. */
    requireGuardrail?: boolean;
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
    /** Cost allocation tags for the role and its managed policies (and the stack's application profiles and Mantle projects of the gateway). If not provided, none. */
    costTags?: Record<string, string>;
    /**
     * Application inference profiles of the gateway (`{name, copyFrom, costTags}`): the role may invoke them through their
     * owner tag. The stack creates them (`ApplicationInferenceProfiles`); this component grants their use. If not provided, none.
     */
    applicationProfiles?: ApplicationProfileArgs[];
    /** The ARN of the customer managed policy the new role carries as its permissions boundary (the stack's `permissionsBoundary`). If not provided, none. */
    permissionsBoundary?: string;
    /** IAM quotas the account has raised (the stack's `iamQuotas`). If not provided, AWS's defaults. */
    iamQuotas?: IamQuotasArgs;
    /** Tags for the role and its managed policies, beside `bedrock-access:gateway`. If not provided, that tag only. */
    tags?: Record<string, string>;
}

const TYPE = `${PACKAGE_NAME}:index:GatewayAccessRole`;
/** The token the stack's program registered gateways under before it used this class. */
const PREVIOUS_TYPE = "bedrock-access:gateway:GatewayAccessRole";

interface CheckedGateway {
    readonly location: AwsLocation;
    readonly gateway: GatewaySpec;
    readonly permissions: PermissionLayout;
    readonly settings: StackWideSettings;
}

/** The stack's rules for one `gateways` entry, its trust-policy quota and its permissions within IAM's quotas. */
async function checkGateway(name: string, args: GatewayAccessRoleArgs, opts: PlannedRoleOptions | undefined): Promise<CheckedGateway> {
    const resolved = await plainArgs(args, TYPE, name);
    const location = await awsLocationOf(invokeOptionsOf(opts));
    const { entry, settings, issues } = stackWideSettings(resolved, location.partition);
    const validated = validateGateways([entry], location.partition, "gateways");
    const refuse = (found: readonly { path: string; value: string; rule: string }[]) => new ComponentArgsError(TYPE, name, relativeToArgs(found, "gateways[0]"));
    if (issues.length > 0 || validated.issues.length > 0) throw refuse([...validated.issues, ...issues]);
    const gateway = validated.value[0];
    const trustIssues = gatewayTrustSizeIssues([gateway], settings.iamQuotas);
    if (trustIssues.length > 0) throw refuse(trustIssues);
    if (opts?.plannedPermissions) return { location, gateway, permissions: opts.plannedPermissions, settings };
    const layout = gatewayPermissionLayout(gatewayInvokeInput(location, gateway), settings.iamQuotas);
    if (!layout.ok) throw refuse([gatewayPermissionsIssue(gateway, 0, location, settings.iamQuotas)]);
    return { location, gateway, permissions: layout.layout, settings };
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

    constructor(name: string, args: GatewayAccessRoleArgs, opts?: PlannedRoleOptions) {
        const checked = quietly(checkGateway(name, args, opts));
        super(TYPE, name, {}, afterValidation(checked, withPreviousType(resourceOptionsOf(opts), PREVIOUS_TYPE)));
        const resources = quietly(
            checked.then(({ location, gateway, permissions, settings }) =>
                declareGatewayAccess(this, name, { location, gateway, permissions, permissionsBoundary: settings.permissionsBoundary, tags: entryTags(gateway.costTags, settings.tags) }),
            ),
        );
        this.roleArn = pulumi.output(resources.then((role) => role.roleArn));
        this.roleName = pulumi.output(resources.then((role) => role.roleName));
        this.region = pulumi.output(checked.then(({ location }) => location.region));
        this.externalId = pulumi.secret(resources.then((role) => role.externalId));
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName, region: this.region, externalId: this.externalId });
    }
}
