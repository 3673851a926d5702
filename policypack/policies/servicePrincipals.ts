/** Policies over what AWS service principals are allowed to do for this account. */
import { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { documentViolations } from "./documentPolicy";
import { NormalizedStatement } from "./normalize";

const BEDROCK_SERVICE = "bedrock.amazonaws.com";
const ACCOUNT_ID = /^\d{12}$/;
const SOURCE_ARN_OPERATORS = new Set(["ArnEquals", "ArnLike", "StringEquals", "StringLike"]);
const LAMBDA_PERMISSION = "aws:lambda/permission:Permission";

/** An ARN whose account segment is one exact account (no wildcard, not empty). */
function hasExactAccount(arn: string): boolean {
    const segments = arn.split(":");
    return segments[0] === "arn" && segments.length >= 6 && ACCOUNT_ID.test(segments[4]);
}

function admitsBedrock(statement: NormalizedStatement): boolean {
    if (statement.effect !== "allow") return false;
    if (statement.notPrincipal) return true;
    return statement.principal?.service.some((service) => service.toLowerCase() === BEDROCK_SERVICE) ?? false;
}

/** Whether the statement pins Bedrock's requests to one account, by `aws:SourceAccount` or `aws:SourceArn`. */
function pinsSourceAccount(statement: NormalizedStatement): boolean {
    return statement.conditions.some(
        (condition) =>
            condition.values.length > 0 &&
            ((condition.key === "aws:sourceaccount" && condition.operator === "StringEquals" && condition.values.every((value) => ACCOUNT_ID.test(value))) ||
                (condition.key === "aws:sourcearn" && SOURCE_ARN_OPERATORS.has(condition.operator) && condition.values.every(hasExactAccount))),
    );
}

export function confusedDeputyProblems(statement: NormalizedStatement): string[] {
    if (!admitsBedrock(statement) || pinsSourceAccount(statement)) return [];
    return [
        `lets ${BEDROCK_SERVICE} act without pinning the calling account: add "Condition": {"StringEquals": {"aws:SourceAccount": "<account>"}} ` +
            `or an aws:SourceArn of that account (no wildcard account, no IfExists form).`,
    ];
}

/** A Lambda permission for Bedrock must name the account or a source ARN of one exact account. */
export function lambdaPermissionProblems(props: Record<string, unknown>): string[] {
    if (String(props.principal ?? "").toLowerCase() !== BEDROCK_SERVICE) return [];
    const sourceAccount = props.sourceAccount;
    const sourceArn = props.sourceArn;
    if (typeof sourceAccount === "string" && ACCOUNT_ID.test(sourceAccount)) return [];
    if (typeof sourceArn === "string" && hasExactAccount(sourceArn)) return [];
    return [`lets ${BEDROCK_SERVICE} invoke the function for any account: set sourceAccount to the account, or sourceArn to a Bedrock ARN of that account.`];
}

export const serviceTrustConfusedDeputy: ResourceValidationPolicy = {
    name: "bedrock-service-trust-confused-deputy",
    description:
        "Checks whether every Allow statement that lets bedrock.amazonaws.com assume a role, write to a bucket, use a key or act on any " +
        "other resource, and every Lambda permission for it, carries aws:SourceAccount or aws:SourceArn with one exact account.",
    enforcementLevel: "mandatory",
    validateResource: async (resource: ResourceValidationArgs, reportViolation: ReportViolation) => {
        if (resource.type === LAMBDA_PERMISSION) {
            for (const message of lambdaPermissionProblems(resource.props)) reportViolation(message);
            return;
        }
        for (const message of await documentViolations(resource.type, resource.props, ["trust", "resource"], confusedDeputyProblems)) {
            reportViolation(message);
        }
    },
};
