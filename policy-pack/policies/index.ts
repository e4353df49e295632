// Every policy of the pack, in DESIGN.md order. Importing this list never starts the analyzer
// server (index.ts does), so tests and tools can inspect and run the policies in-process.

import { Policies } from "@pulumi/policy";

import { auditLogRetention } from "./audit-log-retention";
import { computeInsidePerimeter } from "./compute-inside-perimeter";
import { containerImagesPinnedByDigest } from "./container-images-pinned-by-digest";
import { dnsFirewallOnWorkloadVpcs } from "./dns-firewall-on-workload-vpcs";
import { ecsTaskHardening } from "./ecs-task-hardening";
import { egressAttemptsAlarmed } from "./egress-attempts-alarmed";
import { encryptionAtRest } from "./encryption-at-rest";
import { keysAndSecretsRotated } from "./keys-and-secrets-rotated";
import { lambdaVpcAttached } from "./lambda-vpc-attached";
import { loadBalancersInternalOnly } from "./load-balancers-internal-only";
import { noInternetPathFromWorkloads } from "./no-internet-path-from-workloads";
import { noNatGateways } from "./no-nat-gateways";
import { noUnapprovedNetworkPaths } from "./no-unapproved-network-paths";
import { publicIpOnlyForEgressGateways } from "./public-ip-only-for-egress-gateways";
import { publicEndpointsOnlyViaApiGateway } from "./public-endpoints-only-via-api-gateway";
import { rdsNotPubliclyAccessible } from "./rds-not-publicly-accessible";
import { rdsStorageEncrypted } from "./rds-storage-encrypted";
import { requiredVpcEndpoints } from "./required-vpc-endpoints";
import { s3HttpsOnly } from "./s3-https-only";
import { s3SseKmsForSensitiveBuckets } from "./s3-sse-kms-for-sensitive-buckets";
import { secretPathNaming } from "./secret-path-naming";
import { securityGroupEgressAllowlist } from "./security-group-egress-allowlist";
import { securityGroupNoPublicIngress } from "./security-group-no-public-ingress";
import { tlsInTransit } from "./tls-in-transit";
import { untrustedComputeNoRoleAssumption } from "./untrusted-compute-no-role-assumption";
import { untrustedComputeNoSecrets } from "./untrusted-compute-no-secrets";
import { vpcEndpointDataPerimeter } from "./vpc-endpoint-data-perimeter";
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
    loadBalancersInternalOnly,
    securityGroupNoPublicIngress,
    s3HttpsOnly,
    s3SseKmsForSensitiveBuckets,
    containerImagesPinnedByDigest,
    vpcEndpointDataPerimeter,
    egressAttemptsAlarmed,
    computeInsidePerimeter,
    publicEndpointsOnlyViaApiGateway,
    noUnapprovedNetworkPaths,
    dnsFirewallOnWorkloadVpcs,
    untrustedComputeNoRoleAssumption,
    tlsInTransit,
    encryptionAtRest,
    keysAndSecretsRotated,
    auditLogRetention,
];
