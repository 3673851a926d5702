/**
 * The chargeback report's dimensions (`--by DIM[+DIM...]`): what each names in an invocation log
 * record, the same in all three engines. Pure.
 *
 * - `model`: the record's `modelId` as logged (an application inference profile's ARN stays an ARN).
 * - `caller`: `identity.arn` as logged.
 * - `role`: the IAM role an assumed-role session belongs to, `arn:<partition>:iam::<account>:role/<name>`,
 *   made from the session's ARN `arn:<partition>:sts::<account>:assumed-role/<name>/<session>`. STS leaves a
 *   role's path out of that ARN, so the role is named without it. A caller that is not an assumed-role
 *   session (an IAM user, the root user) counts under `(none)`.
 * - `session`: the role session name of an assumed-role caller, else `(none)`.
 * - `day`: the UTC day of the record's own `timestamp`, `YYYY-MM-DD`.
 * - `metadata.<key>`: the value of `<key>` in the record's `requestMetadata`; a record without it (or
 *   with an empty value) counts under `(none)`.
 */
import { UsageError } from "../offline/commandLine";
import { InvocationRecord, utcDay } from "./records";

/** The key of records that lack the dimension (no request metadata, not an assumed-role session). */
export const NONE = "(none)";

export type Dimension =
    | { readonly kind: "model" | "caller" | "role" | "session" | "day" }
    | {
          readonly kind: "metadata";
          /** The request metadata key, exactly as the caller sent it. */
          readonly key: string;
      };

/** One `--by`: its dimensions in the order given, and the name its section carries (`metadata.team+model`). */
export interface Grouping {
    readonly by: string;
    readonly dimensions: readonly Dimension[];
}

const PLAIN_DIMENSIONS = ["model", "caller", "role", "session", "day"] as const;

/**
 * Request metadata keys as Bedrock accepts them (RequestMetadataFilters: `[a-zA-Z0-9\s._:/=+$@-]{1,256}`),
 * without `+`, which joins dimensions here.
 */
const METADATA_KEY = /^[a-zA-Z0-9\s._:/=$@-]{1,256}$/;

/** What a dimension is called in a `by` name and in a group row's `key`. */
export function dimensionName(dimension: Dimension): string {
    return dimension.kind === "metadata" ? `metadata.${dimension.key}` : dimension.kind;
}

/** One `--by` value, or a `UsageError` in one sentence. */
export function parseGrouping(text: string): Grouping {
    const rule = "each --by is DIM[+DIM...] where DIM is model, caller, role, session, day or metadata.<key>";
    if (text.trim() === "") throw new UsageError(`${rule}, not an empty value`);
    const dimensions = text.split("+").map((part): Dimension => {
        if ((PLAIN_DIMENSIONS as readonly string[]).includes(part)) return { kind: part as (typeof PLAIN_DIMENSIONS)[number] };
        if (part.startsWith("metadata.")) {
            const key = part.slice("metadata.".length);
            if (METADATA_KEY.test(key)) return { kind: "metadata", key };
            throw new UsageError(`${rule}: ${JSON.stringify(part)} in --by ${JSON.stringify(text)} names no request metadata key (1 to 256 of letters, digits, spaces and ._:/=$@-)`);
        }
        throw new UsageError(`${rule}, not ${JSON.stringify(part)} in --by ${JSON.stringify(text)}`);
    });
    const names = dimensions.map(dimensionName);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated !== undefined) throw new UsageError(`--by ${JSON.stringify(text)} names ${repeated} twice: name each dimension once`);
    return { by: names.join("+"), dimensions };
}

/** Every `--by`, in the order given; the same grouping twice is refused. */
export function parseGroupings(texts: readonly string[]): Grouping[] {
    const groupings = texts.map(parseGrouping);
    const names = groupings.map((grouping) => grouping.by);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated !== undefined) throw new UsageError(`--by ${repeated} is given twice: give each grouping once`);
    return groupings;
}

/** The parts of an assumed-role session's ARN (role and session names have no `/`). */
export const ASSUMED_ROLE_ARN = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/;

/** The IAM role of an assumed-role caller, `arn:<partition>:iam::<account>:role/<name>`, else `(none)`. */
export function roleOf(callerArn: string): string {
    const match = ASSUMED_ROLE_ARN.exec(callerArn);
    return match ? roleArn(match[1], match[2], match[3]) : NONE;
}

/** The role session name of an assumed-role caller, else `(none)`. */
export function sessionOf(callerArn: string): string {
    return ASSUMED_ROLE_ARN.exec(callerArn)?.[4] ?? NONE;
}

export function roleArn(partition: string, account: string, name: string): string {
    return `arn:${partition}:iam::${account}:role/${name}`;
}

/** A metadata value as a group key: absent or empty is `(none)`. */
export function metadataValue(value: string | undefined): string {
    return value === undefined || value === "" ? NONE : value;
}

/** The record's value of a dimension. */
export function valueOf(dimension: Dimension, record: InvocationRecord): string {
    switch (dimension.kind) {
        case "model":
            return record.modelId;
        case "caller":
            return record.identityArn;
        case "role":
            return roleOf(record.identityArn);
        case "session":
            return sessionOf(record.identityArn);
        case "day":
            return utcDay(record.time);
        case "metadata":
            return metadataValue(record.requestMetadata?.[dimension.key]);
    }
}
