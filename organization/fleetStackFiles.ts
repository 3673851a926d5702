/**
 * Reads the main project's stack files (`Pulumi.<stack>.yaml`) and validates each as the program
 * would, to learn what the fleet approves. A file that does not validate is reported by its path,
 * key path and rule, in one line.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigValidationError } from "../components/config/configValidation";
import { StackApprovals, stackApprovals } from "../components/organization/fleetApprovals";
import { validateStackConfig } from "../components/stack/stackConfig";
import { allowedAccountsOf } from "../components/stack/stackFileNotes";
import { loadStackConfig } from "../offline/engine/stackFile";

/** The main project's folder, whose `Pulumi.yaml` names the configuration namespace. */
export const MAIN_PROJECT_DIR = path.resolve(__dirname, "..");

/** A stack file that is missing, unreadable or invalid: `file: key path = value: rule`. */
export class StackFileError extends Error {
    constructor(
        readonly file: string,
        message: string,
        /** True when the file does not exist (a bad argument rather than a bad file). */
        readonly missing = false,
    ) {
        super(`${file}: ${message}`);
        this.name = "StackFileError";
    }
}

/** One stack file's approvals, or a `StackFileError`. */
export function readStackApprovals(file: string): StackApprovals {
    if (!fs.existsSync(file)) throw new StackFileError(file, "no such stack file", true);
    let raw;
    try {
        raw = loadStackConfig(MAIN_PROJECT_DIR, path.basename(file).replace(/^Pulumi\.|\.ya?ml$/g, ""), file);
    } catch (error) {
        throw new StackFileError(file, `not a readable stack file: ${(error as Error).message.split("\n")[0]}`);
    }
    const prefix = `${raw.project}:`;
    const projectValues = Object.fromEntries(Object.entries(raw.config).filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value]));
    try {
        return stackApprovals(validateStackConfig({ region: raw.config["aws:region"], projectValues }), allowedAccountsOf(raw.config) ?? []);
    } catch (error) {
        if (!(error instanceof ConfigValidationError)) throw error;
        const [first, ...others] = error.issues;
        const more = others.length > 0 ? ` (and ${others.length} more problem${others.length === 1 ? "" : "s"})` : "";
        throw new StackFileError(file, `${first.path} = ${first.value}: ${first.rule}${more}`);
    }
}
