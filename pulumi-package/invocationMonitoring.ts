import * as pulumi from "@pulumi/pulumi";
import { declareInvocationMonitoring } from "../components/monitoring/invocationMonitoring";
import { DEFAULT_ALARMS, validateMonitoring } from "../components/monitoring/monitoringConfig";
import { ConfigIssue, describeValue } from "../components/config/configValidation";
import { adoptionIssues } from "../components/monitoring/adoption";
import {
    ComponentArgsError,
    PACKAGE_NAME,
    afterValidation,
    awsLocationOf,
    invokeOptionsOf,
    plainArgs,
    quietly,
    relativeToArgs,
    stackWideSettings,
    withPreviousType,
} from "./componentArgs";

/** Which request and response bodies the invocation logs keep. */
export interface LogContentArgs {
    /** Prompts and responses as text. If not provided, true. */
    text?: boolean;
    /** Images. If not provided, false. */
    image?: boolean;
    /** Embeddings. If not provided, false. */
    embedding?: boolean;
    /** Video. If not provided, false. */
    video?: boolean;
}

/** Alarm thresholds (the stack file's `alarms`); each has the stack's default when not provided. */
export interface AlarmArgs {
    /** 5xx errors per 5 minutes. */
    serverErrors?: number;
    /** 4xx errors per 5 minutes. */
    clientErrors?: number;
    /** Throttled calls per 5 minutes. */
    throttles?: number;
    /** p90 invocation latency in milliseconds. */
    latencyP90Ms?: number;
    /** Input plus output tokens per day. */
    dailyTokens?: number;
    /** One alarm set per model as well as account-wide. */
    perModel?: boolean;
    /** Alarm at this share (1 to 100) of a model's tokens-per-minute quota. */
    quotaUsagePercent?: number;
    /**
     * Thresholds switched off: `serverErrors`, `clientErrors`, `throttles`, `latencyP90Ms`,
     * `dailyTokens`, `quotaUsagePercent`. The stack file writes `false` for these; a package schema
     * cannot say `number | false`, so the names are listed here instead. If not provided, none.
     */
    disabled?: string[];
}

/** Resources a previous stack left behind (kept on destroy), taken back on the next update. */
export interface AdoptArgs {
    /** The retained log bucket's name. */
    logBucket?: string;
    /** The retained log group's name. */
    logGroup?: string;
    /** The retained Athena results bucket's name. */
    resultsBucket?: string;
    /** The retained KMS key's ID or ARN. */
    kmsKey?: string;
}

/** A monthly cost budget over the spend that carries its tags. */
export interface BudgetArgs {
    /** The budget's name, unique in the account. */
    name: string;
    /** The monthly limit in US dollars. */
    monthlyLimitUsd: number;
    /** The tags whose spend the budget counts (at least one). */
    costTags: Record<string, string>;
    /** Percents of the limit of actual spend that alert. */
    thresholdsPercent: number[];
    /** A percent of the limit of forecast spend that alerts. If not provided, none. */
    forecastPercent?: number;
}

