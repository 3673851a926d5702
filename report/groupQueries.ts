/**
 * The queries of a `--by` grouping on AWS's engines, built for its dimensions: the same window,
 * the same one count per `requestId`, and the same meaning of each dimension as the local engine
 * (report/dimensions.ts). Each groups by the model as well, so that every row can be priced.
 *
 * Logs Insights reads nested JSON fields by their flattened names (`requestMetadata.team`;
 * backquoted when a key holds other characters) and takes the assumed-role session's parts with a
 * `parse` regular expression with named groups; Athena reads the table's `requestmetadata` map
 * column with `element_at` and the session's parts with `regexp_extract`.
 */
import { ATHENA_DATABASE, ATHENA_TABLE, QueryWindow } from "../components/monitoring/usageQueries";
import { Dimension, Grouping, NONE } from "./dimensions";

// ---- CloudWatch Logs Insights ----

/** A field name as Logs Insights takes it: backquoted unless plain letters, digits, `_`, `.` and `@`. */
function insightsField(name: string): string {
    return /^[A-Za-z0-9_.@]+$/.test(name) ? name : `\`${name}\``;
}

/** A string literal in a Logs Insights query. */
const insightsString = (text: string) => JSON.stringify(text);

/**
 * The assumed-role session's parts, from `identity.arn` (`arn:aws:sts::<account>:assumed-role/<role>/<session>`);
 * a caller that is not one leaves them empty.
 */
const INSIGHTS_PARSE_SESSION = "| parse identity.arn /^arn:(?<sessionPartition>[^:]+):sts::(?<sessionAccount>\\d{12}):assumed-role\\/(?<sessionRole>[^\\/]+)\\/(?<sessionName>.+)$/";

/** The result columns of a dimension in a Logs Insights grouping's rows. */
export function insightsColumns(dimension: Dimension, index: number): readonly string[] {
    switch (dimension.kind) {
        case "model":
            return ["modelId"];
        case "caller":
            return ["caller"];
        case "day":
            return ["day"];
        case "role":
            return ["rolePartition", "roleAccount", "roleName"];
        case "session":
            return ["roleSession"];
        case "metadata":
            return [`metadata${index}`];
    }
}

/** The query of one grouping over the window: per request first (each `requestId` once), then per the grouping's values and model. */
export function insightsGroupQuery(grouping: Grouping, window: QueryWindow): string {
    const { dimensions } = grouping;
    const sessions = dimensions.some((dimension) => dimension.kind === "role" || dimension.kind === "session");
    const derived = [
        "substr(timestamp, 0, 10) as day",
        "identity.arn as caller",
        ...dimensions.flatMap((dimension, index) => (dimension.kind === "metadata" ? [`coalesce(${insightsField(`requestMetadata.${dimension.key}`)}, ${insightsString(NONE)}) as metadata${index}`] : [])),
    ];
    const sessionFields = sessions
        ? [
              INSIGHTS_PARSE_SESSION,
              `| fields coalesce(sessionPartition, ${insightsString(NONE)}) as rolePartition, coalesce(sessionAccount, ${insightsString(NONE)}) as roleAccount, ` +
                  `coalesce(sessionRole, ${insightsString(NONE)}) as roleName, coalesce(sessionName, ${insightsString(NONE)}) as roleSession`,
          ]
        : [];
    const keys = [...new Set(dimensions.flatMap((dimension, index) => insightsColumns(dimension, index)).filter((column) => column !== "modelId"))];
    const perRequest = ["modelId", ...keys].join(", ");
    return [
        `filter schemaType = "ModelInvocationLog" and timestamp >= "${window.start.toISOString()}" and timestamp < "${window.end.toISOString()}"`,
        `| fields ${derived.join(", ")}`,
        ...sessionFields,
        "| stats count(*) as copies, max(input.inputTokenCount) as requestInputTokens, max(output.outputTokenCount) as requestOutputTokens, " +
            `max(input.cacheReadInputTokenCount) as requestCacheReadInputTokens, max(input.cacheWriteInputTokenCount) as requestCacheWriteInputTokens by requestId, ${perRequest}`,
        "| stats sum(copies) as records, count(*) as invocations, sum(requestInputTokens) as inputTokens, sum(requestOutputTokens) as outputTokens, " +
            `sum(requestCacheReadInputTokens) as cacheReadInputTokens, sum(requestCacheWriteInputTokens) as cacheWriteInputTokens by ${[...keys, "modelId"].join(", ")}`,
        "| sort inputTokens desc",
    ].join("\n");
}

