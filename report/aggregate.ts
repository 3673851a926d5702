/**
 * Usage totals by model, by caller and by day, with estimated cost: from single records (the local
 * engine, streaming: memory grows with the number of distinct models, callers and days, and with the
 * request IDs counted in the window, which is how a record read twice counts once) or from rows
 * already summed by a query engine (Logs Insights, Athena).
 */
import type { MantleUsage } from "./mantleMetrics";
import { Grouping, dimensionName, valueOf } from "./dimensions";
import { InvocationRecord, ParsedLine, utcDay } from "./records";

/** USD per 1,000 tokens. Estimates only: the report says so, and where its prices came from. */
export interface TokenPrice {
    readonly inputPer1k: number;
    readonly outputPer1k: number;
    /** Input tokens read from the prompt cache; undefined when unknown (cost then n/a for calls that read it). */
    readonly cacheReadPer1k?: number;
    /** Input tokens written to the prompt cache; undefined when unknown. */
    readonly cacheWritePer1k?: number;
}

/** Prices by model family (`anthropic.claude-opus-4-5`): a model is priced by its exact family, never by a prefix; profile prefixes (`eu.`) are ignored. */
export type PriceTable = Readonly<Record<string, TokenPrice>>;

/** Anthropic's prompt cache: reads at a tenth of the input price, writes (5-minute cache) at 1.25 times it. */
const anthropic = (inputPer1k: number, outputPer1k: number): TokenPrice => ({ inputPer1k, outputPer1k, cacheReadPer1k: inputPer1k * 0.1, cacheWritePer1k: inputPer1k * 1.25 });
/** Amazon Nova's prompt cache: reads at a quarter of the input price, writes free. */
const nova = (inputPer1k: number, outputPer1k: number): TokenPrice => ({ inputPer1k, outputPer1k, cacheReadPer1k: inputPer1k * 0.25, cacheWritePer1k: 0 });

/** The built-in table: on-demand list prices in US dollars (us-east-1), the offline fallback. */
export const DEFAULT_PRICES: PriceTable = {
    "anthropic.claude-opus-4": anthropic(0.015, 0.075),
    "anthropic.claude-opus-4-1": anthropic(0.015, 0.075),
    "anthropic.claude-opus-4-5": anthropic(0.005, 0.025),
    "anthropic.claude-opus-4-6": anthropic(0.005, 0.025),
    "anthropic.claude-sonnet-4": anthropic(0.003, 0.015),
    "anthropic.claude-sonnet-4-5": anthropic(0.003, 0.015),
    "anthropic.claude-3-7-sonnet": anthropic(0.003, 0.015),
    "anthropic.claude-3-5-sonnet": anthropic(0.003, 0.015),
    "anthropic.claude-haiku-4-5": anthropic(0.001, 0.005),
    "anthropic.claude-3-5-haiku": anthropic(0.0008, 0.004),
    "anthropic.claude-3-haiku": { inputPer1k: 0.00025, outputPer1k: 0.00125 },
    "amazon.nova-pro": nova(0.0008, 0.0032),
    "amazon.nova-lite": nova(0.00006, 0.00024),
    "amazon.nova-micro": nova(0.000035, 0.00014),
    "amazon.titan-embed-text-v2": { inputPer1k: 0.00002, outputPer1k: 0 },
    "meta.llama3-3-70b": { inputPer1k: 0.00072, outputPer1k: 0.00072 },
    "mistral.mistral-large": { inputPer1k: 0.002, outputPer1k: 0.006 },
};

const GEOGRAPHY_PREFIX = /^(?:[a-z]{2,8}(?:-[a-z]{2,8})?)\.(?=[a-z0-9-]+\.)/;

export function baseModelId(modelId: string): string {
    const id = modelId.includes("/") ? modelId.slice(modelId.lastIndexOf("/") + 1) : modelId;
    return id.replace(GEOGRAPHY_PREFIX, "");
}

