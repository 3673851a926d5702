/**
 * Tokens-per-minute quotas: which Service Quotas quota limits each model the stack watches, and the
 * alarm on `EstimatedTPMQuotaUsage` against it. The quota's value is read at deploy time
 * (`aws.servicequotas.getServiceQuota`), so the alarm follows a raised quota at the next `pulumi up`.
 */
import { AlarmSpec } from "./monitoringPolicies";

/** Service Quotas' service code for Amazon Bedrock. */
export const BEDROCK_QUOTAS_SERVICE_CODE = "bedrock";

/** How a metric model ID is invoked, which decides the quota that limits it. */
export type InferenceKind = "on-demand" | "cross-region" | "global";

/** The quota codes of one base model, by how it is invoked. */
export type ModelQuotaCodes = Readonly<Partial<Record<InferenceKind, string>>>;

/**
 * Built-in quota codes by base model ID prefix (the longest matching prefix wins). Service Quotas'
 * names for these quotas have changed over time ("On-demand model inference tokens per minute for
 * …", "On-demand InvokeModel tokens per minute for …"); their codes have not, so the lookup is by
 * code. AWS does not publish the codes: these were read from copies of the General Reference's
 * quota table (console links carry the code) and public quota lists, mid-2025. A wrong code fails
 * `pulumi preview` with the provider's error naming it; `monitoring.tokenQuotaCodes` overrides a
 * code, or switches one model's quota alarm off. README, "Quota alarms".
 */
export const BUILT_IN_TOKEN_QUOTAS: Readonly<Record<string, ModelQuotaCodes>> = {
    "anthropic.claude-3-haiku": { "on-demand": "L-8CE99163", "cross-region": "L-DCADBC78" },
    "anthropic.claude-3-5-haiku": { "cross-region": "L-4BF37C17" },
    "anthropic.claude-3-5-sonnet-20240620": { "on-demand": "L-A50569E5", "cross-region": "L-479B647F" },
    "anthropic.claude-3-5-sonnet-20241022": { "on-demand": "L-AD41C330", "cross-region": "L-FF8B4E28" },
    "anthropic.claude-3-7-sonnet": { "cross-region": "L-6E888CC2" },
    "anthropic.claude-sonnet-4-20250514": { "cross-region": "L-59759B4A" },
    "anthropic.claude-sonnet-4-5": { "cross-region": "L-F4DDD3EB", global: "L-27C57EE8" },
    "anthropic.claude-haiku-4-5": { "cross-region": "L-58BE175A", global: "L-9A11C666" },
    "anthropic.claude-opus-4-20250514": { "cross-region": "L-29C2B0A3" },
    "amazon.nova-pro": { "on-demand": "L-CE33604C", "cross-region": "L-C0326783" },
    "amazon.nova-lite": { "on-demand": "L-70423BF8", "cross-region": "L-7C42E72A" },
    "amazon.nova-micro": { "on-demand": "L-CFA4FA0D", "cross-region": "L-DC7FF66C" },
    "meta.llama3-3-70b": { "cross-region": "L-0E7AA8B7" },
    "amazon.titan-embed-text-v1": { "on-demand": "L-74B5B793" },
    "amazon.titan-embed-text-v2": { "on-demand": "L-DE641971" },
};

/** A watched model and the quota that limits it. */
export interface TokenQuota {
    /** The ID Bedrock reports metrics under (a profile ID for cross-region calls). */
    readonly modelId: string;
    readonly quotaCode: string;
    /** Whether the code came from `monitoring.tokenQuotaCodes` or the built-in table. */
    readonly source: "configured" | "built-in";
}

const GEOGRAPHY = /^(global|us|us-gov|eu|apac|jp|au|ca)\.(?=[a-z0-9-]+\.)/;

/** How a metric model ID is invoked: a geography prefix marks a cross-region (or global) profile. */
export function inferenceKindOf(modelId: string): { readonly kind: InferenceKind; readonly baseModelId: string } {
    const match = GEOGRAPHY.exec(modelId);
    if (!match) return { kind: "on-demand", baseModelId: modelId };
    return { kind: match[1] === "global" ? "global" : "cross-region", baseModelId: modelId.slice(match[0].length) };
}

/** The quota of each model that has one: a configured code first (`false`: none), then the built-in table. */
export function tokenQuotasOf(
    modelIds: readonly string[],
    configured: Readonly<Record<string, string | false>>,
    builtIn: Readonly<Record<string, ModelQuotaCodes>> = BUILT_IN_TOKEN_QUOTAS,
): TokenQuota[] {
    return modelIds.flatMap((modelId): TokenQuota[] => {
        const configuredCode = configured[modelId];
        if (configuredCode === false) return [];
        if (configuredCode !== undefined) return [{ modelId, quotaCode: configuredCode, source: "configured" }];
        const { kind, baseModelId } = inferenceKindOf(modelId);
        const prefix = Object.keys(builtIn)
            .filter((candidate) => baseModelId.startsWith(candidate))
            .sort((a, b) => b.length - a.length)[0];
        const quotaCode = prefix === undefined ? undefined : builtIn[prefix][kind];
        return quotaCode ? [{ modelId, quotaCode, source: "built-in" }] : [];
    });
}

/**
 * The quota alarm of one model, without its threshold (a share of the quota's value, known at
 * deploy time): estimated tokens per minute, over three minutes in a row.
 */
export function quotaAlarmSpec(quota: TokenQuota, percent: number): Omit<AlarmSpec, "threshold"> & Required<Pick<AlarmSpec, "metric">> {
    return {
        name: `quota-usage-${quota.modelId}`,
        description: `${quota.modelId} estimated tokens per minute at ${percent}% or more of its quota (${quota.quotaCode}), 3 minutes in a row`,
        evaluationPeriods: 3,
        modelId: quota.modelId,
        metric: { metricName: "EstimatedTPMQuotaUsage", period: 60, statistic: "Sum" },
    };
}
