/**
 * Invocation monitoring under mocks: every resource and its keep-on-destroy options, the exact
 * documents, the alarms, the pack's verdict, and the bucket policy and logging role simulated.
 */
import * as assert from "assert";
import { PolicyDocument } from "../../components/iam/iamDocument";
import { plainValue } from "../../offline/mockEngine";
import { assertPackFindsNothing } from "../assertions";
import { ACCOUNT_ID, REGION, mockEngine, runProgram } from "../harness";
import { anonymousPrincipal } from "@cloud-copilot/iam-simulate";
import { decide } from "../simulate";

const OTHER_ACCOUNT = "999999999999";
const BUCKET = `bedrock-invocation-logs-${ACCOUNT_ID}-${REGION}`;
const LOG_PREFIX = `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT_ID}/BedrockModelInvocationLogs`;
const monitoring = { alertEmails: ["oncall@example.com", "ops@example.com"], alarms: { clientErrors: false, dailyTokens: 1000000 } };
const gateways = [{ name: "portkey", trustedPrincipals: ["arn:aws:iam::111111111111:role/p"], externalId: "portkey-1", models: ["anthropic.claude-sonnet-4-20250514-v1:0", "eu.amazon.nova-pro-v1:0"] }];

describe("invocation monitoring under mocks", () => {
    let run: Awaited<ReturnType<typeof runProgram>>;
    const one = (type: string) => {
        const resources = run.engine.ofType(type);
        assert.strictEqual(resources.length, 1, type);
        return resources[0];
    };
    const documentOf = (type: string, property = "policy") => JSON.parse(plainValue(one(type).properties[property]) as string) as PolicyDocument;
    const loggingRole = () => run.engine.ofType("aws:iam/role:Role").find((role) => role.name === "bedrock-monitoring-logging")!;
    before(async () => {
        run = await runProgram({ gateways, monitoring });
    });

    it("keeps the log bucket and the log group on destroy, and never force-destroys the bucket", () => {
        const bucket = one("aws:s3/bucket:Bucket");
        assert.strictEqual(bucket.retainOnDelete, true);
        assert.strictEqual(bucket.properties.forceDestroy, false);
        assert.strictEqual(bucket.properties.bucket, BUCKET);
        const logGroup = one("aws:cloudwatch/logGroup:LogGroup");
        assert.strictEqual(logGroup.retainOnDelete, true);
        assert.strictEqual(logGroup.properties.name, "/aws/bedrock/modelinvocations");
        assert.strictEqual(logGroup.properties.retentionInDays, 30);
        assert.strictEqual(one("aws:kms/key:Key").retainOnDelete, true);
    });

    it("deletes them only when asked", async () => {
        const { engine } = await runProgram({ monitoring: { deleteLogsOnDestroy: true, kmsKey: "none" } });
        const [bucket] = engine.ofType("aws:s3/bucket:Bucket");
        assert.strictEqual(bucket.retainOnDelete, false);
        assert.strictEqual(bucket.properties.forceDestroy, true);
        assert.strictEqual(engine.ofType("aws:kms/key:Key").length, 0);
    });

    it("blocks public access, versions, encrypts with the key, and archives the bucket", () => {
        assert.deepStrictEqual(
            ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].map((flag) => one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").properties[flag]),
            [true, true, true, true],
        );
        assert.deepStrictEqual(one("aws:s3/bucketVersioning:BucketVersioning").properties.versioningConfiguration, { status: "Enabled" });
        const encryption = one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").properties.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[];
        assert.strictEqual(encryption[0].applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
        const rules = one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").properties.rules as { transitions: unknown }[];
        assert.deepStrictEqual(rules[0].transitions, [{ days: 90, storageClass: "GLACIER" }]);
    });

    it("writes the exact bucket policy: TLS only, Bedrock from this account and region under its prefix", () => {
        assert.deepStrictEqual(documentOf("aws:s3/bucketPolicy:BucketPolicy").Statement, [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            {
                Sid: "BedrockWritesInvocationLogs",
                Effect: "Allow",
                Principal: { Service: "bedrock.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${LOG_PREFIX}/*`,
                Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:*` } },
            },
        ]);
    });

    it("lets the logging role write only log events of the invocation log group and large payloads", () => {
        const role = loggingRole();
        assert.strictEqual(role.properties.name, `bedrock-invocation-logging-${REGION}`);
        assert.deepStrictEqual(JSON.parse(role.properties.assumeRolePolicy as string).Statement[0].Principal, { Service: "bedrock.amazonaws.com" });
        const policy = JSON.parse(run.engine.ofType("aws:iam/rolePolicy:RolePolicy").find((candidate) => candidate.name === "bedrock-monitoring-logging")!.properties.policy as string) as PolicyDocument;
        assert.deepStrictEqual(policy.Statement, [
            { Sid: "WriteInvocationLogEvents", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/aws/bedrock/modelinvocations:log-stream:*` },
            { Sid: "WriteLargePayloads", Effect: "Allow", Action: "s3:PutObject", Resource: `arn:aws:s3:::${BUCKET}/large-data/*` },
        ]);
    });

    it("configures invocation logging to both destinations, for text, images and embeddings", () => {
        const config = plainValue(one("aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration").properties.loggingConfig) as Record<string, unknown>;
        assert.strictEqual(config.textDataDeliveryEnabled, true);
        assert.strictEqual(config.imageDataDeliveryEnabled, true);
        assert.strictEqual(config.embeddingDataDeliveryEnabled, true);
        assert.deepStrictEqual((config.cloudwatchConfig as Record<string, unknown>).logGroupName, "/aws/bedrock/modelinvocations");
    });

    it("alarms on what is configured, always on failed log delivery, and notifies the topic", () => {
        const alarms = run.engine.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((alarm) => [alarm.properties.name, alarm.properties.threshold]);
        assert.deepStrictEqual(alarms.sort(), [
            ["bedrock-daily-tokens", 1000000],
            ["bedrock-latency-p90", 10000],
            ["bedrock-log-delivery-failures", 1],
            ["bedrock-server-errors", 5],
            ["bedrock-throttle-rate", 5],
        ]);
        for (const alarm of run.engine.ofType("aws:cloudwatch/metricAlarm:MetricAlarm")) {
            assert.strictEqual((alarm.properties.alarmActions as unknown[]).length, 1, "notifies the alert topic");
        }
        const throttle = run.engine.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").find((alarm) => alarm.properties.name === "bedrock-throttle-rate")!;
        assert.match(JSON.stringify(throttle.properties.metricQueries), /IF\(invocations > 0, 100 \* throttles \/ invocations, 0\)/);
    });

    it("encrypts the topic, lets only this account's CloudWatch alarms publish, and subscribes each email", () => {
        assert.strictEqual(one("aws:sns/topic:Topic").properties.name, "bedrock-invocation-alerts");
        // The created key's ARN: unknown until it exists, but set.
        assert.notStrictEqual(one("aws:sns/topic:Topic").properties.kmsMasterKeyId, undefined);
        assert.notStrictEqual(one("aws:cloudwatch/logGroup:LogGroup").properties.kmsKeyId, undefined);
        assert.deepStrictEqual(documentOf("aws:sns/topicPolicy:TopicPolicy").Statement[0].Condition, {
            StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
            ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${REGION}:${ACCOUNT_ID}:alarm:*` },
        });
        assert.deepStrictEqual(
            run.engine.ofType("aws:sns/topicSubscription:TopicSubscription").map((subscription) => [subscription.properties.protocol, subscription.properties.endpoint]),
            [["email", "oncall@example.com"], ["email", "ops@example.com"]],
        );
    });

    it("charts every configured model and the total on the dashboard", () => {
        const body = JSON.parse(one("aws:cloudwatch/dashboard:Dashboard").properties.dashboardBody as string) as { widgets: { properties: { title: string; metrics: unknown[] } }[] };
        const invocations = body.widgets.find((widget) => widget.properties.title === "Invocations")!;
        assert.deepStrictEqual(invocations.properties.metrics.slice(1), [
            ["AWS/Bedrock", "Invocations", "ModelId", "anthropic.claude-sonnet-4-20250514-v1:0", { stat: "Sum" }],
            ["AWS/Bedrock", "Invocations", "ModelId", "eu.amazon.nova-pro-v1:0", { stat: "Sum" }],
        ]);
        assert.match(JSON.stringify(invocations.properties.metrics[0]), /SEARCH/);
        assert.deepStrictEqual(body.widgets.map((widget) => widget.properties.title), ["Invocations", "Latency p90 (ms)", "Client errors", "Server errors", "Throttles", "Input tokens", "Output tokens", "Log delivery"]);
    });

    it("passes the policy pack", async () => assertPackFindsNothing(run.engine.resources));

    it("rejects bad monitoring settings before registering anything", async () => {
        await assert.rejects(runProgram({ monitoring: { logRetentionDays: 31, alertEmails: ["oncall"], alarms: { serverErrors: 0, latency: 5 } } }), (error: Error) => {
            assert.match(error.message, /monitoring\.logRetentionDays = 31: must be one of the values CloudWatch Logs accepts/);
            assert.match(error.message, /monitoring\.alertEmails\[0\] = "oncall": must be an email address/);
            assert.match(error.message, /monitoring\.alarms\.serverErrors = 0: must be a positive number, or false/);
            assert.match(error.message, /monitoring\.alarms\.latency = 5: unknown key/);
            return true;
        });
        assert.deepStrictEqual((await mockEngine()).resources, []);
    });

    describe("simulated", () => {
        const write = (principal: string, resource: string, context: Record<string, string>) =>
            decide({ action: "s3:PutObject", principal, resource, resourceAccount: ACCOUNT_ID, resourcePolicy: documentOf("aws:s3/bucketPolicy:BucketPolicy"), context });
        const fromHere = { "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:model-invocation-logging`, "aws:SecureTransport": "true" };

        it("lets Bedrock from this account write under the prefix, and nowhere else", async () => {
            assert.strictEqual(await write("bedrock.amazonaws.com", `${LOG_PREFIX}/${REGION}/2026/11/23/10/log.json.gz`, fromHere), "Allowed");
            assert.notStrictEqual(await write("bedrock.amazonaws.com", `arn:aws:s3:::${BUCKET}/elsewhere/log.json.gz`, fromHere), "Allowed");
            assert.notStrictEqual(
                await write("bedrock.amazonaws.com", `${LOG_PREFIX}/x.json.gz`, { ...fromHere, "aws:SourceAccount": OTHER_ACCOUNT, "aws:SourceArn": `arn:aws:bedrock:${REGION}:${OTHER_ACCOUNT}:x` }),
                "Allowed",
            );
        });

        it("denies reading over plain HTTP, even with identity permissions, and the public", async () => {
            const reader: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "Read", Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` }] };
            const read = (principal: string | typeof anonymousPrincipal, secure: string, identityPolicies: PolicyDocument[] = []) =>
                decide({
                    action: "s3:GetObject",
                    principal,
                    resource: `${LOG_PREFIX}/x.json.gz`,
                    resourceAccount: ACCOUNT_ID,
                    resourcePolicy: documentOf("aws:s3/bucketPolicy:BucketPolicy"),
                    identityPolicies,
                    context: { "aws:SecureTransport": secure },
                });
            assert.strictEqual(await read(`arn:aws:iam::${ACCOUNT_ID}:role/analyst`, "true", [reader]), "Allowed");
            assert.strictEqual(await read(`arn:aws:iam::${ACCOUNT_ID}:role/analyst`, "false", [reader]), "ExplicitlyDenied");
            assert.notStrictEqual(await read(`arn:aws:iam::${OTHER_ACCOUNT}:role/outsider`, "true"), "Allowed");
            assert.notStrictEqual(await read(anonymousPrincipal, "true"), "Allowed", "the public");
        });

        it("lets Bedrock assume the logging role only from this account and region", async () => {
            const trust = JSON.parse(loggingRole().properties.assumeRolePolicy as string) as PolicyDocument;
            const assume = (account: string, region: string) =>
                decide({
                    action: "sts:AssumeRole",
                    principal: "bedrock.amazonaws.com",
                    resource: `arn:aws:iam::${ACCOUNT_ID}:role/bedrock-invocation-logging-${REGION}`,
                    resourceAccount: ACCOUNT_ID,
                    resourcePolicy: trust,
                    context: { "aws:SourceAccount": account, "aws:SourceArn": `arn:aws:bedrock:${region}:${account}:model-invocation-logging` },
                });
            assert.strictEqual(await assume(ACCOUNT_ID, REGION), "Allowed");
            assert.notStrictEqual(await assume(OTHER_ACCOUNT, REGION), "Allowed");
            assert.notStrictEqual(await assume(ACCOUNT_ID, "us-east-1"), "Allowed");
        });
    });
});
