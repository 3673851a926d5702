/**
 * Prices for the usage report: from the AWS Price List API (`pricing:GetProducts`) when the
 * caller's credentials allow, cached on disk with the day they were fetched; the built-in table is
 * the offline fallback and fills in models the API did not price. The report states which was used.
 */
import { PricingClient, paginateGetProducts } from "@aws-sdk/client-pricing";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { z } from "zod";
import { UsageError } from "../offline/commandLine";
import { DEFAULT_PRICES, PriceSource, PriceTable, TokenPrice } from "./aggregate";

/** Bedrock's offers: Amazon's and open models, and the models sold through AWS Marketplace (Anthropic and others). */
export const PRICE_LIST_SERVICE_CODES = ["AmazonBedrock", "AmazonBedrockFoundationModels"] as const;
import { PRICE_LIST_REGION, PRICE_LIST_TIMEOUT_SECONDS } from "./limits";
export { PRICE_LIST_REGION, PRICE_LIST_TIMEOUT_SECONDS };
/** A cached price list older than this is fetched again. */
export const PRICE_CACHE_DAYS = 7;

/** The Price List's product names of the built-in table's model prefixes (`model`, `titanModel` or `servicename` without "(Amazon Bedrock Edition)"). */
export const PRICE_LIST_NAMES: Readonly<Record<string, string>> = {
    "anthropic.claude-opus-4": "Claude Opus 4",
    "anthropic.claude-opus-4-1": "Claude Opus 4.1",
    "anthropic.claude-opus-4-5": "Claude Opus 4.5",
    "anthropic.claude-opus-4-6": "Claude Opus 4.6",
    "anthropic.claude-sonnet-4": "Claude Sonnet 4",
    "anthropic.claude-sonnet-4-5": "Claude Sonnet 4.5",
    "anthropic.claude-3-7-sonnet": "Claude 3.7 Sonnet",
    "anthropic.claude-3-5-sonnet": "Claude 3.5 Sonnet",
    "anthropic.claude-haiku-4-5": "Claude Haiku 4.5",
    "anthropic.claude-3-5-haiku": "Claude 3.5 Haiku",
    "anthropic.claude-3-haiku": "Claude 3 Haiku",
    "amazon.nova-pro": "Nova Pro",
    "amazon.nova-lite": "Nova Lite",
    "amazon.nova-micro": "Nova Micro",
    "amazon.titan-embed-text-v2": "Titan Text Embeddings V2",
    "meta.llama3-3-70b": "Llama 3.3 70B Instruct",
    "mistral.mistral-large": "Mistral Large",
};

type PriceKind = "inputPer1k" | "outputPer1k" | "cacheReadPer1k" | "cacheWritePer1k";

/** Prices that are not the on-demand, regional, standard price of a token: left out. */
const OTHER_OFFERS = /batch|flex|priority|provisioned|reserved|global|long.?context|1h|custom/i;

const normalizedName = (name: string) => name.replace(/\(Amazon Bedrock Edition\)/i, "").trim().toLowerCase();
const PREFIX_BY_NAME = new Map(Object.entries(PRICE_LIST_NAMES).map(([prefix, name]) => [normalizedName(name), prefix]));

function kindOf(usage: string): PriceKind | undefined {
    if (OTHER_OFFERS.test(usage)) return undefined;
    if (/cache.?read/i.test(usage)) return "cacheReadPer1k";
    if (/cache.?write/i.test(usage)) return "cacheWritePer1k";
    if (/input/i.test(usage)) return "inputPer1k";
    if (/output/i.test(usage)) return "outputPer1k";
    return undefined;
}

/** USD per 1,000 tokens from a price dimension's unit and price; undefined for other units. */
function per1k(unit: string, usd: number): number | undefined {
    if (/^1K tokens$/i.test(unit.trim())) return usd;
    if (/^1M tokens$/i.test(unit.trim())) return usd / 1000;
    return undefined;
}

interface PriceListItem {
    readonly product?: { readonly attributes?: Readonly<Record<string, string>> };
    readonly terms?: { readonly OnDemand?: Readonly<Record<string, { readonly priceDimensions?: Readonly<Record<string, { readonly unit?: string; readonly pricePerUnit?: { readonly USD?: string } }>> }>> };
}

