/**
 * Every role's permission layout, computed once for the stack. The components write these layouts,
 * the endpoint policies are derived from them, and a role that does not fit IAM's quotas is refused
 * here, before any resource is registered.
 */
import { AwsLocation } from "../arns/bedrockArns";
import { ConfigIssue, ConfigValidationError } from "../config/configValidation";
import { GatewaySpec, gatewayInvokeInput, gatewayPermissionsIssue } from "../gateway/gatewayConfig";
import { gatewayPermissionLayout } from "../gateway/gatewayPolicies";
import { PermissionLayout } from "../iam/permissionLayout";
import { ServiceRoleSpec } from "../serviceRoles/serviceRoleConfig";
import { serviceRolePermissionLayout, serviceRolePermissionsIssue } from "../serviceRoles/serviceRolePolicies";
import { StackConfig } from "./stackConfig";

export interface StackPermissions {
    /** Each gateway's layout, by its validated entry. */
    readonly gateways: ReadonlyMap<GatewaySpec, PermissionLayout>;
    /** Each service role's layout, by its validated entry. */
    readonly serviceRoles: ReadonlyMap<ServiceRoleSpec, PermissionLayout>;
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
    if (issues.length > 0) throw new ConfigValidationError(issues);
    return { gateways, serviceRoles };
}
