/**
 * Where the local engine's invocation log lines come from, as async streams of lines: CloudWatch
 * Logs (FilterLogEvents, page by page), the S3 objects (gzip JSON lines, one object at a time,
 * decompressed and split as they arrive) or local files (gzip or plain JSON lines). Nothing holds
 * more than one page, or one line of at most `MAX_LINE_BYTES`, in memory.
 *
 * Each file or object is announced (`{ begin }`) and closed (`{ end }`), or reported unreadable
 * (`{ failed, reason }`: a truncated or corrupt gzip, a directory, a file that cannot be opened),
 * so that the reader counts a file's records only once it was read to its end, and goes on.
 */
import { CloudWatchLogsClient, paginateFilterLogEvents } from "@aws-sdk/client-cloudwatch-logs";
import { GetObjectCommand, S3Client, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import * as fs from "fs";
import { Readable } from "stream";
import { createGunzip } from "zlib";
import { logObjectsPrefix, partitionDay } from "../components/monitoring/usageQueries";

/** Counts for the progress indicator. */
export interface ReadProgress {
    objects: number;
    bytes: number;
    lines: number;
}

export function newProgress(): ReadProgress {
    return { objects: 0, bytes: 0, lines: 0 };
}

import { MAX_LINE_BYTES } from "./limits";
export { MAX_LINE_BYTES };

/** What stands in for a line over `MAX_LINE_BYTES` (a NUL cannot occur in a JSON line). */
export const OVER_LONG_LINE = "\u0000over-long line";

/** The boundaries of one file or object in a stream of lines. */
export type SourceEvent = { readonly begin: string } | { readonly end: string } | { readonly failed: string; readonly reason: string; readonly code?: string };
export type SourceItem = string | SourceEvent;

export async function* cloudWatchLines(
    client: CloudWatchLogsClient,
    logGroupName: string,
    startTime: number,
    endTime: number,
    progress: ReadProgress = newProgress(),
): AsyncGenerator<string> {
    for await (const page of paginateFilterLogEvents({ client }, { logGroupName, startTime, endTime })) {
        for (const event of page.events ?? []) {
            progress.lines += 1;
            progress.bytes += event.message?.length ?? 0;
            yield event.message ?? "";
        }
    }
}

/** `AWSLogs/<account>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/` for each day of the range (UTC). */
export function dailyPrefixes(accountId: string, region: string, start: Date, end: Date): string[] {
    const prefixes: string[] = [];
    const day = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()));
    while (day.getTime() <= end.getTime()) {
        prefixes.push(`${logObjectsPrefix({ accountId, region })}${partitionDay(day)}/`);
        day.setUTCDate(day.getUTCDate() + 1);
    }
    return prefixes;
}

/** Splits bytes into lines (LF or CRLF) without ever holding more than `maxBytes` of one line. */
export async function* splitLines(chunks: AsyncIterable<Buffer | string>, progress: ReadProgress = newProgress(), maxBytes: number = MAX_LINE_BYTES): AsyncGenerator<string> {
    let parts: Buffer[] = [];
    let size = 0;
    let overLong = false;
    const finish = (last: Buffer): string => {
        const bytes = parts.length === 0 ? last : Buffer.concat([...parts, last], size + last.length);
        const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
        return bytes.toString("utf8", 0, end);
    };
    for await (const raw of chunks) {
        const chunk = typeof raw === "string" ? Buffer.from(raw) : raw;
        let start = 0;
        for (;;) {
            const newline = chunk.indexOf(0x0a, start);
            const piece = chunk.subarray(start, newline === -1 ? chunk.length : newline);
            if (!overLong && size + piece.length > maxBytes) {
                overLong = true;
                parts = [];
                size = 0;
            }
            if (newline === -1) {
                if (!overLong && piece.length > 0) {
                    parts.push(piece);
                    size += piece.length;
                }
                break;
            }
            progress.lines += 1;
            yield overLong ? OVER_LONG_LINE : finish(piece);
            parts = [];
            size = 0;
            overLong = false;
            start = newline + 1;
        }
    }
    if (overLong || size > 0) {
        progress.lines += 1;
        yield overLong ? OVER_LONG_LINE : finish(Buffer.alloc(0));
    }
}

/** The lines of one gzip JSON-lines stream, decompressed and split as bytes arrive. */
export async function* gzipLines(body: Readable, progress: ReadProgress = newProgress()): AsyncGenerator<string> {
    body.on("data", (chunk: Buffer) => (progress.bytes += chunk.length));
    const gunzip = createGunzip();
    // A read error of the body reaches the reader through the gunzip stream.
    body.on("error", (error) => gunzip.destroy(error));
    yield* splitLines(body.pipe(gunzip), progress);
}

/** Why a file or object could not be read, in a few words; undefined for an error that is not the file's (AWS's, the network's). */
export function unreadableReason(error: unknown): string | undefined {
    const { code = "", message = "" } = (error ?? {}) as { code?: string; message?: string };
    if (code === "Z_BUF_ERROR" || /unexpected end of file/i.test(message)) return "truncated gzip: unexpected end of file";
    if (code.startsWith("Z_")) return `corrupt gzip: ${message}`;
    if (code === "EISDIR") return "a directory, not a file";
    if (code === "ENOENT") return "no such file";
    if (code === "EACCES" || code === "EPERM") return "permission denied";
    if (/^E[A-Z]+$/.test(code) && !/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE)$/.test(code)) return `cannot be read (${code})`;
    return undefined;
}

export async function* s3Lines(client: S3Client, bucket: string, prefixes: readonly string[], progress: ReadProgress = newProgress()): AsyncGenerator<SourceItem> {
    for (const prefix of prefixes) {
        for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
            for (const object of page.Contents ?? []) {
                if (!object.Key?.endsWith(".json.gz")) continue;
                const source = `s3://${bucket}/${object.Key}`;
                const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
                progress.objects += 1;
                yield { begin: source };
                try {
                    yield* gzipLines(response.Body as Readable, progress);
                } catch (error) {
                    const reason = unreadableReason(error);
                    if (reason === undefined) throw error;
                    yield { failed: source, reason };
                    continue;
                }
                yield { end: source };
            }
        }
    }
}

/** The lines of local files: gzip (by its magic bytes, as Bedrock writes `.json.gz`) or plain JSON lines; an unreadable file is reported and skipped. */
export async function* fileLines(paths: readonly string[], progress: ReadProgress = newProgress()): AsyncGenerator<SourceItem> {
    for (const file of paths) {
        yield { begin: file };
        try {
            const handle = await fs.promises.open(file, "r");
            const magic = Buffer.alloc(2);
            try {
                await handle.read(magic, 0, 2, 0);
            } finally {
                await handle.close();
            }
            const stream = fs.createReadStream(file);
            progress.objects += 1;
            if (magic[0] === 0x1f && magic[1] === 0x8b) {
                yield* gzipLines(stream, progress);
            } else {
                stream.on("data", (chunk: Buffer | string) => (progress.bytes += chunk.length));
                yield* splitLines(stream, progress);
            }
        } catch (error) {
            const reason = unreadableReason(error);
            if (reason === undefined) throw error;
            const code = (error as { code?: string }).code;
            yield { failed: file, reason, ...(code && /^E[A-Z]+$/.test(code) ? { code } : {}) };
            continue;
        }
        yield { end: file };
    }
}
