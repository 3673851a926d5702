/**
 * `npm run verify -- --stack NAME [--stack-file PATH] [--region R] [--format table|json]
 * [--print-policy [--account-id ID]]`
 *
 * Checks a deployed stack against what its program writes, with the usual AWS credential chain:
 * the program is run for the stack under the mocked engine (as `pulumi up` would run it, with the
 * same configuration `npm run check` reads), and every role, document, simulated request and
 * monitoring resource it registers is read back from AWS and compared. Only reads.
 *
 * The stack's configuration is validated before AWS is asked anything; every AWS call is bounded by
 * `--timeout` (retries included), and at most `--concurrency` roles are read at once.
 *
 * Exit codes: 0 every check passed; 1 a check failed or was skipped, or AWS did not answer a call
 * within --timeout; 2 bad arguments, an invalid stack configuration or an internal error; 3 AWS
 * could not be asked (no credentials, no region, credentials refused, no network) or the
 * credentials are for another account than the stack's.
 */
import * as path from "path";
import { parseRegion, partitionOfRegion } from "../components/arns/bedrockArns";
import { AwsCallTimeout, DEFAULT_TIMEOUT_SECONDS, parseTimeoutSeconds } from "../offline/awsClientConfig";
import { UsageError, lazyModule, parseFlags } from "../offline/commandLine";
import type { RegisteredResource } from "../offline/engine/mockEngine";
import type { OfflineStackConfig } from "../offline/engine/stackFile";
import type { VerifyClients } from "./awsClients";
import type { ExpectedStack } from "./expectedStack";
import { ReportFormat, VerifyTarget, formatJson, formatTable, reportPassed } from "./report";
import { DEFAULT_CONCURRENCY } from "./verifyDefaults";

// Loaded once the arguments are read: `--help` and bad flags load neither the SDKs nor the program.
const pulumi = lazyModule<typeof import("@pulumi/pulumi")>(require, "@pulumi/pulumi");
const stsSdk = lazyModule<typeof import("@aws-sdk/client-sts")>(require, "@aws-sdk/client-sts");
const stackConfigModule = lazyModule<typeof import("../components/stack/stackConfig")>(require, "../components/stack/stackConfig");
const runStackModule = lazyModule<typeof import("../offline/engine/runStack")>(require, "../offline/engine/runStack");
const stackFileModule = lazyModule<typeof import("../offline/engine/stackFile")>(require, "../offline/engine/stackFile");
const awsClients = lazyModule<typeof import("./awsClients")>(require, "./awsClients");
const checksModule = lazyModule<typeof import("./checks")>(require, "./checks");
const expectedStackModule = lazyModule<typeof import("./expectedStack")>(require, "./expectedStack");
const notesModule = lazyModule<typeof import("../components/stack/stackFileNotes")>(require, "../components/stack/stackFileNotes");
const verifierPolicyModule = lazyModule<typeof import("./verifierPolicy")>(require, "./verifierPolicy");

const PROJECT_DIR = path.resolve(__dirname, "..");

export const EXIT = { passed: 0, checkFailed: 1, usage: 2, cannotReachAws: 3 } as const;

export const USAGE = `usage: npm run verify -- --stack NAME [--stack-file PATH] [--region REGION] [--format table|json]
                         [--timeout SECONDS] [--concurrency N] [--print-policy [--account-id ID]]

Checks the deployed stack against what its program writes, with the usual AWS credential chain (AWS_PROFILE,
AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, SSO, web identity, instance role). Only reads.
  --stack NAME        the stack, read from Pulumi.<NAME>.yaml (the configuration npm run check reads)
  --stack-file PATH   another place for the stack's file
  --region REGION     the region to read (default: the stack's aws:region, else AWS_REGION)
  --format FORMAT     table (default) or json (one JSON document, nothing else)
  --timeout SECONDS   the bound of each AWS call, retries included (default ${DEFAULT_TIMEOUT_SECONDS}); a call that does not
                      answer in time stops verify with exit 1
  --concurrency N     roles, policies and simulations checked at once (default ${DEFAULT_CONCURRENCY}, 1 to 32)
  --print-policy      print the least-privilege IAM policy verify needs for this stack, and call nothing
  --account-id ID     with --print-policy, when the stack's aws:allowedAccountIds names no single account
The stack's configuration is validated before AWS is asked anything.
Exit codes: 0 every check passed; 1 a check failed or was skipped; 2 bad arguments, an invalid stack configuration
or an internal error; 3 AWS could not be asked (no credentials, no region, credentials refused, no network) or the
credentials are for another account than the stack's. A call AWS does not answer within --timeout is exit 1.`;

