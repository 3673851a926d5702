/**
 * `monitoring.enforcedGuardrail`: Amazon Bedrock's account-level enforced guardrail
 * (`AWS::Bedrock::EnforcedGuardrailConfiguration`), applied by Bedrock to every inference call of the
 * account in the stack's region, whatever the caller asks for.
 */
import { z } from "zod";

/** Bedrock's selective guarding modes (the resource's `selectiveContentGuarding`). */
export const GUARDING_MODES = ["SELECTIVE", "COMPREHENSIVE"] as const;
export type GuardingMode = (typeof GUARDING_MODES)[number];

export interface EnforcedGuardrailSpec {
    /** The guardrail's ID or ARN, as written (the resource's `guardrailIdentifier`). */
    readonly guardrailIdentifier: string;
    /** Its numbered version (never DRAFT). */
    readonly guardrailVersion: string;
    /** The models it is enforced on; undefined: every model. */
    readonly modelEnforcement: { readonly includedModels: readonly string[]; readonly excludedModels: readonly string[] } | undefined;
    /** How user messages and system prompts are guarded; undefined: Bedrock's default. */
    readonly selectiveContentGuarding: { readonly messages?: GuardingMode; readonly system?: GuardingMode } | undefined;
}

/** The CloudFormation schema's patterns for `GuardrailIdentifier` and `GuardrailVersion`. */
const GUARDRAIL_ID = /^[a-z0-9]+$/;
const GUARDRAIL_ARN = /^arn:aws(?:-[^:]+)?:bedrock:([a-z0-9-]{1,20}):[0-9]{12}:guardrail\/[a-z0-9]+$/;
const GUARDRAIL_VERSION = /^[1-9][0-9]{0,7}$/;
const GUARDRAIL_RULE = "must be <guardrail ID or ARN>:<version>, the version a number (not DRAFT), e.g. abc123def456:1";

/** Splits `<id or ARN>:<version>` at its last colon; undefined when it is not one. */
export function parseGuardrailReference(value: string): { identifier: string; version: string } | undefined {
    const colon = value.lastIndexOf(":");
    if (colon < 0) return undefined;
    const identifier = value.slice(0, colon);
    const version = value.slice(colon + 1);
    if (!GUARDRAIL_VERSION.test(version) || !(GUARDRAIL_ID.test(identifier) || GUARDRAIL_ARN.test(identifier))) return undefined;
    return { identifier, version };
}

/** The region a guardrail ARN names; undefined for an ID. */
export function guardrailRegion(identifier: string): string | undefined {
    return GUARDRAIL_ARN.exec(identifier)?.[1];
}

const modelList = z.array(z.string().min(1, "must be a model ID"), { message: "must be a list of model IDs" });
const modeRule = `must be one of ${GUARDING_MODES.join(", ")}`;

export const enforcedGuardrailSchema = z
    .strictObject({
        guardrail: z.string({ message: GUARDRAIL_RULE }).refine((value) => parseGuardrailReference(value) !== undefined, GUARDRAIL_RULE),
        includedModels: modelList.min(1, "must name at least one model (leave the key out to enforce on every model)").optional(),
        excludedModels: modelList.optional(),
        messages: z.enum(GUARDING_MODES, { message: modeRule }).optional(),
        system: z.enum(GUARDING_MODES, { message: modeRule }).optional(),
    })
    .superRefine((value, context) => {
        if (value.excludedModels !== undefined && value.includedModels === undefined) {
            context.addIssue({ code: "custom", path: ["excludedModels"], message: "only with includedModels: Bedrock takes both lists together (leave both out to enforce on every model)" });
        }
    })
    .transform((value): EnforcedGuardrailSpec => {
        const { identifier, version } = parseGuardrailReference(value.guardrail)!;
        return {
            guardrailIdentifier: identifier,
            guardrailVersion: version,
            modelEnforcement: value.includedModels ? { includedModels: value.includedModels, excludedModels: value.excludedModels ?? [] } : undefined,
            selectiveContentGuarding:
                value.messages !== undefined || value.system !== undefined
                    ? { ...(value.messages !== undefined && { messages: value.messages }), ...(value.system !== undefined && { system: value.system }) }
                    : undefined,
        };
    });
