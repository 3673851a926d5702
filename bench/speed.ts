/**
 * `npm run bench:speed`: how long the everyday loop takes, as a user and a contributor run it.
 *
 * - each command's `--help` and a bad flag (`npm run <command> -- --help`), median of three
 * - `npm run check` on the example stack, median of two
 * - `npm test`, once, with its passing and failing counts
 * - the machine's core count and load average: wall-clock figures on a shared machine are noisy, so
 *   each figure also gives the CPU time (user + system) of the command and everything it waited for
 *
 * Figures only: nothing here passes or fails; the targets are printed beside them.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");

interface Timing {
    readonly wallSeconds: number;
    /** User + system CPU of the command and its children, where the platform says (Linux); else undefined. */
    readonly cpuSeconds: number | undefined;
    readonly status: number | null;
    readonly stdout: string;
}

/** CPU seconds of this process's waited-for children so far (Linux: /proc/self/stat cutime + cstime). */
function childrenCpuSeconds(): number | undefined {
    try {
        const stat = fs.readFileSync("/proc/self/stat", "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // After the command's name: state is field 3; cutime and cstime are fields 16 and 17.
        const ticks = Number(fields[16 - 3]) + Number(fields[17 - 3]);
        return ticks / 100;
    } catch {
        return undefined;
    }
}

/** Busy CPU seconds of the whole machine so far (Linux: /proc/stat, every state but idle and iowait); else undefined. */
function machineBusySeconds(): number | undefined {
    try {
        const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
        const [user, nice, system, , , irq, softirq, steal] = fields;
        return (user + nice + system + irq + softirq + (steal ?? 0)) / 100;
    } catch {
        return undefined;
    }
}

function run(command: string, args: readonly string[]): Timing {
    const cpuBefore = childrenCpuSeconds();
    const started = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, CI: "true" } });
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpuAfter = childrenCpuSeconds();
    return {
        wallSeconds,
        cpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
        status: result.status,
        stdout: `${result.stdout}${result.stderr}`,
    };
}

function median(values: readonly number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The median wall and CPU time of `times` runs, and the exit codes seen. */
function medianOf(times: number, command: string, args: readonly string[]): { wall: number; cpu: number | undefined; statuses: string; last: Timing } {
    const runs = Array.from({ length: times }, () => run(command, args));
    const cpus = runs.map((timing) => timing.cpuSeconds);
    return {
        wall: median(runs.map((timing) => timing.wallSeconds)),
        cpu: cpus.every((cpu) => cpu !== undefined) ? median(cpus as number[]) : undefined,
        statuses: [...new Set(runs.map((timing) => timing.status))].join("/"),
        last: runs[runs.length - 1],
    };
}

const seconds = (value: number | undefined) => (value === undefined ? "n/a" : `${value.toFixed(2)} s`);

function main(): void {
    const rows: string[][] = [];
    const row = (figure: string, wall: number, cpu: number | undefined, note: string, target: string) => rows.push([figure, seconds(wall), seconds(cpu), note, target]);
    const skipTests = process.argv.includes("--no-test");

    for (const script of ["check", "usage-report", "deployer-policy", "verify", "org-guardrails"]) {
        const help = medianOf(3, "npm", ["run", "--silent", script, "--", "--help"]);
        row(`npm run ${script} -- --help (median of 3)`, help.wall, help.cpu, `exit ${help.statuses}`, "<= 0.5 s");
        const bad = medianOf(3, "npm", ["run", "--silent", script, "--", "--no-such-flag"]);
        row(`npm run ${script} -- --no-such-flag (median of 3)`, bad.wall, bad.cpu, `exit ${bad.statuses}`, "<= 0.5 s");
    }
    const check = medianOf(2, "npm", ["run", "--silent", "check"]);
    row("npm run check, example stack (median of 2)", check.wall, check.cpu, `exit ${check.statuses}`, "<= 5 s");
    if (!skipTests) {
        // The tests stop the pack processes they start (not waited for): their CPU shows only in the machine's busy time.
        const busyBefore = machineBusySeconds();
        const tests = run("npm", ["test"]);
        const busyAfter = machineBusySeconds();
        const passing = /(\d+) passing/.exec(tests.stdout)?.[1] ?? "?";
        const failing = /(\d+) failing/.exec(tests.stdout)?.[1] ?? "0";
        row("npm test (once)", tests.wallSeconds, tests.cpuSeconds, `exit ${tests.status}, ${passing} passing, ${failing} failing`, "<= 75 s");
        if (busyBefore !== undefined && busyAfter !== undefined) row("  the machine's busy CPU during npm test", tests.wallSeconds, busyAfter - busyBefore, "every process, the stopped packs too", "");
    }

    const header = ["figure", "wall", "cpu (user+sys)", "result", "target"];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((cells) => cells[column].length)));
    const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd();
    console.log(`cores: ${os.availableParallelism()}; load average at the end: ${os.loadavg().map((load) => load.toFixed(1)).join(", ")}; Node ${process.version}`);
    console.log(line(header));
    for (const cells of rows) console.log(line(cells));
}

main();
