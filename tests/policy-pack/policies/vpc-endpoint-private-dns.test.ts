import { expect } from "chai";

import { VPC_ENDPOINT_PRIVATE_DNS, vpcEndpointPrivateDns } from "../../../policy-pack/policies/vpc-endpoint-private-dns";
import { runResourcePolicy } from "../../helpers/policy-harness";
import { U, canNotRun, findings } from "../support";

const RULE = "interface endpoints for AWS services must enable private DNS so SDKs resolve the service name to the endpoint, not the internet";
const FIX = "Set privateDnsEnabled: true (the VPC needs enableDnsSupport and enableDnsHostnames).";

const ep = (props: Record<string, unknown>) => ({ type: "aws:ec2/vpcEndpoint:VpcEndpoint", name: "sqs", props: { vpcId: U, ...props } });

describe("vpc-endpoint-private-dns", () => {
    it("passes interface endpoints with private DNS, gateway endpoints, and endpoint services of other accounts", async () => {
        for (const r of [
            ep({ serviceName: "com.amazonaws.eu-west-1.sqs", vpcEndpointType: "Interface", privateDnsEnabled: true, subnetIds: [U] }),
            ep({ serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "Gateway", routeTableIds: [U] }),
            ep({ serviceName: "com.amazonaws.eu-west-1.dynamodb" }),
            ep({ serviceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0123", vpcEndpointType: "Interface" }),
            { type: "awsx:ec2:Vpc", name: "team", props: { vpcEndpointSpecs: [{ serviceName: "com.amazonaws.eu-west-1.logs", vpcEndpointType: "Interface", privateDnsEnabled: true }] } },
        ]) {
            const res = await runResourcePolicy(vpcEndpointPrivateDns, r);
            expect(res.diagnostics, JSON.stringify(r.props)).to.deep.equal([]);
        }
    });

    it("reports an interface endpoint with private DNS unset (AWS's default is off)", async () => {
        const res = await runResourcePolicy(vpcEndpointPrivateDns, ep({ serviceName: "com.amazonaws.eu-west-1.sqs", vpcEndpointType: "Interface" }));
        expect(findings(res)).to.deep.equal([
            ["mandatory", `VPC endpoint 'sqs' is an interface endpoint for com.amazonaws.eu-west-1.sqs with privateDnsEnabled unset (defaults to false); ${RULE}. ${FIX}`],
        ]);
        expect(res.diagnostics[0].policyName).to.equal(VPC_ENDPOINT_PRIVATE_DNS);
    });

    it("reports an interface endpoint with private DNS false", async () => {
        const res = await runResourcePolicy(vpcEndpointPrivateDns, ep({ serviceName: "com.amazonaws.eu-west-1.ecr.dkr", vpcEndpointType: "Interface", privateDnsEnabled: false }));
        expect(findings(res)).to.deep.equal([
            ["mandatory", `VPC endpoint 'sqs' is an interface endpoint for com.amazonaws.eu-west-1.ecr.dkr with privateDnsEnabled false; ${RULE}. ${FIX}`],
        ]);
    });

    it("reports an awsx VPC endpoint spec without private DNS, naming the spec", async () => {
        const res = await runResourcePolicy(vpcEndpointPrivateDns, {
            type: "awsx:ec2:Vpc",
            name: "team",
            props: {
                vpcEndpointSpecs: [
                    { serviceName: "com.amazonaws.eu-west-1.s3" },
                    { serviceName: "com.amazonaws.eu-west-1.sts", vpcEndpointType: "Interface" },
                ],
            },
        });
        expect(findings(res)).to.deep.equal([
            [
                "mandatory",
                `awsx VPC 'team' declares an interface endpoint for com.amazonaws.eu-west-1.sts (vpcEndpointSpecs[1]) with privateDnsEnabled unset (defaults to false); ${RULE}. ${FIX}`,
            ],
        ]);
    });

    it("cannot decide an interface endpoint whose private DNS setting is unknown at preview", async () => {
        const res = await runResourcePolicy(vpcEndpointPrivateDns, ep({ serviceName: "com.amazonaws.eu-west-1.kms", vpcEndpointType: "Interface", privateDnsEnabled: U }));
        expect(findings(res)).to.deep.equal([["advisory", canNotRun(VPC_ENDPOINT_PRIVATE_DNS, "string value at .privateDnsEnabled")]]);
    });
});
