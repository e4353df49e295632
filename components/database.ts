import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatabaseConfig, Environment, Trust } from "../config/types";
import { trustTags } from "./common";
import { POSTGRES_PORT } from "./security-groups";

export interface DatabaseArgs {
    readonly environment: Environment;
    /** Data-tier subnets: the DB subnet group holds these and nothing else. */
    readonly subnetIds: pulumi.Input<string>[];
    readonly securityGroupId: pulumi.Input<string>;
    readonly settings: DatabaseConfig;
    /** Pulumi refuses to delete the instance and its key (`protect`); prod data must outlive a mistaken `pulumi destroy`. */
    readonly protectData: boolean;
}

/**
 * RDS PostgreSQL in the data subnets (DESIGN.md "Data and secrets"): never publicly accessible,
 * storage encrypted with its own KMS key, TLS enforced, master password generated and rotated by RDS
 * (never in code or state), deletion protection, backups and Multi-AZ from stack config.
 */
export class Database extends pulumi.ComponentResource {
    readonly endpoint: pulumi.Output<string>;
    readonly address: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;
    /** The RDS-managed secret holding the master credentials. */
    readonly masterUserSecretArn: pulumi.Output<string | undefined>;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trace:data:Database", name, {}, opts);
        const parent = { parent: this };
        const guarded = { parent: this, protect: args.protectData };
        const identifier = `trace-${args.environment}`;
        const major = args.settings.engineVersion.split(".")[0];

        const key = new aws.kms.Key(
            `${name}-key`,
            { description: `${identifier} RDS storage and master secret`, enableKeyRotation: true, deletionWindowInDays: 30, tags: { Name: `${identifier}-rds` } },
            guarded,
        );
        this.kmsKeyArn = key.arn;
        const subnetGroup = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            { description: "Data-tier subnets only", subnetIds: args.subnetIds, tags: { Name: `${identifier}-data` } },
            parent,
        );
        const parameters = new aws.rds.ParameterGroup(
            `${name}-params`,
            {
                family: `postgres${major}`,
                description: "TLS required for every connection",
                parameters: [{ name: "rds.force_ssl", value: "1" }],
                tags: { Name: identifier },
            },
            parent,
        );
        const instance = new aws.rds.Instance(
            `${name}-postgres`,
            {
                identifier,
                engine: "postgres",
                engineVersion: args.settings.engineVersion,
                instanceClass: args.settings.instanceClass,
                allocatedStorage: args.settings.allocatedStorageGiB,
                storageType: "gp3",
                storageEncrypted: true,
                kmsKeyId: key.arn,
                dbName: "trace",
                username: "trace_admin",
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: key.arn,
                port: POSTGRES_PORT,
                dbSubnetGroupName: subnetGroup.name,
                parameterGroupName: parameters.name,
                vpcSecurityGroupIds: [args.securityGroupId],
                publiclyAccessible: false,
                multiAz: args.settings.multiAz,
                deletionProtection: args.settings.deletionProtection,
                backupRetentionPeriod: args.settings.backupRetentionDays,
                iamDatabaseAuthenticationEnabled: true,
                autoMinorVersionUpgrade: true,
                copyTagsToSnapshot: true,
                skipFinalSnapshot: false,
                finalSnapshotIdentifier: `${identifier}-final`,
                tags: trustTags(Trust.Service, identifier),
            },
            guarded,
        );
        this.endpoint = instance.endpoint;
        this.address = instance.address;
        this.masterUserSecretArn = instance.masterUserSecrets.apply((secrets) => secrets?.[0]?.secretArn);

        this.registerOutputs({ endpoint: this.endpoint, address: this.address, kmsKeyArn: this.kmsKeyArn, masterUserSecretArn: this.masterUserSecretArn });
    }
}
