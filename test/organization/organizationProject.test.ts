/**
 * The organization project: its configuration rules, the program under mocks registering exactly the
 * SCPs `npm run org-guardrails` prints for the same fleet and attaching each to every target, and the
 * pack's SCP policy (Deny-only, within size) as a predicate and over the Analyzer protocol. The
 * check of the example stack runs in-process through the command's `main` (`runCommand`: the same
 * output and exit code, with a pack lent for the worker), after and between the harness's runs of
 * the program; test/offline/check.test.ts runs the check as a separate process.
 */
import * as assert from "assert";
import { runCommand } from "../commands";
import * as path from "path";
import { validateOrganizationConfig } from "../../organization/organizationConfig";
import { organizationGuardrails } from "../../organization/guardrails";
import { serviceControlPoliciesDenyOnly, serviceControlPolicyProblems } from "../../policypack/policies/serviceControlPolicies";
import { plainValue } from "../../offline/engine/mockEngine";
import { RejectionCase, assertPackFindsNothing, itRejects, packForTests, violationsOf } from "../assertions";
import { runOrganization } from "../harness";
import { DEPLOYMENT_ROLE, writeFleet } from "./fleet";

const asConfig = (values: Record<string, unknown>) => Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
const VALID = { stackFiles: ["Pulumi.example.yaml"], deploymentRoleName: "bedrock-access-deployer", targetIds: ["r-a1b2"] };
const POLICY_TYPE = "aws:organizations/policy:Policy";
const ATTACHMENT_TYPE = "aws:organizations/policyAttachment:PolicyAttachment";

describe("organization configuration", () => {
    it("accepts stack files, a role name and the root or OUs", () => {
        assert.deepStrictEqual(validateOrganizationConfig(asConfig({ ...VALID, targetIds: ["r-a1b2", "ou-a1b2-abcd1234"] })), {
            stackFiles: VALID.stackFiles,
            deploymentRoleNames: ["bedrock-access-deployer"],
            adminRoleNames: [],
            targetIds: ["r-a1b2", "ou-a1b2-abcd1234"],
        });
    });
    it("accepts a list of deployment role names and admin role names, one or a list", () => {
        const several = validateOrganizationConfig(asConfig({ ...VALID, deploymentRoleName: ["bedrock-access-deployer-prod", "bedrock-access-deployer-dev"], adminRoleName: "bootstrap-admin" }));
        assert.deepStrictEqual(several.deploymentRoleNames, ["bedrock-access-deployer-prod", "bedrock-access-deployer-dev"]);
        assert.deepStrictEqual(several.adminRoleNames, ["bootstrap-admin"]);
        assert.deepStrictEqual(validateOrganizationConfig(asConfig({ ...VALID, adminRoleName: ["a", "b"] })).adminRoleNames, ["a", "b"]);
    });
    const cases: RejectionCase<Record<string, unknown>>[] = [
        { title: "no stack file", input: { ...VALID, stackFiles: [] }, path: "stackFiles", value: "[]", rule: /at least one stack file/ },
        { title: "a wildcard stack file", input: { ...VALID, stackFiles: ["Pulumi.*.yaml"] }, path: "stackFiles[0]", value: '"Pulumi.*.yaml"', rule: /no wildcard/ },
        { title: "a role ARN instead of a name", input: { ...VALID, deploymentRoleName: "arn:aws:iam::123456789012:role/deployer" }, path: "deploymentRoleName", value: '"arn:aws:iam::123456789012:role/deployer"', rule: /must be an IAM role name/ },
        { title: "an empty list of deployment roles", input: { ...VALID, deploymentRoleName: [] }, path: "deploymentRoleName", value: "[]", rule: /at least one role/ },
        { title: "a deployment role twice", input: { ...VALID, deploymentRoleName: ["a", "a"] }, path: "deploymentRoleName", value: '["a","a"]', rule: /twice/ },
        { title: "an admin role ARN in a list", input: { ...VALID, adminRoleName: ["ok", "role/admin"] }, path: "adminRoleName[1]", value: '"role/admin"', rule: /must be an IAM role name/ },
        { title: "an account ID as target", input: { ...VALID, targetIds: ["123456789012"] }, path: "targetIds[0]", value: '"123456789012"', rule: /root ID \(r-\.\.\.\) or an OU ID/ },
        { title: "a target twice", input: { ...VALID, targetIds: ["r-a1b2", "r-a1b2"] }, path: "targetIds", value: '["r-a1b2","r-a1b2"]', rule: /twice/ },
    ];
    itRejects(cases, (input) => validateOrganizationConfig(asConfig(input)));
    it("rejects an unknown key", () => assert.throws(() => validateOrganizationConfig(asConfig({ ...VALID, targets: ["r-a1b2"] })), /targets/));
});

