import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AnthropicUseCase, anthropicFormData } from "./anthropicUseCaseConfig";

export interface AnthropicUseCaseArgs {
    /** The validated `anthropicUseCase` form. */
    readonly form: AnthropicUseCase;
}

/**
 * Anthropic's first-time-use form for the account, as code (`aws.bedrock.UseCaseForModelAccess`).
 * The provider adopts a form the account already submitted when it is identical (and fails when it
 * differs), cannot update it, and never deletes it: `pulumi destroy` only forgets it.
 */
export class AnthropicUseCaseForm extends pulumi.ComponentResource {
    constructor(name: string, args: AnthropicUseCaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bedrock-access:modelAccess:AnthropicUseCaseForm", name, {}, opts);
        new aws.bedrock.UseCaseForModelAccess(name, { formData: anthropicFormData(args.form) }, { parent: this, retainOnDelete: true });
        this.registerOutputs({});
    }
}
