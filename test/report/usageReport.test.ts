/**
 * The usage report: parsing and aggregation on generated records (malformed lines and cached tokens
 * included) against totals computed here independently, the file source, its formats, the two
 * query engines and the Price List API against responses in the SDKs' documented shapes
 * (aws-sdk-client-mock), and the command as a user runs it (help, one-sentence errors, exit codes).
 */
import * as assert from "assert";
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand as AthenaGetQueryResultsCommand, StartQueryExecutionCommand } from "@aws-sdk/client-athena";
import { CloudWatchLogsClient, FilterLogEventsCommand, FilterLogEventsCommandOutput, GetQueryResultsCommand, StartQueryCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetProductsCommand, PricingClient } from "@aws-sdk/client-pricing";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { spawnSync } from "child_process";
import { RUN_COMMAND } from "../commands";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Readable } from "stream";
import { gzipSync } from "zlib";
import { GeneratedLine, generatedLine, seededRandom } from "../../bench/invocationLogs";
import { athenaQuery, insightsQuery } from "../../components/monitoring/usageQueries";
import { DEFAULT_PRICES, UsageAggregator, UsageCounts, baseModelId, costOf, priceOf } from "../../report/aggregate";
import { SetupError, aggregateLines, explainAwsError, main, parseOptions, runReport } from "../../report/cli";
import { UsageError } from "../../offline/commandLine";
import { withoutAwsCredentials } from "../awsEnvironment";
import { formatReport } from "../../report/format";
import { loadPrices, pricesFromPriceList } from "../../report/prices";
import { QueryFailedError, athenaUsage, logsInsightsUsage } from "../../report/queryEngines";
import { parseLogLine } from "../../report/records";
import { dailyPrefixes } from "../../report/sources";

async function* fromArray(lines: readonly string[]): AsyncGenerator<string> {
    yield* lines;
}

type Counts = { invocations: number; inputTokens: number; outputTokens: number; cacheReadInputTokens: number; cacheWriteInputTokens: number };
const zero = (): Counts => ({ invocations: 0, inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 });

/** Totals of generated lines computed here, not by the report: by model, caller and day. */
function expectedTotals(lines: readonly GeneratedLine[]) {
    const views = { byModel: new Map<string, Counts>(), byIdentity: new Map<string, Counts>(), byDay: new Map<string, Counts>() };
    const total = zero();
    for (const { expected } of lines) {
        if (!expected) continue;
        for (const [map, key] of [[views.byModel, expected.modelId], [views.byIdentity, expected.identityArn], [views.byDay, expected.day]] as const) {
            const counts = map.get(key) ?? zero();
            map.set(key, counts);
            for (const target of [counts]) {
                target.invocations += 1;
                target.inputTokens += expected.inputTokens;
                target.outputTokens += expected.outputTokens;
                target.cacheReadInputTokens += expected.cacheReadInputTokens;
                target.cacheWriteInputTokens += expected.cacheWriteInputTokens;
            }
        }
        total.invocations += 1;
        total.inputTokens += expected.inputTokens;
        total.outputTokens += expected.outputTokens;
        total.cacheReadInputTokens += expected.cacheReadInputTokens;
        total.cacheWriteInputTokens += expected.cacheWriteInputTokens;
    }
    return { ...views, total };
}

const countsOnly = ({ invocations, inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens }: Counts) => ({ invocations, inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens });

describe("parseLogLine", () => {
    it("reads the documented fields, cached tokens included", () => {
        const random = seededRandom(3);
        const generated = Array.from({ length: 50 }, (_, index) => generatedLine(random, index, 0)).find((line) => line.expected!.cacheReadInputTokens > 0)!;
        const parsed = parseLogLine(generated.line);
        assert.ok(parsed.ok);
        assert.strictEqual(parsed.record.modelId, generated.expected!.modelId);
        assert.strictEqual(parsed.record.identityArn, generated.expected!.identityArn);
        assert.strictEqual(parsed.record.inputTokens, generated.expected!.inputTokens);
        assert.strictEqual(parsed.record.outputTokens, generated.expected!.outputTokens);
        assert.strictEqual(parsed.record.cacheReadInputTokens, generated.expected!.cacheReadInputTokens);
        assert.strictEqual(parsed.record.cacheWriteInputTokens, generated.expected!.cacheWriteInputTokens);
        assert.strictEqual(parsed.record.region, "eu-west-1");
    });
    const malformed: [string, string][] = [
        ["", "empty line"],
        ["{oops", "not JSON"],
        ["[1,2]", "not a JSON object"],
        ['{"schemaType":"Other"}', "schemaType Other"],
        ['{"schemaType":"ModelInvocationLog","timestamp":"t","accountId":"1","region":"r","operation":"o"}', "missing modelId"],
        ['{"timestamp":"t","accountId":"1","region":"r","operation":"o","modelId":"m"}', "missing identity.arn"],
        ['{"timestamp":"t","accountId":"1","region":"r","operation":"o","modelId":"m","identity":{"arn":"a"},"input":{"inputTokenCount":"12"}}', "invalid input.inputTokenCount"],
        ['{"timestamp":"t","accountId":"1","region":"r","operation":"o","modelId":"m","identity":{"arn":"a"},"input":{"cacheReadInputTokenCount":-3}}', "invalid input.cacheReadInputTokenCount"],
    ];
    for (const [line, reason] of malformed) it(`reports ${JSON.stringify(line).slice(0, 40)} as ${reason}`, () => assert.deepStrictEqual(parseLogLine(line), { ok: false, reason }));
});

