/**
 * Drives the policy pack the way the Pulumi engine does: starts it with the engine's own launcher
 * (`@pulumi/pulumi/cmd/run-policy-pack`, the pack folder as working directory), reads the port it
 * prints, and speaks the Analyzer gRPC protocol to it.
 */
import * as grpc from "@grpc/grpc-js";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";

export const POLICY_PACK_DIR = path.resolve(__dirname, "..", "..", "policypack");

/** The engine's sentinel for values unknown at preview. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A resource as the engine describes it to analyzers. */
export interface AnalyzedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** Properties in the engine's wire form: unknowns as `UNKNOWN_VALUE`, secrets as signed objects. */
    readonly properties: Record<string, unknown>;
    readonly parentUrn?: string;
    /** The resource's provider, as the engine sends it with each resource (`AnalyzerProviderResource`). */
    readonly provider?: AnalyzedProvider;
}

/**
 * A provider as the engine describes it to analyzers: a declared one (`new aws.Provider(...)`) with
 * its inputs, or the stack's default one, whose inputs are the stack's configuration of that
 * package (`aws:region`, `aws:allowedAccountIds`, ...), each value a string as the engine reads it.
 */
export interface AnalyzedProvider {
    /** `pulumi:providers:<package>`. */
    readonly type: string;
    readonly urn: string;
    readonly name: string;
    readonly properties: Record<string, unknown>;
}

export type EnforcementLevelName = "advisory" | "mandatory" | "disabled" | "remediate";

export interface PolicyDiagnostic {
    readonly policyName: string;
    readonly enforcementLevel: EnforcementLevelName;
    readonly message: string;
    readonly urn: string;
}

const LEVEL_NAMES: Record<number, EnforcementLevelName> = {
    [analyzer.EnforcementLevel.ADVISORY]: "advisory",
    [analyzer.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzer.EnforcementLevel.DISABLED]: "disabled",
    [analyzer.EnforcementLevel.REMEDIATE]: "remediate",
};

const LEVEL_VALUES: Record<EnforcementLevelName, analyzer.EnforcementLevel> = {
    advisory: analyzer.EnforcementLevel.ADVISORY,
    mandatory: analyzer.EnforcementLevel.MANDATORY,
    disabled: analyzer.EnforcementLevel.DISABLED,
    remediate: analyzer.EnforcementLevel.REMEDIATE,
};

function unary<Request, Response>(
    call: (request: Request, callback: (error: grpc.ServiceError | null, response: Response) => void) => unknown,
    request: Request,
): Promise<Response> {
    return new Promise((resolve, reject) => call(request, (error, response) => (error ? reject(error) : resolve(response))));
}

function toDiagnostics(response: analyzer.AnalyzeResponse): PolicyDiagnostic[] {
    return response.getDiagnosticsList().map((diagnostic) => ({
        policyName: diagnostic.getPolicyname(),
        enforcementLevel: LEVEL_NAMES[diagnostic.getEnforcementlevel()],
        message: diagnostic.getMessage(),
        urn: diagnostic.getUrn(),
    }));
}

function providerMessage(provider: AnalyzedProvider): analyzer.AnalyzerProviderResource {
    const message = new analyzer.AnalyzerProviderResource();
    message.setType(provider.type);
    message.setUrn(provider.urn);
    message.setName(provider.name);
    message.setProperties(Struct.fromJavaScript(provider.properties as Record<string, never>));
    return message;
}

function resourceOptions(): analyzer.AnalyzerResourceOptions {
    const options = new analyzer.AnalyzerResourceOptions();
    options.setCustomtimeouts(new analyzer.AnalyzerResourceOptions.CustomTimeouts());
    return options;
}

/** Waits for the first line the pack prints on stdout: its port. */
function readPort(child: ChildProcess): Promise<number> {
    return new Promise((resolve, reject) => {
        let stdout = "";
        let stderr = "";
        child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.stdout!.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            const newline = stdout.indexOf("\n");
            if (newline >= 0) resolve(Number(stdout.slice(0, newline).trim()));
        });
        child.on("exit", (code) => reject(new Error(`policy pack exited with code ${code} before printing its port:\n${stderr}`)));
    });
}

/** This process's environment with the given changes; `undefined` removes a variable. */
function packEnvironment(changes: Readonly<Record<string, string | undefined>> | undefined): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const [name, value] of Object.entries(changes ?? {})) {
        if (value === undefined) delete env[name];
        else env[name] = value;
    }
    return env;
}

export interface StartOptions {
    /** The pack folder. If not provided, this project's `policypack/`. */
    readonly packDir?: string;
    /** Per-policy enforcement overrides, as `--policy-pack-config` would send them. */
    readonly enforcement?: Readonly<Record<string, EnforcementLevelName>>;
    /** Per-policy configuration properties, as `--policy-pack-config` would send them (e.g. `{ "aws-access-analyzer-findings": { accessAnalyzer: true } }`). */
    readonly config?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
    /** Environment changes for the pack's process over this one's; `undefined` removes a variable. If not provided, this process's environment. */
    readonly env?: Readonly<Record<string, string | undefined>>;
    readonly project?: string;
    readonly stack?: string;
    readonly dryRun?: boolean;
}

