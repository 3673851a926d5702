/**
 * Fits one role's permissions into IAM's quotas, deterministically.
 *
 * Permissions are given as units (one model and its profiles, one guardrail...), each contributing
 * resources to statement templates. When everything fits in the role's inline quota, there is one
 * inline policy. Otherwise each unit is assigned to one of the `managedPoliciesPerRole` managed
 * policies by a stable hash of its key, so adding or removing a unit changes exactly the managed
 * policy its hash names; what a managed policy cannot hold spills into the inline policy. When the
 * spill does not fit either, the layout fails before any resource is registered.
 */
import { createHash } from "crypto";
import { iamPolicySize, IamQuotas } from "./iamQuotas";
import { PolicyConditions, PolicyDocument, PolicyStatement, policyDocument, policyJson, sortedUnique } from "./iamDocument";

/** A statement shape; units add resources to it. */
export interface StatementTemplate {
    readonly sid: string;
    readonly actions: readonly string[];
    readonly condition?: PolicyConditions;
}

export interface PermissionUnit {
    /** Stable identity: decides the managed policy the unit lands in. */
    readonly key: string;
    readonly grants: readonly { readonly template: StatementTemplate; readonly resources: readonly string[] }[];
}

export interface ManagedPolicyLayout {
    /** The hash bucket: stable across configuration changes, so it names the policy resource. */
    readonly slot: number;
    readonly document: PolicyDocument;
}

export interface PermissionLayout {
    readonly inline: PolicyDocument | undefined;
    readonly managed: readonly ManagedPolicyLayout[];
}

/** A layout's documents: the managed policies in slot order, then the inline policy. */
export function layoutDocuments(layout: PermissionLayout): PolicyDocument[] {
    return [...layout.managed.map((managed) => managed.document), ...(layout.inline ? [layout.inline] : [])];
}

export type LayoutResult =
    | { readonly ok: true; readonly layout: PermissionLayout }
    | { readonly ok: false; readonly spillSize: number };

/** One statement per template (in the templates' order), each with all its units' resources, sorted. */
export function renderPermissions(units: readonly PermissionUnit[], templates: readonly StatementTemplate[]): PolicyDocument {
    const statements: PolicyStatement[] = [];
    for (const template of templates) {
        const resources = sortedUnique(units.flatMap((unit) => unit.grants.filter((grant) => grant.template === template).flatMap((grant) => grant.resources)));
        if (resources.length === 0) continue;
        statements.push({
            Sid: template.sid,
            Effect: "Allow",
            Action: template.actions.length === 1 ? template.actions[0] : template.actions,
            Resource: resources,
            ...(template.condition ? { Condition: template.condition } : {}),
        });
    }
    return policyDocument(statements);
}

export function documentSize(document: PolicyDocument): number {
    return iamPolicySize(policyJson(document));
}

function slotOf(key: string, slots: number): { slot: number; order: string } {
    const digest = createHash("sha256").update(key).digest();
    return { slot: digest.readUInt32BE(0) % slots, order: digest.toString("hex") };
}

export function layoutPermissions(units: readonly PermissionUnit[], templates: readonly StatementTemplate[], quotas: IamQuotas): LayoutResult {
    const everything = renderPermissions(units, templates);
    if (documentSize(everything) <= quotas.inlinePolicyCharactersPerRole) return { ok: true, layout: { inline: everything, managed: [] } };

    const slots: { unit: PermissionUnit; order: string }[][] = Array.from({ length: quotas.managedPoliciesPerRole }, () => []);
    for (const unit of units) {
        const { slot, order } = slotOf(unit.key, quotas.managedPoliciesPerRole);
        slots[slot].push({ unit, order });
    }
    const managed: ManagedPolicyLayout[] = [];
    const spill: PermissionUnit[] = [];
    slots.forEach((members, slot) => {
        members.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
        const kept: PermissionUnit[] = [];
        for (const { unit } of members) {
            if (documentSize(renderPermissions([...kept, unit], templates)) <= quotas.managedPolicyCharacters) kept.push(unit);
            else spill.push(unit);
        }
        if (kept.length > 0) managed.push({ slot, document: renderPermissions(kept, templates) });
    });
    const inline = spill.length > 0 ? renderPermissions(spill, templates) : undefined;
    const spillSize = inline ? documentSize(inline) : 0;
    if (spillSize > quotas.inlinePolicyCharactersPerRole) return { ok: false, spillSize };
    return { ok: true, layout: { inline, managed } };
}

/** The largest n such that the first n units fit (binary search: fitting is monotone in practice). */
export function largestFittingPrefix(count: number, fits: (n: number) => boolean): number {
    let low = 0;
    let high = count;
    while (low < high) {
        const middle = Math.ceil((low + high) / 2);
        if (fits(middle)) low = middle;
        else high = middle - 1;
    }
    return low;
}
