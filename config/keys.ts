import {
    allOf,
    atLeast,
    awsAccountId,
    beAtLeast,
    bePinnedByDigest,
    beTrue,
    cidrBlock,
    cloudWatchRetention,
    dataLocation,
    emailAddress,
    endpointServices,
    Format,
    httpsUrl,
    imageReference,
    ItemFormat,
    oneOf,
    organizationId,
    orgSlug,
    platformSecret,
    postgresVersion,
    privateDnsName,
    privateVpcBlock,
    Range,
    rdsInstanceClass,
    Requirement,
    secretName,
    sqsQueueName,
    tag,
} from "./formats";
import { Environment } from "./types";

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

/** How the README's configuration reference names each type. */
export const TYPE_IN_README: Readonly<Record<ConfigType, string>> = {
    [ConfigType.String]: "string",
    [ConfigType.Integer]: "integer",
    [ConfigType.Boolean]: "boolean",
    [ConfigType.StringArray]: "list of strings",
    [ConfigType.IntegerArray]: "list of integers",
};

/** A list's least length; the message says "must list at least one <noun>[; <why>]" or "needs at least N <noun>s, got M". */
export interface MinItems {
    readonly count: number;
    readonly noun: string;
    readonly why?: string;
}

interface Declared<T extends ConfigType, V> {
    readonly type: T;
    readonly description: string;
    /** Optional keys may be left out of a stack file; they then take `default` (or none), as the description states. */
    readonly optional?: true;
    readonly default?: V;
    /** What some environments require of a well-formed value (prod: images pinned by digest, a Multi-AZ database). */
    readonly requiredIn?: Partial<Record<Environment, Requirement<V>>>;
}

interface StringKey extends Declared<ConfigType.String, string> {
    readonly format: Format<string>;
}
interface IntegerKey extends Declared<ConfigType.Integer, number> {
    readonly range: Range;
    readonly format?: Format<number>;
}
type BooleanKey = Declared<ConfigType.Boolean, boolean>;
interface ListKey<T extends ConfigType, V> extends Declared<T, readonly V[]> {
    readonly minItems?: MinItems;
}
interface StringListKey extends ListKey<ConfigType.StringArray, string> {
    readonly itemFormat?: ItemFormat;
    readonly listFormat?: Format<readonly string[]>;
    /** Each item at most once: "lists "x" more than once". */
    readonly unique?: true;
}
interface IntegerListKey extends ListKey<ConfigType.IntegerArray, number> {
    readonly range: Range;
}

/** One key's own shape: its type and what a value of that type must further be, alone or in some environments. */
export type KeyDeclaration = StringKey | IntegerKey | BooleanKey | StringListKey | IntegerListKey;

/** The interface endpoints the posture needs at minimum: DESIGN.md "Endpoints", plus sns and email-smtp, the security model's private path for alert delivery ("SES/SNS (via VPC endpoint)"). */
export const REQUIRED_INTERFACE_ENDPOINTS = ["sqs", "sts", "kms", "ecr.api", "ecr.dkr", "logs", "secretsmanager", "sns", "email-smtp"] as const;

/** Every interface endpoint service the program knows how to name; anything else is a typo. */
export const KNOWN_INTERFACE_ENDPOINTS: ReadonlySet<string> = new Set([
    ...REQUIRED_INTERFACE_ENDPOINTS,
    "ssm",
    "ssmmessages",
    "ec2messages",
    "ecs",
    "ecs-agent",
    "ecs-telemetry",
    "monitoring",
    "events",
    "lambda",
    "rds",
    "servicediscovery",
    "xray",
    "athena",
    "glue",
    "kinesis-streams",
    "execute-api",
]);

/** AWS's bounds for a VPC's block, and so for its subnets. */
const SUBNET_PREFIX_LENGTHS: Range = [16, 28];
const PORTS: Range = [1, 65535];
const CLOUDWATCH_DAYS: Range = [1, 3653];
const TRUE_IN_PROD = { [Environment.Prod]: beTrue };
const PINNED_IN_PROD = { [Environment.Prod]: bePinnedByDigest };

