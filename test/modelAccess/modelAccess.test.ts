/**
 * Model access as it works in 2026: Marketplace subscriptions pinned to product IDs, the
 * bedrock-mantle endpoint pinned to models, Lex bot aliases for flows with their resource policies,
 * and Anthropic's use-case form. Configuration rules, exact documents under mocks, the pack's
 * verdict, and what the documents allow, simulated.
 */
import * as assert from "assert";
import { PolicyDocument } from "../../components/iam/iamDocument";
import { validateStackConfig } from "../../components/stack/stackConfig";
import { plainValue } from "../../offline/engine/mockEngine";
import { ACCOUNT_ID, REGION, mockEngine, runProgram } from "../harness";
import { RejectionCase, assertPackFindsNothing, issuesOf, itRejects } from "../assertions";
import { decide } from "../simulate";

const SONNET = "anthropic.claude-sonnet-4-20250514-v1:0";
const GPT_OSS = "openai.gpt-oss-120b-1:0";
const PRODUCT = "prod-d2ik6zgct5hxi";
const OTHER_PRODUCT = "prod-otherproduct01";
const ROLE_SESSION = `arn:aws:sts::${ACCOUNT_ID}:assumed-role/bedrock-gateway-portkey-${REGION}/session`;
const DEFAULT_PROJECT = `arn:aws:bedrock-mantle:${REGION}:${ACCOUNT_ID}:project/default`;
const ALIAS = `arn:aws:lex:${REGION}:${ACCOUNT_ID}:bot-alias/BOT1234567/ALIAS12345`;
const FLOW_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/bedrock-flow-support-${REGION}`;

const gateway = (extra: Record<string, unknown> = {}) => ({
    name: "portkey",
    trustedPrincipals: ["arn:aws:iam::111111111111:role/portkey-gateway"],
    externalId: "portkey-7f3a9c2e",
    models: [SONNET, GPT_OSS],
    ...extra,
});
const flow = (extra: Record<string, unknown> = {}) => ({ name: "support", models: [SONNET], ...extra });
const useCase = {
    companyName: "Example Corp",
    companyWebsite: "https://www.example.com",
    intendedUsers: "0",
    industryOption: "Technology",
    otherIndustryOption: "",
    useCases: "Customer support answers.",
};

const validate = (projectValues: Record<string, unknown>) =>
    validateStackConfig({
        region: REGION,
        projectValues: Object.fromEntries(Object.entries({ monitoring: { enabled: false }, ...projectValues }).map(([key, value]) => [key, JSON.stringify(value)])),
    });

const statementsOf = (document: PolicyDocument, sids: readonly string[]) => document.Statement.filter((statement) => sids.includes(statement.Sid));

describe("model access configuration", () => {
    const cases: RejectionCase<Record<string, unknown>>[] = [
        {
            title: "a wildcard product ID",
            input: { gateways: [gateway({ marketplaceProductIds: ["prod-*"] })] },
            path: "gateways[0].marketplaceProductIds[0]",
            value: '"prod-*"',
            rule: /wildcards .* a pattern would let the role subscribe the account to other paid products/,
        },
        {
            title: "a product ID of the wrong shape",
            input: { gateways: [gateway({ marketplaceProductIds: ["claude-sonnet"] })] },
            path: "gateways[0].marketplaceProductIds[0]",
            value: '"claude-sonnet"',
            rule: /must be an AWS Marketplace product ID: prod- or prodview- followed by .* or a UUID/,
        },
        {
            title: "guardrails on a gateway that does not call bedrock-runtime",
            input: { gateways: [gateway({ apis: ["mantle"], guardrails: ["gr7x2k9q1abc"] })] },
            path: "gateways[0].guardrails",
            value: '["gr7x2k9q1abc"]',
            rule: /apply only when apis lists runtime/,
        },
        {
            title: "a mantle-only gateway whose models bedrock-mantle does not serve",
            input: { gateways: [gateway({ apis: ["mantle"], models: ["arn:aws:bedrock:eu-west-1:123456789012:provisioned-model/abc123"] })] },
            path: "gateways[0].models",
            value: '["arn:aws:bedrock:eu-west-1:123456789012:provisioned-model/abc123"]',
            rule: /none of these is served by bedrock-mantle/,
        },
        { title: "an unknown API", input: { gateways: [gateway({ apis: ["openai"] })] }, path: "gateways[0].apis[0]", value: '"openai"', rule: /must be runtime or mantle/ },
        { title: "no API", input: { gateways: [gateway({ apis: [] })] }, path: "gateways[0].apis", value: "[]", rule: /at least one API/ },
        { title: "an API twice", input: { gateways: [gateway({ apis: ["mantle", "mantle"] })] }, path: "gateways[0].apis", value: '["mantle","mantle"]', rule: /must not list an API twice/ },
        {
            title: "mantle models without the mantle API",
            input: { gateways: [gateway({ mantleModels: ["openai.gpt-oss-120b"] })] },
            path: "gateways[0].mantleModels",
            value: '["openai.gpt-oss-120b"]',
            rule: /applies only when apis lists mantle/,
        },
        {
            title: "a mantle project pattern",
            input: { gateways: [gateway({ apis: ["mantle"], mantleProjects: ["proj_*"] })] },
            path: "gateways[0].mantleProjects[0]",
            value: '"proj_*"',
            rule: /wildcards/,
        },
        {
            title: "a product ID on a service role",
            input: { serviceRoles: { flows: [flow({ marketplaceProductIds: ["prod-"] })] } },
            path: "serviceRoles.flows[0].marketplaceProductIds[0]",
            value: '"prod-"',
            rule: /must be an AWS Marketplace product ID/,
        },
        {
            title: "a Lex V1 bot",
            input: { serviceRoles: { flows: [flow({ lexBotAliases: ["arn:aws:lex:eu-west-1:123456789012:bot:OrderFlowers:prod"] })] } },
            path: "serviceRoles.flows[0].lexBotAliases[0]",
            value: '"arn:aws:lex:eu-west-1:123456789012:bot:OrderFlowers:prod"',
            rule: /must be a Lex V2 bot alias/,
        },
        {
            title: "a use-case form without the company's website",
            input: { anthropicUseCase: { ...useCase, companyWebsite: "example" } },
            path: "anthropicUseCase.companyWebsite",
            value: '"example"',
            rule: /must be the company's website URL/,
        },
        {
            title: "an intended-users code the form does not have",
            input: { anthropicUseCase: { ...useCase, intendedUsers: "internal" } },
            path: "anthropicUseCase.intendedUsers",
            value: '"internal"',
            rule: /0 \(internal users\), 1 \(external users\) or 2 \(both\)/,
        },
        {
            title: "industry Other without naming it",
            input: { anthropicUseCase: { ...useCase, industryOption: "Other" } },
            path: "anthropicUseCase.otherIndustryOption",
            value: '""',
            rule: /required when industryOption is Other/,
        },
        { title: "empty use cases", input: { anthropicUseCase: { ...useCase, useCases: " " } }, path: "anthropicUseCase.useCases", value: '" "', rule: /must not be empty/ },
        {
            title: "a form larger than Bedrock takes",
            input: { anthropicUseCase: { ...useCase, useCases: "x".repeat(12288) } },
            path: "anthropicUseCase.useCases",
            value: `"${"x".repeat(119)}...`,
            rule: /makes a form of \d+ Base64 characters; Bedrock accepts 16384/,
        },
        { title: "an unknown form field", input: { anthropicUseCase: { ...useCase, company: "x" } }, path: "anthropicUseCase.company", value: '"x"', rule: /unknown key/ },
    ];
    itRejects(cases, validate);

    it("refuses a bot alias of another account before registering anything", async () => {
        await assert.rejects(
            runProgram({ serviceRoles: { flows: [flow({ lexBotAliases: ["arn:aws:lex:eu-west-1:999999999999:bot-alias/BOT1234567/ALIAS12345"] })] } }),
            /serviceRoles\.flows\[0\]\.lexBotAliases\[0\] = "arn:aws:lex:eu-west-1:999999999999:bot-alias\/BOT1234567\/ALIAS12345": must be a bot alias of this stack's account and region/,
        );
        assert.deepStrictEqual((await mockEngine()).resources, []);
    });

    it("accepts the product-ID forms AWS's table lists: prod-, prodview- and UUIDs", () => {
        const ids = ["prod-4pmewlybdftbs", "prodview-ajc3gw4mjy7my", "c468b48a-84df-43a4-8c46-8870630108a7"];
        assert.deepStrictEqual(validate({ gateways: [gateway({ marketplaceProductIds: ids })] }).gateways[0].marketplaceProductIds, ids);
    });

    it("defaults to bedrock-runtime only, with no Marketplace grant", () => {
        const [spec] = validate({ gateways: [gateway()] }).gateways;
        assert.deepStrictEqual([spec.apis, spec.marketplaceProductIds, spec.mantleProjects], [["runtime"], [], ["default"]]);
        assert.strictEqual(issuesOf(() => validate({ gateways: [gateway({ apis: ["runtime", "mantle"], mantleModels: ["openai.gpt-oss-*"] })] }))[0].path, "gateways[0].mantleModels[0]");
    });
});

