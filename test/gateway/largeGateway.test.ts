/**
 * Gateways too large for one inline policy: the program's resources, the pack's verdict, the
 * preview-time error when even managed policies cannot hold them, and what the documents allow.
 */
import * as assert from "assert";
import { modelMix } from "../../bench/modelMix";
import { PolicyDocument } from "../../components/iam/iamDocument";
import { plainValue } from "../../offline/engine/mockEngine";
import { ACCOUNT_ID, REGION, mockEngine, runProgram } from "../harness";
import { assertPackFindsNothing } from "../assertions";
import { decide } from "../simulate";

const gateway = (models: string[]) => ({
    name: "company",
    trustedPrincipals: ["arn:aws:iam::111111111111:role/litellm"],
    externalId: "company-gateway-1",
    models,
});

const documentsOf = (resources: readonly { type: string; properties: Record<string, unknown> }[]): PolicyDocument[] =>
    resources
        .filter((resource) => resource.type === "aws:iam/policy:Policy" || resource.type === "aws:iam/rolePolicy:RolePolicy")
        .map((resource) => JSON.parse(plainValue(resource.properties.policy) as string) as PolicyDocument);

describe("a 450-model gateway", () => {
    const references = modelMix(450, REGION);
    let resources: Awaited<ReturnType<typeof runProgram>>["engine"]["resources"];
    let policies: PolicyDocument[];

    before(async () => {
        const { engine } = await runProgram({ gateways: [gateway(references)] });
        resources = [...engine.resources];
        policies = documentsOf(resources);
    });

    it("gets managed policies named by slot, each attached to the role, all known at preview", () => {
        const managed = resources.filter((resource) => resource.type === "aws:iam/policy:Policy");
        const attachments = resources.filter((resource) => resource.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
        assert.ok(managed.length >= 1 && managed.length <= 10);
        assert.deepStrictEqual(
            attachments.map((attachment) => attachment.name).sort(),
            managed.map((policy) => policy.name).sort(),
        );
        for (const policy of managed) {
            assert.match(policy.name, /^bedrock-gateway-company-invoke-\d$/);
            // A fixed IAM name, so the deployer's policy can name it: the role's name and the slot.
            assert.strictEqual(policy.properties.name, `bedrock-gateway-company-eu-west-1-${policy.name.slice(-1)}`);
            assert.strictEqual(typeof policy.properties.policy, "string");
        }
    });

    it("passes the policy pack", async () => {
        await assertPackFindsNothing(resources);
    });

    it("lets the role invoke every one of its models, directly or through its profile", async () => {
        const principal = `arn:aws:sts::${ACCOUNT_ID}:assumed-role/bedrock-gateway-company/s`;
        for (const reference of references) {
            const isProfile = reference.split(":")[0].split(".").length === 3;
            const profileArn = `arn:aws:bedrock:eu-west-1:${ACCOUNT_ID}:inference-profile/${reference}`;
            const requests: { resource: string; context: Record<string, string> }[] = isProfile
                ? [
                      { resource: profileArn, context: {} },
                      { resource: `arn:aws:bedrock:ap-northeast-1::foundation-model/${reference.slice(reference.indexOf(".") + 1)}`, context: { "bedrock:InferenceProfileArn": profileArn } },
                  ]
                : [{ resource: reference.startsWith("arn:") ? reference : `arn:aws:bedrock:eu-west-1::foundation-model/${reference}`, context: {} }];
            for (const request of requests) {
                const decision = await decide({ action: "bedrock:InvokeModel", principal, resource: request.resource, resourceAccount: ACCOUNT_ID, context: request.context, identityPolicies: policies });
                assert.strictEqual(decision, "Allowed", `${reference}: ${request.resource}`);
            }
        }
    });

    it("denies a model it does not list, directly and through a profile", async () => {
        const principal = `arn:aws:sts::${ACCOUNT_ID}:assumed-role/bedrock-gateway-company/s`;
        const unlisted = "anthropic.claude-unlisted-9-20990101-v1:0";
        const profileArn = `arn:aws:bedrock:eu-west-1:${ACCOUNT_ID}:inference-profile/eu.${unlisted}`;
        const requests: { resource: string; context: Record<string, string> }[] = [
            { resource: `arn:aws:bedrock:eu-west-1::foundation-model/${unlisted}`, context: {} },
            { resource: profileArn, context: {} },
            { resource: `arn:aws:bedrock:eu-central-1::foundation-model/${unlisted}`, context: { "bedrock:InferenceProfileArn": profileArn } },
        ];
        for (const request of requests) {
            const decision = await decide({ action: "bedrock:InvokeModel", principal, resource: request.resource, resourceAccount: ACCOUNT_ID, context: request.context, identityPolicies: policies });
            assert.notStrictEqual(decision, "Allowed", request.resource);
        }
    });
});

describe("a gateway beyond IAM's quotas", () => {
    it("fails at preview saying how many fit, how many were asked, and what to change; nothing registered", async () => {
        await assert.rejects(runProgram({ gateways: [gateway(modelMix(700, REGION))] }), (error: Error) => {
            assert.match(
                error.message,
                /gateways\[0\]\.models = \(700 models\): 700 models were asked for, but one role holds only the first 4\d\d of them within IAM's quotas \(inline policies 10240 characters, 10 managed policies of 6144\): raise the account's "managed policies per role" quota \(up to 20\) and set iamQuotas\.managedPoliciesPerRole, or split this gateway/,
            );
            return true;
        });
        assert.deepStrictEqual((await mockEngine()).resources, []);
    });

    it("fits once the account's raised quota is configured", async () => {
        const { engine } = await runProgram({ gateways: [gateway(modelMix(700, REGION))], iamQuotas: { managedPoliciesPerRole: 20 } });
        const managed = engine.ofType("aws:iam/policy:Policy");
        assert.ok(managed.length > 10 && managed.length <= 20, String(managed.length));
    });

    it("rejects quota values IAM does not have", async () => {
        await assert.rejects(runProgram({ gateways: [], iamQuotas: { managedPoliciesPerRole: 25, trustPolicyCharacters: 100, maxModels: 3 } }), (error: Error) => {
            assert.match(error.message, /iamQuotas\.managedPoliciesPerRole = 25: must be 1 to 20/);
            assert.match(error.message, /iamQuotas\.trustPolicyCharacters = 100: must be at least IAM's default of 2048/);
            assert.match(error.message, /iamQuotas\.maxModels = 3: unknown key/);
            return true;
        });
    });

    it("refuses a trust policy over its quota", async () => {
        const principals = Array.from({ length: 40 }, (_, index) => `arn:aws:iam::111111111111:role/gateway-role-with-a-long-name-${index}`);
        await assert.rejects(
            runProgram({ gateways: [{ ...gateway(["amazon.nova-pro-v1:0"]), trustedPrincipals: principals }] }),
            /gateways\[0\]\.trustedPrincipals = \(40 principals\): make a trust policy of \d+ characters; IAM allows 2048/,
        );
    });
});

describe("service roles and IAM's quotas", () => {
    const bucketList = (count: number) => Array.from({ length: count }, (_, index) => `flow-input-bucket-${String(index).padStart(4, "0")}/datasets/customer-support/tickets-${index}`);

    it("splits a large service role into managed policies", async () => {
        const { engine } = await runProgram({ serviceRoles: { flows: [{ name: "big", models: modelMix(120, REGION), s3Read: bucketList(60) }] } });
        const managed = engine.ofType("aws:iam/policy:Policy");
        assert.ok(managed.length > 1 && managed.length <= 10, String(managed.length));
        assert.deepStrictEqual(
            engine.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((attachment) => attachment.name).sort(),
            managed.map((policy) => policy.name).sort(),
        );
    });

    it("refuses one beyond the quotas at preview, naming the entry; nothing registered", async () => {
        await assert.rejects(
            runProgram({ serviceRoles: { flows: [{ name: "huge", models: modelMix(300, REGION), s3Read: bucketList(400) }] } }),
            /serviceRoles\.flows\[0\] = \(flows role huge\): lists more resources than one role holds within IAM's quotas/,
        );
        assert.deepStrictEqual((await mockEngine()).resources, []);
    });
});
