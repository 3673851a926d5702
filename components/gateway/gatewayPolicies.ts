/**
 * Pure builders of the IAM documents for one LLM gateway: who may assume its role (trust policy)
 * and what the role may do in Bedrock (invoke policy).
 */
import {
    AwsLocation,
    GuardrailReference,
    ModelReference,
    guardrailArn,
    guardrailIdentifierWithVersion,
    invokeGrantFor,
    mantleModelIds,
} from "../arns/bedrockArns";
import { PermissionGroup, mantlePermissions, marketplacePermissions } from "../modelAccess/modelAccessPolicies";
import { IamQuotas } from "../iam/iamQuotas";
import { PolicyDocument, PolicyStatement, policyDocument, sortedUnique } from "../iam/iamDocument";
import { agentRuntimeInvokeUnits } from "../agentcore/agentRuntimeInvoke";
import { LayoutResult, PermissionUnit, StatementTemplate, documentSize, layoutPermissions, renderPermissions } from "../iam/permissionLayout";
import { ApplicationProfileSpec, MantleProjectSpec } from "../costAttribution/costAttributionConfig";
import { applicationProfilePermissions, createdMantleProjectPermissions } from "../costAttribution/costAttributionPolicies";

export const INVOKE_MODEL_ACTION = "bedrock:InvokeModel";
export const INVOKE_MODEL_STREAM_ACTION = "bedrock:InvokeModelWithResponseStream";
export const APPLY_GUARDRAIL_ACTION = "bedrock:ApplyGuardrail";

export interface GatewayTrustInput {
    /** The gateway's IAM principals (role, user or account root ARNs). */
    readonly trustedPrincipals: readonly string[];
    /** The value the gateway must send as `sts:ExternalId`, compared exactly. */
    readonly externalId: string;
}

/**
 * Admits exactly the listed principals, and only when they present the external ID.
 * IRSA (EKS) and IMDS (EC2) setups need nothing else: their principal is an ordinary role ARN.
 */
export function gatewayTrustPolicy(input: GatewayTrustInput): PolicyDocument {
    return policyDocument([
        {
            Sid: "GatewayAssumeRoleWithExternalId",
            Effect: "Allow",
            Principal: { AWS: sortedUnique(input.trustedPrincipals) },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "sts:ExternalId": input.externalId } },
        },
    ]);
}

export interface GatewayInvokeInput {
    readonly location: AwsLocation;
    readonly models: readonly ModelReference[];
    readonly guardrails: readonly GuardrailReference[];
    /**
     * Invoke only with one of `guardrails` applied: the invoke grants carry `bedrock:GuardrailIdentifier`
     * (each guardrail's ARN with its version). If not provided, false.
     */
    readonly requireGuardrail?: boolean;
    /** Grant `InvokeModelWithResponseStream` (ConverseStream) as well as `InvokeModel` (Converse). */
    readonly streaming: boolean;
    /** AWS Marketplace products a first call may subscribe the account to. If not provided, none. */
    readonly marketplaceProductIds?: readonly string[];
    /** The APIs the gateway calls. If not provided, bedrock-runtime only. */
    readonly apis?: readonly ("runtime" | "mantle")[];
    /** bedrock-mantle projects. If not provided, `default`. */
    readonly mantleProjects?: readonly string[];
    /** Model identifiers on bedrock-mantle. If not provided, derived from `models` (`mantleModelIds`). */
    readonly mantleModels?: readonly string[];
    /** AgentCore runtime ARNs the gateway invokes. If not provided, none. */
    readonly agentRuntimes?: readonly string[];
    /** The gateway's name: the owner tag its application profiles and created Mantle projects carry. Required with either. */
    readonly gatewayName?: string;
    /** Application inference profiles the stack creates for the gateway. If not provided, none. */
    readonly applicationProfiles?: readonly ApplicationProfileSpec[];
    /** bedrock-mantle projects the stack creates for the gateway. If not provided, none. */
    readonly createdMantleProjects?: readonly MantleProjectSpec[];
}

const callsRuntime = (input: GatewayInvokeInput) => (input.apis ?? ["runtime"]).includes("runtime");

