/** The report's bounds, in a module of their own so that the usage text names them without loading the SDK. */

/** The Price List API answers in us-east-1 (and ap-south-1), whatever region is priced. */
export const PRICE_LIST_REGION = "us-east-1";
/** The bound of each Price List API call (or `--timeout` when shorter): then the built-in table, as the report says. */
export const PRICE_LIST_TIMEOUT_SECONDS = 5;
/** A line longer than this is not read (it is counted as malformed): no invocation record is near it. */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;