/**
 * Every key of the `trace-network` namespace with its own shape, and the only declaration of them: the
 * validator checks each value against it, and the README's configuration table is rendered from it (a
 * test keeps the two in step). Rules between keys (subnets fitting the VPC, zones in the region) are the
 * validator's. `Pulumi.yaml` deliberately declares none: the CLI checks declared keys before the
 * program runs and stops at the first wrong type, and it treats a declared key without a `default` as
 * required, so declarations would split one list of mistakes over several runs.
 */
export const CONFIG_KEYS = {
    environment: {
        type: ConfigType.String,
        format: oneOf(Object.values(Environment)),
        description: "Deployment environment: dev, staging or prod. It is the {env} segment of every secret name.",
    },
    accountId: {
        type: ConfigType.String,
        format: awsAccountId,
        description: "The 12-digit AWS account this stack deploys to; the provider refuses any other account, and the VPC endpoint policies allow only this account's identities and resources unless trustedOrgId is set.",
    },
    trustedOrgId: {
        type: ConfigType.String,
        format: organizationId,
        description: "AWS Organizations id (o-...) to use as the VPC endpoints' identity and resource perimeter instead of the stack's account (default none: the account).",
        optional: true,
    },
    vpcCidr: {
        type: ConfigType.String,
        format: privateVpcBlock(SUBNET_PREFIX_LENGTHS),
        description: "The VPC's IPv4 block: an RFC 1918 network address with a prefix length of 16 to 28, e.g. 10.20.0.0/16.",
    },
    availabilityZones: {
        type: ConfigType.StringArray,
        minItems: { count: 2, noun: "availability zone" },
        unique: true,
        description: "Availability zone names in aws:region (at least 2, e.g. eu-west-1a). Every tier gets one subnet per zone.",
    },
    appSubnetPrefixLength: {
        type: ConfigType.Integer,
        range: SUBNET_PREFIX_LENGTHS,
        description: "Prefix length of each app-tier subnet (jobs, Lambdas, services, endpoint ENIs).",
    },
    dataSubnetPrefixLength: { type: ConfigType.Integer, range: SUBNET_PREFIX_LENGTHS, description: "Prefix length of each data-tier subnet (RDS)." },
    egressSubnetPrefixLength: {
        type: ConfigType.Integer,
        range: SUBNET_PREFIX_LENGTHS,
        description: "Prefix length of each egress-tier subnet (the two egress gateways only).",
    },
    interfaceEndpoints: {
        type: ConfigType.StringArray,
        listFormat: endpointServices(KNOWN_INTERFACE_ENDPOINTS, REQUIRED_INTERFACE_ENDPOINTS),
        unique: true,
        description: "Interface endpoint services (short names such as ecr.api); must include sqs, sts, kms, ecr.api, ecr.dkr, logs, secretsmanager, sns and email-smtp (alert delivery, security model), which is also the default.",
        optional: true,
        default: REQUIRED_INTERFACE_ENDPOINTS,
    },
    endpointAzCount: {
        type: ConfigType.Integer,
        // 16 is more than any region has: a bound for a count of zones, not a limit anyone meets.
        range: [1, 16],
        description: "How many of the availability zones (the first N) carry interface endpoint ENIs. Defaults to all of them.",
        optional: true,
    },
    dataTierS3Endpoint: {
        type: ConfigType.Boolean,
        description: "Whether the data-tier route table also gets the S3 gateway endpoint (default true).",
        optional: true,
        default: true,
    },
    serviceDomain: {
        type: ConfigType.String,
        format: privateDnsName,
        description: "Private DNS namespace (Cloud Map) for in-VPC services, e.g. dev.trace.internal.",
    },
    servicePorts: {
        type: ConfigType.IntegerArray,
        range: PORTS,
        minItems: { count: 1, noun: "port" },
        description: "TCP ports platform services listen on; jobs, UDFs and operators may reach the services security group on these only.",
    },
    jobImage: {
        type: ConfigType.String,
        format: imageReference,
        requiredIn: PINNED_IN_PROD,
        description: "Container image of the untrusted job runner; pinned by @sha256 digest (required in prod).",
    },
    jobDataLocations: {
        type: ConfigType.StringArray,
        itemFormat: dataLocation,
        unique: true,
        description: "S3 locations (bucket/prefix) the untrusted job task role may read and write (default none).",
        optional: true,
        default: [],
    },
    jobQueueNames: {
        type: ConfigType.StringArray,
        itemFormat: sqsQueueName,
        unique: true,
        description: "SQS queue names in this account the untrusted job task role may consume and send to (default none).",
        optional: true,
        default: [],
    },
    cryoIngestImage: {
        type: ConfigType.String,
        format: imageReference,
        requiredIn: PINNED_IN_PROD,
        description: "Container image of the cryo_ingest platform operator; pinned by digest (required in prod).",
    },
    blockFollowerImage: {
        type: ConfigType.String,
        format: imageReference,
        requiredIn: PINNED_IN_PROD,
        description: "Container image of the block_follower platform operator; pinned by digest (required in prod).",
    },
    webhookGatewayImage: {
        type: ConfigType.String,
        format: imageReference,
        requiredIn: PINNED_IN_PROD,
        description: "Container image of the Webhook Egress Gateway; pinned by digest (required in prod).",
    },
    webhookGatewayPort: { type: ConfigType.Integer, range: PORTS, description: "TCP port the Webhook Egress Gateway listens on for in-VPC callers." },
    webhookGatewayDestinationCidrs: {
        type: ConfigType.StringArray,
        minItems: { count: 1, noun: "destination", why: "a gateway that reaches nothing should not exist" },
        itemFormat: cidrBlock,
        description: "Internet CIDRs the Webhook Egress Gateway may reach (0.0.0.0/0 for arbitrary webhook URLs); apart from 0.0.0.0/0 and ::/0, none may overlap the VPC.",
    },
    webhookGatewayDestinationPorts: {
        type: ConfigType.IntegerArray,
        range: PORTS,
        minItems: { count: 1, noun: "destination port" },
        description: "TCP ports the Webhook Egress Gateway may reach on those CIDRs.",
    },
    rpcGatewayImage: {
        type: ConfigType.String,
        format: imageReference,
        requiredIn: PINNED_IN_PROD,
        description: "Container image of the RPC Egress Gateway; pinned by digest (required in prod).",
    },
    rpcGatewayPort: { type: ConfigType.Integer, range: PORTS, description: "TCP port the RPC Egress Gateway listens on for platform operators." },
    rpcGatewayDestinationCidrs: {
        type: ConfigType.StringArray,
        minItems: { count: 1, noun: "destination", why: "a gateway that reaches nothing should not exist" },
        itemFormat: cidrBlock,
        description: "RPC provider CIDRs the RPC Egress Gateway may reach (0.0.0.0/0 only when providers have no stable ranges); apart from 0.0.0.0/0 and ::/0, none may overlap the VPC.",
    },
    rpcGatewayDestinationPorts: {
        type: ConfigType.IntegerArray,
        range: PORTS,
        minItems: { count: 1, noun: "destination port" },
        description: "TCP ports the RPC Egress Gateway may reach on those CIDRs.",
    },
    gatewayTaskCount: {
        type: ConfigType.Integer,
        range: [1, 10],
        description: "Fargate tasks per egress gateway service (1 to 10, default 1).",
        optional: true,
        default: 1,
    },
    dbInstanceClass: { type: ConfigType.String, format: rdsInstanceClass, description: "RDS instance class, e.g. db.t4g.medium." },
    dbEngineVersion: {
        type: ConfigType.String,
        format: postgresVersion(14),
        description: "PostgreSQL engine version (major or major.minor, 14 or later), e.g. 16.4.",
    },
    dbAllocatedStorageGiB: { type: ConfigType.Integer, range: [20, 65536], description: "RDS allocated storage in GiB (20 to 65536)." },
    dbMultiAz: { type: ConfigType.Boolean, requiredIn: TRUE_IN_PROD, description: "Whether RDS runs Multi-AZ (required in prod)." },
    dbDeletionProtection: { type: ConfigType.Boolean, requiredIn: TRUE_IN_PROD, description: "Whether RDS deletion protection is on (required in prod)." },
    dbBackupRetentionDays: {
        type: ConfigType.Integer,
        range: [0, 35],
        requiredIn: { [Environment.Prod]: beAtLeast(7) },
        description: "RDS automated backup retention in days (0 to 35; at least 7 in prod).",
    },
    orgSlug: {
        type: ConfigType.String,
        format: orgSlug,
        description: "Organisation slug, the {org_slug} segment of org-scoped job secrets; lower-case letters, digits, _ and -, starting with a letter or a digit, and not 'trace'.",
    },
    platformSecrets: {
        type: ConfigType.StringArray,
        itemFormat: platformSecret,
        unique: true,
        description: "Platform component secrets as component/secret_name, created as /{env}/trace/{component}/{secret_name}. A secret whose component is an operator (cryo_ingest, block_follower) is injected into that operator's task (default none).",
        optional: true,
        default: [],
    },
    orgSecrets: {
        type: ConfigType.StringArray,
        itemFormat: secretName,
        unique: true,
        description: "Org-scoped job secret names, created as /{env}/{org_slug}/{secret_name} (default none).",
        optional: true,
        default: [],
    },
    logRetentionDays: {
        type: ConfigType.Integer,
        range: CLOUDWATCH_DAYS,
        format: cloudWatchRetention,
        description: "CloudWatch retention in days for task and Lambda logs (a value CloudWatch accepts, e.g. 30).",
    },
    flowLogRetentionDays: {
        type: ConfigType.Integer,
        range: CLOUDWATCH_DAYS,
        // The security model: audit logs are "retained for 1 year minimum", in every environment.
        format: allOf(cloudWatchRetention, atLeast(365, "flow logs are audit logs, kept a year in every environment")),
        description: "CloudWatch retention in days for VPC flow logs (a value CloudWatch accepts; at least 365: they are audit logs).",
    },
    alertEmails: {
        type: ConfigType.StringArray,
        minItems: { count: 1, noun: "address", why: "an alarm nobody hears is no alarm" },
        itemFormat: emailAddress,
        unique: true,
        description: "Email addresses subscribed to the egress-attempt alarms' SNS topic (at least one).",
    },
    alertHttpsEndpoint: {
        type: ConfigType.String,
        format: httpsUrl,
        description: "An https:// URL also subscribed to the egress-attempt alarms' SNS topic, e.g. a paging webhook (default none).",
        optional: true,
    },
    tags: {
        type: ConfigType.StringArray,
        itemFormat: tag(["aws:", "trace:"]),
        description: "Extra tags for every resource, as key=value; keys starting with aws: or trace: are reserved (default none).",
        optional: true,
        default: [],
    },
} as const satisfies Record<string, KeyDeclaration>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** The fully qualified name of one of our keys, as it appears in stack files and error messages. */
export function qualified(key: ConfigKey): string {
    return `${PROJECT}:${key}`;
}

/** The rows of the README's configuration reference (key | type | required | description), one per key in declaration order. */
export function configReferenceRows(): string[] {
    return Object.entries(CONFIG_KEYS).map(([key, declaration]: [string, KeyDeclaration]) => {
        const required = declaration.optional === true ? "no" : "yes";
        return `| \`${key}\` | ${TYPE_IN_README[declaration.type]} | ${required} | ${declaration.description} |`;
    });
}
