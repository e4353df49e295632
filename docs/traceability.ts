// Every requirement line of the security model and of ADR 0002 (docs/requirements.ts says what a line
// is), traced to the program's resources that implement it, the policies that enforce it on any stack
// and the tests that prove both. Lines the infrastructure cannot carry are the application's, each
// with why; lines that state no requirement are context. Rendered into policy-pack/README.md
// (`npx ts-node docs/traceability.ts --write`); tests/docs/traceability.test.ts keeps the two in step
// and checks every line of the seeds is here, every policy exists and every file is real.

import * as fs from "fs";
import * as path from "path";

import { SEED_TITLES, Seed } from "./requirements";

export enum Owner {
    /** Carried by this repository: program resources and/or pack policies. */
    Infrastructure = "infrastructure",
    /** The application's (worker, dispatcher, gateway, token service): no resource can enforce it. */
    Application = "application",
    /** States no requirement: a status, a threat, a rationale, a label for the lines below it. */
    Context = "context",
}

/** Resources of one program file: the constructors (`aws.ec2.VpcEndpoint`) that implement the line. */
export interface ProgramRef {
    readonly file: string;
    readonly resources: readonly string[];
}

export interface Trace {
    readonly seed: Seed;
    /** The requirement line, exactly as docs/requirements.ts reads it. */
    readonly line: string;
    readonly owner: Owner;
    readonly program: readonly ProgramRef[];
    /** Pack policies that enforce the line on any stack (their tests are tests/policy-pack/policies/<name>.test.ts). */
    readonly policies: readonly string[];
    /** Tests of the program's side. */
    readonly tests: readonly string[];
    /** Why (application, context, or what the infrastructure leaves to others). */
    readonly note?: string;
}

const NETWORK = (...resources: string[]): ProgramRef => ({ file: "components/network.ts", resources });
const ENDPOINTS = (...resources: string[]): ProgramRef => ({ file: "components/endpoints.ts", resources });
const SGS: ProgramRef = { file: "components/security-groups.ts", resources: ["aws.ec2.SecurityGroup"] };
const SG_RULES: ProgramRef = { file: "components/sg-rules.ts", resources: ["aws.vpc.SecurityGroupEgressRule", "aws.vpc.SecurityGroupIngressRule"] };
const COMPUTE = (...resources: string[]): ProgramRef => ({ file: "components/compute.ts", resources });
const TASK: ProgramRef = { file: "components/task-definition.ts", resources: ["aws.ecs.TaskDefinition"] };
const GATEWAY = (...resources: string[]): ProgramRef => ({ file: "components/egress-gateway.ts", resources });
const ALARMS: ProgramRef = { file: "components/egress-alarms.ts", resources: ["aws.cloudwatch.LogMetricFilter", "aws.cloudwatch.MetricAlarm", "aws.sns.Topic"] };
const DNS_FIREWALL = (...resources: string[]): ProgramRef => ({ file: "components/dns-firewall.ts", resources });
const DATABASE = (...resources: string[]): ProgramRef => ({ file: "components/database.ts", resources });
const SECRETS = (...resources: string[]): ProgramRef => ({ file: "components/secrets.ts", resources });

const T = {
    index: "tests/index.test.ts",
    validate: "tests/config/validate.test.ts",
    network: "tests/components/network.test.ts",
    endpoints: "tests/components/endpoints.test.ts",
    sgs: "tests/components/security-groups.test.ts",
    compute: "tests/components/compute.test.ts",
    udf: "tests/components/udf-runner.test.ts",
    gateway: "tests/components/egress-gateway.test.ts",
    alarms: "tests/components/egress-alarms.test.ts",
    database: "tests/components/database.test.ts",
    secrets: "tests/components/secrets.test.ts",
    dns: "tests/components/dns-firewall.test.ts",
};

type Parts = { program?: ProgramRef[]; policies?: string[]; tests?: string[]; note?: string };

function infra(seed: Seed, line: string, parts: Parts): Trace {
    return { seed, line, owner: Owner.Infrastructure, program: parts.program ?? [], policies: parts.policies ?? [], tests: parts.tests ?? [], note: parts.note };
}
function app(seed: Seed, line: string, note: string): Trace {
    return { seed, line, owner: Owner.Application, program: [], policies: [], tests: [], note };
}
function context(seed: Seed, line: string, note: string): Trace {
    return { seed, line, owner: Owner.Context, program: [], policies: [], tests: [], note };
}

