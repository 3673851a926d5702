import * as assert from "assert";
import { validateStackConfig } from "../../components/stack/stackConfig";
import { RejectionCase, issuesOf, itRejects } from "../assertions";

const flow = { name: "support-flow", models: ["anthropic.claude-sonnet-4-20250514-v1:0"] };
const agent = { name: "support-agent", models: ["amazon.nova-pro-v1:0"] };
const knowledgeBase = { name: "docs", embeddingModels: ["amazon.titan-embed-text-v2:0"], dataSources: ["docs-bucket/manuals"] };
const customization = { name: "tuning", trainingData: ["tuning-data/train"], outputData: ["tuning-output"] };
const batch = { name: "summaries", models: ["amazon.nova-pro-v1:0"], inputData: ["batch-in/records.jsonl"], outputData: ["batch-out/results"] };

function validate(serviceRoles: unknown) {
    return validateStackConfig({ region: "eu-west-1", projectValues: { serviceRoles: JSON.stringify(serviceRoles) } });
}



describe("serviceRoles configuration", () => {
    it("accepts one role of each kind and maps each kind's fields", () => {
        const roles = validate({ flows: [flow], agents: [agent], knowledgeBases: [knowledgeBase], modelCustomization: [customization] }).serviceRoles;
        assert.deepStrictEqual(
            roles.map((role) => [role.kind, role.name, role.configPath, role.roleName, role.models.length, role.s3Read.length, role.s3Write.length, role.listReadLocations]),
            [
                ["flows", "support-flow", "serviceRoles.flows[0]", undefined, 1, 0, 0, false],
                ["agents", "support-agent", "serviceRoles.agents[0]", undefined, 1, 0, 0, false],
                ["knowledgeBases", "docs", "serviceRoles.knowledgeBases[0]", undefined, 1, 1, 0, true],
                ["modelCustomization", "tuning", "serviceRoles.modelCustomization[0]", undefined, 0, 1, 1, true],
            ],
        );
    });

    it("maps a batch inference job's input to reads of the prefix and of the object it names, and its output to writes", () => {
        const [role] = validate({ batchInference: [batch] }).serviceRoles;
        assert.deepStrictEqual(
            [role.kind, role.configPath, role.s3Read, role.s3ReadObjects, role.s3Write, role.listReadLocations, role.createKey, role.keyUsers],
            ["batchInference", "serviceRoles.batchInference[0]", [{ bucket: "batch-in", prefix: "records.jsonl" }], [{ bucket: "batch-in", prefix: "records.jsonl" }], [{ bucket: "batch-out", prefix: "results" }], true, false, undefined],
        );
    });

    it("takes guardrails on flows and agents, collaborators on agents, and keyUsers with createKey", () => {
        const roles = validate({
            flows: [{ ...flow, guardrails: ["gr7x2k9q1abc"] }],
            agents: [{ ...agent, guardrails: ["arn:aws:bedrock:eu-west-1:123456789012:guardrail/gr7x2k9q1abc"], collaborators: ["AGENT12345/ALIAS12345"], createKey: true, keyUsers: ["arn:aws:iam::123456789012:role/builders"] }],
        }).serviceRoles;
        assert.deepStrictEqual(roles.map((role) => [role.guardrails.length, role.collaborators.length, role.keyUsers]), [
            [1, 0, undefined],
            [1, 1, ["arn:aws:iam::123456789012:role/builders"]],
        ]);
    });

    const cases: RejectionCase<unknown>[] = [
        { title: "a duplicate flow name", input: { flows: [flow, flow] }, path: "serviceRoles.flows[1].name", value: '"support-flow"', rule: /unique/ },
        { title: "an agent role name without AWS's prefix", input: { agents: [{ ...agent, roleName: "my-agent-role" }] }, path: "serviceRoles.agents[0].roleName", value: '"my-agent-role"', rule: /must start with AmazonBedrockExecutionRoleForAgents_/ },
        { title: "an agent role name over 64 characters", input: { agents: [{ ...agent, roleName: `AmazonBedrockExecutionRoleForAgents_${"x".repeat(40)}` }] }, path: "serviceRoles.agents[0].roleName", value: `"AmazonBedrockExecutionRoleForAgents_${"x".repeat(40)}"`, rule: /at most 64/ },
        { title: "an agent name too long for the prefix", input: { agents: [{ ...agent, name: "a".repeat(29) }] }, path: "serviceRoles.agents[0].name", value: `"${"a".repeat(29)}"`, rule: /1 to 28/ },
        { title: "a malformed knowledge base ID", input: { flows: [{ ...flow, knowledgeBases: ["kb-1"] }] }, path: "serviceRoles.flows[0].knowledgeBases[0]", value: '"kb-1"', rule: /knowledge base ID/ },
        { title: "an agent alias without its agent", input: { flows: [{ ...flow, agentAliases: ["ALIAS12345"] }] }, path: "serviceRoles.flows[0].agentAliases[0]", value: '"ALIAS12345"', rule: /<agent ID>\/<alias ID>/ },
        { title: "a wildcard prompt", input: { flows: [{ ...flow, prompts: ["arn:aws:bedrock:eu-west-1:123456789012:prompt/*"] }] }, path: "serviceRoles.flows[0].prompts[0]", value: '"arn:aws:bedrock:eu-west-1:123456789012:prompt/*"', rule: /wildcards/ },
        { title: "a bucket in the wrong shape", input: { flows: [{ ...flow, s3Read: ["My_Bucket/data"] }] }, path: "serviceRoles.flows[0].s3Read[0]", value: '"My_Bucket/data"', rule: /valid S3 bucket name/ },
        { title: "a wildcard S3 prefix", input: { flows: [{ ...flow, s3Write: ["bucket-1/out/*"] }] }, path: "serviceRoles.flows[0].s3Write[0]", value: '"bucket-1/out/*"', rule: /wildcards/ },
        { title: "a KMS alias", input: { flows: [{ ...flow, kmsKeys: ["alias/my-key"] }] }, path: "serviceRoles.flows[0].kmsKeys[0]", value: '"alias/my-key"', rule: /aliases are not accepted/ },
        { title: "a qualified Lambda ARN", input: { agents: [{ ...agent, lambdaFunctions: ["arn:aws:lambda:eu-west-1:123456789012:function:f:1"] }] }, path: "serviceRoles.agents[0].lambdaFunctions[0]", value: '"arn:aws:lambda:eu-west-1:123456789012:function:f:1"', rule: /function name or an unqualified function ARN/ },
        { title: "an action group schema that is a prefix", input: { agents: [{ ...agent, actionGroupSchemas: ["schemas-bucket"] }] }, path: "serviceRoles.agents[0].actionGroupSchemas[0]", value: '"schemas-bucket"', rule: /must name an object/ },
        { title: "a secret without its suffix", input: { knowledgeBases: [{ ...knowledgeBase, secrets: ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:pinecone"] }] }, path: "serviceRoles.knowledgeBases[0].secrets[0]", value: '"arn:aws:secretsmanager:eu-west-1:123456789012:secret:pinecone"', rule: /6-character suffix/ },
        { title: "a knowledge base without data sources", input: { knowledgeBases: [{ ...knowledgeBase, dataSources: [] }] }, path: "serviceRoles.knowledgeBases[0].dataSources", value: "[]", rule: /at least one S3 data source/ },
        { title: "a flow field on an agent", input: { agents: [{ ...agent, prompts: ["PROMPT1234"] }] }, path: "serviceRoles.agents[0].prompts", value: '["PROMPT1234"]', rule: /unknown key/ },
        { title: "keyUsers without createKey", input: { agents: [{ ...agent, keyUsers: ["arn:aws:iam::123456789012:role/builders"] }] }, path: "serviceRoles.agents[0].keyUsers", value: '["arn:aws:iam::123456789012:role/builders"]', rule: /only with createKey: true/ },
        { title: "an empty keyUsers", input: { agents: [{ ...agent, createKey: true, keyUsers: [] }] }, path: "serviceRoles.agents[0].keyUsers", value: "[]", rule: /at least one principal/ },
        { title: "a wildcard key user", input: { flows: [{ ...flow, createKey: true, keyUsers: ["arn:aws:iam::123456789012:role/*"] }] }, path: "serviceRoles.flows[0].keyUsers[0]", value: '"arn:aws:iam::123456789012:role/*"', rule: /wildcards/ },
        { title: "an account root as key user", input: { knowledgeBases: [{ ...knowledgeBase, createKey: true, keyUsers: ["arn:aws:iam::123456789012:root"] }] }, path: "serviceRoles.knowledgeBases[0].keyUsers[0]", value: '"arn:aws:iam::123456789012:root"', rule: /IAM role or user ARN/ },
        { title: "a malformed agent guardrail", input: { agents: [{ ...agent, guardrails: ["My-Guardrail"] }] }, path: "serviceRoles.agents[0].guardrails[0]", value: '"My-Guardrail"', rule: /guardrail ID/ },
        { title: "a wildcard flow guardrail", input: { flows: [{ ...flow, guardrails: ["arn:aws:bedrock:eu-west-1:123456789012:guardrail/*"] }] }, path: "serviceRoles.flows[0].guardrails[0]", value: '"arn:aws:bedrock:eu-west-1:123456789012:guardrail/*"', rule: /wildcards/ },
        { title: "guardrails on a knowledge base", input: { knowledgeBases: [{ ...knowledgeBase, guardrails: ["gr7x2k9q1abc"] }] }, path: "serviceRoles.knowledgeBases[0].guardrails", value: '["gr7x2k9q1abc"]', rule: /unknown key/ },
        { title: "a collaborator without its alias", input: { agents: [{ ...agent, collaborators: ["AGENT12345"] }] }, path: "serviceRoles.agents[0].collaborators[0]", value: '"AGENT12345"', rule: /<agent ID>\/<alias ID>/ },
        { title: "collaborators on a flow", input: { flows: [{ ...flow, collaborators: ["AGENT12345/ALIAS12345"] }] }, path: "serviceRoles.flows[0].collaborators", value: '["AGENT12345/ALIAS12345"]', rule: /unknown key/ },
        { title: "a batch job without input", input: { batchInference: [{ ...batch, inputData: [] }] }, path: "serviceRoles.batchInference[0].inputData", value: "[]", rule: /at least one S3 location/ },
        { title: "a batch job without models", input: { batchInference: [{ name: "summaries", inputData: ["batch-in"], outputData: ["batch-out"] }] }, path: "serviceRoles.batchInference[0].models", value: "(not set)", rule: /expected array/ },
        { title: "a wildcard batch model", input: { batchInference: [{ ...batch, models: ["anthropic.*"] }] }, path: "serviceRoles.batchInference[0].models[0]", value: '"anthropic.*"', rule: /wildcards/ },
        { title: "createKey on a batch job", input: { batchInference: [{ ...batch, createKey: true }] }, path: "serviceRoles.batchInference[0].createKey", value: "true", rule: /unknown key/ },
        { title: "a duplicate batch job name", input: { batchInference: [batch, batch] }, path: "serviceRoles.batchInference[1].name", value: '"summaries"', rule: /unique/ },
        { title: "an unknown kind", input: { guardrails: [] }, path: "serviceRoles.guardrails", value: "[]", rule: /unknown key/ },
    ];
    itRejects(cases, validate);

    it("reports problems of several kinds together", () => {
        const issues = issuesOf(() => validate({ flows: [{ ...flow, models: ["*"] }], modelCustomization: [{ ...customization, outputData: [] }] }));
        assert.deepStrictEqual(issues.map((issue) => issue.path).sort(), ["serviceRoles.flows[0].models[0]", "serviceRoles.modelCustomization[0].outputData"]);
    });
});
