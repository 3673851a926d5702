/** The `privateEndpoints` key: interface VPC endpoints for Bedrock's APIs. */
import { z } from "zod";
import { ConfigIssue, issuesFromZod } from "../config/configValidation";

export const ENDPOINT_SERVICES = ["bedrock-runtime", "bedrock-agent-runtime", "bedrock", "bedrock-agent"] as const;
export type EndpointService = (typeof ENDPOINT_SERVICES)[number];

export interface PrivateEndpointsSpec {
    readonly vpcId: string;
    readonly subnetIds: readonly string[];
    readonly securityGroupIds: readonly string[];
    readonly services: readonly EndpointService[];
    readonly privateDns: boolean;
}

const id = (prefix: string, what: string) => z.string().regex(new RegExp(`^${prefix}-[0-9a-f]{8,17}$`), `must be ${what} ID (${prefix}-...)`);

const privateEndpointsSchema = z.strictObject({
    vpcId: id("vpc", "a VPC"),
    subnetIds: z.array(id("subnet", "a subnet")).min(1, "must list at least one subnet (one per Availability Zone is usual)"),
    securityGroupIds: z.array(id("sg", "a security group")).min(1, "must list at least one security group"),
    services: z
        .array(z.enum(ENDPOINT_SERVICES, { message: `must be one of ${ENDPOINT_SERVICES.join(", ")}` }))
        .min(1, "must list at least one service")
        .refine((services) => new Set(services).size === services.length, "must not list a service twice"),
    privateDns: z.boolean().default(true),
});

export function validatePrivateEndpoints(raw: unknown, key = "privateEndpoints"): { value: PrivateEndpointsSpec | undefined; issues: ConfigIssue[] } {
    if (raw === undefined) return { value: undefined, issues: [] };
    const root = { [key]: raw };
    const parsed = z.object({ [key]: privateEndpointsSchema }).safeParse(root);
    return parsed.success ? { value: parsed.data[key] as PrivateEndpointsSpec, issues: [] } : { value: undefined, issues: issuesFromZod(root, parsed.error) };
}
