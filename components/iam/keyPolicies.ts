/**
 * Statements shared by the key policies this project writes. A created key's policy names the
 * deploying role itself: the deployer's IAM policy grants nothing on existing keys (only creating
 * one), so it administers the keys the stack created and no other key of the account.
 */
import { AwsLocation } from "../arns/bedrockArns";
import { PolicyStatement } from "./iamDocument";

/** What the account (through IAM) may do to administer a created key: listed one by one, never `kms:*`. */
export const KEY_ADMINISTRATION_ACTIONS: readonly string[] = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
];

/** The account, through IAM, administers the key: every action named, never `kms:*`. */
export function accountAdministersKey(location: AwsLocation): PolicyStatement {
    return {
        Sid: "AccountAdministersKey",
        Effect: "Allow",
        Principal: { AWS: `arn:${location.partition}:iam::${location.accountId}:root` },
        Action: KEY_ADMINISTRATION_ACTIONS,
        Resource: "*",
    };
}

/** The deploying role's name starts with it (the bootstrap's `bedrock-access-deployer-<stack>`): the key policies name it by it. */
export const DEPLOYER_ROLE_NAME_PREFIX = "bedrock-access-deployer";

/** What the deployer reads on a created key (the provider's Read). */
export const DEPLOYER_KEY_READ_ACTIONS: readonly string[] = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"];
/** What the deployer changes on a created key (the provider's create, update and tag calls). Never deletion: keys are kept on destroy. */
export const DEPLOYER_KEY_CHANGE_ACTIONS: readonly string[] = [
    "kms:DisableKeyRotation",
    "kms:EnableKeyRotation",
    "kms:PutKeyPolicy",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateKeyDescription",
];

/**
 * The deploying role (a role of this account whose name starts with `bedrock-access-deployer`)
 * administers this key, through this policy and not through IAM: it reads it, and changes it while
 * the key carries the stack's tags. Principal `*` bound to the account and the role's ARN, because
 * KMS refuses a key policy naming a role that does not exist yet.
 */
export function deployerAdministersKey(location: AwsLocation, keyTags: Readonly<Record<string, string>>): PolicyStatement[] {
    const deployer = {
        StringEquals: { "aws:PrincipalAccount": location.accountId },
        ArnLike: { "aws:PrincipalArn": `arn:${location.partition}:iam::${location.accountId}:role/${DEPLOYER_ROLE_NAME_PREFIX}*` },
    };
    const tagged = Object.fromEntries(Object.entries(keyTags).map(([key, value]) => [`aws:ResourceTag/${key}`, value]));
    return [
        { Sid: "DeployerReadsKey", Effect: "Allow", Principal: "*", Action: [...DEPLOYER_KEY_READ_ACTIONS], Resource: "*", Condition: deployer },
        {
            Sid: "DeployerAdministersStackKey",
            Effect: "Allow",
            Principal: "*",
            Action: [...DEPLOYER_KEY_CHANGE_ACTIONS],
            Resource: "*",
            Condition: { ...deployer, StringEquals: { ...deployer.StringEquals, ...tagged } },
        },
    ];
}
