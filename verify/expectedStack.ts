/**
 * What a deployed stack should look like, read from what its program registers under the mocked
 * engine (as `pulumi up` would run it), so that verify follows the program: a new role, alarm or
 * topic the program registers is verified without a change here. Nothing is listed by hand.
 */
import { AwsLocation } from "../components/arns/bedrockArns";
import { StackConfig } from "../components/stack/stackConfig";
import { RegisteredResource, plainValue } from "../offline/engine/mockEngine";
import { awsManagedPolicyDocument } from "../policypack/policies/managedPolicies";
import { RoleSimulation, stackSimulations } from "./simulationCases";

export const TYPES = {
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    policy: "aws:iam/policy:Policy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    loggingConfiguration: "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    bucket: "aws:s3/bucket:Bucket",
    bucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
    bucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    topicSubscription: "aws:sns/topicSubscription:TopicSubscription",
    kmsKey: "aws:kms/key:Key",
} as const;

/** Which KMS key a resource should be encrypted with. */
export type KeyExpectation =
    /** The key the configuration names. */
    | { readonly kind: "exact"; readonly keyArn: string }
    /** A key the stack creates: AWS chooses its ARN, so any customer-managed key passes. */
    | { readonly kind: "created" }
    | { readonly kind: "none" };

export interface ExpectedRole {
    readonly roleName: string;
    /** False for an existing role the stack only adds permissions to (`attachToRole`): its trust and other policies are not the stack's. */
    readonly createdByStack: boolean;
    /** The trust policy as the program writes it; undefined for an existing role. */
    readonly trustPolicy: string | undefined;
    /** Every identity document the program puts on the role: inline policies, and the managed policies it attaches. */
    readonly permissionDocuments: readonly unknown[];
    /** ARNs of the managed policies the program attaches. */
    readonly attachedPolicyArns: readonly string[];
    /** The permissions boundary the role must carry (the stack's), or undefined with `permissionsBoundary: none`. */
    readonly permissionsBoundary?: string;
}

/** A customer managed policy the stack writes: attached to its roles, or left for others to attach. */
export interface ExpectedManagedPolicy {
    readonly policyArn: string;
    readonly document: unknown;
}

export interface ExpectedBucket {
    readonly bucket: string;
    readonly publicAccessBlock: Readonly<Record<"BlockPublicAcls" | "IgnorePublicAcls" | "BlockPublicPolicy" | "RestrictPublicBuckets", boolean>> | undefined;
    /** `Enabled` or `Suspended`, as S3 reports it. */
    readonly versioning: string | undefined;
    readonly encryption: { readonly algorithm: string; readonly key: KeyExpectation; readonly bucketKeyEnabled: boolean | undefined } | undefined;
    readonly policy: string | undefined;
}

export interface ExpectedAlarm {
    readonly alarmName: string;
    readonly alarmActions: readonly string[];
    readonly okActions: readonly string[];
    /** Undefined where it is not compared: a quota alarm's follows the account's quota, which the offline run cannot know. */
    readonly threshold: number | undefined;
    readonly evaluationPeriods: number | undefined;
    /** Why the threshold is not compared, for the report's row. */
    readonly thresholdNote?: string;
}

export interface ExpectedTopic {
    readonly topicArn: string;
    readonly key: KeyExpectation;
    readonly policy: string | undefined;
    readonly subscriptions: readonly { readonly protocol: string; readonly endpoint: string }[];
}

/** Where the account's invocation logging must write for this stack's dashboard, queries and report to see the logs. */
export interface ExpectedLoggingDestinations {
    /** `stack`: the stack writes the configuration; `existing`: someone else does, and the stack watches what it names. */
    readonly owner: "stack" | "existing";
    readonly logGroupName: string | undefined;
    /** The bucket of the log objects; undefined when the stack names none (`existing` without `existingBucket`). */
    readonly bucket: string | undefined;
}

export interface ExpectedStack {
    readonly location: AwsLocation;
    readonly roles: readonly ExpectedRole[];
    readonly managedPolicies: readonly ExpectedManagedPolicy[];
    readonly simulations: readonly RoleSimulation[];
    /** The `loggingConfig` of each invocation logging configuration (one per account and region), as the SDK's shape names it. */
    readonly loggingConfigurations: readonly Readonly<Record<string, unknown>>[];
    /** The destinations the account's configuration must have; undefined without monitoring. */
    readonly loggingDestinations?: ExpectedLoggingDestinations;
    readonly logGroups: readonly { readonly logGroupName: string; readonly retentionInDays: number | undefined; readonly key: KeyExpectation }[];
    readonly buckets: readonly ExpectedBucket[];
    readonly alarms: readonly ExpectedAlarm[];
    readonly dashboards: readonly string[];
    readonly topics: readonly ExpectedTopic[];
    /** Registered resource types verify does not read, with how many of each: said in the report, not silently left out. */
    readonly notVerified: readonly { readonly type: string; readonly count: number }[];
}

