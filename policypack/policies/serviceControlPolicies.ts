/**
 * Service control policies the stack registers (`aws.organizations.Policy` of type
 * SERVICE_CONTROL_POLICY): guardrails only ever deny, so a statement that allows is a mistake (an
 * SCP's Allow grants nothing and may replace FullAWSAccess's), and AWS Organizations refuses an SCP
 * over 5,120 characters (counted without whitespace) at deployment, after preview said yes.
 */
import { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { normalizePolicyDocument } from "./normalize";

const POLICY_TYPE = "aws:organizations/policy:Policy";
const SERVICE_CONTROL_POLICY = "SERVICE_CONTROL_POLICY";
/** AWS Organizations' quota on one SCP's size, in characters without whitespace. */
export const SCP_MAX_CHARACTERS = 5120;
/** The SDK's stand-in for a value unknown at preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function sizeWithoutWhitespace(text: string): number {
    let size = 0;
    for (const character of text) if (!/\s/.test(character)) size += 1;
    return size;
}

/** The problems of one `aws.organizations.Policy`'s properties: none for other types, or an SCP that denies only and fits. */
export function serviceControlPolicyProblems(type: string, props: Record<string, unknown>): string[] {
    if (type !== POLICY_TYPE) return [];
    // The provider's default type is SERVICE_CONTROL_POLICY.
    if (props.type !== undefined && props.type !== SERVICE_CONTROL_POLICY) return [];
    const name = typeof props.name === "string" ? ` ${props.name}` : "";
    const content = props.content;
    if (content === UNKNOWN || content === undefined) return [`SCP${name}: its content is unknown at preview: build it from values known before deployment, so that it can be judged.`];
    const text = typeof content === "string" ? content : JSON.stringify(content);
    const document = normalizePolicyDocument(text);
    if (!document.ok) return [`SCP${name}: its content ${document.problem}.`];
    const problems = document.statements
        .filter((statement) => statement.effect !== "deny")
        .map((statement) => `SCP${name}: statement ${statement.label} allows; a guardrail must only deny (an SCP's Allow grants nothing and can widen what FullAWSAccess was replaced to narrow).`);
    const size = sizeWithoutWhitespace(text);
    if (size > SCP_MAX_CHARACTERS) problems.push(`SCP${name} is ${size} characters without whitespace, over the ${SCP_MAX_CHARACTERS} AWS Organizations accepts: split it.`);
    return problems;
}

export const serviceControlPoliciesDenyOnly: ResourceValidationPolicy = {
    name: "scp-deny-only-within-size",
    description: "Checks whether every service control policy the stack registers holds Deny statements only and fits AWS Organizations' 5,120 characters.",
    enforcementLevel: "mandatory",
    validateResource: (resource: ResourceValidationArgs, reportViolation: ReportViolation) => {
        for (const problem of serviceControlPolicyProblems(resource.type, resource.props)) reportViolation(problem);
    },
};
