/**
 * The bootstrap program: its configuration rules, the exact trust documents, what they admit
 * (simulated), and the program under mocks holding exactly the main stack's deployer policy, as
 * `npm run deployer-policy` prints it (run in-process through its `main`, `runCommand`: the same
 * stdout and exit code without a process; test/deployer/cli.test.ts runs it as a process).
 */
import * as assert from "assert";
import { runCommand } from "../commands";
import { validateBootstrapConfig } from "../../bootstrap/bootstrapConfig";
import { deployerTrustPolicy } from "../../bootstrap/deployerTrust";
import { PolicyDocument } from "../../components/iam/iamDocument";
import { RegisteredResource, plainValue } from "../../offline/engine/mockEngine";
import { ACCOUNT_ID, REGION, mockEngine, runBootstrap } from "../harness";
import { RejectionCase, assertPackFindsNothing, itRejects, packForTests } from "../assertions";
import { decide } from "../simulate";

const LOCATION = { partition: "aws", region: REGION, accountId: ACCOUNT_ID };
const GITHUB_PROVIDER = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`;
const PULUMI_PROVIDER = `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/api.pulumi.com/oidc`;
const ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/bedrock-access-deployer-prod`;

const github = { github: { repository: "acme/bedrock-platform", branch: "main" } };
const validate = (values: Record<string, unknown>) =>
    validateBootstrapConfig(REGION, Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)])));

describe("bootstrap configuration", () => {
    it("accepts a GitHub branch, with defaults for the role name and session", () => {
        const config = validate({ stack: "prod", trust: github });
        assert.deepStrictEqual(config, {
            region: REGION,
            stack: "prod",
            stackFile: undefined,
            roleName: "bedrock-access-deployer-prod",
            maxSessionDurationSeconds: 3600,
            trust: { kind: "github", repository: "acme/bedrock-platform", ref: { branch: "main" }, createProvider: false },
        });
    });

    const cases: RejectionCase<Record<string, unknown>>[] = [
        { title: "a missing stack", input: { trust: github }, path: "stack", value: "(not set)", rule: /expected string/i },
        { title: "no trust", input: { stack: "prod", trust: {} }, path: "trust", value: "{}", rule: /must set exactly one of github, pulumiDeployments, pulumiEsc and centralAccount/ },
        {
            title: "two trusts",
            input: { stack: "prod", trust: { ...github, pulumiEsc: { organization: "acme", environment: "platform/prod" } } },
            path: "trust",
            value: '{"github":{"repository":"acme/bedrock-platform","branch":"main"},"pulumiEsc":{"organization":"acme","environment":"platf...',
            rule: /exactly one of/,
        },
        {
            title: "a wildcard repository",
            input: { stack: "prod", trust: { github: { repository: "acme/*", branch: "main" } } },
            path: "trust.github.repository",
            value: '"acme/*"',
            rule: /must name one repository: no wildcard/,
        },
        {
            title: "a wildcard branch",
            input: { stack: "prod", trust: { github: { repository: "acme/platform", branch: "release-*" } } },
            path: "trust.github.branch",
            value: '"release-*"',
            rule: /must name one branch: no wildcard/,
        },
        {
            title: "both a branch and an environment",
            input: { stack: "prod", trust: { github: { repository: "acme/platform", branch: "main", environment: "prod" } } },
            path: "trust.github",
            value: '{"repository":"acme/platform","branch":"main","environment":"prod"}',
            rule: /exactly one of branch and environment/,
        },
        {
            title: "a central account's user instead of a role",
            input: { stack: "prod", trust: { centralAccount: { roleArn: "arn:aws:iam::111111111111:user/ci", externalId: "deploy-prod-1" } } },
            path: "trust.centralAccount.roleArn",
            value: '"arn:aws:iam::111111111111:user/ci"',
            rule: /must be the ARN of one IAM role/,
        },
        {
            title: "an external ID with a trailing newline, masked",
            input: { stack: "prod", trust: { centralAccount: { roleArn: "arn:aws:iam::111111111111:role/ci", externalId: "deploy-prod-1\n" } } },
            path: "trust.centralAccount.externalId",
            value: "(secret, 14 characters)",
            rule: /found a newline \(U\+000A\) at the end/,
        },
        { title: "an unknown key", input: { stack: "prod", trust: github, roleNmae: "x" }, path: "roleNmae", value: '"x"', rule: /unknown key/ },
        { title: "a session too long", input: { stack: "prod", trust: github, maxSessionDurationSeconds: 86400 }, path: "maxSessionDurationSeconds", value: "86400", rule: /3600 to 43200/ },
        { title: "a role name the key policies do not name", input: { stack: "prod", trust: github, roleName: "ci-deployer" }, path: "roleName", value: '"ci-deployer"', rule: /must start with bedrock-access-deployer/ },
        {
            title: "a Pulumi stack pattern",
            input: { stack: "prod", trust: { pulumiDeployments: { organization: "acme", project: "bedrock-access", stack: "*" } } },
            path: "trust.pulumiDeployments.stack",
            value: '"*"',
            rule: /no wildcard/,
        },
    ];
    itRejects(cases, validate);
});