describe("the organization program under mocks", function () {
    this.timeout(120000);

    it("registers exactly the printed SCPs, each attached to every target, and the pack finds nothing", async () => {
        const { files } = writeFleet();
        const { engine } = await runOrganization({ stackFiles: files, deploymentRoleName: DEPLOYMENT_ROLE, targetIds: ["r-a1b2", "ou-a1b2-abcd1234"] });
        const expected = await organizationGuardrails(files, { deploymentRoleNames: [DEPLOYMENT_ROLE], adminRoleNames: [] });
        assert.ok(expected.layout.ok);
        const policies = engine.ofType(POLICY_TYPE);
        assert.deepStrictEqual(
            policies.map((policy) => plainValue(policy.properties)),
            expected.layout.policies.map((scp) => ({ name: scp.name, description: scp.description, type: "SERVICE_CONTROL_POLICY", content: JSON.stringify(scp.document), tags: { "bedrock-access:guardrails": "organization" } })),
        );
        const attachments = engine.ofType(ATTACHMENT_TYPE);
        assert.deepStrictEqual(
            attachments.map((attachment) => attachment.name).sort(),
            expected.layout.policies.flatMap((scp) => [`${scp.name}-ou-a1b2-abcd1234`, `${scp.name}-r-a1b2`]).sort(),
        );
        assert.ok(attachments.every((attachment) => ["r-a1b2", "ou-a1b2-abcd1234"].includes(plainValue(attachment.properties.targetId) as string)));
        await assertPackFindsNothing(engine.resources);
    });

    it("registers nothing when a stack file is invalid, naming the stackFiles entry, the file, key path and rule", async () => {
        const { dir, files } = writeFleet({ "Pulumi.bad.yaml": "config:\n  aws:region: eu-west-1\n  bedrock-access:gateways: [{ name: gw, attachToRole: gw, models: ['anthropic.*'] }]\n" });
        const bad = path.join(dir, "Pulumi.bad.yaml");
        await assert.rejects(
            runOrganization({ stackFiles: [...files, bad], deploymentRoleName: DEPLOYMENT_ROLE, targetIds: ["r-a1b2"] }),
            (error: Error) => error.message.includes(`stackFiles[3] = ${JSON.stringify(bad)}: ${bad}: gateways[0].models[0] = "anthropic.*": wildcards`),
        );
    });

    it("npm run check -- --project organization passes on the example stack (the command's main, as a user runs it)", async () => {
        const result = await runCommand("offline/check.ts", ["--project", "organization"]);
        assert.strictEqual(result.status, 0, result.stdout + result.stderr);
        assert.match(result.stdout, /aws:organizations\/policy:Policy {2}bedrock-access-guardrails/);
        assert.match(result.stdout, /scp-deny-only-within-size/);
        assert.match(result.stdout, /0 mandatory violation\(s\), 0 other diagnostic\(s\), 0 IAM document\(s\) unknown at preview\.\nPASSED/);
    });
});

describe("pack policy scp-deny-only-within-size", function () {
    this.timeout(60000);
    const deny = { Sid: "DenyX", Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" };
    const scp = (statements: unknown[], extra: Record<string, unknown> = {}) => ({ name: "guardrails", type: "SERVICE_CONTROL_POLICY", content: JSON.stringify({ Version: "2012-10-17", Statement: statements }), ...extra });

    it("passes an SCP of Deny statements within 5,120 characters; ignores other policy types and resources", () => {
        assert.deepStrictEqual(serviceControlPolicyProblems(POLICY_TYPE, scp([deny])), []);
        assert.deepStrictEqual(serviceControlPolicyProblems(POLICY_TYPE, scp([{ ...deny, Effect: "Allow" }], { type: "TAG_POLICY" })), []);
        assert.deepStrictEqual(serviceControlPolicyProblems("aws:iam/policy:Policy", scp([{ ...deny, Effect: "Allow" }])), []);
    });
    it("refuses an Allow statement, naming it", () => {
        assert.deepStrictEqual(serviceControlPolicyProblems(POLICY_TYPE, scp([deny, { ...deny, Sid: "AllowAll", Effect: "Allow", Action: "*" }])), [
            "SCP guardrails: statement AllowAll allows; a guardrail must only deny (an SCP's Allow grants nothing and can widen what FullAWSAccess was replaced to narrow).",
        ]);
    });
    it("refuses an SCP over 5,120 characters without whitespace (whitespace does not count); the default type is an SCP", () => {
        const big = { ...deny, Resource: Array.from({ length: 200 }, (_, index) => `arn:aws:s3:::bucket-${index}`) };
        const [problem] = serviceControlPolicyProblems(POLICY_TYPE, { name: "big", content: JSON.stringify({ Version: "2012-10-17", Statement: [big] }) });
        assert.match(problem, /^SCP big is \d+ characters without whitespace, over the 5120 AWS Organizations accepts: split it\.$/);
        const padded = scp([deny]);
        assert.deepStrictEqual(serviceControlPolicyProblems(POLICY_TYPE, { ...padded, content: JSON.stringify(JSON.parse(padded.content), null, 40) }), []);
    });
    it("refuses content unknown at preview or malformed", () => {
        assert.match(serviceControlPolicyProblems(POLICY_TYPE, { name: "x", content: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" })[0], /unknown at preview/);
        assert.match(serviceControlPolicyProblems(POLICY_TYPE, { name: "x", content: "{not json" })[0], /is not valid JSON/);
    });
    it("as the SDK calls it, and over the Analyzer protocol, mandatory", async () => {
        assert.deepStrictEqual(await violationsOf(serviceControlPoliciesDenyOnly, POLICY_TYPE, scp([deny])), []);
        assert.strictEqual((await violationsOf(serviceControlPoliciesDenyOnly, POLICY_TYPE, scp([{ ...deny, Effect: "Allow" }]))).length, 1);
        const pack = await packForTests();
        const resource = { type: POLICY_TYPE, name: "guardrails", urn: `urn:pulumi:test::bedrock-access-organization::${POLICY_TYPE}::guardrails`, properties: scp([{ ...deny, Effect: "Allow" }]) };
        const diagnostics = await pack.analyze(resource as Parameters<typeof pack.analyze>[0]);
        assert.deepStrictEqual(diagnostics.map((diagnostic) => [diagnostic.policyName, diagnostic.enforcementLevel]), [["scp-deny-only-within-size", "mandatory"]]);
    });
});
