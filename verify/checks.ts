/**
 * The checks of a deployed stack against what its program writes: roles (trust and permissions,
 * compared by what they grant), IAM's policy simulator on the allow/deny matrix, and the
 * monitoring resources. Each check passes, fails (saying what differs), or is skipped (saying why:
 * a call refused, or what it depends on missing). Only reads.
 */
import { GetModelInvocationLoggingConfigurationCommand } from "@aws-sdk/client-bedrock";
import { DescribeAlarmsCommand, GetDashboardCommand, MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { DescribeLogGroupsCommand, LogGroup } from "@aws-sdk/client-cloudwatch-logs";
import {
    GetPolicyCommand,
    GetPolicyVersionCommand,
    GetRoleCommand,
    GetRolePolicyCommand,
    ListAttachedRolePoliciesCommand,
    ListRolePoliciesCommand,
    SimulatePrincipalPolicyCommand,
} from "@aws-sdk/client-iam";
import { GetBucketEncryptionCommand, GetBucketPolicyCommand, GetBucketVersioningCommand, GetPublicAccessBlockCommand } from "@aws-sdk/client-s3";
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, Subscription } from "@aws-sdk/client-sns";
import { AwsCallTimeout, mapWithConcurrency } from "../offline/awsClientConfig";
import { CannotReachAws, VerifyClients, isAccessDenied, isNotFound, unreachableReason } from "./awsClients";
import { compareDocuments, decodeIamDocument, describeDifference, sameGrants } from "./documentComparison";
import { ExpectedAlarm, ExpectedBucket, ExpectedLoggingDestinations, ExpectedManagedPolicy, ExpectedRole, ExpectedStack, ExpectedTopic, KeyExpectation } from "./expectedStack";
import { RoleSimulation, SimulationCase } from "./simulationCases";

export type CheckOutcome = "pass" | "fail" | "skipped";

/** One simulated request and what IAM answered. */
export interface SimulatedCase extends SimulationCase {
    /** IAM's `EvalDecision`: `allowed`, `explicitDeny` or `implicitDeny`. */
    readonly decision: string;
    readonly matches: boolean;
}

export interface CheckResult {
    /** What is checked: `role trust`, `policy simulation`, `alarm`... */
    readonly check: string;
    /** What it is checked on: a role name, an alarm name, a bucket. */
    readonly subject: string;
    readonly result: CheckOutcome;
    /** Why it failed or was skipped; for a pass, what was compared. */
    readonly detail: string;
    /** For a simulation: every request and its answer. */
    readonly cases?: readonly SimulatedCase[];
}

export const CHECKS = {
    roleTrust: "role trust",
    rolePermissions: "role permissions",
    managedPolicy: "managed policy",
    simulation: "policy simulation",
    logging: "invocation logging",
    loggingDestinations: "invocation logging destinations",
    logGroup: "log group",
    publicAccessBlock: "bucket public access block",
    versioning: "bucket versioning",
    encryption: "bucket encryption",
    bucketPolicy: "bucket policy",
    alarm: "alarm",
    dashboard: "dashboard",
    topicPolicy: "topic policy",
    topicEncryption: "topic encryption",
    subscription: "topic subscription",
} as const;

const pass = (check: string, subject: string, detail: string): CheckResult => ({ check, subject, result: "pass", detail });
const fail = (check: string, subject: string, detail: string): CheckResult => ({ check, subject, result: "fail", detail });
const skipped = (check: string, subject: string, detail: string): CheckResult => ({ check, subject, result: "skipped", detail });

/**
 * Runs one check; an error AWS gives for every call (credentials, network) stops verify, any other
 * (a call refused, an unexpected answer) skips this check, naming the action or the error.
 */
async function attempt(check: string, subject: string, action: string, run: () => Promise<CheckResult | CheckResult[]>): Promise<CheckResult[]> {
    try {
        const result = await run();
        return Array.isArray(result) ? result : [result];
    } catch (error) {
        // A call that never answers stops verify: every other call would wait as long.
        if (error instanceof AwsCallTimeout) throw error;
        const reason = unreachableReason(error);
        if (reason) throw new CannotReachAws(reason);
        const { name = "Error", message = "" } = error as { name?: string; message?: string };
        if (isAccessDenied(error)) return [skipped(check, subject, `not allowed to call ${action} (${name}): give verify the policy --print-policy prints`)];
        return [skipped(check, subject, `${action} failed: ${name}${message ? `: ${message}` : ""}`)];
    }
}