describe("deployment role trust documents", () => {
    it("pins GitHub's audience and the repository and branch exactly", () => {
        const trust = deployerTrustPolicy(LOCATION, validate({ stack: "prod", trust: github }).trust);
        assert.deepStrictEqual(trust.Statement, [
            {
                Sid: "PipelineWithPinnedSubject",
                Effect: "Allow",
                Principal: { Federated: GITHUB_PROVIDER },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                        "token.actions.githubusercontent.com:sub": "repo:acme/bedrock-platform:ref:refs/heads/main",
                    },
                },
            },
        ]);
    });

    it("pins a GitHub environment", () => {
        const trust = deployerTrustPolicy(LOCATION, validate({ stack: "prod", trust: { github: { repository: "acme/bedrock-platform", environment: "production" } } }).trust);
        assert.strictEqual(trust.Statement[0].Condition?.StringEquals?.["token.actions.githubusercontent.com:sub"], "repo:acme/bedrock-platform:environment:production");
    });

    it("pins Pulumi Deployments to one stack, any operation", () => {
        const trust = deployerTrustPolicy(LOCATION, validate({ stack: "prod", trust: { pulumiDeployments: { organization: "acme", project: "bedrock-access", stack: "prod" } } }).trust);
        assert.deepStrictEqual(trust.Statement[0].Condition, {
            StringEquals: { "api.pulumi.com/oidc:aud": "acme" },
            StringLike: { "api.pulumi.com/oidc:sub": "pulumi:deploy:org:acme:project:bedrock-access:stack:prod:operation:*:scope:write" },
        });
        assert.deepStrictEqual(trust.Statement[0].Principal, { Federated: PULUMI_PROVIDER });
    });

    it("pins a Pulumi ESC environment, with ESC's aws: audience", () => {
        const trust = deployerTrustPolicy(LOCATION, validate({ stack: "prod", trust: { pulumiEsc: { organization: "acme", environment: "platform/prod" } } }).trust);
        assert.deepStrictEqual(trust.Statement[0].Condition, {
            StringEquals: { "api.pulumi.com/oidc:aud": "aws:acme", "api.pulumi.com/oidc:sub": "pulumi:environments:org:acme:env:platform/prod" },
        });
    });

    it("requires the central account's external ID", () => {
        const trust = deployerTrustPolicy(LOCATION, validate({ stack: "prod", trust: { centralAccount: { roleArn: "arn:aws:iam::111111111111:role/ci", externalId: "deploy-prod-1" } } }).trust);
        assert.deepStrictEqual(trust.Statement, [
            {
                Sid: "CentralDeploymentRoleWithExternalId",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::111111111111:role/ci" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "sts:ExternalId": "deploy-prod-1" } },
            },
        ]);
    });
});

