/**
 * Pure builders of the deployment role's trust policy: one CI identity provider's audience and
 * subject pinned exactly (repository and branch or environment; organization, project and stack),
 * or one role of a central deployment account with an external ID.
 */
import { AwsLocation } from "../components/arns/bedrockArns";
import { PolicyDocument, policyDocument } from "../components/iam/iamDocument";
import { DeployerTrust } from "./bootstrapConfig";

/** An OIDC identity provider: its issuer host (the IAM condition-key prefix) and the audience its tokens carry. */
export interface OidcIssuer {
    readonly host: string;
    readonly audience: string;
}

export const GITHUB_ACTIONS_HOST = "token.actions.githubusercontent.com";
export const PULUMI_OIDC_HOST = "api.pulumi.com/oidc";

/** The issuer of an OIDC trust; undefined for a central account. */
export function oidcIssuerOf(trust: DeployerTrust): OidcIssuer | undefined {
    switch (trust.kind) {
        case "github":
            return { host: GITHUB_ACTIONS_HOST, audience: "sts.amazonaws.com" };
        case "pulumi-deployments":
            // Pulumi Deployments' tokens carry the organization's name as audience.
            return { host: PULUMI_OIDC_HOST, audience: trust.organization };
        case "pulumi-esc":
            // ESC's aws-login tokens carry `aws:<organization>`.
            return { host: PULUMI_OIDC_HOST, audience: `aws:${trust.organization}` };
        case "central-account":
            return undefined;
    }
}

export function oidcProviderArn(location: AwsLocation, issuer: OidcIssuer): string {
    return `arn:${location.partition}:iam::${location.accountId}:oidc-provider/${issuer.host}`;
}

/** The subject condition: exact, except Pulumi Deployments' operation (preview, update, refresh, destroy all run the stack). */
function subjectCondition(trust: DeployerTrust): { operator: "StringEquals" | "StringLike"; subject: string } {
    switch (trust.kind) {
        case "github":
            return {
                operator: "StringEquals",
                subject: "branch" in trust.ref ? `repo:${trust.repository}:ref:refs/heads/${trust.ref.branch}` : `repo:${trust.repository}:environment:${trust.ref.environment}`,
            };
        case "pulumi-deployments":
            return { operator: "StringLike", subject: `pulumi:deploy:org:${trust.organization}:project:${trust.project}:stack:${trust.stack}:operation:*:scope:write` };
        case "pulumi-esc":
            return { operator: "StringEquals", subject: `pulumi:environments:org:${trust.organization}:env:${trust.environment}` };
        case "central-account":
            throw new Error("a central account has no OIDC subject");
    }
}

export function deployerTrustPolicy(location: AwsLocation, trust: DeployerTrust): PolicyDocument {
    if (trust.kind === "central-account") {
        return policyDocument([
            {
                Sid: "CentralDeploymentRoleWithExternalId",
                Effect: "Allow",
                Principal: { AWS: trust.roleArn },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "sts:ExternalId": trust.externalId } },
            },
        ]);
    }
    const issuer = oidcIssuerOf(trust) as OidcIssuer;
    const { operator, subject } = subjectCondition(trust);
    const audience = { [`${issuer.host}:aud`]: issuer.audience };
    const subjectPin = { [`${issuer.host}:sub`]: subject };
    return policyDocument([
        {
            Sid: "PipelineWithPinnedSubject",
            Effect: "Allow",
            Principal: { Federated: oidcProviderArn(location, issuer) },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: operator === "StringEquals" ? { StringEquals: { ...audience, ...subjectPin } } : { StringEquals: audience, StringLike: subjectPin },
        },
    ]);
}
