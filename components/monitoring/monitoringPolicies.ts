/**
 * Pure builders for invocation monitoring: names, the log bucket's policy, the logging role's trust
 * and permissions, the alert topic's policy, the key policy, the dashboard and the alarms.
 */
import { AwsLocation } from "../arns/bedrockArns";
import { PolicyDocument, policyDocument } from "../iam/iamDocument";
import { AlarmThresholds } from "./monitoringConfig";
import { accountAdministersKey } from "../iam/keyPolicies";
import { BEDROCK_SERVICE_PRINCIPAL } from "../serviceRoles/serviceRolePolicies";

export const INVOCATION_LOG_GROUP = "/aws/bedrock/modelinvocations";
/** Where Bedrock writes payloads too large for a CloudWatch Logs event. */
export const LARGE_DATA_PREFIX = "large-data";
export const DASHBOARD_NAME = "bedrock-model-invocations";
export const ALERT_TOPIC_NAME = "bedrock-invocation-alerts";

/** Fixed names (one stack per account and region), so every ARN in the documents is known at preview. */
export function monitoringNames(location: AwsLocation) {
    const bucket = `bedrock-invocation-logs-${location.accountId}-${location.region}`;
    const loggingRole = `bedrock-invocation-logging-${location.region}`;
    return {
        bucket,
        bucketArn: `arn:${location.partition}:s3:::${bucket}`,
        loggingRole,
        loggingRoleArn: `arn:${location.partition}:iam::${location.accountId}:role/${loggingRole}`,
        logGroupArn: `arn:${location.partition}:logs:${location.region}:${location.accountId}:log-group:${INVOCATION_LOG_GROUP}`,
        topicArn: `arn:${location.partition}:sns:${location.region}:${location.accountId}:${ALERT_TOPIC_NAME}`,
    };
}

/** Bedrock's calls from this account and region: the source conditions of every grant to it. */
function fromBedrockHere(location: AwsLocation) {
    return {
        StringEquals: { "aws:SourceAccount": location.accountId },
        ArnLike: { "aws:SourceArn": `arn:${location.partition}:bedrock:${location.region}:${location.accountId}:*` },
    };
}

/** TLS only; Bedrock from this account and region may write only its invocation logs. */
export function logBucketPolicy(location: AwsLocation): PolicyDocument {
    const names = monitoringNames(location);
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
export function loggingRolePolicy(location: AwsLocation): PolicyDocument {
    const names = monitoringNames(location);
    return policyDocument([
        { Sid: "WriteInvocationLogEvents", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${names.logGroupArn}:log-stream:*` },
        { Sid: "WriteLargePayloads", Effect: "Allow", Action: "s3:PutObject", Resource: `${names.bucketArn}/${LARGE_DATA_PREFIX}/*` },
    ]);
}

/** Only CloudWatch alarms of this account and region may publish. */
export function alertTopicPolicy(location: AwsLocation): PolicyDocument {
    const names = monitoringNames(location);
    return policyDocument([
        {
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: names.topicArn,
            Condition: {
                StringEquals: { "aws:SourceAccount": location.accountId },
                ArnLike: { "aws:SourceArn": `arn:${location.partition}:cloudwatch:${location.region}:${location.accountId}:alarm:*` },
            },
        },
    ]);
}

/**
 * The created key: the account administers it (explicit actions); CloudWatch Logs uses it for the
 * log group, Bedrock for the bucket, CloudWatch for the encrypted topic, each scoped to this
 * account; the logging role for large payloads.
 */
export function monitoringKeyPolicy(location: AwsLocation): PolicyDocument {
    const names = monitoringNames(location);
    const thisAccount = { "aws:SourceAccount": location.accountId };
    return policyDocument([
        accountAdministersKey(location),
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
        {
            Sid: "CloudWatchPublishesEncryptedAlerts",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: "*",
            Condition: { StringEquals: thisAccount },
        },
        { Sid: "LoggingRoleWritesLargePayloads", Effect: "Allow", Principal: { AWS: names.loggingRoleArn }, Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: "*" },
    ]);
}

/** One alarm, as `aws.cloudwatch.MetricAlarm` takes it (single metric or metric math). */
export interface AlarmSpec {
    readonly name: string;
    readonly description: string;
    readonly threshold: number;
    readonly evaluationPeriods: number;
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

const LOG_DELIVERY_ALARM: AlarmSpec = {
    name: "log-delivery-failures",
    description: "Model invocation logs that failed to reach CloudWatch Logs or S3 in 5 minutes",
    threshold: 1,
    evaluationPeriods: 1,
    math: {
        expression: "cloudWatchFailures + s3Failures",
        period: 300,
        metrics: { cloudWatchFailures: "ModelInvocationLogsCloudWatchDeliveryFailure", s3Failures: "ModelInvocationLogsS3DeliveryFailure" },
    },
};

/** The alarms on Bedrock's metrics (account-wide, all models); failed log delivery is always watched. */
export function alarmSpecs(thresholds: AlarmThresholds): AlarmSpec[] {
    const configured = (Object.keys(CONFIGURABLE_ALARMS) as (keyof AlarmThresholds)[]).flatMap((key) => {
        const threshold = thresholds[key];
        return threshold === undefined ? [] : [{ ...CONFIGURABLE_ALARMS[key], threshold }];
    });
    return [...configured, LOG_DELIVERY_ALARM];
}

/** The dashboard: each metric per configured model and in total (a SEARCH over every model). */
export function dashboardBody(region: string, modelIds: readonly string[]): string {
    const perModel = (metricName: string, stat: string) => [
        [{ expression: `SUM(SEARCH('{AWS/Bedrock,ModelId} MetricName="${metricName}"', '${stat}', 300))`, label: "all models", id: `total${metricName}` }],
        ...modelIds.map((modelId) => ["AWS/Bedrock", metricName, "ModelId", modelId, { stat }]),
    ];
    const widget = (title: string, metrics: unknown[], index: number) => ({
        type: "metric",
        x: (index % 2) * 12,
        y: Math.floor(index / 2) * 6,
        width: 12,
        height: 6,
        properties: { title, region, view: "timeSeries", stacked: false, period: 300, metrics },
    });
    const widgets = [
        widget("Invocations", perModel("Invocations", "Sum"), 0),
        widget("Latency p90 (ms)", modelIds.map((modelId) => ["AWS/Bedrock", "InvocationLatency", "ModelId", modelId, { stat: "p90" }]), 1),
        widget("Client errors", perModel("InvocationClientErrors", "Sum"), 2),
        widget("Server errors", perModel("InvocationServerErrors", "Sum"), 3),
        widget("Throttles", perModel("InvocationThrottles", "Sum"), 4),
        widget("Input tokens", perModel("InputTokenCount", "Sum"), 5),
        widget("Output tokens", perModel("OutputTokenCount", "Sum"), 6),
        widget(
            "Log delivery",
            ["ModelInvocationLogsCloudWatchDeliverySuccess", "ModelInvocationLogsCloudWatchDeliveryFailure", "ModelInvocationLogsS3DeliverySuccess", "ModelInvocationLogsS3DeliveryFailure"].map(
                (metricName) => ["AWS/Bedrock", metricName, { stat: "Sum" }],
            ),
            7,
        ),
    ];
    return JSON.stringify({ widgets });
}
