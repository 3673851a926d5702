/**
 * The `gateways` key of the stack configuration: its schema, its rules, and the typed
 * `GatewaySpec` the component receives once the whole configuration is valid.
 */
import { z } from "zod";
import {
    AwsLocation,
    GuardrailReference,
    ModelReference,
    PrincipalArn,
    parseGuardrailReference,
    mantleModelIds,
    parseMantleModelId,
    parseModelReference,
    parsePrincipalArn,
} from "../arns/bedrockArns";
import { parseMarketplaceProductId } from "../arns/resourceRefs";
import { ConfigIssue, duplicateIndexes, issueAt, issuesFromZod, parsedString } from "../config/configValidation";
import { parseAgentRuntimeArn } from "../agentcore/agentCoreConfig";
import { GatewayInvokeInput, gatewayPermissionLayout, gatewayTrustPolicy } from "./gatewayPolicies";
import { IamQuotas, iamPolicySize } from "../iam/iamQuotas";
import { policyJson } from "../iam/iamDocument";
import { largestFittingPrefix } from "../iam/permissionLayout";
import { CostTags, costTagsSchema } from "../costAttribution/costTags";
import {
    ApplicationProfileSpec,
    MantleProjectSpec,
    applicationProfileSchema,
    duplicateMantleProjectIssues,
    duplicateProfileNameIssues,
    mantleProjectEntrySchema,
    resolveCopyFrom,
} from "../costAttribution/costAttributionConfig";

/** How the gateway reaches the invoke permissions. */
export type GatewayAccess =
    /** A new role the gateway assumes from its own account, presenting the external ID. */
    | {
          readonly kind: "assume-role";
          readonly trustedPrincipals: readonly PrincipalArn[];
          readonly externalId: string;
          readonly maxSessionDurationSeconds: number;
      }
    /** The invoke policy attached to a role that already exists in this account (seed 000, option A). */
    | { readonly kind: "attach-to-role"; readonly roleName: string };

/** The Bedrock APIs a gateway calls: bedrock-runtime (InvokeModel, Converse), and the OpenAI-/Anthropic-compatible bedrock-mantle endpoint. */
export type GatewayApi = "runtime" | "mantle";

/** One validated entry of `gateways`. */
export interface GatewaySpec {
    readonly name: string;
    readonly access: GatewayAccess;
    readonly models: readonly ModelReference[];
    readonly guardrails: readonly GuardrailReference[];
    /** The invoke grants hold only for calls that carry one of `guardrails` (`bedrock:GuardrailIdentifier`, ARN with version). */
    readonly requireGuardrail: boolean;
    readonly streaming: boolean;
    /** AWS Marketplace products the gateway's first call may subscribe the account to. */
    readonly marketplaceProductIds: readonly string[];
    readonly apis: readonly GatewayApi[];
    /** bedrock-mantle projects the gateway calls in (`default` unless listed). */
    readonly mantleProjects: readonly string[];
    /** Model identifiers as the bedrock-mantle endpoint takes them; derived from `models` unless listed. */
    readonly mantleModels: readonly string[] | undefined;
    /** AgentCore runtime ARNs the gateway may invoke (`InvokeAgentRuntime` on them and their endpoints). */
    readonly agentRuntimes: readonly string[];
    /** The owner tags of everything registered for the gateway. */
    readonly costTags: CostTags;
    /** Application inference profiles the stack creates for the gateway. */
    readonly applicationProfiles: readonly ApplicationProfileSpec[];
    /** bedrock-mantle projects the stack creates for the gateway (`mantleProjects` entries `{name, costTags}`). */
    readonly createdMantleProjects: readonly MantleProjectSpec[];
}

export const DEFAULT_MAX_SESSION_DURATION_SECONDS = 3600;

/** `bedrock-gateway-<name>-<region>`: IAM names are account-wide and there is one stack per account and region. */
export function gatewayRoleName(gatewayName: string, region: string): string {
    return `bedrock-gateway-${gatewayName}-${region}`;
}
const GATEWAY_NAME = /^[a-z0-9-]{1,32}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const EXTERNAL_ID_CHARACTER = /[\w+=,.@:/-]/;
const EXTERNAL_ID_MIN_LENGTH = 2;
const EXTERNAL_ID_MAX_LENGTH = 1224;

