/**
 * Reads the whole stack configuration and validates it in one pass, so that every problem is
 * reported at once and no resource is registered when any key is wrong.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ModelReference, parseRegion, partitionOfRegion } from "../arns/bedrockArns";
import { ConfigIssue, ConfigValidationError, describeValue, configValueOf, holdsSecret } from "../config/configValidation";
import { GatewaySpec, gatewayTrustSizeIssues, validateGateways } from "../gateway/gatewayConfig";
import { DEFAULT_IAM_QUOTAS, IamQuotas, iamQuotasSchema } from "../iam/iamQuotas";
import { NO_PERMISSIONS_BOUNDARY, defaultPermissionsBoundaryArn } from "../iam/permissionsBoundary";
import { AnthropicUseCase, validateAnthropicUseCase } from "../modelAccess/anthropicUseCaseConfig";
import { MonitoringSpec, validateMonitoring } from "../monitoring/monitoringConfig";
import { PrivateEndpointsSpec, validatePrivateEndpoints } from "../privateEndpoints/privateEndpointConfig";
import { ServiceRoleSpec, validateServiceRoles } from "../serviceRoles/serviceRoleConfig";
import { issueAt, issuesFromZod } from "../config/configValidation";
import { AgentCoreRoles, validateAgentCoreRoles, withoutAgentCoreKeys } from "../agentcore/agentCoreConfig";
import { CostTags } from "../costAttribution/costTags";
import { validateDefaultTags } from "../costAttribution/costAttributionConfig";
import { geographyIssues } from "../placement/geographies";

/** The configuration keys of this project's namespace. Anything else is a typo and an error. */
export const KNOWN_CONFIG_KEYS = ["gateways", "serviceRoles", "privateEndpoints", "monitoring", "iamQuotas", "anthropicUseCase", "permissionsBoundary"] as const;

/** The `permissionsBoundary` key: the convention's boundary (default), another managed policy, or none. */
export type PermissionsBoundarySetting = { readonly kind: "default" } | { readonly kind: "arn"; readonly arn: string } | { readonly kind: "none" };

/** The raw inputs of validation, as Pulumi hands them to the program. */
export interface RawStackConfig {
    /** `aws:region`, or the provider's environment fallback. */
    readonly region: string | undefined;
    /** Every key of the project's namespace (without the `project:` prefix) and its raw JSON text. */
    readonly projectValues: Readonly<Record<string, string>>;
    /** `aws:defaultTags`, parsed: the AWS provider's stack-wide tags. */
    readonly defaultTags?: unknown;
}

/** A key's JSON text parsed, or the text itself: for showing (masked where it holds a secret) in an error. */
function shownValue(text: string | undefined): unknown {
    return text === undefined ? undefined : configValueOf(text);
}

export interface StackConfig {
    readonly partition: string;
    readonly region: string;
    readonly gateways: readonly GatewaySpec[];
    readonly serviceRoles: readonly ServiceRoleSpec[];
    /** AgentCore's roles: `serviceRoles.agentRuntimes`, `.agentGateways` and `.agentMemories`. */
    readonly agentCoreRoles: AgentCoreRoles;
    /** Invocation monitoring; undefined when `monitoring.enabled` is false. */
    readonly monitoring: MonitoringSpec | undefined;
    /** Interface VPC endpoints, when configured. */
    readonly privateEndpoints: PrivateEndpointsSpec | undefined;
    /** IAM quotas of the account: AWS's defaults unless `iamQuotas` raises them. */
    readonly iamQuotas: IamQuotas;
    /** Anthropic's first-time-use form for the account, when given. */
    readonly anthropicUseCase: AnthropicUseCase | undefined;
    /** The boundary every role of the stack carries (`permissionsBoundary`). */
    readonly permissionsBoundary: PermissionsBoundarySetting;
    /** The AWS provider's stack-wide tags (`aws:defaultTags`), for what the provider does not tag itself (aws-native). */
    readonly defaultTags: CostTags;
}

function parseJsonValue(key: string, text: string, issues: ConfigIssue[]): unknown {
    try {
        return JSON.parse(text);
    } catch {
        issues.push({ path: key, value: describeValue(text, false), rule: "must be a YAML list or map, not a plain string" });
        return undefined;
    }
}

