/**
 * A normalized form of IAM policy documents, so that each policy is a small predicate over
 * statements. IAM accepts many spellings of the same thing (a single statement or a list, a string
 * or a list of actions, any case in action names and condition keys); this reads them all. Actions
 * keep the case they are written in, so that messages quote them as the user wrote them.
 */

export interface NormalizedCondition {
    /** The operator as written, e.g. `StringEquals`, `StringLike`, `StringEqualsIfExists`. */
    readonly operator: string;
    /** Lower-cased: IAM compares condition keys case-insensitively. */
    readonly key: string;
    /** The key as the document writes it, for messages. */
    readonly writtenKey: string;
    readonly values: readonly string[];
}

export interface NormalizedPrincipal {
    /** `Principal: "*"` or `{ AWS: "*" }`: everyone. */
    readonly everyone: boolean;
    readonly aws: readonly string[];
    readonly service: readonly string[];
    readonly federated: readonly string[];
}

export interface NormalizedStatement {
    /** `Sid` when it has one, else its position: what a violation message names. */
    readonly label: string;
    readonly effect: "allow" | "deny";
    /** Action patterns of `Action`, as written (messages quote them so; compare case-insensitively); empty with `NotAction`. */
    readonly actions: readonly string[];
    /** `NotAction` patterns as written, or undefined. */
    readonly notActions: readonly string[] | undefined;
    readonly resources: readonly string[];
    readonly notResources: readonly string[] | undefined;
    readonly principal: NormalizedPrincipal | undefined;
    readonly notPrincipal: NormalizedPrincipal | undefined;
    readonly conditions: readonly NormalizedCondition[];
}

export type NormalizedDocument =
    | { readonly ok: true; readonly statements: readonly NormalizedStatement[] }
    | { readonly ok: false; readonly problem: string };

type Json = Record<string, unknown>;

class DocumentError extends Error {}

