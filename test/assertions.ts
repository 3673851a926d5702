/** Assertions shared by the test files. */
import * as assert from "assert";
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { ConfigIssue, ConfigValidationError } from "../components/config/configValidation";
import { AnalyzedResource, PolicyPackClient } from "../offline/engine/policyPackClient";

/** The issues a configuration is rejected with; fails the test when it is accepted. */
export function issuesOf(validate: () => unknown): readonly ConfigIssue[] {
    try {
        validate();
    } catch (error) {
        assert.ok(error instanceof ConfigValidationError, String(error));
        return error.issues;
    }
    throw new assert.AssertionError({ message: "configuration was accepted" });
}

export interface RejectionCase<Input> {
    readonly title: string;
    readonly input: Input;
    readonly path: string;
    readonly value: string;
    readonly rule: RegExp;
}

/** One test per case: the input is rejected with an issue naming the path, the shown value and the rule. */
export function itRejects<Input>(cases: readonly RejectionCase<Input>[], validate: (input: Input) => unknown): void {
    for (const testCase of cases) {
        it(`rejects ${testCase.title}, naming path, value and rule`, () => {
            const issues = issuesOf(() => validate(testCase.input));
            const issue = issues.find((candidate) => candidate.path === testCase.path);
            assert.ok(issue, `no issue at ${testCase.path}: ${JSON.stringify(issues)}`);
            assert.strictEqual(issue.value, testCase.value);
            assert.match(issue.rule, testCase.rule);
        });
    }
}

let sharedPack: Promise<PolicyPackClient> | undefined;

/**
 * One pack, started as the engine starts it, for every test of the process (a mocha worker runs many
 * files: they share it); closed after the last test, or when the worker exits.
 */
export function packForTests(): Promise<PolicyPackClient> {
    sharedPack ??= PolicyPackClient.start().then((pack) => {
        // A worker ends with process.exit: the pack must not outlive it.
        process.once("exit", () => pack.close());
        return pack;
    });
    return sharedPack;
}

// A root hook: runs once, after every test file of a mocha run without workers. In a worker
// (`--parallel`), it would run after the worker's first file only: the pack is closed when the worker exits.
if (process.env.MOCHA_WORKER_ID === undefined) {
    after(async () => {
        if (sharedPack) (await sharedPack).close();
    });
}

/** Sends every resource through the pack and expects no finding. */
export async function assertPackFindsNothing(resources: readonly AnalyzedResource[]): Promise<void> {
    const pack = await packForTests();
    for (const resource of resources) assert.deepStrictEqual(await pack.analyze(resource), [], resource.urn);
}

/** What the engine may send with a resource besides its properties. */
export interface ValidationContext {
    /** The resource's provider, as `ResourceValidationArgs.provider`. */
    readonly provider?: { readonly type: string; readonly name: string; readonly urn?: string; readonly props: Record<string, unknown> };
    /** The policy's configuration, as `--policy-pack-config` gives it. */
    readonly config?: Record<string, unknown>;
}

/** The violations one policy reports for one resource, called as the SDK calls it. */
export async function violationsOf(policy: ResourceValidationPolicy, type: string, props: Record<string, unknown>, context: ValidationContext = {}): Promise<string[]> {
    const messages: string[] = [];
    const provider = context.provider && { urn: `urn:pulumi:test::bedrock-access::${context.provider.type}::${context.provider.name}`, ...context.provider };
    const args = {
        type,
        props,
        urn: `urn:pulumi:test::bedrock-access::${type}::r`,
        name: "r",
        ...(provider ? { provider } : {}),
        getConfig: () => ({ ...(context.config ?? {}) }),
    } as unknown as ResourceValidationArgs;
    const validate = policy.validateResource as (args: ResourceValidationArgs, report: (message: string) => void) => Promise<void>;
    await validate(args, (message) => messages.push(message));
    return messages;
}
