/**
 * A TypeScript program of its own using the bedrock-access components: Portkey's gateway role, as the
 * example stack's first gateway. In your project, install this repository and import from
 * "bedrock-access" (or `pulumi package add` the folder `npm run build:package` writes, for a generated SDK);
 * here the import is the package folder itself, so the tests run this very file under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { GatewayAccessRole } from "../../pulumi-package";

const config = new pulumi.Config();

const portkey = new GatewayAccessRole("portkey", {
    name: "portkey",
    trustedPrincipals: ["arn:aws:iam::111111111111:role/portkey-gateway"],
    // Set with: pulumi config set --secret portkeyExternalId VALUE. It stays a secret, and so does the trust policy.
    externalId: config.requireSecret("portkeyExternalId"),
    models: ["anthropic.claude-sonnet-4-20250514-v1:0", "eu.anthropic.claude-haiku-4-5-20251001-v1:0"],
    guardrails: ["gr7x2k9q1abc"],
});

/** What to enter in Portkey's Bedrock integration: the role, the region, and the external ID (a secret). */
export const portkeyRoleArn = portkey.roleArn;
export const portkeyRegion = portkey.region;
export const portkeyExternalId = portkey.externalId;
