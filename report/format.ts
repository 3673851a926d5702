/**
 * The usage report as a table, CSV or JSON, written piece by piece (`reportChunks`) so that a
 * report of a million callers never becomes one string: widths are found in one loop over the
 * rows (no spread into `Math.max`), and JSON is written entry by entry.
 */
import { UsageReport, UsageTotals } from "./aggregate";
import type { MantleUsage } from "./mantleMetrics";

export type ReportFormat = "table" | "csv" | "json";

/** A row's cost: the estimate, `n/a` when none of its invocations is priced, `at least` when some are not. */
function cost(totals: UsageTotals): string {
    if (totals.unpricedInvocations === 0) return totals.pricedCostUsd.toFixed(4);
    return totals.unpricedInvocations === totals.invocations ? "n/a" : `at least ${totals.pricedCostUsd.toFixed(4)}`;
}

/** The total's cost: the estimate, or a lower bound that says how many invocations have no price. */
export function totalCost(totals: UsageTotals): string {
    if (totals.unpricedInvocations === 0) return totals.pricedCostUsd.toFixed(4);
    return `at least $${totals.pricedCostUsd.toFixed(4)} (${totals.unpricedInvocations} invocations unpriced)`;
}

const HEADER = ["by", "key", "invocations", "input tokens", "output tokens", "cache read tokens", "cache write tokens", "estimated cost (USD)"];

function row(kind: string, key: string, totals: UsageTotals): string[] {
    return [
        kind,
        key,
        String(totals.invocations),
        String(totals.inputTokens),
        String(totals.outputTokens),
        String(totals.cacheReadInputTokens),
        String(totals.cacheWriteInputTokens),
        kind === "total" ? totalCost(totals) : cost(totals),
    ];
}

/** Every row after the header, made as it is needed. */
function* rows(report: UsageReport): Generator<string[]> {
    for (const [kind, entries] of [
        ["model", report.byModel],
        ["caller", report.byIdentity],
        ["day", report.byDay],
    ] as const) {
        for (const key in entries) yield row(kind, key, entries[key]);
    }
    for (const group of report.groups ?? []) {
        for (const groupRow of group.rows) yield row(group.by, groupKey(groupRow.key), groupRow);
    }
    yield row("total", "", report.total);
}

/** The mantle section's rows for CSV, in the usage columns (`by` = mantle): what the metrics count, or why they were not read. */
function mantleRows(mantle: MantleUsage): string[][] {
    if (!mantle.totals) return [["mantle", `not read: ${mantle.notRead}`, "", "", "", "", "", ""]];
    const { inferences, clientErrors, inputTokens, outputTokens } = mantle.totals;
    return [
        ["mantle", `inferences (${mantle.namespace})`, String(inferences), String(inputTokens), String(outputTokens), "", "", "n/a"],
        ["mantle", `client errors (${mantle.namespace})`, String(clientErrors), "", "", "", "", ""],
    ];
}

/** The mantle section of the table: the metrics' totals, or one sentence saying why they were not read. */
function mantleSection(mantle: MantleUsage): string {
    const title = `bedrock-mantle (${mantle.namespace} metrics, account-wide, hourly sums over the window; not in the invocation logs)`;
    if (!mantle.totals) return `${title}: not read: ${mantle.notRead}`;
    const lines: [string, number][] = [
        ["inferences", mantle.totals.inferences],
        ["client errors", mantle.totals.clientErrors],
        ["input tokens", mantle.totals.inputTokens],
        ["output tokens", mantle.totals.outputTokens],
    ];
    const width = Math.max(...lines.map(([label]) => label.length));
    return [`${title}:`, ...lines.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)].join("\n");
}

/** A `--by` row's key in one cell: its values in the grouping's order, joined by ` | ` (no ARN, day or request metadata value holds a `|`). */
export function groupKey(key: Readonly<Record<string, string>>): string {
    return Object.values(key).join(" | ");
}

