/**
 * The classic IAM mistakes a security reviewer looks for first, each as the resource that would
 * carry it, with the mandatory policy that must report it; and correct documents from AWS's own
 * guidance (each with its page), which no policy may report. AWS's examples that write wildcard
 * actions (`kms:ReEncrypt*`) are written here with the actions they stand for, since the pack
 * reports wildcard actions on their own account.
 */
import { AnalyzedProvider, AnalyzedResource } from "../../offline/engine/policyPackClient";

export const STACK_ACCOUNT = "123456789012";
export const FOREIGN_ACCOUNT = "999999999999";

/** The stack's default AWS provider as the engine sends it: `aws:allowedAccountIds` as its JSON text. */
export const DEFAULT_PROVIDER: AnalyzedProvider = {
    type: "pulumi:providers:aws",
    urn: "urn:pulumi:test::bedrock-access::pulumi:providers:aws::default",
    name: "default",
    properties: { region: "eu-west-1", allowedAccountIds: `["${STACK_ACCOUNT}"]` },
};

/** A declared `aws.Provider`: its inputs as the program wrote them. */
export const DECLARED_PROVIDER: AnalyzedProvider = {
    type: "pulumi:providers:aws",
    urn: "urn:pulumi:test::bedrock-access::pulumi:providers:aws::eu",
    name: "eu",
    properties: { region: "eu-west-1", allowedAccountIds: [STACK_ACCOUNT] },
};

export interface CorpusCase {
    readonly title: string;
    readonly resource: AnalyzedResource;
    /** Bad cases: the mandatory policies that must report it (and no other). */
    readonly reportedBy?: readonly string[];
    /** Good cases: where AWS shows the document. */
    readonly source?: string;
}

let counter = 0;
function resource(type: string, properties: Record<string, unknown>, provider: AnalyzedProvider | undefined = DEFAULT_PROVIDER): AnalyzedResource {
    counter += 1;
    const name = `r${counter}`;
    return { urn: `urn:pulumi:test::bedrock-access::${type}::${name}`, type, name, properties, ...(provider ? { provider } : {}) };
}

const doc = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
/** Every role carries a boundary: the corpus is about trust, and the boundary rule has its own tests. */
export const CLASSIC_BOUNDARY = "arn:aws:iam::123456789012:policy/classic-boundary";
const role = (trust: Record<string, unknown>, provider?: AnalyzedProvider) => resource("aws:iam/role:Role", { assumeRolePolicy: doc(trust), permissionsBoundary: CLASSIC_BOUNDARY }, provider);
const identity = (statement: Record<string, unknown>) => resource("aws:iam/rolePolicy:RolePolicy", { role: "app", policy: doc({ Sid: "Grant", Effect: "Allow", ...statement }) });

const EXTERNAL_ID = { StringEquals: { "sts:ExternalId": "vendor-7f3a9c2e" } };
const TRUST = "iam-trust-names-principals";
const SCOPED = "iam-resources-scoped";
const PUBLIC = "aws-resource-policies-not-public";
const REGIONS = "bedrock-model-regions-pinned";
const DEPUTY = "bedrock-service-trust-confused-deputy";

const bedrockTrust = (account: string) => ({
    Sid: "BedrockAssumes",
    Effect: "Allow",
    Principal: { Service: "bedrock.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": account }, ArnLike: { "aws:SourceArn": `arn:aws:bedrock:eu-west-1:${account}:flow/*` } },
});

