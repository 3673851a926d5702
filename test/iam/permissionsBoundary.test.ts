/**
 * `permissionsBoundaryDocument` as a pure function, one statement family per test: what it keeps of
 * the roles' grants, what it merges (and what it must not), its explicit denials, and what it does
 * when the document does not fit a managed policy; the merges' meaning checked with IAM's simulator.
 * Then the program: one warning line when the bootstrap's boundary must name Bedrock by account.
 */
import * as assert from "assert";
import { modelMix } from "../../bench/modelMix";
import { PolicyDocument, PolicyStatement, policyDocument, policyJson } from "../../components/iam/iamDocument";
import { iamPolicySize } from "../../components/iam/iamQuotas";
import {
    BOUNDARY_DENIED_ACTIONS,
    boundaryFallbackWarning,
    buildPermissionsBoundary,
    keyGrantsToRoles,
    permissionsBoundaryDocument,
} from "../../components/iam/permissionsBoundary";
import { stackRoleDocuments } from "../../deployer/boundary";
import { deployedResources } from "../../deployer/cli";
import { ACCOUNT_ID, REGION, runProgram } from "../harness";
import { decide } from "../simulate";

const LOCATION = { partition: "aws", region: REGION, accountId: ACCOUNT_ID };
const role = (...statements: Omit<PolicyStatement, "Effect" | "Sid">[]): PolicyDocument =>
    policyDocument(statements.map((statement, index) => ({ Sid: `S${index}`, Effect: "Allow" as const, ...statement })));
const boundaryOf = (...documents: PolicyDocument[]) => permissionsBoundaryDocument(LOCATION, documents);
const statement = (document: PolicyDocument, sid: string) => document.Statement.find((entry) => entry.Sid === sid);
const allows = (document: PolicyDocument) => document.Statement.filter((entry) => entry.Effect === "Allow");
const model = (id: string, region = REGION) => `arn:aws:bedrock:${region}::foundation-model/${id}`;
const profile = (id: string) => `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:inference-profile/${id}`;
const viaProfiles = (...profiles: string[]) => ({ ArnLike: { "bedrock:InferenceProfileArn": profiles.length === 1 ? profiles[0] : profiles } });
const PROJECT = `arn:aws:bedrock-mantle:${REGION}:${ACCOUNT_ID}:project/default`;

