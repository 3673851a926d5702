/**
 * How every command that calls AWS (`verify`, `usage-report`) builds its SDK clients, so that no
 * call can hang: a connection timeout and a request timeout on each attempt, the SDK's standard
 * retry (throttling and transient errors, with backoff) for a bounded number of attempts, and a
 * deadline on the whole call, retries included, that fails with one sentence naming the call.
 * While a call is slow, the command says so on stderr.
 */

/** The bound of one AWS call, retries included, unless `--timeout` says otherwise. */
export const DEFAULT_TIMEOUT_SECONDS = 15;
/** Attempts per call (the first and two retries), as the SDK's standard retry mode counts them. */
export const MAX_ATTEMPTS = 3;
/** A connection that is not made within this is a network problem, whatever the call's bound. */
const MAX_CONNECTION_TIMEOUT_MS = 5000;
/** After this long without an answer, the command says what it waits for. */
const SLOW_CALL_NOTICE_MS = 3000;

/** `--timeout SECONDS`: a whole number of seconds from 1 to 600, or a `UsageError`-worthy sentence. */
export function parseTimeoutSeconds(text: string | undefined): { ok: true; seconds: number } | { ok: false; rule: string } {
    if (text === undefined) return { ok: true, seconds: DEFAULT_TIMEOUT_SECONDS };
    const seconds = Number(text);
    if (!/^\d+$/.test(text.trim()) || seconds < 1 || seconds > 600) return { ok: false, rule: `--timeout must be a whole number of seconds from 1 to 600, not ${text}` };
    return { ok: true, seconds };
}

/** An AWS call that did not answer within its bound: one sentence naming the call (exit code 1). */
export class AwsCallTimeout extends Error {
    constructor(
        readonly call: string,
        readonly seconds: number,
    ) {
        super(
            `AWS did not answer ${call} within ${seconds} s (${MAX_ATTEMPTS} attempts): the endpoint accepted the connection but sent no answer; ` +
                `check AWS_ENDPOINT_URL, a proxy or the network, or raise --timeout`,
        );
        this.name = "AwsCallTimeout";
    }
}

/** The options every client gets: the region, timeouts per attempt, and standard retry. */
export function awsClientOptions(region: string | undefined, timeoutSeconds: number) {
    // Each attempt may take a third of the call's bound, so that the SDK's own attempts end near the deadline.
    const attemptMs = Math.max(200, Math.floor((timeoutSeconds * 1000) / MAX_ATTEMPTS));
    return {
        ...(region ? { region } : {}),
        maxAttempts: MAX_ATTEMPTS,
        retryMode: "standard" as const,
        // Without throwOnRequestTimeout the SDK only warns when an attempt exceeds its request timeout, and waits on.
        requestHandler: { connectionTimeout: Math.min(attemptMs, MAX_CONNECTION_TIMEOUT_MS), requestTimeout: attemptMs, throwOnRequestTimeout: true },
    };
}

/** What a client must have for `withCallDeadline`: the SDK's middleware stack. */
interface ClientWithMiddleware {
    readonly middlewareStack: {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        add(middleware: (next: (args: any) => Promise<any>, context: { commandName?: string }) => (args: any) => Promise<any>, options: { step: "initialize"; name: string; override?: boolean }): void;
    };
}

/** `StartQueryCommand` of the `logs` client -> `logs:StartQuery`. */
export function callName(service: string, commandName: string | undefined): string {
    return `${service}:${(commandName ?? "call").replace(/Command$/, "")}`;
}

export interface DeadlineOptions {
    /** The call's bound, retries included. */
    readonly timeoutSeconds: number;
    /** Told once when a call is slow (after a few seconds). If not provided, nothing is said. */
    readonly onSlowCall?: (message: string) => void;
}

/**
 * Adds the deadline to a client: a call that has not answered within `timeoutSeconds` (retries
 * included) fails with `AwsCallTimeout`. Returns the client.
 */
export function withCallDeadline<Client extends ClientWithMiddleware>(client: Client, service: string, options: DeadlineOptions): Client {
    client.middlewareStack.add(
        (next, context) => async (args) => {
            const call = callName(service, context.commandName);
            const timers: NodeJS.Timeout[] = [];
            const deadline = new Promise<never>((_, reject) => {
                timers.push(setTimeout(() => reject(new AwsCallTimeout(call, options.timeoutSeconds)), options.timeoutSeconds * 1000));
            });
            if (options.onSlowCall && options.timeoutSeconds * 1000 > SLOW_CALL_NOTICE_MS) {
                const say = options.onSlowCall;
                timers.push(setTimeout(() => say(`waiting for AWS: ${call} has not answered for ${SLOW_CALL_NOTICE_MS / 1000} s (giving up after ${options.timeoutSeconds} s)`), SLOW_CALL_NOTICE_MS));
            }
            try {
                return await Promise.race([next(args), deadline]);
            } catch (error) {
                // The SDK's last attempt timing out on an open connection is the same thing said by the SDK.
                if ((error as Error)?.name === "TimeoutError" && /Connection timed out after/i.test((error as Error).message ?? "")) throw new AwsCallTimeout(call, options.timeoutSeconds);
                throw error;
            } finally {
                for (const timer of timers) clearTimeout(timer);
            }
        },
        { step: "initialize", name: "bedrockAccessCallDeadline", override: true },
    );
    return client;
}

/** Runs `task` on every item with at most `concurrency` tasks in flight; results in the items' order. */
export async function mapWithConcurrency<Item, Result>(items: readonly Item[], concurrency: number, task: (item: Item) => Promise<Result>): Promise<Result[]> {
    const results: Result[] = new Array(items.length);
    let nextIndex = 0;
    const worker = async () => {
        while (nextIndex < items.length) {
            const index = nextIndex++;
            results[index] = await task(items[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
    return results;
}