/** Every page of a paginated IAM, CloudWatch, Logs or SNS list. */
async function allPages<Page>(fetch: (token: string | undefined) => Promise<Page>, next: (page: Page) => string | undefined): Promise<Page[]> {
    const pages: Page[] = [];
    let token: string | undefined;
    do {
        const page = await fetch(token);
        pages.push(page);
        token = next(page);
    } while (token);
    return pages;
}

/** What IAM holds of one role: its ARN, trust and every identity document (inline and attached). */
interface DeployedRole {
    readonly arn: string;
    readonly trustPolicy: string;
    /** The boundary the role carries, if any. */
    readonly permissionsBoundary: string | undefined;
}

async function roleChecks(clients: VerifyClients, role: ExpectedRole, found: Map<string, DeployedRole>): Promise<CheckResult[]> {
    const subject = role.roleName;
    let deployed: DeployedRole | undefined;
    const trust = await attempt(CHECKS.roleTrust, subject, "iam:GetRole", async () => {
        try {
            const { Role } = await clients.iam.send(new GetRoleCommand({ RoleName: role.roleName }));
            deployed = { arn: Role!.Arn!, trustPolicy: decodeIamDocument(Role!.AssumeRolePolicyDocument ?? ""), permissionsBoundary: Role!.PermissionsBoundary?.PermissionsBoundaryArn };
        } catch (error) {
            if (isNotFound(error, "NoSuchEntityException", "NoSuchEntity")) return fail(CHECKS.roleTrust, subject, "the role does not exist");
            throw error;
        }
        found.set(role.roleName, deployed);
        if (!role.createdByStack) {
            // The deployer writes into it only while it carries the stack's boundary.
            if (role.permissionsBoundary && deployed.permissionsBoundary !== role.permissionsBoundary) {
                return fail(
                    CHECKS.roleTrust,
                    subject,
                    `an existing role the stack adds permissions to (attachToRole) ${deployed.permissionsBoundary ? `carries the permissions boundary ${deployed.permissionsBoundary}` : "carries no permissions boundary"}, not ${role.permissionsBoundary}: the deployer cannot write its policy. Set it: aws iam put-role-permissions-boundary --role-name ${role.roleName} --permissions-boundary ${role.permissionsBoundary}`,
                );
            }
            return pass(CHECKS.roleTrust, subject, "an existing role the stack adds permissions to (attachToRole): it exists and carries the stack's boundary; its trust is not the stack's");
        }
        const difference = compareDocuments([role.trustPolicy], [deployed.trustPolicy]);
        const externalId = role.trustPolicy?.includes("sts:ExternalId") ? " (the external ID compared as required, not by value: it is a secret)" : "";
        return sameGrants(difference) ? pass(CHECKS.roleTrust, subject, `grants what the program writes${externalId}`) : fail(CHECKS.roleTrust, subject, describeDifference(difference));
    });
    if (!deployed) return [...trust, skipped(CHECKS.rolePermissions, subject, "the role could not be read (see role trust)")];

    const permissions = await attempt(CHECKS.rolePermissions, subject, "iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion", async () => {
        const documents: string[] = [];
        const inlinePages = await allPages(
            (Marker) => clients.iam.send(new ListRolePoliciesCommand({ RoleName: role.roleName, Marker })),
            (page) => (page.IsTruncated ? page.Marker : undefined),
        );
        for (const PolicyName of inlinePages.flatMap((page) => page.PolicyNames ?? [])) {
            const { PolicyDocument } = await clients.iam.send(new GetRolePolicyCommand({ RoleName: role.roleName, PolicyName }));
            documents.push(decodeIamDocument(PolicyDocument ?? ""));
        }
        const attachedPages = await allPages(
            (Marker) => clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role.roleName, Marker })),
            (page) => (page.IsTruncated ? page.Marker : undefined),
        );
        const attachedArns = attachedPages.flatMap((page) => page.AttachedPolicies ?? []).map((policy) => policy.PolicyArn!);
        for (const PolicyArn of attachedArns) {
            const { Policy } = await clients.iam.send(new GetPolicyCommand({ PolicyArn }));
            const { PolicyVersion } = await clients.iam.send(new GetPolicyVersionCommand({ PolicyArn, VersionId: Policy!.DefaultVersionId! }));
            documents.push(decodeIamDocument(PolicyVersion!.Document ?? ""));
        }
        const difference = compareDocuments(role.permissionDocuments, documents);
        const counted = `${documents.length} ${documents.length === 1 ? "policy" : "policies"} (${documents.length - attachedArns.length} inline, ${attachedArns.length} managed)`;
        if (role.createdByStack) {
            return sameGrants(difference)
                ? pass(CHECKS.rolePermissions, subject, `${counted} ${documents.length === 1 ? "grants" : "grant"} what the program writes`)
                : fail(CHECKS.rolePermissions, subject, describeDifference(difference));
        }
        // An existing role may hold other policies: the stack's grants must all be there.
        if (difference.missing.length > 0 || difference.unreadable.length > 0) return fail(CHECKS.rolePermissions, subject, describeDifference({ ...difference, extra: [] }));
        const others = difference.extra.length > 0 ? `; the role also grants ${difference.extra.length} thing(s) the stack does not (its own policies)` : "";
        return pass(CHECKS.rolePermissions, subject, `holds every grant the stack writes${others}`);
    });
    return [...trust, ...permissions];
}

