import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { policyJson } from "./iamDocument";
import { PermissionLayout } from "./permissionLayout";

/** The IAM name of a managed policy of a layout: fixed, so its ARN is known before it exists. */
export function managedPolicyName(prefix: string, slot: number): string {
    return `${prefix}-${slot}`;
}

/**
 * Writes a permission layout onto a role: the inline policy `<name>`, and managed policies named
 * by their hash slot (`<name>-<slot>`, IAM name `<policyNamePrefix>-<slot>`), so that adding one
 * resource touches only the policy of its slot. Every document is a plain string: known at preview.
 */
export function attachPermissionLayout(
    parent: pulumi.Resource,
    name: string,
    role: pulumi.Input<string>,
    layout: PermissionLayout,
    tags: Record<string, string>,
    policyNamePrefix: string,
): void {
    if (layout.inline) {
        new iam.RolePolicy(name, { role, policy: policyJson(layout.inline) }, { parent });
    }
    for (const managed of layout.managed) {
        const policy = new iam.Policy(
            `${name}-${managed.slot}`,
            {
                name: managedPolicyName(policyNamePrefix, managed.slot),
                description: `Permissions of ${name}, slot ${managed.slot}`,
                policy: policyJson(managed.document),
                tags,
            },
            { parent },
        );
        new iam.RolePolicyAttachment(`${name}-${managed.slot}`, { role, policyArn: policy.arn }, { parent });
    }
}
