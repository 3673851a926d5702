/**
 * The deployer policy and the permissions boundary of one stack of the main project, as
 * `npm run deployer-policy -- --format json [--boundary]` prints them (the boundary is built there by
 * the one function that builds it, `permissionsBoundaryDocument`). It runs in a child process: the main program runs there under its own mocked engine,
 * which cannot share a process with this program's real (or mocked) one.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument } from "../components/iam/iamDocument";

const MAIN_PROJECT_DIR = path.resolve(__dirname, "..");

export interface MainStackPolicyRequest {
    readonly stack: string;
    /** Relative to the main project, like the main project's own `--stack-file`. */
    readonly stackFile: string | undefined;
    readonly accountId: string;
}

/** Derived once per request in a process: the child process runs a whole program. */
const derived = new Map<string, unknown>();

/** `npm run deployer-policy -- ... --format json [--boundary]` for the request, parsed; run once per request and kind. */
function printed<T>(request: MainStackPolicyRequest, boundary: boolean): T {
    const key = JSON.stringify([request.stack, request.stackFile, request.accountId, boundary]);
    const known = derived.get(key);
    if (known) return known as T;
    // As `npm run deployer-policy` runs it: compiled (whatever changed is compiled first).
    const args = [path.join(MAIN_PROJECT_DIR, "build", "run.js"), path.join(MAIN_PROJECT_DIR, "deployer", "cli.ts")];
    args.push("--stack", request.stack, "--account-id", request.accountId, "--format", "json", ...(boundary ? ["--boundary"] : []));
    if (request.stackFile) args.push("--stack-file", path.resolve(MAIN_PROJECT_DIR, request.stackFile));
    const result = spawnSync(process.execPath, args, { cwd: MAIN_PROJECT_DIR, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) {
        const reason = (result.stderr || result.error?.message || "no output").trim();
        throw new pulumi.RunError(`The ${boundary ? "permissions boundary" : "deployer policy"} of stack '${request.stack}' of the main project could not be derived:\n${reason}`);
    }
    const value = JSON.parse(result.stdout) as unknown;
    derived.set(key, value);
    return value as T;
}

export function mainStackDeployerPolicy(request: MainStackPolicyRequest): PolicyDocument[] {
    return printed<PolicyDocument[]>(request, false);
}

/** The main stack's permissions boundary, as `npm run deployer-policy -- --boundary --format json` prints it (both null with `none`). */
export function mainStackBoundary(request: MainStackPolicyRequest): { readonly arn: string | null; readonly document: PolicyDocument | null } {
    return printed(request, true);
}
