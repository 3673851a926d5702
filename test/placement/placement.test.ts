/**
 * Geography and ownership at validation: profiles of a geography that does not serve the stack's
 * region are refused; resources of another account or region are refused where AWS needs the
 * stack's own, and accepted with one warning where AWS allows them.
 */
import * as assert from "assert";
import { GEOGRAPHIES, geographiesServing, geographyIssues } from "../../components/placement/geographies";
import { OWNERSHIP_RULES, ownershipFindings } from "../../components/placement/ownership";
import { ACCOUNT_ID, REGION, mockEngine, runProgram } from "../harness";

const MODEL = "anthropic.claude-sonnet-4-20250514-v1:0";
const FOREIGN = "999999999999";
const gateway = (models: string[], extra: Record<string, unknown> = {}) => ({ name: "portkey", trustedPrincipals: ["arn:aws:iam::111111111111:role/portkey"], externalId: "portkey-1", models, ...extra });

/** Runs the program, collecting what it warned of. */
async function runWarned(config: Record<string, unknown>, options: { region?: string } = {}): Promise<string[]> {
    const warnings: string[] = [];
    const consoleWarn = console.warn;
    console.warn = (text: string) => void warnings.push(String(text).replace(/^warning: \[runtime\] /, ""));
    try {
        await runProgram({ permissionsBoundary: "none", ...config }, options);
    } finally {
        console.warn = consoleWarn;
    }
    return warnings.filter((warning) => !/permissions boundary/i.test(warning));
}

