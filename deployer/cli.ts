/**
 * `npm run deployer-policy -- [--stack NAME] [--stack-file PATH] [--account-id ID] [--format text|json] [--boundary]`
 *
 * Runs the program for the stack under the mocked engine (as `pulumi up` would run it), and prints
 * the IAM policy an identity needs to run `pulumi preview`, `pulumi up` and `pulumi destroy` for
 * exactly this stack, as managed policy documents within IAM's size quota.
 *
 * Exit codes: 0 printed; 1 the stack's configuration is invalid; 2 bad arguments or an internal error.
 */
import * as path from "path";
import { parseRegion, partitionOfRegion } from "../components/arns/bedrockArns";
import { policyJson } from "../components/iam/iamDocument";
import { DEFAULT_IAM_QUOTAS, iamPolicySize } from "../components/iam/iamQuotas";
import type { RegisteredResource } from "../offline/engine/mockEngine";
import { UsageError, lazyModule, parseFlags } from "../offline/commandLine";
import type { OfflineStackConfig } from "../offline/engine/stackFile";
import { boundaryStatementReasons } from "../components/iam/permissionsBoundary";
import type { ChosenAccount } from "../components/stack/stackFileNotes";
import { StackBoundary, stackBoundary } from "./boundary";
import type { DeployedResource, DeployerPolicy } from "./deployerPolicy";

// Loaded once the arguments are read: `--help` and bad flags load neither the SDK nor the program.
const pulumi = lazyModule<typeof import("@pulumi/pulumi")>(require, "@pulumi/pulumi");
const engineModule = lazyModule<typeof import("../offline/engine/mockEngine")>(require, "../offline/engine/mockEngine");
const runStackModule = lazyModule<typeof import("../offline/engine/runStack")>(require, "../offline/engine/runStack");
const stackFileModule = lazyModule<typeof import("../offline/engine/stackFile")>(require, "../offline/engine/stackFile");
const notesModule = lazyModule<typeof import("../components/stack/stackFileNotes")>(require, "../components/stack/stackFileNotes");
const deployerPolicyModule = lazyModule<typeof import("./deployerPolicy")>(require, "./deployerPolicy");

const PROJECT_DIR = path.resolve(__dirname, "..");

export const USAGE = `usage: npm run deployer-policy -- [--stack NAME] [--stack-file PATH] [--account-id ID] [--format text|json] [--boundary]

Prints the IAM policy that runs pulumi preview, up and destroy for exactly this stack.
  --stack NAME       the stack (default: example), read from Pulumi.<NAME>.yaml
  --stack-file PATH  another place for the stack's file
  --account-id ID    the account the stack deploys to (default: the stack's aws:allowedAccountIds, if it names one)
  --format FORMAT    text (default: the documents, each statement with what it is for) or json (one JSON array of
                     policy documents, what you attach, in order, and nothing else)
  --boundary         instead, the permissions boundary every role of the stack carries: with --format json one
                     JSON object {"arn": ..., "document": ...} (both null with permissionsBoundary: none); in text,
                     each statement with why it is there
Exit codes: 0 printed; 1 the stack's configuration is invalid; 2 bad arguments or an internal error.`;


export interface DeployerPolicyArguments {
    readonly stack: string;
    readonly stackFile: string | undefined;
    readonly accountId: string | undefined;
    readonly format: "text" | "json";
    /** Print the stack's permissions boundary instead of the deployer's policy. */
    readonly boundary: boolean;
    readonly help: boolean;
}

export function parseArguments(argv: readonly string[]): DeployerPolicyArguments {
    const values = parseFlags(argv, {
        stack: { type: "string", default: "example" },
        "stack-file": { type: "string" },
        "account-id": { type: "string" },
        format: { type: "string", default: "text" },
        boundary: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
    });
    if (values.format !== "text" && values.format !== "json") throw new UsageError(`--format must be text or json, not '${values.format}'`);
    if (values["account-id"] !== undefined && !/^\d{12}$/.test(values["account-id"])) throw new UsageError(`--account-id must be 12 digits, not '${values["account-id"]}'`);
    return {
        stack: values.stack as string,
        stackFile: values["stack-file"] && path.resolve(values["stack-file"]),
        accountId: values["account-id"],
        format: values.format,
        boundary: values.boundary as boolean,
        help: values.help as boolean,
    };
}

/** The account: `--account-id`, else the stack's `aws:allowedAccountIds` when it names exactly one; never one the stack refuses. */
function accountOf(args: DeployerPolicyArguments, stackConfig: OfflineStackConfig): ChosenAccount {
    const account = notesModule.chooseAccount(stackConfig.config, args.accountId, false);
    if ("problem" in account) {
        if (args.accountId) throw new UsageError(`--account-id ${account.problem}`);
        throw new UsageError(`the policy names the stack's account: pass --account-id, or set aws:allowedAccountIds to that one account in Pulumi.${args.stack}.yaml`);
    }
    return account;
}