describe("deployment role trust, simulated", () => {
    const assumeWithWebIdentity = (trust: PolicyDocument, provider: string, claims: Record<string, string>) =>
        decide({ action: "sts:AssumeRoleWithWebIdentity", principal: provider, resource: ROLE, resourceAccount: ACCOUNT_ID, context: claims, resourcePolicy: trust, unchecked: true });

    it("admits the pinned repository and branch, and no other repository, branch or audience", async () => {
        const trust = deployerTrustPolicy(LOCATION, validate({ stack: "prod", trust: github }).trust);
        const claims = (sub: string, aud = "sts.amazonaws.com") => ({ "token.actions.githubusercontent.com:sub": sub, "token.actions.githubusercontent.com:aud": aud });
        assert.strictEqual(await assumeWithWebIdentity(trust, GITHUB_PROVIDER, claims("repo:acme/bedrock-platform:ref:refs/heads/main")), "Allowed");
        for (const [sub, aud] of [
            ["repo:acme/bedrock-platform:ref:refs/heads/feature", "sts.amazonaws.com"],
            ["repo:acme/bedrock-platform:pull_request", "sts.amazonaws.com"],
            ["repo:evil/bedrock-platform:ref:refs/heads/main", "sts.amazonaws.com"],
            ["repo:acme/bedrock-platform-fork:ref:refs/heads/main", "sts.amazonaws.com"],
            ["repo:acme/bedrock-platform:ref:refs/heads/main", "https://github.com/acme"],
        ]) {
            assert.strictEqual(await assumeWithWebIdentity(trust, GITHUB_PROVIDER, claims(sub, aud)), "ImplicitlyDenied", `${sub} ${aud}`);
        }
        assert.strictEqual(await assumeWithWebIdentity(trust, PULUMI_PROVIDER, claims("repo:acme/bedrock-platform:ref:refs/heads/main")), "ImplicitlyDenied");
    });

    it("admits any operation of the pinned Pulumi stack, and not another stack or organization", async () => {
        const trust = deployerTrustPolicy(LOCATION, validate({ stack: "prod", trust: { pulumiDeployments: { organization: "acme", project: "bedrock-access", stack: "prod" } } }).trust);
        const claims = (sub: string, aud = "acme") => ({ "api.pulumi.com/oidc:sub": sub, "api.pulumi.com/oidc:aud": aud });
        for (const operation of ["preview", "update", "destroy"]) {
            const sub = `pulumi:deploy:org:acme:project:bedrock-access:stack:prod:operation:${operation}:scope:write`;
            assert.strictEqual(await assumeWithWebIdentity(trust, PULUMI_PROVIDER, claims(sub)), "Allowed", operation);
        }
        assert.strictEqual(await assumeWithWebIdentity(trust, PULUMI_PROVIDER, claims("pulumi:deploy:org:acme:project:bedrock-access:stack:dev:operation:update:scope:write")), "ImplicitlyDenied");
        assert.strictEqual(await assumeWithWebIdentity(trust, PULUMI_PROVIDER, claims("pulumi:deploy:org:evil:project:bedrock-access:stack:prod:operation:update:scope:write", "evil")), "ImplicitlyDenied");
    });

    it("admits the central role with its external ID only", async () => {
        const trust = deployerTrustPolicy(LOCATION, validate({ stack: "prod", trust: { centralAccount: { roleArn: "arn:aws:iam::111111111111:role/ci", externalId: "deploy-prod-1" } } }).trust);
        const assume = (principal: string, externalId?: string) =>
            decide({
                action: "sts:AssumeRole",
                principal,
                resource: ROLE,
                resourceAccount: ACCOUNT_ID,
                context: externalId ? { "sts:ExternalId": externalId } : {},
                resourcePolicy: trust,
                // The central account lets its role call AssumeRole: the trust policy alone decides.
                identityPolicies: [{ Version: "2012-10-17", Statement: [{ Sid: "Caller", Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] }],
            });
        assert.strictEqual(await assume("arn:aws:iam::111111111111:role/ci", "deploy-prod-1"), "Allowed");
        assert.strictEqual(await assume("arn:aws:iam::111111111111:role/ci", "deploy-prod-2"), "ImplicitlyDenied");
        assert.strictEqual(await assume("arn:aws:iam::111111111111:role/ci"), "ImplicitlyDenied");
        assert.strictEqual(await assume("arn:aws:iam::222222222222:role/ci", "deploy-prod-1"), "ImplicitlyDenied");
    });
});

/**
 * Nothing but one advisory finding: the deployment role is an administrator's and carries no boundary
 * (the stack's boundary would cap the deployer to its roles' actions); the deployer cannot write into it,
 * since every role write it holds requires the stack's boundary on the role.
 */
async function assertBootstrapPassesPack(resources: readonly RegisteredResource[]): Promise<void> {
    const roles = resources.filter((resource) => resource.type === "aws:iam/role:Role");
    await assertPackFindsNothing(resources.filter((resource) => resource.type !== "aws:iam/role:Role"));
    const pack = await packForTests();
    for (const role of roles) {
        const diagnostics = await pack.analyze(role);
        assert.deepStrictEqual(diagnostics.map((diagnostic) => [diagnostic.policyName, diagnostic.enforcementLevel]), [["iam-role-has-permissions-boundary", "advisory"]], role.urn);
    }
}

describe("the bootstrap program under mocks", function () {
    this.timeout(120000);

    it("creates the provider, the role, and one attached managed policy per document of the main stack's deployer policy", async () => {
        const { engine } = await runBootstrap({ stack: "example", trust: { github: { ...github.github, createProvider: true } } }, { preview: false });
        const provider = engine.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
        assert.deepStrictEqual(
            provider.map((resource) => plainValue(resource.properties)),
            [{ url: "https://token.actions.githubusercontent.com", clientIdLists: ["sts.amazonaws.com"], tags: { "bedrock-access:deployer": "example" } }],
        );
        const [role] = engine.ofType("aws:iam/role:Role");
        assert.strictEqual(role.properties.name, "bedrock-access-deployer-example");
        assert.deepStrictEqual(JSON.parse(role.properties.assumeRolePolicy as string), deployerTrustPolicy(LOCATION, validate({ stack: "example", trust: github }).trust));

        // Exactly what the command prints for that stack and account, in order, one managed policy each.
        const printed = await runCommand("deployer/cli.ts", ["--stack", "example", "--account-id", ACCOUNT_ID, "--format", "json"]);
        assert.strictEqual(printed.status, 0, printed.stderr);
        const boundaryName = "bedrock-access-boundary-example";
        const policies = engine.ofType("aws:iam/policy:Policy").filter((policy) => policy.properties.name !== boundaryName);
        assert.deepStrictEqual(
            policies.map((policy) => JSON.parse(policy.properties.policy as string)),
            JSON.parse(printed.stdout),
        );
        // The main stack's boundary, under the convention's name, exactly as `--boundary` prints it.
        const printedBoundary = await runCommand("deployer/cli.ts", ["--stack", "example", "--account-id", ACCOUNT_ID, "--format", "json", "--boundary"]);
        assert.strictEqual(printedBoundary.status, 0, printedBoundary.stderr);
        const { arn, document } = JSON.parse(printedBoundary.stdout) as { arn: string; document: unknown };
        assert.strictEqual(arn, `arn:aws:iam::${ACCOUNT_ID}:policy/${boundaryName}`);
        const boundaries = engine.ofType("aws:iam/policy:Policy").filter((policy) => policy.properties.name === boundaryName);
        assert.deepStrictEqual(boundaries.map((policy) => JSON.parse(policy.properties.policy as string)), [document]);
        assert.deepStrictEqual(
            policies.map((policy) => policy.properties.name),
            policies.map((_, index) => `bedrock-access-deployer-example-${index + 1}`),
        );
        assert.deepStrictEqual(
            engine.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((attachment) => [attachment.properties.role, attachment.properties.policyArn]),
            policies.map((policy) => ["bedrock-access-deployer-example", `arn:aws:iam::${ACCOUNT_ID}:policy/${String(policy.properties.name)}`]),
        );
        await assertBootstrapPassesPack(engine.resources);
    });

    it("stores a central account's trust as a secret and passes the pack", async () => {
        const { engine } = await runBootstrap({ stack: "example", trust: { centralAccount: { roleArn: "arn:aws:iam::111111111111:role/ci", externalId: "deploy-prod-1" } } });
        const [role] = engine.ofType("aws:iam/role:Role");
        assert.match(JSON.stringify(role.properties.assumeRolePolicy), /4dabf18193072939515e22adb298388d/);
        assert.strictEqual(engine.ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider").length, 0);
        await assertBootstrapPassesPack(engine.resources);
    });

    it("registers nothing when its configuration is invalid", async () => {
        await assert.rejects(runBootstrap({ stack: "example", trust: { github: { repository: "acme/*", branch: "main" } } }), /trust\.github\.repository = "acme\/\*": must name one repository/);
        assert.deepStrictEqual((await mockEngine()).resources, []);
    });

    it("registers nothing when the main stack does not exist, saying so", async () => {
        await assert.rejects(runBootstrap({ stack: "no-such-stack", trust: github }), /The deployer policy of stack 'no-such-stack' of the main project could not be derived:\n.*Pulumi\.no-such-stack\.yaml does not exist/);
        assert.deepStrictEqual((await mockEngine()).resources, []);
    });
});
