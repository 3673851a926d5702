/**
 * The access summary and the access baseline: golden outputs on the example stack, and the
 * baseline's verdict on widening (a model, a principal, a guardrail, a service role's bucket, a
 * removed condition) and on narrowing and reordering.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { AccessCondition, AccessGrant, StackAccess, stackAccess } from "../../offline/access/access";
import { compareWithBaseline } from "../../offline/access/accessBaseline";
import { formatSummary } from "../../offline/access/accessReport";
import { loadStackConfig } from "../../offline/engine/stackFile";
import { runProgram } from "../harness";

const ROOT = path.resolve(__dirname, "..", "..");
const GOLDEN = path.join(ROOT, "test", "fixtures");

/** The example stack's project configuration, keys without the project prefix. */
function exampleConfig(): Record<string, unknown> {
    const { config } = loadStackConfig(ROOT, "example");
    return Object.fromEntries(
        Object.entries(config)
            .filter(([key]) => key.startsWith("bedrock-access:"))
            .map(([key, value]) => [key.slice("bedrock-access:".length), JSON.parse(value)]),
    );
}

async function accessOf(projectConfig: Record<string, unknown>): Promise<StackAccess> {
    // As the example stack: names global to the account carry the stack's name.
    const { engine } = await runProgram(projectConfig, { stack: "example" });
    return stackAccess(engine.resources);
}

/** Compares with a golden file; `UPDATE_GOLDEN=1 npm test` rewrites it after a deliberate change. */
function assertGolden(file: string, actual: string): void {
    const target = path.join(GOLDEN, file);
    if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(target, actual);
    assert.strictEqual(actual, fs.readFileSync(target, "utf8"), `${file} differs: review, then UPDATE_GOLDEN=1 npm test`);
}

describe("the access summary of the example stack", () => {
    let access: StackAccess;
    before(async () => {
        access = await accessOf(exampleConfig());
    });

    it("prints one block per role and resource policy, as recorded (text)", () => assertGolden("exampleAccessSummary.txt", `${formatSummary(access, "text")}\n`));
    it("prints the same as Markdown tables for a pull-request comment", () => assertGolden("exampleAccessSummary.md", `${formatSummary(access, "markdown")}\n`));

    it("never shows an external ID, only that one is required", () => {
        const portkey = access.roles.find((role) => role.role === "bedrock-gateway-portkey-eu-west-1");
        assert.ok(portkey);
        assert.deepStrictEqual(portkey.trust, [
            {
                effect: "Allow",
                principals: ["AWS arn:aws:iam::111111111111:role/portkey-gateway"],
                actions: ["sts:AssumeRole"],
                resources: [],
                conditions: [{ operator: "StringEquals", key: "sts:ExternalId", values: ["(set)"] }],
            },
        ]);
        assert.doesNotMatch(formatSummary(access, "json"), /offline-placeholder-secret/);
    });

    it("gives an existing role only what the stack adds to it, and Lambda permissions as resource policies", () => {
        const litellm = access.roles.find((role) => role.role === "litellm-eks-irsa");
        assert.deepStrictEqual(litellm && [litellm.source, litellm.trust, litellm.grants.map((grant) => grant.actions)], [
            "existing role",
            [],
            [["bedrock-agentcore:InvokeAgentRuntime", "bedrock-agentcore:InvokeAgentRuntimeWithWebSocketStream"], ["bedrock:InvokeModel"]],
        ]);
        assert.ok(access.resourcePolicies.some((policy) => policy.resource.startsWith("aws:lambda/permission:Permission") && policy.grants[0].principals[0] === "Service bedrock.amazonaws.com"));
        assert.deepStrictEqual(access.unreadable, []);
    });

    it("matches the committed baseline beside the stack", () => {
        const baseline = JSON.parse(fs.readFileSync(path.join(ROOT, "Pulumi.example.access.json"), "utf8")) as { access: StackAccess };
        assert.deepStrictEqual(compareWithBaseline(baseline.access, access), { widened: false, changes: [] });
    });
});

