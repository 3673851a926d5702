/**
 * The AgentCore keys of `serviceRoles` (`agentRuntimes`, `agentGateways`, `agentMemories`) and the
 * references they list: ECR repositories, memories, AgentCore gateways, Lambda targets, credential
 * providers, and the agent runtimes an LLM gateway may invoke (`gateways[].agentRuntimes`).
 */
import { createHash } from "crypto";
import { z } from "zod";
import { CostTags, costTagsSchema } from "../costAttribution/costTags";
import { GuardrailReference, ModelReference, Parsed, parseGuardrailReference, parseModelReference } from "../arns/bedrockArns";
import { ArnOf, parseLambdaFunctionReference } from "../arns/resourceRefs";
import { ConfigIssue, duplicateIndexes, issueAt, issuesFromZod, parsedString } from "../config/configValidation";

export type AgentCoreRoleKind = "agentRuntimes" | "agentGateways" | "agentMemories";

/** The keys of `serviceRoles` this folder validates; the other keys are Bedrock's (`serviceRoleConfig.ts`). */
export const AGENTCORE_ROLE_KEYS: readonly AgentCoreRoleKind[] = ["agentRuntimes", "agentGateways", "agentMemories"];

/** What AgentCore calls each resource in its ARNs (`runtime/<id>`): the trust admits only that resource. */
export const AGENTCORE_RESOURCE_TYPE: Readonly<Record<AgentCoreRoleKind, string>> = {
    agentRuntimes: "runtime",
    agentGateways: "gateway",
    agentMemories: "memory",
};

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(rule: string): Parsed<T> => ({ ok: false, rule });
const WILDCARD_RULE = "wildcards (* or ?) are not allowed: name each resource exactly";
const PARTITION = "aws(?:-cn|-us-gov|-iso|-iso-b|-eusc)?";
const hasWildcard = (text: string) => text.includes("*") || text.includes("?");

/** AgentCore's rule for runtime and memory names (CreateAgentRuntime, CreateMemory): no hyphen. */
export const RUNTIME_NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,47}$/;
const RUNTIME_NAME_RULE = "must match [a-zA-Z][a-zA-Z0-9_]{0,47} (AgentCore's rule for runtime names: letters, digits and _, no hyphen)";
const MEMORY_NAME_RULE = "must match [a-zA-Z][a-zA-Z0-9_]{0,47} (AgentCore's rule for memory names: letters, digits and _, no hyphen)";
/** AgentCore's rule for gateway names (CreateGateway): letters and digits, single hyphens between them. */
export const GATEWAY_NAME = /^([0-9a-zA-Z][-]?){1,100}$/;
const GATEWAY_NAME_RULE = "must match ([0-9a-zA-Z][-]?){1,100} (AgentCore's rule for gateway names)";
/** A resource ID AgentCore derives from a name: the name, `-`, and a generated suffix. */
const DERIVED_ID = /^[a-zA-Z][a-zA-Z0-9_]{0,47}-[a-zA-Z0-9]{10}$/;
const GATEWAY_ID = /^([0-9a-zA-Z][-]?){1,100}-[a-zA-Z0-9]{10}$/;

function agentCoreReference(type: string, idPattern: RegExp, what: string, example: string) {
    const arnPattern = new RegExp(`^arn:${PARTITION}:bedrock-agentcore:[a-z0-9-]+:\\d{12}:${type}/(.+)$`);
    return (text: string): Parsed<ArnOf> => {
        if (hasWildcard(text)) return fail(WILDCARD_RULE);
        if (idPattern.test(text)) return ok((location) => `arn:${location.partition}:bedrock-agentcore:${location.region}:${location.accountId}:${type}/${text}`);
        const match = arnPattern.exec(text);
        if (match && idPattern.test(match[1])) return ok(() => text);
        return fail(`must be ${what} (such as ${example}) or its ARN (arn:aws:bedrock-agentcore:<region>:<account>:${type}/<id>)`);
    };
}

/** A memory: its ID (`<name>-<suffix>`) or ARN. */
export const parseMemoryReference = agentCoreReference("memory", DERIVED_ID, "an AgentCore memory ID", "support_memory-AbCdE12345");
/** An AgentCore gateway: its ID (`<name>-<suffix>`) or ARN. */
export const parseAgentGatewayReference = agentCoreReference("gateway", GATEWAY_ID, "an AgentCore gateway ID", "tools-gateway-abcde12345");

const RUNTIME_ARN = new RegExp(`^arn:${PARTITION}:bedrock-agentcore:[a-z0-9-]+:\\d{12}:runtime/([a-zA-Z][a-zA-Z0-9_]{0,47}-[a-zA-Z0-9]{10})$`);

