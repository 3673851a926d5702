/**
 * The IAM policy an identity needs to run `pulumi preview`, `pulumi up` and `pulumi destroy` for
 * exactly one stack, derived from the resources the stack registers: the provider's actions for
 * each resource type (`PROVIDER_ACTIONS`), each scoped to that resource (`RESOURCE_SCOPES`) by the
 * resource types the Service Authorization Reference gives each action; actions that accept only
 * `*` in statements of their own; `iam:PassRole` only for the roles passed to a service.
 */
import { AwsLocation } from "../components/arns/bedrockArns";
import { PolicyConditions, PolicyDocument, PolicyStatement, policyDocument, policyJson, sortedUnique } from "../components/iam/iamDocument";
import { iamPolicySize } from "../components/iam/iamQuotas";
import { PROVIDER_ACTIONS, ProviderActions } from "./providerActions";
import { PASSED_ROLES, RESOURCE_SCOPES, ResourceProperties, ScopeEntry, StackContext } from "./resourceScopes";
import { ActionAuthorization, AuthorizedResourceType, actionAuthorization, authorizedTypeOf, honoursConditionKey } from "./serviceAuthorization";

/** One resource the stack registers, as the deployer reads it. */
export interface DeployedResource {
    readonly type: string;
    readonly name: string;
    readonly properties: ResourceProperties;
    /** Kept by `pulumi destroy`: it needs no delete action. */
    readonly retainOnDelete: boolean;
}

/** One data source the program reads. */
export interface DataSourceCall {
    readonly token: string;
    readonly inputs: ResourceProperties;
}

export type Phase = "read" | "create" | "update" | "delete" | "tag";

/** A statement of the deployer policy, and why it is there: which resources, in which phases. */
export interface ExplainedStatement {
    readonly statement: PolicyStatement;
    /** `aws:s3/bucket:Bucket bedrock-monitoring-logs (read, create, tag)`: one line per resource, with the phases it needs the statement in. */
    readonly reasons: readonly string[];
}

/** Data sources that need no permission: `sts:GetCallerIdentity` is allowed to every identity. */
const FREE_DATA_SOURCES: ReadonlySet<string> = new Set(["aws:index/getCallerIdentity:getCallerIdentity"]);

interface Grant {
    readonly action: string;
    readonly resource: string;
    readonly condition: PolicyConditions | undefined;
    readonly reason: string;
}

function tableEntry(type: string): ProviderActions {
    const entry = PROVIDER_ACTIONS.find((candidate) => candidate.type === type);
    if (!entry) throw new Error(`${type} has no entry in the provider action table (deployer/providerActions.ts)`);
    return entry;
}

function phasesOf(entry: ProviderActions, retainOnDelete: boolean): Map<string, Phase[]> {
    const phases = new Map<string, Phase[]>();
    const add = (phase: Phase, actions: readonly string[]) => {
        for (const action of actions) phases.set(action, [...(phases.get(action) ?? []), phase]);
    };
    add("read", entry.read);
    add("create", entry.create);
    add("update", entry.update);
    add("tag", entry.tag);
    // `pulumi destroy` leaves a resource kept on delete in place: no delete action for it.
    if (!retainOnDelete) add("delete", entry.delete);
    return phases;
}