/**
 * The names a model ID may be priced under, most specific first: the ID without its `:N` revision,
 * then without its API version (`-v1`), its release date (`-20250514`, `-2402`) and `-instruct`.
 * `anthropic.claude-opus-4-6-v1` is `anthropic.claude-opus-4-6`, never `anthropic.claude-opus-4`.
 */
export function modelFamilies(modelId: string): string[] {
    const names: string[] = [];
    let name = baseModelId(modelId).replace(/:\d+$/, "");
    names.push(name);
    for (const suffix of [/-v\d+$/, /-(?:\d{8}|\d{4})$/, /-instruct$/]) {
        name = name.replace(suffix, "");
        if (!names.includes(name)) names.push(name);
    }
    return names;
}

/** The family a model is priced under, or undefined when the table prices none of its names. */
export function priceFamilyOf(modelId: string, prices: PriceTable): string | undefined {
    return modelFamilies(modelId).find((family) => Object.prototype.hasOwnProperty.call(prices, family));
}

/** Each table's answers by model ID: a model is looked up for every record, its family found once. */
const pricesByModel = new WeakMap<PriceTable, Map<string, TokenPrice | undefined>>();

export function priceOf(modelId: string, prices: PriceTable): TokenPrice | undefined {
    let known = pricesByModel.get(prices);
    if (!known) pricesByModel.set(prices, (known = new Map()));
    if (known.has(modelId)) return known.get(modelId);
    const family = priceFamilyOf(modelId, prices);
    const price = family === undefined ? undefined : prices[family];
    known.set(modelId, price);
    return price;
}

/** What is counted: invocations and the four kinds of token. */
export interface UsageCounts {
    readonly invocations: number;
    readonly inputTokens: number;
    readonly outputTokens: number;
    readonly cacheReadInputTokens: number;
    readonly cacheWriteInputTokens: number;
}

export interface UsageTotals extends UsageCounts {
    /** Undefined when some invocation's model (or its cache) has no price: `pricedCostUsd` is then a lower bound. */
    readonly estimatedCostUsd: number | undefined;
    /** The estimated cost of the invocations that have a price. */
    readonly pricedCostUsd: number;
    /** Invocations whose model (or its prompt cache) has no price: the cost is then at least `pricedCostUsd`. */
    readonly unpricedInvocations: number;
}

/** The estimated cost of counts of one model; undefined when a count has no price. */
export function costOf(modelId: string, counts: UsageCounts, prices: PriceTable): number | undefined {
    const price = priceOf(modelId, prices);
    if (!price) return counts.invocations === 0 ? 0 : undefined;
    const cached = (tokens: number, per1k: number | undefined) => (tokens === 0 ? 0 : per1k === undefined ? undefined : (tokens / 1000) * per1k);
    const cacheRead = cached(counts.cacheReadInputTokens, price.cacheReadPer1k);
    const cacheWrite = cached(counts.cacheWriteInputTokens, price.cacheWritePer1k);
    if (cacheRead === undefined || cacheWrite === undefined) return undefined;
    return (counts.inputTokens / 1000) * price.inputPer1k + (counts.outputTokens / 1000) * price.outputPer1k + cacheRead + cacheWrite;
}

/** Where the report's prices came from, as the report states it. */
export interface PriceSource {
    readonly kind: "price-list-api" | "price-list-cache" | "built-in" | "file";
    /** What the report prints: `AWS Price List API, 2026-11-24 (cached)`. */
    readonly description: string;
}

/** A file (or object) that could not be read to its end: the report is partial. */
export interface UnreadSource {
    readonly source: string;
    readonly reason: string;
    /** The system's code when it could not be opened at all (`ENOENT`, `EISDIR`...). */
    readonly code?: string;
}

