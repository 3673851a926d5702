/**
 * Where IAM documents live in resources: one table, shared by every policy, so that a new resource
 * kind is added once and judged by all policies.
 */

import { AWS_MANAGED_POLICY_ARN, attachedArns, awsManagedPolicyDocument } from "./managedPolicies";

/**
 * `trust`: who may assume a role. `identity`: what a principal may do. `resource`: who may use a resource.
 * `endpoint`: what may pass through a VPC endpoint: a restriction that grants nothing, judged as a perimeter.
 */
export type DocumentKind = "trust" | "identity" | "resource" | "endpoint";

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

/** Identity documents in a list of entries: `inlinePolicies[i].policy` (aws), `policies[i].policyDocument` (aws-native). */
const policyList = (listProperty: string, documentProperty: string): Extractor => ({
    kind: "identity",
    read: (props) => {
        const entries = props[listProperty];
        if (!Array.isArray(entries)) return [];
        return entries.flatMap((entry: unknown, index) => {
            const document = entry !== null && typeof entry === "object" ? (entry as Props)[documentProperty] : undefined;
            return document === undefined || document === null ? [] : [{ property: `${listProperty}[${index}].${documentProperty}`, kind: "identity" as const, document }];
        });
    },
});

const inlinePolicies = policyList("inlinePolicies", "policy");

/** Managed policies attached by ARN: AWS managed policies are judged by their content, as if inline. */
function attachedPolicies(property: string): Extractor {
    return {
        kind: "identity",
        read: (props) =>
            attachedArns(props, property).flatMap(({ arn, where }) => {
                const document = AWS_MANAGED_POLICY_ARN.test(arn) ? awsManagedPolicyDocument(arn) : undefined;
                return document === undefined ? [] : [{ property: `${where} (${arn})`, kind: "identity" as const, document }];
            }),
    };
}

/** The properties that attach managed policies by ARN, by resource type. */
export const ATTACHMENT_PROPERTIES: ReadonlyMap<string, string> = new Map([
    ["aws:iam/role:Role", "managedPolicyArns"],
    ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "policyArn"],
    ["aws:iam/policyAttachment:PolicyAttachment", "policyArn"],
    ["aws:iam/userPolicyAttachment:UserPolicyAttachment", "policyArn"],
    ["aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "policyArn"],
    ["aws-native:iam:Role", "managedPolicyArns"],
]);

/** `policies[i].policyDocument` of an @pulumi/aws-native IAM role, user or group. */
const nativeRolePolicies = policyList("policies", "policyDocument");

