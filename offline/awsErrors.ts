/**
 * What the AWS SDK's errors mean to a command's user, in one sentence: the commands that call AWS
 * (`verify`, `usage-report`) stop with it when AWS cannot be asked anything at all.
 */

/** What the SDK's errors carry that says why a call failed. */
interface SdkError {
    readonly name?: string;
    readonly message?: string;
    readonly code?: string;
    readonly hostname?: string;
}

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

/**
 * The one sentence for an error that means AWS cannot be asked anything (no credentials, no region,
 * credentials refused, no network), or undefined for an error of one call (access denied, not found).
 */
export function awsUnreachableReason(error: unknown, command: string, regionHint = "pass --region, or set AWS_REGION"): string | undefined {
    const { name = "", message = "", code = "", hostname } = (error ?? {}) as SdkError;
    if (CREDENTIAL_PROVIDER_ERRORS.has(name)) {
        return `no AWS credentials were found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run aws sso login, then run ${command} again`;
    }
    if (/region is missing/i.test(message)) return `no AWS region: ${regionHint}`;
    if (REJECTED_CREDENTIAL_ERRORS.has(name)) {
        return `AWS refused the credentials (${name}): they are expired or wrong; refresh them (aws sso login, or new access keys) and run ${command} again`;
    }
    if (NETWORK_ERROR_CODES.has(code) || name === "TimeoutError") {
        return `AWS could not be reached (${code || name}${hostname ? ` ${hostname}` : ""}): check the network, a proxy, or the region's endpoint`;
    }
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