export interface VerifyArguments {
    readonly stack: string;
    /** Another place for the stack's file than `Pulumi.<stack>.yaml` beside `Pulumi.yaml`. */
    readonly stackFile: string | undefined;
    /** The region to read; if not provided, the stack's `aws:region`, else `AWS_REGION`. */
    readonly region: string | undefined;
    readonly format: ReportFormat;
    /** Print the verifier's IAM policy instead of verifying. */
    readonly printPolicy: boolean;
    /** The account for `--print-policy` when the stack names none. */
    readonly accountId: string | undefined;
    readonly help: boolean;
    /** The bound of each AWS call, retries included. If not provided, `DEFAULT_TIMEOUT_SECONDS`. */
    readonly timeoutSeconds?: number;
    /** Roles, policies and simulations checked at once. If not provided, `DEFAULT_CONCURRENCY`. */
    readonly concurrency?: number;
}

export function parseArguments(argv: readonly string[]): VerifyArguments {
    const values = parseFlags(argv, {
        stack: { type: "string" },
        "stack-file": { type: "string" },
        region: { type: "string" },
        format: { type: "string", default: "table" },
        "print-policy": { type: "boolean", default: false },
        "account-id": { type: "string" },
        timeout: { type: "string" },
        concurrency: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
    });
    const help = values.help as boolean;
    if (!help && !values.stack) throw new UsageError("--stack NAME is required: the stack whose deployment to verify");
    if (values.format !== "table" && values.format !== "json") throw new UsageError(`--format must be table or json, not '${values.format}'`);
    if (values.region !== undefined && !parseRegion(values.region).ok) throw new UsageError(`--region must be an AWS region code such as eu-west-1, not '${values.region}'`);
    if (values["account-id"] !== undefined && !/^\d{12}$/.test(values["account-id"])) throw new UsageError(`--account-id must be 12 digits, not '${values["account-id"]}'`);
    if (values["account-id"] !== undefined && !values["print-policy"]) throw new UsageError("--account-id applies only with --print-policy: verify asks AWS which account the credentials are for");
    const timeout = parseTimeoutSeconds(values.timeout);
    if (!timeout.ok) throw new UsageError(timeout.rule);
    const concurrency = values.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) throw new UsageError(`--concurrency must be a whole number from 1 to 32, not ${values.concurrency}`);
    return {
        stack: values.stack ?? "",
        stackFile: values["stack-file"] && path.resolve(values["stack-file"]),
        region: values.region,
        format: values.format,
        printPolicy: values["print-policy"] as boolean,
        accountId: values["account-id"],
        help,
        timeoutSeconds: timeout.seconds,
        concurrency,
    };
}

/** The accounts the stack's `aws:allowedAccountIds` admits, or undefined when it sets none. */
function allowedAccounts(stackConfig: OfflineStackConfig): string[] | undefined {
    const text = stackConfig.config["aws:allowedAccountIds"];
    if (text === undefined) return undefined;
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.map(String) : [String(parsed)];
}

