/** The verifier's policy for a large stack: within IAM's size quota, the alarms named by their common start. */
import * as assert from "assert";
import { policyJson } from "../../components/iam/iamDocument";
import { DEFAULT_IAM_QUOTAS, iamPolicySize } from "../../components/iam/iamQuotas";
import { expectedStack } from "../../verify/expectedStack";
import { actionOfCommand, verifierPolicy } from "../../verify/verifierPolicy";

const location = { partition: "aws", region: "eu-west-1", accountId: "123456789012" };

function stackWithAlarms(count: number) {
    const empty = expectedStack([], { gateways: [], serviceRoles: [] }, location);
    const alarms = Array.from({ length: count }, (_, index) => ({
        alarmName: `bedrock-latency-p90-provider.model-number-${index}-v1:0`,
        alarmActions: [],
        okActions: [],
        threshold: 1,
        evaluationPeriods: 1,
    }));
    return { ...empty, alarms };
}

describe("verify's own policy", () => {
    it("names each alarm while the policy fits IAM's managed-policy quota", async () => {
        const policy = await verifierPolicy(stackWithAlarms(3));
        assert.deepStrictEqual(policy.Statement, [
            {
                Sid: "VerifyReads0",
                Effect: "Allow",
                Action: ["cloudwatch:DescribeAlarms"],
                Resource: [0, 1, 2].map((index) => `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:bedrock-latency-p90-provider.model-number-${index}-v1:0`),
            },
        ]);
    });

    it("names hundreds of alarms by their names' common start, and fits the quota", async () => {
        const policy = await verifierPolicy(stackWithAlarms(300));
        assert.deepStrictEqual(policy.Statement[0].Resource, "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:bedrock-latency-p90-provider.model-number-*");
        assert.ok(iamPolicySize(policyJson(policy)) <= DEFAULT_IAM_QUOTAS.managedPolicyCharacters);
    });

    it("refuses to map a command missing from its table, so the table cannot fall behind the code", () => {
        assert.strictEqual(actionOfCommand("GetBucketEncryptionCommand"), "s3:GetEncryptionConfiguration");
        assert.throws(() => actionOfCommand("DeleteRoleCommand"), /DeleteRoleCommand is not in verify's command table/);
    });
});
