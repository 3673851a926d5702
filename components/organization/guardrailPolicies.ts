/**
 * The organisation's guardrails as service control policies: pure functions from what the fleet's
 * stacks approve (`FleetApprovals`), the invocation actions of AWS's Service Authorization
 * Reference (`InvocationCatalog`) and the deployment role's name. Deny statements only: SCPs never
 * grant, they bound what every principal of the organisation's accounts may do.
 */
import { sortedUnique } from "../iam/iamDocument";
import { iamPolicySize } from "../iam/iamQuotas";
import { FleetApprovals } from "./fleetApprovals";
import { InvocationCatalog } from "./invocationCatalog";

/** AWS Organizations' quotas: characters of one SCP without whitespace, and SCPs attached to one root, OU or account. */
export const SCP_MAX_CHARACTERS = 5120;
export const SCP_MAX_PER_TARGET = 5;

export type ScpConditions = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

/** A statement of an SCP: always a Deny, on `Resource` or `NotResource`. */
export interface ScpStatement {
    readonly Sid: string;
    readonly Effect: "Deny";
    readonly Action: string | readonly string[];
    readonly Resource?: string | readonly string[];
    readonly NotResource?: readonly string[];
    readonly Condition?: ScpConditions;
}

export interface ScpDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly ScpStatement[];
}

/** One SCP as `npm run org-guardrails -- --format json` prints it and the organization project registers it. */
export interface ServiceControlPolicy {
    readonly name: string;
    readonly description: string;
    readonly document: ScpDocument;
}

/** A statement and why it is there (printed beside it in text). */
export interface GuardrailStatement {
    readonly statement: ScpStatement;
    readonly reason: string;
}

export const LOGGING_CONFIGURATION_ACTIONS: readonly string[] = ["bedrock:DeleteModelInvocationLoggingConfiguration", "bedrock:PutModelInvocationLoggingConfiguration"];
export const BEARER_TOKEN_ACTIONS: readonly string[] = ["bedrock-mantle:CallWithBearerToken", "bedrock:CallWithBearerToken"];
export const LONG_TERM_BEARER_TOKEN = "LONG_TERM";
export const BEDROCK_CREDENTIAL_SERVICE = "bedrock.amazonaws.com";

/**
 * The IAM actions that create a role or change who may assume it and what it may do: denied on the
 * exempted roles' names to everyone but the admin roles, so that nobody takes the logging exemption
 * by creating or rewriting a role of that name.
 */
export const ROLE_TAKEOVER_ACTIONS: readonly string[] = [
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRolePermissionsBoundary",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
];

/** The roles the guardrails name: who may change logging, and who may create or rewrite those roles. */
export interface GuardrailRoles {
    /** The roles that run `pulumi up` (one name per naming scheme of the fleet): the only ones allowed to change invocation logging. */
    readonly deploymentRoleNames: readonly string[];
    /** The roles that run the bootstrap: the only ones allowed to create or rewrite a deployment role (or an admin role). Empty: no such guard. */
    readonly adminRoleNames: readonly string[];
}

const one = (values: readonly string[]): string | readonly string[] => (values.length === 1 ? values[0] : values);

/** `arn:aws:iam::*:role/NAME` for each name: the role of that name in any account of the organisation. */
export function roleArnsInAnyAccount(partition: string, names: readonly string[]): string[] {
    return names.map((name) => `arn:${partition}:iam::*:role/${name}`);
}

