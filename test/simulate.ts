/**
 * Request simulation against generated documents with @cloud-copilot/iam-simulate (AGPL: a
 * development dependency of the tests only, never part of what ships).
 */
import * as assert from "assert";
import * as path from "path";
import { ValidatedPolicy, createValidatedPolicy, validateEndpointPolicy, validateIdentityPolicy, validateResourcePolicy, validateServiceControlPolicy } from "@cloud-copilot/iam-policy";
import { anonymousPrincipal, runSimulation, runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../components/iam/iamDocument";

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface SimulatedRequest {
    readonly action: string;
    /** An ARN or service principal, or the simulator's anonymous (public) principal. */
    readonly principal: string | typeof anonymousPrincipal;
    readonly resource: string;
    readonly resourceAccount: string;
    readonly context?: Record<string, string | string[]>;
    readonly identityPolicies?: readonly PolicyDocument[];
    readonly resourcePolicy?: PolicyDocument;
    /** The policy of the VPC endpoint the request passes through: an Allow must be in it too. */
    readonly vpcEndpointPolicy?: PolicyDocument;
    /** The principal's permissions boundary: an Allow must be in it too. */
    readonly permissionsBoundary?: PolicyDocument;
    /**
     * Skip the simulator's request checks, keeping every context key as given: for claims of OIDC
     * providers its catalog does not list (`token.actions.githubusercontent.com:sub`), which it would
     * drop as unknown, and for ARNs it cannot classify (Lex bot aliases, a type the reference lists
     * with two ARN patterns). The policies are evaluated all the same.
     */
    readonly unchecked?: boolean;
    /** Service control policies, by the root, OU or account they are attached to (from the root down). */
    readonly serviceControlPolicies?: readonly { readonly orgIdentifier: string; readonly policies: readonly { readonly name: string; readonly policy: unknown }[] }[];
}

/**
 * The simulator works out, for every request, which resource types of the action its resource is
 * (matching the ARN against each type's pattern: the costliest step of a request). That answer
 * depends on the action and the ARN alone, read from the Service Authorization Reference data, so it
 * is kept per action and ARN here. The simulator calls the function through its module's exports:
 * the kept answers are handed back in its place. Should a release move the function, the simulator
 * runs as it is, only slower.
 */
function rememberResourceTypes(): void {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const module = require(path.join(path.dirname(require.resolve("@cloud-copilot/iam-simulate")), "simulation_engine", "resourceTypes.js")) as {
            getResourceTypesForAction?: (service: string, action: string, resource: string) => Promise<unknown>;
        };
        const compute = module.getResourceTypesForAction;
        if (typeof compute !== "function") return;
        const answers = new Map<string, Promise<unknown>>();
        module.getResourceTypesForAction = (service, action, resource) => {
            const key = `${service}\n${action}\n${resource}`;
            let answer = answers.get(key);
            if (answer === undefined) {
                answer = compute(service, action, resource);
                answers.set(key, answer);
            }
            return answer;
        };
    } catch {
        // Not where this release keeps it: nothing is remembered.
    }
}
rememberResourceTypes();

type Validator = (policy: unknown) => readonly unknown[];

/** Each document validated once, by the validator its place in the request calls for (its JSON text and the validator's name are the key). */
const validatedDocuments = new Map<string, { readonly errors: number; readonly statements: readonly Record<string, unknown>[]; readonly byAction: Map<string, ValidatedPolicy> }>();

