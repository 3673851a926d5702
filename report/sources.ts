/**
 * Where the local engine's invocation log lines come from, as async streams of lines: CloudWatch
 * Logs (FilterLogEvents, page by page), the S3 objects (gzip JSON lines, one object at a time,
 * decompressed and split as they arrive) or local files (gzip or plain JSON lines). Nothing holds more than one page or one object's
 * current chunk in memory.
 */
import { CloudWatchLogsClient, paginateFilterLogEvents } from "@aws-sdk/client-cloudwatch-logs";
import { GetObjectCommand, S3Client, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import * as fs from "fs";
import { createInterface } from "readline";
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

/** The lines of one gzip JSON-lines stream, decompressed and split as bytes arrive. */
export async function* gzipLines(body: Readable, progress: ReadProgress = newProgress()): AsyncGenerator<string> {
    body.on("data", (chunk: Buffer) => (progress.bytes += chunk.length));
    const lines = createInterface({ input: body.pipe(createGunzip()), crlfDelay: Infinity });
    for await (const line of lines) {
        progress.lines += 1;
        yield line;
    }
}

export async function* s3Lines(client: S3Client, bucket: string, prefixes: readonly string[], progress: ReadProgress = newProgress()): AsyncGenerator<string> {
    for (const prefix of prefixes) {
        for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
            for (const object of page.Contents ?? []) {
                if (!object.Key?.endsWith(".json.gz")) continue;
                const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
                progress.objects += 1;
                yield* gzipLines(response.Body as Readable, progress);
            }
        }
    }
}

/** The lines of one file: gzip (by its magic bytes, as Bedrock writes `.json.gz`) or plain JSON lines. */
export async function* fileLines(paths: readonly string[], progress: ReadProgress = newProgress()): AsyncGenerator<string> {
    for (const file of paths) {
        const handle = await fs.promises.open(file, "r");
        const magic = Buffer.alloc(2);
        await handle.read(magic, 0, 2, 0);
        await handle.close();
        const stream = fs.createReadStream(file);
        progress.objects += 1;
        if (magic[0] === 0x1f && magic[1] === 0x8b) {
            yield* gzipLines(stream, progress);
            continue;
        }
        stream.on("data", (chunk: Buffer | string) => (progress.bytes += chunk.length));
        for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
            progress.lines += 1;
            yield line;
        }
    }
}
