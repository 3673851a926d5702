/**
 * Compiles the TypeScript sources to JavaScript once, so that the commands and the tests run plain
 * JavaScript: `npm ci` compiles everything (the root `prepare` script), and every command, `npm test`
 * included, recompiles only the files changed since (a few milliseconds when nothing changed).
 *
 * Each file is transpiled on its own, as `ts-node --transpile-only` would (types are checked by
 * `npm run typecheck`, not here):
 * - the project's sources (the folders of the root tsconfig.json) into `dist/`, each compiled file
 *   seeing `__dirname` and `__filename` as its source's, so that paths to stack files, fixtures and
 *   `Pulumi.yaml` read the same from either;
 * - the policy pack into `policypack/bin/`, as `tsc -p policypack` writes it.
 * A compiled file whose source is gone is removed. Files are written to a temporary name and then
 * renamed, so that processes compiling at once never read half a file.
 */
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const DIST = path.join(ROOT, "dist");

/**
 * The folders (and single files) compiled into `dist/`: what the root tsconfig.json includes (read from it, so that a new
 * folder is never forgotten), and the pack's policies the commands import.
 */
const PROJECT_SOURCES = [
    ...JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8")).include.map((pattern) => pattern.replace(/\/\*\*\/\*\.ts$/, "")),
    "policypack/index.ts",
    "policypack/policies",
];
/** The pack's sources, as policypack/tsconfig.json includes them. */
const PACK_SOURCES = ["index.ts", "policies", "scripts"];

/**
 * @typedef {object} Target
 * @property {string} sourceRoot  the folder the sources' relative paths start from
 * @property {readonly string[]} sources  files and folders under it
 * @property {string} outDir  where the compiled files go, mirroring the sources
 * @property {boolean} sourceDirname  whether compiled files see their source's `__dirname`
 */

/** @type {readonly Target[]} */
const TARGETS = [
    { sourceRoot: ROOT, sources: PROJECT_SOURCES, outDir: DIST, sourceDirname: true },
    { sourceRoot: path.join(ROOT, "policypack"), sources: PACK_SOURCES, outDir: path.join(ROOT, "policypack", "bin"), sourceDirname: false },
];

/** Every `.ts` file (not `.d.ts`) under `entry`, skipping `node_modules`. */
function typeScriptFiles(entry, found = []) {
    let stat;
    try {
        stat = fs.statSync(entry);
    } catch {
        return found;
    }
    if (stat.isDirectory()) {
        for (const name of fs.readdirSync(entry)) {
            if (name !== "node_modules" && name !== "bin" && name !== "out") typeScriptFiles(path.join(entry, name), found);
        }
    } else if (entry.endsWith(".ts") && !entry.endsWith(".d.ts")) {
        found.push({ file: entry, mtimeMs: stat.mtimeMs });
    }
    return found;
}

/** The compiled file of a source under a target. */
function compiledPath(target, source) {
    return path.join(target.outDir, path.relative(target.sourceRoot, source).replace(/\.ts$/, ".js"));
}

function modifiedMs(file) {
    try {
        return fs.statSync(file).mtimeMs;
    } catch {
        return -1;
    }
}

let typescript;
function transpile(target, source) {
    // Loaded only when a file must be compiled: TypeScript takes a third of a second to load.
    typescript ??= require("typescript");
    const output = compiledPath(target, source);
    const result = typescript.transpileModule(fs.readFileSync(source, "utf8"), {
        fileName: source,
        compilerOptions: {
            target: typescript.ScriptTarget.ES2022,
            module: typescript.ModuleKind.CommonJS,
            esModuleInterop: true,
            resolveJsonModule: true,
            sourceMap: true,
        },
    });
    let code = result.outputText;
    if (target.sourceDirname) {
        // On the first line, after "use strict", so that line numbers stay the source's.
        const relative = JSON.stringify(path.relative(path.dirname(output), path.dirname(source)).split(path.sep).join("/"));
        const preamble = `var __dirname = require("path").resolve(__dirname, ${relative}), __filename = require("path").join(__dirname, ${JSON.stringify(path.basename(source))});`;
        code = code.startsWith('"use strict";') ? `"use strict";${preamble}${code.slice('"use strict";'.length)}` : `${preamble}${code}`;
    }
    fs.mkdirSync(path.dirname(output), { recursive: true });
    const temporary = `${output}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, code);
    fs.renameSync(temporary, output);
    if (result.sourceMapText) {
        fs.writeFileSync(`${temporary}.map`, result.sourceMapText);
        fs.renameSync(`${temporary}.map`, `${output}.map`);
    }
}

/** Removes compiled files (and their maps) whose source no longer exists. */
function removeOrphans(target, compiled) {
    const walk = (directory) => {
        let names;
        try {
            names = fs.readdirSync(directory, { withFileTypes: true });
        } catch {
            return;
        }
        for (const entry of names) {
            const file = path.join(directory, entry.name);
            if (entry.isDirectory()) {
                if (entry.name !== "node_modules") walk(file);
            } else if (entry.name.endsWith(".js") && !compiled.has(file)) {
                fs.rmSync(file, { force: true });
                fs.rmSync(`${file}.map`, { force: true });
            }
        }
    };
    walk(target.outDir);
}

/**
 * Compiles every source newer than its compiled file; with `all`, every source. Returns how many
 * files were compiled.
 */
function compile({ all = false } = {}) {
    let count = 0;
    for (const target of TARGETS) {
        const compiled = new Set();
        for (const entry of target.sources) {
            for (const source of typeScriptFiles(path.join(target.sourceRoot, entry))) {
                const output = compiledPath(target, source.file);
                compiled.add(output);
                if (all || modifiedMs(output) < source.mtimeMs) {
                    transpile(target, source.file);
                    count++;
                }
            }
        }
        removeOrphans(target, compiled);
    }
    return count;
}

/**
 * Lets a compiled process `require` a source `.ts` file (the stack's program, found by its project
 * folder) by loading its compiled file: the same module the compiled code imports.
 */
function requireSourcesCompiled() {
    if (require.extensions[".ts"]) return;
    require.extensions[".ts"] = (module, filename) => {
        const relative = path.relative(ROOT, filename);
        if (relative.startsWith("..") || relative.startsWith(`policypack${path.sep}`)) throw new Error(`cannot load ${filename}: not a compiled source of this project`);
        module.exports = require(path.join(DIST, relative.replace(/\.ts$/, ".js")));
    };
}

/**
 * Keeps V8's compiled code of every module loaded (the SDKs above all) on disk, for this process and
 * every Node process it starts (the pack, a command a test runs): a third less CPU to load them.
 */
function useCompileCache() {
    process.env.NODE_COMPILE_CACHE ??= path.join(ROOT, "node_modules", ".cache", "node-compile-cache");
    require("module").enableCompileCache?.(process.env.NODE_COMPILE_CACHE);
}

module.exports = { ROOT, DIST, compile, requireSourcesCompiled, useCompileCache };

if (require.main === module) {
    const started = process.hrtime.bigint();
    const count = compile({ all: process.argv.includes("--all") });
    if (!process.argv.includes("--quiet")) {
        console.log(`compiled ${count} file(s) into dist/ and policypack/bin/ in ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`);
    }
}
