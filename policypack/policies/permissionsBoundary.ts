/**
 * Roles without a permissions boundary. A role the deployer can write into (its policy, its trust)
 * is only as safe as the deployer, unless a boundary caps what the role may ever do: with one, a
 * deployer that rewrites the role still cannot reach IAM, STS, KMS administration or compute that
 * runs with a role. Advisory by default; `--policy-pack-config` can make it mandatory.
 */
import { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";

const ROLE_TYPE = "aws:iam/role:Role";
/** The SDK's stand-in for a value unknown at preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The problem of one role resource's properties; undefined when it carries a boundary (or it is not known yet). */
export function missingBoundaryProblem(type: string, props: Record<string, unknown>): string | undefined {
    if (type !== ROLE_TYPE) return undefined;
    if (props.permissionsBoundary === undefined || props.permissionsBoundary === null || props.permissionsBoundary === "") {
        const name = typeof props.name === "string" ? ` ${props.name}` : "";
        return `Role${name} has no permissions boundary: whoever can write its policies or its trust can give it any permission. Set permissionsBoundary to a customer managed policy that caps it (for a bedrock-access stack, bedrock-access-boundary-<stack>, which the bootstrap program creates).`;
    }
    if (typeof props.permissionsBoundary !== "string" || props.permissionsBoundary === UNKNOWN) return undefined;
    return /^arn:aws[a-z-]*:iam::\d{12}:policy\/.+$/.test(props.permissionsBoundary)
        ? undefined
        : `Role's permissionsBoundary "${props.permissionsBoundary}" is not a customer managed policy of an account: name the stack's boundary policy.`;
}

export const roleHasPermissionsBoundary: ResourceValidationPolicy = {
    name: "iam-role-has-permissions-boundary",
    description: "Checks whether every IAM role the stack registers carries a permissions boundary (a customer managed policy), which caps what the role may do whatever is written into it.",
    enforcementLevel: "advisory",
    validateResource: (resource: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const problem = missingBoundaryProblem(resource.type, resource.props);
        if (problem) reportViolation(problem);
    },
};
