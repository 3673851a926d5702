import * as awsNative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import { AwsLocation } from "../arns/bedrockArns";

/** The AWS provider's account guard and credentials (`aws:allowedAccountIds`, `aws:profile`), applied to an aws-native provider too. */
export interface AwsProviderSettings {
    /** If not provided, any account. */
    readonly allowedAccountIds?: readonly string[];
    /** If not provided, the environment's credentials. */
    readonly profile?: string;
}

/**
 * The `@pulumi/aws-native` provider for what the AWS provider cannot create, named `<name>-aws-native`: in the
 * stack's region, under the AWS provider's account guard and credentials, with the stack-wide tags when given.
 */
export function awsNativeProvider(
    name: string,
    args: AwsProviderSettings & { readonly location: AwsLocation; readonly defaultTags?: Readonly<Record<string, string>> },
    parent: pulumi.Resource,
): awsNative.Provider {
    const defaultTags = args.defaultTags ?? {};
    return new awsNative.Provider(
        `${name}-aws-native`,
        {
            region: args.location.region as awsNative.Region,
            ...(Object.keys(defaultTags).length > 0 ? { defaultTags: { tags: { ...defaultTags } } } : {}),
            ...(args.allowedAccountIds ? { allowedAccountIds: [...args.allowedAccountIds] } : {}),
            ...(args.profile ? { profile: args.profile } : {}),
        },
        { parent },
    );
}
