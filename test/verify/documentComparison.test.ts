/** Documents compared by what they grant: the same grants in other words are equal; any change in access is not. */
import * as assert from "assert";
import { compareDocuments, decodeIamDocument, describeDifference, sameGrants } from "../../verify/documentComparison";

const ROLE = "arn:aws:iam::111111111111:role/portkey-gateway";
const MODEL = "arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-pro-v1:0";
const OTHER_MODEL = "arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-lite-v1:0";

const invoke = {
    Version: "2012-10-17",
    Statement: [
        { Sid: "InvokeListedModels", Effect: "Allow", Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"], Resource: [MODEL, OTHER_MODEL] },
        { Sid: "ApplyListedGuardrails", Effect: "Allow", Action: "bedrock:ApplyGuardrail", Resource: "arn:aws:bedrock:eu-west-1:123456789012:guardrail/gr7x2k9q1abc" },
    ],
};
const trust = (externalId: string, principals: string[] = [ROLE]) => ({
    Version: "2012-10-17",
    Statement: [{ Sid: "GatewayAssumeRoleWithExternalId", Effect: "Allow", Principal: { AWS: principals }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": externalId } } }],
});

describe("verify's document comparison", () => {
    it("finds the same grants in a document re-split, reordered, without Sids, indented and URL-encoded as IAM returns it", () => {
        const resplit = {
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: "bedrock:ApplyGuardrail", Resource: ["arn:aws:bedrock:eu-west-1:123456789012:guardrail/gr7x2k9q1abc"] },
                { Effect: "Allow", Action: "bedrock:InvokeModelWithResponseStream", Resource: [OTHER_MODEL, MODEL] },
                { Effect: "Allow", Action: ["bedrock:InvokeModel"], Resource: MODEL },
                { Effect: "Allow", Action: ["bedrock:InvokeModel"], Resource: OTHER_MODEL },
            ],
        };
        const asIamReturnsIt = encodeURIComponent(JSON.stringify(resplit, null, 4));
        assert.ok(sameGrants(compareDocuments([JSON.stringify(invoke)], [decodeIamDocument(asIamReturnsIt)])));
    });

    it("reads the union of several documents on each side (a role's inline and managed policies)", () => {
        const [first, second] = invoke.Statement;
        const split = [JSON.stringify({ Version: "2012-10-17", Statement: [first] }), JSON.stringify({ Version: "2012-10-17", Statement: [second] })];
        assert.ok(sameGrants(compareDocuments([invoke], split)));
    });

    it("names a resource that is missing, and one that was added", () => {
        const narrower = { ...invoke, Statement: [{ ...invoke.Statement[0], Resource: [MODEL] }, invoke.Statement[1]] };
        const missing = compareDocuments([invoke], [narrower]);
        assert.deepStrictEqual(missing.extra, []);
        assert.deepStrictEqual(missing.missing, [`may bedrock:InvokeModel on ${OTHER_MODEL}`, `may bedrock:InvokeModelWithResponseStream on ${OTHER_MODEL}`]);
        const wider = compareDocuments([narrower], [invoke]);
        assert.deepStrictEqual(wider.missing, []);
        assert.strictEqual(wider.extra.length, 2);
        assert.match(describeDifference(wider, 1), /^not in the program: may bedrock:InvokeModel on .*nova-lite.*; and 1 more$/);
    });

    it("compares an external ID as required, not by value: the placeholder matches the deployed secret, a missing condition does not", () => {
        assert.ok(sameGrants(compareDocuments([trust("offline-placeholder-secret")], [trust("portkey-7f3a9c2e")])));
        const open = { ...trust("x"), Statement: [{ ...trust("x").Statement[0], Condition: undefined }] };
        const difference = compareDocuments([trust("offline-placeholder-secret")], [open]);
        assert.deepStrictEqual(difference.extra, [`conditions loosened: AWS ${ROLE} may sts:AssumeRole (was AWS ${ROLE} may sts:AssumeRole when StringEquals sts:ExternalId (set))`]);
    });

    it("reports a new principal in a trust policy", () => {
        const difference = compareDocuments([trust("a")], [trust("a", [ROLE, "arn:aws:iam::222222222222:root"])]);
        assert.deepStrictEqual(difference.extra, ["AWS arn:aws:iam::222222222222:root may sts:AssumeRole when StringEquals sts:ExternalId (set)"]);
        assert.deepStrictEqual(difference.missing, []);
    });

    it("reports a Deny that was removed, and a document it cannot read", () => {
        const deny = { Version: "2012-10-17", Statement: [{ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::logs/*", Condition: { Bool: { "aws:SecureTransport": "false" } } }] };
        const withoutDeny = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "bedrock.amazonaws.com" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::logs/*" }] };
        const both = { Version: "2012-10-17", Statement: [...deny.Statement, ...withoutDeny.Statement] };
        const difference = compareDocuments([both], [withoutDeny]);
        assert.deepStrictEqual(difference.missing, ["Deny * may s3:* on arn:aws:s3:::logs/* when Bool aws:SecureTransport false"]);
        const unreadable = compareDocuments([both], ["{not json"]);
        assert.match(unreadable.unreadable[0], /^deployed document 1: .*is not valid JSON/);
        assert.ok(!sameGrants(unreadable));
    });
});
