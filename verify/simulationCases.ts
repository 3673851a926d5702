/**
 * The allow/deny matrix verify asks IAM's policy simulator, derived from the stack's configuration
 * with the same builders the program writes its documents with (`invokeGrantFor`, `guardrailArn`,
 * the service roles' reference parsers), so it follows the configuration as the documents do.
 *
 * Gateways: each listed model and profile allowed (a profile's model also through the profile,
 * with `bedrock:InferenceProfileArn`), an unlisted model and profile, another action and another
 * guardrail denied, streaming denied when it is off. Service roles: each listed resource allowed
 * with the action its entry grants, and another model or object denied.
 */
import { AwsLocation, ModelReference, foundationModelArn, guardrailArn, inferenceProfileArn, invokeGrantFor } from "../components/arns/bedrockArns";
import { S3Location, s3ObjectArn, s3ObjectsArn } from "../components/arns/resourceRefs";
import { GatewaySpec, gatewayRoleName } from "../components/gateway/gatewayConfig";
import { APPLY_GUARDRAIL_ACTION, INVOKE_MODEL_ACTION, INVOKE_MODEL_STREAM_ACTION, gatewayInvokeActions } from "../components/gateway/gatewayPolicies";
import { ServiceRoleSpec, serviceRoleName } from "../components/serviceRoles/serviceRoleConfig";
import { COLLABORATOR_ACTIONS, LEX_RECOGNIZE_ACTION } from "../components/serviceRoles/serviceRolePolicies";
import { StackConfig } from "../components/stack/stackConfig";
import { AgentCoreRoleSpec, AgentCoreRoles, agentCoreRoleName, allAgentCoreRoles } from "../components/agentcore/agentCoreConfig";
import { AGENTCORE_METRIC_NAMESPACE, providerSecretArn, runtimeLogGroupArn } from "../components/agentcore/agentCorePolicies";
import { INVOKE_AGENT_RUNTIME_ACTIONS } from "../components/agentcore/agentRuntimeInvoke";

/** One request to simulate and the answer the program's documents give. */
export interface SimulationCase {
    readonly action: string;
    readonly resource: string;
    /** Context entries (`bedrock:InferenceProfileArn`, `aws:ResourceAccount`), string-valued. */
    readonly context: Readonly<Record<string, string>>;
    readonly expected: "allowed" | "denied";
    /** What the case shows, for the report: `listed model`, `unlisted guardrail`. */
    readonly why: string;
}

export interface RoleSimulation {
    /** The IAM name of the role whose policies are simulated. */
    readonly roleName: string;
    /** `gateway portkey`, `flows support-flow`. */
    readonly subject: string;
    readonly cases: readonly SimulationCase[];
}

/** A model ID no configuration lists (the parsers refuse nothing about it, and no provider is named `verify`). */
export const UNLISTED_MODEL_ID = "verify.unlisted-model-v1:0";
/** A guardrail ID no configuration lists. */
export const UNLISTED_GUARDRAIL_ID = "verifyunlisted0";
/** An action no gateway is granted, on a listed model: creating a batch job. */
export const OTHER_GATEWAY_ACTION = "bedrock:CreateModelInvocationJob";

const allowed = (action: string, resource: string, why: string, context: Record<string, string> = {}): SimulationCase => ({ action, resource, context, expected: "allowed", why });
const denied = (action: string, resource: string, why: string, context: Record<string, string> = {}): SimulationCase => ({ action, resource, context, expected: "denied", why });

/** Each listed model allowed for each action: directly, and a profile's model through that profile in the stack region. */
function listedModelCases(location: AwsLocation, models: readonly ModelReference[], actions: readonly string[]): SimulationCase[] {
    return models.flatMap((model) => {
        const grant = invokeGrantFor(location, model);
        const label = model.kind === "resource-arn" ? model.arn : model.kind === "inference-profile" ? model.profileId : model.modelId;
        return actions.flatMap((action) => [
            ...grant.directArns.map((arn) => allowed(action, arn, `listed ${model.kind} ${label}`)),
            ...(grant.profileArn && model.kind === "inference-profile"
                ? [allowed(action, foundationModelArn(location, location.region, model.modelId), `model of listed profile ${label}, through it`, { "bedrock:InferenceProfileArn": grant.profileArn })]
                : []),
        ]);
    });
}