/** A managed policy the stack writes: its default version grants what the program writes (attached or not). */
async function managedPolicyCheck(clients: VerifyClients, policy: ExpectedManagedPolicy): Promise<CheckResult[]> {
    const subject = policy.policyArn;
    return attempt(CHECKS.managedPolicy, subject, "iam:GetPolicy, iam:GetPolicyVersion", async () => {
        let versionId: string;
        try {
            versionId = (await clients.iam.send(new GetPolicyCommand({ PolicyArn: policy.policyArn }))).Policy!.DefaultVersionId!;
        } catch (error) {
            if (isNotFound(error, "NoSuchEntityException", "NoSuchEntity")) return fail(CHECKS.managedPolicy, subject, "the policy does not exist");
            throw error;
        }
        const { PolicyVersion } = await clients.iam.send(new GetPolicyVersionCommand({ PolicyArn: policy.policyArn, VersionId: versionId }));
        const difference = compareDocuments([policy.document], [decodeIamDocument(PolicyVersion!.Document ?? "")]);
        return sameGrants(difference)
            ? pass(CHECKS.managedPolicy, subject, `default version ${versionId} grants what the program writes`)
            : fail(CHECKS.managedPolicy, subject, describeDifference(difference));
    });
}

function contextEntries(context: Readonly<Record<string, string>>) {
    return Object.entries(context).map(([ContextKeyName, value]) => ({ ContextKeyName, ContextKeyValues: [value], ContextKeyType: "string" as const }));
}

async function simulationCheck(clients: VerifyClients, simulation: RoleSimulation, found: Map<string, DeployedRole>): Promise<CheckResult[]> {
    const subject = `${simulation.roleName} (${simulation.subject})`;
    const role = found.get(simulation.roleName);
    if (!role) return [skipped(CHECKS.simulation, subject, "the role could not be read (see role trust)")];
    return attempt(CHECKS.simulation, subject, "iam:SimulatePrincipalPolicy", async () => {
        const cases: SimulatedCase[] = [];
        for (const request of simulation.cases) {
            const answer = await clients.iam.send(
                new SimulatePrincipalPolicyCommand({
                    PolicySourceArn: role.arn,
                    ActionNames: [request.action],
                    ResourceArns: [request.resource],
                    ...(Object.keys(request.context).length > 0 ? { ContextEntries: contextEntries(request.context) } : {}),
                }),
            );
            const decision = answer.EvaluationResults?.[0]?.EvalDecision ?? "(no answer)";
            cases.push({ ...request, decision, matches: (decision === "allowed") === (request.expected === "allowed") });
        }
        const wrong = cases.filter((simulated) => !simulated.matches);
        const allowedCount = cases.filter((simulated) => simulated.expected === "allowed").length;
        const result =
            wrong.length === 0
                ? pass(CHECKS.simulation, subject, `${cases.length} requests: ${allowedCount} allowed and ${cases.length - allowedCount} denied, as the program's documents answer`)
                : fail(
                      CHECKS.simulation,
                      subject,
                      wrong
                          .map((simulated) => `${simulated.action} on ${simulated.resource} (${simulated.why}) is ${simulated.decision}, expected ${simulated.expected}`)
                          .join("; "),
                  );
        return { ...result, cases };
    });
}

/** Every leaf of a nested object, by dotted path. */
function leaves(value: unknown, at = ""): [string, unknown][] {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => leaves(item, at ? `${at}.${key}` : key));
    }
    return [[at, value]];
}

