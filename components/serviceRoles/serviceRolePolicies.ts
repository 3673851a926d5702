/**
 * Pure builders for Bedrock service roles: the trust policy (Bedrock only, from this account and for
 * this kind of resource), the permissions as units for `layoutPermissions`, and the source ARN that
 * scopes Lambda permissions.
 */
import { AwsLocation, guardrailArn } from "../arns/bedrockArns";
import { ConfigIssue } from "../config/configValidation";
import { APPLY_GUARDRAIL_ACTION, modelInvokeUnits } from "../gateway/gatewayPolicies";
import { PolicyDocument, PolicyStatement, fromSourceIn, policyDocument, serviceTrustDocument, sortedUnique } from "../iam/iamDocument";
import { IamQuotas } from "../iam/iamQuotas";
import { accountAdministersKey, deployerAdministersKey } from "../iam/keyPolicies";
import { LayoutResult, PermissionUnit, StatementTemplate, layoutPermissions } from "../iam/permissionLayout";
import { S3Location, s3BucketArn, s3ObjectArn, s3ObjectsArn } from "../arns/resourceRefs";
import { marketplacePermissions } from "../modelAccess/modelAccessPolicies";
import { SOURCE_RESOURCE_TYPE, ServiceRoleKind, ServiceRoleSpec } from "./serviceRoleConfig";

export const BEDROCK_SERVICE_PRINCIPAL = "bedrock.amazonaws.com";
/** What a flow's Lex node calls (AWS's documentation of the flow service role and the bot's resource policy). */
export const LEX_RECOGNIZE_ACTION = "lex:RecognizeUtterance";

/** `arn:<partition>:bedrock:<region>:<account>:flow/*`: the resources Bedrock acts for. */
export function serviceSourceArn(location: AwsLocation, kind: ServiceRoleKind): string {
    return `arn:${location.partition}:bedrock:${location.region}:${location.accountId}:${SOURCE_RESOURCE_TYPE[kind]}/*`;
}

/** Bedrock may assume the role only for this account's resources of this kind, in this region (confused-deputy prevention). */
export function serviceTrustPolicy(location: AwsLocation, kind: ServiceRoleKind): PolicyDocument {
    return serviceTrustDocument("BedrockAssumesForThisAccount", BEDROCK_SERVICE_PRINCIPAL, location.accountId, serviceSourceArn(location, kind));
}

const MODEL_ACTIONS: Readonly<Record<ServiceRoleKind, readonly string[]>> = {
    flows: ["bedrock:InvokeModel"],
    agents: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
    knowledgeBases: ["bedrock:InvokeModel"],
    modelCustomization: ["bedrock:InvokeModel"],
    batchInference: ["bedrock:InvokeModel"],
};

/** What a supervisor agent does with each collaborator's alias (AWS's agent service role page, multi-agent collaboration). */
export const COLLABORATOR_ACTIONS: readonly string[] = ["bedrock:GetAgentAlias", "bedrock:InvokeAgent"];

function listTemplates(location: AwsLocation, locations: readonly S3Location[]): Map<string, StatementTemplate> {
    const byBucket = new Map<string, string[]>();
    for (const s3 of locations) byBucket.set(s3.bucket, [...(byBucket.get(s3.bucket) ?? []), s3.prefix]);
    const templates = new Map<string, StatementTemplate>();
    for (const [bucket, prefixes] of [...byBucket].sort(([a], [b]) => a.localeCompare(b))) {
        const wholeBucket = prefixes.includes("");
        templates.set(bucket, {
            sid: `ListBucket${templates.size}`,
            actions: ["s3:ListBucket"],
            condition: {
                StringEquals: { "aws:ResourceAccount": location.accountId },
                ...(wholeBucket ? {} : { StringLike: { "s3:prefix": sortedUnique(prefixes.flatMap((prefix) => [prefix, `${prefix}/*`])) } }),
            },
        });
    }
    return templates;
}

/**
 * The role's permissions as units (one per named resource) and the statement templates, in a
 * fixed order. Nothing the entry does not list gets a statement.
 */
