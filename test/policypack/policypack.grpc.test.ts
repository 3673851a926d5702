/**
 * The pack as the engine runs it: started by `@pulumi/pulumi/cmd/run-policy-pack` in the pack
 * folder, driven over the Analyzer gRPC protocol.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AnalyzedResource, PolicyPackClient, UNKNOWN_VALUE } from "../../offline/engine/policyPackClient";
import { runProgram } from "../harness";

const secret = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

const BOUNDARY = "arn:aws:iam::123456789012:policy/bedrock-access-boundary-test";

/** A resource as the engine sends it; a role carries a permissions boundary unless the test says otherwise. */
function resource(type: string, name: string, properties: Record<string, unknown>): AnalyzedResource {
    const withBoundary = type === "aws:iam/role:Role" && !("permissionsBoundary" in properties) ? { ...properties, permissionsBoundary: BOUNDARY } : properties;
    return { urn: `urn:pulumi:test::bedrock-access::${type}::${name}`, type, name, properties: withBoundary };
}

const trustPolicy = (condition?: Record<string, unknown>) =>
    JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: "Gateway", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:role/gw" }, Action: "sts:AssumeRole", Condition: condition }],
    });

describe("policy pack over the Analyzer protocol", function () {
    let pack: PolicyPackClient;
    before(async () => {
        pack = await PolicyPackClient.start();
    });
    after(() => pack?.close());

    it("describes its thirteen policies, mandatory by default but the advisory ones on unknown managed policies, roles without a boundary and Access Analyzer's advice", async () => {
        const info = await pack.info();
        assert.strictEqual(info.name, "bedrock-access");
        assert.deepStrictEqual(
            info.policies.map((policy) => [policy.name, policy.enforcementLevel]),
            [
                ["bedrock-trust-requires-external-id", "mandatory"],
                ["bedrock-model-scoped-resources", "mandatory"],
                ["iam-no-wildcard-actions", "mandatory"],
                ["bedrock-service-trust-confused-deputy", "mandatory"],
                ["iam-oidc-trust-pins-subject", "mandatory"],
                ["iam-managed-policy-content-known", "advisory"],
                ["iam-role-has-permissions-boundary", "advisory"],
                ["iam-trust-names-principals", "mandatory"],
                ["iam-resources-scoped", "mandatory"],
                ["aws-resource-policies-not-public", "mandatory"],
                ["bedrock-model-regions-pinned", "mandatory"],
                ["iam-actions-exist", "advisory"],
                ["scp-deny-only-within-size", "mandatory"],
                ["bedrock-endpoint-perimeter", "mandatory"],
                ["aws-access-analyzer-findings", "mandatory"],
                ["aws-access-analyzer-advisories", "advisory"],
            ],
        );
        assert.ok(info.policies.every((policy) => policy.description.startsWith("Checks whether")));
    });

    it("passes a role whose secret trust policy requires the external ID", async () => {
        const role = resource("aws:iam/role:Role", "gw", { assumeRolePolicy: secret(trustPolicy({ StringEquals: { "sts:ExternalId": "abc12" } })) });
        assert.deepStrictEqual(await pack.analyze(role), []);
    });

    it("reports a trust policy without an external ID as a mandatory violation naming the statement", async () => {
        const diagnostics = await pack.analyze(resource("aws:iam/role:Role", "gw", { assumeRolePolicy: trustPolicy() }));
        assert.deepStrictEqual(
            diagnostics.map((diagnostic) => [diagnostic.policyName, diagnostic.enforcementLevel]),
            [["bedrock-trust-requires-external-id", "mandatory"]],
        );
        assert.match(diagnostics[0].message, /assumeRolePolicy, statement Gateway: lets AWS principal\(s\) arn:aws:iam::111111111111:role\/gw assume the role without an external ID/);
    });

    it("reports wildcard Bedrock grants under both policies", async () => {
        const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "bedrock:*", Resource: "*" }] };
        const diagnostics = await pack.analyze(resource("aws:iam/rolePolicy:RolePolicy", "p", { policy: JSON.stringify(policy), role: UNKNOWN_VALUE }));
        assert.deepStrictEqual(
            diagnostics.map((diagnostic) => diagnostic.policyName).sort(),
            ["bedrock-model-scoped-resources", "bedrock-model-scoped-resources", "iam-no-wildcard-actions", "iam-resources-scoped"],
        );
    });

    const oidcTrust = (condition: Record<string, unknown>) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "GitHubActions",
                    Effect: "Allow",
                    Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: condition,
                },
            ],
        });

    it("passes an OIDC trust pinned to one repository and branch", async () => {
        const role = resource("aws:iam/role:Role", "deployer", {
            assumeRolePolicy: oidcTrust({
                StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:acme/platform:ref:refs/heads/main" },
            }),
        });
        assert.deepStrictEqual(await pack.analyze(role), []);
    });

    it("reports an OIDC trust any repository could satisfy as a mandatory violation quoting the subject", async () => {
        const role = resource("aws:iam/role:Role", "deployer", {
            assumeRolePolicy: oidcTrust({
                StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                StringLike: { "token.actions.githubusercontent.com:sub": "repo:*:ref:refs/heads/main" },
            }),
        });
        const diagnostics = await pack.analyze(role);
        assert.deepStrictEqual(diagnostics.map((diagnostic) => [diagnostic.policyName, diagnostic.enforcementLevel]), [["iam-oidc-trust-pins-subject", "mandatory"]]);
        assert.match(diagnostics[0].message, /statement GitHubActions: .*StringLike token\.actions\.githubusercontent\.com:sub "repo:\*:ref:refs\/heads\/main" has a wildcard before the branch/);
    });

    const identityPolicy = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Access", Effect: "Allow", ...statement }] });

    it("reports Marketplace Subscribe without exact product IDs, and passes it with them", async () => {
        const subscribe = (condition?: Record<string, unknown>) =>
            pack.analyze(resource("aws:iam/rolePolicy:RolePolicy", "p", { policy: identityPolicy({ Action: "aws-marketplace:Subscribe", Resource: "*", Condition: condition }) }));
        const unpinned = await subscribe();
        assert.deepStrictEqual(unpinned.map((diagnostic) => [diagnostic.policyName, diagnostic.enforcementLevel]), [["bedrock-model-scoped-resources", "mandatory"]]);
        assert.match(unpinned[0].message, /statement Access: grants aws-marketplace:Subscribe without "aws-marketplace:ProductId" pinned to exact product IDs/);
        assert.strictEqual((await subscribe({ StringLike: { "aws-marketplace:ProductId": "prod-*" } })).length, 1);
        assert.strictEqual((await subscribe({ "ForAllValues:StringEquals": { "aws-marketplace:ProductId": ["prod-d2ik6zgct5hxi"] } })).length, 1);
        assert.deepStrictEqual(await subscribe({ "ForAnyValue:StringEquals": { "aws-marketplace:ProductId": ["prod-d2ik6zgct5hxi"] } }), []);
        assert.deepStrictEqual(await subscribe({ StringEquals: { "aws-marketplace:ProductId": "prod-d2ik6zgct5hxi" } }), []);
    });

    it("reports bedrock-mantle inference without exact models, and passes it with them", async () => {
        const project = "arn:aws:bedrock-mantle:eu-west-1:123456789012:project/default";
        const mantle = (condition?: Record<string, unknown>) =>
            pack.analyze(resource("aws:iam/rolePolicy:RolePolicy", "p", { policy: identityPolicy({ Action: "bedrock-mantle:CreateInference", Resource: project, Condition: condition }) }));
        const unpinned = await mantle();
        assert.deepStrictEqual(unpinned.map((diagnostic) => diagnostic.policyName), ["bedrock-model-scoped-resources"]);
        assert.match(unpinned[0].message, /grants bedrock-mantle:CreateInference without "bedrock-mantle:Model" pinned to exact model IDs/);
        assert.strictEqual((await mantle({ StringLike: { "bedrock-mantle:Model": "openai.*" } })).length, 1);
        assert.deepStrictEqual(await mantle({ StringEquals: { "bedrock-mantle:Model": ["openai.gpt-oss-120b"] } }), []);
    });

    it("reads @pulumi/aws-native documents: a Lex resource policy and an IAM role's trust", async () => {
        const alias = "arn:aws:lex:eu-west-1:123456789012:bot-alias/BOT1234567/ALIAS12345";
        const lexPolicy = {
            Version: "2012-10-17",
            Statement: [{ Sid: "Bedrock", Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: "lex:RecognizeUtterance", Resource: alias }],
        };
        const lex = await pack.analyze(resource("aws-native:lex:ResourcePolicy", "lex", { resourceArn: alias, policy: lexPolicy }));
        assert.deepStrictEqual(lex.map((diagnostic) => diagnostic.policyName), ["bedrock-service-trust-confused-deputy"]);
        const role = await pack.analyze(
            resource("aws-native:iam:Role", "native", {
                assumeRolePolicyDocument: JSON.parse(trustPolicy()),
                policies: [{ policyName: "p", policyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "bedrock:*", Resource: "*" }] } }],
            }),
        );
        assert.deepStrictEqual(role.map((diagnostic) => diagnostic.policyName).sort(), [
            "bedrock-model-scoped-resources",
            "bedrock-model-scoped-resources",
            "bedrock-trust-requires-external-id",
            "iam-no-wildcard-actions",
            "iam-resources-scoped",
        ]);
        assert.ok(role.some((diagnostic) => /policies\[0\]\.policyDocument, statement #0/.test(diagnostic.message)));
    });

    it("judges AWS managed policies attached by ARN by their content", async () => {
        const fullAccess = "arn:aws:iam::aws:policy/AmazonBedrockFullAccess";
        const onRole = await pack.analyze(
            resource("aws:iam/role:Role", "r", { assumeRolePolicy: trustPolicy({ StringEquals: { "sts:ExternalId": "abc12" } }), managedPolicyArns: [fullAccess] }),
        );
        assert.ok(onRole.some((diagnostic) => diagnostic.policyName === "iam-no-wildcard-actions" && diagnostic.message.includes(`managedPolicyArns[0] (${fullAccess}), statement BedrockAll: grants the wildcard action "bedrock:*"`)));
        const attached = await pack.analyze(resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", { role: "r", policyArn: fullAccess }));
        assert.ok(attached.some((diagnostic) => diagnostic.policyName === "iam-no-wildcard-actions" && diagnostic.enforcementLevel === "mandatory"));
        const readOnly = await pack.analyze(resource("aws:iam/policyAttachment:PolicyAttachment", "a", { roles: ["r"], policyArn: "arn:aws:iam::aws:policy/AmazonBedrockReadOnly" }));
        assert.ok(readOnly.every((diagnostic) => diagnostic.policyName !== "iam-managed-policy-content-known"));
    });

    it("reports, as advisory, an attached AWS managed policy it does not know and a customer policy the stack does not define", async () => {
        const attachment = (policyArn: unknown) => resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", { role: "r", policyArn });
        const unknown = await pack.analyzeStack([attachment("arn:aws:iam::aws:policy/AmazonBedrockFulAccess")]);
        assert.deepStrictEqual(unknown.map((diagnostic) => [diagnostic.policyName, diagnostic.enforcementLevel]), [["iam-managed-policy-content-known", "advisory"]]);
        assert.match(unknown[0].message, /policyArn attaches "arn:aws:iam::aws:policy\/AmazonBedrockFulAccess", which is not an AWS managed policy the pack knows/);
        const foreign = await pack.analyzeStack([attachment("arn:aws:iam::123456789012:policy/admin-everything")]);
        assert.match(foreign[0]?.message ?? "", /attaches "arn:aws:iam::123456789012:policy\/admin-everything", a managed policy this stack does not define/);
        const own = resource("aws:iam/policy:Policy", "mine", { arn: "arn:aws:iam::123456789012:policy/mine", policy: "{}" });
        assert.deepStrictEqual(await pack.analyzeStack([own, attachment("arn:aws:iam::123456789012:policy/mine")]), []);
        assert.deepStrictEqual(await pack.analyzeStack([attachment(UNKNOWN_VALUE)]), []);
        assert.deepStrictEqual(await pack.analyzeStack([attachment("arn:aws:iam::aws:policy/AmazonBedrockReadOnly")]), []);
    });

    it("knows Bedrock's resource types from the reference's ARN patterns, and asks no model of a trust policy", async () => {
        const allAccess = identityPolicy({ Action: "bedrock:InvokeModel", Resource: "arn:aws:bedrock:us-east-1:123456789012:marketplace/model-endpoint/all-access" });
        assert.deepStrictEqual(await pack.analyze(resource("aws:iam/rolePolicy:RolePolicy", "p", { policy: allAccess })), []);
        // A wildcard region or account still names a model (IAM matches it; foundation models have no account), but only a
        // profile may take it to any region: bare, it is reported by the region rule alone.
        const anyRegion = identityPolicy({ Action: "bedrock:InvokeModel", Resource: "arn:aws:bedrock:*:*:foundation-model/amazon.nova-pro-v1:0" });
        const regionless = await pack.analyze(resource("aws:iam/rolePolicy:RolePolicy", "p", { policy: anyRegion }));
        assert.deepStrictEqual(regionless.map((diagnostic) => diagnostic.policyName), ["bedrock-model-regions-pinned"]);
        const throughProfile = identityPolicy({
            Action: "bedrock:InvokeModel",
            Resource: "arn:aws:bedrock:*:*:foundation-model/amazon.nova-pro-v1:0",
            Condition: { StringEquals: { "bedrock:InferenceProfileArn": "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.amazon.nova-pro-v1:0" } },
        });
        assert.deepStrictEqual(await pack.analyze(resource("aws:iam/rolePolicy:RolePolicy", "p", { policy: throughProfile })), []);
        const trustAll = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "*" }] });
        const trust = await pack.analyze(resource("aws:iam/role:Role", "r", { assumeRolePolicy: trustAll }));
        assert.deepStrictEqual(trust.map((diagnostic) => diagnostic.policyName), ["iam-no-wildcard-actions"]);
    });

    it("judges the resource policies of more services (an SQS queue, an OpenSearch domain, an S3 access point)", async () => {
        const open = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "sqs:*", Resource: "*" }] });
        for (const [type, property] of [
            ["aws:sqs/queue:Queue", "policy"],
            ["aws:opensearch/domain:Domain", "accessPolicies"],
            ["aws:s3/accessPoint:AccessPoint", "policy"],
            ["aws:bedrock/agentcoreResourcePolicy:AgentcoreResourcePolicy", "policy"],
        ]) {
            const diagnostics = await pack.analyze(resource(type, "x", { [property]: open }));
            assert.deepStrictEqual(diagnostics.map((diagnostic) => diagnostic.policyName), ["iam-no-wildcard-actions", "aws-resource-policies-not-public"], type);
        }
    });

    it("reports a Lambda permission for Bedrock without a source account", async () => {
        const diagnostics = await pack.analyze(
            resource("aws:lambda/permission:Permission", "l", { action: "lambda:InvokeFunction", function: "f", principal: "bedrock.amazonaws.com" }),
        );
        assert.deepStrictEqual(diagnostics.map((diagnostic) => [diagnostic.policyName, diagnostic.enforcementLevel]), [["bedrock-service-trust-confused-deputy", "mandatory"]]);
    });

    it("reports an unparseable document", async () => {
        const diagnostics = await pack.analyze(resource("aws:iam/rolePolicy:RolePolicy", "p", { policy: "{" }));
        // The policies that judge identity policies each report it.
        assert.deepStrictEqual(diagnostics.map((diagnostic) => diagnostic.policyName).sort(), [
            "bedrock-model-regions-pinned",
            "bedrock-model-scoped-resources",
            "iam-actions-exist",
            "iam-no-wildcard-actions",
            "iam-resources-scoped",
        ]);
        assert.ok(diagnostics.every((diagnostic) => /policy is not valid JSON/.test(diagnostic.message)));
    });

    it("leaves documents unknown at preview to the SDK: advisory 'can't run during preview'", async () => {
        const diagnostics = await pack.analyze(resource("aws:iam/rolePolicy:RolePolicy", "p", { policy: UNKNOWN_VALUE }));
        // The policies that judge identity policies read it; the others never touch it.
        assert.deepStrictEqual(diagnostics.map((diagnostic) => diagnostic.policyName).sort(), [
            "bedrock-model-regions-pinned",
            "bedrock-model-scoped-resources",
            "iam-actions-exist",
            "iam-no-wildcard-actions",
            "iam-resources-scoped",
        ]);
        assert.ok(diagnostics.every((diagnostic) => diagnostic.enforcementLevel === "advisory" && /can't run policy .* during preview/.test(diagnostic.message)));
    });

    it("finds nothing on every resource the program registers, judged at preview", async () => {
        const { engine } = await runProgram({
            gateways: [
                {
                    name: "portkey",
                    trustedPrincipals: ["arn:aws:iam::111111111111:role/portkey-gateway"],
                    externalId: "portkey-7f3a9c2e",
                    models: ["anthropic.claude-sonnet-4-20250514-v1:0", "eu.anthropic.claude-haiku-4-5-20251001-v1:0", "global.amazon.nova-pro-v1:0"],
                    guardrails: ["gr7x2k9q1abc"],
                },
                { name: "litellm", attachToRole: "litellm-irsa", models: ["arn:aws:bedrock:eu-west-1:123456789012:provisioned-model/abc123"] },
            ],
        });
        assert.ok(engine.resources.length >= 5);
        for (const registered of engine.resources) assert.deepStrictEqual(await pack.analyze(registered), [], registered.urn);
        assert.deepStrictEqual(await pack.analyzeStack(engine.resources), []);
    });
});

describe("policy pack enforcement configuration", () => {
    it("lets a user lower a policy to advisory", async () => {
        const pack = await PolicyPackClient.start({ enforcement: { "iam-no-wildcard-actions": "advisory" } });
        try {
            const policy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }] };
            const diagnostics = await pack.analyze(resource("aws:iam/rolePolicy:RolePolicy", "p", { policy: JSON.stringify(policy) }));
            assert.deepStrictEqual(diagnostics.map((diagnostic) => [diagnostic.policyName, diagnostic.enforcementLevel]), [["iam-no-wildcard-actions", "advisory"]]);
        } finally {
            pack.close();
        }
    });
});