/** The conditions that bind one action to one scope entry, or undefined when it cannot be bound. */
function conditionFor(
    authorization: ActionAuthorization,
    resourceType: AuthorizedResourceType | undefined,
    entry: ScopeEntry,
    creating: boolean,
    tagging = false,
): { condition: PolicyConditions | undefined } | undefined {
    const equals: Record<string, string> = {};
    const equalsIfExists: Record<string, string> = {};
    // Reading needs no proof of ownership, and a new resource's tags take minutes to count in
    // authorization: reads of a tag-identified resource are not bound to its tags.
    const reading = authorization.accessLevel === "Read" || authorization.accessLevel === "List";
    const narrowing = { ...entry.narrowing, ...(creating ? entry.creationNarrowing : {}), ...(reading ? {} : entry.writeNarrowing) };
    for (const [key, value] of Object.entries(narrowing)) {
        if (honoursConditionKey(authorization, resourceType, key)) equals[key] = value;
    }
    const everyValue: Record<string, string | readonly string[]> = {};
    const present: Record<string, string> = {};
    for (const [key, values] of Object.entries(entry.everyValueIn ?? {})) {
        if (!honoursConditionKey(authorization, resourceType, key)) continue;
        everyValue[key] = values.length === 1 ? values[0] : [...values].sort();
        // ForAllValues holds when the key is absent: the request must carry it.
        present[key] = "false";
    }
    const multivalued = Object.keys(everyValue).length > 0 ? { "ForAllValues:StringEquals": everyValue, Null: present } : {};
    if (entry.tags && (!reading || entry.readsBoundToTags)) {
        // A pattern ARN is bound by the stack's tags: in the request when the resource is being
        // created (it has no tags yet), on the resource afterwards.
        const requestTags = creating && Object.keys(entry.tags).every((key) => honoursConditionKey(authorization, resourceType, `aws:RequestTag/${key}`));
        const tagKind = requestTags ? "aws:RequestTag" : "aws:ResourceTag";
        if (!Object.keys(entry.tags).every((key) => honoursConditionKey(authorization, resourceType, `${tagKind}/${key}`))) return undefined;
        for (const [key, value] of Object.entries(entry.tags)) equals[`${tagKind}/${key}`] = value;
        // Tagging by the request's tags alone would let the deployer re-tag another's resource (another stack's profile) to its
        // own owner tag and so take it over. Tagging as the resource is created is authorized as TagResource on the new
        // resource, which carries no tag yet: its owner tag, where it has one, must already be the stack's.
        const resourceTagsHonoured = Object.keys(entry.tags).every((key) => honoursConditionKey(authorization, resourceType, `aws:ResourceTag/${key}`));
        if (tagging && requestTags && resourceTagsHonoured) {
            for (const [key, value] of Object.entries(entry.tags)) equalsIfExists[`aws:ResourceTag/${key}`] = value;
        }
    }
    const condition: PolicyConditions = {
        ...(Object.keys(equals).length > 0 ? { StringEquals: equals } : {}),
        ...(Object.keys(equalsIfExists).length > 0 ? { StringEqualsIfExists: equalsIfExists } : {}),
        ...multivalued,
    };
    return { condition: Object.keys(condition).length > 0 ? condition : undefined };
}

const conditionKey = (condition: PolicyConditions | undefined) => (condition ? JSON.stringify(condition) : "");

/** `type name\0phases` entries -> one line per resource with every phase it needs the statement for. */
function describeReasons(reasons: ReadonlySet<string>): string[] {
    const phasesByResource = new Map<string, Set<string>>();
    for (const reason of reasons) {
        const [resource, phases] = reason.split("\u0000");
        const known = phasesByResource.get(resource) ?? new Set<string>();
        for (const phase of phases.split(",")) known.add(phase);
        phasesByResource.set(resource, known);
    }
    const order = ["read", "create", "update", "tag", "delete"];
    const rank = (phase: string) => (order.includes(phase) ? order.indexOf(phase) : order.length);
    return [...phasesByResource]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([resource, phases]) => `${resource} (${[...phases].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).join(", ")})`);
}

