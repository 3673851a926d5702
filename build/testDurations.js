/**
 * A mocha root-hook plugin (`.mocharc.js`): in a worker (`--parallel`), the root hooks run once per
 * test file, so each file's duration is recorded here for the next run's order (`build/testOrder.js`).
 * Outside a worker, the root hooks would span every file: nothing is recorded.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { RECORDED } = require("./testOrder");

const ROOT = path.resolve(__dirname, "..");
let started = 0;

exports.mochaHooks = {
    beforeAll() {
        started = Date.now();
    },
    afterAll() {
        if (process.env.MOCHA_WORKER_ID === undefined) return;
        const file = this.test?.parent?.suites?.find((suite) => suite.file)?.file;
        if (!file) return;
        try {
            fs.mkdirSync(path.dirname(RECORDED), { recursive: true });
            fs.appendFileSync(RECORDED, `${JSON.stringify({ file: path.relative(ROOT, file).split(path.sep).join("/"), seconds: Number(((Date.now() - started) / 1000).toFixed(2)) })}\n`);
        } catch {
            // A record that cannot be written only leaves the next run's order as it was.
        }
    },
};
