/** Every policy of the pack, importable without starting the pack's server. */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { accessAnalyzerAdvisories, accessAnalyzerFindings } from "./accessAnalyzer";
import { noWildcardActions } from "./actions";
import { actionsExist } from "./actionsExist";
import { managedPolicyContentKnown } from "./attachments";
import { modelRegionsPinned, modelScopedResources } from "./bedrockResources";
import { bedrockEndpointPerimeter } from "./endpointPerimeter";
import { oidcTrustPinsSubject } from "./oidcTrust";
import { resourcePoliciesNotPublic } from "./publicExposure";
import { resourcesScoped } from "./resourceScope";
import { roleHasPermissionsBoundary } from "./permissionsBoundary";
import { serviceTrustConfusedDeputy } from "./servicePrincipals";
import { serviceControlPoliciesDenyOnly } from "./serviceControlPolicies";
import { trustNamesPrincipals, trustRequiresExternalId } from "./trustPolicies";

export const POLICY_PACK_NAME = "bedrock-access";

export const policies: readonly (ResourceValidationPolicy | StackValidationPolicy)[] = [
    trustRequiresExternalId,
    modelScopedResources,
    noWildcardActions,
    serviceTrustConfusedDeputy,
    oidcTrustPinsSubject,
    managedPolicyContentKnown,
    roleHasPermissionsBoundary,
    trustNamesPrincipals,
    resourcesScoped,
    resourcePoliciesNotPublic,
    modelRegionsPinned,
    actionsExist,
    serviceControlPoliciesDenyOnly,
    bedrockEndpointPerimeter,
    // The findings policy hands its advisories to the next one: the SDK runs stack policies in this order.
    accessAnalyzerFindings,
    accessAnalyzerAdvisories,
];