/** The stack's `monitoring` block, plus the models to watch (the stack derives them from its roles). */
export interface InvocationMonitoringArgs {
    /** Model and profile IDs whose metrics get per-model alarms and dashboard widgets, as Bedrock reports them. If not provided, none. */
    models?: string[];
    /** If not provided, true. */
    enabled?: boolean;
    /** `create` (this stack owns the account's logging configuration in the region) or `existing`. If not provided, `create`. */
    invocationLogging?: string;
    /** Bodies kept in the logs. If not provided, text only. */
    logContent?: LogContentArgs;
    /** With `existing`: the log group the account's logging configuration writes to. */
    existingLogGroup?: string;
    /** With `existing`: the bucket the account's logging configuration writes to. */
    existingBucket?: string;
    /** Retained resources to take back. */
    adopt?: AdoptArgs;
    /** Days CloudWatch Logs keeps the log group's events (a value CloudWatch accepts). If not provided, the stack's default. */
    logRetentionDays?: number;
    /** Days before log objects move to Glacier Flexible Retrieval. If not provided, 90. */
    archiveDays?: number;
    /** Days before log objects are deleted. If not provided, kept. */
    expireDays?: number;
    /** Who the alarms email. If not provided, nobody. */
    alertEmails?: string[];
    /** `create`, `none`, or a KMS key ARN for the logs. If not provided, the stack's default. */
    kmsKey?: string;
    /** Alarm thresholds. */
    alarms?: AlarmArgs;
    /** Service Quotas codes (L-...) of tokens-per-minute quotas by model ID. */
    tokenQuotaCodes?: Record<string, string>;
    /** Model IDs that get no quota alarm: the stack file's `tokenQuotaCodes: { <model>: false }`. If not provided, none. */
    tokenQuotaAlarmsDisabled?: string[];
    /** Saved Athena queries over the logs. If not provided, true. */
    athena?: boolean;
    /** A Contributor Insights rule (top callers by tokens). If not provided, true. */
    contributorInsights?: boolean;
    /** Let destroy delete the logs. If not provided, false: logs survive destroy. */
    deleteLogsOnDestroy?: boolean;
    /** Monthly cost budgets over tagged spend (the stack creates them; they alert through the alert topic). If not provided, none. */
    budgets?: BudgetArgs[];
    /** Activate every cost tag key the stack uses as a cost allocation tag (management account only). If not provided, false. */
    activateCostTags?: boolean;
    /** Chart and alarm on bedrock-mantle's own metrics (`AWS/BedrockMantle`) too: the stack sets it when a gateway calls Mantle. If not provided, false. */
    watchesMantle?: boolean;
    /** Gateways whose application inference profiles the usage readers may read (by their owner tag), to price them. If not provided, none. */
    applicationProfileOwners?: string[];
    /** The ARN of the customer managed policy the logging role carries as its permissions boundary (the stack's `permissionsBoundary`). If not provided, none. */
    permissionsBoundary?: string;
    /** Tags for everything taggable, beside `bedrock-access:monitoring`. If not provided, that tag only. */
    tags?: Record<string, string>;
}

/** The alarm keys the stack file may set to `false`. */
export const SWITCHABLE_ALARMS = [...Object.keys(DEFAULT_ALARMS), "quotaUsagePercent"];

/**
 * The stack file's `monitoring` block from the component's args: `alarms.disabled` and
 * `tokenQuotaAlarmsDisabled` become the `false` values the stack file writes, so the stack's own
 * validation (and its messages) judges the rest. A name listed there and given a value too is refused.
 */
export function monitoringBlockOf(args: Record<string, unknown>): { block: Record<string, unknown>; issues: ConfigIssue[] } {
    const { tokenQuotaAlarmsDisabled, ...block } = args;
    const issues: ConfigIssue[] = [];
    const listed = (value: unknown, path: string): unknown[] => {
        if (value === undefined) return [];
        if (Array.isArray(value)) return value;
        issues.push({ path, value: describeValue(value, false), rule: "must be a list" });
        return [];
    };
    if (block.alarms !== null && typeof block.alarms === "object" && !Array.isArray(block.alarms)) {
        const { disabled, ...alarms } = block.alarms as Record<string, unknown>;
        listed(disabled, "alarms.disabled").forEach((name, index) => {
            const path = `alarms.disabled[${index}]`;
            if (typeof name !== "string" || !SWITCHABLE_ALARMS.includes(name)) issues.push({ path, value: describeValue(name, false), rule: `must be one of ${SWITCHABLE_ALARMS.join(", ")}` });
            else if (alarms[name] !== undefined) issues.push({ path, value: describeValue(name, false), rule: `is also given a value in alarms.${name}: set one or the other` });
            else alarms[name] = false;
        });
        block.alarms = alarms;
    }
    const codes = { ...(block.tokenQuotaCodes !== null && typeof block.tokenQuotaCodes === "object" ? (block.tokenQuotaCodes as Record<string, unknown>) : {}) };
    const disabledModels = listed(tokenQuotaAlarmsDisabled, "tokenQuotaAlarmsDisabled");
    disabledModels.forEach((modelId, index) => {
        const path = `tokenQuotaAlarmsDisabled[${index}]`;
        if (typeof modelId !== "string" || modelId.length === 0) issues.push({ path, value: describeValue(modelId, false), rule: "must be a model ID as Bedrock reports it in metrics" });
        else if (codes[modelId] !== undefined) issues.push({ path, value: describeValue(modelId, false), rule: `is also given a code in tokenQuotaCodes: set one or the other` });
        else codes[modelId] = false;
    });
    if (disabledModels.length > 0) block.tokenQuotaCodes = codes;
    return { block, issues };
}

