/**
 * Runs a project's program for one stack under the mocked engine, with the stack file's
 * configuration, as `pulumi preview` (or `pulumi up`) would run it. Once per process.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { MockEngine } from "./mockEngine";
import { OfflineStackConfig } from "./stackFile";

export interface StackRunOptions {
    /** The folder holding `Pulumi.yaml` and the program's `index.ts`. */
    readonly projectDir: string;
    /** The stack's configuration, from `loadStackConfig`. */
    readonly stackConfig: OfflineStackConfig;
    /** The account `aws.getCallerIdentity` answers with. */
    readonly accountId: string;
    /** `pulumi preview` (outputs unknown until created) or `pulumi up` (outputs as the provider sets them). */
    readonly preview: boolean;
}

/**
 * Runs the program to completion and returns the engine holding what it registered; the program's
 * own error (a `RunError` for invalid configuration) is rethrown once every registration settled.
 */
export async function runStackProgram(options: StackRunOptions): Promise<MockEngine> {
    const { stackConfig } = options;
    const engine = await MockEngine.install({ project: stackConfig.project, stack: stackConfig.stack, accountId: options.accountId, preview: options.preview });
    pulumi.runtime.setAllConfig(stackConfig.config, stackConfig.secretKeys);
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const program = require(path.join(options.projectDir, "index")) as () => Promise<unknown>;
        await program();
    } finally {
        await engine.settle();
    }
    return engine;
}
