/**
 * What lets an LLM gateway's role invoke AgentCore agents (`gateways[].agentRuntimes`): the invoke
 * actions on exactly the listed runtimes and their endpoints. Kept apart from the AgentCore role
 * builders so the gateway's documents depend on nothing else of this folder.
 */
import { PermissionUnit, StatementTemplate } from "../iam/permissionLayout";

/**
 * HTTP and WebSocket invocation, as the Service Authorization Reference lists them. The `...ForUser`
 * variants are left out: they let the caller name any user ID, with no identity provider's token checked.
 */
export const INVOKE_AGENT_RUNTIME_ACTIONS = ["bedrock-agentcore:InvokeAgentRuntime", "bedrock-agentcore:InvokeAgentRuntimeWithWebSocketStream"] as const;

/** A runtime and every endpoint of it: a call names one of the two, and IAM checks the one it names. */
export function agentRuntimeInvokeResources(runtimeArn: string): string[] {
    return [runtimeArn, `${runtimeArn}/runtime-endpoint/*`];
}

/** One unit per runtime, so adding a runtime changes only the managed policy its hash names. */
export function agentRuntimeInvokeUnits(runtimeArns: readonly string[]): { units: PermissionUnit[]; templates: StatementTemplate[] } {
    const template: StatementTemplate = { sid: "InvokeListedAgentRuntimes", actions: [...INVOKE_AGENT_RUNTIME_ACTIONS] };
    const units = runtimeArns.map((arn) => ({ key: `agent-runtime:${arn}`, grants: [{ template, resources: agentRuntimeInvokeResources(arn) }] }));
    return { units, templates: [template] };
}
