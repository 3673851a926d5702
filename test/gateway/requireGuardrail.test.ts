/**
 * `requireGuardrail: true` on a gateway: its invoke grants hold only for calls that carry one of its
 * guardrails (`bedrock:GuardrailIdentifier`, the guardrail's ARN with its version, as AWS documents
 * it): the exact documents, their meaning by simulation, the configuration's refusals, the pack's
 * model-scope rule and the access summary.
 */
import * as assert from "assert";
import { AwsLocation, Parsed, parseGuardrailReference, parseModelReference } from "../../components/arns/bedrockArns";
import { compactGatewayPermissions, gatewayInvokePolicy } from "../../components/gateway/gatewayPolicies";
import { PolicyDocument } from "../../components/iam/iamDocument";
import { renderPermissions } from "../../components/iam/permissionLayout";
import { validateStackConfig } from "../../components/stack/stackConfig";
import { stackAccess } from "../../offline/access/access";
import { formatSummary } from "../../offline/access/accessReport";
import { guardrailConditionProblems } from "../../policypack/policies/bedrockResources";
import { normalizePolicyDocument } from "../../policypack/policies/normalize";
import { assertPackFindsNothing, issuesOf } from "../assertions";
import { runProgram } from "../harness";
import { decide } from "../simulate";

const ACCOUNT = "123456789012";
const location: AwsLocation = { partition: "aws", region: "eu-west-1", accountId: ACCOUNT };
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/bedrock-gateway-portkey/portkey`;
const SONNET = "anthropic.claude-sonnet-4-20250514-v1:0";
const HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0";
const HAIKU_PROFILE = `arn:aws:bedrock:eu-west-1:${ACCOUNT}:inference-profile/eu.${HAIKU}`;
const GUARDRAIL = `arn:aws:bedrock:eu-west-1:${ACCOUNT}:guardrail/gr7x2k9q1abc`;
const OTHER_GUARDRAIL = `arn:aws:bedrock:eu-west-1:${ACCOUNT}:guardrail/zz9other`;
const fm = (region: string, modelId: string) => `arn:aws:bedrock:${region}::foundation-model/${modelId}`;

function value<T>(parsed: Parsed<T>): T {
    if (!parsed.ok) assert.fail(parsed.rule);
    return parsed.value;
}

const input = {
    location,
    models: [SONNET, `eu.${HAIKU}`].map((text) => value(parseModelReference(text))),
    guardrails: ["gr7x2k9q1abc:3", `${OTHER_GUARDRAIL}:1`].map((text) => value(parseGuardrailReference(text))),
    requireGuardrail: true,
    streaming: true,
};

describe("requireGuardrail: the gateway's invoke grants", () => {
    it("carry bedrock:GuardrailIdentifier with each guardrail's ARN and version; ApplyGuardrail names the guardrails", () => {
        assert.deepStrictEqual(gatewayInvokePolicy(input).Statement, [
            {
                Sid: "InvokeListedModels",
                Effect: "Allow",
                Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                Resource: [HAIKU_PROFILE, fm("eu-west-1", SONNET)],
                Condition: { StringEquals: { "bedrock:GuardrailIdentifier": [`${GUARDRAIL}:3`, `${OTHER_GUARDRAIL}:1`] } },
            },
            {
                Sid: "InvokeModelsThroughListedProfiles",
                Effect: "Allow",
                Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                Resource: [fm("*", HAIKU)],
                Condition: { StringEquals: { "bedrock:InferenceProfileArn": [HAIKU_PROFILE], "bedrock:GuardrailIdentifier": [`${GUARDRAIL}:3`, `${OTHER_GUARDRAIL}:1`] } },
            },
            { Sid: "ApplyListedGuardrails", Effect: "Allow", Action: "bedrock:ApplyGuardrail", Resource: [GUARDRAIL, OTHER_GUARDRAIL] },
        ]);
    });

    it("are unchanged without requireGuardrail (versions listed or not)", () => {
        const plain = gatewayInvokePolicy({ ...input, requireGuardrail: false });
        assert.ok(plain.Statement.every((statement) => !JSON.stringify(statement).includes("GuardrailIdentifier")));
    });

    it("carry the same condition in the compact form for large gateways", () => {
        const { units, templates } = compactGatewayPermissions(input);
        const rendered = renderPermissions(units, templates);
        const invoke = rendered.Statement.filter((statement) => String(statement.Sid).startsWith("Invoke"));
        assert.ok(invoke.length >= 2);
        for (const statement of invoke) assert.deepStrictEqual(statement.Condition?.StringEquals?.["bedrock:GuardrailIdentifier"], [`${GUARDRAIL}:3`, `${OTHER_GUARDRAIL}:1`], statement.Sid);
    });

    describe("simulated: only calls carrying a listed guardrail at its version are allowed", () => {
        const policy: PolicyDocument = gatewayInvokePolicy(input);
        const invoke = (resource: string, context: Record<string, string>, action = "bedrock:InvokeModel") =>
            decide({ action, principal: SESSION, resource, resourceAccount: ACCOUNT, identityPolicies: [policy], context });
        it("a foundation model and a profile with a listed guardrail and version", async () => {
            assert.strictEqual(await invoke(fm("eu-west-1", SONNET), { "bedrock:GuardrailIdentifier": `${GUARDRAIL}:3` }), "Allowed");
            assert.strictEqual(await invoke(fm("eu-west-1", SONNET), { "bedrock:GuardrailIdentifier": `${OTHER_GUARDRAIL}:1` }, "bedrock:InvokeModelWithResponseStream"), "Allowed");
            assert.strictEqual(await invoke(HAIKU_PROFILE, { "bedrock:GuardrailIdentifier": `${GUARDRAIL}:3` }), "Allowed");
            assert.strictEqual(await invoke(fm("eu-west-3", HAIKU), { "bedrock:InferenceProfileArn": HAIKU_PROFILE, "bedrock:GuardrailIdentifier": `${GUARDRAIL}:3` }), "Allowed");
        });
        it("denied without a guardrail, with another version, with another guardrail, or with the ARN alone", async () => {
            assert.strictEqual(await invoke(fm("eu-west-1", SONNET), {}), "ImplicitlyDenied");
            assert.strictEqual(await invoke(fm("eu-west-1", SONNET), { "bedrock:GuardrailIdentifier": `${GUARDRAIL}:2` }), "ImplicitlyDenied");
            assert.strictEqual(await invoke(fm("eu-west-1", SONNET), { "bedrock:GuardrailIdentifier": `arn:aws:bedrock:eu-west-1:${ACCOUNT}:guardrail/unlisted:3` }), "ImplicitlyDenied");
            assert.strictEqual(await invoke(fm("eu-west-1", SONNET), { "bedrock:GuardrailIdentifier": GUARDRAIL }), "ImplicitlyDenied");
            assert.strictEqual(await invoke(fm("eu-west-3", HAIKU), { "bedrock:InferenceProfileArn": HAIKU_PROFILE }), "ImplicitlyDenied");
        });
    });
});

describe("requireGuardrail: configuration", () => {
    const gateway = (fields: Record<string, unknown>) =>
        issuesOf(() =>
            validateStackConfig({ region: "eu-west-1", projectValues: { gateways: JSON.stringify([{ name: "gw", attachToRole: "gw", models: [SONNET], ...fields }]) } }),
        );
    it("is refused without guardrails", () => {
        assert.deepStrictEqual(gateway({ requireGuardrail: true }), [
            { path: "gateways[0].requireGuardrail", value: "true", rule: "needs guardrails: list the guardrails, with their version (ID:1), that every invoke call must carry" },
        ]);
    });
    it("is refused with a guardrail that names no version", () => {
        const issues = gateway({ requireGuardrail: true, guardrails: ["gr7x2k9q1abc"] });
        assert.deepStrictEqual(issues.map((issue) => [issue.path, issue.value]), [["gateways[0].guardrails[0]", '"gr7x2k9q1abc"']]);
        assert.match(issues[0].rule, /must name a numbered version \(gr7x2k9q1abc:1/);
    });
    it("refuses a version that is not a number (DRAFT changes under the calls)", () => {
        assert.match(gateway({ guardrails: ["gr7x2k9q1abc:DRAFT"] })[0].rule, /optionally with a numbered version/);
    });
    it("accepts guardrails with versions", () => {
        const config = validateStackConfig({ region: "eu-west-1", projectValues: { gateways: JSON.stringify([{ name: "gw", attachToRole: "gw", models: [SONNET], guardrails: ["gr7x2k9q1abc:1"], requireGuardrail: true }]) } });
        assert.deepStrictEqual([config.gateways[0].requireGuardrail, config.gateways[0].guardrails], [true, [{ guardrailId: "gr7x2k9q1abc", version: "1" }]]);
    });
});

describe("requireGuardrail: the pack and the access summary", function () {
    this.timeout(120000);
    const problems = (condition: Record<string, unknown>) => {
        const document = normalizePolicyDocument({ Version: "2012-10-17", Statement: [{ Sid: "Invoke", Effect: "Allow", Action: "bedrock:InvokeModel", Resource: fm("eu-west-1", SONNET), Condition: condition }] });
        assert.ok(document.ok);
        return guardrailConditionProblems(document.statements[0]);
    };
    it("the model-scope rule accepts guardrail ARNs with versions and refuses wildcards, negations, IDs and ARNs without version", () => {
        assert.deepStrictEqual(problems({ StringEquals: { "bedrock:GuardrailIdentifier": `${GUARDRAIL}:3` } }), []);
        assert.match(problems({ StringLike: { "bedrock:GuardrailIdentifier": `${GUARDRAIL}:*` } })[0], /with StringLike: pin the guardrails with StringEquals/);
        assert.match(problems({ StringNotEquals: { "bedrock:GuardrailIdentifier": `${GUARDRAIL}:3` } })[0], /with StringNotEquals/);
        assert.match(problems({ StringEquals: { "bedrock:GuardrailIdentifier": ["gr7x2k9q1abc:3", GUARDRAIL] } })[0], /"gr7x2k9q1abc:3", "arn:aws:bedrock:eu-west-1:123456789012:guardrail\/gr7x2k9q1abc": name each guardrail by ARN with its numbered version/);
    });

    it("a stack with requireGuardrail passes the pack, and its summary shows the condition", async () => {
        const { engine } = await runProgram({
            gateways: [{ name: "portkey", trustedPrincipals: ["arn:aws:iam::111111111111:role/portkey"], externalId: "portkey-7f3a9c2e", models: [SONNET, `eu.${HAIKU}`], guardrails: ["gr7x2k9q1abc:3"], requireGuardrail: true }],
        });
        await assertPackFindsNothing(engine.resources.filter((resource) => resource.type !== "aws:iam/role:Role"));
        const summary = formatSummary(stackAccess(engine.resources), "text");
        assert.ok(summary.includes(`StringEquals bedrock:GuardrailIdentifier ${GUARDRAIL}:3`), summary);
    });
});
