/**
 * The Pulumi program: one stack per AWS account and region. It validates the whole stack
 * configuration first (nothing is registered when any key is wrong), plans what is stack-wide (every
 * role's permissions within IAM's quotas, the boundary, the endpoint perimeter, ownership), then
 * composes the package's components (pulumi-package/) from the stack file's own entries: each
 * gateway's access role, each Bedrock service role, invocation monitoring and the private endpoints,
 * beside each AgentCore role.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsLocation } from "./components/arns/bedrockArns";
import { EnforcedGuardrail } from "./components/monitoring/enforcedGuardrail";
import { adoptionIssues } from "./components/monitoring/adoption";
import { ConfigValidationError } from "./components/config/configValidation";
import { ownershipFindings, referencingValuesOf } from "./components/placement/ownership";
import { NO_BOUNDARY_WARNING } from "./components/iam/permissionsBoundary";
import { privateEndpointPolicies } from "./components/privateEndpoints/endpointPolicies";
import { BedrockPrivateEndpoints, BedrockServiceRole, GatewayAccessRole, InvocationMonitoring } from "./pulumi-package";
import type { BedrockPrivateEndpointsArgs, BedrockServiceRoleArgs, GatewayAccessRoleArgs, InvocationMonitoringArgs } from "./pulumi-package";
import { SERVICE_ROLE_SLUG } from "./components/serviceRoles/serviceRoleConfig";
import { AnthropicUseCaseForm } from "./components/modelAccess/anthropicUseCase";
import { LexBotAliasPolicies } from "./components/serviceRoles/lexBotAliasPolicies";
import { agentCoreModelUsers, metricModelIds, permissionsBoundaryArnOf, readRawStackConfig, validateStackConfig } from "./components/stack/stackConfig";
import { stackEntries } from "./components/stack/stackEntries";
import { planStackPermissions, stackPermissionsBoundaryWarning } from "./components/stack/stackPermissions";
import { AgentCoreRole } from "./components/agentcore/agentCoreRole";
import { AGENTCORE_ROLE_SLUG, allAgentCoreRoles } from "./components/agentcore/agentCoreConfig";
import { ApplicationInferenceProfiles } from "./components/costAttribution/applicationInferenceProfiles";
import { costTagKeys, registerCostAttribution } from "./components/costAttribution/stackCostAttribution";

/** What a user hands to each gateway (Portkey virtual key, Port provider, LiteLLM settings). */
interface GatewayHandoff {
    readonly roleArn: pulumi.Output<string>;
    readonly region: string;
    readonly externalId: pulumi.Output<string | undefined> | undefined;
    /** The gateway's application inference profiles: ARN by profile name (the model ID the gateway calls). */
    readonly applicationProfiles: Record<string, pulumi.Output<string>>;
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
    /** bedrock-mantle projects the stack created: ARN by gateway and project name. */
    readonly mantleProjects: Record<string, Record<string, pulumi.Output<string>>>;
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

    // Resources of another account or region: refused where AWS needs the stack's own, a warning where AWS allows them.
    const ownership = ownershipFindings(referencingValuesOf(raw.projectValues), location);
    if (ownership.issues.length > 0) throw new ConfigValidationError(ownership.issues);
    for (const warning of ownership.warnings) pulumi.log.warn(warning);

    // Every role's permissions, laid out once (and refused when beyond IAM's quotas) before anything registers.
    const permissions = planStackPermissions(config, location);
    // The boundary every role carries; one warning with `none` (the deployer could then escalate through the roles), or when
    // the bootstrap's boundary must name Bedrock's resources by account to fit.
    const permissionsBoundary = permissionsBoundaryArnOf(config.permissionsBoundary, location, pulumi.getStack());
    const boundaryWarning = permissionsBoundary ? stackPermissionsBoundaryWarning(config, location, pulumi.getStack(), permissions, permissionsBoundary) : NO_BOUNDARY_WARNING;
    if (boundaryWarning) pulumi.log.warn(boundaryWarning);

    // Endpoint policies are the stack's data perimeter: built, and checked, before anything registers (the
    // endpoints' component builds the same policies from the same entry).
    if (config.privateEndpoints) {
        const built = privateEndpointPolicies(config.privateEndpoints, location);
        if (built.issues.length > 0) throw new ConfigValidationError(built.issues);
    }

