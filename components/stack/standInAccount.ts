/** The account the offline engine answers `getCallerIdentity` with when the stack names none (AWS's documentation account). */
export const STAND_IN_ACCOUNT_ID = "123456789012";
