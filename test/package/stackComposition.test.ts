/**
 * index.ts composes the package's public components: for the example stack, every resource an
 * existing stack holds (its URN before the program used the package's classes, in
 * test/fixtures/exampleStackUrns.txt) is matched by the same resource now, directly or through the
 * aliases the engine receives; and the components carry the stack's boundary.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { RegisteredResource, plainValue } from "../../offline/engine/mockEngine";
import { loadStackConfig } from "../../offline/engine/stackFile";
import { GatewayAccessRole, InvocationMonitoring } from "../../pulumi-package";
import { ACCOUNT_ID, mockEngine, runProgram } from "../harness";

const ROOT = path.resolve(__dirname, "..", "..");

function exampleConfig(): Record<string, unknown> {
    const { config } = loadStackConfig(ROOT, "example");
    return Object.fromEntries(Object.entries(config).filter(([key]) => key.startsWith("bedrock-access:")).map(([key, value]) => [key.slice("bedrock-access:".length), JSON.parse(value)]));
}

/** `urn:pulumi:<stack>::<project>::<parent types $ type>::<name>`, split. */
function partsOf(urn: string): { prefix: string; typeChain: string; name: string } {
    const [scheme, project, typeChain, ...name] = urn.split("::");
    return { prefix: `${scheme}::${project}`, typeChain, name: name.join("::") };
}

/**
 * Every URN the engine would match a resource's old state under: its own, its aliases (a spec's unset
 * fields are the resource's own), and, as the engine derives them, its parent's aliases carried down.
 */
function matchedUrns(resource: RegisteredResource, byUrn: ReadonlyMap<string, RegisteredResource>, memo = new Map<string, string[]>()): string[] {
    const known = memo.get(resource.urn);
    if (known) return known;
    const own = partsOf(resource.urn);
    const parent = resource.parentUrn ? byUrn.get(resource.parentUrn) : undefined;
    const parentUrns = parent ? matchedUrns(parent, byUrn, memo) : [undefined];
    const types = [resource.type, ...(resource.aliases ?? []).flatMap((alias) => (alias.type ? [alias.type] : []))];
    const urns = new Set<string>([resource.urn]);
    for (const parentUrn of parentUrns) {
        for (const type of types) {
            const chain = parentUrn ? `${partsOf(parentUrn).typeChain}$${type}` : type;
            urns.add(`${own.prefix}::${chain}::${own.name}`);
        }
    }
    for (const alias of resource.aliases ?? []) if (alias.urn) urns.add(alias.urn);
    memo.set(resource.urn, [...urns]);
    return [...urns];
}

describe("index.ts: a composition of the package's components", () => {
    let resources: readonly RegisteredResource[];
    before(async () => {
        resources = (await runProgram(exampleConfig(), { stack: "example" })).engine.resources;
    });

    it("registers the four public components under their package tokens, each aliased to the token the stack used before", () => {
        const previous: Record<string, string> = {
            "bedrock-access:index:GatewayAccessRole": "bedrock-access:gateway:GatewayAccessRole",
            "bedrock-access:index:BedrockServiceRole": "bedrock-access:service:BedrockServiceRole",
            "bedrock-access:index:InvocationMonitoring": "bedrock-access:monitoring:InvocationMonitoring",
            "bedrock-access:index:BedrockPrivateEndpoints": "bedrock-access:network:BedrockPrivateEndpoints",
        };
        for (const [type, previousType] of Object.entries(previous)) {
            const components = resources.filter((resource) => resource.type === type);
            assert.ok(components.length > 0, `the example stack registers ${type}`);
            for (const component of components) assert.deepStrictEqual(component.aliases, [{ type: previousType }], component.urn);
        }
        assert.ok(!resources.some((resource) => Object.values(previous).includes(resource.type)), "no component registers under a previous token");
    });

    it("matches every resource an existing stack holds: nothing is created, deleted or replaced", () => {
        const before = fs.readFileSync(path.join(ROOT, "test", "fixtures", "exampleStackUrns.txt"), "utf8").trim().split("\n");
        const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
        const matched = new Map<string, string>();
        for (const resource of resources) {
            for (const urn of matchedUrns(resource, byUrn)) if (before.includes(urn)) matched.set(urn, resource.urn);
        }
        assert.deepStrictEqual(before.filter((urn) => !matched.has(urn)), [], "old URNs no resource answers to");
        assert.strictEqual(new Set(matched.values()).size, resources.length, "every resource answers to one old URN: none is new");
        assert.strictEqual(resources.length, before.length);
    });
});

describe("package components: the stack's permissionsBoundary", () => {
    async function registered(build: () => void): Promise<RegisteredResource[]> {
        const mocks = await mockEngine();
        mocks.reset();
        pulumi.runtime.setAllConfig({ "aws:region": "eu-west-1" });
        build();
        await mocks.settle();
        return [...mocks.resources];
    }
    const boundary = `arn:aws:iam::${ACCOUNT_ID}:policy/platform/bedrock-boundary`;

    it("is written on the gateway's role and on the logging role", async () => {
        const resources = await registered(() => {
            new GatewayAccessRole("portkey", { name: "portkey", trustedPrincipals: ["arn:aws:iam::111111111111:role/portkey-gateway"], externalId: "portkey-4f7c2a91-external", models: ["amazon.nova-pro-v1:0"], permissionsBoundary: boundary });
            new InvocationMonitoring("monitoring", { models: ["amazon.nova-pro-v1:0"], permissionsBoundary: boundary });
        });
        const roles = resources.filter((resource) => resource.type === "aws:iam/role:Role");
        assert.deepStrictEqual(roles.map((role) => role.name).sort(), ["monitoring-logging", "portkey"]);
        for (const role of roles) assert.strictEqual(plainValue(role.properties.permissionsBoundary), boundary, role.name);
    });

    it("refuses an AWS managed policy with the stack's message, before anything registers", async () => {
        let role: GatewayAccessRole | undefined;
        const resources = await registered(() => {
            role = new GatewayAccessRole("portkey", { name: "portkey", attachToRole: "portkey-irsa", models: ["amazon.nova-pro-v1:0"], permissionsBoundary: "arn:aws:iam::aws:policy/AdministratorAccess" });
        });
        await assert.rejects(
            (role!.urn as unknown as { promise(): Promise<string> }).promise(),
            (error: Error) => {
                assert.match(error.message, /^Invalid args of bedrock-access:index:GatewayAccessRole portkey \(1 problem\); no resource was registered:/);
                assert.match(error.message, /permissionsBoundary = "arn:aws:iam::aws:policy\/AdministratorAccess": must be "none" or the ARN of a customer managed policy/);
                return true;
            },
        );
        assert.deepStrictEqual(resources.map((resource) => resource.type), []);
    });
});