export const BAD_CASES: readonly CorpusCase[] = [
    { title: 'a trust of {"AWS": "*"} with an external ID', resource: role({ Sid: "Vendor", Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: EXTERNAL_ID }), reportedBy: [TRUST] },
    { title: 'a trust of "Principal": "*" with an external ID', resource: role({ Sid: "Vendor", Effect: "Allow", Principal: "*", Action: "sts:AssumeRole", Condition: EXTERNAL_ID }), reportedBy: [TRUST] },
    {
        title: "a trust through NotPrincipal",
        resource: role({ Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole", Condition: EXTERNAL_ID }),
        // NotPrincipal admits Bedrock too, with no account pinned.
        reportedBy: [TRUST, DEPUTY],
    },
    {
        title: "a trust of an AWS principal with a wildcard",
        resource: role({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:role/vendor-*" }, Action: "sts:AssumeRole", Condition: EXTERNAL_ID }),
        reportedBy: [TRUST],
    },
    {
        title: 'a trust of "*" narrowed only by an aws:PrincipalOrgID pattern',
        resource: role({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { ...EXTERNAL_ID, StringLike: { "aws:PrincipalOrgID": "o-*" } } }),
        reportedBy: [TRUST],
    },
    {
        title: "an sts:AssumeRoleWithSAML trust with no SAML:aud",
        resource: role({ Effect: "Allow", Principal: { Federated: "arn:aws:iam::123456789012:saml-provider/Okta" }, Action: "sts:AssumeRoleWithSAML" }),
        reportedBy: [TRUST],
    },
    { title: "a Bedrock service trust pinned to another account (the stack's aws:allowedAccountIds)", resource: role(bedrockTrust(FOREIGN_ACCOUNT)), reportedBy: [DEPUTY] },
    { title: "a Bedrock service trust pinned to another account (a declared aws.Provider)", resource: role(bedrockTrust(FOREIGN_ACCOUNT), DECLARED_PROVIDER), reportedBy: [DEPUTY] },
    { title: "iam:PassRole on *", resource: identity({ Action: "iam:PassRole", Resource: "*" }), reportedBy: [SCOPED] },
    { title: "sts:AssumeRole on *", resource: identity({ Action: "sts:AssumeRole", Resource: "*" }), reportedBy: [SCOPED] },
    { title: "iam:PutRolePolicy on *", resource: identity({ Action: "iam:PutRolePolicy", Resource: "*" }), reportedBy: [SCOPED] },
    { title: "iam:CreatePolicyVersion on *", resource: identity({ Action: "iam:CreatePolicyVersion", Resource: "*" }), reportedBy: [SCOPED] },
    { title: "s3:GetObject on *", resource: identity({ Action: "s3:GetObject", Resource: "*" }), reportedBy: [SCOPED] },
    { title: "kms:Decrypt on *", resource: identity({ Action: "kms:Decrypt", Resource: "*" }), reportedBy: [SCOPED] },
    { title: "secretsmanager:GetSecretValue on *", resource: identity({ Action: "secretsmanager:GetSecretValue", Resource: "*" }), reportedBy: [SCOPED] },
    { title: "ssm:GetParameter on every parameter of every account", resource: identity({ Action: "ssm:GetParameter", Resource: "arn:aws:ssm:*:*:parameter/*" }), reportedBy: [SCOPED] },
    { title: "dynamodb:Scan through NotResource", resource: identity({ Action: "dynamodb:Scan", NotResource: "arn:aws:dynamodb:eu-west-1:123456789012:table/audit" }), reportedBy: [SCOPED] },
    {
        title: "iam:PassRole on one role but to any service",
        resource: identity({ Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/app-task" }),
        reportedBy: [SCOPED],
    },
    {
        title: "an S3 bucket policy open to *",
        resource: resource("aws:s3/bucketPolicy:BucketPolicy", { bucket: "data", policy: doc({ Sid: "Public", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::data/*" }) }),
        reportedBy: [PUBLIC],
    },
    {
        title: "a KMS key policy open to every AWS account",
        resource: resource("aws:kms/key:Key", {
            policy: doc({ Sid: "Use", Effect: "Allow", Principal: { AWS: "*" }, Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: "*" }),
        }),
        reportedBy: [PUBLIC],
    },
    {
        title: "an aws.lambda.Permission open to *",
        resource: resource("aws:lambda/permission:Permission", { action: "lambda:InvokeFunction", function: "f", principal: "*" }),
        reportedBy: [PUBLIC],
    },
    {
        title: "an SNS topic policy letting cloudwatch.amazonaws.com publish with no source condition",
        resource: resource("aws:sns/topicPolicy:TopicPolicy", {
            arn: "arn:aws:sns:eu-west-1:123456789012:alerts",
            policy: doc({ Sid: "Alarms", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: "arn:aws:sns:eu-west-1:123456789012:alerts" }),
        }),
        reportedBy: [PUBLIC],
    },
    {
        title: "an SQS queue policy letting SNS send for another account's topic",
        resource: resource("aws:sqs/queuePolicy:QueuePolicy", {
            queueUrl: "q",
            policy: doc({
                Effect: "Allow",
                Principal: { Service: "sns.amazonaws.com" },
                Action: "sqs:SendMessage",
                Resource: "arn:aws:sqs:eu-west-1:123456789012:q",
                Condition: { ArnEquals: { "aws:SourceArn": `arn:aws:sns:eu-west-1:${FOREIGN_ACCOUNT}:topic` } },
            }),
        }),
        reportedBy: [PUBLIC],
    },
    {
        title: "a secret's policy open to * with an IfExists organization check",
        resource: resource("aws:secretsmanager/secretPolicy:SecretPolicy", {
            secretArn: "s",
            policy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "secretsmanager:GetSecretValue", Resource: "*", Condition: { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }),
        }),
        reportedBy: [PUBLIC],
    },
    {
        title: "an ECR repository policy open to every account",
        resource: resource("aws:ecr/repositoryPolicy:RepositoryPolicy", {
            repository: "app",
            policy: doc({ Sid: "Pull", Effect: "Allow", Principal: { AWS: "*" }, Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] }),
        }),
        reportedBy: [PUBLIC],
    },
    {
        title: "a CloudWatch Logs resource policy letting a delivery service write for any account",
        resource: resource("aws:cloudwatch/logResourcePolicy:LogResourcePolicy", {
            policyName: "delivery",
            policyDocument: doc({
                Effect: "Allow",
                Principal: { Service: "delivery.logs.amazonaws.com" },
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/*",
            }),
        }),
        reportedBy: [PUBLIC],
    },
    {
        title: "a Lambda permission for S3 naming a bucket but no account",
        resource: resource("aws:lambda/permission:Permission", { action: "lambda:InvokeFunction", function: "f", principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::uploads" }),
        reportedBy: [PUBLIC],
    },
    {
        title: "bedrock:InvokeModel on a foundation model in any region, with no condition",
        resource: identity({ Action: "bedrock:InvokeModel", Resource: "arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0" }),
        reportedBy: [REGIONS],
    },
    {
        title: "bedrock:InvokeModel on a region-less foundation model, with no condition",
        resource: identity({ Action: "bedrock:InvokeModel", Resource: "arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0" }),
        reportedBy: [REGIONS],
    },
    {
        title: "bedrock:InvokeModel in any region through any profile of any account",
        resource: identity({
            Action: "bedrock:InvokeModel",
            Resource: "arn:aws:bedrock:*::foundation-model/amazon.nova-pro-v1:0",
            Condition: { ArnLike: { "bedrock:InferenceProfileArn": "arn:aws:bedrock:*:*:inference-profile/*" } },
        }),
        reportedBy: [REGIONS],
    },
];

/** Correct documents, as AWS's guidance writes them. */
export const GOOD_CASES: readonly CorpusCase[] = [
    {
        title: "a cross-account trust naming the account, with an external ID",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html",
        resource: role({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "Unique-ID-Assigned-by-Example-Corp" } } }),
    },
    {
        title: "a SAML trust pinning SAML:aud",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_saml.html",
        resource: role({
            Effect: "Allow",
            Principal: { Federated: "arn:aws:iam::123456789012:saml-provider/ExampleOrgSSOProvider" },
            Action: "sts:AssumeRoleWithSAML",
            Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } },
        }),
    },
    {
        title: "a Bedrock service trust pinned to this stack's account",
        source: "https://docs.aws.amazon.com/bedrock/latest/userguide/flows-permissions.html",
        resource: role(bedrockTrust(STACK_ACCOUNT)),
    },
    {
        title: "the same trust under a declared aws.Provider",
        source: "https://docs.aws.amazon.com/bedrock/latest/userguide/flows-permissions.html",
        resource: role(bedrockTrust(STACK_ACCOUNT), DECLARED_PROVIDER),
    },
    {
        title: "reading the objects of one bucket",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_s3_rw-bucket.html",
        resource: identity({ Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: "arn:aws:s3:::amzn-s3-demo-bucket/*" }),
    },
    {
        title: "iam:PassRole of one role to one service",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
        resource: identity({ Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/EC2-roles-for-XYZ-*", Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } } }),
    },
    {
        title: "starting and stopping instances bound by their tag",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_ec2_tag-owner.html",
        resource: identity({ Action: ["ec2:StartInstances", "ec2:StopInstances"], Resource: "arn:aws:ec2:*:*:instance/*", Condition: { StringEquals: { "aws:ResourceTag/Owner": "${aws:username}" } } }),
    },
    {
        title: "publishing metrics in one namespace, and X-Ray's *-only actions",
        source: "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/runtime-permissions.html",
        resource: identity({ Action: ["cloudwatch:PutMetricData", "xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": "bedrock-agentcore" } } }),
    },
    {
        title: "reading one secret and decrypting with one key",
        source: "https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html",
        resource: identity({
            Action: ["secretsmanager:GetSecretValue", "kms:Decrypt"],
            Resource: ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/app-AbCdEf", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
        }),
    },
    {
        title: "listing buckets and models (actions that accept only *)",
        source: "https://docs.aws.amazon.com/bedrock/latest/userguide/security_iam_id-based-policy-examples.html",
        resource: identity({ Action: ["s3:ListAllMyBuckets", "bedrock:ListFoundationModels"], Resource: "*" }),
    },
    {
        title: "a cross-region inference profile and its models, the models only through the profile",
        source: "https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html",
        resource: identity({
            Action: "bedrock:InvokeModel",
            Resource: [
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0",
                "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-20241022-v2:0",
            ],
            Condition: { StringLike: { "bedrock:InferenceProfileArn": "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0" } },
        }),
    },
    {
        title: "a global inference profile's region-less model ARN, under its profile",
        source: "https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html",
        resource: identity({
            Action: "bedrock:InvokeModel",
            Resource: "arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
            Condition: { StringEquals: { "bedrock:InferenceProfileArn": "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/global.anthropic.claude-sonnet-4-5-20250929-v1:0" } },
        }),
    },
    {
        title: "a bucket policy for CloudTrail, pinned by aws:SourceArn",
        source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html",
        resource: resource("aws:s3/bucketPolicy:BucketPolicy", {
            bucket: "amzn-s3-demo-bucket",
            policy: doc(
                {
                    Sid: "AWSCloudTrailAclCheck20150319",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: "s3:GetBucketAcl",
                    Resource: "arn:aws:s3:::amzn-s3-demo-bucket",
                    Condition: { StringEquals: { "aws:SourceArn": "arn:aws:cloudtrail:eu-west-1:123456789012:trail/myTrail" } },
                },
                {
                    Sid: "AWSCloudTrailWrite20150319",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: "arn:aws:s3:::amzn-s3-demo-bucket/AWSLogs/123456789012/*",
                    Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": "arn:aws:cloudtrail:eu-west-1:123456789012:trail/myTrail" } },
                },
            ),
        }),
    },
    {
        title: "a bucket policy denying plain HTTP to everyone",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
        resource: resource("aws:s3/bucketPolicy:BucketPolicy", {
            bucket: "amzn-s3-demo-bucket",
            policy: doc({
                Sid: "RestrictToTLSRequestsOnly",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: ["arn:aws:s3:::amzn-s3-demo-bucket", "arn:aws:s3:::amzn-s3-demo-bucket/*"],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            }),
        }),
    },
    {
        title: "a key policy for every principal of the account using EBS (kms:CallerAccount and kms:ViaService)",
        source: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
        resource: resource("aws:kms/key:Key", {
            policy: doc({
                Sid: "Allow access through EBS for all principals in the account that are authorized to use EBS",
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:CreateGrant", "kms:DescribeKey"],
                Resource: "*",
                Condition: { StringEquals: { "kms:CallerAccount": "123456789012", "kms:ViaService": "ec2.eu-west-1.amazonaws.com" } },
            }),
        }),
    },
    {
        title: "a key policy for CloudWatch Logs, pinned by the encryption context's log-group ARN",
        source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
        resource: resource("aws:kms/key:Key", {
            policy: doc({
                Effect: "Allow",
                Principal: { Service: "logs.eu-west-1.amazonaws.com" },
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:DescribeKey"],
                Resource: "*",
                Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:app" } },
            }),
        }),
    },
    {
        title: "an SNS topic policy for S3 event notifications",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html",
        resource: resource("aws:sns/topicPolicy:TopicPolicy", {
            arn: "arn:aws:sns:eu-west-1:123456789012:uploads",
            policy: doc({
                Sid: "Example SNS topic policy",
                Effect: "Allow",
                Principal: { Service: "s3.amazonaws.com" },
                Action: "SNS:Publish",
                Resource: "arn:aws:sns:eu-west-1:123456789012:uploads",
                Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::amzn-s3-demo-bucket" }, StringEquals: { "aws:SourceAccount": "123456789012" } },
            }),
        }),
    },
    {
        title: "an SNS topic policy for CloudWatch alarms of this account",
        source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html",
        resource: resource("aws:sns/topicPolicy:TopicPolicy", {
            arn: "arn:aws:sns:eu-west-1:123456789012:alerts",
            policy: doc({
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: "sns:Publish",
                Resource: "arn:aws:sns:eu-west-1:123456789012:alerts",
                Condition: { ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*" }, StringEquals: { "aws:SourceAccount": "123456789012" } },
            }),
        }),
    },
    {
        title: "an SQS queue policy for this account's SNS topic",
        source: "https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html",
        resource: resource("aws:sqs/queuePolicy:QueuePolicy", {
            queueUrl: "q",
            policy: doc({
                Effect: "Allow",
                Principal: { Service: "sns.amazonaws.com" },
                Action: "sqs:SendMessage",
                Resource: "arn:aws:sqs:eu-west-1:123456789012:q",
                Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:eu-west-1:123456789012:topic" } },
            }),
        }),
    },
    {
        title: "a bucket policy open to the organization only",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid",
        resource: resource("aws:s3/bucketPolicy:BucketPolicy", {
            bucket: "shared",
            policy: doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::shared/*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }),
        }),
    },
    {
        title: "an ECR repository policy letting another account pull",
        source: "https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html",
        resource: resource("aws:ecr/repositoryPolicy:RepositoryPolicy", {
            repository: "app",
            policy: doc({ Sid: "AllowCrossAccountPull", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] }),
        }),
    },
    {
        title: "a Lambda permission for S3 with the bucket and the account",
        source: "https://docs.aws.amazon.com/lambda/latest/dg/with-s3-example.html",
        resource: resource("aws:lambda/permission:Permission", {
            action: "lambda:InvokeFunction",
            function: "f",
            principal: "s3.amazonaws.com",
            sourceArn: "arn:aws:s3:::amzn-s3-demo-bucket",
            sourceAccount: "123456789012",
        }),
    },
    {
        title: "a Lambda permission for another account",
        source: "https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-cross-account.html",
        resource: resource("aws:lambda/permission:Permission", { action: "lambda:InvokeFunction", function: "f", principal: "111122223333" }),
    },
    {
        title: "a VPC endpoint policy with Principal * (a restriction, left to the endpoint rules)",
        source: "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html",
        resource: resource("aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy", {
            vpcEndpointId: "vpce-1",
            policy: doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket/*" }),
        }),
    },
];
