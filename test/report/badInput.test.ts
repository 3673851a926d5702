/**
 * The local report on log files of the kinds real exports produce: the same records in two files,
 * garbage timestamps, fractional and huge token counts, over-long lines, a truncated gzip among good
 * files, a directory, a file with no valid record, and a window across a UTC day boundary. Every
 * total is compared with one computed here from the records as written; the command is run as a user
 * runs it (exit codes, one stderr line per bad file), in-process through its `main` (`runCommand`: the
 * same stdout, stderr and exit code, without a node start per run); test/report/usageReport.test.ts
 * runs it as a separate process.
 */
import * as assert from "assert";
import { runCommand } from "../commands";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gzipSync } from "zlib";
import { DEFAULT_PRICES, UsageAggregator, modelFamilies, priceFamilyOf, priceOf } from "../../report/aggregate";
import { EXIT, aggregateLines, parseOptions, runReport, windowOf } from "../../report/cli";
import { formatReport, reportChunks } from "../../report/format";
import { PRICE_LIST_NAMES, validatePriceTable } from "../../report/prices";
import { MAX_TOKENS_PER_RECORD, parseLogLine } from "../../report/records";
import { OVER_LONG_LINE, splitLines } from "../../report/sources";
import { UsageError } from "../../offline/commandLine";

const HAIKU = "eu.anthropic.claude-haiku-4-5-20251001-v1:0";
const NOVA = "amazon.nova-pro-v1:0";

interface Written {
    readonly requestId: string;
    readonly timestamp: string;
    readonly modelId: string;
    readonly caller: string;
    readonly input: unknown;
    readonly output: unknown;
}

const record = (written: Written) =>
    JSON.stringify({
        schemaType: "ModelInvocationLog",
        schemaVersion: "1.0",
        timestamp: written.timestamp,
        accountId: "123456789012",
        identity: { arn: written.caller },
        region: "eu-west-1",
        requestId: written.requestId,
        operation: "Converse",
        modelId: written.modelId,
        input: { inputContentType: "application/json", inputTokenCount: written.input },
        output: { outputContentType: "application/json", outputTokenCount: written.output },
    });

/** Records around midnight UTC of 2026-11-23/24, two callers, two models. */
function goodRecords(prefix: string, count: number, startMs: number): Written[] {
    return Array.from({ length: count }, (_, index) => ({
        requestId: `${prefix}-${index}`,
        timestamp: new Date(startMs + index * 60_000).toISOString().replace(".000Z", "Z"),
        modelId: index % 3 === 0 ? NOVA : HAIKU,
        caller: `arn:aws:sts::123456789012:assumed-role/gateway/${index % 2 === 0 ? "a" : "b"}`,
        input: 100 + index,
        output: 10 + (index % 7),
    }));
}

/** What the report must say, computed from the records as written: each requestId once, within the window. */
function independentTotals(records: readonly Written[], window?: { start: number; end: number }) {
    const counted = new Map<string, Written>();
    for (const written of records) {
        const time = Date.parse(written.timestamp);
        if (window && (time < window.start || time >= window.end)) continue;
        if (!counted.has(written.requestId)) counted.set(written.requestId, written);
    }
    const byDay = new Map<string, number>();
    let input = 0;
    let output = 0;
    let cost = 0;
    for (const written of counted.values()) {
        input += written.input as number;
        output += written.output as number;
        const day = written.timestamp.slice(0, 10);
        byDay.set(day, (byDay.get(day) ?? 0) + 1);
        const price = written.modelId === NOVA ? DEFAULT_PRICES["amazon.nova-pro"] : DEFAULT_PRICES["anthropic.claude-haiku-4-5"];
        cost += ((written.input as number) / 1000) * price.inputPer1k + ((written.output as number) / 1000) * price.outputPer1k;
    }
    return { invocations: counted.size, input, output, cost, byDay: Object.fromEntries([...byDay].sort()) };
}

function runCli(...args: string[]) {
    return runCommand("report/cli.ts", args);
}

