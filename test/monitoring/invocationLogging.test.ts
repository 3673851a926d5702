/**
 * Who owns the account's invocation logging, and what it delivers: `logContent` (text only by
 * default, each flag explicit), `invocationLogging: create | existing`, the configuration kept on
 * destroy, names global to the account that carry the region and the stack, taking back what a
 * destroy kept (`adopt` and the import plan), and the deployer's policy that follows.
 */
import * as assert from "assert";
import * as path from "path";
import { PolicyDocument } from "../../components/iam/iamDocument";
import { DEFAULT_IAM_QUOTAS } from "../../components/iam/iamQuotas";
import { KEY_ID_PLACEHOLDER, importPlan } from "../../components/monitoring/adoption";
import { accountGlobalName } from "../../components/monitoring/monitoringPolicies";
import { agentRoleName } from "../../components/serviceRoles/serviceRoleConfig";
import { deployedResources } from "../../deployer/cli";
import { loadStackConfig } from "../../offline/engine/stackFile";
import { deployerPolicy } from "../../deployer/deployerPolicy";
import { RegisteredResource, plainValue } from "../../offline/engine/mockEngine";
import { assertPackFindsNothing } from "../assertions";
import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_ID, PROJECT, REGION, mockEngine, promiseOf, runProgram } from "../harness";

const LOGGING_CONFIGURATION = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration";
const gateways = [{ name: "portkey", trustedPrincipals: ["arn:aws:iam::111111111111:role/p"], externalId: "portkey-1", models: ["anthropic.claude-sonnet-4-20250514-v1:0"] }];
const EXISTING_GROUP = "/central/bedrock-invocations";
const EXISTING_BUCKET = `central-bedrock-logs-${REGION}`;

type Resources = readonly RegisteredResource[];
const ofType = (resources: Resources, type: string) => resources.filter((resource) => resource.type === type);
const plain = (resource: RegisteredResource) => plainValue(resource.properties) as Record<string, unknown>;
const deliveryFlags = (resources: Resources) => {
    const [configuration] = ofType(resources, LOGGING_CONFIGURATION);
    const config = plain(configuration).loggingConfig as Record<string, unknown>;
    return [config.textDataDeliveryEnabled, config.imageDataDeliveryEnabled, config.embeddingDataDeliveryEnabled, config.videoDataDeliveryEnabled];
};

/** Names AWS keeps global to the account (IAM, dashboards) or to the partition (S3 buckets). */
function accountGlobalNames(resources: Resources): string[] {
    const named: [string, string][] = [
        ["aws:iam/role:Role", "name"],
        ["aws:iam/policy:Policy", "name"],
        ["aws:cloudwatch/dashboard:Dashboard", "dashboardName"],
        ["aws:s3/bucket:Bucket", "bucket"],
    ];
    return named.flatMap(([type, key]) => ofType(resources, type).map((resource) => `${type} ${String(plain(resource)[key])}`));
}

async function rejected(config: Record<string, unknown>, ...patterns: RegExp[]): Promise<void> {
    await assert.rejects(runProgram(config), (error: Error) => {
        for (const pattern of patterns) assert.match(error.message, pattern);
        assert.match(error.message, /no resource was registered/);
        return true;
    });
    assert.deepStrictEqual((await mockEngine()).resources, [], "nothing registered");
}