describe("permissionsBoundaryDocument", () => {
    describe("per service, on the accounts and resources the roles name", () => {
        it("reaches the account's resources of a service for an ARN of an account, in any region", () => {
            const boundary = boundaryOf(role({ Action: ["logs:PutLogEvents", "logs:CreateLogStream"], Resource: `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:/aws/bedrock/x:*` }));
            assert.deepStrictEqual(statement(boundary, "Logs"), { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:*:${ACCOUNT_ID}:*` });
        });

        it("keeps S3 buckets and objects, Lambda functions and Secrets Manager secrets exact", () => {
            const boundary = boundaryOf(
                role(
                    { Action: "s3:GetObject", Resource: "arn:aws:s3:::docs/manuals/*" },
                    { Action: "lambda:InvokeFunction", Resource: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:lookup` },
                    { Action: "secretsmanager:GetSecretValue", Resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:api-key-??????` },
                ),
            );
            assert.strictEqual(statement(boundary, "S3")?.Resource, "arn:aws:s3:::docs/manuals/*");
            assert.strictEqual(statement(boundary, "Lambda")?.Resource, `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:lookup`);
            assert.strictEqual(statement(boundary, "Secretsmanager")?.Resource, `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:api-key-??????`);
        });

        it("unites one service's grants of several roles into one statement, and keeps actions granted on '*' in one of their own", () => {
            const boundary = boundaryOf(
                role({ Action: "s3:GetObject", Resource: "arn:aws:s3:::a/*" }, { Action: "xray:PutTraceSegments", Resource: "*" }),
                role({ Action: "s3:PutObject", Resource: "arn:aws:s3:::b/*" }, { Action: "cloudwatch:PutMetricData", Resource: "*" }),
            );
            assert.deepStrictEqual(statement(boundary, "S3"), { Sid: "S3", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"] });
            assert.deepStrictEqual(statement(boundary, "OnlyWildcard"), { Sid: "OnlyWildcard", Effect: "Allow", Action: ["cloudwatch:PutMetricData", "xray:PutTraceSegments"], Resource: "*" });
        });

        it("refuses a role granted a wildcard action: the boundary names actions one by one", () => {
            assert.throws(() => boundaryOf(role({ Action: "s3:Get*", Resource: "arn:aws:s3:::a/*" })), /a role of the stack is granted the wildcard action s3:Get\*/);
        });

        it("ignores a role's Deny statements (a boundary only caps)", () => {
            const boundary = boundaryOf(policyDocument([{ Sid: "No", Effect: "Deny", Action: "s3:DeleteObject", Resource: "arn:aws:s3:::a/*" }]));
            assert.deepStrictEqual(allows(boundary), []);
        });
    });

    describe("foundation models", () => {
        it("keeps models called directly in their own region, in one statement whatever grant names them", () => {
            const boundary = boundaryOf(
                role({ Action: "bedrock:InvokeModel", Resource: model("amazon.nova-pro-v1:0") }),
                role({ Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"], Resource: model("anthropic.claude-sonnet-4-20250514-v1:0") }),
            );
            assert.deepStrictEqual(statement(boundary, "FoundationModels"), {
                Sid: "FoundationModels",
                Effect: "Allow",
                Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                Resource: [model("amazon.nova-pro-v1:0"), model("anthropic.claude-sonnet-4-20250514-v1:0")],
            });
            assert.strictEqual(statement(boundary, "FoundationModelsViaProfiles"), undefined);
        });

        it("keeps models reached through profiles in any region only under the stack's profiles, united", () => {
            const boundary = boundaryOf(
                role({ Action: "bedrock:InvokeModel", Resource: model("m1", "*"), Condition: viaProfiles(profile("eu.m1")) }),
                role({ Action: "bedrock:InvokeModel", Resource: model("m2", "*"), Condition: viaProfiles(profile("eu.m2")) }),
            );
            assert.deepStrictEqual(statement(boundary, "FoundationModelsViaProfiles"), {
                Sid: "FoundationModelsViaProfiles",
                Effect: "Allow",
                Action: "bedrock:InvokeModel",
                Resource: [model("m1", "*"), model("m2", "*")],
                Condition: viaProfiles(profile("eu.m1"), profile("eu.m2")),
            });
        });

        it("drops an exact profile a pattern of the list already matches, and never drops a pattern for another pattern", () => {
            const boundary = boundaryOf(
                role({ Action: "bedrock:InvokeModel", Resource: model("m1", "*"), Condition: viaProfiles(profile("eu.m1")) }),
                role({ Action: "bedrock:InvokeModel", Resource: model("m2", "*"), Condition: viaProfiles(profile("*")) }),
                role({ Action: "bedrock:InvokeModel", Resource: model("m3", "*"), Condition: viaProfiles(profile("eu.*")) }),
            );
            // `eu.*` matches the pattern `*` (and the other way round as text): both stay; only the exact `eu.m1` goes.
            assert.deepStrictEqual(statement(boundary, "FoundationModelsViaProfiles")?.Condition, viaProfiles(profile("*"), profile("eu.*")));
        });

        it("keeps a model grant under any other condition as granted, not among the merged ones", () => {
            const condition = { StringEquals: { "bedrock:ServiceTier": "flex" } };
            const boundary = boundaryOf(role({ Action: "bedrock:InvokeModel", Resource: model("m1"), Condition: condition }));
            assert.strictEqual(statement(boundary, "FoundationModels"), undefined);
            assert.deepStrictEqual(statement(boundary, "Granted1"), { Sid: "Granted1", Effect: "Allow", Action: "bedrock:InvokeModel", Resource: model("m1"), Condition: condition });
        });

        it("names Bedrock's other resources in any region (profiles route across regions)", () => {
            const boundary = boundaryOf(role({ Action: ["bedrock:InvokeModel", "bedrock:ApplyGuardrail"], Resource: [profile("eu.m1"), `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:guardrail/g1`] }));
            assert.deepStrictEqual(statement(boundary, "Bedrock")?.Resource, [`arn:aws:bedrock:*:${ACCOUNT_ID}:guardrail/g1`, `arn:aws:bedrock:*:${ACCOUNT_ID}:inference-profile/eu.m1`]);
        });
    });

    describe("grants kept with their conditions (Mantle, Marketplace)", () => {
        it("unites the values of grants that differ only in the values of one operator on one key", () => {
            const boundary = boundaryOf(
                role({ Action: "bedrock-mantle:CreateInference", Resource: PROJECT, Condition: { StringEquals: { "bedrock-mantle:Model": "m1" } } }),
                role({ Action: "bedrock-mantle:CreateInference", Resource: PROJECT, Condition: { StringEquals: { "bedrock-mantle:Model": ["m3", "m2"] } } }),
            );
            const granted = allows(boundary);
            assert.strictEqual(granted.length, 1);
            assert.deepStrictEqual(granted[0].Condition, { StringEquals: { "bedrock-mantle:Model": ["m1", "m2", "m3"] } });
            assert.strictEqual(granted[0].Resource, `arn:aws:bedrock-mantle:*:${ACCOUNT_ID}:project/default`);
        });

        it("keeps grants of other action sets, operators or keys apart", () => {
            const boundary = boundaryOf(
                role({ Action: "bedrock-mantle:CreateInference", Resource: PROJECT, Condition: { StringEquals: { "bedrock-mantle:Model": "m1" } } }),
                role({ Action: ["bedrock-mantle:CreateInference", "bedrock-mantle:CountTokens"], Resource: PROJECT, Condition: { StringEquals: { "bedrock-mantle:Model": "m2" } } }),
                role({ Action: "bedrock-mantle:CreateInference", Resource: PROJECT, Condition: { StringLike: { "bedrock-mantle:Model": "m3*" } } }),
                role({ Action: "bedrock-mantle:CreateInference", Resource: PROJECT, Condition: { StringEquals: { "bedrock-mantle:ServiceTier": "flex" } } }),
            );
            assert.strictEqual(allows(boundary).length, 4);
        });

        it("never unites the values of a negated operator (that would narrow, and refuse what a role is granted): simulated", async () => {
            const flexOnlyNot = role({ Action: "bedrock-mantle:CreateInference", Resource: PROJECT, Condition: { StringNotEquals: { "bedrock-mantle:ServiceTier": "flex" } } });
            const priorityNot = role({ Action: "bedrock-mantle:CreateInference", Resource: PROJECT, Condition: { StringNotEquals: { "bedrock-mantle:ServiceTier": "priority" } } });
            const boundary = boundaryOf(flexOnlyNot, priorityNot);
            assert.deepStrictEqual(
                allows(boundary).map((entry) => entry.Condition),
                [{ StringNotEquals: { "bedrock-mantle:ServiceTier": "flex" } }, { StringNotEquals: { "bedrock-mantle:ServiceTier": "priority" } }],
            );
            // Each tier is granted by one of the two roles' statements: the boundary keeps both; a united StringNotEquals would refuse both.
            const united: PolicyDocument = {
                ...boundary,
                Statement: [
                    { Sid: "United", Effect: "Allow", Action: "bedrock-mantle:CreateInference", Resource: `arn:aws:bedrock-mantle:*:${ACCOUNT_ID}:*`, Condition: { StringNotEquals: { "bedrock-mantle:ServiceTier": ["flex", "priority"] } } },
                ],
            };
            for (const tier of ["flex", "priority"]) {
                const request = {
                    action: "bedrock-mantle:CreateInference",
                    principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/r/s`,
                    resource: PROJECT,
                    resourceAccount: ACCOUNT_ID,
                    context: { "bedrock-mantle:ServiceTier": tier },
                    identityPolicies: [flexOnlyNot, priorityNot],
                };
                assert.strictEqual(await decide(request), "Allowed", tier);
                assert.strictEqual(await decide({ ...request, permissionsBoundary: boundary }), "Allowed", `${tier} under the boundary`);
                assert.notStrictEqual(await decide({ ...request, permissionsBoundary: united }), "Allowed", `${tier} under a united negation`);
            }
        });
    });

    describe("what the stack's keys grant its roles, and the denials", () => {
        it("turns a key policy's grants to a role into grants on the account's keys, and ignores services and '*'", () => {
            const keyPolicy = policyDocument([
                { Sid: "Role", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:role/bedrock-kb-docs` }, Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: "*" },
                { Sid: "Service", Effect: "Allow", Principal: { Service: "logs.eu-west-1.amazonaws.com" }, Action: "kms:Encrypt", Resource: "*" },
                { Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "kms:DescribeKey", Resource: "*" },
                { Sid: "Account", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: "kms:PutKeyPolicy", Resource: "*" },
            ]);
            assert.deepStrictEqual(keyGrantsToRoles(LOCATION, [keyPolicy]), [
                policyDocument([{ Sid: "KeyPolicyGrants", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/*` }]),
            ]);
            const boundary = boundaryOf(...keyGrantsToRoles(LOCATION, [keyPolicy]));
            assert.deepStrictEqual(statement(boundary, "Kms")?.Resource, `arn:aws:kms:*:${ACCOUNT_ID}:*`);
        });

        it("ends with one explicit Deny of IAM, STS, Organizations, KMS administration, logging and compute, whatever the roles hold", () => {
            const boundary = boundaryOf(role({ Action: "s3:GetObject", Resource: "arn:aws:s3:::a/*" }));
            const last = boundary.Statement[boundary.Statement.length - 1];
            assert.deepStrictEqual(last, { Sid: "NeverEscalateOrUnmonitor", Effect: "Deny", Action: BOUNDARY_DENIED_ACTIONS, Resource: "*" });
            for (const action of ["iam:*", "sts:AssumeRole*", "kms:PutKeyPolicy", "kms:TagResource", "kms:ScheduleKeyDeletion", "lambda:Update*", "ec2:RunInstances", "cloudtrail:*"]) {
                assert.ok(BOUNDARY_DENIED_ACTIONS.includes(action), action);
            }
            assert.ok(allows(boundary).every((entry) => [entry.Action].flat().every((action) => !/[*?]/.test(action as string))));
        });

        it("is deterministic: the same documents in another order give the same boundary", () => {
            const a = role({ Action: "s3:GetObject", Resource: "arn:aws:s3:::a/*" }, { Action: "bedrock:InvokeModel", Resource: model("m1") });
            const b = role({ Action: "logs:PutLogEvents", Resource: `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:x:*` }, { Action: "bedrock:InvokeModel", Resource: model("m0") });
            assert.deepStrictEqual(boundaryOf(a, b), boundaryOf(b, a));
        });
    });

    describe("size", () => {
        const manyModels = (count: number) =>
            role(
                ...modelMix(count).map((id) => ({ Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"], Resource: id.includes(".") && /^(us|eu|apac|jp|au|ca|us-gov|global)\./.test(id) ? profile(id) : model(id) })),
                { Action: "bedrock:InvokeModel", Resource: `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:guardrail/g1` },
            );

        it("names Bedrock's resources one by one while they fit a managed policy", () => {
            const built = buildPermissionsBoundary(LOCATION, [manyModels(8)]);
            assert.strictEqual(built.bedrockNamedByAccount, false);
            assert.strictEqual(built.namedSize, iamPolicySize(policyJson(built.document)));
            assert.ok(built.namedSize <= 6144);
            assert.match(JSON.stringify(built.document), /inference-profile\/eu\./);
        });

        it("names them by account when they do not, within the size, and says how large the named one was", () => {
            const built = buildPermissionsBoundary(LOCATION, [manyModels(400)]);
            assert.strictEqual(built.bedrockNamedByAccount, true);
            assert.ok(built.namedSize > 6144, String(built.namedSize));
            assert.ok(iamPolicySize(policyJson(built.document)) <= 6144);
            const resources = allows(built.document).flatMap((entry) => [entry.Resource].flat());
            assert.ok(resources.includes("arn:aws:bedrock:*::foundation-model/*"), JSON.stringify(resources));
            assert.ok(resources.includes(`arn:aws:bedrock:*:${ACCOUNT_ID}:*`), JSON.stringify(resources));
            assert.deepStrictEqual(built.document, permissionsBoundaryDocument(LOCATION, [manyModels(400)]));
            // The limit is the caller's: the same documents fit a larger one by name.
            assert.strictEqual(buildPermissionsBoundary(LOCATION, [manyModels(400)], built.namedSize).bedrockNamedByAccount, false);
        });

        it("shortens the profile condition when Bedrock's resources do not fit by name, keeping the cap (simulated call by call)", async function () {
            this.timeout(120000);
            // A real gateway's documents: 30 model references (8 models, their regional and global profiles).
            const { engine } = await runProgram({ gateways: [{ name: "company", trustedPrincipals: ["arn:aws:iam::111111111111:role/litellm"], externalId: "company-gateway-1", models: modelMix(30) }] }, { preview: false });
            const documents = stackRoleDocuments(LOCATION, deployedResources(engine.resources));
            const compact = buildPermissionsBoundary(LOCATION, documents);
            assert.strictEqual(compact.bedrockNaming, "compactProfiles");
            assert.ok(compact.namedSize > 6144 && iamPolicySize(policyJson(compact.document)) <= 6144, String(compact.namedSize));
            const named = buildPermissionsBoundary(LOCATION, documents, compact.namedSize);
            assert.strictEqual(named.bedrockNaming, "named");
            assert.deepStrictEqual(statement(compact.document, "FoundationModelsViaProfiles")?.Condition, viaProfiles(`arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:inference-profile/*`));
            // Every other statement is the same.
            assert.deepStrictEqual(
                compact.document.Statement.filter((entry) => entry.Sid !== "FoundationModelsViaProfiles"),
                named.document.Statement.filter((entry) => entry.Sid !== "FoundationModelsViaProfiles"),
            );
            // A call through a profile is authorized on the profile and on the model in the region it routes to: under each
            // boundary, for a role granted everything, the same calls succeed (the stack's profiles and models, and others).
            const profiles = [
                ...new Set(
                    [named.document.Statement.find((entry) => entry.Sid === "FoundationModelsViaProfiles")!.Condition!.ArnLike!["bedrock:InferenceProfileArn"]]
                        .flat()
                        .map(String),
                ),
                profile("eu.amazon.titan-text-premier-v1:0"),
                `arn:aws:bedrock:eu-central-1:${ACCOUNT_ID}:inference-profile/eu.anthropic.claude-sonnet-4-20250101-v1:0`,
                `arn:aws:bedrock:${REGION}:210987654321:inference-profile/eu.anthropic.claude-sonnet-4-20250101-v1:0`,
            ];
            const models = [...new Set(modelMix(30).map((id) => id.replace(/^(us|eu|apac|jp|au|ca|us-gov|global)\./, ""))), "amazon.titan-text-premier-v1:0", "cohere.command-r-plus-v1:0"];
            const everything = policyDocument([{ Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" }]);
            const ask = (boundary: PolicyDocument, resource: string, context: Record<string, string> = {}) =>
                decide({
                    action: "bedrock:InvokeModel",
                    principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/r/s`,
                    resource,
                    resourceAccount: resource.split(":")[4] || ACCOUNT_ID,
                    context,
                    identityPolicies: [everything],
                    permissionsBoundary: boundary,
                    unchecked: true,
                });
            const call = async (boundary: PolicyDocument, profileArn: string, modelId: string) =>
                (await ask(boundary, profileArn)) === "Allowed" && (await ask(boundary, model(modelId, "eu-central-1"), { "bedrock:InferenceProfileArn": profileArn })) === "Allowed";
            let allowed = 0;
            for (const profileArn of profiles) {
                for (const modelId of models) {
                    const expected = await call(named.document, profileArn, modelId);
                    assert.strictEqual(await call(compact.document, profileArn, modelId), expected, `${profileArn} to ${modelId}`);
                    if (expected) allowed += 1;
                }
            }
            // The test can fail: some calls are allowed, and the shortened condition alone lets any profile of the region through.
            assert.ok(allowed > 10, String(allowed));
            assert.strictEqual(await ask(compact.document, model(models[0], "eu-central-1"), { "bedrock:InferenceProfileArn": profile("eu.amazon.titan-text-premier-v1:0") }), "Allowed");
            assert.notStrictEqual(await ask(compact.document, profile("eu.amazon.titan-text-premier-v1:0")), "Allowed");
        });

        it("words the fallback as one line naming the fix", () => {
            const warning = boundaryFallbackWarning(7400);
            assert.doesNotMatch(warning, /\n/);
            assert.match(warning, /is 7400 characters, beyond the 6144 of a managed policy/);
            assert.match(warning, /set permissionsBoundary: <ARN>$/);
        });
    });
});

describe("the program warns when the bootstrap's boundary names Bedrock by account", function () {
    this.timeout(120000);
    const gateway = (count: number) => ({ name: "company", trustedPrincipals: ["arn:aws:iam::111111111111:role/litellm"], externalId: "company-gateway-1", models: modelMix(count) });
    async function warningsOf(config: Record<string, unknown>): Promise<string[]> {
        const warnings: string[] = [];
        const consoleWarn = console.warn;
        console.warn = (...parts: unknown[]) => void warnings.push(parts.map(String).join(" "));
        try {
            await runProgram(config);
        } finally {
            console.warn = consoleWarn;
        }
        return warnings.filter((warning) => /permissionsBoundary/.test(warning));
    }

    it("in one line, for a stack whose boundary does not fit by name", async () => {
        const warnings = await warningsOf({ gateways: [gateway(40)] });
        assert.strictEqual(warnings.length, 1, warnings.join("\n"));
        assert.match(warnings[0], /the stack's boundary naming Bedrock's resources is \d+ characters, beyond the 6144 of a managed policy/);
    });

    it("not for a stack whose boundary fits (by name, or with the profile condition shortened), nor for a boundary of the user's own", async () => {
        assert.deepStrictEqual(await warningsOf({ gateways: [gateway(8)] }), []);
        assert.deepStrictEqual(await warningsOf({ gateways: [gateway(30)] }), []);
        assert.deepStrictEqual(await warningsOf({ gateways: [gateway(40)], permissionsBoundary: `arn:aws:iam::${ACCOUNT_ID}:policy/platform-boundary` }), []);
    });
});
