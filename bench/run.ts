/**
 * `npm run bench`: every figure the issues ask for, printed as one table.
 *
 * - capacity: distinct models (bench/modelMix.ts) one gateway role carries within IAM's default
 *   quotas, next to AWS CDK on the same mix (default settings and minimizePolicies)
 * - program speed under mocks for 1, 10 and 50 gateways of 50 models
 * - pack start-up under the engine's launcher and median Analyze time, over the example stack and
 *   over the largest configuration, next to a pack with one empty policy (the protocol's floor)
 * - `npm run check` on the example stack and the whole test suite, wall time
 *
 * Figures only: nothing here passes or fails; the targets are printed beside them.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parseModelReference } from "../components/arns/bedrockArns";
import { gatewayPermissionLayout } from "../components/gateway/gatewayPolicies";
import { DEFAULT_IAM_QUOTAS } from "../components/iam/iamQuotas";
import { MockEngine } from "../offline/engine/mockEngine";
import { AnalyzedResource, PolicyPackClient } from "../offline/engine/policyPackClient";
import { loadStackConfig } from "../offline/engine/stackFile";
import { cdkFit } from "./cdkCapacity";
import { modelMix } from "./modelMix";

const ROOT = path.resolve(__dirname, "..");
const LOCATION = { partition: "aws", region: "eu-west-1", accountId: "123456789012" };
const MAX_MODELS = 1000;
const STARTS = 9;
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

/** Start-up of each pack, started in turn (ours, floor, ours, ...) so that drift on a busy machine hits both alike. */
async function measureStartups(packDirs: readonly (string | undefined)[]): Promise<number[]> {
    const startups: number[][] = packDirs.map(() => []);
    for (let round = 0; round < STARTS; round++) {
        for (const [index, packDir] of packDirs.entries()) {
            const pack = await PolicyPackClient.start({ packDir });
            startups[index].push(pack.startupMs);
            pack.close();
        }
    }
    return startups.map(median);
}

