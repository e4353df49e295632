// compute-inside-perimeter: ADR 0002 forbids internet egress for untrusted code, and AWS has whole
// services that run customer code outside any VPC, with the internet by default (CodeBuild without
// vpcConfig, a SageMaker notebook with direct internet access, App Runner's default egress, ...).
// No route table or security group ever shows that path, so the pack judges the property that opens
// it. Which properties: the perimeter catalogue, surveyed from the provider's schema. Lambda stays
// with `lambda-vpc-attached`.

import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

import { policyConfigSchema } from "../lib/config";
import { PerimeterPolicy, perimeterStackValidation, perimeterResourceValidation } from "../lib/perimeter";
import { COMPUTE_INSIDE_PERIMETER } from "../lib/perimeter-catalogue";

export { COMPUTE_INSIDE_PERIMETER };

const policy: PerimeterPolicy = {
    name: COMPUTE_INSIDE_PERIMETER,
    rule: "everything that runs customer or user code must run in this VPC's private subnets, with no internet egress of its own",
    schema: policyConfigSchema(["exemptions", "tagKeys"]),
};

/** A resource half for the catalogued services; a stack half for their subnets' tiers and for awsx components seen without their children. */
export const computeInsidePerimeter: ResourceValidationPolicy & Pick<StackValidationPolicy, "validateStack"> = {
    name: COMPUTE_INSIDE_PERIMETER,
    description: "Requires compute that runs customer code (CodeBuild, SageMaker, Glue, App Runner, EMR, ... — the perimeter catalogue) to run in VPC subnets with no internet access of its own.",
    enforcementLevel: "mandatory",
    configSchema: policy.schema,
    validateResource: perimeterResourceValidation(policy),
    validateStack: perimeterStackValidation(policy),
};
