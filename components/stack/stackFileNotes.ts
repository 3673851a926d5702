/**
 * What the offline tools (check, deployer-policy, verify's offline parts) say about a stack file
 * before they run its program: which account they run it as, and every value that should be a
 * secret but is written in plain text. Pure functions over the stack file's configuration map
 * (`namespace:key` -> value, strings raw and everything else as JSON), as the engine hands it over.
 */
import { isOfflineSecret, isSecretKey } from "../config/configValidation";

import { STAND_IN_ACCOUNT_ID } from "./standInAccount";

export { STAND_IN_ACCOUNT_ID };

export interface ChosenAccount {
    readonly accountId: string;
    /** Where it came from, for the line each tool prints: `(the stack's aws:allowedAccountIds)`. */
    readonly source: "flag" | "allowedAccountIds" | "stand-in";
}

/**
 * The accounts of `aws:allowedAccountIds` (a YAML list, as JSON here, or a comma-separated string),
 * or undefined when it is not set or holds anything but 12-digit accounts.
 */
export function allowedAccountsOf(config: Readonly<Record<string, string>>): string[] | undefined {
    const text = config["aws:allowedAccountIds"]?.trim();
    if (text === undefined) return undefined;
    let list: unknown;
    try {
        list = text.startsWith("[") ? JSON.parse(text) : text.split(",").map((item) => item.trim());
    } catch {
        return undefined;
    }
    if (!Array.isArray(list) || list.length === 0) return undefined;
    const accounts = list.map(String);
    return accounts.every((account) => /^\d{12}$/.test(account)) ? accounts : undefined;
}

/**
 * The account a tool runs the program as: the one given on its command line, else the one
 * `aws:allowedAccountIds` names, else the stand-in (when `standIn` is allowed). Several allowed
 * accounts name none of them in particular; a given account the stack refuses is an error unless
 * `refuseOthers` is false (the check's preview of another account).
 */
export function chooseAccount(config: Readonly<Record<string, string>>, given: string | undefined, standIn: boolean, refuseOthers = true): ChosenAccount | { readonly problem: string } {
    const allowed = allowedAccountsOf(config);
    if (given !== undefined) {
        if (refuseOthers && allowed && !allowed.includes(given)) return { problem: `${given} is not one of the stack's aws:allowedAccountIds (${allowed.join(", ")}): the provider would refuse to deploy there` };
        return { accountId: given, source: "flag" };
    }
    if (allowed?.length === 1) return { accountId: allowed[0], source: "allowedAccountIds" };
    if (standIn) return { accountId: STAND_IN_ACCOUNT_ID, source: "stand-in" };
    return { problem: "the stack's aws:allowedAccountIds names no single account" };
}

/** `account 210987654321 (the stack's aws:allowedAccountIds)`: the words each tool prints. */
export function describeChosenAccount(chosen: ChosenAccount, flag: string): string {
    switch (chosen.source) {
        case "flag":
            return `account ${chosen.accountId} (${flag})`;
        case "allowedAccountIds":
            return chosen.accountId === STAND_IN_ACCOUNT_ID
                ? `account ${chosen.accountId} (the stack's aws:allowedAccountIds: AWS's documentation example account)`
                : `account ${chosen.accountId} (the stack's aws:allowedAccountIds)`;
        case "stand-in":
            return `account ${chosen.accountId} (a stand-in for yours: set aws:allowedAccountIds to your account, or pass ${flag})`;
    }
}

/** `gateways[0].externalId`, as `pulumi config set --path` writes a path. */
function pathText(segments: readonly (string | number)[]): string {
    return segments.map((segment, index) => (typeof segment === "number" ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join("");
}

function plainSecrets(value: unknown, path: (string | number)[], found: (string | number)[][]): void {
    if (Array.isArray(value)) {
        value.forEach((item, index) => plainSecrets(item, [...path, index], found));
        return;
    }
    if (value === null || typeof value !== "object") return;
    for (const [key, item] of Object.entries(value)) {
        if (isSecretKey(key) && typeof item === "string" && item !== "" && !isOfflineSecret(item)) found.push([...path, key]);
        else plainSecrets(item, [...path, key], found);
    }
}

/**
 * One line per value the stack file holds in plain text but should keep as a secret (an external
 * ID, wherever it appears), with the command that makes it one. The value itself is never shown:
 * the command prompts for it.
 */
export function plainTextSecretWarnings(project: string, stack: string, config: Readonly<Record<string, string>>): string[] {
    const lines: string[] = [];
    for (const [fullKey, text] of Object.entries(config)) {
        let value: unknown;
        try {
            value = JSON.parse(text);
        } catch {
            continue;
        }
        const [namespace, key] = fullKey.includes(":") ? [fullKey.slice(0, fullKey.indexOf(":")), fullKey.slice(fullKey.indexOf(":") + 1)] : [project, fullKey];
        const found: (string | number)[][] = [];
        plainSecrets(value, [key], found);
        for (const segments of found) {
            const path = pathText(segments);
            const configPath = namespace === project ? path : `${namespace}:${path}`;
            lines.push(
                `warning: ${namespace}:${path} is plain text in Pulumi.${stack}.yaml: make it a secret with pulumi config set --secret --path '${configPath}' --stack ${stack} (it prompts for the value)`,
            );
        }
    }
    return lines;
}

/** Whether names that carry the account are still the documentation example's: no account given, none but AWS's example named. */
export function isStandIn(chosen: ChosenAccount): boolean {
    return chosen.source !== "flag" && chosen.accountId === STAND_IN_ACCOUNT_ID;
}
