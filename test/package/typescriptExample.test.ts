/**
 * examples/typescript: a program of its own importing the package, run under the mocked engine: the
 * same documents as the stack's gateway, the trust secret, roleArn out.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { isSecretValue, plainValue } from "../../offline/engine/mockEngine";
import { ACCOUNT_ID, PROJECT, mockEngine, promiseOf } from "../harness";

const EXTERNAL_ID = "portkey-4f7c2a91-external";

describe("examples/typescript: a TypeScript program importing the components", () => {
    it("creates Portkey's role with the secret trust and the model-scoped policy, parented by the public component", async () => {
        const mocks = await mockEngine();
        const project = "bedrock-access-example";
        await mocks.configure({ project, preview: false, stack: "test" });
        mocks.reset();
        const config = { "aws:region": "eu-west-1", [`${project}:portkeyExternalId`]: EXTERNAL_ID };
        pulumi.runtime.setAllConfig(config, [`${project}:portkeyExternalId`]);
        let outputs: { portkeyRoleArn: pulumi.Output<string>; portkeyRegion: pulumi.Output<string>; portkeyExternalId: pulumi.Output<string | undefined> };
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            outputs = require("../../examples/typescript");
            assert.equal(await promiseOf(outputs.portkeyRoleArn), `arn:aws:iam::${ACCOUNT_ID}:role/bedrock-gateway-portkey-eu-west-1`);
            assert.equal(await promiseOf(outputs.portkeyRegion), "eu-west-1");
            assert.equal(await promiseOf(outputs.portkeyExternalId), EXTERNAL_ID);
            assert.equal(await pulumi.isSecret(outputs.portkeyExternalId), true);
        } finally {
            await mocks.settle();
            await mocks.configure({ project: PROJECT, preview: true, stack: "test" });
        }
        const roles = mocks.resources.filter((resource) => resource.type === "aws:iam/role:Role");
        assert.equal(roles.length, 1);
        assert.ok(isSecretValue(roles[0].properties.assumeRolePolicy), "the trust policy is a secret");
        const trust = JSON.parse(String(plainValue(roles[0].properties.assumeRolePolicy))) as { Statement: { Condition: unknown }[] };
        assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "sts:ExternalId": EXTERNAL_ID } });
        const policy = mocks.resources.find((resource) => resource.type === "aws:iam/rolePolicy:RolePolicy")!;
        assert.match(String(plainValue(policy.properties.policy)), /foundation-model\/anthropic\.claude-sonnet-4-20250514-v1:0/);
        const component = mocks.resources.find((resource) => resource.type === "bedrock-access:index:GatewayAccessRole")!;
        assert.ok(component, "the public component registered");
        assert.strictEqual(roles[0].parentUrn, component.urn, "the role is the public component's own child");
    });
});
