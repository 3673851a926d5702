/**
 * IAM quota accounting and the deterministic split of large gateways.
 */
import * as assert from "assert";
import { modelMix } from "../../bench/modelMix";
import { AwsLocation, ModelReference, parseModelReference } from "../../components/arns/bedrockArns";
import { gatewayPermissionLayout } from "../../components/gateway/gatewayPolicies";
import { DEFAULT_IAM_QUOTAS, iamPolicySize } from "../../components/iam/iamQuotas";
import { PolicyDocument, policyJson } from "../../components/iam/iamDocument";
import { PermissionLayout, StatementTemplate, documentSize, layoutPermissions, largestFittingPrefix } from "../../components/iam/permissionLayout";

const location: AwsLocation = { partition: "aws", region: "eu-west-1", accountId: "123456789012" };

function models(references: readonly string[]): ModelReference[] {
    return references.map((text) => {
        const parsed = parseModelReference(text);
        if (!parsed.ok) assert.fail(`${text}: ${parsed.rule}`);
        return parsed.value;
    });
}

function layoutOf(count: number): PermissionLayout {
    const result = gatewayPermissionLayout({ location, models: models(modelMix(count)), guardrails: [], streaming: true }, DEFAULT_IAM_QUOTAS);
    if (!result.ok) assert.fail(`${count} models do not fit`);
    return result.layout;
}

describe("IAM size accounting", () => {
    it("counts characters without whitespace, as IAM does", () => {
        assert.strictEqual(iamPolicySize(`{"a": "b c"}`), 10);
        assert.strictEqual(iamPolicySize("{\n  \"Version\": \"2012-10-17\"\n}"), 24);
        assert.strictEqual(iamPolicySize(""), 0);
    });

    it("matches a hand-counted document", () => {
        const document: PolicyDocument = {
            Version: "2012-10-17",
            Statement: [{ Sid: "A", Effect: "Allow", Action: "bedrock:InvokeModel", Resource: ["arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0"] }],
        };
        // {"Version":"2012-10-17","Statement":[ = 37; {"Sid":"A","Effect":"Allow", = 28;
        // "Action":"bedrock:InvokeModel", = 31; "Resource":[ = 12; the ARN in quotes = 66; ]}]} = 4
        assert.strictEqual(documentSize(document), 37 + 28 + 31 + 12 + 66 + 4);
        assert.strictEqual(documentSize(document), policyJson(document).length);
    });

    it("keeps a small gateway in one inline policy, in its exact form", () => {
        const layout = layoutOf(20);
        assert.strictEqual(layout.managed.length, 0);
        assert.ok(layout.inline && layout.inline.Statement.some((statement) => statement.Sid === "InvokeModelsThroughListedProfiles"));
    });

    it("splits a large gateway into managed policies, each within its quota", () => {
        const layout = layoutOf(450);
        assert.ok(layout.managed.length > 0 && layout.managed.length <= DEFAULT_IAM_QUOTAS.managedPoliciesPerRole);
        for (const managed of layout.managed) assert.ok(documentSize(managed.document) <= DEFAULT_IAM_QUOTAS.managedPolicyCharacters, `slot ${managed.slot}`);
        assert.ok(!layout.inline || documentSize(layout.inline) <= DEFAULT_IAM_QUOTAS.inlinePolicyCharactersPerRole);
    });

    it("carries every resource of a 450-model gateway exactly once across its policies", () => {
        const layout = layoutOf(450);
        const documents = [...layout.managed.map((managed) => managed.document), ...(layout.inline ? [layout.inline] : [])];
        const resources = documents.flatMap((document) => document.Statement.flatMap((statement) => statement.Resource as string[]));
        assert.strictEqual(new Set(resources).size, resources.length, "no resource written twice");
        for (const reference of modelMix(450).filter((text) => text.startsWith("global."))) {
            assert.ok(resources.some((arn) => arn.endsWith(`inference-profile/${reference}`)), reference);
        }
    });
});

describe("deterministic splitting", () => {
    const slotsOf = (layout: PermissionLayout) => new Map(layout.managed.map((managed) => [managed.slot, policyJson(managed.document)]));

    it("gives the same layout for the same models in another order", () => {
        const references = modelMix(400);
        const forward = gatewayPermissionLayout({ location, models: models(references), guardrails: [], streaming: true }, DEFAULT_IAM_QUOTAS);
        const backward = gatewayPermissionLayout({ location, models: models([...references].reverse()), guardrails: [], streaming: true }, DEFAULT_IAM_QUOTAS);
        assert.deepStrictEqual(forward, backward);
    });

    for (const count of [200, 300, 400, 440]) {
        it(`changes at most one managed policy when a model is added to ${count}`, () => {
            const before = slotsOf(layoutOf(count));
            const after = slotsOf(layoutOf(count + 1));
            const changed = [...new Set([...before.keys(), ...after.keys()])].filter((slot) => before.get(slot) !== after.get(slot));
            assert.ok(changed.length <= 1, `changed slots: ${changed.join(", ")}`);
        });
    }

    it("changes at most one managed policy when any one of 300 models is removed", () => {
        const references = modelMix(300);
        const before = slotsOf(layoutOf(300));
        for (let removed = 0; removed < references.length; removed += 7) {
            const result = gatewayPermissionLayout(
                { location, models: models(references.filter((_, index) => index !== removed)), guardrails: [], streaming: true },
                DEFAULT_IAM_QUOTAS,
            );
            assert.ok(result.ok);
            const after = slotsOf(result.layout);
            const changed = [...new Set([...before.keys(), ...after.keys()])].filter((slot) => before.get(slot) !== after.get(slot));
            assert.ok(changed.length <= 1, `removing ${references[removed]} changed slots ${changed.join(", ")}`);
        }
    });
});

describe("layoutPermissions", () => {
    const template: StatementTemplate = { sid: "S", actions: ["s3:GetObject"] };
    const unit = (index: number) => ({ key: `u${index}`, grants: [{ template, resources: [`arn:aws:s3:::bucket-${String(index).padStart(4, "0")}/${"x".repeat(80)}`] }] });

    it("fails when the overflow exceeds the inline quota, and reports its size", () => {
        const quotas = { ...DEFAULT_IAM_QUOTAS, managedPoliciesPerRole: 1 };
        const result = layoutPermissions(Array.from({ length: 300 }, (_, index) => unit(index)), [template], quotas);
        assert.strictEqual(result.ok, false);
        assert.ok(!result.ok && result.spillSize > quotas.inlinePolicyCharactersPerRole);
    });

    it("finds the largest fitting prefix", () => {
        assert.strictEqual(largestFittingPrefix(100, (count) => count <= 37), 37);
        assert.strictEqual(largestFittingPrefix(100, () => true), 100);
        assert.strictEqual(largestFittingPrefix(100, () => false), 0);
    });
});