describe("the local report on faulty log files", () => {
    let dir: string;
    const midnight = Date.parse("2026-11-23T23:30:00Z");
    const first = goodRecords("r", 60, midnight);
    // The second export overlaps the first by 20 records (the same requestIds) and goes on.
    const second = [...first.slice(40), ...goodRecords("s", 30, midnight + 60 * 60_000)];
    const garbage = [
        record({ ...first[0], requestId: "g-1", timestamp: "garbage" }),
        record({ ...first[0], requestId: "g-2", input: 1.5 }),
        record({ ...first[0], requestId: "g-3", input: 1e300 }),
        record({ ...first[0], requestId: "g-4", output: MAX_TOKENS_PER_RECORD + 1 }),
        record({ ...first[0], requestId: "g-5", timestamp: "2026-13-45T99:00:00Z" }),
    ];
    let files: Record<string, string>;

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "usage-faults-"));
        const write = (name: string, content: string | Buffer) => {
            fs.writeFileSync(path.join(dir, name), content);
            return path.join(dir, name);
        };
        const firstText = `${first.map(record).join("\n")}\n${garbage.join("\n")}\n`;
        const truncated = gzipSync(Buffer.from(goodRecords("t", 500, midnight).map(record).join("\n")));
        files = {
            first: write("first.json.gz", gzipSync(Buffer.from(firstText))),
            second: write("second.jsonl", `${second.map(record).join("\r\n")}\r\n`),
            truncated: write("truncated.json.gz", truncated.subarray(0, Math.floor(truncated.length / 2))),
            allMalformed: write("all-malformed.jsonl", '{"not":"a record"}\nnot json\n'),
            directory: path.join(dir, "a-directory"),
        };
        fs.mkdirSync(files.directory);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("counts each requestId once, skips malformed lines by reason, and leaves out a truncated gzip, a directory and a file with no valid record, exit 4", async () => {
        const result = await runCli("--source", "file", "--path", files.first, files.second, files.truncated, files.allMalformed, files.directory, "--format", "json", "--quiet");
        assert.strictEqual(result.status, EXIT.partial, result.stderr);
        const report = JSON.parse(result.stdout);
        const expected = independentTotals([...first, ...second]);
        assert.strictEqual(report.records, expected.invocations);
        assert.strictEqual(report.total.invocations, expected.invocations);
        assert.strictEqual(report.total.inputTokens, expected.input);
        assert.strictEqual(report.total.outputTokens, expected.output);
        assert.strictEqual(report.total.estimatedCostUsd.toFixed(8), expected.cost.toFixed(8));
        assert.deepStrictEqual(Object.fromEntries(Object.entries(report.byDay).map(([day, totals]) => [day, (totals as { invocations: number }).invocations])), expected.byDay);
        assert.strictEqual(report.duplicates, 20);
        assert.deepStrictEqual(report.malformedReasons, {
            "invalid timestamp": 2,
            "invalid input.inputTokenCount (not a whole number)": 1,
            "invalid input.inputTokenCount (over 100000000)": 1,
            "invalid output.outputTokenCount (over 100000000)": 1,
            "missing timestamp": 1,
            "not JSON": 1,
        });
        assert.deepStrictEqual(
            report.unreadable.map((unread: { source: string }) => unread.source),
            [files.truncated, files.allMalformed, files.directory],
        );
        // One line per bad file on stderr, naming it.
        const lines = result.stderr.trim().split("\n");
        assert.deepStrictEqual(lines, [
            `usage-report: left out ${files.truncated}: truncated gzip: unexpected end of file`,
            `usage-report: left out ${files.allMalformed}: no valid record: 2 malformed line(s)`,
            `usage-report: left out ${files.directory}: a directory, not a file`,
        ]);
    });

    it("forgets the requestIds of a file left out: the same records in a good file count", async () => {
        const aggregator = new UsageAggregator(DEFAULT_PRICES);
        const records = goodRecords("same", 10, midnight).map(record);
        await aggregateLines(
            (async function* () {
                yield { begin: "bad" };
                yield* records;
                yield { failed: "bad", reason: "truncated gzip: unexpected end of file" };
                yield { begin: "good" };
                yield* records;
                yield { end: "good" };
            })(),
            aggregator,
        );
        const report = aggregator.report("local");
        assert.strictEqual(report.records, 10);
        assert.strictEqual(report.duplicates, 0);
        assert.deepStrictEqual(report.unreadable, [{ source: "bad", reason: "truncated gzip: unexpected end of file" }]);
    });

    it("reports a window across a UTC day boundary by each record's own timestamp, counting the rest as skipped", async () => {
        const from = "2026-11-23T23:45:00Z";
        const to = "2026-11-24T00:20:00Z";
        const result = await runCli("--source", "file", "--path", files.first, files.second, "--from", from, "--to", to, "--format", "json", "--quiet");
        assert.strictEqual(result.status, 0, result.stderr);
        const report = JSON.parse(result.stdout);
        const all = [...first, ...second];
        const expected = independentTotals(all, { start: Date.parse(from), end: Date.parse(to) });
        assert.strictEqual(report.total.invocations, expected.invocations);
        assert.strictEqual(report.total.inputTokens, expected.input);
        assert.deepStrictEqual(Object.keys(report.byDay), ["2026-11-23", "2026-11-24"]);
        assert.deepStrictEqual(Object.fromEntries(Object.entries(report.byDay).map(([day, totals]) => [day, (totals as { invocations: number }).invocations])), expected.byDay);
        assert.strictEqual(report.from, "2026-11-23T23:45:00.000Z");
        assert.strictEqual(report.to, "2026-11-24T00:20:00.000Z");
        // Every valid record read is counted, skipped, or a duplicate.
        assert.strictEqual(report.records + report.skipped + report.duplicates, all.length);
    });

    it("reads a date as --to through the end of that UTC day, and refuses --days with --from", () => {
        const options = parseOptions(["--source", "file", "--path", "x", "--from", "2026-11-01", "--to", "2026-11-30"])!;
        assert.deepStrictEqual(windowOf(options, new Date()), { start: new Date("2026-11-01T00:00:00Z"), end: new Date("2026-12-01T00:00:00Z") });
        assert.throws(() => parseOptions(["--source", "file", "--path", "x", "--days", "3", "--from", "2026-11-01"]), /--days and --from\/--to name the window twice/);
        assert.throws(() => parseOptions(["--source", "file", "--path", "x", "--from", "yesterday"]), /--from must be a UTC date \(2026-11-01\) or an instant/);
        assert.throws(() => parseOptions(["--source", "file", "--path", "x", "--from", "2026-11-02", "--to", "2026-11-01T00:00:00Z"]), /--to .* must be after --from/);
        const days = parseOptions(["--source", "file", "--path", "x", "--days", "2"])!;
        assert.deepStrictEqual(windowOf(days, new Date("2026-11-24T12:00:00Z")), { start: new Date("2026-11-22T12:00:00Z"), end: new Date("2026-11-24T12:00:00Z") });
    });

    it("applies --days to files too", async () => {
        const report = await runReport({ ...parseOptions(["--source", "file", "--path", files.second, "--days", "1", "--quiet"])! }, {}, new Date("2026-11-24T01:00:00Z"));
        const expected = independentTotals(second, { start: Date.parse("2026-11-23T01:00:00Z"), end: Date.parse("2026-11-24T01:00:00Z") });
        assert.strictEqual(report.records, expected.invocations);
        assert.strictEqual(report.skipped, second.length - expected.invocations);
    });

    it("fails with exit 1 when no file holds a valid record, and 2 when none can be opened", async () => {
        const none = await runCli("--source", "file", "--path", files.allMalformed, files.truncated, "--quiet");
        assert.strictEqual(none.status, EXIT.failed, none.stderr);
        assert.match(none.stderr, /^usage-report: no valid record in any file: .*all-malformed\.jsonl \(no valid record: 2 malformed line\(s\)\); .*truncated\.json\.gz \(truncated gzip/);
        assert.strictEqual(none.stdout, "");
        const missing = await runCli("--source", "file", "--path", path.join(dir, "nowhere.jsonl"), "--quiet");
        assert.strictEqual(missing.status, EXIT.usage);
        assert.strictEqual(missing.stderr.trim(), `usage-report: cannot read ${path.join(dir, "nowhere.jsonl")} (ENOENT)`);
    });

    it("counts a line over the limit as malformed without holding it, and splits CRLF and chunked lines", async () => {
        async function* chunks() {
            yield Buffer.from('{"a":1}\r\n{"b"');
            yield Buffer.from(':2}\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
            yield Buffer.from("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nlast");
        }
        const lines: string[] = [];
        for await (const line of splitLines(chunks(), undefined, 40)) lines.push(line);
        assert.deepStrictEqual(lines, ['{"a":1}', '{"b":2}', OVER_LONG_LINE, "last"]);
        const aggregator = new UsageAggregator();
        await aggregateLines(
            (async function* () {
                yield OVER_LONG_LINE;
            })(),
            aggregator,
        );
        assert.deepStrictEqual(aggregator.report("local").malformedReasons, { "line over 32 MiB": 1 });
    });
});

