/**
 * IAM Access Analyzer in preview (opt-in): in process through `aws-sdk-client-mock`, and end to end
 * with the pack started by the engine's launcher, calling a local server that speaks Access
 * Analyzer's REST-JSON API. Responses are written in the API's documented shapes, not captured from
 * an account: nothing here has been run against AWS.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as http from "http";
import { AddressInfo } from "net";
import * as path from "path";
import {
    AccessAnalyzerClient,
    CheckNoPublicAccessCommand,
    CheckNoPublicAccessCommandInput,
    ValidatePolicyCommand,
    ValidatePolicyCommandInput,
    ValidatePolicyFinding,
} from "@aws-sdk/client-accessanalyzer";
import { PolicyResource, StackValidationArgs, unknownCheckingProxy } from "@pulumi/policy";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { plainValue } from "../../offline/engine/mockEngine";
import { loadStackConfig } from "../../offline/engine/stackFile";
import { AnalyzedResource, PolicyDiagnostic, PolicyPackClient, POLICY_PACK_DIR, UNKNOWN_VALUE } from "../../offline/engine/policyPackClient";
import { lendPack } from "../commands";
import {
    ACCESS_ANALYZER_ADVISORIES,
    ACCESS_ANALYZER_FINDINGS,
    AccessAnalyzerConfig,
    AnalyzedStackResource,
    accessAnalyzerAdvisories,
    accessAnalyzerFindings,
    accessAnalyzerRegion,
    clearAccessAnalyzerCache,
} from "../../policypack/policies/accessAnalyzer";
import { locationText } from "../../policypack/policies/accessAnalyzerFindings";
import { analyzerRequestsOf, requestKey } from "../../policypack/policies/accessAnalyzerRequests";
import { runProgram } from "../harness";
import { NO_AWS_CREDENTIALS } from "../awsEnvironment";

const ON: AccessAnalyzerConfig = { accessAnalyzer: true, region: "eu-west-1" };

const trustPolicy = {
    Version: "2012-10-17",
    Statement: [{ Sid: "Gateway", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:role/gw" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "abc12" } } }],
};
const invokePolicy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "bedrock:InvokeModel", Resource: "arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0" }] };
const keyPolicy = { Version: "2012-10-17", Statement: [{ Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }] };

function stackResource(type: string, name: string, props: Record<string, unknown>): AnalyzedStackResource {
    return { type, urn: `urn:pulumi:test::bedrock-access::${type}::${name}`, props };
}

const role = (name: string, assumeRolePolicy: unknown = JSON.stringify(trustPolicy)) => stackResource("aws:iam/role:Role", name, { assumeRolePolicy });
const rolePolicy = (name: string, policy: unknown = JSON.stringify(invokePolicy)) => stackResource("aws:iam/rolePolicy:RolePolicy", name, { policy });

interface Reported {
    readonly policy: string;
    readonly message: string;
    readonly urn?: string;
}

/** Runs both policies in the pack's order, as the SDK runs stack policies, and collects what they report. */
async function runPolicies(resources: readonly AnalyzedStackResource[], config: AccessAnalyzerConfig): Promise<Reported[]> {
    const reported: Reported[] = [];
    for (const policy of [accessAnalyzerFindings, accessAnalyzerAdvisories]) {
        const args: StackValidationArgs = {
            resources: resources as unknown as PolicyResource[],
            stackTags: new Map(),
            getConfig: <T extends object>() => (policy === accessAnalyzerFindings ? config : {}) as T,
            notApplicable: (reason?: string) => {
                throw new Error(`not applicable: ${reason}`);
            },
        };
        await policy.validateStack(args, (message, urn) => reported.push(urn === undefined ? { policy: policy.name, message } : { policy: policy.name, message, urn }));
    }
    return reported;
}

const finding = (findingType: ValidatePolicyFinding["findingType"], issueCode: string): ValidatePolicyFinding => ({
    findingType,
    issueCode,
    findingDetails: `Details of ${issueCode}.`,
    learnMoreLink: `https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#${issueCode}`,
    locations: [
        {
            path: [{ key: "Statement" }, { index: 0 }, { key: "Action" }],
            span: { start: { line: 1, column: 40, offset: 40 }, end: { line: 1, column: 60, offset: 60 } },
        },
    ],
});

