/**
 * The real-world IAM corpus (`../shared/corpora/real-iam/real-corpus.json`: every AWS managed
 * policy, and trust policies from public security tools' fixtures) as resources for the pack, and
 * the pack's verdict on each. `ts-node test/policypack/corpus.ts` rewrites the recorded verdicts.
 */
import * as fs from "fs";
import * as path from "path";
import { AnalyzedResource, PolicyPackClient } from "../../offline/engine/policyPackClient";

const CORPUS_BOUNDARY = "arn:aws:iam::123456789012:policy/corpus-boundary";

export const CORPUS_FILE = path.resolve(__dirname, "..", "..", "..", "shared", "corpora", "real-iam", "real-corpus.json");
export const VERDICTS_FILE = path.resolve(__dirname, "..", "fixtures", "realCorpusVerdicts.json");

interface CorpusEntry {
    readonly id: string;
    readonly doc: string;
}

interface Corpus {
    readonly managed: readonly CorpusEntry[];
    readonly trust: readonly CorpusEntry[];
}

/** Each document as the resource that carries it: a managed policy, or a role's trust policy. */
export function corpusResources(): AnalyzedResource[] {
    const corpus = JSON.parse(fs.readFileSync(CORPUS_FILE, "utf8")) as Corpus;
    const resource = (type: string, index: number, properties: Record<string, unknown>): AnalyzedResource => ({
        urn: `urn:pulumi:corpus::corpus::${type}::d${index}`,
        type,
        name: `d${index}`,
        properties,
    });
    return [
        ...corpus.managed.map((entry, index) => ({ ...resource("aws:iam/policy:Policy", index, { policy: entry.doc }), name: entry.id })),
        // The corpus judges documents: its roles carry a boundary, so that only what their documents say is reported.
        ...corpus.trust.map((entry, index) => ({ ...resource("aws:iam/role:Role", index, { assumeRolePolicy: entry.doc, permissionsBoundary: CORPUS_BOUNDARY }), name: entry.id })),
    ];
}

/** Document id -> "policy: message" lines, sorted; documents without findings are left out. */
export type CorpusVerdicts = Record<string, string[]>;

export async function corpusVerdicts(pack: PolicyPackClient): Promise<CorpusVerdicts> {
    const verdicts: CorpusVerdicts = {};
    for (const resource of corpusResources()) {
        const diagnostics = await pack.analyze(resource);
        // The engine's message starts with the policy's description: keep what the policy reported.
        const findings = diagnostics.map((diagnostic) => `${diagnostic.policyName}: ${diagnostic.message.slice(diagnostic.message.indexOf("\n") + 1)}`);
        if (findings.length > 0) verdicts[resource.name] = findings.sort();
    }
    return verdicts;
}

if (require.main === module) {
    (async () => {
        const pack = await PolicyPackClient.start();
        try {
            const verdicts = await corpusVerdicts(pack);
            const lines = Object.entries(verdicts).map(([id, findings]) => `${JSON.stringify(id)}: ${JSON.stringify(findings)}`);
            fs.writeFileSync(VERDICTS_FILE, `{\n${lines.join(",\n")}\n}\n`);
        } finally {
            pack.close();
        }
    })().catch((error: Error) => {
        console.error(error.message);
        process.exit(1);
    });
}
