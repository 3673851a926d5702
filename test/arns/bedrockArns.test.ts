import * as assert from "assert";
import {
    AwsLocation,
    invokeGrantFor,
    parseGuardrailReference,
    parseModelReference,
    parsePrincipalArn,
    partitionOfRegion,
} from "../../components/arns/bedrockArns";

const location: AwsLocation = { partition: "aws", region: "eu-west-1", accountId: "123456789012" };

describe("parseModelReference", () => {
    const accepted: [string, unknown][] = [
        ["anthropic.claude-sonnet-4-20250514-v1:0", { kind: "foundation-model", modelId: "anthropic.claude-sonnet-4-20250514-v1:0" }],
        ["amazon.titan-text-express-v1:0:8k", { kind: "foundation-model", modelId: "amazon.titan-text-express-v1:0:8k" }],
        ["meta.llama3-1-70b-instruct-v1:0", { kind: "foundation-model", modelId: "meta.llama3-1-70b-instruct-v1:0" }],
        [
            "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
            { kind: "inference-profile", profileId: "eu.anthropic.claude-haiku-4-5-20251001-v1:0", geography: "eu", modelId: "anthropic.claude-haiku-4-5-20251001-v1:0" },
        ],
        [
            "us-gov.anthropic.claude-3-5-sonnet-20240620-v1:0",
            { kind: "inference-profile", profileId: "us-gov.anthropic.claude-3-5-sonnet-20240620-v1:0", geography: "us-gov", modelId: "anthropic.claude-3-5-sonnet-20240620-v1:0" },
        ],
        [
            "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
            { kind: "inference-profile", profileId: "global.anthropic.claude-sonnet-4-5-20250929-v1:0", geography: "global", modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0" },
        ],
        [
            "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0",
            { kind: "foundation-model", modelId: "amazon.nova-pro-v1:0", region: "us-east-1" },
        ],
        [
            "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.amazon.nova-pro-v1:0",
            {
                kind: "inference-profile",
                profileId: "eu.amazon.nova-pro-v1:0",
                geography: "eu",
                modelId: "amazon.nova-pro-v1:0",
                arn: "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.amazon.nova-pro-v1:0",
            },
        ],
        [
            "arn:aws:bedrock:eu-west-1:123456789012:provisioned-model/abc123def456",
            { kind: "resource-arn", resourceType: "provisioned-model", arn: "arn:aws:bedrock:eu-west-1:123456789012:provisioned-model/abc123def456" },
        ],
        [
            "arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/a1b2c3d4e5f6",
            {
                kind: "resource-arn",
                resourceType: "application-inference-profile",
                arn: "arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/a1b2c3d4e5f6",
            },
        ],
    ];
    for (const [text, expected] of accepted) {
        it(`accepts ${text}`, () => assert.deepStrictEqual(parseModelReference(text), { ok: true, value: expected }));
    }

    const rejected: [string, RegExp][] = [
        ["anthropic.*", /wildcards/],
        ["arn:aws:bedrock:*::foundation-model/anthropic.claude-v2", /wildcards/],
        ["eu.anthropic.claude-?", /wildcards/],
        ["claude-sonnet-4", /foundation model ID/],
        ["Anthropic.Claude", /foundation model ID/],
        ["anthropic.claude-v2 ", /foundation model ID/],
        ["arn:aws:bedrock:eu-west-1:123456789012:custom-model/abc", /custom-model-deployment/],
        ["arn:aws:bedrock:eu-west-1:123456789012:agent/ABCDEFGHIJ", /cannot be invoked/],
        ["arn:aws:bedrock:eu-west-1:123456789012:foundation-model/amazon.nova-pro-v1:0", /has no account/],
        ["arn:aws:bedrock::123456789012:provisioned-model/abc", /needs a region/],
        ["arn:aws:s3:::bucket/key", /Bedrock ARN/],
    ];
    for (const [text, rule] of rejected) {
        it(`rejects ${JSON.stringify(text)}`, () => {
            const parsed = parseModelReference(text);
            assert.strictEqual(parsed.ok, false);
            assert.match((parsed as { rule: string }).rule, rule);
        });
    }
});

describe("parsePrincipalArn", () => {
    const accepted = [
        ["arn:aws:iam::111111111111:role/portkey-gateway", "aws", "111111111111"],
        ["arn:aws:iam::185657066287:role/service-role/port-ai-bring-your-own-llm-eu-west-1", "aws", "185657066287"],
        ["arn:aws:iam::111111111111:user/gateway@example", "aws", "111111111111"],
        ["arn:aws:iam::111111111111:root", "aws", "111111111111"],
        ["arn:aws-cn:iam::111111111111:role/gw", "aws-cn", "111111111111"],
    ];
    for (const [arn, partition, accountId] of accepted) {
        it(`accepts ${arn}`, () => assert.deepStrictEqual(parsePrincipalArn(arn), { ok: true, value: { arn, partition, accountId } }));
    }
    const rejected: [string, RegExp][] = [
        ["*", /wildcards/],
        ["arn:aws:iam::111111111111:role/*", /wildcards/],
        ["111111111111", /IAM role, user or account root ARN/],
        ["arn:aws:sts::111111111111:assumed-role/gw/session", /IAM role, user or account root ARN/],
        ["arn:aws:iam::11111111111:role/gw", /IAM role, user or account root ARN/],
        ["arn:aws:iam::111111111111:group/admins", /IAM role, user or account root ARN/],
    ];
    for (const [text, rule] of rejected) {
        it(`rejects ${text}`, () => {
            const parsed = parsePrincipalArn(text);
            assert.strictEqual(parsed.ok, false);
            assert.match((parsed as { rule: string }).rule, rule);
        });
    }
});

describe("parseGuardrailReference", () => {
    it("accepts an ID", () => assert.deepStrictEqual(parseGuardrailReference("gr7x2k9q1abc"), { ok: true, value: { guardrailId: "gr7x2k9q1abc" } }));
    it("accepts an ARN", () =>
        assert.deepStrictEqual(parseGuardrailReference("arn:aws:bedrock:eu-west-1:123456789012:guardrail/gr7x2k9q1abc"), {
            ok: true,
            value: { guardrailId: "gr7x2k9q1abc", arn: "arn:aws:bedrock:eu-west-1:123456789012:guardrail/gr7x2k9q1abc" },
        }));
    for (const text of ["gr*", "GR7X", "arn:aws:bedrock:eu-west-1:123456789012:guardrail-profile/x", ""]) {
        it(`rejects ${JSON.stringify(text)}`, () => assert.strictEqual(parseGuardrailReference(text).ok, false));
    }
});

describe("partitionOfRegion", () => {
    const table = [
        ["eu-west-1", "aws"],
        ["us-east-1", "aws"],
        ["cn-north-1", "aws-cn"],
        ["us-gov-west-1", "aws-us-gov"],
        ["us-iso-east-1", "aws-iso"],
        ["us-isob-east-1", "aws-iso-b"],
    ];
    for (const [region, partition] of table) it(`${region} -> ${partition}`, () => assert.strictEqual(partitionOfRegion(region), partition));
});

describe("invokeGrantFor", () => {
    it("grants a foundation model in the stack region only", () =>
        assert.deepStrictEqual(invokeGrantFor(location, { kind: "foundation-model", modelId: "amazon.nova-pro-v1:0" }), {
            directArns: ["arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0"],
            routedModelArns: [],
        }));
    it("grants a regional profile and its model in any region", () =>
        assert.deepStrictEqual(
            invokeGrantFor(location, { kind: "inference-profile", profileId: "eu.amazon.nova-pro-v1:0", geography: "eu", modelId: "amazon.nova-pro-v1:0" }),
            {
                directArns: ["arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.amazon.nova-pro-v1:0"],
                profileArn: "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.amazon.nova-pro-v1:0",
                routedModelArns: ["arn:aws:bedrock:*::foundation-model/amazon.nova-pro-v1:0"],
            },
        ));
    it("adds the region-less model ARN for global profiles", () =>
        assert.deepStrictEqual(
            invokeGrantFor(location, { kind: "inference-profile", profileId: "global.amazon.nova-pro-v1:0", geography: "global", modelId: "amazon.nova-pro-v1:0" })
                .routedModelArns,
            ["arn:aws:bedrock:*::foundation-model/amazon.nova-pro-v1:0", "arn:aws:bedrock:::foundation-model/amazon.nova-pro-v1:0"],
        ));
});
