/**
 * Batch inference roles, guardrails on flows and agents, agent collaborators and who may use a
 * created key: the exact documents under mocks, the pack's verdict, and what they allow, simulated
 * (the named resources allowed; others of the same type, and another account's, denied), within the
 * stack's permissions boundary.
 */
import * as assert from "assert";
import { AwsLocation } from "../../components/arns/bedrockArns";
import { PolicyDocument } from "../../components/iam/iamDocument";
import { validateStackConfig } from "../../components/stack/stackConfig";
import { planStackPermissions, stackPermissionsBoundary } from "../../components/stack/stackPermissions";
import { keyUsersStatement } from "../../components/serviceRoles/serviceRolePolicies";
import { serviceTrustConfusedDeputy } from "../../policypack/policies/servicePrincipals";
import { plainValue } from "../../offline/engine/mockEngine";
import { ACCOUNT_ID, REGION, mockEngine, promiseOf, runProgram } from "../harness";
import { assertPackFindsNothing, violationsOf } from "../assertions";
import { decide } from "../simulate";

const OTHER_ACCOUNT = "999999999999";
const LOCATION: AwsLocation = { partition: "aws", region: REGION, accountId: ACCOUNT_ID };
const bedrock = (type: string, id: string, account = ACCOUNT_ID) => `arn:aws:bedrock:${REGION}:${account}:${type}/${id}`;
const AGENT_ROLE = "AmazonBedrockExecutionRoleForAgents_supervisor-eu-west-1";
const BATCH_ROLE = `bedrock-batch-summaries-${REGION}`;
const KEY_USER = `arn:aws:iam::${ACCOUNT_ID}:role/agent-builders`;

const serviceRoles = {
    flows: [{ name: "triage-flow", models: ["amazon.nova-pro-v1:0"], guardrails: ["gr7x2k9q1abc"] }],
    agents: [
        {
            name: "supervisor",
            createKey: true,
            models: ["eu.amazon.nova-pro-v1:0"],
            guardrails: ["gr7x2k9q1abc", `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:guardrail/grsecond0001`],
            collaborators: ["AGENT12345/ALIAS12345", `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:agent-alias/AGENT67890/ALIAS67890`],
        },
        { name: "specialist", createKey: true, keyUsers: [KEY_USER], models: ["amazon.nova-pro-v1:0"] },
    ],
    batchInference: [
        {
            name: "summaries",
            models: ["anthropic.claude-3-haiku-20240307-v1:0", "eu.amazon.nova-pro-v1:0"],
            inputData: ["batch-input/jobs/records.jsonl", "batch-input/nightly"],
            outputData: ["s3://batch-output/results"],
        },
    ],
};

type Run = Awaited<ReturnType<typeof runProgram>>;
const documentOf = (run: Run, type: string, name: string, property = "policy"): PolicyDocument => {
    const resource = run.engine.ofType(type).find((candidate) => candidate.name === name);
    assert.ok(resource, `${type} ${name} not registered`);
    return JSON.parse(plainValue(resource.properties[property]) as string) as PolicyDocument;
};
const statementsOf = (run: Run, name: string) => documentOf(run, "aws:iam/rolePolicy:RolePolicy", name).Statement;

/** The boundary the bootstrap writes for this configuration: every allowed case must be inside it too. */
function stackBoundary(): PolicyDocument {
    const config = validateStackConfig({ region: REGION, projectValues: { serviceRoles: JSON.stringify(serviceRoles) } });
    return stackPermissionsBoundary(config, LOCATION, "test", planStackPermissions(config, LOCATION)).document;
}

