/**
 * The deployer's policy: the provider action table against the Service Authorization Reference,
 * and, for the example stack and a stack with every feature on, simulated requests: each action the
 * table lists for each registered resource is allowed on that resource and denied on another of its
 * type; iam:PassRole only for the logging role, to Bedrock only; the documents fit IAM's quota and
 * pass the pack.
 */
import * as assert from "assert";
import * as path from "path";
import { modelMix } from "../../bench/modelMix";
import { PolicyDocument, PolicyStatement, policyJson } from "../../components/iam/iamDocument";
import { DEFAULT_IAM_QUOTAS, iamPolicySize } from "../../components/iam/iamQuotas";
import { KEY_ADMINISTRATION_ACTIONS } from "../../components/iam/keyPolicies";
import { deployedResources } from "../../deployer/cli";
import { DeployedResource, DeployerPolicy, deployerPolicy, splitIntoDocuments } from "../../deployer/deployerPolicy";
import { PROVIDER_ACTIONS } from "../../deployer/providerActions";
import { EXACT_ALARM_LIMIT, RESOURCE_SCOPES } from "../../deployer/resourceScopes";
import { ActionAuthorization, actionAuthorization, authorizedTypeOf, honoursConditionKey } from "../../deployer/serviceAuthorization";
import { loadStackConfig } from "../../offline/engine/stackFile";
import { ACCOUNT_ID, REGION, mockEngine, runProgram } from "../harness";
import { assertPackFindsNothing } from "../assertions";
import { decide } from "../simulate";

