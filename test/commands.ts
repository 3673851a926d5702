/**
 * How a test runs one of the project's commands as a process: as `npm run` runs it, compiled
 * (`build/run.js` compiles whatever changed first), so that a spawned command starts in a fraction
 * of a second. Spawn only where the process is what is tested (exit codes, stdout against stderr,
 * what a start-up loads); test parsing and messages in-process.
 */
import * as path from "path";

/** `node RUN_COMMAND offline/check.ts --help` runs `npm run check -- --help`. */
export const RUN_COMMAND = path.resolve(__dirname, "..", "build", "run.js");