describe("the access baseline", () => {
    const small = () => ({
        gateways: [
            {
                name: "portkey",
                trustedPrincipals: ["arn:aws:iam::111111111111:role/portkey-gateway"],
                externalId: "portkey-7f3a9c2e",
                models: ["anthropic.claude-sonnet-4-20250514-v1:0", "eu.anthropic.claude-haiku-4-5-20251001-v1:0"],
            },
        ],
        serviceRoles: { flows: [{ name: "support", models: ["amazon.nova-pro-v1:0"], s3Read: ["flow-in/tickets"] }] },
    });
    let baseline: StackAccess;
    before(async () => {
        baseline = await accessOf(small());
    });
    const widenedLines = (access: StackAccess) => {
        const comparison = compareWithBaseline(baseline, access);
        assert.strictEqual(comparison.widened, true, JSON.stringify(comparison));
        return comparison.changes.flatMap((change) => change.widened.map((line) => `${change.entity}: ${line}`));
    };

    it("fails when a model is added, naming the role and the new grant", async () => {
        const config = small();
        config.gateways[0].models.push("amazon.nova-pro-v1:0");
        assert.deepStrictEqual(widenedLines(await accessOf(config)), [
            "role bedrock-gateway-portkey-eu-west-1: + may bedrock:InvokeModel on arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0",
            "role bedrock-gateway-portkey-eu-west-1: + may bedrock:InvokeModelWithResponseStream on arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0",
        ]);
    });

    it("fails when a principal is added to a trust policy", async () => {
        const config = small();
        config.gateways[0].trustedPrincipals.push("arn:aws:iam::222222222222:root");
        assert.deepStrictEqual(widenedLines(await accessOf(config)), [
            "role bedrock-gateway-portkey-eu-west-1: + AWS arn:aws:iam::222222222222:root may assume sts:AssumeRole when StringEquals sts:ExternalId (set)",
        ]);
    });

    it("fails when a guardrail is added", async () => {
        const config = { ...small(), gateways: [{ ...small().gateways[0], guardrails: ["gr7x2k9q1abc"] }] };
        assert.deepStrictEqual(widenedLines(await accessOf(config)), [
            "role bedrock-gateway-portkey-eu-west-1: + may bedrock:ApplyGuardrail on arn:aws:bedrock:eu-west-1:123456789012:guardrail/gr7x2k9q1abc",
        ]);
    });

    it("fails when a service role gets another bucket", async () => {
        const config = small();
        config.serviceRoles.flows[0].s3Read.push("flow-archive/tickets");
        assert.deepStrictEqual(widenedLines(await accessOf(config)), [
            "role bedrock-flow-support-eu-west-1: + may s3:GetObject on arn:aws:s3:::flow-archive/tickets/* when StringEquals aws:ResourceAccount 123456789012",
        ]);
    });

    it("fails when a condition is removed or accepts more values: the external ID dropped, the source account loosened", () => {
        const withoutExternalId = structuredClone(baseline) as unknown as { roles: { role: string; trust: { conditions: unknown[] }[] }[] };
        withoutExternalId.roles.find((role) => role.role === "bedrock-gateway-portkey-eu-west-1")!.trust[0].conditions = [];
        const lines = widenedLines(withoutExternalId as unknown as StackAccess);
        assert.deepStrictEqual(lines, [
            "role bedrock-gateway-portkey-eu-west-1: conditions loosened: AWS arn:aws:iam::111111111111:role/portkey-gateway may assume sts:AssumeRole (was AWS arn:aws:iam::111111111111:role/portkey-gateway may assume sts:AssumeRole when StringEquals sts:ExternalId (set))",
        ]);
        const looser = structuredClone(baseline) as unknown as { roles: { role: string; trust: { conditions: { key: string; values: string[] }[] }[] }[] };
        const flowTrust = looser.roles.find((role) => role.role === "bedrock-flow-support-eu-west-1")!.trust[0];
        flowTrust.conditions.find((condition) => condition.key === "aws:SourceAccount")!.values.push("999999999999");
        assert.match(widenedLines(looser as unknown as StackAccess)[0], /^role bedrock-flow-support-eu-west-1: conditions loosened: Service bedrock\.amazonaws\.com may assume sts:AssumeRole when .*123456789012 \| 999999999999/);
    });

    it("passes narrowing, and reports it", async () => {
        const config = small();
        config.gateways[0].models.pop();
        const comparison = compareWithBaseline(baseline, await accessOf(config));
        assert.strictEqual(comparison.widened, false);
        assert.ok(comparison.changes.length > 0 && comparison.changes.every((change) => change.narrowed.length > 0));
        assert.match(comparison.changes[0].narrowed.join("\n"), /- may bedrock:InvokeModel on arn:aws:bedrock:eu-west-1:123456789012:inference-profile\/eu\.anthropic\.claude-haiku-4-5-20251001-v1:0/);
    });

    it("compares meaning, not text: the same access listed in another order is unchanged", async () => {
        const config = small();
        config.gateways[0].models.reverse();
        assert.deepStrictEqual(compareWithBaseline(baseline, await accessOf(config)), { widened: false, changes: [] });
        const reordered = structuredClone(baseline) as unknown as { roles: { grants: unknown[] }[] };
        for (const role of reordered.roles) role.grants.reverse();
        assert.deepStrictEqual(compareWithBaseline(baseline, reordered as unknown as StackAccess), { widened: false, changes: [] });
    });

    it("fails on a new role", async () => {
        const config = { ...small(), gateways: [...small().gateways, { name: "litellm", attachToRole: "litellm-irsa", models: ["amazon.nova-pro-v1:0"] }] };
        assert.deepStrictEqual(widenedLines(await accessOf(config)), [
            "role litellm-irsa: new: may bedrock:InvokeModel on arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0; may bedrock:InvokeModelWithResponseStream on arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0",
        ]);
    });
});

