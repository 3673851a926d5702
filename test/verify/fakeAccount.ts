/**
 * A deployed stack as AWS would answer for it, built from what the program writes, served by SDK
 * clients mocked with aws-sdk-client-mock in the SDKs' documented response shapes. IAM's answers are
 * as IAM gives them: documents URL-encoded, re-serialized (statements in another order, indented),
 * the external ID a real value; the policy simulator is played by @cloud-copilot/iam-simulate on the
 * role's deployed documents. Tests change one thing in `state` to make one kind of drift.
 */
import { BedrockClient, GetModelInvocationLoggingConfigurationCommand } from "@aws-sdk/client-bedrock";
import { CloudWatchClient, DashboardNotFoundError, DescribeAlarmsCommand, GetDashboardCommand, MetricAlarm } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, DescribeLogGroupsCommand, LogGroup } from "@aws-sdk/client-cloudwatch-logs";
import {
    GetPolicyCommand,
    GetPolicyVersionCommand,
    GetRoleCommand,
    GetRolePolicyCommand,
    IAMClient,
    ListAttachedRolePoliciesCommand,
    ListRolePoliciesCommand,
    NoSuchEntityException,
    SimulatePrincipalPolicyCommand,
} from "@aws-sdk/client-iam";
import {
    GetBucketEncryptionCommand,
    GetBucketPolicyCommand,
    GetBucketVersioningCommand,
    GetPublicAccessBlockCommand,
    NoSuchBucket,
    PublicAccessBlockConfiguration,
    S3Client,
    S3ServiceException,
    ServerSideEncryptionRule,
} from "@aws-sdk/client-s3";
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, NotFoundException, SNSClient, Subscription } from "@aws-sdk/client-sns";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { PolicyDocument } from "../../components/iam/iamDocument";
import { SECRET_PLACEHOLDER } from "../../offline/engine/stackFile";
import { VerifyClients } from "../../verify/awsClients";
import { ExpectedStack, KeyExpectation } from "../../verify/expectedStack";
import { decide } from "../simulate";

/** The external ID the deployed gateway roles hold (the stack file holds it encrypted; verify never reads it). */
export const DEPLOYED_EXTERNAL_ID = "portkey-7f3a9c2e";
/** The ARN AWS gave a key the stack created. */
export const CREATED_KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
export const CALLER_ARN = "arn:aws:sts::123456789012:assumed-role/verifier/session";

export interface FakeRole {
    arn: string;
    trustPolicy: string;
    /** Inline policies by name (the provider names them; verify lists them). */
    inline: Map<string, string>;
    attachedPolicyArns: string[];
    /** The permissions boundary the role carries (GetRole's PermissionsBoundary), if any. */
    permissionsBoundary?: string;
}

/** Everything the fake account answers with; tests mutate it. */
export interface FakeAccountState {
    accountId: string;
    roles: Map<string, FakeRole>;
    /** Managed policies by ARN: their default version's document. */
    managedPolicies: Map<string, string>;
    /** Requests the simulator denies whatever the documents say (a permissions boundary, an SCP): `action resource`. */
    simulatorDenies: Set<string>;
    loggingConfig: Record<string, unknown> | undefined;
    logGroups: LogGroup[];
    buckets: Map<string, { publicAccessBlock?: PublicAccessBlockConfiguration; versioning?: string; encryption?: ServerSideEncryptionRule[]; policy?: string }>;
    alarms: Map<string, MetricAlarm>;
    dashboards: Set<string>;
    topics: Map<string, { attributes: Record<string, string>; subscriptions: Subscription[] }>;
}

/** A document as IAM might store and return it: same grants, statements reversed, indented. */
function reserialized(document: unknown): string {
    const parsed = (typeof document === "string" ? JSON.parse(document) : document) as { Statement: unknown[] };
    return JSON.stringify({ ...parsed, Statement: [...parsed.Statement].reverse() }, null, 2);
}

const keyArnOf = (key: KeyExpectation) => (key.kind === "exact" ? key.keyArn : key.kind === "created" ? CREATED_KEY_ARN : undefined);

