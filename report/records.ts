/**
 * Bedrock model invocation log records: parsing one line (one JSON record) into the fields the
 * usage report needs. Pure; a malformed line yields a reason, never an exception.
 */

export interface InvocationRecord {
    /** As the record writes it (ISO 8601). */
    readonly timestamp: string;
    /** The timestamp in milliseconds since the epoch: what windows and days are cut by. */
    readonly time: number;
    /** The invocation's ID: a record read twice (two files, two exports) counts once. Undefined in a record without one (never deduplicated). */
    readonly requestId: string | undefined;
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
    /**
     * `requestMetadata`: the caller's key-value pairs (the `X-Amzn-Bedrock-Request-Metadata` header of
     * InvokeModel, the `requestMetadata` field of Converse), when the call carried them. Values that are
     * not strings are left out.
     */
    readonly requestMetadata: Readonly<Record<string, string>> | undefined;
}

export type ParsedLine = { readonly ok: true; readonly record: InvocationRecord } | { readonly ok: false; readonly reason: string };

const invalid = (reason: string): ParsedLine => ({ ok: false, reason });

/** More tokens than any model reads or writes in one call: a count above it is corrupt, not usage. */
export const MAX_TOKENS_PER_RECORD = 100_000_000;

/** A token count: absent is 0; otherwise a whole number from 0 to `MAX_TOKENS_PER_RECORD`, or the reason it is not. */
function tokenCount(value: unknown, field: string): number | string {
    if (value === undefined || value === null) return 0;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return `invalid ${field}`;
    if (!Number.isInteger(value)) return `invalid ${field} (not a whole number)`;
    if (value > MAX_TOKENS_PER_RECORD) return `invalid ${field} (over ${MAX_TOKENS_PER_RECORD})`;
    return value;
}

/** ISO 8601 with a date, a time and a zone, as Bedrock writes it (`2026-11-23T10:15:30Z`). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** Milliseconds since the epoch of an ISO 8601 instant, or undefined when it is not one. */
export function instantOf(text: string): number | undefined {
    if (!ISO_INSTANT.test(text)) return undefined;
    const time = Date.parse(text);
    return Number.isFinite(time) ? time : undefined;
}

const dayNames = new Map<number, string>();

/** The UTC day (`YYYY-MM-DD`) of a time (each day's name made once: this runs for every record). */
export function utcDay(time: number): string {
    const day = Math.floor(time / 86400_000);
    let name = dayNames.get(day);
    if (name === undefined) {
        name = new Date(day * 86400_000).toISOString().slice(0, 10);
        dayNames.set(day, name);
    }
    return name;
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
    const counts = [
        tokenCount(record.input?.inputTokenCount, "input.inputTokenCount"),
        tokenCount(record.output?.outputTokenCount, "output.outputTokenCount"),
        tokenCount(record.input?.cacheReadInputTokenCount, "input.cacheReadInputTokenCount"),
        tokenCount(record.input?.cacheWriteInputTokenCount, "input.cacheWriteInputTokenCount"),
    ];
    const problem = counts.find((count) => typeof count === "string");
    if (typeof problem === "string") return invalid(problem);
    const [inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens] = counts as number[];
    const time = instantOf(record.timestamp);
    if (time === undefined) return invalid("invalid timestamp");
    return {
        ok: true,
        record: {
            timestamp: record.timestamp,
            time,
            requestId: typeof record.requestId === "string" && record.requestId !== "" ? record.requestId : undefined,
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
            requestMetadata: requestMetadataOf(record.requestMetadata),
        },
    };
}

/** The string pairs of a record's `requestMetadata`; undefined when it has none. */
function requestMetadataOf(value: unknown): Readonly<Record<string, string>> | undefined {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    let pairs: Record<string, string> | undefined;
    for (const [key, entry] of Object.entries(value)) {
        if (typeof entry !== "string") continue;
        pairs ??= Object.create(null) as Record<string, string>;
        pairs[key] = entry;
    }
    return pairs;
}
