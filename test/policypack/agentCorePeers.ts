/**
 * The AgentCore role documents that popular public sources write, reconstructed faithfully from
 * their templates with the placeholders filled (account 123456789012, region us-east-1, agent
 * `my_agent`): what a new user gets from each, and what the pack must say about it.
 *
 * Provenance (read through the search tool, December 2026):
 * - STARTER_TOOLKIT_*: aws/bedrock-agentcore-starter-toolkit,
 *   src/bedrock_agentcore_starter_toolkit/utils/runtime/templates/execution_role_policy.json.j2
 *   (commit 2700d97961cdd2294fc05457ccebcf77e71a0a9d), rendered for a container deployment without an
 *   ECR repository name (`repository/*`), with memory enabled and no memory ID, A2A off.
 * - TERRAFORM_*: aws-ia/terraform-aws-agentcore, iam.tf (commit 428f280d2a68b5aff37f717869a9e0dc1c44c35b):
 *   `runtime_assume_role` and `gateway_assume_role` (no condition), `runtime_policy` for a CONTAINER
 *   runtime, `gateway_policy` with one Lambda target, as `aws_iam_policy_document` renders them.
 * - CDK_GATEWAY_TRUST: aws-cdk-lib aws-bedrockagentcore/lib/gateway/gateway.ts `createGatewayRole()`
 *   (aws/aws-cdk#38780): the role is created with a bare `ServicePrincipal`, then the conditioned
 *   statement is added, so the synthesized trust holds both, for a gateway named `my-gateway`.
 */
const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const arn = (service: string, resource: string, account = ACCOUNT) => `arn:aws:${service}:${REGION}:${account}:${resource}`;

export const STARTER_TOOLKIT_EXECUTION_POLICY = {
    Version: "2012-10-17",
    Statement: [
        { Sid: "ECRImageAccess", Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: [arn("ecr", "repository/*")] },
        { Effect: "Allow", Action: ["logs:DescribeLogStreams", "logs:CreateLogGroup"], Resource: [arn("logs", "log-group:/aws/bedrock-agentcore/runtimes/*")] },
        { Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: [arn("logs", "log-group:*")] },
        { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [arn("logs", "log-group:/aws/bedrock-agentcore/runtimes/*:log-stream:*")] },
        { Sid: "ECRTokenAccess", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
        { Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"], Resource: ["*"] },
        { Effect: "Allow", Resource: "*", Action: "cloudwatch:PutMetricData", Condition: { StringEquals: { "cloudwatch:namespace": "bedrock-agentcore" } } },
        { Sid: "CloudWatchLogsPutResourcePolicy", Effect: "Allow", Action: ["logs:PutResourcePolicy"], Resource: [arn("logs", "log-group:/aws/bedrock-agentcore/runtimes/my_agent-*")] },
        {
            Sid: "BedrockAgentCoreMemory",
            Effect: "Allow",
            Action: [
                "bedrock-agentcore:CreateEvent",
                "bedrock-agentcore:GetEvent",
                "bedrock-agentcore:GetMemory",
                "bedrock-agentcore:GetMemoryRecord",
                "bedrock-agentcore:ListActors",
                "bedrock-agentcore:ListEvents",
                "bedrock-agentcore:ListMemoryRecords",
                "bedrock-agentcore:ListSessions",
                "bedrock-agentcore:DeleteEvent",
                "bedrock-agentcore:DeleteMemoryRecord",
                "bedrock-agentcore:RetrieveMemoryRecords",
            ],
            Resource: [arn("bedrock-agentcore", "memory/my_agent_mem-*")],
        },
        {
            Sid: "BedrockAgentCoreIdentityGetResourceApiKey",
            Effect: "Allow",
            Action: ["bedrock-agentcore:GetResourceApiKey"],
            Resource: [
                arn("bedrock-agentcore", "token-vault/default"),
                arn("bedrock-agentcore", "token-vault/default/apikeycredentialprovider/*"),
                arn("bedrock-agentcore", "workload-identity-directory/default"),
                arn("bedrock-agentcore", "workload-identity-directory/default/workload-identity/*"),
            ],
        },
        {
            Sid: "BedrockAgentCoreIdentityGetCredentialProviderClientSecret",
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue"],
            Resource: [arn("secretsmanager", "secret:bedrock-agentcore-identity!default/oauth2/*"), arn("secretsmanager", "secret:bedrock-agentcore-identity!default/apikey/*")],
        },
        {
            Sid: "BedrockAgentCoreIdentityGetResourceOauth2Token",
            Effect: "Allow",
            Action: ["bedrock-agentcore:GetResourceOauth2Token"],
            Resource: [
                arn("bedrock-agentcore", "token-vault/default"),
                arn("bedrock-agentcore", "token-vault/default/oauth2credentialprovider/*"),
                arn("bedrock-agentcore", "workload-identity-directory/default"),
                arn("bedrock-agentcore", "workload-identity-directory/default/workload-identity/my_agent-*"),
            ],
        },
        {
            Sid: "BedrockModelInvocation",
            Effect: "Allow",
            Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream", "bedrock:ApplyGuardrail"],
            Resource: ["arn:aws:bedrock:*::foundation-model/*", arn("bedrock", "*")],
        },
        {
            Sid: "MarketplaceSubscribeOnFirstCall",
            Effect: "Allow",
            Action: ["aws-marketplace:ViewSubscriptions", "aws-marketplace:Subscribe"],
            Resource: "*",
            Condition: { StringEquals: { "aws:CalledViaLast": "bedrock.amazonaws.com" } },
        },
        {
            Sid: "BedrockAgentCoreCodeInterpreter",
            Effect: "Allow",
            Action: [
                "bedrock-agentcore:StartCodeInterpreterSession",
                "bedrock-agentcore:InvokeCodeInterpreter",
                "bedrock-agentcore:StopCodeInterpreterSession",
                "bedrock-agentcore:GetCodeInterpreter",
                "bedrock-agentcore:GetCodeInterpreterSession",
                "bedrock-agentcore:ListCodeInterpreterSessions",
            ],
            Resource: [`arn:aws:bedrock-agentcore:${REGION}:aws:code-interpreter/aws.codeinterpreter.v1`],
        },
        {
            Sid: "BedrockAgentCoreIdentity",
            Effect: "Allow",
            Action: ["bedrock-agentcore:GetWorkloadAccessTokenForUserId"],
            Resource: [arn("bedrock-agentcore", "workload-identity-directory/default"), arn("bedrock-agentcore", "workload-identity-directory/default/workload-identity/my_agent-*")],
        },
        { Sid: "AwsJwtFederation", Effect: "Allow", Action: "sts:GetWebIdentityToken", Resource: "*" },
    ],
};

/** `data.aws_iam_policy_document.runtime_assume_role` (and the identical gateway, memory, browser and code interpreter ones). */
export const TERRAFORM_ASSUME_ROLE = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "bedrock-agentcore.amazonaws.com" } }],
};

