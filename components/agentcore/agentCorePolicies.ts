/**
 * Pure builders of the documents of AgentCore's roles: the trust (bedrock-agentcore.amazonaws.com,
 * from this account, for this one runtime, gateway or memory) and the permissions as units for
 * `layoutPermissions`. Every action, ARN and condition key is checked against the Service
 * Authorization Reference by the tests; the AWS pages each grant follows are cited in docs/agentcore.md.
 */
import { AwsLocation, guardrailArn } from "../arns/bedrockArns";
import { ConfigIssue } from "../config/configValidation";
import { APPLY_GUARDRAIL_ACTION, modelInvokeUnits } from "../gateway/gatewayPolicies";
import { PolicyDocument, serviceTrustDocument } from "../iam/iamDocument";
import { IamQuotas } from "../iam/iamQuotas";
import { LayoutResult, PermissionUnit, StatementTemplate, layoutPermissions } from "../iam/permissionLayout";
import { AGENTCORE_RESOURCE_TYPE, AgentCoreRoleSpec, AgentGatewaySpec, AgentMemorySpec, AgentRuntimeSpec } from "./agentCoreConfig";

export const AGENTCORE_SERVICE_PRINCIPAL = "bedrock-agentcore.amazonaws.com";
/** The workload identity directory and token vault AgentCore Identity creates in every account. */
export const DEFAULT_DIRECTORY = "default";
export const DEFAULT_TOKEN_VAULT = "default";
/** The AWS-provided tools (account `aws` in their ARNs). */
export const AWS_CODE_INTERPRETER_ID = "aws.codeinterpreter.v1";
export const AWS_BROWSER_ID = "aws.browser.v1";
export const AGENTCORE_METRIC_NAMESPACE = "bedrock-agentcore";

const MODEL_ACTIONS = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"];

function agentCoreArn(location: AwsLocation, resource: string, account = location.accountId): string {
    return `arn:${location.partition}:bedrock-agentcore:${location.region}:${account}:${resource}`;
}

/**
 * The ARNs of the one resource the role serves: AgentCore makes its ID from the name, `-` and a
 * generated suffix. Runtime and memory names have no hyphen, so `<name>-*` matches no other name's
 * resources; gateway names may, which is why the account and region are pinned too.
 */
export function agentCoreSourceArn(location: AwsLocation, role: AgentCoreRoleSpec): string {
    return agentCoreArn(location, `${AGENTCORE_RESOURCE_TYPE[role.kind]}/${role.name}-*`);
}

const TRUST_SID = { agentRuntimes: "AgentCoreAssumesForThisRuntime", agentGateways: "AgentCoreAssumesForThisGateway", agentMemories: "AgentCoreAssumesForThisMemory" } as const;

/** AgentCore may assume the role only for this account's one runtime, gateway or memory (confused-deputy prevention). */
export function agentCoreTrustPolicy(location: AwsLocation, role: AgentCoreRoleSpec): PolicyDocument {
    return serviceTrustDocument(TRUST_SID[role.kind], AGENTCORE_SERVICE_PRINCIPAL, location.accountId, agentCoreSourceArn(location, role));
}

type Permissions = { units: PermissionUnit[]; templates: StatementTemplate[] };

/** Adds one unit per resource of a template (or one unit for all of them, `key` given). */
function collect(): Permissions & { add(template: StatementTemplate, resources: readonly string[], key?: string): void } {
    const units: PermissionUnit[] = [];
    const templates: StatementTemplate[] = [];
    return {
        units,
        templates,
        add(template, resources, key) {
            if (!templates.includes(template)) templates.push(template);
            if (resources.length === 0) return;
            if (key !== undefined) units.push({ key, grants: [{ template, resources }] });
            else for (const resource of resources) units.push({ key: `${template.sid}:${resource}`, grants: [{ template, resources: [resource] }] });
        },
    };
}

/** The workload identity a runtime or gateway gets from AgentCore, in the `default` directory: named after its resource ID. */
function workloadIdentityArns(location: AwsLocation, name: string): string[] {
    const directory = `workload-identity-directory/${DEFAULT_DIRECTORY}`;
    return [agentCoreArn(location, directory), agentCoreArn(location, `${directory}/workload-identity/${name}-*`)];
}

/** `/aws/bedrock-agentcore/runtimes/<name>-*`: the log groups AgentCore writes for this runtime's endpoints. */
export function runtimeLogGroupArn(location: AwsLocation, runtimeName: string): string {
    return `arn:${location.partition}:logs:${location.region}:${location.accountId}:log-group:/aws/bedrock-agentcore/runtimes/${runtimeName}-*`;
}

