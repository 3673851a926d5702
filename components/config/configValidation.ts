/**
 * Shared machinery for validating the stack configuration: every problem is collected as a
 * `ConfigIssue` (key path, shown value, rule) and thrown once, before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Parsed } from "../arns/bedrockArns";

/** One broken rule: where (`gateways[1].externalId`), what was there (secrets masked), and why it is wrong. */
export interface ConfigIssue {
    readonly path: string;
    readonly value: string;
    readonly rule: string;
}

/** Keys whose values are secrets wherever they appear: their values are never shown. */
const SECRET_KEYS: ReadonlySet<string> = new Set(["externalId"]);

/** Whether a key holds a secret wherever it appears (`externalId`): its value belongs in the stack file as a `secure:` value. */
export function isSecretKey(key: string): boolean {
    return SECRET_KEYS.has(key);
}

/**
 * What the offline tools (check, deployer-policy, verify) pass for a `secure:` value they cannot
 * decrypt (`offline-placeholder-secret`, then `-2`, `-3`...): an opaque value, never checked for
 * shape, never shown.
 */
export const OFFLINE_SECRET_MARKER = "offline-placeholder-secret";
const OFFLINE_SECRET = /^offline-placeholder-secret(?:-\d+)?$/;

/** Whether a value is a secret the offline tools could not decrypt. */
export function isOfflineSecret(value: unknown): boolean {
    return typeof value === "string" && OFFLINE_SECRET.test(value);
}

/** Whether a value holds a secret anywhere inside it: a secret key (a whole `trust` object with an external ID) or an undecrypted secret. */
export function holdsSecret(value: unknown): boolean {
    if (isOfflineSecret(value)) return true;
    if (Array.isArray(value)) return value.some(holdsSecret);
    if (value !== null && typeof value === "object") return Object.entries(value).some(([key, item]) => SECRET_KEYS.has(key) || holdsSecret(item));
    return false;
}

/**
 * A string rule that a secret the offline tools cannot decrypt is exempt from: its shape is checked
 * whenever its value is known (by `pulumi preview` and `up`), and it is passed through opaque offline.
 */
export function unlessOfflineSecret(schema: z.ZodType<string>): z.ZodType<string> {
    return z.string().superRefine((value, context) => {
        if (isOfflineSecret(value)) return;
        const parsed = schema.safeParse(value);
        if (!parsed.success) for (const issue of parsed.error.issues) context.addIssue({ code: "custom", message: issue.message, path: issue.path });
    });
}

const MAX_SHOWN_LENGTH = 120;

/**
 * All problems of a configuration, thrown together. A `RunError`, so that Pulumi prints the
 * message without a stack trace.
 */
export class ConfigValidationError extends pulumi.RunError {
    constructor(readonly issues: readonly ConfigIssue[]) {
        super(formatIssues(issues));
        this.name = "ConfigValidationError";
    }
}

export function formatIssues(issues: readonly ConfigIssue[]): string {
    const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
    const lines = issues.map((issue) => `  - ${issue.path} = ${issue.value}: ${issue.rule}`);
    return [`Invalid stack configuration (${count}); no resource was registered:`, ...lines].join("\n");
}

/** `["gateways", 1, "externalId"]` -> `gateways[1].externalId`. */
export function formatPath(segments: readonly PropertyKey[]): string {
    return segments
        .map((segment, index) => (typeof segment === "number" ? `[${segment}]` : index === 0 ? String(segment) : `.${String(segment)}`))
        .join("");
}

export function isSecretPath(segments: readonly PropertyKey[]): boolean {
    return segments.some((segment) => typeof segment === "string" && SECRET_KEYS.has(segment));
}

/** How a value appears in an error: JSON, shortened; a secret, or a value holding one, shows only its length. */
export function describeValue(value: unknown, secret: boolean): string {
    if (value === undefined) return "(not set)";
    if (isOfflineSecret(value)) return "(secret, not decrypted offline)";
    if (secret || holdsSecret(value)) return typeof value === "string" ? `(secret, ${value.length} characters)` : "(secret)";
    const text = JSON.stringify(value) ?? String(value);
    return text.length > MAX_SHOWN_LENGTH ? `${text.slice(0, MAX_SHOWN_LENGTH)}...` : text;
}

export function valueAt(root: unknown, segments: readonly PropertyKey[]): unknown {
    let current: unknown = root;
    for (const segment of segments) {
        if (current === null || typeof current !== "object") return undefined;
        current = (current as Record<PropertyKey, unknown>)[segment];
    }
    return current;
}

export function issueAt(root: unknown, segments: readonly PropertyKey[], rule: string): ConfigIssue {
    const value = valueAt(root, segments);
    // A secret nobody could decrypt here fails only rules that need its value: say so rather than blame the marker.
    const undecrypted = isOfflineSecret(value) ? " (the value is a secret the offline tools cannot decrypt: this key needs a value known here, or a plain one)" : "";
    return { path: formatPath(segments), value: describeValue(value, isSecretPath(segments)), rule: `${rule}${undecrypted}` };
}


/** Turns zod's issues into ours: one issue per unknown key, values looked up in the raw input. */
export function issuesFromZod(root: unknown, error: z.ZodError): ConfigIssue[] {
    return error.issues.flatMap((issue) => {
        if (issue.code === "unrecognized_keys") {
            return issue.keys.map((key) => issueAt(root, [...issue.path, key], "unknown key: check its spelling against the README"));
        }
        return [issueAt(root, issue.path, issue.message)];
    });
}

/** A zod string schema that parses with one of our `parse*` functions and reports its rule on failure. */
export function parsedString<T>(parse: (text: string) => Parsed<T>) {
    return z.string().transform((text, context): T => {
        const parsed = parse(text);
        if (parsed.ok) return parsed.value;
        context.addIssue({ code: "custom", message: parsed.rule });
        return z.NEVER;
    });
}

/** The positions of values that appear more than once, for "must be unique" rules. */
export function duplicateIndexes(values: readonly unknown[]): number[] {
    const seen = new Set<unknown>();
    const duplicates: number[] = [];
    values.forEach((value, index) => {
        if (seen.has(value)) duplicates.push(index);
        seen.add(value);
    });
    return duplicates;
}

/** A configuration value as the engine hands it over: JSON text (lists, maps, numbers, booleans) or a plain string. */
export function configValueOf(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

/** Every key of a project's namespace, its value parsed as `configValueOf` does. */
export function parsedProjectValues(projectValues: Readonly<Record<string, string>>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(projectValues).map(([key, text]) => [key, configValueOf(text)]));
}
