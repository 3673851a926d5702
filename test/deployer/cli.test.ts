/**
 * `npm run deployer-policy` as a user runs it: its output formats, its help and its one-sentence
 * failures. Most runs are in-process through the command's `main` (`runCommand`: the same stdout,
 * stderr and exit code), which spares a node start, an SDK load and a program run per test; the
 * process itself is tested as a separate process: one JSON document alone on stdout, `--help`, and
 * a bad flag's exit code without a stack trace.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { RUN_COMMAND, runCommand } from "../commands";
import * as path from "path";
import { PolicyDocument } from "../../components/iam/iamDocument";

const ROOT = path.resolve(__dirname, "..", "..");

/** The command in this process. */
function deployerPolicy(...args: string[]) {
    return runCommand("deployer/cli.ts", args);
}

/** The command as a separate process, as `npm run deployer-policy` runs it. */
function spawnDeployerPolicy(...args: string[]) {
    return spawnSync(process.execPath, [RUN_COMMAND, "deployer/cli.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 60000 });
}

describe("npm run deployer-policy", () => {
    it("prints exactly one JSON array of policy documents with --format json, the account from aws:allowedAccountIds (a separate process: stdout holds only the JSON)", () => {
        const result = spawnDeployerPolicy("--stack", "example", "--format", "json");
        assert.strictEqual(result.status, 0, result.stderr);
        const documents = JSON.parse(result.stdout) as PolicyDocument[];
        assert.ok(Array.isArray(documents) && documents.length >= 1);
        assert.ok(documents.every((document) => document.Version === "2012-10-17" && document.Statement.length > 0));
        assert.match(result.stdout, /arn:aws:iam::123456789012:role\/bedrock-gateway-portkey-eu-west-1/);
    });

    it("explains each statement in text, the default: which resources need it, in which phases", async () => {
        const result = await deployerPolicy();
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /^The IAM policy that runs pulumi preview, up and destroy for stack 'example': \d managed polic(y|ies) to attach/);
        assert.match(result.stdout, /=== Policy 1 of \d \(\d+ of 6144 characters as IAM counts them\)/);
        // Reads of a role in one statement, its changes (bound to the permissions boundary) in others.
        assert.match(result.stdout, /# IamStatement\d+: for\n(# {3}.*\n)*# {3}aws:iam\/role:Role bedrock-agent-support-agent \(read[, a-z]*\)\n/);
        assert.match(result.stdout, /# IamStatement\d+: for\n(# {3}.*\n)*# {3}aws:iam\/role:Role bedrock-agent-support-agent \(create[, a-z]*\)\n/);
        // AgentCore's roles are roles like the others: the same statements name them.
        assert.match(result.stdout, /# IamStatement\d+: for\n(# {3}.*\n)*# {3}aws:iam\/role:Role agentcore-runtime-support_agent \(read[, a-z]*\)\n/);
        assert.match(result.stdout, /# IamStatement\d+: for\n(# {3}.*\n)*# {3}aws:iam\/role:Role agentcore-runtime-support_agent \(create[, a-z]*\)\n/);
        assert.match(result.stdout, /# {3}aws:bedrockmodel\/invocationLoggingConfiguration:InvocationLoggingConfiguration bedrock-monitoring-logging \(passes it to bedrock\.amazonaws\.com\)/);
    });

    it("prints the stack's permissions boundary as one JSON object {arn, document} with --boundary --format json", async () => {
        const result = await deployerPolicy("--stack", "example", "--boundary", "--format", "json");
        assert.strictEqual(result.status, 0, result.stderr);
        const printed = JSON.parse(result.stdout) as { arn: string; document: PolicyDocument };
        assert.deepStrictEqual(Object.keys(printed), ["arn", "document"]);
        assert.strictEqual(printed.arn, "arn:aws:iam::123456789012:policy/bedrock-access-boundary-example");
        assert.strictEqual(printed.document.Version, "2012-10-17");
        const denial = printed.document.Statement.find((statement) => statement.Effect === "Deny");
        assert.ok(denial && (denial.Action as string[]).includes("iam:*"));
        assert.ok(printed.document.Statement.filter((statement) => statement.Effect === "Allow").every((statement) => [statement.Action].flat().every((action) => !/[*?]/.test(action))));
        assert.ok(JSON.stringify(printed.document).length <= 6144);
    });

    it("explains each statement of the boundary in text", async () => {
        const result = await deployerPolicy("--stack", "example", "--boundary");
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /^The permissions boundary of stack 'example': every role the stack creates carries arn:aws:iam::123456789012:policy\/bedrock-access-boundary-example\n/);
        assert.match(result.stdout, /# NeverEscalateOrUnmonitor: never, whatever a role is granted: IAM, STS on other roles/);
        assert.match(result.stdout, /# S3: the s3 actions the stack's roles are granted, on the accounts and resources they name\n\{/);
    });

    it("with permissionsBoundary: none, warns in one line that the deployer can escalate, and prints no boundary", async () => {
        for (const args of [["--format", "json"], ["--format", "json", "--boundary"]]) {
            const result = await deployerPolicy("--stack", "no-boundary", "--stack-file", "test/stacks/Pulumi.no-boundary.yaml", ...args);
            assert.strictEqual(result.status, 0, result.stderr);
            const warnings = result.stderr.split("\n").filter((line) => /permissionsBoundary is "none"/.test(line));
            assert.strictEqual(warnings.length, 1, result.stderr);
            assert.match(warnings[0], /the deployer can escalate/);
            if (args.includes("--boundary")) assert.deepStrictEqual(JSON.parse(result.stdout), { arn: null, document: null });
            else assert.ok(Array.isArray(JSON.parse(result.stdout)));
        }
    });

    it("warns in one line, naming the fix, when the stack's boundary must name Bedrock's resources by account to fit a managed policy", async () => {
        for (const args of [["--format", "json", "--boundary"], ["--boundary"]]) {
            const result = await deployerPolicy("--stack", "large-boundary", "--stack-file", "test/stacks/Pulumi.large-boundary.yaml", ...args);
            assert.strictEqual(result.status, 0, result.stderr);
            const warnings = result.stderr.split("\n").filter((line) => /permissionsBoundary/.test(line));
            assert.strictEqual(warnings.length, 1, result.stderr);
            assert.match(warnings[0], /the stack's boundary naming Bedrock's resources is \d+ characters, beyond the 6144 of a managed policy, so it names them by account/);
            assert.match(warnings[0], /write a boundary of your own .* and set permissionsBoundary: <ARN>$/);
            if (args.includes("json")) {
                const printed = JSON.parse(result.stdout) as { arn: string; document: PolicyDocument };
                assert.ok(JSON.stringify(printed.document).length <= 6144);
                assert.match(JSON.stringify(printed.document), /"arn:aws:bedrock:\*::foundation-model\/\*"/);
            }
        }
        // The example stack's boundary names them: no such warning.
        const example = await deployerPolicy("--stack", "example", "--boundary", "--format", "json");
        assert.doesNotMatch(example.stderr, /permissionsBoundary/);
    });

    it("names the account given with --account-id when the stack names none", async () => {
        const result = await deployerPolicy("--stack", "no-account", "--stack-file", "test/stacks/Pulumi.no-account.yaml", "--account-id", "210987654321", "--format", "json");
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /"arn:aws:iam::210987654321:role\/litellm-irsa"/);
        assert.doesNotMatch(result.stdout, /123456789012/);
    });

    it("refuses an account the stack's aws:allowedAccountIds refuses", async () => {
        const result = await deployerPolicy("--account-id", "210987654321");
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /^deployer-policy: --account-id 210987654321 is not one of the stack's aws:allowedAccountIds \(123456789012\)/);
    });

    it("answers --help with the usage and exit 0", () => {
        const result = spawnDeployerPolicy("--help");
        assert.strictEqual(result.status, 0);
        assert.match(result.stdout, /^usage: npm run deployer-policy -- \[--stack NAME\]/);
        assert.match(result.stdout, /Exit codes: 0 printed; 1 the stack's configuration is invalid; 2 bad arguments/);
    });

    it("refuses a bad format in one sentence and the usage, without a stack trace", () => {
        const result = spawnDeployerPolicy("--format", "yaml");
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /^deployer-policy: --format must be text or json, not 'yaml'\n\nusage:/);
        assert.doesNotMatch(result.stderr, /\n\s+at /);
    });

    it("asks for the account when the stack names none", async () => {
        const result = await deployerPolicy("--stack", "no-account", "--stack-file", "test/stacks/Pulumi.no-account.yaml");
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /^deployer-policy: the policy names the stack's account: pass --account-id, or set aws:allowedAccountIds/);
    });

    it("fails with the configuration's problems for a stack file that does not validate", async () => {
        const result = await deployerPolicy("--stack", "invalid", "--stack-file", "test/stacks/Pulumi.invalid.yaml", "--account-id", "123456789012");
        assert.strictEqual(result.status, 1);
        assert.match(result.stderr, /^Invalid stack configuration \(\d+ problems\); no resource was registered/);
        assert.strictEqual(result.stdout, "");
    });
});