describe("geographies of inference profiles", () => {
    it("name, as ARN region patterns, exactly the regions they serve (where their profiles route); global. any", () => {
        const regions = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "us-gov-west-1", "ca-central-1", "ca-west-1", "eu-west-1", "eu-central-2", "eu-south-2", "eusc-de-east-1",
            "ap-northeast-1", "ap-northeast-3", "ap-southeast-2", "ap-southeast-4", "ap-south-1", "me-central-1", "me-south-1", "sa-east-1", "il-central-1", "cn-north-1"];
        const matches = (pattern: string, region: string) => new RegExp(`^${pattern.replace(/\*/g, ".*")}$`).test(region);
        for (const geography of GEOGRAPHIES.filter((candidate) => candidate.prefix !== "global")) {
            for (const region of regions) assert.strictEqual(geography.regionPatterns.some((pattern) => matches(pattern, region)), geography.serves(region), `${geography.prefix} ${region}`);
        }
        assert.deepStrictEqual(GEOGRAPHIES.find((geography) => geography.prefix === "global")?.regionPatterns, ["*"]);
    });
    it("serve exactly their source regions", () => {
        const table: [string, string[]][] = [
            ["us-east-1", ["us", "global"]],
            ["us-west-2", ["us", "global"]],
            ["eu-west-1", ["eu", "global"]],
            ["eu-central-2", ["eu", "global"]],
            ["ap-northeast-1", ["apac", "jp", "global"]],
            ["ap-southeast-2", ["apac", "au", "global"]],
            ["ap-south-1", ["apac", "global"]],
            ["me-central-1", ["apac", "global"]],
            ["ca-central-1", ["ca", "global"]],
            ["us-gov-west-1", ["us-gov"]],
            ["cn-north-1", []],
        ];
        for (const [region, prefixes] of table) assert.deepStrictEqual(geographiesServing(region), prefixes, region);
        assert.deepStrictEqual(GEOGRAPHIES.map((geography) => geography.prefix), ["us", "us-gov", "ca", "eu", "apac", "jp", "au", "global"]);
    });

    it("refuses a profile whose geography does not serve the region it is called in, naming key path, value and rule", () => {
        const issues = geographyIssues(
            {
                gateways: [gateway([`us.${MODEL}`, `eu.${MODEL}`, `global.${MODEL}`, MODEL, `xx.${MODEL}`, `arn:aws:bedrock:us-east-1:${ACCOUNT_ID}:inference-profile/us.${MODEL}`])],
                serviceRoles: { knowledgeBases: [{ name: "kb", embeddingModels: [`apac.amazon.titan-embed-text-v2:0`], dataSources: ["b"] }] },
            },
            "eu-west-1",
        );
        assert.deepStrictEqual(
            issues.map((issue) => [issue.path, issue.value]),
            [
                ["gateways[0].models[0]", JSON.stringify(`us.${MODEL}`)],
                ["serviceRoles.knowledgeBases[0].embeddingModels[0]", JSON.stringify("apac.amazon.titan-embed-text-v2:0")],
            ],
        );
        assert.match(issues[0].rule, /^is a United States \(us\.\) profile, called only from us-east-1, us-east-2, us-west-1, us-west-2, not from the stack's region eu-west-1: use a profile of eu\. or global\. \(or the model ID\)/);
        assert.deepStrictEqual(geographyIssues({ gateways: [gateway([`global.${MODEL}`])] }, "us-gov-west-1").map((issue) => issue.path), ["gateways[0].models[0]"]);
    });

    it("refuses, through the program, a us. profile in an eu-west-1 stack and an eu. profile in a us-east-1 stack, registering nothing", async () => {
        await assert.rejects(runProgram({ gateways: [gateway([`eu.${MODEL}`, `us.${MODEL}`])] }), (error: Error) => {
            assert.match(error.message, /no resource was registered/);
            assert.match(error.message, /gateways\[0\]\.models\[1\] = "us\.anthropic\.claude-sonnet-4-20250514-v1:0": is a United States \(us\.\) profile/);
            assert.doesNotMatch(error.message, /models\[0\]/);
            return true;
        });
        assert.deepStrictEqual((await mockEngine()).resources, []);
        await assert.rejects(
            runProgram({ gateways: [gateway([`us.${MODEL}`, `global.${MODEL}`, `eu.${MODEL}`])], serviceRoles: { agentRuntimes: [{ name: "helper", models: [`eu.${MODEL}`], containerRepositories: ["helper"] }] } }, { region: "us-east-1" }),
            (error: Error) => {
                assert.match(error.message, /2 problems/);
                assert.match(error.message, /gateways\[0\]\.models\[2\] = "eu\.anthropic/);
                assert.match(error.message, /serviceRoles\.agentRuntimes\[0\]\.models\[0\] = "eu\.anthropic/);
                return true;
            },
        );
        assert.deepStrictEqual((await mockEngine()).resources, []);
    });
});

describe("resources of another account or region", () => {
    const location = { partition: "aws", region: REGION, accountId: ACCOUNT_ID };

    it("has a rule for every resource list the configuration can name by ARN", () => {
        assert.deepStrictEqual(
            OWNERSHIP_RULES.map((rule) => [rule.key, rule.otherAccount, rule.otherRegion]),
            [
                ["guardrails", "refused", "refused"],
                ["knowledgeBases", "refused", "refused"],
                ["agentAliases", "refused", "refused"],
                ["collaborators", "refused", "refused"],
                ["prompts", "refused", "refused"],
                ["openSearchCollections", "refused", "refused"],
                ["auroraClusters", "refused", "refused"],
                ["secrets", "refused", "refused"],
                ["lambdaFunctions", "warned", "refused"],
                ["kmsKeys", "warned", "refused"],
                ["keyUsers", "warned", "accepted"],
                ["agentRuntimes", "warned", "accepted"],
            ],
        );
    });

    it("accepts IDs and ARNs of the stack's own account and region without a word", () => {
        const findings = ownershipFindings(
            {
                gateways: [gateway([MODEL], { guardrails: ["gr7x2k9q1abc", `arn:aws:bedrock:${REGION}:${ACCOUNT_ID}:guardrail/gr7x2k9q1abc`] })],
                serviceRoles: { agents: [{ name: "a", models: [MODEL], lambdaFunctions: ["orders", `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:orders`], kmsKeys: ["1234abcd-12ab-34cd-56ef-1234567890ab"] }] },
            },
            location,
        );
        assert.deepStrictEqual(findings, { issues: [], warnings: [] });
    });

    it("refuses a guardrail, collection and knowledge base of another account or region; warns once per cross-account Lambda function and KMS key", () => {
        const findings = ownershipFindings(
            {
                gateways: [gateway([MODEL], { guardrails: [`arn:aws:bedrock:${REGION}:${FOREIGN}:guardrail/gr7x2k9q1abc`, `arn:aws:bedrock:us-east-1:${ACCOUNT_ID}:guardrail/gr7x2k9q1abc`] })],
                serviceRoles: {
                    agents: [
                        {
                            name: "a",
                            models: [MODEL],
                            lambdaFunctions: [`arn:aws:lambda:${REGION}:${FOREIGN}:function:orders`, `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:orders`],
                            kmsKeys: [`arn:aws:kms:${REGION}:${FOREIGN}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
                            knowledgeBases: [`arn:aws:bedrock:${REGION}:${FOREIGN}:knowledge-base/KB12345678`],
                        },
                    ],
                    knowledgeBases: [{ name: "kb", embeddingModels: [MODEL], dataSources: ["b"], openSearchCollections: [`arn:aws:aoss:us-east-1:${ACCOUNT_ID}:collection/supportdocs01`, `arn:aws:aoss:${REGION}:${FOREIGN}:collection/supportdocs01`] }],
                },
            },
            location,
        );
        assert.deepStrictEqual(
            findings.issues.map((issue) => issue.path),
            [
                "gateways[0].guardrails[0]",
                "gateways[0].guardrails[1]",
                "serviceRoles.agents[0].lambdaFunctions[1]",
                "serviceRoles.agents[0].knowledgeBases[0]",
                "serviceRoles.knowledgeBases[0].openSearchCollections[0]",
                "serviceRoles.knowledgeBases[0].openSearchCollections[1]",
            ],
        );
        assert.match(findings.issues[0].rule, /^is a guardrail of account 999999999999: AWS uses a guardrail only in its own account, and this stack deploys to 123456789012$/);
        assert.match(findings.issues[1].rule, /^is a guardrail of region us-east-1: AWS uses a guardrail only in its own region, and this stack is in eu-west-1$/);
        assert.deepStrictEqual(findings.warnings, [
            `serviceRoles.agents[0].lambdaFunctions[0] = "arn:aws:lambda:${REGION}:${FOREIGN}:function:orders": a Lambda function of account ${FOREIGN}, not ${ACCOUNT_ID}; its resource-based policy must let bedrock.amazonaws.com invoke it for this account (aws lambda add-permission with --source-account)`,
            `serviceRoles.agents[0].kmsKeys[0] = "arn:aws:kms:${REGION}:${FOREIGN}:key/1234abcd-12ab-34cd-56ef-1234567890ab": a KMS key of account ${FOREIGN}, not ${ACCOUNT_ID}; its key policy must let this stack's role use it (kms:Decrypt, kms:GenerateDataKey)`,
        ]);
    });

    it("through the program: refuses before registering anything, or registers with one warning line per accepted foreign resource", async () => {
        await assert.rejects(runProgram({ gateways: [gateway([MODEL], { guardrails: [`arn:aws:bedrock:${REGION}:${FOREIGN}:guardrail/gr7x2k9q1abc`] })] }), /gateways\[0\]\.guardrails\[0\] = "arn:aws:bedrock:eu-west-1:999999999999:guardrail\/gr7x2k9q1abc": is a guardrail of account 999999999999/);
        assert.deepStrictEqual((await mockEngine()).resources, []);
        const warnings = await runWarned({ serviceRoles: { flows: [{ name: "f", models: [MODEL], lambdaFunctions: [`arn:aws:lambda:${REGION}:${FOREIGN}:function:lookup`] }] } });
        assert.deepStrictEqual(warnings, [
            `serviceRoles.flows[0].lambdaFunctions[0] = "arn:aws:lambda:${REGION}:${FOREIGN}:function:lookup": a Lambda function of account ${FOREIGN}, not ${ACCOUNT_ID}; its resource-based policy must let bedrock.amazonaws.com invoke it for this account (aws lambda add-permission with --source-account)`,
        ]);
        assert.ok((await mockEngine()).resources.some((resource) => resource.type === "aws:iam/role:Role"));
    });

    it("through the program: refuses a supervisor's collaborator of another account or region, as any agent alias; warns of a key user of another account", async () => {
        const collaborator = (account: string, region: string) => `arn:aws:bedrock:${region}:${account}:agent-alias/AGENT12345/ALIAS12345`;
        const agent = (extra: Record<string, unknown>) => ({ serviceRoles: { agents: [{ name: "supervisor", models: [MODEL], ...extra }] } });
        await assert.rejects(
            runProgram(agent({ collaborators: [collaborator(FOREIGN, REGION), collaborator(ACCOUNT_ID, "us-east-1"), collaborator(ACCOUNT_ID, REGION)] })),
            (error: Error) => {
                assert.match(error.message, /serviceRoles\.agents\[0\]\.collaborators\[0\] = "arn:aws:bedrock:eu-west-1:999999999999:agent-alias\/AGENT12345\/ALIAS12345": is a agent alias of account 999999999999: AWS uses a agent alias only in its own account/);
                assert.match(error.message, /serviceRoles\.agents\[0\]\.collaborators\[1\] = "arn:aws:bedrock:us-east-1:123456789012:agent-alias\/AGENT12345\/ALIAS12345": is a agent alias of region us-east-1/);
                assert.doesNotMatch(error.message, /collaborators\[2\]/);
                return true;
            },
        );
        assert.deepStrictEqual((await mockEngine()).resources, []);
        const foreignUser = `arn:aws:iam::${FOREIGN}:role/analyst`;
        const warnings = await runWarned(agent({ createKey: true, keyUsers: [`arn:aws:iam::${ACCOUNT_ID}:role/ops`, foreignUser] }));
        assert.deepStrictEqual(warnings, [
            `serviceRoles.agents[0].keyUsers[1] = "${foreignUser}": a key user of account ${FOREIGN}, not ${ACCOUNT_ID}; the key policy names it, but its own account's IAM policies must also allow it to use the key (kms:Decrypt, kms:GenerateDataKey)`,
        ]);
    });
});
