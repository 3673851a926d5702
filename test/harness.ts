/**
 * One mocked Pulumi engine for the whole test process: installed before the program is first
 * imported, then reused by every test that runs the program with a configuration of its own; one
 * run of each configuration, shared by the tests that read it.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockEngine, RegisteredResource } from "../offline/engine/mockEngine";

export const PROJECT = "bedrock-access";
export const ACCOUNT_ID = "123456789012";
export const REGION = "eu-west-1";

let engine: Promise<MockEngine> | undefined;

export function mockEngine(): Promise<MockEngine> {
    engine ??= MockEngine.install({ project: PROJECT, stack: "test", accountId: ACCOUNT_ID, preview: true });
    return engine;
}

/** What one run registered: a snapshot, unaffected by later runs of the shared engine. */
export interface RegisteredSnapshot {
    readonly resources: readonly RegisteredResource[];
    ofType(type: string): RegisteredResource[];
}

export interface ProgramRun {
    readonly engine: RegisteredSnapshot;
    readonly outputs: unknown;
}

function snapshot(engine: MockEngine): RegisteredSnapshot {
    const resources = [...engine.resources];
    return { resources, ofType: (type) => resources.filter((resource) => resource.type === type) };
}

interface RunOptions {
    readonly preview?: boolean;
    readonly region?: string;
    /** The stack's name; if not provided, `test`. */
    readonly stack?: string;
}

/** What one successful run left in the engine and said, kept to be handed to the next test asking for the same run. */
interface SharedRun {
    readonly resources: readonly RegisteredResource[];
    readonly invokes: readonly string[];
    readonly invokeCalls: MockEngine["invokeCalls"];
    readonly warnings: readonly unknown[][];
    readonly outputs: unknown;
}

/**
 * The runs made in this process, by project, configuration and options. Mocha runs each test file in
 * one worker process (`--parallel`), so the tests of a file, and of the other files that worker
 * runs, share one run of each stack they read: the example stack's program runs once per worker,
 * not once per test. A test gets its own copy of the resources and the engine as the run left it.
 */
const sharedRuns = new Map<string, SharedRun>();

const copyOf = <T>(value: T): T => structuredClone(value);

/**
 * Runs one project's program with its configuration (keys without the project prefix) in preview
 * (default) or update mode, waits until every resource has registered, and leaves the shared engine
 * on the main project. The same run asked for again is not run again: the engine is given back what
 * the first run registered and invoked, and the warnings it printed are printed again.
 */
async function runProjectProgram(project: string, programPath: string, projectConfig: Record<string, unknown>, options: RunOptions): Promise<ProgramRun> {
    const mocks = await mockEngine();
    await mocks.configure({ project, preview: options.preview ?? true, stack: options.stack ?? "test" });
    mocks.reset();
    const config: Record<string, string> = { "aws:region": options.region ?? REGION };
    for (const [key, value] of Object.entries(projectConfig)) config[`${project}:${key}`] = JSON.stringify(value);
    pulumi.runtime.setAllConfig(config, Object.keys(config).filter((key) => key !== "aws:region"));
    const key = JSON.stringify([project, programPath, config, options.preview ?? true, options.stack ?? "test"]);
    const shared = sharedRuns.get(key);
    if (shared) {
        mocks.resources.push(...copyOf(shared.resources));
        mocks.invokes.push(...shared.invokes);
        mocks.invokeCalls.push(...copyOf(shared.invokeCalls));
        for (const warning of shared.warnings) console.warn(...warning);
        if (project !== PROJECT || options.stack !== undefined) await mocks.configure({ project: PROJECT, stack: "test" });
        return { engine: snapshot(mocks), outputs: shared.outputs };
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(programPath) as () => Promise<unknown>;
    const warnings: unknown[][] = [];
    const consoleWarn = console.warn;
    console.warn = (...parts: unknown[]) => {
        warnings.push(parts);
        consoleWarn(...parts);
    };
    let outputs: unknown;
    try {
        outputs = await program();
    } finally {
        try {
            await mocks.settle();
        } finally {
            console.warn = consoleWarn;
        }
        if (project !== PROJECT || options.stack !== undefined) await mocks.configure({ project: PROJECT, stack: "test" });
    }
    sharedRuns.set(key, { resources: copyOf(mocks.resources), invokes: [...mocks.invokes], invokeCalls: copyOf(mocks.invokeCalls), warnings, outputs });
    return { engine: snapshot(mocks), outputs };
}

/** Runs `index.ts` with the given configuration of the main project. */
export function runProgram(projectConfig: Record<string, unknown>, options: RunOptions = {}): Promise<ProgramRun> {
    // Monitoring is on by default in a stack; tests of other parts switch it off unless they set it.
    return runProjectProgram(PROJECT, "../index", { monitoring: { enabled: false }, ...projectConfig }, options);
}

/** The value of an Output; fails the test if it is unknown. */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("output never resolved (unknown?)")), 5000);
        output.apply((value) => {
            clearTimeout(timer);
            resolve(value);
        });
    });
}

export const BOOTSTRAP_PROJECT = "bedrock-access-bootstrap";

/** Runs `bootstrap/index.ts` with the given configuration of the bootstrap project. */
export function runBootstrap(projectConfig: Record<string, unknown>, options: RunOptions = {}): Promise<ProgramRun> {
    return runProjectProgram(BOOTSTRAP_PROJECT, "../bootstrap/index", projectConfig, options);
}

export const ORGANIZATION_PROJECT = "bedrock-access-organization";

/** Runs `organization/index.ts` with the given configuration of the organization project. */
export function runOrganization(projectConfig: Record<string, unknown>, options: RunOptions = {}): Promise<ProgramRun> {
    return runProjectProgram(ORGANIZATION_PROJECT, "../organization/index", projectConfig, options);
}
