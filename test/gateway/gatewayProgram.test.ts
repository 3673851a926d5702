/**
 * The program under Pulumi's mocks: which resources it registers, the exact documents they carry
 * at preview, what it outputs, and that invalid configuration registers nothing.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { isSecretValue, plainValue } from "../../offline/engine/mockEngine";
import { ACCOUNT_ID, mockEngine, promiseOf, runProgram } from "../harness";

const PORTKEY_ROLE = "arn:aws:iam::111111111111:role/portkey-gateway";

const gateways = [
    {
        name: "portkey",
        trustedPrincipals: [PORTKEY_ROLE],
        externalId: "portkey-7f3a9c2e",
        models: ["anthropic.claude-sonnet-4-20250514-v1:0", "eu.anthropic.claude-haiku-4-5-20251001-v1:0"],
        guardrails: ["gr7x2k9q1abc"],
        maxSessionDurationSeconds: 7200,
    },
    { name: "litellm", attachToRole: "litellm-irsa", models: ["amazon.nova-pro-v1:0"], streaming: false },
];

interface StackOutputs {
    gateways: Record<string, { roleArn: pulumi.Output<string>; region: string; externalId?: pulumi.Output<string> }>;
}

describe("gateway program under mocks", () => {
    it("registers one component, one role and one inline policy per gateway; an attached gateway gets no role", async () => {
        const { engine } = await runProgram({ gateways });
        assert.deepStrictEqual(
            engine.resources.map((resource) => `${resource.type} ${resource.name}`).sort(),
            [
                "aws:iam/role:Role bedrock-gateway-portkey",
                "aws:iam/rolePolicy:RolePolicy bedrock-gateway-litellm-invoke",
                "aws:iam/rolePolicy:RolePolicy bedrock-gateway-portkey-invoke",
                "bedrock-access:index:GatewayAccessRole bedrock-gateway-litellm",
                "bedrock-access:index:GatewayAccessRole bedrock-gateway-portkey",
            ],
        );
        const children = engine.resources.filter((resource) => resource.custom);
        assert.ok(children.every((child) => child.parentUrn?.includes("GatewayAccessRole")), "every child is parented to its component");
    });

    it("writes the exact trust policy, as a secret known at preview", async () => {
        const { engine } = await runProgram({ gateways });
        const [role] = engine.ofType("aws:iam/role:Role");
        assert.ok(isSecretValue(role.properties.assumeRolePolicy), "trust policy carries the external ID: secret");
        assert.deepStrictEqual(JSON.parse(plainValue(role.properties.assumeRolePolicy) as string), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "GatewayAssumeRoleWithExternalId",
                    Effect: "Allow",
                    Principal: { AWS: [PORTKEY_ROLE] },
                    Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "sts:ExternalId": "portkey-7f3a9c2e" } },
                },
            ],
        });
        assert.strictEqual(role.properties.maxSessionDuration, 7200);
        assert.strictEqual(role.properties.name, "bedrock-gateway-portkey-eu-west-1", "a fixed name: the ARN is known at preview");
        assert.deepStrictEqual(role.properties.tags, { "bedrock-access:gateway": "portkey" });
    });

    it("writes the exact invoke policy, known at preview, compact", async () => {
        const { engine } = await runProgram({ gateways });
        const policy = engine.ofType("aws:iam/rolePolicy:RolePolicy").find((resource) => resource.name === "bedrock-gateway-portkey-invoke")!;
        const text = policy.properties.policy as string;
        assert.strictEqual(typeof text, "string");
        assert.ok(!/\s/.test(text), "stored without whitespace");
        const profile = `arn:aws:bedrock:eu-west-1:${ACCOUNT_ID}:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0`;
        assert.deepStrictEqual(JSON.parse(text), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "InvokeListedModels",
                    Effect: "Allow",
                    Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                    Resource: [profile, "arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0"],
                },
                {
                    Sid: "InvokeModelsThroughListedProfiles",
                    Effect: "Allow",
                    Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                    Resource: ["arn:aws:bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0"],
                    Condition: { StringEquals: { "bedrock:InferenceProfileArn": [profile] } },
                },
                {
                    Sid: "ApplyListedGuardrails",
                    Effect: "Allow",
                    Action: "bedrock:ApplyGuardrail",
                    Resource: [`arn:aws:bedrock:eu-west-1:${ACCOUNT_ID}:guardrail/gr7x2k9q1abc`],
                },
            ],
        });
    });

    it("attaches the invoke policy to the existing role by name, without streaming", async () => {
        const { engine } = await runProgram({ gateways });
        const policy = engine.ofType("aws:iam/rolePolicy:RolePolicy").find((resource) => resource.name === "bedrock-gateway-litellm-invoke")!;
        assert.strictEqual(policy.properties.role, "litellm-irsa");
        assert.deepStrictEqual(JSON.parse(policy.properties.policy as string).Statement, [
            {
                Sid: "InvokeListedModels",
                Effect: "Allow",
                Action: ["bedrock:InvokeModel"],
                Resource: ["arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0"],
            },
        ]);
    });

    it("outputs what a user hands the gateway: role ARN, region and the external ID as a secret", async () => {
        const { outputs } = await runProgram({ gateways }, { preview: false });
        const portkey = (outputs as StackOutputs).gateways.portkey;
        assert.strictEqual(await promiseOf(portkey.roleArn), `arn:aws:iam::${ACCOUNT_ID}:role/bedrock-gateway-portkey-eu-west-1`);
        assert.strictEqual(portkey.region, "eu-west-1");
        assert.strictEqual(await promiseOf(portkey.externalId!), "portkey-7f3a9c2e");
        assert.strictEqual(await pulumi.isSecret(portkey.externalId!), true);
        const litellm = (outputs as StackOutputs).gateways.litellm;
        assert.strictEqual(await promiseOf(litellm.roleArn), `arn:aws:iam::${ACCOUNT_ID}:role/litellm-irsa`);
        assert.strictEqual(litellm.externalId, undefined);
    });

    it("registers nothing, and names path, value and rule, when any gateway is invalid", async () => {
        const broken = [gateways[0], { ...gateways[0], name: "second", externalId: "has space" }];
        await assert.rejects(runProgram({ gateways: broken }), (error: Error) => {
            assert.match(error.message, /gateways\[1\]\.externalId = \(secret, 9 characters\): must contain only/);
            assert.ok(!error.message.includes("has space"));
            return true;
        });
        assert.deepStrictEqual((await mockEngine()).resources, [], "no resource registered by the failed run");
    });

    it("registers nothing when an unknown key is set", async () => {
        await assert.rejects(runProgram({ gateways, gatewayz: [] }), /gatewayz = .*unknown key/);
        assert.deepStrictEqual((await mockEngine()).resources, []);
    });
});
