/**
 * Usage on AWS's engines under mocks: the saved Logs Insights queries, the Contributor Insights
 * rule, the Glue table (its projection checked against the S3 key layout the logs are written
 * under), the Athena workgroup, its results bucket and saved queries, and the usage readers'
 * policy: the exact document, simulated, and judged by the pack.
 */
import * as assert from "assert";
import { PolicyDocument } from "../../components/iam/iamDocument";
import { INSIGHTS_QUERIES, S3_ENCRYPTION_CONTEXT_KEY, usageReaderPolicy } from "../../components/monitoring/usageQueries";
import { RegisteredResource, plainValue } from "../../offline/engine/mockEngine";
import { dailyPrefixes } from "../../report/sources";
import { assertPackFindsNothing } from "../assertions";
import { ACCOUNT_ID, REGION, runProgram } from "../harness";
import { decide } from "../simulate";

const LOG_BUCKET = `bedrock-invocation-logs-${ACCOUNT_ID}-${REGION}`;
const RESULTS_BUCKET = `bedrock-usage-results-${ACCOUNT_ID}-${REGION}`;
const LOG_GROUP_ARN = `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/aws/bedrock/modelinvocations`;
const READER_LOCATION = { partition: "aws", accountId: ACCOUNT_ID, region: REGION, stack: "test", ownsLogging: true, logGroupName: "/aws/bedrock/modelinvocations", logBucket: LOG_BUCKET };
const gateways = [{ name: "portkey", trustedPrincipals: ["arn:aws:iam::111111111111:role/p"], externalId: "portkey-1", models: ["eu.amazon.nova-pro-v1:0"] }];

