/**
 * bedrock-mantle in the usage report (`--mantle`): its calls are not in the invocation logs, so the
 * report says so in one line and sums the `AWS/BedrockMantle` metrics over the same window, through
 * CloudWatch GetMetricData answered by aws-sdk-client-mock in the API's documented response shape
 * (`MetricDataResults[].{Id, Label, Timestamps, Values, StatusCode}`, `NextToken`). A failure is one
 * sentence in the section and never fails the report. The usage readers may call GetMetricData only
 * when the stack grants bedrock-mantle.
 */
import * as assert from "assert";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, FilterLogEventsCommand, FilterLogEventsCommandOutput } from "@aws-sdk/client-cloudwatch-logs";
import { mockClient } from "aws-sdk-client-mock";
import * as fs from "fs";
import * as path from "path";
import { usageReaderPolicy } from "../../components/monitoring/usageQueries";
import { main, parseOptions, runReport } from "../../report/cli";
import { formatReport } from "../../report/format";
import { ACCOUNT_ID } from "../harness";
import { decide } from "../simulate";

const NOW = new Date("2026-11-24T00:00:00Z");
const START = new Date("2026-11-17T00:00:00Z");
const NOTE = "bedrock-mantle calls are not in the invocation logs: the totals above leave them out; the mantle section counts them from the AWS/BedrockMantle metrics (account-wide)";
const pages = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "filterLogEvents.pages.json"), "utf8")) as FilterLogEventsCommandOutput[];
const hour = (h: number) => new Date(START.getTime() + h * 3600_000);

/** The local engine over the recorded FilterLogEvents pages, with the given flags. */
async function reportWith(flags: readonly string[], cloudwatch: CloudWatchClient) {
    const logs = mockClient(CloudWatchLogsClient);
    logs.on(FilterLogEventsCommand).resolvesOnce(pages[0]).resolvesOnce(pages[1]);
    try {
        const options = { ...parseOptions(["--engine", "local", "--days", "7", "--prices", "builtin", "--quiet", ...flags])!, region: "eu-west-1" };
        return await runReport(options, { logs: new CloudWatchLogsClient({ region: "eu-west-1" }), cloudwatch }, NOW);
    } finally {
        logs.restore();
    }
}

