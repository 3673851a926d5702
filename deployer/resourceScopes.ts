/**
 * Where the deployer's actions on one registered resource may apply: the ARNs the resource (and what
 * it points at) will have, read from the properties the program registers. Where AWS chooses the ID
 * (a KMS key, a VPC endpoint), the ARN is a pattern and the tags the stack sets identify the resource.
 */
import { AwsLocation } from "../components/arns/bedrockArns";
import { ALARM_NAME_PREFIX } from "../components/monitoring/monitoringPolicies";
import { OWNER_GATEWAY_TAG } from "../components/costAttribution/costAttributionPolicies";

export interface ScopeEntry {
    /** An exact ARN, or a pattern (`.../key/*`) when AWS chooses the ID; then `tags` is set. */
    readonly arn: string;
    /** The tags the stack sets on the resource: conditions that stand in for an unknowable ID. */
    readonly tags?: Readonly<Record<string, string>>;
    /** Further `StringEquals` conditions, applied to the actions that honour their key. */
    readonly narrowing?: Readonly<Record<string, string>>;
    /** Conditions that hold only while the resource is created (`ec2:CreateAction` for tags written by the create call). */
    readonly creationNarrowing?: Readonly<Record<string, string>>;
    /** Another resource this one is attached to (its VPC, subnets): authorized where an action needs it, never tagged. */
    readonly related?: true;
    /** `StringEquals` conditions for the actions that change the resource (not reads): the role's permissions boundary. */
    readonly writeNarrowing?: Readonly<Record<string, string>>;
    /** `ForAllValues:StringEquals` conditions on multivalued request keys (the log groups a Contributor Insights rule reads), required present. */
    readonly everyValueIn?: Readonly<Record<string, readonly string[]>>;
    /**
     * Reads are bound to `tags` too (else reads of a tag-identified resource are not): for Bedrock's application
     * profiles, which the policy pack accepts as `application-inference-profile/*` only under an exact tag condition.
     */
    readonly readsBoundToTags?: true;
    /**
     * The resource's own policy names the deployer (a KMS key policy): only creating it, and the tags written by
     * that create call, are granted in the deployer's IAM policy; everything else on it comes from its policy.
     */
    readonly administeredByItsPolicy?: true;
}

/** A registered resource's properties, secrets and unknowns already resolved to plain values. */
export type ResourceProperties = Readonly<Record<string, unknown>>;

/** What the whole stack tells a scope: the roles it creates (any other role may have an IAM path). */
export interface StackContext {
    readonly createdRoleNames: ReadonlySet<string>;
    /** The permissions boundary the stack's roles carry (`permissionsBoundary`), or undefined with `none`. */
    readonly permissionsBoundary: string | undefined;
    /** How many alarms the stack creates: beyond `EXACT_ALARM_LIMIT`, they are named by their prefix. */
    readonly alarmCount: number;
}

/**
 * Up to this many alarms are named one by one (about 90 characters each: 60 alarms fill one managed
 * policy of 6,144). Beyond, per-model alarms would push the deployer past IAM's managed-policy
 * count, so they are named by the prefix every alarm of the stack has, `bedrock-*`: the deployer
 * may then also change other alarms of the account whose names start with it (the README says so).
 */
export const EXACT_ALARM_LIMIT = 60;

type ScopeOf = (properties: ResourceProperties, location: AwsLocation, stack: StackContext) => ScopeEntry[];

function text(properties: ResourceProperties, key: string, type: string): string {
    const value = properties[key];
    if (typeof value !== "string" || value === "") throw new Error(`${type}: property '${key}' is not known; the deployer policy cannot name the resource`);
    return value;
}

function tagsOf(properties: ResourceProperties, type: string): Record<string, string> {
    const tags = properties.tags;
    if (tags === null || typeof tags !== "object" || Object.keys(tags).length === 0) {
        throw new Error(`${type}: has no tags, so a policy cannot tell it from other resources of its kind`);
    }
    return tags as Record<string, string>;
}

/**
 * The owner tag (`bedrock-access:gateway`) of a resource whose ID AWS chooses: the one tag that identifies it as the
 * stack's (its cost tags may change; the owner tag does not). Reads both tag forms: a map, or aws-native's `[{key, value}]`.
 */
