/**
 * Application inference profiles in the logs: a record's `modelId` is then the profile's ARN
 * (`arn:aws:bedrock:<region>:<account>:application-inference-profile/<id>`), which no price names.
 * The report prices it as the model the profile routes to: from the stack's outputs when they say
 * (`--stack-outputs FILE`, the JSON of `pulumi stack output --json`), else from
 * `bedrock:GetInferenceProfile` (its `models[].modelArn`), asked once per profile; else `n/a`.
 */
import type { BedrockClient } from "@aws-sdk/client-bedrock";
import * as fs from "fs";
import { UsageError } from "../offline/commandLine";

/** An application inference profile's ARN; its region is where to ask about it. */
export const APPLICATION_PROFILE_ARN = /^arn:(aws[a-z-]*):bedrock:([a-z0-9-]+):(\d{12}):application-inference-profile\/([a-zA-Z0-9]+)$/;

export function isApplicationProfileArn(modelId: string): boolean {
    return APPLICATION_PROFILE_ARN.test(modelId);
}

/**
 * The model ID of what a profile routes to: a foundation model's ARN (`…:foundation-model/<id>`), a
 * system profile's (`…:inference-profile/us.<id>`), or an ID as written in the stack's configuration.
 */
export function routedModelId(modelArnOrId: string): string {
    const slash = modelArnOrId.lastIndexOf("/");
    return modelArnOrId.startsWith("arn:") && slash !== -1 ? modelArnOrId.slice(slash + 1) : modelArnOrId;
}

/** Application profiles the stack's outputs name: each ARN, with the model it routes to when the outputs say. */
export interface StackProfiles {
    /** Profile ARN -> the routed model ID (from `copyFrom`, `modelArn`, `modelId` or `models[0].modelArn` beside the ARN). */
    readonly models: ReadonlyMap<string, string>;
    /** Every profile ARN the outputs name, routed model known or not. */
    readonly arns: ReadonlySet<string>;
}

type Json = unknown;

/** The routed model an output entry states beside its ARN, if any. */
function statedModel(entry: Record<string, Json>): string | undefined {
    for (const field of ["copyFrom", "modelArn", "modelId"]) {
        if (typeof entry[field] === "string" && entry[field] !== "") return routedModelId(entry[field] as string);
    }
    const models = entry.models;
    if (Array.isArray(models) && models.length > 0 && typeof (models[0] as Record<string, Json>)?.modelArn === "string") return routedModelId((models[0] as Record<string, string>).modelArn);
    return undefined;
}

/**
 * The application profiles of `pulumi stack output --json`: `gateways.<name>.applicationProfiles`
 * maps each profile's name to its ARN (or to an object with `arn` and the routed model). A file that
 * is not that shape is a usage mistake naming the key path.
 */
export function profilesFromStackOutputs(outputs: Json, file = "--stack-outputs"): StackProfiles {
    const models = new Map<string, string>();
    const arns = new Set<string>();
    const fail = (path: string, rule: string) => new UsageError(`${file}: ${path} ${rule}`);
    if (outputs === null || typeof outputs !== "object" || Array.isArray(outputs)) throw fail("(the file)", "must be the JSON object of `pulumi stack output --json`");
    const gateways = (outputs as Record<string, Json>).gateways;
    if (gateways === undefined) return { models, arns };
    if (gateways === null || typeof gateways !== "object" || Array.isArray(gateways)) throw fail("gateways", "must be an object of gateways by name");
    for (const [gateway, value] of Object.entries(gateways as Record<string, Json>)) {
        const profiles = (value as Record<string, Json> | null)?.applicationProfiles;
        if (profiles === undefined) continue;
        if (profiles === null || typeof profiles !== "object" || Array.isArray(profiles)) throw fail(`gateways.${gateway}.applicationProfiles`, "must map profile names to ARNs");
        for (const [name, entry] of Object.entries(profiles as Record<string, Json>)) {
            const path = `gateways.${gateway}.applicationProfiles.${name}`;
            const arn = typeof entry === "string" ? entry : (entry as Record<string, Json> | null)?.arn;
            if (typeof arn !== "string" || !APPLICATION_PROFILE_ARN.test(arn)) throw fail(path, `= ${JSON.stringify(arn ?? entry)} is not an application inference profile ARN`);
            arns.add(arn);
            const model = typeof entry === "string" ? undefined : statedModel(entry as Record<string, Json>);
            if (model !== undefined) models.set(arn, model);
        }
    }
    return { models, arns };
}

