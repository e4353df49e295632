// encryption-at-rest: storage that AWS lets a program create unencrypted must be encrypted (security
// model: "Encryption at rest", "EBS: encrypted volumes for any ephemeral worker storage").
//
// The catalogue below is every shape judged, as data: it builds the validation, the README's
// coverage table, and the test that each property still exists in @pulumi/aws. RDS keeps
// rds-storage-encrypted and S3 keeps its own policies. Storage AWS always encrypts (FSx, MemoryDB,
// MSK, ElastiCache Serverless, Fargate ephemeral storage on platform 1.4+, CloudWatch Logs) has no
// setting to judge and is listed in the README instead.
//
// EBS encryption by default is an account-and-region setting no policy can see, so an unset
// `encrypted` counts as unencrypted: setting it costs nothing and makes the stack say what it needs.

import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";

import { ConfigReader, policyConfigSchema } from "../lib/config";
import { Shape, validateShapes } from "../lib/coverage";
import { show } from "../lib/messages";
import { CheckContext } from "../lib/policy";
import { Props, asRecord, asString, isFalse, isTrue } from "../lib/resources";
import { rejectUnknownKeys } from "../lib/strict-config";
import { Presence, isUnknownSentinel, peekValue, presenceOf } from "../lib/unknowns";

export const ENCRYPTION_AT_REST = "encryption-at-rest";

const RULE = "storage must be encrypted at rest";
const schema = policyConfigSchema(["exemptions"]);

type Ctx = CheckContext<object>;

function shown(value: unknown, whenUnset: string): string {
    return value === undefined || value === null ? `unset (${whenUnset})` : show(value);
}

/** A boolean that must be true; `where` names it in the message, `fix` says how to set it. */
function requireTrue(ctx: Ctx, value: unknown, where: string, whenUnset: string, fix: string): void {
    if (!isTrue(value)) {
        ctx.report({ finding: `has ${where} ${shown(value, whenUnset)}`, rule: RULE, fix });
    }
}

const EBS_UNSET = "the account's EBS encryption-by-default setting decides, which the pack cannot see";
const EBS_FIX = "Set encrypted: true (and kmsKeyId to a customer managed key if the data needs one)";

/** Each element of an array of block devices, one check each so an unknown device defers only itself. */
function eachDevice(ctx: Ctx, devices: unknown, judge: (device: Props, index: number) => void): void {
    if (!Array.isArray(devices)) {
        return;
    }
    for (let i = 0; i < devices.length; i++) {
        ctx.unknowns.check(() => judge(asRecord(devices[i]) ?? {}, i));
    }
}

function checkLaunchTemplate(props: Props, ctx: Ctx): void {
    eachDevice(ctx, props["blockDeviceMappings"], (mapping, i) => {
        // A mapping without `ebs` is an instance-store volume or a suppressed device: nothing to encrypt here.
        if (presenceOf(mapping, "ebs") === Presence.Absent) {
            return;
        }
        const ebs = asRecord(mapping["ebs"]) ?? {};
        // The device name only labels the finding: read without the proxy, an unknown one is left out.
        const name = peekValue(mapping, "deviceName");
        const device = isUnknownSentinel(name) ? undefined : asString(name);
        const where = `blockDeviceMappings[${i}]${device === undefined ? "" : ` (${device})`} ebs.encrypted`;
        requireTrue(ctx, ebs["encrypted"], where, EBS_UNSET, 'Set ebs.encrypted: "true" on every EBS block device mapping');
    });
}

function checkInstanceRoot(props: Props, ctx: Ctx): void {
    // An instance without rootBlockDevice takes its root volume's encryption from the AMI's snapshot
    // (or the account default), neither visible here; the README lists this limit.
    if (presenceOf(props, "rootBlockDevice") === Presence.Absent) {
        return;
    }
    const root = asRecord(props["rootBlockDevice"]) ?? {};
    requireTrue(ctx, root["encrypted"], "rootBlockDevice.encrypted", EBS_UNSET, "Set rootBlockDevice.encrypted: true");
}

function checkInstanceEbsDevices(props: Props, ctx: Ctx): void {
    eachDevice(ctx, props["ebsBlockDevices"], (device, i) => {
        requireTrue(ctx, device["encrypted"], `ebsBlockDevices[${i}].encrypted`, EBS_UNSET, "Set encrypted: true on every ebsBlockDevices entry");
    });
}

