import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BudgetSpec } from "./costAttributionConfig";
import { budgetFilterExpression, budgetNotifications } from "./costAttributionPolicies";
import { CostTags } from "./costTags";

export interface CostBudgetsArgs {
    /** `monitoring.budgets`. */
    readonly budgets: readonly BudgetSpec[];
    /** The stack's alert topic's ARN (known at preview: its name is fixed): every notification goes there; its policy and key admit AWS Budgets. */
    readonly topicArn: string;
    /** The tag keys to activate as cost allocation tags (`monitoring.activateCostTags`); empty: none. */
    readonly activateTagKeys: readonly string[];
    /** Tags of the budgets themselves. If not provided, none. */
    readonly tags?: CostTags;
}

/**
 * Monthly cost budgets over the spend that carries a team's tags (Bedrock's own charges and
 * third-party models billed through AWS Marketplace), notifying the alert topic; and, when asked,
 * the stack's tag keys activated as cost allocation tags.
 */
export class CostBudgets extends pulumi.ComponentResource {
    /** Each budget's name. */
    public readonly budgetNames: readonly string[];

    constructor(name: string, args: CostBudgetsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bedrock-access:costAttribution:CostBudgets", name, {}, opts);
        for (const budget of args.budgets) {
            new aws.budgets.Budget(
                `${name}-${budget.name.replace(/[^A-Za-z0-9._-]/g, "-")}`,
                {
                    name: budget.name,
                    budgetType: "COST",
                    timeUnit: "MONTHLY",
                    limitAmount: budget.monthlyLimitUsd.toFixed(2),
                    limitUnit: "USD",
                    filterExpression: budgetFilterExpression(budget.costTags) as unknown as aws.types.input.budgets.BudgetFilterExpression,
                    notifications: budgetNotifications(budget, args.topicArn),
                    ...(args.tags && Object.keys(args.tags).length > 0 ? { tags: { ...args.tags } } : {}),
                },
                { parent: this },
            );
        }
        // A key is activated only once it has appeared in the billing data, and only in the management account.
        for (const tagKey of args.activateTagKeys) {
            new aws.costexplorer.CostAllocationTag(`${name}-tag-${tagKey.replace(/[^A-Za-z0-9._-]/g, "-")}`, { tagKey, status: "Active" }, { parent: this });
        }
        this.budgetNames = args.budgets.map((budget) => budget.name);
        this.registerOutputs({ budgetNames: this.budgetNames });
    }
}
