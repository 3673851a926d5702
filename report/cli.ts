/**
 * `npm run usage-report`: invocations, tokens (cached ones included) and estimated cost per model,
 * per caller and per day, summed where the logs are (Logs Insights or Athena) or read here (the
 * local engine: CloudWatch Logs, the S3 objects or local files), over one window cut by each
 * record's own timestamp, each requestId counted once. Exit codes: 0 report printed, 1 AWS refused
 * a call, did not answer in time, a query failed, or no file held a valid record, 2 a usage
 * mistake, 3 no region, no credentials or no network, 4 report printed but partial (a file or
 * object could not be read; each is named on stderr).
 */
import type { BedrockClient } from "@aws-sdk/client-bedrock";
import type { AthenaClient } from "@aws-sdk/client-athena";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { PricingClient } from "@aws-sdk/client-pricing";
import type { S3Client } from "@aws-sdk/client-s3";
import { parseArgs } from "util";
import { ATHENA_DATABASE, ATHENA_WORKGROUP, INVOCATION_LOG_GROUP } from "../components/monitoring/monitoringNames";
import { AwsCallTimeout, DEFAULT_TIMEOUT_SECONDS, awsClientOptions, parseTimeoutSeconds, withCallDeadline } from "../offline/awsClientConfig";
import { awsUnreachableReason, isAccessDenied } from "../offline/awsErrors";
import { UsageError, lazyModule } from "../offline/commandLine";
import { PriceTable, ReportWindow, UsageAggregator, UsageReport } from "./aggregate";
import { ApplicationProfiles, StackProfiles, readStackOutputs } from "./applicationProfiles";
import { Grouping, parseGroupings } from "./dimensions";
import { ReportFormat, reportChunks } from "./format";
import { MAX_LINE_BYTES, PRICE_LIST_REGION, PRICE_LIST_TIMEOUT_SECONDS } from "./limits";
import type { ReportRange } from "./queryEngines";
import { ParsedLine, instantOf, parseLogLine } from "./records";
import type { ReadProgress, SourceItem } from "./sources";
import type { MantleUsage } from "./mantleMetrics";

// Loaded once the options are read: `--help` and bad flags load no SDK.
const athenaSdk = lazyModule<typeof import("@aws-sdk/client-athena")>(require, "@aws-sdk/client-athena");
const cloudWatchSdk = lazyModule<typeof import("@aws-sdk/client-cloudwatch")>(require, "@aws-sdk/client-cloudwatch");
const mantleMetrics = lazyModule<typeof import("./mantleMetrics")>(require, "./mantleMetrics");
const logsSdk = lazyModule<typeof import("@aws-sdk/client-cloudwatch-logs")>(require, "@aws-sdk/client-cloudwatch-logs");
const pricingSdk = lazyModule<typeof import("@aws-sdk/client-pricing")>(require, "@aws-sdk/client-pricing");
const s3Sdk = lazyModule<typeof import("@aws-sdk/client-s3")>(require, "@aws-sdk/client-s3");
const pricesModule = lazyModule<typeof import("./prices")>(require, "./prices");
const queryEngines = lazyModule<typeof import("./queryEngines")>(require, "./queryEngines");
const sources = lazyModule<typeof import("./sources")>(require, "./sources");

