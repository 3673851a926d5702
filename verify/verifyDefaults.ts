/** Verify's defaults, in a module of their own so that the usage text names them without loading the SDK. */

/** Roles, policies and simulations checked at once unless `--concurrency` says otherwise: well inside IAM's request rate. */
export const DEFAULT_CONCURRENCY = 8;
