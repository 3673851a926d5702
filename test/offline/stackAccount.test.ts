/**
 * The offline tools run the program as the stack's own account when `aws:allowedAccountIds` names
 * one, say which account they use, and warn once per value that should be a secret but is plain text.
 * The commands run in-process through their `main` (`runCommand`: the same output and exit codes,
 * captured at stdout and stderr), not as ts-node processes: test/offline/check.test.ts and
 * test/deployer/cli.test.ts keep the spawned end-to-end runs.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCommand } from "../commands";
import { chooseAccount, describeChosenAccount, plainTextSecretWarnings } from "../../components/stack/stackFileNotes";

const OWN_ACCOUNT = "210987654321";

function run(script: string, ...args: string[]) {
    return runCommand(script, args);
}

const STACK_FILE = `config:
  aws:region: eu-west-1
  aws:allowedAccountIds: ["${OWN_ACCOUNT}"]
  bedrock-access:monitoring:
    enabled: false
  bedrock-access:gateways:
    - name: portkey
      trustedPrincipals: [arn:aws:iam::111111111111:role/portkey-gateway]
      externalId: portkey-plain-text-id
      models: [amazon.nova-pro-v1:0, eu.amazon.nova-pro-v1:0]
    - name: port
      trustedPrincipals: [arn:aws:iam::185657066287:role/port-ai]
      externalId:
        secure: AAABAGtY0CqQyx4gI5ddC0zJhX3eVb9yV1c7M2hZx8mZr4g1P8X8mJjBvYw=
      models: [amazon.nova-pro-v1:0]
`;

describe("the stack's own account and plain-text secrets", () => {
    it("chooses the flag's account, else the one aws:allowedAccountIds names, else the stand-in, and says which", () => {
        const config = { "aws:allowedAccountIds": JSON.stringify([OWN_ACCOUNT]) };
        assert.deepStrictEqual(chooseAccount(config, undefined, true), { accountId: OWN_ACCOUNT, source: "allowedAccountIds" });
        assert.deepStrictEqual(chooseAccount(config, OWN_ACCOUNT, true), { accountId: OWN_ACCOUNT, source: "flag" });
        assert.match((chooseAccount(config, "999999999999", true) as { problem: string }).problem, /^999999999999 is not one of the stack's aws:allowedAccountIds \(210987654321\)/);
        assert.deepStrictEqual(chooseAccount({ "aws:allowedAccountIds": "210987654321, 111111111111" }, undefined, true), { accountId: "123456789012", source: "stand-in" });
        assert.deepStrictEqual(chooseAccount({}, undefined, false), { problem: "the stack's aws:allowedAccountIds names no single account" });
        assert.strictEqual(describeChosenAccount({ accountId: OWN_ACCOUNT, source: "allowedAccountIds" }, "--account"), "account 210987654321 (the stack's aws:allowedAccountIds)");
        assert.match(describeChosenAccount({ accountId: "123456789012", source: "stand-in" }, "--account"), /^account 123456789012 \(a stand-in for yours: set aws:allowedAccountIds/);
    });

    it("names each plain-text external ID once, with the command that makes it a secret, never its value", () => {
        const config = {
            "bedrock-access:gateways": JSON.stringify([{ name: "a", externalId: "plain-1" }, { name: "b", externalId: "offline-placeholder-secret" }, { name: "c", trust: { externalId: "plain-2" } }]),
            "aws:region": "eu-west-1",
        };
        const warnings = plainTextSecretWarnings("bedrock-access", "prod", config);
        assert.deepStrictEqual(warnings, [
            "warning: bedrock-access:gateways[0].externalId is plain text in Pulumi.prod.yaml: make it a secret with pulumi config set --secret --path 'gateways[0].externalId' --stack prod (it prompts for the value)",
            "warning: bedrock-access:gateways[2].trust.externalId is plain text in Pulumi.prod.yaml: make it a secret with pulumi config set --secret --path 'gateways[2].trust.externalId' --stack prod (it prompts for the value)",
        ]);
        assert.ok(warnings.every((warning) => !warning.includes("plain-1") && !warning.includes("plain-2")));
    });

    describe("through the command lines", () => {
        let dir: string;
        let stackFile: string;
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-account-"));
            stackFile = path.join(dir, "Pulumi.mine.yaml");
            fs.writeFileSync(stackFile, STACK_FILE);
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("check runs as the stack's account, says so, warns once on the plain external ID, and the summary shows that account's ARNs", async () => {
            const result = await run("offline/check.ts", "--stack", "mine", "--stack-file", stackFile);
            assert.strictEqual(result.status, 0, result.stdout + result.stderr);
            assert.match(result.stdout, /^Offline check of stack 'mine' \(project bedrock-access; account 210987654321 \(the stack's aws:allowedAccountIds\)\)\n/);
            const warnings = result.stdout.split("\n").filter((line) => line.includes("is plain text"));
            assert.deepStrictEqual(warnings, [
                "warning: bedrock-access:gateways[0].externalId is plain text in Pulumi.mine.yaml: make it a secret with pulumi config set --secret --path 'gateways[0].externalId' --stack mine (it prompts for the value)",
            ]);
            assert.doesNotMatch(result.stdout, /portkey-plain-text-id/);
            assert.match(result.stdout, /on arn:aws:bedrock:eu-west-1:210987654321:inference-profile\/eu\.amazon\.nova-pro-v1:0/);
            assert.doesNotMatch(result.stdout, /123456789012/);
            assert.match(result.stdout, /\nPASSED\n$/);
        });

        it("check names the account in its JSON too", async () => {
            const result = await run("offline/check.ts", "--stack", "mine", "--stack-file", stackFile, "--format", "json");
            assert.strictEqual(result.status, 0, result.stderr);
            const data = JSON.parse(result.stdout) as { accountId: string; accountSource: string };
            assert.deepStrictEqual([data.accountId, data.accountSource], [OWN_ACCOUNT, "allowedAccountIds"]);
        });

        it("check runs as the --account given, saying so", async () => {
            const result = await run("offline/check.ts", "--stack", "mine", "--stack-file", stackFile, "--account", "999999999999");
            assert.strictEqual(result.status, 0, result.stdout + result.stderr);
            assert.match(result.stdout, /^Offline check of stack 'mine' \(project bedrock-access; account 999999999999 \(--account\)\)\n/);
        });

        it("deployer-policy refuses an --account-id the stack refuses", async () => {
            const result = await run("deployer/cli.ts", "--stack", "mine", "--stack-file", stackFile, "--account-id", "999999999999");
            assert.strictEqual(result.status, 2);
            assert.match(result.stderr, /^deployer-policy: --account-id 999999999999 is not one of the stack's aws:allowedAccountIds \(210987654321\)/);
        });

        it("deployer-policy says the account on stderr, with the same warning, and names that account in the policy", async () => {
            const result = await run("deployer/cli.ts", "--stack", "mine", "--stack-file", stackFile, "--format", "json");
            assert.strictEqual(result.status, 0, result.stderr);
            assert.match(result.stderr, /deployer-policy: stack 'mine' in account 210987654321 \(the stack's aws:allowedAccountIds\)\n/);
            assert.match(result.stderr, /deployer-policy: warning: bedrock-access:gateways\[0\]\.externalId is plain text in Pulumi\.mine\.yaml: make it a secret with pulumi config set --secret --path 'gateways\[0\]\.externalId' --stack mine/);
            assert.match(result.stdout, /arn:aws:iam::210987654321:role\//);
            JSON.parse(result.stdout);
        });
    });
});