const M = Seed.SecurityModel;
const A = Seed.NetworkingAdr;

const EGRESS_POLICIES = ["security-group-egress-allowlist", "no-internet-path-from-workloads", "no-nat-gateways"];
const TOKENS = "Tokens are minted per job by the platform's token service and scoped inside the worker; the untrusted task role (compute.ts) is only their ceiling.";

export const TRACES: readonly Trace[] = [
    // Security model
    context(M, "Security model for the Trace platform. This document is the single source of truth for security requirements.", "Introduces the document."),
    infra(M, "**Least privilege**: every component (jobs, workers, services) receives only the permissions required for its function.", {
        program: [COMPUTE("aws.iam.Role", "aws.iam.RolePolicy"), ENDPOINTS("aws.ec2.VpcEndpoint")],
        policies: ["untrusted-compute-no-secrets", "untrusted-compute-no-role-assumption", "vpc-endpoint-data-perimeter"],
        tests: [T.compute, T.endpoints],
    }),
    infra(M, "**Defense in depth**: multiple layers of isolation (container, network, IAM, data).", {
        program: [TASK, NETWORK("aws.ec2.RouteTable"), SGS, COMPUTE("aws.iam.Role")],
        policies: ["ecs-task-hardening", "no-internet-path-from-workloads", "security-group-egress-allowlist", "untrusted-compute-no-secrets", "rds-storage-encrypted"],
        tests: [T.index],
    }),
    infra(M, "**Zero trust**: all user code is untrusted; all requests are authenticated and authorized.", {
        program: [COMPUTE("aws.iam.Role", "aws.lambda.Function"), SGS],
        policies: ["untrusted-compute-no-secrets", "untrusted-compute-no-role-assumption", "vpc-endpoint-data-perimeter"],
        tests: [T.index],
        note: "User code runs tagged untrusted and the pack holds it to that; authenticating requests is the gateway's and the Dispatcher's.",
    }),
    infra(M, "**Encryption everywhere**: data encrypted in transit (TLS 1.2+) and at rest (S3 SSE, RDS encryption).", {
        program: [DATABASE("aws.kms.Key", "aws.rds.Instance", "aws.rds.ParameterGroup"), SECRETS("aws.kms.Key")],
        policies: ["tls-in-transit", "encryption-at-rest", "rds-storage-encrypted", "s3-https-only", "s3-sse-kms-for-sensitive-buckets"],
        tests: [T.database, T.secrets],
    }),
    infra(M, "**No secrets in code or logs**: secrets injected at runtime, redacted from all logs and error messages.", {
        program: [SECRETS("aws.secretsmanager.Secret")],
        policies: ["untrusted-compute-no-secrets"],
        tests: [T.secrets],
        note: "The program creates secrets without values and gives user code none; redaction from logs is the application's.",
    }),
    infra(M, "**Auditability**: all access and actions are logged and attributable to a user/job.", {
        program: [NETWORK("aws.ec2.FlowLog", "aws.cloudwatch.LogGroup"), COMPUTE("aws.cloudwatch.LogGroup")],
        policies: ["vpc-flow-logs-enabled", "audit-log-retention"],
        tests: [T.network],
        note: "Network traffic is logged and kept; attributing actions to a user or job is the application's.",
    }),
    context(M, "**Malicious code**: data exfiltration, crypto mining, lateral attacks.", "A threat; the isolation and egress lines answer it."),
    context(M, "**Buggy code**: infinite loops, memory leaks, crashes.", "A threat; the resource-limit lines answer it."),
    context(M, "**Resource abuse**: CPU/memory exhaustion, cost runaway.", "A threat; the resource-limit and cost-alert lines answer it."),
    context(M, "**Data access violations**: reading other orgs' data, unauthorized PII access.", "A threat; the data-access lines answer it."),
    infra(M, "Each job runs in its own Fargate task (no shared compute with other jobs or orgs).", {
        program: [TASK, COMPUTE("aws.ecs.Cluster")],
        policies: ["ecs-task-hardening"],
        tests: [T.compute],
        note: "Fargate with awsvpc networking (host networking forbidden); one job per task is the Dispatcher's scheduling.",
    }),
    infra(M, "**No privileged mode**: containers cannot access host resources.", { program: [TASK], policies: ["ecs-task-hardening"], tests: [T.compute] }),
    infra(M, "**Read-only root filesystem**: writes only to designated output paths.", { program: [TASK], policies: ["ecs-task-hardening"], tests: [T.compute] }),
    infra(M, "**No IAM role assumption**: task role has minimal, scoped permissions.", {
        program: [COMPUTE("aws.iam.Role", "aws.iam.RolePolicy")],
        policies: ["untrusted-compute-no-role-assumption"],
        tests: [T.compute],
    }),
    infra(M, "Worker wrapper fetches secrets from Secrets Manager and injects them as environment variables. Operator code reads secrets from env vars — it never calls Secrets Manager directly.", {
        program: [COMPUTE("aws.iam.Role", "aws.iam.RolePolicy")],
        policies: ["untrusted-compute-no-secrets"],
        tests: [T.compute],
        note: "Only platform roles may read secrets (ECS injects them); the worker wrapper itself is the application's.",
    }),
    infra(M, "Secrets are stored in AWS Secrets Manager with a hierarchical path:", { program: [SECRETS("aws.secretsmanager.Secret")], policies: ["secret-path-naming"], tests: [T.secrets] }),
    infra(M, "| `env` | `prod`, `staging` | Deployment environment |", { program: [SECRETS("aws.secretsmanager.Secret")], policies: ["secret-path-naming"], tests: [T.secrets, T.validate] }),
    infra(M, "| `org_slug` | `acme` | Organization slug (from `orgs.slug`) |", { program: [SECRETS("aws.secretsmanager.Secret")], policies: ["secret-path-naming"], tests: [T.secrets, T.validate] }),
    infra(M, "| `secret_name` | `monad_rpc_key` | Name declared in DAG YAML |", { program: [SECRETS("aws.secretsmanager.Secret")], policies: ["secret-path-naming"], tests: [T.secrets, T.validate] }),
    infra(M, "**Example**: `/prod/acme/monad_rpc_key`", { program: [SECRETS("aws.secretsmanager.Secret")], policies: ["secret-path-naming"], tests: [T.secrets] }),
    context(M, "**DAG config**:", "Labels an example of the application's DAG YAML."),
    context(M, "**Worker behavior**:", "Labels the worker's steps below."),
    app(M, 'Worker receives `secrets: ["monad_rpc_key"]` in task payload', "The task payload is the Dispatcher's and the worker's protocol."),
    app(M, "Worker fetches `/{env}/{org_slug}/monad_rpc_key` from Secrets Manager", "The worker's code; the program gives Secrets Manager access to platform roles only (see untrusted-compute-no-secrets)."),
    app(M, "Worker injects as `MONAD_RPC_KEY` env var (uppercase, underscores)", "The worker's code."),
    app(M, 'Operator reads `std::env::var("MONAD_RPC_KEY")`', "The operator's code."),
    infra(M, "**Scoping**: In v1 (single-tenant), all secrets are under one org. Future multi-tenant deployments isolate secrets per org via IAM policies on the `/{env}/{org_slug}/*` path.", {
        program: [COMPUTE("aws.iam.RolePolicy"), SECRETS("aws.secretsmanager.Secret")],
        policies: ["secret-path-naming"],
        tests: [T.compute, T.secrets],
        note: "Paths are enforced so that IAM path policies can scope them; per-org policies come with multi-tenancy.",
    }),
    infra(M, "Jobs run in a VPC with **no internet egress by default**.", {
        program: [NETWORK("aws.ec2.RouteTable", "aws.ec2.Route"), SGS, SG_RULES],
        policies: [...EGRESS_POLICIES, "compute-inside-perimeter", "lambda-vpc-attached"],
        tests: [T.index, T.network],
    }),
    infra(M, "Allowlisted endpoints only:", { program: [SGS, SG_RULES], policies: ["security-group-egress-allowlist", "no-unapproved-network-paths"], tests: [T.sgs] }),
    infra(M, "S3 (via VPC endpoint)", { program: [ENDPOINTS("aws.ec2.VpcEndpoint")], policies: ["required-vpc-endpoints", "vpc-endpoint-data-perimeter"], tests: [T.endpoints] }),
    infra(M, "RDS Postgres (via VPC endpoint)", {
        program: [DATABASE("aws.rds.Instance", "aws.rds.SubnetGroup"), SG_RULES],
        policies: ["rds-not-publicly-accessible", "no-internet-path-from-workloads"],
        tests: [T.database, T.sgs],
        note: "RDS has no VPC endpoint for data access: ADR 0002 puts it in private subnets behind security groups instead.",
    }),
    infra(M, "SES/SNS (via VPC endpoint, for alert delivery)", {
        program: [ENDPOINTS("aws.ec2.VpcEndpoint"), SG_RULES],
        policies: ["required-vpc-endpoints", "vpc-endpoint-private-dns"],
        tests: [T.endpoints, T.sgs, T.validate],
        note: "sns and email-smtp are required endpoints; SES SMTP (587) from platform services, which hold the SMTP credentials.",
    }),
    infra(M, "Pre-approved webhook URLs (for alert delivery)", {
        program: [GATEWAY("aws.ecs.Service", "aws.ec2.SecurityGroup")],
        policies: ["security-group-egress-allowlist", "public-ip-only-for-egress-gateways"],
        tests: [T.gateway],
        note: "Only the webhook gateway reaches the internet; which URLs it accepts is the gateway's allowlist (application).",
    }),
    infra(M, "User jobs cannot make arbitrary outbound HTTP calls.", {
        program: [SGS, SG_RULES, NETWORK("aws.ec2.RouteTable"), DNS_FIREWALL("aws.route53.ResolverFirewallRuleGroupAssociation", "aws.route53.ResolverFirewallRule")],
        policies: [...EGRESS_POLICIES, "dns-firewall-on-workload-vpcs"],
        tests: [T.index, T.dns],
    }),
    infra(M, "Platform jobs (e.g., `block_follower`, `cryo_ingest`) may access allowlisted RPC endpoints.", {
        program: [GATEWAY("aws.ecs.Service", "aws.ec2.SecurityGroup"), SG_RULES],
        policies: ["security-group-egress-allowlist"],
        tests: [T.gateway, T.index],
    }),
    infra(M, "No inbound connections to job containers.", {
        program: [SGS],
        policies: ["security-group-no-public-ingress", "load-balancers-internal-only", "public-ip-only-for-egress-gateways", "public-endpoints-only-via-api-gateway"],
        tests: [T.sgs],
    }),
    infra(M, "**TLS required**: all internal and external traffic uses TLS 1.2+.", {
        program: [DATABASE("aws.rds.ParameterGroup")],
        policies: ["tls-in-transit", "s3-https-only"],
        tests: [T.database],
    }),
    infra(M, "**CPU/memory**: hard caps in ECS task definition; job cannot exceed.", {
        program: [TASK],
        tests: [T.compute],
        note: "The program sets them; no policy: the right size is the workload's, not a rule the pack can state.",
    }),
    app(M, "**Execution timeout**: Worker terminates jobs exceeding max duration.", "The worker enforces job duration."),
    infra(M, "**Disk quota**: ephemeral storage capped per task.", {
        program: [TASK],
        tests: [T.compute],
        note: "The program caps ephemeral storage; no policy: Fargate caps every task at what it declares (20 GiB by default).",
    }),
    app(M, "**Rate limits**: max concurrent jobs and jobs-per-hour per org.", "The Dispatcher counts jobs per org."),
    app(M, "**Cost alerts**: automated alerts when org approaches spend thresholds.", "Spend per org is the platform's metering, not a resource's setting."),
    infra(M, "**Scoped credentials**: each job receives credentials for only the datasets it's configured to read.", {
        program: [COMPUTE("aws.iam.RolePolicy")],
        policies: ["untrusted-compute-no-secrets", "untrusted-compute-no-role-assumption"],
        tests: [T.compute],
        note: TOKENS,
    }),
    app(M, "**Org isolation**: queries are automatically filtered by `org_id`; jobs cannot access other orgs' data.", "The query service filters by org."),
    context(M, "**RPC access**:", "Labels the two lines below."),
    infra(M, "**Platform jobs** (e.g., `block_follower`, `cryo_ingest`): may access allowlisted RPC endpoints.", {
        program: [GATEWAY("aws.ecs.Service", "aws.ec2.SecurityGroup"), SG_RULES],
        policies: ["security-group-egress-allowlist"],
        tests: [T.gateway, T.index],
    }),
    infra(M, "**User jobs** (alerts, enrichments, custom transforms): query platform storage only, no raw RPC access.", {
        program: [SGS, SG_RULES],
        policies: ["security-group-egress-allowlist", "no-internet-path-from-workloads"],
        tests: [T.index],
    }),
    app(M, "**PII gating**: jobs must be explicitly granted access to PII datasets; access is logged.", "Dataset grants and their logs are the platform's data layer."),
    app(M, "Job receives short-lived, scoped tokens at execution time.", TOKENS),
    context(M, "Tokens grant:", "Labels the three lines below."),
    app(M, "Read access to declared input datasets.", TOKENS),
    app(M, "Write access to declared output locations.", TOKENS),
    app(M, "Invoke access to pre-approved webhook URLs.", TOKENS),
    context(M, "Tokens do not grant:", "Labels the three lines below."),
    app(M, "Access to other datasets.", TOKENS),
    infra(M, "IAM role assumption.", { program: [COMPUTE("aws.iam.Role")], policies: ["untrusted-compute-no-role-assumption"], tests: [T.compute] }),
    infra(M, "Secrets Manager access (secrets injected by Worker, not fetched by job).", { program: [COMPUTE("aws.iam.Role")], policies: ["untrusted-compute-no-secrets"], tests: [T.compute] }),
    infra(M, "All job executions logged: who, what, when, resource usage.", {
        program: [COMPUTE("aws.ecs.Cluster", "aws.cloudwatch.LogGroup"), TASK],
        tests: [T.compute],
        note: "Every task logs to a group with retention and the cluster has Container Insights; who and what are the Dispatcher's records.",
    }),
    app(M, "All data access logged: datasets read, rows accessed.", "Rows read are known only to the query service."),
    infra(M, "Anomaly detection: unusual resource consumption, access patterns.", {
        program: [ALARMS],
        policies: ["egress-attempts-alarmed"],
        tests: [T.alarms],
        note: "Egress attempts raise an alarm; other consumption and access patterns are the application's.",
    }),
    app(M, "Abuse response: automatic job termination, org notification, potential suspension.", "The Dispatcher acts on abuse."),
    app(M, "**Secrets redacted**: all log outputs are scrubbed for secret patterns before persistence.", "Log scrubbing happens in the worker before logs leave the task."),
    infra(M, "**Retention**: audit logs retained for 1 year minimum (compliance).", {
        program: [NETWORK("aws.cloudwatch.LogGroup", "aws.ec2.FlowLog")],
        policies: ["audit-log-retention", "vpc-flow-logs-enabled"],
        tests: [T.network, T.validate],
    }),
    infra(M, "**In transit**: TLS 1.2+ for all connections (API, database, S3, internal services).", {
        program: [DATABASE("aws.rds.ParameterGroup")],
        policies: ["tls-in-transit", "s3-https-only"],
        tests: [T.database],
    }),
    context(M, "**At rest**:", "Labels the three lines below."),
    infra(M, "S3: SSE-S3 or SSE-KMS (configurable per bucket)", { policies: ["s3-sse-kms-for-sensitive-buckets"], note: "The program has no buckets; the pack holds other teams' to it." }),
    infra(M, "RDS: encrypted storage with AWS-managed or customer-managed KMS key", {
        program: [DATABASE("aws.kms.Key", "aws.rds.Instance")],
        policies: ["rds-storage-encrypted", "keys-and-secrets-rotated"],
        tests: [T.database],
    }),
    infra(M, "EBS: encrypted volumes for any ephemeral worker storage", {
        program: [TASK],
        policies: ["encryption-at-rest"],
        tests: [T.compute],
        note: "Fargate encrypts task ephemeral storage; volumes and launch templates elsewhere are the policy's.",
    }),
    infra(M, "**Secrets**: stored in AWS Secrets Manager (encrypted at rest with KMS).", {
        program: [SECRETS("aws.secretsmanager.Secret", "aws.kms.Key")],
        policies: ["secret-path-naming", "keys-and-secrets-rotated"],
        tests: [T.secrets],
    }),
    app(M, "Users authenticate via external IdP (Cognito with OIDC/SAML). On first login:", "Sign-in runs in Cognito and the gateway, outside this network program."),
    context(M, "Expected claims from IdP:", "Labels the claims table."),
    app(M, "| `sub` | `users.external_id` | Unique IdP subject identifier |", "A JWT claim mapping in the Dispatcher."),
    app(M, "| `email` | `users.email` | User email (optional) |", "A JWT claim mapping in the Dispatcher."),
    app(M, "| `custom:org_id` | `users.org_id` | Organization UUID |", "A JWT claim mapping in the Dispatcher."),
    app(M, "| `custom:role` | `users.role` | Platform role: `reader`, `writer`, `admin` |", "A JWT claim mapping in the Dispatcher."),
    app(M, "In v1 (single-tenant), the org is pre-created via Terraform/migration. The `org_id` claim must match the deployed org.", "Org rows and the claim check are the Dispatcher's."),
    context(M, "Future multi-tenant: org provisioning via admin API or self-service signup.", "A future plan, not a v1 requirement."),
    infra(M, "**Signing & provenance**: Container images and DAG bundles are signed (e.g., cosign) with SBOMs published; deployments verify signatures before pull/apply. (Refs: [SLSA](https://slsa.dev), [CNCF Supply Chain Best Practices](https://github.com/cncf/tag-security/blob/main/community/working-groups/supply-chain-security/supply-chain-security-paper/sscsp.md), [PDF](https://raw.githubusercontent.com/cncf/tag-security/main/community/working-groups/supply-chain-security/supply-chain-security-paper/CNCF_SSCP_v1.pdf))", {
        program: [TASK],
        policies: ["container-images-pinned-by-digest"],
        tests: [T.compute, T.validate],
        note: "Images run by digest, so what was signed is what runs; signing and verification are the build pipeline's.",
    }),
    infra(M, "**Secrets & rotation**: Short-lived, scoped credentials per job/org; stored secrets rotate on a fixed cadence (e.g., ≤90d) and on key events; no Secrets Manager access from user code. (Refs: [NIST SP 800-57](https://csrc.nist.gov/publications/detail/sp/800-57-part-1/rev-5/final), [NIST SP 800-63](https://pages.nist.gov/800-63-3/))", {
        program: [SECRETS("aws.secretsmanager.Secret", "aws.kms.Key"), DATABASE("aws.kms.Key", "aws.rds.Instance")],
        policies: ["keys-and-secrets-rotated", "untrusted-compute-no-secrets"],
        tests: [T.secrets, T.database],
        note: "Keys rotate yearly and RDS rotates its master password; the program's own secrets are set out of band and rotated by runbook (exempted in config/trace.json).",
    }),
    infra(M, "**Egress allowlist workflow**: Changes require review/approval; allowlist is IaC-managed; no ad-hoc outbound endpoints. (Refs: [AWS egress restriction guidance](https://docs.aws.amazon.com/whitepapers/latest/aws-vpc-connectivity-options/egress-only.html), [AWS SCPs](https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html))", {
        program: [GATEWAY("aws.ec2.SecurityGroup")],
        policies: ["security-group-egress-allowlist", "no-unapproved-network-paths"],
        tests: [T.gateway, T.validate],
        note: "Gateway destinations are stack config in this repository, so every change is a reviewed commit.",
    }),
    infra(M, "**PII handling**: Datasets classified; PII access requires explicit grant + logging; jobs touching PII must be tagged and are subject to heightened audit/retention. (Refs: [GDPR Art. 5(1)(c) data minimization](https://gdpr.eu/article-5-how-to-process-personal-data/), [ISO 27001 Annex A.8](https://www.iso.org/standard/27001))", {
        policies: ["s3-sse-kms-for-sensitive-buckets", "audit-log-retention"],
        note: "Buckets tagged pii need SSE-KMS and logs tagged audit keep a year; classification and grants are the application's.",
    }),

    // ADR 0002
    context(A, "Accepted", "The ADR's status."),
    infra(A, "Enforce **no internet egress by default** for job containers **and VPC-attached Lambdas** (sources + UDF runners).", {
        program: [NETWORK("aws.ec2.RouteTable"), COMPUTE("aws.lambda.Function"), SGS],
        policies: [...EGRESS_POLICIES, "lambda-vpc-attached", "compute-inside-perimeter"],
        tests: [T.index, T.udf],
    }),
    infra(A, "Permit outbound traffic only to:", { program: [SGS, SG_RULES], policies: ["security-group-egress-allowlist", "no-unapproved-network-paths"], tests: [T.sgs] }),
    infra(A, "**AWS VPC endpoints / PrivateLink** for required AWS APIs (e.g., S3, SQS, ECR, CloudWatch Logs; Secrets Manager only for platform-managed tasks via ECS secret injection).", {
        program: [ENDPOINTS("aws.ec2.VpcEndpoint", "aws.ec2.SecurityGroup")],
        policies: ["required-vpc-endpoints", "vpc-endpoint-private-dns", "vpc-endpoint-data-perimeter", "untrusted-compute-no-secrets"],
        tests: [T.endpoints],
    }),
    infra(A, "**In-VPC services** (Dispatcher, sinks, query service) via private DNS / security groups.", {
        program: [COMPUTE("aws.servicediscovery.PrivateDnsNamespace"), SGS, SG_RULES],
        policies: ["security-group-egress-allowlist"],
        tests: [T.sgs, T.compute],
    }),
    infra(A, "**Designated egress services** (see below) for any outbound internet access.", {
        program: [GATEWAY("aws.ecs.Service", "aws.ec2.SecurityGroup")],
        policies: ["public-ip-only-for-egress-gateways", "security-group-egress-allowlist"],
        tests: [T.gateway],
    }),
    infra(A, "External egress (internet) is allowed only from dedicated, platform-managed egress services:", {
        program: [GATEWAY("aws.ecs.Service"), NETWORK("aws.ec2.InternetGateway")],
        policies: ["public-ip-only-for-egress-gateways", ...EGRESS_POLICIES],
        tests: [T.gateway, T.index],
    }),
    infra(A, "**Delivery Service / Webhook Egress Gateway** for outbound webhooks.", { program: [GATEWAY("aws.ecs.Service", "aws.ec2.SecurityGroup")], policies: ["security-group-egress-allowlist"], tests: [T.gateway] }),
    infra(A, "**RPC Egress Gateway** (or in-VPC nodes) for blockchain RPC access.", { program: [GATEWAY("aws.ecs.Service", "aws.ec2.SecurityGroup")], policies: ["security-group-egress-allowlist"], tests: [T.gateway] }),
    infra(A, "Platform operators (e.g., `cryo_ingest`, `block_follower`) may access RPC providers **only via the RPC Egress Gateway** (or an in-VPC node).", {
        program: [SGS, SG_RULES],
        policies: ["security-group-egress-allowlist", "no-internet-path-from-workloads"],
        tests: [T.index],
    }),
    context(A, "Aligns with zero-trust posture (least egress, SOC2) and reduces exposure.", "The decision's rationale."),
    infra(A, "User-defined compute cannot make arbitrary outbound requests; all external communication flows through platform egress services with auditing.", {
        program: [SGS, SG_RULES, NETWORK("aws.ec2.FlowLog"), DNS_FIREWALL("aws.route53.ResolverFirewallRuleGroupAssociation", "aws.route53.ResolverQueryLogConfig")],
        policies: [...EGRESS_POLICIES, "compute-inside-perimeter", "dns-firewall-on-workload-vpcs"],
        tests: [T.index, T.dns],
    }),
    infra(A, "Provision VPC endpoints for required AWS services (at minimum: S3 and SQS; typically also STS, KMS, ECR, CloudWatch Logs, and Secrets Manager for trusted services).", {
        program: [ENDPOINTS("aws.ec2.VpcEndpoint")],
        policies: ["required-vpc-endpoints"],
        tests: [T.endpoints, T.validate],
    }),
    infra(A, "Configure any Lambda that must call internal services (Dispatcher, Query Service, sinks) as **VPC-attached** in private subnets with **no NAT**. This preserves internal-only endpoints and prevents untrusted code from gaining arbitrary internet egress.", {
        program: [COMPUTE("aws.lambda.Function")],
        policies: ["lambda-vpc-attached", "no-nat-gateways", "no-internet-path-from-workloads"],
        tests: [T.udf],
    }),
    infra(A, "Deploy RDS into **private subnets** (no public accessibility) and restrict access via security groups (not a VPC endpoint).", {
        program: [DATABASE("aws.rds.Instance", "aws.rds.SubnetGroup"), SG_RULES],
        policies: ["rds-not-publicly-accessible", "no-internet-path-from-workloads"],
        tests: [T.database],
    }),
    infra(A, "Default deny internet egress at the job/container security group. Explicitly allow only:", {
        program: [SGS, ENDPOINTS("aws.ec2.SecurityGroup")],
        policies: ["security-group-egress-allowlist"],
        tests: [T.sgs],
    }),
    infra(A, "VPC endpoints,", { program: [SG_RULES], policies: ["security-group-egress-allowlist"], tests: [T.sgs] }),
    infra(A, "in-VPC services,", { program: [SG_RULES], policies: ["security-group-egress-allowlist"], tests: [T.sgs] }),
    infra(A, "and egress gateway services.", { program: [SG_RULES, GATEWAY("aws.ec2.SecurityGroup")], policies: ["security-group-egress-allowlist"], tests: [T.index] }),
    infra(A, "Monitor and audit outbound traffic; alert on unexpected egress attempts.", {
        program: [NETWORK("aws.ec2.FlowLog", "aws.cloudwatch.LogGroup"), ALARMS, DNS_FIREWALL("aws.route53.ResolverQueryLogConfig", "aws.route53.ResolverQueryLogConfigAssociation")],
        policies: ["vpc-flow-logs-enabled", "egress-attempts-alarmed", "audit-log-retention", "dns-firewall-on-workload-vpcs"],
        tests: [T.network, T.alarms, T.dns],
    }),
    infra(A, "**Implementation note:** Enforcement is primarily via network topology: job containers have no default route/NAT, and only egress services can reach the public internet.", {
        program: [NETWORK("aws.ec2.RouteTable", "aws.ec2.DefaultRouteTable")],
        policies: ["no-nat-gateways", "no-internet-path-from-workloads"],
        tests: [T.index, T.network],
    }),
];

