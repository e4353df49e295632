import { expect } from "chai";

import { VPC_FLOW_LOGS_ENABLED, vpcFlowLogsEnabled } from "../../../policy-pack/policies/vpc-flow-logs-enabled";
import { HarnessResource, runStackPolicy, urnOf } from "../../helpers/policy-harness";
import { U, stackFindings } from "../support";

const VPC = "aws:ec2/vpc:Vpc";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const RULE = "every VPC needs flow logs of ALL traffic so unexpected egress can be audited and alerted on";
const FIX = 'Add aws.ec2.FlowLog { vpcId, trafficType: "ALL", logDestinationType: "cloud-watch-logs" } with a retained log group.';

function res(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): HarnessResource {
    return { type, name, props, propertyDependencies };
}
const vpc = res(VPC, "main", { cidrBlock: "10.0.0.0/16" });
const flowLog = (name: string, trafficType: unknown, vpcName = "main", vpcType = VPC) =>
    res(FLOW_LOG, name, { vpcId: U, trafficType, logDestination: U }, { vpcId: [urnOf(vpcType, vpcName)] });

describe("vpc-flow-logs-enabled", () => {
    it("passes a VPC with an ALL-traffic flow log, and an awsx VPC logged through its vpcId output", async () => {
        const awsxVpc = res("awsx:ec2:Vpc", "team", {});
        const out = await runStackPolicy(vpcFlowLogsEnabled, [vpc, flowLog("main-all", "ALL"), awsxVpc, flowLog("team-all", "ALL", "team", "awsx:ec2:Vpc")]);
        expect(out.diagnostics).to.deep.equal([]);
    });

    it("advises on a VPC without a flow log, as advisory by default", async () => {
        const out = await runStackPolicy(vpcFlowLogsEnabled, [vpc]);
        expect(stackFindings(out)).to.deep.equal([["advisory", urnOf(VPC, "main"), `VPC 'main' has no flow log; ${RULE}. ${FIX}`]]);
        expect(out.diagnostics[0].policyName).to.equal(VPC_FLOW_LOGS_ENABLED);
    });

    it("advises on a VPC logging only rejected traffic, and on subnet-level logs that do not cover it", async () => {
        const subnetLog = res(FLOW_LOG, "subnet-log", { subnetId: U, trafficType: "ALL" }, { subnetId: [urnOf("aws:ec2/subnet:Subnet", "a")] });
        const reject = await runStackPolicy(vpcFlowLogsEnabled, [vpc, flowLog("rej", "REJECT")]);
        const subnetOnly = await runStackPolicy(vpcFlowLogsEnabled, [vpc, subnetLog]);
        expect(stackFindings(reject)).to.deep.equal([["advisory", urnOf(VPC, "main"), `VPC 'main' has flow logs only for REJECT traffic; ${RULE}. ${FIX}`]]);
        expect(stackFindings(subnetOnly)).to.deep.equal([["advisory", urnOf(VPC, "main"), `VPC 'main' has no flow log; ${RULE}. ${FIX}`]]);
    });

    it("can be made mandatory through config", async () => {
        const out = await runStackPolicy(vpcFlowLogsEnabled, [vpc], { enforcementLevel: "mandatory" });
        expect(out.diagnostics.map((d) => d.enforcementLevel)).to.deep.equal(["mandatory"]);
    });

    it("cannot decide while the traffic type is unknown at preview", async () => {
        const out = await runStackPolicy(vpcFlowLogsEnabled, [vpc, flowLog("later", U)]);
        expect(stackFindings(out)).to.deep.equal([
            [
                "advisory",
                urnOf(VPC, "main"),
                "can't fully check VPC 'main' during preview: string value at .trafficType of its flow log can't be known during preview; it is checked again when the value is known",
            ],
        ]);
    });
});
