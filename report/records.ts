/**
 * Bedrock model invocation log records: parsing one line (one JSON record) into the fields the
 * usage report needs. Pure; a malformed line yields a reason, never an exception.
 */

export interface InvocationRecord {
    readonly timestamp: string;
    readonly accountId: string;
    /** The caller: `identity.arn`. */
    readonly identityArn: string;
    readonly region: string;
    readonly operation: string;
    readonly modelId: string;
    readonly inputTokens: number;
    readonly outputTokens: number;
    /** Input tokens read from the prompt cache (`input.cacheReadInputTokenCount`), 0 when absent. */
    readonly cacheReadInputTokens: number;
    /** Input tokens written to the prompt cache (`input.cacheWriteInputTokenCount`), 0 when absent. */
    readonly cacheWriteInputTokens: number;
    /** Where a cross-region call ran, when Bedrock reports it. */
    readonly inferenceRegion: string | undefined;
}

export type ParsedLine = { readonly ok: true; readonly record: InvocationRecord } | { readonly ok: false; readonly reason: string };

const invalid = (reason: string): ParsedLine => ({ ok: false, reason });

function tokenCount(value: unknown): number | undefined {
    if (value === undefined || value === null) return 0;
    return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

export function parseLogLine(line: string): ParsedLine {
    const text = line.trim();
    if (text === "") return invalid("empty line");
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        return invalid("not JSON");
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return invalid("not a JSON object");
    const record = parsed as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (record.schemaType !== undefined && record.schemaType !== "ModelInvocationLog") return invalid(`schemaType ${String(record.schemaType)}`);
    for (const field of ["timestamp", "accountId", "region", "operation", "modelId"] as const) {
        if (typeof record[field] !== "string" || record[field] === "") return invalid(`missing ${field}`);
    }
    const identityArn = record.identity?.arn;
    if (typeof identityArn !== "string") return invalid("missing identity.arn");
    const inputTokens = tokenCount(record.input?.inputTokenCount);
    const outputTokens = tokenCount(record.output?.outputTokenCount);
    if (inputTokens === undefined) return invalid("invalid input.inputTokenCount");
    if (outputTokens === undefined) return invalid("invalid output.outputTokenCount");
    const cacheReadInputTokens = tokenCount(record.input?.cacheReadInputTokenCount);
    const cacheWriteInputTokens = tokenCount(record.input?.cacheWriteInputTokenCount);
    if (cacheReadInputTokens === undefined) return invalid("invalid input.cacheReadInputTokenCount");
    if (cacheWriteInputTokens === undefined) return invalid("invalid input.cacheWriteInputTokenCount");
    return {
        ok: true,
        record: {
            timestamp: record.timestamp,
            accountId: record.accountId,
            identityArn,
            region: record.region,
            operation: record.operation,
            modelId: record.modelId,
            inputTokens,
            outputTokens,
            cacheReadInputTokens,
            cacheWriteInputTokens,
            inferenceRegion: typeof record.inferenceRegion === "string" ? record.inferenceRegion : undefined,
        },
    };
}
