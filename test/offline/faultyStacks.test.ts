/**
 * Stacks of the kinds users write, through the commands as they run them: an external ID inside a
 * larger object that fails validation (masked, never printed), a branch given as its full ref (one
 * subject), a secret alert email (opaque offline, never a placeholder failure), and Pulumi ESC
 * imports (one warning line in check, deployer-policy and verify). The commands run in-process
 * through their `main` (`runCommand`: the same output, captured at stdout and stderr, and the same
 * exit codes), which spares a process, an SDK load and a pack start per run; the spawned end-to-end
 * runs are in each command's own test file. The external ID that must never be printed is checked on
 * a separate process, where every byte written counts.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { RUN_COMMAND, runCommand } from "../commands";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { validateBootstrapConfig } from "../../bootstrap/bootstrapConfig";
import { describeValue, holdsSecret, isOfflineSecret } from "../../components/config/configValidation";
import { validateStackConfig } from "../../components/stack/stackConfig";
import { environmentWarning, loadStackConfig } from "../../offline/engine/stackFile";
import { withoutAwsCredentials } from "../awsEnvironment";

const ROOT = path.resolve(__dirname, "..", "..");
const EXTERNAL_ID = "central-7f3a9c2e-do-not-print";

function command(script: string, ...args: string[]) {
    return runCommand(script, args, { env: withoutAwsCredentials() });
}

/** The command as a separate process: where what must never appear is a secret, every byte the process writes is read, not only what goes through its streams' `write`. */
function spawned(script: string, ...args: string[]) {
    return spawnSync(process.execPath, [RUN_COMMAND, script, ...args], { cwd: ROOT, encoding: "utf8", timeout: 120000, env: withoutAwsCredentials() });
}