describe("model access documents under mocks", () => {
    let run: Awaited<ReturnType<typeof runProgram>>;
    const documentOf = (type: string, name: string): PolicyDocument => {
        const resource = run.engine.ofType(type).find((candidate) => candidate.name === name);
        assert.ok(resource, `${type} ${name}`);
        const policy = plainValue(resource.properties.policy);
        return (typeof policy === "string" ? JSON.parse(policy) : policy) as PolicyDocument;
    };
    before(async () => {
        run = await runProgram({
            gateways: [gateway({ apis: ["runtime", "mantle"], marketplaceProductIds: [PRODUCT] }), { name: "mantle-only", attachToRole: "mantle-irsa", models: [GPT_OSS], apis: ["mantle"] }],
            serviceRoles: { flows: [flow({ marketplaceProductIds: [PRODUCT], lexBotAliases: ["BOT1234567/ALIAS12345"] })] },
            anthropicUseCase: useCase,
        });
    });

    it("grants Subscribe on exactly the listed products, ViewSubscriptions, and never Unsubscribe", () => {
        const invoke = documentOf("aws:iam/rolePolicy:RolePolicy", "bedrock-gateway-portkey-invoke");
        assert.deepStrictEqual(statementsOf(invoke, ["SubscribeToListedModelProducts", "ViewMarketplaceSubscriptions"]), [
            {
                Sid: "SubscribeToListedModelProducts",
                Effect: "Allow",
                Action: "aws-marketplace:Subscribe",
                Resource: ["*"],
                Condition: { "ForAnyValue:StringEquals": { "aws-marketplace:ProductId": [PRODUCT] } },
            },
            { Sid: "ViewMarketplaceSubscriptions", Effect: "Allow", Action: "aws-marketplace:ViewSubscriptions", Resource: ["*"] },
        ]);
        assert.doesNotMatch(JSON.stringify(invoke), /Unsubscribe/);
        const flowPolicy = documentOf("aws:iam/rolePolicy:RolePolicy", "bedrock-flow-support-permissions");
        assert.strictEqual(statementsOf(flowPolicy, ["SubscribeToListedModelProducts"]).length, 1);
    });

    it("grants bedrock-mantle inference in the default project for the listed models only", () => {
        const invoke = documentOf("aws:iam/rolePolicy:RolePolicy", "bedrock-gateway-portkey-invoke");
        assert.deepStrictEqual(statementsOf(invoke, ["MantleInferenceForListedModels"]), [
            {
                Sid: "MantleInferenceForListedModels",
                Effect: "Allow",
                Action: "bedrock-mantle:CreateInference",
                Resource: [DEFAULT_PROJECT],
                Condition: { StringEquals: { "bedrock-mantle:Model": [SONNET, GPT_OSS, "openai.gpt-oss-120b"].sort() } },
            },
        ]);
    });

    it("grants nothing on bedrock-runtime to a gateway that calls only mantle", () => {
        const invoke = documentOf("aws:iam/rolePolicy:RolePolicy", "bedrock-gateway-mantle-only-invoke");
        assert.deepStrictEqual(
            invoke.Statement.map((statement) => statement.Action),
            ["bedrock-mantle:CreateInference"],
        );
    });

    it("lets the flow role call its bot alias, and writes the alias's resource policy through aws-native", () => {
        const flowPolicy = documentOf("aws:iam/rolePolicy:RolePolicy", "bedrock-flow-support-permissions");
        assert.deepStrictEqual(statementsOf(flowPolicy, ["RecognizeWithListedLexBots"]), [
            { Sid: "RecognizeWithListedLexBots", Effect: "Allow", Action: "lex:RecognizeUtterance", Resource: [ALIAS] },
        ]);
        const [policy] = run.engine.ofType("aws-native:lex:ResourcePolicy");
        assert.strictEqual(policy.properties.resourceArn, ALIAS);
        assert.deepStrictEqual(plainValue(policy.properties.policy), {
            Version: "2012-10-17",
            Statement: [
                { Sid: "FlowRolesRecognize", Effect: "Allow", Principal: { AWS: [FLOW_ROLE] }, Action: "lex:RecognizeUtterance", Resource: ALIAS },
                {
                    Sid: "BedrockRecognizesForThisAccountsFlows",
                    Effect: "Allow",
                    Principal: { Service: "bedrock.amazonaws.com" },
                    Action: "lex:RecognizeUtterance",
                    Resource: ALIAS,
                    Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:flow/*` } },
                },
            ],
        });
        const providers = run.engine.resources.filter((resource) => resource.type === "pulumi:providers:aws-native");
        assert.deepStrictEqual(providers.map((provider) => provider.properties.region), [REGION]);
    });

    it("submits the use-case form with the form's field names, kept on destroy", () => {
        const [form] = run.engine.ofType("aws:bedrock/useCaseForModelAccess:UseCaseForModelAccess");
        assert.deepStrictEqual(JSON.parse(form.properties.formData as string), useCase);
        assert.strictEqual(form.retainOnDelete, true);
    });

    it("passes the policy pack", async () => {
        await assertPackFindsNothing(run.engine.resources);
    });
});

describe("model access, simulated", () => {
    let invoke: PolicyDocument;
    let alias: PolicyDocument;
    before(async () => {
        const run = await runProgram({
            gateways: [gateway({ apis: ["runtime", "mantle"], marketplaceProductIds: [PRODUCT] })],
            serviceRoles: { flows: [flow({ lexBotAliases: ["BOT1234567/ALIAS12345"] })] },
        });
        invoke = JSON.parse(run.engine.ofType("aws:iam/rolePolicy:RolePolicy").find((policy) => policy.name === "bedrock-gateway-portkey-invoke")?.properties.policy as string);
        alias = plainValue(run.engine.ofType("aws-native:lex:ResourcePolicy")[0].properties.policy) as PolicyDocument;
    });

    // The simulator does not list aws-marketplace:ProductId for Subscribe (AWS's Bedrock documentation does): unchecked engine.
    const subscribe = (action: string, context: Record<string, string | string[]>) =>
        decide({ action, principal: ROLE_SESSION, resource: "*", resourceAccount: ACCOUNT_ID, context, identityPolicies: [invoke], unchecked: true });

    it("allows subscribing to a listed product, and denies another product, no product, and Unsubscribe", async () => {
        assert.strictEqual(await subscribe("aws-marketplace:Subscribe", { "aws-marketplace:ProductId": [PRODUCT] }), "Allowed");
        assert.strictEqual(await subscribe("aws-marketplace:Subscribe", { "aws-marketplace:ProductId": [OTHER_PRODUCT] }), "ImplicitlyDenied");
        assert.strictEqual(await subscribe("aws-marketplace:Subscribe", {}), "ImplicitlyDenied");
        assert.strictEqual(await subscribe("aws-marketplace:Unsubscribe", { "aws-marketplace:ProductId": [PRODUCT] }), "ImplicitlyDenied");
        assert.strictEqual(await subscribe("aws-marketplace:ViewSubscriptions", {}), "Allowed");
    });

    const mantle = (action: string, resource: string, model: string) =>
        decide({ action, principal: ROLE_SESSION, resource, resourceAccount: ACCOUNT_ID, context: { "bedrock-mantle:Model": model }, identityPolicies: [invoke] });

    it("allows mantle inference for a listed model in the default project, and denies another model, project or action", async () => {
        assert.strictEqual(await mantle("bedrock-mantle:CreateInference", DEFAULT_PROJECT, "openai.gpt-oss-120b"), "Allowed");
        assert.strictEqual(await mantle("bedrock-mantle:CreateInference", DEFAULT_PROJECT, SONNET), "Allowed");
        assert.strictEqual(await mantle("bedrock-mantle:CreateInference", DEFAULT_PROJECT, "openai.gpt-oss-20b"), "ImplicitlyDenied");
        assert.strictEqual(await mantle("bedrock-mantle:CreateInference", `arn:aws:bedrock-mantle:${REGION}:${ACCOUNT_ID}:project/proj_other`, "openai.gpt-oss-120b"), "ImplicitlyDenied");
        assert.strictEqual(await mantle("bedrock-mantle:DeleteInference", DEFAULT_PROJECT, "openai.gpt-oss-120b"), "ImplicitlyDenied");
    });

    // The simulator cannot classify Lex bot-alias ARNs (two patterns in the reference): unchecked engine.
    const recognize = (principal: string, context: Record<string, string> = {}) =>
        decide({ action: "lex:RecognizeUtterance", principal, resource: ALIAS, resourceAccount: ACCOUNT_ID, context, resourcePolicy: alias, unchecked: true });

    it("lets the flow role and this account's flows call the bot alias, and nobody else", async () => {
        assert.strictEqual(await recognize(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/bedrock-flow-support-${REGION}/flow`), "Allowed");
        assert.strictEqual(await recognize(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/other-role/s`), "ImplicitlyDenied");
        assert.strictEqual(await recognize("arn:aws:sts::999999999999:assumed-role/bedrock-flow-support-eu-west-1/s"), "ImplicitlyDenied");
        const fromFlow = { "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:flow/FLOW123456` };
        assert.strictEqual(await recognize("bedrock.amazonaws.com", fromFlow), "Allowed");
        assert.strictEqual(await recognize("bedrock.amazonaws.com", { ...fromFlow, "aws:SourceAccount": "999999999999", "aws:SourceArn": `arn:aws:bedrock:${REGION}:999999999999:flow/X` }), "ImplicitlyDenied");
        assert.strictEqual(await recognize("bedrock.amazonaws.com", { ...fromFlow, "aws:SourceArn": `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:agent/AGENT12345` }), "ImplicitlyDenied");
        assert.strictEqual(await recognize("bedrock.amazonaws.com"), "ImplicitlyDenied");
    });
});

