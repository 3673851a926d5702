/**
 * Compares the stack's effective access with a baseline committed beside the stack, semantically:
 * grants are exploded into (principal, action, resource, conditions) facts, so that reordered,
 * merged or re-split statements compare equal, and resources compare as sets. Access widens when a
 * role or resource policy is new, a principal may newly assume a role, an action or resource is
 * newly allowed, a condition is removed or accepts more values, or a Deny is removed.
 */
import { AccessCondition, AccessGrant, StackAccess } from "./access";
import { wildcardMatches } from "../../policypack/policies/normalize";

export interface BaselineFile {
    readonly baselineOf: string;
    readonly access: StackAccess;
}

export interface EntityChanges {
    /** `role bedrock-gateway-portkey-eu-west-1`, or `resource policy aws:s3/bucketPolicy:BucketPolicy logs`. */
    readonly entity: string;
    readonly widened: readonly string[];
    readonly narrowed: readonly string[];
}

export interface BaselineComparison {
    readonly widened: boolean;
    readonly changes: readonly EntityChanges[];
}

interface Fact {
    readonly kind: "may assume" | "may";
    /** A NotPrincipal, NotAction or NotResource grant: covered only by the same grant. */
    readonly whole?: true;
    readonly effect: "Allow" | "Deny";
    readonly principal: string;
    readonly action: string;
    readonly resource: string;
    readonly conditions: readonly AccessCondition[];
}

const negated = (items: readonly string[]) => items.some((item) => item.startsWith("not "));

/**
 * A grant as facts: one per principal, action and resource. A grant with NotPrincipal, NotAction or
 * NotResource reaches everything but what it lists, so it stays one fact, compared whole.
 */
function factsOf(kind: Fact["kind"], grants: readonly AccessGrant[]): Fact[] {
    return grants.flatMap((grant) =>
        negated(grant.principals) || negated(grant.actions) || negated(grant.resources)
            ? [{ kind, effect: grant.effect, principal: grant.principals.join(", "), action: grant.actions.join(", "), resource: grant.resources.join(", "), conditions: grant.conditions, whole: true }]
            : (grant.principals.length > 0 ? grant.principals : [""]).flatMap((principal) =>
            grant.actions.flatMap((action) =>
                (grant.resources.length > 0 ? grant.resources : [""]).map((resource) => ({ kind, effect: grant.effect, principal, action, resource, conditions: grant.conditions })),
            ),
        ),
    );
}

function entities(access: StackAccess): Map<string, Fact[]> {
    const byEntity = new Map<string, Fact[]>();
    for (const role of access.roles) byEntity.set(`role ${role.role}`, [...factsOf("may assume", role.trust), ...factsOf("may", role.grants)]);
    for (const policy of access.resourcePolicies) byEntity.set(`resource policy ${policy.resource}`, factsOf("may", policy.grants));
    for (const policy of access.unattachedPolicies ?? []) byEntity.set(`managed policy ${policy.policy}`, factsOf("may", policy.grants));
    return byEntity;
}

/**
 * Whether the pattern `broad` matches everything `narrow` matches. A concrete `narrow` is matched
 * as IAM matches it; a `narrow` with wildcards is covered only by itself or by a prefix ending in
 * `*` (never by `?` standing for its `*`).
 */
function patternCovers(broad: string, narrow: string, caseInsensitive: boolean): boolean {
    const fold = (text: string) => (caseInsensitive ? text.toLowerCase() : text);
    if (!/[*?]/.test(narrow)) return wildcardMatches(broad, narrow, caseInsensitive);
    if (fold(broad) === fold(narrow)) return true;
    const star = broad.indexOf("*");
    return star === broad.length - 1 && !/\?/.test(broad) && fold(narrow).startsWith(fold(broad.slice(0, -1)));
}

/** `broad` reaches at least what `narrow` reaches (actions case-insensitively, as IAM compares them). */
function reaches(broad: Fact, narrow: Fact): boolean {
    if (broad.kind !== narrow.kind || broad.effect !== narrow.effect) return false;
    if (broad.whole || narrow.whole) return broad.whole === narrow.whole && broad.principal === narrow.principal && broad.action === narrow.action && broad.resource === narrow.resource;
    return (broad.principal === narrow.principal || broad.principal === "*") && patternCovers(broad.action, narrow.action, true) && patternCovers(broad.resource, narrow.resource, false);
}

/** Operators under which fewer values bind more (a value must be one of them); any other must keep exactly its values. */
const POSITIVE_OPERATORS = new Set(["stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike", "foranyvalue:stringequals", "foranyvalue:stringlike", "bool", "numericequals"]);