/** Resource type tokens of @pulumi/aws (and @pulumi/aws-native) and the IAM documents each one carries. */
export const DOCUMENT_PROPERTIES: ReadonlyMap<string, readonly Extractor[]> = new Map<string, Extractor[]>([
    ["aws:iam/role:Role", [single("assumeRolePolicy", "trust"), inlinePolicies, attachedPolicies("managedPolicyArns")]],
    ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", [attachedPolicies("policyArn")]],
    ["aws:iam/policyAttachment:PolicyAttachment", [attachedPolicies("policyArn")]],
    ["aws:iam/userPolicyAttachment:UserPolicyAttachment", [attachedPolicies("policyArn")]],
    ["aws:iam/groupPolicyAttachment:GroupPolicyAttachment", [attachedPolicies("policyArn")]],
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
    ["aws:ec2/vpcEndpoint:VpcEndpoint", [single("policy", "endpoint")]],
    ["aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy", [single("policy", "endpoint")]],
    ["aws:cloudwatch/logResourcePolicy:LogResourcePolicy", [single("policyDocument", "resource")]],
    ["aws:secretsmanager/secretPolicy:SecretPolicy", [single("policy", "resource")]],
    ["aws:ecr/repositoryPolicy:RepositoryPolicy", [single("policy", "resource")]],
    // Other resource policies written in IAM's policy language, by service.
    ["aws:acmpca/policy:Policy", [single("policy", "resource")]],
    ["aws:amp/resourcePolicy:ResourcePolicy", [single("policyDocument", "resource")]],
    ["aws:apigateway/restApi:RestApi", [single("policy", "resource")]],
    ["aws:apigateway/restApiPolicy:RestApiPolicy", [single("policy", "resource")]],
    ["aws:backup/vaultPolicy:VaultPolicy", [single("policy", "resource")]],
    ["aws:bedrock/agentcoreResourcePolicy:AgentcoreResourcePolicy", [single("policy", "resource")]],
    ["aws:cloudwatch/eventBusPolicy:EventBusPolicy", [single("policy", "resource")]],
    ["aws:codeartifact/domainPermissions:DomainPermissions", [single("policyDocument", "resource")]],
    ["aws:codeartifact/repositoryPermissionsPolicy:RepositoryPermissionsPolicy", [single("policyDocument", "resource")]],
    ["aws:codebuild/resourcePolicy:ResourcePolicy", [single("policy", "resource")]],
    ["aws:dsql/clusterPolicy:ClusterPolicy", [single("policy", "resource")]],
    ["aws:dynamodb/resourcePolicy:ResourcePolicy", [single("policy", "resource")]],
    ["aws:ecr/registryPolicy:RegistryPolicy", [single("policy", "resource")]],
    ["aws:ecrpublic/repositoryPolicy:RepositoryPolicy", [single("policy", "resource")]],
    ["aws:efs/fileSystemPolicy:FileSystemPolicy", [single("policy", "resource")]],
    ["aws:elasticsearch/domain:Domain", [single("accessPolicies", "resource")]],
    ["aws:elasticsearch/domainPolicy:DomainPolicy", [single("accessPolicies", "resource")]],
    ["aws:glacier/vaultLock:VaultLock", [single("policy", "resource")]],
    ["aws:glue/resourcePolicy:ResourcePolicy", [single("policy", "resource")]],
    ["aws:kinesis/resourcePolicy:ResourcePolicy", [single("policy", "resource")]],
    ["aws:kms/externalKey:ExternalKey", [single("policy", "resource")]],
    ["aws:kms/replicaExternalKey:ReplicaExternalKey", [single("policy", "resource")]],
    ["aws:kms/replicaKey:ReplicaKey", [single("policy", "resource")]],
    ["aws:lambda/resourcePolicy:ResourcePolicy", [single("policy", "resource")]],
    ["aws:mediastore/containerPolicy:ContainerPolicy", [single("policy", "resource")]],
    ["aws:msk/clusterPolicy:ClusterPolicy", [single("policy", "resource")]],
    ["aws:networkfirewall/resourcePolicy:ResourcePolicy", [single("policy", "resource")]],
    ["aws:oam/sinkPolicy:SinkPolicy", [single("policy", "resource")]],
    ["aws:opensearch/domain:Domain", [single("accessPolicies", "resource")]],
    ["aws:opensearch/domainPolicy:DomainPolicy", [single("accessPolicies", "resource")]],
    ["aws:opensearchingest/resourcePolicy:ResourcePolicy", [single("policy", "resource")]],
    ["aws:redshift/resourcePolicy:ResourcePolicy", [single("policy", "resource")]],
    ["aws:redshiftserverless/resourcePolicy:ResourcePolicy", [single("policy", "resource")]],
    ["aws:s3/accessPoint:AccessPoint", [single("policy", "resource")]],
    ["aws:s3/bucket:Bucket", [single("policy", "resource")]],
    ["aws:s3/bucketV2:BucketV2", [single("policy", "resource")]],
    ["aws:glacier/vault:Vault", [single("accessPolicy", "resource")]],
    ["aws:cloudwatch/logDestinationPolicy:LogDestinationPolicy", [single("accessPolicy", "resource")]],
    ["aws:cloudsearch/domainServiceAccessPolicy:DomainServiceAccessPolicy", [single("accessPolicy", "resource")]],
    ["aws:organizations/resourcePolicy:ResourcePolicy", [single("content", "resource")]],
    ["aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate", [single("repositoryPolicy", "resource")]],
    ["aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", [single("inlinePolicy", "identity")]],
    ["aws:s3/filesFileSystemPolicy:FilesFileSystemPolicy", [single("policy", "resource")]],
    ["aws:s3/vectorsVectorBucketPolicy:VectorsVectorBucketPolicy", [single("policy", "resource")]],
    ["aws:s3control/accessGrantsInstanceResourcePolicy:AccessGrantsInstanceResourcePolicy", [single("policy", "resource")]],
    ["aws:s3control/accessPointPolicy:AccessPointPolicy", [single("policy", "resource")]],
    ["aws:s3control/bucketPolicy:BucketPolicy", [single("policy", "resource")]],
    ["aws:s3control/objectLambdaAccessPointPolicy:ObjectLambdaAccessPointPolicy", [single("policy", "resource")]],
    ["aws:s3tables/tableBucketPolicy:TableBucketPolicy", [single("resourcePolicy", "resource")]],
    ["aws:s3tables/tablePolicy:TablePolicy", [single("resourcePolicy", "resource")]],
    ["aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy", [single("resourcePolicy", "resource")]],
    ["aws:schemas/registryPolicy:RegistryPolicy", [single("policy", "resource")]],
    ["aws:secretsmanager/secret:Secret", [single("policy", "resource")]],
    ["aws:ses/identityPolicy:IdentityPolicy", [single("policy", "resource")]],
    ["aws:sesv2/emailIdentityPolicy:EmailIdentityPolicy", [single("policy", "resource")]],
    ["aws:sqs/queue:Queue", [single("policy", "resource")]],
    ["aws:vpclattice/authPolicy:AuthPolicy", [single("policy", "resource")]],
    ["aws:vpclattice/resourcePolicy:ResourcePolicy", [single("policy", "resource")]],
    ["aws:xray/resourcePolicy:ResourcePolicy", [single("policyDocument", "resource")]],
    // @pulumi/aws-native (CloudFormation's schemas): documents are objects, read like strings.
    ["aws-native:iam:Role", [single("assumeRolePolicyDocument", "trust"), nativeRolePolicies, attachedPolicies("managedPolicyArns")]],
    ["aws-native:iam:RolePolicy", [single("policyDocument", "identity")]],
    ["aws-native:iam:ManagedPolicy", [single("policyDocument", "identity")]],
    ["aws-native:iam:UserPolicy", [single("policyDocument", "identity")]],
    ["aws-native:iam:GroupPolicy", [single("policyDocument", "identity")]],
    ["aws-native:iam:User", [nativeRolePolicies, attachedPolicies("managedPolicyArns")]],
    ["aws-native:iam:Group", [nativeRolePolicies, attachedPolicies("managedPolicyArns")]],
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