const LOCATION = { partition: "aws", region: REGION, accountId: ACCOUNT_ID };
const DEPLOYER = `arn:aws:sts::${ACCOUNT_ID}:assumed-role/bedrock-access-deployer/pipeline`;
/** What AWS sets on every request of the deployer's session (the simulator takes them as given): the key policies name the deployer by them. */
const DEPLOYER_CONTEXT = { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT_ID}:role/bedrock-access-deployer`, "aws:PrincipalAccount": ACCOUNT_ID };

/** The example stack's project configuration, keys without the project prefix. */
function exampleConfig(): Record<string, unknown> {
    const { config } = loadStackConfig(path.resolve(__dirname, "..", ".."), "example");
    const projectConfig: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
        if (key.startsWith("bedrock-access:")) projectConfig[key.slice("bedrock-access:".length)] = JSON.parse(value);
    }
    return projectConfig;
}

/** The example plus a gateway large enough for managed policies: every resource type the program can register. */
function everyFeatureConfig(): Record<string, unknown> {
    const example = exampleConfig();
    const company = { name: "company", trustedPrincipals: ["arn:aws:iam::111111111111:role/litellm"], externalId: "company-gateway-1", models: modelMix(80, REGION) };
    // The account's enforced guardrail, on two models.
    const monitoring = { ...(example.monitoring as Record<string, unknown>), enforcedGuardrail: { guardrail: "abc123def456:3", includedModels: ["anthropic.claude-haiku-4-5-20251001-v1:0"], messages: "SELECTIVE" } };
    return { ...example, gateways: [...(example.gateways as unknown[]), company], monitoring };
}

/** The example plus cost attribution: an application profile, a created Mantle project, a budget and activated cost allocation tags. */
function costAttributionConfig(): Record<string, unknown> {
    const example = exampleConfig();
    const team = {
        name: "team-search",
        trustedPrincipals: ["arn:aws:iam::111111111111:role/search"],
        externalId: "team-search-gateway-1",
        models: ["eu.anthropic.claude-haiku-4-5-20251001-v1:0", "openai.gpt-oss-120b-1:0"],
        apis: ["runtime", "mantle"],
        costTags: { team: "search" },
        applicationProfiles: [{ name: "search-haiku", copyFrom: "eu.anthropic.claude-haiku-4-5-20251001-v1:0" }],
        mantleProjects: [{ name: "search-chat", costTags: { app: "chat" } }],
    };
    const monitoring = { ...(example.monitoring as Record<string, unknown>), budgets: [{ name: "search-bedrock", monthlyLimitUsd: 100, costTags: { team: "search" }, thresholdsPercent: [80] }], activateCostTags: true };
    return { ...example, gateways: [...(example.gateways as unknown[]), team], monitoring };
}

interface StackDeployment {
    readonly resources: readonly DeployedResource[];
    readonly policy: DeployerPolicy;
}

async function deploy(projectConfig: Record<string, unknown>): Promise<StackDeployment> {
    const { engine } = await runProgram(projectConfig, { preview: false });
    const resources = deployedResources(engine.resources);
    const invokes = [...(await mockEngine()).invokeCalls];
    return { resources, policy: await deployerPolicy(LOCATION, resources, invokes, DEFAULT_IAM_QUOTAS.managedPolicyCharacters) };
}

/**
 * The test's own idea of each resource's identity: ARNs that name it, ARNs of another resource of
 * its type, and the request context (tags) that identifies it when AWS chooses its ID. Written
 * independently of deployer/resourceScopes.ts.
 */
interface Identity {
    readonly arns: readonly string[];
    readonly otherArns: readonly string[];
    /** For resources identified by tags: the tags on the resource. */
    readonly tags?: Record<string, string>;
    /** Resources the calls name besides this one (an endpoint's VPC and subnets): asked for by the actions that need them, never tagged. */
    readonly relatedArns?: readonly string[];
    /** The resource's own policy, where AWS requires it to allow too (a KMS key's policy). */
    readonly resourcePolicy?: PolicyDocument;
    /** Request context every call on it carries (the policy an attachment attaches, the endpoint's service). */
    readonly context?: Record<string, string | string[]>;
    /** Request context of the call that creates it (`ec2:CreateAction` for tags written on creation). */
    readonly creationContext?: Record<string, string>;
    /** The simulator cannot classify its ARN: evaluate without its request checks (see `decide`). */
    readonly unchecked?: boolean;
}

const tagsOf = (resource: DeployedResource) => resource.properties.tags as Record<string, string>;
const prop = (resource: DeployedResource, key: string) => String(resource.properties[key]);
const iam = `arn:aws:iam::${ACCOUNT_ID}`;
const regional = (service: string) => `arn:aws:${service}:${REGION}:${ACCOUNT_ID}`;
const s3Identity = (resource: DeployedResource): Identity => ({ arns: [`arn:aws:s3:::${prop(resource, "bucket")}`], otherArns: ["arn:aws:s3:::someone-elses-bucket"] });

/** The permissions boundary the stack's roles carry (every write to a role is bound to it): read from the registered roles. */
function stackBoundary(resources: readonly DeployedResource[]): string {
    const boundaries = new Set(resources.filter((resource) => resource.type === "aws:iam/role:Role").map((role) => prop(role, "permissionsBoundary")));
    assert.strictEqual(boundaries.size, 1, [...boundaries].join(", "));
    return [...boundaries][0];
}
/** A role carries the stack's boundary (or, for CreateRole and PutRolePermissionsBoundary, the request sets it). */
const withBoundary = (boundary: string) => ({ "iam:PermissionsBoundary": boundary });

const IDENTITIES: Readonly<Record<string, (resource: DeployedResource, boundary: string) => Identity>> = {
    "aws:iam/role:Role": (r, boundary) => ({ arns: [`${iam}:role/${prop(r, "name")}`], otherArns: [`${iam}:role/Admin`], context: withBoundary(boundary) }),
    "aws:iam/rolePolicy:RolePolicy": (r, boundary) => ({ arns: [`${iam}:role/${prop(r, "role")}`], otherArns: [`${iam}:role/Admin`], context: withBoundary(boundary) }),
    "aws:iam/policy:Policy": (r) => ({ arns: [`${iam}:policy/${prop(r, "name")}`], otherArns: [`${iam}:policy/AdministratorPolicy`] }),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (r, boundary) => ({
        arns: [`${iam}:role/${prop(r, "role")}`],
        otherArns: [`${iam}:role/Admin`],
        context: { "iam:PolicyARN": prop(r, "policyArn"), ...withBoundary(boundary) },
    }),
    "aws:kms/key:Key": (r) => ({
        arns: [`${regional("kms")}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
        otherArns: [`${regional("kms")}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
        tags: tagsOf(r),
        // KMS needs the key policy to allow as well: the one the stack writes.
        resourcePolicy: JSON.parse(prop(r, "policy")) as PolicyDocument,
    }),
    "aws:lambda/permission:Permission": (r) => ({ arns: [prop(r, "function")], otherArns: [`${regional("lambda")}:function:payroll`], context: { "lambda:Principal": prop(r, "principal") } }),
    "aws:ec2/vpcEndpoint:VpcEndpoint": (r) => ({
        arns: [`${regional("ec2")}:vpc-endpoint/vpce-0123456789abcdef0`],
        // What the reference requires a create to name too: its VPC, subnets and security groups (never tagged).
        relatedArns: [
            `${regional("ec2")}:vpc/${prop(r, "vpcId")}`,
            ...((r.properties.subnetIds as string[] | undefined) ?? []).map((id) => `${regional("ec2")}:subnet/${id}`),
            ...((r.properties.securityGroupIds as string[] | undefined) ?? []).map((id) => `${regional("ec2")}:security-group/${id}`),
        ],
        otherArns: [`${regional("ec2")}:vpc-endpoint/vpce-0123456789abcdef0`],
        tags: tagsOf(r),
        context: { "ec2:VpceServiceName": prop(r, "serviceName") },
        creationContext: { "ec2:CreateAction": "CreateVpcEndpoint" },
    }),
    "aws:s3/bucket:Bucket": (r) => ({
        arns: [`arn:aws:s3:::${prop(r, "bucket")}`, `arn:aws:s3:::${prop(r, "bucket")}/AWSLogs/${ACCOUNT_ID}/log.json.gz`],
        otherArns: ["arn:aws:s3:::someone-elses-bucket", "arn:aws:s3:::someone-elses-bucket/AWSLogs/log.json.gz"],
    }),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": s3Identity,
    "aws:s3/bucketPolicy:BucketPolicy": s3Identity,
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": s3Identity,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": s3Identity,
    "aws:s3/bucketVersioning:BucketVersioning": s3Identity,
    "aws:sns/topic:Topic": (r) => ({ arns: [`${regional("sns")}:${prop(r, "name")}`], otherArns: [`${regional("sns")}:billing-alerts`] }),
    "aws:sns/topicPolicy:TopicPolicy": (r) => ({ arns: [prop(r, "arn")], otherArns: [`${regional("sns")}:billing-alerts`] }),
    "aws:sns/topicSubscription:TopicSubscription": (r) => ({
        arns: [prop(r, "topic")],
        otherArns: [`${regional("sns")}:billing-alerts`],
        context: { "sns:Protocol": prop(r, "protocol"), "sns:Endpoint": prop(r, "endpoint") },
    }),
    "aws:cloudwatch/logGroup:LogGroup": (r) => ({
        arns: [`${regional("logs")}:log-group:${prop(r, "name")}`, `${regional("logs")}:log-group:${prop(r, "name")}:*`],
        otherArns: [`${regional("logs")}:log-group:/aws/lambda/payroll`, `${regional("logs")}:log-group:/aws/lambda/payroll:*`],
    }),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (r) => ({ arns: [`${regional("cloudwatch")}:alarm:${prop(r, "name")}`], otherArns: [`${regional("cloudwatch")}:alarm:billing`] }),
    "aws:cloudwatch/dashboard:Dashboard": (r) => ({ arns: [`arn:aws:cloudwatch::${ACCOUNT_ID}:dashboard/${prop(r, "dashboardName")}`], otherArns: [`arn:aws:cloudwatch::${ACCOUNT_ID}:dashboard/billing`] }),
    "aws:cloudwatch/queryDefinition:QueryDefinition": () => ({ arns: [], otherArns: [] }),
    "aws:cloudwatch/contributorInsightRule:ContributorInsightRule": (r) => ({
        arns: [`${regional("cloudwatch")}:insight-rule/${prop(r, "ruleName")}`],
        otherArns: [`${regional("cloudwatch")}:insight-rule/billing-top-talkers`],
        // The log groups the rule definition reads (PutInsightRule is bound to them).
        context: { "cloudwatch:requestInsightRuleLogGroups": (JSON.parse(prop(r, "ruleDefinition")) as { LogGroupNames: string[] }).LogGroupNames },
    }),
    "aws:glue/catalogDatabase:CatalogDatabase": (r) => ({
        arns: [
            `${regional("glue")}:catalog`,
            `${regional("glue")}:database/${prop(r, "name")}`,
            `${regional("glue")}:table/${prop(r, "name")}/invocations`,
            `${regional("glue")}:userDefinedFunction/${prop(r, "name")}/to_day`,
        ],
        otherArns: [`${regional("glue")}:database/payroll`, `${regional("glue")}:table/payroll/salaries`],
    }),
    "aws:glue/catalogTable:CatalogTable": (r) => ({
        arns: [`${regional("glue")}:catalog`, `${regional("glue")}:database/${prop(r, "databaseName")}`, `${regional("glue")}:table/${prop(r, "databaseName")}/${prop(r, "name")}`],
        otherArns: [`${regional("glue")}:table/payroll/salaries`],
    }),
    "aws:athena/workgroup:Workgroup": (r) => ({ arns: [`${regional("athena")}:workgroup/${prop(r, "name")}`], otherArns: [`${regional("athena")}:workgroup/primary`] }),
    "aws:athena/namedQuery:NamedQuery": (r) => ({ arns: [`${regional("athena")}:workgroup/${prop(r, "workgroup")}`], otherArns: [`${regional("athena")}:workgroup/primary`] }),
    "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration": () => ({ arns: [], otherArns: [] }),
    "aws:bedrock/useCaseForModelAccess:UseCaseForModelAccess": () => ({ arns: [], otherArns: [] }),
    "aws-native:lex:ResourcePolicy": (r) => ({ arns: [prop(r, "resourceArn")], otherArns: [`${regional("lex")}:bot-alias/OTHERBOT01/ALIAS00000`], unchecked: true }),
    // AWS chooses the profile's ID: told apart by its owner tag; created from the model it copies.
    "aws:bedrock/inferenceProfile:InferenceProfile": (r) => ({
        arns: [`${regional("bedrock")}:application-inference-profile/a1b2c3d4e5f6`],
        otherArns: [`${regional("bedrock")}:application-inference-profile/a1b2c3d4e5f6`],
        tags: { "bedrock-access:gateway": tagsOf(r)["bedrock-access:gateway"] },
        relatedArns: [(r.properties.modelSource as { copyFrom: string }).copyFrom],
    }),
    "aws:budgets/budget:Budget": (r) => ({ arns: [`arn:aws:budgets::${ACCOUNT_ID}:budget/${prop(r, "name")}`], otherArns: [`arn:aws:budgets::${ACCOUNT_ID}:budget/payroll`] }),
    "aws:costexplorer/costAllocationTag:CostAllocationTag": () => ({ arns: [], otherArns: [] }),
    "aws-native:bedrock:EnforcedGuardrailConfiguration": () => ({ arns: [], otherArns: [] }),
    "aws-native:bedrockmantle:Project": (r) => ({
        arns: [`${regional("bedrock-mantle")}:project/proj_a1b2c3d4`],
        otherArns: [`${regional("bedrock-mantle")}:project/proj_a1b2c3d4`],
        tags: { "bedrock-access:gateway": (r.properties.tags as { key: string; value: string }[]).find((tag) => tag.key === "bedrock-access:gateway")!.value },
    }),
};

/** The actions the table lists for a resource, with whether each runs as it is created. */
function tableActions(resource: DeployedResource): { action: string; creating: boolean; tagging: boolean }[] {
    const entry = PROVIDER_ACTIONS.find((candidate) => candidate.type === resource.type);
    assert.ok(entry, resource.type);
    const actions = new Map<string, { creating: boolean; tagging: boolean }>();
    const phases: [readonly string[], boolean, boolean][] = [
        [entry.read, false, false],
        [entry.create, true, false],
        [entry.update, false, false],
        [entry.tag, false, true],
        [resource.retainOnDelete ? [] : entry.delete, false, false],
    ];
    for (const [list, creating, tagging] of phases) {
        for (const action of list) {
            const known = actions.get(action) ?? { creating: false, tagging: false };
            actions.set(action, { creating: known.creating || creating, tagging: known.tagging || tagging });
        }
    }
    return [...actions].map(([action, flags]) => ({ action, ...flags }));
}

async function authorizedArns(authorization: ActionAuthorization, arns: readonly string[]): Promise<string[]> {
    const authorized: string[] = [];
    for (const arn of arns) if (await authorizedTypeOf(authorization, arn)) authorized.push(arn);
    return authorized;
}

function tagContext(kind: "RequestTag" | "ResourceTag", tags: Record<string, string>, otherValue = false, creationContext: Record<string, string> = {}): Record<string, string> {
    const context = Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:${kind}/${key}`, otherValue ? `${value}-other` : value]));
    return kind === "RequestTag" ? { ...context, ...creationContext } : context;
}

