/**
 * `npm run check [-- --project DIR] [--stack NAME] [--stack-file PATH]`: the main job on a machine
 * with no cloud account. `--project bootstrap` checks the bootstrap program's stack instead.
 *
 * Runs the program as `pulumi preview` would (real SDK, mocked engine, the stack's configuration),
 * prints every resource and every IAM document in full, sends every resource through the policy
 * pack over the Analyzer gRPC protocol, and exits non-zero on a mandatory violation, on a document
 * unknown at preview, or on invalid configuration.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { MockEngine, RegisteredResource, isSecretValue, plainValue } from "./mockEngine";
import { runStackProgram } from "./runStack";
import { PolicyDiagnostic, PolicyPackClient, UNKNOWN_VALUE } from "./policyPackClient";
import { loadStackConfig } from "./stackFile";
import { documentsOf } from "../policypack/policies/documents";

const REPOSITORY_DIR = path.resolve(__dirname, "..");
/** The account the offline engine answers `getCallerIdentity` with. */
export const OFFLINE_ACCOUNT_ID = "123456789012";

export interface CheckResult {
    readonly exitCode: number;
    readonly resources: readonly RegisteredResource[];
    readonly diagnostics: readonly PolicyDiagnostic[];
}

interface CheckArguments {
    /** The project folder, relative to the repository: `.` (the main program) or `bootstrap`. */
    readonly project?: string;
    readonly stack: string;
    /** Another place for the stack's file than `Pulumi.<stack>.yaml` beside `Pulumi.yaml`. */
    readonly stackFile?: string;
}

export const USAGE = `usage: npm run check -- [--project DIR] [--stack NAME] [--stack-file PATH]

Runs the program as pulumi preview would (real SDK, mocked engine, the stack's configuration), prints every
resource and IAM document, and sends every resource through the policy pack over the Analyzer protocol.
  --project DIR      the project folder: . (default, the main program) or bootstrap
  --stack NAME       the stack (default: example), read from DIR/Pulumi.<NAME>.yaml
  --stack-file PATH  another place for the stack's file
Exit codes: 0 passed; 1 a mandatory violation, a document unknown at preview, or invalid configuration;
2 bad arguments or an internal error.`;

function parseArguments(argv: readonly string[]): CheckArguments {
    const valueOf = (flag: string) => {
        const index = argv.indexOf(flag);
        return index >= 0 && argv[index + 1] ? argv[index + 1] : undefined;
    };
    const stackFile = valueOf("--stack-file");
    return { project: valueOf("--project") ?? ".", stack: valueOf("--stack") ?? "example", stackFile: stackFile && path.resolve(stackFile) };
}

function printDocuments(resource: RegisteredResource, print: (line: string) => void): number {
    let unknownDocuments = 0;
    for (const document of documentsOf(resource.type, resource.properties)) {
        const secret = isSecretValue(document.document) ? ", secret" : "";
        print(`--- ${resource.type} ${resource.name}: ${document.property} (${document.kind}${secret})`);
        const value = plainValue(document.document);
        if (document.document === UNKNOWN_VALUE || value === undefined || JSON.stringify(document.document).includes(UNKNOWN_VALUE)) {
            unknownDocuments += 1;
            print("(unknown at preview: the policy pack cannot judge it before it exists)");
            continue;
        }
        try {
            print(JSON.stringify(typeof value === "string" ? JSON.parse(value) : value, null, 2));
        } catch {
            print(String(value));
        }
    }
    return unknownDocuments;
}

export async function runCheck({ project = ".", stack, stackFile }: CheckArguments, print: (line: string) => void = console.log): Promise<CheckResult> {
    const projectDir = path.resolve(REPOSITORY_DIR, project);
    const stackConfig = loadStackConfig(projectDir, stack, stackFile);
    const packStarting = PolicyPackClient.start({ project: stackConfig.project, stack, dryRun: true });
    packStarting.catch(() => undefined);

    print(`Offline check of stack '${stack}' (project ${stackConfig.project}; account ${OFFLINE_ACCOUNT_ID} stands in for yours)`);
    if (stackConfig.placeholderPaths.length > 0) {
        print(`Note: secure values cannot be decrypted offline; replaced by a placeholder: ${stackConfig.placeholderPaths.join(", ")}`);
    }

    let engine: MockEngine;
    try {
        engine = await runStackProgram({ projectDir, stackConfig, accountId: OFFLINE_ACCOUNT_ID, preview: true });
    } catch (error) {
        (await packStarting).close();
        if (error instanceof pulumi.RunError) {
            print(error.message);
            return { exitCode: 1, resources: [], diagnostics: [] };
        }
        throw error;
    }

    const resources = engine.resources;
    print(`\nResources (${resources.length}):`);
    for (const resource of resources) print(`  ${resource.type}  ${resource.name}`);
    print("\nIAM documents:");
    const unknownDocuments = resources.reduce((count, resource) => count + printDocuments(resource, print), 0);

    const pack = await packStarting;
    const diagnostics: PolicyDiagnostic[] = [];
    try {
        const info = await pack.info();
        for (const resource of resources) diagnostics.push(...(await pack.analyze(resource)));
        diagnostics.push(...(await pack.analyzeStack(resources)));
        print(`\nPolicy pack '${info.name}' (${info.policies.map((policy) => policy.name).join(", ")}), started in ${pack.startupMs.toFixed(0)} ms:`);
    } finally {
        pack.close();
    }
    for (const diagnostic of diagnostics) {
        print(`  [${diagnostic.enforcementLevel}] ${diagnostic.policyName}: ${diagnostic.urn}\n      ${diagnostic.message}`);
    }
    const mandatory = diagnostics.filter((diagnostic) => diagnostic.enforcementLevel === "mandatory").length;
    const couldNotRun = diagnostics.filter((diagnostic) => diagnostic.message.includes("during preview")).length;
    print(
        `\n${resources.length} resources analyzed: ${mandatory} mandatory violation(s), ` +
            `${diagnostics.length - mandatory} other diagnostic(s), ${unknownDocuments} IAM document(s) unknown at preview.`,
    );
    const failed = mandatory > 0 || unknownDocuments > 0 || couldNotRun > 0;
    print(failed ? "FAILED" : "PASSED");
    return { exitCode: failed ? 1 : 0, resources, diagnostics };
}

if (require.main === module) {
    const argv = process.argv.slice(2);
    if (argv.includes("--help") || argv.includes("-h")) {
        console.log(USAGE);
        process.exit(0);
    }
    runCheck(parseArguments(argv)).then(
        (result) => process.exit(result.exitCode),
        (error: Error) => {
            // One sentence, no stack trace: what is missing is in the message.
            console.error(`check: ${error.message}`);
            process.exit(2);
        },
    );
}
