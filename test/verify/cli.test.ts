/**
 * `npm run verify` as a user meets it: --help, usage errors, and no way to reach AWS (no credentials,
 * no region, credentials refused, another account), each one sentence and an exit code, no stack
 * trace; in a child process as a user runs it (--help, and no credentials: exit 3, nothing on stdout),
 * through the command's `main` in this process (`runCommand`: the same stdout, stderr and exit code,
 * sparing a node start and a program run), and in process with clients that fail as the SDK fails.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { RUN_COMMAND, runCommand } from "../commands";
import * as path from "path";
import { STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { loadStackConfig } from "../../offline/engine/stackFile";
import { CannotReachAws, VerifyClients, unreachableReason } from "../../verify/awsClients";
import { EXIT, VerifyArguments, failureOf, parseArguments, regionOf, runVerify } from "../../verify/cli";
import { deployedState, fakeAccount } from "./fakeAccount";
import { expectedStack } from "../../verify/expectedStack";

import { withoutAwsCredentials } from "../awsEnvironment";

const ROOT = path.resolve(__dirname, "..", "..");

/** Runs the command in this process with no AWS credentials anywhere the default chain looks. */
function verify(...args: string[]) {
    return runCommand("verify/cli.ts", args, { env: withoutAwsCredentials() });
}

