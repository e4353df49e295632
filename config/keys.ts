/** The Pulumi project name, and so the namespace of every key below (`trace-network:<key>`). */
export const PROJECT = "trace-network";
/** The region is the AWS provider's own key, not ours. */
export const REGION_KEY = "aws:region";

/** Config value types: the YAML shape a stack file gives each key. */
export enum ConfigType {
    String = "string",
    Integer = "integer",
    Boolean = "boolean",
    StringArray = "string[]",
    IntegerArray = "integer[]",
}

export interface KeyDeclaration {
    readonly type: ConfigType;
    readonly description: string;
    /** Optional keys may be left out of a stack file; the validator applies the default the description states. */
    readonly optional?: true;
}

/** The interface endpoints the posture needs at minimum: DESIGN.md "Endpoints", plus sns and email-smtp, the security model's private path for alert delivery ("SES/SNS (via VPC endpoint)"). */
export const REQUIRED_INTERFACE_ENDPOINTS = ["sqs", "sts", "kms", "ecr.api", "ecr.dkr", "logs", "secretsmanager", "sns", "email-smtp"] as const;

/**
 * Every key of the `trace-network` namespace, and the only declaration of them. `Pulumi.yaml`
 * deliberately declares none: the CLI checks declared keys before the program runs and stops at the
 * first wrong type, and it treats a declared key without a `default` as required, so declarations
 * would split one list of mistakes over several runs. The README's configuration table mirrors this
 * one (a test keeps the two in step).
 */
