/**
 * Which regions each system inference profile geography serves: a profile `<geography>.<model>` can
 * be called only from its source regions, so a stack in another region holds a grant on a profile
 * that does not exist there. From AWS's pages on cross-region inference
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html and
 * https://docs.aws.amazon.com/bedrock/latest/userguide/geographic-cross-region-inference.html): each
 * geography's profiles are called from, and route within, the regions of that geography; `global.`
 * profiles from the commercial regions. The source regions of one profile are a subset of its
 * geography's, varying by model: a region listed here is one the geography can serve, so a refusal
 * is certain, an acceptance is not a promise that the model's profile exists there.
 */
import { ModelReference, parseModelReference } from "../arns/bedrockArns";
import { ConfigIssue, formatPath } from "../config/configValidation";

export interface Geography {
    /** The profile ID prefix: `us`, `eu`, `apac`, ... */
    readonly prefix: string;
    readonly name: string;
    /** Whether a stack in this region can call the geography's profiles. */
    readonly serves: (region: string) => boolean;
    /** The regions, as the documentation table lists them. */
    readonly regions: string;
    /**
     * The same regions as ARN region patterns (`eu-*`): where the geography's profiles route, so
     * where a model reached through one of them may run. `*` for `global.`.
     */
    readonly regionPatterns: readonly string[];
}

const oneOf = (regions: readonly string[]) => (region: string) => regions.includes(region);

/** The commercial partition's regions: not China, GovCloud, ISO or the European Sovereign Cloud. */
function isCommercial(region: string): boolean {
    return !/^(cn|us-gov|us-iso|us-isob|eusc)-/.test(region);
}

export const GEOGRAPHIES: readonly Geography[] = [
    { prefix: "us", name: "United States", serves: (region) => /^us-(east|west)-\d+$/.test(region), regions: "us-east-1, us-east-2, us-west-1, us-west-2", regionPatterns: ["us-east-*", "us-west-*"] },
    { prefix: "us-gov", name: "AWS GovCloud (US)", serves: (region) => region.startsWith("us-gov-"), regions: "us-gov-east-1, us-gov-west-1", regionPatterns: ["us-gov-*"] },
    { prefix: "ca", name: "Canada", serves: (region) => region.startsWith("ca-"), regions: "ca-central-1, ca-west-1", regionPatterns: ["ca-*"] },
    { prefix: "eu", name: "Europe", serves: (region) => region.startsWith("eu-"), regions: "eu-central-1, eu-central-2, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-2, eu-west-3", regionPatterns: ["eu-*"] },
    {
        prefix: "apac",
        name: "Asia Pacific",
        serves: (region) => region.startsWith("ap-") || region === "me-central-1",
        regions: "ap-east-2, ap-northeast-1, ap-northeast-2, ap-northeast-3, ap-south-1, ap-south-2, ap-southeast-1 to ap-southeast-5, ap-southeast-7, me-central-1",
        regionPatterns: ["ap-*", "me-central-1"],
    },
    { prefix: "jp", name: "Japan", serves: oneOf(["ap-northeast-1", "ap-northeast-3"]), regions: "ap-northeast-1, ap-northeast-3", regionPatterns: ["ap-northeast-1", "ap-northeast-3"] },
    { prefix: "au", name: "Australia", serves: oneOf(["ap-southeast-2", "ap-southeast-4"]), regions: "ap-southeast-2, ap-southeast-4", regionPatterns: ["ap-southeast-2", "ap-southeast-4"] },
    { prefix: "global", name: "Global", serves: isCommercial, regions: "every commercial region", regionPatterns: ["*"] },
];

export function geographyOf(prefix: string): Geography | undefined {
    return GEOGRAPHIES.find((geography) => geography.prefix === prefix);
}

/** The geographies whose profiles a stack in `region` can call, by prefix. */
export function geographiesServing(region: string): string[] {
    return GEOGRAPHIES.filter((geography) => geography.serves(region)).map((geography) => geography.prefix);
}

/** Keys whose lists hold model references, wherever they appear in the configuration. */
const MODEL_LIST_KEYS: ReadonlySet<string> = new Set(["models", "embeddingModels"]);

/** The region a profile is called in: its ARN's, or the stack's for a profile ID. */
function profileRegion(model: Extract<ModelReference, { kind: "inference-profile" }>, stackRegion: string): string {
    return model.arn ? model.arn.split(":")[3] : stackRegion;
}

/** Every model list under `value`, with its path, as written. */
function modelLists(value: unknown, path: PropertyKey[], found: { path: PropertyKey[]; text: string }[]): void {
    if (Array.isArray(value)) {
        value.forEach((item, index) => modelLists(item, [...path, index], found));
        return;
    }
    if (value === null || typeof value !== "object") return;
    for (const [key, item] of Object.entries(value)) {
        if (MODEL_LIST_KEYS.has(key) && Array.isArray(item)) {
            item.forEach((text, index) => {
                if (typeof text === "string") found.push({ path: [...path, key, index], text });
            });
        } else {
            modelLists(item, [...path, key], found);
        }
    }
}

/**
 * Every listed profile whose geography does not serve the region it would be called in (the stack's,
 * or its ARN's). A prefix not in the table (a geography AWS adds later) is not judged.
 */
export function geographyIssues(rawValues: Readonly<Record<string, unknown>>, stackRegion: string): ConfigIssue[] {
    const found: { path: PropertyKey[]; text: string }[] = [];
    for (const [key, value] of Object.entries(rawValues)) modelLists(value, [key], found);
    return found.flatMap(({ path, text }) => {
        const parsed = parseModelReference(text);
        if (!parsed.ok || parsed.value.kind !== "inference-profile") return [];
        const geography = geographyOf(parsed.value.geography);
        const region = profileRegion(parsed.value, stackRegion);
        if (!geography || geography.serves(region)) return [];
        const serving = geographiesServing(region);
        const where = parsed.value.arn ? `its ARN's region ${region}` : `the stack's region ${region}`;
        return [
            {
                path: formatPath(path),
                value: JSON.stringify(text),
                rule:
                    `is a ${geography.name} (${geography.prefix}.) profile, called only from ${geography.regions}, not from ${where}: ` +
                    (serving.length > 0 ? `use a profile of ${serving.map((prefix) => `${prefix}.`).join(" or ")} (or the model ID), or deploy the stack in a region the profile serves` : "use the model ID, or deploy the stack in a region the profile serves"),
            },
        ];
    });
}
