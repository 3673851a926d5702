/** The `monitoring` key: model invocation logging, its storage, dashboard, alarms and alerts. */
import { z } from "zod";
import { ConfigIssue, issueAt, issuesFromZod, unlessOfflineSecret } from "../config/configValidation";
import { BudgetSpec, budgetsSchema } from "../costAttribution/costAttributionConfig";
import { EnforcedGuardrailSpec, enforcedGuardrailSchema, guardrailRegion } from "./enforcedGuardrailConfig";

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

/** Which request and response bodies Bedrock writes into each log record; metadata (caller, model, token counts) is always written. */
export interface LogContent {
    readonly text: boolean;
    readonly image: boolean;
    readonly embedding: boolean;
    readonly video: boolean;
}

/** The content types `logContent` takes: the data types the provider's `loggingConfig` has a delivery flag for. */
export const LOG_CONTENT_TYPES = ["text", "image", "embedding", "video"] as const satisfies readonly (keyof LogContent)[];

/**
 * Text only. AWS documents each delivery flag as "set to include <type> data in the log delivery",
 * but nowhere says that a record (with its token counts) is written when no type is delivered; the
 * usage report, the Contributor Insights rule and the Logs Insights queries need those counts, so
 * the default is the least that is documented to carry them.
 */
export const DEFAULT_LOG_CONTENT: LogContent = { text: true, image: false, embedding: false, video: false };

/** The stack owns the account's logging configuration (`create`), or someone else does (`existing`). */
export type InvocationLoggingMode = "create" | "existing";

/** Resources `pulumi destroy` left behind, for the next `pulumi up` to take back (import) instead of failing on their names. */
export interface AdoptedResources {
    /** The retained log bucket's name (the stack's own name for it). */
    readonly logBucket: string | undefined;
    /** The retained log group's name. */
    readonly logGroup: string | undefined;
    /** The retained Athena results bucket's name. */
    readonly resultsBucket: string | undefined;
    /** The retained key's ID (a key ARN is reduced to its ID). */
    readonly kmsKeyId: string | undefined;
    /** The key's ARN, when it was named by one (its account and region are checked). */
    readonly kmsKeyArn?: string;
}

