/**
 * The IAM policy documents this project writes, as plain typed data.
 *
 * Builders return these values; components serialize them once with `policyJson`. Keeping them
 * as data (not strings, not Outputs) is what lets tests compare exact documents and simulate them.
 */

export type ConditionOperator = "StringEquals" | "StringEqualsIfExists" | "StringLike" | "ArnEquals" | "ArnLike" | "Bool" | "NumericLessThan" | "ForAnyValue:StringEquals" | "ForAllValues:StringEquals" | "StringNotEquals" | "Null";

/** `{ operator: { conditionKey: value(s) } }`, as IAM writes conditions. */
export type PolicyConditions = Readonly<Partial<Record<ConditionOperator, Readonly<Record<string, string | readonly string[]>>>>>;

export type PolicyPrincipal =
    | "*"
    | Readonly<{ AWS?: string | readonly string[]; Service?: string | readonly string[]; Federated?: string | readonly string[] }>;

export interface PolicyStatement {
    readonly Sid: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: PolicyPrincipal;
    readonly Action: string | readonly string[];
    readonly Resource?: string | readonly string[];
    readonly Condition?: PolicyConditions;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/**
 * The conditions of every grant to an AWS service acting for this account (cross-service
 * confused-deputy prevention): the request comes from this account, from a resource matching `sourceArn`.
 */
export function fromSourceIn(accountId: string, sourceArn: string): PolicyConditions {
    return { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": sourceArn } };
}

/** A trust policy that lets one service principal assume the role only for this account's resources matching `sourceArn`. */
export function serviceTrustDocument(sid: string, servicePrincipal: string, accountId: string, sourceArn: string): PolicyDocument {
    return policyDocument([{ Sid: sid, Effect: "Allow", Principal: { Service: servicePrincipal }, Action: "sts:AssumeRole", Condition: fromSourceIn(accountId, sourceArn) }]);
}

/**
 * Serializes a document the way IAM counts it: no whitespace. Reviewers get an indented copy from
 * the offline check; the stored form stays compact so that size limits hold with margin.
 */
export function policyJson(document: PolicyDocument): string {
    return JSON.stringify(document);
}

/** Sorted, de-duplicated copy: documents stay stable when the configuration lists things in another order. */
export function sortedUnique(values: Iterable<string>): string[] {
    return [...new Set(values)].sort();
}
