// load-balancers-internal-only: the hardening checklist allows public ingress only through API
// Gateway, and internal ALBs are private-only. An internet-facing load balancer is a public door
// into the VPC that no security-group review sees as such. AWS's default is internet-facing, so an
// unset `internal` is a violation, not a pass. awsx's load balancers (internet-facing by default too)
// are judged on their inputs when their aws.lb child is absent from the stack (offline), see
// lib/perimeter.ts.

import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";

import { ConfigReader, policyConfigSchema } from "../lib/config";
import { show } from "../lib/messages";
import { perimeterStackValidation } from "../lib/perimeter";
import { LOAD_BALANCERS_INTERNAL_ONLY } from "../lib/perimeter-catalogue";
import { CheckContext, checked } from "../lib/policy";
import { isTrue, validateResourcesOfTypes } from "../lib/resources";
import { rejectUnknownKeys } from "../lib/strict-config";

export { LOAD_BALANCERS_INTERNAL_ONLY };

const schema = policyConfigSchema(["exemptions"]);
// Worded for any team running the pack: no platform name, the policy is not Trace-only.
const RULE = "load balancers must be internal; public ingress must come only through API Gateway";

function check(props: { internal?: unknown }, ctx: CheckContext<object>): void {
    const internal = props.internal;
    if (isTrue(internal)) {
        return;
    }
    const shown = internal === undefined || internal === null ? "unset (AWS then creates it internet-facing)" : show(internal);
    ctx.report({
        finding: `is internet-facing: internal is ${shown}`,
        rule: RULE,
        fix: "Set internal: true and put API Gateway (with a VPC link) in front of it if it must be reachable from the internet",
    });
}

function readConfig(r: ConfigReader): object {
    rejectUnknownKeys(r, schema);
    return {};
}

export const loadBalancersInternalOnly: ResourceValidationPolicy & Pick<StackValidationPolicy, "validateStack"> = {
    name: LOAD_BALANCERS_INTERNAL_ONLY,
    description: "Requires internal: true on every load balancer (aws.lb, aws.alb, classic aws.elb, and awsx's when their children are not in the stack); unset means internet-facing.",
    enforcementLevel: "mandatory",
    configSchema: schema,
    validateResource: validateResourcesOfTypes(
        validateResourceOfType(aws.lb.LoadBalancer, checked(LOAD_BALANCERS_INTERNAL_ONLY, check, readConfig)),
        validateResourceOfType(aws.alb.LoadBalancer, checked(LOAD_BALANCERS_INTERNAL_ONLY, check, readConfig)),
        validateResourceOfType(aws.elb.LoadBalancer, checked(LOAD_BALANCERS_INTERNAL_ONLY, check, readConfig)),
    ),
    validateStack: perimeterStackValidation({ name: LOAD_BALANCERS_INTERNAL_ONLY, rule: RULE, schema }),
};
