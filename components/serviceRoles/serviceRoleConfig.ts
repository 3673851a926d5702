/**
 * The `serviceRoles` key: roles Amazon Bedrock assumes for prompt flows, agents, knowledge bases
 * and model customization jobs. Each kind has its own field names (those of the Bedrock feature);
 * all resolve to one `ServiceRoleSpec`.
 */
import { createHash } from "crypto";
import { z } from "zod";
import { CostTags, costTagsSchema } from "../costAttribution/costTags";
import { GuardrailReference, ModelReference, Parsed, parseGuardrailReference, parseModelReference } from "../arns/bedrockArns";
import { ConfigIssue, duplicateIndexes, issueAt, issuesFromZod, parsedString } from "../config/configValidation";
import {
    ArnOf,
    S3Location,
    parseAgentAliasReference,
    parseAuroraClusterReference,
    parseCollectionReference,
    parseKmsKeyReference,
    parseKnowledgeBaseReference,
    parseLambdaFunctionReference,
    parseLexBotAliasReference,
    parseMarketplaceProductId,
    parsePromptReference,
    parseS3Location,
    parseSecretReference,
} from "../arns/resourceRefs";

export type ServiceRoleKind = "flows" | "agents" | "knowledgeBases" | "modelCustomization" | "batchInference";

/** What each kind is called in Bedrock ARNs: the trust policy admits Bedrock only for these. */
export const SOURCE_RESOURCE_TYPE: Readonly<Record<ServiceRoleKind, string>> = {
    flows: "flow",
    agents: "agent",
    knowledgeBases: "knowledge-base",
    modelCustomization: "model-customization-job",
    batchInference: "model-invocation-job",
};

/** Short, readable name parts for each kind: resource names and default role names. */
export const SERVICE_ROLE_SLUG: Readonly<Record<ServiceRoleKind, string>> = {
    flows: "flow",
    agents: "agent",
    knowledgeBases: "kb",
    modelCustomization: "custom",
    batchInference: "batch",
};

/**
 * The role's IAM name: fixed, so that its ARN is known at preview (key policies name it). IAM names
 * are account-wide, so each carries the region: `bedrock-<kind>-<name>-<region>`, and for agents
 * AWS's prefix, `AmazonBedrockExecutionRoleForAgents_<name>-<region>` (shortened with a hash of the
 * name where it would pass IAM's 64 characters). `roleName` names an agent's role exactly.
 */
export function serviceRoleName(role: ServiceRoleSpec, region: string): string {
    if (role.roleName) return role.roleName;
    return role.kind === "agents" ? agentRoleName(role.name, region) : `bedrock-${SERVICE_ROLE_SLUG[role.kind]}-${role.name}-${region}`;
}

/** An agent's default role name: AWS's prefix, the name and the region, within IAM's 64 characters. */
export function agentRoleName(name: string, region: string): string {
    const plain = `${AGENT_ROLE_PREFIX}${name}-${region}`;
    if (plain.length <= ROLE_NAME_MAX) return plain;
    const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
    const room = ROLE_NAME_MAX - `${AGENT_ROLE_PREFIX}-${hash}-${region}`.length;
    return `${AGENT_ROLE_PREFIX}${name.slice(0, Math.max(room, 0))}-${hash}-${region}`;
}

/** AWS requires custom agent service roles to be named with this prefix. */
export const AGENT_ROLE_PREFIX = "AmazonBedrockExecutionRoleForAgents_";
const ROLE_NAME_MAX = 64;

/** One validated service role: the union of what any kind can list; empty lists grant nothing. */
export interface ServiceRoleSpec {
    readonly kind: ServiceRoleKind;
    readonly name: string;
    /** Where the entry is in the configuration (`serviceRoles.flows[0]`), for errors found later. */
    readonly configPath: string;
    /** The agent role's name when the user names it (`roleName`); otherwise see `serviceRoleName`. */
    readonly roleName: string | undefined;
    readonly models: readonly ModelReference[];
    readonly prompts: readonly ArnOf[];
    readonly knowledgeBases: readonly ArnOf[];
    readonly agentAliases: readonly ArnOf[];
    /** Agent aliases a supervisor agent collaborates with (`bedrock:GetAgentAlias` and `bedrock:InvokeAgent`). */
    readonly collaborators: readonly ArnOf[];
    /** Guardrails the flow or agent applies (`bedrock:ApplyGuardrail`). */
    readonly guardrails: readonly GuardrailReference[];
    /** Read objects under these prefixes (`s3:GetObject`). */
    readonly s3Read: readonly S3Location[];
    /** Read exactly these objects (`s3:GetObject`): agents' action group schemas. */
    readonly s3ReadObjects: readonly S3Location[];
    /** Also list what `s3Read` names (`s3:ListBucket` under the prefix): data sources and training data. */
    readonly listReadLocations: boolean;
    /** Write objects (`s3:PutObject`). */
    readonly s3Write: readonly S3Location[];
    readonly kmsKeys: readonly ArnOf[];
    readonly lambdaFunctions: readonly ArnOf[];
    readonly openSearchCollections: readonly ArnOf[];
    readonly auroraClusters: readonly ArnOf[];
    readonly secrets: readonly ArnOf[];
    /** Lex V2 bot aliases a flow calls (`lex:RecognizeUtterance`); each gets a resource policy letting the flow in. */
    readonly lexBotAliases: readonly ArnOf[];
    /** AWS Marketplace products the role's first call to a listed model may subscribe the account to. */
    readonly marketplaceProductIds: readonly string[];
    /** Create a customer-managed KMS key for this kind of resource, usable by this role and by Bedrock for it. */
    readonly createKey: boolean;
    /**
     * Who may use the created key through Bedrock (the callers of CreateAgent, InvokeAgent and the
     * like): these IAM role or user ARNs, or, when undefined, every principal of this account that
     * IAM allows to use the key.
     */
    readonly keyUsers: readonly string[] | undefined;
    /** Owner tags of the role, its policies and its key. */
    readonly costTags: CostTags;
}