async function grantsFor(type: string, name: string, phases: Map<string, Phase[]>, scope: readonly ScopeEntry[]): Promise<Grant[]> {
    const grants: Grant[] = [];
    for (const [action, actionPhases] of phases) {
        const authorization = await actionAuthorization(action);
        const reason = `${type} ${name}\u0000${actionPhases.join(",")}`;
        const creating = actionPhases.includes("create");
        const tagging = actionPhases.includes("tag");
        if (authorization.wildcardOnly) {
            // Accepts only `*`: bound by the stack's tags in the request where the action honours them.
            const tagged = scope.find((entry) => entry.tags);
            const bound = tagged && creating ? conditionFor(authorization, undefined, { arn: "*", tags: tagged.tags }, true) : undefined;
            grants.push({ action: authorization.action, resource: "*", condition: bound?.condition, reason });
            continue;
        }
        // Tags are written on the resource itself, never on what it is attached to.
        const candidates = tagging ? scope.filter((entry) => !entry.related) : scope;
        const matching: { entry: ScopeEntry; resourceType: AuthorizedResourceType }[] = [];
        for (const entry of candidates) {
            const resourceType = await authorizedTypeOf(authorization, entry.arn);
            if (resourceType) matching.push({ entry, resourceType });
        }
        if (matching.length === 0) {
            throw new Error(`${authorization.action} (for ${type}) authorizes none of the resource's ARNs: ${scope.map((entry) => entry.arn).join(", ") || "(none)"}`);
        }
        for (const { entry, resourceType } of matching) {
            if (entry.administeredByItsPolicy) {
                // Only the tags the create call writes (KMS authorizes them in IAM, on any key of the region); the rest
                // comes from the resource's own policy, which names the deployer.
                const writtenAtCreation = tagging && Object.keys(entry.tags ?? {}).every((key) => honoursConditionKey(authorization, resourceType, `aws:RequestTag/${key}`));
                if (!writtenAtCreation) continue;
                const bound = conditionFor(authorization, resourceType, entry, true);
                if (bound) grants.push({ action: authorization.action, resource: entry.arn, condition: bound.condition, reason });
                continue;
            }
            // Tagging happens as the resource is created (tags in the request) and afterwards (tags on it).
            const variants = tagging && (entry.tags || entry.creationNarrowing) ? [true, false] : [creating];
            const conditions = new Set<string>();
            for (const whileCreating of variants) {
                // Tags written by the create call only where the action can tell (ec2:CreateAction): never on existing resources.
                const creationKeys = Object.keys(entry.creationNarrowing ?? {});
                if (tagging && whileCreating && !creating && !creationKeys.every((key) => honoursConditionKey(authorization, resourceType, key))) continue;
                const bound = conditionFor(authorization, resourceType, entry, whileCreating, tagging);
                if (!bound) throw new Error(`${authorization.action} (for ${type}) honours none of the tag conditions that identify ${entry.arn}`);
                const key = conditionKey(bound.condition);
                if (conditions.has(key)) continue;
                conditions.add(key);
                grants.push({ action: authorization.action, resource: entry.arn, condition: bound.condition, reason });
            }
        }
    }
    return grants;
}

function passRoleGrants(resource: DeployedResource): Grant[] {
    const passed = PASSED_ROLES[resource.type]?.(resource.properties) ?? [];
    return passed.map((role) => ({
        action: "iam:PassRole",
        resource: role.roleArn,
        condition: { StringEquals: { "iam:PassedToService": role.service } },
        reason: `${resource.type} ${resource.name}\u0000passes it to ${role.service}`,
    }));
}

/**
 * Merges grants into statements: actions with the same resources and conditions share one
 * statement. Deterministic: the same stack always gives the same statements in the same order.
 */
