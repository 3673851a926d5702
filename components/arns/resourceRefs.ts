/**
 * Pure parsers for the resources service roles reach (prompts, knowledge bases, agent aliases, S3
 * locations, KMS keys, Lambda functions, vector stores, secrets), each resolved to the ARN a policy
 * names. IDs are completed with the stack's partition, region and account; full ARNs are kept.
 */
import { AwsLocation, Parsed } from "./bedrockArns";

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(rule: string): Parsed<T> => ({ ok: false, rule });

const WILDCARD_RULE = "wildcards (* or ?) are not allowed: name each resource exactly";
const PARTITION = "aws(?:-cn|-us-gov|-iso|-iso-b|-eusc)?";
const BEDROCK_ID = /^[0-9A-Z]{10}$/;

/** A resource named by its ARN, which may still need the stack's location to be written. */
export type ArnOf = (location: AwsLocation) => string;

function hasWildcard(text: string): boolean {
    return text.includes("*") || text.includes("?");
}

function bedrockResource(kind: string, what: string, example: string, idPattern = BEDROCK_ID) {
    const arnPattern = new RegExp(`^arn:${PARTITION}:bedrock:[a-z0-9-]+:\\d{12}:${kind}/(.+)$`);
    return (text: string): Parsed<ArnOf> => {
        if (hasWildcard(text)) return fail(WILDCARD_RULE);
        if (idPattern.test(text)) return ok((location) => `arn:${location.partition}:bedrock:${location.region}:${location.accountId}:${kind}/${text}`);
        const match = arnPattern.exec(text);
        if (match && idPattern.test(match[1])) return ok(() => text);
        return fail(`must be ${what} (such as ${example}) or its ARN`);
    };
}

/** A prompt of Prompt management: its ID, or its ARN (with a version, `:N`, to pin one). */
export const parsePromptReference = bedrockResource("prompt", "a prompt ID of 10 capital letters and digits", "PROMPT1234", /^[0-9A-Z]{10}(?::\d{1,5})?$/);
export const parseKnowledgeBaseReference = bedrockResource("knowledge-base", "a knowledge base ID of 10 capital letters and digits", "KB12345678");
export const parseAgentAliasReference = bedrockResource("agent-alias", "'<agent ID>/<alias ID>'", "AGENT12345/ALIAS12345", /^[0-9A-Z]{10}\/[0-9A-Z]{10}$/);

