/**
 * The GitHub Actions workflow that ships in `.github/workflows/`: parsed as YAML, it has a job for
 * every stack of the main project (in the stack's account and region), assumes the bootstrap's
 * deployment role through OIDC, and runs preview on pull requests and up on main with the pack on.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "..", "..");
const WORKFLOW = path.join(ROOT, ".github", "workflows", "bedrock-access.yml");

interface Step {
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly if?: string;
    readonly with?: Record<string, string>;
}
interface Job {
    readonly needs?: string | string[];
    readonly strategy?: { readonly matrix?: { readonly include?: Record<string, string>[] } };
    readonly steps: Step[];
}
interface Workflow {
    readonly on: Record<string, unknown>;
    readonly permissions: Record<string, string>;
    readonly jobs: Record<string, Job>;
}

const workflow = parse(fs.readFileSync(WORKFLOW, "utf8")) as Workflow;
const stackJob = workflow.jobs.stack;

/** The main project's stacks, with the account and region their files pin. */
function mainStacks(): { stack: string; account: string; region: string }[] {
    return fs
        .readdirSync(ROOT)
        .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .map((stack) => {
            const config = (parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> }).config;
            return { stack, account: String((config["aws:allowedAccountIds"] as string[])[0]), region: String(config["aws:region"]) };
        });
}

describe("the GitHub Actions workflow", () => {
    it("runs on pull requests and on pushes to main, with an OIDC token and read-only contents", () => {
        assert.deepStrictEqual(Object.keys(workflow.on).sort(), ["pull_request", "push"]);
        assert.deepStrictEqual((workflow.on.push as { branches: string[] }).branches, ["main"]);
        assert.deepStrictEqual(workflow.permissions, { contents: "read", "id-token": "write" });
    });

    it("has a job for every stack of the main project, in its account and region", () => {
        const include = stackJob.strategy?.matrix?.include ?? [];
        const stacks = mainStacks();
        assert.ok(stacks.length > 0);
        assert.deepStrictEqual(
            include.map((entry) => ({ stack: entry.stack, account: String(entry.account), region: entry.region })).sort((a, b) => a.stack.localeCompare(b.stack)),
            stacks.sort((a, b) => a.stack.localeCompare(b.stack)),
        );
    });

    it("assumes the bootstrap's deployment role of the stack through OIDC", () => {
        const credentials = stackJob.steps.find((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        assert.ok(credentials?.with);
        assert.strictEqual(credentials.with["role-to-assume"], "arn:aws:iam::${{ matrix.account }}:role/bedrock-access-deployer-${{ matrix.stack }}");
        assert.strictEqual(credentials.with["aws-region"], "${{ matrix.region }}");
        assert.ok(!("aws-access-key-id" in credentials.with), "no long-lived keys");
        const assumedAt = stackJob.steps.indexOf(credentials);
        assert.ok(stackJob.steps.findIndex((step) => step.run?.startsWith("pulumi ")) > assumedAt);
    });

    it("previews with the pack on pull requests and updates with the pack on main, nothing else", () => {
        const pulumiSteps = stackJob.steps.filter((step) => step.run?.startsWith("pulumi "));
        assert.deepStrictEqual(
            pulumiSteps.map((step) => [step.if, step.run]),
            [
                ["github.event_name == 'pull_request'", "pulumi preview --stack ${{ matrix.stack }} --policy-pack policypack --diff"],
                ["github.event_name == 'push' && github.ref == 'refs/heads/main'", "pulumi up --stack ${{ matrix.stack }} --policy-pack policypack --yes"],
            ],
        );
        assert.ok(pulumiSteps.every((step) => / --policy-pack policypack( |$)/.test(step.run ?? "")));
        assert.ok(fs.existsSync(path.join(ROOT, "policypack", "PulumiPolicy.yaml")), "the pack the workflow names is there");
    });

    it("checks the whole fleet offline before any stack job", () => {
        assert.ok(workflow.jobs["offline-check"].steps.some((step) => step.run === "npm run check -- --all"));
        assert.strictEqual(stackJob.needs, "offline-check");
    });
});
