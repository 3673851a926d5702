/**
 * VPC endpoint policies of Bedrock's APIs as a data perimeter (AWS's data-perimeter guidance): an
 * endpoint policy grants nothing, it bounds what passes through the endpoint. So it is judged by whom
 * it lets through (principals narrowed to named roles, one account or one organization) and to which
 * resources (those of one account or organization, or named resources such as AWS's foundation
 * models), never by whether it names models: which models a caller may use is its identity policy's
 * business. An endpoint without a policy gets AWS's default, which admits everyone to everything.
 */
import { PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { documentViolations } from "./documentPolicy";
import { actionsOfStatement } from "./iamActions";
import { NormalizedCondition, NormalizedStatement, hasWildcard, normalizePolicyDocument, wildcardMatches } from "./normalize";
import { exactAccountOf } from "./servicePrincipals";
import { ACCOUNT_ID, StackAccountConfig, StackAccounts, describeAccounts, stackAccountConfigSchema, stackAccounts } from "./stackAccount";

const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const VPC_ENDPOINT_POLICY = "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy";
/** `com.amazonaws.<region>.bedrock`, `...bedrock-runtime`, `...bedrock-agent-runtime`, `...bedrock-mantle` and the rest of Bedrock's APIs. */
const BEDROCK_SERVICE_NAME = /^(?:[a-z]+\.)*amazonaws\.[a-z0-9-]+\.bedrock(?:-[a-z-]+)?$/;

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

function positive(condition: NormalizedCondition): boolean {
    const operator = condition.operator.toLowerCase();
    return ["stringequals", "arnequals", "stringlike", "arnlike"].includes(operator);
}

function exact(condition: NormalizedCondition): boolean {
    return positive(condition) && condition.values.length > 0 && condition.values.every((value) => value !== "" && !hasWildcard(value));
}

/** Whether an account is one the stack may admit whole (any, when the stack's accounts are unknown). */
function stackAccount(account: string, stack: StackAccounts | undefined): boolean {
    return ACCOUNT_ID.test(account) && (stack === undefined || stack.accounts.includes(account));
}

/**
 * Whether a `Principal` `AWS` entry is narrow: a named role or user of any account (as `aws:PrincipalArn` names them), or a
 * whole account (`123456789012`, `arn:aws:iam::123456789012:root`) only when it is the stack's.
 */
function narrowAwsPrincipal(entry: string, stack: StackAccounts | undefined): boolean {
    if (hasWildcard(entry)) return false;
    if (ACCOUNT_ID.test(entry)) return stackAccount(entry, stack);
    const account = exactAccountOf(entry);
    if (account === undefined) return false;
    const wholeAccount = /^arn:[^:]+:iam::\d{12}:root$/.test(entry);
    return !wholeAccount || stackAccount(account, stack);
}

/** Whether the statement's principals are narrowed: named roles, the stack's account, or one account, organization or principal ARN by condition. */
function narrowsPrincipals(statement: NormalizedStatement, stack: StackAccounts | undefined): boolean {
    const principal = statement.principal;
    if (!principal || statement.notPrincipal) return false;
    if (!principal.everyone && principal.service.length === 0 && principal.federated.length === 0 && principal.aws.length > 0) {
        return principal.aws.every((entry) => narrowAwsPrincipal(entry, stack));
    }
    return statement.conditions.some((condition) => {
        if (!exact(condition)) return false;
        if (condition.key === "aws:principalaccount") return condition.values.every((value) => stackAccount(value, stack));
        if (condition.key === "aws:principalorgid") return condition.values.every((value) => ORGANIZATION_ID.test(value));
        if (condition.key === "aws:principalarn") return condition.values.every((value) => exactAccountOf(value) !== undefined);
        return false;
    });
}

/**
 * Whether every action the statement grants takes no resource type in the Service Authorization Reference
 * (`ListFoundationModels`): the only ones `Null aws:ResourceAccount` may admit, since AWS does not document
 * that a request for another account's resource always carries that key.
 */
async function onlyResourcelessActions(statement: NormalizedStatement): Promise<boolean> {
    if (statement.notActions !== undefined) return false;
    const actions = await actionsOfStatement(statement);
    return actions.length > 0 && actions.every((action) => action.resourceTypes.length === 0);
}

/** Whether the statement's resources are narrowed: one account or organization by condition, or named resources. */
async function narrowsResources(statement: NormalizedStatement, stack: StackAccounts | undefined): Promise<boolean> {
    if (statement.notResources !== undefined) return false;
    // `"Null": {"aws:ResourceAccount": "true"}`: requests that carry no resource account, on actions that take no resource (account-level calls).
    const noResource = statement.conditions.some((condition) => condition.key === "aws:resourceaccount" && condition.operator.toLowerCase() === "null" && condition.values.length > 0 && condition.values.every((value) => value.toLowerCase() === "true"));
    if (noResource && (await onlyResourcelessActions(statement))) return true;
    const byCondition = statement.conditions.some((condition) => {
        if (!exact(condition)) return false;
        if (condition.key === "aws:resourceaccount") return condition.values.every((value) => ACCOUNT_ID.test(value) && (stack === undefined || stack.accounts.includes(value)));
        if (condition.key === "aws:resourceorgid") return condition.values.every((value) => ORGANIZATION_ID.test(value));
        return false;
    });
    if (byCondition) return true;
    // Named resources: an ARN whose type is named (`foundation-model/*` is every foundation model, AWS's own), never `*`, and whose
    // account has no wildcard (`1*` is every account starting with 1).
    return statement.resources.length > 0 && statement.resources.every((resource) => resource !== "*" && /^arn:[^:]+:[^:*?]+:[^:]*:[^:]*:[A-Za-z][A-Za-z-]*[/:]/.test(resource) && !hasWildcard(resource.split(":")[4] ?? "*"));
}

/** Whether an ARN names AWS's own resources, which belong to no account (foundation models). */
function awsOwned(resource: string): boolean {
    return /^arn:[^:]+:bedrock:[^:]*::foundation-model\//.test(resource);
}

export async function endpointPerimeterProblems(statement: NormalizedStatement, stack: StackAccounts | undefined): Promise<string[]> {
    if (statement.effect !== "allow") return [];
    const problems: string[] = [];
    if (!narrowsPrincipals(statement, stack)) {
        problems.push(
            `lets through principals of any account: narrow them with "StringEquals": {"aws:PrincipalAccount": "${stack?.accounts[0] ?? "<account>"}"} ` +
                '(or "aws:PrincipalOrgID": "o-..."), or name the roles in Principal.' +
                (stack ? ` The stack's account is ${describeAccounts(stack)}.` : ""),
        );
    }
    const resourcesNarrowed = (await narrowsResources(statement, stack)) || (statement.resources.length > 0 && statement.resources.every(awsOwned));
    if (!resourcesNarrowed) {
        problems.push(
            `lets calls reach resources of any account: add "StringEquals": {"aws:ResourceAccount": "${stack?.accounts[0] ?? "<account>"}"} (or "aws:ResourceOrgID"), ` +
                "or name the resources (AWS's foundation models as arn:aws:bedrock:*::foundation-model/*, no wildcard in an ARN's account). " +
                '"Null": {"aws:ResourceAccount": "true"} admits only actions that take no resource (ListFoundationModels).',
        );
    }
    return problems;
}

/** A VPC endpoint of one of Bedrock's APIs (by its serviceName). */
function isBedrockEndpoint(props: Record<string, unknown>): boolean {
    return typeof props.serviceName === "string" && BEDROCK_SERVICE_NAME.test(props.serviceName);
}

function hasPolicy(props: Record<string, unknown>): boolean {
    return props.policy !== undefined && props.policy !== null && props.policy !== "";
}

/** The endpoint a VpcEndpointPolicy is for, when the stack holds it: by the dependency of its vpcEndpointId, or by the endpoint's id once known. */
function endpointOf(endpointPolicy: PolicyResource, endpoints: readonly PolicyResource[]): PolicyResource | undefined {
    const byDependency = (endpointPolicy.propertyDependencies?.vpcEndpointId ?? []).find((dependency) => dependency.type === VPC_ENDPOINT);
    if (byDependency) return endpoints.find((endpoint) => endpoint.urn === byDependency.urn) ?? byDependency;
    const id = endpointPolicy.props.vpcEndpointId;
    return typeof id === "string" && id !== "" ? endpoints.find((endpoint) => endpoint.props.id === id) : undefined;
}

/** Whether a policy document may bear on Bedrock: a statement whose actions name Bedrock's (`bedrock:*`, `*`, `bedrock*:...`) or that uses NotAction. */
export function bedrockShaped(policy: unknown): boolean {
    const normalized = normalizePolicyDocument(policy);
    if (!normalized.ok) return true;
    return normalized.statements.some(
        (statement) => statement.notActions !== undefined || statement.actions.some((action) => wildcardMatches(action.split(":")[0] ?? "", "bedrock", true) || wildcardMatches(action.split(":")[0] ?? "", "bedrock-agent", true)),
    );
}

/**
 * The stack's VPC endpoints and VpcEndpointPolicy resources, judged together: an endpoint without its own
 * policy is a violation unless a VpcEndpointPolicy of the stack is for it; a VpcEndpointPolicy is judged as a
 * perimeter when its endpoint is a Bedrock one of the stack, or, its endpoint not in the stack, when it
 * bears on Bedrock's actions.
 */
export async function endpointStackProblems(resources: readonly PolicyResource[], stack: (resource: PolicyResource) => StackAccounts | undefined): Promise<{ urn: string; message: string }[]> {
    const endpoints = resources.filter((resource) => resource.type === VPC_ENDPOINT);
    const endpointPolicies = resources.filter((resource) => resource.type === VPC_ENDPOINT_POLICY);
    const problems: { urn: string; message: string }[] = [];
    const covered = new Set<string>();
    for (const endpointPolicy of endpointPolicies) {
        const endpoint = endpointOf(endpointPolicy, endpoints);
        if (endpoint) covered.add(endpoint.urn);
        const judged = endpoint ? isBedrockEndpoint(endpoint.props) : hasPolicy(endpointPolicy.props) && bedrockShaped(endpointPolicy.props.policy);
        if (!judged) continue;
        if (!hasPolicy(endpointPolicy.props)) continue;
        const accounts = stack(endpointPolicy);
        for (const message of await documentViolations(endpointPolicy.type, endpointPolicy.props, ["endpoint"], (statement) => endpointPerimeterProblems(statement, accounts))) {
            problems.push({ urn: endpointPolicy.urn, message: `${endpoint ? String(endpoint.props.serviceName) : "VPC endpoint policy"}: ${message}` });
        }
    }
    for (const endpoint of endpoints) {
        if (!isBedrockEndpoint(endpoint.props) || hasPolicy(endpoint.props) || covered.has(endpoint.urn)) continue;
        problems.push({
            urn: endpoint.urn,
            message: `${String(endpoint.props.serviceName)} has no policy: AWS's default lets every principal through to every resource. Give it a perimeter policy (its policy or an aws.ec2.VpcEndpointPolicy).`,
        });
    }
    return problems;
}

export const bedrockEndpointPerimeter: ResourceValidationPolicy & StackValidationPolicy = {
    name: "bedrock-endpoint-perimeter",
    description:
        "Checks whether the policy of every VPC endpoint of a Bedrock API (its own or an aws.ec2.VpcEndpointPolicy) is a data perimeter: each Allow statement lets through only named roles or the " +
        "principals of one account or organization (aws:PrincipalAccount, aws:PrincipalOrgID), to the resources of one account or organization " +
        "(aws:ResourceAccount, aws:ResourceOrgID) or named resources such as AWS's foundation models. An endpoint without a policy admits everyone.",
    enforcementLevel: "mandatory",
    configSchema: stackAccountConfigSchema,
    // An endpoint's own policy, judged alone; whether an endpoint has a policy at all, and VpcEndpointPolicy resources, are judged with the stack.
    validateResource: async (resource: ResourceValidationArgs, reportViolation: ReportViolation) => {
        if (resource.type !== VPC_ENDPOINT || !isBedrockEndpoint(resource.props) || !hasPolicy(resource.props)) return;
        const stack = stackAccounts(resource.provider, resource.getConfig<StackAccountConfig>());
        for (const message of await documentViolations(resource.type, resource.props, ["endpoint"], (statement) => endpointPerimeterProblems(statement, stack))) {
            reportViolation(message);
        }
    },
    validateStack: async (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const accountsOf = (resource: PolicyResource) => stackAccounts(resource.provider, args.getConfig<StackAccountConfig>());
        for (const problem of await endpointStackProblems(args.resources, accountsOf)) reportViolation(problem.message, problem.urn);
    },
};
