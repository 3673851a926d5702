/**
 * Pure builders for usage by caller on AWS's own engines: the Logs Insights queries (saved in the
 * account, and run by `npm run usage-report -- --engine logs-insights`), the Contributor Insights
 * rule, the Glue table over the log bucket with partition projection, the Athena queries, and the
 * documents of the Athena results bucket and of the usage readers' policy.
 */
import { AwsLocation } from "../arns/bedrockArns";
import { PolicyDocument, PolicyStatement, policyDocument } from "../iam/iamDocument";
import { KmsKeyChoice } from "./monitoringConfig";
import { MONITORING_TAG_KEY, MONITORING_TAG_VALUE, MonitoringPlace, accountGlobalName, monitoringNames } from "./monitoringPolicies";

/** The three reports, in the order they are saved. */
export const USAGE_REPORTS = ["by-model", "by-caller", "by-day"] as const;
export type UsageReportKind = (typeof USAGE_REPORTS)[number];

import { ATHENA_DATABASE, ATHENA_WORKGROUP } from "./monitoringNames";
export { ATHENA_DATABASE, ATHENA_WORKGROUP };
export const ATHENA_TABLE = "invocations";
export const TOP_CALLERS_RULE = "bedrock-top-callers-by-tokens";
/** Days Athena's results are kept: they are derived, and can be run again. */
export const ATHENA_RESULTS_DAYS = 30;
/** The first day the table's partition projection knows: Bedrock invocation logging did not exist before. */
export const PROJECTION_START = "2023/09/01";

/** IAM's limit on a managed policy's name. */
const POLICY_NAME_MAX = 128;

/** Names of the query engines' resources: per account and region; the readers' policy (IAM, global to the account) also per stack. */
export function usageNames(location: MonitoringPlace) {
    const resultsBucket = `bedrock-usage-results-${location.accountId}-${location.region}`;
    const arn = (service: string, resource: string) => `arn:${location.partition}:${service}:${location.region}:${location.accountId}:${resource}`;
    return {
        resultsBucket,
        resultsBucketArn: `arn:${location.partition}:s3:::${resultsBucket}`,
        workgroupArn: arn("athena", `workgroup/${ATHENA_WORKGROUP}`),
        catalogArn: arn("glue", "catalog"),
        databaseArn: arn("glue", `database/${ATHENA_DATABASE}`),
        tableArn: arn("glue", `table/${ATHENA_DATABASE}/${ATHENA_TABLE}`),
        /** `readerPolicy`: the managed policy for whoever runs the usage report. */
        readerPolicy: accountGlobalName("bedrock-usage-report", location, POLICY_NAME_MAX),
    };
}

/** Where Bedrock writes the log objects of this account and region: `…/YYYY/MM/DD/HH/<file>.json.gz`. */
export function logObjectsPrefix(location: Pick<AwsLocation, "accountId" | "region">): string {
    return `AWSLogs/${location.accountId}/BedrockModelInvocationLogs/${location.region}/`;
}

// ---- CloudWatch Logs Insights ----

/** The sums every report carries; a missing token field (an older record) adds nothing. */
const INSIGHTS_SUMS = [
    "count(*) as invocations",
    "sum(input.inputTokenCount) as inputTokens",
    "sum(output.outputTokenCount) as outputTokens",
    "sum(input.cacheReadInputTokenCount) as cacheReadInputTokens",
    "sum(input.cacheWriteInputTokenCount) as cacheWriteInputTokens",
].join(", ");

/**
 * Logs Insights queries. Each groups by model as well, so that cost can be priced per model; the
 * caller's report is by caller and model, the day's by day and model.
 */
export const INSIGHTS_QUERIES: Readonly<Record<UsageReportKind, string>> = {
    "by-model": `filter schemaType = "ModelInvocationLog"\n| stats ${INSIGHTS_SUMS} by modelId\n| sort inputTokens desc`,
    "by-caller": `filter schemaType = "ModelInvocationLog"\n| stats ${INSIGHTS_SUMS} by identity.arn, modelId\n| sort inputTokens desc`,
    "by-day": `filter schemaType = "ModelInvocationLog"\n| stats ${INSIGHTS_SUMS} by bin(1d), modelId\n| sort inputTokens desc`,
};