function valueAt(value: unknown, path: string): unknown {
    return path.split(".").reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), value);
}

async function loggingCheck(clients: VerifyClients, expected: Readonly<Record<string, unknown>>, region: string): Promise<CheckResult[]> {
    const subject = `account, ${region}`;
    return attempt(CHECKS.logging, subject, "bedrock:GetModelInvocationLoggingConfiguration", async () => {
        const { loggingConfig } = await clients.bedrock.send(new GetModelInvocationLoggingConfigurationCommand({}));
        if (!loggingConfig) return fail(CHECKS.logging, subject, "model invocation logging is off");
        const differences = leaves(expected)
            .filter(([, value]) => value !== undefined)
            .flatMap(([path, value]) => {
                const actual = valueAt(loggingConfig, path);
                return actual === value ? [] : [`${path} is ${JSON.stringify(actual) ?? "not set"}, not ${JSON.stringify(value)}`];
            });
        return differences.length === 0
            ? pass(CHECKS.logging, subject, "destinations, role and data types as the stack sets them")
            : fail(CHECKS.logging, subject, differences.join("; "));
    });
}

const destinations = (logGroupName: string | undefined, bucket: string | undefined) =>
    [logGroupName === undefined ? "no log group" : `log group ${logGroupName}`, bucket === undefined ? "no bucket" : `bucket ${bucket}`].join(" and ");

/**
 * Whether the account's configuration (one per account and region) still writes where this stack
 * expects: another stack's `pulumi up`, or a person in the console, may have replaced it, and the
 * dashboard, queries and report would then watch nothing. Names both destinations when they differ.
 */
async function loggingDestinationsCheck(clients: VerifyClients, expected: ExpectedLoggingDestinations, region: string): Promise<CheckResult[]> {
    const subject = `account, ${region}`;
    const check = CHECKS.loggingDestinations;
    const wanted = destinations(expected.logGroupName, expected.bucket);
    return attempt(check, subject, "bedrock:GetModelInvocationLoggingConfiguration", async () => {
        const { loggingConfig } = await clients.bedrock.send(new GetModelInvocationLoggingConfigurationCommand({}));
        // The stack's own configuration switched off is the logging check's finding; a configuration the stack relies on is this one's.
        if (!loggingConfig) return expected.owner === "stack" ? [] : fail(check, subject, `model invocation logging is off; this stack watches ${wanted}`);
        const logGroupName = loggingConfig.cloudWatchConfig?.logGroupName;
        const bucket = loggingConfig.s3Config?.bucketName;
        const same = logGroupName === expected.logGroupName && (expected.bucket === undefined ? expected.owner === "existing" : bucket === expected.bucket);
        const whose = expected.owner === "stack" ? "this stack's" : "the ones this stack watches (monitoring.existingLogGroup, existingBucket):";
        return same
            ? pass(check, subject, `writes to ${destinations(logGroupName, expected.bucket === undefined ? undefined : bucket)}, as this stack expects`)
            : fail(check, subject, `the account's configuration writes to ${destinations(logGroupName, bucket)}, not ${whose} ${wanted}: another stack or a person replaced it`);
    });
}

/** Whether a key ID or ARN AWS reports is what the stack asks for. */
function keyProblem(expected: KeyExpectation, actual: string | undefined): string | undefined {
    if (expected.kind === "none") return actual ? `encrypted with ${actual}, but the stack sets no key` : undefined;
    if (!actual) return "not encrypted with a customer-managed key";
    if (expected.kind === "exact" && actual !== expected.keyArn) return `encrypted with ${actual}, not ${expected.keyArn}`;
    return undefined;
}

const keyDetail = (expected: KeyExpectation, actual: string | undefined) =>
    expected.kind === "none" ? "no customer-managed key, as the stack sets" : expected.kind === "exact" ? `key ${actual}` : `key ${actual} (created by the stack; AWS chose its ARN)`;

