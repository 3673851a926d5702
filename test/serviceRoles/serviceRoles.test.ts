/**
 * Bedrock service roles under mocks: the exact trust, permission and key documents, the Lambda
 * permissions, the keep-on-destroy key, the pack's verdict, and what the documents allow, simulated.
 */
import * as assert from "assert";
import { PolicyDocument } from "../../components/iam/iamDocument";
import { plainValue } from "../../offline/engine/mockEngine";
import { ACCOUNT_ID, REGION, runProgram } from "../harness";
import { assertPackFindsNothing } from "../assertions";
import { decide } from "../simulate";

const OTHER_ACCOUNT = "999999999999";
const bedrock = (type: string, id: string) => `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:${type}/${id}`;

const serviceRoles = {
    flows: [
        {
            name: "support-flow",
            models: ["anthropic.claude-sonnet-4-20250514-v1:0"],
            prompts: ["PROMPT1234"],
            knowledgeBases: ["KB12345678"],
            agentAliases: ["AGENT12345/ALIAS12345"],
            s3Read: ["flow-in/tickets"],
            s3Write: ["flow-out"],
            kmsKeys: ["1234abcd-12ab-34cd-56ef-1234567890ab"],
            lambdaFunctions: ["lookup"],
        },
    ],
    agents: [{ name: "support-agent", models: ["eu.amazon.nova-pro-v1:0"], actionGroupSchemas: ["schemas/orders.json"], createKey: true }],
    knowledgeBases: [{ name: "docs", embeddingModels: ["amazon.titan-embed-text-v2:0"], dataSources: ["docs-src/manuals"], openSearchCollections: ["docs01"] }],
    modelCustomization: [{ name: "tuning", trainingData: ["tune-data/train"], outputData: ["tune-out/results"] }],
};

type Run = Awaited<ReturnType<typeof runProgram>>;
const documentOf = (run: Run, type: string, name: string, property = "policy"): PolicyDocument => {
    const resource = run.engine.ofType(type).find((candidate) => candidate.name === name);
    assert.ok(resource, `${type} ${name} not registered`);
    return JSON.parse(plainValue(resource.properties[property]) as string) as PolicyDocument;
};

