/**
 * Cost attribution on a stack of two teams (test/stacks/Pulumi.cost-teams.yaml): the teams' tags on
 * their roles and application inference profiles, what each gateway may invoke (simulated, under the
 * stack's permissions boundary), the budget and who may publish its alerts, the pack over its real
 * protocol, and the configuration it refuses.
 */
import * as assert from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AwsLocation } from "../../components/arns/bedrockArns";
import { ConfigIssue, ConfigValidationError } from "../../components/config/configValidation";
import { PolicyDocument } from "../../components/iam/iamDocument";
import { StackConfig, validateStackConfig } from "../../components/stack/stackConfig";
import { planStackPermissions, stackPermissionsBoundary } from "../../components/stack/stackPermissions";
import { RegisteredResource, plainValue } from "../../offline/engine/mockEngine";
import { PolicyPackClient } from "../../offline/engine/policyPackClient";
import { loadStackConfig } from "../../offline/engine/stackFile";
import { ACCOUNT_ID, PROJECT, mockEngine, promiseOf, runProgram } from "../harness";
import { decide } from "../simulate";

const ROOT = path.resolve(__dirname, "..", "..");
const STACK_FILE = path.join(ROOT, "test", "stacks", "Pulumi.cost-teams.yaml");
const location: AwsLocation = { partition: "aws", region: "eu-west-1", accountId: ACCOUNT_ID };
const HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0";
const HAIKU_PROFILE = `arn:aws:bedrock:eu-west-1:${ACCOUNT_ID}:inference-profile/eu.${HAIKU}`;
const NOVA = `arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0`;
const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT_ID}:bedrock-invocation-alerts`;
/** Application profile IDs are AWS's: any ID stands for the profile the stack created. */
const profileArn = (id: string) => `arn:aws:bedrock:eu-west-1:${ACCOUNT_ID}:application-inference-profile/${id}`;
const session = (gateway: string) => `arn:aws:sts::${ACCOUNT_ID}:assumed-role/bedrock-gateway-${gateway}-eu-west-1/${gateway}`;

interface StackRun {
    readonly resources: readonly RegisteredResource[];
    readonly outputs: Record<string, unknown>;
    readonly config: StackConfig;
}

/** The stack file's configuration, every namespace included (`aws:defaultTags`), as the engine hands it to the program. */
async function runStackFile(preview = true): Promise<StackRun> {
    const stackConfig = loadStackConfig(ROOT, "cost-teams", STACK_FILE);
    const engine = await mockEngine();
    await engine.configure({ project: PROJECT, stack: "cost-teams", preview });
    engine.reset();
    pulumi.runtime.setAllConfig(stackConfig.config, stackConfig.secretKeys);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require("../../index") as () => Promise<Record<string, unknown>>;
    let outputs: Record<string, unknown>;
    try {
        outputs = await program();
    } finally {
        await engine.settle();
        await engine.configure({ project: PROJECT, stack: "test", preview: true });
    }
    const projectValues = Object.fromEntries(
        Object.entries(stackConfig.config)
            .filter(([key]) => key.startsWith(`${PROJECT}:`))
            .map(([key, value]) => [key.slice(PROJECT.length + 1), value]),
    );
    const config = validateStackConfig({ region: "eu-west-1", projectValues, defaultTags: JSON.parse(stackConfig.config["aws:defaultTags"]) });
    return { resources: [...engine.resources], outputs, config };
}

const byName = (resources: readonly RegisteredResource[], type: string, name: string): Record<string, unknown> => {
    const found = resources.find((resource) => resource.type === type && resource.name === name);
    assert.ok(found, `${type} ${name} is registered`);
    return plainValue(found.properties) as Record<string, unknown>;
};
const documentOf = (properties: Record<string, unknown>): PolicyDocument => JSON.parse(properties.policy as string) as PolicyDocument;

describe("cost attribution: two teams, an application profile each and a budget", function () {
    this.timeout(120_000);
    let run: StackRun;
    before(async () => {
        run = await runStackFile();
    });

    it("tags each team's role and invoke policy with the team's tags and the gateway's name", () => {
        for (const team of ["search", "support"]) {
            const role = byName(run.resources, "aws:iam/role:Role", `bedrock-gateway-${team}`);
            assert.deepStrictEqual(role.tags, { "bedrock-access:gateway": team, team });
        }
    });

    it("creates each application profile as a copy of the listed model, tagged with the stack's, the gateway's and its own tags", () => {
        const search = byName(run.resources, "aws:bedrock/inferenceProfile:InferenceProfile", "bedrock-gateway-search-profiles-search-haiku");
        assert.strictEqual(search.name, "search-haiku");
        assert.deepStrictEqual(search.modelSource, { copyFrom: HAIKU_PROFILE });
        assert.deepStrictEqual(search.tags, { "cost-center": "ai-platform", team: "search", app: "ranking", "bedrock-access:gateway": "search" });
        const support = byName(run.resources, "aws:bedrock/inferenceProfile:InferenceProfile", "bedrock-gateway-support-profiles-support-nova");
        assert.deepStrictEqual(support.modelSource, { copyFrom: NOVA });
        assert.deepStrictEqual(support.tags, { "cost-center": "ai-platform", team: "support", "bedrock-access:gateway": "support" });
    });

    it("outputs each gateway's application profiles by name", () => {
        const gateways = run.outputs.gateways as Record<string, { applicationProfiles: Record<string, unknown> }>;
        assert.deepStrictEqual(Object.keys(gateways.search.applicationProfiles), ["search-haiku"]);
        assert.deepStrictEqual(Object.keys(gateways.support.applicationProfiles), ["support-nova"]);
    });

    it("lets the usage readers read both teams' application profiles by their owner tag (to price them), and no other profile", async () => {
        const readers = run.resources.find((resource) => resource.type === "aws:iam/policy:Policy" && String(resource.properties.name).startsWith("bedrock-usage-report-"));
        assert.ok(readers, "the usage readers' policy is registered");
        const policy = documentOf(readers.properties);
        const statement = policy.Statement.find((entry) => entry.Sid === "ReadApplicationInferenceProfiles");
        assert.deepStrictEqual(statement && [statement.Action, statement.Resource, statement.Condition], [
            "bedrock:GetInferenceProfile",
            `arn:aws:bedrock:eu-west-1:${ACCOUNT_ID}:application-inference-profile/*`,
            { StringEquals: { "aws:ResourceTag/bedrock-access:gateway": ["search", "support"] } },
        ]);
        const reader = `arn:aws:iam::${ACCOUNT_ID}:user/finance`;
        const reads = async (owner: string | undefined) =>
            decide({ action: "bedrock:GetInferenceProfile", principal: reader, resource: profileArn("a1b2c3d4e5f6"), resourceAccount: ACCOUNT_ID, identityPolicies: [policy], context: owner ? { "aws:ResourceTag/bedrock-access:gateway": owner } : {} });
        assert.strictEqual(await reads("search"), "Allowed");
        assert.strictEqual(await reads("support"), "Allowed");
        assert.notStrictEqual(await reads("payroll"), "Allowed");
        assert.notStrictEqual(await reads(undefined), "Allowed");
    });

    it("writes a monthly USD cost budget over the team's tag, Bedrock and Marketplace-billed, with a notification per threshold to the alert topic", () => {
        const budget = byName(run.resources, "aws:budgets/budget:Budget", "bedrock-cost-budgets-search-bedrock");
        assert.strictEqual(budget.name, "search-bedrock");
        assert.strictEqual(budget.budgetType, "COST");
        assert.strictEqual(budget.timeUnit, "MONTHLY");
        assert.strictEqual(budget.limitUnit, "USD");
        assert.strictEqual(budget.limitAmount, "2500.00");
        assert.deepStrictEqual(budget.filterExpression, {
            ands: [
                { tags: { key: "team", values: ["search"], matchOptions: ["EQUALS"] } },
                { ors: [{ dimensions: { key: "SERVICE", values: ["Amazon Bedrock"] } }, { dimensions: { key: "BILLING_ENTITY", values: ["AWS Marketplace"] } }] },
            ],
        });
        const notification = (notificationType: string, threshold: number) => ({
            comparisonOperator: "GREATER_THAN",
            threshold,
            thresholdType: "PERCENTAGE",
            notificationType,
            subscriberSnsTopicArns: [TOPIC],
        });
        assert.deepStrictEqual(budget.notifications, [notification("ACTUAL", 50), notification("ACTUAL", 80), notification("ACTUAL", 100), notification("FORECASTED", 100)]);
    });

    it("registers no cost allocation tag unless activateCostTags is set", () => {
        assert.deepStrictEqual(
            run.resources.filter((resource) => resource.type === "aws:costexplorer/costAllocationTag:CostAllocationTag"),
            [],
        );
    });

    describe("what each gateway may invoke, simulated under the stack's permissions boundary", () => {
        let boundary: PolicyDocument;
        const invokePolicy = (team: string) => documentOf(byName(run.resources, "aws:iam/rolePolicy:RolePolicy", `bedrock-gateway-${team}-invoke`));
        const invoke = (team: string, resource: string, context: Record<string, string>, action = "bedrock:InvokeModel") =>
            decide({ action, principal: session(team), resource, resourceAccount: ACCOUNT_ID, identityPolicies: [invokePolicy(team)], permissionsBoundary: boundary, context });
        const owner = (team: string) => ({ "aws:ResourceTag/bedrock-access:gateway": team });
        before(() => {
            boundary = stackPermissionsBoundary(run.config, location, "cost-teams", planStackPermissions(run.config, location)).document;
        });

        for (const [team, other] of [
            ["search", "support"],
            ["support", "search"],
        ]) {
            it(`lets ${team} invoke its own application profiles, streaming too`, async () => {
                assert.strictEqual(await invoke(team, profileArn(`${team}0001`), owner(team)), "Allowed");
                assert.strictEqual(await invoke(team, profileArn(`${team}0001`), owner(team), "bedrock:InvokeModelWithResponseStream"), "Allowed");
            });
            it(`denies ${team} the ${other} team's application profiles`, async () => {
                assert.notStrictEqual(await invoke(team, profileArn(`${other}0001`), owner(other)), "Allowed");
            });
            it(`denies ${team} an application profile without the owner tag`, async () => {
                assert.notStrictEqual(await invoke(team, profileArn("untagged01"), {}), "Allowed");
                assert.notStrictEqual(await invoke(team, profileArn("teamtag001"), { "aws:ResourceTag/team": team }), "Allowed");
            });
        }

        it("lets search reach the copied system profile's model in every region it routes to, through an application profile", async () => {
            for (const region of ["eu-west-1", "eu-central-1", "eu-west-3"]) {
                const model = `arn:aws:bedrock:${region}::foundation-model/${HAIKU}`;
                assert.strictEqual(await invoke("search", model, { "bedrock:InferenceProfileArn": profileArn("search0001") }), "Allowed", region);
            }
        });

        it("does not let support reach the haiku model at all, through any profile", async () => {
            const model = `arn:aws:bedrock:eu-central-1::foundation-model/${HAIKU}`;
            assert.notStrictEqual(await invoke("support", model, { "bedrock:InferenceProfileArn": profileArn("support0001") }), "Allowed");
        });

        it("does not let search call the haiku model directly in another region", async () => {
            assert.notStrictEqual(await invoke("search", `arn:aws:bedrock:eu-central-1::foundation-model/${HAIKU}`, {}), "Allowed");
        });
    });

    describe("who may publish the budget's alerts, simulated", () => {
        const topicPolicy = () => documentOf(byName(run.resources, "aws:sns/topicPolicy:TopicPolicy", "bedrock-monitoring-alerts"));
        const keyPolicy = () => documentOf(byName(run.resources, "aws:kms/key:Key", "bedrock-monitoring-key"));
        const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT_ID}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;
        const fromBudgets = (account: string) => ({ "aws:SourceAccount": account, "aws:SourceArn": `arn:aws:budgets::${account}:budget/search-bedrock` });
        const publish = (context: Record<string, string>) =>
            decide({ action: "sns:Publish", principal: "budgets.amazonaws.com", resource: TOPIC, resourceAccount: ACCOUNT_ID, resourcePolicy: topicPolicy(), context });
        const useKey = (action: string, context: Record<string, string>) =>
            decide({ action, principal: "budgets.amazonaws.com", resource: KEY, resourceAccount: ACCOUNT_ID, resourcePolicy: keyPolicy(), context });

        it("lets this account's budgets publish to the alert topic", async () => assert.strictEqual(await publish(fromBudgets(ACCOUNT_ID)), "Allowed"));
        it("denies another account's budgets", async () => assert.notStrictEqual(await publish(fromBudgets("999999999999")), "Allowed"));
        it("denies Budgets without the source account", async () => assert.notStrictEqual(await publish({}), "Allowed"));
        it("lets this account's budgets use the topic's key", async () => {
            assert.strictEqual(await useKey("kms:GenerateDataKey", fromBudgets(ACCOUNT_ID)), "Allowed");
            assert.strictEqual(await useKey("kms:Decrypt", fromBudgets(ACCOUNT_ID)), "Allowed");
        });
        it("denies another account's budgets the key", async () => assert.notStrictEqual(await useKey("kms:GenerateDataKey", fromBudgets("999999999999")), "Allowed"));
        it("denies Budgets the key without the source account", async () => assert.notStrictEqual(await useKey("kms:GenerateDataKey", {}), "Allowed"));
    });

    describe("the policy pack, over the Analyzer protocol", () => {
        let pack: PolicyPackClient;
        before(async () => {
            pack = await PolicyPackClient.start();
        });
        after(() => pack?.close());

        it("passes the stack: every resource, then the stack as a whole, as the engine sends them", async () => {
            const perResource = [];
            for (const resource of run.resources) perResource.push(...(await pack.analyze(resource)));
            assert.deepStrictEqual(perResource, []);
            assert.deepStrictEqual(await pack.analyzeStack(run.resources), []);
        });

        const rolePolicy = (statement: Record<string, unknown>) => ({
            urn: "urn:pulumi:test::bedrock-access::aws:iam/rolePolicy:RolePolicy::bare",
            type: "aws:iam/rolePolicy:RolePolicy",
            name: "bare",
            properties: {
                role: "bedrock-gateway-search-eu-west-1",
                policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Profiles", Effect: "Allow", Action: "bedrock:InvokeModel", Resource: profileArn("*"), ...statement }] }),
            },
        });
        const scopeMessages = async (statement: Record<string, unknown>) =>
            (await pack.analyze(rolePolicy(statement))).filter((diagnostic) => diagnostic.policyName === "bedrock-model-scoped-resources").map((diagnostic) => diagnostic.message);

        it("reports a bare application-inference-profile/* grant", async () => {
            const messages = await scopeMessages({});
            assert.ok(messages.some((message) => message.includes(`"${profileArn("*")}" with no exact aws:ResourceTag condition`)), messages.join("\n"));
        });
        it("reports it under a tag pattern rather than an exact value", async () => {
            const messages = await scopeMessages({ Condition: { StringLike: { "aws:ResourceTag/team": "*" } } });
            assert.ok(messages.some((message) => message.includes("with no exact aws:ResourceTag condition")), messages.join("\n"));
        });
        it("does not accept the request's tags in place of the profile's for invocation", async () => {
            const messages = await scopeMessages({ Condition: { StringEquals: { "aws:RequestTag/bedrock-access:gateway": "search" } } });
            assert.ok(messages.some((message) => message.includes("with no exact aws:ResourceTag condition")), messages.join("\n"));
        });
        it("accepts the request's exact tags for creating profiles (the deployer's CreateInferenceProfile)", async () => {
            assert.deepStrictEqual(await scopeMessages({ Action: "bedrock:CreateInferenceProfile", Condition: { StringEquals: { "aws:RequestTag/bedrock-access:gateway": "search" } } }), []);
        });
        it("accepts it under an exact aws:ResourceTag condition", async () => {
            assert.deepStrictEqual(await scopeMessages({ Condition: { StringEquals: { "aws:ResourceTag/bedrock-access:gateway": "search" } } }), []);
        });
    });
});

describe("cost attribution: configuration refused before anything registers", () => {
    const teamGateway = (overrides: Record<string, unknown> = {}) => ({
        name: "search",
        trustedPrincipals: ["arn:aws:iam::111111111111:role/search-gateway"],
        externalId: "search-external-id-1",
        models: [`eu.${HAIKU}`],
        ...overrides,
    });
    const budget = (overrides: Record<string, unknown> = {}) => ({ name: "search", monthlyLimitUsd: 100, costTags: { team: "search" }, thresholdsPercent: [80], ...overrides });
    const issuesOf = (projectValues: Record<string, unknown>, defaultTags?: unknown): ConfigIssue[] => {
        try {
            validateStackConfig({
                region: "eu-west-1",
                projectValues: Object.fromEntries(Object.entries(projectValues).map(([key, value]) => [key, JSON.stringify(value)])),
                defaultTags,
            });
        } catch (error) {
            if (error instanceof ConfigValidationError) return [...error.issues];
            throw error;
        }
        return [];
    };
    const cases: { title: string; values: Record<string, unknown>; defaultTags?: unknown; path: string; rule: RegExp }[] = [
        {
            title: "a budget without tags",
            values: { gateways: [teamGateway()], monitoring: { budgets: [budget({ costTags: {} })] } },
            path: "monitoring.budgets[0].costTags",
            rule: /must name at least one tag/,
        },
        {
            title: "a budget with no costTags key",
            values: { gateways: [teamGateway()], monitoring: { budgets: [{ name: "x", monthlyLimitUsd: 1, thresholdsPercent: [50] }] } },
            path: "monitoring.budgets[0].costTags",
            rule: /./,
        },
        {
            title: "a negative limit",
            values: { gateways: [teamGateway()], monitoring: { budgets: [budget({ monthlyLimitUsd: -5 })] } },
            path: "monitoring.budgets[0].monthlyLimitUsd",
            rule: /must be a positive number of US dollars/,
        },
        {
            title: "a budget of more than ten notifications",
            values: { gateways: [teamGateway()], monitoring: { budgets: [budget({ thresholdsPercent: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], forecastPercent: 100 })] } },
            path: "monitoring.budgets[0].thresholdsPercent",
            rule: /makes 11 notifications; AWS Budgets allows 10/,
        },
        {
            title: "a threshold of 0 percent",
            values: { gateways: [teamGateway()], monitoring: { budgets: [budget({ thresholdsPercent: [0] })] } },
            path: "monitoring.budgets[0].thresholdsPercent[0]",
            rule: /must be above 0/,
        },
        {
            title: "two budgets of one name",
            values: { gateways: [teamGateway()], monitoring: { budgets: [budget(), budget()] } },
            path: "monitoring.budgets[1].name",
            rule: /must be unique/,
        },
        {
            title: "budgets with monitoring off",
            values: { gateways: [teamGateway()], monitoring: { enabled: false, budgets: [budget()] } },
            path: "monitoring.budgets",
            rule: /need monitoring/,
        },
        {
            title: "copyFrom naming a model the gateway does not list",
            values: { gateways: [teamGateway({ applicationProfiles: [{ name: "search-sonnet", copyFrom: "anthropic.claude-sonnet-4-20250514-v1:0" }] })] },
            path: "gateways[0].applicationProfiles[0].copyFrom",
            rule: /must be one of the gateway's models/,
        },
        {
            title: "copyFrom naming an application profile",
            values: { gateways: [teamGateway({ applicationProfiles: [{ name: "p", copyFrom: profileArn("abc") }] })] },
            path: "gateways[0].applicationProfiles[0].copyFrom",
            rule: /must be a foundation model or a system inference profile/,
        },
        {
            title: "an aws: tag key on a gateway",
            values: { gateways: [teamGateway({ costTags: { "aws:team": "search" } })] },
            path: "gateways[0].costTags.aws:team",
            rule: /must not start with aws:/,
        },
        {
            title: "an AWS: tag key on a profile, in any case",
            values: { gateways: [teamGateway({ applicationProfiles: [{ name: "p", copyFrom: `eu.${HAIKU}`, costTags: { "AWS:x": "y" } }] })] },
            path: "gateways[0].applicationProfiles[0].costTags.AWS:x",
            rule: /must not start with aws:/,
        },
        {
            title: "a tag value with a character IAM refuses",
            values: { gateways: [teamGateway({ costTags: { team: "search;drop" } })] },
            path: "gateways[0].costTags.team",
            rule: /may hold only letters/,
        },
        {
            title: "a tag key longer than 128 characters",
            values: { gateways: [teamGateway({ costTags: { ["k".repeat(129)]: "v" } })] },
            path: `gateways[0].costTags.${"k".repeat(129)}`,
            rule: /1 to 128 characters/,
        },
        {
            title: "a tag the stack writes itself",
            values: { gateways: [teamGateway({ costTags: { "bedrock-access:gateway": "support" } })] },
            path: "gateways[0].costTags.bedrock-access:gateway",
            rule: /the stack writes those tags itself/,
        },
        {
            title: "an application profile name AWS would refuse",
            values: { gateways: [teamGateway({ applicationProfiles: [{ name: "search haiku!", copyFrom: `eu.${HAIKU}` }] })] },
            path: "gateways[0].applicationProfiles[0].name",
            rule: /CreateInferenceProfile's rule/,
        },
        {
            title: "an application profile name of 65 characters",
            values: { gateways: [teamGateway({ applicationProfiles: [{ name: "a".repeat(65), copyFrom: `eu.${HAIKU}` }] })] },
            path: "gateways[0].applicationProfiles[0].name",
            rule: /1 to 64 characters/,
        },
        {
            title: "two application profiles of one name",
            values: {
                gateways: [
                    teamGateway({ applicationProfiles: [{ name: "shared", copyFrom: `eu.${HAIKU}` }] }),
                    teamGateway({ name: "support", applicationProfiles: [{ name: "shared", copyFrom: `eu.${HAIKU}` }] }),
                ],
            },
            path: "gateways[1].applicationProfiles[0].name",
            rule: /must be unique/,
        },
        {
            title: "two created Mantle projects of one name",
            values: {
                gateways: [
                    teamGateway({ models: ["openai.gpt-oss-120b-1:0"], apis: ["mantle"], mantleProjects: [{ name: "chat" }] }),
                    teamGateway({ name: "support", models: ["openai.gpt-oss-120b-1:0"], apis: ["mantle"], mantleProjects: [{ name: "chat" }] }),
                ],
            },
            path: "gateways[1].mantleProjects[0].name",
            rule: /must be unique/,
        },
        {
            title: "a Mantle project entry that is neither an ID nor {name, costTags}",
            values: { gateways: [teamGateway({ models: ["openai.gpt-oss-120b-1:0"], apis: ["mantle"], mantleProjects: [{ name: "chat", owner: "x" }] })] },
            path: "gateways[0].mantleProjects[0]",
            rule: /unrecognized key|unknown key/i,
        },
        {
            title: "an aws: key in aws:defaultTags",
            values: { gateways: [teamGateway()] },
            defaultTags: { tags: { "aws:cost-center": "x" } },
            path: "aws:defaultTags.tags.aws:cost-center",
            rule: /must not start with aws:/,
        },
        {
            title: "a bad tag on a service role",
            values: { gateways: [teamGateway()], serviceRoles: { flows: [{ name: "f", models: [`eu.${HAIKU}`], costTags: { "aws:x": "y" } }] } },
            path: "serviceRoles.flows[0].costTags.aws:x",
            rule: /must not start with aws:/,
        },
        {
            title: "a bad tag on an AgentCore memory",
            values: { gateways: [teamGateway()], serviceRoles: { agentMemories: [{ name: "m", models: [`eu.${HAIKU}`], costTags: { "aws:x": "y" } }] } },
            path: "serviceRoles.agentMemories[0].costTags.aws:x",
            rule: /must not start with aws:/,
        },
    ];
    for (const testCase of cases) {
        it(`refuses ${testCase.title}`, () => {
            const issues = issuesOf(testCase.values, testCase.defaultTags);
            const issue = issues.find((candidate) => candidate.path === testCase.path);
            assert.ok(issue, `an issue at ${testCase.path}; got ${JSON.stringify(issues)}`);
            assert.match(issue.rule, testCase.rule);
        });
    }

    it("accepts a compliant configuration (each case above changes one thing of it)", () => {
        assert.deepStrictEqual(
            issuesOf({ gateways: [teamGateway({ costTags: { team: "search" }, applicationProfiles: [{ name: "search-haiku", copyFrom: `eu.${HAIKU}` }] })], monitoring: { budgets: [budget()] } }, { tags: { "cost-center": "x" } }),
            [],
        );
    });

    it("registers nothing when a budget is refused", async () => {
        await assert.rejects(runProgram({ gateways: [teamGateway()], monitoring: { budgets: [budget({ monthlyLimitUsd: -1 })] } }), /monitoring\.budgets\[0\]\.monthlyLimitUsd = -1: must be a positive number/);
        assert.deepStrictEqual((await mockEngine()).resources, []);
    });
});

describe("cost attribution: service roles, AgentCore roles, Mantle projects and cost allocation tags", function () {
    this.timeout(60_000);

    it("tags service and AgentCore roles with their entry's costTags", async () => {
        const { engine } = await runProgram({
            gateways: [],
            serviceRoles: {
                flows: [{ name: "triage", models: ["amazon.nova-pro-v1:0"], costTags: { team: "support" } }],
                agentMemories: [{ name: "notes", models: ["amazon.nova-pro-v1:0"], costTags: { team: "search" } }],
            },
        });
        const tagsOf = (name: string) => (plainValue(engine.ofType("aws:iam/role:Role").find((role) => role.name === name)!.properties) as { tags: Record<string, string> }).tags;
        assert.strictEqual(tagsOf("bedrock-flow-triage").team, "support");
        const memory = engine.ofType("aws:iam/role:Role").find((role) => role.name.includes("notes"));
        assert.ok(memory, "the memory role is registered");
        assert.strictEqual((plainValue(memory.properties) as { tags: Record<string, string> }).tags.team, "search");
    });

    it("creates a gateway's Mantle project, tagged, and binds CreateInference to the gateway's own projects", async () => {
        const { engine, outputs } = await runProgram({
            gateways: [
                {
                    name: "search",
                    trustedPrincipals: ["arn:aws:iam::111111111111:role/search-gateway"],
                    externalId: "search-external-id-1",
                    models: ["openai.gpt-oss-120b-1:0"],
                    apis: ["runtime", "mantle"],
                    costTags: { team: "search" },
                    mantleProjects: ["default", { name: "search-chat", costTags: { app: "chat" } }],
                },
            ],
        });
        const [project] = engine.ofType("aws-native:bedrockmantle:Project");
        assert.ok(project, "the project is registered");
        const properties = plainValue(project.properties) as { name: string; tags: { key: string; value: string }[] };
        assert.strictEqual(properties.name, "search-chat");
        assert.deepStrictEqual(properties.tags, [
            { key: "app", value: "chat" },
            { key: "bedrock-access:gateway", value: "search" },
            { key: "team", value: "search" },
        ]);
        assert.strictEqual(project.provider?.type, "pulumi:providers:aws-native");
        assert.deepStrictEqual(Object.keys((outputs as { mantleProjects: Record<string, Record<string, unknown>> }).mantleProjects.search), ["search-chat"]);

        const policy = JSON.parse((plainValue(engine.ofType("aws:iam/rolePolicy:RolePolicy")[0].properties) as { policy: string }).policy) as PolicyDocument;
        const createInference = (project: string, context: Record<string, string>) =>
            decide({
                action: "bedrock-mantle:CreateInference",
                principal: session("search"),
                resource: `arn:aws:bedrock-mantle:eu-west-1:${ACCOUNT_ID}:project/${project}`,
                resourceAccount: ACCOUNT_ID,
                identityPolicies: [policy],
                context: { "bedrock-mantle:Model": "openai.gpt-oss-120b", ...context },
            });
        assert.strictEqual(await createInference("proj_search01", { "aws:ResourceTag/bedrock-access:gateway": "search" }), "Allowed");
        assert.strictEqual(await createInference("default", {}), "Allowed");
        assert.notStrictEqual(await createInference("proj_other01", { "aws:ResourceTag/bedrock-access:gateway": "support" }), "Allowed");
        assert.notStrictEqual(await createInference("proj_other02", {}), "Allowed");
    });

    it("activates every costTags key the stack uses when activateCostTags is set", async () => {
        const { engine } = await runProgram({
            gateways: [
                {
                    name: "search",
                    trustedPrincipals: ["arn:aws:iam::111111111111:role/search-gateway"],
                    externalId: "search-external-id-1",
                    models: [`eu.${HAIKU}`],
                    costTags: { team: "search" },
                    applicationProfiles: [{ name: "search-haiku", copyFrom: `eu.${HAIKU}`, costTags: { app: "ranking" } }],
                },
            ],
            monitoring: { activateCostTags: true, budgets: [{ name: "b", monthlyLimitUsd: 10, costTags: { "cost-center": "ai" }, thresholdsPercent: [90] }] },
        });
        const tags = engine.ofType("aws:costexplorer/costAllocationTag:CostAllocationTag").map((resource) => plainValue(resource.properties));
        assert.deepStrictEqual(tags, [
            { tagKey: "app", status: "Active" },
            { tagKey: "cost-center", status: "Active" },
            { tagKey: "team", status: "Active" },
        ]);
    });

    it("resolves each application profile's ARN as a stack output after an update", async () => {
        const { outputs } = await runProgram(
            {
                gateways: [
                    {
                        name: "search",
                        trustedPrincipals: ["arn:aws:iam::111111111111:role/search-gateway"],
                        externalId: "search-external-id-1",
                        models: [`eu.${HAIKU}`],
                        applicationProfiles: [{ name: "search-haiku", copyFrom: `eu.${HAIKU}` }],
                    },
                ],
            },
            { preview: false },
        );
        const arn = (outputs as { gateways: Record<string, { applicationProfiles: Record<string, pulumi.Output<string>> }> }).gateways.search.applicationProfiles["search-haiku"];
        assert.match(await promiseOf(arn), new RegExp(`^arn:aws:bedrock:eu-west-1:${ACCOUNT_ID}:application-inference-profile/[0-9a-f]{12}$`));
    });
});
