/**
 * What the four public components share: their plain args resolved (a consumer's secret arrives as a
 * secret Output), the account, partition and region learned through invokes, and a refusal that
 * names key path, masked value and rule, thrown before the component or any child registers.
 */
import { getCallerIdentity } from "@pulumi/aws/getCallerIdentity";
import { getPartition } from "@pulumi/aws/getPartition";
import { getRegion } from "@pulumi/aws/getRegion";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { AwsLocation, partitionOfRegion } from "../components/arns/bedrockArns";
import { ConfigIssue, formatIssues, issuesFromZod } from "../components/config/configValidation";
import { DEFAULT_IAM_QUOTAS, IamQuotas, iamQuotasSchema } from "../components/iam/iamQuotas";
import { validatePermissionsBoundary } from "../components/stack/stackConfig";
import { PermissionLayout } from "../components/iam/permissionLayout";

/** The package's name: every public type token is `bedrock-access:index:<ClassName>`. */
export const PACKAGE_NAME = "bedrock-access";

/** A component's args that break the stack configuration's rules: every problem at once, with no stack trace. */
export class ComponentArgsError extends pulumi.RunError {
    constructor(
        readonly componentType: string,
        readonly resourceName: string,
        readonly issues: readonly ConfigIssue[],
    ) {
        const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
        // The stack's own lines (key path = shown value: rule), under a heading that names the component.
        const lines = formatIssues(issues).split("\n").slice(1);
        super([`Invalid args of ${componentType} ${resourceName} (${count}); no resource was registered:`, ...lines].join("\n"));
        this.name = "ComponentArgsError";
    }
}

/**
 * The stack's validators check an entry at `<key>[0]` (gateways) or `<key>` (a block): the component's
 * args are that entry, so its paths are relative to the args (`externalId`, `alarms.throttles`).
 */
export function relativeToArgs(issues: readonly ConfigIssue[], prefix: string): ConfigIssue[] {
    return issues.map((issue) => {
        const path = issue.path === prefix ? "(args)" : issue.path.startsWith(`${prefix}.`) ? issue.path.slice(prefix.length + 1) : issue.path;
        return { ...issue, path };
    });
}

/** Removes keys whose value is undefined: the stack's schemas are strict about keys, not about absence. */
function withoutUndefined(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(withoutUndefined);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(
            Object.entries(value)
                .filter(([, item]) => item !== undefined)
                .map(([key, item]) => [key, withoutUndefined(item)]),
        );
    }
    return value;
}

/**
 * The args as plain values. Inputs arrive plain, or as Outputs (a secret, a value with dependencies):
 * they are awaited here. A value still unknown (computed by a resource not yet created) cannot be
 * checked against the stack's rules, and the documents must be known at preview: that is refused.
 */
export async function plainArgs(args: object, componentType: string, resourceName: string): Promise<Record<string, unknown>> {
    const resolved = pulumi.output(args) as unknown as { promise(withUnknowns?: boolean): Promise<unknown>; isKnown: Promise<boolean> };
    if (!(await resolved.isKnown)) {
        throw new ComponentArgsError(componentType, resourceName, [
            { path: "(args)", value: "(unknown)", rule: "must be known when the program runs (at preview too): pass plain values or secrets, not another resource's computed outputs" },
        ]);
    }
    return withoutUndefined(await resolved.promise()) as Record<string, unknown>;
}

/**
 * The account, partition and region the component deploys to. With a provider of its own the
 * component asks it (`getCallerIdentity`, `getPartition`, `getRegion`); otherwise the region is the
 * stack's `aws:region` (as the stack's own program reads it) and only the account is asked for.
 */
export async function awsLocationOf(opts: pulumi.InvokeOptions): Promise<AwsLocation> {
    const configuredRegion = opts.provider ? undefined : new pulumi.Config("aws").get("region");
    if (configuredRegion) {
        const identity = await getCallerIdentity({}, opts);
        return { partition: partitionOfRegion(configuredRegion), region: configuredRegion, accountId: identity.accountId };
    }
    const [identity, partition, region] = await Promise.all([getCallerIdentity({}, opts), getPartition({}, opts), getRegion({}, opts)]);
    return { partition: partition.partition, region: region.region, accountId: identity.accountId };
}

/** The invoke options that follow the component's provider choice. */
export function invokeOptionsOf(opts: pulumi.ComponentResourceOptions | undefined): pulumi.InvokeOptions {
    const provider = opts?.provider ?? (opts?.providers && !Array.isArray(opts.providers) ? (opts.providers as Record<string, pulumi.ProviderResource>)["aws"] : undefined);
    return provider ? { provider } : {};
}