/** Pure: validates everything and throws one `ConfigValidationError` listing every problem. */
export function validateStackConfig(raw: RawStackConfig): StackConfig {
    const issues: ConfigIssue[] = [];
    const region = raw.region ?? "";
    const regionParsed = parseRegion(region);
    if (!regionParsed.ok) {
        issues.push({ path: "aws:region", value: describeValue(raw.region, false), rule: `required: ${regionParsed.rule}` });
    }
    for (const key of Object.keys(raw.projectValues).sort()) {
        if (!(KNOWN_CONFIG_KEYS as readonly string[]).includes(key)) {
            issues.push({
                path: key,
                value: describeValue(raw.projectValues[key], holdsSecret(shownValue(raw.projectValues[key]))),
                rule: `unknown key: this project reads only ${KNOWN_CONFIG_KEYS.join(", ")}`,
            });
        }
    }
    const partition = partitionOfRegion(region);
    /** A key's value parsed from the JSON Pulumi hands over, or undefined when the key is not set. */
    const valueOf = (key: (typeof KNOWN_CONFIG_KEYS)[number]): unknown => {
        const text = raw.projectValues[key];
        return text === undefined ? undefined : parseJsonValue(key, text, issues);
    };
    const rawGateways = valueOf("gateways");
    const gateways = validateGateways(rawGateways, partition);
    const rawServiceRoles = valueOf("serviceRoles");
    const serviceRoles = validateServiceRoles(withoutAgentCoreKeys(rawServiceRoles));
    const agentCoreRoles = validateAgentCoreRoles(rawServiceRoles);
    const privateEndpoints = validatePrivateEndpoints(valueOf("privateEndpoints"), "privateEndpoints", partition);
    const monitoring = validateMonitoring(valueOf("monitoring"), region);
    const anthropicUseCase = validateAnthropicUseCase(valueOf("anthropicUseCase"));
    const defaultTags = validateDefaultTags(raw.defaultTags);
    issues.push(...defaultTags.issues);
    issues.push(...gateways.issues, ...serviceRoles.issues, ...agentCoreRoles.issues, ...privateEndpoints.issues, ...monitoring.issues, ...anthropicUseCase.issues);
    // A profile of a geography that does not serve the stack's region names nothing that exists there.
    if (regionParsed.ok) issues.push(...geographyIssues({ gateways: rawGateways, serviceRoles: rawServiceRoles }, region));

    const permissionsBoundary = validatePermissionsBoundary(raw.projectValues["permissionsBoundary"], partition, issues);

    let iamQuotas = DEFAULT_IAM_QUOTAS;
    if (raw.projectValues["iamQuotas"] !== undefined) {
        const root = { iamQuotas: valueOf("iamQuotas") };
        const parsed = z.object({ iamQuotas: iamQuotasSchema }).safeParse(root);
        if (parsed.success) iamQuotas = parsed.data.iamQuotas;
        else issues.push(...issuesFromZod(root, parsed.error));
    }
    // Whether each role's permissions fit IAM's quotas is decided with the account known, when the
    // permissions are laid out once for the whole stack (`planStackPermissions`).
    if (issues.length === 0) issues.push(...gatewayTrustSizeIssues(gateways.value, iamQuotas));
    // A quota code for a model the stack does not watch would be silently unused: a typo in a model ID.
    if (issues.length === 0 && monitoring.value) {
        const watched = new Set(metricModelIds([...gateways.value, ...serviceRoles.value, ...agentCoreModelUsers(agentCoreRoles.value)]));
        for (const [modelId, code] of Object.entries(monitoring.value.tokenQuotaCodes)) {
            if (!watched.has(modelId)) {
                issues.push(issueAt({ monitoring: { tokenQuotaCodes: { [modelId]: code } } }, ["monitoring", "tokenQuotaCodes", modelId], `names no model this stack watches: use a model or profile ID as the gateways and service roles list it (${[...watched].join(", ") || "none listed"})`));
            }
        }
    }

    if (issues.length > 0) throw new ConfigValidationError(issues);
    return {
        partition,
        region,
        gateways: gateways.value,
        serviceRoles: serviceRoles.value,
        agentCoreRoles: agentCoreRoles.value,
        privateEndpoints: privateEndpoints.value,
        monitoring: monitoring.value,
        iamQuotas,
        anthropicUseCase: anthropicUseCase.value,
        permissionsBoundary,
        defaultTags: defaultTags.value,
    };
}

