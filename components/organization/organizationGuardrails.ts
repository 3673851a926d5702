import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ServiceControlPolicy } from "./guardrailPolicies";

export interface OrganizationGuardrailsArgs {
    /** The SCPs, from `layOutGuardrails` (what `npm run org-guardrails -- --format json` prints). */
    readonly policies: readonly ServiceControlPolicy[];
    /** The root (`r-...`) or OUs (`ou-...`) each SCP is attached to. */
    readonly targetIds: readonly string[];
    /** Tags for the policies. If not provided, only `bedrock-access:guardrails`. */
    readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The organisation's guardrails: one `aws.organizations.Policy` of type SERVICE_CONTROL_POLICY per
 * SCP, attached to every target. The documents are plain values, known at preview, so the policy
 * pack judges them before anything changes in the organisation.
 */
export class OrganizationGuardrails extends pulumi.ComponentResource {
    /** Policy name -> the SCP's ID. */
    public readonly policyIds: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: OrganizationGuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bedrock-access:organization:Guardrails", name, {}, opts);
        const tags = { "bedrock-access:guardrails": "organization", ...args.tags };
        const created = args.policies.map((scp) => {
            const policy = new aws.organizations.Policy(
                scp.name,
                { name: scp.name, description: scp.description, type: "SERVICE_CONTROL_POLICY", content: JSON.stringify(scp.document), tags },
                { parent: this },
            );
            // The attachment's name carries the target, so that adding a target renames no other.
            for (const targetId of args.targetIds) new aws.organizations.PolicyAttachment(`${scp.name}-${targetId}`, { policyId: policy.id, targetId }, { parent: this });
            return [scp.name, policy.id] as const;
        });
        this.policyIds = pulumi.output(Object.fromEntries(created)) as pulumi.Output<Record<string, string>>;
        this.registerOutputs({ policyIds: this.policyIds });
    }
}