function unlistedModelCases(location: AwsLocation, models: readonly ModelReference[], action: string): SimulationCase[] {
    const cases = [denied(action, foundationModelArn(location, location.region, UNLISTED_MODEL_ID), "unlisted model")];
    if (models.some((model) => model.kind === "inference-profile")) {
        cases.push(denied(action, inferenceProfileArn(location, `us.${UNLISTED_MODEL_ID}`), "unlisted inference profile"));
    }
    return cases;
}

export function gatewaySimulation(location: AwsLocation, gateway: GatewaySpec): RoleSimulation {
    const roleName = gateway.access.kind === "assume-role" ? gatewayRoleName(gateway.name, location.region) : gateway.access.roleName;
    const subject = `gateway ${gateway.name}`;
    // A gateway that calls only bedrock-mantle gets no runtime grant: its matrix is the denials.
    if (!gateway.apis.includes("runtime")) return { roleName, subject, cases: unlistedModelCases(location, gateway.models, INVOKE_MODEL_ACTION) };
    const firstModel = invokeGrantFor(location, gateway.models[0]).directArns[0];
    const cases = [
        ...listedModelCases(location, gateway.models, gatewayInvokeActions(gateway.streaming)),
        ...gateway.guardrails.map((guardrail) => allowed(APPLY_GUARDRAIL_ACTION, guardrailArn(location, guardrail), `listed guardrail ${guardrail.guardrailId}`)),
        ...unlistedModelCases(location, gateway.models, INVOKE_MODEL_ACTION),
        denied(OTHER_GATEWAY_ACTION, firstModel, "another action on a listed model"),
        denied(APPLY_GUARDRAIL_ACTION, guardrailArn(location, { guardrailId: UNLISTED_GUARDRAIL_ID }), "unlisted guardrail"),
    ];
    if (!gateway.streaming) cases.push(denied(INVOKE_MODEL_STREAM_ACTION, firstModel, "streaming, which is off"));
    for (const runtimeArn of gateway.agentRuntimes) cases.push(allowed(INVOKE_AGENT_RUNTIME_ACTIONS[0], runtimeArn, "listed agent runtime"));
    if (gateway.agentRuntimes.length > 0) cases.push(denied(INVOKE_AGENT_RUNTIME_ACTIONS[0], agentCoreArn(location, `runtime/${UNLISTED_AGENTCORE_ID}`), "unlisted agent runtime"));
    return { roleName, subject, cases };
}

/** The actions each service role kind invokes models with (as `serviceRolePermissions` grants them). */
const SERVICE_MODEL_ACTIONS = {
    flows: [INVOKE_MODEL_ACTION],
    agents: [INVOKE_MODEL_ACTION, INVOKE_MODEL_STREAM_ACTION],
    knowledgeBases: [INVOKE_MODEL_ACTION],
    modelCustomization: [INVOKE_MODEL_ACTION],
    batchInference: [INVOKE_MODEL_ACTION],
} as const;

/** An agent alias no configuration lists. */
export const UNLISTED_AGENT_ALIAS = "VERIFYAGNT/VERIFYALIS";

/** An object under a listed location: the policy grants `prefix/*`, so one key below it stands for all. */
const objectUnder = (location: AwsLocation, s3: S3Location) => s3ObjectsArn(location, s3).replace(/\*$/, "verify-object");

