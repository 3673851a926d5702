/**
 * The tests' simulator cuts each document to the statements that can apply to the request's action
 * before evaluating it (test/simulate.ts): these cases show the cut keeps every decision, where a
 * careless cut would not (a layer left empty, a NotAction statement, patterns with `?` and case).
 */
import * as assert from "assert";
import type { PolicyDocument } from "../../components/iam/iamDocument";
import { Decision, SimulatedRequest, actionPatternMatches, decideOn } from "../simulate";

const ACCOUNT = "123456789012";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/gateway`;
const BUCKET_OBJECT = "arn:aws:s3:::logs-bucket/key";

/** The gateway role reading one log object, with what the case adds (documents, another action). */
const getObject = (rest: Partial<SimulatedRequest>): SimulatedRequest => ({ action: "s3:GetObject", principal: ROLE, resource: BUCKET_OBJECT, resourceAccount: ACCOUNT, ...rest });

/** A document of the given statements (written loosely here, as the simulator reads them). */
const document = (...Statement: object[]) => ({ Version: "2012-10-17", Statement }) as unknown as PolicyDocument;

async function bothWays(request: SimulatedRequest): Promise<Decision> {
    const cut = await decideOn(request, true);
    assert.strictEqual(cut, await decideOn(request, false), `${request.action}: the cut changed the decision`);
    return cut;
}

describe("the simulator's cut of documents to the request's action", () => {
    it("matches action patterns as IAM does: service prefix, `*`, `?`, any case", () => {
        assert.ok(actionPatternMatches("s3:GetObject", "s3:getobject"));
        assert.ok(actionPatternMatches("s3:Get*", "s3:GetObjectTagging"));
        assert.ok(actionPatternMatches("*", "bedrock:InvokeModel"));
        assert.ok(actionPatternMatches("s3:?etObject", "s3:GetObject"));
        assert.ok(!actionPatternMatches("s3:Get*", "s3:PutObject"));
        assert.ok(!actionPatternMatches("s3:GetObject", "s3:GetObjectAcl"));
        assert.ok(!actionPatternMatches("s3:GetObject", "s3x:GetObject"));
        assert.ok(!actionPatternMatches("s3.GetObject", "s3:GetObject"), "a dot is not a wildcard");
    });

    it("keeps a boundary that names none of the action's statements denying", async () => {
        const request = getObject({
            identityPolicies: [document({ Effect: "Allow", Action: "*", Resource: "*" })],
            permissionsBoundary: document({ Effect: "Allow", Action: "bedrock:InvokeModel", Resource: "*" }),
        });
        assert.strictEqual(await bothWays(request), "ImplicitlyDenied");
    });

    it("keeps a NotAction Deny, whatever action it leaves out", async () => {
        const request = getObject({
            identityPolicies: [
                document({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, { Effect: "Deny", NotAction: "bedrock:*", Resource: "*" }),
            ],
        });
        assert.strictEqual(await bothWays(request), "ExplicitlyDenied");
    });

    it("keeps a Deny named by a pattern, and an Allow of another action out of the decision", async () => {
        const identity = document({ Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: "*" }, { Effect: "Deny", Action: "s3:Get*", Resource: "arn:aws:s3:::logs-bucket/*" });
        const base = { principal: ROLE, resourceAccount: ACCOUNT, identityPolicies: [identity] };
        assert.strictEqual(await bothWays({ ...base, action: "s3:GetObject", resource: BUCKET_OBJECT }), "ExplicitlyDenied");
        assert.strictEqual(await bothWays({ ...base, action: "s3:PutObject", resource: BUCKET_OBJECT }), "Allowed");
        assert.strictEqual(await bothWays({ ...base, action: "s3:DeleteObject", resource: BUCKET_OBJECT }), "ImplicitlyDenied");
    });

    it("keeps an SCP layer that allows nothing of the action denying", async () => {
        const request = getObject({
            identityPolicies: [document({ Effect: "Allow", Action: "*", Resource: "*" })],
            serviceControlPolicies: [{ orgIdentifier: "r-root", policies: [{ name: "bedrock-only", policy: document({ Effect: "Allow", Action: "bedrock:*", Resource: "*" }) }] }],
        });
        assert.strictEqual(await bothWays(request), "ImplicitlyDenied");
    });

    it("reads a document whose Statement is one object, not a list", async () => {
        const single = { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "s3:GetObject", Resource: "*" } } as unknown as PolicyDocument;
        const base = { principal: ROLE, resource: BUCKET_OBJECT, resourceAccount: ACCOUNT, identityPolicies: [single] };
        assert.strictEqual(await bothWays({ ...base, action: "s3:GetObject" }), "Allowed");
        assert.strictEqual(await bothWays({ ...base, action: "s3:PutObject" }), "ImplicitlyDenied");
    });

    it("keeps a resource policy's grant to another account, and its absence", async () => {
        const otherAccountRole = "arn:aws:iam::111122223333:role/reader";
        const bucketPolicy = document(
            { Effect: "Allow", Principal: { AWS: otherAccountRole }, Action: "s3:GetObject", Resource: "arn:aws:s3:::logs-bucket/*" },
            { Effect: "Allow", Principal: { AWS: otherAccountRole }, Action: "s3:ListBucket", Resource: "arn:aws:s3:::logs-bucket" },
        );
        const base = { principal: otherAccountRole, resource: BUCKET_OBJECT, resourceAccount: ACCOUNT, identityPolicies: [document({ Effect: "Allow", Action: "s3:*", Resource: "*" })], resourcePolicy: bucketPolicy };
        assert.strictEqual(await bothWays({ ...base, action: "s3:GetObject" }), "Allowed");
        assert.strictEqual(await bothWays({ ...base, action: "s3:PutObject" }), "ImplicitlyDenied");
    });

    it("still reports an invalid document as the whole simulation does", async () => {
        const request = getObject({
            identityPolicies: [document({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, { Effect: "Perhaps", Action: "s3GetObject", Resource: "*" })],
        });
        await assert.rejects(decideOn(request, true), /invalid simulation/);
    });
});
