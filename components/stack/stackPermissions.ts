/**
 * Every role's permission layout, computed once for the stack, and the callers of each Lex bot alias.
 * The components write these layouts, the endpoint policies are derived from them, and a role that
 * does not fit IAM's quotas (or a bot alias of another account) is refused here, before any resource
 * is registered.
 */
import { AwsLocation } from "../arns/bedrockArns";
import { ConfigIssue, ConfigValidationError } from "../config/configValidation";
import { GatewaySpec, gatewayInvokeInput, gatewayPermissionsIssue } from "../gateway/gatewayConfig";
import { gatewayPermissionLayout } from "../gateway/gatewayPolicies";
import { PolicyDocument, policyJson } from "../iam/iamDocument";
import { iamPolicySize } from "../iam/iamQuotas";
import { PermissionLayout, layoutDocuments } from "../iam/permissionLayout";
import { boundaryFallbackWarning, buildPermissionsBoundary, defaultPermissionsBoundaryArn, keyGrantsToRoles } from "../iam/permissionsBoundary";
import { loggingRolePolicy, monitoringKeyPolicy, monitoringPlace } from "../monitoring/monitoringPolicies";
import { ServiceRoleSpec, serviceRoleName } from "../serviceRoles/serviceRoleConfig";
import { LexBotAliasCallers, serviceKeyPolicy, serviceRolePermissionLayout, serviceRolePermissionsIssue } from "../serviceRoles/serviceRolePolicies";
import { StackConfig } from "./stackConfig";
import { AgentCoreRoleSpec, allAgentCoreRoles } from "../agentcore/agentCoreConfig";
import { agentCorePermissionLayout, agentCorePermissionsIssue } from "../agentcore/agentCorePolicies";

export interface StackPermissions {
    /** Each gateway's layout, by its validated entry. */
    readonly gateways: ReadonlyMap<GatewaySpec, PermissionLayout>;
    /** Each service role's layout, by its validated entry. */
    readonly serviceRoles: ReadonlyMap<ServiceRoleSpec, PermissionLayout>;
    /** Each AgentCore role's layout, by its validated entry. */
    readonly agentCoreRoles: ReadonlyMap<AgentCoreRoleSpec, PermissionLayout>;
    /** The Lex bot aliases the flows call, each with its callers: one resource policy per alias. */
    readonly lexBotAliases: readonly LexBotAliasCallers[];
}

/**
 * The flows' Lex bot aliases, grouped by alias. A resource policy can be written only on a bot of
 * the stack's own account and region: any other is an issue.
 */
function lexBotAliasCallers(roles: readonly ServiceRoleSpec[], location: AwsLocation): { aliases: LexBotAliasCallers[]; issues: ConfigIssue[] } {
    const callers = new Map<string, string[]>();
    const issues: ConfigIssue[] = [];
    const home = `arn:${location.partition}:lex:${location.region}:${location.accountId}:bot-alias/`;
    for (const role of roles) {
        role.lexBotAliases.forEach((arnOf, index) => {
            const aliasArn = arnOf(location);
            if (!aliasArn.startsWith(home)) {
                issues.push({
                    path: `${role.configPath}.lexBotAliases[${index}]`,
                    value: JSON.stringify(aliasArn),
                    rule: `must be a bot alias of this stack's account and region (${location.accountId}, ${location.region}): its resource policy is written here`,
                });
                return;
            }
            const roleArn = `arn:${location.partition}:iam::${location.accountId}:role/${serviceRoleName(role, location.region)}`;
            callers.set(aliasArn, [...(callers.get(aliasArn) ?? []), roleArn]);
        });
    }
    const aliases = [...callers].sort(([a], [b]) => a.localeCompare(b)).map(([aliasArn, flowRoleArns]) => ({ aliasArn, flowRoleArns }));
    return { aliases, issues };
}