/** A window as the report's queries cut it: records from `start` (inclusive) to `end` (exclusive), by their own `timestamp`. */
export interface QueryWindow {
    readonly start: Date;
    readonly end: Date;
}

const INSIGHTS_GROUPS: Readonly<Record<UsageReportKind, string>> = { "by-model": "modelId", "by-caller": "caller, modelId", "by-day": "day, modelId" };

/**
 * The query `npm run usage-report` runs with Logs Insights: the window cut by each record's own
 * `timestamp` (ISO 8601 in UTC compares as text), each `requestId` counted once (a first `stats`
 * per request, a second one per report key), days grouped by the record's timestamp, and the
 * records read (`records`) beside the invocations counted, so that the duplicates can be told.
 */
export function insightsQuery(report: UsageReportKind, window: QueryWindow): string {
    return [
        `filter schemaType = "ModelInvocationLog" and timestamp >= "${window.start.toISOString()}" and timestamp < "${window.end.toISOString()}"`,
        "| fields substr(timestamp, 0, 10) as day, identity.arn as caller",
        "| stats count(*) as copies, max(input.inputTokenCount) as requestInputTokens, max(output.outputTokenCount) as requestOutputTokens, " +
            "max(input.cacheReadInputTokenCount) as requestCacheReadInputTokens, max(input.cacheWriteInputTokenCount) as requestCacheWriteInputTokens by requestId, modelId, caller, day",
        "| stats sum(copies) as records, count(*) as invocations, sum(requestInputTokens) as inputTokens, sum(requestOutputTokens) as outputTokens, " +
            `sum(requestCacheReadInputTokens) as cacheReadInputTokens, sum(requestCacheWriteInputTokens) as cacheWriteInputTokens by ${INSIGHTS_GROUPS[report]}`,
        "| sort inputTokens desc",
    ].join("\n");
}

/** Saved-query names: the console's query list shows them in a `bedrock/` folder. */
export const insightsQueryName = (report: UsageReportKind) => `bedrock/tokens-${report}`;

/**
 * Contributor Insights: the callers (`identity.arn`) with the most input tokens, over the
 * invocation log group's JSON events. A rule sums one field; input tokens are what a prompt costs
 * and what quotas burn first.
 */
export function topCallersRule(logGroupName: string): string {
    return JSON.stringify({
        Schema: { Name: "CloudWatchLogRule", Version: 1 },
        LogGroupNames: [logGroupName],
        LogFormat: "JSON",
        Contribution: { Keys: ["$.identity.arn"], ValueOf: "$.input.inputTokenCount", Filters: [{ Match: "$.schemaType", In: ["ModelInvocationLog"] }] },
        AggregateOn: "Sum",
    });
}

// ---- Glue table and Athena ----

/** One column as Glue takes it; lower case, as Glue stores it (so that no diff follows a refresh). */
export interface GlueColumn {
    readonly name: string;
    readonly type: string;
}

/**
 * The record fields the reports read. Request and response bodies (`input.inputBodyJson`,
 * `output.outputBodyJson`) are never columns: whoever queries the table sees metadata only, and the
 * table reads records with or without them alike.
 */
export const INVOCATION_COLUMNS: readonly GlueColumn[] = [
    { name: "schematype", type: "string" },
    { name: "schemaversion", type: "string" },
    { name: "timestamp", type: "string" },
    { name: "accountid", type: "string" },
    { name: "identity", type: "struct<arn:string>" },
    { name: "region", type: "string" },
    { name: "requestid", type: "string" },
    { name: "operation", type: "string" },
    { name: "modelid", type: "string" },
    { name: "input", type: "struct<inputcontenttype:string,inputtokencount:bigint,cachereadinputtokencount:bigint,cachewriteinputtokencount:bigint>" },
    { name: "output", type: "struct<outputcontenttype:string,outputtokencount:bigint>" },
    { name: "inferenceregion", type: "string" },
    // The caller's request metadata (string keys and values), read by `usage-report --by metadata.<key>`.
    { name: "requestmetadata", type: "map<string,string>" },
];

