/**
 * The Pulumi program: one stack per AWS account and region. It validates the whole stack
 * configuration first (nothing is registered when any key is wrong), plans what is stack-wide (every
 * role's permissions within IAM's quotas, the boundary, the endpoint policies from all grants), then
 * composes the package's components (pulumi-package/) from the stack file's own entries: each
 * gateway's access role, each Bedrock service role, invocation monitoring and the private endpoints,
 * beside each AgentCore role.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsLocation } from "./components/arns/bedrockArns";
import { adoptionIssues } from "./components/monitoring/adoption";
import { ConfigValidationError } from "./components/config/configValidation";
import { NO_BOUNDARY_WARNING } from "./components/iam/permissionsBoundary";
import { PrincipalGrants, privateEndpointPolicies, stackPrincipalGrants } from "./components/privateEndpoints/endpointPolicies";
import { BedrockPrivateEndpoints, BedrockServiceRole, GatewayAccessRole, InvocationMonitoring } from "./pulumi-package";
import type { BedrockPrivateEndpointsArgs, BedrockServiceRoleArgs, GatewayAccessRoleArgs, InvocationMonitoringArgs } from "./pulumi-package";
import { endpointGrantArgs } from "./pulumi-package/bedrockPrivateEndpoints";
import { SERVICE_ROLE_SLUG } from "./components/serviceRoles/serviceRoleConfig";
import { AnthropicUseCaseForm } from "./components/modelAccess/anthropicUseCase";
import { LexBotAliasPolicies } from "./components/serviceRoles/lexBotAliasPolicies";
import { agentCoreModelUsers, metricModelIds, permissionsBoundaryArnOf, readRawStackConfig, validateStackConfig } from "./components/stack/stackConfig";
import { stackEntries } from "./components/stack/stackEntries";
import { planStackPermissions, stackPermissionsBoundary } from "./components/stack/stackPermissions";
import { AgentCoreRole } from "./components/agentcore/agentCoreRole";
import { AGENTCORE_ROLE_SLUG, allAgentCoreRoles } from "./components/agentcore/agentCoreConfig";

/** What a user hands to each gateway (Portkey virtual key, Port provider, LiteLLM settings). */
interface GatewayHandoff {
    readonly roleArn: pulumi.Output<string>;
    readonly region: string;
    readonly externalId: pulumi.Output<string | undefined> | undefined;
}

interface ServiceRoleHandoff {
    readonly roleArn: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string | undefined> | undefined;
}

interface StackOutputs {
    readonly gateways: Record<string, GatewayHandoff>;
    /** Service role ARNs (and created key ARNs) by kind and name: what to give Bedrock when creating the flow, agent, knowledge base or job. */
    readonly serviceRoles: Record<string, Record<string, ServiceRoleHandoff>>;
    /** AgentCore role ARNs by kind (`agentRuntimes`, `agentGateways`, `agentMemories`) and name: the runtime's or gateway's `roleArn`, the memory's `memoryExecutionRoleArn`. */
    readonly agentCoreRoles: Record<string, Record<string, pulumi.Output<string>>>;
    /** VPC endpoint IDs by service. */
    readonly privateEndpoints: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Where invocations are logged and watched, when monitoring is on. */
    readonly monitoring:
        | {
              dashboardUrl: pulumi.Output<string>;
              logGroup: pulumi.Output<string>;
              /** Undefined with `invocationLogging: existing` and no `existingBucket`. */
              bucket: pulumi.Output<string | undefined>;
              topicArn: pulumi.Output<string>;
              /** Attach to whoever runs `npm run usage-report`. */
              usageReaderPolicyArn: pulumi.Output<string>;
          }
        | undefined;
}

