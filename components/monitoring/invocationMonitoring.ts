import * as bedrockmodel from "@pulumi/aws/bedrockmodel";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import * as servicequotas from "@pulumi/aws/servicequotas";
import * as sns from "@pulumi/aws/sns";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { AwsLocation } from "../arns/bedrockArns";
import { OWNER_GATEWAY_TAG } from "../costAttribution/costAttributionPolicies";
import { policyJson } from "../iam/iamDocument";
import { MonitoringSpec } from "./monitoringConfig";
import { InvocationUsageQueries } from "./invocationUsageQueries";
import { BEDROCK_QUOTAS_SERVICE_CODE, quotaAlarmSpec, tokenQuotasOf } from "./tokenQuotas";
import {
    ALARM_NAME_PREFIX,
    ALERT_TOPIC_NAME,
    LARGE_DATA_PREFIX,
    MONITORING_TAG_KEY,
    MONITORING_TAG_VALUE,
    alarmSpecs,
    alertTopicPolicy,
    dashboardBody,
    logBucketPolicy,
    loggingRolePolicy,
    loggingRoleTrustPolicy,
    monitoringKeyPolicy,
    MonitoringPlace,
    monitoringNames,
    monitoringPlace,
} from "./monitoringPolicies";

export interface InvocationMonitoringArgs {
    /** The stack's partition, region and account. */
    readonly location: AwsLocation;
    /** The Pulumi stack's name, part of every account-global name (dashboard, IAM). */
    readonly stack: string;
    /** The validated `monitoring` configuration. */
    readonly monitoring: MonitoringSpec;
    /** Model IDs as Bedrock reports them in metrics (profile IDs for cross-region calls), for the dashboard. */
    readonly modelIds: readonly string[];
    /**
     * The stack grants bedrock-mantle, whose calls never reach the invocation logs: chart and alarm on
     * its own metrics (`AWS/BedrockMantle`) too. If not provided, false.
     */
    readonly watchesMantle?: boolean;
    /** Tags for everything taggable, beside `bedrock-access:monitoring: invocations`, which is always set (the usage readers' key grant names it). */
    readonly tags?: Readonly<Record<string, string>>;
    /** The managed policy every role created here carries as its permissions boundary. If not provided, the role has none. */
    readonly permissionsBoundary?: string;
    /**
     * The gateways whose application inference profiles the stack creates: the usage readers may read those profiles
     * (`bedrock:GetInferenceProfile`, bound to their owner tag) to price them as their model. If not provided, none.
     */
    readonly applicationProfileOwners?: readonly string[];
}

/** A model ID as part of a Pulumi resource name: characters other than letters, digits, `-`, `_` and `.` become `-`. */
function resourceNamePart(text: string): string {
    return text.replace(/[^A-Za-z0-9._-]/g, "-");
}

/** What invocation monitoring consists of, created under a parent component. */
export interface InvocationMonitoringResources {
    readonly bucketName: pulumi.Output<string | undefined>;
    readonly logGroupName: pulumi.Output<string>;
    readonly topicArn: pulumi.Output<string>;
    readonly dashboardUrl: string;
    readonly modelsWithoutQuotaAlarm: readonly string[];
    readonly usageReaderPolicyArn: pulumi.Output<string>;
}

/**
 * Creates the monitoring under `host`: the one code path of this stack's monitoring and of the
 * package's `InvocationMonitoring`.
 */
