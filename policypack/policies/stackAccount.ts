/**
 * The account a stack deploys to, as a policy can know it: the `allowedAccountIds` of the resource's
 * AWS provider, or the pack's configuration (`accountId`). The engine sends each resource's provider
 * with it: a declared `aws.Provider` carries its inputs (the list as written), the default provider
 * the stack's `aws:*` configuration, each value a string (`aws:allowedAccountIds` as its JSON text).
 */
import { PolicyConfigSchema, PolicyProviderResource, UnknownValueError } from "@pulumi/policy";

export const ACCOUNT_ID = /^\d{12}$/;

/** The configuration the account-aware policies take in `--policy-pack-config`. */
export interface StackAccountConfig {
    /** If not provided, the account of the resource's AWS provider (`allowedAccountIds`), when it names one. */
    readonly accountId?: string;
}

export const stackAccountConfigSchema: PolicyConfigSchema = {
    properties: {
        accountId: {
            type: "string",
            pattern: "^[0-9]{12}$",
            description: "The stack's AWS account, when its AWS provider sets no allowedAccountIds.",
        },
    },
};

/** Where the stack's accounts were read, for messages. */
export interface StackAccounts {
    readonly accounts: readonly string[];
    readonly source: string;
}

function known(read: () => unknown): unknown {
    try {
        return read();
    } catch (error) {
        if (error instanceof UnknownValueError) return undefined;
        throw error;
    }
}

/** `["123456789012"]`, `'["123456789012"]'` or `"123456789012"` -> the accounts; undefined when none can be read. */
export function accountList(value: unknown): string[] | undefined {
    let list = value;
    if (typeof value === "string") {
        const text = value.trim();
        if (text.startsWith("[")) {
            try {
                list = JSON.parse(text);
            } catch {
                return undefined;
            }
        } else {
            list = text.split(",").map((item) => item.trim());
        }
    }
    if (!Array.isArray(list)) return undefined;
    const accounts = list.filter((item): item is string => typeof item === "string" && ACCOUNT_ID.test(item));
    return accounts.length > 0 && accounts.length === list.length ? accounts : undefined;
}

/** The accounts the resource's AWS provider admits (`allowedAccountIds`), or undefined. */
export function providerAccounts(provider: PolicyProviderResource | undefined): StackAccounts | undefined {
    if (!provider || !/^pulumi:providers:aws(-native)?$/.test(provider.type)) return undefined;
    const accounts = accountList(known(() => provider.props.allowedAccountIds));
    if (!accounts) return undefined;
    const source = provider.name === "default" || provider.name.startsWith("default_") ? "the stack's aws:allowedAccountIds" : `allowedAccountIds of provider ${provider.name}`;
    return { accounts, source };
}

/** The stack's accounts for one resource: its provider's, else the configured `accountId`; undefined when neither is known. */
export function stackAccounts(provider: PolicyProviderResource | undefined, config: StackAccountConfig): StackAccounts | undefined {
    const fromProvider = providerAccounts(provider);
    if (fromProvider) return fromProvider;
    return config.accountId && ACCOUNT_ID.test(config.accountId) ? { accounts: [config.accountId], source: "the pack's accountId configuration" } : undefined;
}

export function describeAccounts(stack: StackAccounts): string {
    return `${stack.accounts.join(" or ")} (${stack.source})`;
}
