/**
 * Pure builders for invocation monitoring: names, the log bucket's policy, the logging role's trust
 * and permissions, the alert topic's policy, the key policy, the dashboard and the alarms.
 */
import { createHash } from "crypto";
import { AwsLocation } from "../arns/bedrockArns";
import { PolicyDocument, PolicyStatement, fromSourceIn, policyDocument } from "../iam/iamDocument";
import { AlarmSettings, AlarmThresholds } from "./monitoringConfig";
import { accountAdministersKey, deployerAdministersKey } from "../iam/keyPolicies";
import { BEDROCK_SERVICE_PRINCIPAL } from "../serviceRoles/serviceRolePolicies";
import { budgetsKeyStatement, budgetsPublishStatement } from "../costAttribution/costAttributionPolicies";

import { INVOCATION_LOG_GROUP } from "./monitoringNames";
export { INVOCATION_LOG_GROUP };
/** Where Bedrock writes payloads too large for a CloudWatch Logs event. */
export const LARGE_DATA_PREFIX = "large-data";
/** The dashboard's name before the region and stack (dashboards are global to the account). */
export const DASHBOARD_NAME_PREFIX = "bedrock-model-invocations";
export const ALERT_TOPIC_NAME = "bedrock-invocation-alerts";
/** The tag on everything monitoring creates; the created key is named by it where its ARN is not yet known. */
export const MONITORING_TAG_KEY = "bedrock-access:monitoring";
export const MONITORING_TAG_VALUE = "invocations";

/** Every alarm's name starts with it (the deployer's policy names the alarms by it). */
export const ALARM_NAME_PREFIX = "bedrock-";

/** Where this stack's monitoring lives: the account and region, the stack, and where the invocation logs are. */
export interface MonitoringPlace extends AwsLocation {
    /** The Pulumi stack's name: part of every account-global name. */
    readonly stack: string;
    /** The stack owns the logging configuration, its bucket, log group and role (`invocationLogging: create`). */
    readonly ownsLogging: boolean;
    /** The invocation log group: the stack's own, or the existing one. */
    readonly logGroupName: string;
    /** The bucket of the log objects: the stack's own, the existing one, or undefined when none is named. */
    readonly logBucket: string | undefined;
}

/** The log bucket this stack creates with `invocationLogging: create`: one per account and region, like the configuration it serves. */
export function ownLogBucketName(location: Pick<AwsLocation, "accountId" | "region">): string {
    return `bedrock-invocation-logs-${location.accountId}-${location.region}`;
}

export function monitoringPlace(
    location: AwsLocation,
    stack: string,
    monitoring: { readonly invocationLogging: "create" | "existing"; readonly existingLogGroup?: string; readonly existingBucket?: string },
): MonitoringPlace {
    const ownsLogging = monitoring.invocationLogging === "create";
    return {
        ...location,
        stack,
        ownsLogging,
        logGroupName: ownsLogging ? INVOCATION_LOG_GROUP : monitoring.existingLogGroup!,
        logBucket: ownsLogging ? ownLogBucketName(location) : monitoring.existingBucket,
    };
}

/**
 * A name global to the account (IAM, CloudWatch dashboards): the base, the region and the stack, so
 * that two stacks of one account, in two regions or in one, never write the same one. Characters
 * other than letters, digits, `_` and `-` in the stack's name become `-`; when that changes the
 * name, or the whole is longer than `maxLength`, the stack part is shortened and a hash of the
 * stack's full name keeps it unique.
 */
export function accountGlobalName(base: string, place: Pick<MonitoringPlace, "region" | "stack">, maxLength: number): string {
    const cleaned = place.stack.replace(/[^A-Za-z0-9_-]/g, "-");
    const plain = `${base}-${place.region}-${cleaned}`;
    if (cleaned === place.stack && plain.length <= maxLength) return plain;
    const hash = createHash("sha256").update(place.stack).digest("hex").slice(0, 8);
    const room = maxLength - `${base}-${place.region}--${hash}`.length;
    return `${base}-${place.region}-${cleaned.slice(0, Math.max(room, 0))}-${hash}`.replace(/--+/g, "-");
}