/** The partition column: the day in the objects' key, `YYYY/MM/DD`. */
export const DAY_PARTITION: GlueColumn = { name: "day", type: "string" };

/**
 * The table's parameters: JSON records, and partition projection on the day in the key, so that
 * Athena computes each day's location and needs neither a crawler nor `MSCK REPAIR TABLE`.
 */
export function invocationTableParameters(location: MonitoringPlace): Record<string, string> {
    const bucket = tableBucket(location);
    return {
        classification: "json",
        EXTERNAL: "TRUE",
        "projection.enabled": "true",
        "projection.day.type": "date",
        "projection.day.format": "yyyy/MM/dd",
        "projection.day.range": `${PROJECTION_START},NOW`,
        "projection.day.interval": "1",
        "projection.day.interval.unit": "DAYS",
        "storage.location.template": `s3://${bucket}/${logObjectsPrefix(location)}\${day}/`,
    };
}

export function invocationTableLocation(location: MonitoringPlace): string {
    return `s3://${tableBucket(location)}/${logObjectsPrefix(location)}`;
}

function tableBucket(location: MonitoringPlace): string {
    if (location.logBucket === undefined) throw new Error("the Athena table needs the log bucket: monitoring.existingBucket");
    return location.logBucket;
}

/** `YYYY/MM/DD` of a date, in UTC: the partition value of that day. */
export function partitionDay(date: Date): string {
    return date.toISOString().slice(0, 10).replace(/-/g, "/");
}

/** Per request: its record read once however often it was delivered, its day by its own timestamp. */
const ATHENA_REQUEST_COLUMNS = [
    "arbitrary(modelid) AS modelid",
    "arbitrary(identity.arn) AS caller",
    `arbitrary(substr("timestamp", 1, 10)) AS record_day`,
    "count(*) AS copies",
    "max(coalesce(input.inputtokencount, 0)) AS input_tokens",
    "max(coalesce(output.outputtokencount, 0)) AS output_tokens",
    "max(coalesce(input.cachereadinputtokencount, 0)) AS cache_read_input_tokens",
    "max(coalesce(input.cachewriteinputtokencount, 0)) AS cache_write_input_tokens",
].join(", ");

const ATHENA_SUMS = [
    "sum(copies) AS records",
    "count(*) AS invocations",
    "sum(input_tokens) AS input_tokens",
    "sum(output_tokens) AS output_tokens",
    "sum(cache_read_input_tokens) AS cache_read_input_tokens",
    "sum(cache_write_input_tokens) AS cache_write_input_tokens",
].join(", ");

const ATHENA_GROUPS: Readonly<Record<UsageReportKind, { readonly select: string; readonly groups: number }>> = {
    "by-model": { select: "modelid AS model_id", groups: 1 },
    "by-caller": { select: "caller, modelid AS model_id", groups: 2 },
    "by-day": { select: "record_day AS day, modelid AS model_id", groups: 2 },
};

/**
 * An Athena query over the partitions from `firstDay` to `lastDay` (`YYYY/MM/DD`, inclusive): the
 * predicate on the partition column is what keeps the scan to those days. With `since` and `until`
 * (ISO instants), the records are cut by their own `timestamp` (a timestamp that is not ISO 8601
 * is left out rather than failing the query). Each `requestid` counts once (`records` says how
 * many were read), and days are the records' own.
 */
