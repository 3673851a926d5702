/**
 * `npm run check -- --all`: every stack file of every project found, one summary line per stack,
 * and a non-zero exit when any fails. The fleet runs in-process (`captureCommand`: what it prints on
 * stdout and its exit code, with one pack per worker lent to every check); the spawned end-to-end
 * runs of the check are in test/offline/check.test.ts.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FleetStack, fleetStacks, runCheckAll as checkFleet } from "../../offline/checkAll";
import { captureCommand, lendPack } from "../commands";

const ROOT = path.resolve(__dirname, "..", "..");
/**
 * `runCheckAll` on the given stacks in this process, printing as `npm run check -- --all` does: each
 * check installs its own mocked engine, and the harness's is put back afterwards (`captureCommand`).
 */
async function runCheckAll(stacks: readonly FleetStack[]): Promise<{ code: number | null; lines: string[] }> {
    const result = await captureCommand(() => checkFleet(console.log, stacks, { lendPack }));
    return { code: result.status, lines: result.stdout.split("\n").filter((line) => line !== "") };
}

describe("npm run check -- --all", function () {
    this.timeout(240000);

    it("finds every Pulumi.<stack>.yaml of the main project, bootstrap and organization, with the committed baseline", () => {
        assert.deepStrictEqual(fleetStacks(), [
            { project: ".", stack: "example", baseline: path.join(ROOT, "Pulumi.example.access.json") },
            { project: "bootstrap", stack: "example", baseline: undefined },
            { project: "organization", stack: "example", baseline: undefined },
        ]);
    });

    it("finds stacks in a repository of its own, skipping folders that are not projects", () => {
        const repository = fs.mkdtempSync(path.join(os.tmpdir(), "check-all-"));
        fs.writeFileSync(path.join(repository, "Pulumi.yaml"), "name: x\n");
        for (const stack of ["prod", "dev"]) fs.writeFileSync(path.join(repository, `Pulumi.${stack}.yaml`), "config: {}\n");
        fs.writeFileSync(path.join(repository, "Pulumi.prod.access.json"), "{}");
        fs.mkdirSync(path.join(repository, "bootstrap"));
        fs.writeFileSync(path.join(repository, "bootstrap", "Pulumi.prod.yaml"), "config: {}\n");
        assert.deepStrictEqual(fleetStacks(repository), [
            { project: ".", stack: "dev", baseline: undefined },
            { project: ".", stack: "prod", baseline: path.join(repository, "Pulumi.prod.access.json") },
        ]);
    });

    it("prints one line per stack and exits 1 when one fails, with the failing stack's reasons", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-all-"));
        const invalid = path.join(dir, "Pulumi.broken.yaml");
        fs.writeFileSync(invalid, "config:\n  aws:region: eu-west-1\n  bedrock-access:gateways: [{ name: gw, attachToRole: gw, models: ['anthropic.*'] }]\n");
        const { code, lines } = await runCheckAll([
            { project: "organization", stack: "example", baseline: undefined },
            { project: ".", stack: "broken", stackFile: invalid, baseline: undefined },
        ]);
        assert.strictEqual(code, 1);
        assert.deepStrictEqual(lines.filter((line) => /^(PASSED|FAILED)/.test(line)), ["PASSED  organization/example: 5 resources, 0 mandatory violation(s), no baseline", "FAILED  main/broken: invalid configuration"]);
        assert.ok(lines.some((line) => line.includes('gateways[0].models[0] = "anthropic.*": wildcards')), lines.join("\n"));
        assert.strictEqual(lines[lines.length - 1], "1 of 2 stacks failed: run npm run check -- --project DIR --stack NAME for each, for the whole report.");
    });

    it("exits 0 when every stack passes", async () => {
        const { code, lines } = await runCheckAll([{ project: "organization", stack: "example", baseline: undefined }]);
        assert.strictEqual(code, 0, lines.join("\n"));
        assert.strictEqual(lines[lines.length - 1], "All 1 stacks passed.");
    });
});
