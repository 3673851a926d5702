/**
 * Every command answers `--help` and a bad flag without loading the program, an AWS SDK, gRPC or
 * the pack: started as `npm run` starts it, a process (what it loads at start-up is what is tested).
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RUN_COMMAND } from "../commands";

const ROOT = path.resolve(__dirname, "..", "..");

/** Each command's source and the first words of its usage text. */
const COMMANDS: readonly { readonly script: string; readonly usage: RegExp; readonly badFlagExit: number }[] = [
    { script: "offline/check.ts", usage: /^usage: npm run check -- /, badFlagExit: 2 },
    { script: "report/cli.ts", usage: /^usage: npm run usage-report -- /, badFlagExit: 2 },
    { script: "deployer/cli.ts", usage: /^usage: npm run deployer-policy -- /, badFlagExit: 2 },
    { script: "verify/cli.ts", usage: /^usage: npm run verify -- /, badFlagExit: 2 },
    { script: "organization/cli.ts", usage: /^usage: npm run org-guardrails -- /, badFlagExit: 2 },
];

/** Modules that mean the program, an SDK or the pack was loaded (the pack's pure helpers, such as its normalizer, are not the pack). */
const HEAVY = /node_modules[\\/](@pulumi[\\/]|@aws-sdk[\\/]|@grpc[\\/]|@smithy[\\/]|google-protobuf[\\/])|[\\/]policypack[\\/](bin[\\/]|index\.)|[\\/]dist[\\/]index\.js$/;

describe("the commands' start-up", () => {
    let hook: string;
    let folder: string;

    before(() => {
        folder = fs.mkdtempSync(path.join(os.tmpdir(), "command-startup-"));
        hook = path.join(folder, "loaded.js");
        // Written to stderr at exit: every module the process loaded.
        fs.writeFileSync(hook, `process.on("exit", () => process.stderr.write("\\nLOADED " + JSON.stringify(Object.keys(require.cache)) + "\\n"));\n`);
    });

    after(() => fs.rmSync(folder, { recursive: true, force: true }));

    function start(script: string, flag: string) {
        const result = spawnSync(process.execPath, ["--require", hook, RUN_COMMAND, script, flag], { cwd: ROOT, encoding: "utf8", timeout: 60000 });
        const marker = result.stderr.lastIndexOf("\nLOADED ");
        assert.ok(marker >= 0, `no module list: ${result.stderr}`);
        const loaded = JSON.parse(result.stderr.slice(marker + "\nLOADED ".length)) as string[];
        return { status: result.status, stdout: result.stdout, stderr: result.stderr.slice(0, marker), loaded };
    }

    for (const command of COMMANDS) {
        it(`${command.script}: --help prints the usage, exit 0, loading no SDK, program or pack`, () => {
            const result = start(command.script, "--help");
            assert.strictEqual(result.status, 0, result.stderr);
            assert.match(result.stdout, command.usage);
            assert.deepStrictEqual(result.loaded.filter((file) => HEAVY.test(file)), []);
        });

        it(`${command.script}: a bad flag is one sentence and the usage on stderr, exit ${command.badFlagExit}, loading no SDK, program or pack`, () => {
            const result = start(command.script, "--no-such-flag");
            assert.strictEqual(result.status, command.badFlagExit, result.stdout + result.stderr);
            assert.strictEqual(result.stdout, "");
            assert.match(result.stderr, /Unknown option '--no-such-flag'/);
            assert.deepStrictEqual(result.loaded.filter((file) => HEAVY.test(file)), []);
        });
    }

    it("sees what a start loads: a check run past its arguments loads the SDK (the lists above are no false pass)", () => {
        // The same hook on a command that does load the program: the list is what the process loaded.
        const result = start("offline/check.ts", "--stack=no-such-stack");
        assert.strictEqual(result.status, 2, result.stdout + result.stderr);
        assert.ok(result.loaded.some((file) => HEAVY.test(file)), "a run past the arguments loads the program's SDK");
    });
});