export interface MonitoringSpec {
    readonly enabled: boolean;
    /** Request and response bodies in the logs, by type; everything else in a record is metadata. */
    readonly logContent: LogContent;
    /** `create`: the stack registers the logging configuration, its bucket, log group and role. `existing`: none of them. */
    readonly invocationLogging: InvocationLoggingMode;
    /** With `existing`: the log group the account's configuration writes to (dashboard, queries, report). */
    readonly existingLogGroup?: string;
    /** With `existing`: the bucket the account's configuration writes to (the Athena table); undefined: no Athena table. */
    readonly existingBucket?: string;
    /** Retained resources to take back on the next `pulumi up`. */
    readonly adopt?: AdoptedResources;
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
    /** Let `pulumi destroy` delete the log bucket and log group (with their data), and the logging configuration. Default false. */
    readonly deleteLogsOnDestroy: boolean;
    /** Monthly cost budgets over tagged spend, alerting through the alert topic. Default none. */
    readonly budgets: readonly BudgetSpec[];
    /** Activate every `costTags` key the stack uses as a cost allocation tag (management account only). Default false. */
    readonly activateCostTags: boolean;
    /** The account's enforced guardrail in the stack's region; undefined: none is set by the stack. */
    readonly enforcedGuardrail?: EnforcedGuardrailSpec;
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

/** CloudWatch Logs' rule for log group names. */
const LOG_GROUP_NAME = /^[\w\-./#]{1,512}$/;
const LOG_GROUP_RULE = "must be a CloudWatch Logs log group name: 1-512 characters of letters, digits and _-./#";
/** S3's rule for bucket names (general purpose buckets). */
const BUCKET_NAME = /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const BUCKET_RULE = "must be an S3 bucket name: 3-63 characters of a-z, 0-9, . and -, starting and ending with a letter or digit";
const KMS_KEY_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
/** A region at the end of a bucket name, as the stack names its buckets (`...-<account>-<region>`). */
const REGION_SUFFIX = /-((?:[a-z]{2}(?:-gov|-iso|-isob)?)-[a-z]+-\d)$/;

/** The region a bucket name ends with, when it ends with one. */
export function regionInBucketName(bucket: string): string | undefined {
    return REGION_SUFFIX.exec(bucket)?.[1];
}

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
        logContent: z
            .strictObject(
                Object.fromEntries(LOG_CONTENT_TYPES.map((type) => [type, z.boolean({ message: "must be true or false" }).default(DEFAULT_LOG_CONTENT[type])])) as Record<
                    keyof LogContent,
                    z.ZodDefault<z.ZodBoolean>
                >,
            )
            .default(DEFAULT_LOG_CONTENT),
        invocationLogging: z.enum(["create", "existing"], { message: "must be create (the stack owns the account's logging configuration) or existing (someone else does)" }).default("create"),
        existingLogGroup: z.string().regex(LOG_GROUP_NAME, LOG_GROUP_RULE).optional(),
        existingBucket: z.string().regex(BUCKET_NAME, BUCKET_RULE).optional(),
        adopt: z
            .strictObject({
                logBucket: z.string().regex(BUCKET_NAME, BUCKET_RULE).optional(),
                logGroup: z.string().regex(LOG_GROUP_NAME, LOG_GROUP_RULE).optional(),
                resultsBucket: z.string().regex(BUCKET_NAME, BUCKET_RULE).optional(),
                kmsKey: z
                    .string()
                    .refine((value) => KMS_KEY_ID.test(value) || KMS_KEY_ARN.test(value), "must be a KMS key ID or key ARN (the retained key's)")
                    .optional(),
            })
            .optional(),
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
        budgets: budgetsSchema,
        activateCostTags: z.boolean({ message: "must be true or false" }).default(false),
        enforcedGuardrail: enforcedGuardrailSchema.optional(),
    })
    .superRefine((monitoring, context) => {
        if (!monitoring.enabled) {
            if (monitoring.budgets.length > 0) context.addIssue({ code: "custom", path: ["budgets"], message: "need monitoring (enabled: true): budgets alert through its topic" });
            if (monitoring.activateCostTags) context.addIssue({ code: "custom", path: ["activateCostTags"], message: "only with monitoring enabled" });
            if (monitoring.enforcedGuardrail) context.addIssue({ code: "custom", path: ["enforcedGuardrail"], message: "only with monitoring enabled" });
        }
        if (monitoring.expireDays !== undefined && monitoring.expireDays <= monitoring.archiveDays) {
            context.addIssue({ code: "custom", path: ["expireDays"], message: "must be later than archiveDays" });
        }
        if (monitoring.invocationLogging === "existing") {
            if (monitoring.existingLogGroup === undefined) {
                context.addIssue({ code: "custom", path: ["existingLogGroup"], message: "required with invocationLogging: existing: the log group the account's logging configuration writes to" });
            }
            if (monitoring.adopt?.logBucket !== undefined || monitoring.adopt?.logGroup !== undefined) {
                const key = monitoring.adopt.logBucket !== undefined ? "logBucket" : "logGroup";
                context.addIssue({ code: "custom", path: ["adopt", key], message: "conflicts with invocationLogging: existing, which registers no log bucket or log group" });
            }
        } else {
            for (const key of ["existingLogGroup", "existingBucket"] as const) {
                if (monitoring[key] !== undefined) context.addIssue({ code: "custom", path: [key], message: "only with invocationLogging: existing (with create, the stack creates its own)" });
            }
        }
        if (monitoring.adopt?.kmsKey !== undefined && monitoring.kmsKey.kind !== "create") {
            context.addIssue({ code: "custom", path: ["adopt", "kmsKey"], message: "only with kmsKey: create (the stack takes back the key it created)" });
        }
    });