/** An agent runtime an LLM gateway invokes: its full ARN (`...:runtime/<name>-<suffix>`), no endpoint, no wildcard. */
export function parseAgentRuntimeArn(text: string): Parsed<string> {
    if (hasWildcard(text)) return fail(WILDCARD_RULE);
    if (RUNTIME_ARN.test(text)) return ok(text);
    return fail("must be an AgentCore runtime ARN: arn:aws:bedrock-agentcore:<region>:<account>:runtime/<name>-<10-character suffix>");
}

const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const REPOSITORY_ARN = new RegExp(`^arn:${PARTITION}:ecr:[a-z0-9-]+:\\d{12}:repository/(.+)$`);

/** An ECR repository of this account (its name, as ECR allows it) or any repository's ARN. */
export function parseRepositoryReference(text: string): Parsed<ArnOf> {
    if (hasWildcard(text)) return fail(WILDCARD_RULE);
    if (text.length <= 256 && REPOSITORY_NAME.test(text)) return ok((location) => `arn:${location.partition}:ecr:${location.region}:${location.accountId}:repository/${text}`);
    const match = REPOSITORY_ARN.exec(text);
    if (match && match[1].length <= 256 && REPOSITORY_NAME.test(match[1])) return ok(() => text);
    return fail("must be an ECR repository name (lower-case letters, digits, ._- and / between parts, no tag) or a repository ARN (arn:aws:ecr:<region>:<account>:repository/<name>)");
}

/** A credential provider of AgentCore Identity's `default` token vault, by name. */
const PROVIDER_NAME = /^[a-zA-Z0-9\-_]{1,128}$/;
export function parseCredentialProviderName(text: string): Parsed<string> {
    if (hasWildcard(text)) return fail(WILDCARD_RULE);
    if (PROVIDER_NAME.test(text)) return ok(text);
    return fail("must be a credential provider name of the default token vault: 1 to 128 letters, digits, - and _");
}

/** One validated entry of `serviceRoles.agentRuntimes`. */
export interface AgentRuntimeSpec {
    readonly kind: "agentRuntimes";
    /** The runtime's name as given to CreateAgentRuntime. */
    readonly name: string;
    /** Where the entry is in the configuration (`serviceRoles.agentRuntimes[0]`). */
    readonly configPath: string;
    readonly models: readonly ModelReference[];
    readonly guardrails: readonly GuardrailReference[];
    readonly containerRepositories: readonly ArnOf[];
    readonly memories: readonly ArnOf[];
    readonly agentGateways: readonly ArnOf[];
    /** Sessions of the AWS-provided code interpreter (`aws.codeinterpreter.v1`). */
    readonly codeInterpreter: boolean;
    /** Sessions of the AWS-provided browser (`aws.browser.v1`). */
    readonly browser: boolean;
    /** `GetWorkloadAccessTokenForUserId`: tokens for a caller-supplied user ID, with no IdP token checked. */
    readonly userIdTokens: boolean;
    /** Owner tags of the role and its policies. If not provided, none. */
    readonly costTags?: CostTags;
}

/** One validated entry of `serviceRoles.agentGateways`. */
export interface AgentGatewaySpec {
    readonly kind: "agentGateways";
    readonly name: string;
    readonly configPath: string;
    /** Owner tags of the role and its policies. If not provided, none. */
    readonly costTags?: CostTags;
    readonly lambdaTargets: readonly ArnOf[];
    readonly apiKeyProviders: readonly string[];
    readonly oauthProviders: readonly string[];
}

/** One validated entry of `serviceRoles.agentMemories`. */
export interface AgentMemorySpec {
    readonly kind: "agentMemories";
    readonly name: string;
    readonly configPath: string;
    /** Owner tags of the role and its policies. If not provided, none. */
    readonly costTags?: CostTags;
    readonly models: readonly ModelReference[];
}

export type AgentCoreRoleSpec = AgentRuntimeSpec | AgentGatewaySpec | AgentMemorySpec;

/** Every AgentCore role of the stack, by kind. */
export interface AgentCoreRoles {
    readonly agentRuntimes: readonly AgentRuntimeSpec[];
    readonly agentGateways: readonly AgentGatewaySpec[];
    readonly agentMemories: readonly AgentMemorySpec[];
}

export const NO_AGENTCORE_ROLES: AgentCoreRoles = { agentRuntimes: [], agentGateways: [], agentMemories: [] };

const list = <T>(parse: (text: string) => Parsed<T>) => z.array(parsedString(parse)).default([]);
const models = z.array(parsedString(parseModelReference)).min(1, "must list at least one model");