/** The account as the program would leave it after `pulumi up`, with every subscription confirmed. */
export function deployedState(stack: ExpectedStack): FakeAccountState {
    const { accountId } = stack.location;
    const roles = new Map<string, FakeRole>();
    for (const role of stack.roles) {
        const arn = `arn:aws:iam::${accountId}:role/${role.roleName}`;
        const inline = new Map(role.permissionDocuments.map((document, index) => [`${role.roleName}-policy-${index}`, reserialized(document)]));
        // An existing role (attachToRole) has a trust of its own.
        const trustPolicy = role.trustPolicy
            ? reserialized(role.trustPolicy.split(SECRET_PLACEHOLDER).join(DEPLOYED_EXTERNAL_ID))
            : JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Federated: `arn:aws:iam::${accountId}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE` }, Action: "sts:AssumeRoleWithWebIdentity" }] });
        // Every role carries the stack's boundary (an attachToRole role's owner has set it).
        roles.set(role.roleName, { arn, trustPolicy, inline, attachedPolicyArns: [], ...(role.permissionsBoundary ? { permissionsBoundary: role.permissionsBoundary } : {}) });
    }
    return {
        accountId,
        roles,
        managedPolicies: new Map(stack.managedPolicies.map((policy) => [policy.policyArn, reserialized(policy.document)])),
        simulatorDenies: new Set(),
        loggingConfig: stack.loggingConfigurations[0] && { ...structuredClone(stack.loggingConfigurations[0]), videoDataDeliveryEnabled: false },
        logGroups: stack.logGroups.map((logGroup) => ({
            logGroupName: logGroup.logGroupName,
            retentionInDays: logGroup.retentionInDays,
            kmsKeyId: keyArnOf(logGroup.key),
            arn: `arn:aws:logs:eu-west-1:${accountId}:log-group:${logGroup.logGroupName}:*`,
        })),
        buckets: new Map(
            stack.buckets.map((bucket) => [
                bucket.bucket,
                {
                    publicAccessBlock: bucket.publicAccessBlock && { ...bucket.publicAccessBlock },
                    versioning: bucket.versioning,
                    encryption: bucket.encryption && [
                        {
                            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: bucket.encryption.algorithm as "aws:kms", KMSMasterKeyID: keyArnOf(bucket.encryption.key) },
                            BucketKeyEnabled: bucket.encryption.bucketKeyEnabled,
                        },
                    ],
                    policy: bucket.policy && reserialized(bucket.policy),
                },
            ]),
        ),
        alarms: new Map(
            stack.alarms.map((alarm) => [
                alarm.alarmName,
                {
                    AlarmName: alarm.alarmName,
                    AlarmArn: `arn:aws:cloudwatch:eu-west-1:${accountId}:alarm:${alarm.alarmName}`,
                    AlarmActions: [...alarm.alarmActions],
                    OKActions: [...alarm.okActions],
                    Threshold: alarm.threshold,
                    EvaluationPeriods: alarm.evaluationPeriods,
                    ComparisonOperator: "GreaterThanOrEqualToThreshold",
                    StateValue: "OK",
                },
            ]),
        ),
        dashboards: new Set(stack.dashboards),
        topics: new Map(
            stack.topics.map((topic) => [
                topic.topicArn,
                {
                    attributes: {
                        TopicArn: topic.topicArn,
                        Owner: accountId,
                        ...(topic.policy ? { Policy: reserialized(topic.policy) } : {}),
                        ...(keyArnOf(topic.key) ? { KmsMasterKeyId: keyArnOf(topic.key)! } : {}),
                    },
                    subscriptions: topic.subscriptions.map((subscription, index) => ({
                        SubscriptionArn: `${topic.topicArn}:0b9e0c5e-0000-4000-8000-00000000000${index}`,
                        Owner: accountId,
                        Protocol: subscription.protocol,
                        Endpoint: subscription.endpoint,
                        TopicArn: topic.topicArn,
                    })),
                },
            ]),
        ),
    };
}

