import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsLocation } from "../components/arns/bedrockArns";
import { PolicyDocument, policyJson } from "../components/iam/iamDocument";
import { DeployerTrust } from "./bootstrapConfig";
import { deployerTrustPolicy, oidcIssuerOf } from "./deployerTrust";

export interface DeploymentRoleArgs {
    /** The target account's partition, region and account. */
    readonly location: AwsLocation;
    /** The role's IAM name. */
    readonly roleName: string;
    /** The main project's stack the role runs: a tag, and part of each policy's description. */
    readonly stack: string;
    readonly trust: DeployerTrust;
    /** The deployer policy of that stack (`npm run deployer-policy -- --format json`), one managed policy each. */
    readonly policies: readonly PolicyDocument[];
    readonly maxSessionDurationSeconds: number;
    /** Tags for the role, its policies and the provider. If not provided, only `bedrock-access:deployer`. */
    readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The role a pipeline assumes to run `pulumi preview`, `up` and `destroy` for one stack: trusted by
 * one pinned OIDC subject or one central role with an external ID, holding exactly that stack's
 * deployer policy as managed policies with fixed names. Creates the OIDC provider when asked.
 */
export class DeploymentRole extends pulumi.ComponentResource {
    public readonly roleArn: pulumi.Output<string>;
    public readonly trustPolicy: PolicyDocument;
    /** The created OIDC provider's ARN, with `createProvider`; otherwise undefined. */
    public readonly oidcProviderArn: pulumi.Output<string> | undefined;

    constructor(name: string, args: DeploymentRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bedrock-access:bootstrap:DeploymentRole", name, {}, opts);
        const { location, trust } = args;
        const tags = { "bedrock-access:deployer": args.stack, ...args.tags };
        this.trustPolicy = deployerTrustPolicy(location, trust);

        const issuer = oidcIssuerOf(trust);
        const provider =
            issuer && trust.kind !== "central-account" && trust.createProvider
                ? new aws.iam.OpenIdConnectProvider(`${name}-oidc`, { url: `https://${issuer.host}`, clientIdLists: [issuer.audience], tags }, { parent: this })
                : undefined;
        this.oidcProviderArn = provider?.arn;

        const role = new aws.iam.Role(
            name,
            {
                name: args.roleName,
                description: `Runs pulumi preview, up and destroy for stack ${args.stack} of bedrock-access`,
                // With a central account the trust carries the external ID: stored and shown as a secret.
                assumeRolePolicy: trust.kind === "central-account" ? pulumi.secret(policyJson(this.trustPolicy)) : policyJson(this.trustPolicy),
                maxSessionDuration: args.maxSessionDurationSeconds,
                tags,
            },
            // The trust names the provider by its ARN (known before it exists): create it first.
            { parent: this, ...(provider ? { dependsOn: [provider] } : {}) },
        );
        this.roleArn = role.arn;
        args.policies.forEach((document, index) => {
            const policy = new aws.iam.Policy(
                `${name}-${index + 1}`,
                {
                    name: `${args.roleName}-${index + 1}`,
                    description: `Deployer policy ${index + 1} of ${args.policies.length} for stack ${args.stack} of bedrock-access`,
                    policy: policyJson(document),
                    tags,
                },
                { parent: this },
            );
            new aws.iam.RolePolicyAttachment(`${name}-${index + 1}`, { role: role.name, policyArn: policy.arn }, { parent: this });
        });
        this.registerOutputs({ roleArn: this.roleArn, oidcProviderArn: this.oidcProviderArn });
    }
}
