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
    /** Whether the endpoints answer the services' public DNS names in the VPC. Default `true`. */
    readonly privateDns: boolean;
    /**
     * The AWS Organizations organization (`o-...`) whose principals each endpoint admits. If not
     * provided, only the principals of the stack's own account.
     */
    readonly organizationId: string | undefined;
    /** IAM role ARNs each endpoint also admits, whatever their account (for example a gateway's role in a shared VPC). Default none. */
    readonly allowedPrincipals: readonly string[];
}

const id = (prefix: string, what: string) => z.string().regex(new RegExp(`^${prefix}-[0-9a-f]{8,17}$`), `must be ${what} ID (${prefix}-...)`);

/** AWS Organizations IDs: `o-` and 10 to 32 lower-case letters or digits. */
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

const privateEndpointsSchema = z.strictObject({
    vpcId: id("vpc", "a VPC"),
    subnetIds: z.array(id("subnet", "a subnet")).min(1, "must list at least one subnet (one per Availability Zone is usual)"),
    securityGroupIds: z.array(id("sg", "a security group")).min(1, "must list at least one security group"),
    services: z
        .array(z.enum(ENDPOINT_SERVICES, { message: `must be one of ${ENDPOINT_SERVICES.join(", ")}` }))
        .min(1, "must list at least one service")
        .refine((services) => new Set(services).size === services.length, "must not list a service twice"),
    privateDns: z.boolean().default(true),
    organizationId: z.string().regex(ORGANIZATION_ID, "must be an AWS Organizations ID: o- and 10 to 32 lower-case letters or digits (aws organizations describe-organization)").optional(),
    allowedPrincipals: z
        .array(
            z
                .string()
                .refine((arn) => !/[*?]/.test(arn), "wildcards (* or ?) are not allowed: name each role exactly")
                .refine((arn) => /[*?]/.test(arn) || ROLE_ARN.test(arn), "must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)"),
        )
        .default([])
        .refine((arns) => new Set(arns).size === arns.length, "must not list a role twice"),
});

export function validatePrivateEndpoints(raw: unknown, key = "privateEndpoints", partition?: string): { value: PrivateEndpointsSpec | undefined; issues: ConfigIssue[] } {
    if (raw === undefined) return { value: undefined, issues: [] };
    const root = { [key]: raw };
    const parsed = z.object({ [key]: privateEndpointsSchema }).safeParse(root);
    if (!parsed.success) return { value: undefined, issues: issuesFromZod(root, parsed.error) };
    const value = parsed.data[key] as z.infer<typeof privateEndpointsSchema>;
    // Roles of another partition can never call this partition's endpoints.
    const issues: ConfigIssue[] = [];
    value.allowedPrincipals.forEach((arn, index) => {
        const rolePartition = ROLE_ARN.exec(arn)?.[1];
        if (partition && rolePartition !== partition) {
            issues.push({ path: `${key}.allowedPrincipals[${index}]`, value: JSON.stringify(arn), rule: `must be a role of the stack's partition (${partition})` });
        }
    });
    return { value: { ...value, organizationId: value.organizationId }, issues };
}
