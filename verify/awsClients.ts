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

/** Real clients in `region`, with the default credential chain (environment, AWS_PROFILE, SSO, web identity, instance role). */
export function createClients(region: string): VerifyClients {
    const options = { region };
    return {
        sts: new STSClient(options),
        iam: new IAMClient(options),
        bedrock: new BedrockClient(options),
        cloudWatch: new CloudWatchClient(options),
        logs: new CloudWatchLogsClient(options),
        s3: new S3Client(options),
        sns: new SNSClient(options),
    };
}

/** AWS could not be reached or would not answer anyone with these credentials: verify stops with this sentence (exit 3). */
export class CannotReachAws extends Error {}

const CREDENTIAL_PROVIDER_ERRORS = new Set(["CredentialsProviderError", "ProviderError", "TokenProviderError"]);
const REJECTED_CREDENTIAL_ERRORS = new Set([
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "SignatureDoesNotMatch",
    "InvalidSignatureException",
    "InvalidAccessKeyId",
]);
const NETWORK_ERROR_CODES = new Set(["ENOTFOUND", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** What the SDK's errors carry that says why a call failed. */
interface SdkError {
    readonly name?: string;
    readonly message?: string;
    readonly code?: string;
}

/**
 * The one sentence for an error that means AWS cannot be asked anything (no credentials, no region,
 * credentials refused, no network), or undefined for an error of one call (access denied, not found).
 */
export function unreachableReason(error: unknown): string | undefined {
    const { name = "", message = "", code = "" } = (error ?? {}) as SdkError;
    if (CREDENTIAL_PROVIDER_ERRORS.has(name)) {
        return "no AWS credentials were found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run aws sso login, then run verify again";
    }
    if (/region is missing/i.test(message)) return "no AWS region: pass --region, set aws:region in the stack file, or set AWS_REGION";
    if (REJECTED_CREDENTIAL_ERRORS.has(name)) {
        return `AWS refused the credentials (${name}): they are expired or wrong; refresh them (aws sso login, or new access keys) and run verify again`;
    }
    if (NETWORK_ERROR_CODES.has(code) || name === "TimeoutError") return `AWS could not be reached (${code || name}): check the network, a proxy, or the region's endpoint`;
    return undefined;
}

/** Whether the call was refused for lack of permission: the check is skipped, naming the action. */
export function isAccessDenied(error: unknown): boolean {
    const { name = "" } = (error ?? {}) as SdkError;
    return /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|AuthorizationError|AuthorizationErrorException)$/.test(name);
}

/** Whether the call says the thing does not exist (the SDKs name this differently per service). */
export function isNotFound(error: unknown, ...names: string[]): boolean {
    const { name = "" } = (error ?? {}) as SdkError;
    return names.includes(name);
}
