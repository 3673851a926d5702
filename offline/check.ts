/**
 * `npm run check -- [--project DIR] [--stack NAME] [--stack-file PATH] [--format text|markdown|json]
 * [--documents] [--baseline FILE [--update-baseline]]`: the main job on a machine with no cloud account.
 *
 * Runs the program as `pulumi preview` would (real SDK, mocked engine, the stack's configuration),
 * prints the access summary (who may assume each role, what each role and resource policy allows),
 * sends every resource through the policy pack over the Analyzer gRPC protocol, and compares the
 * access with a committed baseline. Exits non-zero on a mandatory violation, on a document unknown
 * at preview, on invalid configuration, or when access widened beyond the baseline.
 */
import * as fs from "fs";
import * as path from "path";
import type { StackAccess } from "./access/access";
import { BaselineComparison, BaselineFile, compareWithBaseline, formatComparison } from "./access/accessBaseline";
import { SummaryFormat, formatSummary } from "./access/accessReport";
import type { MockEngine, RegisteredResource } from "./engine/mockEngine";
import { UsageError, lazyModule, parseFlags } from "./commandLine";
import type { EnforcementLevelName, PolicyDiagnostic, PolicyPackClient, StartOptions } from "./engine/policyPackClient";
import { AwsLocation, partitionOfRegion } from "../components/arns/bedrockArns";
import { STAND_IN_ACCOUNT_ID } from "../components/stack/standInAccount";

// Loaded once the arguments are read: `--help` and bad flags load neither the SDK nor the program nor the pack.
const pulumi = lazyModule<typeof import("@pulumi/pulumi")>(require, "@pulumi/pulumi");
const accessModule = lazyModule<typeof import("./access/access")>(require, "./access/access");
const engineModule = lazyModule<typeof import("./engine/mockEngine")>(require, "./engine/mockEngine");
const runStackModule = lazyModule<typeof import("./engine/runStack")>(require, "./engine/runStack");
const packModule = lazyModule<typeof import("./engine/policyPackClient")>(require, "./engine/policyPackClient");
const stackFileModule = lazyModule<typeof import("./engine/stackFile")>(require, "./engine/stackFile");
const documentsModule = lazyModule<typeof import("../policypack/policies/documents")>(require, "../policypack/policies/documents");
const adoptionModule = lazyModule<typeof import("../components/monitoring/adoption")>(require, "../components/monitoring/adoption");
const monitoringModule = lazyModule<typeof import("../components/monitoring/monitoringPolicies")>(require, "../components/monitoring/monitoringPolicies");
const endpointsModule = lazyModule<typeof import("../components/privateEndpoints/deployerThroughEndpoints")>(require, "../components/privateEndpoints/deployerThroughEndpoints");
const notesModule = lazyModule<typeof import("../components/stack/stackFileNotes")>(require, "../components/stack/stackFileNotes");

const REPOSITORY_DIR = path.resolve(__dirname, "..");
/** The account the offline engine answers `getCallerIdentity` with when the stack names none. */
export const OFFLINE_ACCOUNT_ID = STAND_IN_ACCOUNT_ID;

export interface CheckResult {
    readonly exitCode: number;
    readonly resources: readonly RegisteredResource[];
    readonly diagnostics: readonly PolicyDiagnostic[];
    /** What the program warned of (e.g. a model without a quota alarm). */
    readonly warnings?: readonly string[];
    readonly access?: StackAccess;
    readonly baseline?: BaselineComparison;
}

export interface CheckArguments {
    /** The project folder, relative to the repository: `.` (the main program) or `bootstrap`. */
    readonly project?: string;
    readonly stack: string;
    /** Another place for the stack's file than `Pulumi.<stack>.yaml` beside `Pulumi.yaml`. */
    readonly stackFile?: string;
    /** How the summary and findings are written. If not provided, text. */
    readonly format?: SummaryFormat;
    /** Also print every IAM document in full (text format). */
    readonly documents?: boolean;
    /** A baseline of the stack's access to compare with. */
    readonly baseline?: string;
    /** Write the baseline instead of comparing with it. */
    readonly updateBaseline?: boolean;
    /** The pack's configuration, as `pulumi preview --policy-pack-config FILE` reads it. */
    readonly packConfig?: PackConfiguration;
    /** Print the `pulumi import` commands that take back what `pulumi destroy` kept, instead of checking. */
    readonly printImports?: boolean;
    /** The account the program runs as (names of buckets carry it). If not provided, the stack's `aws:allowedAccountIds` when it names one, else the offline stand-in. */
    readonly accountId?: string;
}