export interface UsageReport {
    /** The engine that summed the records: `local`, `logs-insights` or `athena`. */
    readonly engine: string;
    readonly from: string | undefined;
    readonly to: string | undefined;
    /** Invocations counted (each requestId once). */
    readonly records: number;
    /** Records read again (the same requestId) and not counted again. */
    readonly duplicates: number;
    /** Valid records outside the window (`--from`/`--to`/`--days`), not counted. */
    readonly skipped: number;
    /** Files or objects that could not be read (the rest is reported). */
    readonly unreadable: readonly UnreadSource[];
    readonly malformed: number;
    readonly malformedReasons: Readonly<Record<string, number>>;
    readonly byModel: Readonly<Record<string, UsageTotals>>;
    /** By caller (`identity.arn`). */
    readonly byIdentity: Readonly<Record<string, UsageTotals>>;
    /** By UTC day, `YYYY-MM-DD`. */
    readonly byDay: Readonly<Record<string, UsageTotals>>;
    readonly total: UsageTotals;
    readonly prices: PriceSource;
    /** Set when an engine returned fewer rows than exist (Logs Insights stops at 10,000 rows a query). */
    readonly truncated?: string;
    /** What was found about the application inference profiles met (how they were priced); absent when none was met. */
    readonly applicationProfiles?: string;
    /** One entry per `--by`, in the order given; absent without `--by`. */
    readonly groups?: readonly UsageGroup[];
    /** With `--mantle`: bedrock-mantle's calls, which the logs do not hold, from its metrics; absent without it. */
    readonly mantle?: MantleUsage;
}

/** One row of a `--by` section: the dimensions' values, and the totals of the records that have them. */
export interface UsageGroupRow extends UsageTotals {
    /** Each dimension's value by its name (`{"metadata.team": "search", "model": "..."}`). */
    readonly key: Readonly<Record<string, string>>;
}

/** One `--by` section: its name (`metadata.team+model`) and its rows, most invocations first. */
export interface UsageGroup {
    readonly by: string;
    readonly rows: readonly UsageGroupRow[];
}

/** How a report counts beyond the three views. */
export interface AggregatorOptions {
    /** The `--by` groupings; none if not provided. */
    readonly groupings?: readonly Grouping[];
    /** The model a record's `modelId` is priced as (an application inference profile's routed model); itself if not provided. */
    readonly pricedAs?: (modelId: string) => string;
    /** What the report says about application inference profiles, asked when the report is made. */
    readonly describeProfiles?: () => string | undefined;
}

/** One group's values and totals. */
interface GroupTotals {
    readonly values: readonly string[];
    readonly totals: MutableTotals;
}

/** One summed row of a query engine: the counts of one model under one key (a model, a caller or a day). */
export interface UsageRow {
    readonly key: string;
    readonly modelId: string;
    readonly counts: UsageCounts;
}

export type UsageView = "byModel" | "byIdentity" | "byDay";

interface MutableTotals {
    invocations: number;
    inputTokens: number;
    outputTokens: number;
    cacheReadInputTokens: number;
    cacheWriteInputTokens: number;
    pricedCostUsd: number;
    unpricedInvocations: number;
}

function emptyTotals(): MutableTotals {
    return { invocations: 0, inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0, pricedCostUsd: 0, unpricedInvocations: 0 };
}

function addTo(totals: MutableTotals, counts: UsageCounts, cost: number | undefined): void {
    totals.invocations += counts.invocations;
    totals.inputTokens += counts.inputTokens;
    totals.outputTokens += counts.outputTokens;
    totals.cacheReadInputTokens += counts.cacheReadInputTokens;
    totals.cacheWriteInputTokens += counts.cacheWriteInputTokens;
    if (cost === undefined) totals.unpricedInvocations += counts.invocations;
    else totals.pricedCostUsd += cost;
}

function mergeInto(into: MutableTotals, from: MutableTotals): void {
    into.invocations += from.invocations;
    into.inputTokens += from.inputTokens;
    into.outputTokens += from.outputTokens;
    into.cacheReadInputTokens += from.cacheReadInputTokens;
    into.cacheWriteInputTokens += from.cacheWriteInputTokens;
    into.pricedCostUsd += from.pricedCostUsd;
    into.unpricedInvocations += from.unpricedInvocations;
}

