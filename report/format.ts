/** The usage report as a table, CSV or JSON. */
import { UsageReport, UsageTotals } from "./aggregate";

export type ReportFormat = "table" | "csv" | "json";

const cost = (totals: UsageTotals) => (totals.estimatedCostUsd === undefined ? "n/a" : totals.estimatedCostUsd.toFixed(4));

const HEADER = ["by", "key", "invocations", "input tokens", "output tokens", "cache read tokens", "cache write tokens", "estimated cost (USD)"];

function rows(report: UsageReport): string[][] {
    const row = (kind: string, key: string, totals: UsageTotals) => [
        kind,
        key,
        String(totals.invocations),
        String(totals.inputTokens),
        String(totals.outputTokens),
        String(totals.cacheReadInputTokens),
        String(totals.cacheWriteInputTokens),
        cost(totals),
    ];
    const section = (kind: string, entries: Readonly<Record<string, UsageTotals>>) => Object.entries(entries).map(([key, totals]) => row(kind, key, totals));
    return [...section("model", report.byModel), ...section("caller", report.byIdentity), ...section("day", report.byDay), row("total", "", report.total)];
}

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
        `Bedrock usage ${report.from ?? "-"} .. ${report.to ?? "-"} (engine ${report.engine}): ${report.records} invocations, ${report.malformed} malformed line(s)${malformed ? ` (${malformed})` : ""}`,
        `Costs are estimates. Prices: ${report.prices.description}; n/a where a model (or its prompt cache) has no price.`,
        ...(report.truncated ? [`Incomplete: ${report.truncated}.`] : []),
        ...lines,
    ].join("\n");
}