function ownerTag(properties: ResourceProperties, type: string): Record<string, string> {
    const tags = properties.tags;
    const entries: [string, unknown][] = Array.isArray(tags)
        ? tags.map((tag: { key?: unknown; value?: unknown }) => [String(tag.key), tag.value])
        : tags !== null && typeof tags === "object"
          ? Object.entries(tags)
          : [];
    const owner = entries.find(([key]) => key === OWNER_GATEWAY_TAG);
    if (!owner || typeof owner[1] !== "string") throw new Error(`${type}: has no ${OWNER_GATEWAY_TAG} tag, so a policy cannot tell it from other resources of its kind`);
    return { [OWNER_GATEWAY_TAG]: owner[1] };
}

const arnPrefix = (location: AwsLocation, service: string, regional = true) =>
    `arn:${location.partition}:${service}:${regional ? location.region : ""}:${location.accountId}`;
/**
 * A role by name: the stack's own roles have no path; an existing role (`attachToRole`) may have
 * one, so it is also named as `role/*\/<name>` (role names contain no `/`, so that is the one role).
 */
function roleArns(location: AwsLocation, nameOrArn: string, stack: StackContext): string[] {
    if (nameOrArn.startsWith("arn:")) return [nameOrArn];
    const prefix = `${arnPrefix(location, "iam", false)}:role/`;
    return stack.createdRoleNames.has(nameOrArn) ? [`${prefix}${nameOrArn}`] : [`${prefix}${nameOrArn}`, `${prefix}*/${nameOrArn}`];
}
/** Changes to a role only while it carries the stack's boundary (and new roles only with it). */
const boundaryOf = (stack: StackContext): Pick<ScopeEntry, "writeNarrowing"> =>
    stack.permissionsBoundary ? { writeNarrowing: { "iam:PermissionsBoundary": stack.permissionsBoundary } } : {};
/** The log groups a Contributor Insights rule definition reads (`LogGroupNames`). */
function ruleLogGroups(properties: ResourceProperties): string[] {
    const definition = JSON.parse(text(properties, "ruleDefinition", "aws:cloudwatch/contributorInsightRule:ContributorInsightRule")) as { LogGroupNames?: unknown };
    const names = Array.isArray(definition.LogGroupNames) ? definition.LogGroupNames.map(String) : [];
    if (names.length === 0) throw new Error("aws:cloudwatch/contributorInsightRule:ContributorInsightRule: its rule definition names no log group");
    return names;
}
const bucketArn = (location: AwsLocation, bucket: string) => `arn:${location.partition}:s3:::${bucket}`;
const bucketScope: ScopeOf = (properties, location) => [{ arn: bucketArn(location, text(properties, "bucket", "bucket")) }];