/** IAM's limit on a role's name. */
const ROLE_NAME_MAX = 64;
/** CloudWatch's limit on a dashboard's name. */
const DASHBOARD_NAME_MAX = 255;

/** Names and ARNs of what monitoring writes, so that every ARN in the documents is known at preview. */
export function monitoringNames(place: MonitoringPlace) {
    const { partition, region, accountId } = place;
    const loggingRole = accountGlobalName("bedrock-invocation-logging", place, ROLE_NAME_MAX);
    const bucket = place.logBucket;
    return {
        bucket,
        bucketArn: bucket === undefined ? undefined : `arn:${partition}:s3:::${bucket}`,
        loggingRole,
        loggingRoleArn: `arn:${partition}:iam::${accountId}:role/${loggingRole}`,
        logGroupName: place.logGroupName,
        logGroupArn: `arn:${partition}:logs:${region}:${accountId}:log-group:${place.logGroupName}`,
        topicArn: `arn:${partition}:sns:${region}:${accountId}:${ALERT_TOPIC_NAME}`,
        dashboard: accountGlobalName(DASHBOARD_NAME_PREFIX, place, DASHBOARD_NAME_MAX),
    };
}

/** Bedrock's calls from this account and region: the source conditions of every grant to it. */
function fromBedrockHere(location: AwsLocation) {
    return fromSourceIn(location.accountId, `arn:${location.partition}:bedrock:${location.region}:${location.accountId}:*`);
}

