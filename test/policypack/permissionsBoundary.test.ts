/**
 * iam-role-has-permissions-boundary: on the roles the program registers (the example's gateways,
 * service roles and logging role) with the default boundary, another ARN and `none`; advisory by
 * default, mandatory when the pack's configuration says so (over the Analyzer protocol).
 */
import * as assert from "assert";
import * as path from "path";
import { plainValue } from "../../offline/engine/mockEngine";
import { AnalyzedResource, PolicyPackClient } from "../../offline/engine/policyPackClient";
import { loadStackConfig } from "../../offline/engine/stackFile";
import { missingBoundaryProblem, roleHasPermissionsBoundary } from "../../policypack/policies/permissionsBoundary";
import { violationsOf } from "../assertions";
import { ACCOUNT_ID, runProgram } from "../harness";

function exampleConfig(): Record<string, unknown> {
    const { config } = loadStackConfig(path.resolve(__dirname, "..", ".."), "example");
    return Object.fromEntries(Object.entries(config).filter(([key]) => key.startsWith("bedrock-access:")).map(([key, value]) => [key.slice("bedrock-access:".length), JSON.parse(value)]));
}

async function registeredRoles(permissionsBoundary?: string): Promise<AnalyzedResource[]> {
    const { engine } = await runProgram({ ...exampleConfig(), ...(permissionsBoundary ? { permissionsBoundary } : {}) });
    return engine.ofType("aws:iam/role:Role").map((role) => ({ urn: role.urn, type: role.type, name: role.name, properties: plainValue(role.properties) as Record<string, unknown> }));
}

describe("iam-role-has-permissions-boundary", () => {
    it("passes every role of the example stack with the default boundary, and with another customer managed policy", async () => {
        for (const boundary of [undefined, `arn:aws:iam::${ACCOUNT_ID}:policy/platform/our-boundary`]) {
            const roles = await registeredRoles(boundary);
            assert.ok(roles.length >= 4, String(roles.length));
            for (const role of roles) assert.deepStrictEqual(await violationsOf(roleHasPermissionsBoundary, role.type, role.properties), [], role.name);
        }
    });

    it("reports every role of the stack with permissionsBoundary: none, naming the role", async () => {
        const roles = await registeredRoles("none");
        for (const role of roles) {
            const violations = await violationsOf(roleHasPermissionsBoundary, role.type, role.properties);
            assert.strictEqual(violations.length, 1, role.name);
            assert.match(violations[0], new RegExp(`Role ${String(role.properties.name)} has no permissions boundary`));
        }
    });

    it("reports a boundary that is not a customer managed policy, and judges no other type", () => {
        assert.match(missingBoundaryProblem("aws:iam/role:Role", { name: "r", permissionsBoundary: "AdministratorAccess" }) ?? "", /is not a customer managed policy/);
        assert.strictEqual(missingBoundaryProblem("aws:iam/rolePolicy:RolePolicy", {}), undefined);
    });

    it("is advisory by default and mandatory when the pack's configuration makes it so", async () => {
        const [role] = await registeredRoles("none");
        for (const [enforcement, level] of [[undefined, "advisory"], [{ "iam-role-has-permissions-boundary": "mandatory" as const }, "mandatory"]] as const) {
            const pack = await PolicyPackClient.start(enforcement ? { enforcement } : {});
            try {
                const diagnostics = (await pack.analyze(role)).filter((diagnostic) => diagnostic.policyName === "iam-role-has-permissions-boundary");
                assert.deepStrictEqual(diagnostics.map((diagnostic) => diagnostic.enforcementLevel), [level]);
            } finally {
                pack.close();
            }
        }
    });
});