export const USAGE = `usage: npm run usage-report -- [--engine logs-insights|athena|local] [--days N | --from T [--to T]] [options]

Engines (where the records are summed):
  logs-insights   CloudWatch Logs Insights over the invocation log group, server-side (default)
  athena          Athena over the stack's table on the log bucket (partition projection), server-side
  local           this machine reads every record: --source cloudwatch|s3|file (small volumes, or files)

Options:
  --days N               the last N days (1 to 3653), up to now
  --from T, --to T       the window: a UTC date (2026-11-01; as --to, through the end of that day) or an instant
                         (2026-11-01T06:00:00Z); --to defaults to now. One of --days and --from is required except
                         with --source file (which then reads every record). Every engine cuts the window by each
                         record's own timestamp and groups days by it; records outside are counted as skipped.
                         Each requestId counts once per run; the report says how many duplicates it dropped.
  --source S             local engine only: cloudwatch (default), s3, or file
  --path FILE            with --source file: a gzip or plain JSON-lines log file (repeat, or list after the options)
  --region R             the stack's region (else AWS_REGION, AWS_DEFAULT_REGION or the profile's)
  --log-group NAME       default ${INVOCATION_LOG_GROUP}
  --bucket NAME          the log bucket (--source s3); --account ID unless it is this project's bucket
  --workgroup NAME       default ${ATHENA_WORKGROUP};  --database NAME  default ${ATHENA_DATABASE}
  --prices P             auto (cached Price List API prices, else the API, else built-in; the default except with
                         --source file), builtin (the default with --source file: no network), or a JSON file
                         { "<model family>": { "inputPer1k": USD, "outputPer1k": USD, "cacheReadPer1k"?, "cacheWritePer1k"? } }
  --refresh-prices       fetch the Price List API even if the cache is fresh
  --by DIM[+DIM...]      one more section per --by (repeatable): totals per value of the dimensions, where DIM is
                         model, caller, role (the IAM role ARN of an assumed-role session), session (its role session
                         name), day, or metadata.<key> (the record's requestMetadata; records without it count under (none))
  --stack-outputs FILE   the JSON of pulumi stack output --json: application inference profiles it names are priced as
                         the model they route to (else bedrock:GetInferenceProfile is asked, except offline with
                         --source file; else n/a)
  --mantle               the stack grants bedrock-mantle: say that its calls are not in the invocation logs, and read
                         its AWS/BedrockMantle metrics (account-wide: inferences, client errors, input and output tokens)
                         over the same window into a section of their own (JSON key mantle; CSV rows by mantle).
                         If they cannot be read, the section says why in one sentence and the report still prints
  --format F             table (default), csv or json
  --timeout SECONDS      the bound of each AWS call, retries included (default ${DEFAULT_TIMEOUT_SECONDS}); the Price List API gets at most
                         ${PRICE_LIST_TIMEOUT_SECONDS} s a call, then the built-in prices are used (and the report says so)
  --quiet                no progress on stderr
  --help                 this text

Lines over ${MAX_LINE_BYTES / 1024 / 1024} MiB, invalid timestamps and token counts that are not whole numbers from 0 to 100,000,000 are
malformed lines, counted by reason. A file that cannot be read to its end (a truncated gzip, a directory) or holds
no valid record is named on stderr and left out; the rest is reported.

Exit codes: 0 report printed; 1 AWS refused a call or a query failed; 2 usage mistake; 3 no region or no credentials.
Also 1 when AWS does not answer a call within --timeout or no file holds a valid record; 2 when no file given can be
opened; 3 when AWS cannot be reached; 4 report printed but partial (a file or object could not be read, named on stderr).`;

export type EngineName = "logs-insights" | "athena" | "local";
export type SourceName = "cloudwatch" | "s3" | "file";