function frozenTotals(totals: MutableTotals): UsageTotals {
    return { ...totals, estimatedCostUsd: totals.unpricedInvocations > 0 ? undefined : totals.pricedCostUsd };
}

/** The window of a report: records from `start` (inclusive) to `end` (exclusive), by their own timestamp. */
export interface ReportWindow {
    readonly start: Date;
    readonly end: Date;
}

export class UsageAggregator {
    private readonly views: Record<UsageView, Map<string, MutableTotals>> = { byModel: new Map(), byIdentity: new Map(), byDay: new Map() };
    private readonly total = emptyTotals();
    private readonly malformedReasons = new Map<string, number>();
    private records = 0;
    private malformed = 0;
    private duplicates = 0;
    private skipped = 0;
    private readonly unreadable: UnreadSource[] = [];
    /** The requestIds counted in this run (within the window only). */
    private readonly seen: Set<string>;
    /** With a shared set: the requestIds this aggregator added to it, taken out again if its file fails. */
    private readonly addedIds: string[] = [];
    private readonly sharesSeen: boolean;
    /** Lines that parsed as records (counted, duplicate or outside the window). */
    private validRecords = 0;
    /** The file or object being read: its records count only once it was read to its end. */
    private current: { readonly source: string; readonly pending: UsageAggregator } | undefined;
    private from: string | undefined;
    private to: string | undefined;
    /** The first and last record times read by the local engine (made into text once, in `report`). */
    private firstTime = Infinity;
    private lastTime = -Infinity;
    /** Per `--by` (in order): its groups by their values joined with NUL. */
    private readonly groups: Map<string, GroupTotals>[];
    private readonly groupings: readonly Grouping[];
    private readonly pricedAs: (modelId: string) => string;

    constructor(
        private readonly prices: PriceTable = DEFAULT_PRICES,
        private readonly priceSource: PriceSource = { kind: "built-in", description: "built-in table (report/aggregate.ts)" },
        /** Records outside it are skipped; if not provided, every record counts. */
        private readonly window?: ReportWindow,
        /** The requestIds of the aggregator this one reads a file for, shared (added to as records count). */
        sharedSeen?: Set<string>,
        private readonly options: AggregatorOptions = {},
    ) {
        this.seen = sharedSeen ?? new Set<string>();
        this.sharesSeen = sharedSeen !== undefined;
        this.groupings = options.groupings ?? [];
        this.groups = this.groupings.map(() => new Map());
        this.pricedAs = options.pricedAs ?? ((modelId) => modelId);
    }

    get recordCount(): number {
        return this.records;
    }

    /** One log line (the local engine). */
    add(line: ParsedLine): void {
        if (this.current) {
            this.current.pending.add(line);
            return;
        }
        if (!line.ok) {
            this.malformed += 1;
            this.malformedReasons.set(line.reason, (this.malformedReasons.get(line.reason) ?? 0) + 1);
            return;
        }
        const { record } = line;
        this.validRecords += 1;
        if (this.window && (record.time < this.window.start.getTime() || record.time >= this.window.end.getTime())) {
            this.skipped += 1;
            return;
        }
        if (record.requestId !== undefined) {
            if (this.seen.has(record.requestId)) {
                this.duplicates += 1;
                return;
            }
            this.seen.add(record.requestId);
            if (this.sharesSeen) this.addedIds.push(record.requestId);
        }
        const counts = countsOf(record);
        const cost = costOf(this.pricedAs(record.modelId), counts, this.prices);
        this.addCounts("byModel", record.modelId, counts, cost);
        for (let index = 0; index < this.groupings.length; index++) {
            this.addGroupCounts(index, this.groupings[index].dimensions.map((dimension) => valueOf(dimension, record)), counts, cost);
        }
        this.addCounts("byIdentity", record.identityArn, counts, cost);
        this.addCounts("byDay", utcDay(record.time), counts, cost);
        addTo(this.total, counts, cost);
        this.records += 1;
        if (record.time < this.firstTime) this.firstTime = record.time;
        if (record.time > this.lastTime) this.lastTime = record.time;
    }

