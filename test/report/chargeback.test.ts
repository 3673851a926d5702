/**
 * The chargeback report (`usage-report --by DIM[+DIM...]`): on a held-out-style fixture of invocation
 * log records in the documented shape (request metadata, assumed-role sessions of several roles and
 * partitions, an IAM user, an application inference profile, a duplicate delivery and a malformed
 * line), each grouping's rows equal totals computed here, independently of the report's code (its own
 * JSON parsing, ARN splitting and literal list prices). The local engine reads the fixture itself;
 * Logs Insights and Athena get the query built for the dimensions (checked as text) and answer, through
 * aws-sdk-client-mock, rows in their documented result shapes made from the independent totals.
 */
import * as assert from "assert";
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand as AthenaGetQueryResultsCommand, StartQueryExecutionCommand } from "@aws-sdk/client-athena";
import { BedrockClient, GetInferenceProfileCommand } from "@aws-sdk/client-bedrock";
import { CloudWatchLogsClient, GetQueryResultsCommand, ResultField, StartQueryCommand } from "@aws-sdk/client-cloudwatch-logs";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import * as fs from "fs";
import * as path from "path";
import { INVOCATION_COLUMNS } from "../../components/monitoring/usageQueries";
import { UsageError } from "../../offline/commandLine";
import { UsageAggregator, UsageReport } from "../../report/aggregate";
import { profilesFromStackOutputs } from "../../report/applicationProfiles";
import { main, parseOptions, runReport } from "../../report/cli";
import { parseGrouping, parseGroupings } from "../../report/dimensions";
import { formatReport } from "../../report/format";
import { athenaGroupQuery, insightsGroupQuery } from "../../report/groupQueries";

const FIXTURE = path.join(__dirname, "..", "fixtures", "chargeback.invocations.jsonl");
const STACK_OUTPUTS = path.join(__dirname, "..", "fixtures", "chargeback.stack-outputs.json");
const PROFILE = "arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/a1b2c3d4e5f6";
const GROUPINGS = ["metadata.team+model", "role", "session", "day", "caller", "metadata.cost-center", "model+metadata.project+role"];

// ---- The independent computation: nothing below calls the report's code ----

/** USD per 1,000 tokens: the us-east-1 on-demand list prices (input, output, cache read, cache write). */
const LIST_PRICES: Record<string, [number, number, number, number]> = {
    "anthropic.claude-sonnet-4-20250514-v1:0": [0.003, 0.015, 0.0003, 0.00375],
    "eu.anthropic.claude-haiku-4-5-20251001-v1:0": [0.001, 0.005, 0.0001, 0.00125],
    "amazon.nova-pro-v1:0": [0.0008, 0.0032, 0.0002, 0],
};

interface FixtureRecord {
    readonly requestId: string;
    readonly timestamp: string;
    readonly modelId: string;
    readonly identity: { readonly arn: string };
    readonly input: { readonly inputTokenCount: number; readonly cacheReadInputTokenCount?: number; readonly cacheWriteInputTokenCount?: number };
    readonly output: { readonly outputTokenCount: number };
    readonly requestMetadata?: Record<string, string>;
}

/** The fixture's records, each requestId once, the malformed line left out. */
function fixtureRecords(): FixtureRecord[] {
    const seen = new Set<string>();
    const records: FixtureRecord[] = [];
    for (const line of fs.readFileSync(FIXTURE, "utf8").split("\n")) {
        if (line.trim() === "") continue;
        let record: FixtureRecord;
        try {
            record = JSON.parse(line) as FixtureRecord;
        } catch {
            continue;
        }
        if (seen.has(record.requestId)) continue;
        seen.add(record.requestId);
        records.push(record);
    }
    return records;
}

