/**
 * Names the monitoring resources are known by, in a module of their own so that a command's usage
 * text can name them without loading the program or the SDK.
 */

/** The log group this stack creates with `invocationLogging: create`. */
export const INVOCATION_LOG_GROUP = "/aws/bedrock/modelinvocations";
/** The Glue database of the invocation table Athena queries. */
export const ATHENA_DATABASE = "bedrock_invocation_logs";
/** The Athena workgroup of the usage queries. */
export const ATHENA_WORKGROUP = "bedrock-usage";
