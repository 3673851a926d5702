/**
 * The command tests run the commands in-process (`runCommand`): this proves that doing so is
 * faithful. A check in-process prints the documents, findings and verdict a spawned check prints,
 * and its mocked engine and the test harness's engine take turns in one process: a check, then a
 * program run through the harness, then the check again, each sees only its own registrations.
 */
import * as assert from "assert";
import { exampleJsonCheckProcess, runCommand } from "../commands";
import { runProgram } from "../harness";

interface CheckJson {
    readonly passed: boolean;
    readonly access: { readonly roles: readonly { readonly role: string }[] };
    readonly diagnostics: readonly unknown[];
}

describe("commands run in-process", function () {
    this.timeout(120000);

    it("a check in-process prints exactly what the spawned check prints, and takes turns with the harness's engine", async () => {
        const spawned = exampleJsonCheckProcess();
        assert.strictEqual(spawned.status, 0, spawned.stderr);
        const first = await runCommand("offline/check.ts", ["--format", "json"]);
        assert.deepStrictEqual([first.status, first.stderr], [0, ""]);
        assert.strictEqual(first.stdout, spawned.stdout);
        assert.ok((JSON.parse(first.stdout) as CheckJson).access.roles.some((role) => role.role === "bedrock-gateway-portkey-eu-west-1"));

        // A program run through the harness between two checks registers on the harness's engine, and only its own resources.
        const { engine } = await runProgram({ gateways: [{ name: "in-process", trustedPrincipals: ["arn:aws:iam::111111111111:role/in-process"], externalId: "in-process-7f3a9c2e", models: ["amazon.nova-pro-v1:0"] }] });
        assert.deepStrictEqual(
            engine.resources.map((resource) => `${resource.type} ${resource.name}`).sort(),
            ["aws:iam/role:Role bedrock-gateway-in-process", "aws:iam/rolePolicy:RolePolicy bedrock-gateway-in-process-invoke", "bedrock-access:index:GatewayAccessRole bedrock-gateway-in-process"],
        );
        assert.ok(engine.resources.every((resource) => resource.urn.startsWith("urn:pulumi:test::bedrock-access::")), "the harness's stack, not the check's");

        const again = await runCommand("offline/check.ts", ["--format", "json"]);
        assert.deepStrictEqual([again.status, again.stderr, again.stdout], [0, "", spawned.stdout]);
    });

    it("gives a command the environment asked for while it runs, and restores this process's afterwards", async () => {
        const before = { ...process.env };
        const result = await runCommand("verify/cli.ts", ["--stack", "invalid", "--stack-file", "test/stacks/Pulumi.invalid.yaml"], { env: { PATH: process.env.PATH } });
        assert.strictEqual(result.status, 2, result.stderr);
        assert.match(result.stderr, /Invalid stack configuration/);
        assert.deepStrictEqual({ ...process.env }, before);
    });
});
