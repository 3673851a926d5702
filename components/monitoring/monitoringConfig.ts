/** The `monitoring` key: model invocation logging, its storage, dashboard, alarms and alerts. */
import { z } from "zod";
import { ConfigIssue, issuesFromZod } from "../config/configValidation";

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

export interface MonitoringSpec {
    readonly enabled: boolean;
    readonly logRetentionDays: number;
    /** Move log objects to S3 Glacier Flexible Retrieval after this many days. */
    readonly archiveDays: number;
    /** Delete log objects after this many days; undefined keeps them. */
    readonly expireDays: number | undefined;
    readonly alertEmails: readonly string[];
    readonly kmsKey: KmsKeyChoice;
    readonly alarms: AlarmThresholds;
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
        alertEmails: z.array(z.email("must be an email address")).default([]),
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
            })
            .default(DEFAULT_ALARMS as never),
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
