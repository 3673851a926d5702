/**
 * IAM's size quotas and how IAM counts against them: characters, whitespace not counted.
 */
import { z } from "zod";

export interface IamQuotas {
    /** All inline policies of one role together. Fixed by IAM. */
    readonly inlinePolicyCharactersPerRole: number;
    /** One managed policy. Fixed by IAM. */
    readonly managedPolicyCharacters: number;
    /** Managed policies attached to one role: 10 by default, raisable to 20. */
    readonly managedPoliciesPerRole: number;
    /** One role's trust policy: 2,048 by default, raisable. */
    readonly trustPolicyCharacters: number;
}

export const DEFAULT_IAM_QUOTAS: IamQuotas = {
    inlinePolicyCharactersPerRole: 10240,
    managedPolicyCharacters: 6144,
    managedPoliciesPerRole: 10,
    trustPolicyCharacters: 2048,
};

/** The `iamQuotas` key: what the account's raised quotas allow. Unset fields keep AWS's defaults. */
export const iamQuotasSchema = z
    .strictObject({
        managedPoliciesPerRole: z
            .number()
            .int("must be a whole number")
            .min(1, "must be 1 to 20 (IAM's highest quota for managed policies per role)")
            .max(20, "must be 1 to 20 (IAM's highest quota for managed policies per role)")
            .optional(),
        trustPolicyCharacters: z
            .number()
            .int("must be a whole number")
            .min(2048, "must be at least IAM's default of 2048")
            .max(8192, "must be at most 8192 characters")
            .optional(),
    })
    .transform((quotas): IamQuotas => ({
        ...DEFAULT_IAM_QUOTAS,
        ...(quotas.managedPoliciesPerRole !== undefined ? { managedPoliciesPerRole: quotas.managedPoliciesPerRole } : {}),
        ...(quotas.trustPolicyCharacters !== undefined ? { trustPolicyCharacters: quotas.trustPolicyCharacters } : {}),
    }));

/** The size IAM counts for a policy: its characters, less whitespace. */
export function iamPolicySize(policyJson: string): number {
    let size = 0;
    for (const character of policyJson) if (!/\s/.test(character)) size += 1;
    return size;
}
