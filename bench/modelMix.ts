/**
 * Realistic, distinct model references for capacity tests and benchmarks: Bedrock-style model IDs
 * of several providers, each listed as a foundation model, regional inference profiles of the
 * geographies that serve the stack's region, and a global profile.
 */

import { geographyOf } from "../components/placement/geographies";

const PROVIDERS: readonly { provider: string; family: string }[] = [
    { provider: "anthropic", family: "claude-sonnet" },
    { provider: "anthropic", family: "claude-haiku" },
    { provider: "anthropic", family: "claude-opus" },
    { provider: "amazon", family: "nova-pro" },
    { provider: "amazon", family: "nova-lite" },
    { provider: "meta", family: "llama4-maverick-17b-instruct" },
    { provider: "meta", family: "llama3-3-70b-instruct" },
    { provider: "mistral", family: "pixtral-large" },
    { provider: "cohere", family: "command-r-plus" },
    { provider: "deepseek", family: "r1" },
    { provider: "writer", family: "palmyra-x5" },
    { provider: "qwen", family: "qwen3-coder-480b-a35b" },
];
export const REGIONAL_GEOGRAPHIES: readonly string[] = ["us", "eu", "apac", "jp", "au", "ca", "us-gov"];

/** The n-th distinct foundation model ID, e.g. `anthropic.claude-sonnet-4-20250514-v1:0`. */
export function foundationModelId(index: number): string {
    const { provider, family } = PROVIDERS[index % PROVIDERS.length];
    const generation = Math.floor(index / PROVIDERS.length);
    const date = `2025${String((generation % 12) + 1).padStart(2, "0")}${String((generation % 28) + 1).padStart(2, "0")}`;
    return `${provider}.${family}-${4 + (generation % 3)}-${date}-v${1 + Math.floor(generation / 36)}:0`;
}

/** The region the tests and benchmarks run their stacks in. */
export const MIX_REGION = "eu-west-1";

/**
 * `count` distinct references a stack in `region` accepts: for each base model, the model itself,
 * two regional profiles (the geographies that serve the region, in turn) and the global profile.
 */
export function modelMix(count: number, region: string = MIX_REGION): string[] {
    const geographies = REGIONAL_GEOGRAPHIES.filter((prefix) => geographyOf(prefix)?.serves(region) ?? true);
    // Where fewer than two geographies serve the region, the model invoked directly in another region takes the second profile's place.
    const elsewhere = region === "us-east-1" ? "us-west-2" : "us-east-1";
    const forms = (base: number): string[] => {
        const modelId = foundationModelId(base);
        const geography = (offset: number) => geographies[(2 * base + offset) % geographies.length];
        const second = geographies.length > 1 ? `${geography(1)}.${modelId}` : `arn:aws:bedrock:${elsewhere}::foundation-model/${modelId}`;
        return [modelId, `${geography(0)}.${modelId}`, second, `global.${modelId}`];
    };
    const references: string[] = [];
    for (let base = 0; references.length < count; base++) references.push(...forms(base));
    return references.slice(0, count);
}
