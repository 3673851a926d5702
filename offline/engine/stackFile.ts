/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` into the configuration map the Pulumi engine hands
 * a program, without the CLI. Secure values cannot be decrypted here: each is replaced by an opaque
 * marker (distinct per value, and following the external-ID rules) that validation recognizes and
 * never checks for shape, and its path is reported. Pulumi ESC environments the stack imports are
 * not read: `environmentWarning` says so.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { OFFLINE_SECRET_MARKER } from "../../components/config/configValidation";

/** What stands in for the first `secure:` value offline; the next ones get `-2`, `-3`... so that each stays distinct. */
export const SECRET_PLACEHOLDER = OFFLINE_SECRET_MARKER;

export interface OfflineStackConfig {
    readonly project: string;
    readonly stack: string;
    /** `namespace:key` -> value as the engine passes it (strings raw, everything else JSON). */
    readonly config: Record<string, string>;
    /** Keys that hold at least one secure value. */
    readonly secretKeys: string[];
    /** Paths of the secure values replaced by `SECRET_PLACEHOLDER`, e.g. `bedrock-access:gateways[0].externalId`. */
    readonly placeholderPaths: string[];
    /** The Pulumi ESC environments the stack file imports (`environment:`), whose values are not read offline. */
    readonly environments: string[];
}

function isSecure(value: unknown): boolean {
    return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

function replaceSecure(value: unknown, at: string, found: string[]): unknown {
    if (isSecure(value)) {
        found.push(at);
        return found.length === 1 ? SECRET_PLACEHOLDER : `${SECRET_PLACEHOLDER}-${found.length}`;
    }
    if (Array.isArray(value)) return value.map((item, index) => replaceSecure(item, `${at}[${index}]`, found));
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceSecure(item, `${at}.${key}`, found)]));
    }
    return value;
}

function readYaml(file: string): Record<string, unknown> {
    if (!fs.existsSync(file)) throw new Error(`${file} does not exist`);
    return (parse(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
}

/** Reads `projectDir/Pulumi.yaml` and the stack's file (`projectDir/Pulumi.<stack>.yaml` unless `stackFilePath` is given). */
export function loadStackConfig(projectDir: string, stack: string, stackFilePath?: string): OfflineStackConfig {
    const project = String(readYaml(path.join(projectDir, "Pulumi.yaml")).name);
    const stackFile = readYaml(stackFilePath ?? path.join(projectDir, `Pulumi.${stack}.yaml`));
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const placeholderPaths: string[] = [];
    for (const [rawKey, rawValue] of Object.entries((stackFile.config ?? {}) as Record<string, unknown>)) {
        const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
        const before = placeholderPaths.length;
        const value = replaceSecure(rawValue, key, placeholderPaths);
        if (placeholderPaths.length > before) secretKeys.push(key);
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return { project, stack, config, secretKeys, placeholderPaths, environments: environmentImports(stackFile.environment) };
}

/** `environment: [a, b]` or `environment: { imports: [a, b] }`, as the stack file names ESC environments. */
function environmentImports(environment: unknown): string[] {
    const imports = Array.isArray(environment) ? environment : environment !== null && typeof environment === "object" ? (environment as { imports?: unknown }).imports : environment;
    if (imports === undefined || imports === null) return [];
    const list = Array.isArray(imports) ? imports : [imports];
    // An import may be a name or a map of one name to its options.
    return list.map((entry) => (entry !== null && typeof entry === "object" ? Object.keys(entry).join(", ") : String(entry)));
}

/** One line for a stack file that imports Pulumi ESC environments, or undefined. */
export function environmentWarning(stackConfig: Pick<OfflineStackConfig, "stack" | "environments">): string | undefined {
    if (stackConfig.environments.length === 0) return undefined;
    return (
        `warning: stack '${stackConfig.stack}' imports Pulumi ESC environment(s) ${stackConfig.environments.join(", ")}; ` +
        "their configuration and secrets are not read offline, so this view lacks whatever they supply"
    );
}
