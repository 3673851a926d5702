/**
 * Invocation monitoring under mocks: every resource and its keep-on-destroy options, the exact
 * documents, the alarms, the pack's verdict, and the bucket policy and logging role simulated.
 */
import * as assert from "assert";
import { PolicyDocument } from "../../components/iam/iamDocument";
import { plainValue } from "../../offline/engine/mockEngine";
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
    /** The one resource of the type (the log bucket's, where the Athena results bucket has one too). */
    const one = (type: string, name?: string) => {
        const resources = run.engine.ofType(type).filter((resource) => name === undefined || resource.name === name);
        const ofLogs = resources.length > 1 ? resources.filter((resource) => resource.name === "bedrock-monitoring-logs") : resources;
        assert.strictEqual(ofLogs.length, 1, type);
        return ofLogs[0];
    };
    const documentOf = (type: string, property = "policy", name?: string) => JSON.parse(plainValue(one(type, name).properties[property]) as string) as PolicyDocument;
    const loggingRole = () => run.engine.ofType("aws:iam/role:Role").find((role) => role.name === "bedrock-monitoring-logging")!;
    let quotaLookups: { serviceCode: unknown; quotaCode: unknown }[];
    before(async () => {
        run = await runProgram({ gateways, monitoring });
        quotaLookups = (await mockEngine()).invokeCalls.filter((call) => call.token === "aws:servicequotas/getServiceQuota:getServiceQuota").map((call) => ({ serviceCode: call.inputs.serviceCode, quotaCode: call.inputs.quotaCode }));
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
        // What protects the kept data is kept with it: destroy never leaves an open or unencrypted bucket.
        for (const type of [
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "aws:s3/bucketVersioning:BucketVersioning",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "aws:s3/bucketPolicy:BucketPolicy",
        ]) {
            const kept = run.engine.ofType(type);
            assert.ok(kept.length >= 1 && kept.every((resource) => resource.retainOnDelete), type);
        }
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
        // IAM names are global to the account: the region and the stack ("test").
        assert.strictEqual(role.properties.name, `bedrock-invocation-logging-${REGION}-test`);
        assert.deepStrictEqual(JSON.parse(role.properties.assumeRolePolicy as string).Statement[0].Principal, { Service: "bedrock.amazonaws.com" });
        const policy = JSON.parse(run.engine.ofType("aws:iam/rolePolicy:RolePolicy").find((candidate) => candidate.name === "bedrock-monitoring-logging")!.properties.policy as string) as PolicyDocument;
        assert.deepStrictEqual(policy.Statement, [
            { Sid: "WriteInvocationLogEvents", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/aws/bedrock/modelinvocations:log-stream:*` },
            { Sid: "WriteLargePayloads", Effect: "Allow", Action: "s3:PutObject", Resource: `arn:aws:s3:::${BUCKET}/large-data/*` },
        ]);
    });

    it("configures invocation logging to both destinations, delivering text only by default, every flag set", () => {
        const config = plainValue(one("aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration").properties.loggingConfig) as Record<string, unknown>;
        assert.strictEqual(config.textDataDeliveryEnabled, true);
        assert.strictEqual(config.imageDataDeliveryEnabled, false);
        assert.strictEqual(config.embeddingDataDeliveryEnabled, false);
        assert.strictEqual(config.videoDataDeliveryEnabled, false);
        assert.deepStrictEqual((config.cloudwatchConfig as Record<string, unknown>).logGroupName, "/aws/bedrock/modelinvocations");
    });

    it("alarms on what is configured, always on failed log delivery, and on each model's errors, throttles and latency", () => {
        const alarms = run.engine.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((alarm) => !String(alarm.properties.name).startsWith("bedrock-quota-usage-"));
        const perModel = (modelId: string) => [
            [`bedrock-latency-p90-${modelId}`, 10000],
            [`bedrock-server-errors-${modelId}`, 5],
            [`bedrock-throttle-rate-${modelId}`, 5],
        ];
        assert.deepStrictEqual(alarms.map((alarm) => [alarm.properties.name, alarm.properties.threshold]).sort(), [
            ["bedrock-daily-tokens", 1000000],
            ["bedrock-latency-p90", 10000],
            ...perModel("anthropic.claude-sonnet-4-20250514-v1:0"),
            ...perModel("eu.amazon.nova-pro-v1:0"),
            ["bedrock-log-delivery-failures", 1],
            ["bedrock-server-errors", 5],
            ["bedrock-throttle-rate", 5],
        ].sort());
        for (const alarm of run.engine.ofType("aws:cloudwatch/metricAlarm:MetricAlarm")) {
            assert.strictEqual((alarm.properties.alarmActions as unknown[]).length, 1, "notifies the alert topic");
        }
        const named = (name: string) => run.engine.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").find((alarm) => alarm.properties.name === name)!;
        assert.match(JSON.stringify(named("bedrock-throttle-rate").properties.metricQueries), /IF\(invocations > 0, 100 \* throttles \/ invocations, 0\)/);
        assert.strictEqual(named("bedrock-server-errors").properties.dimensions, undefined, "account-wide");
        assert.deepStrictEqual(named("bedrock-server-errors-eu.amazon.nova-pro-v1:0").properties.dimensions, { ModelId: "eu.amazon.nova-pro-v1:0" });
        const modelThrottles = named("bedrock-throttle-rate-eu.amazon.nova-pro-v1:0").properties.metricQueries as { metric?: { dimensions?: unknown } }[];
        assert.deepStrictEqual(modelThrottles.filter((query) => query.metric).map((query) => query.metric!.dimensions), [{ ModelId: "eu.amazon.nova-pro-v1:0" }, { ModelId: "eu.amazon.nova-pro-v1:0" }]);
        assert.match(JSON.stringify(named("bedrock-log-delivery-failures").properties.metricQueries), /ModelInvocationLargeDataS3DeliveryFailure/);
    });

    it("alarms at 80% of each model's tokens-per-minute quota, read from Service Quotas at deploy time", () => {
        const quotaAlarms = run.engine.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((alarm) => String(alarm.properties.name).startsWith("bedrock-quota-usage-"));
        // Nova Pro through the EU profile: the cross-region quota, 2,000,000 tokens a minute in the fixture. Sonnet 4 has no on-demand quota known.
        assert.deepStrictEqual(
            quotaAlarms.map((alarm) => [alarm.properties.name, alarm.properties.threshold, alarm.properties.metricName, alarm.properties.statistic, alarm.properties.period, alarm.properties.dimensions]),
            [["bedrock-quota-usage-eu.amazon.nova-pro-v1:0", 1600000, "EstimatedTPMQuotaUsage", "Sum", 60, { ModelId: "eu.amazon.nova-pro-v1:0" }]],
        );
        assert.deepStrictEqual(quotaLookups, [{ serviceCode: "bedrock", quotaCode: "L-C0326783" }]);
    });

    it("follows the configured quota codes, switches one model's quota alarm off, and warns of models without one", async () => {
        const warnings: string[] = [];
        const consoleWarn = console.warn;
        console.warn = (text: string) => void warnings.push(text);
        let configured: Awaited<ReturnType<typeof runProgram>>;
        try {
            configured = await runProgram({
                gateways: [{ ...gateways[0], models: ["anthropic.claude-sonnet-4-20250514-v1:0", "eu.amazon.nova-pro-v1:0", "amazon.nova-lite-v1:0", "cohere.command-r-plus-v1:0"] }],
                monitoring: { alarms: { quotaUsagePercent: 50 }, tokenQuotaCodes: { "anthropic.claude-sonnet-4-20250514-v1:0": "L-59759B4A", "eu.amazon.nova-pro-v1:0": false } },
            });
        } finally {
            console.warn = consoleWarn;
        }
        const quotaAlarms = configured.engine.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((alarm) => String(alarm.properties.name).startsWith("bedrock-quota-usage-"));
        assert.deepStrictEqual(quotaAlarms.map((alarm) => [alarm.properties.name, alarm.properties.threshold]), [
            ["bedrock-quota-usage-amazon.nova-lite-v1:0", 200000],
            ["bedrock-quota-usage-anthropic.claude-sonnet-4-20250514-v1:0", 1000000],
        ]);
        assert.deepStrictEqual(warnings, [
            "warning: [runtime] no tokens-per-minute quota known for cohere.command-r-plus-v1:0: no quota alarm for it (name the quota code in monitoring.tokenQuotaCodes)",
        ]);
    });

    it("keeps only the account-wide alarms with perModel off, and no quota alarm with quotaUsagePercent off; N models cost 3N + quota alarms", async () => {
        const { engine } = await runProgram({ gateways, monitoring: { alarms: { perModel: false, quotaUsagePercent: false } } });
        assert.deepStrictEqual(engine.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((alarm) => alarm.properties.name).sort(), [
            "bedrock-client-errors",
            "bedrock-daily-tokens",
            "bedrock-latency-p90",
            "bedrock-log-delivery-failures",
            "bedrock-server-errors",
            "bedrock-throttle-rate",
        ]);
        const models = Array.from({ length: 12 }, (_, index) => `amazon.nova-pro-v${index}:0`);
        const many = await runProgram({ gateways: [{ ...gateways[0], models }], monitoring: {} });
        // 6 account-wide (defaults), 3 per model, and a quota alarm for each model the table knows (Nova Pro on demand).
        assert.strictEqual(many.engine.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").length, 6 + 3 * 12 + 12);
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

    it("charts every configured model and the total, time to first token, quota usage, log delivery and the top callers", () => {
        type Widget = { properties: { title: string; metrics?: unknown[]; insightRule?: unknown } };
        const body = JSON.parse(one("aws:cloudwatch/dashboard:Dashboard").properties.dashboardBody as string) as { widgets: Widget[] };
        const widget = (title: string) => body.widgets.find((candidate) => candidate.properties.title === title)!;
        assert.deepStrictEqual(widget("Invocations").properties.metrics!.slice(1), [
            ["AWS/Bedrock", "Invocations", "ModelId", "anthropic.claude-sonnet-4-20250514-v1:0", { stat: "Sum" }],
            ["AWS/Bedrock", "Invocations", "ModelId", "eu.amazon.nova-pro-v1:0", { stat: "Sum" }],
        ]);
        assert.match(JSON.stringify(widget("Invocations").properties.metrics![0]), /SEARCH/);
        assert.deepStrictEqual(widget("Time to first token p90 (ms)").properties.metrics![1], ["AWS/Bedrock", "TimeToFirstToken", "ModelId", "eu.amazon.nova-pro-v1:0", { stat: "p90" }]);
        assert.deepStrictEqual(widget("Tokens-per-minute quota usage (estimated tokens per minute)").properties.metrics![0], [
            "AWS/Bedrock",
            "EstimatedTPMQuotaUsage",
            "ModelId",
            "anthropic.claude-sonnet-4-20250514-v1:0",
            { stat: "Sum", period: 60 },
        ]);
        assert.deepStrictEqual(
            (widget("Log delivery").properties.metrics as string[][]).map((metric) => metric[1]).filter((name) => name.includes("LargeData")),
            ["ModelInvocationLargeDataS3DeliverySuccess", "ModelInvocationLargeDataS3DeliveryFailure"],
        );
        assert.deepStrictEqual(widget("Top callers by tokens (Contributor Insights)").properties.insightRule, { maxContributorCount: 10, orderBy: "Sum", ruleName: "bedrock-top-callers-by-tokens" });
        assert.deepStrictEqual(body.widgets.map((candidate) => candidate.properties.title), [
            "Invocations",
            "Latency p90 (ms)",
            "Client errors",
            "Server errors",
            "Throttles",
            "Input tokens",
            "Output tokens",
            "Time to first token p90 (ms)",
            "Tokens-per-minute quota usage (estimated tokens per minute)",
            "Log delivery",
            "Top callers by tokens (Contributor Insights)",
        ]);
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
        await assert.rejects(runProgram({ monitoring: { alarms: { quotaUsagePercent: 150 }, tokenQuotaCodes: { "amazon.nova-pro-v1:0": "Q-123" } } }), (error: Error) => {
            assert.match(error.message, /monitoring\.alarms\.quotaUsagePercent = 150: must be a percent above 0 and at most 100, or false/);
            assert.match(error.message, /monitoring\.tokenQuotaCodes\.amazon\.nova-pro-v1:0 = "Q-123": must be a Service Quotas code such as L-1A2B3C4D, or false/);
            return true;
        });
        // A code for a model the stack does not watch: a typo in the model ID, never silently unused.
        await assert.rejects(runProgram({ gateways, monitoring: { tokenQuotaCodes: { "eu.amazon.nova-pro-v1:O": "L-C0326783" } } }), (error: Error) => {
            assert.match(error.message, /monitoring\.tokenQuotaCodes\.eu\.amazon\.nova-pro-v1:O = "L-C0326783": names no model this stack watches: use a model or profile ID as the gateways and service roles list it \(anthropic\.claude-sonnet-4-20250514-v1:0, eu\.amazon\.nova-pro-v1:0\)/);
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
                    resource: `arn:aws:iam::${ACCOUNT_ID}:role/bedrock-invocation-logging-${REGION}-test`,
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