/** A dimension's value, by splitting the ARN: `arn:partition:sts::account:assumed-role/role/session`. */
function expectedValue(dimension: string, record: FixtureRecord): string {
    const [, partition, service, , account, resource] = record.identity.arn.split(":");
    const session = service === "sts" && resource.startsWith("assumed-role/") ? resource.split("/") : undefined;
    if (dimension === "model") return record.modelId;
    if (dimension === "caller") return record.identity.arn;
    if (dimension === "role") return session ? `arn:${partition}:iam::${account}:role/${session[1]}` : "(none)";
    if (dimension === "session") return session ? session.slice(2).join("/") : "(none)";
    if (dimension === "day") return record.timestamp.slice(0, 10);
    const value = record.requestMetadata?.[dimension.slice("metadata.".length)];
    return value === undefined || value === "" ? "(none)" : value;
}

interface ExpectedRow {
    key: Record<string, string>;
    invocations: number;
    inputTokens: number;
    outputTokens: number;
    cacheReadInputTokens: number;
    cacheWriteInputTokens: number;
    /** Undefined when some invocation has no price. */
    cost: number | undefined;
    /** Per model, for the engines' answers (which group by model too). */
    byModel: Map<string, ExpectedRow>;
}

const emptyRow = (key: Record<string, string>): ExpectedRow => ({ key, invocations: 0, inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0, cost: 0, byModel: new Map() });

function addRecord(row: ExpectedRow, record: FixtureRecord, priceModel: (modelId: string) => string | undefined): void {
    row.invocations += 1;
    row.inputTokens += record.input.inputTokenCount;
    row.outputTokens += record.output.outputTokenCount;
    row.cacheReadInputTokens += record.input.cacheReadInputTokenCount ?? 0;
    row.cacheWriteInputTokens += record.input.cacheWriteInputTokenCount ?? 0;
    const model = priceModel(record.modelId);
    const price = model === undefined ? undefined : LIST_PRICES[model];
    if (row.cost === undefined || price === undefined) row.cost = undefined;
    else {
        row.cost +=
            (record.input.inputTokenCount * price[0] + record.output.outputTokenCount * price[1] + (record.input.cacheReadInputTokenCount ?? 0) * price[2] + (record.input.cacheWriteInputTokenCount ?? 0) * price[3]) / 1000;
    }
}

/** Each grouping's rows by their key, summed here record by record. */
function expectedGroups(by: string, priceModel: (modelId: string) => string | undefined): Map<string, ExpectedRow> {
    const dimensions = by.split("+");
    const rows = new Map<string, ExpectedRow>();
    for (const record of fixtureRecords()) {
        const key = Object.fromEntries(dimensions.map((dimension) => [dimension, expectedValue(dimension, record)]));
        const id = JSON.stringify(key);
        const row = rows.get(id) ?? emptyRow(key);
        rows.set(id, row);
        addRecord(row, record, priceModel);
        const perModel = row.byModel.get(record.modelId) ?? emptyRow(key);
        row.byModel.set(record.modelId, perModel);
        addRecord(perModel, record, priceModel);
    }
    return rows;
}

const withProfile = (modelId: string) => (modelId === PROFILE ? "anthropic.claude-sonnet-4-20250514-v1:0" : modelId in LIST_PRICES ? modelId : undefined);
const withoutProfile = (modelId: string) => (modelId in LIST_PRICES ? modelId : undefined);

