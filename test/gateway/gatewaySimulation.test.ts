/**
 * What the gateway documents mean: requests simulated against the exact documents the builders
 * write for a gateway configuration.
 */
import * as assert from "assert";
import { AwsLocation, Parsed, parseGuardrailReference, parseModelReference } from "../../components/arns/bedrockArns";
import { gatewayInvokePolicy, gatewayTrustPolicy } from "../../components/gateway/gatewayPolicies";
import { PolicyDocument } from "../../components/iam/iamDocument";
import { decide } from "../simulate";

const ACCOUNT = "123456789012";
const location: AwsLocation = { partition: "aws", region: "eu-west-1", accountId: ACCOUNT };
const GATEWAY_ROLE = "arn:aws:iam::111111111111:role/portkey-gateway";
const EXTERNAL_ID = "portkey-7f3a9c2e";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/bedrock-gateway-portkey`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/bedrock-gateway-portkey/portkey`;
const SONNET = "anthropic.claude-sonnet-4-20250514-v1:0";
const HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0";
const HAIKU_PROFILE = `arn:aws:bedrock:eu-west-1:${ACCOUNT}:inference-profile/eu.${HAIKU}`;
const GLOBAL_PROFILE = `arn:aws:bedrock:eu-west-1:${ACCOUNT}:inference-profile/global.amazon.nova-pro-v1:0`;
const GUARDRAIL = `arn:aws:bedrock:eu-west-1:${ACCOUNT}:guardrail/gr7x2k9q1abc`;
const fm = (region: string, modelId: string) => `arn:aws:bedrock:${region}::foundation-model/${modelId}`;

function value<T>(parsed: Parsed<T>): T {
    if (!parsed.ok) assert.fail(parsed.rule);
    return parsed.value;
}

function invokePolicy(streaming = true): PolicyDocument {
    return gatewayInvokePolicy({
        location,
        models: [SONNET, `eu.${HAIKU}`, "global.amazon.nova-pro-v1:0"].map((text) => value(parseModelReference(text))),
        guardrails: [value(parseGuardrailReference("gr7x2k9q1abc"))],
        streaming,
    });
}

describe("gateway trust policy, simulated", () => {
    const trust = gatewayTrustPolicy({ trustedPrincipals: [GATEWAY_ROLE], externalId: EXTERNAL_ID });
    // The gateway's own account lets it call AssumeRole: the trust policy alone decides.
    const callerPolicy: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "Caller", Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] };
    const assume = (principal: string, context: Record<string, string>) =>
        decide({ action: "sts:AssumeRole", principal, resource: ROLE_ARN, resourceAccount: ACCOUNT, resourcePolicy: trust, identityPolicies: [callerPolicy], context });

    it("lets the gateway assume the role with the right external ID", async () => assert.strictEqual(await assume(GATEWAY_ROLE, { "sts:ExternalId": EXTERNAL_ID }), "Allowed"));
    it("denies the gateway without an external ID", async () => assert.notStrictEqual(await assume(GATEWAY_ROLE, {}), "Allowed"));
    it("denies a wrong external ID", async () => assert.notStrictEqual(await assume(GATEWAY_ROLE, { "sts:ExternalId": "portkey-0000" }), "Allowed"));
    it("denies the right ID with a trailing newline", async () => assert.notStrictEqual(await assume(GATEWAY_ROLE, { "sts:ExternalId": `${EXTERNAL_ID}\n` }), "Allowed"));
    it("denies the right ID in another case", async () => assert.notStrictEqual(await assume(GATEWAY_ROLE, { "sts:ExternalId": EXTERNAL_ID.toUpperCase() }), "Allowed"));
    it("denies another principal of the gateway's account", async () =>
        assert.notStrictEqual(await assume("arn:aws:iam::111111111111:role/other", { "sts:ExternalId": EXTERNAL_ID }), "Allowed"));
    it("denies another account", async () => assert.notStrictEqual(await assume("arn:aws:iam::222222222222:role/portkey-gateway", { "sts:ExternalId": EXTERNAL_ID }), "Allowed"));
});

