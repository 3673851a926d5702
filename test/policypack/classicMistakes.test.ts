/**
 * The classic IAM mistakes, sent to the pack over the Analyzer protocol as `pulumi preview` sends
 * them (each resource with its provider): every bad document reported by the mandatory policy that
 * owns the mistake, and no correct document from AWS's guidance reported by any policy.
 */
import * as assert from "assert";
import { anonymousPrincipal } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../../components/iam/iamDocument";
import { AnalyzedResource, PolicyPackClient } from "../../offline/engine/policyPackClient";
import { packForTests } from "../assertions";
import { decide } from "../simulate";
import { BAD_CASES, CLASSIC_BOUNDARY, DEFAULT_PROVIDER, FOREIGN_ACCOUNT, GOOD_CASES, STACK_ACCOUNT } from "./classicMistakes";

describe("the classic IAM mistakes over the Analyzer protocol", function () {
    let pack: PolicyPackClient;
    before(async () => {
        pack = await packForTests();
    });

    for (const testCase of BAD_CASES) {
        it(`reports ${testCase.title} under ${testCase.reportedBy?.join(", ")}, mandatory`, async () => {
            const diagnostics = await pack.analyze(testCase.resource);
            assert.deepStrictEqual([...new Set(diagnostics.map((diagnostic) => diagnostic.policyName))].sort(), [...(testCase.reportedBy ?? [])].sort(), JSON.stringify(diagnostics, null, 1));
            assert.ok(diagnostics.every((diagnostic) => diagnostic.enforcementLevel === "mandatory"));
        });
    }

    for (const testCase of GOOD_CASES) {
        it(`passes ${testCase.title} (${testCase.source})`, async () => {
            assert.deepStrictEqual(await pack.analyze(testCase.resource), []);
            assert.deepStrictEqual(await pack.analyzeStack([testCase.resource]), []);
        });
    }

    it("names the property, the statement, the value as written and what to write instead", async () => {
        const message = async (title: string) => {
            const found = BAD_CASES.find((testCase) => testCase.title === title);
            const diagnostics = await pack.analyze(found!.resource);
            return diagnostics.map((diagnostic) => diagnostic.message).join("\n");
        };
        assert.match(
            await message('a trust of {"AWS": "*"} with an external ID'),
            /assumeRolePolicy, statement Vendor: admits "Principal": \{"AWS": "\*"\} .*Its sts:ExternalId does not make this safe.*"aws:PrincipalOrgID"/s,
        );
        assert.match(
            await message("a Bedrock service trust pinned to another account (the stack's aws:allowedAccountIds)"),
            new RegExp(`statement BedrockAssumes: lets bedrock\\.amazonaws\\.com act for aws:SourceAccount "${FOREIGN_ACCOUNT}": account ${FOREIGN_ACCOUNT} is not this stack's account ${STACK_ACCOUNT} \\(the stack's aws:allowedAccountIds\\).*Pin ${STACK_ACCOUNT} instead`),
        );
        assert.match(await message("a Bedrock service trust pinned to another account (a declared aws.Provider)"), /\(allowedAccountIds of provider eu\)/);
        assert.match(await message("iam:PassRole on *"), /policy, statement Grant: grants iam:PassRole on "\*": .*List the ARNs/);
        assert.match(await message("iam:PassRole on *"), /grants iam:PassRole without "iam:PassedToService": add "StringEquals": \{"iam:PassedToService": "<service>\.amazonaws\.com"\}/);
        assert.match(await message("an S3 bucket policy open to *"), /policy, statement Public: admits "Principal": "\*" with no condition that narrows it to this stack's account 123456789012/);
        assert.match(await message("an aws.lambda.Permission open to *"), /principal "\*" lets every AWS account invoke the function: .*sourceAccount "123456789012"/);
        assert.match(await message("an SNS topic policy letting cloudwatch.amazonaws.com publish with no source condition"), /statement Alarms: lets cloudwatch\.amazonaws\.com act on the resource without aws:SourceAccount or aws:SourceArn/);
        assert.match(await message("an sts:AssumeRoleWithSAML trust with no SAML:aud"), /#0: lets arn:aws:iam::123456789012:saml-provider\/Okta assume the role with sts:AssumeRoleWithSAML without pinning SAML:aud/);
        assert.match(
            await message("bedrock:InvokeModel on a foundation model in any region, with no condition"),
            /statement Grant: names "arn:aws:bedrock:\*::foundation-model\/anthropic\.claude-sonnet-4-20250514-v1:0", a foundation model in any region/,
        );
    });

    const bedrockTrust = (urn: string, account: string): AnalyzedResource => ({
        urn: `urn:pulumi:test::bedrock-access::aws:iam/role:Role::${urn}`,
        type: "aws:iam/role:Role",
        name: urn,
        properties: {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": account } } }],
            }),
            permissionsBoundary: CLASSIC_BOUNDARY,
        },
    });

    it("with no provider account and no accountId, holds the stack to one account: the odd one out is reported by the stack policy, naming both", async () => {
        const resources = [bedrockTrust("flow", STACK_ACCOUNT), bedrockTrust("agent", STACK_ACCOUNT), bedrockTrust("kb", FOREIGN_ACCOUNT)];
        for (const resource of resources) assert.deepStrictEqual(await pack.analyze(resource), [], "unknown account: one resource alone cannot tell");
        const diagnostics = await pack.analyzeStack(resources);
        assert.deepStrictEqual(
            diagnostics.map((diagnostic) => [diagnostic.policyName, diagnostic.enforcementLevel, diagnostic.urn]),
            [["bedrock-service-trust-confused-deputy", "mandatory", resources[2].urn]],
        );
        assert.match(diagnostics[0].message, new RegExp(`pin several accounts: ${STACK_ACCOUNT} \\(2\\), ${FOREIGN_ACCOUNT} \\(1\\)`));
        assert.deepStrictEqual(await pack.analyzeStack(resources.slice(0, 2)), []);
        // Other services' source conditions say where the stack is too: CloudWatch's topic and S3's bucket here.
        const topic: AnalyzedResource = {
            urn: "urn:pulumi:test::bedrock-access::aws:sns/topicPolicy:TopicPolicy::alerts",
            type: "aws:sns/topicPolicy:TopicPolicy",
            name: "alerts",
            properties: {
                arn: "a",
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: "*", Condition: { StringEquals: { "aws:SourceAccount": STACK_ACCOUNT } } }],
                }),
            },
        };
        const permission: AnalyzedResource = {
            urn: "urn:pulumi:test::bedrock-access::aws:lambda/permission:Permission::s3",
            type: "aws:lambda/permission:Permission",
            name: "s3",
            properties: { action: "lambda:InvokeFunction", function: "f", principal: "s3.amazonaws.com", sourceAccount: STACK_ACCOUNT, sourceArn: "arn:aws:s3:::uploads" },
        };
        const withServices = await pack.analyzeStack([resources[2], topic, permission]);
        assert.deepStrictEqual(withServices.map((diagnostic) => diagnostic.urn), [resources[2].urn]);
        assert.match(withServices[0].message, new RegExp(`pin several accounts: ${FOREIGN_ACCOUNT} \\(1\\), ${STACK_ACCOUNT} \\(2\\)`));
        assert.deepStrictEqual(await pack.analyzeStack([resources[0], topic, permission]), []);
        // Where the provider of other resources names the account, the unknown one is held to it.
        const withProvider = [{ ...resources[0], provider: DEFAULT_PROVIDER }, resources[2]];
        const held = await pack.analyzeStack(withProvider);
        assert.deepStrictEqual(held.map((diagnostic) => diagnostic.urn), [resources[2].urn]);
        assert.match(held[0].message, new RegExp(`account ${FOREIGN_ACCOUNT} is not this stack's account ${STACK_ACCOUNT}`));
    });
});

