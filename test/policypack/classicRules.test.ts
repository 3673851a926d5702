/**
 * The four rules for the classic IAM mistakes and the confused-deputy rule's account, called as the
 * SDK calls them: a compliant case, then one change per case.
 */
import * as assert from "assert";
import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { modelRegionsPinned } from "../../policypack/policies/bedrockResources";
import { bedrockEndpointPerimeter } from "../../policypack/policies/endpointPerimeter";
import { resourcePoliciesNotPublic } from "../../policypack/policies/publicExposure";
import { isUnscopedResource, resourcesScoped } from "../../policypack/policies/resourceScope";
import { serviceTrustConfusedDeputy, stackPinProblems } from "../../policypack/policies/servicePrincipals";
import { accountList } from "../../policypack/policies/stackAccount";
import { trustNamesPrincipals } from "../../policypack/policies/trustPolicies";
import { ValidationContext, violationsOf } from "../assertions";

const document = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const DEFAULT_PROVIDER = { type: "pulumi:providers:aws", name: "default", props: { allowedAccountIds: '["123456789012"]' } };

interface Case {
    readonly title: string;
    readonly statement: Record<string, unknown>;
    /** A pattern the one violation must match; undefined when the statement passes. */
    readonly violation?: RegExp;
}

function table(check: (statement: Record<string, unknown>) => Promise<string[]>, cases: readonly Case[]): void {
    for (const testCase of cases) {
        it(`${testCase.violation ? "reports" : "passes"} ${testCase.title}`, async () => {
            const violations = await check(testCase.statement);
            if (!testCase.violation) return assert.deepStrictEqual(violations, []);
            assert.strictEqual(violations.length, 1, violations.join("\n"));
            assert.match(violations[0], testCase.violation);
        });
    }
}