export function declareInvocationMonitoring(host: pulumi.Resource, name: string, args: InvocationMonitoringArgs): InvocationMonitoringResources {
    const { location, monitoring } = args;
    const place = monitoringPlace(location, args.stack, monitoring);
    const names = monitoringNames(place);
    const tags = { ...args.tags, [MONITORING_TAG_KEY]: MONITORING_TAG_VALUE };
    const parent = { parent: host };
    // AWS Budgets publishes to the topic (through its key) only when the stack has budgets.
    const publishers = { budgets: monitoring.budgets.length > 0 };
    // What a destroy left behind, taken back by this `pulumi up` (`monitoring.adopt`).
    const adopt = (id: string | undefined) => (id === undefined ? {} : { import: id });

    const createdKey =
        monitoring.kmsKey.kind === "create"
            ? new kms.Key(
                  `${name}-key`,
                  { description: "Encrypts Bedrock invocation logs and alerts", enableKeyRotation: true, deletionWindowInDays: 30, policy: policyJson(monitoringKeyPolicy(place, publishers)), tags },
                  { parent: host, retainOnDelete: true, ...adopt(monitoring.adopt?.kmsKeyId) },
              )
            : undefined;
    const keyArn = createdKey ? createdKey.arn : monitoring.kmsKey.kind === "existing" ? pulumi.output(monitoring.kmsKey.arn) : undefined;

    const logging = place.ownsLogging ? createLogging(host, name, place, monitoring, keyArn, tags, args.permissionsBoundary) : undefined;

    const topic = new sns.Topic(`${name}-alerts`, { name: ALERT_TOPIC_NAME, ...(keyArn ? { kmsMasterKeyId: keyArn } : {}), tags }, parent);
    new sns.TopicPolicy(`${name}-alerts`, { arn: topic.arn, policy: policyJson(alertTopicPolicy(place, publishers)) }, parent);
    for (const email of monitoring.alertEmails) {
        const suffix = createHash("sha256").update(email).digest("hex").slice(0, 8);
        new sns.TopicSubscription(`${name}-alerts-${suffix}`, { topic: topic.arn, protocol: "email", endpoint: email }, parent);
    }

    const alarmActions = { alarmActions: [topic.arn], okActions: [topic.arn], treatMissingData: "notBreaching", tags };
    for (const alarm of alarmSpecs(monitoring.alarms, args.modelIds, args.watchesMantle ?? false)) {
        const dimensions = alarm.modelId ? { dimensions: { ModelId: alarm.modelId } } : {};
        const namespace = alarm.namespace ?? "AWS/Bedrock";
        const shape = alarm.metric
            ? { namespace, ...alarm.metric, ...dimensions }
            : {
                  metricQueries: [
                      { id: "result", expression: alarm.math!.expression, label: alarm.description, returnData: true },
                      ...Object.entries(alarm.math!.metrics).map(([id, metricName]) => ({
                          id,
                          returnData: false,
                          metric: { namespace, metricName, period: alarm.math!.period, stat: "Sum", ...dimensions },
                      })),
                  ],
              };
        new cloudwatch.MetricAlarm(
            `${name}-${resourceNamePart(alarm.name)}`,
            {
                name: `${ALARM_NAME_PREFIX}${alarm.name}`,
                alarmDescription: alarm.description,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                threshold: alarm.threshold,
                evaluationPeriods: alarm.evaluationPeriods,
                ...alarmActions,
                ...shape,
            },
            parent,
        );
    }

    const quotaPercent = monitoring.alarms.quotaUsagePercent;
    const quotas = quotaPercent === undefined ? [] : tokenQuotasOf(args.modelIds, monitoring.tokenQuotaCodes);
    for (const quota of quotas) {
        const serviceQuota = servicequotas.getServiceQuotaOutput({ serviceCode: BEDROCK_QUOTAS_SERVICE_CODE, quotaCode: quota.quotaCode }, parent);
        const alarm = quotaAlarmSpec(quota, quotaPercent!);
        new cloudwatch.MetricAlarm(
            `${name}-${resourceNamePart(alarm.name)}`,
            {
                name: `${ALARM_NAME_PREFIX}${alarm.name}`,
                alarmDescription: alarm.description,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                // The quota as Service Quotas answers at deploy time: a raised quota moves the alarm at the next `pulumi up`.
                threshold: serviceQuota.value.apply((tokensPerMinute) => Math.floor((tokensPerMinute * quotaPercent!) / 100)),
                evaluationPeriods: alarm.evaluationPeriods,
                ...alarmActions,
                namespace: "AWS/Bedrock",
                ...alarm.metric,
                dimensions: { ModelId: quota.modelId },
            },
            parent,
        );
    }
    // Models whose quota alarm the user switched off (`false`) are not missing one.
    const modelsWithoutQuotaAlarm =
        quotaPercent === undefined ? [] : args.modelIds.filter((modelId) => monitoring.tokenQuotaCodes[modelId] !== false && !quotas.some((quota) => quota.modelId === modelId));
    if (modelsWithoutQuotaAlarm.length > 0) {
        void pulumi.log.warn(
            `no tokens-per-minute quota known for ${modelsWithoutQuotaAlarm.join(", ")}: no quota alarm for ${modelsWithoutQuotaAlarm.length === 1 ? "it" : "them"} (name the quota code in monitoring.tokenQuotaCodes)`,
            host,
        );
    }

    const usageQueries = new InvocationUsageQueries(
        `${name}-usage`,
        {
            place,
            monitoring,
            dependsOn: logging ? [logging.logGroup, logging.bucket] : [],
            keyArn,
            tags,
            applicationProfileTags: args.applicationProfileOwners?.length ? { [OWNER_GATEWAY_TAG]: [...args.applicationProfileOwners] } : undefined,
            mantleMetrics: args.watchesMantle,
        },
        parent,
    );

    // Dashboards are global to the account: the name carries the region and the stack.
    new cloudwatch.Dashboard(
        `${name}-dashboard`,
        { dashboardName: names.dashboard, dashboardBody: dashboardBody({ region: location.region, modelIds: args.modelIds, topCallersRuleName: usageQueries.topCallersRuleName, watchesMantle: args.watchesMantle }) },
        parent,
    );

    return {
        bucketName: logging ? logging.bucket.bucket : pulumi.output(place.logBucket),
        logGroupName: logging ? logging.logGroup.name : pulumi.output(place.logGroupName),
        topicArn: topic.arn,
        usageReaderPolicyArn: usageQueries.readerPolicyArn,
        dashboardUrl: `https://${location.region}.console.aws.amazon.com/cloudwatch/home?region=${location.region}#dashboards:name=${names.dashboard}`,
        modelsWithoutQuotaAlarm,
    };
}