/**
 * Resource options whose `dependsOn` waits for the args to be checked: when they are refused, the
 * component itself never registers (the engine sees no resource at all).
 */
export function afterValidation(checked: Promise<unknown>, opts: pulumi.ComponentResourceOptions | undefined): pulumi.ComponentResourceOptions {
    const existing = opts?.dependsOn;
    const dependsOn = pulumi.output(checked.then(() => existing ?? [])) as pulumi.Input<pulumi.Input<pulumi.Resource>[]>;
    return { ...opts, dependsOn };
}

/**
 * Resource options that also answer to the type token the stack's program gave the component before
 * it used the package's classes: an existing stack's component, and every child under it, keep their
 * state instead of being replaced (children inherit their parent's aliases).
 */
export function withPreviousType(opts: pulumi.ComponentResourceOptions | undefined, previousType: string): pulumi.ComponentResourceOptions {
    return { ...opts, aliases: [...(opts?.aliases ?? []), { type: previousType }] };
}

/**
 * Options of a role component whose permissions a program already planned together with all its
 * roles (`planStackPermissions`, as the stack does): the planned layout is written as it is, not laid
 * out a second time. A TypeScript program's option only; the schema knows nothing of it.
 */
export interface PlannedRoleOptions extends pulumi.ComponentResourceOptions {
    /** The layout `planStackPermissions` gave this entry. If not provided, the component lays out its own grants. */
    readonly plannedPermissions?: PermissionLayout;
}

/** The options without `plannedPermissions`, for the engine. */
export function resourceOptionsOf(opts: PlannedRoleOptions | undefined): pulumi.ComponentResourceOptions | undefined {
    if (!opts) return undefined;
    const rest: PlannedRoleOptions = { ...opts };
    delete (rest as { plannedPermissions?: PermissionLayout }).plannedPermissions;
    return rest;
}

/** IAM quotas the account has raised (the stack's `iamQuotas` key); AWS's defaults for the rest. */
export interface IamQuotasArgs {
    /** Managed policies attached to one role: 10 by default, raisable to 20. */
    managedPoliciesPerRole?: number;
    /** One role's trust policy in characters: 2048 by default, raisable to 8192. */
    trustPolicyCharacters?: number;
}

/** What the stack configuration holds once for every role, given to each component. */
export interface StackWideSettings {
    readonly permissionsBoundary: string | undefined;
    readonly iamQuotas: IamQuotas;
    readonly tags: Readonly<Record<string, string>> | undefined;
}

/**
 * Splits the keys every component shares (`permissionsBoundary`, `iamQuotas`, `tags`) from the
 * entry, and checks them with the stack's own rules. The boundary is optional: absent or `none`, the
 * roles carry none.
 */
export function stackWideSettings(args: Record<string, unknown>, partition: string): { entry: Record<string, unknown>; settings: StackWideSettings; issues: ConfigIssue[] } {
    const { permissionsBoundary, iamQuotas, tags, ...entry } = args;
    const issues: ConfigIssue[] = [];
    let boundaryArn: string | undefined;
    if (permissionsBoundary !== undefined) {
        const setting = validatePermissionsBoundary(JSON.stringify(permissionsBoundary), partition, issues);
        boundaryArn = setting.kind === "arn" ? setting.arn : undefined;
    }
    let quotas = DEFAULT_IAM_QUOTAS;
    if (iamQuotas !== undefined) {
        const root = { iamQuotas };
        const parsed = z.object({ iamQuotas: iamQuotasSchema }).safeParse(root);
        if (parsed.success) quotas = parsed.data.iamQuotas;
        else issues.push(...issuesFromZod(root, parsed.error));
    }
    return { entry, settings: { permissionsBoundary: boundaryArn, iamQuotas: quotas, tags: tags as Record<string, string> | undefined }, issues };
}

/**
 * The tags of an entry's resources: its `costTags` (as the stack writes them), then the component's
 * `tags` over them. Without `tags`, exactly the entry's `costTags`, as the stack passes them.
 */
export function entryTags(costTags: Readonly<Record<string, string>> | undefined, tags: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> | undefined {
    return tags === undefined ? costTags : { ...costTags, ...tags };
}

/** The same promise with its rejection marked as handled: the refusal surfaces once, through the component's registration. */
export function quietly<T>(promise: Promise<T>): Promise<T> {
    promise.catch(() => undefined);
    return promise;
}
