/**
 * Access Analyzer's answers as the pack reports them. `ERROR` (a part of the policy does not work)
 * and `SECURITY_WARNING` (access AWS considers overly permissive) findings, and a failed public-access
 * check, are violations; `WARNING` and `SUGGESTION` findings are advice. Pure: types only from the SDK.
 */
import type { CheckNoPublicAccessResponse, Location, PathElement, ValidatePolicyFinding } from "@aws-sdk/client-accessanalyzer";

export type ReportLevel = "violation" | "advisory";

export interface AnalyzerReport {
    readonly level: ReportLevel;
    readonly message: string;
}

const VIOLATION_FINDING_TYPES: ReadonlySet<string> = new Set(["ERROR", "SECURITY_WARNING"]);

function pathElementText(element: PathElement, first: boolean): string {
    if (element.key !== undefined) return first ? element.key : `.${element.key}`;
    if (element.index !== undefined) return `[${element.index}]`;
    if (element.value !== undefined) return ` (value ${JSON.stringify(element.value)})`;
    if (element.substring !== undefined) return ` (characters ${element.substring.start}-${(element.substring.start ?? 0) + (element.substring.length ?? 0)})`;
    return "";
}

/** A location as a path into the document, e.g. `Statement[0].Action[1]`. */
export function locationText(location: Location): string {
    return (location.path ?? []).map((element, index) => pathElementText(element, index === 0)).join("");
}

/** One report per finding, at the document's property and the finding's locations. */
export function validatePolicyReports(property: string, findings: readonly ValidatePolicyFinding[]): AnalyzerReport[] {
    return findings.map((finding) => {
        const locations = (finding.locations ?? []).map(locationText).filter((text) => text !== "");
        const where = locations.length === 0 ? property : `${property} at ${locations.join(", ")}`;
        const details = (finding.findingDetails ?? "").trim();
        const link = finding.learnMoreLink ? ` (${finding.learnMoreLink})` : "";
        return {
            level: VIOLATION_FINDING_TYPES.has(finding.findingType ?? "") ? "violation" : "advisory",
            message: `${where}: Access Analyzer reports ${finding.findingType} ${finding.issueCode}: ${details}${link}`,
        };
    });
}

/** A violation when the check fails (the policy may allow public access), naming each reason's statement. */
export function publicAccessReports(property: string, resourceType: string, response: CheckNoPublicAccessResponse): AnalyzerReport[] {
    if (response.result !== "FAIL") return [];
    const reasons = (response.reasons ?? []).map((reason) => {
        const statement = reason.statementId ?? (reason.statementIndex === undefined ? undefined : `#${reason.statementIndex}`);
        return statement === undefined ? reason.description : `statement ${statement}: ${reason.description}`;
    });
    const because = [response.message, ...reasons].filter((text) => text !== undefined && text !== "").join("; ");
    return [
        {
            level: "violation",
            message:
                `${property}: Access Analyzer finds that it may allow public access to the ${resourceType}${because === "" ? "" : ` (${because})`}: ` +
                "name the principals it admits, or bind them with a condition such as aws:SourceAccount or aws:PrincipalOrgID.",
        },
    ];
}