async function simulateStack(deployment: StackDeployment): Promise<number> {
    const policies = deployment.policy.documents;
    let checked = 0;
    const seen = new Set<string>();
    for (const resource of deployment.resources) {
        const identity = IDENTITIES[resource.type]?.(resource, stackBoundary(deployment.resources));
        assert.ok(identity, `the test knows no identity for ${resource.type}`);
        for (const { action, creating, tagging } of tableActions(resource)) {
            const authorization = await actionAuthorization(action);
            const key = `${resource.type}|${JSON.stringify(identity)}|${action}`;
            if (seen.has(key)) continue;
            seen.add(key);
            const request = (resourceArn: string, context: Record<string, string>) =>
                decide({
                    action,
                    principal: DEPLOYER,
                    resource: resourceArn,
                    resourceAccount: ACCOUNT_ID,
                    context: { ...DEPLOYER_CONTEXT, ...identity.context, ...context },
                    identityPolicies: policies,
                    ...(resourceArn !== "*" && identity.resourcePolicy ? { resourcePolicy: identity.resourcePolicy } : {}),
                    ...(identity.unchecked ? { unchecked: true } : {}),
                });
            // Tag actions run as the resource is created (tags in the request, where the action honours
            // them) and afterwards (tags on the resource).
            const tagKindsFor = async (arn: string): Promise<("RequestTag" | "ResourceTag")[]> => {
                const resourceType = arn === "*" ? undefined : await authorizedTypeOf(authorization, arn);
                const honoursRequestTags = Object.keys(identity.tags ?? {}).every((tag) => honoursConditionKey(authorization, resourceType, `aws:RequestTag/${tag}`));
                // Tags are written by the create call only where the action can tell it is one (ec2:CreateAction).
                const tellsCreation = Object.keys(identity.creationContext ?? {}).every((key) => honoursConditionKey(authorization, resourceType, key));
                if (tagging) return [...(honoursRequestTags && (creating || tellsCreation) ? (["RequestTag"] as const) : []), "ResourceTag"];
                return [creating && honoursRequestTags ? "RequestTag" : "ResourceTag"];
            };
            if (authorization.wildcardOnly) {
                const context = identity.tags && creating ? tagContext("RequestTag", identity.tags) : {};
                assert.strictEqual(await request("*", context), "Allowed", `${action} on * for ${resource.type} ${resource.name}`);
                // Only where the action honours the tags in the request (Cloud Control's calls do not: the handler's own action is bound).
                if (identity.tags && creating && Object.keys(identity.tags).every((tag) => honoursConditionKey(authorization, undefined, `aws:RequestTag/${tag}`))) {
                    assert.notStrictEqual(await request("*", tagContext("RequestTag", identity.tags, true)), "Allowed", `${action} with another tag`);
                }
                checked += 1;
                continue;
            }
            const arns = await authorizedArns(authorization, tagging ? identity.arns : [...identity.arns, ...(identity.relatedArns ?? [])]);
            assert.ok(arns.length > 0, `${action} authorizes none of ${identity.arns.join(", ")}`);
            for (const arn of arns) {
                const contexts = identity.tags ? (await tagKindsFor(arn)).map((kind) => tagContext(kind, identity.tags as Record<string, string>, false, identity.creationContext)) : [{}];
                for (const context of contexts) {
                    assert.strictEqual(await request(arn, context), "Allowed", `${action} on ${arn} ${JSON.stringify(context)} for ${resource.type} ${resource.name}`);
                }
                checked += 1;
            }
            // Reads of a tag-identified resource are not bound to its tags (see deployerPolicy.ts): nothing to deny.
            const readsAnyOfItsKind = identity.tags !== undefined && (authorization.accessLevel === "Read" || authorization.accessLevel === "List");
            for (const other of readsAnyOfItsKind ? [] : await authorizedArns(authorization, identity.otherArns)) {
                const contexts = identity.tags ? (await tagKindsFor(other)).map((kind) => tagContext(kind, identity.tags as Record<string, string>, true, identity.creationContext)) : [{}];
                for (const context of contexts) {
                    assert.notStrictEqual(await request(other, context), "Allowed", `${action} on another ${resource.type}: ${other} ${JSON.stringify(context)}`);
                }
            }
        }
    }
    return checked;
}

