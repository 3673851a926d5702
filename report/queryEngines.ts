/**
 * The usage report on AWS's own engines, where the logs are: CloudWatch Logs Insights (StartQuery,
 * GetQueryResults) over the invocation log group, and Athena (StartQueryExecution, results paged)
 * over the Glue table the stack defines on the log bucket. Each runs the three reports (by model, by
 * caller and model, by day and model) server-side and hands the summed rows to the aggregator,
 * which prices them.
 */
import { CloudWatchLogsClient, GetQueryResultsCommand, ResultField, StartQueryCommand } from "@aws-sdk/client-cloudwatch-logs";
import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand, paginateGetQueryResults } from "@aws-sdk/client-athena";
import { ATHENA_DATABASE, ATHENA_WORKGROUP, USAGE_REPORTS, UsageReportKind, athenaQuery, insightsQuery, partitionDay } from "../components/monitoring/usageQueries";
import { UsageAggregator, UsageCounts, UsageView } from "./aggregate";
import { Dimension, Grouping, NONE, metadataValue, roleArn } from "./dimensions";
import { athenaGroupQuery, insightsGroupQuery } from "./groupQueries";

/** The time range of a report. */
export interface ReportRange {
    readonly start: Date;
    readonly end: Date;
}

/** What an engine tells the progress line while it waits. */
export type EngineProgress = (message: string) => void;

export interface EngineOptions {
    /** Milliseconds between polls of a running query. */
    readonly pollMs?: number;
    readonly onProgress?: EngineProgress;
    /** The `--by` groupings: one more query each. None if not provided. */
    readonly groupings?: readonly Grouping[];
    /** Asked with the model IDs of a query's rows before they are counted (application inference profiles are resolved there). */
    readonly resolveModels?: (modelIds: readonly string[]) => Promise<void>;
}

/** A cell that a grouping left without a value (`null` or empty in the engine's answer) is `(none)`. */
const valueOrNone = (value: string | undefined) => metadataValue(value);

/** The value of a dimension in a grouping's result row, the same as the local engine gives the record. */
function dimensionValue(dimension: Dimension, cell: (name: string) => string | undefined, insightsIndex: number): string {
    switch (dimension.kind) {
        case "model":
            return valueOrNone(cell("modelId"));
        case "caller":
            return valueOrNone(cell("caller"));
        case "day":
            return valueOrNone(cell("day")?.slice(0, 10));
        case "role": {
            const parts = [cell("rolePartition"), cell("roleAccount"), cell("roleName")];
            return parts.every((part) => part !== undefined && part !== "" && part !== NONE) ? roleArn(parts[0]!, parts[1]!, parts[2]!) : NONE;
        }
        case "session":
            return valueOrNone(cell("roleSession"));
        case "metadata":
            return valueOrNone(cell(`metadata${insightsIndex}`));
    }
}

/** The distinct model IDs of rows. */
const modelIdsOf = (rows: readonly (string | undefined)[]) => [...new Set(rows.filter((modelId): modelId is string => modelId !== undefined))];

/** A query that ended without results: one sentence for the user. */
export class QueryFailedError extends Error {}

const VIEW_OF: Readonly<Record<UsageReportKind, UsageView>> = { "by-model": "byModel", "by-caller": "byIdentity", "by-day": "byDay" };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A number from a result cell; an empty cell (a sum over no values) is 0. */
function count(value: string | undefined): number {
    const parsed = Number(value ?? 0);
    return Number.isFinite(parsed) ? parsed : 0;
}

function countsFrom(cell: (name: string) => string | undefined, names: { invocations: string; input: string; output: string; cacheRead: string; cacheWrite: string }): UsageCounts {
    return {
        invocations: count(cell(names.invocations)),
        inputTokens: count(cell(names.input)),
        outputTokens: count(cell(names.output)),
        cacheReadInputTokens: count(cell(names.cacheRead)),
        cacheWriteInputTokens: count(cell(names.cacheWrite)),
    };
}

// ---- CloudWatch Logs Insights ----

/** Logs Insights returns at most this many rows of a query. */
export const INSIGHTS_ROW_LIMIT = 10000;

const INSIGHTS_KEY: Readonly<Record<UsageReportKind, string>> = { "by-model": "modelId", "by-caller": "caller", "by-day": "day" };

