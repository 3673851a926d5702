import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsLocation } from "../arns/bedrockArns";
import { DEFAULT_IAM_QUOTAS, IamQuotas } from "../iam/iamQuotas";
import { PolicyDocument, policyJson } from "../iam/iamDocument";
import { attachPermissionLayout } from "../iam/permissionAttachments";
import { PermissionLayout } from "../iam/permissionLayout";
import { AgentCoreRoleSpec, agentCoreRoleName } from "./agentCoreConfig";
import { agentCorePermissionLayout, agentCoreTrustPolicy } from "./agentCorePolicies";

export interface AgentCoreRoleArgs {
    /** The stack's partition, region and account: the trust conditions and every ARN are built from them. */
    readonly location: AwsLocation;
    /** One validated entry of `serviceRoles.agentRuntimes`, `.agentGateways` or `.agentMemories`. */
    readonly role: AgentCoreRoleSpec;
    /** The account's IAM quotas. If not provided, AWS's defaults. */
    readonly iamQuotas?: IamQuotas;
    /** Tags for the role and its managed policies. If not provided, only `bedrock-access:agentcore-role`. */
    readonly tags?: Readonly<Record<string, string>>;
    /** The permission layout, when the stack has computed it (`planStackPermissions`). If not provided, laid out here. */
    readonly permissions?: PermissionLayout;
    /** The managed policy the role carries as its permissions boundary. If not provided, the role has none. */
    readonly permissionsBoundary?: string;
}

const DESCRIPTION = {
    agentRuntimes: "the execution role of AgentCore runtime",
    agentGateways: "the service role of AgentCore gateway",
    agentMemories: "the execution role of AgentCore memory",
} as const;

/**
 * A role Amazon Bedrock AgentCore assumes for one runtime, gateway or memory of this account: trusted
 * only by bedrock-agentcore.amazonaws.com for that one resource, allowed exactly what the entry lists.
 * The role is an `aws.iam.Role` written like the Bedrock service roles', so stack-wide role settings reach it.
 */
export class AgentCoreRole extends pulumi.ComponentResource {
    /** The ARN to give AgentCore (`roleArn` of the runtime or gateway, `memoryExecutionRoleArn` of the memory). */
    public readonly roleArn: pulumi.Output<string>;
    public readonly roleName: pulumi.Output<string>;
    public readonly trustPolicy: PolicyDocument;
    public readonly permissions: PermissionLayout;

    constructor(name: string, args: AgentCoreRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bedrock-access:agentcore:AgentCoreRole", name, {}, opts);
        const { location, role } = args;
        const tags = { "bedrock-access:agentcore-role": `${role.kind}/${role.name}`, ...args.tags };
        const roleName = agentCoreRoleName(role, location.region);
        this.trustPolicy = agentCoreTrustPolicy(location, role);
        this.permissions = args.permissions ?? this.layOut(args);
        const iamRole = new aws.iam.Role(
            name,
            {
                name: roleName,
                description: `Assumed by Amazon Bedrock AgentCore as ${DESCRIPTION[role.kind]} '${role.name}' of this account`,
                assumeRolePolicy: policyJson(this.trustPolicy),
                ...(args.permissionsBoundary ? { permissionsBoundary: args.permissionsBoundary } : {}),
                tags,
            },
            { parent: this },
        );
        this.roleArn = iamRole.arn;
        this.roleName = iamRole.name;
        attachPermissionLayout(this, `${name}-permissions`, iamRole.id, this.permissions, tags, roleName);
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
    }

    private layOut(args: AgentCoreRoleArgs): PermissionLayout {
        const layout = agentCorePermissionLayout(args.location, args.role, args.iamQuotas ?? DEFAULT_IAM_QUOTAS);
        if (!layout.ok) throw new pulumi.ResourceError(`the permissions of ${args.role.kind} role ${args.role.name} exceed IAM's quotas`, this);
        return layout.layout;
    }
}
