/**
 * Every command that calls AWS ends, with one sentence naming the call and the documented exit
 * code, when the endpoint accepts connections and never answers: a real TCP server on 127.0.0.1
 * (AWS_ENDPOINT_URL), the real SDK clients in a child process as a user runs them, and a small
 * --timeout so that each run stops by itself in seconds. A refused connection is a network problem
 * (exit 3). The process is what is tested here (its clock, its exit code), so each case is a real
 * run; the runs (test/report/neverAnswersRuns.ts) start together with the suite, since each spends
 * its time waiting.
 */
import * as assert from "assert";
import { AwsCallTimeout, mapWithConcurrency, parseTimeoutSeconds } from "../../offline/awsClientConfig";
import { Run, Runs, TIMEOUT_CASES, runsForTests } from "./neverAnswersRuns";

describe("an AWS endpoint that accepts connections and never answers", function () {
    // The longest run waits 20 s (the report's default timeouts), plus a Node start-up.
    this.timeout(120000);
    let runs: Runs;
    const runOf = (name: string): Run => runs[name] ?? assert.fail(`no run named ${name}`);

    before(async () => {
        runs = await runsForTests(110);
    });

    for (const [name, , , sentence] of TIMEOUT_CASES) {
        it(`${name}: ends within its timeout with one sentence naming the call, exit 1`, () => {
            const result = runOf(name);
            assert.strictEqual(result.status, 1, result.stdout + result.stderr);
            assert.match(result.stderr, sentence);
            assert.strictEqual(result.stderr.trim().split("\n").length, 1, `one line: ${result.stderr}`);
            assert.doesNotMatch(result.stderr, /\n\s+at /);
            assert.strictEqual(result.stdout, "");
            // The timeout is 2 s; Node starts in well under one: far under the 30 s a user may wait.
            assert.ok(result.seconds < 30, `took ${result.seconds} s`);
        });
    }

    it("with every default (--prices auto, --timeout 15) the report still ends under 30 s: the Price List API gets 5 s, then the query its 15", () => {
        const result = runOf("defaults");
        assert.strictEqual(result.status, 1, result.stderr);
        assert.match(result.stderr, /^usage-report: AWS did not answer logs:StartQuery within 15 s/);
        assert.ok(result.seconds < 30, `took ${result.seconds} s`);
    });

    it("the Price List API, asked for explicitly for a local file, falls back to the built-in table within the timeout and says so", () => {
        const result = runOf("price list");
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /Prices: built-in table \(report\/aggregate\.ts\): the Price List API was not reachable \(AwsCallTimeout: AWS did not answer pricing:GetProducts within 2 s/);
    });

    it("a local file report asks nothing of the network by default", () => {
        const result = runOf("local file");
        assert.strictEqual(result.status, 0, result.stderr);
        assert.match(result.stdout, /Prices: built-in table/);
    });

    it("a refused connection is a network problem: one sentence, exit 3", () => {
        const result = runOf("refused");
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
