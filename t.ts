import * as pulumi from "@pulumi/pulumi";
(async () => {
  const recorded: any[] = [];
  await pulumi.runtime.setMocks({
    newResource: (a) => { recorded.push(a); return { id: undefined as any, state: {} }; },
    call: (a) => { recorded.push({call: a.token}); return a.token === "aws:index/getCallerIdentity:getCallerIdentity" ? { accountId: "123456789012", arn: "x", userId: "y" } : {}; },
  }, "bedrock-access", "example", true);
  pulumi.runtime.setAllConfig({"aws:region": "eu-west-1", "bedrock-access:gateways": JSON.stringify([{name:"portkey", trustedPrincipals:["arn:aws:iam::111111111111:role/portkey-gateway"], externalId:"abc-123456", models:["anthropic.claude-sonnet-4-20250514-v1:0","eu.anthropic.claude-haiku-4-5-20251001-v1:0", "global.anthropic.claude-sonnet-4-5-20250929-v1:0"], guardrails:["gr7x2k9q1abc"]}])}, ["bedrock-access:gateways"]);
  const program = require("./index");
  const out = await program();
  await new Promise(r => setTimeout(r, 500));
  console.log(JSON.stringify(recorded, null, 1));
  out.gateways.portkey.roleArn.apply((v: any) => console.log("roleArn", v));
})();
