/** Every policy of the pack, importable without starting the pack's server. */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { noWildcardActions } from "./actions";
import { managedPolicyContentKnown } from "./attachments";
import { modelScopedResources } from "./bedrockResources";
import { oidcTrustPinsSubject } from "./oidcTrust";
import { serviceTrustConfusedDeputy } from "./servicePrincipals";
import { trustRequiresExternalId } from "./trustPolicies";

export const POLICY_PACK_NAME = "bedrock-access";

export const policies: readonly (ResourceValidationPolicy | StackValidationPolicy)[] = [
    trustRequiresExternalId,
    modelScopedResources,
    noWildcardActions,
    serviceTrustConfusedDeputy,
    oidcTrustPinsSubject,
    managedPolicyContentKnown,
];
