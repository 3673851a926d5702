/**
 * Turns a predicate over normalized statements into a CrossGuard resource policy: finds the
 * resource's IAM documents, normalizes them, and reports each violation with the document and
 * statement it is in. An unparseable document is a violation: it is never passed silently.
 */
import { EnforcementLevel, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { DocumentKind, ResourceDocument, documentsOf } from "./documents";
import { NormalizedStatement, normalizePolicyDocument } from "./normalize";

/** Returns one remediation message per problem of the statement; none when it complies. */
export type StatementCheck = (statement: NormalizedStatement, document: ResourceDocument) => readonly string[] | Promise<readonly string[]>;

export interface DocumentPolicyArgs {
    readonly name: string;
    readonly description: string;
    /** The kinds of document this policy judges. */
    readonly kinds: readonly DocumentKind[];
    readonly check: StatementCheck;
    /** If not provided, `mandatory`. Users can override it in the pack's configuration. */
    readonly enforcementLevel?: EnforcementLevel;
}

/** Every violation message for one resource; used by the policy and directly by tests. */
export async function documentViolations(
    type: string,
    props: Record<string, unknown>,
    kinds: readonly DocumentKind[],
    check: StatementCheck,
): Promise<string[]> {
    const messages: string[] = [];
    for (const document of documentsOf(type, props, kinds)) {
        const normalized = normalizePolicyDocument(document.document);
        if (!normalized.ok) {
            messages.push(`${document.property} ${normalized.problem}: write a valid IAM policy document so that it can be checked.`);
            continue;
        }
        for (const statement of normalized.statements) {
            for (const message of await check(statement, document)) {
                messages.push(`${document.property}, statement ${statement.label}: ${message}`);
            }
        }
    }
    return messages;
}

export function documentPolicy(args: DocumentPolicyArgs): ResourceValidationPolicy {
    return {
        name: args.name,
        description: args.description,
        enforcementLevel: args.enforcementLevel ?? "mandatory",
        validateResource: async (resource: ResourceValidationArgs, reportViolation: ReportViolation) => {
            for (const message of await documentViolations(resource.type, resource.props, args.kinds, args.check)) {
                reportViolation(message);
            }
        },
    };
}
