/**
 * `npm run check` as a user runs it: the example stack, exit code and output. The checks run
 * in-process through the command's `main` (`runCommand`: the same code, output and exit code, with
 * one pack per worker instead of one per run), which saves a node start, an SDK load and a pack
 * start per test; where the process itself is what is tested (`--help`, and `--format json`
 * writing only JSON on stdout with its exit codes) the command runs as a separate process.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { RUN_COMMAND, exampleJsonCheckProcess, runCommand } from "../commands";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { withoutAwsCredentials } from "../awsEnvironment";

const ROOT = path.resolve(__dirname, "..", "..");

/** The check in this process. */
function check(...args: string[]) {
    return runCommand("offline/check.ts", args);
}

function checkWithEnv(env: NodeJS.ProcessEnv, ...args: string[]) {
    return runCommand("offline/check.ts", args, { env });
}

/** The check as a separate process, as `npm run check` runs it. */
function spawnCheck(...args: string[]) {
    return spawnSync(process.execPath, [RUN_COMMAND, "offline/check.ts", ...args], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 60000,
    });
}

describe("npm run check", () => {
    it("passes on the shipped example stack, printing the access summary first, every document with --documents, and the pack's verdict", async () => {
        const result = await check("--documents");
        assert.strictEqual(result.status, 0, result.stdout + result.stderr);
        assert.match(result.stdout, /secure values cannot be decrypted offline; replaced by a placeholder: bedrock-access:gateways\[0\]\.externalId/);
        assert.match(result.stdout, /--- aws:iam\/role:Role bedrock-gateway-portkey: assumeRolePolicy \(trust, secret\)/);
        assert.match(result.stdout, /"sts:ExternalId": "offline-placeholder-secret"/);
        assert.match(result.stdout, /--- aws:iam\/rolePolicy:RolePolicy bedrock-gateway-portkey-invoke: policy \(identity\)/);
        assert.match(result.stdout, /Policy pack 'bedrock-access' \(bedrock-trust-requires-external-id, bedrock-model-scoped-resources, iam-no-wildcard-actions, bedrock-service-trust-confused-deputy, iam-oidc-trust-pins-subject, iam-managed-policy-content-known, iam-role-has-permissions-boundary, iam-trust-names-principals, iam-resources-scoped, aws-resource-policies-not-public, bedrock-model-regions-pinned, iam-actions-exist, scp-deny-only-within-size, bedrock-endpoint-perimeter, aws-access-analyzer-findings, aws-access-analyzer-advisories\)/);
        assert.match(result.stdout, /0 mandatory violation\(s\), 0 other diagnostic\(s\), 0 IAM document\(s\) unknown at preview\.\nPASSED/);
    });

    it("keeps the default short (the summary and the verdict, no document), passes against the committed baseline, and fails naming the role when access widened", async () => {
        const same = await check("--baseline", "Pulumi.example.access.json");
        assert.strictEqual(same.status, 0, same.stdout + same.stderr);
        assert.match(same.stdout, /\nAccess summary\n\nRole agentcore-gateway-support-tools-eu-west-1 [^]*\nRole AmazonBedrockExecutionRoleForAgents_support-agent/);
        assert.doesNotMatch(same.stdout, /^--- aws:/m);
        assert.match(same.stdout, /\nPASSED\n$/);
        assert.match(same.stdout, /Access baseline Pulumi\.example\.access\.json: unchanged\./);
        const narrower = JSON.parse(fs.readFileSync(path.join(ROOT, "Pulumi.example.access.json"), "utf8")) as { access: { roles: { role: string; grants: unknown[] }[] } };
        narrower.access.roles.find((role) => role.role === "litellm-eks-irsa")!.grants = [];
        const file = path.join(os.tmpdir(), `baseline-${process.pid}.json`);
        fs.writeFileSync(file, JSON.stringify(narrower));
        try {
            const widened = await check("--baseline", file);
            assert.strictEqual(widened.status, 1, widened.stdout + widened.stderr);
            assert.match(widened.stdout, /: access WIDENED\.\n {2}role litellm-eks-irsa\n( {4}widened: .*\n)* {4}widened: \+ may bedrock:InvokeModel on arn:aws:bedrock:eu-west-1::foundation-model\/amazon\.nova-pro-v1:0\n/);
            assert.match(widened.stdout, /\nFAILED\n$/);
        } finally {
            fs.rmSync(file, { force: true });
        }
    });

    it("writes only one JSON document with --format json, and refuses an unknown format (a separate process: stdout holds only the JSON)", () => {
        const result = exampleJsonCheckProcess();
        assert.strictEqual(result.status, 0, result.stderr);
        const data = JSON.parse(result.stdout) as { passed: boolean; access: { roles: unknown[] }; diagnostics: unknown[] };
        assert.strictEqual(data.passed, true);
        assert.ok(data.access.roles.length >= 8);
        const bad = spawnCheck("--format", "yaml");
        assert.strictEqual(bad.status, 2);
        assert.match(bad.stderr, /^check: --format must be text, markdown or json, not 'yaml'/);
    });

    it("writes the whole JSON document into a pipe, past the pipe's 64 KiB buffer, before it exits (a separate process)", () => {
        const piped = exampleJsonCheckProcess();
        assert.strictEqual(piped.status, 0, piped.stderr);
        assert.ok(piped.stdout.length > 65536, `${piped.stdout.length} characters: the example's JSON no longer tests the pipe's buffer`);
        assert.strictEqual((JSON.parse(piped.stdout) as { passed: boolean }).passed, true);
    });

    it("checks a stack of the bootstrap program with --project bootstrap", async () => {
        const result = await check("--project", "bootstrap", "--documents");
        assert.strictEqual(result.status, 0, result.stdout + result.stderr);
        assert.match(result.stdout, /Offline check of stack 'example' \(project bedrock-access-bootstrap;/);
        assert.match(result.stdout, /--- aws:iam\/role:Role bedrock-access-deployer-example: assumeRolePolicy \(trust\)/);
        assert.match(result.stdout, /"token\.actions\.githubusercontent\.com:sub": "repo:acme\/bedrock-platform:ref:refs\/heads\/main"/);
        // One advisory: the deployment role is an administrator's and carries no boundary (the deployer cannot write into it).
        assert.match(result.stdout, /\[advisory\] iam-role-has-permissions-boundary: [\s\S]*Role bedrock-access-deployer-example has no permissions boundary/);
        assert.match(result.stdout, /0 mandatory violation\(s\), 1 other diagnostic\(s\), 0 IAM document\(s\) unknown at preview\.\nPASSED/);
        // The main stack's boundary, created here, passes the pack.
        assert.match(result.stdout, /--- aws:iam\/policy:Policy bedrock-access-boundary-example: policy/);
    });

    it("fails with the configuration's problems for a stack file that does not validate", async () => {
        const result = await check("--stack", "invalid", "--stack-file", "test/stacks/Pulumi.invalid.yaml");
        assert.strictEqual(result.status, 1, result.stdout + result.stderr);
        assert.match(result.stdout, /Invalid stack configuration \(\d+ problems\); no resource was registered/);
        assert.match(result.stdout, /gateways\[0\]\.models\[0\] = "anthropic\.\*": wildcards/);
    });

    it("answers --help with the usage and exit codes (a separate process)", () => {
        const result = spawnCheck("--help");
        assert.strictEqual(result.status, 0);
        assert.match(result.stdout, /^usage: npm run check -- \[--project DIR\] \[--stack NAME\] \[--stack-file PATH\]/);
        assert.match(result.stdout, /Exit codes: 0 passed; 1 a mandatory violation/);
    });

    it("passes the pack's configuration as pulumi preview --policy-pack-config does: Access Analyzer without credentials is one advisory", async () => {
        const result = await checkWithEnv(withoutAwsCredentials(), "--policy-pack-config", "policypack/access-analyzer.config.json");
        assert.strictEqual(result.status, 0, result.stdout + result.stderr);
        const advisories = result.stdout.split("\n").filter((line) => line.includes("[advisory] aws-access-analyzer-advisories"));
        assert.strictEqual(advisories.length, 1, result.stdout);
        assert.match(result.stdout, /Access Analyzer was not asked because no AWS credentials were found/);
        assert.match(result.stdout, /0 mandatory violation\(s\), 1 other diagnostic\(s\)/);

        const file = path.join(os.tmpdir(), `pack-config-${process.pid}.json`);
        fs.writeFileSync(file, JSON.stringify({ "iam-no-wildcard-actions": "lenient" }));
        const refused = await check("--policy-pack-config", file);
        fs.rmSync(file);
        assert.strictEqual(refused.status, 2);
        assert.match(refused.stderr, /^check: --policy-pack-config .*: iam-no-wildcard-actions has enforcement level "lenient", not one of advisory, mandatory, disabled, remediate\n/);
    });

    it("fails clearly for a stack that does not exist", async () => {
        const result = await check("--stack", "no-such-stack");
        assert.strictEqual(result.status, 2);
        assert.match(result.stderr, /^check: .*Pulumi\.no-such-stack\.yaml does not exist\n$/);
    });
});
