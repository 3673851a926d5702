/**
 * The stack configuration's entries as the user wrote them, for the package's components: index.ts
 * hands each component its entry unchanged, so a key added to an entry reaches the component (and
 * its validation) with no mapping code.
 */
import { RawStackConfig } from "./stackConfig";

/** One entry of the stack file: a gateway, a service role, or a block. */
export type RawEntry = Record<string, unknown>;

function parsed(raw: RawStackConfig, key: string): unknown {
    const text = raw.projectValues[key];
    return text === undefined ? undefined : JSON.parse(text);
}

function entryOf(value: unknown): RawEntry {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as RawEntry) : {};
}

/** The entries of a configuration validated by `validateStackConfig` (its keys parse). */
export interface StackEntries {
    /** The `gateways` entry with this name. */
    gateway(name: string): RawEntry;
    /** The service role entry at a validated role's `configPath` (`serviceRoles.flows[0]`). */
    serviceRole(configPath: string): RawEntry;
    /** The `monitoring` block. */
    readonly monitoring: RawEntry;
    /** The `privateEndpoints` block. */
    readonly privateEndpoints: RawEntry;
    /** The `iamQuotas` block, when set. */
    readonly iamQuotas: RawEntry | undefined;
}

export function stackEntries(raw: RawStackConfig): StackEntries {
    const gateways = parsed(raw, "gateways");
    const serviceRoles = entryOf(parsed(raw, "serviceRoles"));
    const iamQuotas = parsed(raw, "iamQuotas");
    return {
        gateway: (name) => entryOf((Array.isArray(gateways) ? gateways : []).find((entry) => entryOf(entry).name === name)),
        serviceRole: (configPath) => {
            const match = /^serviceRoles\.(\w+)\[(\d+)\]$/.exec(configPath);
            const list = match ? serviceRoles[match[1]] : undefined;
            return entryOf(match && Array.isArray(list) ? list[Number(match[2])] : undefined);
        },
        monitoring: entryOf(parsed(raw, "monitoring")),
        privateEndpoints: entryOf(parsed(raw, "privateEndpoints")),
        iamQuotas: iamQuotas === undefined ? undefined : entryOf(iamQuotas),
    };
}
