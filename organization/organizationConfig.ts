/**
 * The organization project's configuration: which stack files of the main project make the fleet,
 * the deployment roles the logging guardrail exempts, the admin roles that alone may create them, and the root or OUs the SCPs attach to.
 * Validated in one pass (key path, value, rule) before anything is registered.
 */
import { z } from "zod";
import { ConfigIssue, ConfigValidationError, issuesFromZod, parsedProjectValues } from "../components/config/configValidation";
import { readRawStackConfig } from "../components/stack/stackConfig";

export interface OrganizationConfig {
    /** Stack files of the main project, relative to it (`Pulumi.prod.yaml`). */
    readonly stackFiles: readonly string[];
    /** The roles that run `pulumi up` (one name, or one per naming scheme of the fleet), the only principals allowed to change invocation logging. */
    readonly deploymentRoleNames: readonly string[];
    /** The roles that run the bootstrap, the only principals allowed to create or rewrite a deployment role; empty when not set. */
    readonly adminRoleNames: readonly string[];
    /** The organisation's root (`r-...`) or OUs (`ou-...`) the SCPs attach to. */
    readonly targetIds: readonly string[];
}

export const KNOWN_ORGANIZATION_KEYS = ["stackFiles", "deploymentRoleName", "adminRoleName", "targetIds"] as const;

/** AWS Organizations' IDs of a root and of an organizational unit. */
const TARGET_ID = /^(?:r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_NAME_RULE = "must be an IAM role name (1-64 of letters, digits and _+=,.@-), the same in every account";

/** One role name, or a list of them (at least one, none twice); either way a list. Each problem at its own path. */
const roleNames = z.unknown().transform((value, context): string[] => {
    const names = typeof value === "string" ? [value] : value;
    if (!Array.isArray(names)) {
        context.addIssue({ code: "custom", message: "must be an IAM role name or a list of them" });
        return z.NEVER;
    }
    if (names.length === 0) context.addIssue({ code: "custom", message: "must name at least one role" });
    names.forEach((name, index) => {
        if (typeof name !== "string" || !ROLE_NAME.test(name)) context.addIssue({ code: "custom", message: ROLE_NAME_RULE, path: typeof value === "string" ? [] : [index] });
    });
    if (new Set(names).size !== names.length) context.addIssue({ code: "custom", message: "must not name a role twice" });
    return names as string[];
});

const organizationSchema = z.strictObject({
    stackFiles: z.array(z.string().min(1).refine((file) => !/[*?]/.test(file), "must name one stack file: no wildcard")).min(1, "must list at least one stack file of the main project"),
    deploymentRoleName: roleNames,
    adminRoleName: roleNames.optional(),
    targetIds: z
        .array(z.string().regex(TARGET_ID, "must be the organisation's root ID (r-...) or an OU ID (ou-...-...)"))
        .min(1, "must list the root or the OUs the SCPs attach to")
        .refine((ids) => new Set(ids).size === ids.length, "must not list a target twice"),
});

/** Pure: validates everything and throws one `ConfigValidationError` listing every problem. */
export function validateOrganizationConfig(projectValues: Readonly<Record<string, string>>): OrganizationConfig {
    const root = parsedProjectValues(projectValues);
    const issues: ConfigIssue[] = [];
    const parsed = organizationSchema.safeParse(root);
    if (!parsed.success) issues.push(...issuesFromZod(root, parsed.error));
    if (issues.length > 0 || !parsed.success) throw new ConfigValidationError(issues);
    const { deploymentRoleName, adminRoleName, ...rest } = parsed.data;
    return { ...rest, deploymentRoleNames: deploymentRoleName, adminRoleNames: adminRoleName ?? [] };
}

/** Reads the organization stack's configuration through Pulumi and validates it. */
export function readOrganizationConfig(): OrganizationConfig {
    return validateOrganizationConfig(readRawStackConfig().projectValues);
}
