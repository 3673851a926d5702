/**
 * Coming back after `pulumi destroy`: the log bucket, log group, results bucket and key are kept
 * (with what protects the buckets), so the next `pulumi up` would fail on names that exist, and a
 * new key would be billed beside the old one. Pure: which retained resources `monitoring.adopt`
 * may name, and the exact `pulumi import` commands that take every retained resource back.
 */
import { AwsLocation } from "../arns/bedrockArns";
import { ConfigIssue, issueAt } from "../config/configValidation";
import { MonitoringSpec } from "./monitoringConfig";
import { INVOCATION_LOG_GROUP, ownLogBucketName } from "./monitoringPolicies";
import { usageNames } from "./usageQueries";

/**
 * `monitoring.adopt` names what this stack left behind: its own log bucket, log group and results
 * bucket (their names follow from the account and region), and a key of this account and region.
 * Anything else is refused before any resource registers.
 */
export function adoptionIssues(monitoring: MonitoringSpec, location: AwsLocation, stack: string): ConfigIssue[] {
    const adopt = monitoring.adopt;
    if (!adopt) return [];
    const root = { monitoring: { adopt: { logBucket: adopt.logBucket, logGroup: adopt.logGroup, resultsBucket: adopt.resultsBucket, kmsKey: adopt.kmsKeyArn ?? adopt.kmsKeyId } } };
    const own: [keyof typeof root.monitoring.adopt, string | undefined, string][] = [
        ["logBucket", adopt.logBucket, ownLogBucketName(location)],
        ["logGroup", adopt.logGroup, INVOCATION_LOG_GROUP],
        ["resultsBucket", adopt.resultsBucket, usageNames({ ...location, stack, ownsLogging: true, logGroupName: INVOCATION_LOG_GROUP, logBucket: undefined }).resultsBucket],
    ];
    const issues = own.flatMap(([key, named, expected]) =>
        named !== undefined && named !== expected
            ? [issueAt(root, ["monitoring", "adopt", key], `must be the name this stack gives it in ${location.accountId}/${location.region}, ${expected}: only what the stack left behind can be taken back`)]
            : [],
    );
    const [, , , keyRegion, keyAccount] = adopt.kmsKeyArn?.split(":") ?? [];
    if (adopt.kmsKeyArn !== undefined && (keyRegion !== location.region || keyAccount !== location.accountId)) {
        issues.push(issueAt(root, ["monitoring", "adopt", "kmsKey"], `must be a key of this account and region (${location.accountId}, ${location.region}): only what the stack left behind can be taken back`));
    }
    if (adopt.resultsBucket !== undefined && !monitoring.athena) {
        issues.push(issueAt(root, ["monitoring", "adopt", "resultsBucket"], "only with athena: true (the stack registers no results bucket otherwise)"));
    }
    return issues;
}

/** One registered resource, as the engine received it. */
export interface RegisteredForImport {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parentUrn?: string;
    readonly retainOnDelete: boolean;
    /** The ID the program asks the engine to adopt (`monitoring.adopt`), when it does. */
    readonly importId?: string;
    /** Its inputs, plain (unknowns as undefined). */
    readonly properties: Readonly<Record<string, unknown>>;
}

export interface ImportCommand {
    readonly type: string;
    readonly name: string;
    /** The ID `pulumi import` looks the resource up by; undefined when only AWS knows it (a created key's ID). */
    readonly id: string | undefined;
    /** `--parent name=urn`: the parent's name and URN, so that the imported URN is the one the program registers. */
    readonly parent: string | undefined;
    /** The whole command line. */
    readonly command: string;
}

/** A placeholder in a command for an ID this machine cannot know. */
export const KEY_ID_PLACEHOLDER = "<key-id>";

/** The provider's import ID of each type the stack retains, from the resource's inputs (the AWS provider's import docs). */
const IMPORT_IDS: Readonly<Record<string, (properties: Readonly<Record<string, unknown>>, location: AwsLocation) => string | undefined>> = {
    "aws:s3/bucket:Bucket": (properties) => text(properties.bucket),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (properties) => text(properties.bucket),
    "aws:s3/bucketVersioning:BucketVersioning": (properties) => text(properties.bucket),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (properties) => text(properties.bucket),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": (properties) => text(properties.bucket),
    "aws:s3/bucketPolicy:BucketPolicy": (properties) => text(properties.bucket),
    "aws:cloudwatch/logGroup:LogGroup": (properties) => text(properties.name),
    // A key's ID is chosen by AWS: the one `monitoring.adopt.kmsKey` names (the import option), else left for the user to fill in.
    "aws:kms/key:Key": () => undefined,
    // The account's configuration in the region: its ID is the region.
    "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration": (_properties, location) => location.region,
};

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/** A word of a shell command, quoted when it holds anything but safe characters. */
function shellWord(word: string): string {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** How to take back what `pulumi destroy` kept: the components to register first, and the imports. */
export interface ImportPlan {
    /** URNs of the components the imported resources are children of, ancestors first: `pulumi import` needs its parent in the state. */
    readonly parentTargets: readonly string[];
    /** `pulumi up --target ...` registering only those components (components make no AWS call); undefined when there are none. */
    readonly registerParents: string | undefined;
    readonly imports: readonly ImportCommand[];
}

/**
 * The plan that takes back every resource the stack keeps on destroy: the parent components
 * first (after a destroy they are gone from the state, and an import under a missing parent would
 * leave the state inconsistent), then one `pulumi import` per resource, in registration order.
 * `--protect=false` keeps the state as the program registers it.
 */
export function importPlan(resources: readonly RegisteredForImport[], location: AwsLocation, stack: string): ImportPlan {
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    const imports = importCommands(resources, location, stack);
    const targets: string[] = [];
    const addWithAncestors = (urn: string | undefined) => {
        const resource = urn ? byUrn.get(urn) : undefined;
        if (!resource || resource.type.startsWith("pulumi:pulumi:Stack") || targets.includes(resource.urn)) return;
        addWithAncestors(resource.parentUrn);
        targets.push(resource.urn);
    };
    for (const command of imports) addWithAncestors(resources.find((resource) => resource.type === command.type && resource.name === command.name)?.parentUrn);
    const registerParents = targets.length === 0 ? undefined : ["pulumi", "up", "--stack", stack, ...targets.flatMap((urn) => ["--target", urn]), "--yes"].map(shellWord).join(" ");
    return { parentTargets: targets, registerParents, imports };
}

/** The `pulumi import` commands that take back every resource the stack keeps on destroy, in registration order. */
export function importCommands(resources: readonly RegisteredForImport[], location: AwsLocation, stack: string): ImportCommand[] {
    const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
    return resources
        .filter((resource) => resource.retainOnDelete && IMPORT_IDS[resource.type] !== undefined)
        .map((resource) => {
            const id = resource.importId ?? IMPORT_IDS[resource.type](resource.properties, location);
            const parentResource = resource.parentUrn ? byUrn.get(resource.parentUrn) : undefined;
            const parent = parentResource && !parentResource.type.startsWith("pulumi:pulumi:Stack") ? `${parentResource.name}=${parentResource.urn}` : undefined;
            // As Pulumi's reference writes it: `pulumi import TYPE NAME ID --parent 'NAME=URN'`, then the flags.
            const words = ["pulumi", "import", resource.type, resource.name, id ?? KEY_ID_PLACEHOLDER, ...(parent ? ["--parent", parent] : []), "--stack", stack, "--protect=false", "--generate-code=false", "--yes"];
            return { type: resource.type, name: resource.name, id, parent, command: words.map(shellWord).join(" ") };
        });
}