/** Median Analyze time over ANALYZE_CALLS calls cycling through the resources. */
async function measureAnalyze(packDir: string | undefined, resources: readonly AnalyzedResource[]): Promise<number> {
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
    return median(analyzeMs);
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

/** The largest n such that every prefix up to n fits: a coarse upward scan, then one by one. */
function capacity(fits: (count: number) => boolean, step = 10): number {
    let good = 0;
    while (good + step <= MAX_MODELS && fits(good + step)) good += step;
    while (good < MAX_MODELS && fits(good + 1)) good += 1;
    return good;
}

function ourCapacity(references: readonly string[]): number {
    const models = references.map((text) => {
        const parsed = parseModelReference(text);
        if (!parsed.ok) throw new Error(`${text}: ${parsed.rule}`);
        return parsed.value;
    });
    return capacity((count) => gatewayPermissionLayout({ location: LOCATION, models: models.slice(0, count), guardrails: [], streaming: true }, DEFAULT_IAM_QUOTAS).ok);
}

function gatewaysConfig(gatewayCount: number, modelsPerGateway: number): Record<string, string> {
    const gateways = Array.from({ length: gatewayCount }, (_, index) => ({
        name: `gateway-${index}`,
        trustedPrincipals: [`arn:aws:iam::111111111111:role/gateway-${index}`],
        externalId: `external-id-${index}`,
        models: modelMix(modelsPerGateway + index, LOCATION.region).slice(index),
    }));
    // Monitoring off: these runs measure how the program scales with gateways.
    return { "aws:region": LOCATION.region, "bedrock-access:gateways": JSON.stringify(gateways), "bedrock-access:monitoring": JSON.stringify({ enabled: false }) };
}

/** Runs the program once per configuration in one process (mocks installed once), timing each run. */
async function programRuns(configs: readonly Record<string, string>[]): Promise<{ ms: number; resources: AnalyzedResource[] }[]> {
    const engine = await MockEngine.install({ project: "bedrock-access", stack: "bench", accountId: LOCATION.accountId, preview: true });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require("../index") as () => Promise<unknown>;
    const runs: { ms: number; resources: AnalyzedResource[] }[] = [];
    for (const config of configs) {
        engine.reset();
        pulumi.runtime.setAllConfig(config, Object.keys(config).filter((key) => key !== "aws:region"));
        const started = process.hrtime.bigint();
        await program();
        await engine.settle();
        runs.push({ ms: Number(process.hrtime.bigint() - started) / 1e6, resources: [...engine.resources] });
    }
    return runs;
}

async function main(): Promise<void> {
    const references = modelMix(MAX_MODELS);
    const ours = ourCapacity(references);
    const cdkDefault = capacity((count) => cdkFit(references.slice(0, count), LOCATION, false).fits);
    const cdkMinimized = capacity((count) => cdkFit(references.slice(0, count), LOCATION, true).fits);

    const example = loadStackConfig(ROOT, "example");
    const [exampleRun, ...scaleRuns] = await programRuns([example.config, ...[1, 10, 50].map((count) => gatewaysConfig(count, 50))]);
    const largest = scaleRuns[scaleRuns.length - 1].resources;

    const floorDir = floorPackDir();
    const [startupMs, floorStartupMs] = await measureStartups([undefined, floorDir]);
    const analyzeExampleMs = await measureAnalyze(undefined, exampleRun.resources);
    const analyzeLargestMs = await measureAnalyze(undefined, largest);
    const floorAnalyzeMs = await measureAnalyze(floorDir, largest);

    const check = wallSeconds("npm", ["run", "--silent", "check"]);
    const tests = wallSeconds("npx", ["mocha"]);

    const perGateway = scaleRuns.map((run, index) => run.ms / [1, 10, 50][index]);
    const rows: [string, string, string][] = [
        [`capacity: distinct models in one gateway role (default quotas)`, `${ours}`, ">= 450"],
        ["  AWS CDK 2.276, default settings, same mix", `${cdkDefault} (ratio ${(ours / cdkDefault).toFixed(2)})`, ""],
        ["  AWS CDK 2.276, minimizePolicies, same mix", `${cdkMinimized} (ratio ${(ours / cdkMinimized).toFixed(2)})`, ""],
        ...scaleRuns.map((run, index): [string, string, string] => [
            `program under mocks, ${[1, 10, 50][index]} gateway(s) x 50 models`,
            `${run.ms.toFixed(0)} ms (${perGateway[index].toFixed(1)} ms/gateway)`,
            index === 0 ? "linear or better" : "",
        ]),
        [`pack start-up under run-policy-pack (median of ${STARTS})`, `${(startupMs / 1000).toFixed(2)} s`, "<= 1.5 s"],
        ["  floor: one empty policy, same launcher, interleaved", `${(floorStartupMs / 1000).toFixed(2)} s`, ""],
        [`Analyze per resource, example stack (median of ${ANALYZE_CALLS})`, `${analyzeExampleMs.toFixed(2)} ms`, "<= 2 ms"],
        [`Analyze per resource, 50 x 50 stack (${largest.length} resources)`, `${analyzeLargestMs.toFixed(2)} ms (${(analyzeLargestMs / floorAnalyzeMs).toFixed(2)}x floor)`, "<= 1.5x floor"],
        ["  floor: one empty policy, same resources", `${floorAnalyzeMs.toFixed(2)} ms`, ""],
        ["npm run check, example stack (medians: npm run bench:speed)", `${check.seconds.toFixed(1)} s (exit ${check.status})`, "<= 5 s"],
        ["test suite (mocha)", `${tests.seconds.toFixed(1)} s (exit ${tests.status})`, "<= 75 s"],
    ];
    const nameWidth = Math.max(...rows.map((row) => row[0].length));
    const valueWidth = Math.max(...rows.map((row) => row[1].length));
    console.log(`${"figure".padEnd(nameWidth)}  ${"measured".padEnd(valueWidth)}  target`);
    for (const [name, measured, target] of rows) console.log(`${name.padEnd(nameWidth)}  ${measured.padEnd(valueWidth)}  ${target}`.trimEnd());
}

main().then(
    () => process.exit(0),
    (error: Error) => {
        console.error(error.stack ?? String(error));
        process.exit(1);
    },
);