export function athenaQuery(report: UsageReportKind, firstDay: string, lastDay: string, since?: string, until?: string): string {
    const { select, groups } = ATHENA_GROUPS[report];
    const groupBy = Array.from({ length: groups }, (_, index) => index + 1).join(", ");
    const after = since === undefined ? "" : ` AND try(from_iso8601_timestamp("timestamp")) >= from_iso8601_timestamp('${since}')`;
    const before = until === undefined ? "" : ` AND try(from_iso8601_timestamp("timestamp")) < from_iso8601_timestamp('${until}')`;
    return [
        "WITH requests AS (",
        `  SELECT ${ATHENA_REQUEST_COLUMNS}`,
        `  FROM "${ATHENA_DATABASE}"."${ATHENA_TABLE}"`,
        `  WHERE day BETWEEN '${firstDay}' AND '${lastDay}' AND schematype = 'ModelInvocationLog'${after}${before}`,
        // A record without a request ID is its own request.
        "  GROUP BY coalesce(requestid, cast(uuid() AS varchar))",
        ")",
        `SELECT ${select}, ${ATHENA_SUMS}`,
        "FROM requests",
        `GROUP BY ${groupBy}`,
        "ORDER BY input_tokens DESC",
    ].join("\n");
}

/** The saved Athena queries: the last 30 days, computed by Athena when they run. */
export function athenaNamedQuery(report: UsageReportKind): string {
    return athenaQuery(report, "__FIRST__", "__LAST__")
        .replace("'__FIRST__'", "date_format(current_date - INTERVAL '30' DAY, '%Y/%m/%d')")
        .replace("'__LAST__'", "date_format(current_date, '%Y/%m/%d')");
}

