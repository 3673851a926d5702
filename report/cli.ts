/**
 * `npm run usage-report`: invocations, tokens (cached ones included) and estimated cost per model,
 * per caller and per day, summed where the logs are (Logs Insights or Athena) or read here (the
 * local engine: CloudWatch Logs, the S3 objects or local files). Exit codes: 0 report printed,
 * 1 AWS refused a call or a query failed, 2 a usage mistake, 3 no region or no credentials.
 */
import { AthenaClient } from "@aws-sdk/client-athena";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { PricingClient } from "@aws-sdk/client-pricing";
import { S3Client } from "@aws-sdk/client-s3";
import { parseArgs } from "util";
import { INVOCATION_LOG_GROUP } from "../components/monitoring/monitoringPolicies";
import { ATHENA_DATABASE, ATHENA_WORKGROUP } from "../components/monitoring/usageQueries";
import { awsUnreachableReason, isAccessDenied } from "../offline/awsErrors";
import { UsageError } from "../offline/commandLine";
import { PriceTable, UsageAggregator, UsageReport } from "./aggregate";
import { ReportFormat, formatReport } from "./format";
import { defaultCacheDir, loadPrices } from "./prices";
import { QueryFailedError, ReportRange, athenaUsage, logsInsightsUsage } from "./queryEngines";
import { parseLogLine } from "./records";
import { ReadProgress, cloudWatchLines, dailyPrefixes, fileLines, newProgress, s3Lines } from "./sources";

export const USAGE = `usage: npm run usage-report -- [--engine logs-insights|athena|local] [--days N] [options]

Engines (where the records are summed):
  logs-insights   CloudWatch Logs Insights over the invocation log group, server-side (default)
  athena          Athena over the stack's table on the log bucket (partition projection), server-side
  local           this machine reads every record: --source cloudwatch|s3|file (small volumes, or files)

Options:
  --days N               the last N days (1 to 3653); required except with --source file
  --source S             local engine only: cloudwatch (default), s3, or file
  --path FILE            with --source file: a gzip or plain JSON-lines log file (repeat, or list after the options)
  --region R             the stack's region (else AWS_REGION, AWS_DEFAULT_REGION or the profile's)
  --log-group NAME       default ${INVOCATION_LOG_GROUP}
  --bucket NAME          the log bucket (--source s3); --account ID unless it is this project's bucket
  --workgroup NAME       default ${ATHENA_WORKGROUP};  --database NAME  default ${ATHENA_DATABASE}
  --prices P             auto (default: cached Price List API prices, else the API, else built-in), builtin, or a JSON file
  --refresh-prices       fetch the Price List API even if the cache is fresh
  --format F             table (default), csv or json
  --quiet                no progress on stderr
  --help                 this text

Exit codes: 0 report printed; 1 AWS refused a call or a query failed; 2 usage mistake; 3 no region or no credentials.`;

export type EngineName = "logs-insights" | "athena" | "local";
export type SourceName = "cloudwatch" | "s3" | "file";

export interface ReportOptions {
    readonly engine: EngineName;
    readonly source: SourceName;
    /** Undefined only for `--source file`, which reads whatever the files hold. */
    readonly days: number | undefined;
    readonly paths: readonly string[];
    readonly format: ReportFormat;
    readonly region: string | undefined;
    readonly logGroup: string;
    readonly bucket: string | undefined;
    readonly account: string | undefined;
    readonly workgroup: string;
    readonly database: string;
    readonly prices: string;
    readonly refreshPrices: boolean;
    readonly quiet: boolean;
}

const ENGINES: readonly EngineName[] = ["logs-insights", "athena", "local"];
const SOURCES: readonly SourceName[] = ["cloudwatch", "s3", "file"];

