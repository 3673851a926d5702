/**
 * The deployer policy of one stack of the main project, as `npm run deployer-policy -- --format json`
 * prints it. It runs in a child process: the main program runs there under its own mocked engine,
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
const derived = new Map<string, PolicyDocument[]>();

export function mainStackDeployerPolicy(request: MainStackPolicyRequest): PolicyDocument[] {
    const key = JSON.stringify([request.stack, request.stackFile, request.accountId]);
    const known = derived.get(key);
    if (known) return known;
    const args = [require.resolve("ts-node/dist/bin.js"), "--transpile-only", path.join(MAIN_PROJECT_DIR, "deployer", "cli.ts")];
    args.push("--stack", request.stack, "--account-id", request.accountId, "--format", "json");
    if (request.stackFile) args.push("--stack-file", path.resolve(MAIN_PROJECT_DIR, request.stackFile));
    const result = spawnSync(process.execPath, args, { cwd: MAIN_PROJECT_DIR, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (result.status !== 0) {
        const reason = (result.stderr || result.error?.message || "no output").trim();
        throw new pulumi.RunError(`The deployer policy of stack '${request.stack}' of the main project could not be derived:\n${reason}`);
    }
    const documents = JSON.parse(result.stdout) as PolicyDocument[];
    derived.set(key, documents);
    return documents;
}
