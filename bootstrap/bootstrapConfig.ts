/**
 * The bootstrap project's configuration: which stack of the main project the deployment role runs,
 * and who may assume it. Validated in one pass like the main program's (key path, value, rule),
 * before anything is registered.
 */
import { z } from "zod";
import { externalIdProblem } from "../components/gateway/gatewayConfig";
import { ConfigIssue, ConfigValidationError, describeValue, issuesFromZod, parsedProjectValues } from "../components/config/configValidation";
import { readRawStackConfig } from "../components/stack/stackConfig";
import { DEPLOYER_ROLE_NAME_PREFIX } from "../components/iam/keyPolicies";

/** Who may assume the deployment role. */
export type DeployerTrust =
    /** A GitHub Actions workflow of one repository, on one branch or in one environment. */
    | { readonly kind: "github"; readonly repository: string; readonly ref: { readonly branch: string } | { readonly environment: string }; readonly createProvider: boolean }
    /** A Pulumi Deployments run of one stack (any operation: preview, update, refresh, destroy). */
    | { readonly kind: "pulumi-deployments"; readonly organization: string; readonly project: string; readonly stack: string; readonly createProvider: boolean }
    /** A Pulumi ESC environment's `aws-login`. */
    | { readonly kind: "pulumi-esc"; readonly organization: string; readonly environment: string; readonly createProvider: boolean }
    /** A role of a central deployment account, presenting an external ID. */
    | { readonly kind: "central-account"; readonly roleArn: string; readonly externalId: string };

export interface BootstrapConfig {
    readonly region: string;
    /** The main project's stack whose deployer policy the role holds. */
    readonly stack: string;
    /** Another place for that stack's file, relative to the main project. */
    readonly stackFile: string | undefined;
    readonly roleName: string;
    readonly maxSessionDurationSeconds: number;
    readonly trust: DeployerTrust;
}

export const KNOWN_BOOTSTRAP_KEYS = ["stack", "stackFile", "roleName", "maxSessionDurationSeconds", "trust"] as const;

const NO_WILDCARD = (what: string) => z.string().refine((value) => !/[*?]/.test(value), `must name one ${what}: no wildcard`);
const PULUMI_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const pulumiName = (what: string) => NO_WILDCARD(what).pipe(z.string().regex(PULUMI_NAME, `must be a Pulumi ${what} name (letters, digits, _ . -)`));

const githubSchema = z
    .strictObject({
        repository: NO_WILDCARD("repository").pipe(z.string().regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, "must be OWNER/REPOSITORY")),
        // A bare name or the full ref: the subject is written with `refs/heads/` once either way.
        branch: NO_WILDCARD("branch")
            .pipe(z.string().regex(/^[A-Za-z0-9._/-]{1,255}$/, "must be a branch name (main) or its ref (refs/heads/main)"))
            .transform((branch) => branch.replace(/^refs\/heads\//, ""))
            .pipe(z.string().regex(/^(?!refs\/)[A-Za-z0-9._-][A-Za-z0-9._/-]{0,254}$/, "must name a branch: refs/heads/NAME or NAME, not another kind of ref (tags, pulls)"))
            .optional(),
        environment: NO_WILDCARD("environment").pipe(z.string().regex(/^[^:]{1,255}$/, "must be a GitHub environment name")).optional(),
        createProvider: z.boolean().default(false),
    })
    .refine((github) => (github.branch === undefined) !== (github.environment === undefined), { message: "must set exactly one of branch and environment" });

const trustSchema = z
    .strictObject({
        github: githubSchema.optional(),
        pulumiDeployments: z
            .strictObject({ organization: pulumiName("organization"), project: pulumiName("project"), stack: pulumiName("stack"), createProvider: z.boolean().default(false) })
            .optional(),
        pulumiEsc: z
            .strictObject({
                organization: pulumiName("organization"),
                environment: NO_WILDCARD("environment").pipe(z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "must be PROJECT/ENVIRONMENT")),
                createProvider: z.boolean().default(false),
            })
            .optional(),
        centralAccount: z
            .strictObject({
                roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,64}$/, "must be the ARN of one IAM role (arn:aws:iam::ACCOUNT:role/NAME)"),
                externalId: z.string().superRefine((value, context) => {
                    const problem = externalIdProblem(value);
                    if (problem) context.addIssue({ code: "custom", message: problem });
                }),
            })
            .optional(),
    })
    .refine((trust) => Object.values(trust).filter((entry) => entry !== undefined).length === 1, {
        message: "must set exactly one of github, pulumiDeployments, pulumiEsc and centralAccount",
    });

const bootstrapSchema = z.strictObject({
    stack: pulumiName("stack"),
    stackFile: z.string().min(1).optional(),
    roleName: z
        .string()
        .regex(/^[\w+=,.@-]{1,64}$/, "must be an IAM role name (1-64 of letters, digits and _+=,.@-)")
        // The stack's key policies name the deploying role by this prefix: another name could not administer its keys.
        .refine((name) => name.startsWith(DEPLOYER_ROLE_NAME_PREFIX), `must start with ${DEPLOYER_ROLE_NAME_PREFIX} (the stack's key policies name the deploying role by it)`)
        .optional(),
    maxSessionDurationSeconds: z.number().int().min(3600, "must be 3600 to 43200 seconds").max(43200, "must be 3600 to 43200 seconds").default(3600),
    trust: trustSchema,
});

function trustOf(trust: z.infer<typeof trustSchema>): DeployerTrust {
    if (trust.github) {
        const { repository, branch, environment, createProvider } = trust.github;
        return { kind: "github", repository, ref: branch !== undefined ? { branch } : { environment: environment as string }, createProvider };
    }
    if (trust.pulumiDeployments) return { kind: "pulumi-deployments", ...trust.pulumiDeployments };
    if (trust.pulumiEsc) return { kind: "pulumi-esc", ...trust.pulumiEsc };
    const central = trust.centralAccount as { roleArn: string; externalId: string };
    return { kind: "central-account", ...central };
}

/** Pure: validates everything and throws one `ConfigValidationError` listing every problem. */
export function validateBootstrapConfig(region: string | undefined, projectValues: Readonly<Record<string, string>>): BootstrapConfig {
    const issues: ConfigIssue[] = [];
    if (!region) issues.push({ path: "aws:region", value: describeValue(region, false), rule: "required: the region of the main project's stack" });
    const root = parsedProjectValues(projectValues);
    const parsed = bootstrapSchema.safeParse(root);
    if (!parsed.success) issues.push(...issuesFromZod(root, parsed.error));
    if (issues.length > 0 || !parsed.success) throw new ConfigValidationError(issues);
    const config = parsed.data;
    return {
        region: region as string,
        stack: config.stack,
        stackFile: config.stackFile,
        roleName: config.roleName ?? `bedrock-access-deployer-${config.stack}`,
        maxSessionDurationSeconds: config.maxSessionDurationSeconds,
        trust: trustOf(config.trust),
    };
}

/** Reads the bootstrap stack's configuration through Pulumi and validates it. */
export function readBootstrapConfig(): BootstrapConfig {
    const raw = readRawStackConfig();
    return validateBootstrapConfig(raw.region, raw.projectValues);
}
