/** How verify prints its checks: a table for people, or one JSON document for programs. */
import { CheckResult } from "./checks";

export type ReportFormat = "table" | "json";

/** Where the checks were run: said first, so a wrong account or region shows at once. */
export interface VerifyTarget {
    readonly stack: string;
    readonly accountId: string;
    readonly region: string;
    /** The identity AWS says the credentials are (`GetCallerIdentity`). */
    readonly callerArn: string;
}

export interface VerifyReport {
    readonly target: VerifyTarget;
    readonly results: readonly CheckResult[];
    readonly notVerified: readonly { readonly type: string; readonly count: number }[];
}

/** Passed only when every check passed: a skipped check proves nothing. */
export function reportPassed(results: readonly CheckResult[]): boolean {
    return results.every((result) => result.result === "pass");
}

export function formatTable(report: VerifyReport): string {
    const { target, results } = report;
    const header = { check: "check", subject: "subject", result: "result", detail: "detail" };
    type Row = typeof header;
    const rows = [header, ...results];
    const width = (key: "check" | "subject" | "result") => Math.max(...rows.map((row) => row[key].length));
    const widths = { check: width("check"), subject: width("subject"), result: width("result") };
    const line = (row: Row) =>
        `${row.check.padEnd(widths.check)}  ${row.subject.padEnd(widths.subject)}  ${row.result.padEnd(widths.result)}  ${row.detail}`.trimEnd();
    const count = (outcome: CheckResult["result"]) => results.filter((result) => result.result === outcome).length;
    const lines = [
        `Verifying stack '${target.stack}' in account ${target.accountId}, region ${target.region}, as ${target.callerArn}`,
        "",
        line(header),
        line({ check: "-".repeat(widths.check), subject: "-".repeat(widths.subject), result: "-".repeat(widths.result), detail: "------" }),
        ...results.map(line),
        "",
        `${results.length} checks: ${count("pass")} passed, ${count("fail")} failed, ${count("skipped")} skipped.`,
    ];
    if (report.notVerified.length > 0) {
        lines.push(`Not verified here (registered by the program, not read by verify): ${report.notVerified.map(({ type, count: n }) => `${type} (${n})`).join(", ")}.`);
    }
    lines.push(reportPassed(results) ? "PASSED" : "FAILED");
    return lines.join("\n");
}

export function formatJson(report: VerifyReport): string {
    return JSON.stringify({ ...report.target, passed: reportPassed(report.results), results: report.results, notVerified: report.notVerified }, null, 2);
}
