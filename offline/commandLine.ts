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
