/**
 * Streaming aggregation of invocation records: memory grows with the number of distinct models and
 * callers, never with the number of records.
 */
import { InvocationRecord, ParsedLine } from "./records";

/** USD per 1,000 tokens. Estimates only: the report says so, and a user can pass their own table. */
export interface TokenPrice {
    readonly inputPer1k: number;
    readonly outputPer1k: number;
}

/** Prices by model ID prefix (the longest matching prefix wins); profile prefixes (`eu.`) are ignored. */
export type PriceTable = Readonly<Record<string, TokenPrice>>;

export const DEFAULT_PRICES: PriceTable = {
    "anthropic.claude-opus-4": { inputPer1k: 0.015, outputPer1k: 0.075 },
    "anthropic.claude-sonnet-4": { inputPer1k: 0.003, outputPer1k: 0.015 },
    "anthropic.claude-3-7-sonnet": { inputPer1k: 0.003, outputPer1k: 0.015 },
    "anthropic.claude-3-5-sonnet": { inputPer1k: 0.003, outputPer1k: 0.015 },
    "anthropic.claude-haiku-4-5": { inputPer1k: 0.001, outputPer1k: 0.005 },
    "anthropic.claude-3-5-haiku": { inputPer1k: 0.0008, outputPer1k: 0.004 },
    "anthropic.claude-3-haiku": { inputPer1k: 0.00025, outputPer1k: 0.00125 },
    "amazon.nova-pro": { inputPer1k: 0.0008, outputPer1k: 0.0032 },
    "amazon.nova-lite": { inputPer1k: 0.00006, outputPer1k: 0.00024 },
    "amazon.nova-micro": { inputPer1k: 0.000035, outputPer1k: 0.00014 },
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

export interface UsageTotals {
    invocations: number;
    inputTokens: number;
    outputTokens: number;
    /** Undefined when some invocation's model has no price. */
    estimatedCostUsd: number | undefined;
}

export interface UsageReport {
    readonly from: string | undefined;
    readonly to: string | undefined;
    readonly records: number;
    readonly malformed: number;
    readonly malformedReasons: Readonly<Record<string, number>>;
    readonly byModel: Readonly<Record<string, UsageTotals>>;
    readonly byIdentity: Readonly<Record<string, UsageTotals>>;
    readonly total: UsageTotals;
}

function emptyTotals(): UsageTotals {
    return { invocations: 0, inputTokens: 0, outputTokens: 0, estimatedCostUsd: 0 };
}

function addTo(totals: UsageTotals, record: InvocationRecord, cost: number | undefined): void {
    totals.invocations += 1;
    totals.inputTokens += record.inputTokens;
    totals.outputTokens += record.outputTokens;
    totals.estimatedCostUsd = totals.estimatedCostUsd === undefined || cost === undefined ? undefined : totals.estimatedCostUsd + cost;
}

export class UsageAggregator {
    private readonly byModel = new Map<string, UsageTotals>();
    private readonly byIdentity = new Map<string, UsageTotals>();
    private readonly total = emptyTotals();
    private readonly malformedReasons = new Map<string, number>();
    private records = 0;
    private malformed = 0;
    private from: string | undefined;
    private to: string | undefined;

    constructor(private readonly prices: PriceTable = DEFAULT_PRICES) {}

    get recordCount(): number {
        return this.records;
    }

    add(line: ParsedLine): void {
        if (!line.ok) {
            this.malformed += 1;
            this.malformedReasons.set(line.reason, (this.malformedReasons.get(line.reason) ?? 0) + 1);
            return;
        }
        const { record } = line;
        this.records += 1;
        const price = priceOf(record.modelId, this.prices);
        const cost = price && (record.inputTokens / 1000) * price.inputPer1k + (record.outputTokens / 1000) * price.outputPer1k;
        for (const [map, key] of [[this.byModel, record.modelId], [this.byIdentity, record.identityArn]] as const) {
            const totals = map.get(key) ?? emptyTotals();
            addTo(totals, record, cost);
            map.set(key, totals);
        }
        addTo(this.total, record, cost);
        if (this.from === undefined || record.timestamp < this.from) this.from = record.timestamp;
        if (this.to === undefined || record.timestamp > this.to) this.to = record.timestamp;
    }

    report(): UsageReport {
        const sorted = (map: Map<string, UsageTotals>) => Object.fromEntries([...map].sort(([, a], [, b]) => b.invocations - a.invocations));
        return {
            from: this.from,
            to: this.to,
            records: this.records,
            malformed: this.malformed,
            malformedReasons: Object.fromEntries(this.malformedReasons),
            byModel: sorted(this.byModel),
            byIdentity: sorted(this.byIdentity),
            total: { ...this.total },
        };
    }
}
