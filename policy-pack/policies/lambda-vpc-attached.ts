// lambda-vpc-attached: a Lambda outside a VPC has the internet by default, which is exactly what
// the ADR forbids for sources and UDF runners; attached to private app subnets it has none.

import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

import { policyConfigSchema } from "../lib/config";
import { checked } from "../lib/policy";
import { asArray, asRecord } from "../lib/resources";

export const LAMBDA_VPC_ATTACHED = "lambda-vpc-attached";

const RULE = "Lambda functions must run in private VPC subnets, where they have no internet path";
const FIX = "Set vpcConfig: { subnetIds: <private subnets>, securityGroupIds: [<a security group whose egress is an allowlist>] }";

export const lambdaVpcAttached: ResourceValidationPolicy = {
    name: LAMBDA_VPC_ATTACHED,
    description: "Requires every Lambda function to be attached to VPC subnets (vpcConfig with subnets and security groups).",
    enforcementLevel: "mandatory",
    configSchema: policyConfigSchema(["exemptions"]),
    validateResource: validateResourceOfType(
        aws.lambda.Function,
        checked(LAMBDA_VPC_ATTACHED, (props, ctx) => {
            const vpc = asRecord(asRecord(props)?.["vpcConfig"]);
            if (vpc === undefined) {
                ctx.report({ finding: "has no vpcConfig, so it runs outside any VPC with internet access", rule: RULE, fix: FIX });
                return;
            }
            ctx.unknowns.check(() => {
                if (asArray(vpc["subnetIds"]).length === 0) {
                    ctx.report({ finding: "has a vpcConfig without subnetIds, so it is not attached to the VPC", rule: RULE, fix: FIX });
                }
            });
            ctx.unknowns.check(() => {
                if (asArray(vpc["securityGroupIds"]).length === 0) {
                    ctx.report({
                        finding: "has a vpcConfig without securityGroupIds",
                        rule: "a VPC-attached Lambda needs a security group whose egress is an allowlist",
                        fix: "Set vpcConfig.securityGroupIds to a security group whose egress is an allowlist",
                    });
                }
            });
        }),
    ),
};