describe("prices by exact model family", () => {
    const examples: Record<string, string> = {
        "anthropic.claude-opus-4": "anthropic.claude-opus-4-20250514-v1:0",
        "anthropic.claude-opus-4-1": "anthropic.claude-opus-4-1-20250805-v1:0",
        "anthropic.claude-opus-4-5": "global.anthropic.claude-opus-4-5-20251101-v1:0",
        "anthropic.claude-opus-4-6": "us.anthropic.claude-opus-4-6-v1",
        "anthropic.claude-sonnet-4": "eu.anthropic.claude-sonnet-4-20250514-v1:0",
        "anthropic.claude-sonnet-4-5": "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "anthropic.claude-3-7-sonnet": "anthropic.claude-3-7-sonnet-20250219-v1:0",
        "anthropic.claude-3-5-sonnet": "anthropic.claude-3-5-sonnet-20241022-v2:0",
        "anthropic.claude-haiku-4-5": "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
        "anthropic.claude-3-5-haiku": "anthropic.claude-3-5-haiku-20241022-v1:0",
        "anthropic.claude-3-haiku": "anthropic.claude-3-haiku-20240307-v1:0",
        "amazon.nova-pro": "amazon.nova-pro-v1:0",
        "amazon.nova-lite": "arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-lite-v1:0",
        "amazon.nova-micro": "apac.amazon.nova-micro-v1:0",
        "amazon.titan-embed-text-v2": "amazon.titan-embed-text-v2:0",
        "meta.llama3-3-70b": "us.meta.llama3-3-70b-instruct-v1:0",
        "mistral.mistral-large": "mistral.mistral-large-2402-v1:0",
    };

    it("prices a real model ID of every family of the built-in table under that family, and has an example for each", () => {
        assert.deepStrictEqual(Object.keys(examples).sort(), Object.keys(DEFAULT_PRICES).sort());
        assert.deepStrictEqual(Object.keys(PRICE_LIST_NAMES).sort(), Object.keys(DEFAULT_PRICES).sort());
        for (const [family, modelId] of Object.entries(examples)) assert.strictEqual(priceFamilyOf(modelId, DEFAULT_PRICES), family, modelId);
    });

    it("tells Opus 4.5 from 4.6 from 4, and never prices a model by a prefix", () => {
        const prices = { "anthropic.claude-opus-4": DEFAULT_PRICES["anthropic.claude-opus-4"], "anthropic.claude-opus-4-5": DEFAULT_PRICES["anthropic.claude-opus-4-5"] };
        assert.strictEqual(priceFamilyOf("anthropic.claude-opus-4-5-20251101-v1:0", prices), "anthropic.claude-opus-4-5");
        assert.strictEqual(priceFamilyOf("anthropic.claude-opus-4-6-v1", prices), undefined, "Opus 4.6 is not Opus 4");
        assert.strictEqual(priceFamilyOf("anthropic.claude-opus-4-20250514-v1:0", prices), "anthropic.claude-opus-4");
        assert.strictEqual(priceOf("anthropic.claude-opus-4-6-v1", DEFAULT_PRICES), DEFAULT_PRICES["anthropic.claude-opus-4-6"]);
        assert.strictEqual(priceOf("anthropic.claude-sonnet-4-6", { "anthropic.claude-sonnet-4": DEFAULT_PRICES["anthropic.claude-sonnet-4"] }), undefined);
        assert.deepStrictEqual(modelFamilies("us.meta.llama3-3-70b-instruct-v1:0"), ["meta.llama3-3-70b-instruct-v1", "meta.llama3-3-70b-instruct", "meta.llama3-3-70b"]);
    });

    it("gives unpriced models n/a in their own rows and totals a lower bound naming how many invocations are unpriced", () => {
        const aggregator = new UsageAggregator(DEFAULT_PRICES);
        const line = (requestId: string, modelId: string) =>
            parseLogLine(record({ requestId, timestamp: "2026-11-23T10:00:00Z", modelId, caller: "arn:aws:iam::123456789012:role/a", input: 1000, output: 1000 }));
        aggregator.add(line("1", "amazon.nova-pro-v1:0"));
        aggregator.add(line("2", "cohere.command-r-plus-v1:0"));
        aggregator.add(line("3", "cohere.command-r-plus-v1:0"));
        const report = aggregator.report("local");
        const nova = DEFAULT_PRICES["amazon.nova-pro"].inputPer1k + DEFAULT_PRICES["amazon.nova-pro"].outputPer1k;
        assert.strictEqual(report.total.pricedCostUsd.toFixed(6), nova.toFixed(6));
        assert.strictEqual(report.total.unpricedInvocations, 2);
        const table = formatReport(report, "table");
        assert.match(table, new RegExp(`Estimated cost: at least \\$${nova.toFixed(4)} \\(2 invocations unpriced\\)`));
        assert.match(table, /^model\s+cohere\.command-r-plus-v1:0\s+2\s+2000\s+2000\s+0\s+0\s+n\/a$/m);
        assert.match(table, new RegExp(`^model\\s+amazon\\.nova-pro-v1:0\\s+1\\s+1000\\s+1000\\s+0\\s+0\\s+${nova.toFixed(4)}$`, "m"));
        assert.match(formatReport(report, "csv"), new RegExp(`^total,,3,3000,3000,0,0,at least \\$${nova.toFixed(4)} \\(2 invocations unpriced\\)$`, "m"));
    });

    it("validates a price file: every key path, value and rule", () => {
        assert.throws(
            () => validatePriceTable("p.json", { "anthropic.claude-opus-4-5": { inputPer1K: 0.005, outputPer1k: "0.025" }, "Opus 4.6": { inputPer1k: -1, outputPer1k: 0.025 } }),
            (error: Error) =>
                error instanceof UsageError &&
                error.message.includes('"anthropic.claude-opus-4-5".inputPer1k = (not set): must be a number: US dollars per 1,000 tokens') &&
                error.message.includes('"anthropic.claude-opus-4-5".outputPer1k = "0.025": must be a number') &&
                error.message.includes('"anthropic.claude-opus-4-5".inputPer1K = 0.005: unknown key') &&
                error.message.includes('"Opus 4.6".inputPer1k = -1: must not be negative') &&
                error.message.includes('"Opus 4.6" = {"inputPer1k":-1,"outputPer1k":0.025}: must be a model family'),
        );
        assert.throws(() => validatePriceTable("p.json", []), /the price table p\.json is invalid/);
        assert.deepStrictEqual(validatePriceTable("p.json", { "amazon.nova-pro": { inputPer1k: 0.0008, outputPer1k: 0.0032 } }), { "amazon.nova-pro": { inputPer1k: 0.0008, outputPer1k: 0.0032 } });
    });
});

