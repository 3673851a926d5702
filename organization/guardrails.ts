/** The fleet's stack files to the organisation's SCPs: shared by `npm run org-guardrails` and the organization project. */
import { fleetApprovals } from "../components/organization/fleetApprovals";
import { GuardrailLayout, GuardrailRoles, ServiceControlPolicy, SCP_MAX_CHARACTERS, guardrailStatements, layOutGuardrails, scpSize } from "../components/organization/guardrailPolicies";
import { invocationCatalog } from "../components/organization/invocationCatalog";
import { readStackApprovals } from "./fleetStackFiles";

export interface OrganizationGuardrails {
    readonly layout: GuardrailLayout;
    /** Each statement's reason, by Sid. */
    readonly reasons: ReadonlyMap<string, string>;
}

/** Reads and validates every stack file (throwing `StackFileError` for the first bad one), then lays out the SCPs. */
export async function organizationGuardrails(stackFiles: readonly string[], roles: GuardrailRoles): Promise<OrganizationGuardrails> {
    const stacks = stackFiles.map(readStackApprovals);
    const fleet = fleetApprovals(stacks);
    const statements = guardrailStatements(fleet, await invocationCatalog(fleet.partition), roles);
    return {
        layout: layOutGuardrails(statements, stacks.length),
        reasons: new Map(statements.map(({ statement, reason }) => [statement.Sid, reason])),
    };
}

/** The SCPs in text: each with its size, then each statement under its reason. */
export function formatGuardrailsText(policies: readonly ServiceControlPolicy[], reasons: ReadonlyMap<string, string>, args: { readonly stackFiles: readonly string[] } & GuardrailRoles): string {
    const admins = args.adminRoleNames.length > 0 ? `; admin role(s) ${args.adminRoleNames.join(", ")}` : "; no admin role";
    const lines = [
        `Service control policies for the organisation, from ${args.stackFiles.length} stack file(s) (${args.stackFiles.join(", ")}); deployment role(s) ${args.deploymentRoleNames.join(", ")}${admins}.`,
        `${policies.length} SCP${policies.length === 1 ? "" : "s"}, Deny statements only: attach ${policies.length === 1 ? "it" : "them"} to the root or the OUs beside FullAWSAccess (pulumi up in organization/ does).`,
    ];
    policies.forEach((policy, index) => {
        lines.push("", `=== SCP ${index + 1} of ${policies.length}: ${policy.name} (${scpSize(policy.document)} of ${SCP_MAX_CHARACTERS} characters as AWS counts them)`, policy.description);
        for (const statement of policy.document.Statement) lines.push("", `# ${statement.Sid}: denies ${reasons.get(statement.Sid) ?? ""}`, JSON.stringify(statement, null, 2));
    });
    return lines.join("\n");
}

/** The one line printed when no admin role guards the deployment roles' names. */
export function unguardedRoleWarning(deploymentRoleNames: readonly string[], setting = "--admin-role-name"): string {
    return `warning: no ${setting} given: the logging exemption for ${deploymentRoleNames.join(", ")} can be taken by whoever may create a role of that name in any account; name the role that runs the bootstrap with ${setting}`;
}