describe("UsageAggregator", () => {
    it("sums invocations and the four token counts per model, caller, day and in total; counts malformed lines", async () => {
        const random = seededRandom(42);
        // One line a minute: 20,000 lines over 14 days.
        const generated = Array.from({ length: 20000 }, (_, index) => generatedLine(random, index, 0.01, 60_000));
        const expected = expectedTotals(generated);
        const aggregator = new UsageAggregator(DEFAULT_PRICES);
        await aggregateLines(fromArray(generated.map((entry) => entry.line)), aggregator);
        const report = aggregator.report("local");
        const malformed = generated.filter((entry) => !entry.expected).length;
        assert.ok(malformed > 100, "the generator mixes in malformed lines");
        assert.ok(expected.total.cacheReadInputTokens > 0 && expected.total.cacheWriteInputTokens > 0, "and cached tokens");
        assert.ok(expected.byDay.size >= 14, "over many days");
        assert.strictEqual(report.malformed, malformed);
        assert.strictEqual(report.records, generated.length - malformed);
        for (const view of ["byModel", "byIdentity", "byDay"] as const) {
            assert.deepStrictEqual(Object.keys(report[view]).sort(), [...expected[view].keys()].sort(), view);
            for (const [key, counts] of expected[view]) assert.deepStrictEqual(countsOnly(report[view][key]), counts, `${view} ${key}`);
        }
        assert.deepStrictEqual(countsOnly(report.total), expected.total);
    });

    it("prices input, output, cache reads and cache writes by base model, and says n/a without a price", () => {
        const aggregator = new UsageAggregator({ "anthropic.claude-haiku-4-5": { inputPer1k: 0.001, outputPer1k: 0.005, cacheReadPer1k: 0.0001, cacheWritePer1k: 0.00125 } });
        const line = (modelId: string, input: Record<string, number>) =>
            JSON.stringify({ timestamp: "2026-11-23T00:00:00Z", accountId: "1", region: "eu-west-1", operation: "Converse", modelId, identity: { arn: "a" }, input, output: { outputTokenCount: 1000 } });
        aggregator.add(parseLogLine(line("eu.anthropic.claude-haiku-4-5-20251001-v1:0", { inputTokenCount: 2000, cacheReadInputTokenCount: 10000, cacheWriteInputTokenCount: 4000 })));
        assert.strictEqual(aggregator.report("local").total.estimatedCostUsd!.toFixed(6), (2 * 0.001 + 1 * 0.005 + 10 * 0.0001 + 4 * 0.00125).toFixed(6));
        aggregator.add(parseLogLine(line("cohere.command-r-plus-v1:0", { inputTokenCount: 10 })));
        assert.strictEqual(aggregator.report("local").total.estimatedCostUsd, undefined);
        assert.match(formatReport(aggregator.report("local"), "table"), /n\/a/);
    });

    it("calls a cost unknown when cached tokens have no price", () => {
        const counts: UsageCounts = { invocations: 1, inputTokens: 1000, outputTokens: 0, cacheReadInputTokens: 1000, cacheWriteInputTokens: 0 };
        assert.strictEqual(costOf("meta.llama3-3-70b-instruct-v1:0", counts, DEFAULT_PRICES), undefined);
        assert.strictEqual(costOf("meta.llama3-3-70b-instruct-v1:0", { ...counts, cacheReadInputTokens: 0 }, DEFAULT_PRICES), 0.00072);
    });

    it("finds the base model of profiles and ARNs", () => {
        assert.strictEqual(baseModelId("global.anthropic.claude-sonnet-4-5-20250929-v1:0"), "anthropic.claude-sonnet-4-5-20250929-v1:0");
        assert.strictEqual(baseModelId("us-gov.anthropic.claude-3-5-sonnet-20240620-v1:0"), "anthropic.claude-3-5-sonnet-20240620-v1:0");
        assert.strictEqual(baseModelId("arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0"), "amazon.nova-pro-v1:0");
        assert.deepStrictEqual(priceOf("eu.amazon.nova-pro-v1:0", DEFAULT_PRICES), DEFAULT_PRICES["amazon.nova-pro"]);
    });
});

describe("report formats", () => {
    const report = new UsageAggregator().report("local");
    it("writes CSV with a header and a total row", () => {
        const csv = formatReport(report, "csv").split("\n");
        assert.strictEqual(csv[0], "by,key,invocations,input tokens,output tokens,cache read tokens,cache write tokens,estimated cost (USD)");
        assert.strictEqual(csv[csv.length - 1], "total,,0,0,0,0,0,0.0000");
    });
    it("writes JSON that parses back", () => assert.deepStrictEqual(JSON.parse(formatReport(report, "json")), JSON.parse(JSON.stringify(report))));
    it("says which engine summed and where the prices came from", () => {
        const table = formatReport(report, "table");
        assert.match(table, /\(engine local\)/);
        assert.match(table, /Prices: built-in table/);
    });
});

