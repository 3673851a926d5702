/**
 * Pure helpers for Bedrock and IAM identifiers: parsing what a user writes in the stack
 * configuration into typed references, and turning those references into ARNs.
 *
 * Nothing here calls AWS: every ARN is derived from the stack's partition, region and account,
 * so the documents built from them are the same offline and online, and known at preview.
 */

/** The stack's place in AWS: what every ARN this project writes is built from. */
export interface AwsLocation {
    readonly partition: string;
    readonly region: string;
    readonly accountId: string;
}

/** A model the user listed, in one of the forms Bedrock invokes. */
export type ModelReference =
    /** A foundation model ID such as `anthropic.claude-sonnet-4-20250514-v1:0`, invoked in the stack region. */
    | { readonly kind: "foundation-model"; readonly modelId: string; readonly region?: string }
    /**
     * A system (cross-region) inference profile such as `eu.anthropic.claude-haiku-4-5-20251001-v1:0`:
     * the geography prefix plus the foundation model it routes to.
     */
    | {
          readonly kind: "inference-profile";
          readonly profileId: string;
          readonly geography: string;
          readonly modelId: string;
          /** Set when the user gave a full ARN; otherwise the stack's region and account. */
          readonly arn?: string;
      }
    /** Any other invocable resource given as a full ARN (provisioned, custom, application profiles...). */
    | { readonly kind: "resource-arn"; readonly resourceType: InvocableArnType; readonly arn: string };

/**
 * ARN resource types accepted as full ARNs in `models`. They are the types
 * `bedrock:InvokeModel` accepts (Service Authorization Reference), less those that are not models.
 */
export const INVOCABLE_ARN_TYPES = [
    "foundation-model",
    "inference-profile",
    "application-inference-profile",
    "provisioned-model",
    "custom-model-deployment",
    "imported-model",
    "prompt-router",
    "default-prompt-router",
    "bedrock-marketplace-model-endpoint",
] as const;
export type InvocableArnType = (typeof INVOCABLE_ARN_TYPES)[number];

/** Partitions this project writes ARNs for. */
const PARTITION = "aws(?:-cn|-us-gov|-iso|-iso-b|-eusc)?";

/** `provider.model[:version[:variant]]`, as Bedrock names foundation models. */
const FOUNDATION_MODEL_ID = /^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*(?::[a-z0-9-]+){0,2}$/;
/** The geography prefix of a system inference profile: `us`, `eu`, `apac`, `us-gov`, `global`, `jp`, ... */
const PROFILE_GEOGRAPHY = /^[a-z]{2,8}(?:-[a-z]{2,8})?$/;
const MODEL_ARN = new RegExp(`^arn:(${PARTITION}):bedrock:([a-z0-9-]*):(\\d{12})?:([a-z-]+)/(.+)$`);
const MODEL_ARN_RESOURCE_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;

/** An IAM principal another account (or this one) uses to reach the gateway role. */
const PRINCIPAL_ARN = new RegExp(
    `^arn:(${PARTITION}):iam::(\\d{12}):(root|(?:role|user)/(?:[\\w+=,.@-]+/)*[\\w+=,.@-]{1,64})$`,
);
const GUARDRAIL_ID = /^([a-z0-9]{1,64})(?::(\d{1,8}))?$/;
const GUARDRAIL_ARN = new RegExp(`^(arn:(${PARTITION}):bedrock:([a-z0-9-]+):(\\d{12}):guardrail/([a-z0-9]{1,64}))(?::(\\d{1,8}))?$`);
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** The result of parsing user input: the value, or a sentence saying which rule it broke. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly rule: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(rule: string): Parsed<T> => ({ ok: false, rule });

const WILDCARD_RULE = "wildcards (* or ?) are not allowed: name each resource exactly";

function hasWildcard(text: string): boolean {
    return text.includes("*") || text.includes("?");
}

/** The partition a region belongs to, for writing ARNs without asking AWS. */
export function partitionOfRegion(region: string): string {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    if (region.startsWith("us-isob-")) return "aws-iso-b";
    if (region.startsWith("us-iso-")) return "aws-iso";
    if (region.startsWith("eusc-")) return "aws-eusc";
    return "aws";
}

export function parseRegion(text: string): Parsed<string> {
    return REGION.test(text) ? ok(text) : fail("must be an AWS region code such as eu-west-1");
}