describe("IAM Access Analyzer, in process (aws-sdk-client-mock)", () => {
    // Installed when the tests run, not when the file loads, so that no other file's restore undoes it.
    let analyzer: AwsClientStub<AccessAnalyzerClient>;
    before(() => (analyzer = mockClient(AccessAnalyzerClient)));
    beforeEach(() => {
        analyzer.reset();
        clearAccessAnalyzerCache();
        analyzer.on(ValidatePolicyCommand).resolves({ findings: [] });
        analyzer.on(CheckNoPublicAccessCommand).resolves({ result: "PASS", message: "The resource policy does not grant public access for the given resource type.", reasons: [] });
    });
    after(() => analyzer.restore());

    it("sends nothing when the option is off or not set", async () => {
        for (const config of [{}, { accessAnalyzer: false }, { region: "eu-west-1" }]) {
            assert.deepStrictEqual(await runPolicies([role("gw"), rolePolicy("invoke")], config), []);
        }
        assert.strictEqual(analyzer.calls().length, 0);
    });

    it("reports ERROR and SECURITY_WARNING findings as violations, WARNING and SUGGESTION as advisories, with issue code, details and location", async () => {
        analyzer.on(ValidatePolicyCommand).resolves({
            findings: [finding("ERROR", "INVALID_ACTION"), finding("SECURITY_WARNING", "PASS_ROLE_WITH_STAR_IN_RESOURCE"), finding("WARNING", "REDUNDANT_ACTION"), finding("SUGGESTION", "EMPTY_ARRAY_ACTION")],
        });
        const reported = await runPolicies([rolePolicy("invoke")], ON);
        const urn = "urn:pulumi:test::bedrock-access::aws:iam/rolePolicy:RolePolicy::invoke";
        const link = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#";
        assert.deepStrictEqual(reported, [
            { policy: ACCESS_ANALYZER_FINDINGS, urn, message: `policy at Statement[0].Action: Access Analyzer reports ERROR INVALID_ACTION: Details of INVALID_ACTION. (${link}INVALID_ACTION)` },
            {
                policy: ACCESS_ANALYZER_FINDINGS,
                urn,
                message: `policy at Statement[0].Action: Access Analyzer reports SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE: Details of PASS_ROLE_WITH_STAR_IN_RESOURCE. (${link}PASS_ROLE_WITH_STAR_IN_RESOURCE)`,
            },
            { policy: ACCESS_ANALYZER_ADVISORIES, urn, message: `policy at Statement[0].Action: Access Analyzer reports WARNING REDUNDANT_ACTION: Details of REDUNDANT_ACTION. (${link}REDUNDANT_ACTION)` },
            { policy: ACCESS_ANALYZER_ADVISORIES, urn, message: `policy at Statement[0].Action: Access Analyzer reports SUGGESTION EMPTY_ARRAY_ACTION: Details of EMPTY_ARRAY_ACTION. (${link}EMPTY_ARRAY_ACTION)` },
        ]);
    });

    it("reports a failed CheckNoPublicAccess as a violation naming the resource type and each reason's statement, and a passed one as nothing", async () => {
        const bucketPolicy = stackResource("aws:s3/bucketPolicy:BucketPolicy", "logs", { policy: JSON.stringify(keyPolicy) });
        assert.deepStrictEqual(await runPolicies([bucketPolicy], ON), []);
        clearAccessAnalyzerCache();
        analyzer.on(CheckNoPublicAccessCommand).resolves({
            result: "FAIL",
            message: "The resource policy grants public access for the given resource type.",
            reasons: [{ description: "Public access granted in the following statement with index: 0.", statementIndex: 0 }, { description: "Public access granted.", statementId: "Open" }],
        });
        assert.deepStrictEqual(await runPolicies([bucketPolicy], ON), [
            {
                policy: ACCESS_ANALYZER_FINDINGS,
                urn: bucketPolicy.urn,
                message:
                    "policy: Access Analyzer finds that it may allow public access to the AWS::S3::Bucket (The resource policy grants public access for the given resource type.; " +
                    "statement #0: Public access granted in the following statement with index: 0.; statement Open: Public access granted.): " +
                    "name the principals it admits, or bind them with a condition such as aws:SourceAccount or aws:PrincipalOrgID.",
            },
        ]);
    });

    it("asks with the policy type and resource type of each kind of document, and checks public access only for types the API lists", async () => {
        const cases: [AnalyzedStackResource, Partial<ValidatePolicyCommandInput>, CheckNoPublicAccessCommandInput["resourceType"] | undefined][] = [
            [role("gw"), { policyType: "RESOURCE_POLICY", validatePolicyResourceType: "AWS::IAM::AssumeRolePolicyDocument" }, "AWS::IAM::AssumeRolePolicyDocument"],
            [rolePolicy("invoke"), { policyType: "IDENTITY_POLICY" }, undefined],
            [stackResource("aws:s3/bucketPolicy:BucketPolicy", "b", { policy: keyPolicy }), { policyType: "RESOURCE_POLICY", validatePolicyResourceType: "AWS::S3::Bucket" }, "AWS::S3::Bucket"],
            [stackResource("aws:dynamodb/resourcePolicy:ResourcePolicy", "t", { policy: keyPolicy }), { policyType: "RESOURCE_POLICY", validatePolicyResourceType: "AWS::DynamoDB::Table" }, "AWS::DynamoDB::Table"],
            [stackResource("aws:kms/key:Key", "k", { policy: keyPolicy }), { policyType: "RESOURCE_POLICY" }, "AWS::KMS::Key"],
            [stackResource("aws:lambda/resourcePolicy:ResourcePolicy", "f", { policy: keyPolicy }), { policyType: "RESOURCE_POLICY" }, "AWS::Lambda::Function"],
            [stackResource("aws:ec2/vpcEndpoint:VpcEndpoint", "e", { policy: keyPolicy }), { policyType: "RESOURCE_POLICY" }, undefined],
            [
                stackResource("aws:s3control/objectLambdaAccessPointPolicy:ObjectLambdaAccessPointPolicy", "o", { policy: keyPolicy }),
                { policyType: "RESOURCE_POLICY", validatePolicyResourceType: "AWS::S3ObjectLambda::AccessPoint" },
                undefined,
            ],
        ];
        for (const [resource, validateInput, publicAccessType] of cases) {
            analyzer.resetHistory();
            clearAccessAnalyzerCache();
            await runPolicies([resource], ON);
            const validations = analyzer.commandCalls(ValidatePolicyCommand).map((call) => call.args[0].input);
            assert.strictEqual(validations.length, 1, resource.type);
            assert.strictEqual(validations[0].policyType, validateInput.policyType, resource.type);
            assert.strictEqual(validations[0].validatePolicyResourceType, validateInput.validatePolicyResourceType, resource.type);
            assert.deepStrictEqual(JSON.parse(validations[0].policyDocument!), resource.type === "aws:iam/role:Role" ? trustPolicy : resource.type.includes("rolePolicy") ? invokePolicy : keyPolicy);
            const checks = analyzer.commandCalls(CheckNoPublicAccessCommand).map((call) => call.args[0].input.resourceType);
            assert.deepStrictEqual(checks, publicAccessType === undefined ? [] : [publicAccessType], resource.type);
        }
    });

    it("makes one call per distinct document across resources, however the document is written, and none again for the next analysis", async () => {
        const reordered = { Statement: trustPolicy.Statement, Version: trustPolicy.Version };
        const resources = [role("a"), role("b", reordered), role("c", JSON.stringify(reordered, null, 2)), rolePolicy("x"), rolePolicy("y", invokePolicy), rolePolicy("z")];
        await runPolicies(resources, ON);
        assert.strictEqual(analyzer.commandCalls(ValidatePolicyCommand).length, 2);
        assert.strictEqual(analyzer.commandCalls(CheckNoPublicAccessCommand).length, 1);
        await runPolicies(resources, ON);
        assert.strictEqual(analyzer.calls().length, 3);
    });

    it("reports a finding on every resource that carries the document", async () => {
        analyzer.on(ValidatePolicyCommand).resolves({ findings: [finding("SECURITY_WARNING", "PASS_ROLE_WITH_STAR_IN_RESOURCE")] });
        const reported = await runPolicies([rolePolicy("x"), rolePolicy("y")], ON);
        assert.deepStrictEqual(
            reported.map((report) => [report.policy, report.urn]),
            [
                [ACCESS_ANALYZER_FINDINGS, "urn:pulumi:test::bedrock-access::aws:iam/rolePolicy:RolePolicy::x"],
                [ACCESS_ANALYZER_FINDINGS, "urn:pulumi:test::bedrock-access::aws:iam/rolePolicy:RolePolicy::y"],
            ],
        );
        assert.strictEqual(analyzer.calls().length, 1);
    });

    it("follows nextToken until every page of findings is read", async () => {
        analyzer
            .on(ValidatePolicyCommand)
            .resolvesOnce({ findings: [finding("SUGGESTION", "EMPTY_ARRAY_ACTION")], nextToken: "page-2" })
            .resolves({ findings: [finding("ERROR", "INVALID_ACTION")] });
        const reported = await runPolicies([rolePolicy("x")], ON);
        assert.deepStrictEqual(
            reported.map((report) => report.policy),
            [ACCESS_ANALYZER_FINDINGS, ACCESS_ANALYZER_ADVISORIES],
        );
        assert.deepStrictEqual(
            analyzer.commandCalls(ValidatePolicyCommand).map((call) => call.args[0].input.nextToken),
            [undefined, "page-2"],
        );
    });

    it("says once, as an advisory about the whole preview, that no credentials were found, and reports no violation", async () => {
        const noCredentials = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
        analyzer.on(ValidatePolicyCommand).rejects(noCredentials);
        analyzer.on(CheckNoPublicAccessCommand).rejects(noCredentials);
        const reported = await runPolicies([role("a"), rolePolicy("x"), stackResource("aws:kms/key:Key", "k", { policy: keyPolicy })], ON);
        assert.strictEqual(reported.length, 1);
        assert.strictEqual(reported[0].policy, ACCESS_ANALYZER_ADVISORIES);
        assert.strictEqual(reported[0].urn, undefined);
        assert.match(reported[0].message, /^Access Analyzer was not asked because no AWS credentials were found: set AWS_PROFILE \(or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\)/);
        // A failure is not kept: the next analysis asks again.
        analyzer.on(ValidatePolicyCommand).resolves({ findings: [] });
        analyzer.on(CheckNoPublicAccessCommand).resolves({ result: "PASS" });
        analyzer.resetHistory();
        assert.deepStrictEqual(await runPolicies([role("a")], ON), []);
        assert.strictEqual(analyzer.calls().length, 2);
    });

    it("reports any other AWS error as one advisory per kind of error, never as a violation", async () => {
        const denied = Object.assign(new Error("User is not authorized to perform: access-analyzer:ValidatePolicy"), { name: "AccessDeniedException" });
        const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
        analyzer.on(ValidatePolicyCommand).rejects(denied);
        analyzer.on(CheckNoPublicAccessCommand).rejects(throttled);
        const reported = await runPolicies([role("a"), rolePolicy("x"), role("b", { ...trustPolicy, Id: "other" })], ON);
        assert.deepStrictEqual(reported, [
            {
                policy: ACCESS_ANALYZER_ADVISORIES,
                message:
                    "Access Analyzer could not check 3 document request(s) (AccessDeniedException: User is not authorized to perform: access-analyzer:ValidatePolicy); they were not judged by Access Analyzer.",
            },
            { policy: ACCESS_ANALYZER_ADVISORIES, message: "Access Analyzer could not check 2 document request(s) (ThrottlingException: Rate exceeded); they were not judged by Access Analyzer." },
        ]);
    });

    it("says once that no region is set, naming where to set it", async () => {
        analyzer.on(ValidatePolicyCommand).rejects(new Error("Region is missing"));
        analyzer.on(CheckNoPublicAccessCommand).rejects(new Error("Region is missing"));
        assert.deepStrictEqual(await runPolicies([role("a"), rolePolicy("x")], { accessAnalyzer: true }), [
            {
                policy: ACCESS_ANALYZER_ADVISORIES,
                message: 'Access Analyzer was not asked because no AWS region is set: set "region" in the aws-access-analyzer-findings configuration, or AWS_REGION.',
            },
        ]);
    });

    it("keeps at most four calls in flight", async () => {
        let inFlight = 0;
        let mostInFlight = 0;
        analyzer.on(ValidatePolicyCommand).callsFake(async () => {
            mostInFlight = Math.max(mostInFlight, ++inFlight);
            await new Promise((resolve) => setTimeout(resolve, 5));
            inFlight--;
            return { findings: [] };
        });
        const policies = Array.from({ length: 12 }, (_, index) => rolePolicy(`p${index}`, { ...invokePolicy, Id: `p${index}` }));
        await runPolicies(policies, ON);
        assert.strictEqual(analyzer.commandCalls(ValidatePolicyCommand).length, 12);
        assert.strictEqual(mostInFlight, 4);
    });

    it("leaves out documents unknown at preview and unreadable ones (the other policies report them), and judges the resource's other documents", async () => {
        // As the SDK gives stack policies a resource at preview: reading an unknown value throws.
        const partlyUnknown = stackResource(
            "aws:iam/role:Role",
            "partly",
            unknownCheckingProxy({ assumeRolePolicy: UNKNOWN_VALUE, inlinePolicies: [{ name: "invoke", policy: JSON.stringify(invokePolicy) }] }),
        );
        await runPolicies([partlyUnknown, rolePolicy("broken", "{not json")], ON);
        assert.deepStrictEqual(
            analyzer.commandCalls(ValidatePolicyCommand).map((call) => call.args[0].input.policyType),
            ["IDENTITY_POLICY"],
        );
    });

    it("reads the region from the configuration, then AWS_REGION, AWS_DEFAULT_REGION and the stack's AWS provider", () => {
        const withProvider = { ...role("a"), provider: { type: "pulumi:providers:aws", props: { region: "us-east-2" } } };
        assert.strictEqual(accessAnalyzerRegion({ region: "eu-central-1" }, { AWS_REGION: "eu-west-1" }, [withProvider]), "eu-central-1");
        assert.strictEqual(accessAnalyzerRegion({}, { AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "eu-west-2" }, [withProvider]), "eu-west-1");
        assert.strictEqual(accessAnalyzerRegion({}, { AWS_DEFAULT_REGION: "eu-west-2" }, [withProvider]), "eu-west-2");
        assert.strictEqual(accessAnalyzerRegion({}, {}, [role("b"), withProvider]), "us-east-2");
        assert.strictEqual(accessAnalyzerRegion({}, {}, [role("b")]), undefined);
    });

    it("writes a finding's location as a path into the document", () => {
        assert.strictEqual(locationText({ path: [{ key: "Statement" }, { index: 2 }, { key: "Condition" }, { value: "StringLike" }], span: undefined }), 'Statement[2].Condition (value "StringLike")');
        assert.strictEqual(locationText({ path: [{ key: "Statement" }, { index: 0 }, { key: "Resource" }, { substring: { start: 4, length: 3 } }], span: undefined }), "Statement[0].Resource (characters 4-7)");
    });

    it("hands advisories only to the same stack's advisory policy", async () => {
        analyzer.on(ValidatePolicyCommand).resolves({ findings: [finding("SUGGESTION", "EMPTY_ARRAY_ACTION")] });
        await accessAnalyzerFindings.validateStack(
            { resources: [rolePolicy("x")] as unknown as PolicyResource[], stackTags: new Map(), getConfig: <T extends object>() => ON as T, notApplicable: () => assert.fail("not applicable") },
            () => assert.fail("no violation expected"),
        );
        const advisories: string[] = [];
        await accessAnalyzerAdvisories.validateStack(
            { resources: [rolePolicy("other")] as unknown as PolicyResource[], stackTags: new Map(), getConfig: <T extends object>() => ({}) as T, notApplicable: () => assert.fail("not applicable") },
            (message) => advisories.push(message),
        );
        assert.deepStrictEqual(advisories, []);
    });
});