describe("--source file", () => {
    let folder: string;
    let generated: GeneratedLine[];
    before(() => {
        folder = fs.mkdtempSync(path.join(os.tmpdir(), "usage-report-"));
        const random = seededRandom(11);
        generated = Array.from({ length: 6000 }, (_, index) => generatedLine(random, index, 0.01, 90_000));
        // Half as Bedrock writes them (gzip), half as plain JSON lines.
        fs.writeFileSync(path.join(folder, "a.json.gz"), gzipSync(Buffer.from(generated.slice(0, 3000).map((entry) => entry.line).join("\n"))));
        fs.writeFileSync(path.join(folder, "b.jsonl"), `${generated.slice(3000).map((entry) => entry.line).join("\n")}\n`);
    });
    after(() => fs.rmSync(folder, { recursive: true, force: true }));

    it("reads gzip and plain files and reports the totals computed independently", async () => {
        const options = parseOptions(["--source", "file", "--path", path.join(folder, "a.json.gz"), path.join(folder, "b.jsonl"), "--prices", "builtin", "--quiet"])!;
        assert.strictEqual(options.engine, "local");
        assert.strictEqual(options.days, undefined);
        const report = await runReport(options);
        const expected = expectedTotals(generated);
        assert.deepStrictEqual(countsOnly(report.total), expected.total);
        for (const [day, counts] of expected.byDay) assert.deepStrictEqual(countsOnly(report.byDay[day]), counts, day);
        for (const [caller, counts] of expected.byIdentity) assert.deepStrictEqual(countsOnly(report.byIdentity[caller]), counts, caller);
        assert.strictEqual(report.malformed, generated.filter((entry) => !entry.expected).length);
        assert.strictEqual(report.engine, "local (file)");
    });
});

describe("options", () => {
    it("defaults to Logs Insights, and to the local engine when a source is named", () => {
        assert.strictEqual(parseOptions(["--days", "7"])!.engine, "logs-insights");
        assert.strictEqual(parseOptions(["--days", "7", "--source", "s3", "--bucket", "bedrock-invocation-logs-123456789012-eu-west-1"])!.engine, "local");
        assert.strictEqual(parseOptions(["--help"]), undefined);
    });
    it("refuses bad options in one sentence", () => {
        assert.throws(() => parseOptions(["--days", "0"]), /--days must be a whole number of days from 1 to 3653, not 0/);
        assert.throws(() => parseOptions([]), /--days .* \(it is required\)/);
        assert.throws(() => parseOptions(["--days", "3", "--format", "xml"]), /--format must be table, csv or json/);
        assert.throws(() => parseOptions(["--days", "3", "--source", "s3"]), /--source s3 needs --bucket/);
        assert.throws(() => parseOptions(["--days", "3", "--engine", "athena", "--source", "s3"]), /--source is read by the local engine only/);
        assert.throws(() => parseOptions(["--source", "file"]), /--source file needs the files/);
        assert.throws(() => parseOptions(["--days", "3", "--engine", "spark"]), /--engine must be logs-insights, athena or local, not spark/);
        assert.throws(() => parseOptions(["--days", "3", "--bogus"]), /Unknown option '--bogus'/);
    });
});

const NOW = new Date("2026-11-24T12:00:00Z");
const RANGE = { start: new Date("2026-11-22T12:00:00Z"), end: NOW };
const SONNET = "global.anthropic.claude-sonnet-4-5-20250929-v1:0";
const NOVA = "amazon.nova-pro-v1:0";
const PORTKEY = "arn:aws:sts::123456789012:assumed-role/bedrock-gateway-portkey-eu-west-1/portkey";

/** A Logs Insights result row, as GetQueryResults documents it: a list of field and value. */
const insightsRow = (fields: Record<string, string | number>) => Object.entries(fields).map(([field, value]) => ({ field, value: String(value) }));
const sums = (invocations: number, input: number, output: number, cacheRead: number, cacheWrite: number) => ({
    invocations,
    inputTokens: input,
    outputTokens: output,
    cacheReadInputTokens: cacheRead,
    cacheWriteInputTokens: cacheWrite,
});