/** The options, or a `UsageError` naming the mistake. `undefined` means `--help`. */
export function parseOptions(argv: readonly string[]): ReportOptions | undefined {
    let parsed;
    try {
        parsed = parseArgs({
            args: [...argv],
            allowPositionals: true,
            strict: true,
            options: {
                engine: { type: "string" },
                days: { type: "string" },
                source: { type: "string" },
                path: { type: "string", multiple: true },
                format: { type: "string", default: "table" },
                region: { type: "string" },
                "log-group": { type: "string", default: INVOCATION_LOG_GROUP },
                bucket: { type: "string" },
                account: { type: "string" },
                workgroup: { type: "string", default: ATHENA_WORKGROUP },
                database: { type: "string", default: ATHENA_DATABASE },
                prices: { type: "string", default: "auto" },
                "refresh-prices": { type: "boolean", default: false },
                quiet: { type: "boolean", default: false },
                help: { type: "boolean", default: false },
            },
        });
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help) return undefined;
    // Naming a source means the local engine; otherwise Logs Insights, where the logs already are.
    const engine = (values.engine ?? (values.source ? "local" : "logs-insights")) as EngineName;
    if (!ENGINES.includes(engine)) throw new UsageError(`--engine must be logs-insights, athena or local, not ${values.engine}`);
    const source = (values.source ?? "cloudwatch") as SourceName;
    if (!SOURCES.includes(source)) throw new UsageError(`--source must be cloudwatch, s3 or file, not ${values.source}`);
    if (values.source && engine !== "local") throw new UsageError(`--source is read by the local engine only: drop it, or use --engine local`);
    const paths = [...(values.path ?? []), ...positionals];
    if (source === "file" && paths.length === 0) throw new UsageError("--source file needs the files: --path FILE (gzip or plain JSON lines)");
    if (source !== "file" && positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}: files are read with --source file`);
    let days: number | undefined;
    if (values.days !== undefined || source !== "file") {
        days = Number(values.days);
        if (!Number.isInteger(days) || days < 1 || days > 3653) throw new UsageError(`--days must be a whole number of days from 1 to 3653${values.days === undefined ? " (it is required)" : `, not ${values.days}`}`);
    }
    if (!["table", "csv", "json"].includes(values.format!)) throw new UsageError(`--format must be table, csv or json, not ${values.format}`);
    const account = values.account ?? /^bedrock-invocation-logs-(\d{12})-/.exec(values.bucket ?? "")?.[1];
    if (source === "s3" && (!values.bucket || !account)) throw new UsageError("--source s3 needs --bucket (and --account unless the bucket is this project's)");
    return {
        engine,
        source,
        days,
        paths,
        format: values.format as ReportFormat,
        region: values.region,
        logGroup: values["log-group"]!,
        bucket: values.bucket,
        account,
        workgroup: values.workgroup!,
        database: values.database!,
        prices: values.prices!,
        refreshPrices: values["refresh-prices"]!,
        quiet: values.quiet!,
    };
}

/** No region, no credentials or no network: the user's setup, said in one sentence (exit code 3). */
export class SetupError extends Error {}

/** An error as one sentence: the caller's mistake (a file), what to set (credentials, region, network), or what AWS refused. */
export function explainAwsError(error: unknown): Error {
    if (error instanceof UsageError || error instanceof QueryFailedError || error instanceof SetupError) return error;
    const { name = "", message = "", code, path: file } = error as { name?: string; message?: string; code?: string; path?: string };
    // Not AWS's: a file given on the command line that cannot be read is the caller's mistake (exit 2).
    if (file && typeof code === "string" && /^(ENOENT|EACCES|EISDIR|ENOTDIR)$/.test(code)) return new UsageError(`cannot read ${file} (${code})`);
    const unreachable = awsUnreachableReason(error, "usage-report");
    if (unreachable) return new SetupError(unreachable);
    if (isAccessDenied(error)) {
        return new QueryFailedError(`AWS refused the call (${name}): ${message.split("\n")[0]} (attach the stack's usage reader policy, output monitoring.usageReaderPolicyArn)`);
    }
    return new QueryFailedError(`${name || "error"}: ${message.split("\n")[0]}`);
}

/** The AWS clients the report uses; tests pass mocked ones. */
export interface ReportClients {
    readonly logs?: CloudWatchLogsClient;
    readonly s3?: S3Client;
    readonly athena?: AthenaClient;
    readonly pricing?: PricingClient;
}

