/**
 * What the pack asks IAM Access Analyzer about a resource: every document `documentsOf` finds
 * (so exactly the documents the other policies judge) becomes a `ValidatePolicy` request, and a
 * resource or trust policy of a type `CheckNoPublicAccess` knows also a public-access check. Pure:
 * no SDK is loaded here (its types only), so that the pack starts as fast with the option off.
 */
import type { AccessCheckResourceType, PolicyType, ValidatePolicyResourceType } from "@aws-sdk/client-accessanalyzer";
import { UnknownValueError } from "@pulumi/policy";
import { DocumentKind, documentsOf } from "./documents";

export interface ValidatePolicyRequest {
    readonly api: "ValidatePolicy";
    readonly policyDocument: string;
    readonly policyType: PolicyType;
    /** Only for the resource types the API documents; otherwise Access Analyzer runs the checks common to all resource policies. */
    readonly validatePolicyResourceType?: ValidatePolicyResourceType;
}

export interface CheckNoPublicAccessRequest {
    readonly api: "CheckNoPublicAccess";
    readonly policyDocument: string;
    readonly resourceType: AccessCheckResourceType;
}

export type AnalyzerRequest = ValidatePolicyRequest | CheckNoPublicAccessRequest;

/** One document of a resource and the requests it needs. */
export interface DocumentRequests {
    /** The property path shown in messages, as `documentsOf` names it. */
    readonly property: string;
    readonly requests: readonly AnalyzerRequest[];
}

/** The Access Analyzer resource types of one Pulumi resource type's resource policy. */
interface AnalyzerResourceTypes {
    readonly validate?: ValidatePolicyResourceType;
    readonly publicAccess?: AccessCheckResourceType;
}

const S3_BUCKET: AnalyzerResourceTypes = { validate: "AWS::S3::Bucket", publicAccess: "AWS::S3::Bucket" };
const S3_ACCESS_POINT: AnalyzerResourceTypes = { validate: "AWS::S3::AccessPoint", publicAccess: "AWS::S3::AccessPoint" };
const KMS_KEY: AnalyzerResourceTypes = { publicAccess: "AWS::KMS::Key" };
const SNS_TOPIC: AnalyzerResourceTypes = { publicAccess: "AWS::SNS::Topic" };
const SQS_QUEUE: AnalyzerResourceTypes = { publicAccess: "AWS::SQS::Queue" };
const SECRET: AnalyzerResourceTypes = { publicAccess: "AWS::SecretsManager::Secret" };
const REST_API: AnalyzerResourceTypes = { publicAccess: "AWS::ApiGateway::RestApi" };
const OPENSEARCH_DOMAIN: AnalyzerResourceTypes = { publicAccess: "AWS::OpenSearchService::Domain" };
const GLACIER_VAULT: AnalyzerResourceTypes = { publicAccess: "AWS::S3::Glacier" };

/**
 * Resource policies of types the APIs name, by Pulumi type (the enums of `ValidatePolicyResourceType`
 * and `AccessCheckResourceType` in @aws-sdk/client-accessanalyzer). Every other resource policy is
 * validated as a generic `RESOURCE_POLICY` and not checked for public access.
 */