describe("formats of a very large report", () => {
    it("writes a table, CSV and JSON of 250,000 distinct callers (past the old stack limit) with every caller once", () => {
        const aggregator = new UsageAggregator(DEFAULT_PRICES);
        const callers = 250_000;
        for (let index = 0; index < callers; index++) {
            aggregator.add(
                parseLogLine(record({ requestId: `q-${index}`, timestamp: "2026-11-23T10:00:00Z", modelId: NOVA, caller: `arn:aws:sts::123456789012:assumed-role/irsa/session-${index}`, input: 1, output: 2 })),
            );
        }
        const report = aggregator.report("local");
        for (const format of ["table", "csv"] as const) {
            let callerRows = 0;
            let total = "";
            for (const chunk of reportChunks(report, format)) {
                if (/^\n?(caller)[ ,]/.test(chunk)) callerRows++;
                if (/^\n?total[ ,]/.test(chunk)) total = chunk;
            }
            assert.strictEqual(callerRows, callers, format);
            assert.match(total, format === "csv" ? /^\ntotal,,250000,250000,500000,0,0,/ : /^\ntotal\s+250000\s+250000\s+500000/);
        }
        let json = "";
        for (const chunk of reportChunks(report, "json")) json += chunk;
        const parsed = JSON.parse(json);
        assert.strictEqual(Object.keys(parsed.byIdentity).length, callers);
        assert.strictEqual(parsed.total.invocations, callers);
        assert.strictEqual(parsed.byIdentity["arn:aws:sts::123456789012:assumed-role/irsa/session-7"].inputTokens, 1);
    });
});