export const CONFIG_KEYS = {
    environment: { type: ConfigType.String, description: "Deployment environment: dev, staging or prod. It is the {env} segment of every secret name." },
    accountId: { type: ConfigType.String, description: "The 12-digit AWS account this stack deploys to; the provider refuses any other account, and the VPC endpoint policies allow only this account's identities and resources unless trustedOrgId is set." },
    trustedOrgId: {
        type: ConfigType.String,
        description: "AWS Organizations id (o-...) to use as the VPC endpoints' identity and resource perimeter instead of the stack's account (default none: the account).",
        optional: true,
    },
    vpcCidr: { type: ConfigType.String, description: "The VPC's IPv4 block: an RFC 1918 network address with a prefix length of 16 to 28, e.g. 10.20.0.0/16." },
    availabilityZones: { type: ConfigType.StringArray, description: "Availability zone names in aws:region (at least 2, e.g. eu-west-1a). Every tier gets one subnet per zone." },
    appSubnetPrefixLength: { type: ConfigType.Integer, description: "Prefix length of each app-tier subnet (jobs, Lambdas, services, endpoint ENIs)." },
    dataSubnetPrefixLength: { type: ConfigType.Integer, description: "Prefix length of each data-tier subnet (RDS)." },
    egressSubnetPrefixLength: { type: ConfigType.Integer, description: "Prefix length of each egress-tier subnet (the two egress gateways only)." },
    interfaceEndpoints: {
        type: ConfigType.StringArray,
        description: "Interface endpoint services (short names such as ecr.api); must include sqs, sts, kms, ecr.api, ecr.dkr, logs, secretsmanager, sns and email-smtp (alert delivery, security model), which is also the default.",
        optional: true,
    },
    endpointAzCount: { type: ConfigType.Integer, description: "How many of the availability zones (the first N) carry interface endpoint ENIs. Defaults to all of them.", optional: true },
    dataTierS3Endpoint: { type: ConfigType.Boolean, description: "Whether the data-tier route table also gets the S3 gateway endpoint (default true).", optional: true },
    serviceDomain: { type: ConfigType.String, description: "Private DNS namespace (Cloud Map) for in-VPC services, e.g. dev.trace.internal." },
    servicePorts: { type: ConfigType.IntegerArray, description: "TCP ports platform services listen on; jobs, UDFs and operators may reach the services security group on these only." },
    jobImage: { type: ConfigType.String, description: "Container image of the untrusted job runner; pinned by @sha256 digest (required in prod)." },
    jobDataLocations: { type: ConfigType.StringArray, description: "S3 locations (bucket/prefix) the untrusted job task role may read and write (default none).", optional: true },
    jobQueueNames: { type: ConfigType.StringArray, description: "SQS queue names in this account the untrusted job task role may consume and send to (default none).", optional: true },
    cryoIngestImage: { type: ConfigType.String, description: "Container image of the cryo_ingest platform operator; pinned by digest (required in prod)." },
    blockFollowerImage: { type: ConfigType.String, description: "Container image of the block_follower platform operator; pinned by digest (required in prod)." },
    webhookGatewayImage: { type: ConfigType.String, description: "Container image of the Webhook Egress Gateway; pinned by digest (required in prod)." },
    webhookGatewayPort: { type: ConfigType.Integer, description: "TCP port the Webhook Egress Gateway listens on for in-VPC callers." },
    webhookGatewayDestinationCidrs: { type: ConfigType.StringArray, description: "Internet CIDRs the Webhook Egress Gateway may reach (0.0.0.0/0 for arbitrary webhook URLs); apart from 0.0.0.0/0 and ::/0, none may overlap the VPC." },
    webhookGatewayDestinationPorts: { type: ConfigType.IntegerArray, description: "TCP ports the Webhook Egress Gateway may reach on those CIDRs." },
    rpcGatewayImage: { type: ConfigType.String, description: "Container image of the RPC Egress Gateway; pinned by digest (required in prod)." },
    rpcGatewayPort: { type: ConfigType.Integer, description: "TCP port the RPC Egress Gateway listens on for platform operators." },
    rpcGatewayDestinationCidrs: { type: ConfigType.StringArray, description: "RPC provider CIDRs the RPC Egress Gateway may reach (0.0.0.0/0 only when providers have no stable ranges); apart from 0.0.0.0/0 and ::/0, none may overlap the VPC." },
    rpcGatewayDestinationPorts: { type: ConfigType.IntegerArray, description: "TCP ports the RPC Egress Gateway may reach on those CIDRs." },
    gatewayTaskCount: { type: ConfigType.Integer, description: "Fargate tasks per egress gateway service (1 to 10, default 1).", optional: true },
    dbInstanceClass: { type: ConfigType.String, description: "RDS instance class, e.g. db.t4g.medium." },
    dbEngineVersion: { type: ConfigType.String, description: "PostgreSQL engine version (major or major.minor, 14 or later), e.g. 16.4." },
    dbAllocatedStorageGiB: { type: ConfigType.Integer, description: "RDS allocated storage in GiB (20 to 65536)." },
    dbMultiAz: { type: ConfigType.Boolean, description: "Whether RDS runs Multi-AZ (required in prod)." },
    dbDeletionProtection: { type: ConfigType.Boolean, description: "Whether RDS deletion protection is on (required in prod)." },
    dbBackupRetentionDays: { type: ConfigType.Integer, description: "RDS automated backup retention in days (0 to 35; at least 7 in prod)." },
    orgSlug: { type: ConfigType.String, description: "Organisation slug, the {org_slug} segment of org-scoped job secrets; lower case [a-z0-9][a-z0-9_-]*, not 'trace'." },
    platformSecrets: {
        type: ConfigType.StringArray,
        description: "Platform component secrets as component/secret_name, created as /{env}/trace/{component}/{secret_name}. A secret whose component is an operator (cryo_ingest, block_follower) is injected into that operator's task (default none).",
        optional: true,
    },
    orgSecrets: { type: ConfigType.StringArray, description: "Org-scoped job secret names, created as /{env}/{org_slug}/{secret_name} (default none).", optional: true },
    logRetentionDays: { type: ConfigType.Integer, description: "CloudWatch retention in days for task and Lambda logs (a value CloudWatch accepts, e.g. 30)." },
    flowLogRetentionDays: { type: ConfigType.Integer, description: "CloudWatch retention in days for VPC flow logs (a value CloudWatch accepts; at least 365: they are audit logs)." },
    alertEmails: { type: ConfigType.StringArray, description: "Email addresses subscribed to the egress-attempt alarms' SNS topic (at least one)." },
    alertHttpsEndpoint: { type: ConfigType.String, description: "An https:// URL also subscribed to the egress-attempt alarms' SNS topic, e.g. a paging webhook (default none).", optional: true },
    tags: { type: ConfigType.StringArray, description: "Extra tags for every resource, as key=value; keys starting with aws: or trace: are reserved (default none).", optional: true },
} as const satisfies Record<string, KeyDeclaration>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** The fully qualified name of one of our keys, as it appears in stack files and error messages. */
export function qualified(key: ConfigKey): string {
    return `${PROJECT}:${key}`;
}