const BOUNDARY_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):policy\/([\w+=,.@/-]{1,512})$/;

/**
 * `permissionsBoundary`: unset (the convention's boundary), `none`, or the ARN of a customer managed
 * policy of the stack's partition. A plain string in the stack file reaches the program as itself,
 * not as JSON, so both forms are read.
 */
export function validatePermissionsBoundary(text: string | undefined, partition: string, issues: ConfigIssue[]): PermissionsBoundarySetting {
    if (text === undefined) return { kind: "default" };
    const value = configValueOf(text);
    const problem = (rule: string) => issues.push({ path: "permissionsBoundary", value: describeValue(value, false), rule });
    if (value === NO_PERMISSIONS_BOUNDARY) return { kind: "none" };
    if (typeof value !== "string") {
        problem(`must be "${NO_PERMISSIONS_BOUNDARY}" or the ARN of a managed policy (arn:aws:iam::ACCOUNT:policy/NAME)`);
        return { kind: "none" };
    }
    if (/[*?]/.test(value)) {
        problem("wildcards (* or ?) are not allowed: name one managed policy");
        return { kind: "none" };
    }
    const match = BOUNDARY_ARN.exec(value);
    if (!match) {
        problem(`must be "${NO_PERMISSIONS_BOUNDARY}" or the ARN of a customer managed policy (arn:aws:iam::ACCOUNT:policy/NAME): an AWS managed policy or another kind of ARN cannot serve`);
        return { kind: "none" };
    }
    if (partition && match[1] !== partition) {
        problem(`must be in the stack's partition (${partition})`);
        return { kind: "none" };
    }
    return { kind: "arn", arn: value };
}

/** The boundary ARN every role of the stack carries, or undefined with `none`. */
export function permissionsBoundaryArnOf(setting: PermissionsBoundarySetting, location: { readonly partition: string; readonly accountId: string }, stack: string): string | undefined {
    switch (setting.kind) {
        case "default":
            return defaultPermissionsBoundaryArn(location, stack);
        case "arn":
            return setting.arn;
        case "none":
            return undefined;
    }
}

/** The AgentCore roles that invoke models: runtimes and memories. */
export function agentCoreModelUsers(roles: AgentCoreRoles): readonly { readonly models: readonly ModelReference[] }[] {
    return [...roles.agentRuntimes, ...roles.agentMemories];
}

/** The IDs Bedrock reports metrics under, for the models the stack's roles list: model IDs, and profile IDs for calls through profiles. */
export function metricModelIds(users: readonly { readonly models: readonly ModelReference[] }[]): string[] {
    const ids = users.flatMap((user) =>
        user.models.flatMap((model) => (model.kind === "foundation-model" ? [model.modelId] : model.kind === "inference-profile" ? [model.profileId] : [])),
    );
    return [...new Set(ids)].sort();
}

/** The raw configuration of the running program's project namespace, and its region, as Pulumi hands them over. */
export function readRawStackConfig(): RawStackConfig {
    const projectConfig = new pulumi.Config();
    const prefix = `${projectConfig.name}:`;
    const projectValues: Record<string, string> = {};
    for (const fullKey of Object.keys(pulumi.runtime.allConfig())) {
        if (!fullKey.startsWith(prefix)) continue;
        const key = fullKey.slice(prefix.length);
        const value = projectConfig.get(key);
        if (value !== undefined) projectValues[key] = value;
    }
    const region = new pulumi.Config("aws").get("region") ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    return { region, projectValues, defaultTags: readDefaultTags() };
}

/** `aws:defaultTags` as the provider reads it (a YAML map), or its text when it is not JSON (refused by validation). */
function readDefaultTags(): unknown {
    const text = new pulumi.Config("aws").get("defaultTags");
    return text === undefined ? undefined : shownValue(text);
}

/** Reads the stack's configuration through Pulumi and validates it. */
export function readStackConfig(): StackConfig {
    return validateStackConfig(readRawStackConfig());
}
