/** What the project's commands (`check`, `deployer-policy`) share in reading their command line. */
import { ParseArgsConfig, parseArgs } from "util";

/** A mistake in how a command was called: printed as one sentence and the usage, exit code 2. */
export class UsageError extends Error {}

/** The command's flags, or a `UsageError` naming the unknown or malformed one. */
export function parseFlags<Options extends NonNullable<ParseArgsConfig["options"]>>(argv: readonly string[], options: Options) {
    try {
        return parseArgs({ args: [...argv], options, allowPositionals: false, strict: true }).values;
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
}

/**
 * A module loaded on first use: a command imports what it runs with through this, so that `--help`
 * and a bad flag are answered without loading the program, the SDKs or the pack. Pass the caller's
 * `require`, so that the path is the caller's: `lazyModule<typeof import("./access/access")>(require, "./access/access")`.
 */
export function lazyModule<Module extends object>(load: NodeJS.Require, id: string): Module {
    let loaded: Module | undefined;
    return new Proxy({} as Module, { get: (_target, key) => (loaded ??= load(id) as Module)[key as keyof Module] });
}
