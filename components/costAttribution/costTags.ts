/**
 * `costTags`: the owner tags a gateway, a service role, an AgentCore role, an application inference
 * profile, a Mantle project or a budget carries. Tag keys and values follow the rules IAM, Bedrock and
 * the Billing console share (IAM's "Tagging IAM resources" page): no `aws:` prefix, keys of 1 to 128
 * and values of 0 to 256 characters of letters, digits, spaces and `_ . : / = + - @`, at most 50 tags.
 */
import { z } from "zod";

/** Tags are a map of key to value. */
export type CostTags = Readonly<Record<string, string>>;

/** The prefix of the tags the stack writes itself (`bedrock-access:gateway`...): a user's tag must not overwrite them. */
export const STACK_TAG_PREFIX = "bedrock-access:";
/** AWS reserves keys that start with `aws:` (any case). */
const AWS_PREFIX = /^aws:/i;
/** IAM's character rule for tag keys and values: Unicode letters, digits, white space and `_ . : / = + - @`. */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
/** User tags per resource (IAM, Bedrock, Budgets): 50. */
export const MAX_TAGS = 50;

/** IAM's rule for one tag key, as a sentence, or undefined when the key follows it. */
export function tagKeyProblem(key: string): string | undefined {
    if (key.length === 0 || key.length > MAX_TAG_KEY_LENGTH) return `a tag key must be 1 to ${MAX_TAG_KEY_LENGTH} characters long (IAM's tag rule)`;
    if (AWS_PREFIX.test(key)) return "a tag key must not start with aws: (AWS reserves that prefix)";
    if (key.toLowerCase().startsWith(STACK_TAG_PREFIX)) return `a tag key must not start with ${STACK_TAG_PREFIX} (the stack writes those tags itself)`;
    if (!TAG_CHARACTERS.test(key)) return "a tag key may hold only letters, digits, spaces and _ . : / = + - @ (IAM's tag rule)";
    return undefined;
}

/** IAM's rule for one tag value, as a sentence, or undefined when the value follows it. */
export function tagValueProblem(value: string): string | undefined {
    if (value.length > MAX_TAG_VALUE_LENGTH) return `a tag value must be at most ${MAX_TAG_VALUE_LENGTH} characters long (IAM's tag rule)`;
    if (!TAG_CHARACTERS.test(value)) return "a tag value may hold only letters, digits, spaces and _ . : / = + - @ (IAM's tag rule)";
    return undefined;
}

/**
 * A `costTags` map. Each bad key or value is reported at its own path (`gateways[0].costTags.aws:team`).
 * Keys that differ only in case are refused: IAM treats them as one tag.
 */
export const costTagsSchema = z
    .record(z.string(), z.string({ message: "must be a string (a tag value)" }), { message: "must be a map of tag keys to values" })
    .superRefine((tags, context) => {
        const keys = Object.keys(tags);
        if (keys.length > MAX_TAGS) context.addIssue({ code: "custom", message: `must hold at most ${MAX_TAGS} tags (AWS's limit per resource)` });
        const seen = new Map<string, string>();
        for (const key of keys) {
            const keyProblem = tagKeyProblem(key);
            if (keyProblem) context.addIssue({ code: "custom", path: [key], message: keyProblem });
            const valueProblem = tagValueProblem(tags[key]);
            if (valueProblem) context.addIssue({ code: "custom", path: [key], message: valueProblem });
            const lower = key.toLowerCase();
            if (seen.has(lower)) context.addIssue({ code: "custom", path: [key], message: `differs from the key ${seen.get(lower)} only in case: IAM treats them as one tag` });
            seen.set(lower, key);
        }
    });

/** The tags of one resource: the stack-wide ones under the entry's, under the resource's own, under the stack's own tags. */
export function mergeTags(...layers: readonly (CostTags | undefined)[]): Record<string, string> {
    return Object.assign({}, ...layers.filter((layer) => layer !== undefined)) as Record<string, string>;
}
