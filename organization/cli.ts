/**
 * `npm run org-guardrails -- --stack-file F1 --stack-file F2 ... --deployment-role-name NAME [--deployment-role-name NAME ...] [--admin-role-name NAME ...] [--format text|json]`
 *
 * Prints the organisation's Deny-only service control policies, derived from what the given stacks
 * approve: model invocation beyond the approved models and profiles, Marketplace subscriptions
 * beyond the approved products, long-term Bedrock API keys, invocation logging changes by anyone
 * but the deployment roles (and, given admin roles, creating or rewriting a role of those names by
 * anyone but the admin roles), and bedrock-mantle inference beyond the approved models.
 */
import { UsageError, parseFlags } from "../offline/commandLine";

export const USAGE = `usage: npm run org-guardrails -- --stack-file FILE [--stack-file FILE ...] --deployment-role-name NAME [--deployment-role-name NAME ...] [--admin-role-name NAME ...] [--format text|json]

Prints Deny-only service control policies (SCPs) for the organisation, from the union of what the given stacks
of the main project approve: invoking any foundation model or inference profile no stack approves (any region,
any version; Converse is authorised as InvokeModel; batch jobs, provisioning, customisation, application profiles,
prompt routers and every other action naming a foundation model too), subscribing to unapproved Marketplace
products, creating or using long-term Bedrock API keys, changing invocation logging by anyone but the deployment
roles, creating or rewriting a deployment role by anyone but the admin roles, and bedrock-mantle inference on
unapproved models. At most 5 SCPs of at most 5,120 characters each.
  --stack-file FILE            a stack file of the main project (Pulumi.<stack>.yaml); repeat for every stack
  --deployment-role-name NAME  a role that runs pulumi up (the bootstrap's, bedrock-access-deployer-<stack>), the only
                               ones allowed to change logging; repeat for every name the fleet's stacks use
  --admin-role-name NAME       a role that runs the bootstrap, the only ones allowed to create or rewrite a role
                               named as a deployment or admin role; repeatable; without one a warning is printed
  --format FORMAT              text (default: each SCP, each statement with its reason) or json (one JSON array of
                               {"name", "description", "document"} and nothing else)
Exit codes: 0 printed; 1 a stack file is invalid (one line: the file, key path and rule), or the SCPs cannot fit;
2 bad arguments or an internal error.`;

export interface OrgGuardrailsArguments {
    readonly stackFiles: readonly string[];
    readonly deploymentRoleNames: readonly string[];
    readonly adminRoleNames: readonly string[];
    readonly format: "text" | "json";
    readonly help: boolean;
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

export function parseArguments(argv: readonly string[]): OrgGuardrailsArguments {
    const values = parseFlags(argv, {
        "stack-file": { type: "string", multiple: true },
        "deployment-role-name": { type: "string", multiple: true },
        "admin-role-name": { type: "string", multiple: true },
        format: { type: "string", default: "text" },
        help: { type: "boolean", short: "h", default: false },
    });
    if (values.help) return { stackFiles: [], deploymentRoleNames: [], adminRoleNames: [], format: "text", help: true };
    const stackFiles = (values["stack-file"] as string[] | undefined) ?? [];
    if (stackFiles.length === 0) throw new UsageError("--stack-file is required: name every stack file of the fleet, one --stack-file each");
    const deploymentRoleNames = (values["deployment-role-name"] as string[] | undefined) ?? [];
    if (deploymentRoleNames.length === 0) throw new UsageError("--deployment-role-name is required: the role that runs pulumi up, the only one allowed to change invocation logging");
    const adminRoleNames = (values["admin-role-name"] as string[] | undefined) ?? [];
    for (const [flag, names] of [["--deployment-role-name", deploymentRoleNames], ["--admin-role-name", adminRoleNames]] as const) {
        for (const name of names) if (!ROLE_NAME.test(name)) throw new UsageError(`${flag} must be an IAM role name (1 to 64 of letters, digits and +=,.@_-), not '${name}'`);
    }
    if (values.format !== "text" && values.format !== "json") throw new UsageError(`--format must be text or json, not '${values.format}'`);
    return { stackFiles, deploymentRoleNames: unique(deploymentRoleNames), adminRoleNames: unique(adminRoleNames), format: values.format, help: false };
}

const unique = (names: readonly string[]): string[] => [...new Set(names)];

/** Where the command writes: stdout (the SCPs, or the usage) and stderr (one line per problem). */
export interface Output {
    readonly out: (text: string) => void;
    readonly err: (text: string) => void;
}

const CONSOLE: Output = { out: (text) => console.log(text), err: (text) => console.error(text) };

/** The command: its exit code, having written to `output`. Never throws. */
export async function runOrgGuardrails(argv: readonly string[], output: Output = CONSOLE): Promise<number> {
    try {
        return await printGuardrails(argv, output);
    } catch (error) {
        output.err(error instanceof UsageError ? `org-guardrails: ${(error as Error).message}\n\n${USAGE}` : `org-guardrails: ${(error as Error).message}`);
        return 2;
    }
}

async function printGuardrails(argv: readonly string[], output: Output): Promise<number> {
    const args = parseArguments(argv);
    if (args.help) {
        output.out(USAGE);
        return 0;
    }
    // Loaded only now: --help and bad arguments answer without reading the configuration machinery.
    const { organizationGuardrails, formatGuardrailsText, unguardedRoleWarning } = await import("./guardrails");
    const { StackFileError } = await import("./fleetStackFiles");
    let result;
    try {
        result = await organizationGuardrails(args.stackFiles, args);
    } catch (error) {
        if (error instanceof StackFileError) {
            if (error.missing) throw new UsageError(error.message);
            output.err(`org-guardrails: ${error.message.replace(/\s*\n\s*/g, " ")}`);
            return 1;
        }
        throw error;
    }
    if (!result.layout.ok) {
        output.err(`org-guardrails: ${result.layout.problem}`);
        return 1;
    }
    if (args.adminRoleNames.length === 0) output.err(unguardedRoleWarning(args.deploymentRoleNames));
    output.out(args.format === "json" ? JSON.stringify(result.layout.policies, null, 2) : formatGuardrailsText(result.layout.policies, result.reasons, args));
    return 0;
}

/** The whole command, as `npm run org-guardrails -- ARGS` runs it: its exit code; never exits the process. */
export function main(argv: readonly string[]): Promise<number> {
    return runOrgGuardrails(argv);
}

if (require.main === module) {
    // Exit once stdout is written: a pipe (npm run ... | jq) takes output past 64 KiB only as the reader drains it.
    void main(process.argv.slice(2)).then((code) => process.stdout.write("", () => process.exit(code)));
}