function statementsOf(grants: readonly Grant[]): ExplainedStatement[] {
    // action + condition -> resources
    const byActionCondition = new Map<string, { action: string; condition: PolicyConditions | undefined; resources: Set<string>; reasons: Set<string> }>();
    for (const grant of grants) {
        const key = `${grant.action}\u0000${conditionKey(grant.condition)}`;
        const entry = byActionCondition.get(key) ?? { action: grant.action, condition: grant.condition, resources: new Set<string>(), reasons: new Set<string>() };
        entry.resources.add(grant.resource);
        entry.reasons.add(grant.reason);
        byActionCondition.set(key, entry);
    }
    // resources + condition -> actions
    const byScope = new Map<string, { resources: string[]; condition: PolicyConditions | undefined; actions: Set<string>; reasons: Set<string> }>();
    for (const entry of byActionCondition.values()) {
        const resources = sortedUnique(entry.resources);
        const key = `${JSON.stringify(resources)}\u0000${conditionKey(entry.condition)}`;
        const merged = byScope.get(key) ?? { resources, condition: entry.condition, actions: new Set<string>(), reasons: new Set<string>() };
        merged.actions.add(entry.action);
        for (const reason of entry.reasons) merged.reasons.add(reason);
        byScope.set(key, merged);
    }
    const merged = [...byScope.values()].map((entry) => ({ ...entry, actions: sortedUnique(entry.actions) }));
    // Scoped statements first, by their first action; statements on `*` last.
    merged.sort((a, b) => {
        const wildcardA = a.resources.includes("*") ? 1 : 0;
        const wildcardB = b.resources.includes("*") ? 1 : 0;
        if (wildcardA !== wildcardB) return wildcardA - wildcardB;
        const byAction = a.actions[0].localeCompare(b.actions[0]);
        return byAction !== 0 ? byAction : JSON.stringify([a.resources, a.condition]).localeCompare(JSON.stringify([b.resources, b.condition]));
    });
    const sidCounts = new Map<string, number>();
    return merged.map((entry) => {
        const service = entry.actions[0].split(":")[0].replace(/[^a-z0-9]/gi, "");
        const base = entry.resources.includes("*") ? "AcceptsOnlyWildcard" : `${service.charAt(0).toUpperCase()}${service.slice(1)}Statement`;
        const count = (sidCounts.get(base) ?? 0) + 1;
        sidCounts.set(base, count);
        const statement: PolicyStatement = {
            Sid: `${base}${count}`,
            Effect: "Allow",
            Action: entry.actions.length === 1 ? entry.actions[0] : entry.actions,
            Resource: entry.resources.length === 1 ? entry.resources[0] : entry.resources,
            ...(entry.condition ? { Condition: entry.condition } : {}),
        };
        return { statement, reasons: describeReasons(entry.reasons) };
    });
}

/** Every statement the deployer needs for these resources and data sources, with its reasons. */
export async function deployerStatements(
    location: AwsLocation,
    resources: readonly DeployedResource[],
    dataSources: readonly DataSourceCall[],
): Promise<ExplainedStatement[]> {
    const grants: Grant[] = [];
    const roles = resources.filter((resource) => resource.type === "aws:iam/role:Role");
    const boundaries = new Set(roles.map((role) => role.properties.permissionsBoundary).filter((arn): arn is string => typeof arn === "string" && arn !== ""));
    if (boundaries.size > 1) throw new Error(`the stack's roles carry different permissions boundaries (${[...boundaries].join(", ")}): one stack, one boundary`);
    const stack: StackContext = {
        createdRoleNames: new Set(roles.map((resource) => String(resource.properties.name))),
        permissionsBoundary: [...boundaries][0],
        alarmCount: resources.filter((resource) => resource.type === "aws:cloudwatch/metricAlarm:MetricAlarm").length,
    };
    for (const resource of resources) {
        const scopeOf = RESOURCE_SCOPES[resource.type];
        if (!scopeOf) throw new Error(`${resource.type} has no scope in deployer/resourceScopes.ts`);
        const entry = tableEntry(resource.type);
        grants.push(...(await grantsFor(resource.type, resource.name, phasesOf(entry, resource.retainOnDelete), scopeOf(resource.properties, location, stack))));
        grants.push(...passRoleGrants(resource));
    }
    for (const call of dataSources) {
        if (FREE_DATA_SOURCES.has(call.token)) continue;
        const scopeOf = RESOURCE_SCOPES[call.token];
        if (!scopeOf) throw new Error(`data source ${call.token} has no scope in deployer/resourceScopes.ts`);
        const entry = tableEntry(call.token);
        grants.push(...(await grantsFor(call.token, String(call.inputs.name ?? ""), phasesOf(entry, true), scopeOf(call.inputs, location, stack))));
    }
    return [...statementsOf(grants), ...boundaryDenials(location, stack.permissionsBoundary)];
}