/** Lays out every role's permissions; throws one `ConfigValidationError` naming each role that does not fit. */
export function planStackPermissions(config: StackConfig, location: AwsLocation): StackPermissions {
    const issues: ConfigIssue[] = [];
    const gateways = new Map<GatewaySpec, PermissionLayout>();
    config.gateways.forEach((gateway, index) => {
        const result = gatewayPermissionLayout(gatewayInvokeInput(location, gateway), config.iamQuotas);
        if (result.ok) gateways.set(gateway, result.layout);
        else issues.push(gatewayPermissionsIssue(gateway, index, location, config.iamQuotas));
    });
    const serviceRoles = new Map<ServiceRoleSpec, PermissionLayout>();
    for (const role of config.serviceRoles) {
        const result = serviceRolePermissionLayout(location, role, config.iamQuotas);
        if (result.ok) serviceRoles.set(role, result.layout);
        else issues.push(serviceRolePermissionsIssue(role, config.iamQuotas));
    }
    const agentCoreRoles = new Map<AgentCoreRoleSpec, PermissionLayout>();
    for (const role of allAgentCoreRoles(config.agentCoreRoles)) {
        const result = agentCorePermissionLayout(location, role, config.iamQuotas);
        if (result.ok) agentCoreRoles.set(role, result.layout);
        else issues.push(agentCorePermissionsIssue(role, config.iamQuotas));
    }
    const lex = lexBotAliasCallers(config.serviceRoles, location);
    issues.push(...lex.issues);
    if (issues.length > 0) throw new ConfigValidationError(issues);
    return { gateways, serviceRoles, agentCoreRoles, lexBotAliases: lex.aliases };
}

/** Every permission document of every role the stack creates or writes into (attachToRole included). */
export function stackRoleDocuments(config: StackConfig, location: AwsLocation, stack: string, permissions: StackPermissions): PolicyDocument[] {
    return [
        ...[...permissions.gateways.values()].flatMap(layoutDocuments),
        ...[...permissions.serviceRoles.values()].flatMap(layoutDocuments),
        ...[...permissions.agentCoreRoles.values()].flatMap(layoutDocuments),
        // The logging role exists only where the stack owns the account's invocation logging.
        ...(config.monitoring?.invocationLogging === "create" ? [loggingRolePolicy(monitoringPlace(location, stack, config.monitoring))] : []),
        // What the stack's own keys grant its roles in their policies: the boundary caps that too.
        ...keyGrantsToRoles(location, [
            ...config.serviceRoles
                .filter((role) => role.createKey)
                .map((role) => serviceKeyPolicy(location, role, `arn:${location.partition}:iam::${location.accountId}:role/${serviceRoleName(role, location.region)}`, {})),
            ...(config.monitoring?.kmsKey.kind === "create" ? [monitoringKeyPolicy(monitoringPlace(location, stack, config.monitoring))] : []),
        ]),
    ];
}

/**
 * The stack's permissions boundary document; refused, before anything registers, when beyond a managed policy's size.
 * `warning` is the one line to print when it names Bedrock's resources by account to fit.
 */
export function stackPermissionsBoundary(config: StackConfig, location: AwsLocation, stack: string, permissions: StackPermissions): { readonly document: PolicyDocument; readonly warning?: string } {
    const maxCharacters = config.iamQuotas.managedPolicyCharacters;
    const { document, namedSize, bedrockNamedByAccount } = buildPermissionsBoundary(location, stackRoleDocuments(config, location, stack, permissions), maxCharacters);
    const size = iamPolicySize(policyJson(document));
    if (size > config.iamQuotas.managedPolicyCharacters) {
        throw new ConfigValidationError([
            {
                path: "permissionsBoundary",
                value: "(the stack's boundary)",
                rule: `the boundary of this stack's roles is ${size} characters; a managed policy holds ${config.iamQuotas.managedPolicyCharacters}: use your own boundary ARN or split the stack`,
            },
        ]);
    }
    return { document, ...(bedrockNamedByAccount ? { warning: boundaryFallbackWarning(namedSize, maxCharacters) } : {}) };
}

/**
 * Checks the stack's boundary (refused beyond a managed policy's size) and returns the one warning line to print, if any:
 * when the boundary the bootstrap creates (the convention's ARN) names Bedrock's resources by account to fit. A boundary
 * of the user's own ARN is theirs to write: nothing to warn of.
 */
export function stackPermissionsBoundaryWarning(config: StackConfig, location: AwsLocation, stack: string, permissions: StackPermissions, boundaryArn: string): string | undefined {
    const { warning } = stackPermissionsBoundary(config, location, stack, permissions);
    return boundaryArn === defaultPermissionsBoundaryArn(location, stack) ? warning : undefined;
}