interface RecordedRequest {
    readonly path: string;
    readonly body: Record<string, unknown>;
}

/** A local Access Analyzer: the REST-JSON paths of the SDK's serializers, answers in the documented shapes. */
async function startFakeAccessAnalyzer(): Promise<{ url: string; requests: RecordedRequest[]; close: () => Promise<void> }> {
    const requests: RecordedRequest[] = [];
    const server = http.createServer((request, response) => {
        let text = "";
        request.on("data", (chunk: Buffer) => (text += chunk.toString()));
        request.on("end", () => {
            const body = JSON.parse(text || "{}") as Record<string, unknown>;
            const path = (request.url ?? "").split("?")[0];
            requests.push({ path, body });
            let answer: unknown;
            if (path === "/policy/validation") {
                const findings =
                    body.validatePolicyResourceType === "AWS::IAM::AssumeRolePolicyDocument"
                        ? [finding("SECURITY_WARNING", "TRUST_POLICY_TEST_FINDING")]
                        : body.policyType === "IDENTITY_POLICY"
                          ? [finding("SUGGESTION", "IDENTITY_TEST_SUGGESTION")]
                          : [];
                answer = { findings };
            } else if (path === "/policy/check-no-public-access") {
                answer = { result: "PASS", message: "The resource policy does not grant public access for the given resource type.", reasons: [] };
            } else {
                response.writeHead(404, { "content-type": "application/json", "x-amzn-errortype": "ResourceNotFoundException" });
                response.end(JSON.stringify({ message: `no route ${path}` }));
                return;
            }
            response.writeHead(200, { "content-type": "application/json" });
            response.end(JSON.stringify(answer));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The example stack's resources, as the engine sends them to analyzers at preview. */
async function exampleStackResources(): Promise<readonly AnalyzedResource[]> {
    const example = loadStackConfig(path.resolve(__dirname, "..", ".."), "example");
    const projectConfig = Object.fromEntries(
        Object.entries(example.config)
            .filter(([key]) => key.startsWith("bedrock-access:"))
            .map(([key, value]) => [key.slice("bedrock-access:".length), JSON.parse(value)]),
    );
    return (await runProgram(projectConfig)).engine.resources;
}

const FAKE_CREDENTIALS = { AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined };
const ofPolicy = (diagnostics: readonly PolicyDiagnostic[], name: string) => diagnostics.filter((diagnostic) => diagnostic.policyName === name);

describe("IAM Access Analyzer, over the Analyzer protocol with a local endpoint", function () {
    let fake: Awaited<ReturnType<typeof startFakeAccessAnalyzer>>;
    let resources: readonly AnalyzedResource[];
    /** The pack started with this configuration and environment: `lendPack` starts one per distinct start, so tests that start it the same way share it (only the pack with the option off is asked for twice, and it asks AWS nothing, so caches nothing). */
    const start = (config: AccessAnalyzerConfig | undefined, credentials: Record<string, string | undefined>): Promise<PolicyPackClient> =>
        lendPack({
            env: { ...credentials, AWS_ENDPOINT_URL_ACCESSANALYZER: fake.url, AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: undefined },
            ...(config === undefined ? {} : { config: { [ACCESS_ANALYZER_FINDINGS]: { ...config } } }),
        });
    before(async () => {
        fake = await startFakeAccessAnalyzer();
        resources = await exampleStackResources();
    });
    beforeEach(() => fake.requests.splice(0));
    after(async () => {
        await fake?.close();
    });

    it("lists both policies: the findings mandatory, the advisories advisory", async () => {
        const info = await (await start(undefined, FAKE_CREDENTIALS)).info();
        assert.deepStrictEqual(
            info.policies.filter((policy) => policy.name.startsWith("aws-access-analyzer")).map((policy) => [policy.name, policy.enforcementLevel]),
            [
                [ACCESS_ANALYZER_FINDINGS, "mandatory"],
                [ACCESS_ANALYZER_ADVISORIES, "advisory"],
            ],
        );
    });

    it("sends no request when the option is off, even with credentials and an endpoint", async () => {
        const pack = await start(undefined, FAKE_CREDENTIALS);
        assert.deepStrictEqual(await pack.analyzeStack(resources), []);
        const off = await start({ accessAnalyzer: false }, FAKE_CREDENTIALS);
        assert.deepStrictEqual(await off.analyzeStack(resources), []);
        assert.strictEqual(fake.requests.length, 0);
    });

    it("sends each distinct document of the example stack once and reports the findings as violations and advisories", async () => {
        const pack = await start({ accessAnalyzer: true }, FAKE_CREDENTIALS);
        const diagnostics = await pack.analyzeStack(resources);
        const expected = new Set(resources.flatMap((resource) => analyzerRequestsOf(resource.type, plainValue(resource.properties) as Record<string, unknown>).flatMap((document) => document.requests.map(requestKey))));
        assert.ok(expected.size >= 10, `${expected.size} distinct requests`);
        assert.strictEqual(fake.requests.length, expected.size);
        assert.strictEqual(new Set(fake.requests.map((request) => `${request.path} ${JSON.stringify(request.body)}`)).size, fake.requests.length);
        const violations = ofPolicy(diagnostics, ACCESS_ANALYZER_FINDINGS);
        const roles = resources.filter((resource) => resource.type === "aws:iam/role:Role" && plainValue(resource.properties["assumeRolePolicy"]) !== undefined);
        assert.strictEqual(violations.length, roles.length);
        assert.ok(violations.every((violation) => violation.enforcementLevel === "mandatory" && /^assumeRolePolicy at Statement\[0\]\.Action: Access Analyzer reports SECURITY_WARNING TRUST_POLICY_TEST_FINDING/m.test(violation.message)));
        const advisories = ofPolicy(diagnostics, ACCESS_ANALYZER_ADVISORIES);
        assert.ok(advisories.length > 0);
        assert.ok(advisories.every((advisory) => advisory.enforcementLevel === "advisory" && /^\S.* Access Analyzer reports SUGGESTION IDENTITY_TEST_SUGGESTION/m.test(advisory.message) && advisory.urn !== ""));
        // The next analysis (an update after the preview) asks nothing again.
        await pack.analyzeStack(resources);
        assert.strictEqual(fake.requests.length, expected.size);
    });

    it("without credentials reports one advisory naming what to set, sends nothing and reports no violation", async () => {
        const pack = await start({ accessAnalyzer: true }, NO_AWS_CREDENTIALS);
        const diagnostics = await pack.analyzeStack(resources);
        assert.strictEqual(fake.requests.length, 0);
        assert.deepStrictEqual(ofPolicy(diagnostics, ACCESS_ANALYZER_FINDINGS), []);
        const advisories = ofPolicy(diagnostics, ACCESS_ANALYZER_ADVISORIES);
        assert.strictEqual(advisories.length, 1);
        assert.strictEqual(advisories[0].enforcementLevel, "advisory");
        assert.match(advisories[0].message, /no AWS credentials were found: set AWS_PROFILE/);
        assert.ok(diagnostics.every((diagnostic) => diagnostic.enforcementLevel !== "mandatory"));
    });

    it("does not load the AWS SDK when the pack starts", () => {
        const loaded = spawnSync(
            process.execPath,
            ["-e", "require('./bin/policies'); console.log(Object.keys(require.cache).filter((file) => file.includes('client-accessanalyzer')).length)"],
            { cwd: POLICY_PACK_DIR, encoding: "utf8" },
        );
        assert.strictEqual(loaded.status, 0, loaded.stderr);
        assert.strictEqual(loaded.stdout.trim(), "0");
    });
});
