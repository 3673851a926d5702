/**
 * Pure builders of the IAM documents for one LLM gateway: who may assume its role (trust policy)
 * and what the role may do in Bedrock (invoke policy).
 */
import {
    AwsLocation,
    GuardrailReference,
    ModelReference,
    guardrailArn,
    invokeGrantFor,
} from "./bedrockArns";
import { PolicyDocument, PolicyStatement, policyDocument, sortedUnique } from "./iamDocument";

export const INVOKE_MODEL_ACTION = "bedrock:InvokeModel";
export const INVOKE_MODEL_STREAM_ACTION = "bedrock:InvokeModelWithResponseStream";
export const APPLY_GUARDRAIL_ACTION = "bedrock:ApplyGuardrail";

export interface GatewayTrustInput {
    /** The gateway's IAM principals (role, user or account root ARNs). */
    readonly trustedPrincipals: readonly string[];
    /** The value the gateway must send as `sts:ExternalId`, compared exactly. */
    readonly externalId: string;
}

/**
 * Admits exactly the listed principals, and only when they present the external ID.
 * IRSA (EKS) and IMDS (EC2) setups need nothing else: their principal is an ordinary role ARN.
 */
export function gatewayTrustPolicy(input: GatewayTrustInput): PolicyDocument {
    return policyDocument([
        {
            Sid: "GatewayAssumeRoleWithExternalId",
            Effect: "Allow",
            Principal: { AWS: sortedUnique(input.trustedPrincipals) },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "sts:ExternalId": input.externalId } },
        },
    ]);
}

export interface GatewayInvokeInput {
    readonly location: AwsLocation;
    readonly models: readonly ModelReference[];
    readonly guardrails: readonly GuardrailReference[];
    /** Grant `InvokeModelWithResponseStream` (ConverseStream) as well as `InvokeModel` (Converse). */
    readonly streaming: boolean;
}

export function gatewayInvokeActions(streaming: boolean): string[] {
    return streaming ? [INVOKE_MODEL_ACTION, INVOKE_MODEL_STREAM_ACTION] : [INVOKE_MODEL_ACTION];
}

/**
 * Grants the invoke actions on exactly the listed models, and `ApplyGuardrail` on exactly the listed
 * guardrails. Models reached through inference profiles are allowed in any region, but only through
 * those profiles (`bedrock:InferenceProfileArn`), which is what cross-region inference needs.
 */
export function gatewayInvokePolicy(input: GatewayInvokeInput): PolicyDocument {
    const actions = gatewayInvokeActions(input.streaming);
    const grants = input.models.map((model) => invokeGrantFor(input.location, model));
    const directArns = sortedUnique(grants.flatMap((grant) => grant.directArns));
    const profileArns = sortedUnique(grants.flatMap((grant) => (grant.profileArn ? [grant.profileArn] : [])));
    const routedModelArns = sortedUnique(grants.flatMap((grant) => grant.routedModelArns));
    const guardrailArns = sortedUnique(input.guardrails.map((guardrail) => guardrailArn(input.location, guardrail)));

    const statements: PolicyStatement[] = [];
    if (directArns.length > 0) {
        statements.push({ Sid: "InvokeListedModels", Effect: "Allow", Action: actions, Resource: directArns });
    }
    if (routedModelArns.length > 0) {
        statements.push({
            Sid: "InvokeModelsThroughListedProfiles",
            Effect: "Allow",
            Action: actions,
            Resource: routedModelArns,
            Condition: { StringEquals: { "bedrock:InferenceProfileArn": profileArns } },
        });
    }
    if (guardrailArns.length > 0) {
        statements.push({ Sid: "ApplyListedGuardrails", Effect: "Allow", Action: APPLY_GUARDRAIL_ACTION, Resource: guardrailArns });
    }
    return policyDocument(statements);
}