async function insightsRows(client: CloudWatchLogsClient, logGroupName: string, report: string, queryString: string, range: ReportRange, options: EngineOptions): Promise<ResultField[][]> {
    const { queryId } = await client.send(
        new StartQueryCommand({
            logGroupName,
            startTime: Math.floor(range.start.getTime() / 1000),
            endTime: Math.ceil(range.end.getTime() / 1000),
            queryString,
            limit: INSIGHTS_ROW_LIMIT,
        }),
    );
    for (;;) {
        const response = await client.send(new GetQueryResultsCommand({ queryId }));
        const statistics = response.statistics;
        options.onProgress?.(`Logs Insights ${report}: ${response.status}, ${count(String(statistics?.recordsScanned ?? 0))} records and ${(count(String(statistics?.bytesScanned ?? 0)) / 1e6).toFixed(1)} MB scanned`);
        if (response.status === "Complete") return response.results ?? [];
        if (response.status !== "Scheduled" && response.status !== "Running") {
            throw new QueryFailedError(`the Logs Insights query ${report} (${queryId}) ended ${response.status ?? "without a status"} in ${logGroupName}`);
        }
        await sleep(options.pollMs ?? 1000);
    }
}

/** Runs the three reports with Logs Insights; returns a note when a report hit the row limit. */
export async function logsInsightsUsage(client: CloudWatchLogsClient, logGroupName: string, range: ReportRange, aggregator: UsageAggregator, options: EngineOptions = {}): Promise<string | undefined> {
    const truncated: string[] = [];
    const cellOf = (row: ResultField[]) => (name: string) => row.find((field) => field.field === name)?.value;
    for (const report of USAGE_REPORTS) {
        const rows = await insightsRows(client, logGroupName, report, insightsQuery(report, range), range, options);
        if (rows.length >= INSIGHTS_ROW_LIMIT) truncated.push(report);
        await options.resolveModels?.(modelIdsOf(rows.map((row) => cellOf(row)("modelId"))));
        for (const row of rows) {
            const cell = cellOf(row);
            const key = cell(INSIGHTS_KEY[report]);
            const modelId = cell("modelId");
            if (key === undefined || modelId === undefined) continue;
            const counts = countsFrom(cell, { invocations: "invocations", input: "inputTokens", output: "outputTokens", cacheRead: "cacheReadInputTokens", cacheWrite: "cacheWriteInputTokens" });
            // The day is the record's own (`2026-11-23`).
            aggregator.addRow(VIEW_OF[report], { key: report === "by-day" ? key.slice(0, 10) : key, modelId, counts });
            if (report === "by-model") aggregator.addDuplicates(Math.max(0, count(cell("records")) - counts.invocations));
        }
    }
    for (const grouping of options.groupings ?? []) {
        const rows = await insightsRows(client, logGroupName, `--by ${grouping.by}`, insightsGroupQuery(grouping, range), range, options);
        if (rows.length >= INSIGHTS_ROW_LIMIT) truncated.push(`--by ${grouping.by}`);
        await options.resolveModels?.(modelIdsOf(rows.map((row) => cellOf(row)("modelId"))));
        for (const row of rows) {
            const cell = cellOf(row);
            const modelId = cell("modelId");
            if (modelId === undefined) continue;
            const values = grouping.dimensions.map((dimension, index) => dimensionValue(dimension, cell, index));
            aggregator.addGroupRow(grouping.by, values, modelId, countsFrom(cell, { invocations: "invocations", input: "inputTokens", output: "outputTokens", cacheRead: "cacheReadInputTokens", cacheWrite: "cacheWriteInputTokens" }));
        }
    }
    aggregator.span(range.start.toISOString(), range.end.toISOString());
    return truncated.length > 0 ? `Logs Insights returned its limit of ${INSIGHTS_ROW_LIMIT} rows for ${truncated.join(", ")}: use --engine athena for all of them` : undefined;
}

// ---- Athena ----

const ATHENA_KEY: Readonly<Record<UsageReportKind, string>> = { "by-model": "model_id", "by-caller": "caller", "by-day": "day" };