/**
 * The stack's own logging (`invocationLogging: create`): the bucket with its protections and
 * policy, the log group, the logging role, and the account's logging configuration, which
 * delivers exactly the content types `logContent` names.
 */
function createLogging(
    host: pulumi.Resource,
    name: string,
    place: MonitoringPlace,
    monitoring: MonitoringSpec,
    keyArn: pulumi.Input<string> | undefined,
    tags: Record<string, string>,
    permissionsBoundary: string | undefined,
) {
    const names = monitoringNames(place);
    const parent = { parent: host };
    // Logs are data: kept on `pulumi destroy` unless the user asks otherwise, with what protects them (public access
    // block, versioning, encryption, lifecycle, TLS-only policy), so that a kept bucket is never left open.
    const keepData = { parent: host, retainOnDelete: !monitoring.deleteLogsOnDestroy };
    const adopt = (id: string | undefined) => (id === undefined ? {} : { import: id });

    const bucket = new s3.Bucket(`${name}-logs`, { bucket: names.bucket, forceDestroy: monitoring.deleteLogsOnDestroy, tags }, { ...keepData, ...adopt(monitoring.adopt?.logBucket) });
    // `bucket.bucket` (the name, known at preview) rather than `bucket.id`: the same value, and the import commands can name it.
    new s3.BucketPublicAccessBlock(
        `${name}-logs`,
        { bucket: bucket.bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        keepData,
    );
    new s3.BucketVersioning(`${name}-logs`, { bucket: bucket.bucket, versioningConfiguration: { status: "Enabled" } }, keepData);
    new s3.BucketServerSideEncryptionConfiguration(
        `${name}-logs`,
        {
            bucket: bucket.bucket,
            rules: [
                {
                    applyServerSideEncryptionByDefault: keyArn ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn } : { sseAlgorithm: "AES256" },
                    bucketKeyEnabled: keyArn !== undefined,
                },
            ],
        },
        keepData,
    );
    new s3.BucketLifecycleConfiguration(
        `${name}-logs`,
        {
            bucket: bucket.bucket,
            rules: [
                {
                    id: "archive-invocation-logs",
                    status: "Enabled",
                    filter: {},
                    transitions: [{ days: monitoring.archiveDays, storageClass: "GLACIER" }],
                    noncurrentVersionTransitions: [{ noncurrentDays: monitoring.archiveDays, storageClass: "GLACIER" }],
                    ...(monitoring.expireDays !== undefined
                        ? { expiration: { days: monitoring.expireDays }, noncurrentVersionExpiration: { noncurrentDays: monitoring.expireDays } }
                        : {}),
                },
            ],
        },
        keepData,
    );
    const bucketPolicy = new s3.BucketPolicy(`${name}-logs`, { bucket: bucket.bucket, policy: policyJson(logBucketPolicy(place)) }, keepData);

    const logGroup = new cloudwatch.LogGroup(
        `${name}-logs`,
        { name: names.logGroupName, retentionInDays: monitoring.logRetentionDays, ...(keyArn ? { kmsKeyId: keyArn } : {}), tags },
        { ...keepData, ...adopt(monitoring.adopt?.logGroup) },
    );

    // IAM names are global to the account: the role's carries the region and the stack.
    const role = new iam.Role(
        `${name}-logging`,
        {
            name: names.loggingRole,
            description: "Assumed by Bedrock to deliver this account's model invocation logs",
            assumeRolePolicy: policyJson(loggingRoleTrustPolicy(place)),
            ...(permissionsBoundary ? { permissionsBoundary } : {}),
            tags,
        },
        parent,
    );
    const rolePolicy = new iam.RolePolicy(`${name}-logging`, { role: role.id, policy: policyJson(loggingRolePolicy(place)) }, parent);

    // Every delivery flag is set: the provider turns an absent one on.
    const content = monitoring.logContent;
    new bedrockmodel.InvocationLoggingConfiguration(
        `${name}-logging`,
        {
            loggingConfig: {
                cloudwatchConfig: { logGroupName: logGroup.name, roleArn: role.arn, largeDataDeliveryS3Config: { bucketName: bucket.bucket, keyPrefix: LARGE_DATA_PREFIX } },
                s3Config: { bucketName: bucket.bucket },
                textDataDeliveryEnabled: content.text,
                imageDataDeliveryEnabled: content.image,
                embeddingDataDeliveryEnabled: content.embedding,
                videoDataDeliveryEnabled: content.video,
            },
        },
        // One configuration per account and region: deleting it switches logging off for every caller, so it is kept like the logs.
        { parent: host, dependsOn: [bucketPolicy, rolePolicy], retainOnDelete: !monitoring.deleteLogsOnDestroy },
    );
    return { bucket, logGroup };
}

