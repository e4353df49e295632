import { expect } from "chai";

import { RDS_STORAGE_ENCRYPTED, rdsStorageEncrypted } from "../../../policy-pack/policies/rds-storage-encrypted";
import { runResourcePolicy } from "../../helpers/policy-harness";
import { U, canNotRun, findings } from "../support";

const RULE = "RDS storage must be encrypted at rest";
const INSTANCE_FIX = "Set storageEncrypted: true and kmsKeyId to the data KMS key.";
const CLUSTER_FIX = "Set storageEncrypted: true and kmsKeyId to the data KMS key (this replaces the cluster).";

const db = (props: Record<string, unknown>) => ({ type: "aws:rds/instance:Instance", name: "trace-db", props: { engine: "postgres", ...props } });
const cluster = (props: Record<string, unknown>) => ({ type: "aws:rds/cluster:Cluster", name: "aurora", props: { engine: "aurora-postgresql", ...props } });

describe("rds-storage-encrypted", () => {
    it("passes encrypted instances and clusters, a read replica that inherits, and Aurora Serverless v1", async () => {
        for (const r of [
            db({ storageEncrypted: true, kmsKeyId: U }),
            db({ replicateSourceDb: U }),
            cluster({ storageEncrypted: true }),
            cluster({ engineMode: "serverless" }),
        ]) {
            const res = await runResourcePolicy(rdsStorageEncrypted, r);
            expect(res.diagnostics, JSON.stringify(r.props)).to.deep.equal([]);
        }
    });

    it("reports an instance with storageEncrypted unset (AWS's default is unencrypted)", async () => {
        const res = await runResourcePolicy(rdsStorageEncrypted, db({}));
        expect(findings(res)).to.deep.equal([["mandatory", `RDS instance 'trace-db' has storageEncrypted unset (defaults to false); ${RULE}. ${INSTANCE_FIX}`]]);
        expect(res.diagnostics[0].policyName).to.equal(RDS_STORAGE_ENCRYPTED);
    });

    it("reports an instance with storageEncrypted false, even as a replica", async () => {
        const res = await runResourcePolicy(rdsStorageEncrypted, db({ storageEncrypted: false, replicateSourceDb: "src" }));
        expect(findings(res)).to.deep.equal([["mandatory", `RDS instance 'trace-db' has storageEncrypted false; ${RULE}. ${INSTANCE_FIX}`]]);
    });

    it("reports a provisioned cluster without storage encryption", async () => {
        const res = await runResourcePolicy(rdsStorageEncrypted, cluster({ engineMode: "provisioned" }));
        expect(findings(res)).to.deep.equal([["mandatory", `RDS cluster 'aurora' has storageEncrypted unset (defaults to false); ${RULE}. ${CLUSTER_FIX}`]]);
    });

    it("cannot decide an unknown storageEncrypted at preview", async () => {
        const res = await runResourcePolicy(rdsStorageEncrypted, db({ storageEncrypted: U }));
        expect(findings(res)).to.deep.equal([["advisory", canNotRun(RDS_STORAGE_ENCRYPTED, "string value at .storageEncrypted")]]);
    });
});