    /** A file or object that could not be read to its end. */
    addUnreadable(source: string, reason: string, code?: string): void {
        this.unreadable.push({ source, reason, ...(code ? { code } : {}) });
    }

    /** The lines that follow are one file's or object's, counted once it ends (`endSource`), or not at all (`failSource`). */
    beginSource(source: string): void {
        if (this.current) this.failSource(this.current.source, "not read to its end");
        this.current = { source, pending: new UsageAggregator(this.prices, this.priceSource, this.window, this.seen, this.options) };
    }

    /** The file was read to its end: its records count; a file with no valid record is reported as unreadable (its malformed lines are counted). */
    endSource(source: string): void {
        const current = this.current;
        if (!current || current.source !== source) return;
        this.current = undefined;
        const pending = current.pending;
        for (const [reason, count] of pending.malformedReasons) this.malformedReasons.set(reason, (this.malformedReasons.get(reason) ?? 0) + count);
        this.malformed += pending.malformed;
        if (pending.validRecords === 0) {
            this.addUnreadable(source, pending.malformed === 0 ? "no record: the file is empty" : `no valid record: ${pending.malformed} malformed line(s)`);
            return;
        }
        for (const view of ["byModel", "byIdentity", "byDay"] as const) {
            for (const [key, totals] of pending.views[view]) {
                const into = this.views[view].get(key) ?? emptyTotals();
                mergeInto(into, totals);
                this.views[view].set(key, into);
            }
        }
        for (let index = 0; index < this.groups.length; index++) {
            for (const [id, group] of pending.groups[index]) {
                const into = this.groups[index].get(id);
                if (into) mergeInto(into.totals, group.totals);
                else this.groups[index].set(id, group);
            }
        }
        mergeInto(this.total, pending.total);
        this.records += pending.records;
        this.duplicates += pending.duplicates;
        this.skipped += pending.skipped;
        this.validRecords += pending.validRecords;
        if (pending.from !== undefined && pending.to !== undefined) this.span(pending.from, pending.to);
        this.firstTime = Math.min(this.firstTime, pending.firstTime);
        this.lastTime = Math.max(this.lastTime, pending.lastTime);
    }

    /** The file could not be read to its end: none of its records count, and the report names it. */
    failSource(source: string, reason: string, code?: string): void {
        if (this.current?.source === source) {
            // Its records do not count: neither do their requestIds.
            for (const requestId of this.current.pending.addedIds) this.seen.delete(requestId);
            this.current = undefined;
        }
        this.addUnreadable(source, reason, code);
    }

    /** Duplicates a query engine dropped in its query (records read minus invocations counted). */
    addDuplicates(count: number): void {
        this.duplicates += count;
    }

    /** A row summed by a query engine. The total and the record count follow the by-model rows. */
    addRow(view: UsageView, row: UsageRow): void {
        const cost = costOf(this.pricedAs(row.modelId), row.counts, this.prices);
        this.addCounts(view, row.key, row.counts, cost);
        if (view === "byModel") {
            addTo(this.total, row.counts, cost);
            this.records += row.counts.invocations;
        }
    }

    /**
     * A row of a `--by` grouping summed by a query engine: the values of its dimensions (in the
     * grouping's order) and the counts of one model under them, priced as that model. Rows with the
     * same values (several models under one key) are added together.
     */
    addGroupRow(by: string, values: readonly string[], modelId: string, counts: UsageCounts): void {
        const index = this.groupings.findIndex((grouping) => grouping.by === by);
        if (index === -1) throw new Error(`no --by ${by} in this report`);
        this.addGroupCounts(index, values, counts, costOf(this.pricedAs(modelId), counts, this.prices));
    }

