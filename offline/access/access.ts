/**
 * The stack's effective access, as a reviewer reads it: for each role, who may assume it (principals
 * and the conditions that bind them) and what it may do; for each resource policy, who may do what
 * on it. Built from the documents the program registers (at preview), in one normalized form that
 * the access summary prints and the access baseline compares. External IDs are never shown: only
 * that one is required.
 */
import { plainValue } from "../engine/mockEngine";
import { AnalyzedResource } from "../engine/policyPackClient";
import { ATTACHMENT_PROPERTIES, documentsOf } from "../../policypack/policies/documents";
import { awsManagedPolicyDocument } from "../../policypack/policies/managedPolicies";
import { NormalizedPrincipal, NormalizedStatement, normalizePolicyDocument } from "../../policypack/policies/normalize";

/** A condition as a reviewer reads it: `StringEquals sts:ExternalId (set)`, `ArnLike aws:SourceArn arn:...`. */
export interface AccessCondition {
    readonly operator: string;
    /** As the document writes it (IAM compares keys case-insensitively). */
    readonly key: string;
    /** Sorted; the external ID's value is replaced by `(set)`. */
    readonly values: readonly string[];
}

/** One grant: an effect, actions (as written), resources, and the conditions that bind it. */
export interface AccessGrant {
    readonly effect: "Allow" | "Deny";
    /** Who it is for, in resource and trust policies (`AWS arn:...`, `Service bedrock.amazonaws.com`); empty in identity policies. */
    readonly principals: readonly string[];
    readonly actions: readonly string[];
    /** `NotResource` resources are prefixed `not `. */
    readonly resources: readonly string[];
    readonly conditions: readonly AccessCondition[];
}

export interface RoleAccess {
    /** The role's IAM name where known, else the resource's name. */
    readonly role: string;
    /** Where it comes from: `aws:iam/role:Role bedrock-gateway-portkey`, or `existing role` for `attachToRole`. */
    readonly source: string;
    /** Who may assume it; empty for an existing role the stack only adds permissions to. */
    readonly trust: readonly AccessGrant[];
    readonly grants: readonly AccessGrant[];
}

export interface ResourcePolicyAccess {
    /** `aws:s3/bucketPolicy:BucketPolicy bedrock-monitoring-logs`. */
    readonly resource: string;
    readonly grants: readonly AccessGrant[];
}

/** A managed policy the stack writes for others to attach (no attachment of this stack uses it). */
export interface ManagedPolicyAccess {
    /** `aws:iam/policy:Policy bedrock-monitoring-usage-reader`, with the policy's IAM name. */
    readonly policy: string;
    readonly grants: readonly AccessGrant[];
}

export interface StackAccess {
    readonly roles: readonly RoleAccess[];
    readonly resourcePolicies: readonly ResourcePolicyAccess[];
    /** Absent in baselines written before the stack wrote such policies. */
    readonly unattachedPolicies?: readonly ManagedPolicyAccess[];
    /** Documents that could not be read (unknown at preview, or unparseable): they are not in the summary. */
    readonly unreadable: readonly string[];
}

const SECRET_CONDITION_KEYS = new Set(["sts:externalid"]);

/**
 * A secret condition's values, never shown: `(set)` for one exact value; otherwise their shape, so
 * that a pattern or a second accepted value reads, and compares, as the change it is.
 */
function maskedSecret(operator: string, values: readonly string[]): string[] {
    const patterns = values.filter((value) => /[*?]/.test(value)).length;
    if (values.length === 1 && patterns === 0 && operator === "StringEquals") return ["(set)"];
    return [`(${values.length} value${values.length === 1 ? "" : "s"}${patterns > 0 ? `, ${patterns} with wildcards` : ""})`];
}

function principalsOf(principal: NormalizedPrincipal | undefined, not: boolean): string[] {
    if (!principal) return [];
    const prefix = not ? "not " : "";
    if (principal.everyone) return [`${prefix}*`];
    return [
        ...principal.aws.map((arn) => `${prefix}AWS ${arn}`),
        ...principal.service.map((service) => `${prefix}Service ${service}`),
        ...principal.federated.map((provider) => `${prefix}Federated ${provider}`),
    ].sort();
}

