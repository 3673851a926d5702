/**
 * IAM Access Analyzer in preview, opt-in (`accessAnalyzer: true` in the configuration of
 * `aws-access-analyzer-findings`). Every document the pack judges goes to `ValidatePolicy`, and
 * trust and resource policies of the types AWS lists to `CheckNoPublicAccess`.
 *
 * Two stack policies, because a violation cannot carry its own enforcement level in @pulumi/policy
 * 1.21: `aws-access-analyzer-findings` (mandatory) reports ERROR and SECURITY_WARNING findings and
 * failed public-access checks; `aws-access-analyzer-advisories` (advisory) reports the rest, and why
 * Access Analyzer could not be asked (no credentials, no region, an AWS error), never failing the
 * preview for that. Stack policies see every resource at once: each distinct document is sent once,
 * and "no credentials" is said once. The SDK is loaded only when the option is on.
 */
import type { AccessAnalyzerClient, CheckNoPublicAccessResponse, ValidatePolicyFinding } from "@aws-sdk/client-accessanalyzer";
import { PolicyConfigSchema, ReportViolation, StackValidationArgs, StackValidationPolicy, UnknownValueError } from "@pulumi/policy";
import { AnalyzerReport, ReportLevel, publicAccessReports, validatePolicyReports } from "./accessAnalyzerFindings";
import { AnalyzerRequest, analyzerRequestsOf, requestKey } from "./accessAnalyzerRequests";

export const ACCESS_ANALYZER_FINDINGS = "aws-access-analyzer-findings";
export const ACCESS_ANALYZER_ADVISORIES = "aws-access-analyzer-advisories";

/** The configuration of `aws-access-analyzer-findings`, as `--policy-pack-config` gives it. */
export interface AccessAnalyzerConfig {
    /** If not provided, false: Access Analyzer is not asked and the SDK is not loaded. */
    readonly accessAnalyzer?: boolean;
    /** If not provided: AWS_REGION, AWS_DEFAULT_REGION, the stack's AWS provider region, then the SDK's profile. */
    readonly region?: string;
}

export const accessAnalyzerConfigSchema: PolicyConfigSchema = {
    properties: {
        accessAnalyzer: { type: "boolean", default: false, description: "Also send every IAM document the pack judges to IAM Access Analyzer." },
        region: { type: "string", description: "The region whose Access Analyzer endpoint is called; if not provided, AWS_REGION, then the stack's AWS provider region." },
    },
};

/** What a stack resource offers here: the fields of @pulumi/policy's `PolicyResource` that are read. */
export interface AnalyzedStackResource {
    readonly type: string;
    readonly urn: string;
    readonly props: Record<string, unknown>;
    readonly provider?: { readonly type: string; readonly props: Record<string, unknown> };
}

/** A report of the whole analysis: about one resource, or (no `urn`) about the preview. */
export interface StackReport {
    readonly level: ReportLevel;
    readonly message: string;
    readonly urn?: string;
}

type Answer =
    | { readonly api: "ValidatePolicy"; readonly findings: readonly ValidatePolicyFinding[] }
    | { readonly api: "CheckNoPublicAccess"; readonly response: CheckNoPublicAccessResponse };

/** Answers by region and request key, held as promises so that concurrent resources share one call. Failures are dropped. */
const answers = new Map<string, Promise<Answer>>();

/** Forgets every answer (tests, and a user who changed their account). */
export function clearAccessAnalyzerCache(): void {
    answers.clear();
}

/** At most this many calls in flight, well inside the API's request rate. */
const CONCURRENT_CALLS = 4;

function limiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
    let active = 0;
    const waiting: (() => void)[] = [];
    return async (task) => {
        while (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
        active++;
        try {
            return await task();
        } finally {
            active--;
            waiting.shift()?.();
        }
    };
}

type AccessAnalyzerSdk = typeof import("@aws-sdk/client-accessanalyzer");

/** The SDK, loaded on first use rather than at the top, so that a pack with the option off never loads it. */
function accessAnalyzerSdk(): AccessAnalyzerSdk {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@aws-sdk/client-accessanalyzer") as AccessAnalyzerSdk;
}

/**
 * Each attempt is bounded (the SDK only warns past its request timeout unless told to throw), with
 * the standard retry's three attempts: a call that never answers fails in under 30 s, an advisory.
 */
