/**
 * The usage report: parsing and aggregation on generated records (malformed lines included), its
 * formats, and its AWS reads against recorded-shape responses (aws-sdk-client-mock).
 */
import * as assert from "assert";
import { CloudWatchLogsClient, FilterLogEventsCommand, FilterLogEventsCommandOutput } from "@aws-sdk/client-cloudwatch-logs";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import * as fs from "fs";
import * as path from "path";
import { Readable } from "stream";
import { gzipSync } from "zlib";
import { generatedLine, seededRandom } from "../../bench/invocationLogs";
import { DEFAULT_PRICES, UsageAggregator, baseModelId, priceOf } from "../../report/aggregate";
import { aggregateLines, parseOptions, runReport } from "../../report/cli";
import { formatReport } from "../../report/format";
import { parseLogLine } from "../../report/records";
import { dailyPrefixes } from "../../report/sources";

async function* fromArray(lines: readonly string[]): AsyncGenerator<string> {
    yield* lines;
}

describe("parseLogLine", () => {
    it("reads the documented fields", () => {
        const { line, expected } = generatedLine(seededRandom(1), 0, 0);
        const parsed = parseLogLine(line);
        assert.ok(parsed.ok);
        assert.strictEqual(parsed.record.modelId, expected!.modelId);
        assert.strictEqual(parsed.record.identityArn, expected!.identityArn);
        assert.strictEqual(parsed.record.inputTokens, expected!.inputTokens);
        assert.strictEqual(parsed.record.outputTokens, expected!.outputTokens);
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
    ];
    for (const [line, reason] of malformed) it(`reports ${JSON.stringify(line).slice(0, 40)} as ${reason}`, () => assert.deepStrictEqual(parseLogLine(line), { ok: false, reason }));
});

describe("UsageAggregator", () => {
    it("sums invocations and tokens per model, per identity and in total; counts malformed lines", async () => {
        const random = seededRandom(42);
        const generated = Array.from({ length: 20000 }, (_, index) => generatedLine(random, index, 0.01));
        const expectedByModel = new Map<string, { invocations: number; inputTokens: number; outputTokens: number }>();
        for (const { expected } of generated) {
            if (!expected) continue;
            const totals = expectedByModel.get(expected.modelId) ?? { invocations: 0, inputTokens: 0, outputTokens: 0 };
            totals.invocations += 1;
            totals.inputTokens += expected.inputTokens;
            totals.outputTokens += expected.outputTokens;
            expectedByModel.set(expected.modelId, totals);
        }
        const report = await aggregateLines(fromArray(generated.map((entry) => entry.line)), DEFAULT_PRICES);
        const malformed = generated.filter((entry) => !entry.expected).length;
        assert.ok(malformed > 100, "the generator mixes in malformed lines");
        assert.strictEqual(report.malformed, malformed);
        assert.strictEqual(report.records, generated.length - malformed);
        for (const [modelId, totals] of expectedByModel) {
            assert.deepStrictEqual(
                { invocations: report.byModel[modelId].invocations, inputTokens: report.byModel[modelId].inputTokens, outputTokens: report.byModel[modelId].outputTokens },
                totals,
                modelId,
            );
        }
        assert.strictEqual(Object.values(report.byIdentity).reduce((sum, totals) => sum + totals.invocations, 0), report.records);
        assert.strictEqual(report.total.inputTokens, [...expectedByModel.values()].reduce((sum, totals) => sum + totals.inputTokens, 0));
    });

    it("estimates cost from the price table, by base model, and says n/a without a price", () => {
        const aggregator = new UsageAggregator({ "anthropic.claude-haiku-4-5": { inputPer1k: 0.001, outputPer1k: 0.005 } });
        const line = (modelId: string) =>
            JSON.stringify({ timestamp: "2026-11-23T00:00:00Z", accountId: "1", region: "eu-west-1", operation: "Converse", modelId, identity: { arn: "a" }, input: { inputTokenCount: 2000 }, output: { outputTokenCount: 1000 } });
        aggregator.add(parseLogLine(line("eu.anthropic.claude-haiku-4-5-20251001-v1:0")));
        assert.strictEqual(aggregator.report().total.estimatedCostUsd!.toFixed(6), (2 * 0.001 + 1 * 0.005).toFixed(6));
        aggregator.add(parseLogLine(line("cohere.command-r-plus-v1:0")));
        assert.strictEqual(aggregator.report().total.estimatedCostUsd, undefined);
        assert.match(formatReport(aggregator.report(), "table"), /n\/a/);
    });

    it("finds the base model of profiles and ARNs", () => {
        assert.strictEqual(baseModelId("global.anthropic.claude-sonnet-4-5-20250929-v1:0"), "anthropic.claude-sonnet-4-5-20250929-v1:0");
        assert.strictEqual(baseModelId("us-gov.anthropic.claude-3-5-sonnet-20240620-v1:0"), "anthropic.claude-3-5-sonnet-20240620-v1:0");
        assert.strictEqual(baseModelId("arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0"), "amazon.nova-pro-v1:0");
        assert.deepStrictEqual(priceOf("eu.amazon.nova-pro-v1:0", DEFAULT_PRICES), DEFAULT_PRICES["amazon.nova-pro"]);
    });
});

describe("report formats", () => {
    const report = new UsageAggregator().report();
    it("writes CSV with a header and a total row", () => {
        const csv = formatReport(report, "csv").split("\n");
        assert.strictEqual(csv[0], "by,key,invocations,input tokens,output tokens,estimated cost (USD)");
        assert.strictEqual(csv[csv.length - 1], "total,,0,0,0,0.0000");
    });
    it("writes JSON that parses back", () => assert.deepStrictEqual(JSON.parse(formatReport(report, "json")), JSON.parse(JSON.stringify(report))));
});

describe("reading the logs from AWS (recorded-shape responses)", () => {
    const pages = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "filterLogEvents.pages.json"), "utf8")) as FilterLogEventsCommandOutput[];

    it("pages through FilterLogEvents and reports, counting the truncated line", async () => {
        const logs = mockClient(CloudWatchLogsClient);
        logs.on(FilterLogEventsCommand).resolvesOnce(pages[0]).resolvesOnce(pages[1]);
        const report = await runReport({ ...parseOptions(["--days", "7", "--quiet"]), region: "eu-west-1" }, { logs: new CloudWatchLogsClient({ region: "eu-west-1" }) });
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
        const options = { ...parseOptions(["--days", "2", "--source", "s3", "--bucket", "bedrock-invocation-logs-123456789012-eu-west-1", "--quiet"]), region: "eu-west-1" };
        const report = await runReport(options, { s3: new S3Client({ region: "eu-west-1" }) });
        const days = s3.commandCalls(ListObjectsV2Command).length;
        assert.ok(days === 3, `one listing per day of the range, got ${days}`);
        assert.strictEqual(s3.commandCalls(GetObjectCommand).length, days, "only .json.gz objects are read");
        const malformedPerObject = objectLines.filter((line) => !parseLogLine(line).ok).length;
        assert.strictEqual(report.malformed, malformedPerObject * days);
        assert.strictEqual(report.records, (objectLines.length - malformedPerObject) * days);
        s3.restore();
    });

    it("builds the documented S3 prefixes, one per UTC day", () =>
        assert.deepStrictEqual(dailyPrefixes("123456789012", "eu-west-1", new Date("2026-11-30T22:00:00Z"), new Date("2026-12-01T01:00:00Z")), [
            "AWSLogs/123456789012/BedrockModelInvocationLogs/eu-west-1/2026/11/30/",
            "AWSLogs/123456789012/BedrockModelInvocationLogs/eu-west-1/2026/12/01/",
        ]));

    it("refuses bad options with the usage", () => {
        assert.throws(() => parseOptions(["--days", "0"]), /--days must be a whole number/);
        assert.throws(() => parseOptions(["--days", "3", "--format", "xml"]), /--format must be table, csv or json/);
        assert.throws(() => parseOptions(["--days", "3", "--source", "s3"]), /--source s3 needs --bucket/);
    });
});