function grantOf(statement: NormalizedStatement): AccessGrant {
    const conditions = statement.conditions
        .map((condition) => ({
            operator: condition.operator,
            key: condition.writtenKey,
            values: SECRET_CONDITION_KEYS.has(condition.key) ? maskedSecret(condition.operator, condition.values) : [...condition.values].sort(),
        }))
        .sort((a, b) => `${a.key.toLowerCase()} ${a.operator}`.localeCompare(`${b.key.toLowerCase()} ${b.operator}`));
    return {
        effect: statement.effect === "allow" ? "Allow" : "Deny",
        principals: [...principalsOf(statement.principal, false), ...principalsOf(statement.notPrincipal, true)],
        actions: statement.notActions ? statement.notActions.map((action) => `not ${action}`) : [...statement.actions],
        resources: statement.notResources ? statement.notResources.map((resource) => `not ${resource}`) : [...statement.resources],
        conditions,
    };
}

const conditionsKey = (grant: AccessGrant) => JSON.stringify([grant.effect, grant.principals, grant.conditions]);

/**
 * One line per grant, merged where identical: actions with the same effect, principals, resources
 * and conditions share a grant; resources and actions sorted, so reordered or re-split statements
 * read the same.
 */
export function mergeGrants(grants: readonly AccessGrant[]): AccessGrant[] {
    // A NotPrincipal, NotAction or NotResource grant reaches all but what it lists: merging two would
    // intersect what they reach, so they are kept whole.
    const negated = (grant: AccessGrant) => [...grant.principals, ...grant.actions, ...grant.resources].some((item) => item.startsWith("not "));
    const whole = grants.filter(negated);
    // Explode to single actions, gather each action's resources per (effect, principals, conditions).
    const resourcesByAction = new Map<string, { grant: AccessGrant; action: string; resources: Set<string> }>();
    for (const grant of grants.filter((candidate) => !negated(candidate))) {
        for (const action of grant.actions) {
            const key = `${conditionsKey(grant)}\u0000${action.toLowerCase()}`;
            const entry = resourcesByAction.get(key) ?? { grant, action, resources: new Set<string>() };
            for (const resource of grant.resources) entry.resources.add(resource);
            resourcesByAction.set(key, entry);
        }
    }
    const merged = new Map<string, AccessGrant & { actions: string[] }>();
    for (const { grant, action, resources } of resourcesByAction.values()) {
        const sortedResources = [...resources].sort();
        const key = `${conditionsKey(grant)}\u0000${JSON.stringify(sortedResources)}`;
        const entry = merged.get(key) ?? { ...grant, actions: [], resources: sortedResources };
        entry.actions.push(action);
        merged.set(key, entry);
    }
    return [...merged.values(), ...whole]
        .map((grant) => ({ ...grant, actions: [...new Set(grant.actions)].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())) }))
        .sort((a, b) => JSON.stringify([a.effect, a.principals, a.actions, a.resources]).localeCompare(JSON.stringify([b.effect, b.principals, b.actions, b.resources])));
}

function statementsOf(document: unknown, where: string, unreadable: string[]): NormalizedStatement[] {
    const normalized = normalizePolicyDocument(document);
    if (!normalized.ok) {
        unreadable.push(`${where}: ${normalized.problem}`);
        return [];
    }
    return [...normalized.statements];
}

/**
 * The grants of one policy document (a JSON string or an object), merged as the summary merges
 * them, external IDs masked; `problem` says why the document could not be read.
 */