// ---- Athena ----

/** A string literal in Athena SQL. */
const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The assumed-role session's ARN, as a regular expression for Athena's `regexp_extract`/`regexp_like`. */
const ATHENA_SESSION_PATTERN = sqlString("^arn:([^:]+):sts::([0-9]{12}):assumed-role/([^/]+)/(.+)$");

/**
 * A metadata value: the key as sent, or lower-cased (the OpenX JSON SerDe may lower-case keys it
 * reads); absent or empty is `(none)`.
 */
function athenaMetadata(key: string): string {
    const lookups = [...new Set([key, key.toLowerCase()])].map((name) => `nullif(element_at(requestmetadata, ${sqlString(name)}), '')`);
    return `coalesce(${lookups.join(", ")}, ${sqlString(NONE)})`;
}

/** The expression of a dimension (the grouping's `index`th) over the `requests` rows. */
function athenaExpression(dimension: Dimension, index: number): string {
    switch (dimension.kind) {
        case "model":
            return "modelid";
        case "caller":
            return "caller";
        case "day":
            return "record_day";
        case "role":
            return (
                `CASE WHEN regexp_like(caller, ${ATHENA_SESSION_PATTERN}) THEN concat('arn:', regexp_extract(caller, ${ATHENA_SESSION_PATTERN}, 1), ':iam::', ` +
                `regexp_extract(caller, ${ATHENA_SESSION_PATTERN}, 2), ':role/', regexp_extract(caller, ${ATHENA_SESSION_PATTERN}, 3)) ELSE ${sqlString(NONE)} END`
            );
        case "session":
            return `coalesce(regexp_extract(caller, ${ATHENA_SESSION_PATTERN}, 4), ${sqlString(NONE)})`;
        case "metadata":
            return `metadata_${index}`;
    }
}

/**
 * The Athena query of one grouping over the partitions from `firstDay` to `lastDay` (`YYYY/MM/DD`),
 * the records cut by their own timestamp from `since` to `until`: result columns `dim_0` … `dim_<n-1>`
 * (the grouping's dimensions in order), `model_id` and the sums.
 */
export function athenaGroupQuery(grouping: Grouping, firstDay: string, lastDay: string, since: string, until: string): string {
    const metadata = grouping.dimensions.flatMap((dimension, index) => (dimension.kind === "metadata" ? [`arbitrary(${athenaMetadata(dimension.key)}) AS metadata_${index}`] : []));
    const select = grouping.dimensions.map((dimension, index) => `${athenaExpression(dimension, index)} AS dim_${index}`);
    const groupBy = Array.from({ length: grouping.dimensions.length + 1 }, (_, index) => index + 1).join(", ");
    return [
        "WITH requests AS (",
        "  SELECT arbitrary(modelid) AS modelid, arbitrary(identity.arn) AS caller, arbitrary(substr(\"timestamp\", 1, 10)) AS record_day, " +
            (metadata.length > 0 ? `${metadata.join(", ")}, ` : "") +
            "count(*) AS copies, max(coalesce(input.inputtokencount, 0)) AS input_tokens, max(coalesce(output.outputtokencount, 0)) AS output_tokens, " +
            "max(coalesce(input.cachereadinputtokencount, 0)) AS cache_read_input_tokens, max(coalesce(input.cachewriteinputtokencount, 0)) AS cache_write_input_tokens",
        `  FROM "${ATHENA_DATABASE}"."${ATHENA_TABLE}"`,
        `  WHERE day BETWEEN '${firstDay}' AND '${lastDay}' AND schematype = 'ModelInvocationLog'` +
            ` AND try(from_iso8601_timestamp("timestamp")) >= from_iso8601_timestamp('${since}') AND try(from_iso8601_timestamp("timestamp")) < from_iso8601_timestamp('${until}')`,
        // A record without a request ID is its own request.
        "  GROUP BY coalesce(requestid, cast(uuid() AS varchar))",
        ")",
        `SELECT ${select.join(", ")}, modelid AS model_id, sum(copies) AS records, count(*) AS invocations, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, ` +
            "sum(cache_read_input_tokens) AS cache_read_input_tokens, sum(cache_write_input_tokens) AS cache_write_input_tokens",
        "FROM requests",
        `GROUP BY ${groupBy}`,
        "ORDER BY input_tokens DESC",
    ].join("\n");
}
