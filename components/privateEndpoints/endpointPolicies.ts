/**
 * Pure builders of VPC endpoint policies as a data perimeter (AWS's data-perimeter guidance): each
 * endpoint admits the principals of the stack's account (or of its organization) and the roles the
 * stack lists, to the resources of the stack's account and to AWS's foundation models. Which models
 * and resources a caller may use stays with its identity policy (and the organization's SCPs): the
 * endpoint policy restricts, it grants nothing. Its size does not grow with the stack's roles or models.
 */
import { AwsLocation } from "../arns/bedrockArns";
import { ConfigIssue } from "../config/configValidation";
import { PolicyConditions, PolicyDocument, PolicyStatement, policyDocument, policyJson } from "../iam/iamDocument";
import { iamPolicySize } from "../iam/iamQuotas";
import { EndpointService, PrivateEndpointsSpec } from "./privateEndpointConfig";

/** VPC endpoint policies hold at most 20,480 characters. */
export const ENDPOINT_POLICY_CHARACTERS = 20480;

/** What passes through a Bedrock endpoint: Bedrock's own actions (every endpoint of this stack serves one of Bedrock's APIs). */
export const ENDPOINT_ACTIONS = "bedrock:*";

/** Who and what the perimeter admits, from the stack's place and its `privateEndpoints` block. */
export interface EndpointPerimeter {
    readonly location: AwsLocation;
    /** Admit the organization's principals rather than only the account's. */
    readonly organizationId?: string;
    /** Roles admitted whatever their account. */
    readonly allowedPrincipals?: readonly string[];
}

/** AWS's foundation models, in every region and the region-less form `global.` profiles route to: resources of no account. */
export function foundationModelsArn(location: Pick<AwsLocation, "partition">): string {
    return `arn:${location.partition}:bedrock:*::foundation-model/*`;
}

/**
 * The endpoint policy: this account's (or organization's) principals and the listed roles, to this
 * account's resources (`aws:ResourceAccount`) and to foundation models. One policy for every
 * service: the endpoint's API already limits the actions to its own. Principals are `*` narrowed by
 * conditions, as AWS's endpoint-policy examples write them (roles by `aws:PrincipalArn`).
 */
export function perimeterEndpointPolicy(perimeter: EndpointPerimeter): PolicyDocument {
    const { location } = perimeter;
    const thisAccountsResources: PolicyConditions["StringEquals"] = { "aws:ResourceAccount": location.accountId };
    const principals: PolicyConditions["StringEquals"] = perimeter.organizationId
        ? { "aws:PrincipalOrgID": perimeter.organizationId }
        : { "aws:PrincipalAccount": location.accountId };
    const who = perimeter.organizationId ? "Organization" : "Account";
    const statements: PolicyStatement[] = [
        {
            Sid: `PrincipalsOfThis${who}ToThisAccountsResources`,
            Effect: "Allow",
            Principal: "*",
            Action: ENDPOINT_ACTIONS,
            Resource: "*",
            Condition: { StringEquals: { ...principals, ...thisAccountsResources } },
        },
        {
            // Account-level calls that name no resource (ListFoundationModels, PutModelInvocationLoggingConfiguration): should a request
            // carry no resource account, the caller's own account is what it acts on.
            Sid: `PrincipalsOfThis${who}ToAccountLevelCalls`,
            Effect: "Allow",
            Principal: "*",
            Action: ENDPOINT_ACTIONS,
            Resource: "*",
            Condition: { StringEquals: principals, Null: { "aws:ResourceAccount": "true" } },
        },
        {
            Sid: `PrincipalsOfThis${who}ToFoundationModels`,
            Effect: "Allow",
            Principal: "*",
            Action: ENDPOINT_ACTIONS,
            Resource: foundationModelsArn(location),
            Condition: { StringEquals: principals },
        },
    ];
    const listed = [...(perimeter.allowedPrincipals ?? [])];
    if (listed.length > 0) {
        statements.push(
            {
                Sid: "ListedRolesToThisAccountsResources",
                Effect: "Allow",
                Principal: "*",
                Action: ENDPOINT_ACTIONS,
                Resource: "*",
                Condition: { ArnEquals: { "aws:PrincipalArn": listed }, StringEquals: thisAccountsResources },
            },
            { Sid: "ListedRolesToFoundationModels", Effect: "Allow", Principal: "*", Action: ENDPOINT_ACTIONS, Resource: foundationModelsArn(location), Condition: { ArnEquals: { "aws:PrincipalArn": listed } } },
        );
    }
    return policyDocument(statements);
}

export function endpointPolicySize(document: PolicyDocument): number {
    return iamPolicySize(policyJson(document));
}

/**
 * Every endpoint's policy, or the issue of one too large for a VPC endpoint policy (only a very long
 * `allowedPrincipals` list can make it so). Computed before any resource is registered.
 */
export function privateEndpointPolicies(
    endpoints: PrivateEndpointsSpec,
    location: AwsLocation,
): { policies: Partial<Record<EndpointService, PolicyDocument>>; issues: ConfigIssue[] } {
    const policy = perimeterEndpointPolicy({ location, organizationId: endpoints.organizationId, allowedPrincipals: endpoints.allowedPrincipals });
    const size = endpointPolicySize(policy);
    if (size > ENDPOINT_POLICY_CHARACTERS) {
        return {
            policies: {},
            issues: [
                {
                    path: "privateEndpoints.allowedPrincipals",
                    value: `(${endpoints.allowedPrincipals.length} roles)`,
                    rule: `makes an endpoint policy of ${size} characters; VPC endpoint policies hold ${ENDPOINT_POLICY_CHARACTERS}: admit the roles' organization with organizationId instead`,
                },
            ],
        };
    }
    return { policies: Object.fromEntries(endpoints.services.map((service) => [service, policy])), issues: [] };
}
