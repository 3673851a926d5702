/**
 * The organization program: run in the organisation's management account (or a delegated
 * administrator for SCPs), it registers the guardrails derived from the fleet's stack files and
 * attaches them to the root or OUs. It validates its configuration and every stack file first, and
 * registers nothing if any fails or the SCPs cannot fit.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigValidationError } from "../components/config/configValidation";
import { OrganizationGuardrails } from "../components/organization/organizationGuardrails";
import { MAIN_PROJECT_DIR, StackFileError } from "./fleetStackFiles";
import { organizationGuardrails, unguardedRoleWarning } from "./guardrails";
import { readOrganizationConfig } from "./organizationConfig";

interface OrganizationOutputs {
    /** Policy name -> SCP ID. */
    readonly policyIds: pulumi.Output<Record<string, string>>;
}

export = async (): Promise<OrganizationOutputs> => {
    const config = readOrganizationConfig();
    let guardrails;
    try {
        guardrails = await organizationGuardrails(
            config.stackFiles.map((file) => path.resolve(MAIN_PROJECT_DIR, file)),
            config,
        );
    } catch (error) {
        if (!(error instanceof StackFileError)) throw error;
        const index = config.stackFiles.findIndex((file) => path.resolve(MAIN_PROJECT_DIR, file) === error.file);
        throw new ConfigValidationError([{ path: `stackFiles[${index}]`, value: JSON.stringify(config.stackFiles[index]), rule: error.message }]);
    }
    if (!guardrails.layout.ok) throw new ConfigValidationError([{ path: "stackFiles", value: JSON.stringify(config.stackFiles), rule: guardrails.layout.problem }]);
    if (config.adminRoleNames.length === 0) void pulumi.log.warn(unguardedRoleWarning(config.deploymentRoleNames, "adminRoleName"));
    const component = new OrganizationGuardrails("bedrock-access-guardrails", { policies: guardrails.layout.policies, targetIds: config.targetIds });
    return { policyIds: component.policyIds };
};
