/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` into the configuration map the Pulumi engine hands
 * a program, without the CLI. Secure values cannot be decrypted here: each is replaced by a
 * placeholder that follows the external-ID rules, and its path is reported.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** What stands in for each `secure:` value offline. */
export const SECRET_PLACEHOLDER = "offline-placeholder-secret";

export interface OfflineStackConfig {
    readonly project: string;
    readonly stack: string;
    /** `namespace:key` -> value as the engine passes it (strings raw, everything else JSON). */
    readonly config: Record<string, string>;
    /** Keys that hold at least one secure value. */
    readonly secretKeys: string[];
    /** Paths of the secure values replaced by `SECRET_PLACEHOLDER`, e.g. `bedrock-access:gateways[0].externalId`. */
    readonly placeholderPaths: string[];
}

function isSecure(value: unknown): boolean {
    return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

function replaceSecure(value: unknown, at: string, found: string[]): unknown {
    if (isSecure(value)) {
        found.push(at);
        return SECRET_PLACEHOLDER;
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
    return { project, stack, config, secretKeys, placeholderPaths };
}