const runtimeSchema = z.strictObject({
    name: z.string().regex(RUNTIME_NAME, RUNTIME_NAME_RULE),
    models,
    guardrails: list(parseGuardrailReference),
    containerRepositories: z.array(parsedString(parseRepositoryReference)).min(1, "must list at least one ECR repository the runtime's image is pulled from"),
    memories: list(parseMemoryReference),
    agentGateways: list(parseAgentGatewayReference),
    codeInterpreter: z.boolean().default(false),
    browser: z.boolean().default(false),
    userIdTokens: z.boolean().default(false),
    costTags: costTagsSchema.default({}),
});

const gatewaySchema = z.strictObject({
    name: z.string().regex(GATEWAY_NAME, GATEWAY_NAME_RULE),
    lambdaTargets: list(parseLambdaFunctionReference),
    apiKeyProviders: list(parseCredentialProviderName),
    oauthProviders: list(parseCredentialProviderName),
    costTags: costTagsSchema.default({}),
});

const memorySchema = z.strictObject({
    name: z.string().regex(RUNTIME_NAME, MEMORY_NAME_RULE),
    models,
    costTags: costTagsSchema.default({}),
});

const agentCoreSchema = z.object({
    agentRuntimes: z.array(runtimeSchema).default([]),
    agentGateways: z.array(gatewaySchema).default([]),
    agentMemories: z.array(memorySchema).default([]),
});

/**
 * Validates the AgentCore keys of `serviceRoles` (the object as the user wrote it: other keys are
 * ignored here and validated by `validateServiceRoles`). Issues are returned, not thrown.
 */
export function validateAgentCoreRoles(raw: unknown, key = "serviceRoles"): { value: AgentCoreRoles; issues: ConfigIssue[] } {
    const own: Record<string, unknown> = {};
    if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
        for (const kind of AGENTCORE_ROLE_KEYS) if ((raw as Record<string, unknown>)[kind] !== undefined) own[kind] = (raw as Record<string, unknown>)[kind];
    }
    const root = { [key]: own };
    const parsed = z.object({ [key]: agentCoreSchema }).safeParse(root);
    const issues: ConfigIssue[] = parsed.success ? [] : issuesFromZod(root, parsed.error);
    for (const kind of AGENTCORE_ROLE_KEYS) {
        const entries = own[kind];
        if (!Array.isArray(entries)) continue;
        const names = entries.map((entry: unknown) => (entry !== null && typeof entry === "object" ? (entry as { name?: unknown }).name : undefined));
        for (const index of duplicateIndexes(names)) {
            if (typeof names[index] === "string") issues.push(issueAt(root, [key, kind, index, "name"], `must be unique among the stack's ${kind}`));
        }
    }
    if (!parsed.success || issues.length > 0) return { value: NO_AGENTCORE_ROLES, issues };
    const data = parsed.data[key] as z.output<typeof agentCoreSchema>;
    return {
        value: {
            agentRuntimes: data.agentRuntimes.map((runtime, index) => ({ ...runtime, kind: "agentRuntimes", configPath: `${key}.agentRuntimes[${index}]` })),
            agentGateways: data.agentGateways.map((gateway, index) => ({ ...gateway, kind: "agentGateways", configPath: `${key}.agentGateways[${index}]` })),
            agentMemories: data.agentMemories.map((memory, index) => ({ ...memory, kind: "agentMemories", configPath: `${key}.agentMemories[${index}]` })),
        },
        issues,
    };
}

/** `serviceRoles` without its AgentCore keys: what `validateServiceRoles` reads. */
export function withoutAgentCoreKeys(raw: unknown): unknown {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return raw;
    return Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter(([kind]) => !(AGENTCORE_ROLE_KEYS as readonly string[]).includes(kind)));
}

/** Every AgentCore role, in a fixed order: runtimes, gateways, memories. */
export function allAgentCoreRoles(roles: AgentCoreRoles): AgentCoreRoleSpec[] {
    return [...roles.agentRuntimes, ...roles.agentGateways, ...roles.agentMemories];
}

/** The short part of resource and IAM names for each kind. */
export const AGENTCORE_ROLE_SLUG: Readonly<Record<AgentCoreRoleKind, string>> = {
    agentRuntimes: "agentcore-runtime",
    agentGateways: "agentcore-gateway",
    agentMemories: "agentcore-memory",
};

const ROLE_NAME_MAX = 64;

/**
 * The role's IAM name: `agentcore-runtime-<name>-<region>`, fixed so its ARN is known at preview.
 * IAM names are at most 64 characters: a long AgentCore name is shortened with a hash of it.
 */
export function agentCoreRoleName(role: AgentCoreRoleSpec, region: string): string {
    const full = `${AGENTCORE_ROLE_SLUG[role.kind]}-${role.name}-${region}`;
    if (full.length <= ROLE_NAME_MAX) return full;
    const suffix = `-${createHash("sha256").update(full).digest("hex").slice(0, 8)}`;
    return `${full.slice(0, ROLE_NAME_MAX - suffix.length)}${suffix}`;
}
