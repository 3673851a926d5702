/**
 * The `bedrock-access` Pulumi package: four components whose args are the stack configuration's own
 * entries, for a TypeScript program to import and for any language through `pulumi package add`.
 */
export { GatewayAccessRole } from "./gatewayAccessRole";
export type { GatewayAccessRoleArgs } from "./gatewayAccessRole";
export { BedrockServiceRole } from "./bedrockServiceRole";
export type { BedrockServiceRoleArgs } from "./bedrockServiceRole";
export { InvocationMonitoring } from "./invocationMonitoring";
export type { InvocationMonitoringArgs, LogContentArgs, AlarmArgs, AdoptArgs } from "./invocationMonitoring";
export { BedrockPrivateEndpoints } from "./bedrockPrivateEndpoints";
export type { BedrockPrivateEndpointsArgs } from "./bedrockPrivateEndpoints";