describe("--engine logs-insights (responses in the documented shape)", () => {
    // Installed when the tests run, not when the file loads, so that no other file's restore undoes it.
    let logs: AwsClientStub<CloudWatchLogsClient>;
    before(() => (logs = mockClient(CloudWatchLogsClient)));
    afterEach(() => logs.reset());
    after(() => logs.restore());

    const results: Record<string, ReturnType<typeof insightsRow>[]> = {
        "q-by-model": [insightsRow({ modelId: SONNET, ...sums(10, 5000, 2000, 40000, 3000) }), insightsRow({ modelId: NOVA, ...sums(4, 800, 400, 0, 0) })],
        "q-by-caller": [insightsRow({ caller: PORTKEY, modelId: SONNET, ...sums(10, 5000, 2000, 40000, 3000) }), insightsRow({ caller: PORTKEY, modelId: NOVA, ...sums(4, 800, 400, 0, 0) })],
        // A sum over no values comes back empty: the cache counts of Nova.
        "q-by-day": [
            insightsRow({ day: "2026-11-23", modelId: SONNET, ...sums(10, 5000, 2000, 40000, 3000) }),
            [...insightsRow({ day: "2026-11-24", modelId: NOVA, invocations: 4, inputTokens: 800, outputTokens: 400 }), { field: "cacheReadInputTokens", value: "" }],
        ],
    };

    function answer(): void {
        const ids = { [insightsQuery("by-model", RANGE)]: "q-by-model", [insightsQuery("by-caller", RANGE)]: "q-by-caller", [insightsQuery("by-day", RANGE)]: "q-by-day" };
        logs.on(StartQueryCommand).callsFake((input: { queryString: string }) => ({ queryId: ids[input.queryString] }));
        const polled = new Set<string>();
        logs.on(GetQueryResultsCommand).callsFake((input: { queryId: string }) => {
            // Each query is Running once, then Complete.
            if (!polled.has(input.queryId)) {
                polled.add(input.queryId);
                return { status: "Running", results: [], statistics: { recordsScanned: 100, bytesScanned: 2e6, recordsMatched: 14 } };
            }
            return { status: "Complete", results: results[input.queryId], statistics: { recordsScanned: 200, bytesScanned: 4e6, recordsMatched: 14 } };
        });
    }

    it("runs the three saved queries over the range, polls until complete, and prices the rows", async () => {
        answer();
        const aggregator = new UsageAggregator(DEFAULT_PRICES);
        const progress: string[] = [];
        const truncated = await logsInsightsUsage(new CloudWatchLogsClient({ region: "eu-west-1" }), "/aws/bedrock/modelinvocations", RANGE, aggregator, { pollMs: 1, onProgress: (message) => progress.push(message) });
        const report = aggregator.report("logs-insights", truncated);
        const starts = logs.commandCalls(StartQueryCommand).map((call) => call.args[0].input);
        assert.deepStrictEqual(starts.map((input) => input.queryString), [insightsQuery("by-model", RANGE), insightsQuery("by-caller", RANGE), insightsQuery("by-day", RANGE)]);
        // The window is cut by the records' own timestamps, each requestId once, days by the record's timestamp.
        assert.match(starts[0].queryString!, /timestamp >= "2026-11-22T12:00:00.000Z" and timestamp < "2026-11-24T12:00:00.000Z"/);
        assert.match(starts[0].queryString!, /by requestId, modelId, caller, day\n\| stats sum\(copies\) as records, count\(\*\) as invocations/);
        assert.deepStrictEqual([starts[0].startTime, starts[0].endTime, starts[0].logGroupName], [RANGE.start.getTime() / 1000, NOW.getTime() / 1000, "/aws/bedrock/modelinvocations"]);
        assert.strictEqual(logs.commandCalls(GetQueryResultsCommand).length, 6, "each query polled until Complete");
        assert.match(progress[0], /Logs Insights by-model: Running, 100 records and 2\.0 MB scanned/);
        assert.strictEqual(truncated, undefined);
        assert.deepStrictEqual(countsOnly(report.byModel[SONNET]), sums(10, 5000, 2000, 40000, 3000));
        assert.deepStrictEqual(countsOnly(report.byIdentity[PORTKEY]), sums(14, 5800, 2400, 40000, 3000));
        assert.deepStrictEqual(countsOnly(report.byDay["2026-11-24"]), sums(4, 800, 400, 0, 0));
        assert.deepStrictEqual(countsOnly(report.total), sums(14, 5800, 2400, 40000, 3000));
        assert.strictEqual(report.records, 14);
        const price = DEFAULT_PRICES["anthropic.claude-sonnet-4"];
        const sonnetCost = 5 * price.inputPer1k + 2 * price.outputPer1k + 40 * price.cacheReadPer1k! + 3 * price.cacheWritePer1k!;
        assert.strictEqual(report.byModel[SONNET].estimatedCostUsd!.toFixed(6), sonnetCost.toFixed(6));
    });

    it("says the report is incomplete when a query returns Logs Insights' row limit", async () => {
        answer();
        results["q-by-caller"] = Array.from({ length: 10000 }, (_, index) => insightsRow({ caller: `arn:aws:sts::123456789012:assumed-role/r/${index}`, modelId: NOVA, ...sums(1, 1, 1, 0, 0) }));
        const aggregator = new UsageAggregator(DEFAULT_PRICES);
        const truncated = await logsInsightsUsage(new CloudWatchLogsClient({ region: "eu-west-1" }), "/aws/bedrock/modelinvocations", RANGE, aggregator, { pollMs: 1 });
        assert.match(truncated!, /returned its limit of 10000 rows for by-caller: use --engine athena/);
        assert.match(formatReport(aggregator.report("logs-insights", truncated), "table"), /Incomplete: Logs Insights returned its limit/);
    });

    it("fails in one sentence when a query fails", async () => {
        logs.on(StartQueryCommand).resolves({ queryId: "q-1" });
        logs.on(GetQueryResultsCommand).resolves({ status: "Failed", results: [] });
        await assert.rejects(
            logsInsightsUsage(new CloudWatchLogsClient({ region: "eu-west-1" }), "/aws/bedrock/modelinvocations", RANGE, new UsageAggregator(), { pollMs: 1 }),
            (error: Error) => error instanceof QueryFailedError && error.message === "the Logs Insights query by-model (q-1) ended Failed in /aws/bedrock/modelinvocations",
        );
    });
});

