import { expect } from "chai";
import { Database, DatabaseArgs } from "../../components/database";
import { Environment } from "../../config";
import { countByType, MockedResource, one, recordComponents } from "../helpers/program-mocks";

const PROD: DatabaseArgs = {
    environment: Environment.Prod,
    subnetIds: ["subnet-data-a", "subnet-data-b", "subnet-data-c"],
    securityGroupId: "sg-database",
    settings: { instanceClass: "db.r6g.large", engineVersion: "16.4", allocatedStorageGiB: 200, multiAz: true, deletionProtection: true, backupRetentionDays: 14 },
    protectData: true,
};

function record(args: DatabaseArgs): Promise<MockedResource[]> {
    return recordComponents(() => {
        new Database("trace", args);
    });
}

describe("Database", () => {
    it("creates a KMS key, a data-tier subnet group, a TLS-only parameter group and the instance", async () => {
        const resources = await record(PROD);
        expect(countByType(resources)).to.deep.equal({
            "aws:kms/key:Key": 1,
            "aws:rds/instance:Instance": 1,
            "aws:rds/parameterGroup:ParameterGroup": 1,
            "aws:rds/subnetGroup:SubnetGroup": 1,
            "trace:data:Database": 1,
        });
        expect(one(resources, "aws:rds/subnetGroup:SubnetGroup", "trace-subnets").inputs.subnetIds).to.deep.equal(["subnet-data-a", "subnet-data-b", "subnet-data-c"]);
        expect(one(resources, "aws:rds/parameterGroup:ParameterGroup", "trace-params").inputs).to.deep.include({
            family: "postgres16",
            parameters: [{ name: "rds.force_ssl", value: "1" }],
        });
        expect(one(resources, "aws:kms/key:Key", "trace-key").inputs.enableKeyRotation).to.equal(true);
    });

    it("is private, KMS-encrypted and has an RDS-managed master password", async () => {
        const instance = one(await record(PROD), "aws:rds/instance:Instance", "trace-postgres");
        expect(instance.inputs).to.deep.include({
            publiclyAccessible: false,
            storageEncrypted: true,
            kmsKeyId: "arn:aws:mock:::aws:kms/key:Key/trace-key",
            manageMasterUserPassword: true,
            masterUserSecretKmsKeyId: "arn:aws:mock:::aws:kms/key:Key/trace-key",
            dbSubnetGroupName: "trace-subnets-physical",
            vpcSecurityGroupIds: ["sg-database"],
            port: 5432,
        });
        expect(instance.inputs.password).to.equal(undefined);
    });

    it("takes Multi-AZ, deletion protection and backups from the settings", async () => {
        const prod = one(await record(PROD), "aws:rds/instance:Instance", "trace-postgres");
        expect(prod.inputs).to.deep.include({ identifier: "trace-prod", multiAz: true, deletionProtection: true, backupRetentionPeriod: 14, instanceClass: "db.r6g.large", allocatedStorage: 200 });
        const dev = one(
            await record({ ...PROD, environment: Environment.Dev, settings: { ...PROD.settings, multiAz: false, deletionProtection: false, backupRetentionDays: 1 } }),
            "aws:rds/instance:Instance",
            "trace-postgres",
        );
        expect(dev.inputs).to.deep.include({ identifier: "trace-dev", multiAz: false, deletionProtection: false, backupRetentionPeriod: 1 });
    });
});