async function athenaRows(client: AthenaClient, report: string, queryString: string, options: EngineOptions & { readonly workgroup: string; readonly database: string }): Promise<Record<string, string | undefined>[]> {
    const { QueryExecutionId } = await client.send(
        new StartQueryExecutionCommand({
            QueryString: queryString,
            WorkGroup: options.workgroup,
            QueryExecutionContext: { Database: options.database },
        }),
    );
    for (;;) {
        const { QueryExecution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId }));
        const state = QueryExecution?.Status?.State;
        const scanned = QueryExecution?.Statistics?.DataScannedInBytes ?? 0;
        options.onProgress?.(`Athena ${report}: ${state}, ${(scanned / 1e6).toFixed(1)} MB scanned`);
        if (state === "SUCCEEDED") break;
        if (state === "FAILED" || state === "CANCELLED") {
            const reason = QueryExecution?.Status?.StateChangeReason ?? QueryExecution?.Status?.AthenaError?.ErrorMessage ?? "no reason given";
            throw new QueryFailedError(`the Athena query ${report} (${QueryExecutionId}) ${state === "FAILED" ? "failed" : "was cancelled"}: ${reason}`);
        }
        await sleep(options.pollMs ?? 1000);
    }
    const rows: Record<string, string | undefined>[] = [];
    let columns: string[] | undefined;
    for await (const page of paginateGetQueryResults({ client }, { QueryExecutionId })) {
        const pageRows = page.ResultSet?.Rows ?? [];
        // The first page opens with the header row.
        const first = columns === undefined ? 1 : 0;
        columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((column) => column.Name ?? "");
        for (const row of pageRows.slice(first)) {
            rows.push(Object.fromEntries(columns.map((name, index) => [name, row.Data?.[index]?.VarCharValue])));
        }
    }
    return rows;
}

/** Runs the three reports with Athena over the stack's table, in the stack's workgroup. */
export async function athenaUsage(
    client: AthenaClient,
    range: ReportRange,
    aggregator: UsageAggregator,
    options: EngineOptions & { readonly workgroup?: string; readonly database?: string } = {},
): Promise<undefined> {
    const where = { ...options, workgroup: options.workgroup ?? ATHENA_WORKGROUP, database: options.database ?? ATHENA_DATABASE };
    const [firstDay, lastDay, since, until] = [partitionDay(range.start), partitionDay(range.end), range.start.toISOString(), range.end.toISOString()];
    for (const report of USAGE_REPORTS) {
        const rows = await athenaRows(client, report, athenaQuery(report, firstDay, lastDay, since, until), where);
        await options.resolveModels?.(modelIdsOf(rows.map((row) => row.model_id)));
        for (const row of rows) {
            const key = row[ATHENA_KEY[report]];
            const modelId = row.model_id;
            if (key === undefined || modelId === undefined) continue;
            const counts = countsFrom((name) => row[name], { invocations: "invocations", input: "input_tokens", output: "output_tokens", cacheRead: "cache_read_input_tokens", cacheWrite: "cache_write_input_tokens" });
            // The record's own day, `YYYY-MM-DD`.
            aggregator.addRow(VIEW_OF[report], { key: report === "by-day" ? key.replace(/\//g, "-") : key, modelId, counts });
            if (report === "by-model") aggregator.addDuplicates(Math.max(0, count(row.records) - counts.invocations));
        }
    }
    for (const grouping of options.groupings ?? []) {
        const rows = await athenaRows(client, `--by ${grouping.by}`, athenaGroupQuery(grouping, firstDay, lastDay, since, until), where);
        await options.resolveModels?.(modelIdsOf(rows.map((row) => row.model_id)));
        for (const row of rows) {
            const modelId = row.model_id;
            if (modelId === undefined) continue;
            // Athena gives each dimension's value whole (`dim_<i>`), the role's ARN and `(none)` included.
            const values = grouping.dimensions.map((_, index) => valueOrNone(row[`dim_${index}`]));
            aggregator.addGroupRow(grouping.by, values, modelId, countsFrom((name) => row[name], { invocations: "invocations", input: "input_tokens", output: "output_tokens", cacheRead: "cache_read_input_tokens", cacheWrite: "cache_write_input_tokens" }));
        }
    }
    aggregator.span(range.start.toISOString(), range.end.toISOString());
    return undefined;
}