describe("usage-report --mantle", () => {
    it("sums each AWS/BedrockMantle metric over the report's window, page by page, beside the logs' totals", async () => {
        const cloudwatch = mockClient(CloudWatchClient);
        cloudwatch
            .on(GetMetricDataCommand)
            .resolvesOnce({
                MetricDataResults: [
                    { Id: "inferences", Label: "Inferences", Timestamps: [hour(2), hour(1)], Values: [7, 5], StatusCode: "PartialData" },
                    { Id: "clienterrors", Label: "InferenceClientErrors", Timestamps: [hour(1)], Values: [1], StatusCode: "PartialData" },
                    { Id: "inputtokens", Label: "TotalInputTokens", Timestamps: [hour(2), hour(1)], Values: [7000, 4000], StatusCode: "PartialData" },
                    { Id: "outputtokens", Label: "TotalOutputTokens", Timestamps: [hour(2), hour(1)], Values: [900, 600], StatusCode: "PartialData" },
                ],
                NextToken: "page-2",
                Messages: [],
            })
            .resolvesOnce({
                MetricDataResults: [
                    { Id: "inferences", Label: "Inferences", Timestamps: [hour(30)], Values: [3], StatusCode: "Complete" },
                    { Id: "clienterrors", Label: "InferenceClientErrors", Timestamps: [], Values: [], StatusCode: "Complete" },
                    { Id: "inputtokens", Label: "TotalInputTokens", Timestamps: [hour(30)], Values: [2500], StatusCode: "Complete" },
                    { Id: "outputtokens", Label: "TotalOutputTokens", Timestamps: [hour(30)], Values: [250], StatusCode: "Complete" },
                ],
                Messages: [],
            });
        try {
            const report = await reportWith(["--mantle"], new CloudWatchClient({ region: "eu-west-1" }));
            // The logs' totals are the logs' alone.
            assert.strictEqual(report.records, 3);
            assert.deepStrictEqual(report.mantle, { note: NOTE, namespace: "AWS/BedrockMantle", totals: { inferences: 15, clientErrors: 1, inputTokens: 13500, outputTokens: 1750 } });
            const calls = cloudwatch.commandCalls(GetMetricDataCommand).map((call) => call.args[0].input);
            assert.strictEqual(calls.length, 2);
            assert.deepStrictEqual([calls[0].NextToken, calls[1].NextToken], [undefined, "page-2"]);
            assert.deepStrictEqual([calls[0].StartTime, calls[0].EndTime], [START, NOW]);
            assert.deepStrictEqual(
                calls[0].MetricDataQueries!.map((query) => [query.Id, query.MetricStat!.Metric!.Namespace, query.MetricStat!.Metric!.MetricName, query.MetricStat!.Metric!.Dimensions, query.MetricStat!.Period, query.MetricStat!.Stat]),
                [
                    ["inferences", "AWS/BedrockMantle", "Inferences", undefined, 3600, "Sum"],
                    ["clienterrors", "AWS/BedrockMantle", "InferenceClientErrors", undefined, 3600, "Sum"],
                    ["inputtokens", "AWS/BedrockMantle", "TotalInputTokens", undefined, 3600, "Sum"],
                    ["outputtokens", "AWS/BedrockMantle", "TotalOutputTokens", undefined, 3600, "Sum"],
                ],
            );
            const table = formatReport(report, "table");
            assert.ok(table.split("\n").includes(`${NOTE}.`), table);
            assert.ok(
                table.endsWith(
                    "\n\nbedrock-mantle (AWS/BedrockMantle metrics, account-wide, hourly sums over the window; not in the invocation logs):\n  inferences     15\n  client errors  1\n  input tokens   13500\n  output tokens  1750",
                ),
                table,
            );
            const csv = formatReport(report, "csv").split("\n");
            assert.deepStrictEqual(csv.slice(-2), ["mantle,inferences (AWS/BedrockMantle),15,13500,1750,,,n/a", "mantle,client errors (AWS/BedrockMantle),1,,,,,"]);
            assert.deepStrictEqual((JSON.parse(formatReport(report, "json")) as { mantle: unknown }).mantle, report.mantle);
        } finally {
            cloudwatch.restore();
        }
    });

    it("says in one sentence why the metrics were not read when AWS refuses, and still prints the report (exit 0)", async () => {
        const cloudwatch = mockClient(CloudWatchClient);
        cloudwatch.on(GetMetricDataCommand).rejects(
            Object.assign(new Error("User: arn:aws:sts::123456789012:assumed-role/reader/me is not authorized to perform: cloudwatch:GetMetricData\nmore"), { name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } }),
        );
        const logs = mockClient(CloudWatchLogsClient);
        logs.on(FilterLogEventsCommand).resolvesOnce(pages[0]).resolvesOnce(pages[1]);
        const written: string[] = [];
        const write = process.stdout.write.bind(process.stdout);
        process.stdout.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stdout.write;
        let code: number;
        try {
            code = await main(["--engine", "local", "--days", "7", "--prices", "builtin", "--quiet", "--mantle", "--region", "eu-west-1", "--format", "json"], {
                logs: new CloudWatchLogsClient({ region: "eu-west-1" }),
                cloudwatch: new CloudWatchClient({ region: "eu-west-1" }),
            });
        } finally {
            process.stdout.write = write;
            cloudwatch.restore();
            logs.restore();
        }
        assert.strictEqual(code, 0);
        const mantle = (JSON.parse(written.join("")) as { mantle: { note: string; notRead: string; totals?: unknown } }).mantle;
        assert.strictEqual(mantle.note, NOTE);
        assert.strictEqual(mantle.totals, undefined);
        assert.strictEqual(
            mantle.notRead,
            "AWS refused the call (AccessDeniedException): User: arn:aws:sts::123456789012:assumed-role/reader/me is not authorized to perform: cloudwatch:GetMetricData " +
                "(attach the stack's usage reader policy: it allows cloudwatch:GetMetricData when the stack grants bedrock-mantle)",
        );
    });

    it("asks CloudWatch nothing without --mantle, and nothing in an offline report of files", async () => {
        const cloudwatch = mockClient(CloudWatchClient);
        try {
            const plain = await reportWith([], new CloudWatchClient({ region: "eu-west-1" }));
            assert.strictEqual(plain.mantle, undefined);
            assert.ok(!formatReport(plain, "table").includes("bedrock-mantle"));
            const sample = path.join(__dirname, "..", "fixtures", "invocations.sample.jsonl");
            const offline = await runReport(parseOptions(["--source", "file", "--path", sample, "--mantle", "--quiet"])!, { cloudwatch: new CloudWatchClient({ region: "eu-west-1" }) }, NOW);
            assert.deepStrictEqual(offline.mantle, { note: NOTE, namespace: "AWS/BedrockMantle", notRead: "an offline report of files asks AWS nothing (give --prices auto to allow AWS calls)" });
            assert.ok(formatReport(offline, "table").endsWith(": not read: an offline report of files asks AWS nothing (give --prices auto to allow AWS calls)"));
            assert.strictEqual(cloudwatch.commandCalls(GetMetricDataCommand).length, 0);
        } finally {
            cloudwatch.restore();
        }
    });

    it("lets the usage readers call GetMetricData only when the stack grants bedrock-mantle", async () => {
        const location = { partition: "aws", accountId: ACCOUNT_ID, region: "eu-west-1", stack: "test", ownsLogging: true, logGroupName: "/aws/bedrock/modelinvocations", logBucket: undefined };
        const args = { location, athena: false, kmsKey: { kind: "none" } } as Parameters<typeof usageReaderPolicy>[0];
        const withMantle = usageReaderPolicy({ ...args, mantleMetrics: true });
        const without = usageReaderPolicy(args);
        assert.deepStrictEqual(
            withMantle.Statement.filter((statement) => statement.Sid === "ReadMantleMetrics"),
            [{ Sid: "ReadMantleMetrics", Effect: "Allow", Action: "cloudwatch:GetMetricData", Resource: "*" }],
        );
        assert.deepStrictEqual(withMantle.Statement.filter((statement) => statement.Sid !== "ReadMantleMetrics"), without.Statement);
        const reader = `arn:aws:iam::${ACCOUNT_ID}:role/usage-reader`;
        const read = (policy: typeof without) => decide({ action: "cloudwatch:GetMetricData", principal: reader, resource: "*", resourceAccount: ACCOUNT_ID, identityPolicies: [policy] });
        assert.strictEqual(await read(withMantle), "Allowed");
        assert.notStrictEqual(await read(without), "Allowed");
        // Nothing beyond reading: putting metrics stays denied.
        assert.notStrictEqual(await decide({ action: "cloudwatch:PutMetricData", principal: reader, resource: "*", resourceAccount: ACCOUNT_ID, identityPolicies: [withMantle] }), "Allowed");
    });
});