const statementsOf = (documents: readonly PolicyDocument[]): PolicyStatement[] => documents.flatMap((document) => [...document.Statement]);
const actionsOf = (statement: PolicyStatement) => (Array.isArray(statement.Action) ? [...statement.Action] : [statement.Action as string]);

describe("the provider action table", () => {
    it("names only actions of the Service Authorization Reference, as AWS spells them", async () => {
        for (const entry of PROVIDER_ACTIONS) {
            for (const action of [...entry.read, ...entry.create, ...entry.update, ...entry.delete, ...entry.tag]) {
                const authorization = await actionAuthorization(action);
                assert.strictEqual(authorization.action, action, `${entry.type}: ${action}`);
            }
        }
    });

    it("has a source and a scope for every type, and no wildcard action", () => {
        for (const entry of PROVIDER_ACTIONS) {
            const terraformSources = entry.sources.every((source) => source.startsWith("internal/service/"));
            assert.ok(entry.sources.length > 0 && (terraformSources || entry.type.startsWith("aws-native:")), entry.type);
            assert.ok(RESOURCE_SCOPES[entry.type] || entry.type === "aws:index/getCallerIdentity:getCallerIdentity", `no scope for ${entry.type}`);
            for (const action of [...entry.read, ...entry.create, ...entry.update, ...entry.delete, ...entry.tag]) assert.ok(!action.includes("*"), action);
        }
    });

    it("keeps the created keys administrable by the deployer: every KMS action on a key is one the key policies delegate to IAM", () => {
        const key = PROVIDER_ACTIONS.find((entry) => entry.type === "aws:kms/key:Key");
        assert.ok(key);
        const onKey = [...key.read, ...key.update, ...key.tag, ...key.delete].filter((action) => action !== "kms:CreateKey");
        for (const action of onKey) assert.ok(KEY_ADMINISTRATION_ACTIONS.includes(action), `${action} is not in the key policies' administration statement`);
    });
});

