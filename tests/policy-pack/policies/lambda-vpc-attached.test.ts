import { expect } from "chai";

import { LAMBDA_VPC_ATTACHED, lambdaVpcAttached } from "../../../policy-pack/policies/lambda-vpc-attached";
import { runResourcePolicy } from "../../helpers/policy-harness";
import { U, canNotRun, findings } from "../support";

const RULE = "Lambda functions must run in private VPC subnets, where they have no internet path";
const FIX = "Set vpcConfig: { subnetIds: <private subnets>, securityGroupIds: [<a security group whose egress is an allowlist>] }.";

const fn = (props: Record<string, unknown>) => ({ type: "aws:lambda/function:Function", name: "udf-runner", props: { role: U, runtime: "nodejs20.x", ...props } });

describe("lambda-vpc-attached", () => {
    it("passes a function in VPC subnets with a security group, even with ids unknown at preview", async () => {
        const res = await runResourcePolicy(lambdaVpcAttached, fn({ vpcConfig: { subnetIds: [U, U], securityGroupIds: [U] } }));
        expect(res.diagnostics).to.deep.equal([]);
    });

    it("reports a function without vpcConfig", async () => {
        const res = await runResourcePolicy(lambdaVpcAttached, fn({}));
        expect(findings(res)).to.deep.equal([
            ["mandatory", `Lambda function 'udf-runner' has no vpcConfig, so it runs outside any VPC with internet access; ${RULE}. ${FIX}`],
        ]);
        expect(res.diagnostics[0].policyName).to.equal(LAMBDA_VPC_ATTACHED);
    });

    it("reports a vpcConfig with no subnets and no security groups, both at once", async () => {
        const res = await runResourcePolicy(lambdaVpcAttached, fn({ vpcConfig: { subnetIds: [], securityGroupIds: [] } }));
        expect(findings(res)).to.deep.equal([
            ["mandatory", `Lambda function 'udf-runner' has a vpcConfig without subnetIds, so it is not attached to the VPC; ${RULE}. ${FIX}`],
            [
                "mandatory",
                "Lambda function 'udf-runner' has a vpcConfig without securityGroupIds; a VPC-attached Lambda needs a security group whose egress is an allowlist. Set vpcConfig.securityGroupIds to a security group whose egress is an allowlist.",
            ],
        ]);
    });

    it("reports what it can and defers what is unknown: known-empty security groups, unknown subnet list", async () => {
        const res = await runResourcePolicy(lambdaVpcAttached, fn({ vpcConfig: { subnetIds: U, securityGroupIds: [] } }));
        expect(findings(res)).to.deep.equal([
            [
                "mandatory",
                "Lambda function 'udf-runner' has a vpcConfig without securityGroupIds; a VPC-attached Lambda needs a security group whose egress is an allowlist. Set vpcConfig.securityGroupIds to a security group whose egress is an allowlist.",
            ],
            ["advisory", canNotRun(LAMBDA_VPC_ATTACHED, "string value at .vpcConfig.subnetIds")],
        ]);
    });
});
