/**
 * `node build/run.js offline/check.ts [args...]`: runs one of the project's commands as compiled
 * JavaScript, as if `node dist/offline/check.js [args...]` had been run, after compiling whatever
 * changed since the last run (nothing, usually: a few milliseconds). The package.json scripts and
 * the tests that run a command as a process go through here.
 */
"use strict";
const path = require("path");
const { ROOT, DIST, compile, requireSourcesCompiled, useCompileCache } = require("./compile");

const [script, ...args] = process.argv.slice(2);
if (!script) {
    console.error("usage: node build/run.js <source.ts> [args...]");
    process.exit(2);
}
compile();
requireSourcesCompiled();
useCompileCache();
const compiled = path.join(DIST, path.relative(ROOT, path.resolve(ROOT, script)).replace(/\.ts$/, ".js"));
// As ts-node does: the command becomes the main module, with its own arguments.
process.argv = [process.argv[0], compiled, ...args];
require("module").runMain();