async function logGroupCheck(clients: VerifyClients, expected: ExpectedStack["logGroups"][number]): Promise<CheckResult[]> {
    const subject = expected.logGroupName;
    return attempt(CHECKS.logGroup, subject, "logs:DescribeLogGroups", async () => {
        const pages = await allPages(
            (nextToken) => clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: expected.logGroupName, nextToken })),
            (page) => page.nextToken,
        );
        const logGroup: LogGroup | undefined = pages.flatMap((page) => page.logGroups ?? []).find((candidate) => candidate.logGroupName === expected.logGroupName);
        if (!logGroup) return fail(CHECKS.logGroup, subject, "the log group does not exist");
        const problems: string[] = [];
        if (expected.retentionInDays !== undefined && logGroup.retentionInDays !== expected.retentionInDays) {
            problems.push(`retention is ${logGroup.retentionInDays ?? "never expire"} days, not ${expected.retentionInDays}`);
        }
        const key = keyProblem(expected.key, logGroup.kmsKeyId);
        if (key) problems.push(key);
        return problems.length === 0
            ? pass(CHECKS.logGroup, subject, `retention ${logGroup.retentionInDays ?? "never expire"} days; ${keyDetail(expected.key, logGroup.kmsKeyId)}`)
            : fail(CHECKS.logGroup, subject, problems.join("; "));
    });
}

/**
 * Reads one bucket setting: `read` gives the check's result; a missing bucket, or the missing
 * setting (`absentError`, S3's error when it was never set), fails it.
 */
async function bucketCheck(check: string, bucket: string, action: string, absent: { error: string; detail: string }, read: () => Promise<CheckResult>): Promise<CheckResult[]> {
    return attempt(check, bucket, action, async () => {
        try {
            return await read();
        } catch (error) {
            if (isNotFound(error, "NoSuchBucket")) return fail(check, bucket, "the bucket does not exist");
            if (isNotFound(error, absent.error)) return fail(check, bucket, absent.detail);
            throw error;
        }
    });
}

async function bucketChecks(clients: VerifyClients, bucket: ExpectedBucket): Promise<CheckResult[]> {
    const subject = bucket.bucket;
    const Bucket = bucket.bucket;
    const results: CheckResult[] = [];
    const block = bucket.publicAccessBlock;
    if (block) {
        const absent = { error: "NoSuchPublicAccessBlockConfiguration", detail: "the bucket has no public access block" };
        results.push(
            ...(await bucketCheck(CHECKS.publicAccessBlock, subject, "s3:GetBucketPublicAccessBlock", absent, async () => {
                const { PublicAccessBlockConfiguration: deployed } = await clients.s3.send(new GetPublicAccessBlockCommand({ Bucket }));
                const wrong = (Object.keys(block) as (keyof typeof block)[]).filter((flag) => (deployed?.[flag] ?? false) !== block[flag]);
                return wrong.length === 0
                    ? pass(CHECKS.publicAccessBlock, subject, "all four settings as the stack sets them")
                    : fail(CHECKS.publicAccessBlock, subject, wrong.map((flag) => `${flag} is ${deployed?.[flag] ?? false}, not ${block[flag]}`).join("; "));
            })),
        );
    }
    if (bucket.versioning) {
        const absent = { error: "(versioning is never missing: S3 answers without a status)", detail: "" };
        results.push(
            ...(await bucketCheck(CHECKS.versioning, subject, "s3:GetBucketVersioning", absent, async () => {
                const { Status } = await clients.s3.send(new GetBucketVersioningCommand({ Bucket }));
                return Status === bucket.versioning
                    ? pass(CHECKS.versioning, subject, `versioning ${Status}`)
                    : fail(CHECKS.versioning, subject, `versioning is ${Status ?? "never enabled"}, not ${bucket.versioning}`);
            })),
        );
    }
    const encryption = bucket.encryption;
    if (encryption) {
        const absent = { error: "ServerSideEncryptionConfigurationNotFoundError", detail: "the bucket has no default encryption configuration" };
        results.push(
            ...(await bucketCheck(CHECKS.encryption, subject, "s3:GetEncryptionConfiguration", absent, async () => {
                const { ServerSideEncryptionConfiguration } = await clients.s3.send(new GetBucketEncryptionCommand({ Bucket }));
                const rule = ServerSideEncryptionConfiguration?.Rules?.[0];
                const algorithm = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
                const keyId = rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID;
                const problems: string[] = [];
                if (algorithm !== encryption.algorithm) problems.push(`default encryption is ${algorithm ?? "not set"}, not ${encryption.algorithm}`);
                const key = algorithm === encryption.algorithm && encryption.algorithm !== "AES256" ? keyProblem(encryption.key, keyId) : undefined;
                if (key) problems.push(key);
                if (encryption.bucketKeyEnabled !== undefined && (rule?.BucketKeyEnabled ?? false) !== encryption.bucketKeyEnabled) {
                    problems.push(`S3 Bucket Key is ${rule?.BucketKeyEnabled ? "on" : "off"}, not ${encryption.bucketKeyEnabled ? "on" : "off"}`);
                }
                return problems.length === 0 ? pass(CHECKS.encryption, subject, `${algorithm}; ${keyDetail(encryption.key, keyId)}`) : fail(CHECKS.encryption, subject, problems.join("; "));
            })),
        );
    }
    const policy = bucket.policy;
    if (policy) {
        const absent = { error: "NoSuchBucketPolicy", detail: "the bucket has no policy" };
        results.push(
            ...(await bucketCheck(CHECKS.bucketPolicy, subject, "s3:GetBucketPolicy", absent, async () => {
                const { Policy } = await clients.s3.send(new GetBucketPolicyCommand({ Bucket }));
                const difference = compareDocuments([policy], [Policy ?? ""]);
                return sameGrants(difference) ? pass(CHECKS.bucketPolicy, subject, "grants and denies what the program writes") : fail(CHECKS.bucketPolicy, subject, describeDifference(difference));
            })),
        );
    }
    return results;
}

