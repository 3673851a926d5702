import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as lambda from "@pulumi/aws/lambda";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { AwsLocation } from "../arns/bedrockArns";
import { DEFAULT_IAM_QUOTAS, IamQuotas } from "../iam/iamQuotas";
import { PolicyDocument, policyJson } from "../iam/iamDocument";
import { attachPermissionLayout } from "../iam/permissionAttachments";
import { PermissionLayout } from "../iam/permissionLayout";
import { ServiceRoleSpec, serviceRoleName } from "./serviceRoleConfig";
import { BEDROCK_SERVICE_PRINCIPAL, serviceKeyPolicy, serviceRolePermissionLayout, serviceSourceArn, serviceTrustPolicy } from "./serviceRolePolicies";

export interface BedrockServiceRoleArgs {
    /** The stack's partition, region and account: the trust conditions and every ARN are built from them. */
    readonly location: AwsLocation;
    /** One validated entry of `serviceRoles.flows`, `.agents`, `.knowledgeBases`, `.modelCustomization` or `.batchInference`. */
    readonly role: ServiceRoleSpec;
    /** The account's IAM quotas. If not provided, AWS's defaults. */
    readonly iamQuotas?: IamQuotas;
    /** Tags for the role and its managed policies. If not provided, only `bedrock-access:service-role`. */
    readonly tags?: Readonly<Record<string, string>>;
    /**
     * The permission layout, when the stack has already computed it (`planStackPermissions`). If not
     * provided, it is laid out here from `role` and `iamQuotas`.
     */
    readonly permissions?: PermissionLayout;
    /** The managed policy every role created here carries as its permissions boundary. If not provided, the role has none. */
    readonly permissionsBoundary?: string;
}

/** A stable child-name suffix from what a resource points at, so adding one does not rename the others. */
function suffixOf(arn: string): string {
    return createHash("sha256").update(arn).digest("hex").slice(0, 8);
}

/** What one service role consists of, created under a parent component. */
export interface ServiceRoleResources {
    readonly roleArn: pulumi.Output<string>;
    readonly roleName: pulumi.Output<string>;
    readonly trustPolicy: PolicyDocument;
    readonly keyArn: pulumi.Output<string> | undefined;
    readonly permissions: PermissionLayout;
}

/**
 * Creates one service role (its key, its Lambda permissions) under `parent`: the one code path of
 * this stack's service roles and of the package's `BedrockServiceRole`.
 */
export function declareServiceRole(parent: pulumi.Resource, name: string, args: BedrockServiceRoleArgs): ServiceRoleResources {
    const { location, role } = args;
    const tags = { "bedrock-access:service-role": `${role.kind}/${role.name}`, ...args.tags };
    const trustPolicy = serviceTrustPolicy(location, role.kind);
    const permissions = args.permissions ?? layOut(parent, args);

    const iamRole = new iam.Role(
        name,
        {
            name: serviceRoleName(role, location.region),
            description: `Assumed by Amazon Bedrock for ${role.kind} '${role.name}' of this account`,
            assumeRolePolicy: policyJson(trustPolicy),
            ...(args.permissionsBoundary ? { permissionsBoundary: args.permissionsBoundary } : {}),
            tags,
        },
        { parent },
    );
    let keyArn: pulumi.Output<string> | undefined;
    if (role.createKey) {
        const roleArn = `arn:${location.partition}:iam::${location.accountId}:role/${serviceRoleName(role, location.region)}`;
        const key = new kms.Key(
            `${name}-key`,
            {
                description: `Encrypts Bedrock ${role.kind} resources of '${role.name}'`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: policyJson(serviceKeyPolicy(location, role, roleArn, { "bedrock-access:service-role": `${role.kind}/${role.name}` })),
                tags,
            },
            // What the key encrypts is unreadable without it: `pulumi destroy` leaves it.
            { parent, dependsOn: [iamRole], retainOnDelete: true },
        );
        keyArn = key.arn;
    }
    attachPermissionLayout(parent, `${name}-permissions`, iamRole.id, permissions, tags, serviceRoleName(role, location.region));

    for (const arnOf of role.lambdaFunctions) {
        const functionArn = arnOf(location);
        new lambda.Permission(
            `${name}-lambda-${suffixOf(functionArn)}`,
            {
                action: "lambda:InvokeFunction",
                function: functionArn,
                principal: BEDROCK_SERVICE_PRINCIPAL,
                sourceAccount: location.accountId,
                sourceArn: serviceSourceArn(location, role.kind),
            },
            { parent },
        );
    }
    return { roleArn: iamRole.arn, roleName: iamRole.name, trustPolicy, keyArn, permissions };
}

function layOut(parent: pulumi.Resource, args: BedrockServiceRoleArgs): PermissionLayout {
    const layout = serviceRolePermissionLayout(args.location, args.role, args.iamQuotas ?? DEFAULT_IAM_QUOTAS);
    if (!layout.ok) throw new pulumi.ResourceError(`the permissions of ${args.role.kind} role ${args.role.name} exceed IAM's quotas`, parent);
    return layout.layout;
}

/**
 * A role Amazon Bedrock assumes for one flow, agent, knowledge base, customization or batch inference job: trusted
 * only by Bedrock from this account for this kind of resource in this region, allowed exactly what
 * the entry lists, plus the Lambda permissions that let Bedrock invoke the listed functions.
 */
export class BedrockServiceRole extends pulumi.ComponentResource {
    public readonly roleArn: pulumi.Output<string>;
    public readonly roleName: pulumi.Output<string>;
    public readonly trustPolicy: PolicyDocument;
    /** The created key's ARN, with `createKey`; otherwise undefined. */
    public readonly keyArn: pulumi.Output<string> | undefined;
    public readonly permissions: PermissionLayout;

    constructor(name: string, args: BedrockServiceRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bedrock-access:service:BedrockServiceRole", name, {}, opts);
        const role = declareServiceRole(this, name, args);
        this.roleArn = role.roleArn;
        this.roleName = role.roleName;
        this.trustPolicy = role.trustPolicy;
        this.keyArn = role.keyArn;
        this.permissions = role.permissions;
        this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName, keyArn: this.keyArn });
    }
}
