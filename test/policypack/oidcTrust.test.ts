/**
 * iam-oidc-trust-pins-subject called directly: a compliant trust for each known provider, then one
 * change per case.
 */
import * as assert from "assert";
import { oidcTrustPinsSubject } from "../../policypack/policies/oidcTrust";
import { violationsOf } from "../assertions";

const ROLE = "aws:iam/role:Role";
const GITHUB = "token.actions.githubusercontent.com";
const PULUMI = "api.pulumi.com/oidc";

const statement = (provider: string, condition: Record<string, unknown> | undefined) => ({
    Sid: "Pipeline",
    Effect: "Allow",
    Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${provider}` },
    Action: "sts:AssumeRoleWithWebIdentity",
    ...(condition ? { Condition: condition } : {}),
});
const trust = (value: Record<string, unknown>, asString = true) => {
    const document = { Version: "2012-10-17", Statement: [value] };
    return violationsOf(oidcTrustPinsSubject, ROLE, { assumeRolePolicy: asString ? JSON.stringify(document) : document });
};
const github = (sub: Record<string, string>, aud: Record<string, string> = { StringEquals: "sts.amazonaws.com" }) => {
    const condition: Record<string, Record<string, string>> = {};
    for (const [operator, value] of Object.entries(aud)) condition[operator] = { ...condition[operator], [`${GITHUB}:aud`]: value };
    for (const [operator, value] of Object.entries(sub)) condition[operator] = { ...condition[operator], [`${GITHUB}:sub`]: value };
    return statement(GITHUB, condition);
};

describe("iam-oidc-trust-pins-subject", () => {
    const compliant: [string, Record<string, unknown>][] = [
        ["a GitHub branch, exactly", github({ StringEquals: "repo:acme/platform:ref:refs/heads/main" })],
        ["a GitHub environment, exactly", github({ StringEquals: "repo:acme/platform:environment:production" })],
        ["GitHub release branches by pattern after the branch prefix", github({ StringLike: "repo:acme/platform:ref:refs/heads/release-*" })],
        ["a pattern-free StringLike", github({ StringLike: "repo:acme/platform:pull_request" })],
        [
            "Pulumi Deployments, any operation of one stack",
            statement(PULUMI, { StringEquals: { [`${PULUMI}:aud`]: "aws:acme" }, StringLike: { [`${PULUMI}:sub`]: "pulumi:deploy:org:acme:project:bedrock-access:stack:prod:operation:*:scope:write" } }),
        ],
        ["upper-case condition keys", { ...statement(GITHUB, undefined), Condition: { StringEquals: { "TOKEN.ACTIONS.GITHUBUSERCONTENT.COM:AUD": "sts.amazonaws.com", "Token.Actions.GitHubUserContent.com:Sub": "repo:acme/platform:ref:refs/heads/main" } } }],
        ["a role trusted by an AWS principal only", { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "abc12" } } }],
        ["a Deny statement", { ...statement(GITHUB, undefined), Effect: "Deny" }],
    ];
    for (const [title, value] of compliant) {
        it(`passes ${title}`, async () => assert.deepStrictEqual(await trust(value), []));
    }
    it("reads the document given as an object too", async () => assert.deepStrictEqual(await trust(compliant[0][1], false), []));

    const violating: [string, Record<string, unknown>, RegExp][] = [
        ["no condition at all", statement(GITHUB, undefined), /without pinning its audience.*|lets any identity of/],
        ["no subject", github({}), /lets any identity of arn:aws:iam::123456789012:oidc-provider\/token\.actions\.githubusercontent\.com assume the role: pin the subject/],
        ["no audience", github({ StringEquals: "repo:acme/platform:ref:refs/heads/main" }, {}), /without pinning its audience/],
        ["a wildcard audience", github({ StringEquals: "repo:acme/platform:ref:refs/heads/main" }, { StringLike: "*" }), /without pinning its audience/],
        ["any repository", github({ StringLike: "repo:*" }), /StringLike token\.actions\.githubusercontent\.com:sub "repo:\*" has a wildcard before the branch or environment part/],
        ["any repository of the owner", github({ StringLike: "repo:acme/*:ref:refs/heads/main" }), /"repo:acme\/\*:ref:refs\/heads\/main" has a wildcard before the branch/],
        ["any ref of the repository", github({ StringLike: "repo:acme/platform:*" }), /"repo:acme\/platform:\*" has a wildcard before the branch/],
        ["an IfExists form, which passes when the claim is missing", github({ StringLikeIfExists: "repo:acme/platform:ref:refs/heads/main" }), /lets any identity of/],
        [
            "a Pulumi subject with a wildcard stack",
            statement(PULUMI, { StringEquals: { [`${PULUMI}:aud`]: "aws:acme" }, StringLike: { [`${PULUMI}:sub`]: "pulumi:deploy:org:acme:project:bedrock-access:stack:*" } }),
            /has a wildcard before the branch or environment part: write out pulumi:deploy:org:ORG/,
        ],
        [
            "a pattern for a provider whose format is unknown",
            statement("oidc.example.com", { StringEquals: { "oidc.example.com:aud": "aws" }, StringLike: { "oidc.example.com:sub": "team-*" } }),
            /"team-\*" is a pattern, and oidc\.example\.com's subject format is not known to this pack: use StringEquals/,
        ],
        ["every principal", { ...github({ StringEquals: "repo:acme/platform:ref:refs/heads/main" }), Principal: "*" }, /lets every principal assume the role with a web identity/],
    ];
    for (const [title, value, message] of violating) {
        it(`reports ${title}, naming the statement`, async () => {
            const violations = await trust(value);
            assert.ok(violations.length >= 1, "no violation");
            assert.ok(violations.every((violation) => violation.startsWith("assumeRolePolicy, statement Pipeline: ") || violation.startsWith("assumeRolePolicy, statement #0: ")), violations.join("\n"));
            assert.match(violations.join("\n"), message);
        });
    }
    it("reports an unparseable trust policy", async () => {
        const violations = await violationsOf(oidcTrustPinsSubject, ROLE, { assumeRolePolicy: "{" });
        assert.match(violations[0], /assumeRolePolicy is not valid JSON/);
    });
});
