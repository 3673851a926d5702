"""Portkey's gateway role from Python: the same entry as the example stack's first gateway.

Generate the SDK first: `pulumi package add <path or git URL of the folder npm run build:package writes>` (it writes
`sdks/bedrock-access` and adds it to requirements). Not run by this repository's tests.
"""
import pulumi
import pulumi_bedrock_access as bedrock_access

config = pulumi.Config()

portkey = bedrock_access.GatewayAccessRole(
    "portkey",
    name="portkey",
    trusted_principals=["arn:aws:iam::111111111111:role/portkey-gateway"],
    # A secret: the role's trust policy stays secret too.
    external_id=config.require_secret("portkeyExternalId"),
    models=["anthropic.claude-sonnet-4-20250514-v1:0", "eu.anthropic.claude-haiku-4-5-20251001-v1:0"],
    guardrails=["gr7x2k9q1abc"],
)

pulumi.export("portkeyRoleArn", portkey.role_arn)
pulumi.export("portkeyRegion", portkey.region)
pulumi.export("portkeyExternalId", portkey.external_id)