function checkQueue(props: Props, ctx: Ctx): void {
    // A KMS key encrypts the queue whatever sqsManagedSseEnabled says, so it is looked at first.
    if (presenceOf(props, "kmsMasterKeyId") !== Presence.Absent || !isFalse(props["sqsManagedSseEnabled"])) {
        return;
    }
    ctx.report({
        finding: "has server-side encryption off: sqsManagedSseEnabled is false and no kmsMasterKeyId",
        rule: RULE,
        fix: "Remove sqsManagedSseEnabled: false (SSE-SQS is the default) or set kmsMasterKeyId",
    });
}

/** Valkey replication groups are encrypted at rest unless told otherwise; Redis ones are not. */
const ENCRYPTED_BY_DEFAULT_ENGINES = ["valkey"];

function checkReplicationGroup(props: Props, ctx: Ctx): void {
    const value = props["atRestEncryptionEnabled"];
    if (isTrue(value)) {
        return;
    }
    if (value === undefined || value === null) {
        const engine = asString(props["engine"]) ?? "redis";
        if (ENCRYPTED_BY_DEFAULT_ENGINES.includes(engine)) {
            return;
        }
    }
    requireTrue(ctx, value, "atRestEncryptionEnabled", "false for the redis engine, the default engine", "Set atRestEncryptionEnabled: true (and kmsKeyId for a customer managed key)");
}

function checkTopic(props: Props, ctx: Ctx): void {
    if (presenceOf(props, "kmsMasterKeyId") === Presence.Absent) {
        ctx.report({ finding: "stores messages unencrypted: kmsMasterKeyId is unset (SNS has no default encryption)", rule: RULE, fix: "Set kmsMasterKeyId to a KMS key (alias/aws/sns or a customer managed key)" });
    }
}

function checkStream(props: Props, ctx: Ctx): void {
    const value = props["encryptionType"];
    if (asString(value) !== "KMS") {
        ctx.report({ finding: `has encryptionType ${shown(value, "defaults to NONE")}`, rule: RULE, fix: 'Set encryptionType: "KMS" and kmsKeyId (alias/aws/kinesis or a customer managed key)' });
    }
}

function checkRedshift(props: Props, ctx: Ctx): void {
    if (isFalse(props["encrypted"])) {
        ctx.report({ finding: `has encrypted ${show(props["encrypted"])}`, rule: RULE, fix: "Remove encrypted: false (encrypted is the default) and set kmsKeyId for a customer managed key" });
    }
}

function nestedFlag(props: Props, block: string, field: string): unknown {
    return asRecord(props[block])?.[field];
}

