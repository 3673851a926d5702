/**
 * `npm run bench`: the gateway slice's speed figures, printed as one table.
 *
 * - pack start-up under the engine's launcher (median of several starts; target <= 1.5 s)
 * - Analyze time per resource over the Analyzer gRPC protocol (median of 1,000 calls; target <= 2 ms)
 * - `npm run check` on the example stack, wall time (target < 10 s)
 * - the whole test suite, wall time (target < 60 s)
 *
 * Figures only: nothing here passes or fails; the targets are printed beside them.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { MockEngine } from "../offline/mockEngine";
import { AnalyzedResource, PolicyPackClient } from "../offline/policyPackClient";
import { loadStackConfig } from "../offline/stackFile";

const ROOT = path.resolve(__dirname, "..");
const STARTS = 5;
const ANALYZE_CALLS = 1000;

/**
 * A pack with one empty policy: the protocol's own floor (launcher, SDK, gRPC), measured in the
 * same run so that the pack's figures can be read against it.
 */
function floorPackDir(): string {
    const dir = path.join(ROOT, "bench", "out", "floor-pack");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "floor-pack", version: "0.0.1", main: "index.js" }));
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    fs.writeFileSync(
        path.join(dir, "index.js"),
        `const { PolicyPack } = require(${JSON.stringify(require.resolve("@pulumi/policy"))});\n` +
            `new PolicyPack("floor", { policies: [{ name: "empty", description: "Does nothing.", validateResource: () => {} }] });\n`,
    );
    return dir;
}

async function measurePack(packDir: string | undefined, resources: readonly AnalyzedResource[]): Promise<{ startupMs: number; analyzeMs: number }> {
    const startups: number[] = [];
    for (let start = 0; start < STARTS; start++) {
        const pack = await PolicyPackClient.start({ packDir });
        startups.push(pack.startupMs);
        pack.close();
    }
    const pack = await PolicyPackClient.start({ packDir });
    const analyzeMs: number[] = [];
    try {
        for (let call = 0; call < ANALYZE_CALLS; call++) {
            const resource = resources[call % resources.length];
            const started = process.hrtime.bigint();
            await pack.analyze({ ...resource, urn: `${resource.urn}-${call}` });
            analyzeMs.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
    } finally {
        pack.close();
    }
    return { startupMs: median(startups), analyzeMs: median(analyzeMs) };
}

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function wallSeconds(command: string, args: string[]): { seconds: number; status: number | null } {
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, CI: "true" } });
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, status: result.status };
}

/** The example stack's resources, as the engine would send them at preview. */
async function exampleResources(): Promise<AnalyzedResource[]> {
    const stackConfig = loadStackConfig(ROOT, "example");
    const engine = await MockEngine.install({ project: stackConfig.project, stack: "example", accountId: "123456789012", preview: true });
    pulumi.runtime.setAllConfig(stackConfig.config, stackConfig.secretKeys);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await (require("../index") as () => Promise<unknown>)();
    await engine.settle();
    return engine.resources;
}

async function main(): Promise<void> {
    const resources = await exampleResources();
    const ours = await measurePack(undefined, resources);
    const floor = await measurePack(floorPackDir(), resources);

    const check = wallSeconds("npm", ["run", "--silent", "check"]);
    const tests = wallSeconds("npx", ["mocha"]);

    const rows: [string, string, string][] = [
        ["pack start-up under run-policy-pack (median of 5)", `${(ours.startupMs / 1000).toFixed(2)} s`, "<= 1.5 s"],
        ["  floor: one empty policy, same launcher", `${(floor.startupMs / 1000).toFixed(2)} s`, ""],
        [`Analyze per resource (median of ${ANALYZE_CALLS}, ${resources.length} distinct)`, `${ours.analyzeMs.toFixed(2)} ms`, "<= 2 ms"],
        ["  floor: one empty policy", `${floor.analyzeMs.toFixed(2)} ms`, ""],
        ["npm run check, example stack", `${check.seconds.toFixed(1)} s (exit ${check.status})`, "< 10 s"],
        ["test suite (mocha)", `${tests.seconds.toFixed(1)} s (exit ${tests.status})`, "< 60 s"],
    ];
    const width = Math.max(...rows.map((row) => row[0].length));
    console.log(`${"figure".padEnd(width)}  ${"measured".padEnd(18)}  target`);
    for (const [name, measured, target] of rows) console.log(`${name.padEnd(width)}  ${measured.padEnd(18)}  ${target}`);
}

main().then(
    () => process.exit(0),
    (error: Error) => {
        console.error(error.stack ?? String(error));
        process.exit(1);
    },
);
