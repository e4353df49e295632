/** The deployment environment; it is the `{env}` segment of every secret name. */
export enum Environment {
    Dev = "dev",
    Staging = "staging",
    Prod = "prod",
}

/** Subnet tiers of DESIGN.md; the value is what the `trace:tier` tag carries. */
export enum Tier {
    App = "app",
    Data = "data",
    Egress = "egress",
}

/** The two egress gateways; the value is what the `trace:egress-gateway` tag carries. */
export enum GatewayKind {
    Webhook = "webhook",
    Rpc = "rpc",
}

/** Trust levels; the value is what the `trace:trust` tag carries. */
export enum Trust {
    Untrusted = "untrusted",
    Platform = "platform",
    Service = "service",
}

/** Platform operators of seed 000; the value is their secret component and task family suffix. */
export enum Operator {
    CryoIngest = "cryo_ingest",
    BlockFollower = "block_follower",
}

/** Tag keys shared with the policy pack (DESIGN.md). */
export const TAG_TIER = "trace:tier";
export const TAG_EGRESS_GATEWAY = "trace:egress-gateway";
export const TAG_TRUST = "trace:trust";

/** Whose identities and resources the VPC endpoints let through. */
export enum PerimeterScope {
    /** The stack's own account: `aws:PrincipalAccount` / `aws:ResourceAccount`. */
    Account = "account",
    /** An AWS Organizations organization: `aws:PrincipalOrgID` / `aws:ResourceOrgID`. */
    Organization = "organization",
}

/** The data perimeter of every VPC endpoint policy: a scope and the account or organization id. */
export interface Perimeter {
    readonly scope: PerimeterScope;
    readonly id: string;
}

/** Who hears about the egress-attempt alarms. */
export interface AlertSubscribers {
    readonly emails: readonly string[];
    readonly httpsEndpoint?: string;
}

export interface SubnetPlan {
    readonly tier: Tier;
    readonly availabilityZone: string;
    readonly cidr: string;
}

export interface GatewayConfig {
    readonly kind: GatewayKind;
    /** Image reference, pinned by digest in prod. */
    readonly image: string;
    /** Port the gateway listens on for in-VPC callers. */
    readonly port: number;
    /** Internet destinations the gateway may reach. */
    readonly destinationCidrs: readonly string[];
    readonly destinationPorts: readonly number[];
    readonly taskCount: number;
}

export interface DatabaseConfig {
    readonly instanceClass: string;
    readonly engineVersion: string;
    readonly allocatedStorageGiB: number;
    readonly multiAz: boolean;
    readonly deletionProtection: boolean;
    readonly backupRetentionDays: number;
}

/** An S3 location an untrusted job may read and write: `bucket/prefix`. */
export interface DataLocation {
    readonly bucket: string;
    readonly prefix: string;
}

/** A platform component secret: `/{env}/trace/{component}/{name}`. */
export interface PlatformSecret {
    readonly component: string;
    readonly name: string;
    readonly path: string;
}

/** An org-scoped job secret: `/{env}/{org_slug}/{name}`. */
export interface OrgSecret {
    readonly name: string;
    readonly path: string;
}

/** The validated, typed configuration of one stack. Produced only by `validateConfig`. */
export interface StackConfig {
    readonly environment: Environment;
    readonly region: string;
    readonly accountId: string;
    /** The stack's account unless `trustedOrgId` is set. */
    readonly perimeter: Perimeter;
    readonly vpcCidr: string;
    readonly availabilityZones: readonly string[];
    readonly subnetPrefixLengths: Readonly<Record<Tier, number>>;
    /** Subnet CIDRs computed from `vpcCidr` and the prefix lengths, tier by tier, AZ by AZ. */
    readonly subnets: readonly SubnetPlan[];
    readonly interfaceEndpoints: readonly string[];
    /** The first `endpointAzCount` availability zones carry the interface endpoint ENIs. */
    readonly endpointAzCount: number;
    readonly dataTierS3Endpoint: boolean;
    readonly serviceDomain: string;
    readonly servicePorts: readonly number[];
    readonly jobImage: string;
    readonly jobDataLocations: readonly DataLocation[];
    readonly jobQueueNames: readonly string[];
    readonly operatorImages: Readonly<Record<Operator, string>>;
    readonly gateways: Readonly<Record<GatewayKind, GatewayConfig>>;
    readonly database: DatabaseConfig;
    readonly orgSlug: string;
    readonly platformSecrets: readonly PlatformSecret[];
    readonly orgSecrets: readonly OrgSecret[];
    readonly logRetentionDays: number;
    readonly flowLogRetentionDays: number;
    readonly alertSubscribers: AlertSubscribers;
    readonly tags: Readonly<Record<string, string>>;
}
