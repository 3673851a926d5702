/**
 * `monitoring.enforcedGuardrail`: the account's enforced guardrail (aws-native
 * `bedrock.EnforcedGuardrailConfiguration`) registered with exactly the configured inputs, through an
 * aws-native provider of the stack's region; bad input refused before anything registers.
 */
import * as assert from "assert";
import { plainValue } from "../../offline/engine/mockEngine";
import { assertPackFindsNothing } from "../assertions";
import { ACCOUNT_ID, mockEngine, runProgram } from "../harness";

const TYPE = "aws-native:bedrock:EnforcedGuardrailConfiguration";
const HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0";
const gateways = [{ name: "portkey", attachToRole: "portkey", models: [HAIKU] }];

describe("the enforced guardrail (monitoring.enforcedGuardrail)", function () {
    this.timeout(120000);

    it("is not registered unless configured", async () => {
        const { engine } = await runProgram({ gateways, monitoring: {} });
        assert.deepStrictEqual(engine.ofType(TYPE), []);
    });

    it("registers the guardrail by ID and version, on every model by default", async () => {
        const { engine } = await runProgram({ gateways, monitoring: { enforcedGuardrail: { guardrail: "abc123def456:3" } } });
        const [configuration, ...others] = engine.ofType(TYPE);
        assert.deepStrictEqual(others, []);
        assert.deepStrictEqual(plainValue(configuration.properties), { guardrailIdentifier: "abc123def456", guardrailVersion: "3" });
        const [provider] = engine.ofType("pulumi:providers:aws-native").filter((candidate) => candidate.name === "bedrock-enforced-guardrail-aws-native");
        assert.ok(provider, "its own aws-native provider");
        assert.strictEqual(provider.properties.region, "eu-west-1");
        await assertPackFindsNothing(engine.resources);
    });

    it("passes an ARN, the model lists and the guarding modes as the resource takes them", async () => {
        const arn = `arn:aws:bedrock:eu-west-1:${ACCOUNT_ID}:guardrail/abc123def456`;
        const { engine } = await runProgram({
            gateways,
            monitoring: { enforcedGuardrail: { guardrail: `${arn}:12`, includedModels: [HAIKU, "amazon.nova-pro-v1:0"], excludedModels: ["amazon.nova-pro-v1:0"], messages: "SELECTIVE", system: "COMPREHENSIVE" } },
        });
        const [configuration] = engine.ofType(TYPE);
        assert.deepStrictEqual(plainValue(configuration.properties), {
            guardrailIdentifier: arn,
            guardrailVersion: "12",
            modelEnforcement: { includedModels: [HAIKU, "amazon.nova-pro-v1:0"], excludedModels: ["amazon.nova-pro-v1:0"] },
            selectiveContentGuarding: { messages: "SELECTIVE", system: "COMPREHENSIVE" },
        });
        // Included models alone: Bedrock takes both lists, the excluded one empty.
        const alone = await runProgram({ gateways, monitoring: { enforcedGuardrail: { guardrail: "abc123def456:1", includedModels: [HAIKU], system: "SELECTIVE" } } });
        assert.deepStrictEqual(plainValue(alone.engine.ofType(TYPE)[0].properties), {
            guardrailIdentifier: "abc123def456",
            guardrailVersion: "1",
            modelEnforcement: { includedModels: [HAIKU], excludedModels: [] },
            selectiveContentGuarding: { system: "SELECTIVE" },
        });
    });

    const refused: { title: string; value: unknown; path: string; rule: RegExp; enabled?: false }[] = [
        { title: "a draft version", value: { guardrail: "abc123def456:DRAFT" }, path: "monitoring.enforcedGuardrail.guardrail", rule: /must be <guardrail ID or ARN>:<version>, the version a number \(not DRAFT\)/ },
        { title: "no version", value: { guardrail: "abc123def456" }, path: "monitoring.enforcedGuardrail.guardrail", rule: /must be <guardrail ID or ARN>:<version>/ },
        { title: "a guardrail name, not an ID", value: { guardrail: "My Guardrail:1" }, path: "monitoring.enforcedGuardrail.guardrail", rule: /must be <guardrail ID or ARN>:<version>/ },
        {
            title: "a guardrail of another region",
            value: { guardrail: `arn:aws:bedrock:us-east-1:${ACCOUNT_ID}:guardrail/abc123def456:1` },
            path: "monitoring.enforcedGuardrail.guardrail",
            rule: /names a guardrail in us-east-1, not the stack's region eu-west-1/,
        },
        { title: "an empty model list", value: { guardrail: "abc123def456:1", includedModels: [] }, path: "monitoring.enforcedGuardrail.includedModels", rule: /must name at least one model/ },
        { title: "excluded models alone", value: { guardrail: "abc123def456:1", excludedModels: [HAIKU] }, path: "monitoring.enforcedGuardrail.excludedModels", rule: /only with includedModels/ },
        { title: "an unknown guarding mode", value: { guardrail: "abc123def456:1", messages: "ALL" }, path: "monitoring.enforcedGuardrail.messages", rule: /must be one of SELECTIVE, COMPREHENSIVE/ },
        { title: "an unknown key", value: { guardrail: "abc123def456:1", models: [HAIKU] }, path: "monitoring.enforcedGuardrail.models", rule: /unknown key/ },
        { title: "monitoring switched off", value: { guardrail: "abc123def456:1" }, path: "monitoring.enforcedGuardrail", rule: /only with monitoring enabled/, enabled: false },
    ];
    for (const { title, value, path, rule, enabled } of refused) {
        it(`refuses ${title}, naming the key, and registers nothing`, async () => {
            await assert.rejects(runProgram({ gateways, monitoring: { ...(enabled === false && { enabled }), enforcedGuardrail: value } }), (error: Error) => {
                const line = error.message.split("\n").find((candidate) => candidate.includes(`${path} `) || candidate.includes(`${path}:`) || candidate.includes(`${path} =`));
                assert.ok(line, error.message);
                assert.match(line, rule);
                return true;
            });
            assert.deepStrictEqual((await mockEngine()).resources, []);
        });
    }
});
