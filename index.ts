/**
 * The Pulumi program: one stack per AWS account and region. It validates the whole stack
 * configuration first (nothing is registered when any key is wrong), then creates each gateway's
 * access role, each Bedrock service role, each AgentCore role, invocation monitoring and the private endpoints.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsLocation } from "./components/arns/bedrockArns";
import { InvocationMonitoring } from "./components/monitoring/invocationMonitoring";
import { EnforcedGuardrail } from "./components/monitoring/enforcedGuardrail";
import { adoptionIssues } from "./components/monitoring/adoption";
import { BedrockPrivateEndpoints } from "./components/privateEndpoints/bedrockPrivateEndpoints";
import { ConfigValidationError } from "./components/config/configValidation";
import { ownershipFindings, referencingValuesOf } from "./components/placement/ownership";
import { NO_BOUNDARY_WARNING } from "./components/iam/permissionsBoundary";
import { privateEndpointPolicies } from "./components/privateEndpoints/endpointPolicies";
import { PolicyDocument } from "./components/iam/iamDocument";
import { EndpointService } from "./components/privateEndpoints/privateEndpointConfig";
import { BedrockServiceRole } from "./components/serviceRoles/bedrockServiceRole";
import { GatewayAccessRole } from "./components/gateway/gatewayAccessRole";
import { SERVICE_ROLE_SLUG } from "./components/serviceRoles/serviceRoleConfig";
import { AnthropicUseCaseForm } from "./components/modelAccess/anthropicUseCase";
import { LexBotAliasPolicies } from "./components/serviceRoles/lexBotAliasPolicies";
import { agentCoreModelUsers, metricModelIds, permissionsBoundaryArnOf, readRawStackConfig, readStackConfig } from "./components/stack/stackConfig";
import { planStackPermissions, stackPermissionsBoundaryWarning } from "./components/stack/stackPermissions";
import { AgentCoreRole } from "./components/agentcore/agentCoreRole";
import { AGENTCORE_ROLE_SLUG, allAgentCoreRoles } from "./components/agentcore/agentCoreConfig";
import { ApplicationInferenceProfiles } from "./components/costAttribution/applicationInferenceProfiles";
import { costTagKeys, registerCostAttribution } from "./components/costAttribution/stackCostAttribution";

/** What a user hands to each gateway (Portkey virtual key, Port provider, LiteLLM settings). */
interface GatewayHandoff {
    readonly roleArn: pulumi.Output<string>;
    readonly region: string;
    readonly externalId: pulumi.Output<string> | undefined;
    /** The gateway's application inference profiles: ARN by profile name (the model ID the gateway calls). */
    readonly applicationProfiles: Record<string, pulumi.Output<string>>;
}

interface ServiceRoleHandoff {
    readonly roleArn: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string> | undefined;
}