/** Bucket names that end with a region other than the stack's: Bedrock delivers only to a bucket in its own region. */
function regionIssues(root: Record<string, unknown>, key: string, monitoring: MonitoringSpec, region: string | undefined): ConfigIssue[] {
    if (!region) return [];
    const named: [readonly PropertyKey[], string | undefined][] = [
        [[key, "adopt", "logBucket"], monitoring.adopt?.logBucket],
        [[key, "adopt", "resultsBucket"], monitoring.adopt?.resultsBucket],
        [[key, "existingBucket"], monitoring.existingBucket],
    ];
    return named.flatMap(([path, bucket]) => {
        const bucketRegion = bucket === undefined ? undefined : regionInBucketName(bucket);
        return bucketRegion !== undefined && bucketRegion !== region
            ? [issueAt(root, path, `names a bucket in ${bucketRegion}, not the stack's region ${region}: Bedrock delivers logs only to a bucket in its own region, and the stack reads only there`)]
            : [];
    });
}

/**
 * Validates `monitoring`; an absent key means monitoring with every default. With the stack's
 * region, bucket names that carry another region are refused.
 */
export function validateMonitoring(raw: unknown, region?: string, key = "monitoring"): { value: MonitoringSpec | undefined; issues: ConfigIssue[] } {
    const root = { [key]: raw ?? {} };
    const parsed = z.object({ [key]: monitoringSchema }).safeParse(root);
    if (!parsed.success) {
        // A content type Bedrock's delivery flags (as the provider sets them) do not have: say which exist.
        const contentRule = `unknown content type: must be one of ${LOG_CONTENT_TYPES.join(", ")} (the delivery flags the provider sets)`;
        const issues = issuesFromZod(root, parsed.error).map((issue) =>
            issue.path.startsWith(`${key}.logContent.`) && issue.rule.startsWith("unknown key") ? { ...issue, rule: contentRule } : issue,
        );
        return { value: undefined, issues };
    }
    const { adopt, ...rest } = parsed.data[key] as z.infer<typeof monitoringSchema>;
    const monitoring: MonitoringSpec = {
        ...(rest as Omit<MonitoringSpec, "adopt">),
        ...(adopt && {
            adopt: {
                logBucket: adopt.logBucket,
                logGroup: adopt.logGroup,
                resultsBucket: adopt.resultsBucket,
                kmsKeyId: adopt.kmsKey === undefined ? undefined : (KMS_KEY_ARN.exec(adopt.kmsKey)?.[1] ?? adopt.kmsKey),
                ...(adopt.kmsKey !== undefined && KMS_KEY_ARN.test(adopt.kmsKey) ? { kmsKeyArn: adopt.kmsKey } : {}),
            },
        }),
    };
    const issues = regionIssues(root, key, monitoring, region);
    const enforcedRegion = monitoring.enforcedGuardrail && guardrailRegion(monitoring.enforcedGuardrail.guardrailIdentifier);
    if (region && enforcedRegion !== undefined && enforcedRegion !== region) {
        issues.push(issueAt(root, [key, "enforcedGuardrail", "guardrail"], `names a guardrail in ${enforcedRegion}, not the stack's region ${region}: the enforced configuration is per region and takes that region's guardrails`));
    }
    // With `existing` the stack writes no configuration: a content setting would silently do nothing.
    if (monitoring.invocationLogging === "existing" && (raw as Record<string, unknown> | undefined)?.logContent !== undefined) {
        issues.push(issueAt(root, [key, "logContent"], "only with invocationLogging: create: with existing, what is logged is set by the account configuration's owner"));
    }
    if (issues.length > 0) return { value: undefined, issues };
    return { value: monitoring.enabled ? monitoring : undefined, issues: [] };
}