/** What the progress line shows; nothing with --quiet. */
function progressPrinter(quiet: boolean): { read: (progress: ReadProgress) => void; say: (message: string) => void; done: () => void } {
    let last = 0;
    let shown = false;
    const write = (text: string) => {
        const now = Date.now();
        if (quiet || now - last < 1000) return;
        last = now;
        shown = true;
        process.stderr.write(`\r${text.padEnd(78)}`);
    };
    return {
        read: (progress) => write(`read ${progress.lines} lines, ${(progress.bytes / 1e6).toFixed(1)} MB${progress.objects ? `, ${progress.objects} objects/files` : ""}`),
        say: write,
        done: () => {
            if (shown) process.stderr.write("\n");
        },
    };
}

/** Consumes lines into the aggregator, calling `onProgress` every 10,000 lines. */
export async function aggregateLines(lines: AsyncIterable<string>, aggregator: UsageAggregator, onProgress: () => void = () => undefined): Promise<void> {
    let sinceProgress = 0;
    for await (const line of lines) {
        aggregator.add(parseLogLine(line));
        if (++sinceProgress === 10000) {
            sinceProgress = 0;
            onProgress();
        }
    }
}

/** Runs the report; AWS errors come back as one sentence (`SetupError`, `QueryFailedError`). */
export async function runReport(options: ReportOptions, clients: ReportClients = {}, now: Date = new Date()): Promise<UsageReport> {
    const progress = progressPrinter(options.quiet);
    try {
        const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
        const range: ReportRange | undefined = options.days === undefined ? undefined : { start: new Date(now.getTime() - options.days * 86400_000), end: now };
        // Prices are for the region the logs are in; a file report without a region is priced for us-east-1.
        const { prices, source } = await loadPrices({
            mode: options.prices,
            region: region ?? "us-east-1",
            cacheDir: defaultCacheDir(),
            refresh: options.refreshPrices,
            now,
            ...(clients.pricing ? { client: clients.pricing } : {}),
        });
        const aggregator = new UsageAggregator(prices as PriceTable, source);
        if (options.engine === "logs-insights") {
            const truncated = await logsInsightsUsage(clients.logs ?? new CloudWatchLogsClient({ region }), options.logGroup, range!, aggregator, { onProgress: progress.say });
            return aggregator.report("logs-insights", truncated);
        }
        if (options.engine === "athena") {
            await athenaUsage(clients.athena ?? new AthenaClient({ region }), range!, aggregator, { onProgress: progress.say, workgroup: options.workgroup, database: options.database });
            return aggregator.report("athena");
        }
        const read = newProgress();
        if (options.source === "s3" && !region) throw new SetupError("no AWS region: pass --region, or set AWS_REGION (the log objects are under it)");
        const lines =
            options.source === "file"
                ? fileLines(options.paths, read)
                : options.source === "cloudwatch"
                  ? cloudWatchLines(clients.logs ?? new CloudWatchLogsClient({ region }), options.logGroup, range!.start.getTime(), range!.end.getTime(), read)
                  : s3Lines(clients.s3 ?? new S3Client({ region }), options.bucket!, dailyPrefixes(options.account!, region!, range!.start, range!.end), read);
        await aggregateLines(lines, aggregator, () => progress.read(read));
        return aggregator.report(`local (${options.source})`);
    } catch (error) {
        throw explainAwsError(error);
    } finally {
        progress.done();
    }
}

/** The command: prints the report, or one sentence, and sets the exit code. */
export async function main(argv: readonly string[], clients: ReportClients = {}): Promise<number> {
    let options: ReportOptions | undefined;
    try {
        options = parseOptions(argv);
    } catch (error) {
        console.error(`usage-report: ${(error as Error).message}\n\n${USAGE}`);
        return 2;
    }
    if (!options) {
        console.log(USAGE);
        return 0;
    }
    try {
        console.log(formatReport(await runReport(options, clients), options.format));
        return 0;
    } catch (error) {
        console.error(`usage-report: ${(error as Error).message}`);
        return error instanceof SetupError ? 3 : error instanceof UsageError ? 2 : 1;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