describe("--engine athena (responses in the documented shape)", () => {
    // Installed when the tests run, not when the file loads, so that no other file's restore undoes it.
    let athena: AwsClientStub<AthenaClient>;
    before(() => (athena = mockClient(AthenaClient)));
    afterEach(() => athena.reset());
    after(() => athena.restore());

    const column = (Name: string, Type: string) => ({ Name, Type, CatalogName: "hive", SchemaName: "", TableName: "", Label: Name, Nullable: "UNKNOWN" as const });
    const COUNT_COLUMNS = [column("invocations", "bigint"), column("input_tokens", "bigint"), column("output_tokens", "bigint"), column("cache_read_input_tokens", "bigint"), column("cache_write_input_tokens", "bigint")];
    const dataRow = (...cells: (string | number)[]) => ({ Data: cells.map((cell) => ({ VarCharValue: String(cell) })) });
    const header = (...names: string[]) => ({ Data: names.map((name) => ({ VarCharValue: name })) });
    const countNames = ["invocations", "input_tokens", "output_tokens", "cache_read_input_tokens", "cache_write_input_tokens"];

    function answer(failed = false): void {
        let started = 0;
        athena.on(StartQueryExecutionCommand).callsFake(() => ({ QueryExecutionId: `qe-${++started}` }));
        const polled = new Set<string>();
        athena.on(GetQueryExecutionCommand).callsFake((input: { QueryExecutionId: string }) => {
            const first = !polled.has(input.QueryExecutionId);
            polled.add(input.QueryExecutionId);
            const state = first ? "RUNNING" : failed ? "FAILED" : "SUCCEEDED";
            return {
                QueryExecution: {
                    QueryExecutionId: input.QueryExecutionId,
                    Status: { State: state, ...(failed && !first ? { StateChangeReason: "TABLE_NOT_FOUND: line 2:6: Table 'awsdatacatalog.bedrock_invocation_logs.invocations' does not exist" } : {}) },
                    Statistics: { DataScannedInBytes: 5e6 },
                },
            };
        });
        athena.on(AthenaGetQueryResultsCommand).callsFake((input: { QueryExecutionId: string; NextToken?: string }) => {
            if (input.QueryExecutionId === "qe-1") {
                return { ResultSet: { ResultSetMetadata: { ColumnInfo: [column("model_id", "varchar"), ...COUNT_COLUMNS] }, Rows: [header("model_id", ...countNames), dataRow(SONNET, 10, 5000, 2000, 40000, 3000), dataRow(NOVA, 4, 800, 400, 0, 0)] } };
            }
            if (input.QueryExecutionId === "qe-2") {
                // Two pages: the header only on the first.
                return input.NextToken === undefined
                    ? { NextToken: "page-2", ResultSet: { ResultSetMetadata: { ColumnInfo: [column("caller", "varchar"), column("model_id", "varchar"), ...COUNT_COLUMNS] }, Rows: [header("caller", "model_id", ...countNames), dataRow(PORTKEY, SONNET, 10, 5000, 2000, 40000, 3000)] } }
                    : { ResultSet: { ResultSetMetadata: { ColumnInfo: [column("caller", "varchar"), column("model_id", "varchar"), ...COUNT_COLUMNS] }, Rows: [dataRow(PORTKEY, NOVA, 4, 800, 400, 0, 0)] } };
            }
            return { ResultSet: { ResultSetMetadata: { ColumnInfo: [column("day", "varchar"), column("model_id", "varchar"), ...COUNT_COLUMNS] }, Rows: [header("day", "model_id", ...countNames), dataRow("2026-11-23", SONNET, 10, 5000, 2000, 40000, 3000), dataRow("2026-11-24", NOVA, 4, 800, 400, 0, 0)] } };
        });
    }

    it("queries the stack's table in its workgroup over the range's partitions, and pages the results", async () => {
        answer();
        const aggregator = new UsageAggregator(DEFAULT_PRICES);
        await athenaUsage(new AthenaClient({ region: "eu-west-1" }), RANGE, aggregator, { pollMs: 1 });
        const report = aggregator.report("athena");
        const starts = athena.commandCalls(StartQueryExecutionCommand).map((call) => call.args[0].input);
        const since = RANGE.start.toISOString();
        assert.deepStrictEqual(starts.map((input) => input.QueryString), [athenaQuery("by-model", "2026/11/22", "2026/11/24", since, NOW.toISOString()), athenaQuery("by-caller", "2026/11/22", "2026/11/24", since, NOW.toISOString()), athenaQuery("by-day", "2026/11/22", "2026/11/24", since, NOW.toISOString())]);
        // The partitions of the range's days, and within the first day only what follows the range's start (as Logs Insights counts).
        assert.match(starts[0].QueryString!, /WHERE day BETWEEN '2026\/11\/22' AND '2026\/11\/24' AND schematype = 'ModelInvocationLog' AND try\(from_iso8601_timestamp\("timestamp"\)\) >= from_iso8601_timestamp\('2026-11-22T12:00:00.000Z'\) AND try\(from_iso8601_timestamp\("timestamp"\)\) < from_iso8601_timestamp\('2026-11-24T12:00:00.000Z'\)/);
        assert.match(starts[2].QueryString!, /GROUP BY coalesce\(requestid, cast\(uuid\(\) AS varchar\)\)\n\)\nSELECT record_day AS day, modelid AS model_id, sum\(copies\) AS records, count\(\*\) AS invocations/);
        assert.deepStrictEqual([starts[0].WorkGroup, starts[0].QueryExecutionContext?.Database], ["bedrock-usage", "bedrock_invocation_logs"]);
        assert.strictEqual(athena.commandCalls(AthenaGetQueryResultsCommand).length, 4, "the caller report's second page read");
        assert.deepStrictEqual(countsOnly(report.byIdentity[PORTKEY]), sums(14, 5800, 2400, 40000, 3000));
        assert.deepStrictEqual(countsOnly(report.byDay["2026-11-23"]), sums(10, 5000, 2000, 40000, 3000));
        assert.deepStrictEqual(countsOnly(report.total), sums(14, 5800, 2400, 40000, 3000));
        assert.strictEqual(report.byModel[NOVA].estimatedCostUsd!.toFixed(6), (0.8 * 0.0008 + 0.4 * 0.0032).toFixed(6));
    });

    it("fails in one sentence with Athena's reason when a query fails", async () => {
        answer(true);
        await assert.rejects(athenaUsage(new AthenaClient({ region: "eu-west-1" }), RANGE, new UsageAggregator(), { pollMs: 1 }), (error: Error) => {
            assert.ok(error instanceof QueryFailedError);
            assert.strictEqual(error.message, "the Athena query by-model (qe-1) failed: TABLE_NOT_FOUND: line 2:6: Table 'awsdatacatalog.bedrock_invocation_logs.invocations' does not exist");
            return true;
        });
    });
});

