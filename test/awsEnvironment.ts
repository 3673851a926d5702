/** An environment in which the AWS SDK's default credential chain finds nothing, for tests of "no credentials". */

/** Changes to an environment: `undefined` removes a variable (as `PolicyPackClient`'s `env` takes them). */
export const NO_AWS_CREDENTIALS: Readonly<Record<string, string | undefined>> = {
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_CONFIG_FILE: "/nonexistent",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
    // No instance metadata service either (it would also take seconds to time out).
    AWS_EC2_METADATA_DISABLED: "true",
};

/** This process's environment without any AWS credentials, for a child process. */
export function withoutAwsCredentials(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    const environment: NodeJS.ProcessEnv = { ...base };
    for (const [key, value] of Object.entries(NO_AWS_CREDENTIALS)) {
        if (value === undefined) delete environment[key];
        else environment[key] = value;
    }
    return environment;
}
