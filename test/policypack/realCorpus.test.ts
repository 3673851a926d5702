/**
 * The pack on 2,129 real IAM documents (every AWS managed policy, and trust policies from public
 * security tools' fixtures): it reads them all, says what it said before the issue-11 changes
 * (recorded in test/fixtures/realCorpusVerdicts.json) but for the intended ones, and quotes actions
 * as the documents write them.
 */
import * as assert from "assert";
import * as fs from "fs";
import { AnalyzedResource } from "../../offline/engine/policyPackClient";
import { CORPUS_FILE, CorpusVerdicts, VERDICTS_FILE, corpusResources, corpusVerdicts } from "./corpus";
import { packForTests } from "../assertions";

/** The rules added after the verdicts were recorded: judged on the corpus by figures and hand-checked samples, not by the record. */
const NEW_RULES = ["iam-trust-names-principals", "iam-resources-scoped", "aws-resource-policies-not-public", "bedrock-model-regions-pinned", "iam-actions-exist"];
const byRule = (rule: string) => (finding: string) => finding.startsWith(`${rule}: `);
const isNewRule = (finding: string) => NEW_RULES.some((rule) => byRule(rule)(finding));
/**
 * The model-scope findings of statements that grant `application-inference-profile/*`, by document and statement: since
 * application profiles are accepted under an exact `aws:ResourceTag` condition (and reported bare with their own message),
 * those statements' findings are an intended change, judged by the test below rather than by the record.
 */
const APPLICATION_PROFILES = /^bedrock-model-scoped-resources: (\w+), statement ([^:]+): grants .* on "[^"]*application-inference-profile\/\*"/i;
function applicationProfileStatements(verdicts: CorpusVerdicts): Set<string> {
    const statements = new Set<string>();
    for (const [id, findings] of Object.entries(verdicts)) {
        for (const finding of findings) {
            const match = APPLICATION_PROFILES.exec(finding);
            if (match) statements.add(`${id}|${match[1].toLowerCase()}|${match[2].toLowerCase()}`);
        }
    }
    return statements;
}
const ofStatementIn = (id: string, statements: ReadonlySet<string>) => (finding: string) => {
    const match = /^bedrock-model-scoped-resources: (\w+), statement ([^:]+):/i.exec(finding);
    return match !== null && statements.has(`${id}|${match[1].toLowerCase()}|${match[2].toLowerCase()}`);
};

