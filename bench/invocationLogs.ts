/**
 * Realistic model invocation log records, generated (deterministically) in the documented format,
 * with a chosen share of malformed lines: for the report's tests and its benchmark.
 */

const MODELS = [
    "anthropic.claude-sonnet-4-20250514-v1:0",
    "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
    "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "amazon.nova-pro-v1:0",
    "arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/a1b2c3d4e5f6",
    "amazon.titan-embed-text-v2:0",
];
const IDENTITIES = [
    "arn:aws:sts::123456789012:assumed-role/bedrock-gateway-portkey-eu-west-1/portkey",
    "arn:aws:sts::123456789012:assumed-role/bedrock-gateway-port-eu-west-1/port",
    "arn:aws:sts::123456789012:assumed-role/AmazonBedrockExecutionRoleForAgents_support-agent/agent",
];
const OPERATIONS = ["Converse", "ConverseStream", "InvokeModel", "InvokeModelWithResponseStream"];
const MALFORMED = ["{not json", '{"schemaType":"ModelInvocationLog","timestamp":"2026-11-23T10:00:00Z"}', '{"modelId":"x","input":{"inputTokenCount":-1}}', ""];

/** A small deterministic generator (mulberry32), so tests and benchmarks see the same records. */
export function seededRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export interface GeneratedLine {
    readonly line: string;
    /** The record's facts, for assertions; undefined for a malformed line. */
    readonly expected?: { modelId: string; identityArn: string; day: string; inputTokens: number; outputTokens: number; cacheReadInputTokens: number; cacheWriteInputTokens: number };
}

/** Line `index` of a generated log: one record in every `1 / malformedShare` is malformed. */
export function generatedLine(random: () => number, index: number, malformedShare = 0.001, millisPerLine = 137): GeneratedLine {
    if (random() < malformedShare) return { line: MALFORMED[index % MALFORMED.length] };
    const modelId = MODELS[Math.floor(random() * MODELS.length)];
    const identityArn = IDENTITIES[Math.floor(random() * IDENTITIES.length)];
    const inputTokens = Math.floor(random() * 4000);
    const outputTokens = modelId.includes("embed") ? 0 : Math.floor(random() * 1500);
    // Prompt caching (Anthropic models): some calls read the cache, some write it.
    const caching = modelId.includes("anthropic");
    const cacheReadInputTokens = caching && random() < 0.5 ? Math.floor(random() * 8000) : 0;
    const cacheWriteInputTokens = caching && random() < 0.2 ? Math.floor(random() * 2000) : 0;
    const timestamp = new Date(Date.UTC(2026, 10, 23, 10, 0, 0) + index * millisPerLine).toISOString();
    const record = {
        schemaType: "ModelInvocationLog",
        schemaVersion: "1.0",
        timestamp,
        accountId: "123456789012",
        identity: { arn: identityArn },
        region: "eu-west-1",
        requestId: `req-${index.toString(16).padStart(8, "0")}`,
        operation: OPERATIONS[index % OPERATIONS.length],
        modelId,
        input: { inputContentType: "application/json", inputBodyJson: { messages: [{ role: "user", content: [{ text: "Summarize ticket 4711 for the on-call engineer." }] }] }, inputTokenCount: inputTokens, ...(caching ? { cacheReadInputTokenCount: cacheReadInputTokens, cacheWriteInputTokenCount: cacheWriteInputTokens } : {}) },
        output: { outputContentType: "application/json", outputBodyJson: { output: { message: { role: "assistant", content: [{ text: "The ticket reports a failed payment retry." }] } } }, outputTokenCount: outputTokens },
        ...(modelId.startsWith("eu.") || modelId.startsWith("global.") ? { inferenceRegion: "eu-central-1" } : {}),
    };
    return { line: JSON.stringify(record), expected: { modelId, identityArn, day: timestamp.slice(0, 10), inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens } };
}
