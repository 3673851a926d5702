import * as assert from "assert";
import { externalIdProblem } from "../../components/gateway/gatewayConfig";
import { validateStackConfig } from "../../components/stack/stackConfig";
import { RejectionCase, issuesOf, itRejects } from "../assertions";

const EXTERNAL_ID = "portkey-7f3a9c2e";

function gateway(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        name: "portkey",
        trustedPrincipals: ["arn:aws:iam::111111111111:role/portkey-gateway"],
        externalId: EXTERNAL_ID,
        models: ["anthropic.claude-sonnet-4-20250514-v1:0"],
        ...overrides,
    };
}

function validate(gateways: unknown, extra: Record<string, unknown> = {}, region: string | undefined = "eu-west-1") {
    const projectValues: Record<string, string> = { gateways: JSON.stringify(gateways) };
    for (const [key, value] of Object.entries(extra)) projectValues[key] = JSON.stringify(value);
    return validateStackConfig({ region, projectValues });
}

const gatewayIssues = (gateways: unknown, extra: Record<string, unknown> = {}, region?: string) => issuesOf(() => validate(gateways, extra, region));

describe("stack configuration", () => {
    it("accepts a complete gateway and applies the defaults", () => {
        const config = validate([gateway()]);
        assert.deepStrictEqual(config, {
            partition: "aws",
            region: "eu-west-1",
            gateways: [
                {
                    name: "portkey",
                    access: {
                        kind: "assume-role",
                        trustedPrincipals: [{ arn: "arn:aws:iam::111111111111:role/portkey-gateway", partition: "aws", accountId: "111111111111" }],
                        externalId: EXTERNAL_ID,
                        maxSessionDurationSeconds: 3600,
                    },
                    models: [{ kind: "foundation-model", modelId: "anthropic.claude-sonnet-4-20250514-v1:0" }],
                    guardrails: [],
                    requireGuardrail: false,
                    streaming: true,
                    marketplaceProductIds: [],
                    apis: ["runtime"],
                    mantleProjects: ["default"],
                    mantleModels: undefined,
                    agentRuntimes: [],
                    costTags: {},
                    applicationProfiles: [],
                    createdMantleProjects: [],
                },
            ],
            serviceRoles: [],
            agentCoreRoles: { agentRuntimes: [], agentGateways: [], agentMemories: [] },
            privateEndpoints: undefined,
            monitoring: {
                enabled: true,
                logContent: { text: true, image: false, embedding: false, video: false },
                invocationLogging: "create",
                logRetentionDays: 30,
                archiveDays: 90,
                alertEmails: [],
                kmsKey: { kind: "create" },
                alarms: { serverErrors: 5, clientErrors: 50, throttles: 5, latencyP90Ms: 10000, dailyTokens: 50000000, perModel: true, quotaUsagePercent: 80 },
                tokenQuotaCodes: {},
                athena: true,
                contributorInsights: true,
                deleteLogsOnDestroy: false,
                budgets: [],
                activateCostTags: false,
            },
            iamQuotas: { inlinePolicyCharactersPerRole: 10240, managedPolicyCharacters: 6144, managedPoliciesPerRole: 10, trustPolicyCharacters: 2048 },
            anthropicUseCase: undefined,
            permissionsBoundary: { kind: "default" },
            defaultTags: {},
        });
    });

    it("accepts attachToRole instead of a new role", () => {
        const config = validate([{ name: "litellm", attachToRole: "litellm-irsa", models: ["amazon.nova-pro-v1:0"], streaming: false }]);
        assert.deepStrictEqual(config.gateways[0].access, { kind: "attach-to-role", roleName: "litellm-irsa" });
        assert.strictEqual(config.gateways[0].streaming, false);
    });

    it("accepts a stack with no gateways", () => assert.deepStrictEqual(validateStackConfig({ region: "eu-west-1", projectValues: {} }).gateways, []));

    const cases: RejectionCase<unknown>[] = [
        { title: "a trailing newline in the external ID", input: [gateway({ externalId: `${EXTERNAL_ID}\n` })], path: "gateways[0].externalId", value: "(secret, 17 characters)", rule: /found a newline \(U\+000A\) at the end/ },
        { title: "a space inside the external ID", input: [gateway({ externalId: "abc def" })], path: "gateways[0].externalId", value: "(secret, 7 characters)", rule: /found a space \(U\+0020\) at character 4/ },
        { title: "a one-character external ID", input: [gateway({ externalId: "a" })], path: "gateways[0].externalId", value: "(secret, 1 characters)", rule: /2 to 1224 characters/ },
        { title: "a missing external ID", input: [gateway({ externalId: undefined })], path: "gateways[0].externalId", value: "(not set)", rule: /required with trustedPrincipals: set it with pulumi config set --secret --path/ },
        { title: "a wildcard model", input: [gateway({ models: ["anthropic.*"] })], path: "gateways[0].models[0]", value: '"anthropic.*"', rule: /wildcards/ },
        { title: "no models", input: [gateway({ models: [] })], path: "gateways[0].models", value: "[]", rule: /at least one model/ },
        { title: "a wildcard principal", input: [gateway({ trustedPrincipals: ["*"] })], path: "gateways[0].trustedPrincipals[0]", value: '"*"', rule: /wildcards/ },
        { title: "a principal of another partition", input: [gateway({ trustedPrincipals: ["arn:aws-cn:iam::111111111111:role/gw"] })], path: "gateways[0].trustedPrincipals[0]", value: '"arn:aws-cn:iam::111111111111:role/gw"', rule: /partition 'aws'/ },
        { title: "a malformed guardrail", input: [gateway({ guardrails: ["GR-1"] })], path: "gateways[0].guardrails[0]", value: '"GR-1"', rule: /guardrail ID/ },
        { title: "a bad gateway name", input: [gateway({ name: "Portkey_1" })], path: "gateways[0].name", value: '"Portkey_1"', rule: /a-z, 0-9 and -/ },
        { title: "a session too long", input: [gateway({ maxSessionDurationSeconds: 50000 })], path: "gateways[0].maxSessionDurationSeconds", value: "50000", rule: /3600 to 43200/ },
        { title: "a mistyped key", input: [gateway({ externalID: "x" })], path: "gateways[0].externalID", value: '"x"', rule: /unknown key/ },
        { title: "streaming as a string", input: [gateway({ streaming: "yes" })], path: "gateways[0].streaming", value: '"yes"', rule: /expected boolean/ },
        { title: "attachToRole with trustedPrincipals", input: [gateway({ attachToRole: "existing" })], path: "gateways[0].trustedPrincipals", value: '["arn:aws:iam::111111111111:role/portkey-gateway"]', rule: /conflicts with attachToRole/ },
        { title: "neither principals nor attachToRole", input: [{ name: "x", models: ["amazon.nova-pro-v1:0"] }], path: "gateways[0].trustedPrincipals", value: "(not set)", rule: /required/ },
        { title: "an ARN as attachToRole", input: [{ name: "x", attachToRole: "arn:aws:iam::1:role/x", models: ["amazon.nova-pro-v1:0"] }], path: "gateways[0].attachToRole", value: '"arn:aws:iam::1:role/x"', rule: /name \(not the ARN\)/ },
        { title: "a duplicate gateway name", input: [gateway(), gateway()], path: "gateways[1].name", value: '"portkey"', rule: /unique/ },
        { title: "gateways as a map", input: { portkey: {} }, path: "gateways", value: '{"portkey":{}}', rule: /expected array/ },
    ];
    itRejects(cases, (gateways) => validate(gateways));

    it("never shows the external ID, even in the message", () => {
        const secret = "top-secret-value\n";
        try {
            validate([gateway({ externalId: secret })]);
            assert.fail("accepted");
        } catch (error) {
            assert.ok(!(error as Error).message.includes("top-secret-value"));
            assert.match((error as Error).message, /gateways\[0\]\.externalId = \(secret, 17 characters\)/);
        }
    });

    it("reports every problem of every key at once", () => {
        const issues = gatewayIssues(
            [gateway({ externalId: "x y", models: ["*"] }), gateway({ name: "second", trustedPrincipals: ["arn:aws:iam::1:role/x"] })],
            { gatways: [] },
            "moon-1",
        );
        assert.deepStrictEqual(
            issues.map((issue) => issue.path).sort(),
            ["aws:region", "gateways[0].externalId", "gateways[0].models[0]", "gateways[1].trustedPrincipals[0]", "gatways"].sort(),
        );
    });

    it("rejects an unknown top-level key of the project", () => {
        const issues = gatewayIssues([gateway()], { gateway: [] });
        assert.deepStrictEqual(issues, [{ path: "gateway", value: "\"[]\"", rule: "unknown key: this project reads only gateways, serviceRoles, privateEndpoints, monitoring, iamQuotas, anthropicUseCase, permissionsBoundary" }]);
    });

    it("requires a region", () => {
        const issues = gatewayIssues([gateway()], {}, "");
        assert.strictEqual(issues[0].path, "aws:region");
    });
});