/** The report's groups equal the independent totals, row for row, cost included. */
function assertGroupsEqual(report: UsageReport, priceModel: (modelId: string) => string | undefined): void {
    assert.deepStrictEqual(
        report.groups!.map((group) => group.by),
        GROUPINGS,
    );
    for (const group of report.groups!) {
        const expected = expectedGroups(group.by, priceModel);
        assert.strictEqual(group.rows.length, expected.size, `${group.by}: one row per distinct key`);
        for (const row of group.rows) {
            const want = expected.get(JSON.stringify(row.key));
            assert.ok(want, `${group.by}: unexpected key ${JSON.stringify(row.key)}`);
            const { invocations, inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens } = row;
            assert.deepStrictEqual(
                { invocations, inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens },
                { invocations: want.invocations, inputTokens: want.inputTokens, outputTokens: want.outputTokens, cacheReadInputTokens: want.cacheReadInputTokens, cacheWriteInputTokens: want.cacheWriteInputTokens },
                `${group.by} ${JSON.stringify(row.key)}`,
            );
            if (want.cost === undefined) assert.strictEqual(row.estimatedCostUsd, undefined, `${group.by} ${JSON.stringify(row.key)}: unpriced`);
            else assert.ok(Math.abs(row.estimatedCostUsd! - want.cost) < 1e-9, `${group.by} ${JSON.stringify(row.key)}: ${row.estimatedCostUsd} vs ${want.cost}`);
        }
        const sum = group.rows.reduce((total, row) => total + row.invocations, 0);
        assert.strictEqual(sum, report.total.invocations, `${group.by}: every invocation in exactly one row`);
    }
}

const byArgs = GROUPINGS.flatMap((by) => ["--by", by]);

// ---- The local engine ----

describe("usage-report --by on the local engine (held-out-style records)", () => {
    it("groups by request metadata, role, session, day, caller and model as totals computed independently", async () => {
        const report = await runReport(parseOptions(["--source", "file", "--path", FIXTURE, "--prices", "builtin", "--stack-outputs", STACK_OUTPUTS, "--quiet", ...byArgs])!);
        assert.strictEqual(report.records, fixtureRecords().length);
        assert.strictEqual(report.duplicates, 1);
        assert.strictEqual(report.malformed, 1);
        assertGroupsEqual(report, withProfile);
        // The fixture holds what the dimensions must tell apart.
        const roles = report.groups![1].rows.map((row) => row.key.role).sort();
        assert.deepStrictEqual(roles, [
            "(none)",
            "arn:aws-us-gov:iam::210987654321:role/gateway-gov",
            "arn:aws:iam::123456789012:role/AWSReservedSSO_DataScience_0123456789abcdef",
            "arn:aws:iam::123456789012:role/gateway-search",
            "arn:aws:iam::123456789012:role/gateway-support",
        ]);
        const teams = new Set(report.groups![0].rows.map((row) => row.key["metadata.team"]));
        assert.deepStrictEqual([...teams].sort(), ["(none)", "search", "support"]);
        assert.match(report.applicationProfiles!, /1 application inference profile\(s\): 1 priced as the model each routes to \(from stack outputs\)/);
    });

    it("leaves an application profile n/a when neither the stack's outputs nor AWS say what it routes to (offline)", async () => {
        const report = await runReport(parseOptions(["--source", "file", "--path", FIXTURE, "--prices", "builtin", "--quiet", ...byArgs])!);
        assertGroupsEqual(report, withoutProfile);
        assert.ok(report.byModel[PROFILE].unpricedInvocations > 0 && report.byModel[PROFILE].estimatedCostUsd === undefined);
        assert.match(report.applicationProfiles!, /0 priced as the model each routes to, 1 n\/a \(arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile\/a1b2c3d4e5f6: not in the stack outputs\)/);
        assert.match(formatReport(report, "table"), /Application inference profiles: 1 application inference profile/);
    });

    it("writes one section per --by in the table and CSV, and the groups array in JSON; without --by the report is unchanged", async () => {
        const fileArgs = ["--source", "file", "--path", FIXTURE, "--prices", "builtin", "--stack-outputs", STACK_OUTPUTS, "--quiet"];
        const report = await runReport(parseOptions([...fileArgs, "--by", "metadata.team+model", "--by", "role"])!);
        const json = JSON.parse(formatReport(report, "json"));
        assert.deepStrictEqual(json.groups, JSON.parse(JSON.stringify(report.groups)));
        assert.deepStrictEqual(Object.keys(json.groups[0].rows[0]).slice(0, 7), ["key", "invocations", "inputTokens", "outputTokens", "cacheReadInputTokens", "cacheWriteInputTokens", "estimatedCostUsd"]);
        assert.deepStrictEqual(Object.keys(json.groups[0].rows[0].key), ["metadata.team", "model"]);
        const csv = formatReport(report, "csv").split("\n");
        const section = csv.filter((line) => line.startsWith("metadata.team+model,"));
        assert.strictEqual(section.length, report.groups![0].rows.length);
        const first = report.groups![0].rows[0];
        assert.ok(section.includes(`metadata.team+model,${first.key["metadata.team"]} | ${first.key.model},${first.invocations},${first.inputTokens},${first.outputTokens},${first.cacheReadInputTokens},${first.cacheWriteInputTokens},${first.estimatedCostUsd!.toFixed(4)}`));
        assert.strictEqual(csv.filter((line) => line.startsWith("role,")).length, report.groups![1].rows.length);
        assert.match(formatReport(report, "table"), /\nrole +arn:aws:iam::123456789012:role\/gateway-search +\d+/);

        const plain = await runReport(parseOptions(fileArgs)!);
        assert.strictEqual(plain.groups, undefined);
        const plainJson = JSON.parse(formatReport(plain, "json"));
        assert.ok(!("groups" in plainJson));
        assert.deepStrictEqual(Object.keys(plainJson), ["engine", "from", "to", "records", "duplicates", "skipped", "unreadable", "malformed", "malformedReasons", "total", "prices", "applicationProfiles", "byModel", "byIdentity", "byDay"]);
        assert.ok(formatReport(plain, "csv").split("\n").every((line) => /^(by|model|caller|day|total),/.test(line)));
    });
});