describe("the pack on the real-world IAM corpus", function () {
    this.timeout(300000);
    let resources: AnalyzedResource[];
    let verdicts: CorpusVerdicts;
    before(async function () {
        // CI has ../shared beside the clone: there the corpus must be read; elsewhere it may be absent.
        if (!fs.existsSync(CORPUS_FILE)) {
            if (process.env.CI) throw new Error(`${CORPUS_FILE} is missing: CI runs with ../shared beside the clone`);
            this.skip();
        }
        resources = corpusResources();
        verdicts = await corpusVerdicts(await packForTests());
    });

    it("reads every document, and reports as unreadable exactly the six the corpus says are invalid as written", () => {
        assert.strictEqual(resources.length, 1941 + 188);
        const unreadable = / (is not valid JSON|is malformed|has no Statement|is not a policy document)/;
        const reported = Object.entries(verdicts)
            .filter(([, findings]) => findings.some((finding) => unreadable.test(finding)))
            .map(([id]) => id)
            .sort();
        // An empty string, {}, no Statement, a string or list Principal, a misspelt key (the corpus's README).
        assert.deepStrictEqual(reported, [
            "c7n:tests/data/placebo/test_config_compliance_iam_role/iam.GetRole_1.json#test-role",
            "cfn_nag:spec/test_templates/json/iam_role/iam_role_not_principal_on_trust.json#NotPrincipalTrustRole",
            "checkov:tests/cloudformation/parser/cfn_bad_iam.yaml#rIamRole",
            "checkov:tests/terraform/checks/resource/aws/example_DLMScheduleCrossRegionEncryption/main.tf#dlm_lifecycle_role",
            "prowler:tests/providers/aws/services/iam/lib/policy_test.py#line 2737",
            "prowler:tests/providers/aws/services/iam/lib/policy_test.py#line 2757",
        ]);
    });

    it("says what it said before, but for the intended changes: quoting as written, no model access demanded of a trust policy", () => {
        const recorded = JSON.parse(fs.readFileSync(VERDICTS_FILE, "utf8")) as CorpusVerdicts;
        const trustModelDemand = /^bedrock-model-scoped-resources: assumerolepolicy, statement [^:]+: grants .*(without naming a model|without "aws-marketplace:productid" pinned|without "bedrock-mantle:model" pinned)/;
        const changed: string[] = [];
        const profileStatements = applicationProfileStatements(recorded);
        for (const id of new Set([...Object.keys(recorded), ...Object.keys(verdicts)])) {
            const profileFinding = ofStatementIn(id, profileStatements);
            const before = (recorded[id] ?? []).filter((finding) => !profileFinding(finding)).map((finding) => finding.toLowerCase()).filter((finding) => !trustModelDemand.test(finding)).sort();
            const now = (verdicts[id] ?? []).filter((finding) => !isNewRule(finding) && !profileFinding(finding)).map((finding) => finding.toLowerCase()).sort();
            if (JSON.stringify(before) !== JSON.stringify(now)) changed.push(id);
        }
        assert.deepStrictEqual(changed, []);
        const dropped = Object.values(recorded).flat().filter((finding) => trustModelDemand.test(finding.toLowerCase()));
        assert.strictEqual(dropped.length, 9, "the three trust policies with Action * or NotAction no longer get models, products or Mantle models demanded");
    });

    it("counts, for each new rule, the AWS managed policies and trust policies it flags (figures printed, not targets), and says what a hand check found", () => {
        const managedIds = new Set(resources.filter((resource) => resource.type === "aws:iam/policy:Policy").map((resource) => resource.name));
        const flagged = (rule: string, ids: (id: string) => boolean) => Object.entries(verdicts).filter(([id, findings]) => ids(id) && findings.some(byRule(rule))).length;
        for (const rule of NEW_RULES) {
            console.log(`      ${rule}: ${flagged(rule, (id) => managedIds.has(id))} of ${managedIds.size} managed policies, ${flagged(rule, (id) => !managedIds.has(id))} of 188 trust policies`);
        }
        const findingsOf = (id: string, rule: string) => (verdicts[id] ?? []).filter(byRule(rule));
        // Checked by hand: Elastic Beanstalk's worker tier sends to and deletes from every queue, and invokes Claude and Nova in any region directly.
        const worker = findingsOf("iamds:AWSElasticBeanstalkWorkerTier", "iam-resources-scoped");
        assert.ok(worker.some((finding) => /statement QueueAccess: grants sqs:ChangeMessageVisibility, sqs:DeleteMessage, sqs:SendMessage on "\*"/.test(finding)), worker.join("\n"));
        // cloudwatch:PutMetricData (its dataset is optional) and X-Ray's *-only actions pass.
        assert.ok(!worker.some((finding) => /statement (MetricsAccess|XRayAccess):/.test(finding)));
        assert.strictEqual(findingsOf("iamds:AWSElasticBeanstalkWorkerTier", "bedrock-model-regions-pinned").length, 1);
        // S3 read-only reads every object of every bucket; the Bedrock read-only policy lists and describes only.
        assert.match(findingsOf("mamip:AmazonS3ReadOnlyAccess", "iam-resources-scoped").join("\n"), /grants s3:GetObject, s3:GetObjectVersion \(through "s3:Get\*", .*\) on "\*"/);
        assert.deepStrictEqual(findingsOf("mamip:AmazonBedrockReadOnly", "iam-resources-scoped"), []);
        // SageMaker's flow policy allows any foundation model in any region through any profile (a Null check names none).
        assert.strictEqual(findingsOf("mamip:SageMakerStudioBedrockFlowServiceRolePolicy", "bedrock-model-regions-pinned").length, 1);
        // The security tools' fixtures of a trust open to every AWS principal.
        assert.match(
            findingsOf("checkov:tests/cloudformation/checks/resource/aws/example_IAMRoleAllowsPublicAssume/FAILED-2.yml#AWSStarPrincipal2", "iam-trust-names-principals").join(),
            /admits "Principal": \{"AWS": "\*"\}/,
        );
        // Trust and managed policies are never resource policies: the public-exposure rule has nothing to judge here.
        assert.strictEqual(flagged("aws-resource-policies-not-public", () => true), 0);
    });

    it("reports every application-inference-profile/* grant of the corpus bare, and accepts none without an exact aws:ResourceTag condition", () => {
        const texts = new Map(resources.map((resource) => [resource.name, resource.properties]));
        const before = applicationProfileStatements(JSON.parse(fs.readFileSync(VERDICTS_FILE, "utf8")) as CorpusVerdicts);
        const reportedBare = new Set<string>();
        for (const [id, findings] of Object.entries(verdicts)) {
            for (const finding of findings) {
                const match = /^bedrock-model-scoped-resources: (\w+), statement ([^:]+): grants .* on "[^"]*application-inference-profile\/\*" with no exact aws:ResourceTag condition/i.exec(finding);
                if (match) reportedBare.add(`${id}|${match[1].toLowerCase()}|${match[2].toLowerCase()}`);
            }
        }
        // Each statement reported before is still reported bare, unless its document binds resource tags with StringEquals.
        const accepted = [...before].filter((statement) => !reportedBare.has(statement));
        for (const statement of accepted) {
            const [id, , sid] = statement.split("|");
            const properties = texts.get(id) as { policy?: string; assumeRolePolicy?: string };
            const document = JSON.parse(properties.policy ?? properties.assumeRolePolicy ?? "{}") as { Statement: { Sid?: string; Condition?: Record<string, Record<string, unknown>> }[] };
            const granted = document.Statement.find((candidate) => candidate.Sid?.toLowerCase() === sid);
            const equals = Object.entries(granted?.Condition ?? {}).find(([operator]) => operator.toLowerCase() === "stringequals")?.[1] ?? {};
            assert.ok(
                Object.keys(equals).some((key) => key.toLowerCase().startsWith("aws:resourcetag/")),
                `${statement} is no longer reported, yet it binds no resource tag with StringEquals`,
            );
        }
        console.log(`      application-inference-profile/*: ${reportedBare.size} statements reported bare, ${accepted.length} accepted under an exact tag condition`);
        assert.ok(reportedBare.size > 0);
    });

    it("quotes every wildcard action exactly as its document writes it", () => {
        const texts = new Map(resources.map((resource) => [resource.name, JSON.stringify(resource.properties)]));
        let quoted = 0;
        for (const [id, findings] of Object.entries(verdicts)) {
            for (const finding of findings) {
                const action = /grants the wildcard action "([^"]+)"/.exec(finding)?.[1];
                if (!action) continue;
                quoted += 1;
                assert.ok(texts.get(id)?.includes(JSON.stringify(action).slice(1, -1)), `${id}: "${action}" is not in the document as written`);
            }
        }
        assert.ok(quoted > 4000, String(quoted));
    });
});
