import { expect } from "chai";

import { ENCRYPTION_AT_REST, ENCRYPTION_AT_REST_SHAPES, encryptionAtRest } from "../../../policy-pack/policies/encryption-at-rest";
import { runResourcePolicy } from "../../helpers/policy-harness";
import { ShapeCase, U, canNotRun, describeShapeCases, findings, rejection } from "../support";

const RULE = "storage must be encrypted at rest";
const EBS_UNSET = "unset (the account's EBS encryption-by-default setting decides, which the pack cannot see)";

const EBS_FIX = "Set encrypted: true (and kmsKeyId to a customer managed key if the data needs one).";

const CASES: readonly ShapeCase[] = [
    {
        type: "aws:ebs/volume:Volume",
        kind: "EBS volume",
        plan: { availabilityZone: "eu-west-1a", size: 20, encrypted: true, kmsKeyId: "arn:aws:kms:eu-west-1:1:key/k" },
        preview: { availabilityZone: "eu-west-1a", size: 20, encrypted: true, kmsKeyId: U },
        failing: [
            { shape: "encrypted", change: { encrypted: undefined }, expected: `has encrypted ${EBS_UNSET}; ${RULE}. ${EBS_FIX}` },
            { shape: "encrypted", change: { encrypted: false }, expected: `has encrypted false; ${RULE}. ${EBS_FIX}` },
        ],
    },
    {
        type: "aws:ec2/launchTemplate:LaunchTemplate",
        kind: "launch template",
        plan: {
            imageId: "ami-1",
            blockDeviceMappings: [
                { deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 30 } },
                { deviceName: "/dev/sdb", virtualName: "ephemeral0" },
            ],
        },
        preview: { imageId: U, blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: U } }] },
        failing: [
            {
                shape: "blockDeviceMappings.ebs.encrypted",
                change: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 30 } }] },
                expected: `has blockDeviceMappings[0] (/dev/xvda) ebs.encrypted ${EBS_UNSET}; ${RULE}. Set ebs.encrypted: "true" on every EBS block device mapping.`,
            },
            {
                shape: "blockDeviceMappings.ebs.encrypted",
                change: { blockDeviceMappings: [{ deviceName: "/dev/sdb", virtualName: "ephemeral0" }, { ebs: { encrypted: "false" } }] },
                expected: `has blockDeviceMappings[1] ebs.encrypted false; ${RULE}. Set ebs.encrypted: "true" on every EBS block device mapping.`,
            },
        ],
    },
    {
        type: "aws:ec2/instance:Instance",
        kind: "EC2 instance",
        plan: { ami: "ami-1", rootBlockDevice: { encrypted: true }, ebsBlockDevices: [{ deviceName: "/dev/sdb", encrypted: true }] },
        preview: { ami: U, subnetId: U, rootBlockDevice: { encrypted: true, kmsKeyId: U } },
        failing: [
            { shape: "rootBlockDevice.encrypted", change: { rootBlockDevice: { volumeSize: 30 } }, expected: `has rootBlockDevice.encrypted ${EBS_UNSET}; ${RULE}. Set rootBlockDevice.encrypted: true.` },
            {
                shape: "ebsBlockDevices.encrypted",
                change: { ebsBlockDevices: [{ deviceName: "/dev/sdb", encrypted: false }] },
                expected: `has ebsBlockDevices[0].encrypted false; ${RULE}. Set encrypted: true on every ebsBlockDevices entry.`,
            },
        ],
    },
    {
        type: "aws:efs/fileSystem:FileSystem",
        kind: "EFS file system",
        plan: { encrypted: true, creationToken: "scratch" },
        preview: { encrypted: true, kmsKeyId: U },
        failing: [
            { shape: "encrypted", change: { encrypted: undefined }, expected: `has encrypted unset (defaults to false); ${RULE}. Set encrypted: true (and kmsKeyId for a customer managed key); this replaces the file system.` },
        ],
    },
    {
        type: "aws:sqs/queue:Queue",
        kind: "SQS queue",
        // Unset is SSE-SQS, AWS's default for new queues.
        plan: { name: "jobs" },
        preview: { name: U, visibilityTimeoutSeconds: 30 },
        failing: [
            {
                shape: "sqsManagedSseEnabled",
                change: { sqsManagedSseEnabled: false },
                expected: `has server-side encryption off: sqsManagedSseEnabled is false and no kmsMasterKeyId; ${RULE}. Remove sqsManagedSseEnabled: false (SSE-SQS is the default) or set kmsMasterKeyId.`,
            },
        ],
    },
    {
        type: "aws:elasticache/replicationGroup:ReplicationGroup",
        kind: "ElastiCache replication group",
        plan: { description: "cache", atRestEncryptionEnabled: true, transitEncryptionEnabled: true },
        // Valkey is encrypted at rest by default.
        preview: { description: "cache", engine: "valkey", kmsKeyId: U },
        failing: [
            {
                shape: "atRestEncryptionEnabled",
                change: { engine: "redis", atRestEncryptionEnabled: undefined },
                expected: `has atRestEncryptionEnabled unset (false for the redis engine, the default engine); ${RULE}. Set atRestEncryptionEnabled: true (and kmsKeyId for a customer managed key).`,
            },
            {
                shape: "atRestEncryptionEnabled",
                change: { engine: "valkey", atRestEncryptionEnabled: false },
                expected: `has atRestEncryptionEnabled false; ${RULE}. Set atRestEncryptionEnabled: true (and kmsKeyId for a customer managed key).`,
            },
        ],
    },
    {
        type: "aws:dax/cluster:Cluster",
        kind: "DAX cluster",
        plan: { nodeType: "dax.r4.large", serverSideEncryption: { enabled: true } },
        preview: { iamRoleArn: U, serverSideEncryption: { enabled: true } },
        failing: [
            {
                shape: "serverSideEncryption.enabled",
                change: { serverSideEncryption: undefined },
                expected: `has serverSideEncryption.enabled unset (defaults to unencrypted); ${RULE}. Set serverSideEncryption: { enabled: true }; this replaces the cluster.`,
            },
        ],
    },
    {
        type: "aws:opensearch/domain:Domain",
        kind: "OpenSearch domain",
        plan: { engineVersion: "OpenSearch_2.13", encryptAtRest: { enabled: true } },
        preview: { engineVersion: "OpenSearch_2.13", encryptAtRest: { enabled: true, kmsKeyId: U } },
        failing: [
            { shape: "encryptAtRest.enabled", change: { encryptAtRest: { enabled: false } }, expected: `has encryptAtRest.enabled false; ${RULE}. Set encryptAtRest: { enabled: true }.` },
        ],
    },
    {
        type: "aws:elasticsearch/domain:Domain",
        kind: "Elasticsearch domain",
        plan: { elasticsearchVersion: "7.10", encryptAtRest: { enabled: true } },
        preview: { elasticsearchVersion: "7.10", encryptAtRest: { enabled: true, kmsKeyId: U } },
        failing: [
            { shape: "encryptAtRest.enabled", change: { encryptAtRest: undefined }, expected: `has encryptAtRest.enabled unset (defaults to false); ${RULE}. Set encryptAtRest: { enabled: true }.` },
        ],
    },
    {
        type: "aws:docdb/cluster:Cluster",
        kind: "DocumentDB cluster",
        plan: { storageEncrypted: true, kmsKeyId: "arn:aws:kms:eu-west-1:1:key/k" },
        preview: { storageEncrypted: true, kmsKeyId: U },
        failing: [
            { shape: "storageEncrypted", change: { storageEncrypted: false }, expected: `has storageEncrypted false; ${RULE}. Set storageEncrypted: true and kmsKeyId; this replaces the cluster.` },
        ],
    },
    {
        type: "aws:neptune/cluster:Cluster",
        kind: "Neptune cluster",
        plan: { storageEncrypted: true },
        preview: { storageEncrypted: true, kmsKeyArn: U },
        failing: [
            { shape: "storageEncrypted", change: { storageEncrypted: undefined }, expected: `has storageEncrypted unset (defaults to false); ${RULE}. Set storageEncrypted: true and kmsKeyArn; this replaces the cluster.` },
        ],
    },
    {
        type: "aws:sns/topic:Topic",
        kind: "SNS topic",
        plan: { name: "alarms", kmsMasterKeyId: "arn:aws:kms:eu-west-1:1:key/k" },
        // The program's shape: the key is created in the same run, so its ARN is unknown at preview.
        preview: { name: "alarms", kmsMasterKeyId: U },
        failing: [
            {
                shape: "kmsMasterKeyId",
                change: { kmsMasterKeyId: undefined },
                expected: `stores messages unencrypted: kmsMasterKeyId is unset (SNS has no default encryption); ${RULE}. Set kmsMasterKeyId to a KMS key (alias/aws/sns or a customer managed key).`,
            },
        ],
    },
    {
        type: "aws:kinesis/stream:Stream",
        kind: "Kinesis stream",
        plan: { shardCount: 1, encryptionType: "KMS", kmsKeyId: "alias/aws/kinesis" },
        preview: { shardCount: 1, encryptionType: "KMS", kmsKeyId: U },
        failing: [
            { shape: "encryptionType", change: { encryptionType: undefined }, expected: `has encryptionType unset (defaults to NONE); ${RULE}. Set encryptionType: "KMS" and kmsKeyId (alias/aws/kinesis or a customer managed key).` },
            { shape: "encryptionType", change: { encryptionType: "NONE" }, expected: `has encryptionType NONE; ${RULE}. Set encryptionType: "KMS" and kmsKeyId (alias/aws/kinesis or a customer managed key).` },
        ],
    },
    {
        type: "aws:redshift/cluster:Cluster",
        kind: "Redshift cluster",
        // encrypted defaults to true.
        plan: { clusterIdentifier: "warehouse", nodeType: "ra3.xlplus" },
        preview: { clusterIdentifier: "warehouse", nodeType: "ra3.xlplus", encrypted: "true", kmsKeyId: U },
        failing: [
            { shape: "encrypted", change: { encrypted: "false" }, expected: `has encrypted false; ${RULE}. Remove encrypted: false (encrypted is the default) and set kmsKeyId for a customer managed key.` },
        ],
    },
];