function csvCell(cell: string): string {
    return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** The lines above the table: the window, the counts, what was dropped and why, where prices came from. */
export function headline(report: UsageReport): string[] {
    const malformed = Object.entries(report.malformedReasons)
        .map(([reason, count]) => `${count} ${reason}`)
        .join(", ");
    return [
        `Bedrock usage ${report.from ?? "-"} .. ${report.to ?? "-"} (engine ${report.engine}): ${report.records} invocations, ` +
            `${report.duplicates} duplicate(s) dropped, ${report.skipped} record(s) outside the window, ${report.malformed} malformed line(s)${malformed ? ` (${malformed})` : ""}`,
        `Estimated cost: ${report.total.unpricedInvocations === 0 ? "$" : ""}${totalCost(report.total)}. Costs are estimates. Prices: ${report.prices.description}; n/a where a model (or its prompt cache) has no price.`,
        ...(report.unreadable.length > 0 ? [`Partial: ${report.unreadable.length} file(s) could not be read: ${report.unreadable.map((unread) => `${unread.source} (${unread.reason})`).join("; ")}.`] : []),
        ...(report.truncated ? [`Incomplete: ${report.truncated}.`] : []),
        ...(report.applicationProfiles ? [`Application inference profiles: ${report.applicationProfiles}.`] : []),
        ...(report.mantle ? [`${report.mantle.note}.`] : []),
    ];
}

/** JSON, entry by entry: the same document `JSON.stringify` would give, without holding it whole. */
function* jsonChunks(report: UsageReport): Generator<string> {
    const { byModel, byIdentity, byDay, groups, ...rest } = report;
    const head = JSON.stringify(rest, null, 2);
    yield `${head.slice(0, -2)},\n`;
    const views = [
        ["byModel", byModel],
        ["byIdentity", byIdentity],
        ["byDay", byDay],
    ] as const;
    for (const [index, [name, entries]] of views.entries()) {
        yield `  ${JSON.stringify(name)}: {`;
        let first = true;
        for (const key in entries) {
            yield `${first ? "" : ","}\n    ${JSON.stringify(key)}: ${JSON.stringify(entries[key])}`;
            first = false;
        }
        yield `${first ? "" : "\n  "}}${index < views.length - 1 || groups ? "," : ""}\n`;
    }
    if (groups) {
        // Row by row: a grouping by caller or session can hold as many rows as there are callers.
        yield '  "groups": [';
        for (const [index, group] of groups.entries()) {
            yield `${index === 0 ? "" : ","}\n    {\n      "by": ${JSON.stringify(group.by)},\n      "rows": [`;
            for (const [rowIndex, groupRow] of group.rows.entries()) yield `${rowIndex === 0 ? "" : ","}\n        ${JSON.stringify(groupRow)}`;
            yield `${group.rows.length === 0 ? "" : "\n      "}]\n    }`;
        }
        yield `${groups.length === 0 ? "" : "\n  "}]\n`;
    }
    yield "}";
}

/** The report in `format`, as pieces to write one after another (their concatenation is the whole report). */
export function* reportChunks(report: UsageReport, format: ReportFormat): Generator<string> {
    if (format === "json") {
        yield* jsonChunks(report);
        return;
    }
    if (format === "csv") {
        yield HEADER.map(csvCell).join(",");
        for (const cells of rows(report)) yield `\n${cells.map(csvCell).join(",")}`;
        for (const cells of report.mantle ? mantleRows(report.mantle) : []) yield `\n${cells.map(csvCell).join(",")}`;
        return;
    }
    const widths = HEADER.map((cell) => cell.length);
    for (const cells of rows(report)) {
        for (let column = 0; column < cells.length; column++) if (cells[column].length > widths[column]) widths[column] = cells[column].length;
    }
    const line = (cells: readonly string[]) => cells.map((cell, column) => (column >= 2 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join("  ");
    yield headline(report).join("\n");
    yield `\n${line(HEADER)}`;
    for (const cells of rows(report)) yield `\n${line(cells)}`;
    if (report.mantle) yield `\n\n${mantleSection(report.mantle)}`;
}

/** The whole report as one string (small reports, tests); the command writes `reportChunks` as they come. */
export function formatReport(report: UsageReport, format: ReportFormat): string {
    let text = "";
    for (const chunk of reportChunks(report, format)) text += chunk;
    return text;
}