export const TERRAFORM_RUNTIME_POLICY = {
    Version: "2012-10-17",
    Statement: [
        { Sid: "AllowCloudWatchLogs", Effect: "Allow", Action: ["logs:PutLogEvents", "logs:CreateLogStream", "logs:CreateLogGroup"], Resource: arn("logs", "log-group:/aws/bedrock-agentcore/*") },
        { Sid: "AllowXRayTracing", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
        { Sid: "AllowCloudWatchMetrics", Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": "AWS/Bedrock-AgentCore" } } },
        { Sid: "AllowBedrockModelInvocation", Effect: "Allow", Action: ["bedrock:InvokeModelWithResponseStream", "bedrock:InvokeModel"], Resource: "*" },
        {
            Sid: "AllowWorkloadIdentityTokenManagement",
            Effect: "Allow",
            Action: ["bedrock-agentcore:RefreshWorkloadIdentityToken", "bedrock-agentcore:GetWorkloadIdentityToken"],
            Resource: "*",
        },
        {
            Sid: "AllowECRPull",
            Effect: "Allow",
            Action: ["ecr:GetDownloadUrlForLayer", "ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability"],
            Resource: "*",
        },
    ],
};

export const TERRAFORM_GATEWAY_POLICY = {
    Version: "2012-10-17",
    Statement: [
        { Sid: "AllowBedrockModelInvocation", Effect: "Allow", Action: ["bedrock:InvokeModelWithResponseStream", "bedrock:InvokeModel"], Resource: "*" },
        {
            Sid: "AllowWorkloadIdentityTokenManagement",
            Effect: "Allow",
            Action: ["bedrock-agentcore:RefreshWorkloadIdentityToken", "bedrock-agentcore:GetWorkloadIdentityToken"],
            Resource: "*",
        },
        { Sid: "AllowLambdaInvocation", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: arn("lambda", "function:my-tool") },
    ],
};

export const CDK_GATEWAY_TRUST = {
    Version: "2012-10-17",
    Statement: [
        { Action: "sts:AssumeRole", Effect: "Allow", Principal: { Service: "bedrock-agentcore.amazonaws.com" } },
        {
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": arn("bedrock-agentcore", "gateway/my-gateway*") } },
            Effect: "Allow",
            Principal: { Service: "bedrock-agentcore.amazonaws.com" },
        },
    ],
};
