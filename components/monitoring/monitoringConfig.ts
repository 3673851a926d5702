/** The `monitoring` key: model invocation logging, its storage, dashboard, alarms and alerts. */
import { z } from "zod";
import { ConfigIssue, issuesFromZod, unlessOfflineSecret } from "../config/configValidation";

/** The retention values CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export type KmsKeyChoice = { readonly kind: "create" } | { readonly kind: "existing"; readonly arn: string } | { readonly kind: "none" };

export interface AlarmThresholds {
    /** Server errors (5xx) in 5 minutes; undefined when switched off. */
    readonly serverErrors: number | undefined;
    /** Client errors (4xx) in 5 minutes. */
    readonly clientErrors: number | undefined;
    /** Throttled invocations, percent of all invocations over 5 minutes. */
    readonly throttles: number | undefined;
    /** p90 invocation latency over 5 minutes, 3 periods in a row, milliseconds. */
    readonly latencyP90Ms: number | undefined;
    /** Input plus output tokens in one day. */
    readonly dailyTokens: number | undefined;
}

export interface AlarmSettings extends AlarmThresholds {
    /** Also alarm on server errors, throttles and latency of each configured model (the thresholds above apply to each). */
    readonly perModel: boolean;
    /** Alarm when a model's `EstimatedTPMQuotaUsage` exceeds this percent of its tokens-per-minute quota; undefined when off. */
    readonly quotaUsagePercent: number | undefined;
}

export interface MonitoringSpec {
    readonly enabled: boolean;
    readonly logRetentionDays: number;
    /** Move log objects to S3 Glacier Flexible Retrieval after this many days. */
    readonly archiveDays: number;
    /** Delete log objects after this many days; undefined keeps them. */
    readonly expireDays: number | undefined;
    readonly alertEmails: readonly string[];
    readonly kmsKey: KmsKeyChoice;
    readonly alarms: AlarmSettings;
    /** Service Quotas codes (`L-…`) of tokens-per-minute quotas by metric model ID, before the built-in table; `false`: no quota alarm for that model. */
    readonly tokenQuotaCodes: Readonly<Record<string, string | false>>;
    /** Saved queries and a table over the logs for Athena: a Glue table, a workgroup with its results bucket, named queries. */
    readonly athena: boolean;
    /** A Contributor Insights rule on the invocation log group: top callers by tokens. */
    readonly contributorInsights: boolean;
    /** Let `pulumi destroy` delete the log bucket and log group (with their data). Default false. */
    readonly deleteLogsOnDestroy: boolean;
}

export const DEFAULT_ALARMS: AlarmThresholds = {
    serverErrors: 5,
    clientErrors: 50,
    throttles: 5,
    latencyP90Ms: 10000,
    dailyTokens: 50_000_000,
};

/** The defaults of the settings beside the thresholds. */
export const DEFAULT_ALARM_SETTINGS: AlarmSettings = { ...DEFAULT_ALARMS, perModel: true, quotaUsagePercent: 80 };

const QUOTA_CODE = /^L-[0-9A-F]{8}$/;
const QUOTA_CODE_RULE = "must be a Service Quotas code such as L-1A2B3C4D, or false for no quota alarm";
const QUOTA_PERCENT_RULE = "must be a percent above 0 and at most 100, or false to switch the quota alarms off";

const KMS_KEY_ARN = /^arn:aws(?:-cn|-us-gov|-iso|-iso-b|-eusc)?:kms:[a-z0-9-]+:\d{12}:key\/([0-9a-f-]{36}|mrk-[0-9a-f]{32})$/;

const threshold = (defaultValue: number | undefined) =>
    z
        .union([z.number().positive("must be a positive number, or false to switch the alarm off"), z.literal(false)], {
            message: "must be a positive number, or false to switch the alarm off",
        })
        .default(defaultValue ?? false)
        .transform((value) => (value === false ? undefined : value));

const monitoringSchema = z
    .strictObject({
        enabled: z.boolean().default(true),
        logRetentionDays: z
            .number()
            .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), `must be one of the values CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}`)
            .default(30),
        archiveDays: z.number().int("must be a whole number of days").positive("must be at least 1 day").default(90),
        expireDays: z.number().int("must be a whole number of days").positive("must be at least 1 day").optional(),
        // A secret address (one that cannot be decrypted offline) is passed through opaque.
        alertEmails: z.array(unlessOfflineSecret(z.email("must be an email address"))).default([]),
        kmsKey: z
            .string()
            .refine((value) => value === "create" || value === "none" || KMS_KEY_ARN.test(value), "must be create, none, or a KMS key ARN")
            .default("create")
            .transform((value): KmsKeyChoice => (value === "create" ? { kind: "create" } : value === "none" ? { kind: "none" } : { kind: "existing", arn: value })),
        alarms: z
            .strictObject({
                serverErrors: threshold(DEFAULT_ALARMS.serverErrors),
                clientErrors: threshold(DEFAULT_ALARMS.clientErrors),
                throttles: threshold(DEFAULT_ALARMS.throttles),
                latencyP90Ms: threshold(DEFAULT_ALARMS.latencyP90Ms),
                dailyTokens: threshold(DEFAULT_ALARMS.dailyTokens),
                perModel: z.boolean().default(DEFAULT_ALARM_SETTINGS.perModel),
                quotaUsagePercent: z
                    .union([z.number().positive(QUOTA_PERCENT_RULE).max(100, QUOTA_PERCENT_RULE), z.literal(false)], { message: QUOTA_PERCENT_RULE })
                    .default(DEFAULT_ALARM_SETTINGS.quotaUsagePercent!)
                    .transform((value) => (value === false ? undefined : value)),
            })
            .default(DEFAULT_ALARM_SETTINGS as never),
        tokenQuotaCodes: z
            .record(
                z.string().min(1, "must be a model ID as Bedrock reports it in metrics"),
                z.union([z.string().regex(QUOTA_CODE, QUOTA_CODE_RULE), z.literal(false)], { message: QUOTA_CODE_RULE }),
            )
            .default({}),
        athena: z.boolean().default(true),
        contributorInsights: z.boolean().default(true),
        deleteLogsOnDestroy: z.boolean().default(false),
    })
    .superRefine((monitoring, context) => {
        if (monitoring.expireDays !== undefined && monitoring.expireDays <= monitoring.archiveDays) {
            context.addIssue({ code: "custom", path: ["expireDays"], message: "must be later than archiveDays" });
        }
    });

/** Validates `monitoring`; an absent key means monitoring with every default. */
export function validateMonitoring(raw: unknown, key = "monitoring"): { value: MonitoringSpec | undefined; issues: ConfigIssue[] } {
    const root = { [key]: raw ?? {} };
    const parsed = z.object({ [key]: monitoringSchema }).safeParse(root);
    if (!parsed.success) return { value: undefined, issues: issuesFromZod(root, parsed.error) };
    const monitoring = parsed.data[key] as MonitoringSpec;
    return { value: monitoring.enabled ? monitoring : undefined, issues: [] };
}
