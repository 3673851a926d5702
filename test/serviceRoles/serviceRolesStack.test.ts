/**
 * The stack file of service roles beyond the example's (test/stacks/Pulumi.service-roles.yaml): run as
 * the check runs it, every resource passes the pack, and the stack's boundary names every resource
 * (within one managed policy, no fallback to naming Bedrock's resources by account).
 */
import * as assert from "assert";
import * as path from "path";
import { permissionsBoundaryDocument } from "../../components/iam/permissionsBoundary";
import { policyJson } from "../../components/iam/iamDocument";
import { iamPolicySize } from "../../components/iam/iamQuotas";
import { validateStackConfig } from "../../components/stack/stackConfig";
import { planStackPermissions, stackRoleDocuments } from "../../components/stack/stackPermissions";
import { loadStackConfig } from "../../offline/engine/stackFile";
import { assertPackFindsNothing } from "../assertions";
import { ACCOUNT_ID, runProgram } from "../harness";

const ROOT = path.resolve(__dirname, "..", "..");
const PREFIX = "bedrock-access:";

describe("the service-roles test stack", () => {
    const loaded = loadStackConfig(ROOT, "service-roles", path.join(ROOT, "test", "stacks", "Pulumi.service-roles.yaml"));
    const projectValues = Object.fromEntries(Object.entries(loaded.config).filter(([key]) => key.startsWith(PREFIX)).map(([key, value]) => [key.slice(PREFIX.length), value]));

    it("registers a role of each kind it lists and passes the pack", async () => {
        const run = await runProgram(Object.fromEntries(Object.entries(projectValues).map(([key, value]) => [key, JSON.parse(value) as unknown])));
        const roles = run.engine.ofType("aws:iam/role:Role").map((role) => role.properties.name as string);
        assert.deepStrictEqual(roles.sort(), [
            "AmazonBedrockExecutionRoleForAgents_billing-specialist-eu-west-1",
            "AmazonBedrockExecutionRoleForAgents_supervisor-eu-west-1",
            "bedrock-batch-nightly-summaries-eu-west-1",
            "bedrock-custom-tuning-eu-west-1",
            "bedrock-flow-triage-flow-eu-west-1",
        ]);
        assert.strictEqual(run.engine.ofType("aws:kms/key:Key").length, 4);
        await assertPackFindsNothing(run.engine.resources);
    });

    it("keeps its boundary naming every resource, within a managed policy", () => {
        const config = validateStackConfig({ region: loaded.config["aws:region"], projectValues });
        const location = { partition: "aws", region: config.region, accountId: ACCOUNT_ID };
        const documents = stackRoleDocuments(config, location, "service-roles", planStackPermissions(config, location));
        const named = permissionsBoundaryDocument(location, documents, Number.MAX_SAFE_INTEGER);
        assert.ok(iamPolicySize(policyJson(named)) <= config.iamQuotas.managedPolicyCharacters, `${iamPolicySize(policyJson(named))} characters`);
        const text = policyJson(named);
        for (const expected of ["bedrock:GetAgentAlias", "agent-alias/AGENT12345/ALIAS12345", "guardrail/gr7x2k9q1abc", "arn:aws:s3:::batch-jobs-output/summaries/*"]) assert.ok(text.includes(expected), expected);
    });
});