describe("usage-report --by with nothing to count", () => {
    it("writes each grouping with no rows, as valid JSON and an empty CSV section", () => {
        const report = new UsageAggregator(undefined, undefined, undefined, undefined, { groupings: parseGroupings(["role", "metadata.team+day"]) }).report("local (file)");
        assert.deepStrictEqual(JSON.parse(formatReport(report, "json")).groups, [
            { by: "role", rows: [] },
            { by: "metadata.team+day", rows: [] },
        ]);
        assert.deepStrictEqual(formatReport(report, "csv").split("\n").slice(1), ["total,,0,0,0,0,0,0.0000"]);
    });
});

// ---- Logs Insights ----

/** A result row in Logs Insights' documented shape: a list of {field, value}; a missing value is left out. */
const insightsRow = (fields: Record<string, string | number | undefined>): ResultField[] =>
    Object.entries(fields)
        .filter(([, value]) => value !== undefined)
        .map(([field, value]) => ({ field, value: String(value) }));

const sums = (row: ExpectedRow) => ({ records: row.invocations, invocations: row.invocations, inputTokens: row.inputTokens, outputTokens: row.outputTokens, cacheReadInputTokens: row.cacheReadInputTokens, cacheWriteInputTokens: row.cacheWriteInputTokens });

/** What Logs Insights answers for a grouping: one row per key and model, with the query's own fields. */
function insightsAnswer(by: string): ResultField[][] {
    const rows: ResultField[][] = [];
    for (const row of expectedGroups(by, withProfile).values()) {
        for (const [modelId, perModel] of row.byModel) {
            const fields: Record<string, string | number | undefined> = { modelId };
            by.split("+").forEach((dimension, index) => {
                const value = row.key[dimension];
                if (dimension === "caller" || dimension === "day") fields[dimension] = value;
                if (dimension === "session") fields.roleSession = value;
                if (dimension.startsWith("metadata.")) fields[`metadata${index}`] = value;
                if (dimension === "role") {
                    // The parse's parts, as the query's coalesce leaves them for a caller that is no session.
                    const match = /^arn:([^:]+):iam::(\d+):role\/(.+)$/.exec(value);
                    Object.assign(fields, match ? { rolePartition: match[1], roleAccount: match[2], roleName: match[3] } : { rolePartition: "(none)", roleAccount: "(none)", roleName: "(none)" });
                }
            });
            rows.push(insightsRow({ ...fields, ...sums(perModel) }));
        }
    }
    return rows;
}