for (const [title, config] of [
    ["the example stack", exampleConfig],
    ["a stack with every feature on", everyFeatureConfig],
    ["a stack with cost attribution", costAttributionConfig],
] as const) {
    describe(`the deployer policy of ${title}`, () => {
        let deployment: StackDeployment;
        before(async () => {
            deployment = await deploy(config());
        });

        it("covers every resource type the stack registers", () => {
            const types = new Set(deployment.resources.map((resource) => resource.type));
            for (const type of types) assert.ok(PROVIDER_ACTIONS.some((entry) => entry.type === type), type);
            if (title === "a stack with every feature on") {
                assert.ok(types.has("aws-native:bedrock:EnforcedGuardrailConfiguration"), [...types].join(", "));
                assert.ok(types.has("aws:iam/policy:Policy") && types.has("aws:iam/rolePolicyAttachment:RolePolicyAttachment"), [...types].join(", "));
            }
        });

        it("allows each listed action on each registered resource and denies it on another of the same type", async function () {
            this.timeout(300000);
            const checked = await simulateStack(deployment);
            assert.ok(checked > 50, String(checked));
        });

        it("lets the deployer pass only the logging role, and only to Bedrock", async () => {
            const policies = deployment.policy.documents;
            const loggingRole = `arn:aws:iam::${ACCOUNT_ID}:role/bedrock-invocation-logging-${REGION}-test`;
            const pass = (resource: string, service: string) =>
                decide({ action: "iam:PassRole", principal: DEPLOYER, resource, resourceAccount: ACCOUNT_ID, context: { "iam:PassedToService": service }, identityPolicies: policies });
            assert.strictEqual(await pass(loggingRole, "bedrock.amazonaws.com"), "Allowed");
            assert.strictEqual(await pass(loggingRole, "lambda.amazonaws.com"), "ImplicitlyDenied");
            assert.strictEqual(await pass(`arn:aws:iam::${ACCOUNT_ID}:role/bedrock-gateway-portkey-${REGION}`, "bedrock.amazonaws.com"), "ImplicitlyDenied");
            const passing = statementsOf(policies).filter((statement) => actionsOf(statement).includes("iam:PassRole"));
            assert.deepStrictEqual(passing.map((statement) => [statement.Resource, statement.Condition]), [[loggingRole, { StringEquals: { "iam:PassedToService": "bedrock.amazonaws.com" } }]]);
        });

        it("lets the deployer attach only the stack's own managed policies to the stack's roles", async function () {
            const attachments = deployment.resources.filter((resource) => resource.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
            if (attachments.length === 0) this.skip();
            const attach = (role: string, policyArn: string) =>
                decide({
                    action: "iam:AttachRolePolicy",
                    principal: DEPLOYER,
                    resource: `arn:aws:iam::${ACCOUNT_ID}:role/${role}`,
                    resourceAccount: ACCOUNT_ID,
                    context: { "iam:PolicyARN": policyArn, ...withBoundary(stackBoundary(deployment.resources)) },
                    identityPolicies: deployment.policy.documents,
                });
            for (const attachment of attachments) {
                assert.strictEqual(await attach(prop(attachment, "role"), prop(attachment, "policyArn")), "Allowed");
                assert.strictEqual(await attach(prop(attachment, "role"), "arn:aws:iam::aws:policy/AdministratorAccess"), "ImplicitlyDenied");
            }
        });

        it(`names the alarms one by one up to ${EXACT_ALARM_LIMIT}, by the stack's prefix beyond`, () => {
            const alarms = deployment.resources.filter((resource) => resource.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
            const alarmArns = new Set(statementsOf(deployment.policy.documents).flatMap((statement) => [statement.Resource ?? []].flat()).filter((arn) => String(arn).includes(":alarm:")));
            if (alarms.length <= EXACT_ALARM_LIMIT) {
                assert.deepStrictEqual([...alarmArns].sort(), alarms.map((alarm) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT_ID}:alarm:${alarm.properties.name}`).sort());
            } else {
                assert.deepStrictEqual([...alarmArns], [`arn:aws:cloudwatch:${REGION}:${ACCOUNT_ID}:alarm:bedrock-*`]);
            }
        });

        it("grants no delete on what pulumi destroy keeps: the log bucket, the log group and the keys", () => {
            const actions = new Set(statementsOf(deployment.policy.documents).flatMap(actionsOf));
            for (const kept of ["s3:DeleteBucket", "logs:DeleteLogGroup", "kms:ScheduleKeyDeletion"]) assert.ok(!actions.has(kept), kept);
            assert.ok(actions.has("iam:DeleteRole") && actions.has("sns:DeleteTopic"), "what destroy deletes is deletable");
        });

        it("has no wildcard action, no NotAction, and '*' only for actions that accept nothing else", async () => {
            for (const statement of statementsOf(deployment.policy.documents)) {
                assert.ok(!("NotAction" in statement), statement.Sid);
                for (const action of actionsOf(statement)) {
                    assert.ok(!/[*?]/.test(action), action);
                    if (statement.Resource === "*") assert.ok((await actionAuthorization(action)).wildcardOnly, `${action} on *`);
                }
            }
        });

        it("fits managed policies within IAM's size quota, no more than a role holds", () => {
            const documents = deployment.policy.documents;
            assert.ok(documents.length >= 1 && documents.length <= DEFAULT_IAM_QUOTAS.managedPoliciesPerRole, String(documents.length));
            for (const document of documents) assert.ok(iamPolicySize(policyJson(document)) <= DEFAULT_IAM_QUOTAS.managedPolicyCharacters);
        });

        it("passes the policy pack as managed policies", async () => {
            await assertPackFindsNothing(
                deployment.policy.documents.map((document, index) => ({
                    urn: `urn:pulumi:test::bedrock-access::aws:iam/policy:Policy::deployer-${index}`,
                    type: "aws:iam/policy:Policy",
                    name: `deployer-${index}`,
                    properties: { policy: policyJson(document) },
                })),
            );
        });

        it("is the same on every run", async () => {
            const again = await deploy(config());
            assert.deepStrictEqual(again.policy.documents, deployment.policy.documents);
        });
    });
}

describe("the deployer policy when the logs are deleted on destroy", () => {
    it("grants deleting the log bucket and the log group", async () => {
        const example = exampleConfig();
        const { policy } = await deploy({ ...example, monitoring: { ...(example.monitoring as object), deleteLogsOnDestroy: true } });
        const actions = new Set(statementsOf(policy.documents).flatMap(actionsOf));
        assert.ok(actions.has("s3:DeleteBucket") && actions.has("logs:DeleteLogGroup"));
    });
});

describe("splitting the deployer policy", () => {
    const statement = (index: number, resources: number): PolicyStatement => ({
        Sid: `S${index}`,
        Effect: "Allow",
        Action: "iam:GetRole",
        Resource: Array.from({ length: resources }, (_, resource) => `arn:aws:iam::${ACCOUNT_ID}:role/role-number-${index}-${resource}`),
    });

    it("fills documents in order within the limit, splitting a statement too large alone", () => {
        const statements = [statement(0, 10), statement(1, 200), statement(2, 10)];
        const documents = splitIntoDocuments(statements, 6144);
        assert.ok(documents.length > 1);
        for (const document of documents) assert.ok(iamPolicySize(policyJson(document)) <= 6144);
        const resources = documents.flatMap((document) => document.Statement.flatMap((entry) => entry.Resource as string[]));
        assert.deepStrictEqual(resources, statements.flatMap((entry) => entry.Resource as string[]));
        assert.deepStrictEqual(splitIntoDocuments(statements, 6144), documents);
    });
});

describe("the deployer policy's narrowing, simulated", () => {
    let policies: readonly PolicyDocument[];
    before(async () => {
        policies = (await deploy(exampleConfig())).policy.documents;
    });
    const request = (action: string, resource: string, context: Record<string, string | string[]> = {}) =>
        decide({ action, principal: DEPLOYER, resource, resourceAccount: ACCOUNT_ID, context, identityPolicies: policies });
    const endpoint = `${regional("ec2")}:vpc-endpoint/vpce-0123456789abcdef0`;
    const runtimeService = `com.amazonaws.${REGION}.bedrock-runtime`;

    it("tags an endpoint in the request only as the create call writes them, never an existing endpoint", async () => {
        const tags = { "aws:RequestTag/bedrock-access:endpoint": "bedrock-runtime", "ec2:VpceServiceName": runtimeService };
        assert.strictEqual(await request("ec2:CreateTags", endpoint, { ...tags, "ec2:CreateAction": "CreateVpcEndpoint" }), "Allowed");
        assert.notStrictEqual(await request("ec2:CreateTags", endpoint, tags), "Allowed");
        assert.notStrictEqual(await request("ec2:CreateTags", endpoint, { ...tags, "ec2:CreateAction": "CreateTags" }), "Allowed");
    });

    it("creates endpoints for the listed services only", async () => {
        const create = (service: string) => request("ec2:CreateVpcEndpoint", endpoint, { "aws:RequestTag/bedrock-access:endpoint": "bedrock-runtime", "ec2:VpceServiceName": service });
        assert.strictEqual(await create(runtimeService), "Allowed");
        assert.notStrictEqual(await create(`com.amazonaws.${REGION}.s3`), "Allowed");
    });

    it("lets the Lambda functions be invoked by Bedrock only, never opened to everyone", async () => {
        const lookup = `${regional("lambda")}:function:support-flow-lookup`;
        assert.strictEqual(await request("lambda:AddPermission", lookup, { "lambda:Principal": "bedrock.amazonaws.com" }), "Allowed");
        assert.notStrictEqual(await request("lambda:AddPermission", lookup, { "lambda:Principal": "*" }), "Allowed");
    });

    it("subscribes the configured alert addresses only", async () => {
        const topic = `${regional("sns")}:bedrock-invocation-alerts`;
        assert.strictEqual(await request("sns:Subscribe", topic, { "sns:Protocol": "email", "sns:Endpoint": "oncall@example.com" }), "Allowed");
        assert.notStrictEqual(await request("sns:Subscribe", topic, { "sns:Protocol": "https", "sns:Endpoint": "https://attacker.example" }), "Allowed");
        assert.notStrictEqual(await request("sns:Subscribe", topic, { "sns:Protocol": "email", "sns:Endpoint": "someone@example.net" }), "Allowed");
    });

    it("reaches an attachToRole role that has an IAM path, and no other role of that name's path", async () => {
        const boundary = withBoundary(`${iam}:policy/bedrock-access-boundary-test`);
        assert.strictEqual(await request("iam:PutRolePolicy", `${iam}:role/eks/litellm-eks-irsa`, boundary), "Allowed");
        assert.strictEqual(await request("iam:GetRole", `${iam}:role/litellm-eks-irsa`), "Allowed");
        assert.notStrictEqual(await request("iam:PutRolePolicy", `${iam}:role/eks/litellm-eks-irsa-admin`, boundary), "Allowed");
    });

    it("administers a key only through the key's own policy: a key the stack did not create is neither read nor changed", async () => {
        const key = `${regional("kms")}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
        const keyPolicy: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "Root", Effect: "Allow", Principal: { AWS: `${iam}:root` }, Action: "kms:*", Resource: "*" }] };
        const onKey = (action: string, context: Record<string, string>) =>
            decide({ action, principal: DEPLOYER, resource: key, resourceAccount: ACCOUNT_ID, context: { ...DEPLOYER_CONTEXT, ...context }, identityPolicies: policies, resourcePolicy: keyPolicy });
        const tagged = { "aws:ResourceTag/bedrock-access:monitoring": "invocations" };
        assert.notStrictEqual(await onKey("kms:DescribeKey", {}), "Allowed");
        assert.notStrictEqual(await onKey("kms:PutKeyPolicy", tagged), "Allowed");
        assert.notStrictEqual(await onKey("kms:PutKeyPolicy", {}), "Allowed");
        assert.notStrictEqual(await onKey("kms:ScheduleKeyDeletion", tagged), "Allowed");
        assert.notStrictEqual(await onKey("kms:Decrypt", tagged), "Allowed");
    });
});

describe("the deployer's tagging of profiles and Mantle projects, simulated", () => {
    let deployment: StackDeployment;
    before(async () => {
        deployment = await deploy(costAttributionConfig());
    });
    const request = (action: string, resource: string, context: Record<string, string | string[]> = {}) =>
        decide({ action, principal: DEPLOYER, resource, resourceAccount: ACCOUNT_ID, context, identityPolicies: deployment.policy.documents });
    const cases = [
        ["bedrock", `${regional("bedrock")}:application-inference-profile/a1b2c3d4e5f6`],
        ["bedrock-mantle", `${regional("bedrock-mantle")}:project/proj_a1b2c3d4`],
    ] as const;

    it("tags a new profile or project with its gateway (the create call's tags, authorized as TagResource on a resource without tags)", async () => {
        for (const [service, arn] of cases) {
            const tags = { "aws:RequestTag/bedrock-access:gateway": "team-search", "aws:TagKeys": ["bedrock-access:gateway"] };
            assert.strictEqual(await request(`${service}:TagResource`, arn, tags), "Allowed", arn);
            assert.strictEqual(await request(`${service}:TagResource`, arn, { ...tags, "aws:ResourceTag/bedrock-access:gateway": "team-search" }), "Allowed", `${arn} already the stack's`);
        }
        const created = { "aws:RequestTag/bedrock-access:gateway": "team-search", "aws:TagKeys": ["bedrock-access:gateway"] };
        assert.strictEqual(await request("bedrock:CreateInferenceProfile", cases[0][1], created), "Allowed");
    });

    it("never re-tags another gateway's profile or project to the stack's gateway: no take-over", async () => {
        for (const [service, arn] of cases) {
            const context = { "aws:RequestTag/bedrock-access:gateway": "team-search", "aws:TagKeys": ["bedrock-access:gateway"], "aws:ResourceTag/bedrock-access:gateway": "another-stacks-gateway" };
            assert.notStrictEqual(await request(`${service}:TagResource`, arn, context), "Allowed", arn);
        }
    });
});
