/**
 * Compares IAM documents as the access baseline compares them: by what they grant, not by their
 * text. Statements reordered, merged or re-split, a Sid renamed, a list written as a string, compare
 * equal; an action, resource, principal or condition added or removed does not. External IDs are
 * compared as "one exact value is required", never by value: the stack file holds them encrypted,
 * and verify reads no secret.
 */
import { AccessGrant, StackAccess, documentGrants } from "../offline/access/access";
import { compareWithBaseline } from "../offline/access/accessBaseline";

export interface DocumentDifference {
    /** Granted by the program's documents and not by the deployed ones (`may s3:GetObject on ...`). */
    readonly missing: readonly string[];
    /** Granted by the deployed documents and not by the program's (`may bedrock:InvokeModel on ...`), or a condition loosened. */
    readonly extra: readonly string[];
    /** Documents that could not be read, on either side. */
    readonly unreadable: readonly string[];
}

export function sameGrants(difference: DocumentDifference): boolean {
    return difference.missing.length === 0 && difference.extra.length === 0 && difference.unreadable.length === 0;
}

/** IAM returns documents URL-encoded (GetRole, GetRolePolicy, GetPolicyVersion); S3 and SNS return them as JSON. */
export function decodeIamDocument(encoded: string): string {
    return decodeURIComponent(encoded);
}

/** One side as a stack's access: the grants of every document, as one role's, for the baseline's comparison. */
function accessOf(documents: readonly unknown[], side: string): StackAccess {
    const grants: AccessGrant[] = [];
    const unreadable: string[] = [];
    documents.forEach((document, index) => {
        const read = documentGrants(document);
        if (read.problem) unreadable.push(`${side} document ${index + 1}: ${read.problem}`);
        grants.push(...read.grants);
    });
    return { roles: [{ role: "compared", source: side, trust: [], grants }], resourcePolicies: [], unreadable };
}

/**
 * What the union of `deployed` grants that the union of `expected` does not, and the reverse. Each
 * side may be split over several documents (inline and managed policies of one role).
 */
export function compareDocuments(expected: readonly unknown[], deployed: readonly unknown[]): DocumentDifference {
    const expectedAccess = accessOf(expected, "expected");
    const deployedAccess = accessOf(deployed, "deployed");
    const unreadable = [...expectedAccess.unreadable, ...deployedAccess.unreadable];
    const comparison = compareWithBaseline(expectedAccess, deployedAccess);
    const change = comparison.changes.find((candidate) => candidate.entity === "role compared");
    const missing: string[] = [];
    const extra: string[] = [];
    // The baseline speaks of widening and narrowing; here a new Deny is as much a difference as a lost Allow.
    for (const line of change?.widened ?? []) {
        if (line.startsWith("Deny removed or narrowed: ")) missing.push(line.slice("Deny removed or narrowed: ".length));
        else extra.push(line.replace(/^\+ /, ""));
    }
    for (const line of change?.narrowed ?? []) {
        if (line.startsWith("+ ")) extra.push(line.slice(2));
        else missing.push(line.replace(/^- /, ""));
    }
    return { missing, extra, unreadable };
}

/** One line for a table cell: the first few differences and how many more. */
export function describeDifference(difference: DocumentDifference, limit = 3): string {
    const lines = [
        ...difference.unreadable.map((problem) => `unreadable: ${problem}`),
        ...difference.missing.map((line) => `missing: ${line}`),
        ...difference.extra.map((line) => `not in the program: ${line}`),
    ];
    const shown = lines.slice(0, limit).join("; ");
    return lines.length > limit ? `${shown}; and ${lines.length - limit} more` : shown;
}