/** DescribeAlarms takes at most 100 names a call. */
const ALARM_NAMES_PER_CALL = 100;

async function alarmChecks(clients: VerifyClients, expected: readonly ExpectedAlarm[]): Promise<CheckResult[]> {
    if (expected.length === 0) return [];
    const found = new Map<string, MetricAlarm>();
    const listed = await attempt(CHECKS.alarm, `${expected.length} alarms`, "cloudwatch:DescribeAlarms", async () => {
        for (let start = 0; start < expected.length; start += ALARM_NAMES_PER_CALL) {
            const AlarmNames = expected.slice(start, start + ALARM_NAMES_PER_CALL).map((alarm) => alarm.alarmName);
            const pages = await allPages((NextToken) => clients.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames, NextToken })), (page) => page.NextToken);
            for (const alarm of pages.flatMap((page) => page.MetricAlarms ?? [])) found.set(alarm.AlarmName!, alarm);
        }
        return [];
    });
    if (listed.length > 0) return listed;
    const sameSet = (actual: readonly string[] | undefined, wanted: readonly string[]) => JSON.stringify([...(actual ?? [])].sort()) === JSON.stringify(wanted);
    return expected.map((alarm) => {
        const deployed = found.get(alarm.alarmName);
        if (!deployed) return fail(CHECKS.alarm, alarm.alarmName, "the alarm does not exist");
        const problems: string[] = [];
        if (!sameSet(deployed.AlarmActions, alarm.alarmActions)) problems.push(`alarm actions are ${JSON.stringify(deployed.AlarmActions ?? [])}, not ${JSON.stringify(alarm.alarmActions)}`);
        if (!sameSet(deployed.OKActions, alarm.okActions)) problems.push(`OK actions are ${JSON.stringify(deployed.OKActions ?? [])}, not ${JSON.stringify(alarm.okActions)}`);
        if (alarm.threshold !== undefined && deployed.Threshold !== alarm.threshold) problems.push(`threshold is ${deployed.Threshold}, not ${alarm.threshold}`);
        if (alarm.evaluationPeriods !== undefined && deployed.EvaluationPeriods !== alarm.evaluationPeriods) {
            problems.push(`evaluation periods are ${deployed.EvaluationPeriods}, not ${alarm.evaluationPeriods}`);
        }
        return problems.length === 0
            ? pass(CHECKS.alarm, alarm.alarmName, `notifies ${alarm.alarmActions.join(", ") || "nothing"}; threshold ${deployed.Threshold}${alarm.thresholdNote ? ` (${alarm.thresholdNote})` : ""}`)
            : fail(CHECKS.alarm, alarm.alarmName, problems.join("; "));
    });
}

async function dashboardCheck(clients: VerifyClients, dashboardName: string): Promise<CheckResult[]> {
    return attempt(CHECKS.dashboard, dashboardName, "cloudwatch:GetDashboard", async () => {
        try {
            await clients.cloudWatch.send(new GetDashboardCommand({ DashboardName: dashboardName }));
            return pass(CHECKS.dashboard, dashboardName, "exists");
        } catch (error) {
            if (isNotFound(error, "ResourceNotFound", "DashboardNotFoundError", "ResourceNotFoundException")) return fail(CHECKS.dashboard, dashboardName, "the dashboard does not exist");
            throw error;
        }
    });
}

