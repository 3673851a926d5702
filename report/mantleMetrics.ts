/**
 * bedrock-mantle in the usage report: model invocation logging covers only the bedrock-runtime
 * endpoint, so Mantle calls never reach the logs the report sums. What is known of them comes from
 * bedrock-mantle's own CloudWatch metrics (`AWS/BedrockMantle`, account level, no dimension), the
 * ones the stack's dashboard charts: read here with GetMetricData over the report's window, summed.
 */
import { CloudWatchClient, GetMetricDataCommand, GetMetricDataCommandOutput } from "@aws-sdk/client-cloudwatch";
import { MANTLE_NAMESPACE } from "../components/monitoring/monitoringPolicies";

/** The line every report of a stack that grants bedrock-mantle carries. */
export const MANTLE_NOT_IN_LOGS = "bedrock-mantle calls are not in the invocation logs: the totals above leave them out; the mantle section counts them from the AWS/BedrockMantle metrics (account-wide)";

/** The metrics read, by the name the report gives each total: those the dashboard charts. */
export const MANTLE_METRICS = {
    inferences: "Inferences",
    clientErrors: "InferenceClientErrors",
    inputTokens: "TotalInputTokens",
    outputTokens: "TotalOutputTokens",
} as const;

export type MantleTotals = { readonly [name in keyof typeof MANTLE_METRICS]: number };

/** The report's `mantle` section: the note, and the metrics' totals or why they were not read. */
export interface MantleUsage {
    readonly note: string;
    readonly namespace: typeof MANTLE_NAMESPACE;
    /** Sums over the window (hourly sums added up: the window's edges are rounded to the hour by CloudWatch); absent when not read. */
    readonly totals?: MantleTotals;
    /** Why the metrics were not read, in one sentence; absent when read. */
    readonly notRead?: string;
}

/** Hourly sums: a period CloudWatch accepts for data of any age it keeps (15 months). */
export const MANTLE_PERIOD_SECONDS = 3600;

/** The section without metrics, saying why. */
export function mantleNotRead(reason: string): MantleUsage {
    return { note: MANTLE_NOT_IN_LOGS, namespace: MANTLE_NAMESPACE, notRead: reason };
}

/**
 * Sums the metrics over the window, page by page. A metric with no data counts 0 (CloudWatch
 * returns no value for an hour without calls). Errors propagate: the caller turns them into one sentence.
 */
export async function readMantleMetrics(client: CloudWatchClient, window: { readonly start: Date; readonly end: Date }): Promise<MantleUsage> {
    const names = Object.keys(MANTLE_METRICS) as (keyof typeof MANTLE_METRICS)[];
    const sums = Object.fromEntries(names.map((name) => [name, 0])) as Record<keyof typeof MANTLE_METRICS, number>;
    const partial = new Set<string>();
    let nextToken: string | undefined;
    do {
        const page: GetMetricDataCommandOutput = await client.send(
            new GetMetricDataCommand({
                StartTime: window.start,
                EndTime: window.end,
                NextToken: nextToken,
                MetricDataQueries: names.map((name) => ({
                    Id: name.toLowerCase(),
                    MetricStat: { Metric: { Namespace: MANTLE_NAMESPACE, MetricName: MANTLE_METRICS[name] }, Period: MANTLE_PERIOD_SECONDS, Stat: "Sum" },
                    ReturnData: true,
                })),
            }),
        );
        for (const result of page.MetricDataResults ?? []) {
            const name = names.find((candidate) => candidate.toLowerCase() === result.Id);
            if (!name) continue;
            for (const value of result.Values ?? []) sums[name] += value;
            if (result.StatusCode !== undefined && result.StatusCode !== "Complete" && result.StatusCode !== "PartialData") partial.add(`${MANTLE_METRICS[name]} ${result.StatusCode}`);
        }
        nextToken = page.NextToken;
    } while (nextToken);
    if (partial.size > 0) return mantleNotRead(`CloudWatch did not complete ${[...partial].join(", ")}`);
    return { note: MANTLE_NOT_IN_LOGS, namespace: MANTLE_NAMESPACE, totals: sums };
}