/** TLS only; Bedrock from this account and region may write only its invocation logs. */
export function logBucketPolicy(location: MonitoringPlace): PolicyDocument {
    const names = monitoringNames(location);
    if (!names.bucketArn) throw new Error("the log bucket's policy is written only for the stack's own bucket");
    return policyDocument([
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [names.bucketArn, `${names.bucketArn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
            Sid: "BedrockWritesInvocationLogs",
            Effect: "Allow",
            Principal: { Service: BEDROCK_SERVICE_PRINCIPAL },
            Action: "s3:PutObject",
            Resource: `${names.bucketArn}/AWSLogs/${location.accountId}/BedrockModelInvocationLogs/*`,
            Condition: fromBedrockHere(location),
        },
    ]);
}

export function loggingRoleTrustPolicy(location: AwsLocation): PolicyDocument {
    return policyDocument([
        {
            Sid: "BedrockDeliversInvocationLogs",
            Effect: "Allow",
            Principal: { Service: BEDROCK_SERVICE_PRINCIPAL },
            Action: "sts:AssumeRole",
            Condition: fromBedrockHere(location),
        },
    ]);
}

/** Only writing log events to the invocation log group, and large payloads under their prefix. */
export function loggingRolePolicy(location: MonitoringPlace): PolicyDocument {
    const names = monitoringNames(location);
    if (!names.bucketArn) throw new Error("the logging role is written only for the stack's own bucket");
    return policyDocument([
        { Sid: "WriteInvocationLogEvents", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${names.logGroupArn}:log-stream:*` },
        { Sid: "WriteLargePayloads", Effect: "Allow", Action: "s3:PutObject", Resource: `${names.bucketArn}/${LARGE_DATA_PREFIX}/*` },
    ]);
}

/** What else publishes to the alert topic: AWS Budgets, when the stack has budgets. */
export interface AlertPublishers {
    /** Admit budgets.amazonaws.com for this account's budgets. If not provided, false. */
    readonly budgets?: boolean;
}

/** Only CloudWatch alarms of this account and region may publish (and this account's budgets, when asked). */
export function alertTopicPolicy(location: MonitoringPlace, publishers: AlertPublishers = {}): PolicyDocument {
    const names = monitoringNames(location);
    return policyDocument([
        {
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: names.topicArn,
            Condition: fromSourceIn(location.accountId, `arn:${location.partition}:cloudwatch:${location.region}:${location.accountId}:alarm:*`),
        },
        ...(publishers.budgets ? [budgetsPublishStatement(location, names.topicArn)] : []),
    ]);
}

/**
 * The created key: the account administers it (explicit actions); CloudWatch Logs uses it for the
 * log group, Bedrock for the bucket, CloudWatch for the encrypted topic, each scoped to this
 * account; the logging role for large payloads.
 */
export function monitoringKeyPolicy(location: MonitoringPlace, publishers: AlertPublishers = {}): PolicyDocument {
    const names = monitoringNames(location);
    const thisAccount = { "aws:SourceAccount": location.accountId };
    // With `existing`, the logs, their bucket and the logging role are someone else's: the key encrypts only the alerts and Athena's results.
    const logging: PolicyStatement[] = location.ownsLogging
        ? [
              {
                  Sid: "LogsEncryptsInvocationLogGroup",
                  Effect: "Allow",
                  Principal: { Service: `logs.${location.region}.amazonaws.com` },
                  Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
                  Resource: "*",
                  Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": names.logGroupArn } },
              },
              {
                  Sid: "BedrockEncryptsInvocationLogObjects",
                  Effect: "Allow",
                  Principal: { Service: BEDROCK_SERVICE_PRINCIPAL },
                  Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                  Resource: "*",
                  Condition: fromBedrockHere(location),
              },
          ]
        : [];
    return policyDocument([
        accountAdministersKey(location),
        ...deployerAdministersKey(location, { [MONITORING_TAG_KEY]: MONITORING_TAG_VALUE }),
        ...logging,
        {
            Sid: "CloudWatchPublishesEncryptedAlerts",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: "*",
            Condition: { StringEquals: thisAccount },
        },
        ...(publishers.budgets ? [budgetsKeyStatement(location)] : []),
        ...(location.ownsLogging
            ? [{ Sid: "LoggingRoleWritesLargePayloads", Effect: "Allow" as const, Principal: { AWS: names.loggingRoleArn }, Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: "*" }]
            : []),
        {
            // Readers of the log objects and Athena's results (the usage report) decrypt through S3 only, as their IAM policies allow.
            Sid: "AccountReadsAndWritesThroughS3",
            Effect: "Allow",
            Principal: { AWS: `arn:${location.partition}:iam::${location.accountId}:root` },
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: "*",
            Condition: { StringEquals: { "kms:ViaService": `s3.${location.region}.amazonaws.com`, "kms:CallerAccount": location.accountId } },
        },
    ]);
}

/** One alarm, as `aws.cloudwatch.MetricAlarm` takes it (single metric or metric math). */
export interface AlarmSpec {
    /** The alarm's name without the `bedrock-` prefix. */
    readonly name: string;
    readonly description: string;
    readonly threshold: number;
    readonly evaluationPeriods: number;
    /** The model the alarm watches (the `ModelId` dimension); undefined for the account-wide alarms. */
    readonly modelId?: string;
    /** The metrics' namespace. If not provided, `AWS/Bedrock` (bedrock-runtime). */
    readonly namespace?: string;
    readonly metric?: { readonly metricName: string; readonly period: number; readonly statistic?: string; readonly extendedStatistic?: string };
    readonly math?: { readonly expression: string; readonly period: number; readonly metrics: Readonly<Record<string, string>> };
}

/** The configurable alarms, in the order they are created; each is skipped when its threshold is off. */
const CONFIGURABLE_ALARMS: Readonly<Record<keyof AlarmThresholds, Omit<AlarmSpec, "threshold">>> = {
    serverErrors: { name: "server-errors", description: "Bedrock server errors (5xx) in 5 minutes", evaluationPeriods: 1, metric: { metricName: "InvocationServerErrors", period: 300, statistic: "Sum" } },
    clientErrors: { name: "client-errors", description: "Bedrock client errors (4xx) in 5 minutes", evaluationPeriods: 1, metric: { metricName: "InvocationClientErrors", period: 300, statistic: "Sum" } },
    throttles: {
        name: "throttle-rate",
        description: "Percent of Bedrock invocations throttled in 5 minutes",
        evaluationPeriods: 1,
        math: { expression: "IF(invocations > 0, 100 * throttles / invocations, 0)", period: 300, metrics: { throttles: "InvocationThrottles", invocations: "Invocations" } },
    },
    latencyP90Ms: { name: "latency-p90", description: "Bedrock p90 invocation latency (ms), 3 periods of 5 minutes", evaluationPeriods: 3, metric: { metricName: "InvocationLatency", period: 300, extendedStatistic: "p90" } },
    dailyTokens: {
        name: "daily-tokens",
        description: "Bedrock input plus output tokens in one day",
        evaluationPeriods: 1,
        math: { expression: "inputTokens + outputTokens", period: 86400, metrics: { inputTokens: "InputTokenCount", outputTokens: "OutputTokenCount" } },
    },
};

/** The alarms repeated for each model when `perModel` is on: what fails or slows one model, which account-wide sums hide. */
export const PER_MODEL_ALARMS: readonly (keyof AlarmThresholds)[] = ["serverErrors", "throttles", "latencyP90Ms"];

const LOG_DELIVERY_ALARM: AlarmSpec = {
    name: "log-delivery-failures",
    description: "Model invocation logs (and large payloads) that failed to reach CloudWatch Logs or S3 in 5 minutes",
    threshold: 1,
    evaluationPeriods: 1,
    math: {
        expression: "cloudWatchFailures + s3Failures + largeDataFailures",
        period: 300,
        metrics: {
            cloudWatchFailures: "ModelInvocationLogsCloudWatchDeliveryFailure",
            s3Failures: "ModelInvocationLogsS3DeliveryFailure",
            largeDataFailures: "ModelInvocationLargeDataS3DeliveryFailure",
        },
    },
};

/**
 * bedrock-mantle publishes its own metrics (AWS's "Monitor bedrock-mantle inference using CloudWatch
 * metrics"), and its calls never reach the invocation logs: at the account level, with no dimension.
 */
export const MANTLE_NAMESPACE = "AWS/BedrockMantle";

/** The alarms on bedrock-mantle's account-level metrics, with the runtime alarms' thresholds: client errors and daily tokens. */
export function mantleAlarmSpecs(settings: AlarmSettings): AlarmSpec[] {
    const alarms: AlarmSpec[] = [];
    if (settings.clientErrors !== undefined) {
        alarms.push({
            name: "mantle-client-errors",
            description: "bedrock-mantle client errors (4xx) in 5 minutes",
            threshold: settings.clientErrors,
            evaluationPeriods: 1,
            namespace: MANTLE_NAMESPACE,
            metric: { metricName: "InferenceClientErrors", period: 300, statistic: "Sum" },
        });
    }
    if (settings.dailyTokens !== undefined) {
        alarms.push({
            name: "mantle-daily-tokens",
            description: "bedrock-mantle input plus output tokens in one day",
            threshold: settings.dailyTokens,
            evaluationPeriods: 1,
            namespace: MANTLE_NAMESPACE,
            math: { expression: "inputTokens + outputTokens", period: 86400, metrics: { inputTokens: "TotalInputTokens", outputTokens: "TotalOutputTokens" } },
        });
    }
    return alarms;
}

/**
 * The alarms on Bedrock's metrics: the account-wide ones (all models), failed log delivery (always),
 * with `perModel` server errors, throttles and latency of each model, with the same thresholds, and,
 * when the stack grants bedrock-mantle (`watchesMantle`), bedrock-mantle's own.
 */
export function alarmSpecs(settings: AlarmSettings, modelIds: readonly string[], watchesMantle = false): AlarmSpec[] {
    const configured = (Object.keys(CONFIGURABLE_ALARMS) as (keyof AlarmThresholds)[]).flatMap((key) => {
        const threshold = settings[key];
        return threshold === undefined ? [] : [{ ...CONFIGURABLE_ALARMS[key], threshold }];
    });
    const perModel = settings.perModel
        ? modelIds.flatMap((modelId) =>
              PER_MODEL_ALARMS.flatMap((key) => {
                  const threshold = settings[key];
                  const alarm = CONFIGURABLE_ALARMS[key];
                  return threshold === undefined ? [] : [{ ...alarm, name: `${alarm.name}-${modelId}`, description: `${alarm.description.replace("Bedrock", modelId)}`, threshold, modelId }];
              }),
          )
        : [];
    return [...configured, LOG_DELIVERY_ALARM, ...perModel, ...(watchesMantle ? mantleAlarmSpecs(settings) : [])];
}

/** The log-delivery metrics: invocation logs to CloudWatch Logs and S3, and large payloads to S3. */
export const LOG_DELIVERY_METRICS = [
    "ModelInvocationLogsCloudWatchDeliverySuccess",
    "ModelInvocationLogsCloudWatchDeliveryFailure",
    "ModelInvocationLogsS3DeliverySuccess",
    "ModelInvocationLogsS3DeliveryFailure",
    "ModelInvocationLargeDataS3DeliverySuccess",
    "ModelInvocationLargeDataS3DeliveryFailure",
] as const;

export interface DashboardArgs {
    readonly region: string;
    /** Metric model IDs, charted one by one beside the all-models total. */
    readonly modelIds: readonly string[];
    /** The Contributor Insights rule charting the top callers, when there is one. */
    readonly topCallersRuleName?: string;
    /** Chart bedrock-mantle's metrics too (the stack grants it). If not provided, false. */
    readonly watchesMantle?: boolean;
}

/**
 * The dashboard: each metric per configured model and in total (a SEARCH over every model), time to
 * first token, tokens-per-minute quota usage, log delivery (large payloads included) and, with
 * Contributor Insights, the top callers by tokens.
 */
export function dashboardBody(args: DashboardArgs): string {
    const { region, modelIds } = args;
    const perModel = (metricName: string, stat: string) => [
        [{ expression: `SUM(SEARCH('{AWS/Bedrock,ModelId} MetricName="${metricName}"', '${stat}', 300))`, label: "all models", id: `total${metricName}` }],
        ...modelIds.map((modelId) => ["AWS/Bedrock", metricName, "ModelId", modelId, { stat }]),
    ];
    const eachModel = (metricName: string, stat: string, period?: number) => modelIds.map((modelId) => ["AWS/Bedrock", metricName, "ModelId", modelId, { stat, ...(period ? { period } : {}) }]);
    const position = (index: number) => ({ x: (index % 2) * 12, y: Math.floor(index / 2) * 6, width: 12, height: 6 });
    const widget = (title: string, metrics: unknown[], index: number) => ({
        type: "metric",
        ...position(index),
        properties: { title, region, view: "timeSeries", stacked: false, period: 300, metrics },
    });
    const widgets: unknown[] = [
        widget("Invocations", perModel("Invocations", "Sum"), 0),
        widget("Latency p90 (ms)", eachModel("InvocationLatency", "p90"), 1),
        widget("Client errors", perModel("InvocationClientErrors", "Sum"), 2),
        widget("Server errors", perModel("InvocationServerErrors", "Sum"), 3),
        widget("Throttles", perModel("InvocationThrottles", "Sum"), 4),
        widget("Input tokens", perModel("InputTokenCount", "Sum"), 5),
        widget("Output tokens", perModel("OutputTokenCount", "Sum"), 6),
        widget("Time to first token p90 (ms)", eachModel("TimeToFirstToken", "p90"), 7),
        widget("Tokens-per-minute quota usage (estimated tokens per minute)", eachModel("EstimatedTPMQuotaUsage", "Sum", 60), 8),
        widget("Log delivery", LOG_DELIVERY_METRICS.map((metricName) => ["AWS/Bedrock", metricName, { stat: "Sum" }]), 9),
    ];
    if (args.watchesMantle) {
        // Calls through bedrock-mantle are in neither the invocation logs nor AWS/Bedrock: their own namespace, account level.
        const mantle = (metricNames: readonly string[]) => metricNames.map((metricName) => [MANTLE_NAMESPACE, metricName, { stat: "Sum" }]);
        widgets.push(widget("bedrock-mantle inferences and client errors (not in the invocation logs)", mantle(["Inferences", "InferenceClientErrors"]), widgets.length));
        widgets.push(widget("bedrock-mantle tokens", mantle(["TotalInputTokens", "TotalOutputTokens"]), widgets.length));
    }
    if (args.topCallersRuleName) {
        widgets.push({
            type: "metric",
            ...position(widgets.length),
            properties: {
                title: "Top callers by tokens (Contributor Insights)",
                region,
                view: "timeSeries",
                stacked: false,
                period: 300,
                insightRule: { maxContributorCount: 10, orderBy: "Sum", ruleName: args.topCallersRuleName },
            },
        });
    }
    return JSON.stringify({ widgets });
}