/** The execution role of one agent runtime: exactly what AWS's runtime-permissions page lists, scoped to this runtime and what the entry lists. */
export function agentRuntimePermissions(location: AwsLocation, runtime: AgentRuntimeSpec): Permissions {
    const models = modelInvokeUnits(location, runtime.models, MODEL_ACTIONS);
    const permissions = collect();
    permissions.units.push(...models.units);
    permissions.templates.push(...models.templates);
    const templates = {
        guardrails: { sid: "ApplyListedGuardrails", actions: [APPLY_GUARDRAIL_ACTION] },
        images: { sid: "PullListedImages", actions: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] },
        // ECR's authorization token is account-wide: the action accepts only "*".
        ecrToken: { sid: "GetEcrAuthorizationToken", actions: ["ecr:GetAuthorizationToken"] },
        logGroups: { sid: "CreateRuntimeLogGroups", actions: ["logs:CreateLogGroup", "logs:DescribeLogStreams"] },
        logStreams: { sid: "WriteRuntimeLogStreams", actions: ["logs:CreateLogStream", "logs:PutLogEvents"] },
        // X-Ray's write and sampling actions accept only "*".
        traces: { sid: "WriteTraces", actions: ["xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"] },
        metrics: {
            sid: "PutAgentCoreMetrics",
            actions: ["cloudwatch:PutMetricData"],
            condition: { StringEquals: { "cloudwatch:namespace": AGENTCORE_METRIC_NAMESPACE } },
        },
        tokens: { sid: "GetOwnWorkloadAccessTokens", actions: ["bedrock-agentcore:GetWorkloadAccessToken", "bedrock-agentcore:GetWorkloadAccessTokenForJWT"] },
        userIdTokens: { sid: "GetOwnWorkloadAccessTokensForUserIds", actions: ["bedrock-agentcore:GetWorkloadAccessTokenForUserId"] },
        memories: {
            sid: "UseListedMemories",
            actions: [
                "bedrock-agentcore:CreateEvent",
                "bedrock-agentcore:GetEvent",
                "bedrock-agentcore:GetMemoryRecord",
                "bedrock-agentcore:ListActors",
                "bedrock-agentcore:ListEvents",
                "bedrock-agentcore:ListMemoryRecords",
                "bedrock-agentcore:ListSessions",
                "bedrock-agentcore:RetrieveMemoryRecords",
            ],
        },
        gateways: { sid: "InvokeListedAgentGateways", actions: ["bedrock-agentcore:InvokeGateway"] },
        codeInterpreter: {
            sid: "UseAwsCodeInterpreter",
            actions: [
                "bedrock-agentcore:GetCodeInterpreterSession",
                "bedrock-agentcore:InvokeCodeInterpreter",
                "bedrock-agentcore:ListCodeInterpreterSessions",
                "bedrock-agentcore:StartCodeInterpreterSession",
                "bedrock-agentcore:StopCodeInterpreterSession",
            ],
        },
        browser: {
            sid: "UseAwsBrowser",
            actions: ["bedrock-agentcore:GetBrowserSession", "bedrock-agentcore:StartBrowserSession", "bedrock-agentcore:StopBrowserSession", "bedrock-agentcore:UpdateBrowserStream"],
        },
        // The reference lists no resource type for the automation stream: it accepts only "*", and needs a session this role started.
        browserStream: { sid: "ConnectBrowserAutomationStream", actions: ["bedrock-agentcore:ConnectBrowserAutomationStream"] },
    } satisfies Record<string, StatementTemplate>;

    permissions.add(templates.guardrails, runtime.guardrails.map((guardrail) => guardrailArn(location, guardrail)));
    permissions.add(templates.images, runtime.containerRepositories.map((arnOf) => arnOf(location)));
    permissions.add(templates.ecrToken, ["*"]);
    const logGroup = runtimeLogGroupArn(location, runtime.name);
    permissions.add(templates.logGroups, [logGroup]);
    permissions.add(templates.logStreams, [`${logGroup}:log-stream:*`]);
    permissions.add(templates.traces, ["*"]);
    permissions.add(templates.metrics, ["*"]);
    const identity = workloadIdentityArns(location, runtime.name);
    permissions.add(templates.tokens, identity, "workload-access-tokens");
    if (runtime.userIdTokens) permissions.add(templates.userIdTokens, identity, "workload-access-tokens-for-user-ids");
    permissions.add(templates.memories, runtime.memories.map((arnOf) => arnOf(location)));
    permissions.add(templates.gateways, runtime.agentGateways.map((arnOf) => arnOf(location)));
    if (runtime.codeInterpreter) permissions.add(templates.codeInterpreter, [agentCoreArn(location, `code-interpreter/${AWS_CODE_INTERPRETER_ID}`, "aws")]);
    if (runtime.browser) {
        permissions.add(templates.browser, [agentCoreArn(location, `browser/${AWS_BROWSER_ID}`, "aws")]);
        permissions.add(templates.browserStream, ["*"]);
    }
    return { units: permissions.units, templates: permissions.templates };
}