/** The statements, in a stable order, each with its reason. */
export function guardrailStatements(fleet: FleetApprovals, catalog: InvocationCatalog, roles: GuardrailRoles): GuardrailStatement[] {
    const statements: GuardrailStatement[] = [];
    const direct = [...fleet.foundationModelArns, ...fleet.inferenceProfileArns, ...fleet.otherModelArns];
    const otherActions = catalog.modelActions.filter((action) => !catalog.actions.includes(action));
    statements.push({
        statement: {
            Sid: "DenyInvokingUnapprovedModels",
            Effect: "Deny",
            Action: catalog.modelActions,
            NotResource: [...direct, ...fleet.routedModelArns, ...catalog.otherResourcePatterns],
        },
        reason:
            `model invocation (${catalog.actions.join(", ")}; Converse and ConverseStream are authorised as the invoke actions) and every other Bedrock action ` +
            `that names a foundation model but reads (${otherActions.join(", ")}) on any foundation model or inference profile ` +
            "no stack approves: other models, other versions, other regions, other profiles. A model an approved profile routes to counts as approved in that profile's " +
            "destination regions only (any region for global. profiles). What these actions also touch (the account's project, batch jobs, " +
            "provisioned and custom models, application profiles, prompt routers) is left to the stacks' own IAM; the models they are made from stay governed here.",
    });
    if (fleet.inferenceProfileArns.length > 0 && catalog.profileConditionActions.length > 0) {
        statements.push({
            statement: {
                Sid: "DenyRoutedModelsOutsideApprovedProfiles",
                Effect: "Deny",
                Action: one(catalog.profileConditionActions),
                NotResource: [...direct, ...catalog.otherResourcePatterns],
                Condition: { StringNotLike: { "bedrock:InferenceProfileArn": one([...fleet.inferenceProfileArns, ...fleet.applicationProfileArns]) } },
            },
            reason:
                "the foundation models an approved inference profile routes to (in its destination regions; region-less for global. profiles) are allowed only when " +
                "reached through an approved profile or an application inference profile of the fleet's accounts in those regions (bedrock:InferenceProfileArn), " +
                "never directly where no stack approves them directly. " +
                `Only ${catalog.profileConditionActions.join(" and ")} carry that key; batch jobs are bounded by the approved models alone`,
        });
    }
    statements.push({
        statement: {
            Sid: "DenyUnapprovedMarketplaceSubscriptions",
            Effect: "Deny",
            Action: "aws-marketplace:Subscribe",
            Resource: "*",
            ...(fleet.marketplaceProductIds.length > 0 ? { Condition: { "ForAnyValue:StringNotEquals": { "aws-marketplace:ProductId": one(fleet.marketplaceProductIds) } } } : {}),
        },
        reason:
            fleet.marketplaceProductIds.length > 0
                ? `subscribing the account to any AWS Marketplace product but those the stacks approve (${fleet.marketplaceProductIds.join(", ")})`
                : "subscribing the account to any AWS Marketplace product: no stack approves one",
    });
    if (fleet.marketplaceProductIds.length > 0) {
        statements.push({
            statement: { Sid: "DenyMarketplaceSubscriptionsWithoutProduct", Effect: "Deny", Action: "aws-marketplace:Subscribe", Resource: "*", Condition: { Null: { "aws-marketplace:ProductId": "true" } } },
            reason: "a subscription that names no product cannot be checked against the approved ones",
        });
    }
    statements.push({
        statement: {
            Sid: "DenyUnapprovedMantleInference",
            Effect: "Deny",
            Action: "bedrock-mantle:CreateInference",
            Resource: "*",
            ...(fleet.mantleModels.length > 0 ? { Condition: { StringNotEquals: { "bedrock-mantle:Model": one(fleet.mantleModels) } } } : {}),
        },
        reason:
            fleet.mantleModels.length > 0
                ? `inference on the bedrock-mantle endpoint with any model but those the stacks approve there (bedrock-mantle:Model: ${fleet.mantleModels.join(", ")}); a request naming no model is denied too`
                : "inference on the bedrock-mantle endpoint: no stack approves a model there",
    });
    statements.push(
        {
            statement: {
                Sid: "DenyCreatingLongTermBedrockApiKeys",
                Effect: "Deny",
                Action: "iam:CreateServiceSpecificCredential",
                Resource: "*",
                Condition: { StringEquals: { "iam:ServiceSpecificCredentialServiceName": BEDROCK_CREDENTIAL_SERVICE } },
            },
            reason: `creating long-term Bedrock API keys (IAM service-specific credentials for ${BEDROCK_CREDENTIAL_SERVICE}); other services' credentials are untouched`,
        },
        {
            statement: {
                Sid: "DenyUsingLongTermBedrockApiKeys",
                Effect: "Deny",
                Action: BEARER_TOKEN_ACTIONS,
                Resource: "*",
                Condition: { StringEquals: { "bedrock:BearerTokenType": LONG_TERM_BEARER_TOKEN } },
            },
            reason: "calling Bedrock or bedrock-mantle with a long-term API key (bedrock:BearerTokenType LONG_TERM); short-term keys, minted from a session's own credentials, stay usable",
        },
        {
            statement: {
                Sid: "DenyUsingLongTermMantleApiKeys",
                Effect: "Deny",
                Action: "bedrock-mantle:CallWithBearerToken",
                Resource: "*",
                Condition: { StringEquals: { "bedrock-mantle:BearerTokenType": LONG_TERM_BEARER_TOKEN } },
            },
            reason: "the same for bedrock-mantle under the condition key its Service Authorization Reference entry lists (bedrock-mantle:BearerTokenType)",
        },
        {
            statement: {
                Sid: "DenyLoggingChangesButDeploymentRole",
                Effect: "Deny",
                Action: LOGGING_CONFIGURATION_ACTIONS,
                Resource: "*",
                Condition: { ArnNotLike: { "aws:PrincipalArn": one(roleArnsInAnyAccount(fleet.partition, roles.deploymentRoleNames)) } },
            },
            reason: `changing or deleting model invocation logging, by any principal but the deployment role${roles.deploymentRoleNames.length === 1 ? "" : "s"} ${roles.deploymentRoleNames.join(", ")} (in any account of the organisation): nobody else switches the logs off`,
        },
    );
    if (roles.adminRoleNames.length > 0) {
        const guarded = sortedUnique([...roles.deploymentRoleNames, ...roles.adminRoleNames]);
        statements.push({
            statement: {
                Sid: "DenyTakingDeploymentRolesButAdminRole",
                Effect: "Deny",
                Action: ROLE_TAKEOVER_ACTIONS,
                Resource: roleArnsInAnyAccount(fleet.partition, guarded),
                Condition: { ArnNotLike: { "aws:PrincipalArn": one(roleArnsInAnyAccount(fleet.partition, roles.adminRoleNames)) } },
            },
            reason:
                `creating a role named ${guarded.join(", ")}, or changing its trust policy, inline or attached policies or permissions boundary, by any principal but the admin role` +
                `${roles.adminRoleNames.length === 1 ? "" : "s"} ${roles.adminRoleNames.join(", ")}: the logging exemption goes by role name, so whoever could create a role of that name could take it`,
        });
    }
    return statements;
}

