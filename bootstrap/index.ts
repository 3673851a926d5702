/**
 * The bootstrap program (like `cdk bootstrap`): run once per target account by an administrator, it
 * creates the deployment role that then runs one stack of the main project with least privilege.
 * It validates its configuration first, derives that stack's deployer policy, and registers nothing
 * if either fails.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { partitionOfRegion } from "../components/arns/bedrockArns";
import { ConfigValidationError } from "../components/config/configValidation";
import { DEFAULT_IAM_QUOTAS } from "../components/iam/iamQuotas";
import { readBootstrapConfig } from "./bootstrapConfig";
import { DeploymentRole } from "./deploymentRole";
import { defaultPermissionsBoundaryArn, permissionsBoundaryPolicyName } from "../components/iam/permissionsBoundary";
import { policyJson } from "../components/iam/iamDocument";
import { mainStackBoundary, mainStackDeployerPolicy } from "./mainStackPolicy";

interface BootstrapOutputs {
    /** Give this to the pipeline (`role-to-assume`, the Deployments or ESC role ARN, the central account's AssumeRole). */
    readonly deploymentRoleArn: pulumi.Output<string>;
    readonly oidcProviderArn: pulumi.Output<string> | undefined;
    /** The permissions boundary every role of the main stack carries, when this program created it. */
    readonly permissionsBoundaryArn: pulumi.Output<string> | undefined;
}

export = async (): Promise<BootstrapOutputs> => {
    const config = readBootstrapConfig();
    const identity = await aws.getCallerIdentity();
    const location = { partition: partitionOfRegion(config.region), region: config.region, accountId: identity.accountId };
    const policies = mainStackDeployerPolicy({ stack: config.stack, stackFile: config.stackFile, accountId: identity.accountId });
    if (policies.length > DEFAULT_IAM_QUOTAS.managedPoliciesPerRole) {
        throw new ConfigValidationError([
            {
                path: "stack",
                value: JSON.stringify(config.stack),
                rule: `needs ${policies.length} managed policies; a role holds ${DEFAULT_IAM_QUOTAS.managedPoliciesPerRole} by default: split the stack`,
            },
        ]);
    }
    // The main stack's boundary, created here with the administrator's rights when it is the convention's one (a
    // boundary of your own, named by ARN in the main stack, is yours to keep; with `none` there is none).
    const boundary = mainStackBoundary({ stack: config.stack, stackFile: config.stackFile, accountId: identity.accountId });
    const boundaryPolicy =
        boundary.arn && boundary.document && boundary.arn === defaultPermissionsBoundaryArn(location, config.stack)
            ? new aws.iam.Policy(`bedrock-access-boundary-${config.stack}`, {
                  name: permissionsBoundaryPolicyName(config.stack),
                  description: `Permissions boundary of every role of stack ${config.stack} of bedrock-access: the most any of them may do`,
                  policy: policyJson(boundary.document),
                  tags: { "bedrock-access:boundary": config.stack },
              })
            : undefined;
    const role = new DeploymentRole(`bedrock-access-deployer-${config.stack}`, {
        location,
        roleName: config.roleName,
        stack: config.stack,
        trust: config.trust,
        policies,
        maxSessionDurationSeconds: config.maxSessionDurationSeconds,
    });
    return { deploymentRoleArn: role.roleArn, oidcProviderArn: role.oidcProviderArn, permissionsBoundaryArn: boundaryPolicy?.arn };
};