/** Reads `--stack-outputs FILE`. */
export function readStackOutputs(file: string): StackProfiles {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new UsageError(`cannot read --stack-outputs ${file} (${(error as { code?: string }).code ?? "error"})`);
    }
    let parsed: Json;
    try {
        parsed = JSON.parse(text);
    } catch {
        throw new UsageError(`--stack-outputs ${file} is not JSON: give the output of pulumi stack output --json`);
    }
    return profilesFromStackOutputs(parsed, file);
}

/** Where a profile's routed model came from. */
type Resolution = { readonly model: string; readonly from: "stack outputs" | "GetInferenceProfile" } | { readonly model: undefined; readonly reason: string };

/**
 * The profiles met in a report and the models they are priced as. `resolve` is asked before a
 * record or row of a profile is counted; `pricedAs` then answers at once.
 */
export class ApplicationProfiles {
    private readonly resolved = new Map<string, Resolution>();

    constructor(
        private readonly stack: StackProfiles = { models: new Map(), arns: new Set() },
        /** A Bedrock client for the profile's region; if not provided, only the stack's outputs are used (no network). */
        private readonly clientFor?: (region: string) => BedrockClient,
    ) {}

    /** True when `modelId` is a profile not yet asked about: `resolve` it before counting. */
    needs(modelId: string): boolean {
        return !this.resolved.has(modelId) && isApplicationProfileArn(modelId);
    }

    /** Finds the routed model of each profile among `modelIds` (once each); a failure leaves that profile unpriced. */
    async resolve(modelIds: Iterable<string>): Promise<void> {
        for (const modelId of modelIds) {
            if (!this.needs(modelId)) continue;
            const stated = this.stack.models.get(modelId);
            if (stated !== undefined) {
                this.resolved.set(modelId, { model: stated, from: "stack outputs" });
                continue;
            }
            if (!this.clientFor) {
                this.resolved.set(modelId, { model: undefined, reason: "not in the stack outputs" });
                continue;
            }
            const region = APPLICATION_PROFILE_ARN.exec(modelId)![2];
            try {
                // Loaded when a profile is met: a report without one never loads the Bedrock client.
                const { GetInferenceProfileCommand } = await import("@aws-sdk/client-bedrock");
                const answer = await this.clientFor(region).send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: modelId }));
                const modelArn = answer.models?.find((model) => typeof model.modelArn === "string")?.modelArn;
                this.resolved.set(modelId, modelArn ? { model: routedModelId(modelArn), from: "GetInferenceProfile" } : { model: undefined, reason: "GetInferenceProfile named no model" });
            } catch (error) {
                const { name = "error", message = "" } = error as { name?: string; message?: string };
                this.resolved.set(modelId, { model: undefined, reason: `GetInferenceProfile: ${name}${message ? `: ${message.split("\n")[0]}` : ""}` });
            }
        }
    }

    /** The model ID a record's `modelId` is priced as: a resolved profile's routed model, else itself. */
    pricedAs(modelId: string): string {
        const resolution = this.resolved.get(modelId);
        return resolution?.model ?? modelId;
    }

    /** What the report says about the profiles it met, or undefined when it met none. */
    describe(): string | undefined {
        if (this.resolved.size === 0) return undefined;
        const priced = [...this.resolved.values()].filter((resolution) => resolution.model !== undefined).length;
        const unresolved = [...this.resolved].filter(([, resolution]) => resolution.model === undefined);
        const sources = [...new Set([...this.resolved.values()].flatMap((resolution) => (resolution.model !== undefined ? [resolution.from] : [])))];
        return (
            `${this.resolved.size} application inference profile(s): ${priced} priced as the model each routes to${sources.length > 0 ? ` (from ${sources.join(" and ")})` : ""}` +
            (unresolved.length > 0 ? `, ${unresolved.length} n/a (${unresolved.map(([arn, resolution]) => `${arn}: ${"reason" in resolution ? resolution.reason : ""}`).join("; ")})` : "")
        );
    }
}