export interface ReportOptions {
    readonly engine: EngineName;
    readonly source: SourceName;
    /** The last N days; undefined with `--from`, or for `--source file` without a window. */
    readonly days: number | undefined;
    /** `--from`: the window's start (inclusive). */
    readonly from: Date | undefined;
    /** `--to`: the window's end (exclusive; a date means through the end of that UTC day). If not provided with `--from`, now. */
    readonly to: Date | undefined;
    /** The bound of each AWS call, retries included. */
    readonly timeoutSeconds: number;
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
    /** `--by`: one section each, in the order given; none if not provided (the report is then the three views only). */
    readonly groupings: readonly Grouping[];
    /** `--stack-outputs FILE`: the application inference profiles the stack's outputs name. */
    readonly stackOutputs: StackProfiles | undefined;
    /** `--mantle`: the stack grants bedrock-mantle; its metrics are read beside the logs. */
    readonly mantle: boolean;
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
                prices: { type: "string" },
                from: { type: "string" },
                to: { type: "string" },
                timeout: { type: "string" },
                "refresh-prices": { type: "boolean", default: false },
                quiet: { type: "boolean", default: false },
                by: { type: "string", multiple: true },
                "stack-outputs": { type: "string" },
                mantle: { type: "boolean", default: false },
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
    if (values.days !== undefined && (values.from !== undefined || values.to !== undefined)) throw new UsageError("--days and --from/--to name the window twice: use one of them");
    if (values.to !== undefined && values.from === undefined) throw new UsageError("--to needs --from: the window's start");
    const from = values.from === undefined ? undefined : windowBound("--from", values.from, false);
    const to = values.to === undefined ? undefined : windowBound("--to", values.to, true);
    if (from && to && to.getTime() <= from.getTime()) throw new UsageError(`--to ${values.to} must be after --from ${values.from}`);
    let days: number | undefined;
    if (values.days !== undefined || (source !== "file" && from === undefined)) {
        days = Number(values.days);
        if (!Number.isInteger(days) || days < 1 || days > 3653) {
            throw new UsageError(`--days must be a whole number of days from 1 to 3653${values.days === undefined ? " (it is required), or give --from" : `, not ${values.days}`}`);
        }
    }
    const timeout = parseTimeoutSeconds(values.timeout);
    if (!timeout.ok) throw new UsageError(timeout.rule);
    if (!["table", "csv", "json"].includes(values.format!)) throw new UsageError(`--format must be table, csv or json, not ${values.format}`);
    const account = values.account ?? /^bedrock-invocation-logs-(\d{12})-/.exec(values.bucket ?? "")?.[1];
    if (source === "s3" && (!values.bucket || !account)) throw new UsageError("--source s3 needs --bucket (and --account unless the bucket is this project's)");
    const groupings = parseGroupings(values.by ?? []);
    const stackOutputs = values["stack-outputs"] === undefined ? undefined : readStackOutputs(values["stack-outputs"]);
    return {
        engine,
        source,
        days,
        from,
        to,
        timeoutSeconds: timeout.seconds,
        paths,
        format: values.format as ReportFormat,
        region: values.region,
        logGroup: values["log-group"]!,
        bucket: values.bucket,
        account,
        workgroup: values.workgroup!,
        database: values.database!,
        // Local files never need the network unless the Price List API is asked for by name.
        prices: values.prices ?? (source === "file" ? "builtin" : "auto"),
        refreshPrices: values["refresh-prices"]!,
        quiet: values.quiet!,
        groupings,
        stackOutputs,
        mantle: values.mantle!,
    };
}

/** `--from`/`--to`: a UTC date (`--to`: through the end of that day) or an ISO 8601 instant with a zone. */
function windowBound(flag: string, text: string, end: boolean): Date {
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
        const time = Date.parse(`${text}T00:00:00Z`);
        if (Number.isFinite(time) && new Date(time).toISOString().startsWith(text)) return new Date(end ? time + 86400_000 : time);
    } else {
        const time = instantOf(text);
        if (time !== undefined) return new Date(time);
    }
    throw new UsageError(`${flag} must be a UTC date (2026-11-01) or an instant with its zone (2026-11-01T06:00:00Z), not ${text}`);
}

/** The window of a run: `--from`/`--to`, or the last `--days`, or none (files only). */
export function windowOf(options: Pick<ReportOptions, "days" | "from" | "to">, now: Date): ReportWindow | undefined {
    if (options.from) return { start: options.from, end: options.to ?? now };
    if (options.days !== undefined) return { start: new Date(now.getTime() - options.days * 86400_000), end: now };
    return undefined;
}

/** No region, no credentials or no network: the user's setup, said in one sentence (exit code 3). */
export class SetupError extends Error {}

/** An error as one sentence: the caller's mistake (a file), what to set (credentials, region, network), or what AWS refused. */
export function explainAwsError(error: unknown): Error {
    if (error instanceof UsageError || error instanceof queryEngines.QueryFailedError || error instanceof SetupError || error instanceof NoValidRecordError) return error;
    if (error instanceof AwsCallTimeout) return new queryEngines.QueryFailedError(error.message);
    const { name = "", message = "", code, path: file } = error as { name?: string; message?: string; code?: string; path?: string };
    // Not AWS's: a file given on the command line that cannot be read is the caller's mistake (exit 2).
    if (file && typeof code === "string" && /^(ENOENT|EACCES|EISDIR|ENOTDIR)$/.test(code)) return new UsageError(`cannot read ${file} (${code})`);
    const unreachable = awsUnreachableReason(error, "usage-report");
    if (unreachable) return new SetupError(unreachable);
    if (isAccessDenied(error)) {
        return new queryEngines.QueryFailedError(`AWS refused the call (${name}): ${message.split("\n")[0]} (attach the stack's usage reader policy, output monitoring.usageReaderPolicyArn)`);
    }
    return new queryEngines.QueryFailedError(`${name || "error"}: ${message.split("\n")[0]}`);
}