interface StackOutputs {
    readonly gateways: Record<string, GatewayHandoff>;
    /** Service role ARNs (and created key ARNs) by kind and name: what to give Bedrock when creating the flow, agent, knowledge base or job. */
    readonly serviceRoles: Record<string, Record<string, ServiceRoleHandoff>>;
    /** AgentCore role ARNs by kind (`agentRuntimes`, `agentGateways`, `agentMemories`) and name: the runtime's or gateway's `roleArn`, the memory's `memoryExecutionRoleArn`. */
    readonly agentCoreRoles: Record<string, Record<string, pulumi.Output<string>>>;
    /** VPC endpoint IDs by service. */
    readonly privateEndpoints: Record<string, pulumi.Output<string>>;
    /** bedrock-mantle projects the stack created: ARN by gateway and project name. */
    readonly mantleProjects: Record<string, Record<string, pulumi.Output<string>>>;
    /** Where invocations are logged and watched, when monitoring is on. */
    readonly monitoring:
        | {
              dashboardUrl: string;
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
    const config = readStackConfig();
    const identity = await aws.getCallerIdentity();
    const location: AwsLocation = { partition: config.partition, region: config.region, accountId: identity.accountId };

    // Monitoring's adoption names what this stack left behind in this account: checked before anything registers.
    if (config.monitoring) {
        const adoption = adoptionIssues(config.monitoring, location, pulumi.getStack());
        if (adoption.length > 0) throw new ConfigValidationError(adoption);
    }

    // Resources of another account or region: refused where AWS needs the stack's own, a warning where AWS allows them.
    const ownership = ownershipFindings(referencingValuesOf(readRawStackConfig().projectValues), location);
    if (ownership.issues.length > 0) throw new ConfigValidationError(ownership.issues);
    for (const warning of ownership.warnings) pulumi.log.warn(warning);

    // Every role's permissions, laid out once (and refused when beyond IAM's quotas) before anything registers.
    const permissions = planStackPermissions(config, location);
    // The boundary every role carries; one warning with `none` (the deployer could then escalate through the roles), or when
    // the bootstrap's boundary must name Bedrock's resources by account to fit.
    const permissionsBoundary = permissionsBoundaryArnOf(config.permissionsBoundary, location, pulumi.getStack());
    const boundaryWarning = permissionsBoundary ? stackPermissionsBoundaryWarning(config, location, pulumi.getStack(), permissions, permissionsBoundary) : NO_BOUNDARY_WARNING;
    if (boundaryWarning) pulumi.log.warn(boundaryWarning);

    // Endpoint policies are the stack's data perimeter: built, and checked, before anything registers.
    let endpointPolicies: Partial<Record<EndpointService, PolicyDocument>> = {};
    if (config.privateEndpoints) {
        const built = privateEndpointPolicies(config.privateEndpoints, location);
        if (built.issues.length > 0) throw new ConfigValidationError(built.issues);
        endpointPolicies = built.policies;
    }

    const gateways: Record<string, GatewayHandoff> = {};
    for (const gateway of config.gateways) {
        const access = new GatewayAccessRole(`bedrock-gateway-${gateway.name}`, {
            location,
            gateway,
            iamQuotas: config.iamQuotas,
            permissions: permissions.gateways.get(gateway),
            permissionsBoundary,
            tags: gateway.costTags,
        });
        const profiles = gateway.applicationProfiles.length > 0
            ? new ApplicationInferenceProfiles(`bedrock-gateway-${gateway.name}-profiles`, { location, gatewayName: gateway.name, gatewayTags: gateway.costTags, profiles: gateway.applicationProfiles, defaultTags: config.defaultTags }).arns
            : {};
        gateways[gateway.name] = { roleArn: access.roleArn, region: access.region, externalId: access.externalId, applicationProfiles: profiles };
    }
    const serviceRoles: Record<string, Record<string, ServiceRoleHandoff>> = {};
    const flowRoles: BedrockServiceRole[] = [];
    for (const role of config.serviceRoles) {
        const serviceRole = new BedrockServiceRole(`bedrock-${SERVICE_ROLE_SLUG[role.kind]}-${role.name}`, {
            location,
            role,
            iamQuotas: config.iamQuotas,
            permissions: permissions.serviceRoles.get(role),
            permissionsBoundary,
            tags: role.costTags,
        });
        serviceRoles[role.kind] = { ...serviceRoles[role.kind], [role.name]: { roleArn: serviceRole.roleArn, keyArn: serviceRole.keyArn } };
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
    const monitoring = config.monitoring
        ? new InvocationMonitoring("bedrock-monitoring", { location, stack: pulumi.getStack(), monitoring: config.monitoring, modelIds: metricModelIds([...config.gateways, ...config.serviceRoles, ...agentCoreModelUsers(config.agentCoreRoles)]), watchesMantle: config.gateways.some((gateway) => gateway.apis.includes("mantle")), permissionsBoundary, applicationProfileOwners: config.gateways.filter((gateway) => gateway.applicationProfiles.length > 0).map((gateway) => gateway.name) })
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
        ? new BedrockPrivateEndpoints("bedrock-endpoints", { location, endpoints: config.privateEndpoints, policies: endpointPolicies }).endpointIds
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