function describeCharacter(character: string): string {
    const names: Record<string, string> = { "\n": "a newline", "\r": "a carriage return", "\t": "a tab", " ": "a space" };
    const codePoint = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    return names[character] ? `${names[character]} (${codePoint})` : `'${character}' (${codePoint})`;
}

/**
 * STS's rule for external IDs, as a sentence, or undefined when the value follows it. Names the
 * offending character by position, never the secret itself: a trailing newline otherwise fails
 * every AssumeRole call with no hint why.
 */
export function externalIdProblem(externalId: string): string | undefined {
    const characters = [...externalId];
    const badIndex = characters.findIndex((character) => !EXTERNAL_ID_CHARACTER.test(character));
    if (badIndex >= 0) {
        const where = badIndex === characters.length - 1 ? "at the end" : `at character ${badIndex + 1}`;
        return (
            `must contain only letters, digits and _+=,.@:/- (STS's rule for sts:ExternalId); ` +
            `found ${describeCharacter(characters[badIndex])} ${where}, which would make every AssumeRole fail`
        );
    }
    if (characters.length < EXTERNAL_ID_MIN_LENGTH || characters.length > EXTERNAL_ID_MAX_LENGTH) {
        return `must be ${EXTERNAL_ID_MIN_LENGTH} to ${EXTERNAL_ID_MAX_LENGTH} characters long (STS's rule for sts:ExternalId)`;
    }
    return undefined;
}

const gatewaySchema = z
    .strictObject({
        name: z.string().regex(GATEWAY_NAME, "must be 1 to 32 characters of a-z, 0-9 and -"),
        trustedPrincipals: z.array(parsedString(parsePrincipalArn)).min(1, "must list at least one principal ARN").optional(),
        externalId: z
            .string()
            .superRefine((value, context) => {
                const problem = externalIdProblem(value);
                if (problem) context.addIssue({ code: "custom", message: problem });
            })
            .optional(),
        models: z.array(parsedString(parseModelReference)).min(1, "must list at least one model"),
        guardrails: z.array(parsedString(parseGuardrailReference)).default([]),
        requireGuardrail: z.boolean().default(false),
        streaming: z.boolean().default(true),
        marketplaceProductIds: z.array(parsedString(parseMarketplaceProductId)).default([]),
        apis: z
            .array(z.enum(["runtime", "mantle"], "must be runtime or mantle"))
            .min(1, "must list at least one API")
            .refine((apis) => new Set(apis).size === apis.length, "must not list an API twice")
            .default(["runtime"]),
        mantleProjects: z.array(mantleProjectEntrySchema).min(1, "must list at least one project").optional(),
        mantleModels: z.array(parsedString(parseMantleModelId)).min(1, "must list at least one model").optional(),
        maxSessionDurationSeconds: z
            .number()
            .int("must be a whole number of seconds")
            .min(3600, "must be 3600 to 43200 seconds (IAM's range for a role's maximum session)")
            .max(43200, "must be 3600 to 43200 seconds (IAM's range for a role's maximum session)")
            .optional(),
        agentRuntimes: z
            .array(parsedString(parseAgentRuntimeArn))
            .refine((arns) => new Set(arns).size === arns.length, "must not list a runtime twice")
            .default([]),
        attachToRole: z.string().regex(ROLE_NAME, "must be the name (not the ARN) of an existing IAM role of this account").optional(),
        costTags: costTagsSchema.default({}),
        applicationProfiles: z.array(applicationProfileSchema).default([]),
    })
    .superRefine((gateway, context) => {
        const conflict = (key: string, rule: string) => context.addIssue({ code: "custom", path: [key], message: rule });
        gateway.applicationProfiles.forEach((profile, index) => {
            const copied = resolveCopyFrom(profile.copyFrom, gateway.models);
            if (!copied.ok) context.addIssue({ code: "custom", path: ["applicationProfiles", index, "copyFrom"], message: copied.rule });
        });
        if (gateway.applicationProfiles.length > 0 && !gateway.apis.includes("runtime")) conflict("applicationProfiles", "apply only when apis lists runtime (an application inference profile is called on bedrock-runtime)");
        if (!gateway.apis.includes("mantle")) {
            for (const key of ["mantleProjects", "mantleModels"] as const) {
                if (gateway[key] !== undefined) conflict(key, "applies only when apis lists mantle");
            }
        }
        if (!gateway.apis.includes("runtime") && gateway.guardrails.length > 0) conflict("guardrails", "apply only when apis lists runtime (ApplyGuardrail is a bedrock-runtime call)");
        if (gateway.requireGuardrail) {
            if (gateway.guardrails.length === 0) {
                conflict("requireGuardrail", "needs guardrails: list the guardrails, with their version (ID:1), that every invoke call must carry");
            } else {
                gateway.guardrails.forEach((guardrail, index) => {
                    if (guardrail.version === undefined) {
                        context.addIssue({
                            code: "custom",
                            path: ["guardrails", index],
                            message: "must name a numbered version (gr7x2k9q1abc:1, or the ARN followed by :1) with requireGuardrail: bedrock:GuardrailIdentifier carries the guardrail's ARN with its version",
                        });
                    }
                });
            }
        }
        if (gateway.apis.includes("mantle") && gateway.mantleModels === undefined && mantleModelIds(gateway.models).length === 0) {
            conflict("models", "none of these is served by bedrock-mantle (ARNs are not): list the endpoint's model names in mantleModels");
        }
        if (gateway.attachToRole !== undefined) {
            for (const key of ["trustedPrincipals", "externalId", "maxSessionDurationSeconds"] as const) {
                if (gateway[key] !== undefined) conflict(key, "conflicts with attachToRole: a gateway either gets its own role or uses an existing one");
            }
            return;
        }
        if (gateway.trustedPrincipals === undefined) {
            conflict("trustedPrincipals", "required: list the gateway's principal ARNs, or set attachToRole to use an existing role");
        } else if (gateway.externalId === undefined) {
            conflict(
                "externalId",
                "required with trustedPrincipals: set it with pulumi config set --secret --path 'gateways[N].externalId' VALUE",
            );
        }
    });

