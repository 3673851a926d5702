/**
 * The AWS SDK clients verify reads with, created with the usual credential chain, and the sentence
 * for each way of not reaching AWS at all (no credentials, no region, rejected credentials, no
 * network), so that the command line says what to set instead of printing a stack trace.
 */
import { BedrockClient } from "@aws-sdk/client-bedrock";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { STSClient } from "@aws-sdk/client-sts";
import { DEFAULT_TIMEOUT_SECONDS, awsClientOptions, withCallDeadline } from "../offline/awsClientConfig";
import { awsUnreachableReason, isAccessDenied, isNotFound } from "../offline/awsErrors";

export { isAccessDenied, isNotFound };

/** One client per service verify reads; tests pass clients mocked with aws-sdk-client-mock. */
export interface VerifyClients {
    readonly sts: STSClient;
    readonly iam: IAMClient;
    readonly bedrock: BedrockClient;
    readonly cloudWatch: CloudWatchClient;
    readonly logs: CloudWatchLogsClient;
    readonly s3: S3Client;
    readonly sns: SNSClient;
}

/**
 * Real clients in `region`, with the default credential chain (environment, AWS_PROFILE, SSO, web
 * identity, instance role); every call bounded by `timeoutSeconds`, retries included, and said on
 * stderr when slow.
 */
export function createClients(region: string, timeoutSeconds: number = DEFAULT_TIMEOUT_SECONDS): VerifyClients {
    const options = awsClientOptions(region, timeoutSeconds);
    const deadline = { timeoutSeconds, onSlowCall: (message: string) => process.stderr.write(`verify: ${message}\n`) };
    return {
        sts: withCallDeadline(new STSClient(options), "sts", deadline),
        iam: withCallDeadline(new IAMClient(options), "iam", deadline),
        bedrock: withCallDeadline(new BedrockClient(options), "bedrock", deadline),
        cloudWatch: withCallDeadline(new CloudWatchClient(options), "cloudwatch", deadline),
        logs: withCallDeadline(new CloudWatchLogsClient(options), "logs", deadline),
        s3: withCallDeadline(new S3Client(options), "s3", deadline),
        sns: withCallDeadline(new SNSClient(options), "sns", deadline),
    };
}

/** AWS could not be reached or would not answer anyone with these credentials: verify stops with this sentence (exit 3). */
export class CannotReachAws extends Error {}

/** The one sentence for an error that means AWS cannot be asked anything, or undefined for an error of one call. */
export function unreachableReason(error: unknown): string | undefined {
    return awsUnreachableReason(error, "verify", "pass --region, set aws:region in the stack file, or set AWS_REGION");
}