/** The boundary's ARN when it is a policy of this account (one the deployer could otherwise reach). */
function boundaryInAccount(location: AwsLocation, boundary: string | undefined): string | undefined {
    return boundary && boundary.startsWith(`arn:${location.partition}:iam::${location.accountId}:policy/`) ? boundary : undefined;
}

/**
 * Explicit denials that hold whatever else the deploying role is given (another policy attached by
 * hand, a wider copy): a role's boundary is never removed, never replaced by another, no role is
 * created without it, and the boundary policy itself is never rewritten or deleted.
 */
export function boundaryDenials(location: AwsLocation, boundary: string | undefined): ExplainedStatement[] {
    const roles = `arn:${location.partition}:iam::${location.accountId}:role/*`;
    const statements: ExplainedStatement[] = [
        {
            statement: { Sid: "NeverRemoveRoleBoundary", Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: roles },
            reasons: ["no role of the account loses its permissions boundary through the deployer"],
        },
    ];
    if (!boundary) return statements;
    statements.push({
        statement: {
            Sid: "RolesOnlyWithStackBoundary",
            Effect: "Deny",
            Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
            Resource: roles,
            Condition: { StringNotEquals: { "iam:PermissionsBoundary": boundary } },
        },
        reasons: [`no role is created, and no role's boundary is set, with any boundary but ${boundary}`],
    });
    const inAccount = boundaryInAccount(location, boundary);
    if (inAccount) {
        statements.push({
            statement: {
                Sid: "NeverChangeBoundaryPolicy",
                Effect: "Deny",
                Action: ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"],
                Resource: inAccount,
            },
            reasons: ["the boundary policy is the bootstrap's (an administrator's): the deployer never rewrites, replaces or deletes it"],
        });
    }
    return statements;
}

function splitStatement(statement: PolicyStatement): PolicyStatement[] {
    const resources = Array.isArray(statement.Resource) ? (statement.Resource as string[]) : [];
    if (resources.length < 2) throw new Error(`statement ${statement.Sid} alone exceeds a managed policy's size`);
    const half = Math.ceil(resources.length / 2);
    return [
        { ...statement, Sid: `${statement.Sid}A`, Resource: resources.slice(0, half) },
        { ...statement, Sid: `${statement.Sid}B`, Resource: resources.slice(half) },
    ];
}

/**
 * The statements as managed policy documents within `maxCharacters` each (IAM's count, without
 * whitespace), filled in order; a statement too large alone is split by its resources.
 */
export function splitIntoDocuments(statements: readonly PolicyStatement[], maxCharacters: number): PolicyDocument[] {
    const documents: PolicyStatement[][] = [];
    let current: PolicyStatement[] = [];
    const fits = (candidate: PolicyStatement[]) => iamPolicySize(policyJson(policyDocument(candidate))) <= maxCharacters;
    const queue = [...statements];
    while (queue.length > 0) {
        const statement = queue.shift() as PolicyStatement;
        if (fits([...current, statement])) {
            current.push(statement);
        } else if (current.length > 0) {
            documents.push(current);
            current = [];
            queue.unshift(statement);
        } else {
            queue.unshift(...splitStatement(statement));
        }
    }
    if (current.length > 0) documents.push(current);
    return documents.map(policyDocument);
}

/** The deployer policy of one stack: the documents to attach, in order, and why each statement is there. */
export interface DeployerPolicy {
    readonly documents: readonly PolicyDocument[];
    /** The reasons of each statement, by its Sid (a split statement's parts share their Sid's reasons). */
    readonly reasons: ReadonlyMap<string, readonly string[]>;
}

export async function deployerPolicy(
    location: AwsLocation,
    resources: readonly DeployedResource[],
    dataSources: readonly DataSourceCall[],
    managedPolicyCharacters: number,
): Promise<DeployerPolicy> {
    const explained = await deployerStatements(location, resources, dataSources);
    return {
        documents: splitIntoDocuments(
            explained.map((entry) => entry.statement),
            managedPolicyCharacters,
        ),
        reasons: new Map(explained.map((entry) => [entry.statement.Sid, entry.reasons])),
    };
}