/** `--region`, else the stack's `aws:region`, else the environment; one that contradicts the stack is refused. */
export function regionOf(args: Pick<VerifyArguments, "region" | "stack">, stackConfig: OfflineStackConfig, environment: NodeJS.ProcessEnv = process.env): string {
    const stackRegion = stackConfig.config["aws:region"];
    if (args.region && stackRegion && args.region !== stackRegion) {
        throw new UsageError(`--region ${args.region} is not the stack's aws:region (${stackRegion}): stack '${args.stack}' is deployed in ${stackRegion}`);
    }
    const region = args.region ?? stackRegion ?? environment.AWS_REGION ?? environment.AWS_DEFAULT_REGION;
    if (!region) throw new awsClients.CannotReachAws("no AWS region: pass --region, set aws:region in the stack file, or set AWS_REGION");
    return region;
}

/** Who the credentials are (`sts:GetCallerIdentity`); refuses an account the stack does not deploy to. */
export async function callerAccount(clients: VerifyClients, stack: string, allowed: readonly string[] | undefined): Promise<{ accountId: string; callerArn: string }> {
    let identity;
    try {
        identity = await clients.sts.send(new stsSdk.GetCallerIdentityCommand({}));
    } catch (error) {
        if (error instanceof AwsCallTimeout) throw error;
        const reason = awsClients.unreachableReason(error);
        if (reason) throw new awsClients.CannotReachAws(reason);
        throw new awsClients.CannotReachAws(`AWS did not say who the credentials are (sts:GetCallerIdentity: ${(error as Error).name}: ${(error as Error).message})`);
    }
    const accountId = identity.Account ?? "";
    const callerArn = identity.Arn ?? "";
    if (allowed && !allowed.includes(accountId)) {
        throw new awsClients.CannotReachAws(
            `the credentials are for account ${accountId} (${callerArn}), but stack '${stack}' deploys to ${allowed.join(", ")} (aws:allowedAccountIds): use credentials of that account, e.g. another AWS_PROFILE`,
        );
    }
    return { accountId, callerArn };
}

/** The project's keys without their `project:` prefix, as the program's validation reads them. */
function projectValues(stackConfig: OfflineStackConfig): Record<string, string> {
    const prefix = `${stackConfig.project}:`;
    return Object.fromEntries(Object.entries(stackConfig.config).flatMap(([key, value]) => (key.startsWith(prefix) ? [[key.slice(prefix.length), value]] : [])));
}

/** Runs the program once for the stack in this account (a mocked `pulumi up`: outputs as the provider sets them). */
export type ProgramRunner = (stackConfig: OfflineStackConfig, accountId: string) => Promise<readonly RegisteredResource[]>;

const runProgramOnce: ProgramRunner = async (stackConfig, accountId) =>
    (await runStackModule.runStackProgram({ projectDir: PROJECT_DIR, stackConfig, accountId, preview: false })).resources;

/** What the deployed stack should be, from the program's registrations and the stack's configuration. */
export async function expectationsOf(stackConfig: OfflineStackConfig, region: string, accountId: string, runProgram: ProgramRunner): Promise<ExpectedStack> {
    const resources = await runProgram(stackConfig, accountId);
    const config = stackConfigModule.validateStackConfig({ region, projectValues: projectValues(stackConfig) });
    return expectedStackModule.expectedStack(resources, config, { partition: partitionOfRegion(region), region, accountId });
}

export interface VerifyDependencies {
    /** Clients for a region. If not provided, real SDK clients with the default credential chain, bounded by the timeout. */
    readonly createClients?: (region: string, timeoutSeconds: number) => VerifyClients;
    /** Runs the stack's program. If not provided, `runStackProgram` (once per process). */
    readonly runProgram?: ProgramRunner;
    /** Where the report goes. If not provided, stdout. */
    readonly print?: (text: string) => void;
}