/** `strict` has every condition of `loose`, binding as much: `loose` binds at most as much as `strict`. */
function bindsAtLeast(strict: readonly AccessCondition[], loose: readonly AccessCondition[]): boolean {
    return loose.every((condition) =>
        strict.some((candidate) => {
            if (candidate.operator !== condition.operator || candidate.key.toLowerCase() !== condition.key.toLowerCase()) return false;
            if (POSITIVE_OPERATORS.has(condition.operator.toLowerCase())) return candidate.values.every((value) => condition.values.includes(value));
            return candidate.values.length === condition.values.length && candidate.values.every((value) => condition.values.includes(value));
        }),
    );
}

function describe(fact: Fact): string {
    const who = fact.principal ? `${fact.principal} ` : "";
    const on = fact.resource ? ` on ${fact.resource}` : "";
    const when = fact.conditions.length > 0 ? ` when ${fact.conditions.map((condition) => `${condition.operator} ${condition.key} ${condition.values.join(" | ")}`).join("; ")}` : "";
    return `${fact.effect === "Deny" ? "Deny " : ""}${who}${fact.kind} ${fact.action}${on}${when}`;
}

/** Whether `facts` (of one side) cover `fact`: something reaches it with conditions that bind no more. */
function covered(fact: Fact, facts: readonly Fact[]): boolean {
    return facts.some((candidate) => reaches(candidate, fact) && bindsAtLeast(fact.conditions, candidate.conditions));
}

export function compareWithBaseline(baseline: StackAccess, current: StackAccess): BaselineComparison {
    const before = entities(baseline);
    const now = entities(current);
    const changes: EntityChanges[] = [];
    for (const entity of [...new Set([...before.keys(), ...now.keys()])].sort()) {
        const old = before.get(entity);
        const facts = now.get(entity) ?? [];
        if (!old) {
            changes.push({ entity, widened: [`new: ${facts.filter((fact) => fact.effect === "Allow").map(describe).join("; ") || "(no grant)"}`], narrowed: [] });
            continue;
        }
        const widened: string[] = [];
        const narrowed: string[] = [];
        for (const fact of facts.filter((candidate) => candidate.effect === "Allow")) {
            if (covered(fact, old)) continue;
            const sameTarget = old.filter((candidate) => reaches(candidate, fact));
            widened.push(sameTarget.length > 0 ? `conditions loosened: ${describe(fact)} (was ${sameTarget.map(describe).join("; ")})` : `+ ${describe(fact)}`);
        }
        for (const fact of old.filter((candidate) => candidate.effect === "Allow")) {
            if (!covered(fact, facts)) narrowed.push(`- ${describe(fact)}`);
        }
        // A Deny that goes away widens; a new one narrows.
        // A Deny still stands when one at least as broad remains, with no more conditions than before.
        for (const fact of old.filter((candidate) => candidate.effect === "Deny")) {
            if (!facts.some((candidate) => candidate.effect === "Deny" && reaches(candidate, fact) && bindsAtLeast(fact.conditions, candidate.conditions))) {
                widened.push(`Deny removed or narrowed: ${describe(fact)}`);
            }
        }
        for (const fact of facts.filter((candidate) => candidate.effect === "Deny")) {
            if (!old.some((candidate) => candidate.effect === "Deny" && reaches(candidate, fact) && bindsAtLeast(fact.conditions, candidate.conditions))) narrowed.push(`+ ${describe(fact)}`);
        }
        if (widened.length > 0 || narrowed.length > 0) changes.push({ entity, widened, narrowed });
    }
    // A document the summary could not read may grant anything: new ones count as widening.
    const unread = current.unreadable.filter((problem) => !baseline.unreadable.includes(problem));
    if (unread.length > 0) changes.push({ entity: "documents not summarized", widened: unread.map((problem) => `unreadable: ${problem}`), narrowed: [] });
    return { widened: changes.some((change) => change.widened.length > 0), changes };
}

export function formatComparison(comparison: BaselineComparison, baselinePath: string): string[] {
    if (comparison.changes.length === 0) return [`Access baseline ${baselinePath}: unchanged.`];
    const lines = [`Access baseline ${baselinePath}: ${comparison.widened ? "access WIDENED" : "access narrowed only"}.`];
    for (const change of comparison.changes) {
        lines.push(`  ${change.entity}`);
        for (const line of change.widened) lines.push(`    widened: ${line}`);
        for (const line of change.narrowed) lines.push(`    narrowed: ${line}`);
    }
    return lines;
}