const KEY_USER = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-eusc):iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}$/;

/** A principal that may use a created key: an IAM role or user ARN (KMS refuses a key policy naming one that does not exist). */
export function parseKeyUser(text: string): Parsed<string> {
    if (text.includes("*") || text.includes("?")) return { ok: false, rule: "wildcards (* or ?) are not allowed: name each resource exactly" };
    if (KEY_USER.test(text)) return { ok: true, value: text };
    return { ok: false, rule: "must be an IAM role or user ARN (arn:aws:iam::<account>:role/<name> or :user/<name>)" };
}

const list = <T>(parse: (text: string) => { ok: true; value: T } | { ok: false; rule: string }) => z.array(parsedString(parse)).default([]);
const models = (what: string) => z.array(parsedString(parseModelReference)).min(1, `must list at least one ${what}`);
const NAME = z.string().regex(/^[a-z0-9-]{1,28}$/, "must be 1 to 28 characters of a-z, 0-9 and -");

const marketplaceProductIds = z.array(parsedString(parseMarketplaceProductId)).default([]);
/** Absent: the account's principals, through IAM. Listed: exactly those principals. */
const keyUsers = z.array(parsedString(parseKeyUser)).min(1, "must list at least one principal (leave keyUsers out for the account's principals, through IAM)").optional();
const guardrails = z.array(parsedString(parseGuardrailReference)).default([]);

const flowSchema = z.strictObject({
    name: NAME,
    costTags: costTagsSchema.default({}),
    createKey: z.boolean().default(false),
    keyUsers,
    guardrails,
    models: models("model"),
    marketplaceProductIds,
    lexBotAliases: list(parseLexBotAliasReference),
    prompts: list(parsePromptReference),
    knowledgeBases: list(parseKnowledgeBaseReference),
    agentAliases: list(parseAgentAliasReference),
    s3Read: list(parseS3Location),
    s3Write: list(parseS3Location),
    kmsKeys: list(parseKmsKeyReference),
    lambdaFunctions: list(parseLambdaFunctionReference),
});

const agentSchema = z.strictObject({
    name: NAME,
    costTags: costTagsSchema.default({}),
    createKey: z.boolean().default(false),
    keyUsers,
    guardrails,
    collaborators: list(parseAgentAliasReference),
    roleName: z
        .string()
        .refine((roleName) => roleName.startsWith(AGENT_ROLE_PREFIX), `must start with ${AGENT_ROLE_PREFIX} (AWS's rule for agent service roles)`)
        .refine((roleName) => roleName.length <= ROLE_NAME_MAX && /^[\w+=,.@-]+$/.test(roleName), "must be at most 64 characters of letters, digits and _+=,.@-")
        .optional(),
    models: models("model"),
    marketplaceProductIds,
    actionGroupSchemas: z.array(parsedString(parseS3Location).refine((s3) => s3.prefix !== "", "must name an object: bucket/key")).default([]),
    knowledgeBases: list(parseKnowledgeBaseReference),
    kmsKeys: list(parseKmsKeyReference),
    lambdaFunctions: list(parseLambdaFunctionReference),
});

const knowledgeBaseSchema = z.strictObject({
    name: NAME,
    costTags: costTagsSchema.default({}),
    createKey: z.boolean().default(false),
    keyUsers,
    embeddingModels: models("embedding model"),
    marketplaceProductIds,
    dataSources: z.array(parsedString(parseS3Location)).min(1, "must list at least one S3 data source"),
    openSearchCollections: list(parseCollectionReference),
    auroraClusters: list(parseAuroraClusterReference),
    secrets: list(parseSecretReference),
    kmsKeys: list(parseKmsKeyReference),
});