export function scpDocument(statements: readonly ScpStatement[]): ScpDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/** The size AWS counts for an SCP: its JSON without whitespace. */
export function scpSize(document: ScpDocument): number {
    return iamPolicySize(JSON.stringify(document));
}

export type GuardrailLayout = { readonly ok: true; readonly policies: readonly ServiceControlPolicy[] } | { readonly ok: false; readonly problem: string };

/**
 * The statements laid out in as few SCPs as fit (first fit, in order), each within
 * `SCP_MAX_CHARACTERS`, at most `SCP_MAX_PER_TARGET`. A statement never splits: a Deny on
 * `NotResource` or a negated condition split in two would deny what each half leaves out.
 */
export function layOutGuardrails(statements: readonly GuardrailStatement[], stackCount: number, maxCharacters = SCP_MAX_CHARACTERS, maxPolicies = SCP_MAX_PER_TARGET): GuardrailLayout {
    const groups: ScpStatement[][] = [];
    for (const { statement } of statements) {
        const alone = scpSize(scpDocument([statement]));
        if (alone > maxCharacters) {
            return { ok: false, problem: `The SCPs cannot fit: statement ${statement.Sid} alone takes ${alone} characters, over the ${maxCharacters} an SCP may hold; approve fewer models or regions, or write the guardrails for a part of the fleet.` };
        }
        const group = groups.find((candidate) => scpSize(scpDocument([...candidate, statement])) <= maxCharacters);
        if (group) group.push(statement);
        else groups.push([statement]);
    }
    if (groups.length > maxPolicies) {
        return { ok: false, problem: `The SCPs cannot fit: they need ${groups.length} policies of at most ${maxCharacters} characters, and a root, OU or account holds ${maxPolicies}; approve fewer models or regions.` };
    }
    const policies = groups.map((group, index): ServiceControlPolicy => {
        const name = groups.length === 1 ? "bedrock-access-guardrails" : `bedrock-access-guardrails-${index + 1}-of-${groups.length}`;
        const description = `Deny-only Bedrock guardrails from ${stackCount} bedrock-access stack(s): ${group.map((statement) => statement.Sid).join(", ")}`;
        return { name, description: description.length > 512 ? `${description.slice(0, 509)}...` : description, document: scpDocument(group) };
    });
    return { ok: true, policies };
}