/**
 * Model invocation logging for the account and region, and what watches it. With
 * `invocationLogging: create`: a log bucket and log group that outlive `pulumi destroy` unless asked
 * otherwise, the logging role, and the logging configuration (kept on destroy too: deleting it
 * would switch logging off for the account). With `existing`: none of these, and everything below
 * watches the named log group (and bucket). Always: a dashboard, alarms and an encrypted alert topic.
 */
export class InvocationMonitoring extends pulumi.ComponentResource {
    /** The bucket of the log objects; undefined with `existing` and no `existingBucket`. */
    public readonly bucketName: pulumi.Output<string | undefined>;
    public readonly logGroupName: pulumi.Output<string>;
    public readonly topicArn: pulumi.Output<string>;
    public readonly dashboardUrl: string;
    /** Models watched without a quota alarm: no tokens-per-minute quota is known for them. */
    public readonly modelsWithoutQuotaAlarm: readonly string[];
    /** The managed policy to attach to whoever runs the usage report. */
    public readonly usageReaderPolicyArn: pulumi.Output<string>;

    constructor(name: string, args: InvocationMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bedrock-access:monitoring:InvocationMonitoring", name, {}, opts);
        const monitoring = declareInvocationMonitoring(this, name, args);
        this.bucketName = monitoring.bucketName;
        this.logGroupName = monitoring.logGroupName;
        this.topicArn = monitoring.topicArn;
        this.usageReaderPolicyArn = monitoring.usageReaderPolicyArn;
        this.dashboardUrl = monitoring.dashboardUrl;
        this.modelsWithoutQuotaAlarm = monitoring.modelsWithoutQuotaAlarm;
        this.registerOutputs({
            bucketName: this.bucketName,
            logGroupName: this.logGroupName,
            topicArn: this.topicArn,
            dashboardUrl: this.dashboardUrl,
            usageReaderPolicyArn: this.usageReaderPolicyArn,
            modelsWithoutQuotaAlarm: this.modelsWithoutQuotaAlarm,
        });
    }
}
