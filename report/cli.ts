/**
 * `npm run usage-report -- --days N [--format table|csv|json] [--source cloudwatch|s3] ...`
 *
 * Reads the model invocation logs of the last N days and prints invocations, tokens and estimated
 * cost per model and per caller identity. Streams: memory stays flat however large the logs.
 */
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { S3Client } from "@aws-sdk/client-s3";
import * as fs from "fs";
import { parseArgs } from "util";
import { DEFAULT_PRICES, PriceTable, UsageAggregator, UsageReport } from "./aggregate";
import { ReportFormat, formatReport } from "./format";
import { parseLogLine } from "./records";
import { ReadProgress, cloudWatchLines, dailyPrefixes, newProgress, s3Lines } from "./sources";
import { INVOCATION_LOG_GROUP } from "../components/monitoring/monitoringPolicies";

const USAGE = `usage: npm run usage-report -- --days N [--format table|csv|json] [--source cloudwatch|s3]
       [--region REGION] [--log-group NAME] [--bucket NAME] [--account ID] [--prices FILE] [--quiet]`;

export interface ReportOptions {
    readonly days: number;
    readonly format: ReportFormat;
    readonly source: "cloudwatch" | "s3";
    readonly region: string | undefined;
    readonly logGroup: string;
    readonly bucket: string | undefined;
    readonly account: string | undefined;
    readonly prices: PriceTable;
    readonly quiet: boolean;
}

export function parseOptions(argv: readonly string[]): ReportOptions {
    const { values } = parseArgs({
        args: [...argv],
        options: {
            days: { type: "string" },
            format: { type: "string", default: "table" },
            source: { type: "string", default: "cloudwatch" },
            region: { type: "string" },
            "log-group": { type: "string", default: INVOCATION_LOG_GROUP },
            bucket: { type: "string" },
            account: { type: "string" },
            prices: { type: "string" },
            quiet: { type: "boolean", default: false },
        },
    });
    const days = Number(values.days);
    if (!Number.isInteger(days) || days < 1 || days > 3653) throw new Error(`--days must be a whole number of days from 1 to 3653\n${USAGE}`);
    if (!["table", "csv", "json"].includes(values.format!)) throw new Error(`--format must be table, csv or json\n${USAGE}`);
    if (!["cloudwatch", "s3"].includes(values.source!)) throw new Error(`--source must be cloudwatch or s3\n${USAGE}`);
    const account = values.account ?? /^bedrock-invocation-logs-(\d{12})-/.exec(values.bucket ?? "")?.[1];
    if (values.source === "s3" && (!values.bucket || !account)) throw new Error(`--source s3 needs --bucket (and --account unless the bucket is this project's)\n${USAGE}`);
    return {
        days,
        format: values.format as ReportFormat,
        source: values.source as "cloudwatch" | "s3",
        region: values.region,
        logGroup: values["log-group"]!,
        bucket: values.bucket,
        account,
        prices: values.prices ? (JSON.parse(fs.readFileSync(values.prices, "utf8")) as PriceTable) : DEFAULT_PRICES,
        quiet: values.quiet!,
    };
}

/** Consumes lines into a report, calling `onProgress` now and then. */
export async function aggregateLines(lines: AsyncIterable<string>, prices: PriceTable, onProgress: () => void = () => undefined): Promise<UsageReport> {
    const aggregator = new UsageAggregator(prices);
    let sinceProgress = 0;
    for await (const line of lines) {
        aggregator.add(parseLogLine(line));
        if (++sinceProgress === 10000) {
            sinceProgress = 0;
            onProgress();
        }
    }
    return aggregator.report();
}

function progressPrinter(progress: ReadProgress, quiet: boolean): () => void {
    let last = 0;
    return () => {
        const now = Date.now();
        if (quiet || now - last < 1000) return;
        last = now;
        process.stderr.write(`\rread ${progress.lines} lines, ${(progress.bytes / 1e6).toFixed(1)} MB${progress.objects ? `, ${progress.objects} objects` : ""}   `);
    };
}

export async function runReport(options: ReportOptions, clients: { logs?: CloudWatchLogsClient; s3?: S3Client } = {}): Promise<UsageReport> {
    const end = new Date();
    const start = new Date(end.getTime() - options.days * 86400_000);
    const progress = newProgress();
    const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (options.source === "s3" && !region) throw new Error(`--source s3 needs --region (or AWS_REGION): the log objects are under it\n${USAGE}`);
    const lines =
        options.source === "cloudwatch"
            ? cloudWatchLines(clients.logs ?? new CloudWatchLogsClient({ region }), options.logGroup, start.getTime(), end.getTime(), progress)
            : s3Lines(clients.s3 ?? new S3Client({ region }), options.bucket!, dailyPrefixes(options.account!, region ?? "", start, end), progress);
    const report = await aggregateLines(lines, options.prices, progressPrinter(progress, options.quiet));
    if (!options.quiet) process.stderr.write("\n");
    return report;
}

if (require.main === module) {
    (async () => {
        const options = parseOptions(process.argv.slice(2));
        console.log(formatReport(await runReport(options), options.format));
    })().catch((error: Error) => {
        console.error(error.message);
        process.exit(1);
    });
}