    // What every component takes from the stack: its boundary and its account's IAM quotas.
    const stackWide = { permissionsBoundary, ...(entries.iamQuotas ? { iamQuotas: entries.iamQuotas } : {}) };
    const gateways: Record<string, GatewayHandoff> = {};
    for (const gateway of config.gateways) {
        const access = new GatewayAccessRole(`bedrock-gateway-${gateway.name}`, { ...entries.gateway(gateway.name), ...stackWide } as GatewayAccessRoleArgs, {
            plannedPermissions: permissions.gateways.get(gateway),
        });
        const profiles = gateway.applicationProfiles.length > 0
            ? new ApplicationInferenceProfiles(`bedrock-gateway-${gateway.name}-profiles`, { location, gatewayName: gateway.name, gatewayTags: gateway.costTags, profiles: gateway.applicationProfiles, defaultTags: config.defaultTags }).arns
            : {};
        gateways[gateway.name] = { roleArn: access.roleArn, region: config.region, externalId: gateway.access.kind === "assume-role" ? access.externalId : undefined, applicationProfiles: profiles };
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
            tags: role.costTags,
        });
        agentCoreRoles[role.kind] = { ...agentCoreRoles[role.kind], [role.name]: agentCoreRole.roleArn };
    }
    const awsConfig = new pulumi.Config("aws");
    if (permissions.lexBotAliases.length > 0) {
        new LexBotAliasPolicies(
            "bedrock-lex-bot-aliases",
            { location, aliases: permissions.lexBotAliases, allowedAccountIds: awsConfig.getObject<string[]>("allowedAccountIds"), profile: awsConfig.get("profile") },
            // The policies name the flow roles: they exist first.
            { dependsOn: flowRoles },
        );
    }
    if (config.anthropicUseCase) new AnthropicUseCaseForm("anthropic-use-case", { form: config.anthropicUseCase });
    const models = metricModelIds([...config.gateways, ...config.serviceRoles, ...agentCoreModelUsers(config.agentCoreRoles)]);
    const watchesMantle = config.gateways.some((gateway) => gateway.apis.includes("mantle"));
    const applicationProfileOwners = config.gateways.filter((gateway) => gateway.applicationProfiles.length > 0).map((gateway) => gateway.name);
    const monitoring = config.monitoring
        ? new InvocationMonitoring("bedrock-monitoring", {
              ...entries.monitoring,
              models,
              ...(watchesMantle ? { watchesMantle } : {}),
              ...(applicationProfileOwners.length > 0 ? { applicationProfileOwners } : {}),
              ...(permissionsBoundary ? { permissionsBoundary } : {}),
          } as InvocationMonitoringArgs)
        : undefined;
    if (config.monitoring?.enforcedGuardrail) new EnforcedGuardrail("bedrock-enforced-guardrail", { location, guardrail: config.monitoring.enforcedGuardrail, allowedAccountIds: awsConfig.getObject<string[]>("allowedAccountIds"), profile: awsConfig.get("profile") });
    const mantleProjects = registerCostAttribution({
        location,
        stack: pulumi.getStack(),
        gateways: config.gateways,
        monitoring: config.monitoring,
        tagKeys: costTagKeys({ ...config, agentCoreRoles: allAgentCoreRoles(config.agentCoreRoles) }),
        defaultTags: config.defaultTags,
        allowedAccountIds: awsConfig.getObject<string[]>("allowedAccountIds"),
        profile: awsConfig.get("profile"),
        dependsOn: monitoring ? [monitoring] : [],
    });
    const endpoints = config.privateEndpoints
        ? new BedrockPrivateEndpoints("bedrock-endpoints", entries.privateEndpoints as unknown as BedrockPrivateEndpointsArgs).endpointIds
        : {};
    return {
        gateways,
        serviceRoles,
        agentCoreRoles,
        privateEndpoints: endpoints,
        mantleProjects,
        monitoring: monitoring && {
            dashboardUrl: monitoring.dashboardUrl,
            logGroup: monitoring.logGroupName,
            bucket: monitoring.bucketName,
            topicArn: monitoring.topicArn,
            usageReaderPolicyArn: monitoring.usageReaderPolicyArn,
        },
    };
};