export function serviceRoleSimulation(location: AwsLocation, role: ServiceRoleSpec): RoleSimulation {
    const inThisAccount = { "aws:ResourceAccount": location.accountId };
    const each = (action: string, arns: readonly string[], what: string, context: Record<string, string> = {}) => arns.map((arn) => allowed(action, arn, `listed ${what}`, context));
    const arnsOf = (references: readonly ((location: AwsLocation) => string)[]) => references.map((arnOf) => arnOf(location));
    const cases: SimulationCase[] = [
        ...listedModelCases(location, role.models, SERVICE_MODEL_ACTIONS[role.kind]),
        ...each("bedrock:GetPrompt", arnsOf(role.prompts), "prompt"),
        ...each("bedrock:Retrieve", arnsOf(role.knowledgeBases), "knowledge base"),
        ...each("bedrock:InvokeAgent", arnsOf(role.agentAliases), "agent alias"),
        ...COLLABORATOR_ACTIONS.flatMap((action) => each(action, arnsOf(role.collaborators), "collaborator alias")),
        ...each(APPLY_GUARDRAIL_ACTION, role.guardrails.map((guardrail) => guardrailArn(location, guardrail)), "guardrail"),
        ...each("s3:GetObject", role.s3Read.map((s3) => objectUnder(location, s3)), "read location", inThisAccount),
        ...each("s3:GetObject", role.s3ReadObjects.map((s3) => s3ObjectArn(location, s3)), "object", inThisAccount),
        ...each("s3:PutObject", role.s3Write.map((s3) => objectUnder(location, s3)), "write location", inThisAccount),
        ...each("kms:Decrypt", arnsOf(role.kmsKeys), "key"),
        ...each("aoss:APIAccessAll", arnsOf(role.openSearchCollections), "collection"),
        ...each("rds:DescribeDBClusters", arnsOf(role.auroraClusters), "cluster"),
        ...each("secretsmanager:GetSecretValue", arnsOf(role.secrets), "secret"),
        ...each(LEX_RECOGNIZE_ACTION, arnsOf(role.lexBotAliases), "Lex bot alias"),
    ];
    if (role.models.length > 0) cases.push(...unlistedModelCases(location, role.models, INVOKE_MODEL_ACTION));
    if (role.guardrails.length > 0) cases.push(denied(APPLY_GUARDRAIL_ACTION, guardrailArn(location, { guardrailId: UNLISTED_GUARDRAIL_ID }), "unlisted guardrail"));
    if (role.collaborators.length > 0) {
        const unlistedAlias = `arn:${location.partition}:bedrock:${location.region}:${location.accountId}:agent-alias/${UNLISTED_AGENT_ALIAS}`;
        cases.push(...COLLABORATOR_ACTIONS.map((action) => denied(action, unlistedAlias, "unlisted collaborator alias")));
    }
    if (role.s3Read.length + role.s3ReadObjects.length > 0) {
        cases.push(denied("s3:GetObject", `arn:${location.partition}:s3:::verify-unlisted-bucket-${location.accountId}/verify-object`, "object of an unlisted bucket", inThisAccount));
    }
    return { roleName: serviceRoleName(role, location.region), subject: `${role.kind} ${role.name}`, cases };
}

/** An AgentCore resource ID no configuration lists (a name AgentCore allows, and a 10-character suffix). */
export const UNLISTED_AGENTCORE_ID = "verify_unlisted-VERIFY0000";
const agentCoreArn = (location: AwsLocation, resource: string) => `arn:${location.partition}:bedrock-agentcore:${location.region}:${location.accountId}:${resource}`;

/**
 * An AgentCore role's matrix: each listed resource allowed with the action its role needs, and the
 * neighbours denied: another repository, runtime's logs, metric namespace, workload identity,
 * memory, gateway, function, credential provider and model; user-ID tokens unless asked for.
 */