/** The prices the Price List items give, by the built-in table's prefixes (only models it names, only complete input and output prices). */
export function pricesFromPriceList(items: readonly string[]): PriceTable {
    const found = new Map<string, Partial<Record<PriceKind, number>>>();
    for (const text of items) {
        const item = JSON.parse(text) as PriceListItem;
        const attributes = item.product?.attributes ?? {};
        const name = attributes.servicename ?? attributes.model ?? attributes.titanModel;
        const prefix = name === undefined ? undefined : PREFIX_BY_NAME.get(normalizedName(name));
        const kind = kindOf(`${attributes.usagetype ?? ""} ${attributes.inferenceType ?? ""} ${attributes.feature ?? ""}`);
        if (prefix === undefined || kind === undefined) continue;
        for (const term of Object.values(item.terms?.OnDemand ?? {})) {
            for (const dimension of Object.values(term.priceDimensions ?? {})) {
                const price = per1k(dimension.unit ?? "", Number(dimension.pricePerUnit?.USD));
                if (price !== undefined && Number.isFinite(price)) found.set(prefix, { ...found.get(prefix), [kind]: price });
            }
        }
    }
    const table: Record<string, TokenPrice> = {};
    for (const [prefix, prices] of found) {
        if (prices.inputPer1k === undefined || prices.outputPer1k === undefined) continue;
        table[prefix] = { inputPer1k: prices.inputPer1k, outputPer1k: prices.outputPer1k, cacheReadPer1k: prices.cacheReadPer1k, cacheWritePer1k: prices.cacheWritePer1k };
    }
    return table;
}

/** Every Bedrock price item of a region, both offers, page by page. */
export async function fetchPriceList(client: PricingClient, region: string): Promise<string[]> {
    const items: string[] = [];
    for (const serviceCode of PRICE_LIST_SERVICE_CODES) {
        for await (const page of paginateGetProducts({ client }, { ServiceCode: serviceCode, Filters: [{ Type: "TERM_MATCH", Field: "regionCode", Value: region }] })) {
            items.push(...(page.PriceList ?? []));
        }
    }
    return items;
}

interface PriceCacheFile {
    readonly fetched: string;
    readonly region: string;
    readonly prices: PriceTable;
}

export function defaultCacheDir(): string {
    return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "bedrock-access");
}

export interface PriceOptions {
    /** `auto` (cache, then the API, then the built-in table), `builtin`, or a JSON price table's path. */
    readonly mode: string;
    readonly region: string;
    readonly cacheDir: string;
    /** Ignore a fresh cache. */
    readonly refresh: boolean;
    readonly now: Date;
    readonly client?: PricingClient;
}

/** Fills the gaps of the fetched prices from the built-in table: a model the API did not price keeps a price. */
function withBuiltIn(fetched: PriceTable): PriceTable {
    const merged: Record<string, TokenPrice> = { ...DEFAULT_PRICES };
    for (const [prefix, price] of Object.entries(fetched)) {
        const builtIn = DEFAULT_PRICES[prefix];
        merged[prefix] = { ...price, cacheReadPer1k: price.cacheReadPer1k ?? builtIn?.cacheReadPer1k, cacheWritePer1k: price.cacheWritePer1k ?? builtIn?.cacheWritePer1k };
    }
    return merged;
}

const countOf = (table: PriceTable) => Object.keys(table).length;

