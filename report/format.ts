/** The usage report as a table, CSV or JSON. */
import { UsageReport, UsageTotals } from "./aggregate";

export type ReportFormat = "table" | "csv" | "json";

const cost = (totals: UsageTotals) => (totals.estimatedCostUsd === undefined ? "n/a" : totals.estimatedCostUsd.toFixed(4));

function rows(report: UsageReport): string[][] {
    const section = (kind: string, entries: Readonly<Record<string, UsageTotals>>) =>
        Object.entries(entries).map(([key, totals]) => [kind, key, String(totals.invocations), String(totals.inputTokens), String(totals.outputTokens), cost(totals)]);
    return [...section("model", report.byModel), ...section("identity", report.byIdentity), ["total", "", String(report.total.invocations), String(report.total.inputTokens), String(report.total.outputTokens), cost(report.total)]];
}

const HEADER = ["by", "key", "invocations", "input tokens", "output tokens", "estimated cost (USD)"];

function csvCell(cell: string): string {
    return /[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

export function formatReport(report: UsageReport, format: ReportFormat): string {
    if (format === "json") return JSON.stringify(report, null, 2);
    const table = [HEADER, ...rows(report)];
    if (format === "csv") return table.map((row) => row.map(csvCell).join(",")).join("\n");
    const widths = HEADER.map((_, column) => Math.max(...table.map((row) => row[column].length)));
    const lines = table.map((row) => row.map((cell, column) => (column >= 2 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join("  "));
    const malformed = Object.entries(report.malformedReasons).map(([reason, count]) => `${count} ${reason}`).join(", ");
    return [
        `Bedrock usage ${report.from ?? "-"} .. ${report.to ?? "-"}: ${report.records} invocations, ${report.malformed} malformed line(s)${malformed ? ` (${malformed})` : ""}`,
        "Costs are estimates from a price table (report/aggregate.ts, or --prices FILE); n/a where a model has no price.",
        ...lines,
    ].join("\n");
}