const WINDOW = ["--from", "2026-11-21", "--to", "2026-11-23"];
const RANGE = { start: new Date("2026-11-21T00:00:00Z"), end: new Date("2026-11-24T00:00:00Z") };

describe("usage-report --by on Logs Insights (responses in the documented shape)", () => {
    let logs: AwsClientStub<CloudWatchLogsClient>;
    let bedrock: AwsClientStub<BedrockClient>;
    before(() => {
        logs = mockClient(CloudWatchLogsClient);
        bedrock = mockClient(BedrockClient);
    });
    afterEach(() => {
        logs.reset();
        bedrock.reset();
    });
    after(() => {
        logs.restore();
        bedrock.restore();
    });

    /** GetInferenceProfile in its documented response shape: an application profile copied from a foundation model. */
    function answerProfile(): void {
        bedrock.on(GetInferenceProfileCommand).resolves({
            inferenceProfileName: "search-sonnet",
            inferenceProfileArn: PROFILE,
            inferenceProfileId: "a1b2c3d4e5f6",
            models: [{ modelArn: "arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0" }],
            status: "ACTIVE",
            type: "APPLICATION",
        });
    }

    function answerQueries(): void {
        const queries = new Map(GROUPINGS.map((by) => [insightsGroupQuery(parseGrouping(by), RANGE), by]));
        logs.on(StartQueryCommand).callsFake((input: { queryString: string }) => ({ queryId: queries.get(input.queryString) ?? "standard" }));
        logs.on(GetQueryResultsCommand).callsFake((input: { queryId: string }) => ({
            status: "Complete",
            results: input.queryId === "standard" ? [] : insightsAnswer(input.queryId),
            statistics: { recordsScanned: 61, bytesScanned: 40000, recordsMatched: 60 },
        }));
    }

    it("runs the query built for each grouping and reports the totals computed independently, the profile priced through GetInferenceProfile", async () => {
        answerQueries();
        answerProfile();
        const options = parseOptions(["--engine", "logs-insights", ...WINDOW, "--region", "eu-west-1", "--prices", "builtin", "--quiet", ...byArgs])!;
        const report = await runReport(options, { logs: new CloudWatchLogsClient({ region: "eu-west-1" }), bedrock: new BedrockClient({ region: "eu-west-1" }) });
        assert.deepStrictEqual(
            logs.commandCalls(StartQueryCommand).slice(3).map((call) => call.args[0].input.queryString),
            GROUPINGS.map((by) => insightsGroupQuery(parseGrouping(by), RANGE)),
        );
        // The report's own total comes from the standard queries (empty here): the groups are compared with the fixture's.
        const records = fixtureRecords().length;
        for (const group of report.groups!) assert.strictEqual(group.rows.reduce((total, row) => total + row.invocations, 0), records, group.by);
        assertGroupsEqual({ ...report, total: { ...report.total, invocations: records } }, withProfile);
        assert.deepStrictEqual(bedrock.commandCalls(GetInferenceProfileCommand).map((call) => call.args[0].input), [{ inferenceProfileIdentifier: PROFILE }], "asked once");
        assert.match(report.applicationProfiles!, /1 priced as the model each routes to \(from GetInferenceProfile\)/);
    });

    it("builds the query from the dimensions: nested request metadata fields, the session ARN parsed, each requestId once", () => {
        const query = insightsGroupQuery(parseGrouping("metadata.team+role+session+metadata.cost-center"), RANGE);
        assert.strictEqual(
            query,
            [
                'filter schemaType = "ModelInvocationLog" and timestamp >= "2026-11-21T00:00:00.000Z" and timestamp < "2026-11-24T00:00:00.000Z"',
                '| fields substr(timestamp, 0, 10) as day, identity.arn as caller, coalesce(requestMetadata.team, "(none)") as metadata0, coalesce(`requestMetadata.cost-center`, "(none)") as metadata3',
                "| parse identity.arn /^arn:(?<sessionPartition>[^:]+):sts::(?<sessionAccount>\\d{12}):assumed-role\\/(?<sessionRole>[^\\/]+)\\/(?<sessionName>.+)$/",
                '| fields coalesce(sessionPartition, "(none)") as rolePartition, coalesce(sessionAccount, "(none)") as roleAccount, coalesce(sessionRole, "(none)") as roleName, coalesce(sessionName, "(none)") as roleSession',
                "| stats count(*) as copies, max(input.inputTokenCount) as requestInputTokens, max(output.outputTokenCount) as requestOutputTokens, max(input.cacheReadInputTokenCount) as requestCacheReadInputTokens, max(input.cacheWriteInputTokenCount) as requestCacheWriteInputTokens by requestId, modelId, metadata0, rolePartition, roleAccount, roleName, roleSession, metadata3",
                "| stats sum(copies) as records, count(*) as invocations, sum(requestInputTokens) as inputTokens, sum(requestOutputTokens) as outputTokens, sum(requestCacheReadInputTokens) as cacheReadInputTokens, sum(requestCacheWriteInputTokens) as cacheWriteInputTokens by metadata0, rolePartition, roleAccount, roleName, roleSession, metadata3, modelId",
                "| sort inputTokens desc",
            ].join("\n"),
        );
        // The parse's regular expression (as JavaScript reads it) takes the documented assumed-role ARN apart, partitions included.
        const pattern = /^arn:(?<sessionPartition>[^:]+):sts::(?<sessionAccount>\d{12}):assumed-role\/(?<sessionRole>[^/]+)\/(?<sessionName>.+)$/;
        assert.deepStrictEqual({ ...pattern.exec("arn:aws-us-gov:sts::210987654321:assumed-role/gateway-gov/session-1")!.groups }, { sessionPartition: "aws-us-gov", sessionAccount: "210987654321", sessionRole: "gateway-gov", sessionName: "session-1" });
        assert.strictEqual(pattern.exec("arn:aws:iam::123456789012:user/batch-runner"), null);
        assert.ok(!insightsGroupQuery(parseGrouping("model+day"), RANGE).includes("parse"), "no parse when no role or session is asked");
    });

    it("leaves the profile n/a, and still reports, when GetInferenceProfile is refused", async () => {
        answerQueries();
        bedrock.on(GetInferenceProfileCommand).rejects(Object.assign(new Error("User is not authorized to perform: bedrock:GetInferenceProfile"), { name: "AccessDeniedException" }));
        const options = parseOptions(["--engine", "logs-insights", ...WINDOW, "--region", "eu-west-1", "--prices", "builtin", "--quiet", "--by", "metadata.team+model"])!;
        // The report's own Bedrock client for the profile's region (the mock answers every instance).
        const report = await runReport(options, { logs: new CloudWatchLogsClient({ region: "eu-west-1" }) });
        assert.strictEqual(bedrock.commandCalls(GetInferenceProfileCommand).length, 1);
        const profileRows = report.groups![0].rows.filter((row) => row.key.model === PROFILE);
        assert.ok(profileRows.length > 0 && profileRows.every((row) => row.estimatedCostUsd === undefined && row.unpricedInvocations === row.invocations));
        assert.match(report.applicationProfiles!, /1 n\/a \(.*GetInferenceProfile: AccessDeniedException: User is not authorized/);
    });
});

// ---- Athena ----

describe("usage-report --by on Athena (responses in the documented shape)", () => {
    let athena: AwsClientStub<AthenaClient>;
    before(() => (athena = mockClient(AthenaClient)));
    afterEach(() => athena.reset());
    after(() => athena.restore());

    const column = (Name: string, Type: string) => ({ Name, Type, CatalogName: "hive", SchemaName: "", TableName: "", Label: Name, Nullable: "UNKNOWN" as const });
    const SUM_COLUMNS = ["records", "invocations", "input_tokens", "output_tokens", "cache_read_input_tokens", "cache_write_input_tokens"];
    const cells = (...values: (string | number)[]) => ({ Data: values.map((value) => ({ VarCharValue: String(value) })) });

    /** Athena's answer to a grouping: a header row, then one row per key and model (`dim_<i>`, `model_id`, the sums), over two pages. */
    function athenaAnswer(by: string, nextToken: string | undefined) {
        const names = [...by.split("+").map((_, index) => `dim_${index}`), "model_id", ...SUM_COLUMNS];
        const data = [...expectedGroups(by, withProfile).values()].flatMap((row) =>
            [...row.byModel].map(([modelId, perModel]) =>
                cells(...by.split("+").map((dimension) => row.key[dimension]), modelId, perModel.invocations, perModel.invocations, perModel.inputTokens, perModel.outputTokens, perModel.cacheReadInputTokens, perModel.cacheWriteInputTokens),
            ),
        );
        const half = Math.ceil(data.length / 2);
        const metadata = { ColumnInfo: names.map((name) => column(name, name.startsWith("dim_") || name === "model_id" ? "varchar" : "bigint")) };
        return nextToken === undefined ? { NextToken: "page-2", ResultSet: { ResultSetMetadata: metadata, Rows: [cells(...names), ...data.slice(0, half)] } } : { ResultSet: { ResultSetMetadata: metadata, Rows: data.slice(half) } };
    }

    it("runs the SQL built for each grouping over the table and reports the totals computed independently", async () => {
        const executions = new Map<string, string>();
        const queries = new Map(GROUPINGS.map((by) => [athenaGroupQuery(parseGrouping(by), "2026/11/21", "2026/11/24", RANGE.start.toISOString(), RANGE.end.toISOString()), by]));
        athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString: string }) => {
            const id = `qe-${executions.size + 1}`;
            executions.set(id, queries.get(input.QueryString) ?? "standard");
            return { QueryExecutionId: id };
        });
        athena.on(GetQueryExecutionCommand).callsFake((input: { QueryExecutionId: string }) => ({ QueryExecution: { QueryExecutionId: input.QueryExecutionId, Status: { State: "SUCCEEDED" }, Statistics: { DataScannedInBytes: 1e5 } } }));
        athena.on(AthenaGetQueryResultsCommand).callsFake((input: { QueryExecutionId: string; NextToken?: string }) => {
            const by = executions.get(input.QueryExecutionId)!;
            return by === "standard" ? { ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [cells("model_id")] } } : athenaAnswer(by, input.NextToken);
        });
        const options = parseOptions(["--engine", "athena", ...WINDOW, "--region", "eu-west-1", "--prices", "builtin", "--stack-outputs", STACK_OUTPUTS, "--quiet", ...byArgs])!;
        const report = await runReport(options, { athena: new AthenaClient({ region: "eu-west-1" }) });
        assert.deepStrictEqual([...executions.values()], ["standard", "standard", "standard", ...GROUPINGS], "each grouping's own query");
        const records = fixtureRecords().length;
        assertGroupsEqual({ ...report, total: { ...report.total, invocations: records } }, withProfile);
    });

    it("builds the SQL from the dimensions: the request metadata map, the role ARN from the session's, each requestid once", () => {
        const query = athenaGroupQuery(parseGrouping("metadata.Team+role+session+day"), "2026/11/21", "2026/11/24", "2026-11-21T00:00:00.000Z", "2026-11-24T00:00:00.000Z");
        assert.match(query, /arbitrary\(coalesce\(nullif\(element_at\(requestmetadata, 'Team'\), ''\), nullif\(element_at\(requestmetadata, 'team'\), ''\), '\(none\)'\)\) AS metadata_0/);
        const pattern = "'^arn:([^:]+):sts::([0-9]{12}):assumed-role/([^/]+)/(.+)$'";
        assert.ok(
            query.includes(
                `SELECT metadata_0 AS dim_0, CASE WHEN regexp_like(caller, ${pattern}) THEN concat('arn:', regexp_extract(caller, ${pattern}, 1), ':iam::', regexp_extract(caller, ${pattern}, 2), ':role/', regexp_extract(caller, ${pattern}, 3)) ELSE '(none)' END AS dim_1, ` +
                    `coalesce(regexp_extract(caller, ${pattern}, 4), '(none)') AS dim_2, record_day AS dim_3, modelid AS model_id, sum(copies) AS records`,
            ),
            query,
        );
        assert.match(query, /WHERE day BETWEEN '2026\/11\/21' AND '2026\/11\/24' AND schematype = 'ModelInvocationLog'/);
        assert.match(query, /GROUP BY coalesce\(requestid, cast\(uuid\(\) AS varchar\)\)\n\)\n/);
        assert.match(query, /\nGROUP BY 1, 2, 3, 4, 5\n/);
    });

    it("reads the request metadata as a map column of the Glue table", () => {
        assert.deepStrictEqual(
            INVOCATION_COLUMNS.find((column) => column.name === "requestmetadata"),
            { name: "requestmetadata", type: "map<string,string>" },
        );
    });
});

