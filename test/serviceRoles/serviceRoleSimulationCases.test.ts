/**
 * The matrix `npm run verify` asks IAM's simulator for the batch inference, guardrail and collaborator
 * grants: each case it derives from the configuration, answered by the documents the program writes.
 */
import * as assert from "assert";
import { AwsLocation } from "../../components/arns/bedrockArns";
import { serviceRolePermissions } from "../../components/serviceRoles/serviceRolePolicies";
import { validateStackConfig } from "../../components/stack/stackConfig";
import { layoutDocuments, layoutPermissions } from "../../components/iam/permissionLayout";
import { DEFAULT_IAM_QUOTAS } from "../../components/iam/iamQuotas";
import { serviceRoleSimulation } from "../../verify/simulationCases";
import { ACCOUNT_ID, REGION } from "../harness";
import { decide } from "../simulate";

const LOCATION: AwsLocation = { partition: "aws", region: REGION, accountId: ACCOUNT_ID };

describe("verify's simulation matrix for batch inference, guardrails and collaborators", () => {
    const roles = validateStackConfig({
        region: REGION,
        projectValues: {
            serviceRoles: JSON.stringify({
                agents: [{ name: "supervisor", models: ["amazon.nova-pro-v1:0"], guardrails: ["gr7x2k9q1abc"], collaborators: ["AGENT12345/ALIAS12345"] }],
                flows: [{ name: "triage", models: ["amazon.nova-pro-v1:0"], guardrails: ["gr7x2k9q1abc"] }],
                batchInference: [{ name: "summaries", models: ["eu.amazon.nova-pro-v1:0"], inputData: ["batch-in/nightly"], outputData: ["batch-out/results"] }],
            }),
        },
    }).serviceRoles;

    for (const role of roles) {
        it(`${role.kind} ${role.name}: every case is answered as expected by the role's documents`, async () => {
            const { units, templates } = serviceRolePermissions(LOCATION, role);
            const layout = layoutPermissions(units, templates, DEFAULT_IAM_QUOTAS);
            if (!layout.ok) assert.fail("laid out within IAM's quotas");
            const simulation = serviceRoleSimulation(LOCATION, role);
            const whys = simulation.cases.map((entry) => `${entry.expected} ${entry.why}`);
            if (role.guardrails.length > 0) assert.ok(whys.includes("allowed listed guardrail") && whys.includes("denied unlisted guardrail"), whys.join(", "));
            if (role.collaborators.length > 0) assert.ok(whys.includes("allowed listed collaborator alias") && whys.includes("denied unlisted collaborator alias"), whys.join(", "));
            if (role.kind === "batchInference") assert.ok(whys.includes("allowed listed write location") && whys.includes("denied object of an unlisted bucket"), whys.join(", "));
            for (const entry of simulation.cases) {
                const decision = await decide({
                    action: entry.action,
                    principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${simulation.roleName}/verify`,
                    resource: entry.resource,
                    resourceAccount: ACCOUNT_ID,
                    identityPolicies: layoutDocuments(layout.layout),
                    context: { ...entry.context },
                });
                assert.strictEqual(decision === "Allowed" ? "allowed" : "denied", entry.expected, `${entry.action} ${entry.resource} (${entry.why})`);
            }
        });
    }
});