export function documentGrants(document: unknown): { readonly grants: AccessGrant[]; readonly problem: string | undefined } {
    const unreadable: string[] = [];
    const grants = mergeGrants(statementsOf(document, "document", unreadable).map(grantOf));
    return { grants, problem: unreadable[0] };
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/** The stack's effective access, from the resources it registers (in the engine's wire form). */
export function stackAccess(registered: readonly AnalyzedResource[]): StackAccess {
    const unreadable: string[] = [];
    const resources = registered.map((resource) => ({ ...resource, plain: plainValue(resource.properties) as Record<string, unknown> }));
    const roles = new Map<string, { role: string; source: string; trust: AccessGrant[]; grants: AccessGrant[] }>();
    const roleEntry = (role: string, source: string) => {
        const entry = roles.get(role) ?? { role, source, trust: [], grants: [] };
        roles.set(role, entry);
        return entry;
    };
    // The stack's roles by component: a policy whose role is unknown at preview belongs to its component's role.
    const rolesOfParent = new Map<string, string[]>();
    for (const resource of resources.filter((candidate) => candidate.type === "aws:iam/role:Role")) {
        const role = text(resource.plain.name) ?? resource.name;
        if (resource.parentUrn) rolesOfParent.set(resource.parentUrn, [...(rolesOfParent.get(resource.parentUrn) ?? []), role]);
        const entry = roleEntry(role, `${resource.type} ${resource.name}`);
        const trust = resource.plain.assumeRolePolicy;
        if (trust === undefined) unreadable.push(`${resource.type} ${resource.name}: assumeRolePolicy (unknown at preview)`);
        else entry.trust.push(...statementsOf(trust, `${resource.type} ${resource.name}: assumeRolePolicy`, unreadable).map(grantOf));
    }
    const roleOf = (resource: (typeof resources)[number]): string | undefined => {
        const siblings = resource.parentUrn ? (rolesOfParent.get(resource.parentUrn) ?? []) : [];
        return text(resource.plain.role) ?? (siblings.length === 1 ? siblings[0] : undefined);
    };

    const managedPolicies = resources.filter((candidate) => candidate.type === "aws:iam/policy:Policy");
    const managedByName = new Map(managedPolicies.map((policy) => [policy.name, policy]));
    const managedByArn = new Map(managedPolicies.flatMap((policy) => (text(policy.plain.arn) ? [[String(policy.plain.arn), policy] as const] : [])));
    const resourcePolicies: ResourcePolicyAccess[] = [];
    const attachedPolicies = new Set<(typeof resources)[number]>();
    for (const resource of resources) {
        const where = `${resource.type} ${resource.name}`;
        if (resource.type === "aws:iam/rolePolicy:RolePolicy" || resource.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment") {
            const role = roleOf(resource);
            if (!role) {
                unreadable.push(`${where}: role (unknown at preview)`);
                continue;
            }
            const entry = roleEntry(role, roles.has(role) ? roles.get(role)!.source : "existing role");
            if (resource.type === "aws:iam/rolePolicy:RolePolicy") {
                entry.grants.push(...statementsOf(resource.plain.policy, `${where}: policy`, unreadable).map(grantOf));
                continue;
            }
            // An attachment: the stack's own managed policy (same logical name), or an AWS managed policy by ARN.
            const arn = text(resource.plain.policyArn);
            // By ARN when it is known; at preview (the stack's own policy has no ARN yet) by the shared logical name.
            const own = arn ? managedByArn.get(arn) : managedByName.get(resource.name);
            if (own) attachedPolicies.add(own);
            const document = own ? own.plain.policy : arn && awsManagedPolicyDocument(arn);
            if (document !== undefined) entry.grants.push(...statementsOf(document, `${where}: ${own ? own.name : arn}`, unreadable).map(grantOf));
            else if (arn) entry.grants.push({ effect: "Allow", principals: [], actions: [`attaches ${arn}`], resources: [], conditions: [] });
            else unreadable.push(`${where}: policyArn (unknown at preview, and not a policy of this stack)`);
            continue;
        }
        if (resource.type === "aws:iam/role:Role") {
            // Inline and attached documents written on the role itself.
            const role = text(resource.plain.name) ?? resource.name;
            for (const document of documentsOf(resource.type, resource.plain, ["identity"])) {
                roleEntry(role, where).grants.push(...statementsOf(document.document, `${where}: ${document.property}`, unreadable).map(grantOf));
            }
            roleEntry(role, where).grants.push(...unjudgedAttachments(resource.type, resource.plain));
            continue;
        }
        // The stack's own managed policies are read through their attachments.
        if (resource.type === "aws:iam/policy:Policy") continue;
        // Anything else: its documents of every kind (other identities' policies, attachments, aws-native types,
        // resource policies), so that nothing the stack writes is left out of the summary.
        const documents = documentsOf(resource.type, resource.plain);
        const grants = [
            ...documents.flatMap((document) =>
                statementsOf(document.document, `${where}: ${document.property}`, unreadable).map((statement) =>
                    document.kind === "trust" ? { ...grantOf(statement), actions: grantOf(statement).actions.map((action) => `assume: ${action}`) } : grantOf(statement),
                ),
            ),
            ...unjudgedAttachments(resource.type, resource.plain),
        ];
        if (resource.type === "aws:lambda/permission:Permission") grants.push(...lambdaPermissionGrants(resource.plain));
        if (grants.length > 0) resourcePolicies.push({ resource: where, grants: mergeGrants(grants) });
    }
    const unattachedPolicies = managedPolicies
        .filter((policy) => !attachedPolicies.has(policy))
        .map((policy) => {
            const where = `${policy.type} ${policy.name}`;
            return { policy: `${text(policy.plain.name) ?? policy.name} (${where})`, grants: mergeGrants(statementsOf(policy.plain.policy, `${where}: policy`, unreadable).map(grantOf)) };
        });
    return {
        roles: [...roles.values()].map((role) => ({ ...role, trust: mergeGrants(role.trust), grants: mergeGrants(role.grants) })).sort((a, b) => a.role.localeCompare(b.role)),
        resourcePolicies: resourcePolicies.sort((a, b) => a.resource.localeCompare(b.resource)),
        unattachedPolicies: unattachedPolicies.sort((a, b) => a.policy.localeCompare(b.policy)),
        unreadable,
    };
}

/** Attachments whose content is not known here (a customer managed policy by ARN): shown, and compared, as what they attach. */
function unjudgedAttachments(type: string, props: Record<string, unknown>): AccessGrant[] {
    const property = ATTACHMENT_PROPERTIES.get(type);
    if (!property) return [];
    const value = props[property];
    const arns = (Array.isArray(value) ? value : [value]).filter((arn): arn is string => typeof arn === "string");
    return arns
        .filter((arn) => awsManagedPolicyDocument(arn) === undefined)
        .map((arn) => ({ effect: "Allow" as const, principals: [], actions: [`attaches ${arn}`], resources: [], conditions: [] }));
}

/** A Lambda permission is a resource policy statement in other words. */
function lambdaPermissionGrants(permission: Record<string, unknown>): AccessGrant[] {
    const conditions: AccessCondition[] = [];
    if (text(permission.sourceAccount)) conditions.push({ operator: "StringEquals", key: "aws:SourceAccount", values: [String(permission.sourceAccount)] });
    if (text(permission.sourceArn)) conditions.push({ operator: "ArnLike", key: "aws:SourceArn", values: [String(permission.sourceArn)] });
    if (text(permission.principalOrgId)) conditions.push({ operator: "StringEquals", key: "aws:PrincipalOrgID", values: [String(permission.principalOrgId)] });
    if (text(permission.functionUrlAuthType)) conditions.push({ operator: "StringEquals", key: "lambda:FunctionUrlAuthType", values: [String(permission.functionUrlAuthType)] });
    if (text(permission.eventSourceToken)) conditions.push({ operator: "StringEquals", key: "lambda:EventSourceToken", values: ["(set)"] });
    const qualifier = text(permission.qualifier);
    const principal = String(permission.principal ?? "*");
    return [
        {
            effect: "Allow",
            principals: [principal.endsWith(".amazonaws.com") ? `Service ${principal}` : principal === "*" ? "*" : `AWS ${principal}`],
            actions: [String(permission.action ?? "")],
            resources: [`${String(permission.function ?? "")}${qualifier ? `:${qualifier}` : ""}`],
            conditions,
        },
    ];
}
