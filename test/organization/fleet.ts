/** A fleet of three stacks over two accounts and two regions, written as stack files of the main project. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";

export const ACCOUNT_A = "111111111111";
export const ACCOUNT_B = "222222222222";
export const DEPLOYMENT_ROLE = "bedrock-access-deployer";
/** The role that runs the bootstrap in every account. */
export const ADMIN_ROLE = "bedrock-access-admin";

export const SONNET_4 = "anthropic.claude-sonnet-4-20250514-v1:0";
export const HAIKU_45 = "anthropic.claude-haiku-4-5-20251001-v1:0";
export const SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0";
export const OPUS_45 = "anthropic.claude-opus-4-5-20251101-v1:0";
export const NOVA_PRO = "amazon.nova-pro-v1:0";
export const TITAN_EMBED = "amazon.titan-embed-text-v2:0";
export const SONNET_PRODUCT = "prod-4pmewlybdftbs";
export const HAIKU_PRODUCT = "prod-xdkflymybwmvi";

/** Stack configuration by file name: account A in eu-west-1, account B in eu-west-1 and us-east-1. */
export const FLEET: Record<string, Record<string, unknown>> = {
    "Pulumi.a-eu.yaml": {
        "aws:region": "eu-west-1",
        "aws:allowedAccountIds": [ACCOUNT_A],
        "bedrock-access:gateways": [
            {
                name: "portkey",
                attachToRole: "portkey",
                models: [SONNET_4, `eu.${HAIKU_45}`],
                apis: ["runtime", "mantle"],
                mantleModels: [SONNET_4],
                marketplaceProductIds: [SONNET_PRODUCT],
            },
        ],
    },
    "Pulumi.b-eu.yaml": {
        "aws:region": "eu-west-1",
        "aws:allowedAccountIds": [ACCOUNT_B],
        "bedrock-access:gateways": [{ name: "litellm", attachToRole: "litellm", models: [`global.${SONNET_45}`, NOVA_PRO], marketplaceProductIds: [HAIKU_PRODUCT] }],
    },
    "Pulumi.b-us.yaml": {
        "aws:region": "us-east-1",
        "aws:allowedAccountIds": [ACCOUNT_B],
        "bedrock-access:gateways": [{ name: "litellm", attachToRole: "litellm", models: [`us.${OPUS_45}`] }],
        "bedrock-access:serviceRoles": { knowledgeBases: [{ name: "docs", embeddingModels: [TITAN_EMBED], dataSources: ["docs-source/manuals"], openSearchCollections: ["docs01"] }] },
    },
};

/** Writes the fleet (and any extra files) into a new temporary folder; returns the paths of the fleet's files. */
export function writeFleet(extra: Record<string, string> = {}): { readonly dir: string; readonly files: string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "org-guardrails-"));
    const files = Object.entries(FLEET).map(([name, config]) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, stringify({ config }));
        return file;
    });
    for (const [name, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, name), text);
    return { dir, files };
}