/** A price table the user names: unreadable or not JSON is their mistake, said in one sentence. */
function readPriceFile(file: string): PriceTable {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new UsageError(`cannot read the price table ${file} (${(error as { code?: string }).code ?? (error as Error).message})`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (error) {
        throw new UsageError(`the price table ${file} is not JSON: ${(error as Error).message}`);
    }
    return validatePriceTable(file, parsed);
}

const USD_PER_1K = z.number("must be a number: US dollars per 1,000 tokens").finite().nonnegative("must not be negative").max(1000, "must be at most 1000 US dollars per 1,000 tokens");

/** One model family's prices: per 1,000 tokens, no other key. */
const tokenPriceSchema = z.strictObject({ inputPer1k: USD_PER_1K, outputPer1k: USD_PER_1K, cacheReadPer1k: USD_PER_1K.optional(), cacheWritePer1k: USD_PER_1K.optional() });

const MODEL_FAMILY = /^[a-z0-9-]+\.[a-z0-9.-]+$/;

/** A family holds dots: it is quoted, so that the path reads as one key and its field. */
const pricePath = (family: string, field?: PropertyKey) => `${JSON.stringify(family)}${field === undefined ? "" : `.${String(field)}`}`;
const shown = (value: unknown) => JSON.stringify(value) ?? "(not set)";

/** The table, or a `UsageError` naming every problem: key path, value and rule. */
export function validatePriceTable(file: string, parsed: unknown): PriceTable {
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new UsageError(`the price table ${file} is invalid: (the table) = ${shown(parsed)}: must be a JSON object of model families to prices`);
    }
    const problems: string[] = [];
    const table: Record<string, TokenPrice> = {};
    for (const [family, value] of Object.entries(parsed as Record<string, unknown>)) {
        if (!MODEL_FAMILY.test(family)) problems.push(`${pricePath(family)} = ${shown(value)}: must be a model family such as anthropic.claude-opus-4-5 (provider.model, no version)`);
        const price = tokenPriceSchema.safeParse(value);
        if (price.success) {
            table[family] = price.data;
            continue;
        }
        for (const issue of price.error.issues) {
            const fields = issue.code === "unrecognized_keys" ? issue.keys : [issue.path[0]];
            for (const field of fields) {
                const at = field === undefined ? value : (value as Record<PropertyKey, unknown>)[field as PropertyKey];
                const rule = issue.code === "unrecognized_keys" ? "unknown key: a price has inputPer1k, outputPer1k, cacheReadPer1k and cacheWritePer1k" : field === undefined ? "must be an object of prices per 1,000 tokens" : issue.message;
                problems.push(`${pricePath(family, field)} = ${shown(at)}: ${rule}`);
            }
        }
    }
    if (problems.length > 0) throw new UsageError(`the price table ${file} is invalid: ${problems.join("; ")}`);
    if (Object.keys(table).length === 0) throw new UsageError(`the price table ${file} prices no model: give at least one model family`);
    return table;
}

/** The cached price list, or undefined when there is none or it cannot be read (it is then fetched again). */
function readCache(file: string): PriceCacheFile | undefined {
    try {
        const cached = JSON.parse(fs.readFileSync(file, "utf8")) as PriceCacheFile;
        return typeof cached.fetched === "string" && typeof cached.region === "string" && cached.prices !== null && typeof cached.prices === "object" ? cached : undefined;
    } catch {
        return undefined;
    }
}

/** The report's prices and what it says of them. Never fails for want of the API: it falls back, and says why. */
export async function loadPrices(options: PriceOptions): Promise<{ readonly prices: PriceTable; readonly source: PriceSource }> {
    if (options.mode === "builtin") return { prices: DEFAULT_PRICES, source: { kind: "built-in", description: "built-in table (report/aggregate.ts)" } };
    if (options.mode !== "auto") return { prices: readPriceFile(options.mode), source: { kind: "file", description: `price table ${options.mode}` } };
    const cacheFile = path.join(options.cacheDir, `bedrock-prices-${options.region}.json`);
    const cached = options.refresh ? undefined : readCache(cacheFile);
    if (cached) {
        const ageDays = (options.now.getTime() - Date.parse(cached.fetched)) / 86400_000;
        if (cached.region === options.region && ageDays < PRICE_CACHE_DAYS) {
            return {
                prices: withBuiltIn(cached.prices),
                source: { kind: "price-list-cache", description: `AWS Price List API, ${options.region}, fetched ${cached.fetched.slice(0, 10)} (cached in ${cacheFile}) for ${countOf(cached.prices)} model(s); built-in table for the rest` },
            };
        }
    }
    try {
        const fetched = pricesFromPriceList(await fetchPriceList(options.client ?? new PricingClient({ region: PRICE_LIST_REGION }), options.region));
        // An answer that names none of the table's models is not a price list to trust (nor to cache for a week).
        if (countOf(fetched) === 0) {
            return { prices: DEFAULT_PRICES, source: { kind: "built-in", description: `built-in table (report/aggregate.ts): the Price List API named none of its models in ${options.region}` } };
        }
        fs.mkdirSync(options.cacheDir, { recursive: true });
        const file: PriceCacheFile = { fetched: options.now.toISOString(), region: options.region, prices: fetched };
        fs.writeFileSync(cacheFile, `${JSON.stringify(file, null, 2)}\n`);
        return {
            prices: withBuiltIn(fetched),
            source: { kind: "price-list-api", description: `AWS Price List API, ${options.region}, fetched ${options.now.toISOString().slice(0, 10)} for ${countOf(fetched)} model(s); built-in table for the rest` },
        };
    } catch (error) {
        const reason = (error as Error).name === "CredentialsProviderError" ? "no AWS credentials" : `${(error as Error).name}: ${(error as Error).message.split("\n")[0]}`;
        return { prices: DEFAULT_PRICES, source: { kind: "built-in", description: `built-in table (report/aggregate.ts): the Price List API was not reachable (${reason})` } };
    }
}