/** TLS only, like the log bucket. Athena writes here with the querying caller's own permissions. */
export function resultsBucketPolicy(location: MonitoringPlace): PolicyDocument {
    const { resultsBucketArn } = usageNames(location);
    return policyDocument([
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [resultsBucketArn, `${resultsBucketArn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
    ]);
}

/** The encryption context S3 sets on its calls to KMS: the bucket's ARN (with bucket keys) or the object's ARN. */
export const S3_ENCRYPTION_CONTEXT_KEY = "kms:EncryptionContext:aws:s3:arn";

export interface UsageReaderArgs {
    readonly location: MonitoringPlace;
    /** The Athena table, workgroup and results bucket exist. */
    readonly athena: boolean;
    /** The key of the logs and results: the one the stack creates, one the user names, or none. */
    readonly kmsKey: KmsKeyChoice;
    /**
     * The tags every application inference profile of the stack carries (key -> the values it may have):
     * the readers may then `bedrock:GetInferenceProfile` those profiles, to price them as their model. If not
     * provided (the stack creates no application profile), no Bedrock action is granted.
     */
    readonly applicationProfileTags?: Readonly<Record<string, readonly string[]>>;
    /** The stack grants bedrock-mantle: the report reads its `AWS/BedrockMantle` metrics (its calls are not in the logs). If not provided, false. */
    readonly mantleMetrics?: boolean;
}

/**
 * What `npm run usage-report` needs, and nothing more: Logs Insights queries and the log events of
 * the invocation log group; the log objects; the Athena workgroup, table and results; the key only
 * through S3; the Price List API; the account's application inference profiles (to price them as their model).
 */
export function usageReaderPolicy(args: UsageReaderArgs): PolicyDocument {
    const { location } = args;
    const names = monitoringNames(location);
    const usage = usageNames(location);
    const statements: PolicyStatement[] = [
        {
            Sid: "QueryInvocationLogGroup",
            Effect: "Allow",
            Action: ["logs:FilterLogEvents", "logs:GetQueryResults", "logs:StartQuery"],
            Resource: [names.logGroupArn, `${names.logGroupArn}:*`],
        },
        // StopQuery names a query ID, not a resource: IAM accepts only `*`.
        { Sid: "StopQueries", Effect: "Allow", Action: "logs:StopQuery", Resource: "*" },
        ...(names.bucketArn
            ? [
                  { Sid: "ReadInvocationLogObjects", Effect: "Allow" as const, Action: "s3:GetObject", Resource: `${names.bucketArn}/${logObjectsPrefix(location)}*` },
                  {
                      Sid: "ListInvocationLogObjects",
                      Effect: "Allow" as const,
                      Action: "s3:ListBucket",
                      Resource: names.bucketArn,
                      Condition: { StringLike: { "s3:prefix": `${logObjectsPrefix(location)}*` } },
                  },
              ]
            : []),
        // The Price List API has no resources: IAM accepts only `*`.
        { Sid: "ReadBedrockPrices", Effect: "Allow", Action: "pricing:GetProducts", Resource: "*" },
    ];
    if (args.mantleMetrics) {
        // bedrock-mantle's calls are counted only by its metrics. GetMetricData names no metric resource (its only
        // resource type is an optional `dataset`) and has no namespace condition: IAM accepts only `*`.
        statements.push({ Sid: "ReadMantleMetrics", Effect: "Allow", Action: "cloudwatch:GetMetricData", Resource: "*" });
    }
    if (args.applicationProfileTags && Object.keys(args.applicationProfileTags).length > 0) {
        // An application inference profile in the logs is priced as the model it routes to: read the stack's own
        // profiles (their IDs are not known at preview, their tags are), in this account and region only.
        statements.push({
            Sid: "ReadApplicationInferenceProfiles",
            Effect: "Allow",
            Action: "bedrock:GetInferenceProfile",
            Resource: `arn:${location.partition}:bedrock:${location.region}:${location.accountId}:application-inference-profile/*`,
            Condition: { StringEquals: Object.fromEntries(Object.entries(args.applicationProfileTags).map(([key, values]) => [`aws:ResourceTag/${key}`, values.length === 1 ? values[0] : [...values]])) },
        });
    }
    if (args.athena && names.bucketArn) {
        statements.push(
            {
                Sid: "RunQueriesInUsageWorkgroup",
                Effect: "Allow",
                Action: ["athena:GetQueryExecution", "athena:GetQueryResults", "athena:GetWorkGroup", "athena:StartQueryExecution", "athena:StopQueryExecution"],
                Resource: usage.workgroupArn,
            },
            // As AWS's Athena guide lists them for a table and its results location.
            { Sid: "ReadInvocationTable", Effect: "Allow", Action: ["glue:GetDatabase", "glue:GetPartitions", "glue:GetTable"], Resource: [usage.catalogArn, usage.databaseArn, usage.tableArn] },
            { Sid: "ReadLogBucketLocation", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: [names.bucketArn, usage.resultsBucketArn] },
            { Sid: "ListQueryResults", Effect: "Allow", Action: ["s3:ListBucket", "s3:ListBucketMultipartUploads"], Resource: usage.resultsBucketArn },
            {
                Sid: "WriteAndReadQueryResults",
                Effect: "Allow",
                Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject"],
                Resource: `${usage.resultsBucketArn}/*`,
            },
        );
    }
    // The buckets whose objects the key encrypts: the log bucket, and Athena's results bucket.
    const encryptedBuckets = [names.bucketArn, ...(args.athena && names.bucketArn ? [usage.resultsBucketArn] : [])].filter((arn): arn is string => arn !== undefined);
    if (args.kmsKey.kind !== "none" && encryptedBuckets.length > 0) {
        // A created key's ARN is not known at preview: it is named by the tag the stack gives it. A tag is not proof
        // that the stack created the key (the deployer may tag another key with it: KMS authorizes CreateKey's tags as
        // kms:TagResource on any key), so the grant is also bound to S3 decrypting objects of the stack's own buckets
        // (the encryption context S3 sets: the bucket's ARN with bucket keys, an object's ARN without): whatever key
        // carries the tag, it gives these readers only the stack's own data.
        const created = args.kmsKey.kind === "create";
        statements.push({
            Sid: "DecryptLogsAndResultsThroughS3",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: args.kmsKey.kind === "existing" ? args.kmsKey.arn : `arn:${location.partition}:kms:${location.region}:${location.accountId}:key/*`,
            Condition: {
                StringEquals: {
                    "kms:ViaService": `s3.${location.region}.amazonaws.com`,
                    ...(created ? { [`aws:ResourceTag/${MONITORING_TAG_KEY}`]: MONITORING_TAG_VALUE } : {}),
                },
                StringLike: { [S3_ENCRYPTION_CONTEXT_KEY]: encryptedBuckets.flatMap((bucketArn) => [bucketArn, `${bucketArn}/*`]) },
            },
        });
    }
    return policyDocument(statements);
}