describe("the access baseline on the hard cases", () => {
    const grant = (fields: Partial<AccessGrant>): AccessGrant => ({ effect: "Allow", principals: [], actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"], conditions: [], ...fields });
    const stack = (...grants: AccessGrant[]): StackAccess => ({ roles: [{ role: "r", source: "test", trust: [], grants }], resourcePolicies: [], unreadable: [] });
    const verdict = (before: StackAccess, after: StackAccess) => {
        const comparison = compareWithBaseline(before, after);
        return comparison.widened ? "widened" : comparison.changes.length > 0 ? "narrowed" : "unchanged";
    };

    it("treats NotAction, NotResource and NotPrincipal grants whole: excluding less widens", () => {
        const notActions = (...actions: string[]) => stack(grant({ actions: actions.map((action) => `not ${action}`), resources: ["*"] }));
        assert.strictEqual(verdict(notActions("iam:*", "s3:*"), notActions("iam:*")), "widened");
        assert.strictEqual(verdict(notActions("s3:*"), stack(grant({ actions: ["s3:GetObject"], resources: ["*"] }))), "widened");
        const notResource = (resource: string) => stack(grant({ resources: [`not ${resource}`] }));
        assert.strictEqual(verdict(notResource("arn:aws:s3:::*"), notResource("arn:aws:s3:::secret/*")), "widened");
        assert.strictEqual(verdict(notActions("iam:*"), notActions("iam:*")), "unchanged");
    });

    it("widens when a Deny loses ground: removed, or given a condition it did not have", () => {
        const deny = (conditions: AccessCondition[] = []) => grant({ effect: "Deny", actions: ["s3:*"], resources: ["*"], principals: ["*"], conditions });
        const allow = grant({});
        assert.strictEqual(verdict(stack(allow, deny()), stack(allow)), "widened");
        assert.strictEqual(verdict(stack(allow, deny()), stack(allow, deny([{ operator: "Bool", key: "aws:SecureTransport", values: ["false"] }]))), "widened");
        assert.strictEqual(verdict(stack(allow, deny([{ operator: "Bool", key: "aws:SecureTransport", values: ["false"] }])), stack(allow, deny())), "narrowed");
    });

    it("matches wildcards as containment: b/* is not covered by b/?, and a concrete resource is covered by a pattern", () => {
        assert.strictEqual(verdict(stack(grant({ resources: ["arn:aws:s3:::b/?"] })), stack(grant({ resources: ["arn:aws:s3:::b/*"] }))), "widened");
        assert.strictEqual(verdict(stack(grant({ resources: ["arn:aws:s3:::b/*"] })), stack(grant({ resources: ["arn:aws:s3:::b/key"] }))), "narrowed");
        assert.strictEqual(verdict(stack(grant({ actions: ["s3:Get*"] })), stack(grant({ actions: ["s3:GetObject"] }))), "narrowed");
    });

    it("reads negated operators the other way: fewer excluded values widen", () => {
        const notIn = (...values: string[]) => stack(grant({ conditions: [{ operator: "StringNotEquals", key: "aws:SourceVpc", values }] }));
        assert.strictEqual(verdict(notIn("vpc-a", "vpc-b"), notIn("vpc-a")), "widened");
        const inList = (...values: string[]) => stack(grant({ conditions: [{ operator: "StringEquals", key: "aws:SourceVpc", values }] }));
        assert.strictEqual(verdict(inList("vpc-a", "vpc-b"), inList("vpc-a")), "narrowed");
        assert.strictEqual(verdict(inList("vpc-a"), inList("vpc-a", "vpc-b")), "widened");
    });

    it("reads an attachment by the ARN it attaches, not by a policy that shares its name", () => {
        const role = { urn: "urn:role", type: "aws:iam/role:Role", name: "r", properties: { name: "r", assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }) } };
        const own = { urn: "urn:p", type: "aws:iam/policy:Policy", name: "p", properties: { arn: "arn:aws:iam::123456789012:policy/p", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] }) } };
        const attachment = { urn: "urn:a", type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name: "p", properties: { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" } };
        const access = stackAccess([role, own, attachment]);
        assert.deepStrictEqual(access.roles[0].grants.map((grant) => [grant.actions, grant.resources]), [[["*"], ["*"]]]);
    });

    it("widens when a document cannot be summarized any more", () => {
        assert.strictEqual(verdict(stack(grant({})), { ...stack(grant({})), unreadable: ["aws:iam/rolePolicy:RolePolicy p: policy is not valid JSON"] }), "widened");
    });

    it("shows an external ID checked by a pattern or with two accepted values as such, and counts it as widening", async () => {
        const trust = (condition: Record<string, unknown>) =>
            stackAccess([
                {
                    urn: "urn:r",
                    type: "aws:iam/role:Role",
                    name: "r",
                    properties: {
                        name: "r",
                        assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole", Condition: condition }] }),
                    },
                },
            ]);
        const exact = trust({ StringEquals: { "sts:ExternalId": "abc12" } });
        const pattern = trust({ StringLike: { "sts:ExternalId": "*" } });
        const twoIds = trust({ StringEquals: { "sts:ExternalId": ["abc12", "def34"] } });
        assert.deepStrictEqual(pattern.roles[0].trust[0].conditions, [{ operator: "StringLike", key: "sts:ExternalId", values: ["(1 value, 1 with wildcards)"] }]);
        assert.strictEqual(verdict(exact, pattern), "widened");
        assert.strictEqual(verdict(exact, twoIds), "widened");
        assert.doesNotMatch(JSON.stringify([pattern, twoIds]), /abc12|def34/);
    });
});