function createClient(region: string | undefined): AccessAnalyzerClient {
    const options = { maxAttempts: 3, retryMode: "standard", requestHandler: { connectionTimeout: 5000, requestTimeout: 8000, throwOnRequestTimeout: true } };
    return new (accessAnalyzerSdk().AccessAnalyzerClient)(region === undefined ? options : { region, ...options });
}

async function ask(client: AccessAnalyzerClient, request: AnalyzerRequest): Promise<Answer> {
    const sdk = accessAnalyzerSdk();
    if (request.api === "CheckNoPublicAccess") {
        const response = await client.send(new sdk.CheckNoPublicAccessCommand({ policyDocument: request.policyDocument, resourceType: request.resourceType }));
        return { api: "CheckNoPublicAccess", response };
    }
    const findings: ValidatePolicyFinding[] = [];
    let nextToken: string | undefined;
    do {
        const page = await client.send(
            new sdk.ValidatePolicyCommand({
                policyDocument: request.policyDocument,
                policyType: request.policyType,
                validatePolicyResourceType: request.validatePolicyResourceType,
                nextToken,
            }),
        );
        findings.push(...(page.findings ?? []));
        nextToken = page.nextToken;
    } while (nextToken);
    return { api: "ValidatePolicy", findings };
}

function reportsOf(property: string, request: AnalyzerRequest, answer: Answer): AnalyzerReport[] {
    if (answer.api === "ValidatePolicy") return validatePolicyReports(property, answer.findings);
    return request.api === "CheckNoPublicAccess" ? publicAccessReports(property, request.resourceType, answer.response) : [];
}

function knownString(read: () => unknown): string | undefined {
    try {
        const value = read();
        return typeof value === "string" && value !== "" ? value : undefined;
    } catch (error) {
        if (error instanceof UnknownValueError) return undefined;
        throw error;
    }
}

/** The region to call: the configuration's, AWS_REGION, AWS_DEFAULT_REGION, then the stack's AWS provider's; else the SDK's own. */
export function accessAnalyzerRegion(config: AccessAnalyzerConfig, env: NodeJS.ProcessEnv, resources: readonly AnalyzedStackResource[]): string | undefined {
    if (config.region) return config.region;
    if (env.AWS_REGION) return env.AWS_REGION;
    if (env.AWS_DEFAULT_REGION) return env.AWS_DEFAULT_REGION;
    for (const resource of resources) {
        const provider = resource.provider;
        if (provider?.type !== "pulumi:providers:aws") continue;
        const region = knownString(() => provider.props.region);
        if (region !== undefined) return region;
    }
    return undefined;
}

/** Why a call failed, as one advisory per kind of failure. */
function failureOf(error: unknown): { kind: string; message: (count: number) => string } {
    const name = error instanceof Error ? error.name : "Error";
    const text = error instanceof Error ? error.message : String(error);
    if (name === "CredentialsProviderError") {
        return {
            kind: name,
            message: () =>
                "Access Analyzer was not asked because no AWS credentials were found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) " +
                `for an identity allowed access-analyzer:ValidatePolicy and access-analyzer:CheckNoPublicAccess, or set "accessAnalyzer": false in the ${ACCESS_ANALYZER_FINDINGS} configuration.`,
        };
    }
    if (/region is missing/i.test(text)) {
        return {
            kind: "region",
            message: () => `Access Analyzer was not asked because no AWS region is set: set "region" in the ${ACCESS_ANALYZER_FINDINGS} configuration, or AWS_REGION.`,
        };
    }
    if (name === "TimeoutError") {
        return { kind: name, message: (count) => `Access Analyzer did not answer within its timeout (3 attempts of 8 s) for ${count} document request(s) (${text}); they were not judged by Access Analyzer.` };
    }
    return { kind: name, message: (count) => `Access Analyzer could not check ${count} document request(s) (${name}: ${text}); they were not judged by Access Analyzer.` };
}

/**
 * Asks Access Analyzer about every document of the stack, once per distinct request, and returns
 * what to report. Never throws for AWS's sake: a failed call becomes an advisory.
 */