/** The key policy AWS writes by default: the account's IAM policies decide. */
const defaultKeyPolicy = (accountId: string): PolicyDocument => ({
    Version: "2012-10-17",
    Statement: [{ Sid: "Default", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" }],
});

const s3Error = (name: string, message: string) => new S3ServiceException({ name, message, $fault: "client", $metadata: { httpStatusCode: 404 } });
const noSuchEntity = (message: string) => new NoSuchEntityException({ message, $metadata: { httpStatusCode: 404 } });
const encoded = (document: string) => encodeURIComponent(document);

export interface FakeAccount {
    readonly clients: VerifyClients;
    readonly state: FakeAccountState;
    /** The stubs, for a test that makes one call fail another way (`stubs.cloudWatch.on(GetDashboardCommand).rejects(...)`). */
    readonly stubs: { readonly iam: AwsClientStub<IAMClient>; readonly cloudWatch: AwsClientStub<CloudWatchClient>; readonly sts: AwsClientStub<STSClient> };
    /** The name of every command the clients were sent, in order. */
    sentCommands(): string[];
}

/** Mocked clients answering from `state`. */
export function fakeAccount(state: FakeAccountState): FakeAccount {
    const clients: VerifyClients = {
        sts: new STSClient({ region: "eu-west-1" }),
        iam: new IAMClient({ region: "eu-west-1" }),
        bedrock: new BedrockClient({ region: "eu-west-1" }),
        cloudWatch: new CloudWatchClient({ region: "eu-west-1" }),
        logs: new CloudWatchLogsClient({ region: "eu-west-1" }),
        s3: new S3Client({ region: "eu-west-1" }),
        sns: new SNSClient({ region: "eu-west-1" }),
    };
    const sts = mockClient(clients.sts);
    sts.on(GetCallerIdentityCommand).callsFake(async () => ({ UserId: "AROAEXAMPLE:session", Account: state.accountId, Arn: CALLER_ARN }));

    const iam = mockClient(clients.iam);
    const roleNamed = (name: string) => {
        const role = state.roles.get(name);
        if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
        return role;
    };
    iam.on(GetRoleCommand).callsFake(async ({ RoleName }) => {
        const role = roleNamed(RoleName);
        const boundary = role.permissionsBoundary ? { PermissionsBoundary: { PermissionsBoundaryType: "Policy" as const, PermissionsBoundaryArn: role.permissionsBoundary } } : {};
        return { Role: { Path: "/", RoleName, RoleId: "AROAEXAMPLE", Arn: role.arn, CreateDate: new Date(0), AssumeRolePolicyDocument: encoded(role.trustPolicy), MaxSessionDuration: 3600, ...boundary } };
    });
    iam.on(ListRolePoliciesCommand).callsFake(async ({ RoleName }) => ({ PolicyNames: [...roleNamed(RoleName).inline.keys()], IsTruncated: false }));
    iam.on(GetRolePolicyCommand).callsFake(async ({ RoleName, PolicyName }) => {
        const document = roleNamed(RoleName).inline.get(PolicyName);
        if (!document) throw noSuchEntity(`The role policy with name ${PolicyName} cannot be found.`);
        return { RoleName, PolicyName, PolicyDocument: encoded(document) };
    });
    // Two pages, as IAM pages long lists: verify must follow the marker.
    iam.on(ListAttachedRolePoliciesCommand).callsFake(async ({ RoleName, Marker }) => {
        const attached = roleNamed(RoleName).attachedPolicyArns.map((PolicyArn) => ({ PolicyArn, PolicyName: PolicyArn.split("/").pop() }));
        return Marker ? { AttachedPolicies: attached.slice(1), IsTruncated: false } : { AttachedPolicies: attached.slice(0, 1), IsTruncated: attached.length > 1, Marker: attached.length > 1 ? "page-2" : undefined };
    });
    iam.on(GetPolicyCommand).callsFake(async ({ PolicyArn }) => {
        if (!state.managedPolicies.has(PolicyArn)) throw noSuchEntity(`Policy ${PolicyArn} was not found.`);
        return { Policy: { Arn: PolicyArn, PolicyName: PolicyArn.split("/").pop(), DefaultVersionId: "v3", AttachmentCount: 1 } };
    });
    iam.on(GetPolicyVersionCommand).callsFake(async ({ PolicyArn, VersionId }) => ({
        PolicyVersion: { Document: encoded(state.managedPolicies.get(PolicyArn)!), VersionId, IsDefaultVersion: true, CreateDate: new Date(0) },
    }));
    iam.on(SimulatePrincipalPolicyCommand).callsFake(async ({ PolicySourceArn, ActionNames, ResourceArns, ContextEntries }) => {
        const role = [...state.roles.values()].find((candidate) => candidate.arn === PolicySourceArn);
        if (!role) throw noSuchEntity(`${PolicySourceArn} cannot be found.`);
        const documents = [...role.inline.values(), ...role.attachedPolicyArns.map((arn) => state.managedPolicies.get(arn)!)].map((document) => JSON.parse(document));
        const context = Object.fromEntries(((ContextEntries ?? []) as { ContextKeyName: string; ContextKeyValues: string[] }[]).map((entry) => [entry.ContextKeyName, entry.ContextKeyValues[0]]));
        const [action, resource] = [ActionNames[0] as string, ResourceArns[0] as string];
        const decision = state.simulatorDenies.has(`${action} ${resource}`)
            ? "ImplicitlyDenied"
            : await decide({
                  action,
                  principal: PolicySourceArn,
                  resource,
                  resourceAccount: state.accountId,
                  identityPolicies: documents,
                  // IAM's simulator evaluates identity policies alone; the local one also asks KMS's key policy, so give it AWS's default.
                  resourcePolicy: action.startsWith("kms:") ? defaultKeyPolicy(state.accountId) : undefined,
                  context,
                  unchecked: true,
              });
        const EvalDecision = decision === "Allowed" ? "allowed" : decision === "ExplicitlyDenied" ? "explicitDeny" : "implicitDeny";
        return { EvaluationResults: [{ EvalActionName: action, EvalResourceName: resource, EvalDecision, MatchedStatements: [], MissingContextValues: [] }], IsTruncated: false };
    });

    const bedrock = mockClient(clients.bedrock);
    bedrock.on(GetModelInvocationLoggingConfigurationCommand).callsFake(async () => (state.loggingConfig ? { loggingConfig: state.loggingConfig } : {}));

    const logs = mockClient(clients.logs);
    logs.on(DescribeLogGroupsCommand).callsFake(async ({ logGroupNamePrefix }) => ({ logGroups: state.logGroups.filter((logGroup) => logGroup.logGroupName!.startsWith(logGroupNamePrefix ?? "")) }));

    const s3 = mockClient(clients.s3);
    const bucketNamed = (name: string) => {
        const bucket = state.buckets.get(name);
        if (!bucket) throw new NoSuchBucket({ message: "The specified bucket does not exist", $metadata: { httpStatusCode: 404 } });
        return bucket;
    };
    s3.on(GetPublicAccessBlockCommand).callsFake(async ({ Bucket }) => {
        const block = bucketNamed(Bucket).publicAccessBlock;
        if (!block) throw s3Error("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found");
        return { PublicAccessBlockConfiguration: block };
    });
    s3.on(GetBucketVersioningCommand).callsFake(async ({ Bucket }) => (bucketNamed(Bucket).versioning ? { Status: bucketNamed(Bucket).versioning } : {}));
    s3.on(GetBucketEncryptionCommand).callsFake(async ({ Bucket }) => {
        const rules = bucketNamed(Bucket).encryption;
        if (!rules) throw s3Error("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found");
        return { ServerSideEncryptionConfiguration: { Rules: rules } };
    });
    s3.on(GetBucketPolicyCommand).callsFake(async ({ Bucket }) => {
        const policy = bucketNamed(Bucket).policy;
        if (!policy) throw s3Error("NoSuchBucketPolicy", "The bucket policy does not exist");
        return { Policy: policy };
    });

    const cloudWatch = mockClient(clients.cloudWatch);
    cloudWatch.on(DescribeAlarmsCommand).callsFake(async ({ AlarmNames }) => ({
        MetricAlarms: (AlarmNames as string[]).flatMap((name) => (state.alarms.has(name) ? [state.alarms.get(name)!] : [])),
        CompositeAlarms: [],
    }));
    cloudWatch.on(GetDashboardCommand).callsFake(async ({ DashboardName }) => {
        if (!state.dashboards.has(DashboardName)) throw new DashboardNotFoundError({ message: `Dashboard ${DashboardName} does not exist`, $metadata: { httpStatusCode: 404 } });
        return { DashboardArn: `arn:aws:cloudwatch::${state.accountId}:dashboard/${DashboardName}`, DashboardName, DashboardBody: "{}" };
    });

    const sns = mockClient(clients.sns);
    const topicNamed = (arn: string) => {
        const topic = state.topics.get(arn);
        if (!topic) throw new NotFoundException({ message: "Topic does not exist", $metadata: { httpStatusCode: 404 } });
        return topic;
    };
    sns.on(GetTopicAttributesCommand).callsFake(async ({ TopicArn }) => ({ Attributes: topicNamed(TopicArn).attributes }));
    sns.on(ListSubscriptionsByTopicCommand).callsFake(async ({ TopicArn }) => ({ Subscriptions: topicNamed(TopicArn).subscriptions }));

    const recorders: { calls(): { readonly args: readonly unknown[] }[] }[] = [sts, iam, bedrock, logs, s3, cloudWatch, sns];
    return {
        clients,
        state,
        stubs: { iam, cloudWatch, sts },
        sentCommands: () => recorders.flatMap((recorder) => recorder.calls().map((call) => (call.args[0] as object).constructor.name)),
    };
}
