/**
 * The real Pulumi SDK with a mocked engine (`pulumi.runtime.setMocks`), recording every resource
 * the program registers in the wire form the engine receives, so that the same records can be
 * printed, asserted on, and sent to the policy pack.
 *
 * Call `MockEngine.install` before importing the program, once per process.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AnalyzedProvider, AnalyzedResource, UNKNOWN_VALUE } from "./policyPackClient";

/** One Service Quotas `GetServiceQuota` response, as the API documents it (the fields the provider reads). */
interface ServiceQuotaResponse {
    readonly Quota: {
        readonly ServiceCode: string;
        readonly ServiceName: string;
        readonly QuotaArn: string;
        readonly QuotaCode: string;
        readonly QuotaName: string;
        readonly Value: number;
        readonly Adjustable: boolean;
        readonly GlobalQuota: boolean;
    };
}

let quotaFixtures: readonly ServiceQuotaResponse[] | undefined;

/** The offline value of a quota the fixtures do not hold (one the user names): it cannot be known here, so it is said. */
const PLACEHOLDER_QUOTA_VALUE = 1_000_000;

function placeholderQuota(inputs: Record<string, unknown>): ServiceQuotaResponse["Quota"] {
    const code = String(inputs.quotaCode ?? inputs.quotaName);
    console.warn(`warning: [runtime] quota ${String(inputs.serviceCode)}/${code} is not in the offline fixtures: answered with ${PLACEHOLDER_QUOTA_VALUE} tokens a minute; pulumi preview reads the real value, and fails if the code does not exist`);
    return {
        ServiceCode: String(inputs.serviceCode),
        ServiceName: "Amazon Bedrock",
        QuotaArn: `arn:aws:servicequotas:REGION:ACCOUNT:${String(inputs.serviceCode)}/${code}`,
        QuotaCode: code,
        QuotaName: "(not in the offline fixtures)",
        Value: PLACEHOLDER_QUOTA_VALUE,
        Adjustable: true,
        GlobalQuota: false,
    };
}

/**
 * `aws.servicequotas.getServiceQuota`, answered from recorded responses in the API's shape and
 * mapped as the provider maps them (`dataSourceServiceQuotaRead`); a quota not recorded (a code the
 * user names) is answered with a placeholder value, and a warning says so.
 */
function serviceQuota(inputs: Record<string, unknown>, accountId: string, region: string): Record<string, unknown> {
    quotaFixtures ??= (JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "bedrockTokenQuotas.json"), "utf8")) as { responses: ServiceQuotaResponse[] }).responses;
    const found = quotaFixtures.find(
        ({ Quota }) => Quota.ServiceCode === inputs.serviceCode && (Quota.QuotaCode === inputs.quotaCode || (inputs.quotaCode === undefined && Quota.QuotaName === inputs.quotaName)),
    );
    const quota = found?.Quota ?? placeholderQuota(inputs);
    return {
        adjustable: quota.Adjustable,
        arn: quota.QuotaArn.replace("REGION", region).replace("ACCOUNT", accountId),
        defaultValue: quota.Value,
        globalQuota: quota.GlobalQuota,
        id: `${quota.ServiceCode}/${quota.QuotaCode}`,
        quotaCode: quota.QuotaCode,
        quotaName: quota.QuotaName,
        region,
        serviceCode: quota.ServiceCode,
        serviceName: quota.ServiceName,
        usageMetrics: [],
        value: quota.Value,
    };
}

export interface MockEngineOptions {
    readonly project: string;
    readonly stack: string;
    /** The account `aws.getCallerIdentity` answers with. */
    readonly accountId: string;
    /** Run as `pulumi preview`: outputs the program did not set stay unknown, as in a real preview. */
    readonly preview: boolean;
}

export interface RegisteredResource extends AnalyzedResource {
    readonly custom: boolean;
    /** Resource options the engine would act on at `pulumi destroy`. */
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    /** The `import` option: the ID of an existing resource the engine would adopt instead of creating one. */
    readonly importId?: string;
    /** The `aliases` option as the engine receives it (a spec's unset fields mean the resource's own); absent when none. */
    readonly aliases?: readonly AliasRecord[];
}

/** One alias of a registration: a URN, or a spec of what differs from the resource's own name, type and parent. */
export interface AliasRecord {
    readonly urn?: string;
    readonly name?: string;
    readonly type?: string;
    readonly parentUrn?: string;
}

