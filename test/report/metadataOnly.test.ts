/**
 * The usage report on records without request or response bodies (what Bedrock writes for a
 * content type `logContent` leaves off): the local engine totals them exactly, and the Logs
 * Insights queries, the Contributor Insights rule and the Athena table and queries read only
 * metadata fields, never `inputBodyJson` or `outputBodyJson`, so they total such records alike.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gzipSync } from "zlib";
import { INSIGHTS_QUERIES, INVOCATION_COLUMNS, USAGE_REPORTS, athenaNamedQuery, athenaQuery, topCallersRule } from "../../components/monitoring/usageQueries";
import { parseOptions, runReport } from "../../report/cli";

const SONNET = "anthropic.claude-sonnet-4-20250514-v1:0";
const NOVA = "eu.amazon.nova-pro-v1:0";
const CALLERS = ["arn:aws:sts::123456789012:assumed-role/bedrock-gateway-portkey-eu-west-1/s1", "arn:aws:sts::123456789012:assumed-role/bedrock-gateway-litellm-eu-west-1/s2"];

/** A record as Bedrock writes it with no content delivered: the documented fields, no bodies. */
function metadataOnly(index: number): { line: string; model: string; caller: string; input: number; output: number; cacheRead: number; day: string } {
    const model = index % 3 === 0 ? NOVA : SONNET;
    const caller = CALLERS[index % 2];
    const day = `2026-11-${String(20 + (index % 4)).padStart(2, "0")}`;
    const input = 100 + index;
    const output = 10 + (index % 7);
    const cacheRead = model === SONNET ? index % 5 : 0;
    const record = {
        schemaType: "ModelInvocationLog",
        schemaVersion: "1.0",
        timestamp: `${day}T10:${String(index % 60).padStart(2, "0")}:00Z`,
        accountId: "123456789012",
        identity: { arn: caller },
        region: "eu-west-1",
        requestId: `req-${index}`,
        operation: index % 2 === 0 ? "Converse" : "InvokeModel",
        modelId: model,
        input: { inputContentType: "application/json", inputTokenCount: input, ...(cacheRead ? { cacheReadInputTokenCount: cacheRead } : {}) },
        output: { outputContentType: "application/json", outputTokenCount: output },
    };
    return { line: JSON.stringify(record), model, caller, input, output, cacheRead, day };
}

describe("the usage report on metadata-only records", () => {
    let folder: string;
    const records = Array.from({ length: 500 }, (_, index) => metadataOnly(index));
    before(() => {
        folder = fs.mkdtempSync(path.join(os.tmpdir(), "metadata-only-"));
        fs.writeFileSync(path.join(folder, "a.json.gz"), gzipSync(Buffer.from(records.map((record) => record.line).join("\n"))));
    });
    after(() => fs.rmSync(folder, { recursive: true, force: true }));

    it("the local engine totals them per model, caller and day, with nothing malformed", async () => {
        const report = await runReport(parseOptions(["--source", "file", "--path", path.join(folder, "a.json.gz"), "--prices", "builtin", "--quiet"])!);
        const sum = (pick: (record: (typeof records)[number]) => number, keep: (record: (typeof records)[number]) => boolean = () => true) =>
            records.filter(keep).reduce((total, record) => total + pick(record), 0);
        assert.strictEqual(report.malformed, 0);
        assert.deepStrictEqual(
            [report.total.invocations, report.total.inputTokens, report.total.outputTokens, report.total.cacheReadInputTokens],
            [records.length, sum((record) => record.input), sum((record) => record.output), sum((record) => record.cacheRead)],
        );
        for (const model of [SONNET, NOVA]) assert.strictEqual(report.byModel[model].inputTokens, sum((record) => record.input, (record) => record.model === model), model);
        for (const caller of CALLERS) assert.strictEqual(report.byIdentity[caller].outputTokens, sum((record) => record.output, (record) => record.caller === caller), caller);
        assert.strictEqual(report.byDay["2026-11-21"].invocations, records.filter((record) => record.day === "2026-11-21").length);
    });

    it("Logs Insights, Contributor Insights and Athena read metadata fields only, never a body", () => {
        const bodies = /BodyJson|bodyjson|inputBody|outputBody|@message/i;
        for (const report of USAGE_REPORTS) {
            assert.doesNotMatch(INSIGHTS_QUERIES[report], bodies, report);
            assert.doesNotMatch(athenaQuery(report, "2026/11/20", "2026/11/23"), bodies, report);
            assert.doesNotMatch(athenaNamedQuery(report), bodies, report);
        }
        assert.doesNotMatch(topCallersRule("/aws/bedrock/modelinvocations"), bodies);
        assert.doesNotMatch(JSON.stringify(INVOCATION_COLUMNS), bodies, "the table has no body column: whoever queries it sees none");
    });

    it("every field the Logs Insights queries read is in a metadata-only record", () => {
        const [sample] = records;
        const record = JSON.parse(sample.line) as Record<string, unknown>;
        const fieldsRead = new Set(Object.values(INSIGHTS_QUERIES).flatMap((query) => [...query.matchAll(/\b(schemaType|modelId|identity\.arn|input\.\w+|output\.\w+)\b/g)].map((match) => match[1])));
        const present = (field: string) => field.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], record) !== undefined;
        // The cache counts are absent when there was no cache: a sum over no value adds nothing (the report reads it as 0).
        const optional = new Set(["input.cacheReadInputTokenCount", "input.cacheWriteInputTokenCount"]);
        assert.deepStrictEqual([...fieldsRead].filter((field) => !optional.has(field) && !present(field)), []);
        assert.ok(fieldsRead.has("input.inputTokenCount") && fieldsRead.has("output.outputTokenCount"));
    });
});