type Props = Record<string, unknown>;
interface Plain {
    readonly resource: RegisteredResource;
    readonly props: Props;
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);
const number = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []);
const object = (value: unknown): Props | undefined => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Props) : undefined);

/** A policy property as a string (the AWS provider takes JSON text; a document given as an object is serialized). */
const documentText = (value: unknown): string | undefined => (typeof value === "string" ? value : value === undefined || value === null ? undefined : JSON.stringify(value));

/** The Pulumi provider's `loggingConfig` in the Bedrock API's own names (`cloudwatchConfig` is `cloudWatchConfig` there). */
function apiLoggingConfig(config: Props): Props {
    const renamed: Props = {};
    for (const [key, value] of Object.entries(config)) {
        const apiKey = key === "cloudwatchConfig" ? "cloudWatchConfig" : key;
        renamed[apiKey] = object(value) ? apiLoggingConfig(value as Props) : value;
    }
    return renamed;
}

/**
 * Reads the expectations from the resources a mocked `pulumi up` registered (outputs such as ARNs
 * and names as the provider sets them) and the validated configuration (for the simulation matrix).
 */
/** The destinations of the configuration the stack writes, else of the one it names with `invocationLogging: existing`. */
function loggingDestinations(configurations: readonly Props[], monitoring: StackConfig["monitoring"]): ExpectedLoggingDestinations | undefined {
    const [written] = configurations;
    if (written) return { owner: "stack", logGroupName: text(object(written.cloudWatchConfig)?.logGroupName), bucket: text(object(written.s3Config)?.bucketName) };
    if (monitoring?.invocationLogging === "existing") return { owner: "existing", logGroupName: monitoring.existingLogGroup, bucket: monitoring.existingBucket };
    return undefined;
}

