/**
 * Reads the whole stack configuration and validates it in one pass, so that every problem is
 * reported at once and no resource is registered when any key is wrong.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { AwsLocation, parseRegion, partitionOfRegion } from "./bedrockArns";
import { ConfigIssue, ConfigValidationError, describeValue } from "./configValidation";
import { GatewaySpec, SIZING_ACCOUNT_ID, gatewaySizeIssues, validateGateways } from "./gatewayConfig";
import { DEFAULT_IAM_QUOTAS, IamQuotas, iamQuotasSchema } from "./iamQuotas";
import { MonitoringSpec, validateMonitoring } from "./monitoringConfig";
import { PrivateEndpointsSpec, validatePrivateEndpoints } from "./privateEndpointConfig";
import { ServiceRoleSpec, validateServiceRoles } from "./serviceRoleConfig";
import { serviceRolePermissionLayout } from "./serviceRolePolicies";
import { issuesFromZod } from "./configValidation";

/** The configuration keys of this project's namespace. Anything else is a typo and an error. */
export const KNOWN_CONFIG_KEYS = ["gateways", "serviceRoles", "privateEndpoints", "monitoring", "iamQuotas"] as const;

/** The raw inputs of validation, as Pulumi hands them to the program. */
export interface RawStackConfig {
    /** `aws:region`, or the provider's environment fallback. */
    readonly region: string | undefined;
    /** Every key of the project's namespace (without the `project:` prefix) and its raw JSON text. */
    readonly projectValues: Readonly<Record<string, string>>;
}

export interface StackConfig {
    readonly partition: string;
    readonly region: string;
    readonly gateways: readonly GatewaySpec[];
    readonly serviceRoles: readonly ServiceRoleSpec[];
    /** Invocation monitoring; undefined when `monitoring.enabled` is false. */
    readonly monitoring: MonitoringSpec | undefined;
    /** Interface VPC endpoints, when configured. */
    readonly privateEndpoints: PrivateEndpointsSpec | undefined;
    /** IAM quotas of the account: AWS's defaults unless `iamQuotas` raises them. */
    readonly iamQuotas: IamQuotas;
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
                value: describeValue(raw.projectValues[key], false),
                rule: `unknown key: this project reads only ${KNOWN_CONFIG_KEYS.join(", ")}`,
            });
        }
    }
    const partition = partitionOfRegion(region);
    const gatewaysText = raw.projectValues["gateways"];
    const gateways = validateGateways(gatewaysText === undefined ? undefined : parseJsonValue("gateways", gatewaysText, issues), partition);
    issues.push(...gateways.issues);
    const serviceRolesText = raw.projectValues["serviceRoles"];
    const serviceRoles = validateServiceRoles(serviceRolesText === undefined ? undefined : parseJsonValue("serviceRoles", serviceRolesText, issues));
    issues.push(...serviceRoles.issues);
    const endpointsText = raw.projectValues["privateEndpoints"];
    const privateEndpoints = validatePrivateEndpoints(endpointsText === undefined ? undefined : parseJsonValue("privateEndpoints", endpointsText, issues));
    issues.push(...privateEndpoints.issues);
    const monitoringText = raw.projectValues["monitoring"];
    const monitoring = validateMonitoring(monitoringText === undefined ? undefined : parseJsonValue("monitoring", monitoringText, issues));
    issues.push(...monitoring.issues);

    let iamQuotas = DEFAULT_IAM_QUOTAS;
    const quotasText = raw.projectValues["iamQuotas"];
    if (quotasText !== undefined) {
        const root = { iamQuotas: parseJsonValue("iamQuotas", quotasText, issues) };
        const parsed = z.object({ iamQuotas: iamQuotasSchema }).safeParse(root);
        if (parsed.success) iamQuotas = parsed.data.iamQuotas;
        else issues.push(...issuesFromZod(root, parsed.error));
    }
    if (issues.length === 0) {
        issues.push(...gatewaySizeIssues(gateways.value, { partition, region }, iamQuotas));
        issues.push(...serviceRoleSizeIssues(serviceRoles.value, { partition, region, accountId: SIZING_ACCOUNT_ID }, iamQuotas));
    }

    if (issues.length > 0) throw new ConfigValidationError(issues);
    return { partition, region, gateways: gateways.value, serviceRoles: serviceRoles.value, privateEndpoints: privateEndpoints.value, monitoring: monitoring.value, iamQuotas };
}

function serviceRoleSizeIssues(roles: readonly ServiceRoleSpec[], location: AwsLocation, quotas: IamQuotas): ConfigIssue[] {
    return roles
        .filter((role) => !serviceRolePermissionLayout(location, role, quotas).ok)
        .map((role) => ({
            path: role.configPath,
            value: `(${role.kind} role ${role.name})`,
            rule:
                `lists more resources than one role holds within IAM's quotas (inline policies ${quotas.inlinePolicyCharactersPerRole} characters, ` +
                `${quotas.managedPoliciesPerRole} managed policies of ${quotas.managedPolicyCharacters}): split it into several roles, ` +
                "or raise the account's managed-policies-per-role quota and set iamQuotas.managedPoliciesPerRole",
        }));
}

/** Reads the stack's configuration through Pulumi and validates it. */
export function readStackConfig(): StackConfig {
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
    return validateStackConfig({ region, projectValues });
}
