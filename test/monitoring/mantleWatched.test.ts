/**
 * bedrock-mantle watched: its calls never reach the invocation logs, so when a stack grants it the
 * dashboard and the alarms cover its own metrics (`AWS/BedrockMantle`, account level), and the access
 * summary says so. A stack without it is unchanged.
 */
import * as assert from "assert";
import { AlarmSettings } from "../../components/monitoring/monitoringConfig";
import { MANTLE_NAMESPACE, alarmSpecs, dashboardBody, mantleAlarmSpecs } from "../../components/monitoring/monitoringPolicies";
import { stackAccess } from "../../offline/access/access";
import { MANTLE_NOTE, formatSummary } from "../../offline/access/accessReport";
import { plainValue } from "../../offline/engine/mockEngine";
import { assertPackFindsNothing } from "../assertions";
import { runProgram } from "../harness";

const SONNET = "anthropic.claude-sonnet-4-20250514-v1:0";
const settings: AlarmSettings = { serverErrors: 5, clientErrors: 50, throttles: 5, latencyP90Ms: 10000, dailyTokens: 1000000, perModel: false, quotaUsagePercent: undefined };
const runtimeGateway = { name: "portkey", attachToRole: "portkey", models: [SONNET] };
const mantleGateway = { ...runtimeGateway, apis: ["runtime", "mantle"] };

describe("bedrock-mantle watched", function () {
    this.timeout(120000);

    it("alarms on bedrock-mantle's client errors and daily tokens with the runtime alarms' thresholds", () => {
        assert.deepStrictEqual(mantleAlarmSpecs(settings), [
            { name: "mantle-client-errors", description: "bedrock-mantle client errors (4xx) in 5 minutes", threshold: 50, evaluationPeriods: 1, namespace: MANTLE_NAMESPACE, metric: { metricName: "InferenceClientErrors", period: 300, statistic: "Sum" } },
            {
                name: "mantle-daily-tokens",
                description: "bedrock-mantle input plus output tokens in one day",
                threshold: 1000000,
                evaluationPeriods: 1,
                namespace: MANTLE_NAMESPACE,
                math: { expression: "inputTokens + outputTokens", period: 86400, metrics: { inputTokens: "TotalInputTokens", outputTokens: "TotalOutputTokens" } },
            },
        ]);
        assert.deepStrictEqual(mantleAlarmSpecs({ ...settings, clientErrors: undefined, dailyTokens: undefined }), []);
        assert.deepStrictEqual(alarmSpecs(settings, [SONNET]).filter((alarm) => alarm.namespace !== undefined), []);
        assert.deepStrictEqual(alarmSpecs(settings, [SONNET], true).slice(-2), mantleAlarmSpecs(settings));
    });

    it("charts AWS/BedrockMantle only when asked", () => {
        const namespaces = (body: string) => new Set((JSON.parse(body) as { widgets: { properties: { metrics: unknown[][] } }[] }).widgets.flatMap((widget) => widget.properties.metrics.map((metric) => metric[0])));
        assert.ok(!namespaces(dashboardBody({ region: "eu-west-1", modelIds: [SONNET] })).has(MANTLE_NAMESPACE));
        const body = JSON.parse(dashboardBody({ region: "eu-west-1", modelIds: [SONNET], watchesMantle: true })) as { widgets: { properties: { title: string; metrics: unknown[][] } }[] };
        const mantle = body.widgets.filter((widget) => widget.properties.metrics.some((metric) => metric[0] === MANTLE_NAMESPACE));
        assert.deepStrictEqual(
            mantle.map((widget) => [widget.properties.title, widget.properties.metrics.map((metric) => metric[1])]),
            [
                ["bedrock-mantle inferences and client errors (not in the invocation logs)", ["Inferences", "InferenceClientErrors"]],
                ["bedrock-mantle tokens", ["TotalInputTokens", "TotalOutputTokens"]],
            ],
        );
    });

    it("a stack granting bedrock-mantle registers its alarms and dashboard widgets, passes the pack, and its summary says Mantle calls are not in the logs", async () => {
        const { engine } = await runProgram({ gateways: [mantleGateway], monitoring: { alarms: { clientErrors: 50, dailyTokens: 1000000 } } });
        const alarms = engine.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((alarm) => plainValue(alarm.properties) as Record<string, unknown>);
        const clientErrors = alarms.find((alarm) => alarm.name === "bedrock-mantle-client-errors");
        assert.ok(clientErrors, JSON.stringify(alarms.map((alarm) => alarm.name)));
        assert.deepStrictEqual([clientErrors.namespace, clientErrors.metricName, clientErrors.threshold, clientErrors.dimensions], [MANTLE_NAMESPACE, "InferenceClientErrors", 50, undefined]);
        const tokens = alarms.find((alarm) => alarm.name === "bedrock-mantle-daily-tokens");
        assert.deepStrictEqual((tokens?.metricQueries as { metric?: { namespace: string; metricName: string } }[]).flatMap((query) => (query.metric ? [[query.metric.namespace, query.metric.metricName]] : [])), [
            [MANTLE_NAMESPACE, "TotalInputTokens"],
            [MANTLE_NAMESPACE, "TotalOutputTokens"],
        ]);
        const [dashboard] = engine.ofType("aws:cloudwatch/dashboard:Dashboard");
        assert.ok(String(plainValue(dashboard.properties.dashboardBody)).includes(MANTLE_NAMESPACE));
        await assertPackFindsNothing(engine.resources);
        const summary = formatSummary(stackAccess(engine.resources), "text");
        assert.ok(summary.endsWith(MANTLE_NOTE), summary.slice(-400));
        assert.ok(formatSummary(stackAccess(engine.resources), "markdown").endsWith(MANTLE_NOTE));
    });

    it("a stack without bedrock-mantle has neither", async () => {
        const { engine } = await runProgram({ gateways: [runtimeGateway], monitoring: { alarms: { clientErrors: 50, dailyTokens: 1000000 } } });
        const names = engine.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").map((alarm) => alarm.properties.name);
        assert.ok(names.includes("bedrock-client-errors") && !names.some((name) => String(name).includes("mantle")), JSON.stringify(names));
        assert.ok(!String(plainValue(engine.ofType("aws:cloudwatch/dashboard:Dashboard")[0].properties.dashboardBody)).includes(MANTLE_NAMESPACE));
        assert.ok(!formatSummary(stackAccess(engine.resources), "text").includes(MANTLE_NOTE));
    });
});