/** Runs the stack's program under mocks and derives its deployer policy (and its permissions boundary). */
export async function deployerPolicyForStack(args: DeployerPolicyArguments): Promise<DeployerPolicy & { readonly boundary: StackBoundary }> {
    const stackConfig = stackFileModule.loadStackConfig(PROJECT_DIR, args.stack, args.stackFile);
    const environment = stackFileModule.environmentWarning(stackConfig);
    if (environment) process.stderr.write(`deployer-policy: ${environment}\n`);
    const account = accountOf(args, stackConfig);
    const accountId = account.accountId;
    const region = stackConfig.config["aws:region"] ?? "";
    if (!parseRegion(region).ok) throw new UsageError(`the stack sets no valid aws:region ('${region}')`);
    const engine = await runStackModule.runStackProgram({ projectDir: PROJECT_DIR, stackConfig, accountId, preview: false });
    // On stderr, so that the policy alone is on stdout; after the program ran, so that a configuration error comes first.
    process.stderr.write(`deployer-policy: stack '${args.stack}' in ${notesModule.describeChosenAccount(account, "--account-id")}\n`);
    for (const warning of notesModule.plainTextSecretWarnings(stackConfig.project, args.stack, stackConfig.config)) process.stderr.write(`deployer-policy: ${warning}\n`);
    const location = { partition: partitionOfRegion(region), region, accountId };
    const resources = deployedResources(engine.resources);
    const policy = await deployerPolicyModule.deployerPolicy(location, resources, engine.invokeCalls, DEFAULT_IAM_QUOTAS.managedPolicyCharacters);
    return { ...policy, boundary: stackBoundary(location, resources) };
}

/** The boundary in text: its ARN, then each statement with why it is there. */
export function formatBoundaryText(boundary: StackBoundary, stack: string): string {
    if (!boundary.arn || !boundary.document) return `Stack '${stack}' sets permissionsBoundary: none: its roles carry no permissions boundary.`;
    const reasons = boundaryStatementReasons(boundary.document);
    const lines = [
        `The permissions boundary of stack '${stack}': every role the stack creates carries ${boundary.arn}`,
        `(${iamPolicySize(policyJson(boundary.document))} of ${DEFAULT_IAM_QUOTAS.managedPolicyCharacters} characters as IAM counts them). The bootstrap program creates it; no role of the stack can do more.`,
    ];
    for (const statement of boundary.document.Statement) lines.push("", `# ${statement.Sid}: ${reasons.get(statement.Sid) ?? ""}`, JSON.stringify(statement, null, 2));
    return lines.join("\n");
}

/** The custom resources a mocked `pulumi up` registered (not providers: they call nothing), with plain property values. */
export function deployedResources(registered: readonly RegisteredResource[]): DeployedResource[] {
    return registered
        .filter((resource) => resource.custom && !resource.type.startsWith("pulumi:providers:"))
        .map((resource) => ({
            type: resource.type,
            name: resource.name,
            properties: engineModule.plainValue(resource.properties) as Record<string, unknown>,
            retainOnDelete: resource.retainOnDelete,
        }));
}

export function formatText(policy: DeployerPolicy, stack: string): string {
    const lines = [
        `The IAM policy that runs pulumi preview, up and destroy for stack '${stack}': ${policy.documents.length} managed ` +
            `${policy.documents.length === 1 ? "policy" : "policies"} to attach to the deploying role, in this order.`,
        "No statement grants a wildcard action; statements on '*' hold only actions that AWS authorizes on '*' alone.",
    ];
    policy.documents.forEach((document, index) => {
        lines.push("", `=== Policy ${index + 1} of ${policy.documents.length} (${iamPolicySize(policyJson(document))} of ${DEFAULT_IAM_QUOTAS.managedPolicyCharacters} characters as IAM counts them)`);
        for (const statement of document.Statement) {
            const reasons = policy.reasons.get(statement.Sid.replace(/[AB]+$/, "")) ?? [];
            lines.push("", `# ${statement.Sid}: for`, ...reasons.map((reason) => `#   ${reason}`), JSON.stringify(statement, null, 2));
        }
    });
    return lines.join("\n");
}

async function printPolicy(argv: readonly string[]): Promise<number> {
    const args = parseArguments(argv);
    if (args.help) {
        console.log(USAGE);
        return 0;
    }
    const policy = await deployerPolicyForStack(args);
    if (args.boundary) {
        console.log(args.format === "json" ? JSON.stringify({ arn: policy.boundary.arn, document: policy.boundary.document }, null, 2) : formatBoundaryText(policy.boundary, args.stack));
        return 0;
    }
    console.log(args.format === "json" ? JSON.stringify(policy.documents, null, 2) : formatText(policy, args.stack));
    return 0;
}

/**
 * The whole command, as `npm run deployer-policy -- ARGS` runs it: prints the policy (or one sentence
 * on stderr) and returns the exit code; never exits the process.
 */
export async function main(argv: readonly string[]): Promise<number> {
    try {
        return await printPolicy(argv);
    } catch (error) {
        if (!(error instanceof UsageError) && error instanceof pulumi.RunError) {
            console.error(error.message);
            return 1;
        }
        console.error(error instanceof UsageError ? `deployer-policy: ${error.message}\n\n${USAGE}` : `deployer-policy: ${(error as Error).message}`);
        return 2;
    }
}

if (require.main === module) {
    // Exit once stdout is written: a pipe (npm run ... | jq) takes output past 64 KiB only as the reader drains it.
    void main(process.argv.slice(2)).then((code) => process.stdout.write("", () => process.exit(code)));
}
