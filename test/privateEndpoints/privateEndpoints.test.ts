/**
 * Interface VPC endpoints: configuration rules, endpoint policies that name the stack's roles and
 * resources (and close endpoints nothing uses), and what an endpoint admits, simulated.
 */
import * as assert from "assert";
import { PolicyDocument } from "../../components/iam/iamDocument";
import { plainValue } from "../../offline/engine/mockEngine";
import { ACCOUNT_ID, REGION, mockEngine, runProgram } from "../harness";
import { assertPackFindsNothing } from "../assertions";
import { decide } from "../simulate";
import * as gatewayPolicies from "../../components/gateway/gatewayPolicies";
import * as serviceRolePolicies from "../../components/serviceRoles/serviceRolePolicies";

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
const PORTKEY_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/bedrock-gateway-portkey-${REGION}`;
const LITELLM_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/litellm-irsa`;
const SONNET = `arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0`;
const NOVA = `arn:aws:bedrock:${REGION}::foundation-model/amazon.nova-pro-v1:0`;

describe("private endpoints", () => {
    let run: Awaited<ReturnType<typeof runProgram>>;
    const policyOf = (service: string): PolicyDocument => {
        const endpoint = run.engine.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").find((candidate) => candidate.name === `bedrock-endpoints-${service}`);
        assert.ok(endpoint, service);
        return JSON.parse(endpoint.properties.policy as string) as PolicyDocument;
    };
    before(async () => {
        run = await runProgram({ gateways, privateEndpoints: endpoints });
    });

    it("creates one interface endpoint per listed service", () => {
        const created = run.engine.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").map((endpoint) => plainValue(endpoint.properties) as Record<string, unknown>);
        assert.deepStrictEqual(
            created.map((endpoint) => [endpoint.serviceName, endpoint.vpcEndpointType, endpoint.privateDnsEnabled, endpoint.vpcId]),
            [
                [`com.amazonaws.${REGION}.bedrock-runtime`, "Interface", true, endpoints.vpcId],
                [`com.amazonaws.${REGION}.bedrock`, "Interface", true, endpoints.vpcId],
            ],
        );
    });

    it("names each gateway role and exactly its models in the runtime endpoint's policy", () => {
        assert.deepStrictEqual(policyOf("bedrock-runtime").Statement, [
            {
                Sid: "Principal0InvokeListedModels",
                Effect: "Allow",
                Principal: { AWS: PORTKEY_ROLE },
                Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                Resource: [SONNET],
            },
            { Sid: "Principal1InvokeListedModels", Effect: "Allow", Principal: { AWS: LITELLM_ROLE }, Action: "bedrock:InvokeModel", Resource: [NOVA] },
        ]);
    });

    it("closes an endpoint no role of the stack uses", () => {
        assert.deepStrictEqual(policyOf("bedrock").Statement, [{ Sid: "NoRoleOfThisStackUsesThisApi", Effect: "Deny", Principal: "*", Action: "*", Resource: "*" }]);
    });

    it("passes the policy pack", async () => {
        await assertPackFindsNothing(run.engine.resources);
    });

    it("admits a gateway's role to its own models only, and no one else, simulated", async () => {
        const policy = policyOf("bedrock-runtime");
        const admits = (principal: string, resource: string, action = "bedrock:InvokeModel") =>
            decide({ action, principal, resource, resourceAccount: ACCOUNT_ID, resourcePolicy: policy });
        assert.strictEqual(await admits(PORTKEY_ROLE, SONNET), "Allowed");
        assert.strictEqual(await admits(LITELLM_ROLE, NOVA), "Allowed");
        assert.notStrictEqual(await admits(PORTKEY_ROLE, NOVA), "Allowed");
        assert.notStrictEqual(await admits(LITELLM_ROLE, NOVA, "bedrock:InvokeModelWithResponseStream"), "Allowed");
        assert.notStrictEqual(await admits(`arn:aws:iam::${ACCOUNT_ID}:role/someone-else`, SONNET), "Allowed");
    });

    it("rejects malformed endpoint settings before registering anything", async () => {
        await assert.rejects(
            runProgram({ gateways, privateEndpoints: { ...endpoints, vpcId: "vpc-1", subnetIds: [], services: ["bedrock-runtime", "bedrock-runtime", "s3"] } }),
            (error: Error) => {
                assert.match(error.message, /privateEndpoints\.vpcId = "vpc-1": must be a VPC ID/);
                assert.match(error.message, /privateEndpoints\.subnetIds = \[\]: must list at least one subnet/);
                assert.match(error.message, /privateEndpoints\.services\[2\] = "s3": must be one of bedrock-runtime, bedrock-agent-runtime, bedrock, bedrock-agent/);
                return true;
            },
        );
        assert.deepStrictEqual((await mockEngine()).resources, []);
    });
});

describe("permission layouts with private endpoints on", () => {
    /** Counts the calls of one exported function (CommonJS exports are looked up at each call). */
    function counting<Module extends object, Name extends keyof Module>(module: Module, name: Name): { calls: () => number; restore: () => void } {
        const original = module[name] as (...args: unknown[]) => unknown;
        let calls = 0;
        (module as Record<Name, unknown>)[name] = (...args: unknown[]) => {
            calls += 1;
            return original(...args);
        };
        return { calls: () => calls, restore: () => ((module as Record<Name, unknown>)[name] = original) };
    }

    it("are computed once per role, for the endpoint policies and the components alike", async () => {
        const gatewayLayouts = counting(gatewayPolicies, "gatewayPermissionLayout");
        const serviceLayouts = counting(serviceRolePolicies, "serviceRolePermissionLayout");
        try {
            await runProgram({
                gateways,
                serviceRoles: { flows: [{ name: "support", models: ["amazon.nova-pro-v1:0"] }] },
                privateEndpoints: { ...endpoints, services: ["bedrock-runtime", "bedrock-agent-runtime"] },
            });
        } finally {
            gatewayLayouts.restore();
            serviceLayouts.restore();
        }
        assert.strictEqual(gatewayLayouts.calls(), gateways.length);
        assert.strictEqual(serviceLayouts.calls(), 1);
    });
});