describe("stacks with secrets, refs and ESC imports", function () {
    this.timeout(240000);
    let dir: string;
    const example = fs.readFileSync(path.join(ROOT, "Pulumi.example.yaml"), "utf8");
    const write = (name: string, text: string) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, text);
        return file;
    };
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "faulty-stacks-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("never prints an external ID held inside a larger object that fails validation", () => {
        const file = write(
            "Pulumi.central.yaml",
            [
                "config:",
                "  aws:region: eu-west-1",
                "  bedrock-access-bootstrap:stack: example",
                "  bedrock-access-bootstrap:trust:",
                "    github: { repository: acme/bedrock-platform, branch: main }",
                `    centralAccount: { roleArn: "arn:aws:iam::111111111111:role/deployer", externalId: "${EXTERNAL_ID}" }`,
                "",
            ].join("\n"),
        );
        const result = spawned("offline/check.ts", "--project", "bootstrap", "--stack", "central", "--stack-file", file);
        assert.strictEqual(result.status, 1, result.stdout + result.stderr);
        assert.match(result.stdout, /trust = \(secret\): must set exactly one of github, pulumiDeployments, pulumiEsc and centralAccount/);
        assert.ok(!(result.stdout + result.stderr).includes(EXTERNAL_ID), "the external ID is printed");
        assert.ok(!(result.stdout + result.stderr).includes("7f3a9c2e"), "part of the external ID is printed");
    });

    it("masks any value with a secret below it", () => {
        assert.strictEqual(describeValue({ centralAccount: { externalId: EXTERNAL_ID } }, false), "(secret)");
        assert.strictEqual(describeValue([{ externalId: "x" }], false), "(secret)");
        assert.strictEqual(describeValue("offline-placeholder-secret-3", false), "(secret, not decrypted offline)");
        assert.ok(holdsSecret({ a: ["offline-placeholder-secret"] }));
        assert.ok(!holdsSecret({ a: ["placeholder"] }));
        assert.ok(isOfflineSecret("offline-placeholder-secret-12") && !isOfflineSecret("offline-placeholder-secrets"));
        assert.throws(
            () => validateBootstrapConfig("eu-west-1", { stack: "example", trust: JSON.stringify({ github: { repository: "acme/repo", branch: "main" }, centralAccount: { roleArn: "arn:aws:iam::111111111111:role/d", externalId: EXTERNAL_ID } }) }),
            (error: Error) => error.message.includes("trust = (secret): must set exactly one of") && !error.message.includes(EXTERNAL_ID),
        );
    });

    it("accepts a branch as a bare name or refs/heads/NAME and writes one subject; refuses another kind of ref", async () => {
        const trust = (branch: string) => validateBootstrapConfig("eu-west-1", { stack: "example", trust: JSON.stringify({ github: { repository: "acme/bedrock-platform", branch } }) }).trust;
        assert.deepStrictEqual(trust("refs/heads/main"), trust("main"));
        assert.deepStrictEqual(trust("refs/heads/release/2026"), trust("release/2026"));
        assert.throws(() => trust("refs/tags/v1"), /must name a branch: refs\/heads\/NAME or NAME, not another kind of ref/);
        const file = write(
            "Pulumi.ref.yaml",
            ["config:", "  aws:region: eu-west-1", "  bedrock-access-bootstrap:stack: example", "  bedrock-access-bootstrap:trust:", "    github: { repository: acme/bedrock-platform, branch: refs/heads/main }", ""].join("\n"),
        );
        const result = await command("offline/check.ts", "--project", "bootstrap", "--stack", "ref", "--stack-file", file, "--documents");
        assert.strictEqual(result.status, 0, result.stdout + result.stderr);
        assert.match(result.stdout, /"token\.actions\.githubusercontent\.com:sub": "repo:acme\/bedrock-platform:ref:refs\/heads\/main"/);
        assert.doesNotMatch(result.stdout, /refs\/heads\/refs\/heads/);
    });

    it("passes a secret alert email through opaque offline, and says ESC imports are not read, in check, deployer-policy and verify", async () => {
        const text = example
            .replace("    alertEmails: [oncall@example.com]", "    alertEmails:\n      - oncall@example.com\n      - secure: AAABAJ5qQ0xWqvAKfXw1sY2lYi8wHcXQ==\n      - secure: AAABAK9pQ1xWqvAKfXw1sY2lYi8wHcXQ==")
            .replace("config:\n", "environment:\n  - acme/bedrock-prod\nconfig:\n");
        assert.notStrictEqual(text, example);
        const file = write("Pulumi.secret-email.yaml", text);
        const stackConfig = loadStackConfig(ROOT, "secret-email", file);
        assert.deepStrictEqual(stackConfig.environments, ["acme/bedrock-prod"]);
        const monitoring = JSON.parse(stackConfig.config["bedrock-access:monitoring"]) as { alertEmails: string[] };
        // Each undecrypted value is distinct, so that two secret addresses stay two subscriptions.
        assert.deepStrictEqual(monitoring.alertEmails.slice(1).map(isOfflineSecret), [true, true]);
        assert.notStrictEqual(monitoring.alertEmails[1], monitoring.alertEmails[2]);
        const projectValues = Object.fromEntries(Object.entries(stackConfig.config).filter(([key]) => key.startsWith("bedrock-access:")).map(([key, value]) => [key.slice("bedrock-access:".length), value]));
        assert.strictEqual(validateStackConfig({ region: "eu-west-1", projectValues }).monitoring?.alertEmails.length, 3);
        // A known value keeps its rule.
        assert.throws(() => validateStackConfig({ region: "eu-west-1", projectValues: { ...projectValues, monitoring: JSON.stringify({ alertEmails: ["not-an-email"] }) } }), /monitoring\.alertEmails\[0\] = "not-an-email": must be an email address/);

        const warning = environmentWarning(stackConfig)!;
        assert.match(warning, /^warning: stack 'secret-email' imports Pulumi ESC environment\(s\) acme\/bedrock-prod; their configuration and secrets are not read offline/);

        const checked = await command("offline/check.ts", "--stack", "secret-email", "--stack-file", file);
        assert.strictEqual(checked.status, 0, checked.stdout + checked.stderr);
        assert.doesNotMatch(checked.stdout + checked.stderr, /must be an email address/);
        assert.strictEqual(checked.stderr.split("\n").filter((line) => line.includes("ESC")).length, 1);
        assert.ok(checked.stderr.includes(`check: ${warning}`));

        const deployer = await command("deployer/cli.ts", "--stack", "secret-email", "--stack-file", file);
        assert.strictEqual(deployer.status, 0, deployer.stderr);
        assert.ok(deployer.stderr.includes(`deployer-policy: ${warning}`));

        // verify warns, validates the stack, and only then finds no credentials.
        const verified = await command("verify/cli.ts", "--stack", "secret-email", "--stack-file", file);
        assert.strictEqual(verified.status, 3, verified.stderr);
        assert.deepStrictEqual(verified.stderr.trim().split("\n"), [`verify: ${warning}`, "verify: no AWS credentials were found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run aws sso login, then run verify again"]);
    });

    it("verify says an invalid stack before asking AWS anything (no credentials here: the stack's problem is what it reports)", async () => {
        const result = await command("verify/cli.ts", "--stack", "invalid", "--stack-file", "test/stacks/Pulumi.invalid.yaml");
        assert.strictEqual(result.status, 2, result.stderr);
        assert.match(result.stderr, /Invalid stack configuration/);
        assert.doesNotMatch(result.stderr, /credentials/);
    });
});