export function serviceRolePermissions(location: AwsLocation, role: ServiceRoleSpec): { units: PermissionUnit[]; templates: StatementTemplate[] } {
    const inThisAccount = { StringEquals: { "aws:ResourceAccount": location.accountId } };
    const templates = {
        prompts: { sid: "GetListedPrompts", actions: ["bedrock:GetPrompt"] },
        knowledgeBases: { sid: "QueryListedKnowledgeBases", actions: ["bedrock:Retrieve", "bedrock:RetrieveAndGenerate"] },
        agentAliases: { sid: "InvokeListedAgentAliases", actions: ["bedrock:InvokeAgent"] },
        collaborators: { sid: "InvokeCollaboratorAgents", actions: [...COLLABORATOR_ACTIONS] },
        guardrails: { sid: "ApplyListedGuardrails", actions: [APPLY_GUARDRAIL_ACTION] },
        s3Read: { sid: "ReadListedObjects", actions: ["s3:GetObject"], condition: inThisAccount },
        s3Write: { sid: "WriteListedObjects", actions: ["s3:PutObject"], condition: inThisAccount },
        kmsKeys: { sid: "UseListedKeys", actions: ["kms:Decrypt", "kms:GenerateDataKey"] },
        openSearchCollections: { sid: "AccessListedCollections", actions: ["aoss:APIAccessAll"] },
        auroraClusters: { sid: "QueryListedClusters", actions: ["rds:DescribeDBClusters", "rds-data:BatchExecuteStatement", "rds-data:ExecuteStatement"] },
        secrets: { sid: "ReadListedSecrets", actions: ["secretsmanager:GetSecretValue"] },
        lexBotAliases: { sid: "RecognizeWithListedLexBots", actions: [LEX_RECOGNIZE_ACTION] },
    } satisfies Record<string, StatementTemplate>;

    const models = modelInvokeUnits(location, role.models, MODEL_ACTIONS[role.kind]);
    const buckets = role.listReadLocations ? listTemplates(location, role.s3Read) : new Map<string, StatementTemplate>();
    const units: PermissionUnit[] = [...models.units];
    const add = (template: StatementTemplate, arns: readonly string[]) => {
        for (const arn of arns) units.push({ key: `${template.sid}:${arn}`, grants: [{ template, resources: [arn] }] });
    };
    add(templates.prompts, role.prompts.map((arnOf) => arnOf(location)));
    add(templates.knowledgeBases, role.knowledgeBases.map((arnOf) => arnOf(location)));
    add(templates.agentAliases, role.agentAliases.map((arnOf) => arnOf(location)));
    add(templates.collaborators, role.collaborators.map((arnOf) => arnOf(location)));
    add(templates.guardrails, role.guardrails.map((guardrail) => guardrailArn(location, guardrail)));
    add(templates.s3Read, [...role.s3Read.map((s3) => s3ObjectsArn(location, s3)), ...role.s3ReadObjects.map((s3) => s3ObjectArn(location, s3))]);
    for (const s3 of role.s3Read) {
        const template = buckets.get(s3.bucket);
        if (template) add(template, [s3BucketArn(location, s3)]);
    }
    add(templates.s3Write, role.s3Write.map((s3) => s3ObjectsArn(location, s3)));
    add(templates.kmsKeys, role.kmsKeys.map((arnOf) => arnOf(location)));
    add(templates.openSearchCollections, role.openSearchCollections.map((arnOf) => arnOf(location)));
    add(templates.auroraClusters, role.auroraClusters.map((arnOf) => arnOf(location)));
    add(templates.secrets, role.secrets.map((arnOf) => arnOf(location)));
    add(templates.lexBotAliases, role.lexBotAliases.map((arnOf) => arnOf(location)));
    const marketplace = marketplacePermissions(role.marketplaceProductIds);
    units.push(...marketplace.units);
    return { units, templates: [...models.templates, ...Object.values(templates), ...buckets.values(), ...marketplace.templates] };
}

export function serviceRolePermissionLayout(location: AwsLocation, role: ServiceRoleSpec, quotas: IamQuotas): LayoutResult {
    const { units, templates } = serviceRolePermissions(location, role);
    return layoutPermissions(units, templates, quotas);
}


/** What the callers of Bedrock's APIs need on a created key (AWS's encryption pages for agents, knowledge bases, flows and custom models). */
function keyUserActions(kind: ServiceRoleKind): string[] {
    return kind === "modelCustomization" ? ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"] : ["kms:Decrypt", "kms:GenerateDataKey"];
}

/** `bedrock.<region>.amazonaws.com`: the value of `kms:ViaService` when Bedrock uses a key for its caller. */
export function bedrockViaService(location: AwsLocation): string {
    return `bedrock.${location.region}.amazonaws.com${location.partition === "aws-cn" ? ".cn" : ""}`;
}

/**
 * The statement letting the callers of Bedrock's APIs (who create and invoke the agent, flow,
 * knowledge base or job) use the key, only through Bedrock in this region (`kms:ViaService`).
 * Without `keyUsers`, the account's principals, through IAM (an IAM grant on the key is also
 * needed, and only this account's callers qualify); with it, exactly those principals.
 */