/** The AWS clients the report uses; tests pass mocked ones. */
export interface ReportClients {
    readonly logs?: CloudWatchLogsClient;
    readonly s3?: S3Client;
    readonly athena?: AthenaClient;
    readonly pricing?: PricingClient;
    /** For `bedrock:GetInferenceProfile`; if not provided, one per profile's region. */
    readonly bedrock?: BedrockClient;
    /** For the `AWS/BedrockMantle` metrics (`--mantle`). */
    readonly cloudwatch?: CloudWatchClient;
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

/** Consumes lines into the aggregator, file by file, calling `onProgress` every 10,000 lines. */
export async function aggregateLines(
    lines: AsyncIterable<SourceItem>,
    aggregator: UsageAggregator,
    onProgress: () => void = () => undefined,
    /** Application inference profiles met are resolved before their first record counts. */
    profiles?: ApplicationProfiles,
): Promise<void> {
    let sinceProgress = 0;
    for await (const line of lines) {
        if (typeof line !== "string") {
            if ("begin" in line) aggregator.beginSource(line.begin);
            else if ("end" in line) aggregator.endSource(line.end);
            else aggregator.failSource(line.failed, line.reason, line.code);
            continue;
        }
        const parsed: ParsedLine = line === sources.OVER_LONG_LINE ? { ok: false, reason: `line over ${MAX_LINE_BYTES / 1024 / 1024} MiB` } : parseLogLine(line);
        if (profiles && parsed.ok && profiles.needs(parsed.record.modelId)) await profiles.resolve([parsed.record.modelId]);
        aggregator.add(parsed);
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
        const range: ReportRange | undefined = windowOf(options, now);
        const clientOptions = awsClientOptions(region, options.timeoutSeconds);
        const deadline = { timeoutSeconds: options.timeoutSeconds, onSlowCall: (message: string) => !options.quiet && process.stderr.write(`\nusage-report: ${message}\n`) };
        const priceTimeout = Math.min(options.timeoutSeconds, PRICE_LIST_TIMEOUT_SECONDS);
        const logsClient = () => clients.logs ?? withCallDeadline(new logsSdk.CloudWatchLogsClient(clientOptions), "logs", deadline);
        // Prices are for the region the logs are in; a file report without a region is priced for us-east-1.
        const { prices, source } = await pricesModule.loadPrices({
            mode: options.prices,
            region: region ?? "us-east-1",
            cacheDir: pricesModule.defaultCacheDir(),
            refresh: options.refreshPrices,
            now,
            // Prices are a nicety: the Price List API gets a short bound, so that an AWS that does not answer costs the report little before its own calls.
            client: clients.pricing ?? withCallDeadline(new pricingSdk.PricingClient(awsClientOptions(PRICE_LIST_REGION, priceTimeout)), "pricing", { ...deadline, timeoutSeconds: priceTimeout }),
        });
        // A local report of files asks AWS nothing unless the Price List API is asked for by name: its profiles are then priced from the stack's outputs only.
        const offline = options.source === "file" && options.prices !== "auto";
        const profiles = new ApplicationProfiles(
            options.stackOutputs,
            // The Bedrock client is loaded only when a profile is met.
            offline ? undefined : (profileRegion) => clients.bedrock ?? withCallDeadline(bedrockClient(awsClientOptions(profileRegion, options.timeoutSeconds)), "bedrock", deadline),
        );
        const aggregator = new UsageAggregator(prices as PriceTable, source, range, undefined, {
            groupings: options.groupings,
            pricedAs: (modelId) => profiles.pricedAs(modelId),
            describeProfiles: () => profiles.describe(),
        });
        // With --mantle, the report of the logs gains the section they cannot hold.
        const finish = async (report: UsageReport): Promise<UsageReport> => {
            if (!options.mantle) return report;
            const reason = offline ? "an offline report of files asks AWS nothing (give --prices auto to allow AWS calls)" : !range ? "the report has no window" : !region ? "no AWS region (pass --region)" : undefined;
            if (reason) return { ...report, mantle: mantleMetrics.mantleNotRead(reason) };
            return { ...report, mantle: await mantleUsage(clients.cloudwatch ?? withCallDeadline(new cloudWatchSdk.CloudWatchClient(clientOptions), "cloudwatch", deadline), range!) };
        };
        const engineOptions = { onProgress: progress.say, groupings: options.groupings, resolveModels: (modelIds: readonly string[]) => profiles.resolve(modelIds) };
        if (options.engine === "logs-insights") {
            const truncated = await queryEngines.logsInsightsUsage(logsClient(), options.logGroup, range!, aggregator, engineOptions);
            return finish(aggregator.report("logs-insights", truncated));
        }
        if (options.engine === "athena") {
            const athena = clients.athena ?? withCallDeadline(new athenaSdk.AthenaClient(clientOptions), "athena", deadline);
            await queryEngines.athenaUsage(athena, range!, aggregator, { ...engineOptions, workgroup: options.workgroup, database: options.database });
            return finish(aggregator.report("athena"));
        }
        const read = sources.newProgress();
        if (options.source === "s3" && !region) throw new SetupError("no AWS region: pass --region, or set AWS_REGION (the log objects are under it)");
        const lines =
            options.source === "file"
                ? sources.fileLines(options.paths, read)
                : options.source === "cloudwatch"
                  ? // Events are read by their ingestion-side time with an hour's margin; the window is cut by the record's own timestamp.
                    sources.cloudWatchLines(logsClient(), options.logGroup, range!.start.getTime() - 3600_000, range!.end.getTime() + 3600_000, read)
                  : sources.s3Lines(
                        clients.s3 ?? withCallDeadline(new s3Sdk.S3Client(clientOptions), "s3", deadline),
                        options.bucket!,
                        // Objects are delivered after their records: the day after the window may hold its last records.
                        sources.dailyPrefixes(options.account!, region!, range!.start, range!.end.getTime() < now.getTime() ? new Date(Math.min(range!.end.getTime() + 86400_000, now.getTime())) : range!.end),
                        read,
                    );
        await aggregateLines(lines, aggregator, () => progress.read(read), profiles);
        const report = aggregator.report(`local (${options.source})`);
        if (report.unreadable.length > 0 && report.records + report.skipped + report.duplicates === 0) {
            const unopened = report.unreadable.find((unread) => unread.code !== undefined);
            // Not one file given could even be opened: the caller's mistake, as with any path.
            if (unopened && report.unreadable.every((unread) => unread.code !== undefined)) throw new UsageError(`cannot read ${unopened.source} (${unopened.code})`);
            throw new NoValidRecordError(`no valid record in any file: ${report.unreadable.map((unread) => `${unread.source} (${unread.reason})`).join("; ")}`);
        }
        return finish(report);
    } catch (error) {
        throw explainAwsError(error);
    } finally {
        progress.done();
    }
}

/** bedrock-mantle's metrics over the window; a failure is the section's one sentence, never the report's. */
async function mantleUsage(client: CloudWatchClient, range: ReportRange): Promise<MantleUsage> {
    try {
        return await mantleMetrics.readMantleMetrics(client, range);
    } catch (error) {
        const sentence = explainAwsError(error).message.replace(/\(attach the stack's usage reader policy, output monitoring\.usageReaderPolicyArn\)$/, "(attach the stack's usage reader policy: it allows cloudwatch:GetMetricData when the stack grants bedrock-mantle)");
        return mantleMetrics.mantleNotRead(sentence);
    }
}

/** A Bedrock client, its module loaded on first use (a report without application profiles never needs it). */
function bedrockClient(config: ReturnType<typeof awsClientOptions>): BedrockClient {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { BedrockClient: Client } = require("@aws-sdk/client-bedrock") as typeof import("@aws-sdk/client-bedrock");
    return new Client(config);
}

/** Every file given held nothing to count (each unreadable or without a valid record): exit code 1. */
export class NoValidRecordError extends Error {}

/** Exit codes, as the usage text lists them. */
export const EXIT = { printed: 0, failed: 1, usage: 2, setup: 3, partial: 4 } as const;

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
        const report = await runReport(options, clients);
        for (const unread of report.unreadable) console.error(`usage-report: left out ${unread.source}: ${unread.reason}`);
        for (const chunk of reportChunks(report, options.format)) process.stdout.write(chunk);
        process.stdout.write("\n");
        return report.unreadable.length > 0 ? EXIT.partial : EXIT.printed;
    } catch (error) {
        console.error(`usage-report: ${(error as Error).message}`);
        return error instanceof SetupError ? EXIT.setup : error instanceof UsageError ? EXIT.usage : EXIT.failed;
    }
}

if (require.main === module) {
    // Exit once the output is written: a call abandoned at its deadline must not keep the process waiting.
    main(process.argv.slice(2)).then((code) => process.stdout.write("", () => process.exit(code)));
}
