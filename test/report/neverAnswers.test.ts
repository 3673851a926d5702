/**
 * Every command that calls AWS ends, with one sentence naming the call and the documented exit
 * code, when the endpoint accepts connections and never answers: a real TCP server on 127.0.0.1
 * (AWS_ENDPOINT_URL), the real SDK clients in a child process as a user runs them, and a small
 * --timeout so that each run stops by itself in seconds. A refused connection is a network problem
 * (exit 3). The process is what is tested here (its clock, its exit code), so each case is a real
 * run; the runs are started together, before the first case, since each spends its time waiting.
 */
import * as assert from "assert";
import { spawn } from "child_process";
import { RUN_COMMAND } from "../commands";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { AwsCallTimeout, mapWithConcurrency, parseTimeoutSeconds } from "../../offline/awsClientConfig";
import { withoutAwsCredentials } from "../awsEnvironment";

const ROOT = path.resolve(__dirname, "..", "..");

interface Run {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
    /** From the spawn to the process's end. */
    readonly seconds: number;
}

/** Runs a command of the project (asynchronously, so that this process's server keeps accepting), killed after 60 s at most. */
function run(script: string, args: readonly string[], environment: NodeJS.ProcessEnv): Promise<Run> {
    const started = Date.now();
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [RUN_COMMAND, script, ...args], { cwd: ROOT, env: environment });
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

describe("an AWS endpoint that accepts connections and never answers", function () {
    // Each run waits its --timeout (2 s) plus a Node start-up.
    this.timeout(120000);
    let server: net.Server;
    const sockets = new Set<net.Socket>();
    let endpoint = "";
    /** Every run of this suite, started together before the first case: each case awaits its own. */
    const runs = new Map<string, Promise<Run>>();

    before(async () => {
        server = net.createServer((socket) => {
            // Accept, read, and never answer.
            sockets.add(socket);
            socket.on("data", () => undefined);
            socket.on("close", () => sockets.delete(socket));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    });
    after(async () => {
        // Every run has ended before the server goes.
        await Promise.all(runs.values());
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => server.close(resolve));
    });

    const cases: [string, string, string[], RegExp][] = [
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
    const file = path.join(ROOT, "test", "fixtures", "invocations.sample.jsonl");
    const runOf = (name: string): Promise<Run> => runs.get(name) ?? assert.fail(`no run named ${name}`);

    before(async () => {
        for (const [name, script, args] of cases) runs.set(name, run(script, args, environmentFor(endpoint)));
        runs.set("defaults", run("report/cli.ts", ["--days", "1", "--quiet"], { ...environmentFor(endpoint), XDG_CACHE_HOME: fs.mkdtempSync(path.join(os.tmpdir(), "no-price-cache-")) }));
        runs.set(
            "price list",
            run("report/cli.ts", ["--source", "file", "--path", file, "--prices", "auto", "--refresh-prices", "--timeout", "2", "--quiet"], {
                ...environmentFor(endpoint),
                XDG_CACHE_HOME: path.join(ROOT, "node_modules", ".cache", "never-answers"),
            }),
        );
        // An endpoint that cannot even be connected to: any call would say so.
        runs.set("local file", run("report/cli.ts", ["--source", "file", "--path", file, "--quiet"], { ...environmentFor("http://127.0.0.1:9"), AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" }));
        const closed = net.createServer();
        await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
        const port = (closed.address() as net.AddressInfo).port;
        await new Promise((resolve) => closed.close(resolve));
        runs.set("refused", run("report/cli.ts", ["--engine", "logs-insights", "--days", "1", "--prices", "builtin", "--timeout", "5", "--quiet"], environmentFor(`http://127.0.0.1:${port}`)));
    });
    for (const [name, , , sentence] of cases) {
        it(`${name}: ends within its timeout with one sentence naming the call, exit 1`, async () => {
            const result = await runOf(name);
            assert.strictEqual(result.status, 1, result.stdout + result.stderr);
            assert.match(result.stderr, sentence);
            assert.strictEqual(result.stderr.trim().split("\n").length, 1, `one line: ${result.stderr}`);
            assert.doesNotMatch(result.stderr, /\n\s+at /);
            assert.strictEqual(result.stdout, "");
            // The timeout is 2 s; Node starts in well under one: far under the 30 s a user may wait.
            assert.ok(result.seconds < 30, `took ${result.seconds} s`);
        });
    }

    it("with every default (--prices auto, --timeout 15) the report still ends under 30 s: the Price List API gets 5 s, then the query its 15", async () => {
        const result = await runOf("defaults");
        assert.strictEqual(result.status, 1, result.stderr);
        assert.match(result.stderr, /^usage-report: AWS did not answer logs:StartQuery within 15 s/);
        assert.ok(result.seconds < 30, `took ${result.seconds} s`);
    });

    it("the Price List API, asked for explicitly for a local file, falls back to the built-in table within the timeout and says so", async () => {
        const result = await runOf("price list");
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /Prices: built-in table \(report\/aggregate\.ts\): the Price List API was not reachable \(AwsCallTimeout: AWS did not answer pricing:GetProducts within 2 s/);
    });

    it("a local file report asks nothing of the network by default", async () => {
        const result = await runOf("local file");
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /Prices: built-in table/);
    });

    it("a refused connection is a network problem: one sentence, exit 3", async () => {
        const result = await runOf("refused");
        assert.strictEqual(result.status, 3, result.stderr);
        assert.match(result.stderr, /^usage-report: AWS could not be reached \(ECONNREFUSED/);
    });
});

describe("the bounds of AWS calls", () => {
    it("reads --timeout as whole seconds from 1 to 600, 15 by default", () => {
        assert.deepStrictEqual(parseTimeoutSeconds(undefined), { ok: true, seconds: 15 });
        assert.deepStrictEqual(parseTimeoutSeconds("5"), { ok: true, seconds: 5 });
        for (const bad of ["0", "1.5", "-3", "601", "soon"]) assert.strictEqual(parseTimeoutSeconds(bad).ok, false, bad);
    });

    it("names the call in the timeout's sentence", () => {
        assert.match(new AwsCallTimeout("iam:GetRole", 20).message, /^AWS did not answer iam:GetRole within 20 s \(3 attempts\)/);
    });

    it("never runs more than the given number of tasks at once, and keeps the order of results", async () => {
        let running = 0;
        let most = 0;
        const results = await mapWithConcurrency(
            Array.from({ length: 50 }, (_, index) => index),
            8,
            async (index) => {
                running++;
                most = Math.max(most, running);
                await new Promise((resolve) => setImmediate(resolve));
                running--;
                return index * 2;
            },
        );
        assert.strictEqual(most, 8);
        assert.deepStrictEqual(results, Array.from({ length: 50 }, (_, index) => index * 2));
    });
});
