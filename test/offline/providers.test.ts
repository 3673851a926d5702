/**
 * The offline engine sends each resource's provider to the pack as the engine does: the stack's
 * default provider (its inputs the stack's `aws:*` configuration, as strings) or the declared
 * provider a resource names; the pack's account rules read `allowedAccountIds` from it.
 */
import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { mockEngine } from "../harness";
import { packForTests } from "../assertions";

/** The roles carry a boundary: this test is about the account rule only. */
const BOUNDARY = "arn:aws:iam::123456789012:policy/test-boundary";

describe("the offline engine's providers", () => {
    it("sends the default provider from the stack's configuration and a declared provider by reference, and the pack holds each trust to its own account", async () => {
        const mocks = await mockEngine();
        mocks.reset();
        pulumi.runtime.setAllConfig({ "aws:region": "eu-west-1", "aws:allowedAccountIds": '["123456789012"]' }, []);
        const trust = JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "210987654321" } } }],
        });
        const provider = new aws.Provider("other-account", { region: "eu-west-1", allowedAccountIds: ["210987654321"] });
        new aws.iam.Role("on-default", { assumeRolePolicy: trust, permissionsBoundary: BOUNDARY });
        new aws.iam.Role("on-declared", { assumeRolePolicy: trust, permissionsBoundary: BOUNDARY }, { provider });
        await mocks.settle();
        const onDefault = mocks.resources.find((resource) => resource.name === "on-default");
        const onDeclared = mocks.resources.find((resource) => resource.name === "on-declared");
        assert.deepStrictEqual(onDefault?.provider, {
            type: "pulumi:providers:aws",
            urn: "urn:pulumi:test::bedrock-access::pulumi:providers:aws::default",
            name: "default",
            properties: { region: "eu-west-1", allowedAccountIds: '["123456789012"]' },
        });
        assert.strictEqual(onDeclared?.provider?.type, "pulumi:providers:aws");
        assert.strictEqual(onDeclared?.provider?.name, "other-account");
        assert.match(JSON.stringify(onDeclared?.provider?.properties.allowedAccountIds), /210987654321/);
        assert.strictEqual(mocks.resources.find((resource) => resource.type === "pulumi:providers:aws")?.provider, undefined, "a provider has no provider");

        const pack = await packForTests();
        const reported = await pack.analyze(onDefault!);
        assert.deepStrictEqual(reported.map((diagnostic) => diagnostic.policyName), ["bedrock-service-trust-confused-deputy"]);
        assert.match(reported[0].message, /account 210987654321 is not this stack's account 123456789012 \(the stack's aws:allowedAccountIds\)/);
        assert.deepStrictEqual(await pack.analyze(onDeclared!), []);
        mocks.reset();
    });
});
