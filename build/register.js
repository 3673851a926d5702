/**
 * Loaded by mocha (`.mocharc.js`) when the tests run compiled from `dist/`: a test that loads a
 * program by its source folder (`require(".../index")`, as `npm run check` does) gets its compiled
 * module, the same one the compiled tests import. The workers, and the processes the tests start,
 * share one compile cache.
 */
"use strict";
const { requireSourcesCompiled, useCompileCache } = require("./compile");
requireSourcesCompiled();
useCompileCache();