describe("gateway invoke policy, simulated", () => {
    const invoke = (action: string, resource: string, context: Record<string, string> = {}, policy = invokePolicy()) =>
        decide({ action, principal: SESSION, resource, resourceAccount: ACCOUNT, identityPolicies: [policy], context });

    it("allows a listed foundation model in the stack region, streaming or not", async () => {
        assert.strictEqual(await invoke("bedrock:InvokeModel", fm("eu-west-1", SONNET)), "Allowed");
        assert.strictEqual(await invoke("bedrock:InvokeModelWithResponseStream", fm("eu-west-1", SONNET)), "Allowed");
    });
    it("denies the listed foundation model in another region", async () => assert.notStrictEqual(await invoke("bedrock:InvokeModel", fm("us-east-1", SONNET)), "Allowed"));
    it("allows a listed inference profile", async () => assert.strictEqual(await invoke("bedrock:InvokeModel", HAIKU_PROFILE), "Allowed"));
    for (const region of ["eu-west-1", "eu-central-1", "eu-north-1", "eu-west-3"]) {
        it(`allows the profile's model in ${region} when reached through the profile`, async () =>
            assert.strictEqual(await invoke("bedrock:InvokeModel", fm(region, HAIKU), { "bedrock:InferenceProfileArn": HAIKU_PROFILE }), "Allowed"));
    }
    it("allows a global profile's model in any region through that profile", async () =>
        assert.strictEqual(await invoke("bedrock:InvokeModel", fm("ap-southeast-2", "amazon.nova-pro-v1:0"), { "bedrock:InferenceProfileArn": GLOBAL_PROFILE }), "Allowed"));
    it("denies the profile's model invoked directly", async () => assert.notStrictEqual(await invoke("bedrock:InvokeModel", fm("eu-west-1", HAIKU)), "Allowed"));
    it("denies the profile's model through an unlisted profile", async () =>
        assert.notStrictEqual(
            await invoke("bedrock:InvokeModel", fm("eu-central-1", HAIKU), { "bedrock:InferenceProfileArn": `arn:aws:bedrock:eu-west-1:${ACCOUNT}:inference-profile/global.${HAIKU}` }),
            "Allowed",
        ));
    it("denies an unlisted profile", async () =>
        assert.notStrictEqual(await invoke("bedrock:InvokeModel", `arn:aws:bedrock:eu-west-1:${ACCOUNT}:inference-profile/us.${HAIKU}`), "Allowed"));
    it("denies an unlisted model", async () => assert.notStrictEqual(await invoke("bedrock:InvokeModel", fm("eu-west-1", "anthropic.claude-opus-4-5-20251101-v1:0")), "Allowed"));
    it("denies other actions on a listed model", async () => {
        assert.notStrictEqual(await invoke("bedrock:GetFoundationModel", fm("eu-west-1", SONNET)), "Allowed");
        assert.notStrictEqual(await invoke("bedrock:CreateModelInvocationJob", fm("eu-west-1", SONNET)), "Allowed");
    });
    it("denies invoking an agent", async () =>
        assert.notStrictEqual(await invoke("bedrock:InvokeAgent", `arn:aws:bedrock:eu-west-1:${ACCOUNT}:agent-alias/AGENT12345/ALIAS12345`), "Allowed"));
    it("allows the listed guardrail and denies another", async () => {
        assert.strictEqual(await invoke("bedrock:ApplyGuardrail", GUARDRAIL), "Allowed");
        assert.notStrictEqual(await invoke("bedrock:ApplyGuardrail", `arn:aws:bedrock:eu-west-1:${ACCOUNT}:guardrail/zzzzzzzzzzzz`), "Allowed");
    });
    it("denies streaming when streaming is off", async () => {
        const policy = invokePolicy(false);
        assert.strictEqual(await invoke("bedrock:InvokeModel", fm("eu-west-1", SONNET), {}, policy), "Allowed");
        assert.notStrictEqual(await invoke("bedrock:InvokeModelWithResponseStream", fm("eu-west-1", SONNET), {}, policy), "Allowed");
    });
});