/** By Pulumi type token. A type without an entry cannot be scoped, and the deployer policy refuses it. */
export const RESOURCE_SCOPES: Readonly<Record<string, ScopeOf>> = {
    "aws:iam/role:Role": (properties, location, stack) =>
        roleArns(location, text(properties, "name", "aws:iam/role:Role"), stack).map((arn) => ({ arn, ...boundaryOf(stack) })),
    // Also the role of an `attachToRole` gateway: written only while it carries the stack's boundary.
    "aws:iam/rolePolicy:RolePolicy": (properties, location, stack) =>
        roleArns(location, text(properties, "role", "aws:iam/rolePolicy:RolePolicy"), stack).map((arn) => ({ arn, ...boundaryOf(stack) })),
    "aws:iam/policy:Policy": (properties, location) => [{ arn: `${arnPrefix(location, "iam", false)}:policy/${text(properties, "name", "aws:iam/policy:Policy")}` }],
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (properties, location, stack) =>
        roleArns(location, text(properties, "role", "aws:iam/rolePolicyAttachment:RolePolicyAttachment"), stack).map((arn) => ({
            arn,
            narrowing: { "iam:PolicyARN": text(properties, "policyArn", "aws:iam/rolePolicyAttachment:RolePolicyAttachment") },
            ...boundaryOf(stack),
        })),
    // Any key's ARN until it exists, so the create call is bound by the stack's tags; after that, the key's own policy
    // names the deployer (components/iam/keyPolicies.ts): no other key of the account is administered through IAM.
    "aws:kms/key:Key": (properties, location) => [{ arn: `${arnPrefix(location, "kms")}:key/*`, tags: tagsOf(properties, "aws:kms/key:Key"), administeredByItsPolicy: true }],
    // The permission is for one principal: the deployer cannot open the function to another.
    "aws:lambda/permission:Permission": (properties) => [
        { arn: text(properties, "function", "aws:lambda/permission:Permission"), narrowing: { "lambda:Principal": text(properties, "principal", "aws:lambda/permission:Permission") } },
    ],
    "aws:ec2/vpcEndpoint:VpcEndpoint": (properties, location) => {
        const ec2 = arnPrefix(location, "ec2");
        const list = (key: string) => (Array.isArray(properties[key]) ? (properties[key] as string[]) : []);
        return [
            {
                arn: `${ec2}:vpc-endpoint/*`,
                tags: tagsOf(properties, "aws:ec2/vpcEndpoint:VpcEndpoint"),
                // An endpoint for this service only; tags in a request only on the endpoint being created.
                narrowing: { "ec2:VpceServiceName": text(properties, "serviceName", "aws:ec2/vpcEndpoint:VpcEndpoint") },
                creationNarrowing: { "ec2:CreateAction": "CreateVpcEndpoint" },
            },
            { arn: `${ec2}:vpc/${text(properties, "vpcId", "aws:ec2/vpcEndpoint:VpcEndpoint")}`, related: true },
            ...list("subnetIds").map((id) => ({ arn: `${ec2}:subnet/${id}`, related: true as const })),
            ...list("securityGroupIds").map((id) => ({ arn: `${ec2}:security-group/${id}`, related: true as const })),
        ];
    },
    // The objects too: emptying the bucket before deleting it, with `deleteLogsOnDestroy`.
    "aws:s3/bucket:Bucket": (properties, location) => {
        const bucket = bucketArn(location, text(properties, "bucket", "aws:s3/bucket:Bucket"));
        return [{ arn: bucket }, { arn: `${bucket}/*` }];
    },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": bucketScope,
    "aws:s3/bucketPolicy:BucketPolicy": bucketScope,
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": bucketScope,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": bucketScope,
    "aws:s3/bucketVersioning:BucketVersioning": bucketScope,
    "aws:sns/topic:Topic": (properties, location) => [{ arn: `${arnPrefix(location, "sns")}:${text(properties, "name", "aws:sns/topic:Topic")}` }],
    "aws:sns/topicPolicy:TopicPolicy": (properties) => [{ arn: text(properties, "arn", "aws:sns/topicPolicy:TopicPolicy") }],
    // Subscriptions of this protocol and endpoint only (an alert address, not any URL).
    "aws:sns/topicSubscription:TopicSubscription": (properties) => [
        {
            arn: text(properties, "topic", "aws:sns/topicSubscription:TopicSubscription"),
            narrowing: {
                "sns:Protocol": text(properties, "protocol", "aws:sns/topicSubscription:TopicSubscription"),
                "sns:Endpoint": text(properties, "endpoint", "aws:sns/topicSubscription:TopicSubscription"),
            },
        },
    ],
    "aws:cloudwatch/logGroup:LogGroup": (properties, location) => {
        const name = text(properties, "name", "aws:cloudwatch/logGroup:LogGroup");
        // Some Logs actions name the group, others the group's streams (`log-group:NAME:*`).
        return [{ arn: `${arnPrefix(location, "logs")}:log-group:${name}` }, { arn: `${arnPrefix(location, "logs")}:log-group:${name}:*` }];
    },
    // Alarms grow with the models (per-model and quota alarms): named exactly up to EXACT_ALARM_LIMIT, beyond by the
    // prefix every alarm of the stack has, so that the policy stays within IAM's quotas however many models there are.
    "aws:cloudwatch/metricAlarm:MetricAlarm": (properties, location, stack) => {
        const name = text(properties, "name", "aws:cloudwatch/metricAlarm:MetricAlarm");
        const byPrefix = stack.alarmCount > EXACT_ALARM_LIMIT && name.startsWith(ALARM_NAME_PREFIX);
        return [{ arn: `${arnPrefix(location, "cloudwatch")}:alarm:${byPrefix ? `${ALARM_NAME_PREFIX}*` : name}` }];
    },
    "aws:cloudwatch/dashboard:Dashboard": (properties, location) => [
        { arn: `${arnPrefix(location, "cloudwatch", false)}:dashboard/${text(properties, "dashboardName", "aws:cloudwatch/dashboard:Dashboard")}` },
    ],
    // Query definitions have no ARN: their actions accept only `*`.
    "aws:cloudwatch/queryDefinition:QueryDefinition": () => [],
    // The rule reads only the log groups its definition names (`cloudwatch:requestInsightRuleLogGroups` on PutInsightRule).
    "aws:cloudwatch/contributorInsightRule:ContributorInsightRule": (properties, location) => [
        {
            arn: `${arnPrefix(location, "cloudwatch")}:insight-rule/${text(properties, "ruleName", "aws:cloudwatch/contributorInsightRule:ContributorInsightRule")}`,
            everyValueIn: { "cloudwatch:requestInsightRuleLogGroups": ruleLogGroups(properties) },
        },
    ],
    // Deleting a database is authorized on its tables and functions too (the reference requires both types for DeleteDatabase).
    "aws:glue/catalogDatabase:CatalogDatabase": (properties, location) => {
        const glue = arnPrefix(location, "glue");
        const database = text(properties, "name", "aws:glue/catalogDatabase:CatalogDatabase");
        return [{ arn: `${glue}:catalog` }, { arn: `${glue}:database/${database}` }, { arn: `${glue}:table/${database}/*` }, { arn: `${glue}:userDefinedFunction/${database}/*` }];
    },
    "aws:glue/catalogTable:CatalogTable": (properties, location) => {
        const database = text(properties, "databaseName", "aws:glue/catalogTable:CatalogTable");
        const glue = arnPrefix(location, "glue");
        return [{ arn: `${glue}:catalog` }, { arn: `${glue}:database/${database}` }, { arn: `${glue}:table/${database}/${text(properties, "name", "aws:glue/catalogTable:CatalogTable")}` }];
    },
    "aws:athena/workgroup:Workgroup": (properties, location) => [{ arn: `${arnPrefix(location, "athena")}:workgroup/${text(properties, "name", "aws:athena/workgroup:Workgroup")}` }],
    // IAM authorizes a named query on its workgroup.
    "aws:athena/namedQuery:NamedQuery": (properties, location) => [{ arn: `${arnPrefix(location, "athena")}:workgroup/${text(properties, "workgroup", "aws:athena/namedQuery:NamedQuery")}` }],
    // Account-level settings: every action of it accepts only `*`.
    "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration": () => [],
    // An account-level form: its actions accept only `*`.
    "aws:bedrock/useCaseForModelAccess:UseCaseForModelAccess": () => [],
    "aws-native:lex:ResourcePolicy": (properties) => [{ arn: text(properties, "resourceArn", "aws-native:lex:ResourcePolicy") }],
    // AWS chooses the profile's ID: any application profile of the region, bound to the owner tag the stack writes; created from the model it copies.
    "aws:bedrock/inferenceProfile:InferenceProfile": (properties, location) => [
        { arn: `${arnPrefix(location, "bedrock")}:application-inference-profile/*`, tags: ownerTag(properties, "aws:bedrock/inferenceProfile:InferenceProfile"), readsBoundToTags: true },
        { arn: text(properties.modelSource as ResourceProperties, "copyFrom", "aws:bedrock/inferenceProfile:InferenceProfile"), related: true },
    ],
    "aws:budgets/budget:Budget": (properties, location) => [{ arn: `arn:${location.partition}:budgets::${location.accountId}:budget/${text(properties, "name", "aws:budgets/budget:Budget")}` }],
    // Account-level settings of the management account: its actions accept only `*`.
    "aws:costexplorer/costAllocationTag:CostAllocationTag": () => [],
    // The account's enforced guardrail configuration: its actions accept only `*`.
    "aws-native:bedrock:EnforcedGuardrailConfiguration": () => [],
    "aws-native:bedrockmantle:Project": (properties, location) => [{ arn: `${arnPrefix(location, "bedrock-mantle")}:project/*`, tags: ownerTag(properties, "aws-native:bedrockmantle:Project") }],
    "aws:servicequotas/getServiceQuota:getServiceQuota": (inputs, location) => [
        // Reading a quota of the service, whichever: one ARN for every model's quota.
        { arn: `${arnPrefix(location, "servicequotas")}:${text(inputs, "serviceCode", "aws:servicequotas/getServiceQuota:getServiceQuota")}/*` },
    ],
    "aws:iam/getRole:getRole": (inputs, location, stack) => roleArns(location, text(inputs, "name", "aws:iam/getRole:getRole"), stack).map((arn) => ({ arn })),
};

/** A role the provider hands to a service: the deployer needs `iam:PassRole` on it, for that service only. */
export interface PassedRole {
    readonly roleArn: string;
    readonly service: string;
}

/**
 * Roles a resource passes to a service. The provider's code does not show these calls: the service
 * checks `iam:PassRole` of the caller when it is given the role.
 */
export const PASSED_ROLES: Readonly<Record<string, (properties: ResourceProperties) => PassedRole[]>> = {
    "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration": (properties) => {
        const loggingConfig = properties.loggingConfig as { cloudwatchConfig?: { roleArn?: unknown } } | undefined;
        const roleArn = loggingConfig?.cloudwatchConfig?.roleArn;
        return typeof roleArn === "string" ? [{ roleArn, service: "bedrock.amazonaws.com" }] : [];
    },
};
