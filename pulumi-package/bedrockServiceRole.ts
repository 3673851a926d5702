import * as pulumi from "@pulumi/pulumi";
import { declareServiceRole } from "../components/serviceRoles/bedrockServiceRole";
import { SERVICE_ROLE_SLUG, ServiceRoleKind, validateServiceRoles } from "../components/serviceRoles/serviceRoleConfig";
import { serviceRolePermissionLayout, serviceRolePermissionsIssue } from "../components/serviceRoles/serviceRolePolicies";
import { describeValue } from "../components/config/configValidation";
import {
    ComponentArgsError,
    IamQuotasArgs,
    PACKAGE_NAME,
    PlannedRoleOptions,
    afterValidation,
    entryTags,
    awsLocationOf,
    invokeOptionsOf,
    plainArgs,
    quietly,
    relativeToArgs,
    resourceOptionsOf,
    stackWideSettings,
    withPreviousType,
} from "./componentArgs";

/**
 * One entry of the stack's `serviceRoles` configuration, with its kind: the keys of a flow, an agent,
 * a knowledge base or a model customization job (each kind takes its own keys, as in the stack file).
 */
export interface BedrockServiceRoleArgs {
    /** `flows`, `agents`, `knowledgeBases`, `modelCustomization` or `batchInference`: the key the entry sits under in the stack file. */
    kind: string;
    /** The entry's name. */
    name: string;
    /** Create a customer-managed KMS key for this resource. If not provided, false. */
    createKey?: boolean;
    /** With createKey: IAM role or user ARNs that may use the key through Bedrock. If not provided, the account's principals, through IAM. */
    keyUsers?: string[];
    /** Flows and agents: guardrail IDs or ARNs the resource applies. */
    guardrails?: string[];
    /** Agents: collaborator agent aliases (AGENT/ALIAS or their ARNs) a supervisor agent invokes. */
    collaborators?: string[];
    /** Batch inference: input data (bucket/prefix, or bucket/key of one file). */
    inputData?: string[];
    /** Agents only: the role's name (it must start with AmazonBedrockExecutionRoleForAgents_). */
    roleName?: string;
    /** Flows, agents and batch inference: models the role may invoke. */
    models?: string[];
    /** Knowledge bases: embedding models. */
    embeddingModels?: string[];
    /** Flows: prompt IDs or ARNs. */
    prompts?: string[];
    /** Flows and agents: knowledge base IDs or ARNs. */
    knowledgeBases?: string[];
    /** Flows: agent aliases (AGENT/ALIAS). */
    agentAliases?: string[];
    /** Flows: S3 locations read (bucket/prefix). */
    s3Read?: string[];
    /** Flows: S3 locations written (bucket/prefix). */
    s3Write?: string[];
    /** KMS key IDs or ARNs the role may use. */
    kmsKeys?: string[];
    /** Lambda function names or ARNs the role may invoke. */
    lambdaFunctions?: string[];
    /** Flows: Lex V2 bot aliases (BOT/ALIAS). */
    lexBotAliases?: string[];
    /** Flows: AWS Marketplace product IDs a first call may subscribe the account to. */
    marketplaceProductIds?: string[];
    /** Agents: S3 objects holding action group schemas (bucket/key). */
    actionGroupSchemas?: string[];
    /** Knowledge bases: S3 data sources (bucket/prefix). */
    dataSources?: string[];
    /** Knowledge bases: OpenSearch Serverless collection IDs or ARNs. */
    openSearchCollections?: string[];
    /** Knowledge bases: Aurora cluster identifiers or ARNs. */
    auroraClusters?: string[];
    /** Knowledge bases: Secrets Manager secret ARNs. */
    secrets?: string[];
    /** Model customization: training data (bucket/prefix). */
    trainingData?: string[];
    /** Model customization: validation data (bucket/prefix). */
    validationData?: string[];
    /** Model customization and batch inference: where outputs are written (bucket/prefix). */
    outputData?: string[];
    /** Cost allocation tags for the role, its key and its managed policies. If not provided, none. */
    costTags?: Record<string, string>;
    /** The ARN of the customer managed policy the role carries as its permissions boundary (the stack's `permissionsBoundary`). If not provided, none. */
    permissionsBoundary?: string;
    /** IAM quotas the account has raised (the stack's `iamQuotas`). If not provided, AWS's defaults. */
    iamQuotas?: IamQuotasArgs;
    /** Tags for the role, its key and its managed policies, beside `bedrock-access:service-role`. If not provided, that tag only. */
    tags?: Record<string, string>;
}

const TYPE = `${PACKAGE_NAME}:index:BedrockServiceRole`;
/** The token the stack's program registered service roles under before it used this class. */
const PREVIOUS_TYPE = "bedrock-access:service:BedrockServiceRole";
const KINDS = Object.keys(SERVICE_ROLE_SLUG) as ServiceRoleKind[];

async function checkServiceRole(name: string, args: BedrockServiceRoleArgs, opts: PlannedRoleOptions | undefined) {
    const { kind, ...resolved } = await plainArgs(args, TYPE, name);
    if (typeof kind !== "string" || !(KINDS as string[]).includes(kind)) {
        throw new ComponentArgsError(TYPE, name, [{ path: "kind", value: describeValue(kind, false), rule: `must be one of ${KINDS.join(", ")}` }]);
    }
    const location = await awsLocationOf(invokeOptionsOf(opts));
    const { entry, settings, issues } = stackWideSettings(resolved, location.partition);
    const validated = validateServiceRoles({ [kind]: [entry] });
    if (issues.length > 0 || validated.issues.length > 0) throw new ComponentArgsError(TYPE, name, [...relativeToArgs(validated.issues, `serviceRoles.${kind}[0]`), ...issues]);
    const role = validated.value[0];
    if (opts?.plannedPermissions) return { location, role, permissions: opts.plannedPermissions, settings };
    const layout = serviceRolePermissionLayout(location, role, settings.iamQuotas);
    if (!layout.ok) {
        throw new ComponentArgsError(TYPE, name, relativeToArgs([serviceRolePermissionsIssue(role, settings.iamQuotas)], `serviceRoles.${kind}[0]`));
    }
    return { location, role, permissions: layout.layout, settings };
}

/**
 * The service role one Bedrock flow, agent, knowledge base or model customization job runs with:
 * trusted by Bedrock for this account's resource of that kind only, granted exactly what the entry
 * lists. The same documents as the stack writes.
 */
export class BedrockServiceRole extends pulumi.ComponentResource {
    /** The role's ARN: give it to Bedrock when creating the flow, agent, knowledge base or job. */
    public readonly roleArn: pulumi.Output<string>;
    /** The created KMS key's ARN, with `createKey`. */
    public readonly keyArn: pulumi.Output<string | undefined>;

    constructor(name: string, args: BedrockServiceRoleArgs, opts?: PlannedRoleOptions) {
        const checked = quietly(checkServiceRole(name, args, opts));
        super(TYPE, name, {}, afterValidation(checked, withPreviousType(resourceOptionsOf(opts), PREVIOUS_TYPE)));
        const resources = quietly(
            checked.then(({ location, role, permissions, settings }) =>
                declareServiceRole(this, name, { location, role, permissions, permissionsBoundary: settings.permissionsBoundary, tags: entryTags(role.costTags, settings.tags) }),
            ),
        );
        this.roleArn = pulumi.output(resources.then((role) => role.roleArn));
        this.keyArn = pulumi.output(resources.then((role) => role.keyArn));
        this.registerOutputs({ roleArn: this.roleArn, keyArn: this.keyArn });
    }
}