export const ENCRYPTION_AT_REST_SHAPES: readonly Shape<object>[] = [
    {
        resource: aws.ebs.Volume,
        property: "encrypted",
        unsafe: "unset or false",
        whenUnset: "the account's EBS encryption-by-default setting decides; the pack cannot see it, so unset fails",
        check: (p, ctx) => requireTrue(ctx, p["encrypted"], "encrypted", EBS_UNSET, EBS_FIX),
    },
    {
        resource: aws.ec2.LaunchTemplate,
        property: "blockDeviceMappings",
        nested: ["ebs", "encrypted"],
        unsafe: "a mapping with `ebs` whose `encrypted` is unset or `\"false\"` (instance-store and `noDevice` mappings are skipped)",
        whenUnset: "as for volumes: the account default decides, so unset fails",
        check: checkLaunchTemplate,
    },
    {
        resource: aws.ec2.Instance,
        property: "rootBlockDevice",
        nested: ["encrypted"],
        unsafe: "given, with `encrypted` unset or false",
        whenUnset: "no `rootBlockDevice`: the AMI's snapshot decides, which the pack cannot see; not judged",
        check: checkInstanceRoot,
    },
    {
        resource: aws.ec2.Instance,
        property: "ebsBlockDevices",
        nested: ["encrypted"],
        unsafe: "an entry with `encrypted` unset or false",
        whenUnset: "as for volumes: the account default decides, so unset fails",
        check: checkInstanceEbsDevices,
    },
    {
        resource: aws.efs.FileSystem,
        property: "encrypted",
        unsafe: "unset or false",
        whenUnset: "false, fails",
        check: (p, ctx) => requireTrue(ctx, p["encrypted"], "encrypted", "defaults to false", "Set encrypted: true (and kmsKeyId for a customer managed key); this replaces the file system"),
    },
    {
        resource: aws.sqs.Queue,
        property: "sqsManagedSseEnabled",
        unsafe: "`false` with no `kmsMasterKeyId`",
        whenUnset: "SSE-SQS, on by default for queues created since 2022, passes",
        check: checkQueue,
    },
    {
        resource: aws.elasticache.ReplicationGroup,
        property: "atRestEncryptionEnabled",
        unsafe: "false; unset with engine `redis` (or no engine)",
        whenUnset: "`redis`: false, fails; `valkey`: true, passes",
        check: checkReplicationGroup,
    },
    {
        resource: aws.dax.Cluster,
        property: "serverSideEncryption",
        nested: ["enabled"],
        unsafe: "block missing or `enabled` false",
        whenUnset: "unencrypted, fails",
        check: (p, ctx) => requireTrue(ctx, nestedFlag(p, "serverSideEncryption", "enabled"), "serverSideEncryption.enabled", "defaults to unencrypted", "Set serverSideEncryption: { enabled: true }; this replaces the cluster"),
    },
    {
        resource: aws.opensearch.Domain,
        property: "encryptAtRest",
        nested: ["enabled"],
        unsafe: "block missing or `enabled` false",
        whenUnset: "false, fails",
        check: (p, ctx) => requireTrue(ctx, nestedFlag(p, "encryptAtRest", "enabled"), "encryptAtRest.enabled", "defaults to false", "Set encryptAtRest: { enabled: true }"),
    },
    {
        resource: aws.elasticsearch.Domain,
        property: "encryptAtRest",
        nested: ["enabled"],
        unsafe: "block missing or `enabled` false",
        whenUnset: "false, fails",
        check: (p, ctx) => requireTrue(ctx, nestedFlag(p, "encryptAtRest", "enabled"), "encryptAtRest.enabled", "defaults to false", "Set encryptAtRest: { enabled: true }"),
    },
    {
        resource: aws.docdb.Cluster,
        property: "storageEncrypted",
        unsafe: "unset or false",
        whenUnset: "false, fails",
        check: (p, ctx) => requireTrue(ctx, p["storageEncrypted"], "storageEncrypted", "defaults to false", "Set storageEncrypted: true and kmsKeyId; this replaces the cluster"),
    },
    {
        resource: aws.neptune.Cluster,
        property: "storageEncrypted",
        unsafe: "unset or false",
        whenUnset: "false, fails",
        check: (p, ctx) => requireTrue(ctx, p["storageEncrypted"], "storageEncrypted", "defaults to false", "Set storageEncrypted: true and kmsKeyArn; this replaces the cluster"),
    },
    {
        resource: aws.sns.Topic,
        property: "kmsMasterKeyId",
        unsafe: "unset",
        whenUnset: "unencrypted (SNS has no default encryption), fails",
        check: checkTopic,
    },
    {
        resource: aws.kinesis.Stream,
        property: "encryptionType",
        unsafe: "anything but `KMS`",
        whenUnset: "`NONE`, fails",
        check: checkStream,
    },
    {
        resource: aws.redshift.Cluster,
        property: "encrypted",
        unsafe: "false",
        whenUnset: "true (provider default), passes",
        check: checkRedshift,
    },
];

function readConfig(r: ConfigReader): object {
    rejectUnknownKeys(r, schema);
    return {};
}

export const encryptionAtRest: ResourceValidationPolicy = {
    name: ENCRYPTION_AT_REST,
    description: "Requires encryption at rest on storage AWS can create unencrypted: EBS volumes and EBS device mappings, EFS, SQS, SNS, Kinesis, ElastiCache, DAX, OpenSearch, DocumentDB, Neptune, Redshift.",
    enforcementLevel: "mandatory",
    configSchema: schema,
    validateResource: validateShapes(ENCRYPTION_AT_REST, ENCRYPTION_AT_REST_SHAPES, readConfig),
};
