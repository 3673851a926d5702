/**
 * Request simulation against generated documents with @cloud-copilot/iam-simulate (AGPL: a
 * development dependency of the tests only, never part of what ships).
 */
import * as assert from "assert";
import { createValidatedPolicy } from "@cloud-copilot/iam-policy";
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

/** The simulator's decision; a request it rejects as invalid fails the test instead of counting as a denial. */
export async function decide(request: SimulatedRequest): Promise<Decision> {
    const simulation = {
        identityPolicies: (request.identityPolicies ?? []).map((policy, index) => ({ name: `identity-${index}`, policy })),
        serviceControlPolicies: request.serviceControlPolicies ?? [],
        resourceControlPolicies: [],
        resourcePolicy: request.resourcePolicy,
        ...(request.vpcEndpointPolicy ? { vpcEndpointPolicies: [{ name: "vpc-endpoint", policy: request.vpcEndpointPolicy }] } : {}),
        ...(request.permissionsBoundary ? { permissionBoundaryPolicies: [{ name: "permissions-boundary", policy: request.permissionsBoundary }] } : {}),
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