export function expectedStack(
    registered: readonly RegisteredResource[],
    config: Pick<StackConfig, "gateways" | "serviceRoles"> & Partial<Pick<StackConfig, "monitoring">> & { readonly agentCoreRoles?: StackConfig["agentCoreRoles"] },
    location: AwsLocation,
): ExpectedStack {
    const resources: Plain[] = registered.filter((resource) => resource.custom).map((resource) => ({ resource, props: plainValue(resource.properties) as Props }));
    const ofType = (type: string) => resources.filter((candidate) => candidate.resource.type === type);
    const verifiedTypes = new Set<string>(Object.values(TYPES).filter((type) => type !== TYPES.kmsKey));

    // A created key's ARN is AWS's choice, so a mocked `pulumi up` leaves references to it unset: a key
    // created in the resource's component, or in a component around it, is the one it is encrypted with.
    const parentOf = new Map(registered.map((resource) => [resource.urn, resource.parentUrn]));
    const componentsAround = (resource: RegisteredResource): Set<string> => {
        const around = new Set<string>();
        for (let urn = resource.parentUrn; urn !== undefined && !around.has(urn); urn = parentOf.get(urn)) around.add(urn);
        return around;
    };
    const keyOf = (value: unknown, beside: Plain): KeyExpectation => {
        const keyArn = text(value);
        if (keyArn) return { kind: "exact", keyArn };
        const around = componentsAround(beside.resource);
        const created = ofType(TYPES.kmsKey).some((key) => key.resource.parentUrn !== undefined && around.has(key.resource.parentUrn));
        return created ? { kind: "created" } : { kind: "none" };
    };

    const ownPolicies = new Map(ofType(TYPES.policy).flatMap((policy) => (text(policy.props.arn) ? [[String(policy.props.arn), policy.props.policy] as const] : [])));
    const roleNames = new Map<string, { createdByStack: boolean; trustPolicy: string | undefined }>();
    for (const role of ofType(TYPES.role)) {
        const roleName = text(role.props.name) ?? role.resource.name;
        roleNames.set(roleName, { createdByStack: true, trustPolicy: documentText(role.props.assumeRolePolicy) });
    }
    const documents = new Map<string, unknown[]>();
    const attached = new Map<string, string[]>();
    const roleEntry = (roleName: string) => {
        if (!roleNames.has(roleName)) roleNames.set(roleName, { createdByStack: false, trustPolicy: undefined });
        return roleName;
    };
    for (const policy of ofType(TYPES.rolePolicy)) {
        const roleName = roleEntry(String(policy.props.role));
        documents.set(roleName, [...(documents.get(roleName) ?? []), policy.props.policy]);
    }
    for (const attachment of ofType(TYPES.rolePolicyAttachment)) {
        const roleName = roleEntry(String(attachment.props.role));
        const policyArn = String(attachment.props.policyArn);
        attached.set(roleName, [...(attached.get(roleName) ?? []), policyArn]);
        const document = ownPolicies.get(policyArn) ?? awsManagedPolicyDocument(policyArn);
        documents.set(roleName, [...(documents.get(roleName) ?? []), document ?? `(the content of ${policyArn} is not known here)`]);
    }
    // One boundary for the stack: the one its roles carry (an attachToRole role must carry it too).
    const stackBoundaryArn = ofType(TYPES.role).map((role) => text(role.props.permissionsBoundary)).find((arn) => arn !== undefined);
    const roles: ExpectedRole[] = [...roleNames].map(([roleName, role]) => ({
        roleName,
        ...role,
        ...(stackBoundaryArn ? { permissionsBoundary: stackBoundaryArn } : {}),
        permissionDocuments: documents.get(roleName) ?? [],
        attachedPolicyArns: (attached.get(roleName) ?? []).sort(),
    }));

    const byBucket = (type: string, bucket: string) => ofType(type).find((candidate) => candidate.props.bucket === bucket);
    const buckets: ExpectedBucket[] = ofType(TYPES.bucket).map((bucketResource) => {
        const bucket = text(bucketResource.props.bucket) ?? bucketResource.resource.name;
        const block = byBucket(TYPES.bucketPublicAccessBlock, bucket)?.props;
        const versioning = object(byBucket(TYPES.bucketVersioning, bucket)?.props.versioningConfiguration);
        const rule = object((byBucket(TYPES.bucketEncryption, bucket)?.props.rules as unknown[] | undefined)?.[0]);
        const byDefault = object(rule?.applyServerSideEncryptionByDefault);
        return {
            bucket,
            publicAccessBlock: block && {
                BlockPublicAcls: block.blockPublicAcls === true,
                IgnorePublicAcls: block.ignorePublicAcls === true,
                BlockPublicPolicy: block.blockPublicPolicy === true,
                RestrictPublicBuckets: block.restrictPublicBuckets === true,
            },
            versioning: text(versioning?.status),
            encryption: byDefault && {
                algorithm: String(byDefault.sseAlgorithm),
                key: byDefault.sseAlgorithm === "AES256" ? { kind: "none" } : keyOf(byDefault.kmsMasterKeyId, bucketResource),
                bucketKeyEnabled: typeof rule?.bucketKeyEnabled === "boolean" ? rule.bucketKeyEnabled : undefined,
            },
            policy: documentText(byBucket(TYPES.bucketPolicy, bucket)?.props.policy),
        };
    });

    const topics: ExpectedTopic[] = ofType(TYPES.topic).map((topic) => {
        const topicArn = String(topic.props.arn ?? `arn:${location.partition}:sns:${location.region}:${location.accountId}:${text(topic.props.name) ?? topic.resource.name}`);
        const topicPolicy = ofType(TYPES.topicPolicy).find((candidate) => candidate.props.arn === topicArn);
        return {
            topicArn,
            key: keyOf(topic.props.kmsMasterKeyId, topic),
            policy: documentText(topicPolicy?.props.policy ?? topic.props.policy),
            subscriptions: ofType(TYPES.topicSubscription)
                .filter((subscription) => subscription.props.topic === topicArn)
                .map((subscription) => ({ protocol: String(subscription.props.protocol), endpoint: String(subscription.props.endpoint) })),
        };
    });

    const counts = new Map<string, number>();
    for (const { resource } of resources) {
        if (!verifiedTypes.has(resource.type) && !resource.type.startsWith("pulumi:providers:")) counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
    }

    const loggingConfigurations = ofType(TYPES.loggingConfiguration).map((configuration) => apiLoggingConfig(object(configuration.props.loggingConfig) ?? {}));
    return {
        location,
        roles,
        managedPolicies: ofType(TYPES.policy).map((policy) => ({
            policyArn: text(policy.props.arn) ?? `arn:${location.partition}:iam::${location.accountId}:policy/${text(policy.props.name) ?? policy.resource.name}`,
            document: policy.props.policy,
        })),
        simulations: stackSimulations(config, location),
        loggingConfigurations,
        loggingDestinations: loggingDestinations(loggingConfigurations, config.monitoring),
        logGroups: ofType(TYPES.logGroup).map((logGroup) => ({
            logGroupName: text(logGroup.props.name) ?? logGroup.resource.name,
            retentionInDays: number(logGroup.props.retentionInDays),
            key: keyOf(logGroup.props.kmsKeyId, logGroup),
        })),
        buckets,
        alarms: ofType(TYPES.metricAlarm).map((alarm) => ({
            alarmName: text(alarm.props.name) ?? alarm.resource.name,
            alarmActions: strings(alarm.props.alarmActions).sort(),
            okActions: strings(alarm.props.okActions).sort(),
            // A quota alarm's threshold is a share of the account's quota as Service Quotas answered at deploy time; offline it is a fixture's.
            ...(alarm.props.metricName === "EstimatedTPMQuotaUsage"
                ? { threshold: undefined, thresholdNote: "threshold follows the account's tokens-per-minute quota (not compared)" }
                : { threshold: number(alarm.props.threshold) }),
            evaluationPeriods: number(alarm.props.evaluationPeriods),
        })),
        dashboards: ofType(TYPES.dashboard).map((dashboard) => text(dashboard.props.dashboardName) ?? dashboard.resource.name),
        topics,
        notVerified: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => ({ type, count })),
    };
}