describe("prices from the Price List API (responses in the documented shape)", () => {
    // Installed when the tests run, not when the file loads, so that no other file's restore undoes it.
    let pricing: AwsClientStub<PricingClient>;
    before(() => (pricing = mockClient(PricingClient)));
    let cacheDir: string;
    beforeEach(() => (cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "prices-"))));
    afterEach(() => {
        pricing.reset();
        fs.rmSync(cacheDir, { recursive: true, force: true });
    });
    after(() => pricing.restore());

    /** One GetProducts price item (a JSON string in PriceList), as the Price List documents it. */
    const item = (attributes: Record<string, string>, unit: string, usd: string) =>
        JSON.stringify({
            product: { productFamily: "Amazon Bedrock", attributes, sku: "SKU1" },
            serviceCode: attributes.servicecode,
            terms: { OnDemand: { "SKU1.JRTCKXETXF": { priceDimensions: { "SKU1.JRTCKXETXF.6YS6EN2CT7": { unit, pricePerUnit: { USD: usd }, description: "per token" } } } } },
            version: "20261101000000",
            publicationDate: "2026-11-01T00:00:00Z",
        });
    const ITEMS_BEDROCK = [
        item({ servicecode: "AmazonBedrock", model: "Nova Pro", inferenceType: "Input tokens", feature: "On-demand Inference", usagetype: "EU-NovaPro-input-tokens", regionCode: "eu-west-1" }, "1K tokens", "0.0009"),
        item({ servicecode: "AmazonBedrock", model: "Nova Pro", inferenceType: "Output tokens", feature: "On-demand Inference", usagetype: "EU-NovaPro-output-tokens", regionCode: "eu-west-1" }, "1K tokens", "0.0036"),
        item({ servicecode: "AmazonBedrock", model: "Nova Pro", inferenceType: "Input tokens", feature: "Batch Inference", usagetype: "EU-NovaPro-input-tokens-batch", regionCode: "eu-west-1" }, "1K tokens", "0.00045"),
    ];
    const ITEMS_MARKETPLACE = [
        item({ servicecode: "AmazonBedrockFoundationModels", servicename: "Claude Haiku 4.5 (Amazon Bedrock Edition)", usagetype: "EU-MP:EU_InputTokenCount-Units", regionCode: "eu-west-1" }, "1M tokens", "1.10"),
        item({ servicecode: "AmazonBedrockFoundationModels", servicename: "Claude Haiku 4.5 (Amazon Bedrock Edition)", usagetype: "EU-MP:EU_OutputTokenCount-Units", regionCode: "eu-west-1" }, "1M tokens", "5.50"),
        item({ servicecode: "AmazonBedrockFoundationModels", servicename: "Claude Haiku 4.5 (Amazon Bedrock Edition)", usagetype: "EU-MP:EU_CacheReadInputTokenCount-Units", regionCode: "eu-west-1" }, "1M tokens", "0.11"),
        item({ servicecode: "AmazonBedrockFoundationModels", servicename: "Claude Haiku 4.5 (Amazon Bedrock Edition)", usagetype: "EU-MP:EU_CacheWriteInputTokenCount-Units", regionCode: "eu-west-1" }, "1M tokens", "1.375"),
        item({ servicecode: "AmazonBedrockFoundationModels", servicename: "Claude Haiku 4.5 (Amazon Bedrock Edition)", usagetype: "EU-MP:EU_InputTokenCount_Global-Units", regionCode: "eu-west-1" }, "1M tokens", "1.00"),
    ];

    it("reads per-1K and per-1M prices of input, output and the cache, on demand and regional only", () => {
        const table = pricesFromPriceList([...ITEMS_BEDROCK, ...ITEMS_MARKETPLACE]);
        assert.deepStrictEqual(table["amazon.nova-pro"], { inputPer1k: 0.0009, outputPer1k: 0.0036, cacheReadPer1k: undefined, cacheWritePer1k: undefined });
        const haiku = table["anthropic.claude-haiku-4-5"];
        assert.deepStrictEqual([haiku.inputPer1k, haiku.outputPer1k, haiku.cacheReadPer1k, haiku.cacheWritePer1k].map((price) => price!.toFixed(6)), ["0.001100", "0.005500", "0.000110", "0.001375"]);
        assert.deepStrictEqual(Object.keys(table).sort(), ["amazon.nova-pro", "anthropic.claude-haiku-4-5"]);
    });

    it("asks both offers for the region, caches the prices with the day, and reads the cache next time", async () => {
        pricing.on(GetProductsCommand, { ServiceCode: "AmazonBedrock" }).resolves({ FormatVersion: "aws_v1", PriceList: ITEMS_BEDROCK });
        pricing.on(GetProductsCommand, { ServiceCode: "AmazonBedrockFoundationModels" }).resolves({ FormatVersion: "aws_v1", PriceList: ITEMS_MARKETPLACE });
        const client = new PricingClient({ region: "us-east-1" });
        const first = await loadPrices({ mode: "auto", region: "eu-west-1", cacheDir, refresh: false, now: NOW, client });
        assert.strictEqual(first.source.kind, "price-list-api");
        assert.match(first.source.description, /AWS Price List API, eu-west-1, fetched 2026-11-24 for 2 model\(s\); built-in table for the rest/);
        assert.deepStrictEqual(pricing.commandCalls(GetProductsCommand).map((call) => call.args[0].input.Filters), [
            [{ Type: "TERM_MATCH", Field: "regionCode", Value: "eu-west-1" }],
            [{ Type: "TERM_MATCH", Field: "regionCode", Value: "eu-west-1" }],
        ]);
        // Nova Pro from the API, its cache from the built-in table; a model the API did not price keeps its built-in price.
        assert.strictEqual(first.prices["amazon.nova-pro"].inputPer1k, 0.0009);
        assert.strictEqual(first.prices["amazon.nova-pro"].cacheReadPer1k, DEFAULT_PRICES["amazon.nova-pro"].cacheReadPer1k);
        assert.deepStrictEqual(first.prices["anthropic.claude-opus-4"], DEFAULT_PRICES["anthropic.claude-opus-4"]);

        const second = await loadPrices({ mode: "auto", region: "eu-west-1", cacheDir, refresh: false, now: new Date("2026-11-27T00:00:00Z"), client });
        assert.strictEqual(second.source.kind, "price-list-cache");
        assert.match(second.source.description, /fetched 2026-11-24 \(cached in /);
        assert.strictEqual(pricing.commandCalls(GetProductsCommand).length, 2, "no call while the cache is fresh");
        await loadPrices({ mode: "auto", region: "eu-west-1", cacheDir, refresh: false, now: new Date("2026-12-02T00:00:00Z"), client });
        assert.strictEqual(pricing.commandCalls(GetProductsCommand).length, 4, "a week-old cache is fetched again");
    });

    it("does not trust, nor cache, an answer that prices none of the table's models; refetches over a corrupt cache", async () => {
        pricing.on(GetProductsCommand).resolves({ FormatVersion: "aws_v1", PriceList: [] });
        const client = new PricingClient({ region: "us-east-1" });
        const empty = await loadPrices({ mode: "auto", region: "eu-west-1", cacheDir, refresh: false, now: NOW, client });
        assert.strictEqual(empty.source.description, "built-in table (report/aggregate.ts): the Price List API named none of its models in eu-west-1");
        assert.deepStrictEqual(fs.readdirSync(cacheDir), []);
        fs.writeFileSync(path.join(cacheDir, "bedrock-prices-eu-west-1.json"), "{not json");
        pricing.on(GetProductsCommand, { ServiceCode: "AmazonBedrock" }).resolves({ FormatVersion: "aws_v1", PriceList: ITEMS_BEDROCK });
        const refetched = await loadPrices({ mode: "auto", region: "eu-west-1", cacheDir, refresh: false, now: NOW, client });
        assert.strictEqual(refetched.source.kind, "price-list-api");
    });

    it("falls back to the built-in table, and says why, without credentials", async () => {
        pricing.on(GetProductsCommand).rejects(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }));
        const loaded = await loadPrices({ mode: "auto", region: "eu-west-1", cacheDir, refresh: false, now: NOW, client: new PricingClient({ region: "us-east-1" }) });
        assert.strictEqual(loaded.prices, DEFAULT_PRICES);
        assert.strictEqual(loaded.source.description, "built-in table (report/aggregate.ts): the Price List API was not reachable (no AWS credentials)");
    });
});

