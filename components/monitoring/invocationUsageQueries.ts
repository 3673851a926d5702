import * as athena from "@pulumi/aws/athena";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as glue from "@pulumi/aws/glue";
import * as iam from "@pulumi/aws/iam";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { policyJson } from "../iam/iamDocument";
import { MonitoringSpec } from "./monitoringConfig";
import { MonitoringPlace } from "./monitoringPolicies";
import {
    ATHENA_DATABASE,
    ATHENA_RESULTS_DAYS,
    ATHENA_TABLE,
    ATHENA_WORKGROUP,
    DAY_PARTITION,
    INSIGHTS_QUERIES,
    INVOCATION_COLUMNS,
    TOP_CALLERS_RULE,
    USAGE_REPORTS,
    athenaNamedQuery,
    insightsQueryName,
    invocationTableLocation,
    invocationTableParameters,
    resultsBucketPolicy,
    topCallersRule,
    usageNames,
    usageReaderPolicy,
} from "./usageQueries";

export interface InvocationUsageQueriesArgs {
    /** The account, region and stack, and the log group and bucket the logs are in (the stack's own, or existing ones). */
    readonly place: MonitoringPlace;
    /** The validated `monitoring` configuration. */
    readonly monitoring: MonitoringSpec;
    /** The log group and bucket when the stack creates them: the rule and the table are created after them. */
    readonly dependsOn: readonly pulumi.Resource[];
    /** The key of the logs, which also encrypts Athena's results; undefined when the logs use S3's own keys. */
    readonly keyArn: pulumi.Input<string> | undefined;
    /** Tags for everything taggable. */
    readonly tags: Readonly<Record<string, string>>;
    /**
     * The tags the stack's application inference profiles carry (key -> values): the readers may then read
     * those profiles, to price them as their model. If not provided, the readers get no Bedrock action.
     */
    readonly applicationProfileTags?: Readonly<Record<string, readonly string[]>>;
    /** The stack grants bedrock-mantle: its readers may read the `AWS/BedrockMantle` metrics. If not provided, false. */
    readonly mantleMetrics?: boolean;
}

/**
 * Usage by caller on AWS's engines, where the logs are: saved Logs Insights queries, a
 * Contributor Insights rule (top callers by tokens), a Glue table over the log objects with
 * partition projection, an Athena workgroup with its own encrypted results bucket and saved queries,
 * and the managed policy whoever runs the usage report needs.
 */
export class InvocationUsageQueries extends pulumi.ComponentResource {
    /** The Contributor Insights rule's name, when there is one. */
    public readonly topCallersRuleName: string | undefined;
    public readonly readerPolicyArn: pulumi.Output<string>;