describe("Bedrock service roles under mocks", () => {
    let run: Run;
    before(async () => {
        run = await runProgram({ serviceRoles });
    });

    it("registers a component and a named role per entry, and nothing for what is not listed", () => {
        const roles = run.engine.ofType("aws:iam/role:Role").map((role) => [role.name, role.properties.name]);
        assert.deepStrictEqual(roles.sort(), [
            ["bedrock-agent-support-agent", "AmazonBedrockExecutionRoleForAgents_support-agent-eu-west-1"],
            ["bedrock-custom-tuning", `bedrock-custom-tuning-${REGION}`],
            ["bedrock-flow-support-flow", `bedrock-flow-support-flow-${REGION}`],
            ["bedrock-kb-docs", `bedrock-kb-docs-${REGION}`],
        ]);
        assert.strictEqual(run.engine.ofType("aws:kms/key:Key").length, 1, "a key only where createKey is set");
        assert.strictEqual(run.engine.ofType("aws:lambda/permission:Permission").length, 1);
    });

    it("trusts Bedrock only from this account, for this kind of resource", () => {
        assert.deepStrictEqual(documentOf(run, "aws:iam/role:Role", "bedrock-flow-support-flow", "assumeRolePolicy"), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "BedrockAssumesForThisAccount",
                    Effect: "Allow",
                    Principal: { Service: "bedrock.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": bedrock("flow", "*") } },
                },
            ],
        });
        for (const [name, type] of [["bedrock-agent-support-agent", "agent"], ["bedrock-kb-docs", "knowledge-base"], ["bedrock-custom-tuning", "model-customization-job"]]) {
            const trust = documentOf(run, "aws:iam/role:Role", name, "assumeRolePolicy");
            assert.deepStrictEqual(trust.Statement[0].Condition?.ArnLike, { "aws:SourceArn": bedrock(type, "*") }, name);
        }
    });

    it("grants a flow exactly what it lists", () => {
        const inThisAccount = { StringEquals: { "aws:ResourceAccount": ACCOUNT_ID } };
        assert.deepStrictEqual(documentOf(run, "aws:iam/rolePolicy:RolePolicy", "bedrock-flow-support-flow-permissions").Statement, [
            { Sid: "InvokeListedModels", Effect: "Allow", Action: "bedrock:InvokeModel", Resource: [`arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0`] },
            { Sid: "GetListedPrompts", Effect: "Allow", Action: "bedrock:GetPrompt", Resource: [bedrock("prompt", "PROMPT1234")] },
            { Sid: "QueryListedKnowledgeBases", Effect: "Allow", Action: ["bedrock:Retrieve", "bedrock:RetrieveAndGenerate"], Resource: [bedrock("knowledge-base", "KB12345678")] },
            { Sid: "InvokeListedAgentAliases", Effect: "Allow", Action: "bedrock:InvokeAgent", Resource: [bedrock("agent-alias", "AGENT12345/ALIAS12345")] },
            { Sid: "ReadListedObjects", Effect: "Allow", Action: "s3:GetObject", Resource: ["arn:aws:s3:::flow-in/tickets/*"], Condition: inThisAccount },
            { Sid: "WriteListedObjects", Effect: "Allow", Action: "s3:PutObject", Resource: ["arn:aws:s3:::flow-out/*"], Condition: inThisAccount },
            { Sid: "UseListedKeys", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [`arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`] },
        ]);
    });

    it("lets a knowledge base list its data source prefix only", () => {
        const statements = documentOf(run, "aws:iam/rolePolicy:RolePolicy", "bedrock-kb-docs-permissions").Statement;
        assert.deepStrictEqual(statements.find((statement) => statement.Sid === "ListBucket0"), {
            Sid: "ListBucket0",
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: ["arn:aws:s3:::docs-src"],
            Condition: { StringEquals: { "aws:ResourceAccount": ACCOUNT_ID }, StringLike: { "s3:prefix": ["manuals", "manuals/*"] } },
        });
        assert.deepStrictEqual(statements.find((statement) => statement.Sid === "AccessListedCollections")?.Resource, [`arn:aws:aoss:${REGION}:${ACCOUNT_ID}:collection/docs01`]);
    });

    it("scopes the Lambda permission to this account's flows", () => {
        const [permission] = run.engine.ofType("aws:lambda/permission:Permission");
        assert.deepStrictEqual(plainValue(permission.properties), {
            action: "lambda:InvokeFunction",
            function: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:lookup`,
            principal: "bedrock.amazonaws.com",
            sourceAccount: ACCOUNT_ID,
            sourceArn: bedrock("flow", "*"),
        });
    });

    it("creates the key with explicit actions, keeps it on destroy, and scopes Bedrock by encryption context and account", () => {
        const [key] = run.engine.ofType("aws:kms/key:Key");
        assert.strictEqual(key.retainOnDelete, true);
        assert.strictEqual(key.properties.enableKeyRotation, true);
        const policy = JSON.parse(key.properties.policy as string) as PolicyDocument;
        const actions = policy.Statement.flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]));
        assert.ok(actions.every((action) => !action.includes("*")), "no kms:* anywhere");
        assert.deepStrictEqual(policy.Statement.find((statement) => statement.Sid === "ServiceRoleUsesKey")?.Principal, {
            AWS: `arn:aws:iam::${ACCOUNT_ID}:role/AmazonBedrockExecutionRoleForAgents_support-agent-eu-west-1`,
        });
        assert.deepStrictEqual(policy.Statement.find((statement) => statement.Sid === "BedrockUsesKeyForThisAccount")?.Condition, {
            StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
            StringLike: { "kms:EncryptionContext:aws:bedrock:arn": bedrock("agent", "*") },
        });
    });

    it("passes the policy pack, including the confused-deputy rule", async () => {
        await assertPackFindsNothing(run.engine.resources);
    });

    describe("simulated", () => {
        const assumeAs = (trust: PolicyDocument, sourceAccount: string, sourceArn: string) =>
            decide({
                action: "sts:AssumeRole",
                principal: "bedrock.amazonaws.com",
                resource: `arn:aws:iam::${ACCOUNT_ID}:role/bedrock-flow-support-flow-${REGION}`,
                resourceAccount: ACCOUNT_ID,
                resourcePolicy: trust,
                context: { "aws:SourceAccount": sourceAccount, "aws:SourceArn": sourceArn },
            });

        it("lets Bedrock assume each role for a matching resource of this account, and for nothing else", async () => {
            for (const [name, type] of [["bedrock-flow-support-flow", "flow"], ["bedrock-agent-support-agent", "agent"], ["bedrock-kb-docs", "knowledge-base"], ["bedrock-custom-tuning", "model-customization-job"]]) {
                const trust = documentOf(run, "aws:iam/role:Role", name, "assumeRolePolicy");
                assert.strictEqual(await assumeAs(trust, ACCOUNT_ID, bedrock(type, "ABCDEFGHIJ")), "Allowed", name);
                assert.notStrictEqual(await assumeAs(trust, OTHER_ACCOUNT, `arn:aws:bedrock:${REGION}:${OTHER_ACCOUNT}:${type}/ABCDEFGHIJ`), "Allowed", `${name} from another account`);
                assert.notStrictEqual(await assumeAs(trust, ACCOUNT_ID, `arn:aws:bedrock:us-east-1:${ACCOUNT_ID}:${type}/ABCDEFGHIJ`), "Allowed", `${name} from another region`);
                const otherType = type === "flow" ? "agent" : "flow";
                assert.notStrictEqual(await assumeAs(trust, ACCOUNT_ID, bedrock(otherType, "ABCDEFGHIJ")), "Allowed", `${name} for a ${otherType}`);
            }
        });

        it("reaches each listed resource of the flow and nothing else", async () => {
            const policy = documentOf(run, "aws:iam/rolePolicy:RolePolicy", "bedrock-flow-support-flow-permissions");
            const principal = `arn:aws:sts::${ACCOUNT_ID}:assumed-role/bedrock-flow-support-flow-${REGION}/flow`;
            // A listed key is the user's: KMS also needs its key policy; AWS's default one delegates to IAM.
            const defaultKeyPolicy: PolicyDocument = {
                Version: "2012-10-17",
                Statement: [{ Sid: "Default", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" }],
            };
            const request = (action: string, resource: string, resourceAccount = ACCOUNT_ID) =>
                decide({
                    action,
                    principal,
                    resource,
                    resourceAccount,
                    identityPolicies: [policy],
                    resourcePolicy: action.startsWith("kms:") ? defaultKeyPolicy : undefined,
                    context: { "aws:ResourceAccount": resourceAccount },
                });
            const allowed: [string, string][] = [
                ["bedrock:InvokeModel", `arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0`],
                ["bedrock:GetPrompt", bedrock("prompt", "PROMPT1234")],
                ["bedrock:Retrieve", bedrock("knowledge-base", "KB12345678")],
                ["bedrock:InvokeAgent", bedrock("agent-alias", "AGENT12345/ALIAS12345")],
                ["s3:GetObject", "arn:aws:s3:::flow-in/tickets/2026/ticket-1.json"],
                ["s3:PutObject", "arn:aws:s3:::flow-out/answer.json"],
                ["kms:Decrypt", `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
            ];
            for (const [action, resource] of allowed) assert.strictEqual(await request(action, resource), "Allowed", `${action} ${resource}`);
            const denied: [string, string][] = [
                ["bedrock:InvokeModel", `arn:aws:bedrock:${REGION}::foundation-model/amazon.nova-pro-v1:0`],
                ["bedrock:GetPrompt", bedrock("prompt", "OTHER12345")],
                ["bedrock:Retrieve", bedrock("knowledge-base", "OTHER12345")],
                ["bedrock:InvokeAgent", bedrock("agent-alias", "AGENT12345/OTHER12345")],
                ["s3:GetObject", "arn:aws:s3:::flow-in/other/file.json"],
                ["s3:PutObject", "arn:aws:s3:::flow-in/tickets/file.json"],
                ["s3:DeleteObject", "arn:aws:s3:::flow-out/answer.json"],
                ["kms:Decrypt", `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/00000000-0000-0000-0000-000000000000`],
            ];
            for (const [action, resource] of denied) assert.notStrictEqual(await request(action, resource), "Allowed", `${action} ${resource}`);
            assert.notStrictEqual(await request("s3:GetObject", "arn:aws:s3:::flow-in/tickets/file.json", OTHER_ACCOUNT), "Allowed", "a same-named bucket of another account");
        });

        it("reaches what the agent, knowledge base and customization roles list, and nothing else", async () => {
            const reach = async (roleResource: string, roleName: string, action: string, resource: string) =>
                decide({
                    action,
                    principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${roleName}/s`,
                    resource,
                    resourceAccount: ACCOUNT_ID,
                    identityPolicies: [documentOf(run, "aws:iam/rolePolicy:RolePolicy", roleResource)],
                    context: { "aws:ResourceAccount": ACCOUNT_ID, "s3:prefix": "manuals/2026" },
                });
            const agent = ["bedrock-agent-support-agent-permissions", "AmazonBedrockExecutionRoleForAgents_support-agent-eu-west-1"] as const;
            assert.strictEqual(await reach(...agent, "bedrock:InvokeModel", bedrock("inference-profile", "eu.amazon.nova-pro-v1:0")), "Allowed");
            assert.strictEqual(await reach(...agent, "bedrock:InvokeModelWithResponseStream", bedrock("inference-profile", "eu.amazon.nova-pro-v1:0")), "Allowed");
            assert.strictEqual(await reach(...agent, "s3:GetObject", "arn:aws:s3:::schemas/orders.json"), "Allowed");
            assert.notStrictEqual(await reach(...agent, "s3:GetObject", "arn:aws:s3:::schemas/other.json"), "Allowed");
            assert.notStrictEqual(await reach(...agent, "bedrock:InvokeModel", `arn:aws:bedrock:${REGION}::foundation-model/amazon.nova-pro-v1:0`), "Allowed");
            const kb = ["bedrock-kb-docs-permissions", `bedrock-kb-docs-${REGION}`] as const;
            assert.strictEqual(await reach(...kb, "bedrock:InvokeModel", `arn:aws:bedrock:${REGION}::foundation-model/amazon.titan-embed-text-v2:0`), "Allowed");
            assert.strictEqual(await reach(...kb, "s3:GetObject", "arn:aws:s3:::docs-src/manuals/guide.pdf"), "Allowed");
            assert.strictEqual(await reach(...kb, "s3:ListBucket", "arn:aws:s3:::docs-src"), "Allowed");
            assert.strictEqual(await reach(...kb, "aoss:APIAccessAll", `arn:aws:aoss:${REGION}:${ACCOUNT_ID}:collection/docs01`), "Allowed");
            assert.notStrictEqual(await reach(...kb, "s3:PutObject", "arn:aws:s3:::docs-src/manuals/guide.pdf"), "Allowed");
            assert.notStrictEqual(await reach(...kb, "aoss:APIAccessAll", `arn:aws:aoss:${REGION}:${ACCOUNT_ID}:collection/other01`), "Allowed");
            const tuning = ["bedrock-custom-tuning-permissions", `bedrock-custom-tuning-${REGION}`] as const;
            assert.strictEqual(await reach(...tuning, "s3:GetObject", "arn:aws:s3:::tune-data/train/set.jsonl"), "Allowed");
            assert.strictEqual(await reach(...tuning, "s3:PutObject", "arn:aws:s3:::tune-out/results/metrics.json"), "Allowed");
            assert.notStrictEqual(await reach(...tuning, "s3:PutObject", "arn:aws:s3:::tune-data/train/set.jsonl"), "Allowed");
            assert.notStrictEqual(await reach(...tuning, "bedrock:InvokeModel", `arn:aws:bedrock:${REGION}::foundation-model/amazon.nova-pro-v1:0`), "Allowed");
        });

        it("lets the agent role use the created key, and no other role; Bedrock fails closed without its encryption context", async () => {
            // The simulator cannot evaluate kms:EncryptionContext:aws:bedrock:arn (a variable key containing
            // colons), so Bedrock's allowed case is checked as an exact document above, not simulated.
            const [key] = run.engine.ofType("aws:kms/key:Key");
            const policy = JSON.parse(key.properties.policy as string) as PolicyDocument;
            const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/11111111-2222-3333-4444-555555555555`;
            const use = (principal: string, context: Record<string, string> = {}) =>
                decide({ action: "kms:Decrypt", principal, resource: keyArn, resourceAccount: ACCOUNT_ID, resourcePolicy: policy, context });
            assert.strictEqual(await use(`arn:aws:iam::${ACCOUNT_ID}:role/AmazonBedrockExecutionRoleForAgents_support-agent-eu-west-1`), "Allowed");
            assert.notStrictEqual(await use(`arn:aws:iam::${ACCOUNT_ID}:role/bedrock-flow-support-flow-${REGION}`), "Allowed");
            assert.notStrictEqual(await use(`arn:aws:iam::${OTHER_ACCOUNT}:role/AmazonBedrockExecutionRoleForAgents_support-agent-eu-west-1`), "Allowed");
            assert.notStrictEqual(await use("bedrock.amazonaws.com", { "aws:SourceAccount": ACCOUNT_ID }), "Allowed");
            assert.notStrictEqual(await use("bedrock.amazonaws.com", { "aws:SourceAccount": OTHER_ACCOUNT }), "Allowed");
        });
    });
});