describe("the local engine reading from AWS (recorded-shape responses)", () => {
    const pages = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "filterLogEvents.pages.json"), "utf8")) as FilterLogEventsCommandOutput[];

    it("pages through FilterLogEvents and reports, counting the truncated line", async () => {
        const logs = mockClient(CloudWatchLogsClient);
        logs.on(FilterLogEventsCommand).resolvesOnce(pages[0]).resolvesOnce(pages[1]);
        // The window is cut by the records' own timestamps: "now" is the day after the recorded pages.
        const report = await runReport({ ...parseOptions(["--engine", "local", "--days", "7", "--prices", "builtin", "--quiet"])!, region: "eu-west-1" }, { logs: new CloudWatchLogsClient({ region: "eu-west-1" }) }, new Date("2026-11-24T00:00:00Z"));
        assert.strictEqual(logs.commandCalls(FilterLogEventsCommand).length, 2);
        assert.strictEqual(logs.commandCalls(FilterLogEventsCommand)[1].args[0].input.nextToken, pages[0].nextToken);
        assert.strictEqual(logs.commandCalls(FilterLogEventsCommand)[0].args[0].input.logGroupName, "/aws/bedrock/modelinvocations");
        assert.strictEqual(report.records, 3);
        assert.deepStrictEqual(report.malformedReasons, { "not JSON": 1 });
        assert.deepStrictEqual(report.byModel["eu.anthropic.claude-haiku-4-5-20251001-v1:0"].inputTokens, 3200);
        logs.restore();
    });

    it("lists each day's objects and streams their gzip JSON lines", async () => {
        const s3 = mockClient(S3Client);
        const random = seededRandom(7);
        const objectLines = Array.from({ length: 500 }, (_, index) => generatedLine(random, index, 0.02).line);
        // The SDK hands the body over as a Node Readable; that is all the reader uses.
        const body = () => Readable.from([gzipSync(Buffer.from(objectLines.join("\n")))]);
        s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string }) => ({
            Contents: [{ Key: `${input.Prefix}10/a.json.gz` }, { Key: `${input.Prefix}10/manifest.txt` }],
            IsTruncated: false,
        }));
        s3.on(GetObjectCommand).callsFake(() => ({ Body: body() }) as never);
        const options = { ...parseOptions(["--days", "2", "--source", "s3", "--bucket", "bedrock-invocation-logs-123456789012-eu-west-1", "--prices", "builtin", "--quiet"])!, region: "eu-west-1" };
        // The records are of 2026-11-23 10:00: inside the last two days of this "now".
        const report = await runReport(options, { s3: new S3Client({ region: "eu-west-1" }) }, new Date("2026-11-24T12:00:00Z"));
        const days = s3.commandCalls(ListObjectsV2Command).length;
        assert.ok(days === 3, `one listing per day of the range, got ${days}`);
        assert.strictEqual(s3.commandCalls(GetObjectCommand).length, days, "only .json.gz objects are read");
        const malformedPerObject = objectLines.filter((line) => !parseLogLine(line).ok).length;
        assert.strictEqual(report.malformed, malformedPerObject * days);
        // Every listing hands over the same object: its records count once, the two other reads are duplicates.
        assert.strictEqual(report.records, objectLines.length - malformedPerObject);
        assert.strictEqual(report.duplicates, (objectLines.length - malformedPerObject) * (days - 1));
        s3.restore();
    });

    it("builds the documented S3 prefixes, one per UTC day", () =>
        assert.deepStrictEqual(dailyPrefixes("123456789012", "eu-west-1", new Date("2026-11-30T22:00:00Z"), new Date("2026-12-01T01:00:00Z")), [
            "AWSLogs/123456789012/BedrockModelInvocationLogs/eu-west-1/2026/11/30/",
            "AWSLogs/123456789012/BedrockModelInvocationLogs/eu-west-1/2026/12/01/",
        ]));
});