function isObject(value: unknown): value is Json {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A string or list of strings (IAM's "single or list" forms); anything else is an error. */
function stringList(value: unknown, what: string): string[] {
    if (value === undefined) return [];
    const items = Array.isArray(value) ? value : [value];
    return items.map((item) => {
        if (typeof item !== "string") throw new DocumentError(`${what} must be a string or a list of strings`);
        return item;
    });
}

function principalOf(value: unknown, what: string): NormalizedPrincipal | undefined {
    if (value === undefined) return undefined;
    if (value === "*") return { everyone: true, aws: [], service: [], federated: [] };
    if (!isObject(value)) throw new DocumentError(`${what} must be "*" or a map such as { "AWS": [...] }`);
    const byType = new Map(Object.entries(value).map(([type, entries]) => [type.toLowerCase(), stringList(entries, `${what}.${type}`)]));
    const aws = byType.get("aws") ?? [];
    return {
        everyone: aws.includes("*"),
        aws,
        service: byType.get("service") ?? [],
        federated: byType.get("federated") ?? [],
    };
}

function conditionsOf(value: unknown): NormalizedCondition[] {
    if (value === undefined) return [];
    if (!isObject(value)) throw new DocumentError("Condition must be a map of operators");
    return Object.entries(value).flatMap(([operator, keys]) => {
        if (!isObject(keys)) throw new DocumentError(`Condition.${operator} must be a map of condition keys`);
        return Object.entries(keys).map(([key, values]) => ({
            operator,
            key: key.toLowerCase(),
            writtenKey: key,
            values: (Array.isArray(values) ? values : [values]).map((item) => String(item)),
        }));
    });
}

function statementOf(value: unknown, index: number): NormalizedStatement {
    if (!isObject(value)) throw new DocumentError(`Statement[${index}] must be a map`);
    const label = typeof value.Sid === "string" && value.Sid !== "" ? value.Sid : `#${index}`;
    const effect = typeof value.Effect === "string" ? value.Effect.toLowerCase() : undefined;
    if (effect !== "allow" && effect !== "deny") throw new DocumentError(`Statement ${label}: Effect must be "Allow" or "Deny"`);
    if (value.Action === undefined && value.NotAction === undefined) throw new DocumentError(`Statement ${label} has neither Action nor NotAction`);
    return {
        label,
        effect,
        actions: stringList(value.Action, `Statement ${label}: Action`),
        notActions: value.NotAction === undefined ? undefined : stringList(value.NotAction, `Statement ${label}: NotAction`),
        resources: stringList(value.Resource, `Statement ${label}: Resource`),
        notResources: value.NotResource === undefined ? undefined : stringList(value.NotResource, `Statement ${label}: NotResource`),
        principal: principalOf(value.Principal, `Statement ${label}: Principal`),
        notPrincipal: principalOf(value.NotPrincipal, `Statement ${label}: NotPrincipal`),
        conditions: conditionsOf(value.Condition),
    };
}

/**
 * The pack's policies judge the same documents one after another (one Analyze call runs every
 * policy on one resource): the last few documents given as strings are parsed once, not per policy.
 */
const recentlyNormalized = new Map<string, NormalizedDocument>();
const RECENT_DOCUMENTS = 16;

/** Reads a policy document given as a JSON string or as an object. Never throws. */
export function normalizePolicyDocument(document: unknown): NormalizedDocument {
    if (typeof document !== "string") return normalizeParsed(document);
    const cached = recentlyNormalized.get(document);
    if (cached) return cached;
    const normalized = normalizeParsed(document);
    recentlyNormalized.set(document, normalized);
    if (recentlyNormalized.size > RECENT_DOCUMENTS) recentlyNormalized.delete(recentlyNormalized.keys().next().value as string);
    return normalized;
}

function normalizeParsed(document: unknown): NormalizedDocument {
    let parsed = document;
    if (typeof document === "string") {
        try {
            parsed = JSON.parse(document);
        } catch (error) {
            return { ok: false, problem: `is not valid JSON (${(error as Error).message})` };
        }
    }
    if (!isObject(parsed)) return { ok: false, problem: "is not a policy document (expected a JSON object)" };
    if (parsed.Statement === undefined) return { ok: false, problem: "has no Statement" };
    const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
    try {
        return { ok: true, statements: statements.map(statementOf) };
    } catch (error) {
        if (error instanceof DocumentError) return { ok: false, problem: `is malformed: ${error.message}` };
        throw error;
    }
}

const compiledPatterns = new Map<string, RegExp>();

/** IAM's wildcard match for actions (case-insensitive) and ARNs (case-sensitive): `*` any run, `?` one character. */
export function wildcardMatches(pattern: string, value: string, caseInsensitive = false): boolean {
    if (!hasWildcard(pattern)) return caseInsensitive ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
    const cacheKey = `${caseInsensitive ? "i" : "s"}${pattern}`;
    let compiled = compiledPatterns.get(cacheKey);
    if (compiled === undefined) {
        const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
        compiled = new RegExp(`^${escaped}$`, caseInsensitive ? "is" : "s");
        compiledPatterns.set(cacheKey, compiled);
    }
    return compiled.test(value);
}

export function hasWildcard(text: string): boolean {
    return text.includes("*") || text.includes("?");
}

/**
 * Whether the statement may cover some action of the service (`bedrock`): a `NotAction` statement
 * may; an `Action` pattern may when it has no colon (`*`), or when its part before the first colon
 * matches the service (that colon can only meet the action's own). A quick no before matching a
 * service's actions one by one.
 */
export function statementMayCoverService(statement: NormalizedStatement, service: string): boolean {
    if (statement.notActions !== undefined) return true;
    return statement.actions.some((pattern) => {
        const colon = pattern.indexOf(":");
        return colon < 0 || wildcardMatches(pattern.slice(0, colon), service, true);
    });
}

/** Whether an Allow/Deny statement covers a concrete action, through `Action` or `NotAction`. */
export function statementCoversAction(statement: NormalizedStatement, action: string): boolean {
    if (statement.notActions !== undefined) return !statement.notActions.some((pattern) => wildcardMatches(pattern, action, true));
    return statement.actions.some((pattern) => wildcardMatches(pattern, action, true));
}
