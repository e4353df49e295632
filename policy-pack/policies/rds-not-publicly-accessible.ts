// rds-not-publicly-accessible: a publicly accessible database gets a public DNS name and address;
// RDS lives in the data tier and is reached only through security groups (ADR, security model).

import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

import { policyConfigSchema } from "../lib/config";
import { CheckContext, checked } from "../lib/policy";
import { asRecord, isTrue, validateResourcesOfTypes } from "../lib/resources";

export const RDS_NOT_PUBLICLY_ACCESSIBLE = "rds-not-publicly-accessible";

function check(props: unknown, ctx: CheckContext<object>): void {
    const value = asRecord(props)?.["publiclyAccessible"];
    if (isTrue(value)) {
        ctx.report({
            finding: `sets publiclyAccessible: ${String(value)}`,
            rule: "databases must not be reachable from the internet; they live in private data subnets and are reached through security groups",
            fix: "Set publiclyAccessible: false (the default) and reach the database from inside the VPC",
        });
    }
}

export const rdsNotPubliclyAccessible: ResourceValidationPolicy = {
    name: RDS_NOT_PUBLICLY_ACCESSIBLE,
    description: "Forbids publiclyAccessible: true on RDS instances and Aurora cluster instances.",
    enforcementLevel: "mandatory",
    configSchema: policyConfigSchema(["exemptions"]),
    validateResource: validateResourcesOfTypes(
        validateResourceOfType(aws.rds.Instance, checked(RDS_NOT_PUBLICLY_ACCESSIBLE, check)),
        validateResourceOfType(aws.rds.ClusterInstance, checked(RDS_NOT_PUBLICLY_ACCESSIBLE, check)),
    ),
};
