/**
 * The access summary as text (the check's first output), Markdown (a pull-request comment) or JSON
 * (data). One line per grant: who, what, on which resources, under which conditions.
 */
import { AccessCondition, AccessGrant, StackAccess } from "./access";

export type SummaryFormat = "text" | "markdown" | "json";

function conditionText(condition: AccessCondition): string {
    return `${condition.operator} ${condition.key} ${condition.values.join(" | ")}`;
}

/** `bedrock:InvokeModel on arn:a, arn:b when StringEquals k v` (and the principals first in trust and resource policies). */
export function grantText(grant: AccessGrant): string {
    const who = grant.principals.length > 0 ? `${grant.principals.join(", ")}: ` : "";
    const on = grant.resources.length > 0 ? ` on ${grant.resources.join(", ")}` : "";
    const when = grant.conditions.length > 0 ? ` when ${grant.conditions.map(conditionText).join("; ")}` : "";
    return `${grant.effect} ${who}${grant.actions.join(", ")}${on}${when}`;
}

function textSummary(access: StackAccess): string[] {
    const lines = ["Access summary"];
    for (const role of access.roles) {
        lines.push("", `Role ${role.role} (${role.source})`);
        lines.push(role.trust.length > 0 ? "  who may assume it:" : "  who may assume it: not set by this stack");
        for (const grant of role.trust) lines.push(`    ${grantText(grant)}`);
        lines.push("  what it may do:");
        for (const grant of role.grants) lines.push(`    ${grantText(grant)}`);
    }
    if (access.resourcePolicies.length > 0) lines.push("", "Resource policies");
    for (const policy of access.resourcePolicies) {
        lines.push(`  ${policy.resource}`);
        for (const grant of policy.grants) lines.push(`    ${grantText(grant)}`);
    }
    const unattached = access.unattachedPolicies ?? [];
    if (unattached.length > 0) lines.push("", "Managed policies for you to attach (not attached by this stack)");
    for (const policy of unattached) {
        lines.push(`  ${policy.policy}`);
        for (const grant of policy.grants) lines.push(`    ${grantText(grant)}`);
    }
    for (const problem of access.unreadable) lines.push(`  not summarized: ${problem}`);
    if (grantsMantle(access)) lines.push("", MANTLE_NOTE);
    return lines;
}

/** Said wherever the stack grants bedrock-mantle: its calls are watched by metrics only. */
export const MANTLE_NOTE =
    "Note: this stack grants bedrock-mantle. Calls through bedrock-mantle are not in the model invocation logs (which cover bedrock-runtime only): " +
    "not in the usage report or the per-model alarms; the dashboard and alarms read its AWS/BedrockMantle metrics instead.";

/** Whether any role of the stack may call bedrock-mantle. */
export function grantsMantle(access: StackAccess): boolean {
    return access.roles.some((role) => role.grants.some((grant) => grant.effect === "Allow" && grant.actions.some((action) => action.toLowerCase().startsWith("bedrock-mantle:"))));
}

const cell = (text: string) => text.replace(/\|/g, "\\|");
const codeList = (items: readonly string[]) => (items.length === 0 ? "" : items.map((item) => `\`${cell(item)}\``).join("<br>"));

function markdownTable(grants: readonly AccessGrant[]): string[] {
    return [
        "| effect | who | actions | resources | conditions |",
        "| --- | --- | --- | --- | --- |",
        ...grants.map(
            (grant) =>
                `| ${grant.effect} | ${codeList(grant.principals)} | ${codeList(grant.actions)} | ${codeList(grant.resources)} | ${codeList(grant.conditions.map(conditionText))} |`,
        ),
    ];
}

function markdownSummary(access: StackAccess): string[] {
    const lines = ["## Access summary"];
    for (const role of access.roles) {
        lines.push("", `### Role \`${role.role}\``, "", `${role.source}`, "", "Who may assume it:", "");
        lines.push(...(role.trust.length > 0 ? markdownTable(role.trust) : ["(not set by this stack)"]));
        lines.push("", "What it may do:", "", ...markdownTable(role.grants));
    }
    if (access.resourcePolicies.length > 0) lines.push("", "## Resource policies");
    for (const policy of access.resourcePolicies) lines.push("", `### ${policy.resource}`, "", ...markdownTable(policy.grants));
    const unattached = access.unattachedPolicies ?? [];
    if (unattached.length > 0) lines.push("", "## Managed policies for you to attach (not attached by this stack)");
    for (const policy of unattached) lines.push("", `### ${policy.policy}`, "", ...markdownTable(policy.grants));
    if (access.unreadable.length > 0) lines.push("", "Not summarized:", "", ...access.unreadable.map((problem) => `- ${problem}`));
    if (grantsMantle(access)) lines.push("", MANTLE_NOTE);
    return lines;
}

export function formatSummary(access: StackAccess, format: SummaryFormat): string {
    if (format === "json") return JSON.stringify(access, null, 2);
    return (format === "markdown" ? markdownSummary(access) : textSummary(access)).join("\n");
}
