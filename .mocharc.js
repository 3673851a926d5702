/**
 * How `npm test` runs mocha: the compiled tests (`dist/test`, see build/register.js), in parallel in
 * two worker processes (the machines the loop is measured on have two cores), each worker taking the
 * next file when it finishes one. The files go out longest first (build/testOrder.js), so that the
 * run does not end with one worker alone on a long file.
 */
"use strict";
const { compactRecord, orderedTestFiles } = require("./build/testOrder");

compactRecord();

module.exports = {
    // The never-answering endpoint's runs wait on purpose (up to 20 s): they start with the suite, in this main process.
    require: ["build/register.js", "build/testDurations.js", "dist/test/report/neverAnswersRuns.js"],
    spec: orderedTestFiles(),
    timeout: 60000,
    parallel: true,
    jobs: 2,
};
