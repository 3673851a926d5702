/**
 * Usage totals by model, by caller and by day, with estimated cost: from single records (the local
 * engine, streaming: memory grows with the number of distinct models, callers and days, never with
 * the number of records) or from rows already summed by a query engine (Logs Insights, Athena).
 */
import { InvocationRecord, ParsedLine } from "./records";

/** USD per 1,000 tokens. Estimates only: the report says so, and where its prices came from. */
export interface TokenPrice {
    readonly inputPer1k: number;
    readonly outputPer1k: number;
    /** Input tokens read from the prompt cache; undefined when unknown (cost then n/a for calls that read it). */
    readonly cacheReadPer1k?: number;
    /** Input tokens written to the prompt cache; undefined when unknown. */
    readonly cacheWritePer1k?: number;
}

/** Prices by model ID prefix (the longest matching prefix wins); profile prefixes (`eu.`) are ignored. */
export type PriceTable = Readonly<Record<string, TokenPrice>>;

/** Anthropic's prompt cache: reads at a tenth of the input price, writes (5-minute cache) at 1.25 times it. */
const anthropic = (inputPer1k: number, outputPer1k: number): TokenPrice => ({ inputPer1k, outputPer1k, cacheReadPer1k: inputPer1k * 0.1, cacheWritePer1k: inputPer1k * 1.25 });
/** Amazon Nova's prompt cache: reads at a quarter of the input price, writes free. */
const nova = (inputPer1k: number, outputPer1k: number): TokenPrice => ({ inputPer1k, outputPer1k, cacheReadPer1k: inputPer1k * 0.25, cacheWritePer1k: 0 });

/** The built-in table: on-demand list prices in US dollars (us-east-1), the offline fallback. */
export const DEFAULT_PRICES: PriceTable = {
    "anthropic.claude-opus-4": anthropic(0.015, 0.075),
    "anthropic.claude-opus-4-5": anthropic(0.005, 0.025),
    "anthropic.claude-sonnet-4": anthropic(0.003, 0.015),
    "anthropic.claude-3-7-sonnet": anthropic(0.003, 0.015),
    "anthropic.claude-3-5-sonnet": anthropic(0.003, 0.015),
    "anthropic.claude-haiku-4-5": anthropic(0.001, 0.005),
    "anthropic.claude-3-5-haiku": anthropic(0.0008, 0.004),
    "anthropic.claude-3-haiku": { inputPer1k: 0.00025, outputPer1k: 0.00125 },
    "amazon.nova-pro": nova(0.0008, 0.0032),
    "amazon.nova-lite": nova(0.00006, 0.00024),
    "amazon.nova-micro": nova(0.000035, 0.00014),
    "amazon.titan-embed-text": { inputPer1k: 0.00002, outputPer1k: 0 },
    "meta.llama3-3-70b": { inputPer1k: 0.00072, outputPer1k: 0.00072 },
    "mistral.mistral-large": { inputPer1k: 0.002, outputPer1k: 0.006 },
};

const GEOGRAPHY_PREFIX = /^(?:[a-z]{2,8}(?:-[a-z]{2,8})?)\.(?=[a-z0-9-]+\.)/;

export function baseModelId(modelId: string): string {
    const id = modelId.includes("/") ? modelId.slice(modelId.lastIndexOf("/") + 1) : modelId;
    return id.replace(GEOGRAPHY_PREFIX, "");
}

export function priceOf(modelId: string, prices: PriceTable): TokenPrice | undefined {
    const base = baseModelId(modelId);
    let best: string | undefined;
    for (const prefix of Object.keys(prices)) if (base.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
    return best === undefined ? undefined : prices[best];
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
    /** Undefined when some invocation's model (or its cache) has no price. */
    readonly estimatedCostUsd: number | undefined;
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

export interface UsageReport {
    /** The engine that summed the records: `local`, `logs-insights` or `athena`. */
    readonly engine: string;
    readonly from: string | undefined;
    readonly to: string | undefined;
    readonly records: number;
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
    estimatedCostUsd: number | undefined;
}

function emptyTotals(): MutableTotals {
    return { invocations: 0, inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0, estimatedCostUsd: 0 };
}

function addTo(totals: MutableTotals, counts: UsageCounts, cost: number | undefined): void {
    totals.invocations += counts.invocations;
    totals.inputTokens += counts.inputTokens;
    totals.outputTokens += counts.outputTokens;
    totals.cacheReadInputTokens += counts.cacheReadInputTokens;
    totals.cacheWriteInputTokens += counts.cacheWriteInputTokens;
    totals.estimatedCostUsd = totals.estimatedCostUsd === undefined || cost === undefined ? undefined : totals.estimatedCostUsd + cost;
}

export class UsageAggregator {
    private readonly views: Record<UsageView, Map<string, MutableTotals>> = { byModel: new Map(), byIdentity: new Map(), byDay: new Map() };
    private readonly total = emptyTotals();
    private readonly malformedReasons = new Map<string, number>();
    private records = 0;
    private malformed = 0;
    private from: string | undefined;
    private to: string | undefined;

    constructor(
        private readonly prices: PriceTable = DEFAULT_PRICES,
        private readonly priceSource: PriceSource = { kind: "built-in", description: "built-in table (report/aggregate.ts)" },
    ) {}

    get recordCount(): number {
        return this.records;
    }

    /** One log line (the local engine). */
    add(line: ParsedLine): void {
        if (!line.ok) {
            this.malformed += 1;
            this.malformedReasons.set(line.reason, (this.malformedReasons.get(line.reason) ?? 0) + 1);
            return;
        }
        const { record } = line;
        const counts = countsOf(record);
        const cost = costOf(record.modelId, counts, this.prices);
        this.addCounts("byModel", record.modelId, counts, cost);
        this.addCounts("byIdentity", record.identityArn, counts, cost);
        this.addCounts("byDay", record.timestamp.slice(0, 10), counts, cost);
        addTo(this.total, counts, cost);
        this.records += 1;
        this.span(record.timestamp, record.timestamp);
    }

    /** A row summed by a query engine. The total and the record count follow the by-model rows. */
    addRow(view: UsageView, row: UsageRow): void {
        const cost = costOf(row.modelId, row.counts, this.prices);
        this.addCounts(view, row.key, row.counts, cost);
        if (view === "byModel") {
            addTo(this.total, row.counts, cost);
            this.records += row.counts.invocations;
        }
    }

    /** The time range the engine queried (the local engine's is that of its records). */
    span(from: string, to: string): void {
        if (this.from === undefined || from < this.from) this.from = from;
        if (this.to === undefined || to > this.to) this.to = to;
    }

    report(engine: string, truncated?: string): UsageReport {
        const sorted = (map: Map<string, MutableTotals>) => Object.fromEntries([...map].sort(([, a], [, b]) => b.invocations - a.invocations));
        const byDay = Object.fromEntries([...this.views.byDay].sort(([a], [b]) => a.localeCompare(b)));
        return {
            engine,
            from: this.from,
            to: this.to,
            records: this.records,
            malformed: this.malformed,
            malformedReasons: Object.fromEntries(this.malformedReasons),
            byModel: sorted(this.views.byModel),
            byIdentity: sorted(this.views.byIdentity),
            byDay,
            total: { ...this.total },
            prices: this.priceSource,
            ...(truncated ? { truncated } : {}),
        };
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