/** Runs the command as a separate process, as `npm run verify` runs it, with no AWS credentials. */
function spawnVerify(...args: string[]) {
    return spawnSync(process.execPath, [RUN_COMMAND, "verify/cli.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60000, env: withoutAwsCredentials() });
}

/** Clients whose every call to STS fails with `error`. */
function clientsFailingWith(error: Error): VerifyClients {
    const sts = new STSClient({ region: "eu-west-1" });
    mockClient(sts).rejects(error);
    return { ...fakeAccount(deployedState(expectedStack([], { gateways: [], serviceRoles: [] }, { partition: "aws", region: "eu-west-1", accountId: "123456789012" }))).clients, sts };
}

const ARGS: VerifyArguments = { stack: "example", stackFile: undefined, region: undefined, format: "table", printPolicy: false, accountId: undefined, help: false };

/** The exit code and sentence `npm run verify` ends with for what `runVerify` throws. */
async function failureWith(clients: VerifyClients, args: VerifyArguments = ARGS) {
    const notRun = async () => assert.fail("the program must not run before AWS answered");
    try {
        await runVerify(args, { createClients: () => clients, runProgram: notRun, print: () => assert.fail("nothing is printed") });
    } catch (error) {
        return failureOf(error);
    }
    return assert.fail("verify did not fail");
}

describe("npm run verify, its command line", () => {
    it("answers --help with the usage and exit 0, listing the exit codes", () => {
        const result = spawnVerify("--help");
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /^usage: npm run verify -- --stack NAME \[--stack-file PATH\] \[--region REGION\] \[--format table\|json\]/);
        assert.match(result.stdout, /Exit codes: 0 every check passed; 1 a check failed or was skipped; 2 bad arguments/);
    });

    it("says in one sentence, exit 3, that no credentials were found, naming what to set (a separate process)", () => {
        const result = spawnVerify("--stack", "example");
        assert.strictEqual(result.status, EXIT.cannotReachAws, result.stdout + result.stderr);
        assert.strictEqual(result.stdout, "");
        assert.strictEqual(
            result.stderr.trim(),
            "verify: no AWS credentials were found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run aws sso login, then run verify again",
        );
    });

    it("refuses a missing --stack and a bad --format with one sentence and the usage, exit 2", async () => {
        const missing = await verify();
        assert.strictEqual(missing.status, EXIT.usage);
        assert.match(missing.stderr, /^verify: --stack NAME is required: the stack whose deployment to verify\n\nusage:/);
        assert.doesNotMatch(missing.stderr, /\n\s+at /);
        assert.throws(() => parseArguments(["--stack", "example", "--format", "yaml"]), /--format must be table or json, not 'yaml'/);
        assert.throws(() => parseArguments(["--stack", "example", "--account-id", "123456789012"]), /--account-id applies only with --print-policy/);
    });

    it("prints the verifier's policy without credentials, for the stack's account", async () => {
        const result = await verify("--stack", "example", "--print-policy");
        assert.strictEqual(result.status, 0, result.stderr);
        const policy = JSON.parse(result.stdout) as { Statement: { Action: string[]; Resource: string | string[] }[] };
        assert.ok(policy.Statement.some((statement) => statement.Action.includes("iam:SimulatePrincipalPolicy")));
        assert.match(result.stdout, /"arn:aws:iam::123456789012:role\/bedrock-gateway-portkey-eu-west-1"/);
        const noAccount = await verify("--stack", "no-account", "--stack-file", "test/stacks/Pulumi.no-account.yaml", "--print-policy");
        assert.strictEqual(noAccount.status, EXIT.usage);
        assert.match(noAccount.stderr, /^verify: the policy names the stack's account: pass --account-id, or set aws:allowedAccountIds/);
    });
});

describe("npm run verify when AWS cannot be asked, in process", () => {
    it("names what to set when the SDK finds no credentials", async () => {
        const error = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError", tryNextLink: false });
        assert.deepStrictEqual(await failureWith(clientsFailingWith(error)), {
            exitCode: EXIT.cannotReachAws,
            message: "verify: no AWS credentials were found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run aws sso login, then run verify again",
        });
    });

    it("says the credentials were refused, and that AWS could not be reached", async () => {
        const expired = Object.assign(new Error("The security token included in the request is expired"), { name: "ExpiredToken" });
        assert.match((await failureWith(clientsFailingWith(expired))).message, /^verify: AWS refused the credentials \(ExpiredToken\): they are expired or wrong; refresh them/);
        const offline = Object.assign(new Error("getaddrinfo ENOTFOUND sts.eu-west-1.amazonaws.com"), { code: "ENOTFOUND" });
        assert.deepStrictEqual(await failureWith(clientsFailingWith(offline)), {
            exitCode: EXIT.cannotReachAws,
            message: "verify: AWS could not be reached (ENOTFOUND): check the network, a proxy, or the region's endpoint",
        });
    });

    it("refuses credentials of another account than the stack's, in one sentence", async () => {
        const state = deployedState(expectedStack([], { gateways: [], serviceRoles: [] }, { partition: "aws", region: "eu-west-1", accountId: "999999999999" }));
        const failure = await failureWith(fakeAccount(state).clients);
        assert.strictEqual(failure.exitCode, EXIT.cannotReachAws);
        assert.match(failure.message, /^verify: the credentials are for account 999999999999 \(arn:aws:sts::123456789012:assumed-role\/verifier\/session\), but stack 'example' deploys to 123456789012 \(aws:allowedAccountIds\): use credentials of that account/);
    });

    it("names where to set the region when neither the flag, the stack nor the environment gives one, and refuses one that contradicts the stack", () => {
        const noRegion = { ...loadStackConfig(ROOT, "example"), config: {} };
        assert.throws(() => regionOf({ region: undefined, stack: "x" }, noRegion, {}), (error: unknown) => {
            assert.ok(error instanceof CannotReachAws);
            assert.strictEqual(error.message, "no AWS region: pass --region, set aws:region in the stack file, or set AWS_REGION");
            return true;
        });
        assert.strictEqual(regionOf({ region: undefined, stack: "x" }, noRegion, { AWS_REGION: "us-east-1" }), "us-east-1");
        assert.throws(() => regionOf({ region: "us-east-1", stack: "example" }, loadStackConfig(ROOT, "example"), {}), /--region us-east-1 is not the stack's aws:region \(eu-west-1\)/);
        assert.strictEqual(unreachableReason(new Error("Region is missing")), "no AWS region: pass --region, set aws:region in the stack file, or set AWS_REGION");
        assert.strictEqual(unreachableReason(Object.assign(new Error("denied"), { name: "AccessDenied" })), undefined, "a refused call is a check's business, not the run's");
    });
});
