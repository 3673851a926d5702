/**
 * How a test runs one of the project's commands as a process: as `npm run` runs it, compiled
 * (`build/run.js` compiles whatever changed first), so that a spawned command starts in a fraction
 * of a second. Spawn only where the process is what is tested (exit codes, stdout against stderr,
 * what a start-up loads); test parsing and messages in-process.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import type { PolicyPackClient, StartOptions } from "../offline/engine/policyPackClient";

/** `node RUN_COMMAND offline/check.ts --help` runs `npm run check -- --help`. */
export const RUN_COMMAND = path.resolve(__dirname, "..", "build", "run.js");

/** What a command printed and returned, as `spawnSync` gives it. */
export interface CommandResult {
    readonly status: number;
    readonly stdout: string;
    readonly stderr: string;
}

export interface CommandOptions {
    /** The whole environment the command sees, as `spawnSync`'s `env` (variables not in it are unset while it runs). */
    readonly env?: NodeJS.ProcessEnv;
}

/** A command's `main`: prints, returns the exit code, never exits the process. */
type CommandMain = (argv: readonly string[], options?: { readonly lendPack?: (options: StartOptions) => Promise<PolicyPackClient> }) => Promise<number>;

const ROOT = path.resolve(__dirname, "..");
const lentPacks = new Map<string, Promise<PolicyPackClient>>();
/** The packs started and not yet closed: a worker ends with process.exit, and no pack may outlive it. */
const runningPacks = new Set<PolicyPackClient>();
let closingOnExit = false;

/** How many packs a worker keeps running: the example stack's, and a few others' (each is a process). */
const LENT_PACKS_KEPT = 4;

/**
 * One running pack per distinct start options and environment, lent to every check this worker
 * runs: the pack a spawned check would start, started once. The least recently lent is closed when
 * more are running than `LENT_PACKS_KEPT` (checks run one at a time: none is in use then); the rest
 * are closed when the worker exits.
 */
export function lendPack(options: StartOptions): Promise<PolicyPackClient> {
    const key = JSON.stringify([options, process.env]);
    let pack = lentPacks.get(key);
    if (pack) {
        lentPacks.delete(key);
    } else {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { PolicyPackClient } = require("../offline/engine/policyPackClient") as typeof import("../offline/engine/policyPackClient");
        if (!closingOnExit) process.once("exit", () => runningPacks.forEach((running) => running.close()));
        closingOnExit = true;
        pack = PolicyPackClient.start(options).then((started) => {
            runningPacks.add(started);
            return started;
        });
        const starting = pack;
        starting.catch(() => {
            if (lentPacks.get(key) === starting) lentPacks.delete(key);
        });
    }
    lentPacks.set(key, pack);
    for (const [oldKey, oldPack] of lentPacks) {
        if (lentPacks.size <= LENT_PACKS_KEPT) break;
        lentPacks.delete(oldKey);
        void oldPack.then(
            (started) => {
                runningPacks.delete(started);
                started.close();
            },
            () => undefined,
        );
    }
    return pack;
}

// A root hook: runs once, after every test file of a mocha run without workers (a worker closes its
// packs when it exits, as test/assertions.ts does for its pack).
if (process.env.MOCHA_WORKER_ID === undefined && typeof after === "function") {
    after(async () => {
        await Promise.allSettled(lentPacks.values());
        runningPacks.forEach((running) => running.close());
        runningPacks.clear();
        lentPacks.clear();
    });
}

function replaceEnvironment(env: NodeJS.ProcessEnv): void {
    for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
    for (const [key, value] of Object.entries(env)) if (value !== undefined) process.env[key] = value;
}

/**
 * Runs a command (`offline/check.ts`, `deployer/cli.ts`, ...) in this process through its exported
 * `main`, as `node RUN_COMMAND script ...argv` would run it, and gives back its exit code and what it
 * wrote on stdout and stderr. Checks borrow a running pack (`lendPack`).
 */
export function runCommand(script: string, argv: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { main } = require(path.join(ROOT, script.replace(/\.ts$/, ""))) as { main: CommandMain };
    // Only the check starts a pack; the other commands' second parameter is their own.
    return captureCommand(() => (script === "offline/check.ts" ? main(argv, { lendPack }) : main(argv)), options);
}

/**
 * Runs a command's code in this process and gives back its exit code and what it wrote on stdout
 * and stderr (console and stream writes alike, captured at the streams, as a process writes them).
 * The environment is the given one while it runs; the streams and the environment are restored
 * afterwards. The program runs under the command's own mocked engine: the test harness's engine is
 * put back afterwards, for the tests that follow in this worker.
 */
export async function captureCommand(run: () => Promise<number>, options: CommandOptions = {}): Promise<CommandResult> {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const writeStdout = process.stdout.write;
    const writeStderr = process.stderr.write;
    const capture =
        (into: string[]) =>
        (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
            into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
            const callback = rest.find((argument): argument is () => void => typeof argument === "function");
            if (callback) process.nextTick(callback);
            return true;
        };
    const environment = { ...process.env };
    let status: number;
    try {
        if (options.env) replaceEnvironment(options.env);
        process.stdout.write = capture(stdout) as typeof process.stdout.write;
        process.stderr.write = capture(stderr) as typeof process.stderr.write;
        status = await run();
    } finally {
        process.stdout.write = writeStdout;
        process.stderr.write = writeStderr;
        replaceEnvironment(environment);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const harness = require("./harness") as typeof import("./harness");
        await (await harness.mockEngine()).configure({});
    }
    return { status, stdout: stdout.join(""), stderr: stderr.join("") };
}

let exampleJsonCheck: { readonly status: number | null; readonly stdout: string; readonly stderr: string } | undefined;

/**
 * `npm run check -- --format json` on the example stack as a separate process, its stdout read
 * through a pipe (`| cat`: the whole document must pass the pipe's 64 KiB buffer before the process
 * exits) with the check's own exit code kept (`pipefail`). Run once per worker: every test that
 * parses the spawned JSON, or compares an in-process check with it, reads this one run.
 */
export function exampleJsonCheckProcess(): { readonly status: number | null; readonly stdout: string; readonly stderr: string } {
    exampleJsonCheck ??= spawnSync("bash", ["-c", `set -o pipefail; "${process.execPath}" "${RUN_COMMAND}" offline/check.ts --format json | cat`], {
        cwd: path.resolve(__dirname, ".."),
        encoding: "utf8",
        timeout: 60000,
    });
    return exampleJsonCheck;
}