describe("batch inference, guardrails, collaborators and key users", () => {
    let run: Run;
    let boundary: PolicyDocument;
    before(async () => {
        run = await runProgram({ serviceRoles });
        boundary = stackBoundary();
    });

    /** A request by one of the stack's roles, through its inline policy and the stack's boundary. */
    const byRole = (policyName: string, roleName: string) => (action: string, resource: string, resourceAccount = ACCOUNT_ID, context: Record<string, string> = {}) =>
        decide({
            action,
            principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${roleName}/bedrock`,
            resource,
            resourceAccount,
            identityPolicies: [documentOf(run, "aws:iam/rolePolicy:RolePolicy", policyName)],
            permissionsBoundary: boundary,
            context: { "aws:ResourceAccount": resourceAccount, ...context },
        });

    describe("serviceRoles.batchInference", () => {
        it("registers a role named for the kind, trusted by Bedrock only for this account's model-invocation jobs", () => {
            const role = run.engine.ofType("aws:iam/role:Role").find((candidate) => candidate.name === "bedrock-batch-summaries");
            assert.strictEqual(role?.properties.name, BATCH_ROLE);
            assert.deepStrictEqual(documentOf(run, "aws:iam/role:Role", "bedrock-batch-summaries", "assumeRolePolicy"), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "BedrockAssumesForThisAccount",
                        Effect: "Allow",
                        Principal: { Service: "bedrock.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": bedrock("model-invocation-job", "*") } },
                    },
                ],
            });
        });

        it("grants the listed models, reads of the input locations and writes of the output locations, and nothing else", () => {
            const inThisAccount = { StringEquals: { "aws:ResourceAccount": ACCOUNT_ID } };
            assert.deepStrictEqual(statementsOf(run, "bedrock-batch-summaries-permissions"), [
                {
                    Sid: "InvokeListedModels",
                    Effect: "Allow",
                    Action: "bedrock:InvokeModel",
                    Resource: [bedrock("inference-profile", "eu.amazon.nova-pro-v1:0"), `arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0`],
                },
                {
                    Sid: "InvokeModelsThroughProfiles",
                    Effect: "Allow",
                    Action: "bedrock:InvokeModel",
                    Resource: ["arn:aws:bedrock:*::foundation-model/amazon.nova-pro-v1:0"],
                    Condition: { ArnLike: { "bedrock:InferenceProfileArn": bedrock("inference-profile", "*") } },
                },
                {
                    Sid: "ReadListedObjects",
                    Effect: "Allow",
                    Action: "s3:GetObject",
                    Resource: ["arn:aws:s3:::batch-input/jobs/records.jsonl", "arn:aws:s3:::batch-input/jobs/records.jsonl/*", "arn:aws:s3:::batch-input/nightly", "arn:aws:s3:::batch-input/nightly/*"],
                    Condition: inThisAccount,
                },
                { Sid: "WriteListedObjects", Effect: "Allow", Action: "s3:PutObject", Resource: ["arn:aws:s3:::batch-output/results/*"], Condition: inThisAccount },
                {
                    Sid: "ListBucket0",
                    Effect: "Allow",
                    Action: "s3:ListBucket",
                    Resource: ["arn:aws:s3:::batch-input"],
                    Condition: { StringEquals: { "aws:ResourceAccount": ACCOUNT_ID }, StringLike: { "s3:prefix": ["jobs/records.jsonl", "jobs/records.jsonl/*", "nightly", "nightly/*"] } },
                },
            ]);
        });

        it("outputs the role's ARN under serviceRoles.batchInference.<name>.roleArn", async () => {
            const { outputs } = await runProgram({ serviceRoles }, { preview: false });
            const handoff = (outputs as { serviceRoles: Record<string, Record<string, { roleArn: Parameters<typeof promiseOf>[0]; keyArn: unknown }>> }).serviceRoles;
            assert.strictEqual(await promiseOf(handoff.batchInference.summaries.roleArn), `arn:aws:iam::${ACCOUNT_ID}:role/${BATCH_ROLE}`);
            assert.strictEqual(handoff.batchInference.summaries.keyArn, undefined);
        });

        it("lets Bedrock assume the role for this account's jobs in this region only", async () => {
            const trust = documentOf(run, "aws:iam/role:Role", "bedrock-batch-summaries", "assumeRolePolicy");
            const assume = (sourceAccount: string, sourceArn: string) =>
                decide({
                    action: "sts:AssumeRole",
                    principal: "bedrock.amazonaws.com",
                    resource: `arn:aws:iam::${ACCOUNT_ID}:role/${BATCH_ROLE}`,
                    resourceAccount: ACCOUNT_ID,
                    resourcePolicy: trust,
                    context: { "aws:SourceAccount": sourceAccount, "aws:SourceArn": sourceArn },
                });
            assert.strictEqual(await assume(ACCOUNT_ID, bedrock("model-invocation-job", "abc123def456")), "Allowed");
            assert.notStrictEqual(await assume(OTHER_ACCOUNT, bedrock("model-invocation-job", "abc123def456", OTHER_ACCOUNT)), "Allowed", "another account's job");
            assert.notStrictEqual(await assume(ACCOUNT_ID, `arn:aws:bedrock:us-east-1:${ACCOUNT_ID}:model-invocation-job/abc123def456`), "Allowed", "another region's job");
            assert.notStrictEqual(await assume(ACCOUNT_ID, bedrock("model-customization-job", "abc123def456")), "Allowed", "a customization job");
        });

        it("reaches the listed models and locations, and no other model, location, action or account", async () => {
            const request = byRole("bedrock-batch-summaries-permissions", BATCH_ROLE);
            const haiku = `arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0`;
            const allowed: [string, string, Record<string, string>?][] = [
                ["bedrock:InvokeModel", haiku],
                ["bedrock:InvokeModel", bedrock("inference-profile", "eu.amazon.nova-pro-v1:0")],
                ["bedrock:InvokeModel", "arn:aws:bedrock:eu-central-1::foundation-model/amazon.nova-pro-v1:0", { "bedrock:InferenceProfileArn": bedrock("inference-profile", "eu.amazon.nova-pro-v1:0") }],
                ["s3:GetObject", "arn:aws:s3:::batch-input/jobs/records.jsonl"],
                ["s3:GetObject", "arn:aws:s3:::batch-input/nightly/2026-12-07.jsonl"],
                ["s3:ListBucket", "arn:aws:s3:::batch-input", { "s3:prefix": "nightly/2026" }],
                ["s3:PutObject", "arn:aws:s3:::batch-output/results/job-1/records.jsonl.out"],
            ];
            for (const [action, resource, context] of allowed) assert.strictEqual(await request(action, resource, ACCOUNT_ID, context), "Allowed", `${action} ${resource}`);
            const denied: [string, string, Record<string, string>?][] = [
                ["bedrock:InvokeModel", `arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-3-sonnet-20240229-v1:0`],
                ["bedrock:InvokeModel", "arn:aws:bedrock:eu-central-1::foundation-model/amazon.nova-pro-v1:0"],
                ["bedrock:InvokeModelWithResponseStream", haiku],
                ["bedrock:CreateModelInvocationJob", haiku],
                ["s3:GetObject", "arn:aws:s3:::batch-input/other/records.jsonl"],
                ["s3:GetObject", "arn:aws:s3:::batch-output/results/job-1/records.jsonl.out"],
                ["s3:ListBucket", "arn:aws:s3:::batch-input", { "s3:prefix": "other/" }],
                ["s3:ListBucket", "arn:aws:s3:::batch-output", { "s3:prefix": "results/" }],
                ["s3:PutObject", "arn:aws:s3:::batch-input/nightly/injected.jsonl"],
                ["s3:PutObject", "arn:aws:s3:::batch-output/elsewhere/file"],
                ["s3:DeleteObject", "arn:aws:s3:::batch-output/results/job-1/records.jsonl.out"],
            ];
            for (const [action, resource, context] of denied) assert.notStrictEqual(await request(action, resource, ACCOUNT_ID, context), "Allowed", `${action} ${resource}`);
            assert.notStrictEqual(await request("s3:GetObject", "arn:aws:s3:::batch-input/nightly/a.jsonl", OTHER_ACCOUNT), "Allowed", "a same-named input bucket of another account");
            assert.notStrictEqual(await request("s3:PutObject", "arn:aws:s3:::batch-output/results/a.out", OTHER_ACCOUNT), "Allowed", "a same-named output bucket of another account");
        });

        it("is held by the confused-deputy rule: the same trust without its account pin is a violation", async () => {
            const trust = documentOf(run, "aws:iam/role:Role", "bedrock-batch-summaries", "assumeRolePolicy");
            assert.deepStrictEqual(await violationsOf(serviceTrustConfusedDeputy, "aws:iam/role:Role", { assumeRolePolicy: JSON.stringify(trust) }), []);
            const unpinned = { ...trust, Statement: [{ ...trust.Statement[0], Condition: undefined }] };
            const messages = await violationsOf(serviceTrustConfusedDeputy, "aws:iam/role:Role", { assumeRolePolicy: JSON.stringify(unpinned) });
            assert.strictEqual(messages.length, 1);
            assert.match(messages[0], /aws:SourceAccount/);
            const foreign = { ...trust, Statement: [{ ...trust.Statement[0], Condition: { StringEquals: { "aws:SourceAccount": OTHER_ACCOUNT } } }] };
            const foreignMessages = await violationsOf(serviceTrustConfusedDeputy, "aws:iam/role:Role", { assumeRolePolicy: JSON.stringify(foreign) }, { config: { accountId: ACCOUNT_ID } });
            assert.ok(foreignMessages.some((message) => message.includes(OTHER_ACCOUNT)), foreignMessages.join("\n"));
        });
    });

    describe("guardrails on flows and agents", () => {
        it("grants ApplyGuardrail on exactly the listed guardrails", () => {
            assert.deepStrictEqual(statementsOf(run, "bedrock-flow-triage-flow-permissions").find((statement) => statement.Sid === "ApplyListedGuardrails"), {
                Sid: "ApplyListedGuardrails",
                Effect: "Allow",
                Action: "bedrock:ApplyGuardrail",
                Resource: [bedrock("guardrail", "gr7x2k9q1abc")],
            });
            assert.deepStrictEqual(statementsOf(run, "bedrock-agent-supervisor-permissions").find((statement) => statement.Sid === "ApplyListedGuardrails")?.Resource, [
                bedrock("guardrail", "gr7x2k9q1abc"),
                bedrock("guardrail", "grsecond0001"),
            ]);
            assert.ok(!statementsOf(run, "bedrock-agent-specialist-permissions").some((statement) => statement.Sid === "ApplyListedGuardrails"), "nothing for an agent that lists none");
        });

        it("lets the flow and the agent apply their guardrails, and no other guardrail, nor another account's", async () => {
            const flow = byRole("bedrock-flow-triage-flow-permissions", `bedrock-flow-triage-flow-${REGION}`);
            const agent = byRole("bedrock-agent-supervisor-permissions", AGENT_ROLE);
            assert.strictEqual(await flow("bedrock:ApplyGuardrail", bedrock("guardrail", "gr7x2k9q1abc")), "Allowed");
            assert.strictEqual(await agent("bedrock:ApplyGuardrail", bedrock("guardrail", "gr7x2k9q1abc")), "Allowed");
            assert.strictEqual(await agent("bedrock:ApplyGuardrail", bedrock("guardrail", "grsecond0001")), "Allowed");
            assert.notStrictEqual(await flow("bedrock:ApplyGuardrail", bedrock("guardrail", "grsecond0001")), "Allowed", "the agent's guardrail, not the flow's");
            assert.notStrictEqual(await agent("bedrock:ApplyGuardrail", bedrock("guardrail", "grother00001")), "Allowed");
            assert.notStrictEqual(await agent("bedrock:ApplyGuardrail", bedrock("guardrail", "gr7x2k9q1abc", OTHER_ACCOUNT), OTHER_ACCOUNT), "Allowed");
            assert.notStrictEqual(await agent("bedrock:UpdateGuardrail", bedrock("guardrail", "gr7x2k9q1abc")), "Allowed");
        });
    });

    describe("agent collaborators", () => {
        it("grants GetAgentAlias and InvokeAgent on exactly the collaborators' aliases", () => {
            assert.deepStrictEqual(statementsOf(run, "bedrock-agent-supervisor-permissions").find((statement) => statement.Sid === "InvokeCollaboratorAgents"), {
                Sid: "InvokeCollaboratorAgents",
                Effect: "Allow",
                Action: ["bedrock:GetAgentAlias", "bedrock:InvokeAgent"],
                Resource: [bedrock("agent-alias", "AGENT12345/ALIAS12345"), bedrock("agent-alias", "AGENT67890/ALIAS67890")],
            });
        });

        it("lets the supervisor get and invoke its collaborators, and no other alias, agent or account", async () => {
            const agent = byRole("bedrock-agent-supervisor-permissions", AGENT_ROLE);
            for (const alias of ["AGENT12345/ALIAS12345", "AGENT67890/ALIAS67890"]) {
                assert.strictEqual(await agent("bedrock:InvokeAgent", bedrock("agent-alias", alias)), "Allowed", alias);
                assert.strictEqual(await agent("bedrock:GetAgentAlias", bedrock("agent-alias", alias)), "Allowed", alias);
            }
            assert.notStrictEqual(await agent("bedrock:InvokeAgent", bedrock("agent-alias", "AGENT12345/OTHER12345")), "Allowed", "another alias of a collaborator");
            assert.notStrictEqual(await agent("bedrock:InvokeAgent", bedrock("agent-alias", "OTHER12345/ALIAS12345")), "Allowed", "another agent");
            assert.notStrictEqual(await agent("bedrock:InvokeAgent", bedrock("agent-alias", "AGENT12345/ALIAS12345", OTHER_ACCOUNT), OTHER_ACCOUNT), "Allowed", "another account");
            assert.notStrictEqual(await agent("bedrock:UpdateAgentAlias", bedrock("agent-alias", "AGENT12345/ALIAS12345")), "Allowed", "another action");
            const specialist = byRole("bedrock-agent-specialist-permissions", "AmazonBedrockExecutionRoleForAgents_specialist-eu-west-1");
            assert.notStrictEqual(await specialist("bedrock:InvokeAgent", bedrock("agent-alias", "AGENT12345/ALIAS12345")), "Allowed", "an agent that lists no collaborators");
        });
    });

    describe("who uses a created key (keyUsers)", () => {
        const keyOf = (name: string): PolicyDocument => {
            const key = run.engine.ofType("aws:kms/key:Key").find((candidate) => candidate.name === `${name}-key`);
            assert.ok(key, `${name}'s key`);
            return JSON.parse(key.properties.policy as string) as PolicyDocument;
        };
        const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/11111111-2222-3333-4444-555555555555`;
        const throughBedrock = { "kms:ViaService": `bedrock.${REGION}.amazonaws.com` };
        /** An IAM grant a caller's administrator would attach: the key, for the agent actions. */
        const iamGrant: PolicyDocument = {
            Version: "2012-10-17",
            Statement: [{ Sid: "UseAgentKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: keyArn }],
        };
        const use = (keyPolicy: PolicyDocument, principal: string, options: { identity?: boolean; context?: Record<string, string>; action?: string } = {}) => {
            const callerAccount = principal.split(":")[4];
            return decide({
                action: options.action ?? "kms:Decrypt",
                principal,
                resource: keyArn,
                resourceAccount: ACCOUNT_ID,
                resourcePolicy: keyPolicy,
                identityPolicies: options.identity === false ? [] : [iamGrant],
                context: { "kms:CallerAccount": callerAccount, ...(options.context ?? throughBedrock) },
            });
        };

        it("by default lets the account's principals use the key through Bedrock in this region, through IAM", () => {
            assert.deepStrictEqual(keyOf("bedrock-agent-supervisor").Statement.find((statement) => statement.Sid === "AccountPrincipalsUseKeyThroughBedrock"), {
                Sid: "AccountPrincipalsUseKeyThroughBedrock",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: "*",
                Condition: { StringEquals: { "kms:ViaService": `bedrock.${REGION}.amazonaws.com`, "kms:CallerAccount": ACCOUNT_ID } },
            });
        });

        it("simulated: a caller of this account with an IAM grant uses it through Bedrock; without the grant, directly, or from another account it cannot", async () => {
            const policy = keyOf("bedrock-agent-supervisor");
            const caller = `arn:aws:iam::${ACCOUNT_ID}:role/agent-developer`;
            assert.strictEqual(await use(policy, caller), "Allowed", "Decrypt through Bedrock");
            assert.strictEqual(await use(policy, caller, { action: "kms:GenerateDataKey" }), "Allowed", "GenerateDataKey through Bedrock");
            assert.notStrictEqual(await use(policy, caller, { identity: false }), "Allowed", "without an IAM grant");
            assert.notStrictEqual(await use(policy, caller, { context: {} }), "Allowed", "directly, not through Bedrock");
            assert.notStrictEqual(await use(policy, caller, { context: { "kms:ViaService": `s3.${REGION}.amazonaws.com` } }), "Allowed", "through another service");
            assert.notStrictEqual(await use(policy, caller, { context: { "kms:ViaService": "bedrock.us-east-1.amazonaws.com" } }), "Allowed", "through Bedrock in another region");
            assert.notStrictEqual(await use(policy, `arn:aws:iam::${OTHER_ACCOUNT}:role/agent-developer`), "Allowed", "a caller of another account, even with its own IAM grant");
            assert.notStrictEqual(await use(policy, caller, { action: "kms:ReEncryptFrom" }), "Allowed", "an action callers do not need");
        });

        it("with keyUsers, lets exactly those principals use it through Bedrock, and no other principal of the account", async () => {
            const policy = keyOf("bedrock-agent-specialist");
            assert.ok(!policy.Statement.some((statement) => statement.Sid === "AccountPrincipalsUseKeyThroughBedrock"));
            assert.deepStrictEqual(policy.Statement.find((statement) => statement.Sid === "KeyUsersUseKeyThroughBedrock"), {
                Sid: "KeyUsersUseKeyThroughBedrock",
                Effect: "Allow",
                Principal: { AWS: [KEY_USER] },
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: "*",
                Condition: { StringEquals: { "kms:ViaService": `bedrock.${REGION}.amazonaws.com` } },
            });
            assert.strictEqual(await use(policy, KEY_USER, { identity: false }), "Allowed", "the listed user, by the key policy alone");
            assert.notStrictEqual(await use(policy, KEY_USER, { identity: false, context: {} }), "Allowed", "the listed user, directly");
            assert.notStrictEqual(await use(policy, `arn:aws:iam::${ACCOUNT_ID}:role/agent-developer`), "Allowed", "another principal of the account, even with an IAM grant");
        });

        it("gives a customization job's callers what creating a custom model with the key needs, still only through Bedrock", () => {
            assert.deepStrictEqual(keyUsersStatement(LOCATION, { kind: "modelCustomization", keyUsers: undefined }), {
                Sid: "AccountPrincipalsUseKeyThroughBedrock",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
                Action: ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"],
                Resource: "*",
                Condition: { StringEquals: { "kms:ViaService": `bedrock.${REGION}.amazonaws.com`, "kms:CallerAccount": ACCOUNT_ID } },
            });
        });

        it("keeps the key out of the boundary's reach for callers: the boundary only grows by what the key grants the stack's roles", () => {
            const grants = boundary.Statement.filter((statement) => statement.Effect === "Allow" && (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).some((action) => action.startsWith("kms:")));
            const actions = new Set(grants.flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action])));
            assert.deepStrictEqual([...actions].sort(), ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"]);
        });
    });

    it("passes the policy pack", async () => {
        await assertPackFindsNothing(run.engine.resources);
    });

    it("registers nothing, and names path, value and rule, when an entry is invalid", async () => {
        const broken = { ...serviceRoles, batchInference: [{ ...serviceRoles.batchInference[0], outputData: ["batch-output/*"] }] };
        await assert.rejects(runProgram({ serviceRoles: broken }), (error: Error) => {
            assert.match(error.message, /serviceRoles\.batchInference\[0\]\.outputData\[0\] = "batch-output\/\*": wildcards/);
            return true;
        });
        assert.deepStrictEqual((await mockEngine()).resources, [], "no resource registered by the failed run");
    });
});