export = async (): Promise<StackOutputs> => {
    const raw = readRawStackConfig();
    const config = validateStackConfig(raw);
    const entries = stackEntries(raw);
    const identity = await aws.getCallerIdentity();
    const location: AwsLocation = { partition: config.partition, region: config.region, accountId: identity.accountId };

    // Monitoring's adoption names what this stack left behind in this account: checked before anything registers.
    if (config.monitoring) {
        const adoption = adoptionIssues(config.monitoring, location, pulumi.getStack());
        if (adoption.length > 0) throw new ConfigValidationError(adoption);
    }

    // Every role's permissions, laid out once (and refused when beyond IAM's quotas) before anything registers.
    const permissions = planStackPermissions(config, location);
    // The boundary every role carries; with `none`, one warning (the deployer could then escalate through the roles).
    const permissionsBoundary = permissionsBoundaryArnOf(config.permissionsBoundary, location, pulumi.getStack());
    if (permissionsBoundary) stackPermissionsBoundary(config, location, pulumi.getStack(), permissions);
    else pulumi.log.warn(NO_BOUNDARY_WARNING);

    // Endpoint policies name the stack's roles and resources: built, and checked, before anything registers.
    let endpointGrants: PrincipalGrants[] = [];
    if (config.privateEndpoints) {
        const attachedRoleArns: Record<string, string> = {};
        for (const gateway of config.gateways) {
            if (gateway.access.kind === "attach-to-role") attachedRoleArns[gateway.access.roleName] = (await aws.iam.getRole({ name: gateway.access.roleName })).arn;
        }
        const principals = stackPrincipalGrants({ location, gateways: config.gateways, serviceRoles: config.serviceRoles, permissions, attachedRoleArns });
        const built = privateEndpointPolicies(config.privateEndpoints, principals);
        if (built.issues.length > 0) throw new ConfigValidationError(built.issues);
        endpointGrants = principals;
    }

    // What every component takes from the stack: its boundary and its account's IAM quotas.
    const stackWide = { permissionsBoundary, ...(entries.iamQuotas ? { iamQuotas: entries.iamQuotas } : {}) };
    const gateways: Record<string, GatewayHandoff> = {};
    for (const gateway of config.gateways) {
        const access = new GatewayAccessRole(`bedrock-gateway-${gateway.name}`, { ...entries.gateway(gateway.name), ...stackWide } as GatewayAccessRoleArgs, {
            plannedPermissions: permissions.gateways.get(gateway),
        });
        gateways[gateway.name] = { roleArn: access.roleArn, region: config.region, externalId: gateway.access.kind === "assume-role" ? access.externalId : undefined };
    }
    const serviceRoles: Record<string, Record<string, ServiceRoleHandoff>> = {};
    const flowRoles: BedrockServiceRole[] = [];
    for (const role of config.serviceRoles) {
        const serviceRole = new BedrockServiceRole(`bedrock-${SERVICE_ROLE_SLUG[role.kind]}-${role.name}`, { ...entries.serviceRole(role.configPath), kind: role.kind, ...stackWide } as BedrockServiceRoleArgs, {
            plannedPermissions: permissions.serviceRoles.get(role),
        });
        serviceRoles[role.kind] = { ...serviceRoles[role.kind], [role.name]: { roleArn: serviceRole.roleArn, keyArn: role.createKey ? serviceRole.keyArn : undefined } };
        if (role.kind === "flows") flowRoles.push(serviceRole);
    }
    const agentCoreRoles: Record<string, Record<string, pulumi.Output<string>>> = {};
    for (const role of allAgentCoreRoles(config.agentCoreRoles)) {
        const agentCoreRole = new AgentCoreRole(`${AGENTCORE_ROLE_SLUG[role.kind]}-${role.name}`, {
            location,
            role,
            iamQuotas: config.iamQuotas,
            permissions: permissions.agentCoreRoles.get(role),
            permissionsBoundary,
        });
        agentCoreRoles[role.kind] = { ...agentCoreRoles[role.kind], [role.name]: agentCoreRole.roleArn };
    }
    if (permissions.lexBotAliases.length > 0) {
        const awsConfig = new pulumi.Config("aws");
        new LexBotAliasPolicies(
            "bedrock-lex-bot-aliases",
            { location, aliases: permissions.lexBotAliases, allowedAccountIds: awsConfig.getObject<string[]>("allowedAccountIds"), profile: awsConfig.get("profile") },
            // The policies name the flow roles: they exist first.
            { dependsOn: flowRoles },
        );
    }
    if (config.anthropicUseCase) new AnthropicUseCaseForm("anthropic-use-case", { form: config.anthropicUseCase });
    const models = metricModelIds([...config.gateways, ...config.serviceRoles, ...agentCoreModelUsers(config.agentCoreRoles)]);
    const monitoring = config.monitoring
        ? new InvocationMonitoring("bedrock-monitoring", { ...entries.monitoring, models, ...(permissionsBoundary ? { permissionsBoundary } : {}) } as InvocationMonitoringArgs)
        : undefined;
    const endpoints = config.privateEndpoints
        ? new BedrockPrivateEndpoints("bedrock-endpoints", { ...entries.privateEndpoints, grants: endpointGrantArgs(endpointGrants) } as BedrockPrivateEndpointsArgs).endpointIds
        : {};
    return {
        gateways,
        serviceRoles,
        agentCoreRoles,
        privateEndpoints: endpoints,
        monitoring: monitoring && {
            dashboardUrl: monitoring.dashboardUrl,
            logGroup: monitoring.logGroupName,
            bucket: monitoring.bucketName,
            topicArn: monitoring.topicArn,
            usageReaderPolicyArn: monitoring.usageReaderPolicyArn,
        },
    };
};