export const ANALYZER_RESOURCE_TYPES: ReadonlyMap<string, AnalyzerResourceTypes> = new Map<string, AnalyzerResourceTypes>([
    ["aws:s3/bucketPolicy:BucketPolicy", S3_BUCKET],
    ["aws:s3/bucket:Bucket", S3_BUCKET],
    ["aws:s3/bucketV2:BucketV2", S3_BUCKET],
    ["aws:s3control/bucketPolicy:BucketPolicy", { publicAccess: "AWS::S3Outposts::Bucket" }],
    ["aws:s3/accessPoint:AccessPoint", S3_ACCESS_POINT],
    ["aws:s3control/accessPointPolicy:AccessPointPolicy", S3_ACCESS_POINT],
    ["aws:s3control/objectLambdaAccessPointPolicy:ObjectLambdaAccessPointPolicy", { validate: "AWS::S3ObjectLambda::AccessPoint" }],
    ["aws:s3tables/tableBucketPolicy:TableBucketPolicy", { publicAccess: "AWS::S3Tables::TableBucket" }],
    ["aws:s3tables/tablePolicy:TablePolicy", { publicAccess: "AWS::S3Tables::Table" }],
    ["aws:dynamodb/resourcePolicy:ResourcePolicy", { validate: "AWS::DynamoDB::Table", publicAccess: "AWS::DynamoDB::Table" }],
    ["aws:kms/key:Key", KMS_KEY],
    ["aws:kms/keyPolicy:KeyPolicy", KMS_KEY],
    ["aws:kms/externalKey:ExternalKey", KMS_KEY],
    ["aws:kms/replicaKey:ReplicaKey", KMS_KEY],
    ["aws:kms/replicaExternalKey:ReplicaExternalKey", KMS_KEY],
    ["aws:sns/topic:Topic", SNS_TOPIC],
    ["aws:sns/topicPolicy:TopicPolicy", SNS_TOPIC],
    ["aws:sqs/queue:Queue", SQS_QUEUE],
    ["aws:sqs/queuePolicy:QueuePolicy", SQS_QUEUE],
    ["aws:secretsmanager/secret:Secret", SECRET],
    ["aws:secretsmanager/secretPolicy:SecretPolicy", SECRET],
    ["aws:apigateway/restApi:RestApi", REST_API],
    ["aws:apigateway/restApiPolicy:RestApiPolicy", REST_API],
    ["aws:backup/vaultPolicy:VaultPolicy", { publicAccess: "AWS::Backup::BackupVault" }],
    ["aws:codeartifact/domainPermissions:DomainPermissions", { publicAccess: "AWS::CodeArtifact::Domain" }],
    ["aws:efs/fileSystemPolicy:FileSystemPolicy", { publicAccess: "AWS::EFS::FileSystem" }],
    ["aws:kinesis/resourcePolicy:ResourcePolicy", { publicAccess: "AWS::Kinesis::Stream" }],
    ["aws:lambda/resourcePolicy:ResourcePolicy", { publicAccess: "AWS::Lambda::Function" }],
    ["aws:opensearch/domain:Domain", OPENSEARCH_DOMAIN],
    ["aws:opensearch/domainPolicy:DomainPolicy", OPENSEARCH_DOMAIN],
    ["aws:elasticsearch/domain:Domain", OPENSEARCH_DOMAIN],
    ["aws:elasticsearch/domainPolicy:DomainPolicy", OPENSEARCH_DOMAIN],
    ["aws:glacier/vault:Vault", GLACIER_VAULT],
    ["aws:glacier/vaultLock:VaultLock", GLACIER_VAULT],
]);

/** A trust policy is a resource policy of the role: both APIs have a type for it. */
const ROLE_TRUST = "AWS::IAM::AssumeRolePolicyDocument";

function isObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** JSON with object keys sorted at every level: equal documents, however written, have one text. */
function canonicalJson(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
    if (isObject(value)) {
        const keys = Object.keys(value).sort();
        return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(",")}}`;
    }
    return JSON.stringify(value) ?? "null";
}

/**
 * The text sent for a document given as a JSON string or an object, or undefined when it is not a
 * JSON object (the other policies report an unreadable document; Access Analyzer is not asked).
 */
export function canonicalDocument(document: unknown): string | undefined {
    let value = document;
    if (typeof document === "string") {
        try {
            value = JSON.parse(document);
        } catch {
            return undefined;
        }
    }
    return isObject(value) ? canonicalJson(value) : undefined;
}

/** The cache key of a request: two requests with one key get one answer. */
export function requestKey(request: AnalyzerRequest): string {
    const type = request.api === "ValidatePolicy" ? `${request.policyType} ${request.validatePolicyResourceType ?? "-"}` : request.resourceType;
    return `${request.api} ${type} ${request.policyDocument}`;
}

function requestsFor(kind: DocumentKind, resourceType: string, policyDocument: string): AnalyzerRequest[] {
    if (kind === "identity") return [{ api: "ValidatePolicy", policyDocument, policyType: "IDENTITY_POLICY" }];
    const types: AnalyzerResourceTypes = kind === "trust" ? { validate: ROLE_TRUST, publicAccess: ROLE_TRUST } : (ANALYZER_RESOURCE_TYPES.get(resourceType) ?? {});
    const validate: ValidatePolicyRequest =
        types.validate === undefined
            ? { api: "ValidatePolicy", policyDocument, policyType: "RESOURCE_POLICY" }
            : { api: "ValidatePolicy", policyDocument, policyType: "RESOURCE_POLICY", validatePolicyResourceType: types.validate };
    return types.publicAccess === undefined ? [validate] : [validate, { api: "CheckNoPublicAccess", policyDocument, resourceType: types.publicAccess }];
}

const KINDS: readonly DocumentKind[] = ["trust", "identity", "resource", "endpoint"];

/**
 * The requests for every readable document of a resource. A kind of document unknown at preview is
 * left out (the other policies report it), without losing the resource's other kinds.
 */
export function analyzerRequestsOf(type: string, props: Record<string, unknown>): DocumentRequests[] {
    return KINDS.flatMap((kind) => {
        let documents;
        try {
            documents = documentsOf(type, props, [kind]);
        } catch (error) {
            if (error instanceof UnknownValueError) return [];
            throw error;
        }
        return documents.flatMap((document) => {
            const policyDocument = canonicalDocument(document.document);
            return policyDocument === undefined ? [] : [{ property: document.property, requests: requestsFor(kind, type, policyDocument) }];
        });
    });
}
