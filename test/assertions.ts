/** Assertions shared by the test files. */
import * as assert from "assert";
import { ConfigIssue, ConfigValidationError } from "../components/config/configValidation";
import { AnalyzedResource, PolicyPackClient } from "../offline/policyPackClient";

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

/** Sends every resource through the pack, started as the engine starts it, and expects no finding. */
export async function assertPackFindsNothing(resources: readonly AnalyzedResource[]): Promise<void> {
    const pack = await PolicyPackClient.start();
    try {
        for (const resource of resources) assert.deepStrictEqual(await pack.analyze(resource), [], resource.urn);
    } finally {
        pack.close();
    }
}