describe("usage queries on AWS's engines, under mocks", () => {
    let resources: readonly RegisteredResource[];
    const ofType = (type: string) => resources.filter((resource) => resource.type === type);
    const props = (type: string, name?: string) => {
        const found = ofType(type).filter((resource) => name === undefined || resource.name === name);
        assert.strictEqual(found.length, 1, `${type} ${name ?? ""}`);
        return plainValue(found[0].properties) as Record<string, unknown>;
    };
    const readerPolicy = () => JSON.parse(props("aws:iam/policy:Policy", "bedrock-monitoring-usage-reader").policy as string) as PolicyDocument;
    before(async () => {
        resources = (await runProgram({ gateways, monitoring: {} })).engine.resources;
    });

    it("saves the three Logs Insights queries on the invocation log group", () => {
        assert.deepStrictEqual(
            ofType("aws:cloudwatch/queryDefinition:QueryDefinition").map((resource) => [resource.properties.name, resource.properties.logGroupNames, resource.properties.queryString]),
            [
                ["bedrock/tokens-by-model", ["/aws/bedrock/modelinvocations"], INSIGHTS_QUERIES["by-model"]],
                ["bedrock/tokens-by-caller", ["/aws/bedrock/modelinvocations"], INSIGHTS_QUERIES["by-caller"]],
                ["bedrock/tokens-by-day", ["/aws/bedrock/modelinvocations"], INSIGHTS_QUERIES["by-day"]],
            ],
        );
        assert.match(INSIGHTS_QUERIES["by-caller"], /sum\(input\.cacheReadInputTokenCount\) as cacheReadInputTokens/);
        assert.match(INSIGHTS_QUERIES["by-caller"], /by identity\.arn, modelId/);
    });

    it("ranks callers by input tokens with a Contributor Insights rule on the log group", () => {
        const rule = props("aws:cloudwatch/contributorInsightRule:ContributorInsightRule");
        assert.strictEqual(rule.ruleName, "bedrock-top-callers-by-tokens");
        assert.strictEqual(rule.ruleState, "ENABLED");
        assert.deepStrictEqual(JSON.parse(rule.ruleDefinition as string), {
            Schema: { Name: "CloudWatchLogRule", Version: 1 },
            LogGroupNames: ["/aws/bedrock/modelinvocations"],
            LogFormat: "JSON",
            Contribution: { Keys: ["$.identity.arn"], ValueOf: "$.input.inputTokenCount", Filters: [{ Match: "$.schemaType", In: ["ModelInvocationLog"] }] },
            AggregateOn: "Sum",
        });
    });

    it("defines the table over the log objects, projecting each day's partition onto the documented key layout", () => {
        const table = props("aws:glue/catalogTable:CatalogTable");
        assert.deepStrictEqual([table.name, table.databaseName, table.tableType], ["invocations", "bedrock_invocation_logs", "EXTERNAL_TABLE"]);
        assert.deepStrictEqual(table.partitionKeys, [{ name: "day", type: "string" }]);
        const parameters = table.parameters as Record<string, string>;
        assert.deepStrictEqual(
            Object.fromEntries(Object.entries(parameters).filter(([key]) => key.startsWith("projection."))),
            {
                "projection.enabled": "true",
                "projection.day.type": "date",
                "projection.day.format": "yyyy/MM/dd",
                "projection.day.range": "2023/09/01,NOW",
                "projection.day.interval": "1",
                "projection.day.interval.unit": "DAYS",
            },
        );
        // Athena fills the template with the day in the projection's format: it must name the prefix Bedrock writes that day's objects under.
        const day = new Date("2026-11-23T10:00:00Z");
        const partitionLocation = parameters["storage.location.template"].replace("${day}", "2026/11/23");
        assert.strictEqual(partitionLocation, `s3://${LOG_BUCKET}/${dailyPrefixes(ACCOUNT_ID, REGION, day, day)[0]}`);
        const storage = table.storageDescriptor as { location: string; serDeInfo: { serializationLibrary: string }; columns: { name: string; type: string }[] };
        assert.strictEqual(storage.location, `s3://${LOG_BUCKET}/AWSLogs/${ACCOUNT_ID}/BedrockModelInvocationLogs/${REGION}/`);
        assert.strictEqual(storage.serDeInfo.serializationLibrary, "org.openx.data.jsonserde.JsonSerDe");
        assert.deepStrictEqual(storage.columns.find((column) => column.name === "input"), {
            name: "input",
            type: "struct<inputcontenttype:string,inputtokencount:bigint,cachereadinputtokencount:bigint,cachewriteinputtokencount:bigint>",
        });
    });

    it("runs Athena in its own workgroup, writing encrypted results to its own bucket, with the three saved queries", () => {
        const workgroup = props("aws:athena/workgroup:Workgroup");
        const configuration = workgroup.configuration as { enforceWorkgroupConfiguration: boolean; resultConfiguration: { outputLocation: string; encryptionConfiguration: { encryptionOption: string } } };
        assert.strictEqual(workgroup.name, "bedrock-usage");
        assert.strictEqual(configuration.enforceWorkgroupConfiguration, true);
        assert.strictEqual(configuration.resultConfiguration.outputLocation, `s3://${RESULTS_BUCKET}/`);
        assert.strictEqual(configuration.resultConfiguration.encryptionConfiguration.encryptionOption, "SSE_KMS");
        assert.deepStrictEqual(
            ofType("aws:athena/namedQuery:NamedQuery").map((query) => [query.properties.name, query.properties.workgroup, query.properties.database]),
            [
                ["bedrock-tokens-by-model", "bedrock-usage", "bedrock_invocation_logs"],
                ["bedrock-tokens-by-caller", "bedrock-usage", "bedrock_invocation_logs"],
                ["bedrock-tokens-by-day", "bedrock-usage", "bedrock_invocation_logs"],
            ],
        );
        assert.match(String(ofType("aws:athena/namedQuery:NamedQuery")[1].properties.query), /WHERE day BETWEEN date_format\(current_date - INTERVAL '30' DAY, '%Y\/%m\/%d'\) AND date_format\(current_date, '%Y\/%m\/%d'\)/);
        const results = ofType("aws:s3/bucket:Bucket").find((bucket) => bucket.properties.bucket === RESULTS_BUCKET)!;
        assert.strictEqual(results.retainOnDelete, true, "kept on destroy, like the logs");
        const lifecycle = props("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "bedrock-monitoring-usage-results").rules as { expiration: { days: number } }[];
        assert.strictEqual(lifecycle[0].expiration.days, 30);
        const policy = JSON.parse(props("aws:s3/bucketPolicy:BucketPolicy", "bedrock-monitoring-usage-results").policy as string) as PolicyDocument;
        assert.deepStrictEqual(policy.Statement.map((statement) => [statement.Sid, statement.Effect]), [["DenyInsecureTransport", "Deny"]]);
    });

    it("builds none of the Athena resources, nor the rule, when they are switched off", async () => {
        const { engine } = await runProgram({ gateways, monitoring: { athena: false, contributorInsights: false, kmsKey: "none" } });
        for (const type of ["aws:glue/catalogTable:CatalogTable", "aws:athena/workgroup:Workgroup", "aws:athena/namedQuery:NamedQuery", "aws:cloudwatch/contributorInsightRule:ContributorInsightRule"]) {
            assert.strictEqual(engine.ofType(type).length, 0, type);
        }
        const statements = (JSON.parse(plainValue(engine.ofType("aws:iam/policy:Policy").find((policy) => policy.name === "bedrock-monitoring-usage-reader")!.properties.policy) as string) as PolicyDocument).Statement;
        assert.deepStrictEqual(statements.map((statement) => statement.Sid), ["QueryInvocationLogGroup", "StopQueries", "ReadInvocationLogObjects", "ListInvocationLogObjects", "ReadBedrockPrices"]);
    });

    it("lets the key be used by the account's readers through S3 only", () => {
        const key = JSON.parse(props("aws:kms/key:Key").policy as string) as PolicyDocument;
        assert.deepStrictEqual(
            key.Statement.find((statement) => statement.Sid === "AccountReadsAndWritesThroughS3"),
            {
                Sid: "AccountReadsAndWritesThroughS3",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: "*",
                Condition: { StringEquals: { "kms:ViaService": `s3.${REGION}.amazonaws.com`, "kms:CallerAccount": ACCOUNT_ID } },
            },
        );
    });

    describe("the usage readers' policy, simulated", () => {
        const READER = `arn:aws:iam::${ACCOUNT_ID}:role/analyst`;
        const may = async (action: string, resource: string, context: Record<string, string> = {}, resourcePolicy?: PolicyDocument) =>
            (await decide({ action, principal: READER, resource, resourceAccount: ACCOUNT_ID, identityPolicies: [readerPolicy()], context, ...(resourcePolicy ? { resourcePolicy } : {}) })) === "Allowed";

        it("queries and reads the invocation logs, and no other log group", async () => {
            assert.ok(await may("logs:StartQuery", LOG_GROUP_ARN));
            assert.ok(await may("logs:GetQueryResults", LOG_GROUP_ARN));
            assert.ok(!(await may("logs:StartQuery", `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/aws/lambda/payroll`)));
            assert.ok(!(await may("logs:DeleteLogGroup", LOG_GROUP_ARN)));
        });

        it("reads the log objects of this account and region, not the large payloads or other buckets", async () => {
            assert.ok(await may("s3:GetObject", `arn:aws:s3:::${LOG_BUCKET}/AWSLogs/${ACCOUNT_ID}/BedrockModelInvocationLogs/${REGION}/2026/11/23/10/a.json.gz`));
            assert.ok(!(await may("s3:GetObject", `arn:aws:s3:::${LOG_BUCKET}/large-data/payload.json`)));
            assert.ok(!(await may("s3:GetObject", `arn:aws:s3:::someone-elses-bucket/AWSLogs/${ACCOUNT_ID}/x.json.gz`)));
            assert.ok(await may("s3:ListBucket", `arn:aws:s3:::${LOG_BUCKET}`, { "s3:prefix": `AWSLogs/${ACCOUNT_ID}/BedrockModelInvocationLogs/${REGION}/2026/11/23/` }));
            assert.ok(!(await may("s3:ListBucket", `arn:aws:s3:::${LOG_BUCKET}`, { "s3:prefix": "large-data/" })));
        });

        it("runs Athena in the usage workgroup only, reads the table, and writes results to the results bucket", async () => {
            assert.ok(await may("athena:StartQueryExecution", `arn:aws:athena:${REGION}:${ACCOUNT_ID}:workgroup/bedrock-usage`));
            assert.ok(!(await may("athena:StartQueryExecution", `arn:aws:athena:${REGION}:${ACCOUNT_ID}:workgroup/primary`)));
            assert.ok(await may("glue:GetTable", `arn:aws:glue:${REGION}:${ACCOUNT_ID}:table/bedrock_invocation_logs/invocations`));
            assert.ok(!(await may("glue:GetTable", `arn:aws:glue:${REGION}:${ACCOUNT_ID}:table/payroll/salaries`)));
            assert.ok(await may("s3:PutObject", `arn:aws:s3:::${RESULTS_BUCKET}/abc.csv`));
            assert.ok(!(await may("s3:PutObject", `arn:aws:s3:::${LOG_BUCKET}/AWSLogs/${ACCOUNT_ID}/x`)));
        });

        it("grants no Bedrock action when the stack has no application inference profile", () => {
            assert.ok(!JSON.stringify(readerPolicy()).includes("bedrock:"));
        });

        it("reads the stack's application inference profiles by their tag (to price them), and no other profile", async () => {
            const withProfiles = usageReaderPolicy({ location: READER_LOCATION, athena: true, kmsKey: { kind: "none" }, applicationProfileTags: { "bedrock-access:gateway": ["search", "support"] } });
            const reads = async (resource: string, context: Record<string, string>) =>
                (await decide({ action: "bedrock:GetInferenceProfile", principal: READER, resource, resourceAccount: resource.split(":")[4], identityPolicies: [withProfiles], context })) === "Allowed";
            const profile = `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:application-inference-profile/a1b2c3d4e5f6`;
            assert.ok(await reads(profile, { "aws:ResourceTag/bedrock-access:gateway": "search" }));
            assert.ok(await reads(profile, { "aws:ResourceTag/bedrock-access:gateway": "support" }));
            assert.ok(!(await reads(profile, { "aws:ResourceTag/bedrock-access:gateway": "payroll" })), "not another gateway's profile");
            assert.ok(!(await reads(profile, {})), "not an untagged profile");
            assert.ok(!(await reads(`arn:aws:bedrock:${REGION}:210987654321:application-inference-profile/a1b2c3d4e5f6`, { "aws:ResourceTag/bedrock-access:gateway": "search" })), "not another account's");
            assert.ok(!(await reads(`arn:aws:bedrock:us-east-1:${ACCOUNT_ID}:application-inference-profile/a1b2c3d4e5f6`, { "aws:ResourceTag/bedrock-access:gateway": "search" })), "not another region's");
            const statement = withProfiles.Statement.find((entry) => entry.Sid === "ReadApplicationInferenceProfiles")!;
            assert.deepStrictEqual([statement.Action, statement.Condition], ["bedrock:GetInferenceProfile", { StringEquals: { "aws:ResourceTag/bedrock-access:gateway": ["search", "support"] } }]);
        });

        const KEY = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
        const TAGGED = { "aws:ResourceTag/bedrock-access:monitoring": "invocations", "kms:CallerAccount": ACCOUNT_ID };
        const VIA_S3 = { "kms:ViaService": `s3.${REGION}.amazonaws.com` };
        /** S3's encryption context: the bucket's ARN (bucket keys, as the stack's buckets use) or an object's ARN. */
        const S3_CONTEXT = (arn: string) => ({ [S3_ENCRYPTION_CONTEXT_KEY]: arn });
        // iam-simulate 0.1.173's checked engine drops `kms:EncryptionContext:<key>` from a request (it matches variable keys after a
        // `/` only) and so refuses every grant that names one: these requests go through its unchecked engine, which evaluates the
        // same policies with the context as given.
        const mayDecrypt = async (key: string, context: Record<string, string>, keyPolicy: PolicyDocument) =>
            (await decide({ action: "kms:Decrypt", principal: READER, resource: key, resourceAccount: ACCOUNT_ID, identityPolicies: [readerPolicy()], context, resourcePolicy: keyPolicy, unchecked: true })) === "Allowed";

        it("iam-simulate's checked engine ignores kms:EncryptionContext keys (why the key's requests below are unchecked)", async () => {
            const keyPolicy = JSON.parse(props("aws:kms/key:Key").policy as string) as PolicyDocument;
            const request = { action: "kms:Decrypt", principal: READER, resource: KEY, resourceAccount: ACCOUNT_ID, identityPolicies: [readerPolicy()], resourcePolicy: keyPolicy };
            const context = { ...TAGGED, ...VIA_S3, ...S3_CONTEXT(`arn:aws:s3:::${LOG_BUCKET}`) };
            assert.strictEqual(await decide({ ...request, context }), "ImplicitlyDenied", "a newer simulator evaluates the key: drop `unchecked` below");
            assert.strictEqual(await decide({ ...request, context, unchecked: true }), "Allowed");
        });

        it("decrypts with the stack's key only through S3, for objects of the stack's own buckets, as the key's policy and the reader's both allow", async () => {
            const keyPolicy = JSON.parse(props("aws:kms/key:Key").policy as string) as PolicyDocument;
            for (const bucket of [LOG_BUCKET, RESULTS_BUCKET]) {
                assert.ok(await mayDecrypt(KEY, { ...TAGGED, ...VIA_S3, ...S3_CONTEXT(`arn:aws:s3:::${bucket}`) }, keyPolicy), bucket);
                assert.ok(await mayDecrypt(KEY, { ...TAGGED, ...VIA_S3, ...S3_CONTEXT(`arn:aws:s3:::${bucket}/some/object.gz`) }, keyPolicy), `${bucket} without bucket keys`);
            }
            const logs = S3_CONTEXT(`arn:aws:s3:::${LOG_BUCKET}`);
            assert.ok(!(await mayDecrypt(KEY, { ...TAGGED, ...logs }, keyPolicy)), "not directly");
            assert.ok(!(await mayDecrypt(KEY, { "kms:CallerAccount": ACCOUNT_ID, ...VIA_S3, ...logs }, keyPolicy)), "not another key");
            assert.ok(!(await mayDecrypt(KEY, { ...TAGGED, "kms:ViaService": `sqs.${REGION}.amazonaws.com`, ...logs }, keyPolicy)), "not through another service");
            assert.ok(!(await mayDecrypt(KEY, { ...TAGGED, ...VIA_S3, ...S3_CONTEXT("arn:aws:s3:::payroll-exports/2026/salaries.csv") }, keyPolicy)), "not another bucket's objects");
            assert.ok(!(await mayDecrypt(KEY, { ...TAGGED, ...VIA_S3, ...S3_CONTEXT(`arn:aws:s3:::${LOG_BUCKET}-copy`) }, keyPolicy)), "not a bucket named like it");
            assert.ok(!(await mayDecrypt(KEY, { ...TAGGED, ...VIA_S3 }, keyPolicy)), "not without S3's context");
        });

        it("gets from a key the stack did not create, tagged with the stack's tag by whoever may tag it, only the stack's own objects", async () => {
            // The default key policy: the account's IAM policies decide.
            const foreignKey = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/0000aaaa-00aa-00aa-00aa-000000000000`;
            const defaultKeyPolicy: PolicyDocument = {
                Version: "2012-10-17",
                Statement: [{ Sid: "EnableIamUserPermissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" }],
            };
            for (const other of ["arn:aws:s3:::payroll-exports", "arn:aws:s3:::payroll-exports/2026/salaries.csv", `arn:aws:s3:::${LOG_BUCKET}-copy/x`]) {
                assert.ok(!(await mayDecrypt(foreignKey, { ...TAGGED, ...VIA_S3, ...S3_CONTEXT(other) }, defaultKeyPolicy)), other);
            }
            assert.ok(!(await mayDecrypt(foreignKey, { ...TAGGED }, defaultKeyPolicy)), "not directly");
            // What is left: objects of the stack's own buckets, which the reader may read anyway (s3:GetObject on them alone).
            assert.ok(await mayDecrypt(foreignKey, { ...TAGGED, ...VIA_S3, ...S3_CONTEXT(`arn:aws:s3:::${LOG_BUCKET}`) }, defaultKeyPolicy));
            const readable = readerPolicy().Statement.filter((statement) => [statement.Action].flat().includes("s3:GetObject")).flatMap((statement) => [statement.Resource].flat());
            assert.deepStrictEqual(readable, [`arn:aws:s3:::${LOG_BUCKET}/AWSLogs/${ACCOUNT_ID}/BedrockModelInvocationLogs/${REGION}/*`, `arn:aws:s3:::${RESULTS_BUCKET}/*`]);
        });
    });

    it("passes the policy pack", async () => assertPackFindsNothing(resources));
});