const customizationSchema = z.strictObject({
    name: NAME,
    costTags: costTagsSchema.default({}),
    createKey: z.boolean().default(false),
    keyUsers,
    trainingData: z.array(parsedString(parseS3Location)).min(1, "must list at least one S3 location"),
    validationData: list(parseS3Location),
    outputData: z.array(parsedString(parseS3Location)).min(1, "must list at least one S3 location"),
    kmsKeys: list(parseKmsKeyReference),
});

const batchInferenceSchema = z.strictObject({
    name: NAME,
    models: models("model"),
    marketplaceProductIds,
    inputData: z.array(parsedString(parseS3Location)).min(1, "must list at least one S3 location"),
    outputData: z.array(parsedString(parseS3Location)).min(1, "must list at least one S3 location"),
    kmsKeys: list(parseKmsKeyReference),
});

const EMPTY = {
    configPath: "",
    roleName: undefined,
    models: [],
    prompts: [],
    knowledgeBases: [],
    agentAliases: [],
    collaborators: [],
    guardrails: [],
    s3Read: [],
    s3ReadObjects: [],
    listReadLocations: false,
    s3Write: [],
    kmsKeys: [],
    lambdaFunctions: [],
    openSearchCollections: [],
    auroraClusters: [],
    secrets: [],
    lexBotAliases: [],
    marketplaceProductIds: [],
    createKey: false,
    keyUsers: undefined,
    costTags: {},
} as const;

const serviceRolesSchema = z.strictObject({
    flows: z.array(flowSchema.transform((flow): ServiceRoleSpec => ({ ...EMPTY, ...flow, kind: "flows" }))).default([]),
    agents: z
        .array(
            agentSchema.transform(({ actionGroupSchemas, roleName, ...agent }): ServiceRoleSpec => ({
                ...EMPTY,
                ...agent,
                kind: "agents",
                roleName,
                s3ReadObjects: actionGroupSchemas,
            })),
        )
        .default([]),
    knowledgeBases: z
        .array(
            knowledgeBaseSchema.transform(({ embeddingModels, dataSources, ...knowledgeBase }): ServiceRoleSpec => ({
                ...EMPTY,
                ...knowledgeBase,
                kind: "knowledgeBases",
                models: embeddingModels,
                s3Read: dataSources,
                listReadLocations: true,
            })),
        )
        .default([]),
    modelCustomization: z
        .array(
            customizationSchema.transform(({ trainingData, validationData, outputData, ...job }): ServiceRoleSpec => ({
                ...EMPTY,
                ...job,
                kind: "modelCustomization",
                s3Read: [...trainingData, ...validationData],
                listReadLocations: true,
                s3Write: outputData,
            })),
        )
        .default([]),
    batchInference: z
        .array(
            batchInferenceSchema.transform(({ inputData, outputData, ...job }): ServiceRoleSpec => ({
                ...EMPTY,
                ...job,
                kind: "batchInference",
                // An input is a prefix or one JSONL file: the object the location names, and those under it.
                s3Read: inputData,
                s3ReadObjects: inputData.filter((s3) => s3.prefix !== ""),
                listReadLocations: true,
                s3Write: outputData,
            })),
        )
        .default([]),
});

/** Validates `serviceRoles`; issues are returned so they are reported with every other key's. */
export function validateServiceRoles(raw: unknown, key = "serviceRoles"): { value: readonly ServiceRoleSpec[]; issues: ConfigIssue[] } {
    const root = { [key]: raw ?? {} };
    const parsed = z.object({ [key]: serviceRolesSchema }).safeParse(root);
    const issues: ConfigIssue[] = parsed.success ? [] : issuesFromZod(root, parsed.error);

    if (raw !== null && typeof raw === "object") {
        for (const [kind, entries] of Object.entries(raw as Record<string, unknown>)) {
            if (!Array.isArray(entries)) continue;
            const names = entries.map((entry: unknown) => (entry !== null && typeof entry === "object" ? (entry as { name?: unknown }).name : undefined));
            for (const index of duplicateIndexes(names)) {
                if (typeof names[index] === "string") issues.push(issueAt(root, [key, kind, index, "name"], `must be unique among the stack's ${kind} roles`));
            }
            entries.forEach((entry: unknown, index) => {
                if (entry === null || typeof entry !== "object") return;
                const { keyUsers, createKey } = entry as { keyUsers?: unknown; createKey?: unknown };
                if (keyUsers !== undefined && createKey !== true) issues.push(issueAt(root, [key, kind, index, "keyUsers"], "applies only with createKey: true (it names who may use the created key)"));
            });
        }
    }
    if (!parsed.success) return { value: [], issues };
    const roles = Object.entries(parsed.data[key] as Record<ServiceRoleKind, ServiceRoleSpec[]>).flatMap(([kind, entries]) =>
        entries.map((role, index) => ({ ...role, configPath: `${key}.${kind}[${index}]` })),
    );
    return { value: issues.length === 0 ? roles : [], issues };
}