    constructor(name: string, args: InvocationUsageQueriesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bedrock-access:monitoring:InvocationUsageQueries", name, {}, opts);
        const { place: location, monitoring, tags } = args;
        const names = usageNames(location);
        // The Athena table reads the log bucket: none without one (`existing` without `existingBucket`).
        const athenaTables = monitoring.athena && location.logBucket !== undefined;
        const parent = { parent: this };

        for (const report of USAGE_REPORTS) {
            new cloudwatch.QueryDefinition(
                `${name}-${report}`,
                { name: insightsQueryName(report), logGroupNames: [location.logGroupName], queryString: INSIGHTS_QUERIES[report] },
                { parent: this, dependsOn: [...args.dependsOn] },
            );
        }
        this.topCallersRuleName = monitoring.contributorInsights ? TOP_CALLERS_RULE : undefined;
        if (monitoring.contributorInsights) {
            new cloudwatch.ContributorInsightRule(
                `${name}-top-callers`,
                { ruleName: TOP_CALLERS_RULE, ruleState: "ENABLED", ruleDefinition: topCallersRule(location.logGroupName), tags },
                { parent: this, dependsOn: [...args.dependsOn] },
            );
        }

        if (athenaTables) {
            // Query results are derived data, kept like the logs (with their protections) unless the user asks otherwise, and expire on their own.
            const keepData = { parent: this, retainOnDelete: !monitoring.deleteLogsOnDestroy };
            const adopted = monitoring.adopt?.resultsBucket;
            const results = new s3.Bucket(
                `${name}-results`,
                { bucket: names.resultsBucket, forceDestroy: monitoring.deleteLogsOnDestroy, tags },
                { ...keepData, ...(adopted === undefined ? {} : { import: adopted }) },
            );
            new s3.BucketPublicAccessBlock(
                `${name}-results`,
                { bucket: results.bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
                keepData,
            );
            const encryption = args.keyArn ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.keyArn } : { sseAlgorithm: "AES256" };
            new s3.BucketServerSideEncryptionConfiguration(
                `${name}-results`,
                { bucket: results.bucket, rules: [{ applyServerSideEncryptionByDefault: encryption, bucketKeyEnabled: args.keyArn !== undefined }] },
                keepData,
            );
            new s3.BucketLifecycleConfiguration(
                `${name}-results`,
                {
                    bucket: results.bucket,
                    rules: [{ id: "expire-query-results", status: "Enabled", filter: {}, expiration: { days: ATHENA_RESULTS_DAYS }, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } }],
                },
                keepData,
            );
            new s3.BucketPolicy(`${name}-results`, { bucket: results.bucket, policy: policyJson(resultsBucketPolicy(location)) }, keepData);

            const database = new glue.CatalogDatabase(`${name}-logs`, { name: ATHENA_DATABASE, description: "Amazon Bedrock model invocation logs of this account and region" }, parent);
            new glue.CatalogTable(
                `${name}-invocations`,
                {
                    name: ATHENA_TABLE,
                    databaseName: ATHENA_DATABASE,
                    description: "One row per model invocation log record; partitions projected from the day in the object key",
                    tableType: "EXTERNAL_TABLE",
                    parameters: invocationTableParameters(location),
                    partitionKeys: [DAY_PARTITION],
                    storageDescriptor: {
                        location: invocationTableLocation(location),
                        inputFormat: "org.apache.hadoop.mapred.TextInputFormat",
                        outputFormat: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                        serDeInfo: { serializationLibrary: "org.openx.data.jsonserde.JsonSerDe", parameters: { "ignore.malformed.json": "true" } },
                        columns: [...INVOCATION_COLUMNS],
                    },
                },
                { parent: this, dependsOn: [database, ...args.dependsOn] },
            );
            const workgroup = new athena.Workgroup(
                `${name}-workgroup`,
                {
                    name: ATHENA_WORKGROUP,
                    description: "Usage reports over the Bedrock invocation logs",
                    // Query history is metadata: it must not stop `pulumi destroy`. Results stay in their bucket.
                    forceDestroy: true,
                    configuration: {
                        enforceWorkgroupConfiguration: true,
                        publishCloudwatchMetricsEnabled: true,
                        resultConfiguration: {
                            // The bucket's fixed name: known at preview.
                            outputLocation: `s3://${names.resultsBucket}/`,
                            encryptionConfiguration: args.keyArn ? { encryptionOption: "SSE_KMS", kmsKeyArn: args.keyArn } : { encryptionOption: "SSE_S3" },
                        },
                    },
                    tags,
                },
                { parent: this, dependsOn: [results] },
            );
            for (const report of USAGE_REPORTS) {
                new athena.NamedQuery(
                    `${name}-${report}`,
                    { name: `bedrock-tokens-${report}`, description: `Bedrock tokens ${report.replace("-", " ")}, last 30 days`, database: ATHENA_DATABASE, workgroup: ATHENA_WORKGROUP, query: athenaNamedQuery(report) },
                    // Named by their constant names (known at preview, so the deployer's policy can name them); created after them.
                    { parent: this, dependsOn: [database, workgroup] },
                );
            }
        }

        const readerPolicy = new iam.Policy(
            `${name}-reader`,
            {
                name: names.readerPolicy,
                description: "What npm run usage-report needs: Logs Insights, the log objects, the Athena workgroup and table, prices",
                policy: policyJson(usageReaderPolicy({ location, athena: athenaTables, kmsKey: monitoring.kmsKey, applicationProfileTags: args.applicationProfileTags, mantleMetrics: args.mantleMetrics })),
                tags,
            },
            parent,
        );
        this.readerPolicyArn = readerPolicy.arn;
        this.registerOutputs({ readerPolicyArn: this.readerPolicyArn });
    }
}