type GatewayInput = z.output<typeof gatewaySchema>;

function toGatewaySpec(gateway: GatewayInput): GatewaySpec {
    const access: GatewayAccess =
        gateway.attachToRole !== undefined
            ? { kind: "attach-to-role", roleName: gateway.attachToRole }
            : {
                  kind: "assume-role",
                  trustedPrincipals: gateway.trustedPrincipals!,
                  externalId: gateway.externalId!,
                  maxSessionDurationSeconds: gateway.maxSessionDurationSeconds ?? DEFAULT_MAX_SESSION_DURATION_SECONDS,
              };
    return {
        name: gateway.name,
        access,
        models: gateway.models,
        guardrails: gateway.guardrails,
        requireGuardrail: gateway.requireGuardrail,
        streaming: gateway.streaming,
        marketplaceProductIds: gateway.marketplaceProductIds,
        apis: gateway.apis,
        mantleProjects: gateway.mantleProjects ? gateway.mantleProjects.flatMap((entry) => (entry.kind === "existing" ? [entry.id] : [])) : ["default"],
        mantleModels: gateway.mantleModels,
        agentRuntimes: gateway.agentRuntimes,
        costTags: gateway.costTags,
        applicationProfiles: gateway.applicationProfiles.map((profile) => {
            const copied = resolveCopyFrom(profile.copyFrom, gateway.models);
            if (!copied.ok) throw new Error(`unreachable: ${profile.copyFrom} was validated`);
            return { name: profile.name, copyFrom: copied.value, costTags: profile.costTags };
        }),
        createdMantleProjects: (gateway.mantleProjects ?? []).flatMap((entry) => (entry.kind === "create" ? [{ name: entry.name, costTags: entry.costTags }] : [])),
    };
}

export type Validated<T> = { readonly value: T; readonly issues: readonly ConfigIssue[] };

/**
 * Validates the raw value of `gateways` (from `config.getObject`). `partition` is the stack's:
 * a principal of another partition can never assume the role. Issues are returned, not thrown, so
 * that the caller reports them together with those of every other key.
 */