    /** The time range the engine queried (the local engine's is that of its records). */
    span(from: string, to: string): void {
        if (this.from === undefined || from < this.from) this.from = from;
        if (this.to === undefined || to > this.to) this.to = to;
    }

    report(engine: string, truncated?: string): UsageReport {
        if (this.records > 0 && Number.isFinite(this.firstTime)) this.span(new Date(this.firstTime).toISOString(), new Date(this.lastTime).toISOString());
        const entries = (map: Map<string, MutableTotals>) => Array.from(map, ([key, totals]): [string, UsageTotals] => [key, frozenTotals(totals)]);
        const sorted = (map: Map<string, MutableTotals>) => Object.fromEntries(entries(map).sort(([, a], [, b]) => b.invocations - a.invocations));
        const byDay = Object.fromEntries(entries(this.views.byDay).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
        return {
            engine,
            from: this.window ? this.window.start.toISOString() : this.from,
            to: this.window ? this.window.end.toISOString() : this.to,
            records: this.records,
            duplicates: this.duplicates,
            skipped: this.skipped,
            unreadable: [...this.unreadable],
            malformed: this.malformed,
            malformedReasons: Object.fromEntries(this.malformedReasons),
            byModel: sorted(this.views.byModel),
            byIdentity: sorted(this.views.byIdentity),
            byDay,
            total: frozenTotals(this.total),
            prices: this.priceSource,
            ...(truncated ? { truncated } : {}),
            ...this.profileNote(),
            ...(this.groupings.length > 0 ? { groups: this.groupings.map((grouping, index) => groupOf(grouping, this.groups[index])) } : {}),
        };
    }

    private profileNote(): { applicationProfiles?: string } {
        const note = this.options.describeProfiles?.();
        return note === undefined ? {} : { applicationProfiles: note };
    }

    private addGroupCounts(index: number, values: readonly string[], counts: UsageCounts, cost: number | undefined): void {
        const id = values.join("\u0000");
        let group = this.groups[index].get(id);
        if (!group) this.groups[index].set(id, (group = { values, totals: emptyTotals() }));
        addTo(group.totals, counts, cost);
    }

    private addCounts(view: UsageView, key: string, counts: UsageCounts, cost: number | undefined): void {
        const map = this.views[view];
        const totals = map.get(key) ?? emptyTotals();
        addTo(totals, counts, cost);
        map.set(key, totals);
    }
}

function countsOf(record: InvocationRecord): UsageCounts {
    return {
        invocations: 1,
        inputTokens: record.inputTokens,
        outputTokens: record.outputTokens,
        cacheReadInputTokens: record.cacheReadInputTokens,
        cacheWriteInputTokens: record.cacheWriteInputTokens,
    };
}

/** A grouping's rows, most invocations first (then by key, so that equal rows keep one order), with the field order. */
function groupOf(grouping: Grouping, groups: Map<string, GroupTotals>): UsageGroup {
    const names = grouping.dimensions.map(dimensionName);
    const ordered = [...groups].sort(([idA, a], [idB, b]) => b.totals.invocations - a.totals.invocations || (idA < idB ? -1 : idA > idB ? 1 : 0));
    return {
        by: grouping.by,
        rows: ordered.map(([, { values, totals }]) => {
            const frozen = frozenTotals(totals);
            return {
                key: Object.fromEntries(names.map((name, index) => [name, values[index]])),
                invocations: frozen.invocations,
                inputTokens: frozen.inputTokens,
                outputTokens: frozen.outputTokens,
                cacheReadInputTokens: frozen.cacheReadInputTokens,
                cacheWriteInputTokens: frozen.cacheWriteInputTokens,
                estimatedCostUsd: frozen.estimatedCostUsd,
                pricedCostUsd: frozen.pricedCostUsd,
                unpricedInvocations: frozen.unpricedInvocations,
            };
        }),
    };
}
