/**
 * `npm run check -- --all`: the fleet, checked at once. Every `Pulumi.<stack>.yaml` of the main
 * project, of `bootstrap/` and of `organization/` runs through the same offline check (program under
 * mocks, the pack over the Analyzer protocol, and the access baseline `Pulumi.<stack>.access.json`
 * where one is committed beside the stack file), with one summary line per stack. Exits non-zero if
 * any stack fails.
 */
import * as fs from "fs";
import * as path from "path";
import { CheckOptions, runCheck } from "./check";

const REPOSITORY_DIR = path.resolve(__dirname, "..");
/** The projects of this repository, as `--project` names them. */
export const FLEET_PROJECTS: readonly string[] = [".", "bootstrap", "organization"];

export interface FleetStack {
    readonly project: string;
    readonly stack: string;
    /** Another place for the stack's file than `Pulumi.<stack>.yaml` in the project. */
    readonly stackFile?: string;
    /** `Pulumi.<stack>.access.json` beside the stack file, when committed. */
    readonly baseline: string | undefined;
}

/** Every stack file of every project, in a stable order. */
export function fleetStacks(repositoryDir = REPOSITORY_DIR, projects: readonly string[] = FLEET_PROJECTS): FleetStack[] {
    return projects.flatMap((project) => {
        const dir = path.resolve(repositoryDir, project);
        if (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) return [];
        return fs
            .readdirSync(dir)
            .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
            .filter((stack): stack is string => stack !== undefined)
            .sort()
            .map((stack) => {
                const baseline = path.join(dir, `Pulumi.${stack}.access.json`);
                return { project, stack, baseline: fs.existsSync(baseline) ? baseline : undefined };
            });
    });
}

export interface FleetStackResult extends FleetStack {
    readonly passed: boolean;
    /** One line: resources, violations, unknown documents, baseline; or why the check could not run. */
    readonly summary: string;
    /** The lines worth reading when it failed (mandatory findings, configuration errors, widened access). */
    readonly details: readonly string[];
}

async function checkOne(stack: FleetStack, options: CheckOptions): Promise<FleetStackResult> {
    const lines: string[] = [];
    try {
        const result = await runCheck({ project: stack.project, stack: stack.stack, stackFile: stack.stackFile, baseline: stack.baseline }, (line) => lines.push(line), options);
        const mandatory = result.diagnostics.filter((diagnostic) => diagnostic.enforcementLevel === "mandatory");
        const passed = result.exitCode === 0;
        const baseline = result.baseline ? (result.baseline.widened ? "access wider than the baseline" : "baseline holds") : "no baseline";
        const summary = result.resources.length === 0 && !passed ? "invalid configuration" : `${result.resources.length} resources, ${mandatory.length} mandatory violation(s), ${baseline}`;
        const details = passed ? [] : lines.flatMap((line) => line.split("\n")).filter((line) => /\[mandatory\]|^\s+- |^Invalid|wider|widened|unknown at preview/.test(line));
        return { ...stack, passed, summary, details };
    } catch (error) {
        return { ...stack, passed: false, summary: `could not run: ${(error as Error).message.split("\n")[0]}`, details: [] };
    }
}

/** Checks every stack in turn, printing one line each as it finishes; 0 when all pass, 1 otherwise. */
export async function runCheckAll(print: (line: string) => void = console.log, stacks: readonly FleetStack[] = fleetStacks(), options: CheckOptions = {}): Promise<number> {
    if (stacks.length === 0) {
        print("No stack file (Pulumi.<stack>.yaml) in any project: nothing to check.");
        return 1;
    }
    print(`Offline check of ${stacks.length} stack(s) of ${FLEET_PROJECTS.join(", ")}:`);
    const results: FleetStackResult[] = [];
    for (const stack of stacks) {
        const result = await checkOne(stack, options);
        results.push(result);
        print(`${result.passed ? "PASSED" : "FAILED"}  ${stack.project === "." ? "main" : stack.project}/${stack.stack}: ${result.summary}`);
        for (const line of result.details) print(`    ${line.trim()}`);
    }
    const failed = results.filter((result) => !result.passed);
    print(failed.length === 0 ? `All ${results.length} stacks passed.` : `${failed.length} of ${results.length} stacks failed: run npm run check -- --project DIR --stack NAME for each, for the whole report.`);
    return failed.length === 0 ? 0 : 1;
}
