/**
 * AWS CDK's capacity on the same model mix, for comparison: a role given one statement per grant,
 * as a careful CDK user writes them, synthesized with CDK's default settings and with its
 * `@aws-cdk/aws-iam:minimizePolicies` flag. CDK splits oversized policies into managed policies by
 * itself, but does not check the managed-policy count quota: we count what the template would need.
 */
import { App, Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import { AwsLocation, invokeGrantFor, parseModelReference } from "../components/arns/bedrockArns";
import { gatewayInvokeActions } from "../components/gateway/gatewayPolicies";
import { DEFAULT_IAM_QUOTAS } from "../components/iam/iamQuotas";
import { iamPolicySize } from "../components/iam/iamQuotas";

export interface CdkFit {
    readonly fits: boolean;
    readonly inlineCharacters: number;
    readonly managedPolicies: number;
    readonly largestManagedCharacters: number;
}

type Template = { Resources: Record<string, { Type: string; Properties: { PolicyDocument?: unknown } }> };

export function cdkFit(references: readonly string[], location: AwsLocation, minimizePolicies: boolean): CdkFit {
    const app = new App({ context: { "@aws-cdk/aws-iam:minimizePolicies": minimizePolicies } });
    const stack = new Stack(app, "Capacity", { env: { account: location.accountId, region: location.region } });
    const role = new iam.Role(stack, "GatewayRole", { assumedBy: new iam.AccountPrincipal("111111111111") });
    const actions = gatewayInvokeActions(true);
    for (const text of references) {
        const parsed = parseModelReference(text);
        if (!parsed.ok) throw new Error(`${text}: ${parsed.rule}`);
        const grant = invokeGrantFor(location, parsed.value);
        role.addToPolicy(new iam.PolicyStatement({ actions, resources: [...grant.directArns] }));
        if (grant.profileArn) {
            role.addToPolicy(
                new iam.PolicyStatement({
                    actions,
                    resources: [...grant.routedModelArns],
                    conditions: { StringEquals: { "bedrock:InferenceProfileArn": grant.profileArn } },
                }),
            );
        }
    }
    const template = app.synth().getStackArtifact(stack.artifactId).template as Template;
    const sizes = (type: string) =>
        Object.values(template.Resources)
            .filter((resource) => resource.Type === type)
            .map((resource) => iamPolicySize(JSON.stringify(resource.Properties.PolicyDocument)));
    const inlineCharacters = sizes("AWS::IAM::Policy").reduce((total, size) => total + size, 0);
    const managed = sizes("AWS::IAM::ManagedPolicy");
    const largestManagedCharacters = Math.max(0, ...managed);
    return {
        fits:
            inlineCharacters <= DEFAULT_IAM_QUOTAS.inlinePolicyCharactersPerRole &&
            managed.length <= DEFAULT_IAM_QUOTAS.managedPoliciesPerRole &&
            largestManagedCharacters <= DEFAULT_IAM_QUOTAS.managedPolicyCharacters,
        inlineCharacters,
        managedPolicies: managed.length,
        largestManagedCharacters,
    };
}