describe("the confused-deputy rule with the pack's accountId configuration", () => {
    it("holds a resource with no provider account to the configured account", async () => {
        const pack = await PolicyPackClient.start({ config: { "bedrock-service-trust-confused-deputy": { accountId: STACK_ACCOUNT } } });
        try {
            const trust = (account: string): AnalyzedResource => ({
                urn: "urn:pulumi:test::bedrock-access::aws:iam/role:Role::r",
                type: "aws:iam/role:Role",
                name: "r",
                properties: {
                    assumeRolePolicy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": account } } }],
                    }),
                    permissionsBoundary: CLASSIC_BOUNDARY,
                },
            });
            const foreign = await pack.analyze(trust(FOREIGN_ACCOUNT));
            assert.deepStrictEqual(foreign.map((diagnostic) => [diagnostic.policyName, diagnostic.enforcementLevel]), [["bedrock-service-trust-confused-deputy", "mandatory"]]);
            assert.match(foreign[0].message, /account 999999999999 is not this stack's account 123456789012 \(the pack's accountId configuration\)/);
            assert.deepStrictEqual(await pack.analyze(trust(STACK_ACCOUNT)), []);
        } finally {
            pack.close();
        }
    });
});

describe("what the classic mistakes allow, simulated (the abuse each rule stops)", () => {
    const STRANGER = "444455556666";
    const roleArn = `arn:aws:iam::${STACK_ACCOUNT}:role/vendor-access`;
    const strangerRole = `arn:aws:iam::${STRANGER}:role/attacker`;
    const callerMayAssume = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] } as const;
    const trustOf = (condition: Record<string, unknown>) =>
        ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: condition }] }) as unknown as PolicyDocument;

    it('a trust of {"AWS": "*"} with an external ID lets any account that learns the ID assume the role; aws:PrincipalOrgID stops it', async () => {
        const assume = (trust: PolicyDocument) =>
            decide({
                action: "sts:AssumeRole",
                principal: strangerRole,
                resource: roleArn,
                resourceAccount: STACK_ACCOUNT,
                resourcePolicy: trust,
                identityPolicies: [callerMayAssume as unknown as PolicyDocument],
                context: { "sts:ExternalId": "vendor-7f3a9c2e", "aws:PrincipalOrgID": "o-stranger0001", "aws:PrincipalAccount": STRANGER },
            });
        assert.strictEqual(await assume(trustOf({ StringEquals: { "sts:ExternalId": "vendor-7f3a9c2e" } })), "Allowed");
        assert.strictEqual(await assume(trustOf({ StringEquals: { "sts:ExternalId": "vendor-7f3a9c2e", "aws:PrincipalOrgID": "o-a1b2c3d4e5" } })), "ImplicitlyDenied");
    });

    it("a topic policy letting cloudwatch.amazonaws.com publish with no source condition serves another account's alarms; aws:SourceAccount stops it", async () => {
        const topic = `arn:aws:sns:eu-west-1:${STACK_ACCOUNT}:alerts`;
        const policy = (condition?: Record<string, unknown>) =>
            ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: topic, ...(condition ? { Condition: condition } : {}) }] }) as unknown as PolicyDocument;
        const publish = (resourcePolicy: PolicyDocument) =>
            decide({
                action: "sns:Publish",
                principal: "cloudwatch.amazonaws.com",
                resource: topic,
                resourceAccount: STACK_ACCOUNT,
                resourcePolicy,
                context: { "aws:SourceAccount": STRANGER, "aws:SourceArn": `arn:aws:cloudwatch:eu-west-1:${STRANGER}:alarm:spam` },
            });
        assert.strictEqual(await publish(policy()), "Allowed");
        assert.strictEqual(await publish(policy({ StringEquals: { "aws:SourceAccount": STACK_ACCOUNT } })), "ImplicitlyDenied");
    });

    it("a Bedrock trust pinned to another account serves that account's flows, never this stack's", async () => {
        const trust = (account: string) =>
            ({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": account } } }],
            }) as unknown as PolicyDocument;
        const assumeFor = (resourcePolicy: PolicyDocument, account: string) =>
            decide({
                action: "sts:AssumeRole",
                principal: "bedrock.amazonaws.com",
                resource: `arn:aws:iam::${STACK_ACCOUNT}:role/flow`,
                resourceAccount: STACK_ACCOUNT,
                resourcePolicy,
                context: { "aws:SourceAccount": account, "aws:SourceArn": `arn:aws:bedrock:eu-west-1:${account}:flow/ABCDEFGHIJ` },
            });
        assert.strictEqual(await assumeFor(trust(FOREIGN_ACCOUNT), FOREIGN_ACCOUNT), "Allowed");
        assert.strictEqual(await assumeFor(trust(FOREIGN_ACCOUNT), STACK_ACCOUNT), "ImplicitlyDenied");
        assert.strictEqual(await assumeFor(trust(STACK_ACCOUNT), FOREIGN_ACCOUNT), "ImplicitlyDenied");
    });

    it("a bucket policy open to * serves anonymous requests; aws:PrincipalOrgID stops them", async () => {
        const policy = (condition?: Record<string, unknown>) =>
            ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::data/*", ...(condition ? { Condition: condition } : {}) }] }) as unknown as PolicyDocument;
        const read = (resourcePolicy: PolicyDocument) =>
            decide({ action: "s3:GetObject", principal: anonymousPrincipal, resource: "arn:aws:s3:::data/report.csv", resourceAccount: STACK_ACCOUNT, resourcePolicy });
        assert.strictEqual(await read(policy()), "Allowed");
        assert.strictEqual(await read(policy({ StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } })), "ImplicitlyDenied");
    });
});
