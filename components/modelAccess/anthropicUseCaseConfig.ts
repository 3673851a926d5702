/**
 * The `anthropicUseCase` key: Anthropic's first-time-use form, which Bedrock requires once per
 * account (or once in an organization's management account) before Anthropic models answer. Field
 * names are the form's own (`PutUseCaseForModelAccess`'s `formData`).
 */
import { z } from "zod";
import { ConfigIssue, issuesFromZod } from "../config/configValidation";

export interface AnthropicUseCase {
    readonly companyName: string;
    readonly companyWebsite: string;
    /** The form's code for who uses the models: `0` internal users, `1` external users, `2` both. */
    readonly intendedUsers: "0" | "1" | "2";
    readonly industryOption: string;
    /** The industry in words when `industryOption` is `Other`; empty otherwise. */
    readonly otherIndustryOption: string;
    readonly useCases: string;
}

/** `PutUseCaseForModelAccess` takes the form as a blob of at most 16,384 Base64 characters. */
export const FORM_DATA_MAX_BASE64 = 16384;

const text = (what: string, max: number) =>
    z
        .string()
        .refine((value) => value.trim() !== "", `must not be empty: the form's ${what}`)
        .refine((value) => value.length <= max, `must be at most ${max} characters`);

const anthropicUseCaseSchema = z
    .strictObject({
        companyName: text("company name", 256),
        companyWebsite: z.string().regex(/^https?:\/\/[^\s/$.?#][^\s]{1,2040}$/, "must be the company's website URL, starting with https:// (or http://)"),
        intendedUsers: z.enum(["0", "1", "2"], "must be the form's code: 0 (internal users), 1 (external users) or 2 (both)"),
        industryOption: text("industry", 100),
        otherIndustryOption: z.string().max(100, "must be at most 100 characters").default(""),
        useCases: text("use cases", 12288),
    })
    .superRefine((form, context) => {
        if (form.industryOption === "Other" && form.otherIndustryOption.trim() === "") {
            context.addIssue({ code: "custom", path: ["otherIndustryOption"], message: "required when industryOption is Other: name the industry" });
        }
        const size = Buffer.from(anthropicFormData(form), "utf8").toString("base64").length;
        if (size > FORM_DATA_MAX_BASE64) {
            context.addIssue({ code: "custom", path: ["useCases"], message: `makes a form of ${size} Base64 characters; Bedrock accepts ${FORM_DATA_MAX_BASE64}: shorten it` });
        }
    });

/** The form as Bedrock stores it: JSON with the form's field names, in the form's order. */
export function anthropicFormData(form: AnthropicUseCase): string {
    const { companyName, companyWebsite, intendedUsers, industryOption, otherIndustryOption, useCases } = form;
    return JSON.stringify({ companyName, companyWebsite, intendedUsers, industryOption, otherIndustryOption, useCases });
}

/** Validates `anthropicUseCase`; issues are returned so they are reported with every other key's. */
export function validateAnthropicUseCase(raw: unknown, key = "anthropicUseCase"): { value: AnthropicUseCase | undefined; issues: ConfigIssue[] } {
    if (raw === undefined) return { value: undefined, issues: [] };
    const root = { [key]: raw };
    const parsed = z.object({ [key]: anthropicUseCaseSchema }).safeParse(root);
    if (!parsed.success) return { value: undefined, issues: issuesFromZod(root, parsed.error) };
    return { value: parsed.data[key] as AnthropicUseCase, issues: [] };
}