export function keyUsersStatement(location: AwsLocation, role: Pick<ServiceRoleSpec, "kind" | "keyUsers">): PolicyStatement {
    const throughBedrock = { "kms:ViaService": bedrockViaService(location) };
    if (role.keyUsers === undefined) {
        return {
            Sid: "AccountPrincipalsUseKeyThroughBedrock",
            Effect: "Allow",
            Principal: { AWS: `arn:${location.partition}:iam::${location.accountId}:root` },
            Action: keyUserActions(role.kind),
            Resource: "*",
            Condition: { StringEquals: { ...throughBedrock, "kms:CallerAccount": location.accountId } },
        };
    }
    return {
        Sid: "KeyUsersUseKeyThroughBedrock",
        Effect: "Allow",
        Principal: { AWS: sortedUnique(role.keyUsers) },
        Action: keyUserActions(role.kind),
        Resource: "*",
        Condition: { StringEquals: throughBedrock },
    };
}

/**
 * The policy of a key created for one service role: the account administers it (explicit actions),
 * the role uses it, the callers of Bedrock's APIs use it through Bedrock (`keyUsersStatement`), and
 * Bedrock uses it only for this account's resources of this kind (encryption context
 * `aws:bedrock:arn`, plus `aws:SourceAccount`), and may attach grants only for AWS resources.
 */
export function serviceKeyPolicy(location: AwsLocation, role: Pick<ServiceRoleSpec, "kind" | "keyUsers">, roleArn: string, keyTags: Readonly<Record<string, string>>): PolicyDocument {
    const { kind } = role;
    const thisAccount = { "aws:SourceAccount": location.accountId };
    const roleActions = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey", ...(kind === "modelCustomization" ? ["kms:CreateGrant"] : [])];
    return policyDocument([
        accountAdministersKey(location),
        ...deployerAdministersKey(location, keyTags),
        { Sid: "ServiceRoleUsesKey", Effect: "Allow", Principal: { AWS: roleArn }, Action: roleActions, Resource: "*" },
        keyUsersStatement(location, role),
        {
            Sid: "BedrockUsesKeyForThisAccount",
            Effect: "Allow",
            Principal: { Service: BEDROCK_SERVICE_PRINCIPAL },
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: "*",
            Condition: { StringEquals: thisAccount, StringLike: { "kms:EncryptionContext:aws:bedrock:arn": serviceSourceArn(location, kind) } },
        },
        {
            Sid: "BedrockAttachesGrantsForAwsResources",
            Effect: "Allow",
            Principal: { Service: BEDROCK_SERVICE_PRINCIPAL },
            Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
            Resource: "*",
            Condition: { StringEquals: thisAccount, Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
    ]);
}

/** The issue for a service role whose permissions one role cannot hold within IAM's quotas. */
export function serviceRolePermissionsIssue(role: ServiceRoleSpec, quotas: IamQuotas): ConfigIssue {
    return {
        path: role.configPath,
        value: `(${role.kind} role ${role.name})`,
        rule:
            `lists more resources than one role holds within IAM's quotas (inline policies ${quotas.inlinePolicyCharactersPerRole} characters, ` +
            `${quotas.managedPoliciesPerRole} managed policies of ${quotas.managedPolicyCharacters}): split it into several roles, ` +
            "or raise the account's managed-policies-per-role quota and set iamQuotas.managedPoliciesPerRole",
    };
}

/** Flow roles that call one Lex bot alias. */
export interface LexBotAliasCallers {
    readonly aliasArn: string;
    readonly flowRoleArns: readonly string[];
}

/**
 * The resource policy of a Lex bot alias that flows call (one per alias: Lex holds one policy per
 * resource). The flow roles may call it; and Bedrock, as AWS documents for Lex nodes, only for this
 * account's flows in this region (`aws:SourceAccount` and `aws:SourceArn`, both of which Lex requires).
 */
export function lexBotAliasPolicy(location: AwsLocation, callers: LexBotAliasCallers): PolicyDocument {
    return policyDocument([
        { Sid: "FlowRolesRecognize", Effect: "Allow", Principal: { AWS: sortedUnique(callers.flowRoleArns) }, Action: LEX_RECOGNIZE_ACTION, Resource: callers.aliasArn },
        {
            Sid: "BedrockRecognizesForThisAccountsFlows",
            Effect: "Allow",
            Principal: { Service: BEDROCK_SERVICE_PRINCIPAL },
            Action: LEX_RECOGNIZE_ACTION,
            Resource: callers.aliasArn,
            Condition: fromSourceIn(location.accountId, serviceSourceArn(location, "flows")),
        },
    ]);
}