export async function accessAnalyzerReports(
    resources: readonly AnalyzedStackResource[],
    config: AccessAnalyzerConfig,
    env: NodeJS.ProcessEnv = process.env,
): Promise<StackReport[]> {
    const region = accessAnalyzerRegion(config, env, resources);
    let client: AccessAnalyzerClient | undefined;
    const limit = limiter(CONCURRENT_CALLS);
    const answerFor = (request: AnalyzerRequest): Promise<Answer> => {
        const key = `${region ?? ""} ${requestKey(request)}`;
        let answer = answers.get(key);
        if (answer === undefined) {
            client ??= createClient(region);
            const caller = client;
            answer = limit(() => ask(caller, request));
            answers.set(key, answer);
            answer.catch(() => answers.delete(key));
        }
        return answer;
    };
    const pending = resources.flatMap((resource) =>
        analyzerRequestsOf(resource.type, resource.props).flatMap(({ property, requests }) =>
            requests.map(async (request) => ({ urn: resource.urn, property, request, answer: await answerFor(request) })),
        ),
    );
    const settled = await Promise.allSettled(pending);
    const reports: StackReport[] = [];
    const failures = new Map<string, { message: (count: number) => string; count: number }>();
    for (const outcome of settled) {
        if (outcome.status === "fulfilled") {
            const { urn, property, request, answer } = outcome.value;
            for (const report of reportsOf(property, request, answer)) reports.push({ ...report, urn });
        } else {
            const failure = failureOf(outcome.reason);
            const seen = failures.get(failure.kind);
            failures.set(failure.kind, { message: failure.message, count: (seen?.count ?? 0) + 1 });
        }
    }
    for (const { message, count } of failures.values()) reports.push({ level: "advisory", message: message(count) });
    return reports;
}

/** The advisories of the latest analysis, handed from the findings policy to the advisory one (the SDK runs stack policies in order). */
let pendingAdvisories: { readonly stack: string; readonly reports: readonly StackReport[] } | undefined;

function stackKey(resources: readonly AnalyzedStackResource[]): string {
    return resources
        .map((resource) => resource.urn)
        .sort()
        .join("\n");
}

function report(reportViolation: ReportViolation, stackReport: StackReport): void {
    if (stackReport.urn === undefined) reportViolation(stackReport.message);
    else reportViolation(stackReport.message, stackReport.urn);
}

export const accessAnalyzerFindings: StackValidationPolicy = {
    name: ACCESS_ANALYZER_FINDINGS,
    description:
        "Checks whether IAM Access Analyzer finds errors or security warnings in the stack's IAM documents (ValidatePolicy), or public access " +
        "in its trust and resource policies (CheckNoPublicAccess). Off unless configured with accessAnalyzer: true.",
    enforcementLevel: "mandatory",
    configSchema: accessAnalyzerConfigSchema,
    validateStack: async (args: StackValidationArgs, reportViolation: ReportViolation) => {
        pendingAdvisories = undefined;
        const config = args.getConfig<AccessAnalyzerConfig>();
        if (config.accessAnalyzer !== true) return;
        let reports: StackReport[];
        try {
            reports = await accessAnalyzerReports(args.resources, config);
        } catch (error) {
            reports = [{ level: "advisory", message: `Access Analyzer was not asked because of an unexpected error: ${error instanceof Error ? error.message : String(error)}` }];
        }
        pendingAdvisories = { stack: stackKey(args.resources), reports: reports.filter((stackReport) => stackReport.level === "advisory") };
        for (const violation of reports.filter((stackReport) => stackReport.level === "violation")) report(reportViolation, violation);
    },
};

export const accessAnalyzerAdvisories: StackValidationPolicy = {
    name: ACCESS_ANALYZER_ADVISORIES,
    description:
        "Checks whether IAM Access Analyzer has warnings or suggestions for the stack's IAM documents, and says when it could not be asked " +
        `(no credentials, no region, an AWS error). Runs with ${ACCESS_ANALYZER_FINDINGS} and its accessAnalyzer option.`,
    enforcementLevel: "advisory",
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const advisories = pendingAdvisories;
        pendingAdvisories = undefined;
        if (advisories === undefined || advisories.stack !== stackKey(args.resources)) return;
        for (const advisory of advisories.reports) report(reportViolation, advisory);
    },
};