async function topicChecks(clients: VerifyClients, topic: ExpectedTopic): Promise<CheckResult[]> {
    const subject = topic.topicArn;
    let attributes: Record<string, string> | undefined;
    const read = await attempt(CHECKS.topicPolicy, subject, "sns:GetTopicAttributes", async () => {
        try {
            attributes = (await clients.sns.send(new GetTopicAttributesCommand({ TopicArn: topic.topicArn }))).Attributes ?? {};
            return [];
        } catch (error) {
            if (isNotFound(error, "NotFoundException", "NotFound")) return fail(CHECKS.topicPolicy, subject, "the topic does not exist");
            throw error;
        }
    });
    if (!attributes) return read;
    const results: CheckResult[] = [];
    if (topic.policy) {
        const difference = compareDocuments([topic.policy], [attributes.Policy ?? ""]);
        results.push(sameGrants(difference) ? pass(CHECKS.topicPolicy, subject, "grants what the program writes") : fail(CHECKS.topicPolicy, subject, describeDifference(difference)));
    }
    const keyId = attributes.KmsMasterKeyId || undefined;
    const key = keyProblem(topic.key, keyId);
    results.push(key ? fail(CHECKS.topicEncryption, subject, key) : pass(CHECKS.topicEncryption, subject, keyDetail(topic.key, keyId)));

    if (topic.subscriptions.length > 0) {
        const subscriptions: Subscription[] = [];
        const listed = await attempt(CHECKS.subscription, subject, "sns:ListSubscriptionsByTopic", async () => {
            const pages = await allPages((NextToken) => clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic.topicArn, NextToken })), (page) => page.NextToken);
            subscriptions.push(...pages.flatMap((page) => page.Subscriptions ?? []));
            return [];
        });
        if (listed.length > 0) return [...results, ...listed];
        for (const wanted of topic.subscriptions) {
            const label = `${wanted.protocol} ${wanted.endpoint}`;
            const match = subscriptions.find((subscription) => subscription.Protocol === wanted.protocol && subscription.Endpoint === wanted.endpoint);
            if (!match) results.push(fail(CHECKS.subscription, label, `not subscribed to ${topic.topicArn}`));
            else if (match.SubscriptionArn === "PendingConfirmation") results.push(fail(CHECKS.subscription, label, "pending confirmation: alerts reach it only once the link in AWS's email is followed"));
            else results.push(pass(CHECKS.subscription, label, "confirmed"));
        }
    }
    return results;
}

import { DEFAULT_CONCURRENCY } from "./verifyDefaults";
export { DEFAULT_CONCURRENCY };

/**
 * Every check of the stack, in a fixed order: roles, managed policies, simulations, logging, log
 * groups, buckets, alarms, dashboards, topics. At most `concurrency` roles, policies or simulations
 * are checked at once; throttled calls are retried by the SDK's standard retry.
 */
export async function runChecks(stack: ExpectedStack, clients: VerifyClients, concurrency: number = DEFAULT_CONCURRENCY): Promise<CheckResult[]> {
    const found = new Map<string, DeployedRole>();
    const roles = await mapWithConcurrency(stack.roles, concurrency, (role) => roleChecks(clients, role, found));
    const managedPolicies = await mapWithConcurrency(stack.managedPolicies, concurrency, (policy) => managedPolicyCheck(clients, policy));
    const simulations = await mapWithConcurrency(stack.simulations, concurrency, (simulation) => simulationCheck(clients, simulation, found));
    const results: CheckResult[] = [...roles.flat(), ...managedPolicies.flat(), ...simulations.flat()];
    for (const logging of stack.loggingConfigurations) results.push(...(await loggingCheck(clients, logging, stack.location.region)));
    if (stack.loggingDestinations) results.push(...(await loggingDestinationsCheck(clients, stack.loggingDestinations, stack.location.region)));
    for (const logGroup of stack.logGroups) results.push(...(await logGroupCheck(clients, logGroup)));
    for (const bucket of stack.buckets) results.push(...(await bucketChecks(clients, bucket)));
    results.push(...(await alarmChecks(clients, stack.alarms)));
    for (const dashboard of stack.dashboards) results.push(...(await dashboardCheck(clients, dashboard)));
    for (const topic of stack.topics) results.push(...(await topicChecks(clients, topic)));
    return results;
}