function aliasesOf(request: RegisterRequest): { aliases?: AliasRecord[] } {
    const aliases = request.getAliasesList().map((alias): AliasRecord => {
        const { urn, spec } = alias.toObject();
        if (urn) return { urn };
        return Object.fromEntries(Object.entries({ name: spec?.name, type: spec?.type, parentUrn: spec?.parenturn }).filter(([, value]) => value)) as AliasRecord;
    });
    return aliases.length > 0 ? { aliases } : {};
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    /** `urn::id` of a declared provider; empty for the package's default provider. */
    getProvider(): string;
    getProtect(): boolean | undefined;
    getRetainondelete(): boolean | undefined;
    getImportid(): string | undefined;
    getAliasesList(): { toObject(): { urn: string; spec?: { name: string; type: string; parenturn: string } } }[];
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface RegisterResponse {
    getUrn(): string;
}
type RegisterCallback = (error: unknown, response?: RegisterResponse) => void;
interface Monitor {
    registerResource(request: RegisterRequest, callback: RegisterCallback): void;
}

/** Replaces secrets by their values and unknowns by `undefined`: what a test compares against. */
export function plainValue(wire: unknown): unknown {
    if (wire === UNKNOWN_VALUE) return undefined;
    if (Array.isArray(wire)) return wire.map(plainValue);
    if (wire !== null && typeof wire === "object") {
        const object = wire as Record<string, unknown>;
        if (object[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return plainValue(object.value);
        return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, plainValue(value)]));
    }
    return wire;
}