export function validateGateways(raw: unknown, partition: string, key = "gateways"): Validated<readonly GatewaySpec[]> {
    const root = { [key]: raw ?? [] };
    const parsed = z.object({ [key]: z.array(gatewaySchema) }).safeParse(root);
    const issues: ConfigIssue[] = parsed.success ? [] : issuesFromZod(root, parsed.error);

    if (Array.isArray(raw)) {
        const names = raw.map((entry: unknown) => (entry !== null && typeof entry === "object" ? (entry as { name?: unknown }).name : undefined));
        for (const index of duplicateIndexes(names)) {
            if (typeof names[index] === "string") {
                issues.push(issueAt(root, [key, index, "name"], "must be unique among the stack's gateways"));
            }
        }
    }
    if (!parsed.success) return { value: [], issues };

    const gateways = parsed.data[key] as GatewayInput[];
    issues.push(...duplicateProfileNameIssues(root, key, gateways), ...duplicateMantleProjectIssues(root, key, gateways));
    gateways.forEach((gateway, index) => {
        (gateway.trustedPrincipals ?? []).forEach((principal, principalIndex) => {
            if (principal.partition !== partition) {
                issues.push(
                    issueAt(root, [key, index, "trustedPrincipals", principalIndex], `must be in the stack's partition '${partition}'`),
                );
            }
        });
        gateway.agentRuntimes.forEach((runtimeArn, runtimeIndex) => {
            if (runtimeArn.split(":")[1] !== partition) issues.push(issueAt(root, [key, index, "agentRuntimes", runtimeIndex], `must be in the stack's partition '${partition}'`));
        });
    });
    return { value: issues.length === 0 ? gateways.map(toGatewaySpec) : [], issues };
}

/**
 * IAM's trust-policy quota, checked before anything is registered: the error says the size, the
 * quota and what to change.
 */
export function gatewayTrustSizeIssues(gateways: readonly GatewaySpec[], quotas: IamQuotas, key = "gateways"): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    gateways.forEach((gateway, index) => {
        if (gateway.access.kind !== "assume-role") return;
        const trust = gatewayTrustPolicy({ trustedPrincipals: gateway.access.trustedPrincipals.map((p) => p.arn), externalId: gateway.access.externalId });
        const trustSize = iamPolicySize(policyJson(trust));
        if (trustSize > quotas.trustPolicyCharacters) {
            issues.push({
                path: `${key}[${index}].trustedPrincipals`,
                value: `(${gateway.access.trustedPrincipals.length} principals)`,
                rule:
                    `make a trust policy of ${trustSize} characters; IAM allows ${quotas.trustPolicyCharacters}: trust an account root instead of ` +
                    "many roles of it, or raise the account's role trust policy length quota and set iamQuotas.trustPolicyCharacters",
            });
        }
    });
    return issues;
}

/** What a gateway's invoke permissions are built from. */
export function gatewayInvokeInput(location: AwsLocation, gateway: GatewaySpec): GatewayInvokeInput {
    return {
        location,
        models: gateway.models,
        guardrails: gateway.guardrails,
        requireGuardrail: gateway.requireGuardrail,
        streaming: gateway.streaming,
        marketplaceProductIds: gateway.marketplaceProductIds,
        apis: gateway.apis,
        mantleProjects: gateway.mantleProjects,
        mantleModels: gateway.mantleModels,
        agentRuntimes: gateway.agentRuntimes,
        gatewayName: gateway.name,
        applicationProfiles: gateway.applicationProfiles,
        createdMantleProjects: gateway.createdMantleProjects,
    };
}

/**
 * The issue for a gateway whose permissions one role cannot hold: how many models fit, how many
 * were asked for, and what to change. Searches the fitting prefix, so call it only on failure.
 */
export function gatewayPermissionsIssue(gateway: GatewaySpec, index: number, location: AwsLocation, quotas: IamQuotas, key = "gateways"): ConfigIssue {
    const input = gatewayInvokeInput(location, gateway);
    const fitting = largestFittingPrefix(gateway.models.length, (count) => gatewayPermissionLayout({ ...input, models: gateway.models.slice(0, count) }, quotas).ok);
    return {
        path: `${key}[${index}].models`,
        value: `(${gateway.models.length} models)`,
        rule:
            `${gateway.models.length} models were asked for, but one role holds only the first ${fitting} of them within IAM's quotas ` +
            `(inline policies ${quotas.inlinePolicyCharactersPerRole} characters, ${quotas.managedPoliciesPerRole} managed policies of ` +
            `${quotas.managedPolicyCharacters}): raise the account's "managed policies per role" quota (up to 20) and set ` +
            "iamQuotas.managedPoliciesPerRole, or split this gateway into several gateways",
    };
}
