// Every policy of the pack, in DESIGN.md order. Importing this list never starts the analyzer
// server (index.ts does), so tests and tools can inspect and run the policies in-process.

import { Policies } from "@pulumi/policy";

import { ecsTaskHardening } from "./ecs-task-hardening";
import { lambdaVpcAttached } from "./lambda-vpc-attached";
import { noInternetPathFromWorkloads } from "./no-internet-path-from-workloads";
import { noNatGateways } from "./no-nat-gateways";
import { publicIpOnlyForEgressGateways } from "./public-ip-only-for-egress-gateways";
import { rdsNotPubliclyAccessible } from "./rds-not-publicly-accessible";
import { rdsStorageEncrypted } from "./rds-storage-encrypted";
import { requiredVpcEndpoints } from "./required-vpc-endpoints";
import { secretPathNaming } from "./secret-path-naming";
import { securityGroupEgressAllowlist } from "./security-group-egress-allowlist";
import { untrustedComputeNoSecrets } from "./untrusted-compute-no-secrets";
import { vpcEndpointPrivateDns } from "./vpc-endpoint-private-dns";
import { vpcFlowLogsEnabled } from "./vpc-flow-logs-enabled";

export const allPolicies: Policies = [
    noNatGateways,
    rdsNotPubliclyAccessible,
    securityGroupEgressAllowlist,
    secretPathNaming,
    vpcEndpointPrivateDns,
    requiredVpcEndpoints,
    lambdaVpcAttached,
    ecsTaskHardening,
    publicIpOnlyForEgressGateways,
    untrustedComputeNoSecrets,
    rdsStorageEncrypted,
    vpcFlowLogsEnabled,
    noInternetPathFromWorkloads,
];
