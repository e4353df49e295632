import { expect } from "chai";

import { RDS_NOT_PUBLICLY_ACCESSIBLE, rdsNotPubliclyAccessible } from "../../../policy-pack/policies/rds-not-publicly-accessible";
import { runResourcePolicy } from "../../helpers/policy-harness";
import { U, canNotRun, findings } from "../support";

const RULE = "databases must not be reachable from the internet; they live in private data subnets and are reached through security groups";
const FIX = "Set publiclyAccessible: false (the default) and reach the database from inside the VPC.";

const instance = (props: Record<string, unknown>) => ({
    type: "aws:rds/instance:Instance",
    name: "trace-db",
    props: { engine: "postgres", instanceClass: "db.t4g.micro", dbSubnetGroupName: U, ...props },
});
const clusterInstance = (props: Record<string, unknown>) => ({
    type: "aws:rds/clusterInstance:ClusterInstance",
    name: "aurora-1",
    props: { clusterIdentifier: U, instanceClass: "db.r6g.large", ...props },
});

describe("rds-not-publicly-accessible", () => {
    it("passes instances and cluster instances that are private explicitly or by default", async () => {
        for (const r of [instance({}), instance({ publiclyAccessible: false }), clusterInstance({}), clusterInstance({ publiclyAccessible: false })]) {
            const res = await runResourcePolicy(rdsNotPubliclyAccessible, r);
            expect(res.diagnostics, r.type).to.deep.equal([]);
        }
    });

    it("reports a publicly accessible RDS instance", async () => {
        const res = await runResourcePolicy(rdsNotPubliclyAccessible, instance({ publiclyAccessible: true }));
        expect(findings(res)).to.deep.equal([["mandatory", `RDS instance 'trace-db' sets publiclyAccessible: true; ${RULE}. ${FIX}`]]);
        expect(res.diagnostics[0].policyName).to.equal(RDS_NOT_PUBLICLY_ACCESSIBLE);
    });

    it("reports a publicly accessible Aurora cluster instance", async () => {
        const res = await runResourcePolicy(rdsNotPubliclyAccessible, clusterInstance({ publiclyAccessible: true }));
        expect(findings(res)).to.deep.equal([["mandatory", `RDS cluster instance 'aurora-1' sets publiclyAccessible: true; ${RULE}. ${FIX}`]]);
    });

    it('reports the string "true" the way a boolean true is reported', async () => {
        const res = await runResourcePolicy(rdsNotPubliclyAccessible, instance({ publiclyAccessible: "true" }));
        expect(findings(res)).to.deep.equal([["mandatory", `RDS instance 'trace-db' sets publiclyAccessible: true; ${RULE}. ${FIX}`]]);
    });

    it("cannot decide an unknown publiclyAccessible at preview", async () => {
        const res = await runResourcePolicy(rdsNotPubliclyAccessible, instance({ publiclyAccessible: U }));
        expect(findings(res)).to.deep.equal([["advisory", canNotRun(RDS_NOT_PUBLICLY_ACCESSIBLE, "string value at .publiclyAccessible")]]);
    });

    it("does not apply to RDS clusters (their instances carry the setting)", async () => {
        const res = await runResourcePolicy(rdsNotPubliclyAccessible, { type: "aws:rds/cluster:Cluster", name: "c", props: { publiclyAccessible: true } });
        expect(res.diagnostics).to.deep.equal([]);
        expect(res.notApplicable.length).to.equal(1);
    });
});
