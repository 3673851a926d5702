/**
 * The CrossGuard pack. Constructing `PolicyPack` starts the analyzer's gRPC server, so this file
 * only assembles policies defined (and tested) in `policies/`.
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICY_PACK_NAME, policies } from "./policies";

new PolicyPack(POLICY_PACK_NAME, { policies: [...policies] });
