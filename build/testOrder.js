/**
 * The order in which mocha hands the test files to its workers (`.mocharc.js`): longest first, so
 * that no long file starts last and leaves one worker alone at the end of the run.
 *
 * How long each file takes comes from the runs before this one: each worker records its files'
 * durations (`build/testDurations.js`) in node_modules/.cache/bedrock-access/; on a fresh clone,
 * from `test/fileDurations.json`, the figures of a run on a two-core machine, committed. A file
 * neither knows goes first (it may be long). The order changes how long a run waits, never what runs.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const TESTS_DIR = path.join(ROOT, "dist", "test");
const RECORDED = path.join(ROOT, "node_modules", ".cache", "bedrock-access", "test-durations.jsonl");
const COMMITTED = path.join(ROOT, "test", "fileDurations.json");

/** Every compiled test file, as a path relative to the repository. */
function testFiles(dir = TESTS_DIR) {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((entry) => (entry.isDirectory() ? testFiles(path.join(dir, entry.name)) : entry.name.endsWith(".test.js") ? [path.relative(ROOT, path.join(dir, entry.name)).split(path.sep).join("/")] : []));
}

/** Seconds per test file: the committed figures, overridden by the latest each file recorded here. */
function knownDurations() {
    const durations = fs.existsSync(COMMITTED) ? { ...JSON.parse(fs.readFileSync(COMMITTED, "utf8")) } : {};
    if (fs.existsSync(RECORDED)) {
        for (const line of fs.readFileSync(RECORDED, "utf8").split("\n")) {
            try {
                const { file, seconds } = JSON.parse(line);
                if (typeof file === "string" && typeof seconds === "number") durations[file] = seconds;
            } catch {
                // A line cut short by a run that was stopped: the others still count.
            }
        }
    }
    return durations;
}

/**
 * Files that go last whatever their duration: their work starts with the suite, in mocha's main
 * process (the never-answering endpoint's runs, which wait on purpose), so that by their turn it has
 * ended; sent first, they would wait for it.
 */
const LAST = ["dist/test/report/neverAnswers.test.js"];

/** The test files, longest first (unknown ones before all), then the `LAST` ones. */
function orderedTestFiles() {
    const durations = knownDurations();
    const seconds = (file) => (LAST.includes(file) ? Number.NEGATIVE_INFINITY : (durations[file] ?? Number.POSITIVE_INFINITY));
    return testFiles().sort((a, b) => seconds(b) - seconds(a) || a.localeCompare(b));
}

/** Rewrites the record as one line per file (the latest), so that it does not grow run after run. */
function compactRecord() {
    if (!fs.existsSync(RECORDED)) return;
    const lines = Object.entries(knownDurations())
        .filter(([file]) => fs.existsSync(path.join(ROOT, file)))
        .map(([file, seconds]) => JSON.stringify({ file, seconds }));
    fs.writeFileSync(RECORDED, lines.length > 0 ? `${lines.join("\n")}\n` : "");
}

module.exports = { RECORDED, knownDurations, orderedTestFiles, compactRecord, testFiles };
