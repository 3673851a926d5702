/** Statements shared by the key policies this project writes. */
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