export function agentCoreSimulation(location: AwsLocation, role: AgentCoreRoleSpec): RoleSimulation {
    const arnsOf = (references: readonly ((location: AwsLocation) => string)[]) => references.map((arnOf) => arnOf(location));
    const ownIdentity = agentCoreArn(location, `workload-identity-directory/default/workload-identity/${role.name}-VERIFY0000`);
    const otherIdentity = agentCoreArn(location, `workload-identity-directory/default/workload-identity/${UNLISTED_AGENTCORE_ID}`);
    const cases: SimulationCase[] = [];
    if (role.kind === "agentRuntimes") {
        const logStream = (name: string) => `${runtimeLogGroupArn(location, name).replace(/\*$/, "VERIFY0000-DEFAULT")}:log-stream:verify`;
        cases.push(
            ...listedModelCases(location, role.models, [INVOKE_MODEL_ACTION, INVOKE_MODEL_STREAM_ACTION]),
            ...role.guardrails.map((guardrail) => allowed(APPLY_GUARDRAIL_ACTION, guardrailArn(location, guardrail), `listed guardrail ${guardrail.guardrailId}`)),
            ...unlistedModelCases(location, role.models, INVOKE_MODEL_ACTION),
            ...arnsOf(role.containerRepositories).map((arn) => allowed("ecr:BatchGetImage", arn, "listed repository")),
            denied("ecr:BatchGetImage", `arn:${location.partition}:ecr:${location.region}:${location.accountId}:repository/verify-unlisted`, "unlisted repository"),
            allowed("logs:PutLogEvents", logStream(role.name), "the runtime's own log group"),
            denied("logs:PutLogEvents", logStream("verify_unlisted"), "another runtime's log group"),
            allowed("cloudwatch:PutMetricData", "*", "AgentCore's metric namespace", { "cloudwatch:namespace": AGENTCORE_METRIC_NAMESPACE }),
            denied("cloudwatch:PutMetricData", "*", "another metric namespace", { "cloudwatch:namespace": "verify-unlisted" }),
            allowed("bedrock-agentcore:GetWorkloadAccessTokenForJWT", ownIdentity, "the runtime's own workload identity"),
            denied("bedrock-agentcore:GetWorkloadAccessTokenForJWT", otherIdentity, "another workload identity"),
            role.userIdTokens
                ? allowed("bedrock-agentcore:GetWorkloadAccessTokenForUserId", ownIdentity, "user-ID tokens, asked for")
                : denied("bedrock-agentcore:GetWorkloadAccessTokenForUserId", ownIdentity, "user-ID tokens, not asked for"),
            ...arnsOf(role.memories).map((arn) => allowed("bedrock-agentcore:CreateEvent", arn, "listed memory")),
            denied("bedrock-agentcore:CreateEvent", agentCoreArn(location, `memory/${UNLISTED_AGENTCORE_ID}`), "unlisted memory"),
            ...arnsOf(role.agentGateways).map((arn) => allowed("bedrock-agentcore:InvokeGateway", arn, "listed AgentCore gateway")),
            denied("bedrock-agentcore:InvokeGateway", agentCoreArn(location, `gateway/${UNLISTED_AGENTCORE_ID}`), "unlisted AgentCore gateway"),
            denied(INVOKE_AGENT_RUNTIME_ACTIONS[0], agentCoreArn(location, `runtime/${UNLISTED_AGENTCORE_ID}`), "another runtime"),
        );
    } else if (role.kind === "agentGateways") {
        const vault = agentCoreArn(location, "token-vault/default");
        cases.push(
            ...arnsOf(role.lambdaTargets).map((arn) => allowed("lambda:InvokeFunction", arn, "listed Lambda target")),
            denied("lambda:InvokeFunction", `arn:${location.partition}:lambda:${location.region}:${location.accountId}:function:verify-unlisted`, "unlisted function"),
            ...role.apiKeyProviders.map((name) => allowed("bedrock-agentcore:GetResourceApiKey", `${vault}/apikeycredentialprovider/${name}`, `listed API key provider ${name}`)),
            ...role.oauthProviders.map((name) => allowed("bedrock-agentcore:GetResourceOauth2Token", `${vault}/oauth2credentialprovider/${name}`, `listed OAuth provider ${name}`)),
            ...role.oauthProviders.map((name) => allowed("secretsmanager:GetSecretValue", providerSecretArn(location, "oauth2", name).replace("??????", "VERIFY"), `secret of OAuth provider ${name}`)),
            denied("bedrock-agentcore:GetResourceOauth2Token", `${vault}/oauth2credentialprovider/verify-unlisted`, "unlisted credential provider"),
            denied("bedrock-agentcore:GetWorkloadAccessTokenForJWT", otherIdentity, "another workload identity"),
            denied(INVOKE_MODEL_ACTION, foundationModelArn(location, location.region, UNLISTED_MODEL_ID), "a model"),
        );
    } else {
        cases.push(...listedModelCases(location, role.models, [INVOKE_MODEL_ACTION, INVOKE_MODEL_STREAM_ACTION]), ...unlistedModelCases(location, role.models, INVOKE_MODEL_ACTION));
    }
    return { roleName: agentCoreRoleName(role, location.region), subject: `${role.kind} ${role.name}`, cases };
}

/** The whole stack's matrix: one entry per gateway, per service role and per AgentCore role. */
export function stackSimulations(config: Pick<StackConfig, "gateways" | "serviceRoles"> & { readonly agentCoreRoles?: AgentCoreRoles }, location: AwsLocation): RoleSimulation[] {
    return [
        ...config.gateways.map((gateway) => gatewaySimulation(location, gateway)),
        ...config.serviceRoles.map((role) => serviceRoleSimulation(location, role)),
        ...(config.agentCoreRoles ? allAgentCoreRoles(config.agentCoreRoles).map((role) => agentCoreSimulation(location, role)) : []),
    ];
}