/** The setters an `AnalyzeRequest` and a stack's `AnalyzerResource` share. */
interface ResourceMessage {
    setUrn(value: string): unknown;
    setType(value: string): unknown;
    setName(value: string): unknown;
    setProperties(value: Struct): unknown;
    setOptions(value: analyzer.AnalyzerResourceOptions): unknown;
    setProvider(value: analyzer.AnalyzerProviderResource): unknown;
}

/** The message with the resource as the engine sends it: URN, type, name, properties, options and provider. */
function withResource<Message extends ResourceMessage>(message: Message, resource: AnalyzedResource): Message {
    message.setUrn(resource.urn);
    message.setType(resource.type);
    message.setName(resource.name);
    message.setProperties(Struct.fromJavaScript(resource.properties as Record<string, never>));
    message.setOptions(resourceOptions());
    if (resource.provider) message.setProvider(providerMessage(resource.provider));
    return message;
}

export class PolicyPackClient {
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: AnalyzerClient,
        /** Milliseconds from spawning the launcher to the port being printed. */
        readonly startupMs: number,
    ) {}

    /** Starts the pack and runs the engine's opening calls: ConfigureStack, GetAnalyzerInfo, Configure. */
    static async start(options: StartOptions = {}): Promise<PolicyPackClient> {
        const launcher = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
        const started = process.hrtime.bigint();
        // The engine address is unused by Node packs' launcher; the engine passes its own.
        const child = spawn(process.execPath, [launcher, "127.0.0.1:0", "."], {
            cwd: options.packDir ?? POLICY_PACK_DIR,
            env: packEnvironment(options.env),
            stdio: ["ignore", "pipe", "pipe"],
        });
        let port: number;
        try {
            port = await readPort(child);
        } catch (error) {
            child.kill();
            throw error;
        }
        const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
        const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const pack = new PolicyPackClient(child, client, startupMs);
        await pack.configure(options);
        return pack;
    }

    private async configure(options: StartOptions): Promise<void> {
        const stackRequest = new analyzer.AnalyzerStackConfigureRequest();
        stackRequest.setProject(options.project ?? "bedrock-access");
        stackRequest.setStack(options.stack ?? "example");
        stackRequest.setDryRun(options.dryRun ?? true);
        await unary(this.client.configureStack.bind(this.client), stackRequest);
        const { policies } = await this.info();
        const configureRequest = new analyzer.ConfigureAnalyzerRequest();
        const enforcement = options.enforcement ?? {};
        const properties = options.config ?? {};
        for (const policyName of new Set([...Object.keys(enforcement), ...Object.keys(properties)])) {
            // As the engine does: a policy configured without a level keeps the level the pack declares.
            const level = enforcement[policyName] ?? policies.find((policy) => policy.name === policyName)?.enforcementLevel ?? "advisory";
            const policyConfig = new analyzer.PolicyConfig();
            policyConfig.setEnforcementlevel(LEVEL_VALUES[level]);
            policyConfig.setProperties(Struct.fromJavaScript((properties[policyName] ?? {}) as Record<string, never>));
            configureRequest.getPolicyconfigMap().set(policyName, policyConfig);
        }
        await unary(this.client.configure.bind(this.client), configureRequest);
    }

    /** The pack's name and its policies with their enforcement levels. */
    async info(): Promise<{ name: string; policies: { name: string; description: string; enforcementLevel: EnforcementLevelName }[] }> {
        const response = await unary<Empty, analyzer.AnalyzerInfo>(this.client.getAnalyzerInfo.bind(this.client), new Empty());
        return {
            name: response.getName(),
            policies: response.getPoliciesList().map((policy) => ({
                name: policy.getName(),
                description: policy.getDescription(),
                enforcementLevel: LEVEL_NAMES[policy.getEnforcementlevel()],
            })),
        };
    }

    async analyze(resource: AnalyzedResource): Promise<PolicyDiagnostic[]> {
        const request = withResource(new analyzer.AnalyzeRequest(), resource);
        return toDiagnostics(await unary(this.client.analyze.bind(this.client), request));
    }

    async analyzeStack(resources: readonly AnalyzedResource[]): Promise<PolicyDiagnostic[]> {
        const request = new analyzer.AnalyzeStackRequest();
        request.setResourcesList(
            resources.map((resource) => {
                const message = withResource(new analyzer.AnalyzerResource(), resource);
                if (resource.parentUrn) message.setParent(resource.parentUrn);
                return message;
            }),
        );
        return toDiagnostics(await unary(this.client.analyzeStack.bind(this.client), request));
    }

    close(): void {
        this.client.close();
        this.child.kill();
    }
}
