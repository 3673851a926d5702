/**
 * Runs the `bedrock-access` component plugin as the Pulumi engine does: the nodejs language host's
 * launcher (`@pulumi/pulumi/cmd/run-plugin <plugin dir> <engine address>`) started from a consumer's
 * folder, the port read from the first line of stdout, then GetSchema and Construct over the real
 * ResourceProvider gRPC protocol, against a small fake engine and resource monitor started here.
 */
import * as grpc from "@grpc/grpc-js";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import { ResourceMonitorService } from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resourcePb from "@pulumi/pulumi/proto/resource_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerPb from "@pulumi/pulumi/proto/provider_pb";

export const PLUGIN_DIR = path.resolve(__dirname, "..", "..", "pulumi-package");
const RUN_PLUGIN = path.dirname(require.resolve("@pulumi/pulumi/cmd/run-plugin/run.js"));

/** The wire form of a secret value (`rpc.specialSigKey` / `specialSecretSig`). */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function secretValue(value: unknown): Record<string, unknown> {
    return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

/** One RegisterResource call the plugin made. */
export interface RegisteredResource {
    readonly type: string;
    readonly name: string;
    readonly parent: string;
    readonly custom: boolean;
    /** Properties in wire form (secrets as signed objects). */
    readonly properties: Record<string, unknown>;
}

export interface FakeAccount {
    readonly accountId: string;
    readonly partition: string;
    readonly region: string;
}

/** The engine's Engine and ResourceMonitor services, answering the AWS invokes the components make. */
export class FakeEngine {
    readonly registered: RegisteredResource[] = [];
    readonly invokes: string[] = [];
    readonly logs: string[] = [];
    private readonly server = new grpc.Server();
    address = "";

    constructor(private readonly account: FakeAccount) {}

    async start(): Promise<void> {
        const unary = <Req, Res>(handle: (request: Req) => Res) => (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => {
            try {
                callback(null, handle(call.request));
            } catch (error) {
                callback({ code: grpc.status.INTERNAL, details: (error as Error).message } as grpc.ServiceError, null);
            }
        };
        this.server.addService(EngineService, {
            log: unary((request: enginePb.LogRequest) => {
                this.logs.push(request.getMessage());
                return new Empty();
            }),
            getRootResource: unary(() => new enginePb.GetRootResourceResponse()),
            setRootResource: unary(() => new enginePb.SetRootResourceResponse()),
        });
        this.server.addService(ResourceMonitorService, {
            supportsFeature: unary((request: resourcePb.SupportsFeatureRequest) =>
                new resourcePb.SupportsFeatureResponse().setHassupport(["secrets", "resourceReferences"].includes(request.getId())),
            ),
            invoke: unary((request: resourcePb.ResourceInvokeRequest) => {
                this.invokes.push(request.getTok());
                const args = (request.getArgs()?.toJavaScript() ?? {}) as Record<string, unknown>;
                return new resourcePb.ResourceInvokeResponse().setReturn(Struct.fromJavaScript(this.invokeResult(request.getTok(), args) as never));
            }),
            registerResource: unary((request: resourcePb.RegisterResourceRequest) => {
                const properties = (request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
                this.registered.push({ type: request.getType(), name: request.getName(), parent: request.getParent(), custom: request.getCustom(), properties });
                const urn = `urn:pulumi:test::consumer::${request.getType()}::${request.getName()}`;
                const response = new resourcePb.RegisterResourceResponse().setUrn(urn);
                if (request.getCustom()) {
                    const id = `${request.getName()}-id`;
                    const state = { ...properties, id, arn: this.arnOf(request.getType(), properties, id) };
                    response.setId(id).setObject(Struct.fromJavaScript(state as never));
                }
                return response;
            }),
            registerResourceOutputs: unary(() => new Empty()),
        });
        const port = await new Promise<number>((resolve, reject) =>
            this.server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, boundPort) => (error ? reject(error) : resolve(boundPort))),
        );
        this.address = `127.0.0.1:${port}`;
    }

    stop(): void {
        this.server.forceShutdown();
    }

    private arnOf(type: string, properties: Record<string, unknown>, id: string): string {
        const { partition, accountId, region } = this.account;
        if (type === "aws:iam/role:Role") return `arn:${partition}:iam::${accountId}:role/${String(properties.name ?? id)}`;
        if (type === "aws:iam/policy:Policy") return `arn:${partition}:iam::${accountId}:policy/${String(properties.name ?? id)}`;
        return `arn:${partition}:fake:${region}:${accountId}:${id}`;
    }

    private invokeResult(token: string, args: Record<string, unknown>): Record<string, unknown> {
        const { partition, accountId, region } = this.account;
        switch (token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId, arn: `arn:${partition}:iam::${accountId}:user/deployer`, id: accountId, userId: "AIDAEXAMPLE" };
            case "aws:index/getPartition:getPartition":
                return { partition, dnsSuffix: "amazonaws.com", id: partition, reverseDnsPrefix: "com.amazonaws" };
            case "aws:index/getRegion:getRegion":
                return { region, name: region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
            case "aws:iam/getRole:getRole":
                return { name: args.name, id: args.name, arn: `arn:${partition}:iam::${accountId}:role/${String(args.name)}`, assumeRolePolicy: "{}" };
            default:
                return {};
        }
    }
}

function within<T>(promise: Promise<T>, seconds: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${seconds} s`)), seconds * 1000);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The plugin process, started as the language host starts it, and a ResourceProvider client to it. */
export class ComponentPlugin {
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: ResourceProviderClient,
        readonly consumerDir: string,
        /** What the plugin printed on stdout after the port, and on stderr. */
        readonly output: { stdout: string; stderr: string },
    ) {}

    /**
     * Starts the plugin in `pluginDir` (the repository's package folder unless given) from a fresh
     * consumer folder (no tsconfig, as `pulumi package add` leaves it), with the launcher of the
     * `@pulumi/pulumi` the plugin folder resolves; waits at most `seconds` for the port.
     */
    static async start(engineAddress: string, seconds: number, pluginDir = PLUGIN_DIR): Promise<ComponentPlugin & { firstLine: string }> {
        const consumerDir = fs.mkdtempSync(path.join(os.tmpdir(), "bedrock-access-consumer-"));
        const runPlugin = pluginDir === PLUGIN_DIR ? RUN_PLUGIN : path.dirname(require.resolve("@pulumi/pulumi/cmd/run-plugin/run.js", { paths: [pluginDir] }));
        const child = spawn(process.execPath, [runPlugin, pluginDir, engineAddress], { cwd: consumerDir, stdio: ["ignore", "pipe", "pipe"] });
        const output = { stdout: "", stderr: "" };
        child.stderr!.on("data", (chunk: Buffer) => (output.stderr += chunk.toString()));
        const firstLine = await within(
            new Promise<string>((resolve, reject) => {
                let buffered = "";
                let resolved = false;
                child.stdout!.on("data", (chunk: Buffer) => {
                    if (resolved) {
                        output.stdout += chunk.toString();
                        return;
                    }
                    buffered += chunk.toString();
                    const newline = buffered.indexOf("\n");
                    if (newline >= 0) {
                        resolved = true;
                        output.stdout += buffered.slice(newline + 1);
                        resolve(buffered.slice(0, newline));
                    }
                });
                child.on("exit", (code) => reject(new Error(`the plugin exited with ${code} before printing its port: ${output.stderr}`)));
            }),
            seconds,
            "starting the plugin",
        ).catch((error: Error) => {
            child.kill();
            throw error;
        });
        const client = new ResourceProviderClient(`127.0.0.1:${firstLine.trim()}`, grpc.credentials.createInsecure());
        return Object.assign(new ComponentPlugin(child, client, consumerDir, output), { firstLine });
    }

    async getSchema(seconds: number): Promise<Record<string, unknown>> {
        const response = await within(
            new Promise<providerPb.GetSchemaResponse>((resolve, reject) =>
                this.client.getSchema(new providerPb.GetSchemaRequest(), (error, result) => (error ? reject(error) : resolve(result))),
            ),
            seconds,
            "GetSchema",
        );
        return JSON.parse(response.getSchema()) as Record<string, unknown>;
    }

    /** Constructs a component as the engine does for a consumer program; `inputs` in wire form (secrets signed). */
    async construct(
        engine: FakeEngine,
        request: { type: string; name: string; inputs: Record<string, unknown>; config?: Record<string, string>; dryRun?: boolean },
        seconds: number,
    ): Promise<{ urn: string; state: Record<string, unknown> }> {
        const construct = new providerPb.ConstructRequest()
            .setProject("consumer")
            .setStack("test")
            .setDryrun(request.dryRun ?? false)
            .setParallel(4)
            .setMonitorendpoint(engine.address)
            .setType(request.type)
            .setName(request.name)
            .setInputs(Struct.fromJavaScript(request.inputs as never));
        for (const [key, value] of Object.entries(request.config ?? {})) construct.getConfigMap().set(key, value);
        const response = await within(
            new Promise<providerPb.ConstructResponse>((resolve, reject) =>
                this.client.construct(construct, (error, result) => (error ? reject(error) : resolve(result))),
            ),
            seconds,
            `Construct ${request.type}`,
        );
        return { urn: response.getUrn(), state: (response.getState()?.toJavaScript() ?? {}) as Record<string, unknown> };
    }

    stop(): void {
        this.client.close();
        this.child.kill();
        fs.rmSync(this.consumerDir, { recursive: true, force: true });
    }
}