/** `bucket` or `bucket/prefix`, as S3 names them. */
export interface S3Location {
    readonly bucket: string;
    /** Without leading or trailing slash; empty for the whole bucket. */
    readonly prefix: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseS3Location(text: string): Parsed<S3Location> {
    if (hasWildcard(text)) return fail(WILDCARD_RULE);
    const trimmed = text.replace(/^s3:\/\//, "");
    const slash = trimmed.indexOf("/");
    const bucket = slash < 0 ? trimmed : trimmed.slice(0, slash);
    const prefix = slash < 0 ? "" : trimmed.slice(slash + 1).replace(/\/+$/, "");
    if (!BUCKET.test(bucket) || bucket.includes("..")) return fail("must be 'bucket' or 'bucket/prefix' with a valid S3 bucket name (3-63 characters of a-z, 0-9, . and -)");
    if (prefix.startsWith("/") || [...prefix].some((character) => character.charCodeAt(0) < 0x20)) return fail("has an invalid key prefix");
    return ok({ bucket, prefix });
}

export function s3BucketArn(location: Pick<AwsLocation, "partition">, s3: S3Location): string {
    return `arn:${location.partition}:s3:::${s3.bucket}`;
}

/** Exactly the object the location names: `bucket/key`. */
export function s3ObjectArn(location: Pick<AwsLocation, "partition">, s3: S3Location): string {
    return `arn:${location.partition}:s3:::${s3.bucket}/${s3.prefix}`;
}

/** The objects under the location: `bucket/prefix/*`, or `bucket/*`. */
export function s3ObjectsArn(location: Pick<AwsLocation, "partition">, s3: S3Location): string {
    return `arn:${location.partition}:s3:::${s3.bucket}/${s3.prefix ? `${s3.prefix}/` : ""}*`;
}

const KMS_KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^mrk-[0-9a-f]{32}$/;
const KMS_KEY_ARN = new RegExp(`^arn:${PARTITION}:kms:[a-z0-9-]+:\\d{12}:key/([0-9a-f-]+|mrk-[0-9a-f]{32})$`);

export function parseKmsKeyReference(text: string): Parsed<ArnOf> {
    if (hasWildcard(text)) return fail(WILDCARD_RULE);
    if (KMS_KEY_ID.test(text)) return ok((location) => `arn:${location.partition}:kms:${location.region}:${location.accountId}:key/${text}`);
    if (KMS_KEY_ARN.test(text)) return ok(() => text);
    return fail("must be a KMS key ID (a UUID or mrk-...) or a key ARN; aliases are not accepted, since key policies and grants name keys");
}

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const FUNCTION_ARN = new RegExp(`^arn:${PARTITION}:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}$`);

export function parseLambdaFunctionReference(text: string): Parsed<ArnOf> {
    if (hasWildcard(text)) return fail(WILDCARD_RULE);
    if (FUNCTION_NAME.test(text)) return ok((location) => `arn:${location.partition}:lambda:${location.region}:${location.accountId}:function:${text}`);
    if (FUNCTION_ARN.test(text)) return ok(() => text);
    return fail("must be a Lambda function name or an unqualified function ARN");
}

const COLLECTION_ID = /^[a-z0-9]{3,40}$/;
const COLLECTION_ARN = new RegExp(`^arn:${PARTITION}:aoss:[a-z0-9-]+:\\d{12}:collection/[a-z0-9]{3,40}$`);

export function parseCollectionReference(text: string): Parsed<ArnOf> {
    if (hasWildcard(text)) return fail(WILDCARD_RULE);
    if (COLLECTION_ID.test(text)) return ok((location) => `arn:${location.partition}:aoss:${location.region}:${location.accountId}:collection/${text}`);
    if (COLLECTION_ARN.test(text)) return ok(() => text);
    return fail("must be an OpenSearch Serverless collection ID or ARN");
}

const CLUSTER_ARN = new RegExp(`^arn:${PARTITION}:rds:[a-z0-9-]+:\\d{12}:cluster:[a-z][a-z0-9-]{0,62}$`);

export function parseAuroraClusterReference(text: string): Parsed<ArnOf> {
    if (hasWildcard(text)) return fail(WILDCARD_RULE);
    if (CLUSTER_ARN.test(text)) return ok(() => text);
    return fail("must be an Aurora DB cluster ARN (arn:aws:rds:<region>:<account>:cluster:<id>)");
}

const SECRET_ARN = new RegExp(`^arn:${PARTITION}:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[\\w/+=.@-]+-[A-Za-z0-9]{6}$`);

export function parseSecretReference(text: string): Parsed<ArnOf> {
    if (hasWildcard(text)) return fail(WILDCARD_RULE);
    if (SECRET_ARN.test(text)) return ok(() => text);
    return fail("must be the full ARN of a Secrets Manager secret, including its 6-character suffix");
}

const LEX_BOT_ALIAS_ID = /^[0-9a-zA-Z]{1,10}\/[0-9a-zA-Z]{1,10}$/;
const LEX_BOT_ALIAS_ARN = new RegExp(`^arn:${PARTITION}:lex:[a-z0-9-]+:\\d{12}:bot-alias/[0-9a-zA-Z]{1,10}/[0-9a-zA-Z]{1,10}$`);

/** A Lex V2 bot alias a flow calls: `<bot ID>/<alias ID>`, or its ARN (`arn:aws:lex:<region>:<account>:bot-alias/<bot ID>/<alias ID>`). */
export function parseLexBotAliasReference(text: string): Parsed<ArnOf> {
    if (hasWildcard(text)) return fail(WILDCARD_RULE);
    if (LEX_BOT_ALIAS_ID.test(text)) return ok((location) => `arn:${location.partition}:lex:${location.region}:${location.accountId}:bot-alias/${text}`);
    if (LEX_BOT_ALIAS_ARN.test(text)) return ok(() => text);
    return fail("must be a Lex V2 bot alias as '<bot ID>/<alias ID>' (such as BOT1234567/ALIAS12345) or its ARN (arn:aws:lex:<region>:<account>:bot-alias/<bot ID>/<alias ID>)");
}

/** `prod-...` (most models), `prodview-...`, or a UUID (older models), as AWS's product-ID table lists them. */
const PRODUCT_ID = /^(?:prod-[a-z0-9]{8,32}|prodview-[a-z0-9]{8,32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * An AWS Marketplace product ID of a third-party Bedrock model (`prod-` and lower-case letters and
 * digits, as the model cards list them), never a pattern: Subscribe is granted for exactly these.
 */
export function parseMarketplaceProductId(text: string): Parsed<string> {
    if (hasWildcard(text)) return fail(`${WILDCARD_RULE}: a pattern would let the role subscribe the account to other paid products`);
    if (PRODUCT_ID.test(text)) return ok(text);
    return fail("must be an AWS Marketplace product ID: prod- or prodview- followed by 8 to 32 lower-case letters and digits, or a UUID (see the model's card in the Bedrock documentation)");
}

const MANTLE_PROJECT_ID = /^(?:proj_[a-zA-Z0-9]{1,64}|default)$/;

/** A project of the bedrock-mantle endpoint: `default` (every account's) or `proj_...`. */
export function parseMantleProjectId(text: string): Parsed<string> {
    if (hasWildcard(text)) return fail(WILDCARD_RULE);
    if (MANTLE_PROJECT_ID.test(text)) return ok(text);
    return fail("must be a bedrock-mantle project ID: default, or proj_ followed by letters and digits");
}
