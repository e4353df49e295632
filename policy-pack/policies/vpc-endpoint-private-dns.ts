// vpc-endpoint-private-dns: without private DNS, "sqs.eu-west-1.amazonaws.com" still resolves to
// the public endpoint, so an SDK in a private subnet tries the internet (and fails, or leaks through
// whatever path exists) instead of using the interface endpoint.

import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

import { awsx } from "../lib/awsx";
import { policyConfigSchema } from "../lib/config";
import { show } from "../lib/messages";
import { CheckContext, checked } from "../lib/policy";
import { asArray, asRecord, asString, isTrue, validateResourcesOfTypes } from "../lib/resources";

export const VPC_ENDPOINT_PRIVATE_DNS = "vpc-endpoint-private-dns";

const RULE = "interface endpoints for AWS services must enable private DNS so SDKs resolve the service name to the endpoint, not the internet";

/**
 * AWS services publish private DNS names; endpoint services of other accounts ("com.amazonaws.vpce.*")
 * and marketplace services may have none, so private DNS cannot be required of them.
 */
export function isAwsServiceName(serviceName: string): boolean {
    return /^(com\.amazonaws|aws\.api|aws\.sagemaker)\.[a-z0-9-]+\./.test(serviceName) && !serviceName.startsWith("com.amazonaws.vpce.");
}

/** Checks one endpoint description (an aws.ec2.VpcEndpoint or an awsx vpcEndpointSpec). */
function checkEndpoint(endpoint: Record<string, unknown>, verb: string, where: string, ctx: CheckContext<object>): void {
    const type = asString(endpoint["vpcEndpointType"]) ?? "Gateway";
    if (type !== "Interface") {
        return;
    }
    const serviceName = asString(endpoint["serviceName"]);
    if (serviceName === undefined || !isAwsServiceName(serviceName)) {
        return;
    }
    const dns = endpoint["privateDnsEnabled"];
    if (!isTrue(dns)) {
        const shown = dns === undefined || dns === null ? "unset (defaults to false)" : show(dns);
        ctx.report({
            finding: `${verb} an interface endpoint for ${serviceName}${where} with privateDnsEnabled ${shown}`,
            rule: RULE,
            fix: "Set privateDnsEnabled: true (the VPC needs enableDnsSupport and enableDnsHostnames)",
        });
    }
}

export const vpcEndpointPrivateDns: ResourceValidationPolicy = {
    name: VPC_ENDPOINT_PRIVATE_DNS,
    description: "Requires privateDnsEnabled: true on interface VPC endpoints for AWS services (aws.ec2.VpcEndpoint and awsx vpcEndpointSpecs).",
    enforcementLevel: "mandatory",
    configSchema: policyConfigSchema(["exemptions"]),
    validateResource: validateResourcesOfTypes(
        validateResourceOfType(
            aws.ec2.VpcEndpoint,
            checked(VPC_ENDPOINT_PRIVATE_DNS, (props, ctx) => checkEndpoint(asRecord(props) ?? {}, "is", "", ctx)),
        ),
        validateResourceOfType(
            awsx.ec2.Vpc,
            checked(VPC_ENDPOINT_PRIVATE_DNS, (props, ctx) => {
                asArray(asRecord(props)?.["vpcEndpointSpecs"]).forEach((spec, i) => {
                    ctx.unknowns.check(() => {
                        const s = asRecord(spec);
                        if (s !== undefined) {
                            checkEndpoint(s, "declares", ` (vpcEndpointSpecs[${i}])`, ctx);
                        }
                    });
                });
            }),
        ),
    ),
};