describe("externalIdProblem", () => {
    const valid = ["ab", "a".repeat(1224), "Port+ID=1,2.3@x:y/z-_"];
    for (const externalId of valid) it(`accepts ${externalId.slice(0, 24)}`, () => assert.strictEqual(externalIdProblem(externalId), undefined));
    const invalid = ["", "a", "a".repeat(1225), "abc\r", "\tabc", "abc!", "abc*", "ab€"];
    for (const externalId of invalid) it(`rejects ${JSON.stringify(externalId.slice(0, 24))}`, () => assert.ok(externalIdProblem(externalId)));
});

describe("the permissionsBoundary key", () => {
    const boundaryOf = (value: unknown, asPlainText = false) =>
        validateStackConfig({ region: "eu-west-1", projectValues: { gateways: JSON.stringify([gateway()]), permissionsBoundary: asPlainText ? String(value) : JSON.stringify(value) } }).permissionsBoundary;
    const boundaryIssues = (value: unknown) =>
        issuesOf(() => validateStackConfig({ region: "eu-west-1", projectValues: { gateways: JSON.stringify([gateway()]), permissionsBoundary: JSON.stringify(value) } }));

    it("defaults to the convention's boundary, takes another customer managed policy, or none (as YAML text or JSON)", () => {
        assert.deepStrictEqual(validate([gateway()]).permissionsBoundary, { kind: "default" });
        assert.deepStrictEqual(boundaryOf("arn:aws:iam::123456789012:policy/platform/our-boundary"), { kind: "arn", arn: "arn:aws:iam::123456789012:policy/platform/our-boundary" });
        assert.deepStrictEqual(boundaryOf("none"), { kind: "none" });
        assert.deepStrictEqual(boundaryOf("none", true), { kind: "none" });
        assert.deepStrictEqual(boundaryOf("arn:aws:iam::123456789012:policy/b", true), { kind: "arn", arn: "arn:aws:iam::123456789012:policy/b" });
    });

    it("refuses anything else with the key path, the value and the rule", () => {
        const rule = (value: unknown) => boundaryIssues(value).map((issue) => [issue.path, issue.value, issue.rule.split(":")[0]]);
        assert.deepStrictEqual(rule("arn:aws:iam::aws:policy/AdministratorAccess"), [["permissionsBoundary", '"arn:aws:iam::aws:policy/AdministratorAccess"', 'must be "none" or the ARN of a customer managed policy (arn']]);
        assert.deepStrictEqual(rule("arn:aws:iam::123456789012:policy/*"), [["permissionsBoundary", '"arn:aws:iam::123456789012:policy/*"', "wildcards (* or ?) are not allowed"]]);
        assert.deepStrictEqual(rule("arn:aws-cn:iam::123456789012:policy/b"), [["permissionsBoundary", '"arn:aws-cn:iam::123456789012:policy/b"', "must be in the stack's partition (aws)"]]);
        assert.deepStrictEqual(rule("None"), [["permissionsBoundary", '"None"', 'must be "none" or the ARN of a customer managed policy (arn']]);
        assert.deepStrictEqual(rule(false), [["permissionsBoundary", "false", 'must be "none" or the ARN of a managed policy (arn']]);
    });
});
