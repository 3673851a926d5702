/** The AgentCore keys of the configuration: what they accept, what they refuse, and that nothing registers on a refusal. */
import * as assert from "assert";
import { agentCoreRoleName } from "../../components/agentcore/agentCoreConfig";
import { validateStackConfig } from "../../components/stack/stackConfig";
import { RejectionCase, issuesOf, itRejects } from "../assertions";
import { REGION, runProgram } from "../harness";

const runtime = { name: "support_agent", models: ["anthropic.claude-sonnet-4-20250514-v1:0"], containerRepositories: ["agents/support"] };
const gateway = { name: "tools-gateway", lambdaTargets: ["order-lookup"] };
const memory = { name: "support_memory", models: ["anthropic.claude-3-haiku-20240307-v1:0"] };
const RUNTIME_ARN = "arn:aws:bedrock-agentcore:eu-west-1:123456789012:runtime/support_agent-AbCdE12345";

function validate(serviceRoles: unknown, gateways?: unknown) {
    return validateStackConfig({
        region: "eu-west-1",
        projectValues: { serviceRoles: JSON.stringify(serviceRoles), ...(gateways ? { gateways: JSON.stringify(gateways) } : {}) },
    });
}

describe("AgentCore configuration", () => {
    it("accepts a runtime, a gateway and a memory beside Bedrock's service roles, with their defaults", () => {
        const config = validate({ flows: [{ name: "support-flow", models: ["amazon.nova-pro-v1:0"] }], agentRuntimes: [runtime], agentGateways: [gateway], agentMemories: [memory] });
        assert.deepStrictEqual(config.serviceRoles.map((role) => role.name), ["support-flow"]);
        const [parsed] = config.agentCoreRoles.agentRuntimes;
        assert.deepStrictEqual(
            [parsed.configPath, parsed.codeInterpreter, parsed.browser, parsed.userIdTokens, parsed.memories.length, parsed.agentGateways.length],
            ["serviceRoles.agentRuntimes[0]", false, false, false, 0, 0],
        );
        assert.deepStrictEqual(config.agentCoreRoles.agentGateways[0].apiKeyProviders, []);
        assert.strictEqual(config.agentCoreRoles.agentMemories[0].configPath, "serviceRoles.agentMemories[0]");
    });

    it("keeps IAM role names within 64 characters, distinct for distinct long names", () => {
        const long = { ...runtime, kind: "agentRuntimes" as const, configPath: "", guardrails: [], memories: [], agentGateways: [], codeInterpreter: false, browser: false, userIdTokens: false, models: [], containerRepositories: [] };
        const a = agentCoreRoleName({ ...long, name: `a${"x".repeat(47)}` }, "ap-southeast-2");
        const b = agentCoreRoleName({ ...long, name: `b${"x".repeat(47)}` }, "ap-southeast-2");
        assert.ok(a.length <= 64 && b.length <= 64 && a !== b, `${a} ${b}`);
        assert.strictEqual(agentCoreRoleName({ ...long, name: "support_agent" }, REGION), `agentcore-runtime-support_agent-${REGION}`);
    });

    const cases: RejectionCase<[unknown, unknown?]>[] = [
        { title: "a hyphen in a runtime name", input: [{ agentRuntimes: [{ ...runtime, name: "support-agent" }] }], path: "serviceRoles.agentRuntimes[0].name", value: '"support-agent"', rule: /\[a-zA-Z\]\[a-zA-Z0-9_\]\{0,47\}.*no hyphen/ },
        { title: "a runtime name of 49 characters", input: [{ agentRuntimes: [{ ...runtime, name: `a${"b".repeat(48)}` }] }], path: "serviceRoles.agentRuntimes[0].name", value: `"a${"b".repeat(48)}"`, rule: /runtime names/ },
        { title: "a hyphen in a memory name", input: [{ agentMemories: [{ ...memory, name: "support-memory" }] }], path: "serviceRoles.agentMemories[0].name", value: '"support-memory"', rule: /memory names/ },
        { title: "a gateway name with two hyphens in a row", input: [{ agentGateways: [{ ...gateway, name: "tools--gateway" }] }], path: "serviceRoles.agentGateways[0].name", value: '"tools--gateway"', rule: /gateway names/ },
        { title: "a repository that is not an ECR name or ARN", input: [{ agentRuntimes: [{ ...runtime, containerRepositories: ["docker.io/library/python:3.12"] }] }], path: "serviceRoles.agentRuntimes[0].containerRepositories[0]", value: '"docker.io/library/python:3.12"', rule: /ECR repository name/ },
        { title: "a repository pattern", input: [{ agentRuntimes: [{ ...runtime, containerRepositories: ["agents/*"] }] }], path: "serviceRoles.agentRuntimes[0].containerRepositories[0]", value: '"agents/*"', rule: /wildcards/ },
        { title: "a runtime with no repository", input: [{ agentRuntimes: [{ ...runtime, containerRepositories: [] }] }], path: "serviceRoles.agentRuntimes[0].containerRepositories", value: "[]", rule: /at least one ECR repository/ },
        { title: "agentGateways naming a runtime ARN", input: [{ agentRuntimes: [{ ...runtime, agentGateways: [RUNTIME_ARN] }] }], path: "serviceRoles.agentRuntimes[0].agentGateways[0]", value: JSON.stringify(RUNTIME_ARN), rule: /AgentCore gateway ID/ },
        { title: "memories naming a gateway ARN", input: [{ agentRuntimes: [{ ...runtime, memories: ["arn:aws:bedrock-agentcore:eu-west-1:123456789012:gateway/tools-gateway-abcde12345"] }] }], path: "serviceRoles.agentRuntimes[0].memories[0]", value: '"arn:aws:bedrock-agentcore:eu-west-1:123456789012:gateway/tools-gateway-abcde12345"', rule: /memory ID/ },
        { title: "an unknown key of a runtime", input: [{ agentRuntimes: [{ ...runtime, codeInterpreters: true }] }], path: "serviceRoles.agentRuntimes[0].codeInterpreters", value: "true", rule: /unknown key/ },
        { title: "an unknown AgentCore kind", input: [{ agentRuntime: [{ name: "x" }] }], path: "serviceRoles.agentRuntime", value: '[{"name":"x"}]', rule: /unknown key/ },
        { title: "a non-boolean userIdTokens", input: [{ agentRuntimes: [{ ...runtime, userIdTokens: "yes" }] }], path: "serviceRoles.agentRuntimes[0].userIdTokens", value: '"yes"', rule: /boolean/ },
        { title: "a Lambda target pattern", input: [{ agentGateways: [{ ...gateway, lambdaTargets: ["order-*"] }] }], path: "serviceRoles.agentGateways[0].lambdaTargets[0]", value: '"order-*"', rule: /wildcards/ },
        { title: "a credential provider with a slash", input: [{ agentGateways: [{ ...gateway, oauthProviders: ["github/prod"] }] }], path: "serviceRoles.agentGateways[0].oauthProviders[0]", value: '"github/prod"', rule: /credential provider name/ },
        { title: "a memory with no model", input: [{ agentMemories: [{ ...memory, models: [] }] }], path: "serviceRoles.agentMemories[0].models", value: "[]", rule: /at least one model/ },
        { title: "two runtimes of one name", input: [{ agentRuntimes: [runtime, runtime] }], path: "serviceRoles.agentRuntimes[1].name", value: '"support_agent"', rule: /unique/ },
        {
            title: "an LLM gateway's agentRuntimes naming an endpoint",
            input: [{}, [{ name: "portkey", attachToRole: "portkey", models: ["amazon.nova-pro-v1:0"], agentRuntimes: [`${RUNTIME_ARN}/runtime-endpoint/DEFAULT`] }]],
            path: "gateways[0].agentRuntimes[0]",
            value: JSON.stringify(`${RUNTIME_ARN}/runtime-endpoint/DEFAULT`),
            rule: /AgentCore runtime ARN/,
        },
        {
            title: "an LLM gateway's agentRuntimes naming a runtime by pattern",
            input: [{}, [{ name: "portkey", attachToRole: "portkey", models: ["amazon.nova-pro-v1:0"], agentRuntimes: ["arn:aws:bedrock-agentcore:eu-west-1:123456789012:runtime/*"] }]],
            path: "gateways[0].agentRuntimes[0]",
            value: '"arn:aws:bedrock-agentcore:eu-west-1:123456789012:runtime/*"',
            rule: /wildcards/,
        },
    ];
    itRejects(cases, ([serviceRoles, gateways]) => validate(serviceRoles, gateways));

    it("reports every AgentCore problem together with the other keys' ones", () => {
        const issues = issuesOf(() => validate({ flows: [{ name: "Bad Flow", models: ["amazon.nova-pro-v1:0"] }], agentRuntimes: [{ ...runtime, name: "bad-name" }] }));
        assert.deepStrictEqual(issues.map((issue) => issue.path).sort(), ["serviceRoles.agentRuntimes[0].name", "serviceRoles.flows[0].name"]);
    });

    it("registers nothing when an AgentCore entry is refused", async () => {
        await assert.rejects(runProgram({ serviceRoles: { agentRuntimes: [{ ...runtime, name: "support-agent" }] } }), /serviceRoles\.agentRuntimes\[0\]\.name/);
    });
});