describe("iam-trust-names-principals", () => {
    const trust = { Sid: "Vendor", Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" };
    const check = (statement: Record<string, unknown>) => violationsOf(trustNamesPrincipals, "aws:iam/role:Role", { assumeRolePolicy: document(statement) });
    table(check, [
        { title: "a named role", statement: { ...trust, Principal: { AWS: "arn:aws:iam::111111111111:role/gw" } } },
        { title: "* narrowed by an exact aws:PrincipalOrgID", statement: { ...trust, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } } },
        { title: "* narrowed by an exact aws:PrincipalArn (ArnEquals)", statement: { ...trust, Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/gw" } } } },
        { title: "* narrowed by aws:PrincipalAccount", statement: { ...trust, Condition: { StringEquals: { "AWS:PrincipalAccount": "111111111111" } } } },
        { title: "a Deny of *", statement: { ...trust, Effect: "Deny" } },
        { title: "a service principal", statement: { ...trust, Principal: { Service: "ec2.amazonaws.com" } } },
        { title: '* alone, quoting {"AWS": "*"}', statement: trust, violation: /statement Vendor: admits "Principal": \{"AWS": "\*"\} \(every principal of every AWS account\)\. Instead, name/ },
        { title: "* narrowed only with an IfExists form", statement: { ...trust, Condition: { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }, violation: /admits/ },
        { title: "* narrowed by a pattern of aws:PrincipalArn", statement: { ...trust, Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/gw" } } }, violation: /admits/ },
        { title: "* narrowed by a malformed aws:PrincipalAccount", statement: { ...trust, Condition: { StringEquals: { "aws:PrincipalAccount": "1111" } } }, violation: /admits/ },
        { title: "* narrowed by aws:SourceIp (not a caller's identity)", statement: { ...trust, Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } } }, violation: /admits/ },
        { title: "a federated principal with a wildcard", statement: { ...trust, Principal: { Federated: "arn:aws:iam::1:oidc-provider/*" }, Action: "sts:TagSession" }, violation: /the Federated principal "arn:aws:iam::1:oidc-provider\/\*", a wildcard/ },
        {
            title: "SAML trust with a pattern for SAML:aud",
            statement: { ...trust, Principal: { Federated: "arn:aws:iam::123456789012:saml-provider/Okta" }, Action: "sts:AssumeRoleWithSAML", Condition: { StringLike: { "SAML:aud": "https://*" } } },
            violation: /without pinning SAML:aud/,
        },
        {
            title: "SAML trust pinning SAML:aud, keys in any case",
            statement: { ...trust, Principal: { Federated: "arn:aws:iam::123456789012:saml-provider/Okta" }, Action: "sts:AssumeRoleWithSAML", Condition: { StringEquals: { "saml:AUD": "https://signin.aws.amazon.com/saml" } } },
        },
    ]);
    it("does not judge identity or resource policies", async () => {
        assert.deepStrictEqual(await violationsOf(trustNamesPrincipals, "aws:s3/bucketPolicy:BucketPolicy", { policy: document({ ...trust, Action: "s3:GetObject", Resource: "*" }) }), []);
    });
});

describe("iam-resources-scoped", () => {
    const grant = { Sid: "Grant", Effect: "Allow" };
    const check = (statement: Record<string, unknown>) => violationsOf(resourcesScoped, "aws:iam/rolePolicy:RolePolicy", { policy: document({ ...grant, ...statement }) });
    table(check, [
        { title: "object reads of one bucket", statement: { Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*" } },
        { title: "passing the account's roles to one service", statement: { Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/*", Condition: { StringEquals: { "iam:PassedToService": "bedrock.amazonaws.com" } } } },
        { title: "a write bound by aws:ResourceTag", statement: { Action: "sqs:SendMessage", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/team": "ml" } } } },
        { title: "a listing action on *", statement: { Action: "s3:ListBucket", Resource: "*" } },
        { title: "a read of metadata on *", statement: { Action: "logs:DescribeLogGroups", Resource: "*" } },
        { title: "cloudwatch:PutMetricData on * (its dataset is optional)", statement: { Action: "cloudwatch:PutMetricData", Resource: "*" } },
        { title: "a *-only action", statement: { Action: "ecr:GetAuthorizationToken", Resource: "*" } },
        { title: "a Deny on *", statement: { Effect: "Deny", Action: "iam:PassRole", Resource: "*" } },
        { title: "s3:GetObject on arn:aws:s3:::*", statement: { Action: "s3:GetObject", Resource: "arn:aws:s3:::*" }, violation: /grants s3:GetObject on "arn:aws:s3:::\*"/ },
        { title: "s3:PutObject on * (one of two resource types is always named)", statement: { Action: "s3:PutObject", Resource: "*" }, violation: /grants s3:PutObject on "\*"/ },
        { title: "iam:PutRolePolicy on every role of every account", statement: { Action: "iam:PutRolePolicy", Resource: "arn:aws:iam::*:role/*" }, violation: /grants iam:PutRolePolicy on "arn:aws:iam::\*:role\/\*"/ },
        { title: "a write bound only by a negated tag condition", statement: { Action: "sqs:SendMessage", Resource: "*", Condition: { StringNotEquals: { "aws:ResourceTag/team": "ml" } } }, violation: /grants sqs:SendMessage/ },
        { title: "a write bound only by an IfExists tag condition", statement: { Action: "sqs:SendMessage", Resource: "*", Condition: { StringEqualsIfExists: { "aws:ResourceTag/team": "ml" } } }, violation: /grants sqs:SendMessage/ },
        { title: "kms:Decrypt on * with kms:ViaService (the path, not the key)", statement: { Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } } }, violation: /grants kms:Decrypt on "\*"/ },
        { title: "a service wildcard, quoting the pattern", statement: { Action: "secretsmanager:Get*", Resource: "*" }, violation: /grants secretsmanager:GetSecretValue.* \(through "secretsmanager:Get\*"\) on "\*"/ },
        { title: "iam:PassRole to any service", statement: { Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/app", Condition: { StringLike: { "iam:PassedToService": "*" } } }, violation: /without "iam:PassedToService"/ },
    ]);
    it("reports Action * on *, naming permissions management first, and PassRole's missing service", async () => {
        const violations = await check({ Action: "*", Resource: "*" });
        assert.strictEqual(violations.length, 2, violations.join("\n"));
        assert.match(violations[0], /grants [a-z0-9-]+:[A-Za-z]+, .* and \d+ more \(through "\*"\) on "\*"/);
        assert.match(violations[1], /grants iam:PassRole without "iam:PassedToService"/);
    });
    it("reports NotResource and NotAction", async () => {
        assert.match((await check({ Action: "kms:Decrypt", NotResource: "arn:aws:kms:eu-west-1:123456789012:key/k" }))[0], /through NotResource \["arn:aws:kms:eu-west-1:123456789012:key\/k"\]/);
        assert.match((await check({ NotAction: "iam:*", Resource: "*" }))[0], /\(through NotAction \["iam:\*"\]\) on "\*"/);
    });
    it("does not judge trust or resource policies (there * is the resource itself)", async () => {
        const open = document({ ...grant, Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "s3:GetObject", Resource: "*" });
        assert.deepStrictEqual(await violationsOf(resourcesScoped, "aws:kms/key:Key", { policy: open }), []);
        assert.deepStrictEqual(await violationsOf(resourcesScoped, "aws:iam/role:Role", { assumeRolePolicy: document({ ...grant, Principal: { AWS: "*" }, Action: "sts:AssumeRole" }) }), []);
    });
    it("knows which ARNs are unscoped", () => {
        assert.deepStrictEqual(
            [
                "*",
                "arn:aws:s3:::*",
                "arn:aws:s3:::*/*",
                "arn:aws:kms:*:*:key/*",
                "arn:aws:iam::*:role/*",
                "arn:aws:s3:::b/*",
                "arn:aws:iam::123456789012:role/*",
                "arn:aws:ssm:eu-west-1:*:parameter/app/*",
                "arn:aws:dynamodb:*:*:table/orders",
                "arn:aws:logs:eu-west-1:123456789012:*",
            ].map(isUnscopedResource),
            [true, true, true, true, true, false, false, false, false, false],
        );
    });
});

describe("aws-resource-policies-not-public", () => {
    const open = { Sid: "Open", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" };
    const check = (statement: Record<string, unknown>, context: ValidationContext = { provider: DEFAULT_PROVIDER }) =>
        violationsOf(resourcePoliciesNotPublic, "aws:s3/bucketPolicy:BucketPolicy", { bucket: "b", policy: document(statement) }, context);
    const service = { Sid: "Service", Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::b/*" };
    table(check, [
        { title: "* narrowed to this account by aws:PrincipalAccount", statement: { ...open, Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012" } } } },
        { title: "* narrowed to a VPC endpoint", statement: { ...open, Condition: { StringEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } } } },
        { title: "a named account", statement: { ...open, Principal: { AWS: "arn:aws:iam::111111111111:root" } } },
        { title: "a Deny of *", statement: { ...open, Effect: "Deny" } },
        { title: "a service pinned by aws:SourceAccount of this account", statement: { ...service, Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } } },
        { title: "a service pinned by aws:SourceArn of a bucket (no account in its ARN)", statement: { ...service, Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::source-bucket" } } } },
        { title: "* narrowed by aws:PrincipalAccount of another account", statement: { ...open, Condition: { StringEquals: { "aws:PrincipalAccount": "999999999999" } } }, violation: /narrows it to this stack's account 123456789012 \(the stack's aws:allowedAccountIds\)/ },
        { title: "* narrowed only by aws:SourceIp", statement: { ...open, Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } } }, violation: /statement Open: admits "Principal": "\*"/ },
        { title: "an AWS principal with a wildcard", statement: { ...open, Principal: { AWS: "arn:aws:iam::*:root" } }, violation: /admits the AWS principal\(s\) "arn:aws:iam::\*:root"/ },
        { title: "NotPrincipal", statement: { ...open, Principal: undefined, NotPrincipal: { AWS: "arn:aws:iam::111111111111:root" } }, violation: /admits NotPrincipal/ },
        { title: "a service with no source condition", statement: service, violation: /lets logging\.s3\.amazonaws\.com act on the resource without aws:SourceAccount or aws:SourceArn of this stack's account 123456789012/ },
        { title: "a service pinned to another account", statement: { ...service, Condition: { StringEquals: { "aws:SourceAccount": "999999999999" } } }, violation: /without aws:SourceAccount or aws:SourceArn/ },
        { title: "a service pinned with an IfExists form", statement: { ...service, Condition: { StringEqualsIfExists: { "aws:SourceAccount": "123456789012" } } }, violation: /without aws:SourceAccount/ },
    ]);
    it("without the stack's account, accepts any one exact account", async () => {
        assert.deepStrictEqual(await check({ ...service, Condition: { StringEquals: { "aws:SourceAccount": "999999999999" } } }, {}), []);
        assert.deepStrictEqual(await check({ ...service, Condition: { StringEquals: { "aws:SourceAccount": "999999999999" } } }, { config: { accountId: "999999999999" } }), []);
        assert.strictEqual((await check({ ...service, Condition: { StringLike: { "aws:SourceAccount": "*" } } }, {})).length, 1);
    });
    it("leaves VPC endpoint policies to the endpoint rules, and Bedrock to the confused-deputy rule", async () => {
        for (const type of ["aws:ec2/vpcEndpoint:VpcEndpoint", "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy"]) {
            assert.deepStrictEqual(await violationsOf(resourcePoliciesNotPublic, type, { policy: document(open) }), []);
        }
        assert.deepStrictEqual(await check({ ...service, Principal: { Service: "bedrock.amazonaws.com" } }), []);
    });
    const permission = (props: Record<string, unknown>) =>
        violationsOf(resourcePoliciesNotPublic, "aws:lambda/permission:Permission", { action: "lambda:InvokeFunction", function: "f", ...props }, { provider: DEFAULT_PROVIDER });
    it("judges Lambda permissions: *, function URLs, services and their source", async () => {
        assert.deepStrictEqual(await permission({ principal: "*", principalOrgId: "o-a1b2c3d4e5" }), []);
        assert.deepStrictEqual(await permission({ principal: "*", sourceAccount: "123456789012" }), []);
        assert.match((await permission({ principal: "*", functionUrlAuthType: "NONE" }))[0], /makes the function URL public/);
        assert.match((await permission({ principal: "events.amazonaws.com" }))[0], /principal "events\.amazonaws\.com" may invoke the function for any account/);
        assert.deepStrictEqual(await permission({ principal: "events.amazonaws.com", sourceArn: "arn:aws:events:eu-west-1:123456789012:rule/r" }), []);
        assert.strictEqual((await permission({ principal: "events.amazonaws.com", sourceArn: "arn:aws:events:eu-west-1:999999999999:rule/r" })).length, 1);
        assert.deepStrictEqual(await permission({ principal: "bedrock.amazonaws.com" }), [], "Bedrock's is the confused-deputy rule's");
    });
});

describe("bedrock-model-regions-pinned", () => {
    const invoke = { Sid: "Invoke", Effect: "Allow", Action: "bedrock:InvokeModel" };
    const profile = "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.amazon.nova-pro-v1:0";
    const check = (statement: Record<string, unknown>) => violationsOf(modelRegionsPinned, "aws:iam/rolePolicy:RolePolicy", { policy: document({ ...invoke, ...statement }) });
    table(check, [
        { title: "a model in one region", statement: { Resource: "arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0" } },
        { title: "any region under an exact profile", statement: { Resource: "arn:aws:bedrock:*::foundation-model/amazon.nova-pro-v1:0", Condition: { StringEquals: { "bedrock:InferenceProfileArn": profile } } } },
        {
            title: "any region under the profiles of one region and account (the compact form)",
            statement: { Resource: "arn:aws:bedrock:*::foundation-model/amazon.nova-pro-v1:0", Condition: { ArnLike: { "bedrock:InferenceProfileArn": "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/*" } } },
        },
        { title: "an application inference profile", statement: { Resource: "arn:aws:bedrock:::foundation-model/amazon.nova-pro-v1:0", Condition: { ArnEquals: { "bedrock:InferenceProfileArn": "arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/a1b2c3" } } } },
        { title: "a region pattern", statement: { Resource: "arn:aws:bedrock:eu-*::foundation-model/amazon.nova-pro-v1:0" }, violation: /statement Invoke: names "arn:aws:bedrock:eu-\*::foundation-model\/amazon\.nova-pro-v1:0", a foundation model in any region/ },
        { title: "an IfExists profile condition", statement: { Resource: "arn:aws:bedrock:*::foundation-model/m", Condition: { StringEqualsIfExists: { "bedrock:InferenceProfileArn": profile } } }, violation: /names/ },
        { title: "a Null check of the profile (any profile of any account)", statement: { Resource: "arn:aws:bedrock:*::foundation-model/m", Condition: { Null: { "bedrock:InferenceProfileArn": "false" } } }, violation: /names/ },
        { title: "a profile of any region", statement: { Resource: "arn:aws:bedrock:*::foundation-model/m", Condition: { ArnLike: { "bedrock:InferenceProfileArn": "arn:aws:bedrock:*:123456789012:inference-profile/*" } } }, violation: /names/ },
    ]);
    it("judges resource policies too, but not trust policies nor endpoint policies (which grant nothing)", async () => {
        const open = document({ ...invoke, Principal: { AWS: "arn:aws:iam::123456789012:role/gw" }, Resource: "arn:aws:bedrock:*::foundation-model/m" });
        assert.strictEqual((await violationsOf(modelRegionsPinned, "aws:sqs/queuePolicy:QueuePolicy", { policy: open })).length, 1);
        assert.deepStrictEqual(await violationsOf(modelRegionsPinned, "aws:iam/role:Role", { assumeRolePolicy: open }), []);
        assert.deepStrictEqual(await violationsOf(modelRegionsPinned, "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy", { policy: open }), []);
    });
});

describe("bedrock-service-trust-confused-deputy: this stack's account", () => {
    const trust = (account: string) =>
        document({ Sid: "Bedrock", Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": account } } });
    const check = (account: string, context: ValidationContext) => violationsOf(serviceTrustConfusedDeputy, "aws:iam/role:Role", { assumeRolePolicy: trust(account) }, context);
    it("reads allowedAccountIds as the stack's JSON text or a declared provider's list, and any of several", async () => {
        assert.deepStrictEqual(await check("123456789012", { provider: DEFAULT_PROVIDER }), []);
        assert.match((await check("999999999999", { provider: DEFAULT_PROVIDER }))[0], /account 999999999999 is not this stack's account 123456789012 \(the stack's aws:allowedAccountIds\)/);
        const declared = { type: "pulumi:providers:aws", name: "eu", props: { allowedAccountIds: ["123456789012", "210987654321"] } };
        assert.deepStrictEqual(await check("210987654321", { provider: declared }), []);
        assert.match((await check("999999999999", { provider: declared }))[0], /not this stack's account 123456789012 or 210987654321 \(allowedAccountIds of provider eu\)/);
    });
    it("prefers the provider to the configuration, and uses the configuration when the provider names none", async () => {
        assert.deepStrictEqual(await check("123456789012", { provider: DEFAULT_PROVIDER, config: { accountId: "999999999999" } }), []);
        assert.strictEqual((await check("999999999999", { provider: { type: "pulumi:providers:aws", name: "default", props: { region: "eu-west-1" } }, config: { accountId: "123456789012" } })).length, 1);
        assert.deepStrictEqual(await check("999999999999", {}), [], "no account known: the stack policy judges consistency");
    });
    it("names both accounts for an aws:SourceArn and a Lambda permission", async () => {
        const arnTrust = document({ Sid: "Bedrock", Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { ArnLike: { "aws:SourceArn": "arn:aws:bedrock:eu-west-1:999999999999:flow/*" } } });
        assert.match((await violationsOf(serviceTrustConfusedDeputy, "aws:iam/role:Role", { assumeRolePolicy: arnTrust }, { provider: DEFAULT_PROVIDER }))[0], /aws:SourceArn "arn:aws:bedrock:eu-west-1:999999999999:flow\/\*": account 999999999999 is not this stack's account 123456789012/);
        const permission = await violationsOf(serviceTrustConfusedDeputy, "aws:lambda/permission:Permission", { principal: "bedrock.amazonaws.com", sourceAccount: "999999999999" }, { provider: DEFAULT_PROVIDER });
        assert.match(permission[0], /invoke the function for sourceAccount "999999999999": account 999999999999 is not this stack's account 123456789012/);
    });
    it("reads allowedAccountIds in the forms the engine sends, and refuses anything else", () => {
        assert.deepStrictEqual(accountList('["123456789012"]'), ["123456789012"]);
        assert.deepStrictEqual(accountList(["123456789012"]), ["123456789012"]);
        assert.deepStrictEqual(accountList("123456789012"), ["123456789012"]);
        assert.strictEqual(accountList('["1234"]'), undefined);
        assert.strictEqual(accountList("[not json"), undefined);
        assert.strictEqual(accountList(undefined), undefined);
    });
    it("over the stack: a tie between two accounts reports both sides", () => {
        const resource = (urn: string, account: string) => ({ urn, type: "aws:iam/role:Role", props: { assumeRolePolicy: trust(account) } });
        const problems = stackPinProblems([resource("a", "111111111111"), resource("b", "222222222222")], {});
        assert.deepStrictEqual(problems.map((problem) => problem.urn), ["a", "b"]);
        assert.deepStrictEqual(stackPinProblems([resource("a", "111111111111"), resource("b", "222222222222")], { accountId: "111111111111" }), [], "the resource policy judges with the configuration");
    });
});

const VPC_ENDPOINT_TYPE = "aws:ec2/vpcEndpoint:VpcEndpoint";
const STACK_PROVIDER = { ...DEFAULT_PROVIDER, urn: "urn:pulumi:test::bedrock-access::pulumi:providers:aws::default" };
function stackResource(name: string, type: string, props: Record<string, unknown>, propertyDependencies: Record<string, PolicyResource[]> = {}): PolicyResource {
    return { type, name, urn: `urn:pulumi:test::bedrock-access::${type}::${name}`, props, opts: {}, provider: STACK_PROVIDER, dependencies: Object.values(propertyDependencies).flat(), propertyDependencies } as unknown as PolicyResource;
}
/** The stack-level violations of the perimeter rule, called as the SDK calls validateStack. */
async function stackViolations(resources: PolicyResource[]): Promise<{ message: string; urn?: string }[]> {
    const violations: { message: string; urn?: string }[] = [];
    const validate = (bedrockEndpointPerimeter as unknown as { validateStack?: (args: StackValidationArgs, report: (message: string, urn?: string) => void) => Promise<void> }).validateStack;
    assert.ok(validate, "bedrock-endpoint-perimeter validates the stack");
    await validate({ resources, getConfig: () => ({}) } as unknown as StackValidationArgs, (message, urn) => violations.push({ message, urn }));
    return violations;
}

describe("bedrock-endpoint-perimeter", () => {
    const endpoint = (policy: string | undefined, serviceName = "com.amazonaws.eu-west-1.bedrock-runtime") =>
        violationsOf(bedrockEndpointPerimeter, "aws:ec2/vpcEndpoint:VpcEndpoint", { serviceName, vpcEndpointType: "Interface", ...(policy === undefined ? {} : { policy }) }, { provider: DEFAULT_PROVIDER });
    const base = { Sid: "Perimeter", Effect: "Allow", Principal: "*", Action: "bedrock:*", Resource: "*" };
    const check = (statement: Record<string, unknown>) => endpoint(document(statement));
    table(check, [
        { title: "the account's principals to the account's resources", statement: { ...base, Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012", "aws:ResourceAccount": "123456789012" } } } },
        { title: "the organization's principals to the organization's resources", statement: { ...base, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:ResourceOrgID": "o-a1b2c3d4e5" } } } },
        { title: "the account's principals to AWS's foundation models (no model named)", statement: { ...base, Resource: "arn:aws:bedrock:*::foundation-model/*", Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012" } } } },
        { title: "the account's principals on calls that name no resource (Null aws:ResourceAccount, resource-less actions)", statement: { ...base, Action: ["bedrock:ListFoundationModels", "bedrock:PutModelInvocationLoggingConfiguration"], Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012" }, Null: { "aws:ResourceAccount": "true" } } } },
        { title: "Null aws:ResourceAccount on bedrock:*, which takes resources", statement: { ...base, Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012" }, Null: { "aws:ResourceAccount": "true" } } }, violation: /reach resources of any account/ },
        { title: "Null aws:ResourceAccount on one resource-taking action", statement: { ...base, Action: ["bedrock:ListFoundationModels", "bedrock:InvokeModel"], Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012" }, Null: { "aws:ResourceAccount": "true" } } }, violation: /reach resources of any account/ },
        { title: "the stack's account as Principal", statement: { ...base, Principal: { AWS: "arn:aws:iam::123456789012:root" }, Condition: { StringEquals: { "aws:ResourceAccount": "123456789012" } } } },
        { title: "a named role of another account as Principal", statement: { ...base, Principal: { AWS: "arn:aws:iam::999999999999:role/gw" }, Condition: { StringEquals: { "aws:ResourceAccount": "123456789012" } } } },
        { title: "another account as Principal", statement: { ...base, Principal: { AWS: "999999999999" }, Condition: { StringEquals: { "aws:ResourceAccount": "123456789012" } } }, violation: /principals of any account/ },
        { title: "another account's root as Principal", statement: { ...base, Principal: { AWS: "arn:aws:iam::999999999999:root" }, Condition: { StringEquals: { "aws:ResourceAccount": "123456789012" } } }, violation: /principals of any account/ },
        { title: "a wildcard in a resource ARN's account", statement: { ...base, Resource: "arn:aws:bedrock:*:1*:inference-profile/*", Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012" } } }, violation: /reach resources of any account/ },
        { title: "a named resource of the stack's account", statement: { ...base, Resource: "arn:aws:bedrock:*:123456789012:inference-profile/*", Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012" } } } },
        { title: "named roles by aws:PrincipalArn", statement: { ...base, Resource: "arn:aws:bedrock:*::foundation-model/*", Condition: { ArnEquals: { "aws:PrincipalArn": ["arn:aws:iam::999999999999:role/gw"] } } } },
        { title: "principals of any account", statement: { ...base, Condition: { StringEquals: { "aws:ResourceAccount": "123456789012" } } }, violation: /statement Perimeter: lets through principals of any account: narrow them with "StringEquals": \{"aws:PrincipalAccount": "123456789012"\}/ },
        { title: "principals of another account than the stack's", statement: { ...base, Condition: { StringEquals: { "aws:PrincipalAccount": "999999999999", "aws:ResourceAccount": "123456789012" } } }, violation: /principals of any account/ },
        { title: "a wildcard organization", statement: { ...base, Condition: { StringLike: { "aws:PrincipalOrgID": "o-*", "aws:ResourceAccount": "123456789012" } } }, violation: /principals of any account/ },
        { title: "resources of any account, aws:ResourceAccount merely present", statement: { ...base, Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012" }, Null: { "aws:ResourceAccount": "false" } } }, violation: /reach resources of any account/ },
        { title: "resources of any account", statement: { ...base, Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012" } } }, violation: /statement Perimeter: lets calls reach resources of any account/ },
    ]);
    it("reports a foreign root on everything with only Null aws:ResourceAccount: both its principals and its resources", async () => {
        const violations = await check({ Sid: "Perimeter", Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "*", Resource: "*", Condition: { Null: { "aws:ResourceAccount": "true" } } });
        assert.strictEqual(violations.length, 2, violations.join("\n"));
        assert.match(violations[0], /principals of any account/);
        assert.match(violations[1], /reach resources of any account/);
    });
    it("reports a Bedrock endpoint without a policy (AWS's default admits everyone), and a deny-all one passes as the restriction it is", async () => {
        assert.deepStrictEqual(await endpoint(undefined), [], "judged with the stack, where a VpcEndpointPolicy may give it one");
        const alone = await stackViolations([stackResource("endpoint", VPC_ENDPOINT_TYPE, { serviceName: "com.amazonaws.eu-west-1.bedrock-runtime" })]);
        assert.strictEqual(alone.length, 1);
        assert.match(alone[0].message, /com\.amazonaws\.eu-west-1\.bedrock-runtime has no policy: AWS's default lets every principal through/);
        assert.deepStrictEqual(await endpoint(document({ Sid: "Closed", Effect: "Deny", Principal: "*", Action: "*", Resource: "*" })), []);
    });

    describe("aws.ec2.VpcEndpointPolicy", () => {
        const open = document({ Sid: "Open", Effect: "Allow", Principal: "*", Action: "bedrock:*", Resource: "*" });
        const perimeterPolicy = document({ ...base, Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012", "aws:ResourceAccount": "123456789012" } } });
        const bedrockEndpoint = stackResource("runtime", VPC_ENDPOINT_TYPE, { serviceName: "com.amazonaws.eu-west-1.bedrock-runtime", id: "vpce-0a1b2c3d4e5f60718" });
        const s3Endpoint = stackResource("s3", VPC_ENDPOINT_TYPE, { serviceName: "com.amazonaws.eu-west-1.s3" });
        const policyFor = (policy: string, endpointResource?: PolicyResource, vpcEndpointId: unknown = undefined) =>
            stackResource("endpoint-policy", "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy", { policy, ...(vpcEndpointId === undefined ? {} : { vpcEndpointId }) }, endpointResource ? { vpcEndpointId: [endpointResource] } : {});

        it("judges the policy of a Bedrock endpoint of the stack by the same rule, and then the endpoint has a policy", async () => {
            const violations = await stackViolations([bedrockEndpoint, policyFor(open, bedrockEndpoint)]);
            assert.deepStrictEqual(violations.map((violation) => violation.urn), [policyFor(open).urn, policyFor(open).urn]);
            assert.match(violations[0].message, /bedrock-runtime: policy, statement Open: lets through principals of any account/);
            assert.match(violations[1].message, /lets calls reach resources of any account/);
            assert.deepStrictEqual(await stackViolations([bedrockEndpoint, policyFor(perimeterPolicy, bedrockEndpoint)]), []);
        });
        it("links by the endpoint's id when no dependency says which it is", async () => {
            assert.strictEqual((await stackViolations([bedrockEndpoint, policyFor(open, undefined, "vpce-0a1b2c3d4e5f60718")])).length, 2);
            assert.deepStrictEqual(await stackViolations([bedrockEndpoint, policyFor(perimeterPolicy, undefined, "vpce-0a1b2c3d4e5f60718")]), []);
        });
        it("leaves the policy of another service's endpoint of the stack alone", async () => {
            assert.deepStrictEqual(await stackViolations([s3Endpoint, policyFor(open, s3Endpoint)]), []);
        });
        it("judges the policy of an endpoint outside the stack when it bears on Bedrock's actions", async () => {
            assert.strictEqual((await stackViolations([policyFor(open, undefined, "vpce-0fffffffffffffff0")])).length, 2);
            assert.strictEqual((await stackViolations([policyFor(document({ Sid: "All", Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }), undefined, "vpce-0fffffffffffffff0")])).length, 2);
            assert.deepStrictEqual(await stackViolations([policyFor(document({ Sid: "S3", Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" }), undefined, "vpce-0fffffffffffffff0")]), []);
        });
    });
    it("judges only the endpoints of Bedrock's APIs", async () => {
        assert.deepStrictEqual(await endpoint(document(base), "com.amazonaws.eu-west-1.s3"), []);
        assert.strictEqual((await endpoint(document(base), "com.amazonaws.eu-west-1.bedrock-agent-runtime")).length, 2);
    });
});