/**
 * Parses one entry of a gateway's `models` list: a foundation model ID, a system inference
 * profile ID (`<geography>.<model ID>`), or the full ARN of an invocable Bedrock resource.
 */
export function parseModelReference(text: string): Parsed<ModelReference> {
    if (hasWildcard(text)) return fail(WILDCARD_RULE);
    if (text.startsWith("arn:")) return parseModelArn(text);
    const segments = text.split(":")[0].split(".");
    if (segments.length >= 3 && PROFILE_GEOGRAPHY.test(segments[0])) {
        const modelId = text.slice(segments[0].length + 1);
        if (!FOUNDATION_MODEL_ID.test(modelId)) {
            return fail(`must be an inference profile ID '<geography>.<provider>.<model>', such as eu.anthropic.claude-haiku-4-5-20251001-v1:0`);
        }
        return ok({ kind: "inference-profile", profileId: text, geography: segments[0], modelId });
    }
    if (!FOUNDATION_MODEL_ID.test(text)) {
        return fail(
            "must be a foundation model ID ('<provider>.<model>', such as anthropic.claude-sonnet-4-20250514-v1:0), " +
                "a system inference profile ID ('<geography>.<provider>.<model>'), or the full ARN of an invocable Bedrock resource",
        );
    }
    return ok({ kind: "foundation-model", modelId: text });
}

function parseModelArn(text: string): Parsed<ModelReference> {
    const match = MODEL_ARN.exec(text);
    if (!match) return fail("must be a Bedrock ARN 'arn:<partition>:bedrock:<region>:<account>:<type>/<id>'");
    const [, , region, account, resourceType, resourceId] = match;
    if (!(INVOCABLE_ARN_TYPES as readonly string[]).includes(resourceType)) {
        const hint =
            resourceType === "custom-model"
                ? " (a custom model is invoked through its provisioned-model or custom-model-deployment ARN: list that)"
                : "";
        return fail(`resource type '${resourceType}' cannot be invoked; use one of ${INVOCABLE_ARN_TYPES.join(", ")}${hint}`);
    }
    if (!MODEL_ARN_RESOURCE_ID.test(resourceId)) return fail(`has an invalid resource ID '${resourceId}'`);
    if (resourceType === "foundation-model") {
        if (account) return fail("a foundation-model ARN has no account: arn:<partition>:bedrock:<region>::foundation-model/<model ID>");
        if (!REGION.test(region)) return fail("a foundation-model ARN needs a region");
        if (!FOUNDATION_MODEL_ID.test(resourceId)) return fail(`'${resourceId}' is not a foundation model ID`);
        return ok({ kind: "foundation-model", modelId: resourceId, region });
    }
    if (!REGION.test(region) || !account) return fail(`a ${resourceType} ARN needs a region and a 12-digit account`);
    if (resourceType === "inference-profile") {
        const parsed = parseModelReference(resourceId);
        if (!parsed.ok || parsed.value.kind !== "inference-profile") {
            return fail(`'${resourceId}' is not a system inference profile ID '<geography>.<provider>.<model>'`);
        }
        return ok({ ...parsed.value, arn: text });
    }
    return ok({ kind: "resource-arn", resourceType: resourceType as InvocableArnType, arn: text });
}

/** An IAM principal ARN allowed to assume a gateway role: a role, a user or an account root. */
export interface PrincipalArn {
    readonly arn: string;
    readonly partition: string;
    readonly accountId: string;
}

export function parsePrincipalArn(text: string): Parsed<PrincipalArn> {
    if (hasWildcard(text)) return fail(WILDCARD_RULE);
    const match = PRINCIPAL_ARN.exec(text);
    if (!match) {
        return fail(
            "must be an IAM role, user or account root ARN: arn:aws:iam::<account>:role/<name>, " +
                "arn:aws:iam::<account>:user/<name> or arn:aws:iam::<account>:root",
        );
    }
    return ok({ arn: text, partition: match[1], accountId: match[2] });
}

/**
 * A guardrail, by ID in the stack's region and account, or by full ARN; optionally with a numbered
 * version (`gr7x2k9q1abc:1`), which `bedrock:GuardrailIdentifier` carries.
 */
export type GuardrailReference = { readonly guardrailId: string; readonly arn?: string; readonly version?: string };