export function isSecretValue(wire: unknown): boolean {
    return wire !== null && typeof wire === "object" && (wire as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
}

/** One data-source call the program made: its token and inputs. */
export interface RecordedInvoke {
    readonly token: string;
    readonly inputs: Readonly<Record<string, unknown>>;
}

/**
 * What the AWS provider reports for a created resource whose ID and ARN follow from its inputs
 * (the ID the provider sets, and the ARN AWS gives it), so that references between resources carry
 * real names after a mocked `pulumi up`. Types whose ID AWS chooses (a KMS key, a VPC endpoint)
 * keep the mock's placeholder ID.
 */
function providerOutputs(type: string, name: string, inputs: Record<string, unknown>, accountId: string, region: string): Record<string, unknown> {
    const partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    const named = (key: string) => (typeof inputs[key] === "string" ? (inputs[key] as string) : name);
    switch (type) {
        case "aws:iam/role:Role":
            return { id: named("name"), name: named("name"), arn: `arn:${partition}:iam::${accountId}:role/${named("name")}` };
        case "aws:iam/policy:Policy": {
            const arn = `arn:${partition}:iam::${accountId}:policy/${named("name")}`;
            return { id: arn, name: named("name"), arn };
        }
        case "aws:s3/bucket:Bucket":
            return { id: named("bucket"), bucket: named("bucket"), arn: `arn:${partition}:s3:::${named("bucket")}` };
        case "aws:cloudwatch/logGroup:LogGroup":
            return { id: named("name"), name: named("name"), arn: `arn:${partition}:logs:${region}:${accountId}:log-group:${named("name")}` };
        case "aws:sns/topic:Topic": {
            const arn = `arn:${partition}:sns:${region}:${accountId}:${named("name")}`;
            return { id: arn, name: named("name"), arn };
        }
        case "aws:bedrock/inferenceProfile:InferenceProfile": {
            // AWS chooses the ID (12 lower-case letters and digits): a stand-in derived from the resource's name.
            const id = createHash("sha256").update(name).digest("hex").slice(0, 12);
            return { id: `arn:${partition}:bedrock:${region}:${accountId}:application-inference-profile/${id}`, arn: `arn:${partition}:bedrock:${region}:${accountId}:application-inference-profile/${id}` };
        }
        default:
            return {};
    }
}

export class MockEngine {
    /** Every resource registered since the last `reset`, in registration order. */
    readonly resources: RegisteredResource[] = [];
    /** Every invoke token called since the last `reset`. */
    readonly invokes: string[] = [];
    /** Every invoke called since the last `reset`, with its inputs. */
    readonly invokeCalls: RecordedInvoke[] = [];
    private options: MockEngineOptions;

    private constructor(options: MockEngineOptions) {
        this.options = options;
    }

    static async install(options: MockEngineOptions): Promise<MockEngine> {
        const engine = new MockEngine(options);
        await engine.setMocks();
        return engine;
    }

    /** Switches between preview and update for the programs run from now on. */
    async setPreview(preview: boolean): Promise<void> {
        await this.configure({ preview });
    }

    /** Changes the project (whose configuration namespace programs read), the stack or the mode for the programs run from now on. */
    async configure(options: Partial<Pick<MockEngineOptions, "project" | "stack" | "preview">>): Promise<void> {
        this.options = { ...this.options, ...options };
        await this.setMocks();
    }

    get accountId(): string {
        return this.options.accountId;
    }

    /** Waits until every registration the program started has reached the engine. */
    async settle(): Promise<void> {
        await pulumi.runtime.disconnect();
        await this.setMocks();
    }

    reset(): void {
        this.resources.length = 0;
        this.invokes.length = 0;
        this.invokeCalls.length = 0;
    }

    /** Custom resources (not components) of the given type token. */
    ofType(type: string): RegisteredResource[] {
        return this.resources.filter((resource) => resource.type === type);
    }

    private async setMocks(): Promise<void> {
        await pulumi.runtime.setMocks(
            {
                newResource: (args) => this.newResource(args),
                call: (args) => this.call(args.token, args.inputs as Record<string, unknown>),
            },
            this.options.project,
            this.options.stack,
            this.options.preview,
        );
        this.recordRegistrations(pulumi.runtime.getMonitor() as unknown as Monitor);
    }

    /**
     * The provider the engine would send with a resource: the declared one it names, or the stack's
     * default provider of its package, whose inputs are that package's configuration (every value a
     * string, as the engine reads stack configuration: `aws:allowedAccountIds` arrives as the JSON text).
     */
    private providerOf(request: RegisterRequest, urn: string): AnalyzedProvider | undefined {
        const type = request.getType();
        if (!request.getCustom() || type.startsWith("pulumi:providers:")) return undefined;
        const reference = request.getProvider();
        if (reference) {
            const providerUrn = reference.slice(0, reference.lastIndexOf("::"));
            const declared = this.resources.find((resource) => resource.urn === providerUrn);
            return declared && { type: declared.type, urn: declared.urn, name: declared.name, properties: declared.properties };
        }
        const pkg = type.split(":")[0];
        const prefix = `${pkg}:`;
        const properties = Object.fromEntries(
            Object.entries(pulumi.runtime.allConfig())
                .filter(([key]) => key.startsWith(prefix))
                .map(([key, value]) => [key.slice(prefix.length), value]),
        );
        const stackPrefix = urn.slice(0, urn.indexOf("::", urn.indexOf("::") + 2));
        return { type: `pulumi:providers:${pkg}`, urn: `${stackPrefix}::pulumi:providers:${pkg}::default`, name: "default", properties };
    }

    private recordRegistrations(monitor: Monitor): void {
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (request, callback) =>
            register(request, (error, response) => {
                if (!error && response) {
                    const provider = this.providerOf(request, response.getUrn());
                    this.resources.push({
                        ...(provider ? { provider } : {}),
                        urn: response.getUrn(),
                        type: request.getType(),
                        name: request.getName(),
                        custom: request.getCustom(),
                        protect: request.getProtect() ?? false,
                        retainOnDelete: request.getRetainondelete() ?? false,
                        ...(request.getImportid() ? { importId: request.getImportid() } : {}),
                        ...aliasesOf(request),
                        parentUrn: request.getParent() || undefined,
                        properties: request.getObject()?.toJavaScript() ?? {},
                    });
                }
                callback(error, response);
            });
    }

    private newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        if (this.options.preview) return { id: undefined, state: args.inputs };
        const region = new pulumi.Config("aws").get("region") ?? "us-east-1";
        const { id, ...outputs } = providerOutputs(args.type, args.name, args.inputs as Record<string, unknown>, this.options.accountId, region);
        return { id: typeof id === "string" ? id : `${args.name}-id`, state: { ...args.inputs, ...outputs } };
    }

    private call(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
        this.invokes.push(token);
        this.invokeCalls.push({ token, inputs });
        const accountId = this.options.accountId;
        switch (token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId, arn: `arn:aws:iam::${accountId}:user/offline-check`, userId: "AIDAOFFLINECHECK", id: accountId };
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
            case "aws:index/getRegion:getRegion": {
                const region = new pulumi.Config("aws").get("region") ?? "us-east-1";
                return { region, name: region, id: region };
            }
            case "aws:iam/getRole:getRole":
                return { name: inputs.name, arn: `arn:aws:iam::${accountId}:role/${String(inputs.name)}`, id: inputs.name };
            case "aws:servicequotas/getServiceQuota:getServiceQuota":
                return serviceQuota(inputs, accountId, new pulumi.Config("aws").get("region") ?? "us-east-1");
            default:
                throw new Error(`the offline engine has no answer for invoke ${token}`);
        }
    }
}
