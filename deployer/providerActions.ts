/**
 * The IAM actions the Pulumi AWS provider calls for each resource type (and data source) this
 * stack registers, by lifecycle phase. It is the input from which the deployer's least-privilege
 * policy (the identity that runs `pulumi preview/up/refresh/destroy`) is generated.
 *
 * Source: the Go sources of hashicorp/terraform-provider-aws (v6) under `internal/service/<svc>/`,
 * as bridged by @pulumi/aws 7.48: the resource's Create/Read/Update/Delete functions, the AWS SDK v2
 * calls they make (`conn.CreateRole(ctx, …)` → `iam:CreateRole`), the transparent-tagging
 * interceptor (`internal/provider/sdkv2/tags_interceptor.go`: update tags when `tags_all` changes,
 * list tags after every Read that does not set them itself) and each service's tags code.
 * Create and Update end with Read, so `read` is needed whenever anything is created or changed.
 * Only arguments this stack sets are covered. Names are IAM action names (not API names), with the
 * Service Authorization Reference's capitalization; a test checks them against it.
 *
 * Not in the table: configuring the provider calls sts:GetCallerIdentity once (credential
 * validation and account ID lookup, `awsbase.GetAwsAccountIDAndPartition`), which no IAM policy can
 * deny. With the default skip_* settings nothing else is called (region validation is a static list).
 * iam:PassRole is handled separately.
 */
export interface ProviderActions {
    /** The Pulumi type token. */
    readonly type: string;
    readonly kind: "resource" | "data";
    /** The Terraform resource or data source the Pulumi type bridges. */
    readonly terraform: string;
    /** The provider source file(s) the actions were read from, repository-relative. */
    readonly sources: readonly string[];
    /** Called to read it: after create and update, on refresh, and by preview of a data source. */
    readonly read: readonly string[];
    /** Called only when it is created (besides `read`). */
    readonly create: readonly string[];
    /** Called when an argument of it changes in place. */
    readonly update: readonly string[];
    /** Called by `pulumi destroy` or a replacement. */
    readonly delete: readonly string[];
    /** Called to set, change and read its tags; empty when the type has no tags. */
    readonly tag: readonly string[];
    /** Anything a reader must know: an action the code does not show but AWS checks (e.g. iam:PassRole), an action left out on purpose and why. */
    readonly notes?: string;
}

