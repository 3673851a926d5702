/**
 * `npm run bench:formats`: a usage report of a million distinct callers (IRSA's rotating session
 * names reach that) written as a table, CSV and JSON to a file, as the command writes it (piece by
 * piece). Prints, per format, the time, the bytes written and the peak heap, beside the heap the
 * aggregation itself took; nothing passes or fails. `FORMAT_BENCH_CALLERS` changes the count.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_PRICES, UsageAggregator } from "../report/aggregate";
import { ReportFormat, reportChunks } from "../report/format";
import { parseLogLine } from "../report/records";

const CALLERS = Number(process.env.FORMAT_BENCH_CALLERS ?? 1_000_000);

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

function main(): void {
    const started = process.hrtime.bigint();
    const aggregator = new UsageAggregator(DEFAULT_PRICES);
    for (let index = 0; index < CALLERS; index++) {
        const line = JSON.stringify({
            schemaType: "ModelInvocationLog",
            timestamp: new Date(Date.UTC(2026, 10, 23) + (index % 86400) * 1000).toISOString(),
            accountId: "123456789012",
            identity: { arn: `arn:aws:sts::123456789012:assumed-role/eks-irsa-gateway/botocore-session-${1_700_000_000 + index}` },
            region: "eu-west-1",
            requestId: `req-${index}`,
            operation: "Converse",
            modelId: index % 2 ? "eu.anthropic.claude-haiku-4-5-20251001-v1:0" : "amazon.nova-pro-v1:0",
            input: { inputTokenCount: 100 + (index % 1000) },
            output: { outputTokenCount: 10 + (index % 100) },
        });
        aggregator.add(parseLogLine(line));
    }
    const report = aggregator.report("local (bench)");
    const aggregated = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`${CALLERS} distinct callers aggregated in ${aggregated.toFixed(1)} s; heap ${megabytes(process.memoryUsage().heapUsed)}, rss ${megabytes(process.memoryUsage().rss)}`);
    const out = path.join(os.tmpdir(), `usage-report-bench-${process.pid}`);
    for (const format of ["table", "csv", "json"] as ReportFormat[]) {
        const begin = process.hrtime.bigint();
        let peakHeap = process.memoryUsage().heapUsed;
        const descriptor = fs.openSync(out, "w");
        let bytes = 0;
        let pieces = 0;
        for (const chunk of reportChunks(report, format)) {
            bytes += fs.writeSync(descriptor, chunk);
            if (++pieces % 50_000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        }
        fs.closeSync(descriptor);
        const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
        console.log(`${format.padEnd(5)} ${megabytes(bytes).padStart(7)} written in ${seconds.toFixed(1)} s; peak heap ${megabytes(peakHeap)}`);
    }
    fs.rmSync(out, { force: true });
}

main();
