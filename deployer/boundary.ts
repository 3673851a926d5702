/**
 * The stack's permissions boundary as the deployer reads it from what the program registers: the
 * ARN every role carries, and the document `permissionsBoundaryDocument` builds from the permission
 * documents of the stack's roles (their inline policies and the stack's managed policies attached
 * to them). The bootstrap program creates that document under that ARN.
 */
import { AwsLocation } from "../components/arns/bedrockArns";
import { PolicyDocument } from "../components/iam/iamDocument";
import { keyGrantsToRoles, permissionsBoundaryDocument } from "../components/iam/permissionsBoundary";
import { DeployedResource } from "./deployerPolicy";

export interface StackBoundary {
    /** The boundary every role of the stack carries; null with `permissionsBoundary: none`. */
    readonly arn: string | null;
    /** The most any role of the stack may do; null with `none`. */
    readonly document: PolicyDocument | null;
}

const documentOf = (resource: DeployedResource): PolicyDocument => {
    const policy = resource.properties.policy;
    if (typeof policy !== "string") throw new Error(`${resource.type} ${resource.name}: its policy is not known`);
    return JSON.parse(policy) as PolicyDocument;
};

/** Every permission document the stack writes into a role: inline policies, and its managed policies that it attaches. */
export function stackRoleDocuments(location: AwsLocation, resources: readonly DeployedResource[]): PolicyDocument[] {
    const attached = new Set(resources.filter((resource) => resource.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((resource) => String(resource.properties.policyArn)));
    const inline = resources.filter((resource) => resource.type === "aws:iam/rolePolicy:RolePolicy").map(documentOf);
    const managed = resources
        .filter((resource) => resource.type === "aws:iam/policy:Policy" && [...attached].some((arn) => arn.endsWith(`:policy/${String(resource.properties.name)}`)))
        .map(documentOf);
    // What the stack's own keys grant its roles in their policies: the boundary caps that too.
    const keyPolicies = resources.filter((resource) => resource.type === "aws:kms/key:Key" && typeof resource.properties.policy === "string").map(documentOf);
    return [...inline, ...managed, ...keyGrantsToRoles(location, keyPolicies)];
}

export function stackBoundary(location: AwsLocation, resources: readonly DeployedResource[]): StackBoundary {
    const arns = new Set(
        resources
            .filter((resource) => resource.type === "aws:iam/role:Role")
            .map((role) => role.properties.permissionsBoundary)
            .filter((arn): arn is string => typeof arn === "string" && arn !== ""),
    );
    if (arns.size === 0) return { arn: null, document: null };
    return { arn: [...arns][0], document: permissionsBoundaryDocument(location, stackRoleDocuments(location, resources)) };
}