export const PROVIDER_ACTIONS: readonly ProviderActions[] = [
    {
        type: "aws:iam/role:Role",
        kind: "resource",
        terraform: "aws_iam_role",
        sources: ["internal/service/iam/role.go", "internal/service/iam/tags.go"],
        read: [
            "iam:GetRole", // from findRole (also waitRoleARNIsNotUniqueID); returns the tags too
            "iam:ListRolePolicies", // from findRolePolicyNames, via readRoleInlinePolicies
            "iam:GetRolePolicy", // from readRoleInlinePolicies, once per inline policy (a RolePolicy of this stack adds one)
            "iam:ListAttachedRolePolicies", // from findRoleAttachedPolicies
        ],
        create: [
            "iam:CreateRole", // from retryCreateRole
        ],
        update: [
            "iam:UpdateAssumeRolePolicy", // from resourceRoleUpdate (assume_role_policy)
            "iam:UpdateRoleDescription", // from resourceRoleUpdate (description)
            "iam:UpdateRole", // from resourceRoleUpdate (max_session_duration)
            "iam:PutRolePermissionsBoundary", // from resourceRoleUpdate (permissions_boundary set or changed)
        ],
        delete: [
            "iam:ListInstanceProfilesForRole", // from deleteRoleInstanceProfiles (findInstanceProfilesForRole), always
            "iam:ListAttachedRolePolicies", // from deleteRole, when managed_policy_arns in state is not empty
            "iam:DetachRolePolicy", // from deleteRolePolicyAttachments, only for policies still attached
            "iam:ListRolePolicies", // from deleteRole, when inline_policy in state is not empty
            "iam:DeleteRolePolicy", // from deleteRoleInlinePolicies, only for inline policies still present
            "iam:DeleteRole", // from deleteRole
        ],
        tag: [
            "iam:TagRole", // from roleUpdateTags; also authorized by IAM for the tags passed to CreateRole
            "iam:UntagRole", // from roleUpdateTags
        ],
        notes:
            "Tags are passed in CreateRole, which IAM authorizes as iam:TagRole as well. Read takes the tags from GetRole (setTagsOut), so iam:ListRoleTags is not called. " +
            "Read populates the computed managed_policy_arns and inline_policy from AWS, so delete lists (and, if anything is left, detaches/deletes) the role's policies; " +
            "Pulumi deletes this stack's RolePolicy/RolePolicyAttachment first. iam:RemoveRoleFromInstanceProfile (deleteRoleInstanceProfiles) is left out: the stack creates no instance profile. " +
            "CreateRole carries permissions_boundary; an update sets it with PutRolePermissionsBoundary. Removing it (permissionsBoundary: none after a boundary) " +
            "would call iam:DeleteRolePermissionsBoundary, which the deployer is never granted: an administrator removes a boundary. " +
            "inline_policy and managed_policy_arns arguments are not set, so PutRolePolicy and AttachRolePolicy are not called by this type.",
    },
    {
        type: "aws:iam/rolePolicy:RolePolicy",
        kind: "resource",
        terraform: "aws_iam_role_policy",
        sources: ["internal/service/iam/role_policy.go"],
        read: [
            "iam:GetRolePolicy", // from findRolePolicyByTwoPartKey
        ],
        create: [
            "iam:PutRolePolicy", // from resourceRolePolicyPut
        ],
        update: [
            "iam:PutRolePolicy", // from resourceRolePolicyPut (policy)
        ],
        delete: [
            "iam:DeleteRolePolicy", // from resourceRolePolicyDelete
        ],
        tag: [],
    },
    {
        type: "aws:iam/policy:Policy",
        kind: "resource",
        terraform: "aws_iam_policy",
        sources: ["internal/service/iam/policy.go", "internal/service/iam/tags.go"],
        read: [
            "iam:GetPolicy", // from findPolicy; returns the tags too
            "iam:GetPolicyVersion", // from findPolicyVersion (default version's document)
        ],
        create: [
            "iam:CreatePolicy", // from resourcePolicyCreate
        ],
        update: [
            "iam:ListPolicyVersions", // from policyPruneVersions (findPolicyVersionsByARN)
            "iam:DeletePolicyVersion", // from policyDeleteVersion, when 5 versions exist (oldest non-default)
            "iam:CreatePolicyVersion", // from resourcePolicyUpdate (SetAsDefault: true)
        ],
        delete: [
            "iam:ListPolicyVersions", // from resourcePolicyDelete (findPolicyVersionsByARN)
            "iam:DeletePolicyVersion", // from policyDeleteVersion, for each non-default version
            "iam:DeletePolicy", // from resourcePolicyDelete
        ],
        tag: [
            "iam:TagPolicy", // from policyUpdateTags; also authorized by IAM for the tags passed to CreatePolicy
            "iam:UntagPolicy", // from policyUpdateTags
        ],
        notes:
            "Tags are passed in CreatePolicy, which IAM authorizes as iam:TagPolicy as well; Read takes the tags from GetPolicy, so iam:ListPolicyTags is not called. " +
            "iam:SetDefaultPolicyVersion is only called with delay_after_policy_creation_in_ms, which is not set. name and description force replacement.",
    },
    {
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        kind: "resource",
        terraform: "aws_iam_role_policy_attachment",
        sources: ["internal/service/iam/role_policy_attachment.go"],
        read: [
            "iam:ListAttachedRolePolicies", // from findAttachedRolePolicies
        ],
        create: [
            "iam:AttachRolePolicy", // from attachPolicyToRole
        ],
        update: [],
        delete: [
            "iam:DetachRolePolicy", // from detachPolicyFromRole
        ],
        tag: [],
        notes: "Every argument forces replacement: there is no Update. The role may be one this stack does not own (gateway access kind attach-to-role).",
    },
    {
        type: "aws:kms/key:Key",
        kind: "resource",
        terraform: "aws_kms_key",
        sources: ["internal/service/kms/key.go", "internal/service/kms/wait.go", "internal/service/kms/tags_gen.go"],
        read: [
            "kms:DescribeKey", // from findKeyByID (also the propagation and deletion waiters)
            "kms:GetKeyPolicy", // from findKeyPolicyByTwoPartKey (also waitKeyPolicyPropagated)
            "kms:GetKeyRotationStatus", // from findKeyRotationEnabledByKeyID (also waitKeyRotationEnabledPropagated)
            "kms:ListResourceTags", // from findKeyInfo (listTags), on every Read; also waitTagsPropagated
        ],
        create: [
            "kms:CreateKey", // from resourceKeyCreate (description, policy, tags)
            "kms:EnableKeyRotation", // from updateKeyRotationEnabled (enable_key_rotation = true)
        ],
        update: [
            "kms:EnableKeyRotation", // from updateKeyRotationEnabled
            "kms:DisableKeyRotation", // from updateKeyRotationEnabled, if rotation is switched off
            "kms:UpdateKeyDescription", // from updateKeyDescription
            "kms:PutKeyPolicy", // from updateKeyPolicy
        ],
        delete: [
            "kms:ScheduleKeyDeletion", // from resourceKeyDelete (deletion_window_in_days)
        ],
        tag: [
            "kms:TagResource", // from updateTags; also authorized by KMS for the tags passed to CreateKey
            "kms:UntagResource", // from updateTags
            "kms:ListResourceTags", // from listTags
        ],
        notes:
            "KMS authorizes against the key policy too: the policy the stack sets must let the deployer run the read/update/tag actions on the key, or later updates lock it out. " +
            "Tags are passed in CreateKey, which KMS authorizes as kms:TagResource as well. kms:EnableKey/DisableKey are only called for is_enabled, which is not set. " +
            "This stack sets retainOnDelete on its keys, so `pulumi destroy` does not call kms:ScheduleKeyDeletion; it is listed for a replacement or if that option is removed.",
    },
    {
        type: "aws:lambda/permission:Permission",
        kind: "resource",
        terraform: "aws_lambda_permission",
        sources: ["internal/service/lambda/permission.go"],
        read: [
            "lambda:GetPolicy", // from findPolicy (findPolicyStatementByTwoPartKey); also the delete waiter
        ],
        create: [
            "lambda:AddPermission", // from resourcePermissionCreate
        ],
        update: [],
        delete: [
            "lambda:RemovePermission", // from resourcePermissionDelete
        ],
        tag: [],
        notes: "Every argument forces replacement: there is no Update. The actions act on the target function's resource policy, so the function ARN is their resource.",
    },
    {
        type: "aws:ec2/vpcEndpoint:VpcEndpoint",
        kind: "resource",
        terraform: "aws_vpc_endpoint",
        sources: ["internal/service/ec2/vpc_endpoint.go", "internal/service/ec2/find.go", "internal/service/ec2/wait.go", "internal/service/ec2/tags_gen.go"],
        read: [
            "ec2:DescribeVpcEndpoints", // from findVPCEndpointByID (also waitVPCEndpointAvailable/Deleted); returns the tags too
            "ec2:DescribePrefixLists", // from findPrefixListByName (cidr_blocks, prefix_list_id); called for Interface endpoints too
            "ec2:DescribeNetworkInterfaces", // from findSubnetConfigurationsByNetworkInterfaceIDs (findNetworkInterfaceByID), once per endpoint ENI
        ],
        create: [
            "ec2:CreateVpcEndpoint", // from resourceVPCEndpointCreate (Interface type, subnets, security groups, private DNS, policy, tag specifications)
        ],
        update: [
            "ec2:ModifyVpcEndpoint", // from resourceVPCEndpointUpdate (policy, private_dns_enabled, subnet_ids, security_group_ids)
        ],
        delete: [
            "ec2:DeleteVpcEndpoints", // from resourceVPCEndpointDelete
        ],
        tag: [
            "ec2:CreateTags", // from updateTags; also authorized by EC2 (ec2:CreateAction = CreateVpcEndpoint) for the TagSpecifications of CreateVpcEndpoint
            "ec2:DeleteTags", // from updateTags
        ],
        notes:
            "EC2 authorizes CreateVpcEndpoint and ModifyVpcEndpoint on the VPC, subnets and security groups as well as on the endpoint. " +
            "auto_accept is not set, so ec2:AcceptVpcEndpointConnections and DescribeVpcEndpointServiceConfigurations (vpcEndpointAccept) are not called. Tags come from DescribeVpcEndpoints.",
    },
    {
        type: "aws:s3/bucket:Bucket",
        kind: "resource",
        terraform: "aws_s3_bucket",
        sources: [
            "internal/service/s3/bucket.go",
            "internal/service/s3/bucket_policy.go",
            "internal/service/s3/bucket_acl.go",
            "internal/service/s3/bucket_cors_configuration.go",
            "internal/service/s3/bucket_website_configuration.go",
            "internal/service/s3/bucket_versioning.go",
            "internal/service/s3/bucket_accelerate_configuration.go",
            "internal/service/s3/bucket_request_payment_configuration.go",
            "internal/service/s3/bucket_logging.go",
            "internal/service/s3/bucket_lifecycle_configuration.go",
            "internal/service/s3/bucket_replication_configuration.go",
            "internal/service/s3/bucket_server_side_encryption_configuration.go",
            "internal/service/s3/bucket_object_lock_configuration.go",
            "internal/service/s3/delete.go",
            "internal/service/s3/tags.go",
        ],
        read: [
            "s3:ListBucket", // HeadBucket, from findBucket and from manager.GetBucketRegion (region, hosted zone)
            "s3:GetBucketPolicy", // GetBucketPolicy, from findBucketPolicy
            "s3:GetBucketAcl", // GetBucketAcl, from findBucketACL
            "s3:GetBucketCORS", // GetBucketCors, from findCORSRules
            "s3:GetBucketWebsite", // GetBucketWebsite, from findBucketWebsite
            "s3:GetBucketVersioning", // GetBucketVersioning, from findBucketVersioning
            "s3:GetAccelerateConfiguration", // GetBucketAccelerateConfiguration, from findBucketAccelerateConfiguration
            "s3:GetBucketRequestPayment", // GetBucketRequestPayment, from findBucketRequestPayment
            "s3:GetBucketLogging", // GetBucketLogging, from findLoggingEnabled
            "s3:GetLifecycleConfiguration", // GetBucketLifecycleConfiguration, from findBucketLifecycleConfiguration
            "s3:GetReplicationConfiguration", // GetBucketReplication, from findReplicationConfiguration
            "s3:GetEncryptionConfiguration", // GetBucketEncryption, from findServerSideEncryptionConfiguration
            "s3:GetBucketObjectLockConfiguration", // GetObjectLockConfiguration, from findObjectLockConfiguration
            "s3:ListTagsForResource", // S3 Control ListTagsForResource, from the tagging interceptor's ListTags after every Read
        ],
        create: [
            "s3:CreateBucket", // from resourceBucketCreate (ACL private, location constraint, tags)
        ],
        update: [],
        delete: [
            "s3:DeleteBucket", // from resourceBucketDelete
            "s3:ListBucketVersions", // ListObjectVersions, from emptyBucket (forEachObjectVersionsPage), force_destroy only
            "s3:DeleteObject", // DeleteObjects, from deletePage, force_destroy only
            "s3:DeleteObjectVersion", // DeleteObjects with version IDs (versions and delete markers), from deletePage, force_destroy only
        ],
        tag: [
            "s3:TagResource", // S3 Control TagResource (update), and authorized for the tags sent in CreateBucket
            "s3:UntagResource", // S3 Control UntagResource (update)
            "s3:ListTagsForResource", // S3 Control ListTagsForResource (read, and before an update)
        ],
        notes:
            "Read calls every bucket-configuration getter in the read list on every refresh and after create. It tolerates only not-found and " +
            "MethodNotAllowed/NotImplemented/XNotImplemented errors (plus UnsupportedArgument/UnsupportedOperation for accelerate and UnsupportedOperation for encryption), " +
            "never AccessDenied, so all of them are required; only the object-lock getter's errors are ignored, and only outside the aws and aws-us-gov partitions. " +
            "Since provider 6.23 (pulumi-aws 7.13, hashicorp/terraform-provider-aws#45251) tags are sent in CreateBucket (authorized as s3:TagResource) and read/changed through the S3 Control " +
            "tagging APIs; on a permissions error the provider falls back to tag-after-create and to s3:GetBucketTagging/PutBucketTagging/DeleteBucketTagging, which are left out on purpose. " +
            "The bucket is created with the canned ACL private, which S3 authorizes with s3:CreateBucket alone (s3:PutBucketAcl is only needed for other ACLs). " +
            "Only bucket, force_destroy and tags are set: bucket forces replacement and force_destroy is stored in state only, so no in-place update calls AWS except tagging. " +
            "The emptying actions in delete run only when force_destroy is true and the bucket is not empty (this stack sets it with deleteLogsOnDestroy, and otherwise retains the bucket); " +
            "object lock is not enabled, so s3:BypassGovernanceRetention and s3:PutObjectLegalHold are not needed.",
    },
    {
        type: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        kind: "resource",
        terraform: "aws_s3_bucket_lifecycle_configuration",
        sources: ["internal/service/s3/bucket_lifecycle_configuration.go"],
        read: [
            "s3:GetLifecycleConfiguration", // GetBucketLifecycleConfiguration, from findBucketLifecycleConfiguration (also waitLifecycleRulesEquals)
        ],
        create: [
            "s3:PutLifecycleConfiguration", // PutBucketLifecycleConfiguration, from Create
        ],
        update: [
            "s3:PutLifecycleConfiguration", // PutBucketLifecycleConfiguration, from Update
        ],
        delete: [
            "s3:PutLifecycleConfiguration", // DeleteBucketLifecycle, from Delete
        ],
        tag: [],
    },
    {
        type: "aws:s3/bucketPolicy:BucketPolicy",
        kind: "resource",
        terraform: "aws_s3_bucket_policy",
        sources: ["internal/service/s3/bucket_policy.go"],
        read: [
            "s3:GetBucketPolicy", // from findBucketPolicy
        ],
        create: [
            "s3:PutBucketPolicy", // from resourceBucketPolicyPut
        ],
        update: [
            "s3:PutBucketPolicy", // from resourceBucketPolicyPut
        ],
        delete: [
            "s3:DeleteBucketPolicy", // from resourceBucketPolicyDelete
        ],
        tag: [],
        notes: "S3 evaluates the bucket policy for these calls too: the policy this stack sets must not deny the deployer s3:GetBucketPolicy/PutBucketPolicy/DeleteBucketPolicy, or later refreshes and updates fail.",
    },
    {
        type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        kind: "resource",
        terraform: "aws_s3_bucket_public_access_block",
        sources: ["internal/service/s3/bucket_public_access_block.go"],
        read: [
            "s3:GetBucketPublicAccessBlock", // GetPublicAccessBlock, from findPublicAccessBlockConfiguration
        ],
        create: [
            "s3:PutBucketPublicAccessBlock", // PutPublicAccessBlock, from resourceBucketPublicAccessBlockCreate
        ],
        update: [
            "s3:PutBucketPublicAccessBlock", // PutPublicAccessBlock, from resourceBucketPublicAccessBlockUpdate (which skips the Read)
        ],
        delete: [
            "s3:PutBucketPublicAccessBlock", // DeletePublicAccessBlock, from resourceBucketPublicAccessBlockDelete
        ],
        tag: [],
    },
    {
        type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        kind: "resource",
        terraform: "aws_s3_bucket_server_side_encryption_configuration",
        sources: ["internal/service/s3/bucket_server_side_encryption_configuration.go"],
        read: [
            "s3:GetEncryptionConfiguration", // GetBucketEncryption, from findServerSideEncryptionConfiguration
        ],
        create: [
            "s3:PutEncryptionConfiguration", // PutBucketEncryption, from resourceBucketServerSideEncryptionConfigurationCreate
        ],
        update: [
            "s3:PutEncryptionConfiguration", // PutBucketEncryption, from resourceBucketServerSideEncryptionConfigurationUpdate
        ],
        delete: [
            "s3:PutEncryptionConfiguration", // DeleteBucketEncryption, from resourceBucketServerSideEncryptionConfigurationDelete
        ],
        tag: [],
        notes: "Setting an SSE-KMS default needs no KMS action from the deployer; the key policy must let S3 (the writers) use the key.",
    },
    {
        type: "aws:s3/bucketVersioning:BucketVersioning",
        kind: "resource",
        terraform: "aws_s3_bucket_versioning",
        sources: ["internal/service/s3/bucket_versioning.go"],
        read: [
            "s3:GetBucketVersioning", // from findBucketVersioning (waitForBucketVersioningStatus)
        ],
        create: [
            "s3:PutBucketVersioning", // from resourceBucketVersioningCreate
        ],
        update: [
            "s3:PutBucketVersioning", // from resourceBucketVersioningUpdate
        ],
        delete: [
            "s3:PutBucketVersioning", // from resourceBucketVersioningDelete (suspends versioning)
        ],
        tag: [],
    },
    {
        type: "aws:sns/topic:Topic",
        kind: "resource",
        terraform: "aws_sns_topic",
        sources: ["internal/service/sns/topic.go", "internal/service/sns/tags_gen.go"],
        read: [
            "sns:GetTopicAttributes", // from findTopicAttributesByARN
            "sns:ListTagsForResource", // from the tagging interceptor's ListTags after every Read (Read does not set tags)
        ],
        create: [
            "sns:CreateTopic", // from resourceTopicCreate (name, tags)
            "sns:SetTopicAttributes", // from putTopicAttributes, after CreateTopic (KmsMasterKeyId)
        ],
        update: [
            "sns:SetTopicAttributes", // from putTopicAttributes (kms_master_key_id)
        ],
        delete: [
            "sns:DeleteTopic", // from resourceTopicDelete
        ],
        tag: [
            "sns:TagResource", // from updateTags; also authorized by SNS for the tags passed to CreateTopic
            "sns:UntagResource", // from updateTags
            "sns:ListTagsForResource", // from listTags
        ],
        notes:
            "Tags are passed in CreateTopic, which SNS authorizes as sns:TagResource as well. The name forces replacement. " +
            "Setting KmsMasterKeyId needs no KMS action from the deployer; the key policy must let the publishers (CloudWatch) use the key.",
    },
    {
        type: "aws:sns/topicPolicy:TopicPolicy",
        kind: "resource",
        terraform: "aws_sns_topic_policy",
        sources: ["internal/service/sns/topic_policy.go", "internal/service/sns/topic.go"],
        read: [
            "sns:GetTopicAttributes", // from findTopicAttributesWithValidAWSPrincipalsByARN
        ],
        create: [
            "sns:SetTopicAttributes", // from putTopicPolicy (putTopicAttribute "Policy")
        ],
        update: [
            "sns:SetTopicAttributes", // from putTopicPolicy
        ],
        delete: [
            "sns:SetTopicAttributes", // from resourceTopicPolicyDelete: restores the default topic policy
        ],
        tag: [],
    },
    {
        type: "aws:sns/topicSubscription:TopicSubscription",
        kind: "resource",
        terraform: "aws_sns_topic_subscription",
        sources: ["internal/service/sns/topic_subscription.go"],
        read: [
            "sns:GetSubscriptionAttributes", // from findSubscriptionAttributesByARN (also waitSubscriptionDeleted)
        ],
        create: [
            "sns:Subscribe", // from resourceTopicSubscriptionCreate (ReturnSubscriptionArn; email: no confirmation wait)
        ],
        update: [],
        delete: [
            "sns:Unsubscribe", // from resourceTopicSubscriptionDelete (a pending email subscription is left to expire)
        ],
        tag: [],
        notes:
            "topic_arn, protocol and endpoint force replacement, so this stack never updates in place; sns:SetSubscriptionAttributes " +
            "(putSubscriptionAttributes) would only be called for filter/delivery/redrive arguments, which are not set.",
    },
    {
        type: "aws:cloudwatch/logGroup:LogGroup",
        kind: "resource",
        terraform: "aws_cloudwatch_log_group",
        sources: ["internal/service/logs/group.go", "internal/service/logs/tags_gen.go"],
        read: [
            "logs:DescribeLogGroups", // from findLogGroupByName (listLogGroups)
            "logs:ListTagsForResource", // from the tagging interceptor's ListTags (identifierAttribute "arn") after every Read
        ],
        create: [
            "logs:CreateLogGroup", // from resourceGroupCreate (name, kms_key_id, tags)
            "logs:PutRetentionPolicy", // from resourceGroupCreate (retention_in_days)
        ],
        update: [
            "logs:PutRetentionPolicy", // from resourceGroupUpdate
            "logs:AssociateKmsKey", // from resourceGroupUpdate, when a key is set or changed
            "logs:DisassociateKmsKey", // from resourceGroupUpdate, when the key is removed (kmsKey none)
        ],
        delete: [
            "logs:DeleteLogGroup", // from resourceGroupDelete
        ],
        tag: [
            "logs:TagResource", // from updateTags; also authorized by CloudWatch Logs for the tags passed to CreateLogGroup
            "logs:UntagResource", // from updateTags
            "logs:ListTagsForResource", // from listTags
        ],
        notes:
            "The current provider tags log groups by ARN with TagResource/UntagResource/ListTagsForResource; the legacy logs:TagLogGroup/UntagLogGroup/ListTagsLogGroup " +
            "(log_group_tags_gen.go) are not used by this resource. logs:DeleteRetentionPolicy is left out: retention is always one of the positive values CloudWatch accepts " +
            "(force_destroy is not set either). deletion_protection_enabled is not set, so PutLogGroupDeletionProtection is not called. The KMS key policy must let " +
            "logs.<region>.amazonaws.com use the key; the deployer needs no KMS action. This stack retains the log group on destroy unless deleteLogsOnDestroy.",
    },
    {
        type: "aws:cloudwatch/metricAlarm:MetricAlarm",
        kind: "resource",
        terraform: "aws_cloudwatch_metric_alarm",
        sources: ["internal/service/cloudwatch/metric_alarm.go", "internal/service/cloudwatch/tags_gen.go"],
        read: [
            "cloudwatch:DescribeAlarms", // from findMetricAlarmByName
            "cloudwatch:ListTagsForResource", // from the tagging interceptor's ListTags (identifierAttribute "arn") after every Read
        ],
        create: [
            "cloudwatch:PutMetricAlarm", // from resourceMetricAlarmCreate (expandPutMetricAlarmInput, tags included)
        ],
        update: [
            "cloudwatch:PutMetricAlarm", // from resourceMetricAlarmUpdate
        ],
        delete: [
            "cloudwatch:DeleteAlarms", // from resourceMetricAlarmDelete
        ],
        tag: [
            "cloudwatch:TagResource", // from updateTags; also authorized by CloudWatch for the tags passed to PutMetricAlarm
            "cloudwatch:UntagResource", // from updateTags
            "cloudwatch:ListTagsForResource", // from listTags
        ],
        notes: "Alarm actions naming the SNS topic need no SNS permission from the deployer; the topic policy must let CloudWatch publish.",
    },
    {
        type: "aws:cloudwatch/queryDefinition:QueryDefinition",
        kind: "resource",
        terraform: "aws_cloudwatch_query_definition",
        sources: ["internal/service/logs/query_definition.go"],
        read: [
            "logs:DescribeQueryDefinitions", // from findQueryDefinitionByTwoPartKey (pages by name prefix)
        ],
        create: [
            "logs:PutQueryDefinition", // from resourceQueryDefinitionPut
        ],
        update: [
            "logs:PutQueryDefinition", // from resourceQueryDefinitionPut, with the existing ID
        ],
        delete: [
            "logs:DeleteQueryDefinition", // from resourceQueryDefinitionDelete
        ],
        tag: [],
        notes: "Query definitions have no ARN: every action of them accepts only `*`.",
    },
    {
        type: "aws:cloudwatch/contributorInsightRule:ContributorInsightRule",
        kind: "resource",
        terraform: "aws_cloudwatch_contributor_insight_rule",
        sources: ["internal/service/cloudwatch/contributor_insight_rule.go", "internal/service/cloudwatch/tags_gen.go"],
        read: [
            "cloudwatch:DescribeInsightRules", // from findContributorInsightRuleByName
            "cloudwatch:ListTagsForResource", // from the tagging interceptor's ListTags after every Read
        ],
        create: [
            "cloudwatch:PutInsightRule", // from resourceContributorInsightRuleCreate (tags inline)
        ],
        update: [
            "cloudwatch:PutInsightRule", // the rule definition and state are written by PutInsightRule
        ],
        delete: [
            "cloudwatch:DeleteInsightRules", // from resourceContributorInsightRuleDelete
        ],
        tag: [
            "cloudwatch:TagResource", // from updateTags; also authorized by CloudWatch for the tags passed to PutInsightRule
            "cloudwatch:UntagResource", // from updateTags
            "cloudwatch:ListTagsForResource", // from listTags
        ],
    },
    {
        type: "aws:glue/catalogDatabase:CatalogDatabase",
        kind: "resource",
        terraform: "aws_glue_catalog_database",
        sources: ["internal/service/glue/catalog_database.go", "internal/service/glue/tags_gen.go"],
        read: [
            "glue:GetDatabase", // from FindDatabaseByName
            "glue:GetTags", // from the tagging interceptor's ListTags after every Read
        ],
        create: [
            "glue:CreateDatabase", // from resourceCatalogDatabaseCreate
        ],
        update: [
            "glue:UpdateDatabase", // from resourceCatalogDatabaseUpdate
        ],
        delete: [
            "glue:DeleteDatabase", // from resourceCatalogDatabaseDelete
        ],
        tag: [
            "glue:TagResource", // from updateTags
            "glue:UntagResource", // from updateTags
            "glue:GetTags", // from listTags
        ],
        notes: "Read from a 2024 copy of catalog_database.go; its tags follow the service's generated tags code. The stack sets no tags on the database.",
    },
    {
        type: "aws:glue/catalogTable:CatalogTable",
        kind: "resource",
        terraform: "aws_glue_catalog_table",
        sources: ["internal/service/glue/catalog_table.go"],
        read: [
            "glue:GetTable", // from findTableByThreePartKey
            "glue:GetPartitionIndexes", // from resourceCatalogTableRead (partition_index)
        ],
        create: [
            "glue:CreateTable", // from resourceCatalogTableCreate
        ],
        update: [
            "glue:GetTable", // from resourceCatalogTableUpdate, before the update
            "glue:UpdateTable", // from resourceCatalogTableUpdate
        ],
        delete: [
            "glue:DeleteTable", // from resourceCatalogTableDelete
        ],
        tag: [],
        notes: "No S3 permission: Glue does not read the table's location when the table is written (Athena reads it, as the querying caller).",
    },
    {
        type: "aws:athena/workgroup:Workgroup",
        kind: "resource",
        terraform: "aws_athena_workgroup",
        sources: ["internal/service/athena/workgroup.go", "internal/service/athena/tags_gen.go"],
        read: [
            "athena:GetWorkGroup", // from findWorkGroupByName
            "athena:ListTagsForResource", // from the tagging interceptor's ListTags after every Read
        ],
        create: [
            "athena:CreateWorkGroup", // from resourceWorkGroupCreate (tags inline)
        ],
        update: [
            "athena:UpdateWorkGroup", // from resourceWorkGroupUpdate
        ],
        delete: [
            "athena:DeleteWorkGroup", // from resourceWorkGroupDelete (RecursiveDeleteOption with force_destroy)
        ],
        tag: [
            "athena:TagResource", // from updateTags
            "athena:UntagResource", // from updateTags
            "athena:ListTagsForResource", // from listTags
        ],
    },
    {
        type: "aws:athena/namedQuery:NamedQuery",
        kind: "resource",
        terraform: "aws_athena_named_query",
        sources: ["internal/service/athena/named_query.go"],
        read: [
            "athena:GetNamedQuery", // from findNamedQueryByID
        ],
        create: [
            "athena:CreateNamedQuery", // from resourceNamedQueryCreate
        ],
        update: [],
        delete: [
            "athena:DeleteNamedQuery", // from resourceNamedQueryDelete
        ],
        tag: [],
        notes: "Every argument forces replacement: no update call. IAM authorizes named queries on their workgroup.",
    },
    {
        type: "aws:cloudwatch/dashboard:Dashboard",
        kind: "resource",
        terraform: "aws_cloudwatch_dashboard",
        sources: ["internal/service/cloudwatch/dashboard.go"],
        read: [
            "cloudwatch:GetDashboard", // from findDashboard
        ],
        create: [
            "cloudwatch:PutDashboard", // from resourceDashboardPut
        ],
        update: [
            "cloudwatch:PutDashboard", // from resourceDashboardPut (dashboard_body)
        ],
        delete: [
            "cloudwatch:DeleteDashboards", // from resourceDashboardDelete
        ],
        tag: [],
    },
    {
        type: "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration",
        kind: "resource",
        terraform: "aws_bedrock_model_invocation_logging_configuration",
        sources: ["internal/service/bedrock/model_invocation_logging_configuration.go"],
        read: [
            "bedrock:GetModelInvocationLoggingConfiguration", // from FindModelInvocationLoggingConfigurationByID
        ],
        create: [
            "bedrock:PutModelInvocationLoggingConfiguration", // from Create (retried while the role's permissions propagate)
        ],
        update: [
            "bedrock:PutModelInvocationLoggingConfiguration", // from Update
        ],
        delete: [
            "bedrock:DeleteModelInvocationLoggingConfiguration", // from Delete
        ],
        tag: [],
        notes:
            "Bedrock checks iam:PassRole on logging_config.cloudwatch_config.role_arn when PutModelInvocationLoggingConfiguration is called (create and update); " +
            "it is not in this table. The configuration is a per-account, per-region singleton. This framework resource does not re-read after Create/Update. " +
            "This stack retains it on destroy unless deleteLogsOnDestroy (so no Delete), and with invocationLogging: existing registers none (so neither Put nor Delete).",
    },
    {
        type: "aws:bedrock/useCaseForModelAccess:UseCaseForModelAccess",
        kind: "resource",
        terraform: "aws_bedrock_use_case_for_model_access",
        sources: ["internal/service/bedrock/use_case_for_model_access.go"],
        read: [
            "bedrock:GetUseCaseForModelAccess", // from Read, and from Create (an existing identical form is adopted)
        ],
        create: [
            "bedrock:PutUseCaseForModelAccess", // from Create
        ],
        update: [],
        delete: [],
        tag: [],
        notes: "A per-account singleton with no update and no delete: the provider's Delete only forgets it, so destroy calls nothing.",
    },
    {
        type: "aws-native:lex:ResourcePolicy",
        kind: "resource",
        terraform: "(none: @pulumi/aws-native, CloudFormation's AWS::Lex::ResourcePolicy through the Cloud Control API)",
        sources: ["aws-cloudformation/aws-cloudformation-resource-providers-lex: aws-lex-resourcepolicy.json (handlers' permissions)", "pulumi/pulumi-aws-native: Cloud Control client"],
        read: [
            "cloudformation:GetResource", // Cloud Control read
            "lex:DescribeResourcePolicy", // the read handler's permission
        ],
        create: [
            "cloudformation:CreateResource", // Cloud Control create
            "cloudformation:GetResourceRequestStatus", // polled until the request completes
            "lex:CreateResourcePolicy", // the create handler's permission
        ],
        update: [
            "cloudformation:UpdateResource", // Cloud Control update
            "cloudformation:GetResourceRequestStatus",
            "lex:UpdateResourcePolicy", // the update handler's permission
        ],
        delete: [
            "cloudformation:DeleteResource", // Cloud Control delete
            "cloudformation:GetResourceRequestStatus",
            "lex:DeleteResourcePolicy", // the delete handler's permission
        ],
        tag: [],
        notes: "Cloud Control runs the resource type's handlers with the caller's credentials (no role is passed), so the caller needs the handlers' Lex permissions too.",
    },
    {
        type: "aws:bedrock/inferenceProfile:InferenceProfile",
        kind: "resource",
        terraform: "aws_bedrock_inference_profile",
        sources: ["internal/service/bedrock/inference_profile.go", "internal/service/bedrock/tags_gen.go"],
        read: [
            "bedrock:GetInferenceProfile", // from findInferenceProfileByID (Read, and the create waiter)
            "bedrock:ListTagsForResource", // the framework's transparent tagging, after Read
        ],
        create: [
            "bedrock:CreateInferenceProfile", // from Create, with the tags in the request
        ],
        update: [],
        delete: [
            "bedrock:DeleteInferenceProfile", // from Delete
        ],
        tag: [
            "bedrock:TagResource", // tags passed to CreateInferenceProfile, and later changes (updateTags)
            "bedrock:UntagResource", // from updateTags
        ],
        notes:
            "Name, description and model_source force a replacement: only the tags change in place. CreateInferenceProfile is authorized on the new profile " +
            "and on the model it copies (a foundation model or a system inference profile), both required by the Service Authorization Reference.",
    },
    {
        type: "aws:budgets/budget:Budget",
        kind: "resource",
        terraform: "aws_budgets_budget",
        sources: ["internal/service/budgets/budget.go", "internal/service/budgets/tags_gen.go"],
        read: [
            "budgets:ViewBudget", // DescribeBudget, DescribeNotificationsForBudget and DescribeSubscribersForNotification from Read
            "budgets:ListTagsForResource", // transparent tagging, after Read
        ],
        create: [
            "budgets:ModifyBudget", // CreateBudget with its notifications and subscribers
        ],
        update: [
            "budgets:ModifyBudget", // UpdateBudget, CreateNotification, UpdateNotification, DeleteNotification
        ],
        delete: [
            "budgets:ModifyBudget", // DeleteBudget
        ],
        tag: [
            "budgets:TagResource", // tags in CreateBudget (ResourceTags), and later changes
            "budgets:UntagResource",
        ],
        notes: "AWS Budgets authorizes its Create, Update, Delete and notification calls as budgets:ModifyBudget and its Describe calls as budgets:ViewBudget.",
    },
    {
        type: "aws:costexplorer/costAllocationTag:CostAllocationTag",
        kind: "resource",
        terraform: "aws_ce_cost_allocation_tag",
        sources: ["internal/service/ce/cost_allocation_tag.go"],
        read: [
            "ce:ListCostAllocationTags", // from findCostAllocationTagByKey
        ],
        create: [
            "ce:UpdateCostAllocationTagsStatus", // Create sets the status (Active)
        ],
        update: [
            "ce:UpdateCostAllocationTagsStatus",
        ],
        delete: [
            "ce:UpdateCostAllocationTagsStatus", // Delete sets the status back to Inactive
        ],
        tag: [],
        notes: "Account-level settings of the management account: both actions accept only `*`. AWS refuses a key that has not yet appeared in the billing data.",
    },
    {
        type: "aws-native:bedrockmantle:Project",
        kind: "resource",
        terraform: "(none: @pulumi/aws-native, CloudFormation's AWS::BedrockMantle::Project through the Cloud Control API)",
        sources: ["aws-cloudformation resource schema AWS::BedrockMantle::Project (handlers' permissions)", "pulumi/pulumi-aws-native: Cloud Control client"],
        read: [
            "cloudformation:GetResource", // Cloud Control read
            "bedrock-mantle:GetProject", // the read handler's permission
            "bedrock-mantle:ListTagsForResource",
        ],
        create: [
            "cloudformation:CreateResource", // Cloud Control create
            "cloudformation:GetResourceRequestStatus",
            "bedrock-mantle:CreateProject",
        ],
        update: [
            "cloudformation:UpdateResource",
            "cloudformation:GetResourceRequestStatus",
            "bedrock-mantle:UpdateProject",
        ],
        delete: [
            "cloudformation:DeleteResource",
            "cloudformation:GetResourceRequestStatus",
            "bedrock-mantle:ArchiveProject", // bedrock-mantle has no DeleteProject: a project is archived
        ],
        tag: [
            "bedrock-mantle:TagResource",
            "bedrock-mantle:UntagResource",
        ],
        notes:
            "Cloud Control runs the resource type's handlers with the caller's credentials. The handlers' permissions were not read from a published schema here: " +
            "they are the bedrock-mantle actions the Service Authorization Reference lists for projects (no DeleteProject exists; ArchiveProject is the closest).",
    },
    {
        type: "aws-native:bedrock:EnforcedGuardrailConfiguration",
        kind: "resource",
        terraform: "(none: @pulumi/aws-native, CloudFormation's AWS::Bedrock::EnforcedGuardrailConfiguration through the Cloud Control API)",
        sources: ["aws-cloudformation resource schema AWS::Bedrock::EnforcedGuardrailConfiguration", "Amazon Bedrock API Reference: PutEnforcedGuardrailConfiguration", "pulumi/pulumi-aws-native: Cloud Control client"],
        read: [
            "cloudformation:GetResource", // Cloud Control read
            "bedrock:ListEnforcedGuardrailsConfiguration", // the only read of the configuration Bedrock has
        ],
        create: [
            "cloudformation:CreateResource", // Cloud Control create
            "cloudformation:GetResourceRequestStatus",
            "bedrock:PutEnforcedGuardrailConfiguration",
        ],
        update: [
            "cloudformation:UpdateResource",
            "cloudformation:GetResourceRequestStatus",
            "bedrock:PutEnforcedGuardrailConfiguration", // Put with the configuration's ID
        ],
        delete: [
            "cloudformation:DeleteResource",
            "cloudformation:GetResourceRequestStatus",
            "bedrock:DeleteEnforcedGuardrailConfiguration",
        ],
        tag: [],
        notes:
            "Account-level settings: the three actions accept only `*`. Cloud Control runs the handlers with the caller's credentials; their permissions were not read from a published schema here: " +
            "they are the Service Authorization Reference's actions for the API calls the configuration has (Put, List, Delete).",
    },
    {
        type: "aws:index/getCallerIdentity:getCallerIdentity",
        kind: "data",
        terraform: "aws_caller_identity",
        sources: ["internal/service/sts/caller_identity_data_source.go"],
        read: [
            "sts:GetCallerIdentity", // from the data source's Read
        ],
        create: [],
        update: [],
        delete: [],
        tag: [],
        notes: "sts:GetCallerIdentity needs no permission: AWS allows it to every authenticated principal and an explicit deny does not stop it. Listed for completeness.",
    },
    {
        type: "aws:servicequotas/getServiceQuota:getServiceQuota",
        kind: "data",
        terraform: "aws_servicequotas_service_quota",
        sources: ["internal/service/servicequotas/service_quota_data_source.go", "internal/service/servicequotas/find.go"],
        read: [
            "servicequotas:GetAWSDefaultServiceQuota", // from dataSourceServiceQuotaRead, by quota_code
            "servicequotas:GetServiceQuota", // from dataSourceServiceQuotaRead: the value applied to the account, else the default
        ],
        create: [],
        update: [],
        delete: [],
        tag: [],
        notes: "Looked up by quota_code: ListAWSDefaultServiceQuotas (the lookup by quota_name) is not called.",
    },
    {
        type: "aws:iam/getRole:getRole",
        kind: "data",
        terraform: "aws_iam_role",
        sources: ["internal/service/iam/role_data_source.go", "internal/service/iam/role.go"],
        read: [
            "iam:GetRole", // from dataSourceRoleRead (findRoleByName); the tags come from GetRole
        ],
        create: [],
        update: [],
        delete: [],
        tag: [],
    },
];
