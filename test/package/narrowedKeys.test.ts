/**
 * What the package's schema cannot say (`number | false`): `alarms.disabled` and
 * `tokenQuotaAlarmsDisabled` say it, and become exactly the stack file's `false` values, judged by the
 * stack's own validation; a misspelt name, or a name given a value too, is refused naming the key.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { validateMonitoring } from "../../components/monitoring/monitoringConfig";
import { InvocationMonitoring } from "../../pulumi-package";
import { monitoringBlockOf } from "../../pulumi-package/invocationMonitoring";
import { mockEngine } from "../harness";

const REGION = "eu-west-1";
const NOVA = "amazon.nova-pro-v1:0";

describe("package args for the stack file's false values", () => {
    it("alarms.disabled and tokenQuotaAlarmsDisabled give the same monitoring as false in the stack file", () => {
        const { block, issues } = monitoringBlockOf({ alarms: { serverErrors: 3, disabled: ["throttles", "quotaUsagePercent"] }, tokenQuotaCodes: { "amazon.nova-lite-v1:0": "L-AB12CD34" }, tokenQuotaAlarmsDisabled: [NOVA] });
        assert.deepStrictEqual(issues, []);
        const stackFile = { alarms: { serverErrors: 3, throttles: false, quotaUsagePercent: false }, tokenQuotaCodes: { "amazon.nova-lite-v1:0": "L-AB12CD34", [NOVA]: false } };
        assert.deepStrictEqual(block, stackFile);
        const fromArgs = validateMonitoring(block, REGION);
        assert.deepStrictEqual(fromArgs.issues, []);
        assert.deepStrictEqual(fromArgs, validateMonitoring(stackFile, REGION));
        assert.strictEqual(fromArgs.value!.alarms.throttles, undefined, "the throttle alarm is off");
        assert.strictEqual(fromArgs.value!.alarms.quotaUsagePercent, undefined, "the quota alarms are off");
        assert.strictEqual(fromArgs.value!.tokenQuotaCodes[NOVA], false);
    });

    it("refuses a name that is not a threshold, and a name given a value too, naming the key", () => {
        const { issues } = monitoringBlockOf({ alarms: { throttles: 9, disabled: ["throtles", "throttles"] }, tokenQuotaCodes: { [NOVA]: "L-AB12CD34" }, tokenQuotaAlarmsDisabled: [NOVA, 7] });
        assert.deepStrictEqual(issues, [
            { path: "alarms.disabled[0]", value: '"throtles"', rule: "must be one of serverErrors, clientErrors, throttles, latencyP90Ms, dailyTokens, quotaUsagePercent" },
            { path: "alarms.disabled[1]", value: '"throttles"', rule: "is also given a value in alarms.throttles: set one or the other" },
            { path: "tokenQuotaAlarmsDisabled[0]", value: `"${NOVA}"`, rule: "is also given a code in tokenQuotaCodes: set one or the other" },
            { path: "tokenQuotaAlarmsDisabled[1]", value: "7", rule: "must be a model ID as Bedrock reports it in metrics" },
        ]);
    });

    it("the component registers no throttle alarm with alarms.disabled, and refuses a misspelt name before anything registers", async () => {
        const mocks = await mockEngine();
        mocks.reset();
        pulumi.runtime.setAllConfig({ "aws:region": REGION });
        new InvocationMonitoring("watched", { models: [NOVA], alarms: { disabled: ["throttles"] }, tokenQuotaAlarmsDisabled: [NOVA] });
        await mocks.settle();
        const alarms = mocks.resources.filter((resource) => resource.type === "aws:cloudwatch/metricAlarm:MetricAlarm").map((resource) => resource.name);
        assert.ok(alarms.some((name) => name.includes("server-error")), alarms.join(", "));
        assert.deepStrictEqual(alarms.filter((name) => /throttle|quota/.test(name)), []);

        mocks.reset();
        const refused = new InvocationMonitoring("refused", { alarms: { disabled: ["throtles"] } });
        await assert.rejects((refused.urn as unknown as { promise(): Promise<string> }).promise(), /alarms\.disabled\[0\] = "throtles": must be one of serverErrors/);
        await mocks.settle();
        assert.deepStrictEqual(mocks.resources, []);
    });
});