describe("invocation logging: content, ownership, names and coming back", () => {
    describe("logContent", () => {
        it("delivers text only by default, and sets every flag (the provider turns an absent one on)", async () => {
            const { engine } = await runProgram({ gateways, monitoring: {} });
            assert.deepStrictEqual(deliveryFlags(engine.resources), [true, false, false, false]);
        });

        it("turns each content type on and off by its key", async () => {
            for (const [key, index] of [["text", 0], ["image", 1], ["embedding", 2], ["video", 3]] as const) {
                const only = { text: false, image: false, embedding: false, video: false, [key]: true };
                const { engine } = await runProgram({ gateways, monitoring: { logContent: only } });
                assert.deepStrictEqual(deliveryFlags(engine.resources), [0, 1, 2, 3].map((position) => position === index), key);
            }
            const { engine } = await runProgram({ gateways, monitoring: { logContent: { text: false } } });
            assert.deepStrictEqual(deliveryFlags(engine.resources), [false, false, false, false], "metadata only");
        });

        it("refuses a content type the provider does not know, and a value that is not a boolean", async () => {
            await rejected(
                { gateways, monitoring: { logContent: { text: true, audio: true, image: "yes" } } },
                /monitoring\.logContent\.audio = true: unknown content type: must be one of text, image, embedding, video/,
                /monitoring\.logContent\.image = "yes": must be true or false/,
            );
        });
    });

    describe("invocationLogging: create", () => {
        it("keeps the account's logging configuration on destroy unless deleteLogsOnDestroy", async () => {
            const kept = await runProgram({ gateways, monitoring: {} });
            assert.deepStrictEqual(ofType(kept.engine.resources, LOGGING_CONFIGURATION).map((resource) => resource.retainOnDelete), [true]);
            const deleted = await runProgram({ gateways, monitoring: { deleteLogsOnDestroy: true } });
            assert.deepStrictEqual(ofType(deleted.engine.resources, LOGGING_CONFIGURATION).map((resource) => resource.retainOnDelete), [false]);
        });

        it("gives the deployer no DeleteModelInvocationLoggingConfiguration while the configuration is kept", async () => {
            const actionsOf = async (monitoring: Record<string, unknown>) => {
                const { engine } = await runProgram({ gateways, monitoring }, { preview: false });
                const invokes = [...(await mockEngine()).invokeCalls];
                const policy = await deployerPolicy({ partition: "aws", region: REGION, accountId: ACCOUNT_ID }, deployedResources(engine.resources), invokes, DEFAULT_IAM_QUOTAS.managedPolicyCharacters);
                return policy.documents.flatMap((document) => document.Statement.flatMap((statement) => [statement.Action].flat())).filter((action) => /ModelInvocationLoggingConfiguration/.test(action));
            };
            assert.deepStrictEqual((await actionsOf({})).sort(), ["bedrock:GetModelInvocationLoggingConfiguration", "bedrock:PutModelInvocationLoggingConfiguration"]);
            assert.deepStrictEqual((await actionsOf({ deleteLogsOnDestroy: true })).sort(), [
                "bedrock:DeleteModelInvocationLoggingConfiguration",
                "bedrock:GetModelInvocationLoggingConfiguration",
                "bedrock:PutModelInvocationLoggingConfiguration",
            ]);
            assert.deepStrictEqual(await actionsOf({ invocationLogging: "existing", existingLogGroup: EXISTING_GROUP }), [], "existing: neither Put nor Delete");
        });
    });

    describe("invocationLogging: existing", () => {
        let resources: Resources;
        let outputs: { monitoring: { logGroup: pulumi.Output<string>; bucket: pulumi.Output<string | undefined> } };
        before(async () => {
            const run = await runProgram({ gateways, monitoring: { invocationLogging: "existing", existingLogGroup: EXISTING_GROUP, existingBucket: EXISTING_BUCKET } }, { preview: false });
            resources = run.engine.resources;
            outputs = run.outputs as typeof outputs;
        });

        it("registers no logging configuration, log bucket, bucket policy, log group or logging role", () => {
            for (const type of [LOGGING_CONFIGURATION, "aws:cloudwatch/logGroup:LogGroup", "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy"]) {
                assert.deepStrictEqual(ofType(resources, type).filter((resource) => resource.name.startsWith("bedrock-monitoring")).map((resource) => resource.name), [], type);
            }
            // Only the Athena results bucket, and its policy.
            assert.deepStrictEqual(ofType(resources, "aws:s3/bucket:Bucket").map((resource) => plain(resource).bucket), [`bedrock-usage-results-${ACCOUNT_ID}-${REGION}`]);
            assert.deepStrictEqual(ofType(resources, "aws:s3/bucketPolicy:BucketPolicy").map((resource) => resource.name), ["bedrock-monitoring-usage-results"]);
        });

        it("points the saved queries, the Contributor Insights rule, the Athena table and the readers' policy at the named log group and bucket", async () => {
            for (const query of ofType(resources, "aws:cloudwatch/queryDefinition:QueryDefinition")) assert.deepStrictEqual(plain(query).logGroupNames, [EXISTING_GROUP]);
            const [rule] = ofType(resources, "aws:cloudwatch/contributorInsightRule:ContributorInsightRule");
            assert.deepStrictEqual(JSON.parse(plain(rule).ruleDefinition as string).LogGroupNames, [EXISTING_GROUP]);
            const [table] = ofType(resources, "aws:glue/catalogTable:CatalogTable");
            assert.strictEqual((plain(table).storageDescriptor as { location: string }).location, `s3://${EXISTING_BUCKET}/AWSLogs/${ACCOUNT_ID}/BedrockModelInvocationLogs/${REGION}/`);
            const [reader] = ofType(resources, "aws:iam/policy:Policy");
            const statements = (JSON.parse(plain(reader).policy as string) as PolicyDocument).Statement;
            const logGroupArn = `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${EXISTING_GROUP}`;
            assert.deepStrictEqual(statements.find((statement) => statement.Sid === "QueryInvocationLogGroup")!.Resource, [logGroupArn, `${logGroupArn}:*`]);
            assert.strictEqual(statements.find((statement) => statement.Sid === "ReadInvocationLogObjects")!.Resource, `arn:aws:s3:::${EXISTING_BUCKET}/AWSLogs/${ACCOUNT_ID}/BedrockModelInvocationLogs/${REGION}/*`);
            assert.deepStrictEqual([await promiseOf(outputs.monitoring.logGroup), await promiseOf(outputs.monitoring.bucket)], [EXISTING_GROUP, EXISTING_BUCKET]);
        });

        it("keeps the dashboard and the alarms", () => {
            assert.strictEqual(ofType(resources, "aws:cloudwatch/dashboard:Dashboard").length, 1);
            const alarms = ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").map((alarm) => plain(alarm).name);
            assert.ok(alarms.includes("bedrock-server-errors") && alarms.includes("bedrock-log-delivery-failures"), alarms.join(", "));
        });

        it("lets the created key serve only the alerts and Athena's results: no grant to a log group, Bedrock or a logging role it does not own", () => {
            const [key] = ofType(resources, "aws:kms/key:Key");
            const sids = (JSON.parse(plain(key).policy as string) as PolicyDocument).Statement.map((statement) => statement.Sid);
            // The deploying role's statements (it administers the keys the stack creates) stay whatever the logging's owner.
            assert.deepStrictEqual(sids, ["AccountAdministersKey", "DeployerReadsKey", "DeployerAdministersStackKey", "CloudWatchPublishesEncryptedAlerts", "AccountReadsAndWritesThroughS3"].filter((sid) => sids.includes(sid)));
            assert.ok(sids.includes("CloudWatchPublishesEncryptedAlerts") && sids.includes("DeployerAdministersStackKey"), sids.join(", "));
            assert.ok(!sids.some((sid) => /InvocationLog|LoggingRole/.test(String(sid))), sids.join(", "));
        });

        it("without existingBucket, registers no Athena table and grants no log objects", async () => {
            const { engine } = await runProgram({ gateways, monitoring: { invocationLogging: "existing", existingLogGroup: EXISTING_GROUP } });
            assert.strictEqual(ofType(engine.resources, "aws:glue/catalogTable:CatalogTable").length, 0);
            const [reader] = ofType(engine.resources, "aws:iam/policy:Policy");
            assert.ok(!(plain(reader).policy as string).includes(":s3:::"), "no S3 grant");
        });

        it("passes the policy pack", async () => assertPackFindsNothing(resources));

        it("refuses existing without existingLogGroup, and the existing keys with create", async () => {
            await rejected({ gateways, monitoring: { invocationLogging: "existing" } }, /monitoring\.existingLogGroup = \(not set\): required with invocationLogging: existing/);
            await rejected({ gateways, monitoring: { existingLogGroup: EXISTING_GROUP } }, /monitoring\.existingLogGroup = "\/central\/bedrock-invocations": only with invocationLogging: existing/);
            await rejected({ gateways, monitoring: { invocationLogging: "central" } }, /monitoring\.invocationLogging = "central": must be create .* or existing/);
            await rejected(
                { gateways, monitoring: { invocationLogging: "existing", existingLogGroup: EXISTING_GROUP, logContent: { text: false } } },
                /monitoring\.logContent = \{"text":false\}: only with invocationLogging: create/,
            );
        });
    });

    describe("names global to the account", () => {
        it("two stacks of one account in two regions share none", async () => {
            const eu = await runProgram({ gateways, monitoring: {} }, { stack: "prod-eu", region: "eu-west-1" });
            const us = await runProgram({ gateways, monitoring: {} }, { stack: "prod-us", region: "us-east-1" });
            const euNames = accountGlobalNames(eu.engine.resources);
            const usNames = accountGlobalNames(us.engine.resources);
            assert.ok(euNames.length >= 6, euNames.join(", "));
            assert.deepStrictEqual(euNames.filter((name) => usNames.includes(name)), []);
            const dashboard = (resources: Resources) => plain(ofType(resources, "aws:cloudwatch/dashboard:Dashboard")[0]).dashboardName;
            assert.deepStrictEqual([dashboard(eu.engine.resources), dashboard(us.engine.resources)], ["bedrock-model-invocations-eu-west-1-prod-eu", "bedrock-model-invocations-us-east-1-prod-us"]);
        });

        it("two stacks in one region (the second on the first's logging) share no dashboard or IAM name", async () => {
            const owner = await runProgram({ gateways, monitoring: {} }, { stack: "platform" });
            const team = await runProgram({ gateways: [{ ...gateways[0], name: "team" }], monitoring: { invocationLogging: "existing", existingLogGroup: "/aws/bedrock/modelinvocations", athena: false } }, { stack: "team" });
            const iamAndDashboards = (resources: Resources) => accountGlobalNames(resources).filter((name) => !name.startsWith("aws:s3/"));
            assert.deepStrictEqual(iamAndDashboards(owner.engine.resources).filter((name) => iamAndDashboards(team.engine.resources).includes(name)), []);
        });

        it("the example stack (gateways, every kind of service role, monitoring) in two regions shares none", async () => {
            const { config } = loadStackConfig(path.resolve(__dirname, "..", ".."), "example");
            const example = Object.fromEntries(
                Object.entries(config)
                    .filter(([key]) => key.startsWith(`${PROJECT}:`))
                    .map(([key, value]) => [key.slice(PROJECT.length + 1), JSON.parse(value) as unknown]),
            );
            const eu = accountGlobalNames((await runProgram(example, { stack: "eu", region: "eu-west-1" })).engine.resources);
            // The same stack in us-east-1 lists the US geography's profiles and that region's resources (eu. profiles are not called there).
            const inUs = JSON.parse(JSON.stringify(example).replace(/"eu\./g, '"us.').replace(/:eu-west-1:/g, ":us-east-1:")) as Record<string, unknown>;
            const us = accountGlobalNames((await runProgram(inUs, { stack: "us", region: "us-east-1" })).engine.resources);
            assert.ok(eu.some((name) => name.includes("AmazonBedrockExecutionRoleForAgents_support-agent-eu-west-1")), eu.join(", "));
            assert.deepStrictEqual(eu.filter((name) => us.includes(name)), []);
        });

        it("fits an agent's default role name, with its region, in IAM's 64 characters", () => {
            assert.strictEqual(agentRoleName("support-agent", "eu-west-1"), "AmazonBedrockExecutionRoleForAgents_support-agent-eu-west-1");
            const long = agentRoleName("a-thirty-two-character-agent-nam", "ap-southeast-2");
            assert.ok(long.length <= 64 && long.startsWith("AmazonBedrockExecutionRoleForAgents_") && long.endsWith("-ap-southeast-2"), long);
            assert.notStrictEqual(long, agentRoleName("a-thirty-two-character-agent-nax", "ap-southeast-2"));
        });

        it("stays within AWS's limits and unique for long or unusual stack names", () => {
            const long = "organisation.platform.bedrock-access.production-environment-with-a-very-long-name";
            const role = accountGlobalName("bedrock-invocation-logging", { region: "ap-southeast-2", stack: long }, 64);
            assert.ok(role.length <= 64 && /^[A-Za-z0-9_-]+$/.test(role), role);
            assert.notStrictEqual(accountGlobalName("x", { region: "eu-west-1", stack: "a.b" }, 64), accountGlobalName("x", { region: "eu-west-1", stack: "a-b" }, 64));
            assert.strictEqual(accountGlobalName("x", { region: "eu-west-1", stack: "dev" }, 64), "x-eu-west-1-dev");
        });
    });

    describe("coming back after destroy", () => {
        const ownBucket = `bedrock-invocation-logs-${ACCOUNT_ID}-${REGION}`;
        const resultsBucket = `bedrock-usage-results-${ACCOUNT_ID}-${REGION}`;
        const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
        const location = { partition: "aws", region: REGION, accountId: ACCOUNT_ID };

        /**
         * The URN `pulumi import TYPE NAME ID --parent NAME=URN` gives a resource, by the engine's rule:
         * the parent's qualified type (its whole chain), `$`, the type, and the name.
         */
        function urnOfImport(type: string, name: string, parentUrn: string | undefined): string {
            const parentChain = parentUrn?.split("::")[2];
            return `urn:pulumi:test::${PROJECT}::${parentChain ? `${parentChain}$` : ""}${type}::${name}`;
        }
        /** The SDK's mock monitor keeps only the parent's own type in a child's URN (the engine keeps the chain): the same URN as the mock writes it. */
        const asMockWritesIt = (urn: string) => {
            const [prefix, project, qualified, name] = urn.split("::");
            return [prefix, project, qualified.split("$").slice(-2).join("$"), name].join("::");
        };

        it("prints an import for every resource destroy keeps, with the type, name, ID and parent the program registers", async () => {
            const { engine } = await runProgram({ gateways, monitoring: {} });
            const plan = importPlan(
                engine.resources.map((resource) => ({ ...resource, properties: plain(resource) })),
                location,
                "test",
            );
            const kept = engine.resources.filter((resource) => resource.retainOnDelete);
            assert.deepStrictEqual(plan.imports.map((command) => `${command.type} ${command.name}`).sort(), kept.map((resource) => `${resource.type} ${resource.name}`).sort());
            for (const command of plan.imports) {
                const registered = kept.find((resource) => resource.type === command.type && resource.name === command.name)!;
                const parentUrn = command.parent?.slice(command.parent.indexOf("=") + 1);
                assert.strictEqual(parentUrn, registered.parentUrn, "--parent names the registered parent");
                assert.strictEqual(asMockWritesIt(urnOfImport(command.type, command.name, parentUrn)), registered.urn, "the imported URN is the registered one");
                assert.strictEqual(command.parent?.split("=")[0], engine.resources.find((resource) => resource.urn === registered.parentUrn)!.name);
            }
            const ids = Object.fromEntries(plan.imports.map((command) => [`${command.type} ${command.name}`, command.id ?? KEY_ID_PLACEHOLDER]));
            assert.deepStrictEqual(ids, {
                "aws:kms/key:Key bedrock-monitoring-key": KEY_ID_PLACEHOLDER,
                "aws:s3/bucket:Bucket bedrock-monitoring-logs": ownBucket,
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock bedrock-monitoring-logs": ownBucket,
                "aws:s3/bucketVersioning:BucketVersioning bedrock-monitoring-logs": ownBucket,
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration bedrock-monitoring-logs": ownBucket,
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration bedrock-monitoring-logs": ownBucket,
                "aws:s3/bucketPolicy:BucketPolicy bedrock-monitoring-logs": ownBucket,
                "aws:cloudwatch/logGroup:LogGroup bedrock-monitoring-logs": "/aws/bedrock/modelinvocations",
                [`${LOGGING_CONFIGURATION} bedrock-monitoring-logging`]: REGION,
                "aws:s3/bucket:Bucket bedrock-monitoring-usage-results": resultsBucket,
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock bedrock-monitoring-usage-results": resultsBucket,
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration bedrock-monitoring-usage-results": resultsBucket,
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration bedrock-monitoring-usage-results": resultsBucket,
                "aws:s3/bucketPolicy:BucketPolicy bedrock-monitoring-usage-results": resultsBucket,
            });
            // The parents are registered first, ancestors before children.
            assert.deepStrictEqual(
                plan.parentTargets.map((urn) => urn.split("::").pop()),
                ["bedrock-monitoring", "bedrock-monitoring-usage"],
            );
            assert.match(plan.imports[0].command, /^pulumi import aws:kms\/key:Key bedrock-monitoring-key '<key-id>' --parent bedrock-monitoring=urn:pulumi:test::bedrock-access::bedrock-access:index:InvocationMonitoring::bedrock-monitoring --stack test --protect=false --generate-code=false --yes$/);
        });

        it("adopt makes the next up take back the bucket, log group, results bucket and key by their IDs", async () => {
            const { engine } = await runProgram({
                gateways,
                monitoring: { adopt: { logBucket: ownBucket, logGroup: "/aws/bedrock/modelinvocations", resultsBucket, kmsKey: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/${KEY_ID}` } },
            });
            const adopted = engine.resources.filter((resource) => resource.importId !== undefined).map((resource) => [resource.type, resource.name, resource.importId]);
            assert.deepStrictEqual(adopted.sort(), [
                ["aws:cloudwatch/logGroup:LogGroup", "bedrock-monitoring-logs", "/aws/bedrock/modelinvocations"],
                ["aws:kms/key:Key", "bedrock-monitoring-key", KEY_ID],
                ["aws:s3/bucket:Bucket", "bedrock-monitoring-logs", ownBucket],
                ["aws:s3/bucket:Bucket", "bedrock-monitoring-usage-results", resultsBucket],
            ]);
            const plan = importPlan(engine.resources.map((resource) => ({ ...resource, properties: plain(resource) })), location, "test");
            assert.strictEqual(plan.imports.find((command) => command.type === "aws:kms/key:Key")!.id, KEY_ID);
        });

        it("refuses adopting a bucket in another region, or anything but what this stack left", async () => {
            await rejected(
                { gateways, monitoring: { adopt: { logBucket: `bedrock-invocation-logs-${ACCOUNT_ID}-us-east-1` } } },
                /monitoring\.adopt\.logBucket = "bedrock-invocation-logs-123456789012-us-east-1": names a bucket in us-east-1, not the stack's region eu-west-1/,
            );
            await rejected(
                { gateways, monitoring: { adopt: { logBucket: "someone-elses-bucket", logGroup: "/other" } } },
                /monitoring\.adopt\.logBucket = "someone-elses-bucket": must be the name this stack gives it in 123456789012\/eu-west-1, bedrock-invocation-logs-123456789012-eu-west-1/,
                /monitoring\.adopt\.logGroup = "\/other": must be the name this stack gives it/,
            );
            await rejected({ gateways, monitoring: { kmsKey: "none", adopt: { kmsKey: KEY_ID, bucket: "x" } } }, /monitoring\.adopt\.bucket = "x": unknown key/);
            await rejected(
                { gateways, monitoring: { adopt: { kmsKey: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/${KEY_ID}` } } },
                /monitoring\.adopt\.kmsKey = "arn:aws:kms:us-east-1:123456789012:key\/1234abcd-12ab-34cd-56ef-1234567890ab": must be a key of this account and region \(123456789012, eu-west-1\)/,
            );
            await rejected({ gateways, monitoring: { kmsKey: "none", adopt: { kmsKey: KEY_ID } } }, /monitoring\.adopt\.kmsKey = "1234abcd-12ab-34cd-56ef-1234567890ab": only with kmsKey: create/);
        });
    });
});