/** Per-policy enforcement levels and properties, from a `--policy-pack-config` file. */
export interface PackConfiguration {
    readonly enforcement: Readonly<Record<string, EnforcementLevelName>>;
    readonly config: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

const LEVELS: readonly EnforcementLevelName[] = ["advisory", "mandatory", "disabled", "remediate"];

/**
 * A `--policy-pack-config` file as the CLI reads it: each policy's name mapped to an enforcement
 * level, or to an object of properties with an optional `enforcementLevel`.
 */
export function readPackConfiguration(file: string): PackConfiguration {
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new UsageError(`--policy-pack-config ${file} is not readable JSON: ${(error as Error).message}`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new UsageError(`--policy-pack-config ${file} must hold a JSON object of policy names`);
    const enforcement: Record<string, EnforcementLevelName> = {};
    const config: Record<string, Record<string, unknown>> = {};
    for (const [policy, value] of Object.entries(parsed as Record<string, unknown>)) {
        const { enforcementLevel, ...properties } = typeof value === "string" ? { enforcementLevel: value } : ((value ?? {}) as Record<string, unknown>);
        if (enforcementLevel !== undefined) {
            if (!LEVELS.includes(enforcementLevel as EnforcementLevelName)) throw new UsageError(`--policy-pack-config ${file}: ${policy} has enforcement level ${JSON.stringify(enforcementLevel)}, not one of ${LEVELS.join(", ")}`);
            enforcement[policy] = enforcementLevel as EnforcementLevelName;
        }
        if (Object.keys(properties).length > 0) config[policy] = properties;
    }
    return { enforcement, config };
}

export const USAGE = `usage: npm run check -- [--project DIR] [--stack NAME] [--stack-file PATH] [--format text|markdown|json]
                        [--documents] [--baseline FILE [--update-baseline]] [--policy-pack-config FILE]
       npm run check -- --print-imports [--stack NAME] [--stack-file PATH] [--account ID] [--format text|json]
       npm run check -- --all    every Pulumi.<stack>.yaml of ., bootstrap and organization: one line each, exit 1 if any fails

Runs the program as pulumi preview would (real SDK, mocked engine, the stack's configuration), prints who may
assume each role and what each role and resource policy allows, and sends every resource through the policy
pack over the Analyzer protocol.
  --project DIR        the project folder: . (default, the main program) or bootstrap
  --stack NAME         the stack (default: example), read from DIR/Pulumi.<NAME>.yaml
  --stack-file PATH    another place for the stack's file
  --format FORMAT      text (default), markdown (for a pull-request comment) or json (data, nothing else)
  --documents          also print every IAM document in full
  --baseline FILE      compare the stack's access with FILE: exit 1 when it widens (narrowing passes, and is reported)
  --update-baseline    write FILE from the stack's access instead of comparing
  --policy-pack-config FILE  the pack's configuration, as pulumi preview takes it (levels, and e.g.
                       policypack/access-analyzer.config.json to ask IAM Access Analyzer: needs credentials)
  --print-imports      print the pulumi import commands that take back what pulumi destroy kept (buckets, log group,
                       key, logging configuration), with the URNs the program registers, and exit
  --account ID         the account the program runs as (default: the stack's aws:allowedAccountIds when it names one,
                       else ${OFFLINE_ACCOUNT_ID}, a stand-in)
Exit codes: 0 passed; 1 a mandatory violation, a document unknown at preview, invalid configuration, or access
wider than the baseline; 2 bad arguments or an internal error.`;


export function parseArguments(argv: readonly string[]): CheckArguments {
    const values = parseFlags(argv, {
        project: { type: "string", default: "." },
        stack: { type: "string", default: "example" },
        "stack-file": { type: "string" },
        format: { type: "string", default: "text" },
        documents: { type: "boolean", default: false },
        baseline: { type: "string" },
        "update-baseline": { type: "boolean", default: false },
        "policy-pack-config": { type: "string" },
        "print-imports": { type: "boolean", default: false },
        account: { type: "string" },
    });
    if (values.account !== undefined && !/^\d{12}$/.test(values.account as string)) throw new UsageError(`--account must be a 12-digit AWS account ID, not '${values.account}'`);
    if (!["text", "markdown", "json"].includes(values.format as string)) throw new UsageError(`--format must be text, markdown or json, not '${values.format}'`);
    if (values["update-baseline"] && !values.baseline) throw new UsageError("--update-baseline needs --baseline FILE: the file to write");
    return {
        project: values.project,
        stack: values.stack as string,
        stackFile: values["stack-file"] && path.resolve(values["stack-file"]),
        format: values.format as SummaryFormat,
        documents: values.documents,
        baseline: values.baseline && path.resolve(values.baseline),
        updateBaseline: values["update-baseline"],
        packConfig: values["policy-pack-config"] ? readPackConfiguration(values["policy-pack-config"]) : undefined,
        printImports: values["print-imports"] as boolean,
        accountId: values.account as string | undefined,
    };
}

function printDocuments(resource: RegisteredResource, print: (line: string) => void): void {
    for (const document of documentsModule.documentsOf(resource.type, resource.properties)) {
        const secret = engineModule.isSecretValue(document.document) ? ", secret" : "";
        print(`--- ${resource.type} ${resource.name}: ${document.property} (${document.kind}${secret})`);
        const value = engineModule.plainValue(document.document);
        if (isUnknown(document.document)) {
            print("(unknown at preview: the policy pack cannot judge it before it exists)");
            continue;
        }
        try {
            print(JSON.stringify(typeof value === "string" ? JSON.parse(value) : value, null, 2));
        } catch {
            print(String(value));
        }
    }
}

function isUnknown(document: unknown): boolean {
    return document === packModule.UNKNOWN_VALUE || engineModule.plainValue(document) === undefined || JSON.stringify(document).includes(packModule.UNKNOWN_VALUE);
}

function unknownDocumentCount(resources: readonly RegisteredResource[]): number {
    return resources.reduce((count, resource) => count + documentsModule.documentsOf(resource.type, resource.properties).filter((document) => isUnknown(document.document)).length, 0);
}

/** The `pulumi import` commands for what the stack keeps on destroy, as text (with notes) or JSON. */
function printImports(resources: readonly RegisteredResource[], location: AwsLocation, stack: string, standIn: boolean, format: SummaryFormat, print: (line: string) => void): void {
    const plan = adoptionModule.importPlan(
        resources.map((resource) => ({ ...resource, properties: engineModule.plainValue(resource.properties) as Record<string, unknown> })),
        location,
        stack,
    );
    const commands = plan.imports;
    if (format === "json") {
        print(JSON.stringify({ stack, accountId: location.accountId, region: location.region, ...plan }, null, 2));
        return;
    }
    print(`\nWhat pulumi destroy keeps (${commands.length} resources), and the commands that take it back before the next pulumi up:`);
    if (standIn) print(`(Names carry the account: pass --account with yours; ${location.accountId} stands in for it here.)`);
    if (plan.registerParents) {
        print("\n1. Register the parent components only (components make no AWS call; pulumi import needs the parent in the state):");
        print(plan.registerParents);
        print("\n2. Import each kept resource under it:");
    }
    for (const command of commands) print(command.command);
    if (commands.some((command) => command.id === undefined)) {
        print(
            `\n${adoptionModule.KEY_ID_PLACEHOLDER}: a kept key's ID, which AWS chose (aws kms list-keys, then aws kms describe-key). Monitoring's key carries the tag ${monitoringModule.MONITORING_TAG_KEY}=${monitoringModule.MONITORING_TAG_VALUE}: ` +
                `aws resourcegroupstaggingapi get-resources --region ${location.region} --resource-type-filters kms:key --tag-filters Key=${monitoringModule.MONITORING_TAG_KEY},Values=${monitoringModule.MONITORING_TAG_VALUE}; ` +
                "name it in monitoring.adopt.kmsKey and run this again to have it filled in.",
        );
    }
    print("Or let the next pulumi up take back the buckets, log group and key itself: monitoring.adopt (see docs/monitoring-privacy.md).");
}

/** What a baseline says it is of: one stack of one project. */
const baselineOf = (project: string, stack: string) => `${project} stack ${stack}`;

function readBaseline(file: string, expectedOf: string): StackAccess {
    if (!fs.existsSync(file)) throw new Error(`the baseline ${file} does not exist: write it with --baseline ${file} --update-baseline`);
    const baseline = JSON.parse(fs.readFileSync(file, "utf8")) as BaselineFile;
    if (baseline.baselineOf !== expectedOf) throw new Error(`the baseline ${file} is of ${baseline.baselineOf}, not of ${expectedOf}`);
    return baseline.access;
}

/** How a check gets its policy pack. */
export interface CheckOptions {
    /**
     * Lends a running pack started with these options; the check does not close it. If not provided,
     * the check starts its own pack, as the engine does, and closes it when done.
     */
    readonly lendPack?: (options: StartOptions) => Promise<PolicyPackClient>;
}

export async function runCheck(args: CheckArguments, print: (line: string) => void = console.log, options: CheckOptions = {}): Promise<CheckResult> {
    const { project = ".", stack, stackFile, format = "text" } = args;
    const projectDir = path.resolve(REPOSITORY_DIR, project);
    const stackConfig = stackFileModule.loadStackConfig(projectDir, stack, stackFile);
    const baseline = args.baseline && !args.updateBaseline ? readBaseline(args.baseline, baselineOf(stackConfig.project, stack)) : undefined;
    // Printing the imports needs the program's registrations, not the pack.
    const packOptions: StartOptions = { project: stackConfig.project, stack, dryRun: true, ...(args.packConfig ?? {}) };
    const ownPack = options.lendPack === undefined;
    const packStarting = args.printImports ? undefined : (options.lendPack ?? ((start: StartOptions) => packModule.PolicyPackClient.start(start)))(packOptions);
    const closePack = (pack: PolicyPackClient | undefined) => ownPack && pack?.close();
    packStarting?.catch(() => undefined);
    // In JSON, stdout holds one JSON document and nothing else.
    const say = format === "json" ? () => undefined : print;

    const account = notesModule.chooseAccount(stackConfig.config, args.accountId, true, false);
    if ("problem" in account) throw new UsageError(`--account ${account.problem}`);
    const accountId = account.accountId;
    say(`Offline check of stack '${stack}' (project ${stackConfig.project}; ${notesModule.describeChosenAccount(account, "--account")})`);
    for (const warning of notesModule.plainTextSecretWarnings(stackConfig.project, stack, stackConfig.config)) say(warning);
    if (stackConfig.placeholderPaths.length > 0) {
        say(`Note: secure values cannot be decrypted offline; replaced by a placeholder: ${stackConfig.placeholderPaths.join(", ")} (opaque: never checked for shape, never shown)`);
    }
    const environment = stackFileModule.environmentWarning(stackConfig);
    if (environment) process.stderr.write(`check: ${environment}\n`);

    let engine: MockEngine;
    // What the program warns of (`pulumi.log.warn`: with no engine, the SDK writes it to console.warn), gathered to be reported.
    const warnings: string[] = [];
    const consoleWarn = console.warn;
    console.warn = (...parts: unknown[]) => void warnings.push(parts.map(String).join(" ").replace(/^warning: \[runtime\] /, ""));
    try {
        engine = await runStackModule.runStackProgram({ projectDir, stackConfig, accountId, preview: true });
    } catch (error) {
        closePack(await packStarting);
        if (error instanceof pulumi.RunError) {
            if (format === "json") print(JSON.stringify({ passed: false, configurationErrors: error.message }, null, 2));
            else print(error.message);
            return { exitCode: 1, resources: [], diagnostics: [] };
        }
        throw error;
    } finally {
        console.warn = consoleWarn;
    }

    const resources = engine.resources;
    const region = stackConfig.config["aws:region"] ?? "";
    warnings.push(...endpointsModule.endpointDeployerWarnings(resources, { partition: partitionOfRegion(region), region, accountId }));
    if (args.printImports || !packStarting) {
        printImports(resources, { partition: partitionOfRegion(region), region, accountId }, stack, notesModule.isStandIn(account), format, print);
        return { exitCode: 0, resources, diagnostics: [], warnings };
    }
    const access = accessModule.stackAccess(resources);
    if (format !== "json") say(`\n${formatSummary(access, format)}`);
    if (warnings.length > 0) say(["", "Program warnings:", ...warnings.map((warning) => `  ${warning}`)].join("\n"));
    say(`\nResources (${resources.length}):`);
    for (const resource of resources) say(`  ${resource.type}  ${resource.name}`);
    if (args.documents) {
        say("\nIAM documents:");
        for (const resource of resources) printDocuments(resource, say);
    }
    const unknownDocuments = unknownDocumentCount(resources);

    const pack = await packStarting;
    const diagnostics: PolicyDiagnostic[] = [];
    try {
        const info = await pack.info();
        for (const resource of resources) diagnostics.push(...(await pack.analyze(resource)));
        diagnostics.push(...(await pack.analyzeStack(resources)));
        say(`\nPolicy pack '${info.name}' (${info.policies.map((policy) => policy.name).join(", ")}), started in ${pack.startupMs.toFixed(0)} ms:`);
    } finally {
        closePack(pack);
    }
    if (format === "markdown") {
        say("\n## Policy findings\n");
        say(diagnostics.length === 0 ? "None." : "| level | policy | resource | finding |\n| --- | --- | --- | --- |");
        const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, "<br>");
        for (const diagnostic of diagnostics) say(`| ${diagnostic.enforcementLevel} | \`${diagnostic.policyName}\` | \`${cell(diagnostic.urn)}\` | ${cell(diagnostic.message)} |`);
    } else {
        for (const diagnostic of diagnostics) say(`  [${diagnostic.enforcementLevel}] ${diagnostic.policyName}: ${diagnostic.urn}\n      ${diagnostic.message}`);
    }

    const mandatory = diagnostics.filter((diagnostic) => diagnostic.enforcementLevel === "mandatory").length;
    const couldNotRun = diagnostics.filter((diagnostic) => diagnostic.message.includes("during preview")).length;
    const checkFailed = mandatory > 0 || unknownDocuments > 0 || couldNotRun > 0;

    let comparison: BaselineComparison | undefined;
    if (args.baseline && args.updateBaseline) {
        // A baseline records reviewed, passing access: never one the pack refuses.
        if (checkFailed) {
            say(`\nAccess baseline not written: the check fails.`);
        } else {
            const file: BaselineFile = { baselineOf: baselineOf(stackConfig.project, stack), access };
            fs.writeFileSync(args.baseline, `${JSON.stringify(file, null, 2)}\n`);
            say(`\nAccess baseline written to ${args.baseline}.`);
        }
    } else if (baseline && args.baseline) {
        comparison = compareWithBaseline(baseline, access);
        const lines = formatComparison(comparison, path.relative(process.cwd(), args.baseline));
        if (format === "markdown") say(["", "## Access baseline", "", "```", ...lines, "```"].join("\n"));
        else say(["", ...lines].join("\n"));
    }

    say(
        `\n${resources.length} resources analyzed: ${mandatory} mandatory violation(s), ` +
            `${diagnostics.length - mandatory} other diagnostic(s), ${unknownDocuments} IAM document(s) unknown at preview.`,
    );
    const failed = checkFailed || (comparison?.widened ?? false);
    say(failed ? "FAILED" : "PASSED");
    if (format === "json") print(JSON.stringify({ passed: !failed, accountId, accountSource: account.source, access, warnings, diagnostics, baseline: comparison, unknownDocuments }, null, 2));
    return { exitCode: failed ? 1 : 0, resources, diagnostics, warnings, access, baseline: comparison };
}

/**
 * The whole command, as `npm run check -- ARGS` runs it: prints what it prints and returns the exit
 * code (never exits the process). `--help` and bad flags load nothing heavy.
 */
export async function main(argv: readonly string[], options: Pick<CheckOptions, "lendPack"> = {}): Promise<number> {
    if (argv.join(" ") === "--all") {
        // The fleet at once (offline/checkAll.ts): every stack of every project, one summary line each.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return (require("./checkAll") as typeof import("./checkAll")).runCheckAll(console.log, undefined, options);
    }
    if (argv.includes("--help") || argv.includes("-h")) {
        console.log(USAGE);
        return 0;
    }
    let args: CheckArguments;
    try {
        args = parseArguments(argv);
    } catch (error) {
        console.error(`check: ${(error as Error).message}\n\n${USAGE}`);
        return 2;
    }
    try {
        return (await runCheck(args, console.log, options)).exitCode;
    } catch (error) {
        // One sentence, no stack trace: what is missing is in the message.
        console.error(`check: ${(error as Error).message}`);
        return 2;
    }
}

if (require.main === module) {
    // Exit once stdout is written: a pipe (npm run ... | jq) takes output past 64 KiB only as the reader drains it.
    void main(process.argv.slice(2)).then((code) => process.stdout.write("", () => process.exit(code)));
}
