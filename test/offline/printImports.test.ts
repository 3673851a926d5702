/**
 * `npm run check -- --print-imports` as a user runs it: a separate process on the example stack,
 * with the user's account; the commands' types, names, IDs and parents are those the program
 * registers (proven in-process in test/monitoring/invocationLogging.test.ts). The command runs
 * in-process through its `main` (`runCommand`: the same output and exit code, captured at stdout and
 * stderr), sparing a process and an SDK load per run; test/offline/check.test.ts keeps the spawned
 * end-to-end runs of the check.
 */
import * as assert from "assert";
import { runCommand } from "../commands";
import { withoutAwsCredentials } from "../awsEnvironment";

const ACCOUNT = "111111111111";

function check(...args: string[]) {
    return runCommand("offline/check.ts", args, { env: withoutAwsCredentials(process.env) });
}

interface Printed {
    readonly stack: string;
    readonly accountId: string;
    readonly parentTargets: string[];
    readonly registerParents: string;
    readonly imports: { type: string; name: string; id?: string; parent?: string; command: string }[];
}

describe("npm run check -- --print-imports", () => {
    it("prints, for the stack and the account given, the components to register and one import per kept resource", async () => {
        const result = await check("--print-imports", "--account", ACCOUNT, "--format", "json");
        assert.strictEqual(result.status, 0, result.stdout + result.stderr);
        const printed = JSON.parse(result.stdout) as Printed;
        assert.deepStrictEqual([printed.stack, printed.accountId], ["example", ACCOUNT]);
        const byName = (type: string, name: string) => printed.imports.find((entry) => entry.type === type && entry.name === name)!;
        const bucket = byName("aws:s3/bucket:Bucket", "bedrock-monitoring-logs");
        assert.strictEqual(bucket.id, `bedrock-invocation-logs-${ACCOUNT}-eu-west-1`);
        assert.strictEqual(bucket.parent, "bedrock-monitoring=urn:pulumi:example::bedrock-access::bedrock-access:index:InvocationMonitoring::bedrock-monitoring");
        assert.strictEqual(
            bucket.command,
            `pulumi import aws:s3/bucket:Bucket bedrock-monitoring-logs bedrock-invocation-logs-${ACCOUNT}-eu-west-1 --parent bedrock-monitoring=urn:pulumi:example::bedrock-access::bedrock-access:index:InvocationMonitoring::bedrock-monitoring --stack example --protect=false --generate-code=false --yes`,
        );
        assert.strictEqual(byName("aws:cloudwatch/logGroup:LogGroup", "bedrock-monitoring-logs").id, "/aws/bedrock/modelinvocations");
        assert.strictEqual(byName("aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration", "bedrock-monitoring-logging").id, "eu-west-1");
        assert.strictEqual(byName("aws:kms/key:Key", "bedrock-monitoring-key").id, undefined, "AWS chose the key's ID");
        assert.ok(printed.parentTargets.includes("urn:pulumi:example::bedrock-access::bedrock-access:index:InvocationMonitoring::bedrock-monitoring"));
        assert.match(printed.registerParents, /^pulumi up --stack example --target urn:pulumi:example::bedrock-access::bedrock-access:index:InvocationMonitoring::bedrock-monitoring /);
        // Nothing that destroy deletes is listed: roles, alarms, the dashboard.
        assert.deepStrictEqual(printed.imports.filter((entry) => /iam\/role|metricAlarm|dashboard/.test(entry.type)), []);
    });

    it("says in text how to find a key's ID, and refuses an account that is not 12 digits", async () => {
        const text = await check("--print-imports");
        assert.strictEqual(text.status, 0, text.stderr);
        assert.match(text.stdout, /Names carry the account: pass --account with yours/);
        assert.match(text.stdout, /\n<key-id>: a kept key's ID, which AWS chose/);
        const bad = await check("--print-imports", "--account", "12345");
        assert.strictEqual(bad.status, 2);
        assert.match(bad.stderr, /--account must be a 12-digit AWS account ID, not '12345'/);
    });
});