const TYPE = `${PACKAGE_NAME}:index:InvocationMonitoring`;
/** The token the stack's program registered its monitoring under before it used this class. */
const PREVIOUS_TYPE = "bedrock-access:monitoring:InvocationMonitoring";

async function checkMonitoring(name: string, args: InvocationMonitoringArgs, opts: pulumi.ComponentResourceOptions | undefined) {
    const { models, watchesMantle, applicationProfileOwners, ...resolved } = await plainArgs(args, TYPE, name);
    const location = await awsLocationOf(invokeOptionsOf(opts));
    const { entry, settings, issues } = stackWideSettings(resolved, location.partition);
    if ("iamQuotas" in resolved) issues.push({ path: "iamQuotas", value: "(set)", rule: "unknown key: monitoring's role has no quota to plan" });
    const { block, issues: narrowed } = monitoringBlockOf(entry);
    issues.push(...narrowed);
    const validated = validateMonitoring(block, location.region);
    if (issues.length > 0 || validated.issues.length > 0) throw new ComponentArgsError(TYPE, name, [...relativeToArgs(validated.issues, "monitoring"), ...issues]);
    const monitoring = validated.value;
    if (!monitoring) throw new ComponentArgsError(TYPE, name, [{ path: "enabled", value: "false", rule: "must be true: leave the component out to monitor nothing" }]);
    const adoption = adoptionIssues(monitoring, location, pulumi.getStack());
    if (adoption.length > 0) throw new ComponentArgsError(TYPE, name, relativeToArgs(adoption, "monitoring"));
    const modelIds = [...new Set(Array.isArray(models) ? models.map(String) : [])].sort();
    if (watchesMantle !== undefined && typeof watchesMantle !== "boolean") {
        throw new ComponentArgsError(TYPE, name, [{ path: "watchesMantle", value: describeValue(watchesMantle, false), rule: "must be true or false" }]);
    }
    const profileOwners = Array.isArray(applicationProfileOwners) ? applicationProfileOwners.map(String) : [];
    return { location, monitoring, modelIds, settings, watchesMantle: watchesMantle === true, applicationProfileOwners: profileOwners };
}

/**
 * Every model invocation of the account and region logged (bodies as `logContent` says), kept past
 * destroy, alarmed on and summed up on a dashboard: the stack's `monitoring` block as a component.
 */
export class InvocationMonitoring extends pulumi.ComponentResource {
    /** The invocation log group's name. */
    public readonly logGroupName: pulumi.Output<string>;
    /** The log bucket's name; not set with `existing` and no `existingBucket`. */
    public readonly bucketName: pulumi.Output<string | undefined>;
    /** The alarms' SNS topic. */
    public readonly topicArn: pulumi.Output<string>;
    /** The CloudWatch dashboard's URL. */
    public readonly dashboardUrl: pulumi.Output<string>;
    /** A managed policy to attach to whoever runs the usage report. */
    public readonly usageReaderPolicyArn: pulumi.Output<string>;

    constructor(name: string, args: InvocationMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        const checked = quietly(checkMonitoring(name, args, opts));
        super(TYPE, name, {}, afterValidation(checked, withPreviousType(opts, PREVIOUS_TYPE)));
        const resources = quietly(
            checked.then(({ location, monitoring, modelIds, settings, watchesMantle, applicationProfileOwners }) =>
                declareInvocationMonitoring(this, name, {
                    location,
                    stack: pulumi.getStack(),
                    monitoring,
                    modelIds,
                    watchesMantle,
                    applicationProfileOwners,
                    permissionsBoundary: settings.permissionsBoundary,
                    tags: settings.tags,
                }),
            ),
        );
        this.logGroupName = pulumi.output(resources.then((monitoring) => monitoring.logGroupName));
        this.bucketName = pulumi.output(resources.then((monitoring) => monitoring.bucketName));
        this.topicArn = pulumi.output(resources.then((monitoring) => monitoring.topicArn));
        this.dashboardUrl = pulumi.output(resources.then((monitoring) => monitoring.dashboardUrl));
        this.usageReaderPolicyArn = pulumi.output(resources.then((monitoring) => monitoring.usageReaderPolicyArn));
        this.registerOutputs({ logGroupName: this.logGroupName, bucketName: this.bucketName, topicArn: this.topicArn, dashboardUrl: this.dashboardUrl, usageReaderPolicyArn: this.usageReaderPolicyArn });
    }
}