export function parseGuardrailReference(text: string): Parsed<GuardrailReference> {
    if (hasWildcard(text)) return fail(WILDCARD_RULE);
    const byId = GUARDRAIL_ID.exec(text);
    if (byId) return ok({ guardrailId: byId[1], ...(byId[2] !== undefined ? { version: byId[2] } : {}) });
    const match = GUARDRAIL_ARN.exec(text);
    if (match) return ok({ guardrailId: match[5], arn: match[1], ...(match[6] !== undefined ? { version: match[6] } : {}) });
    return fail("must be a guardrail ID (lower-case letters and digits, such as gr7x2k9q1abc) or a guardrail ARN, optionally with a numbered version (gr7x2k9q1abc:1)");
}

/** `arn:...:guardrail/ID:VERSION`, as `bedrock:GuardrailIdentifier` carries a guardrail with its version; undefined without a version. */
export function guardrailIdentifierWithVersion(location: AwsLocation, guardrail: GuardrailReference): string | undefined {
    return guardrail.version === undefined ? undefined : `${guardrailArn(location, guardrail)}:${guardrail.version}`;
}

export function foundationModelArn(location: Pick<AwsLocation, "partition">, region: string, modelId: string): string {
    return `arn:${location.partition}:bedrock:${region}::foundation-model/${modelId}`;
}

export function inferenceProfileArn(location: AwsLocation, profileId: string): string {
    return `arn:${location.partition}:bedrock:${location.region}:${location.accountId}:inference-profile/${profileId}`;
}

export function guardrailArn(location: AwsLocation, guardrail: GuardrailReference): string {
    return guardrail.arn ?? `arn:${location.partition}:bedrock:${location.region}:${location.accountId}:guardrail/${guardrail.guardrailId}`;
}

/** The geography whose profiles route to region-less foundation-model ARNs. */
export const GLOBAL_PROFILE_GEOGRAPHY = "global";

/**
 * What invoking one model reference needs.
 * - `directArns`: resources invoked as named (a model in the stack region, a profile, a provisioned model).
 * - `routedModelArns`: for an inference profile, the foundation model in every region the profile may route
 *   to. Region is a wildcard, tied to the profile by the `bedrock:InferenceProfileArn` condition, so no table
 *   of destination regions can go stale. `global.` profiles also route to the region-less model ARN.
 */
export interface InvokeGrant {
    readonly directArns: readonly string[];
    readonly profileArn?: string;
    readonly routedModelArns: readonly string[];
}

export function invokeGrantFor(location: AwsLocation, model: ModelReference): InvokeGrant {
    switch (model.kind) {
        case "foundation-model":
            return { directArns: [foundationModelArn(location, model.region ?? location.region, model.modelId)], routedModelArns: [] };
        case "inference-profile": {
            const profileArn = model.arn ?? inferenceProfileArn(location, model.profileId);
            const routedModelArns = [foundationModelArn(location, "*", model.modelId)];
            if (model.geography === GLOBAL_PROFILE_GEOGRAPHY) routedModelArns.push(foundationModelArn(location, "", model.modelId));
            return { directArns: [profileArn], profileArn, routedModelArns };
        }
        case "resource-arn":
            return { directArns: [model.arn], routedModelArns: [] };
    }
}

/** A model as the bedrock-mantle endpoint names it (`openai.gpt-oss-120b`): `<provider>.<model>`, no pattern. */
export function parseMantleModelId(text: string): Parsed<string> {
    if (hasWildcard(text)) return fail(WILDCARD_RULE);
    if (!FOUNDATION_MODEL_ID.test(text)) return fail("must be a model ID as the bedrock-mantle endpoint lists it ('<provider>.<model>', such as openai.gpt-oss-120b)");
    return ok(text);
}

/**
 * The identifiers a listed model may carry on the bedrock-mantle endpoint: its foundation model ID as
 * bedrock-runtime names it, and, for IDs ending in a numeric version (`-1:0`), that ID without it
 * (AWS's example: `openai.gpt-oss-120b-1:0` is `openai.gpt-oss-120b` there). Other names must be
 * listed in `mantleModels`. Models given as other ARNs are not served by that endpoint.
 */
export function mantleModelIds(models: readonly ModelReference[]): string[] {
    const ids = models.flatMap((model) => {
        if (model.kind === "resource-arn") return [];
        const unversioned = model.modelId.replace(/-\d+:\d+$/, "");
        return [model.modelId, unversioned];
    });
    return [...new Set(ids)].sort();
}