/** Whether an IAM action pattern (`service:Prefix*`, `?`, `*`; case-insensitive) matches the action. */
export function actionPatternMatches(pattern: string, action: string): boolean {
    const expression = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${expression}$`, "i").test(action);
}

/**
 * The document as the simulator evaluates it for one action: validated once, whole (an invalid
 * document is handed over as it is, so that the simulation reports its errors as before), then cut
 * to the statements that can apply to the action. A statement whose `Action` matches no pattern of
 * the action takes no part in the decision (IAM evaluates a statement only for the actions it names);
 * `NotAction` statements are always kept. A document left with no applicable statement keeps its first
 * one, inert for this action, so that a layer that must allow (a boundary, an SCP) still denies.
 * The simulator then matches resources and conditions of a few statements, not of every one.
 */
function forAction(document: unknown, validatorName: string, validate: Validator, action: string): unknown {
    const text = JSON.stringify(document);
    const key = `${validatorName}|${text}`;
    let entry = validatedDocuments.get(key);
    if (!entry) {
        // A copy: a caller that changes its document afterwards changes nothing kept here.
        const raw = (JSON.parse(text) as { Statement?: unknown }).Statement;
        const statements = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Record<string, unknown>[];
        entry = { errors: validate(document).length, statements, byAction: new Map() };
        validatedDocuments.set(key, entry);
    }
    if (entry.errors > 0 || entry.statements.length === 0) return document;
    const actionKey = action.toLowerCase();
    let cut = entry.byAction.get(actionKey);
    if (!cut) {
        const applies = (statement: Record<string, unknown>) => {
            if (statement.Action === undefined) return true;
            const patterns = (Array.isArray(statement.Action) ? statement.Action : [statement.Action]) as string[];
            return patterns.some((pattern) => actionPatternMatches(pattern, action));
        };
        const applicable = entry.statements.filter(applies);
        const Statement = applicable.length > 0 ? applicable : [entry.statements[0]];
        cut = createValidatedPolicy({ ...(document as Record<string, unknown>), Statement }, () => []);
        entry.byAction.set(actionKey, cut);
    }
    return cut;
}

/**
 * How often a decision is also made on the whole documents and compared (every request when
 * `SIMULATE_CROSS_CHECK_EVERY=1`): the cut must never change a decision.
 */
const CROSS_CHECK_EVERY = Math.max(1, Number(process.env.SIMULATE_CROSS_CHECK_EVERY ?? 20));

/** A request's place among every request, fixed by what it asks (not by the order tests run in): the sample is the same on every run. */
function sampleOf(request: SimulatedRequest): number {
    let hash = 0;
    for (const character of JSON.stringify([request.action, request.principal, request.resource, request.context ?? {}])) hash = (Math.imul(hash, 31) + character.charCodeAt(0)) | 0;
    return Math.abs(hash) % CROSS_CHECK_EVERY;
}

/** The simulator's decision; a request it rejects as invalid fails the test instead of counting as a denial. */
export async function decide(request: SimulatedRequest): Promise<Decision> {
    const decision = await decideOn(request, true);
    if (sampleOf(request) === 0) {
        const whole = await decideOn(request, false);
        assert.strictEqual(decision, whole, `the statements cut for ${request.action} changed the decision on ${request.resource}`);
    }
    return decision;
}

/** The decision on the documents cut to the request's action (`cut`), or on the whole documents. */
export async function decideOn(request: SimulatedRequest, cut: boolean): Promise<Decision> {
    const policyFor = (document: unknown, validatorName: string, validate: Validator) => (cut ? forAction(document, validatorName, validate, request.action) : document);
    const simulation = {
        identityPolicies: (request.identityPolicies ?? []).map((policy, index) => ({ name: `identity-${index}`, policy: policyFor(policy, "identity", validateIdentityPolicy) })),
        serviceControlPolicies: (request.serviceControlPolicies ?? []).map((level) => ({
            orgIdentifier: level.orgIdentifier,
            policies: level.policies.map(({ name, policy }) => ({ name, policy: policyFor(policy, "scp", validateServiceControlPolicy) })),
        })),
        resourceControlPolicies: [],
        resourcePolicy: request.resourcePolicy && policyFor(request.resourcePolicy, "resource", validateResourcePolicy),
        ...(request.vpcEndpointPolicy ? { vpcEndpointPolicies: [{ name: "vpc-endpoint", policy: policyFor(request.vpcEndpointPolicy, "endpoint", validateEndpointPolicy) }] } : {}),
        ...(request.permissionsBoundary ? { permissionBoundaryPolicies: [{ name: "permissions-boundary", policy: policyFor(request.permissionsBoundary, "identity", validateIdentityPolicy) }] } : {}),
        request: {
            action: request.action,
            principal: request.principal,
            resource: { resource: request.resource, accountId: request.resourceAccount },
            contextVariables: request.context ?? {},
        },
    };
    if (request.unchecked) {
        // The unchecked engine needs its resource policy named (it reads the name for its report).
        const named = request.resourcePolicy && createValidatedPolicy(request.resourcePolicy, () => [], { name: "resource-policy" });
        const unchecked = { ...simulation, resourcePolicy: named };
        return runUnsafeSimulation(unchecked as unknown as Parameters<typeof runUnsafeSimulation>[0], {}) as Decision;
    }
    const result = await runSimulation(simulation as unknown as Parameters<typeof runSimulation>[0], {});
    if (result.resultType === "error") assert.fail(`invalid simulation of ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
    return result.overallResult as Decision;
}