describe("AWS errors as one sentence", () => {
    it("names what to set when credentials or the region are missing", () => {
        const credentials = explainAwsError(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }));
        assert.ok(credentials instanceof SetupError);
        assert.match(credentials.message, /^no AWS credentials were found: set AWS_PROFILE/);
        const region = explainAwsError(new Error("Region is missing"));
        assert.ok(region instanceof SetupError);
        assert.strictEqual(region.message, "no AWS region: pass --region, or set AWS_REGION");
        const denied = explainAwsError(Object.assign(new Error("User: arn:aws:iam::123456789012:user/x is not authorized to perform: logs:StartQuery\nmore"), { name: "AccessDeniedException" }));
        assert.match(denied.message, /^AWS refused the call \(AccessDeniedException\): User: .* logs:StartQuery \(attach the stack's usage reader policy/);
    });

    it("tells the caller's own mistakes (a missing file) and an unreachable AWS apart from what AWS refused", async () => {
        const missing = explainAwsError(Object.assign(new Error("ENOENT: no such file or directory, open '/nowhere/a.json.gz'"), { code: "ENOENT", path: "/nowhere/a.json.gz" }));
        assert.ok(missing instanceof UsageError);
        assert.strictEqual(missing.message, "cannot read /nowhere/a.json.gz (ENOENT)");
        const offline = explainAwsError(Object.assign(new Error("getaddrinfo ENOTFOUND logs.eu-west-1.amazonaws.com"), { code: "ENOTFOUND", hostname: "logs.eu-west-1.amazonaws.com" }));
        assert.ok(offline instanceof SetupError);
        assert.strictEqual(offline.message, "AWS could not be reached (ENOTFOUND logs.eu-west-1.amazonaws.com): check the network, a proxy, or the region's endpoint");
        const errors: string[] = [];
        const consoleError = console.error;
        console.error = (text: string) => void errors.push(text);
        try {
            assert.strictEqual(await main(["--source", "file", "--path", "/nowhere/a.json.gz", "--prices", "builtin", "--quiet"]), 2);
            assert.strictEqual(await main(["--source", "file", "--path", "/nowhere/a.json.gz", "--prices", "/nowhere/prices.json", "--quiet"]), 2);
        } finally {
            console.error = consoleError;
        }
        assert.deepStrictEqual(errors, ["usage-report: cannot read /nowhere/a.json.gz (ENOENT)", "usage-report: cannot read the price table /nowhere/prices.json (ENOENT)"]);
    });

    it("exits 3 with that sentence from main, and 2 with the usage for a mistake", async () => {
        const logs = mockClient(CloudWatchLogsClient);
        logs.on(StartQueryCommand).rejects(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }));
        const errors: string[] = [];
        const consoleError = console.error;
        console.error = (text: string) => void errors.push(text);
        try {
            assert.strictEqual(await main(["--days", "1", "--prices", "builtin", "--quiet"], { logs: new CloudWatchLogsClient({ region: "eu-west-1" }) }), 3);
            assert.strictEqual(await main(["--days", "x"]), 2);
        } finally {
            console.error = consoleError;
            logs.restore();
        }
        assert.match(errors[0], /^usage-report: no AWS credentials were found: set AWS_PROFILE/);
        assert.ok(!errors[0].includes("\n    at "), "no stack trace");
        assert.match(errors[1], /^usage-report: --days must be a whole number of days from 1 to 3653, not x\n\nusage: npm run usage-report/);
    });
});

describe("npm run usage-report, as a user runs it", () => {
    const run = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
        spawnSync(process.execPath, [RUN_COMMAND, path.join(__dirname, "..", "..", "report", "cli.ts"), ...args], {
            encoding: "utf8",
            env,
            timeout: 60000,
        });

    it("prints the usage and exits 0 for --help", () => {
        const result = run(["--help"]);
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /^usage: npm run usage-report -- \[--engine logs-insights\|athena\|local\]/);
        assert.match(result.stdout, /Exit codes: 0 report printed; 1 AWS refused a call or a query failed; 2 usage mistake; 3 no region or no credentials\./);
    });

    it("says in one sentence that there are no credentials, and exits 3", () => {
        const result = run(["--days", "1", "--region", "eu-west-1", "--prices", "builtin", "--quiet"], withoutAwsCredentials());
        assert.strictEqual(result.status, 3, result.stderr);
        assert.strictEqual(result.stderr.trim().split("\n").filter((line) => line.startsWith("usage-report:")).length, 1, result.stderr);
        assert.match(result.stderr, /usage-report: no AWS credentials were found: set AWS_PROFILE/);
        assert.ok(!result.stderr.includes("    at "), "no stack trace");
    });
});