describe("encryption-at-rest", () => {
    describeShapeCases(encryptionAtRest, ENCRYPTION_AT_REST_SHAPES, CASES, "store");

    it("reports every unencrypted device of a launch template and defers only the unknown one", async () => {
        const res = await runResourcePolicy(encryptionAtRest, {
            type: "aws:ec2/launchTemplate:LaunchTemplate",
            name: "workers",
            props: { blockDeviceMappings: [{ ebs: { encrypted: U } }, { ebs: { encrypted: "false" } }] },
        });
        expect(findings(res)).to.deep.equal([
            ["mandatory", `launch template 'workers' has blockDeviceMappings[1] ebs.encrypted false; ${RULE}. Set ebs.encrypted: "true" on every EBS block device mapping.`],
            ["advisory", canNotRun(ENCRYPTION_AT_REST, "string value at .blockDeviceMappings.0.ebs.encrypted")],
        ]);
    });

    it("defers a flag unknown at preview, but not a key id that can only make a queue encrypted", async () => {
        const volume = await runResourcePolicy(encryptionAtRest, { type: "aws:ebs/volume:Volume", name: "scratch", props: { encrypted: U } });
        expect(findings(volume)).to.deep.equal([["advisory", canNotRun(ENCRYPTION_AT_REST, "string value at .encrypted")]]);
        const queue = await runResourcePolicy(encryptionAtRest, { type: "aws:sqs/queue:Queue", name: "jobs", props: { sqsManagedSseEnabled: U } });
        expect(findings(queue)).to.deep.equal([["advisory", canNotRun(ENCRYPTION_AT_REST, "string value at .sqsManagedSseEnabled")]]);
        for (const sqsManagedSseEnabled of [false, U]) {
            const keyed = await runResourcePolicy(encryptionAtRest, { type: "aws:sqs/queue:Queue", name: "jobs", props: { sqsManagedSseEnabled, kmsMasterKeyId: U } });
            expect(keyed.diagnostics).to.deep.equal([]);
        }
        // The device name only labels the finding.
        const unnamed = await runResourcePolicy(encryptionAtRest, { type: "aws:ec2/launchTemplate:LaunchTemplate", name: "workers", props: { blockDeviceMappings: [{ deviceName: U, ebs: {} }] } });
        expect(findings(unnamed)).to.deep.equal([
            ["mandatory", `launch template 'workers' has blockDeviceMappings[0] ebs.encrypted ${EBS_UNSET}; ${RULE}. Set ebs.encrypted: "true" on every EBS block device mapping.`],
        ]);
        // The engine decides redis vs valkey: an unknown engine can change the default, so it defers.
        const cache = await runResourcePolicy(encryptionAtRest, { type: "aws:elasticache/replicationGroup:ReplicationGroup", name: "cache", props: { engine: U } });
        expect(findings(cache)).to.deep.equal([["advisory", canNotRun(ENCRYPTION_AT_REST, "string value at .engine")]]);
    });

    it("honours exemptions and rejects unknown config keys", async () => {
        const exempt = await runResourcePolicy(
            encryptionAtRest,
            { type: "aws:ebs/volume:Volume", name: "legacy-scratch", props: {} },
            { config: { exemptions: [{ resource: "legacy-*", reason: "OPS-7: replaced by an encrypted volume in March" }] } },
        );
        expect(exempt.diagnostics).to.deep.equal([]);
        expect(exempt.notApplicable.map((n) => n.reason)).to.deep.equal(["exempted by pack config (legacy-*): OPS-7: replaced by an encrypted volume in March"]);
        const bad = await rejection(runResourcePolicy(encryptionAtRest, { type: "aws:ebs/volume:Volume", name: "v", props: {} }, { config: { exemptTypes: [] } }));
        expect(bad).to.contain("invalid config for policy 'encryption-at-rest': exemptTypes is not a config key of this policy (its keys: enforcementLevel, exemptions)");
    });

    it("does not apply to other resource types", async () => {
        const res = await runResourcePolicy(encryptionAtRest, { type: "aws:rds/instance:Instance", name: "pg", props: {} });
        expect(res.diagnostics).to.deep.equal([]);
        expect(res.notApplicable.map((n) => n.policyName)).to.deep.equal([ENCRYPTION_AT_REST]);
    });
});
