/**
 * Pure builders of VPC endpoint policies. An endpoint admits exactly what the stack's own roles
 * are allowed to do through that API: each role's statements, narrowed to the API's actions, with
 * the role as principal. An endpoint none of the stack's roles uses is closed.
 */
import { AwsLocation } from "../arns/bedrockArns";
import { ConfigIssue } from "../config/configValidation";
import { GatewaySpec, gatewayRoleName } from "../gateway/gatewayConfig";
import { PolicyDocument, PolicyStatement, policyDocument, policyJson } from "../iam/iamDocument";
import { iamPolicySize } from "../iam/iamQuotas";
import { PermissionLayout, layoutDocuments } from "../iam/permissionLayout";
import type { StackPermissions } from "../stack/stackPermissions";
import { EndpointService, PrivateEndpointsSpec } from "./privateEndpointConfig";
import { ServiceRoleSpec, serviceRoleName } from "../serviceRoles/serviceRoleConfig";

/** The IAM actions each endpoint's API authorizes (Converse and ConverseStream are InvokeModel*). */
export const ENDPOINT_ACTIONS: Readonly<Record<EndpointService, readonly string[]>> = {
    "bedrock-runtime": ["bedrock:ApplyGuardrail", "bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
    "bedrock-agent-runtime": ["bedrock:InvokeAgent", "bedrock:InvokeFlow", "bedrock:Retrieve", "bedrock:RetrieveAndGenerate"],
    "bedrock-agent": ["bedrock:GetAgent", "bedrock:GetAgentAlias", "bedrock:GetFlow", "bedrock:GetKnowledgeBase", "bedrock:GetPrompt"],
    bedrock: ["bedrock:GetFoundationModel", "bedrock:GetGuardrail", "bedrock:GetInferenceProfile", "bedrock:GetProvisionedModelThroughput"],
};

/** VPC endpoint policies hold at most 20,480 characters. */
export const ENDPOINT_POLICY_CHARACTERS = 20480;

/** A principal of the stack and the permission documents it holds. */
export interface PrincipalGrants {
    readonly principalArn: string;
    readonly documents: readonly PolicyDocument[];
}

export function endpointPolicy(service: EndpointService, principals: readonly PrincipalGrants[]): PolicyDocument {
    const apiActions = new Set(ENDPOINT_ACTIONS[service].map((action) => action.toLowerCase()));
    const statements: PolicyStatement[] = [];
    principals.forEach((principal, principalIndex) => {
        for (const document of principal.documents) {
            for (const statement of document.Statement) {
                if (statement.Effect !== "Allow") continue;
                const actions = (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).filter((action) => apiActions.has(action.toLowerCase()));
                if (actions.length === 0) continue;
                statements.push({
                    ...statement,
                    Sid: `Principal${principalIndex}${statement.Sid}`,
                    Principal: { AWS: principal.principalArn },
                    Action: actions.length === 1 ? actions[0] : actions,
                });
            }
        }
    });
    if (statements.length > 0) return policyDocument(statements);
    return policyDocument([{ Sid: "NoRoleOfThisStackUsesThisApi", Effect: "Deny", Principal: "*", Action: "*", Resource: "*" }]);
}

export function endpointPolicySize(document: PolicyDocument): number {
    return iamPolicySize(policyJson(document));
}

/** What the endpoint policies are built from: the stack's roles, with their ARNs known before anything exists. */
export interface StackPrincipalsInput {
    readonly location: AwsLocation;
    readonly gateways: readonly GatewaySpec[];
    readonly serviceRoles: readonly ServiceRoleSpec[];
    /** Every role's permission layout, computed once for the stack. */
    readonly permissions: StackPermissions;
    /** ARNs of the existing roles named by `attachToRole`, by role name (read with `aws.iam.getRole`). */
    readonly attachedRoleArns: Readonly<Record<string, string>>;
}

function documentsOf<Spec>(layouts: ReadonlyMap<Spec, PermissionLayout>, spec: Spec): PolicyDocument[] {
    const layout = layouts.get(spec);
    return layout ? layoutDocuments(layout) : [];
}

export function stackPrincipalGrants(input: StackPrincipalsInput): PrincipalGrants[] {
    const { location } = input;
    const roleArn = (name: string) => `arn:${location.partition}:iam::${location.accountId}:role/${name}`;
    const gateways = input.gateways.map((gateway) => ({
        principalArn: gateway.access.kind === "assume-role" ? roleArn(gatewayRoleName(gateway.name, location.region)) : input.attachedRoleArns[gateway.access.roleName],
        documents: documentsOf(input.permissions.gateways, gateway),
    }));
    const serviceRoles = input.serviceRoles.map((role) => ({
        principalArn: roleArn(serviceRoleName(role, location.region)),
        documents: documentsOf(input.permissions.serviceRoles, role),
    }));
    return [...gateways, ...serviceRoles];
}

/**
 * Every endpoint's policy, or the issues of those too large for a VPC endpoint policy. Computed
 * before any resource is registered.
 */
export function privateEndpointPolicies(
    endpoints: PrivateEndpointsSpec,
    principals: readonly PrincipalGrants[],
): { policies: Partial<Record<EndpointService, PolicyDocument>>; issues: ConfigIssue[] } {
    const policies: Partial<Record<EndpointService, PolicyDocument>> = {};
    const issues: ConfigIssue[] = [];
    endpoints.services.forEach((service, index) => {
        const policy = endpointPolicy(service, principals);
        const size = endpointPolicySize(policy);
        if (size > ENDPOINT_POLICY_CHARACTERS) {
            issues.push({
                path: `privateEndpoints.services[${index}]`,
                value: JSON.stringify(service),
                rule: `needs an endpoint policy of ${size} characters for the stack's principals; VPC endpoint policies hold ${ENDPOINT_POLICY_CHARACTERS}: list fewer models, or leave this endpoint out`,
            });
        }
        policies[service] = policy;
    });
    return { policies, issues };
}