/** Marketplace subscription, bedrock-mantle inference and AgentCore agents, when asked for: the same in the exact and compact forms. */
function modelAccessPermissions(input: GatewayInvokeInput): PermissionGroup {
    const marketplace = marketplacePermissions(input.marketplaceProductIds ?? []);
    const agents = agentRuntimeInvokeUnits(input.agentRuntimes ?? []);
    const callsMantle = (input.apis ?? []).includes("mantle");
    const mantleModels = input.mantleModels ?? mantleModelIds(input.models);
    const mantle = callsMantle ? mantlePermissions(input.location, input.mantleProjects ?? ["default"], mantleModels) : { units: [], templates: [] };
    const gatewayName = input.gatewayName ?? "";
    const createdProjects = callsMantle ? createdMantleProjectPermissions(input.location, gatewayName, input.createdMantleProjects ?? [], mantleModels) : { units: [], templates: [] };
    const profiles = callsRuntime(input) ? applicationProfilePermissions(input.location, gatewayName, input.applicationProfiles ?? [], gatewayInvokeActions(input.streaming)) : { units: [], templates: [] };
    const groups = [marketplace, mantle, createdProjects, profiles, agents];
    return { units: groups.flatMap((group) => group.units), templates: groups.flatMap((group) => group.templates) };
}

export const GUARDRAIL_IDENTIFIER_KEY = "bedrock:GuardrailIdentifier";

/** The guardrails a call must carry with `requireGuardrail`, as `bedrock:GuardrailIdentifier` values; empty otherwise. */
export function requiredGuardrailIdentifiers(input: GatewayInvokeInput): string[] {
    if (!input.requireGuardrail) return [];
    return sortedUnique(input.guardrails.flatMap((guardrail) => guardrailIdentifierWithVersion(input.location, guardrail) ?? []));
}

export function gatewayInvokeActions(streaming: boolean): string[] {
    return streaming ? [INVOKE_MODEL_ACTION, INVOKE_MODEL_STREAM_ACTION] : [INVOKE_MODEL_ACTION];
}

/**
 * Grants the invoke actions on exactly the listed models, and `ApplyGuardrail` on exactly the listed
 * guardrails. Models reached through inference profiles are allowed in any region, but only through
 * those profiles (`bedrock:InferenceProfileArn`), which is what cross-region inference needs.
 */
export function gatewayInvokePolicy(input: GatewayInvokeInput): PolicyDocument {
    const actions = gatewayInvokeActions(input.streaming);
    const grants = callsRuntime(input) ? input.models.map((model) => invokeGrantFor(input.location, model)) : [];
    const directArns = sortedUnique(grants.flatMap((grant) => grant.directArns));
    const profileArns = sortedUnique(grants.flatMap((grant) => (grant.profileArn ? [grant.profileArn] : [])));
    const routedModelArns = sortedUnique(grants.flatMap((grant) => grant.routedModelArns));
    const guardrailArns = callsRuntime(input) ? sortedUnique(input.guardrails.map((guardrail) => guardrailArn(input.location, guardrail))) : [];

    const guardrailIdentifiers = requiredGuardrailIdentifiers(input);
    const withGuardrail: Record<string, string | string[]> =
        guardrailIdentifiers.length > 0 ? { [GUARDRAIL_IDENTIFIER_KEY]: guardrailIdentifiers.length === 1 ? guardrailIdentifiers[0] : guardrailIdentifiers } : {};

    const statements: PolicyStatement[] = [];
    if (directArns.length > 0) {
        statements.push({
            Sid: "InvokeListedModels",
            Effect: "Allow",
            Action: actions,
            Resource: directArns,
            ...(guardrailIdentifiers.length > 0 ? { Condition: { StringEquals: withGuardrail } } : {}),
        });
    }
    if (routedModelArns.length > 0) {
        statements.push({
            Sid: "InvokeModelsThroughListedProfiles",
            Effect: "Allow",
            Action: actions,
            Resource: routedModelArns,
            Condition: { StringEquals: { "bedrock:InferenceProfileArn": profileArns, ...withGuardrail } },
        });
    }
    if (guardrailArns.length > 0) {
        statements.push({ Sid: "ApplyListedGuardrails", Effect: "Allow", Action: APPLY_GUARDRAIL_ACTION, Resource: guardrailArns });
    }
    const modelAccess = modelAccessPermissions(input);
    statements.push(...renderPermissions(modelAccess.units, modelAccess.templates).Statement);
    return policyDocument(statements);
}

