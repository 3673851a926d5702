/**
 * `npm run build:package [-- --out <dir>]`: the package as it ships, a folder that installs outside
 * this repository. The package's source imports `../components/`; this copies every source file the
 * entry reaches (found by TypeScript's own module resolution) under the same relative paths, puts
 * `PulumiPlugin.yaml`, `tsconfig.json` and an entry at the folder's root, and writes a package.json
 * whose dependencies are exactly the packages those files import, at this repository's pinned
 * versions, plus what the engine's launcher needs to run TypeScript (`ts-node`, `typescript`,
 * `@types/node`). Default output: `package-dist/`.
 */
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";
import * as ts from "typescript";

const REPOSITORY_DIR = path.resolve(__dirname, "..");
const PACKAGE_DIR = path.join(REPOSITORY_DIR, "pulumi-package");
/** What the nodejs language host's launcher (`@pulumi/pulumi/cmd/run-plugin`) loads to run the TypeScript source. */
const LAUNCHER_DEPENDENCIES = ["ts-node", "typescript", "@types/node"];

interface PackageManifest {
    readonly name: string;
    readonly version: string;
    readonly description?: string;
    readonly license?: string;
    readonly dependencies?: Record<string, string>;
    readonly devDependencies?: Record<string, string>;
}

function readJson<T>(file: string): T {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

/** `@scope/name/deep/path` → `@scope/name`; `name/deep` → `name`; a Node built-in → undefined. */
function packageNameOf(specifier: string): string | undefined {
    if (specifier.startsWith(".") || specifier.startsWith("node:") || ts.isExternalModuleNameRelative(specifier)) return undefined;
    const parts = specifier.split("/");
    const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
    return builtinModules.includes(name) ? undefined : name;
}

/** The repository's own source files the package's entry reaches, repository-relative. */
function reachedSourceFiles(): string[] {
    const program = ts.createProgram({ rootNames: [path.join(PACKAGE_DIR, "index.ts")], options: { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, noEmit: true } });
    return program
        .getSourceFiles()
        .map((file) => path.relative(REPOSITORY_DIR, file.fileName))
        .filter((file) => !file.startsWith("..") && !file.split(path.sep).includes("node_modules"))
        .sort();
}

/** Every package a file imports (static imports, re-exports, `require`) or finds files of at run time (`require.resolve`). */
function importedPackages(files: readonly string[]): Set<string> {
    const names = new Set<string>();
    for (const file of files) {
        const source = fs.readFileSync(path.join(REPOSITORY_DIR, file), "utf8");
        const resolved = [...source.matchAll(/\brequire\.resolve\(\s*["']([^"']+)["']/g)].map((match) => match[1]);
        for (const specifier of [...ts.preProcessFile(source, true, true).importedFiles.map((imported) => imported.fileName), ...resolved]) {
            const name = packageNameOf(specifier);
            if (name) names.add(name);
        }
    }
    return names;
}

/** Writes the shippable package into `outDir` (emptied first) and returns the files copied. */
export function buildPackage(outDir: string): { files: string[]; manifest: PackageManifest } {
    const root = readJson<PackageManifest>(path.join(REPOSITORY_DIR, "package.json"));
    const own = readJson<PackageManifest>(path.join(PACKAGE_DIR, "package.json"));
    const files = reachedSourceFiles();
    const pinned = { ...root.devDependencies, ...root.dependencies };
    const dependencies: Record<string, string> = {};
    for (const name of [...importedPackages(files), ...LAUNCHER_DEPENDENCIES].sort()) {
        const version = pinned[name];
        if (!version) throw new Error(`${name} is imported by the package but not pinned in the repository's package.json`);
        dependencies[name] = version;
    }
    fs.rmSync(outDir, { recursive: true, force: true });
    for (const file of files) {
        fs.mkdirSync(path.join(outDir, path.dirname(file)), { recursive: true });
        fs.copyFileSync(path.join(REPOSITORY_DIR, file), path.join(outDir, file));
    }
    fs.copyFileSync(path.join(PACKAGE_DIR, "PulumiPlugin.yaml"), path.join(outDir, "PulumiPlugin.yaml"));
    fs.copyFileSync(path.join(PACKAGE_DIR, "tsconfig.json"), path.join(outDir, "tsconfig.json"));
    // The entry at the root: the package's own, its relative imports pointing into pulumi-package/.
    const entry = fs.readFileSync(path.join(PACKAGE_DIR, "index.ts"), "utf8").replace(/from "\.\/([^"]+)"/g, 'from "./pulumi-package/$1"');
    fs.writeFileSync(path.join(outDir, "index.ts"), entry);
    const manifest: PackageManifest & { main: string } = { name: own.name, version: own.version, description: own.description, license: own.license, main: "index.ts", dependencies };
    fs.writeFileSync(path.join(outDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    return { files, manifest };
}

if (require.main === module) {
    const at = process.argv.indexOf("--out");
    const outDir = path.resolve(at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : path.join(REPOSITORY_DIR, "package-dist"));
    const { files, manifest } = buildPackage(outDir);
    process.stdout.write(`${manifest.name} ${manifest.version}: ${files.length} source files and ${Object.keys(manifest.dependencies ?? {}).length} dependencies written to ${outDir}\n`);
}
