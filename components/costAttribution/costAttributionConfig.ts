/**
 * The cost-attribution keys: `gateways[].costTags`, `gateways[].applicationProfiles`, created
 * `gateways[].mantleProjects` entries, `monitoring.budgets`, `monitoring.activateCostTags` and the
 * stack-wide `aws:defaultTags`. Schemas and typed shapes; the owning keys' validators use them.
 */
import { z } from "zod";
import { ModelReference, Parsed, parseModelReference } from "../arns/bedrockArns";
import { parseMantleProjectId } from "../arns/resourceRefs";
import { ConfigIssue, issueAt, issuesFromZod } from "../config/configValidation";
import { CostTags, costTagsSchema } from "./costTags";

/** An application inference profile a gateway calls: a tagged copy of one of its models. */
export interface ApplicationProfileSpec {
    /** The profile's name (`inferenceProfileName`), unique in the account and region. */
    readonly name: string;
    /** The model copied, as the gateway lists it: a foundation model or a system inference profile. */
    readonly copyFrom: ModelReference;
    /** The profile's own tags, on top of the gateway's. */
    readonly costTags: CostTags;
}

/** A bedrock-mantle project the stack creates for a gateway. */
export interface MantleProjectSpec {
    readonly name: string;
    readonly costTags: CostTags;
}

/** One `monitoring.budgets` entry. */
export interface BudgetSpec {
    readonly name: string;
    readonly monthlyLimitUsd: number;
    /** The spend the budget counts: costs carrying every one of these tags. */
    readonly costTags: CostTags;
    /** One ACTUAL notification per percent of the limit. */
    readonly thresholdsPercent: readonly number[];
    /** One FORECASTED notification at this percent, when given. */
    readonly forecastPercent: number | undefined;
}

/** CreateInferenceProfile's rule for `inferenceProfileName`: 1 to 64 characters, `([0-9a-zA-Z:.][ _-]?)+`. */
const PROFILE_NAME = /^([0-9a-zA-Z:.][ _-]?)+$/;
const PROFILE_NAME_RULE = "must be 1 to 64 characters of letters, digits, : and ., single spaces, _ or - between them (CreateInferenceProfile's rule for inferenceProfileName)";
/** A project name as the stack writes it (the resource type does not publish a pattern: the conservative one). */
const MANTLE_PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Budgets' rule for `BudgetName`: 1 to 100 characters, no `:` and no `\`. */
const BUDGET_NAME = /^[^:\\]{1,100}$/;
/** Notifications per budget: "A budget can have up to ten notifications" (AWS Budgets API, Notification). */
export const MAX_BUDGET_NOTIFICATIONS = 10;

export const applicationProfileSchema = z.strictObject({
    name: z.string().max(64, PROFILE_NAME_RULE).regex(PROFILE_NAME, PROFILE_NAME_RULE),
    copyFrom: z.string({ message: "must be one of the gateway's models, as listed in models" }),
    costTags: costTagsSchema.default({}),
});

const createdMantleProjectSchema = z.strictObject({
    name: z.string().regex(MANTLE_PROJECT_NAME, "must be 1 to 64 characters of letters, digits, _ and -, starting with a letter or digit"),
    costTags: costTagsSchema.default({}),
});

/** A `mantleProjects` entry: an existing project's ID (`default`, `proj_...`), or `{name, costTags}` for one the stack creates. */
export type MantleProjectEntry = { readonly kind: "existing"; readonly id: string } | ({ readonly kind: "create" } & MantleProjectSpec);

export const mantleProjectEntrySchema = z.unknown().transform((value, context): MantleProjectEntry => {
    if (typeof value === "string") {
        const parsed: Parsed<string> = parseMantleProjectId(value);
        if (!parsed.ok) context.addIssue({ code: "custom", message: parsed.rule });
        return { kind: "existing", id: value };
    }
    const parsed = createdMantleProjectSchema.safeParse(value);
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            context.addIssue({ code: "custom", path: issue.path as PropertyKey[] as (string | number)[], message: issue.code === "invalid_type" && issue.path.length === 0 ? "must be a project ID (default, proj_...) or {name, costTags} for a project the stack creates" : issue.message });
        }
        return { kind: "existing", id: "" };
    }
    return { kind: "create", name: parsed.data.name, costTags: parsed.data.costTags };
});

const percent = (what: string) => z.number({ message: `must be a percent of the limit (${what})` }).positive(`must be above 0 (${what})`).max(1000, `must be at most 1000 (${what})`);