/**
 * The compact form, for gateways too large for one inline policy. A model reached through profiles
 * is allowed in any region when the call comes through an inference profile of the stack's account
 * and region (`ArnLike bedrock:InferenceProfileArn .../inference-profile/*`), instead of naming each
 * profile twice. The effect is the same: the caller may invoke only the listed profiles, and a
 * profile routes only to its own model. Units group everything listed for one model, so adding a
 * profile of an already listed model changes the same managed policy.
 */
export function compactGatewayPermissions(input: GatewayInvokeInput): { units: PermissionUnit[]; templates: StatementTemplate[] } {
    const runtime = callsRuntime(input);
    const guardrailIdentifiers = requiredGuardrailIdentifiers(input);
    const models = modelInvokeUnits(
        input.location,
        runtime ? input.models : [],
        gatewayInvokeActions(input.streaming),
        guardrailIdentifiers.length > 0 ? { [GUARDRAIL_IDENTIFIER_KEY]: guardrailIdentifiers.length === 1 ? guardrailIdentifiers[0] : guardrailIdentifiers } : undefined,
    );
    const guardrail: StatementTemplate = { sid: "ApplyListedGuardrails", actions: [APPLY_GUARDRAIL_ACTION] };
    const units = [...models.units];
    for (const reference of runtime ? input.guardrails : []) {
        const arn = guardrailArn(input.location, reference);
        units.push({ key: `guardrail:${arn}`, grants: [{ template: guardrail, resources: [arn] }] });
    }
    const modelAccess = modelAccessPermissions(input);
    return { units: [...units, ...modelAccess.units], templates: [...models.templates, guardrail, ...modelAccess.templates] };
}

/**
 * Model invocation as permission units, in the compact form (shared by gateways and service roles):
 * one unit per model with its profiles; models reached through profiles allowed in any region under
 * `ArnLike bedrock:InferenceProfileArn` of the profiles' region and account.
 */
export function modelInvokeUnits(
    location: AwsLocation,
    models: readonly ModelReference[],
    actions: readonly string[],
    /** `StringEquals` keys every invoke grant also requires (a gateway's `requireGuardrail`). If not provided, none. */
    requiredValues?: Readonly<Record<string, string | readonly string[]>>,
): { units: PermissionUnit[]; templates: StatementTemplate[] } {
    const grants = models.map((model) => ({ model, grant: invokeGrantFor(location, model) }));
    const profilePatterns = sortedUnique(
        grants.flatMap(({ grant }) => (grant.profileArn ? [grant.profileArn.replace(/inference-profile\/.*$/, "inference-profile/*")] : [])),
    );
    const required = requiredValues ? { StringEquals: requiredValues } : {};
    const direct: StatementTemplate = { sid: "InvokeListedModels", actions, ...(requiredValues ? { condition: required } : {}) };
    const routed: StatementTemplate = {
        sid: "InvokeModelsThroughProfiles",
        actions,
        condition: { ArnLike: { "bedrock:InferenceProfileArn": profilePatterns.length === 1 ? profilePatterns[0] : profilePatterns }, ...required },
    };
    const byKey = new Map<string, { directArns: string[]; routedArns: string[] }>();
    for (const { model, grant } of grants) {
        const key = model.kind === "resource-arn" ? `arn:${model.arn}` : `model:${model.modelId}`;
        const entry = byKey.get(key) ?? { directArns: [], routedArns: [] };
        entry.directArns.push(...grant.directArns);
        entry.routedArns.push(...grant.routedModelArns);
        byKey.set(key, entry);
    }
    const units: PermissionUnit[] = [...byKey].map(([key, entry]) => ({
        key,
        grants: [
            { template: direct, resources: entry.directArns },
            { template: routed, resources: entry.routedArns },
        ],
    }));
    return { units, templates: [direct, routed] };
}

/**
 * The gateway's permissions within IAM's quotas: the exact document as one inline policy when it
 * fits, else the compact form spread over managed policies (see `layoutPermissions`).
 */
export function gatewayPermissionLayout(input: GatewayInvokeInput, quotas: IamQuotas): LayoutResult {
    const exact = gatewayInvokePolicy(input);
    if (documentSize(exact) <= quotas.inlinePolicyCharactersPerRole) return { ok: true, layout: { inline: exact, managed: [] } };
    const { units, templates } = compactGatewayPermissions(input);
    return layoutPermissions(units, templates, quotas);
}