/** `bedrock-agentcore-identity!default/<kind>/<provider>-??????`: the secret AgentCore Identity keeps a provider's credential in. */
export function providerSecretArn(location: AwsLocation, kind: "apikey" | "oauth2", provider: string): string {
    return `arn:${location.partition}:secretsmanager:${location.region}:${location.accountId}:secret:bedrock-agentcore-identity!${DEFAULT_TOKEN_VAULT}/${kind}/${provider}-??????`;
}

/** The service role of one AgentCore gateway: its Lambda targets, and outbound credentials from the listed providers only. */
export function agentGatewayPermissions(location: AwsLocation, gateway: AgentGatewaySpec): Permissions {
    const permissions = collect();
    const templates = {
        functions: { sid: "InvokeListedFunctions", actions: ["lambda:InvokeFunction"] },
        tokens: { sid: "GetOwnWorkloadAccessTokens", actions: ["bedrock-agentcore:GetWorkloadAccessToken", "bedrock-agentcore:GetWorkloadAccessTokenForJWT"] },
        apiKeys: { sid: "GetListedApiKeys", actions: ["bedrock-agentcore:GetResourceApiKey"] },
        oauthTokens: { sid: "GetListedOauth2Tokens", actions: ["bedrock-agentcore:GetResourceOauth2Token"] },
        secrets: { sid: "ReadListedProviderSecrets", actions: ["secretsmanager:GetSecretValue"] },
    } satisfies Record<string, StatementTemplate>;
    for (const arnOf of gateway.lambdaTargets) {
        const functionArn = arnOf(location);
        // The function, and its versions and aliases (`function:<name>:<qualifier>`).
        permissions.add(templates.functions, [functionArn, `${functionArn}:*`], `function:${functionArn}`);
    }
    const providers = gateway.apiKeyProviders.length + gateway.oauthProviders.length;
    if (providers > 0) {
        const identity = workloadIdentityArns(location, gateway.name);
        const vault = agentCoreArn(location, `token-vault/${DEFAULT_TOKEN_VAULT}`);
        permissions.add(templates.tokens, identity, "workload-access-tokens");
        for (const provider of gateway.apiKeyProviders) {
            permissions.add(templates.apiKeys, [vault, `${vault}/apikeycredentialprovider/${provider}`, ...identity], `apikey:${provider}`);
            permissions.add(templates.secrets, [providerSecretArn(location, "apikey", provider)], `apikey-secret:${provider}`);
        }
        for (const provider of gateway.oauthProviders) {
            permissions.add(templates.oauthTokens, [vault, `${vault}/oauth2credentialprovider/${provider}`, ...identity], `oauth2:${provider}`);
            permissions.add(templates.secrets, [providerSecretArn(location, "oauth2", provider)], `oauth2-secret:${provider}`);
        }
    }
    return permissions;
}

/** The execution role of one memory's model-driven strategies: the listed models, nothing else. */
export function agentMemoryPermissions(location: AwsLocation, memory: AgentMemorySpec): Permissions {
    return modelInvokeUnits(location, memory.models, MODEL_ACTIONS);
}

export function agentCorePermissions(location: AwsLocation, role: AgentCoreRoleSpec): Permissions {
    switch (role.kind) {
        case "agentRuntimes":
            return agentRuntimePermissions(location, role);
        case "agentGateways":
            return agentGatewayPermissions(location, role);
        case "agentMemories":
            return agentMemoryPermissions(location, role);
    }
}

export function agentCorePermissionLayout(location: AwsLocation, role: AgentCoreRoleSpec, quotas: IamQuotas): LayoutResult {
    const { units, templates } = agentCorePermissions(location, role);
    return layoutPermissions(units, templates, quotas);
}

/** The issue for an AgentCore role whose permissions one role cannot hold within IAM's quotas. */
export function agentCorePermissionsIssue(role: AgentCoreRoleSpec, quotas: IamQuotas): ConfigIssue {
    return {
        path: role.configPath,
        value: `(${role.kind} role ${role.name})`,
        rule:
            `lists more resources than one role holds within IAM's quotas (inline policies ${quotas.inlinePolicyCharactersPerRole} characters, ` +
            `${quotas.managedPoliciesPerRole} managed policies of ${quotas.managedPolicyCharacters}): split it, ` +
            "or raise the account's managed-policies-per-role quota and set iamQuotas.managedPoliciesPerRole",
    };
}
