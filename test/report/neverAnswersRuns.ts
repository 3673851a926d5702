/**
 * The runs of the never-answering endpoint's tests (test/report/neverAnswers.test.ts): a real TCP
 * server on 127.0.0.1 that accepts connections, reads, and never answers (AWS_ENDPOINT_URL), and
 * each command started against it as a user starts it, in a child process with the real SDK clients.
 *
 * The runs spend their time waiting (up to 20 s, for the report's default timeouts), not computing.
 * Under `npm test` they start with the suite, in mocha's main process (`mochaGlobalSetup` below),
 * so that no worker sits idle through them; their results reach the test file through a file named
 * by `NEVER_ANSWERS_RESULTS`. A file run alone starts them itself.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { withoutAwsCredentials } from "../awsEnvironment";

const ROOT = path.resolve(__dirname, "..", "..");
/** `RUN_COMMAND` of test/commands.ts, named here: this module is loaded by mocha before its globals exist, test/commands.ts after. */
const RUN_COMMAND = path.join(ROOT, "build", "run.js");

export interface Run {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
    /** From the spawn to the process's end. */
    readonly seconds: number;
}

/** Runs a command of the project (asynchronously, so that this process's server keeps accepting), killed after 60 s at most. */
function run(script: string, args: readonly string[], environment: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<Run> {
    const started = Date.now();
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [RUN_COMMAND, script, ...args], { cwd: ROOT, env: environment, ...(signal ? { signal } : {}) });
        // Aborted (the suite ended without the test file): the child is killed, and closes.
        child.on("error", () => undefined);
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        const killer = setTimeout(() => child.kill("SIGKILL"), 60000);
        child.on("close", (status) => {
            clearTimeout(killer);
            resolve({ status, stdout, stderr, seconds: (Date.now() - started) / 1000 });
        });
    });
}

/** Fake credentials and the endpoint: the SDK signs requests and sends them to the server. */
function environmentFor(endpoint: string): NodeJS.ProcessEnv {
    return { ...withoutAwsCredentials(), AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", AWS_REGION: "eu-west-1", AWS_ENDPOINT_URL: endpoint };
}

/** The commands that call AWS, each with a 2 s --timeout, and the sentence each must end with. */
export const TIMEOUT_CASES: readonly (readonly [name: string, script: string, args: readonly string[], sentence: RegExp])[] = [
    ["verify", "verify/cli.ts", ["--stack", "example", "--timeout", "2"], /^verify: AWS did not answer sts:GetCallerIdentity within 2 s \(3 attempts\)/],
    ["usage-report with Logs Insights", "report/cli.ts", ["--engine", "logs-insights", "--days", "1", "--prices", "builtin", "--timeout", "2", "--quiet"], /^usage-report: AWS did not answer logs:StartQuery within 2 s/],
    ["usage-report with Athena", "report/cli.ts", ["--engine", "athena", "--days", "1", "--prices", "builtin", "--timeout", "2", "--quiet"], /^usage-report: AWS did not answer athena:StartQueryExecution within 2 s/],
    [
        "usage-report reading S3",
        "report/cli.ts",
        ["--source", "s3", "--bucket", "bedrock-invocation-logs-123456789012-eu-west-1", "--days", "1", "--prices", "builtin", "--timeout", "2", "--quiet"],
        /^usage-report: AWS did not answer s3:ListObjectsV2 within 2 s/,
    ],
];

/** Every run, by name: the timeout cases, then `defaults`, `price list`, `local file` and `refused`. */
export type Runs = Readonly<Record<string, Run>>;

/** Starts the server and every run at once; resolves once each has ended (or was killed by `signal`) and the server is closed. */
export async function neverAnswersRuns(signal?: AbortSignal): Promise<Runs> {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
        // Accept, read, and never answer.
        sockets.add(socket);
        socket.on("data", () => undefined);
        socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    const file = path.join(ROOT, "test", "fixtures", "invocations.sample.jsonl");
    const runs = new Map<string, Promise<Run>>();
    for (const [name, script, args] of TIMEOUT_CASES) runs.set(name, run(script, args, environmentFor(endpoint), signal));
    runs.set("defaults", run("report/cli.ts", ["--days", "1", "--quiet"], { ...environmentFor(endpoint), XDG_CACHE_HOME: fs.mkdtempSync(path.join(os.tmpdir(), "no-price-cache-")) }, signal));
    runs.set(
        "price list",
        run("report/cli.ts", ["--source", "file", "--path", file, "--prices", "auto", "--refresh-prices", "--timeout", "2", "--quiet"], {
            ...environmentFor(endpoint),
            XDG_CACHE_HOME: path.join(ROOT, "node_modules", ".cache", "never-answers"),
        }, signal),
    );
    // An endpoint that cannot even be connected to: any call would say so.
    runs.set("local file", run("report/cli.ts", ["--source", "file", "--path", file, "--quiet"], { ...environmentFor("http://127.0.0.1:9"), AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" }, signal));
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    runs.set("refused", run("report/cli.ts", ["--engine", "logs-insights", "--days", "1", "--prices", "builtin", "--timeout", "5", "--quiet"], environmentFor(`http://127.0.0.1:${port}`), signal));

    const results: Record<string, Run> = {};
    for (const [name, running] of runs) results[name] = await running;
    // Every run has ended before the server goes.
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    return results;
}

/** Where the suite's runs are written when they end (`NEVER_ANSWERS_RESULTS`), in the main process's temporary folder. */
export const RESULTS_VARIABLE = "NEVER_ANSWERS_RESULTS";

let suiteRuns: Promise<void> | undefined;
const stopSuiteRuns = new AbortController();

/** mocha's global setup (`.mocharc.js`): starts the runs in the main process and names the file their results will be in. */
export function mochaGlobalSetup(): void {
    const resultsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "never-answers-")), "runs.json");
    process.env[RESULTS_VARIABLE] = resultsFile;
    suiteRuns = neverAnswersRuns(stopSuiteRuns.signal).then(
        (results) => fs.writeFileSync(`${resultsFile}.partial`, JSON.stringify(results)),
        (error: Error) => fs.writeFileSync(`${resultsFile}.partial`, JSON.stringify({ error: error.message })),
    ).then(() => fs.renameSync(`${resultsFile}.partial`, resultsFile));
}

/** mocha's global teardown: the runs have ended when the test file ran; when it did not (a run of other files), they are stopped. */
export async function mochaGlobalTeardown(): Promise<void> {
    stopSuiteRuns.abort();
    await suiteRuns;
    const resultsFile = process.env[RESULTS_VARIABLE];
    if (resultsFile) fs.rmSync(path.dirname(resultsFile), { recursive: true, force: true });
}

/** The suite's runs when the main process started them, waited for (at most `seconds`); else runs started here. */
export async function runsForTests(seconds: number): Promise<Runs> {
    const resultsFile = process.env[RESULTS_VARIABLE];
    if (!resultsFile) return neverAnswersRuns();
    const deadline = Date.now() + seconds * 1000;
    while (!fs.existsSync(resultsFile)) {
        if (Date.now() > deadline) throw new Error(`the never-answering endpoint's runs did not end within ${seconds} s (${resultsFile})`);
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const results = JSON.parse(fs.readFileSync(resultsFile, "utf8")) as Runs | { error: string };
    if ("error" in results && typeof results.error === "string") throw new Error(`the never-answering endpoint's runs failed: ${results.error}`);
    return results as Runs;
}