export const budgetSchema = z
    .strictObject({
        name: z.string().regex(BUDGET_NAME, "must be 1 to 100 characters without : or \\ (AWS Budgets' rule for budget names)"),
        monthlyLimitUsd: z.number({ message: "must be a number of US dollars" }).positive("must be a positive number of US dollars"),
        costTags: costTagsSchema.refine((tags) => Object.keys(tags).length > 0, "must name at least one tag: a budget counts the spend that carries its tags"),
        thresholdsPercent: z
            .array(percent("an ACTUAL notification"))
            .min(1, "must list at least one percent of the limit")
            .refine((values) => new Set(values).size === values.length, "must not list a percent twice"),
        forecastPercent: percent("a FORECASTED notification").optional(),
    })
    .superRefine((budget, context) => {
        const count = budget.thresholdsPercent.length + (budget.forecastPercent === undefined ? 0 : 1);
        if (count > MAX_BUDGET_NOTIFICATIONS) {
            context.addIssue({ code: "custom", path: ["thresholdsPercent"], message: `makes ${count} notifications; AWS Budgets allows ${MAX_BUDGET_NOTIFICATIONS} per budget` });
        }
    });

/** `monitoring.budgets`: budget names are unique in the account. */
export const budgetsSchema = z
    .array(budgetSchema)
    .default([])
    .superRefine((budgets, context) => {
        const seen = new Set<string>();
        budgets.forEach((budget, index) => {
            if (seen.has(budget.name)) context.addIssue({ code: "custom", path: [index, "name"], message: "must be unique among the stack's budgets" });
            seen.add(budget.name);
        });
    });

/** The same model: `copyFrom` as written against one of the gateway's models. */
function sameModel(a: ModelReference, b: ModelReference): boolean {
    if (a.kind === "foundation-model" && b.kind === "foundation-model") return a.modelId === b.modelId && a.region === b.region;
    if (a.kind === "inference-profile" && b.kind === "inference-profile") return a.profileId === b.profileId && a.arn === b.arn;
    return false;
}

/**
 * `copyFrom` resolved against the gateway's models: a foundation model or a system inference profile
 * the gateway lists, or a sentence saying why not.
 */
export function resolveCopyFrom(copyFrom: string, models: readonly ModelReference[]): Parsed<ModelReference> {
    const parsed = parseModelReference(copyFrom);
    if (!parsed.ok) return parsed;
    if (parsed.value.kind === "resource-arn") return { ok: false, rule: "must be a foundation model or a system inference profile (an application inference profile copies one of those)" };
    const listed = models.find((model) => sameModel(model, parsed.value));
    if (!listed) return { ok: false, rule: "must be one of the gateway's models, as listed in models: a profile copies a model its gateway may already call" };
    return { ok: true, value: listed };
}

/** Application profile names are unique in the account and region: across the stack's gateways. */
export function duplicateProfileNameIssues(root: unknown, key: string, gateways: readonly { readonly applicationProfiles: readonly { readonly name: string }[] }[]): ConfigIssue[] {
    const seen = new Set<string>();
    const issues: ConfigIssue[] = [];
    gateways.forEach((gateway, index) =>
        gateway.applicationProfiles.forEach((profile, profileIndex) => {
            if (seen.has(profile.name)) issues.push(issueAt(root, [key, index, "applicationProfiles", profileIndex, "name"], "must be unique among the stack's application profiles (a name is unique in the account and region)"));
            seen.add(profile.name);
        }),
    );
    return issues;
}

/** Created Mantle project names are unique in the stack (each is a resource named after its gateway and itself, and a name says which project is whose). */
export function duplicateMantleProjectIssues(root: unknown, key: string, gateways: readonly { readonly mantleProjects?: readonly MantleProjectEntry[] }[]): ConfigIssue[] {
    const seen = new Set<string>();
    const issues: ConfigIssue[] = [];
    gateways.forEach((gateway, index) =>
        (gateway.mantleProjects ?? []).forEach((entry, entryIndex) => {
            if (entry.kind !== "create") return;
            if (seen.has(entry.name)) issues.push(issueAt(root, [key, index, "mantleProjects", entryIndex, "name"], "must be unique among the projects the stack creates"));
            seen.add(entry.name);
        }),
    );
    return issues;
}

/** `aws:defaultTags`: the AWS provider's `{tags: {...}}`, validated by the same tag rules. */
export function validateDefaultTags(raw: unknown): { value: CostTags; issues: ConfigIssue[] } {
    if (raw === undefined) return { value: {}, issues: [] };
    const root = { "aws:defaultTags": raw };
    const parsed = z.object({ "aws:defaultTags": z.object({ tags: costTagsSchema.default({}) }) }).safeParse(root);
    if (!parsed.success) return { value: {}, issues: issuesFromZod(root, parsed.error) };
    return { value: parsed.data["aws:defaultTags"].tags, issues: [] };
}
