/**
 * Where IAM documents live in resources: one table, shared by every policy, so that a new resource
 * kind is added once and judged by all policies.
 */

/** `trust`: who may assume a role. `identity`: what a principal may do. `resource`: who may use a resource. */
export type DocumentKind = "trust" | "identity" | "resource";

export interface ResourceDocument {
    /** The property path shown in messages, e.g. `inlinePolicies[0].policy`. */
    readonly property: string;
    readonly kind: DocumentKind;
    readonly document: unknown;
}

type Props = Record<string, unknown>;
/** Reads one kind of document from a resource's properties; `kind` is known before anything is read. */
interface Extractor {
    readonly kind: DocumentKind;
    readonly read: (props: Props) => ResourceDocument[];
}

const single = (property: string, kind: DocumentKind): Extractor => ({
    kind,
    read: (props) => (props[property] === undefined || props[property] === null ? [] : [{ property, kind, document: props[property] }]),
});

const inlinePolicies: Extractor = {
    kind: "identity",
    read: (props) => {
        const policies = props.inlinePolicies;
        if (!Array.isArray(policies)) return [];
        return policies.flatMap((entry: unknown, index) => {
            const policy = entry !== null && typeof entry === "object" ? (entry as Props).policy : undefined;
            return policy === undefined || policy === null ? [] : [{ property: `inlinePolicies[${index}].policy`, kind: "identity" as const, document: policy }];
        });
    },
};

/** `policies[i].policyDocument` of an @pulumi/aws-native IAM role. */
const nativeRolePolicies: Extractor = {
    kind: "identity",
    read: (props) => {
        const policies = props.policies;
        if (!Array.isArray(policies)) return [];
        return policies.flatMap((entry: unknown, index) => {
            const policy = entry !== null && typeof entry === "object" ? (entry as Props).policyDocument : undefined;
            return policy === undefined || policy === null ? [] : [{ property: `policies[${index}].policyDocument`, kind: "identity" as const, document: policy }];
        });
    },
};

/** Resource type tokens of @pulumi/aws (and @pulumi/aws-native) and the IAM documents each one carries. */
export const DOCUMENT_PROPERTIES: ReadonlyMap<string, readonly Extractor[]> = new Map<string, Extractor[]>([
    ["aws:iam/role:Role", [single("assumeRolePolicy", "trust"), inlinePolicies]],
    ["aws:iam/rolePolicy:RolePolicy", [single("policy", "identity")]],
    ["aws:iam/policy:Policy", [single("policy", "identity")]],
    ["aws:iam/userPolicy:UserPolicy", [single("policy", "identity")]],
    ["aws:iam/groupPolicy:GroupPolicy", [single("policy", "identity")]],
    ["aws:s3/bucketPolicy:BucketPolicy", [single("policy", "resource")]],
    ["aws:kms/key:Key", [single("policy", "resource")]],
    ["aws:kms/keyPolicy:KeyPolicy", [single("policy", "resource")]],
    ["aws:sns/topic:Topic", [single("policy", "resource")]],
    ["aws:sns/topicPolicy:TopicPolicy", [single("policy", "resource")]],
    ["aws:sqs/queuePolicy:QueuePolicy", [single("policy", "resource")]],
    ["aws:ec2/vpcEndpoint:VpcEndpoint", [single("policy", "resource")]],
    ["aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy", [single("policy", "resource")]],
    ["aws:cloudwatch/logResourcePolicy:LogResourcePolicy", [single("policyDocument", "resource")]],
    ["aws:secretsmanager/secretPolicy:SecretPolicy", [single("policy", "resource")]],
    ["aws:ecr/repositoryPolicy:RepositoryPolicy", [single("policy", "resource")]],
    // @pulumi/aws-native (CloudFormation's schemas): documents are objects, read like strings.
    ["aws-native:iam:Role", [single("assumeRolePolicyDocument", "trust"), nativeRolePolicies]],
    ["aws-native:iam:RolePolicy", [single("policyDocument", "identity")]],
    ["aws-native:iam:ManagedPolicy", [single("policyDocument", "identity")]],
    ["aws-native:lex:ResourcePolicy", [single("policy", "resource")]],
]);

/**
 * The IAM documents of a resource, of the given kinds (all if not given). Only those properties are
 * read: reading one unknown at preview throws the SDK's unknown-value error, which the SDK reports.
 */
export function documentsOf(type: string, props: Props, kinds?: readonly DocumentKind[]): ResourceDocument[] {
    return (DOCUMENT_PROPERTIES.get(type) ?? [])
        .filter((extractor) => kinds === undefined || kinds.includes(extractor.kind))
        .flatMap((extractor) => extractor.read(props));
}
