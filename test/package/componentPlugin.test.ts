/**
 * The `bedrock-access` package as another language's program meets it: the plugin started exactly as
 * the engine starts a source-based nodejs plugin, its schema read, and its components constructed
 * through a fake resource monitor that records every registration.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ComponentPlugin, FakeEngine, PLUGIN_DIR, RegisteredResource, SECRET_SIG, SECRET_SIG_KEY, secretValue } from "./componentPluginHarness";

const ACCOUNT = { accountId: "123456789012", partition: "aws", region: "eu-west-1" };
const EXTERNAL_ID = "portkey-4f7c2a91-external";
const PORTKEY = {
    name: "portkey",
    trustedPrincipals: ["arn:aws:iam::111111111111:role/portkey-gateway"],
    // A consumer sets the external ID as a secret: it reaches the plugin in the engine's secret form.
    externalId: secretValue(EXTERNAL_ID),
    models: ["anthropic.claude-sonnet-4-20250514-v1:0", "eu.anthropic.claude-haiku-4-5-20251001-v1:0"],
    guardrails: ["gr7x2k9q1abc"],
    streaming: false,
};
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

// Bounds for every wait (the plugin type-checks its sources with ts-node on start, as the engine runs it): the test ends by itself.
const START_SECONDS = 300;
const CALL_SECONDS = 120;

function isSecret(value: unknown): value is { value: unknown } {
    return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

function only(registered: readonly RegisteredResource[], type: string): RegisteredResource {
    const matching = registered.filter((resource) => resource.type === type);
    assert.equal(matching.length, 1, `one ${type}: ${JSON.stringify(registered.map((resource) => resource.type))}`);
    return matching[0];
}

describe("the bedrock-access component plugin, started as the engine starts it", function () {
    this.timeout((START_SECONDS + 8 * CALL_SECONDS) * 1000);
    let engine: FakeEngine;
    let plugin: Awaited<ReturnType<typeof ComponentPlugin.start>>;

    /** Constructs through the plugin and returns what registered during that call. */
    async function construct(type: string, name: string, inputs: Record<string, unknown>, dryRun = false) {
        const before = engine.registered.length;
        const result = await plugin.construct(engine, { type: `bedrock-access:index:${type}`, name, inputs, dryRun }, CALL_SECONDS);
        return { ...result, registered: engine.registered.slice(before) };
    }

    /** Every child's parent is the component or one of its descendants. */
    function assertParented(componentUrn: string, registered: readonly RegisteredResource[]): void {
        const urns = new Set([componentUrn]);
        for (const resource of registered) {
            if (resource.custom || resource.type.startsWith("bedrock-access:")) {
                if (resource.type.startsWith("bedrock-access:index:")) continue;
                assert.ok(urns.has(resource.parent), `${resource.type} ${resource.name} is parented by ${resource.parent || "nothing"}`);
                urns.add(`urn:pulumi:test::consumer::${resource.type}::${resource.name}`);
            }
        }
    }

    before(async () => {
        engine = new FakeEngine(ACCOUNT);
        await engine.start();
        plugin = await ComponentPlugin.start(engine.address, START_SECONDS);
    });
    after(() => {
        plugin?.stop();
        engine?.stop();
    });

    it("is a nodejs source plugin whose first stdout line is its port, and prints nothing else", () => {
        assert.match(fs.readFileSync(path.join(PLUGIN_DIR, "PulumiPlugin.yaml"), "utf8"), /^runtime: nodejs$/m);
        assert.equal(JSON.parse(fs.readFileSync(path.join(PLUGIN_DIR, "package.json"), "utf8")).name, "bedrock-access");
        assert.match(plugin.firstLine, /^\d+$/);
    });

    it("GetSchema: the package, the four components, their keys with their types, and roleArn", async () => {
        const schema = (await plugin.getSchema(CALL_SECONDS)) as {
            name: string;
            resources: Record<string, { isComponent: boolean; inputProperties: Record<string, { type: string; items?: { type: string } }>; requiredInputs: string[]; properties: Record<string, { type: string }> }>;
        };
        assert.equal(schema.name, "bedrock-access");
        assert.deepEqual(Object.keys(schema.resources).sort(), ["BedrockPrivateEndpoints", "BedrockServiceRole", "GatewayAccessRole", "InvocationMonitoring"].map((name) => `bedrock-access:index:${name}`));
        for (const resource of Object.values(schema.resources)) assert.equal(resource.isComponent, true);
        const gateway = schema.resources["bedrock-access:index:GatewayAccessRole"];
        const typeOf = (key: string) => { const property = gateway.inputProperties[key] as { type?: string; items?: { type?: string; $ref?: string }; $ref?: string; additionalProperties?: { type: string } }; return property.type === "array" ? `${property.items!.type ?? property.items!.$ref}[]` : property.type === "object" ? `map of ${property.additionalProperties?.type}` : (property.type ?? property.$ref); };
        assert.deepEqual(
            Object.fromEntries(Object.keys(gateway.inputProperties).sort().map((key) => [key, typeOf(key)])),
            {
                agentRuntimes: "string[]",
                apis: "string[]",
                applicationProfiles: "#/types/bedrock-access:index:ApplicationProfileArgs[]",
                attachToRole: "string",
                costTags: "map of string",
                externalId: "string",
                guardrails: "string[]",
                iamQuotas: "#/types/bedrock-access:index:IamQuotasArgs",
                mantleModels: "string[]",
                mantleProjects: "string[]",
                marketplaceProductIds: "string[]",
                maxSessionDurationSeconds: "number",
                models: "string[]",
                name: "string",
                permissionsBoundary: "string",
                requireGuardrail: "boolean",
                streaming: "boolean",
                tags: "map of string",
                trustedPrincipals: "string[]",
            },
        );
        assert.deepEqual(gateway.requiredInputs.sort(), ["models", "name"]);
        assert.equal(gateway.properties.roleArn.type, "string");
        assert.equal(gateway.properties.externalId.type, "string");
        const endpoints = schema.resources["bedrock-access:index:BedrockPrivateEndpoints"];
        assert.deepEqual(Object.keys(endpoints.inputProperties).sort(), ["allowedPrincipals", "organizationId", "privateDns", "securityGroupIds", "services", "subnetIds", "tags", "vpcId"]);
        assert.ok(schema.resources["bedrock-access:index:InvocationMonitoring"].inputProperties.logRetentionDays.type === "number");
        assert.ok(schema.resources["bedrock-access:index:BedrockServiceRole"].inputProperties.kind.type === "string");
        const monitoringKeys = Object.keys(schema.resources["bedrock-access:index:InvocationMonitoring"].inputProperties);
        for (const key of ["budgets", "activateCostTags", "watchesMantle", "applicationProfileOwners"]) assert.ok(monitoringKeys.includes(key), `InvocationMonitoring takes ${key}`);
        const serviceRoleKeys = Object.keys(schema.resources["bedrock-access:index:BedrockServiceRole"].inputProperties);
        for (const key of ["costTags", "keyUsers", "guardrails", "collaborators", "inputData"]) assert.ok(serviceRoleKeys.includes(key), `BedrockServiceRole takes ${key}`);
    });

    it("Construct GatewayAccessRole: the trust with the exact external ID, kept secret; the model-scoped policy; roleArn", async () => {
        const { urn, state, registered } = await construct("GatewayAccessRole", "portkey", PORTKEY);
        assert.equal(urn, "urn:pulumi:test::consumer::bedrock-access:index:GatewayAccessRole::portkey");
        assert.equal(state.roleArn, "arn:aws:iam::123456789012:role/bedrock-gateway-portkey-eu-west-1");
        assert.ok(isSecret(state.externalId), "the external ID output is a secret");
        assert.equal(state.externalId.value, EXTERNAL_ID);

        const role = only(registered, "aws:iam/role:Role");
        assert.equal(role.properties.name, "bedrock-gateway-portkey-eu-west-1");
        assert.ok(isSecret(role.properties.assumeRolePolicy), "the trust policy is registered as a secret");
        assert.deepEqual(JSON.parse(String(role.properties.assumeRolePolicy.value)), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "GatewayAssumeRoleWithExternalId",
                    Effect: "Allow",
                    Principal: { AWS: ["arn:aws:iam::111111111111:role/portkey-gateway"] },
                    Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "sts:ExternalId": EXTERNAL_ID } },
                },
            ],
        });
        const policy = JSON.parse(String(only(registered, "aws:iam/rolePolicy:RolePolicy").properties.policy)) as { Statement: { Sid: string; Action: string[]; Resource: string[] }[] };
        const invoke = policy.Statement.find((statement) => statement.Sid === "InvokeListedModels")!;
        assert.deepEqual(invoke.Action, ["bedrock:InvokeModel"], "streaming: false grants no streaming action");
        assert.ok(invoke.Resource.includes("arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0"));
        assert.ok(invoke.Resource.includes("arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0"));
        for (const statement of policy.Statement) for (const resource of [statement.Resource].flat()) assert.notEqual(resource, "*", `${statement.Sid} names its resources`);
        assert.ok(policy.Statement.some((statement) => [statement.Action].flat().includes("bedrock:ApplyGuardrail")), "the guardrail is granted");
        assertParented(urn, registered);
    });

    it("Construct GatewayAccessRole at preview: the trust is known, and secret", async () => {
        const { registered } = await construct("GatewayAccessRole", "portkey-preview", { ...PORTKEY, name: "portkey-preview" }, true);
        const trust = only(registered, "aws:iam/role:Role").properties.assumeRolePolicy;
        assert.ok(isSecret(trust));
        assert.notEqual(trust.value, UNKNOWN);
        assert.match(String(trust.value), new RegExp(`"sts:ExternalId":"${EXTERNAL_ID}"`));
        assert.notEqual(only(registered, "aws:iam/rolePolicy:RolePolicy").properties.policy, UNKNOWN);
    });

    it("Construct GatewayAccessRole with attachToRole: the policy goes on the existing role, no role is created", async () => {
        const { state, registered } = await construct("GatewayAccessRole", "litellm", { name: "litellm", attachToRole: "litellm-eks-irsa", models: ["amazon.nova-pro-v1:0"] });
        assert.equal(state.roleArn, "arn:aws:iam::123456789012:role/litellm-eks-irsa");
        assert.equal(registered.filter((resource) => resource.type === "aws:iam/role:Role").length, 0);
        assert.equal(only(registered, "aws:iam/rolePolicy:RolePolicy").properties.role, "litellm-eks-irsa");
        assert.ok(engine.invokes.includes("aws:iam/getRole:getRole"));
    });

    it("refuses a bad externalId before anything registers, naming the key, masking the value, stating the rule", async () => {
        const before = engine.registered.length;
        await assert.rejects(
            plugin.construct(engine, { type: "bedrock-access:index:GatewayAccessRole", name: "bad", inputs: { ...PORTKEY, name: "bad", externalId: secretValue("has spaces in it") } }, CALL_SECONDS),
            (error: Error) => {
                assert.match(error.message, /Invalid args of bedrock-access:index:GatewayAccessRole bad \(1 problem\); no resource was registered/);
                assert.match(error.message, /externalId = \(secret, 16 characters\): must contain only letters, digits and _\+=,\.@:\/- \(STS's rule for sts:ExternalId\)/);
                assert.doesNotMatch(error.message, /has spaces/);
                return true;
            },
        );
        assert.deepEqual(engine.registered.slice(before), [], "neither the component nor any child registered");
    });

    it("refuses trustedPrincipals with attachToRole, as the stack does", async () => {
        await assert.rejects(
            plugin.construct(engine, { type: "bedrock-access:index:GatewayAccessRole", name: "both", inputs: { ...PORTKEY, name: "both", attachToRole: "existing-role" } }, CALL_SECONDS),
            /trustedPrincipals = \["arn:aws:iam::111111111111:role\/portkey-gateway"\]: conflicts with attachToRole/,
        );
    });

    it("Construct BedrockServiceRole: a flow's role trusted by Bedrock for this account's flows, with its kind's keys", async () => {
        const { urn, state, registered } = await construct("BedrockServiceRole", "support-flow", {
            kind: "flows",
            name: "support-flow",
            models: ["anthropic.claude-sonnet-4-20250514-v1:0"],
            s3Read: ["support-flow-inputs/tickets"],
        });
        const role = only(registered, "aws:iam/role:Role");
        const trust = JSON.parse(String(role.properties.assumeRolePolicy)) as { Statement: { Principal: unknown; Condition: Record<string, Record<string, string>> }[] };
        assert.deepEqual(trust.Statement[0].Principal, { Service: "bedrock.amazonaws.com" });
        assert.equal(trust.Statement[0].Condition.StringEquals["aws:SourceAccount"], "123456789012");
        assert.equal(state.roleArn, `arn:aws:iam::123456789012:role/${String(role.properties.name)}`);
        assertParented(urn, registered);
        await assert.rejects(
            plugin.construct(engine, { type: "bedrock-access:index:BedrockServiceRole", name: "bad-kind", inputs: { kind: "flow", name: "x" } }, CALL_SECONDS),
            /kind = "flow": must be one of flows, agents, knowledgeBases, modelCustomization, batchInference/,
        );
    });

    it("Construct InvocationMonitoring: the logging configuration and its alarms, all under the component", async () => {
        const { urn, state, registered } = await construct("InvocationMonitoring", "monitoring", {
            models: ["anthropic.claude-sonnet-4-20250514-v1:0"],
            invocationLogging: "create",
            logRetentionDays: 30,
            alertEmails: ["oncall@example.com"],
            kmsKey: "create",
            alarms: { throttles: 5 },
        });
        const types = new Set(registered.map((resource) => resource.type));
        for (const type of ["aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration", "aws:cloudwatch/logGroup:LogGroup", "aws:cloudwatch/metricAlarm:MetricAlarm", "aws:sns/topic:Topic"]) {
            assert.ok(types.has(type), `registers ${type}: ${[...types].join(", ")}`);
        }
        assert.equal(typeof state.logGroupName, "string");
        assertParented(urn, registered);
        await assert.rejects(
            plugin.construct(engine, { type: "bedrock-access:index:InvocationMonitoring", name: "bad-monitoring", inputs: { logRetentionDays: 31 } }, CALL_SECONDS),
            /logRetentionDays = 31: must be one of the values CloudWatch Logs accepts/,
        );
    });

    it("Construct BedrockPrivateEndpoints: one endpoint per service whose policy is the account's perimeter, plus the listed roles", async () => {
        const { urn, state, registered } = await construct("BedrockPrivateEndpoints", "endpoints", {
            vpcId: "vpc-0a1b2c3d4e5f60718",
            subnetIds: ["subnet-0a1b2c3d4e5f60718"],
            securityGroupIds: ["sg-0a1b2c3d4e5f60718"],
            services: ["bedrock-runtime"],
            allowedPrincipals: ["arn:aws:iam::111111111111:role/app"],
        });
        const endpoint = only(registered, "aws:ec2/vpcEndpoint:VpcEndpoint");
        assert.equal(endpoint.properties.serviceName, "com.amazonaws.eu-west-1.bedrock-runtime");
        const statements = (JSON.parse(String(endpoint.properties.policy)) as { Statement: { Sid: string; Condition?: Record<string, Record<string, unknown>> }[] }).Statement;
        assert.deepEqual(statements.map((statement) => statement.Sid), ["PrincipalsOfThisAccountToThisAccountsResources", "PrincipalsOfThisAccountToAccountLevelCalls", "PrincipalsOfThisAccountToFoundationModels", "ListedRolesToThisAccountsResources", "ListedRolesToFoundationModels"]);
        assert.deepEqual(statements[0].Condition, { StringEquals: { "aws:PrincipalAccount": "123456789012", "aws:ResourceAccount": "123456789012" } });
        assert.deepEqual(statements[3].Condition?.ArnEquals, { "aws:PrincipalArn": ["arn:aws:iam::111111111111:role/app"] });
        assert.deepEqual(Object.keys(state.endpointIds as object), ["bedrock-runtime"]);
        assertParented(urn, registered);
        await assert.rejects(
            plugin.construct(engine, { type: "bedrock-access:index:BedrockPrivateEndpoints", name: "bad-endpoints", inputs: { vpcId: "vpc-1", subnetIds: [], securityGroupIds: ["sg-0a1b2c3d4e5f60718"], services: ["bedrock-runtime"] } }, CALL_SECONDS),
            /vpcId = "vpc-1": must be a VPC ID/,
        );
    });

    it("printed nothing on stdout after the port", () => {
        assert.equal(plugin.output.stdout, "");
    });
});
