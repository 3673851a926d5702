/**
 * `npm run bench:report`: the local engine's throughput and peak memory on a generated log of at
 * least 1 GB (gzip JSON lines, as Bedrock writes them to S3), read as `--source file` reads it
 * (gunzip, split, parse, aggregate), against the machine's own floor measured in the same run on the
 * same file: gunzip, split and `JSON.parse` of every line, nothing else. Prints its figures (the
 * engine's throughput as a share of the floor's); nothing passes or fails.
 */
import * as fs from "fs";
import * as path from "path";
import { pipeline } from "stream/promises";
import { Readable } from "stream";
import { createGzip } from "zlib";
import { createInterface } from "readline";
import { createGunzip } from "zlib";
import { DEFAULT_PRICES, UsageAggregator } from "../report/aggregate";
import { aggregateLines } from "../report/cli";
import { fileLines, newProgress } from "../report/sources";
import { generatedLine, seededRandom } from "./invocationLogs";

const TARGET_BYTES = Number(process.env.REPORT_BENCH_BYTES ?? 1024 ** 3);
const FILE = path.join(__dirname, "out", "invocation-logs.json.gz");

async function generate(): Promise<{ lines: number; bytes: number }> {
    fs.mkdirSync(path.dirname(FILE), { recursive: true });
    const random = seededRandom(2026);
    let bytes = 0;
    let lines = 0;
    async function* source() {
        while (bytes < TARGET_BYTES) {
            let chunk = "";
            for (let index = 0; index < 2000; index++, lines++) chunk += `${generatedLine(random, lines, 0.001).line}\n`;
            bytes += Buffer.byteLength(chunk);
            yield chunk;
        }
    }
    await pipeline(Readable.from(source()), createGzip({ level: 1 }), fs.createWriteStream(FILE));
    return { lines, bytes };
}

async function main(): Promise<void> {
    const generated = await generate();
    const compressed = fs.statSync(FILE).size;
    global.gc?.();
    const baselineRss = process.memoryUsage().rss;
    let peakRss = baselineRss;
    let peakHeap = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
        const usage = process.memoryUsage();
        peakRss = Math.max(peakRss, usage.rss);
        peakHeap = Math.max(peakHeap, usage.heapUsed);
    }, 50);
    const started = process.hrtime.bigint();
    const aggregator = new UsageAggregator(DEFAULT_PRICES);
    await aggregateLines(fileLines([FILE], newProgress()), aggregator);
    const report = aggregator.report("local (file)");
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);

    // The floor: the same file, gunzipped, split and parsed, and nothing else.
    const floorStarted = process.hrtime.bigint();
    let parsed = 0;
    for await (const line of createInterface({ input: fs.createReadStream(FILE).pipe(createGunzip()), crlfDelay: Infinity })) {
        try {
            JSON.parse(line);
        } catch {
            // malformed lines cost the same parse attempt in both
        }
        parsed += 1;
    }
    const floorSeconds = Number(process.hrtime.bigint() - floorStarted) / 1e9;

    const rows: [string, string][] = [
        ["generated log (uncompressed)", `${(generated.bytes / 1024 ** 3).toFixed(2)} GiB, ${generated.lines} lines`],
        ["as gzip JSON lines", `${(compressed / 1024 ** 2).toFixed(0)} MiB`],
        ["records read / malformed", `${report.records} / ${report.malformed}`],
        ["local engine (--source file)", `${Math.round((report.records + report.malformed) / seconds)} records/s (${(generated.bytes / 1024 ** 2 / seconds).toFixed(0)} MiB/s uncompressed), ${seconds.toFixed(1)} s`],
        ["floor: gunzip + JSON.parse", `${Math.round(parsed / floorSeconds)} lines/s (${(generated.bytes / 1024 ** 2 / floorSeconds).toFixed(0)} MiB/s uncompressed), ${floorSeconds.toFixed(1)} s`],
        ["engine as share of floor", `${((100 * floorSeconds) / seconds).toFixed(0)}% of the floor's throughput`],
        ["peak RSS while reading", `${(peakRss / 1024 ** 2).toFixed(0)} MiB (baseline ${(baselineRss / 1024 ** 2).toFixed(0)} MiB)`],
        ["peak JS heap while reading", `${(peakHeap / 1024 ** 2).toFixed(0)} MiB`],
    ];
    const width = Math.max(...rows.map(([name]) => name.length));
    for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`);
    fs.rmSync(FILE);
}

main().catch((error: Error) => {
    console.error(error.stack ?? String(error));
    process.exit(1);
});
