/**
 * Each policy called directly, as the SDK calls it: a compliant case, then one change per case.
 */
import * as assert from "assert";
import { noWildcardActions } from "../../policypack/policies/actions";
import { modelScopedResources } from "../../policypack/policies/bedrockResources";
import { normalizePolicyDocument } from "../../policypack/policies/normalize";
import { serviceTrustConfusedDeputy } from "../../policypack/policies/servicePrincipals";
import { trustRequiresExternalId } from "../../policypack/policies/trustPolicies";
import { violationsOf } from "../assertions";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";


function document(...statements: Record<string, unknown>[]) {
    return { Version: "2012-10-17", Statement: statements };
}

const trustStatement = {
    Sid: "Gateway",
    Effect: "Allow",
    Principal: { AWS: ["arn:aws:iam::111111111111:role/gw"] },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "sts:ExternalId": "portkey-7f3a9c2e" } },
};

const invokeStatement = {
    Sid: "Invoke",
    Effect: "Allow",
    Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
    Resource: ["arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0", "arn:aws:bedrock:*::foundation-model/amazon.nova-pro-v1:0"],
};

describe("bedrock-trust-requires-external-id", () => {
    const check = (statement: Record<string, unknown>, asString = true) =>
        violationsOf(trustRequiresExternalId, ROLE, { assumeRolePolicy: asString ? JSON.stringify(document(statement)) : document(statement) });

    it("passes an exact external ID, as a string or as an object", async () => {
        assert.deepStrictEqual(await check(trustStatement), []);
        assert.deepStrictEqual(await check(trustStatement, false), []);
    });
    it("passes lower-case condition keys and a single statement object", async () => {
        const statement = { ...trustStatement, Condition: { StringEquals: { "STS:EXTERNALID": "abc12" } } };
        assert.deepStrictEqual(await violationsOf(trustRequiresExternalId, ROLE, { assumeRolePolicy: { Version: "2012-10-17", Statement: statement } }), []);
    });
    it("ignores service and federated principals", async () => {
        assert.deepStrictEqual(await check({ Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: "sts:AssumeRole" }), []);
        assert.deepStrictEqual(await check({ Effect: "Allow", Principal: { Federated: "arn:aws:iam::1:oidc-provider/x" }, Action: "sts:AssumeRoleWithWebIdentity" }), []);
    });
    it("ignores Deny statements", async () => assert.deepStrictEqual(await check({ ...trustStatement, Effect: "Deny", Condition: undefined }), []));

    const violating: [string, Record<string, unknown>, RegExp][] = [
        ["no condition", { ...trustStatement, Condition: undefined }, /statement Gateway: lets AWS principal\(s\) arn:aws:iam::111111111111:role\/gw assume the role without an external ID/],
        ["an IfExists form", { ...trustStatement, Condition: { StringEqualsIfExists: { "sts:ExternalId": "abc12" } } }, /checked only by StringEqualsIfExists: use StringEquals/],
        ["a pattern", { ...trustStatement, Condition: { StringLike: { "sts:ExternalId": "abc*" } } }, /checked only by StringLike/],
        ["an empty value", { ...trustStatement, Condition: { StringEquals: { "sts:ExternalId": "" } } }, /STS can never send/],
        ["a trailing newline", { ...trustStatement, Condition: { StringEquals: { "sts:ExternalId": "abc12\n" } } }, /STS can never send/],
        ["an empty list", { ...trustStatement, Condition: { StringEquals: { "sts:ExternalId": [] } } }, /STS can never send/],
        ["Principal *", { ...trustStatement, Principal: "*", Condition: undefined }, /every principal \("\*"\)/],
        ["an account root", { ...trustStatement, Principal: { AWS: "arn:aws:iam::111111111111:root" }, Condition: undefined }, /root assume the role without/],
        ["sts:* as the action", { ...trustStatement, Action: "sts:*", Condition: undefined }, /without an external ID/],
        ["NotPrincipal", { Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::1:root" }, Action: "sts:AssumeRole" }, /every principal not in NotPrincipal/],
    ];
    for (const [title, statement, message] of violating) {
        it(`reports ${title}`, async () => {
            const violations = await check(statement);
            assert.strictEqual(violations.length, 1, JSON.stringify(violations));
            assert.match(violations[0], message);
            assert.match(violations[0], /^assumeRolePolicy, statement /);
        });
    }
    it("reports an unparseable trust policy", async () => {
        const violations = await violationsOf(trustRequiresExternalId, ROLE, { assumeRolePolicy: "{not json" });
        assert.match(violations[0], /assumeRolePolicy is not valid JSON/);
    });
    it("does not judge identity policies", async () =>
        assert.deepStrictEqual(await violationsOf(trustRequiresExternalId, ROLE_POLICY, { policy: document({ ...trustStatement, Condition: undefined }) }), []));
});

describe("bedrock-model-scoped-resources", () => {
    const check = (statement: Record<string, unknown>, type = ROLE_POLICY) => violationsOf(modelScopedResources, type, { policy: JSON.stringify(document(statement)) });

    it("passes named models, with region wildcards", async () => assert.deepStrictEqual(await check(invokeStatement), []));
    it("passes listing actions that only accept *", async () =>
        assert.deepStrictEqual(await check({ Effect: "Allow", Action: ["bedrock:ListFoundationModels", "bedrock:ListInferenceProfiles"], Resource: "*" }), []));
    it("passes non-Bedrock statements", async () => assert.deepStrictEqual(await check({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }), []));
    it("passes Deny statements with *", async () => assert.deepStrictEqual(await check({ Effect: "Deny", Action: "bedrock:*", Resource: "*" }), []));

    const violating: [string, Record<string, unknown>, RegExp[]][] = [
        ["Resource *", { ...invokeStatement, Resource: "*" }, [/on "\*": name the specific models/, /without naming a model/]],
        ["a wildcard model ID", { ...invokeStatement, Resource: "arn:aws:bedrock:*::foundation-model/*" }, [/foundation-model\/\*/, /without naming a model/]],
        ["a wildcard resource type", { ...invokeStatement, Resource: ["arn:aws:bedrock:eu-west-1:1:*"] }, [/arn:aws:bedrock:eu-west-1:1:\*/, /without naming a model/]],
        ["NotResource", { Effect: "Allow", Action: "bedrock:InvokeModel", NotResource: "arn:aws:bedrock:*::foundation-model/x" }, [/through NotResource/]],
        ["a model action on a non-model ARN", { Effect: "Allow", Action: "bedrock:invokemodel", Resource: "arn:aws:s3:::bucket/key" }, [/bedrock:InvokeModel without naming a model/]],
        ["bedrock:Invoke* on *", { Effect: "Allow", Action: "bedrock:Invoke*", Resource: "*" }, [/bedrock:InvokeAgent|and \d+ more/, /without naming a model/]],
        ["ApplyGuardrail on every guardrail", { Effect: "Allow", Action: "bedrock:ApplyGuardrail", Resource: "arn:aws:bedrock:eu-west-1:123456789012:guardrail/*" }, [/bedrock:ApplyGuardrail on "arn:aws:bedrock:eu-west-1:123456789012:guardrail\/\*"/]],
    ];
    for (const [title, statement, messages] of violating) {
        it(`reports ${title}`, async () => {
            const violations = await check(statement);
            assert.strictEqual(violations.length, messages.length, JSON.stringify(violations));
            messages.forEach((message, index) => assert.match(violations[index], message));
        });
    }
    it("judges resource policies too (a bucket policy granting Bedrock actions)", async () => {
        const statement = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "bedrock:GetAgent", Resource: "*" };
        assert.strictEqual((await check(statement, BUCKET_POLICY)).length, 1);
    });
    it("judges every inline policy of a role", async () => {
        const violations = await violationsOf(modelScopedResources, ROLE, {
            assumeRolePolicy: document(trustStatement),
            inlinePolicies: [{ name: "ok", policy: JSON.stringify(document(invokeStatement)) }, { name: "bad", policy: JSON.stringify(document({ ...invokeStatement, Resource: "*" })) }],
        });
        assert.ok(violations.length > 0 && violations.every((violation) => violation.startsWith("inlinePolicies[1].policy")), JSON.stringify(violations));
    });
});

describe("iam-no-wildcard-actions", () => {
    const check = (statement: Record<string, unknown>, type = ROLE_POLICY) => violationsOf(noWildcardActions, type, { policy: document(statement) });

    it("passes named actions", async () => assert.deepStrictEqual(await check(invokeStatement), []));
    it("passes wildcards in Deny statements", async () => assert.deepStrictEqual(await check({ Effect: "Deny", Action: "*", Resource: "*" }), []));
    const violating: [string, Record<string, unknown>, RegExp][] = [
        ["*", { Effect: "Allow", Action: "*", Resource: "*" }, /wildcard action "\*"/],
        ["bedrock:*", { Effect: "Allow", Action: ["bedrock:InvokeModel", "bedrock:*"], Resource: "*" }, /"bedrock:\*"/],
        // Quoted as the document writes it, so a search of the user's code finds it.
        ["a ? wildcard", { Effect: "Allow", Action: "s3:GetObjec?", Resource: "*" }, /"s3:GetObjec\?"/],
        ["NotAction", { Effect: "Allow", NotAction: "iam:*", Resource: "*" }, /every action except iam:\* through NotAction/],
    ];
    for (const [title, statement, message] of violating) {
        it(`reports ${title}`, async () => {
            const violations = await check(statement);
            assert.strictEqual(violations.length, 1, JSON.stringify(violations));
            assert.match(violations[0], message);
        });
    }
    it("judges trust policies and resource policies", async () => {
        assert.strictEqual((await violationsOf(noWildcardActions, ROLE, { assumeRolePolicy: document({ ...trustStatement, Action: "sts:*" }) })).length, 1);
        for (const type of [BUCKET_POLICY, "aws:kms/key:Key", "aws:sns/topicPolicy:TopicPolicy"]) {
            assert.strictEqual((await check({ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" }, type)).length, 1, type);
        }
        // An endpoint policy grants nothing: its wildcard actions bound what passes, judged by bedrock-endpoint-perimeter.
        assert.deepStrictEqual(await check({ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" }, "aws:ec2/vpcEndpoint:VpcEndpoint"), []);
    });
    it("ignores resources that carry no IAM document", async () => assert.deepStrictEqual(await violationsOf(noWildcardActions, "aws:s3/bucket:BucketV2", { bucket: "*" }), []));
});

describe("normalizePolicyDocument", () => {
    const malformed: [unknown, RegExp][] = [
        ["not json", /not valid JSON/],
        [42, /not a policy document/],
        [{ Version: "2012-10-17" }, /has no Statement/],
        [{ Statement: [{ Effect: "Maybe", Action: "s3:GetObject" }] }, /Effect must be/],
        [{ Statement: [{ Effect: "Allow" }] }, /neither Action nor NotAction/],
        [{ Statement: [{ Effect: "Allow", Action: [1] }] }, /Action must be a string/],
        [{ Statement: [{ Effect: "Allow", Action: "s3:x", Principal: ["a"] }] }, /Principal must be/],
    ];
    for (const [input, problem] of malformed) {
        it(`reports ${JSON.stringify(input)}`, () => {
            const normalized = normalizePolicyDocument(input);
            assert.strictEqual(normalized.ok, false);
            assert.match((normalized as { problem: string }).problem, problem);
        });
    }
    it("keeps actions as written, lower-cases condition keys, and keeps values", () => {
        const normalized = normalizePolicyDocument({ Statement: { Effect: "allow", Action: "Bedrock:InvokeModel", Condition: { StringEquals: { "Bedrock:InferenceProfileArn": "ARN" } } } });
        assert.ok(normalized.ok);
        assert.deepStrictEqual(normalized.statements[0].actions, ["Bedrock:InvokeModel"]);
        assert.deepStrictEqual(normalized.statements[0].conditions, [{ operator: "StringEquals", key: "bedrock:inferenceprofilearn", writtenKey: "Bedrock:InferenceProfileArn", values: ["ARN"] }]);
    });
});

describe("bedrock-service-trust-confused-deputy", () => {
    const serviceStatement = {
        Sid: "Bedrock",
        Effect: "Allow",
        Principal: { Service: "bedrock.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    };
    const trust = (statement: Record<string, unknown>) => violationsOf(serviceTrustConfusedDeputy, ROLE, { assumeRolePolicy: document(statement) });

    it("passes aws:SourceAccount with an exact account", async () => assert.deepStrictEqual(await trust(serviceStatement), []));
    it("passes aws:SourceArn of one account, any case of the key", async () =>
        assert.deepStrictEqual(await trust({ ...serviceStatement, Condition: { ArnLike: { "AWS:SOURCEARN": "arn:aws:bedrock:eu-west-1:123456789012:flow/*" } } }), []));
    it("ignores other services and AWS principals", async () => {
        assert.deepStrictEqual(await trust({ ...serviceStatement, Principal: { Service: "lambda.amazonaws.com" }, Condition: undefined }), []);
        assert.deepStrictEqual(await trust({ ...serviceStatement, Principal: { AWS: "arn:aws:iam::1:root" }, Condition: undefined }), []);
    });

    const violating: [string, Record<string, unknown>][] = [
        ["no condition", { ...serviceStatement, Condition: undefined }],
        ["a wildcard account in SourceArn", { ...serviceStatement, Condition: { ArnLike: { "aws:SourceArn": "arn:aws:bedrock:eu-west-1:*:flow/*" } } }],
        ["an IfExists form", { ...serviceStatement, Condition: { StringEqualsIfExists: { "aws:SourceAccount": "123456789012" } } }],
        ["a pattern for the account", { ...serviceStatement, Condition: { StringLike: { "aws:SourceAccount": "1234*" } } }],
        ["Bedrock among several services", { ...serviceStatement, Principal: { Service: ["lambda.amazonaws.com", "bedrock.amazonaws.com"] }, Condition: undefined }],
    ];
    for (const [title, statement] of violating) {
        it(`reports ${title}`, async () => {
            const violations = await trust(statement);
            assert.strictEqual(violations.length, 1, JSON.stringify(violations));
            assert.match(violations[0], /statement (Bedrock|#0): lets bedrock\.amazonaws\.com act without pinning the calling account/);
        });
    }

    it("judges bucket and key policies, not identity policies", async () => {
        const write = { Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::logs/*" };
        assert.strictEqual((await violationsOf(serviceTrustConfusedDeputy, BUCKET_POLICY, { policy: document(write) })).length, 1);
        assert.strictEqual((await violationsOf(serviceTrustConfusedDeputy, "aws:kms/key:Key", { policy: document({ ...write, Action: "kms:Decrypt", Resource: "*" }) })).length, 1);
        assert.deepStrictEqual(await violationsOf(serviceTrustConfusedDeputy, ROLE_POLICY, { policy: document(write) }), []);
    });

    const lambda = (props: Record<string, unknown>) =>
        violationsOf(serviceTrustConfusedDeputy, "aws:lambda/permission:Permission", { action: "lambda:InvokeFunction", function: "f", principal: "bedrock.amazonaws.com", ...props });
    it("passes a Lambda permission with the source account or an exact source ARN", async () => {
        assert.deepStrictEqual(await lambda({ sourceAccount: "123456789012" }), []);
        assert.deepStrictEqual(await lambda({ sourceArn: "arn:aws:bedrock:eu-west-1:123456789012:agent/*" }), []);
        assert.deepStrictEqual(await lambda({ principal: "s3.amazonaws.com" }), []);
    });
    it("reports a Lambda permission for Bedrock without them", async () => {
        assert.match((await lambda({}))[0], /invoke the function for any account/);
        assert.strictEqual((await lambda({ sourceArn: "arn:aws:bedrock:eu-west-1:*:agent/*" })).length, 1);
    });
});