/** The test file of a pack policy. */
export function policyTest(policy: string): string {
    return `tests/policy-pack/policies/${policy}.test.ts`;
}

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The markdown table of one seed, one row per requirement line. */
function renderSeed(seed: Seed): string[] {
    const rows = TRACES.filter((t) => t.seed === seed).map((t) => {
        const program = t.program.map((p) => `\`${path.basename(p.file)}\`: ${p.resources.join(", ")}`).join("; ");
        const policies = t.policies.map((p) => `\`${p}\``).join(", ");
        const tests = t.tests.map((f) => `\`${f.replace(/^tests\//, "")}\``).join(", ");
        return `| ${cell(t.line)} | ${t.owner} | ${cell(program)} | ${policies} | ${tests} | ${cell(t.note ?? "")} |`;
    });
    return [`#### ${SEED_TITLES[seed]}`, "", "| requirement line | owner | program | policies | tests (besides each policy's own) | note |", "| --- | --- | --- | --- | --- | --- |", ...rows];
}

export const README = path.join(__dirname, "..", "policy-pack", "README.md");
export const BEGIN = "<!-- traceability:begin (generated from docs/traceability.ts) -->";
export const END = "<!-- traceability:end -->";

export function renderTraceability(): string {
    return [BEGIN, ...renderSeed(Seed.SecurityModel), "", ...renderSeed(Seed.NetworkingAdr), END].join("\n");
}

/** The README with its traceability block replaced by the current rendering. */
export function readmeWithTraceability(readme: string): string {
    const start = readme.indexOf(BEGIN);
    const end = readme.indexOf(END);
    if (start < 0 || end < start) {
        throw new Error(`${README} has no ${BEGIN} ... ${END} block`);
    }
    return readme.slice(0, start) + renderTraceability() + readme.slice(end + END.length);
}

if (require.main === module && process.argv.includes("--write")) {
    fs.writeFileSync(README, readmeWithTraceability(fs.readFileSync(README, "utf8")));
}