// ---- Bad input ----

describe("usage-report --by: bad input", () => {
    const refused: [string[], RegExp][] = [
        [["--by", "team"], /^each --by is DIM\[\+DIM\.\.\.\] where DIM is model, caller, role, session, day or metadata\.<key>, not "team" in --by "team"$/],
        [["--by", "model+cost"], /not "cost" in --by "model\+cost"$/],
        [["--by", "metadata."], /"metadata\." in --by "metadata\." names no request metadata key/],
        [["--by", "metadata.a'b"], /names no request metadata key/],
        [["--by", ""], /not an empty value$/],
        [["--by", "model+model"], /^--by "model\+model" names model twice: name each dimension once$/],
        [["--by", "role", "--by", "role"], /^--by role is given twice: give each grouping once$/],
    ];
    for (const [args, message] of refused) {
        it(`refuses ${args.join(" ")} in one sentence`, () => {
            assert.throws(
                () => parseOptions(["--source", "file", "--path", FIXTURE, ...args]),
                (error: Error) => error instanceof UsageError && message.test(error.message) && !error.message.includes("\n"),
            );
        });
    }

    it("exits 2 with that sentence and the usage", async () => {
        const written: string[] = [];
        const original = console.error;
        console.error = (text: string) => written.push(text);
        try {
            assert.strictEqual(await main(["--source", "file", "--path", FIXTURE, "--by", "team"]), 2);
        } finally {
            console.error = original;
        }
        assert.match(written.join("\n"), /^usage-report: each --by is DIM\[\+DIM\.\.\.\] .* not "team" in --by "team"\n\nusage: npm run usage-report/);
    });

    it("names the dimensions in the order given, and accepts every documented dimension", () => {
        assert.deepStrictEqual(
            parseGroupings(["metadata.team+model", "role", "session+day", "caller", "metadata.cost center:/x"]).map((grouping) => grouping.by),
            ["metadata.team+model", "role", "session+day", "caller", "metadata.cost center:/x"],
        );
    });

    it("refuses a stack outputs file whose application profiles are not ARNs, naming the key path", () => {
        assert.throws(
            () => profilesFromStackOutputs({ gateways: { search: { applicationProfiles: { "search-sonnet": "search-sonnet" } } } }, "out.json"),
            (error: Error) => error instanceof UsageError && error.message === 'out.json: gateways.search.applicationProfiles.search-sonnet = "search-sonnet" is not an application inference profile ARN',
        );
        const read = profilesFromStackOutputs(JSON.parse(fs.readFileSync(STACK_OUTPUTS, "utf8")));
        assert.deepStrictEqual([...read.models], [[PROFILE, "anthropic.claude-sonnet-4-20250514-v1:0"]]);
        assert.strictEqual(read.arns.size, 2);
    });
});