/** The whole command, returning its exit code; errors are thrown for `main` to turn into one sentence. */
export async function runVerify(args: VerifyArguments, dependencies: VerifyDependencies = {}): Promise<number> {
    const print = dependencies.print ?? ((text: string) => console.log(text));
    const runProgram = dependencies.runProgram ?? runProgramOnce;
    const stackConfig = stackFileModule.loadStackConfig(PROJECT_DIR, args.stack, args.stackFile);
    const warning = stackFileModule.environmentWarning(stackConfig);
    if (warning) process.stderr.write(`verify: ${warning}\n`);
    for (const secretWarning of notesModule.plainTextSecretWarnings(stackConfig.project, args.stack, stackConfig.config)) process.stderr.write(`verify: ${secretWarning}\n`);
    const region = regionOf(args, stackConfig);
    const withRegion: OfflineStackConfig = { ...stackConfig, config: { ...stackConfig.config, "aws:region": region } };
    const allowed = allowedAccounts(stackConfig);
    // An invalid stack is said before AWS is asked anything (it throws the validation's own sentence).
    stackConfigModule.validateStackConfig({ region, projectValues: projectValues(stackConfig) });

    if (args.printPolicy) {
        const account = notesModule.chooseAccount(stackConfig.config, args.accountId, false);
        if ("problem" in account) {
            if (args.accountId) throw new UsageError(`--account-id ${account.problem}`);
            throw new UsageError(`the policy names the stack's account: pass --account-id, or set aws:allowedAccountIds to that one account in Pulumi.${args.stack}.yaml`);
        }
        const accountId = account.accountId;
        // On stderr, so that the policy alone is on stdout.
        process.stderr.write(`verify: stack '${args.stack}' in ${notesModule.describeChosenAccount(account, "--account-id")}\n`);
        const expected = await expectationsOf(withRegion, region, accountId, runProgram);
        print(JSON.stringify(await verifierPolicyModule.verifierPolicy(expected), null, 2));
        return EXIT.passed;
    }

    const clients = (dependencies.createClients ?? awsClients.createClients)(region, args.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS);
    const { accountId, callerArn } = await callerAccount(clients, args.stack, allowed);
    const expected = await expectationsOf(withRegion, region, accountId, runProgram);
    const results = await checksModule.runChecks(expected, clients, args.concurrency ?? DEFAULT_CONCURRENCY);
    const target: VerifyTarget = { stack: args.stack, accountId, region, callerArn };
    const report = { target, results, notVerified: expected.notVerified };
    print(args.format === "json" ? formatJson(report) : formatTable(report));
    return reportPassed(results) ? EXIT.passed : EXIT.checkFailed;
}

/** The exit code and the one sentence for an error `runVerify` threw. */
export function failureOf(error: unknown): { exitCode: number; message: string } {
    if (error instanceof UsageError) return { exitCode: EXIT.usage, message: `verify: ${error.message}\n\n${USAGE}` };
    if (error instanceof pulumi.RunError) return { exitCode: EXIT.usage, message: error.message };
    if (error instanceof AwsCallTimeout) return { exitCode: EXIT.checkFailed, message: `verify: ${error.message}` };
    if (error instanceof awsClients.CannotReachAws) return { exitCode: EXIT.cannotReachAws, message: `verify: ${error.message}` };
    const reason = awsClients.unreachableReason(error);
    if (reason) return { exitCode: EXIT.cannotReachAws, message: `verify: ${reason}` };
    return { exitCode: EXIT.usage, message: `verify: ${(error as Error).message}` };
}

/**
 * The whole command, as `npm run verify -- ARGS` runs it: prints the report (or one sentence on
 * stderr) and returns the exit code; never exits the process.
 */
export async function main(argv: readonly string[]): Promise<number> {
    try {
        const args = parseArguments(argv);
        if (args.help) {
            console.log(USAGE);
            return EXIT.passed;
        }
        return await runVerify(args);
    } catch (error) {
        // One sentence, no stack trace: what to set is in the message.
        const failure = failureOf(error);
        console.error(failure.message);
        return failure.exitCode;
    }
}

if (require.main === module) {
    // Exit once stdout is written: a pipe (npm run ... | jq) takes output past 64 KiB only as the reader drains it.
    void main(process.argv.slice(2)).then((code) => process.stdout.write("", () => process.exit(code)));
}
