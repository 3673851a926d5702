/**
 * Whether a Bedrock endpoint's policy would stop the deployer's own calls. With private DNS on, every
 * call to that API from the VPC (a pipeline running `pulumi up` there included) goes through the
 * endpoint, so a policy that stops the deployer makes the stack undeployable from inside the VPC.
 * The check reads each registered endpoint's policy and evaluates the deployer's representative
 * calls against it: Allow and Deny statements, principals, actions, resources and the usual string
 * and ARN conditions, with the request context AWS sets for a role of the stack's account. A
 * condition it cannot evaluate counts as not met, so the warning errs on the side of saying so.
 */
import { NormalizedCondition, NormalizedStatement, normalizePolicyDocument, wildcardMatches } from "../../policypack/policies/normalize";
import { AwsLocation } from "../arns/bedrockArns";

/** A call the deployer makes through one of Bedrock's APIs. */
export interface DeployerCall {
    readonly action: string;
    readonly resource: string;
}

/** The deployer's calls through each API: the control plane (logging configuration, models, profiles, guardrails) and the agents' build-time API. */
export function deployerCalls(location: AwsLocation): Readonly<Record<string, readonly DeployerCall[]>> {
    const own = (type: string) => `arn:${location.partition}:bedrock:${location.region}:${location.accountId}:${type}`;
    return {
        bedrock: [
            { action: "bedrock:PutModelInvocationLoggingConfiguration", resource: "*" },
            { action: "bedrock:GetModelInvocationLoggingConfiguration", resource: "*" },
            { action: "bedrock:ListFoundationModels", resource: "*" },
            { action: "bedrock:GetFoundationModel", resource: `arn:${location.partition}:bedrock:${location.region}::foundation-model/amazon.nova-pro-v1:0` },
            { action: "bedrock:GetInferenceProfile", resource: own("inference-profile/eu.amazon.nova-pro-v1:0") },
            { action: "bedrock:GetGuardrail", resource: own("guardrail/gr7x2k9q1abc") },
        ],
        "bedrock-agent": [
            { action: "bedrock:ListAgents", resource: "*" },
            { action: "bedrock:GetKnowledgeBase", resource: own("knowledge-base/KB12345678") },
        ],
    };
}

type Context = Readonly<Record<string, readonly string[]>>;

function conditionHolds(condition: NormalizedCondition, context: Context): boolean {
    const operator = condition.operator.toLowerCase();
    const ifExists = operator.endsWith("ifexists");
    const base = ifExists ? operator.slice(0, -"ifexists".length) : operator;
    const values = context[condition.key];
    if (values === undefined) return ifExists || (base === "null" && condition.values.every((value) => value.toLowerCase() === "true"));
    const any = (test: (pattern: string, value: string) => boolean) => values.some((value) => condition.values.some((pattern) => test(pattern, value)));
    switch (base) {
        case "stringequals":
        case "arnequals":
            return any((pattern, value) => pattern === value);
        case "stringequalsignorecase":
            return any((pattern, value) => pattern.toLowerCase() === value.toLowerCase());
        case "stringlike":
        case "arnlike":
            return any((pattern, value) => wildcardMatches(pattern, value));
        case "stringnotequals":
        case "arnnotequals":
            return !any((pattern, value) => pattern === value);
        case "stringnotlike":
        case "arnnotlike":
            return !any((pattern, value) => wildcardMatches(pattern, value));
        case "null":
            return condition.values.every((value) => value.toLowerCase() === "false");
        default:
            return false;
    }
}

function applies(statement: NormalizedStatement, principalArn: string, accountId: string, call: DeployerCall, context: Context): boolean {
    const principal = statement.principal;
    const principalMatches = principal
        ? principal.everyone || principal.aws.some((entry) => entry === principalArn || entry === accountId || entry === `arn:aws:iam::${accountId}:root` || wildcardMatches(entry, principalArn))
        : statement.notPrincipal !== undefined && !statement.notPrincipal.aws.some((entry) => entry === principalArn || entry === accountId);
    if (!principalMatches) return false;
    const actionMatches = statement.notActions
        ? !statement.notActions.some((pattern) => wildcardMatches(pattern, call.action, true))
        : statement.actions.some((pattern) => wildcardMatches(pattern, call.action, true));
    if (!actionMatches) return false;
    const resourceMatches = statement.notResources
        ? !statement.notResources.some((pattern) => wildcardMatches(pattern, call.resource))
        : statement.resources.some((pattern) => pattern === "*" || wildcardMatches(pattern, call.resource));
    return resourceMatches && statement.conditions.every((condition) => conditionHolds(condition, context));
}

/** Whether the endpoint policy lets the call through: an Allow applies and no Deny does. No policy is AWS's default, which lets everything through. */
export function endpointAllows(policy: unknown, call: DeployerCall, location: AwsLocation, principalArn: string): boolean {
    if (policy === undefined || policy === null || policy === "") return true;
    const normalized = normalizePolicyDocument(policy);
    if (!normalized.ok) return false;
    const resourceAccount = call.resource === "*" ? location.accountId : call.resource.split(":")[4];
    // The stack's account is taken to be in the organization the policy names: that is the stack's own setting.
    const organizations = normalized.statements.flatMap((statement) => statement.conditions.filter((condition) => condition.key === "aws:principalorgid").flatMap((condition) => condition.values));
    const context: Context = {
        "aws:principalarn": [principalArn],
        "aws:principalaccount": [location.accountId],
        ...(resourceAccount ? { "aws:resourceaccount": [resourceAccount] } : {}),
        ...(organizations.length > 0 ? { "aws:principalorgid": organizations.slice(0, 1) } : {}),
    };
    const matching = normalized.statements.filter((statement) => applies(statement, principalArn, location.accountId, call, context));
    return matching.some((statement) => statement.effect === "allow") && !matching.some((statement) => statement.effect === "deny");
}

/** A registered resource, its properties plain. */
export interface EndpointResource {
    readonly type: string;
    readonly name: string;
    readonly properties: Readonly<Record<string, unknown>>;
}

/**
 * One line per Bedrock endpoint with private DNS on whose policy stops one of the deployer's calls
 * (made by `deployerRoleArn`, a role of the stack's account).
 */
export function endpointDeployerWarnings(resources: readonly EndpointResource[], location: AwsLocation, deployerRoleArn = `arn:${location.partition}:iam::${location.accountId}:role/bedrock-access-deployer`): string[] {
    const calls = deployerCalls(location);
    return resources.flatMap((resource) => {
        if (resource.type !== "aws:ec2/vpcEndpoint:VpcEndpoint" || resource.properties.privateDnsEnabled !== true) return [];
        const serviceName = String(resource.properties.serviceName ?? "");
        const api = serviceName.split(".").pop() ?? "";
        const stopped = (calls[api] ?? []).filter((call) => !endpointAllows(resource.properties.policy, call, location, deployerRoleArn));
        if (stopped.length === 0) return [];
        return [
            `VPC endpoint ${resource.name} (${serviceName}) has private DNS on and a policy that stops the deployer's own calls from the VPC ` +
                `(${stopped.map((call) => call.action).join(", ")}): pulumi up from inside the VPC would fail; let this account's principals through (see docs/private-endpoints.md)`,
        ];
    });
}
