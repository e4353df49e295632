// required-vpc-endpoints: with no NAT, a private workload reaches an AWS API only through a VPC
// endpoint. A VPC that hosts private workloads and lacks one of the required endpoints means tasks
// that cannot pull images, write logs or read queues - and pressure to "just add a NAT".

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { ConfigReader, policyConfigSchema } from "../lib/config";
import { list } from "../lib/messages";
import { AWSX_VPC, VPC_TYPES, privateWorkloadVpcs } from "../lib/network";
import { asArray, asRecord, asString } from "../lib/resources";
import { knownStringsAt } from "../lib/stack";
import { StackContext, checkedStack } from "../lib/stack-policy";
import { UNKNOWN_STRING, UnknownValueError } from "../lib/unknowns";

export const REQUIRED_VPC_ENDPOINTS = "required-vpc-endpoints";

export const DEFAULT_REQUIRED_ENDPOINTS: readonly string[] = ["s3", "sqs", "sts", "kms", "ecr.api", "ecr.dkr", "logs", "secretsmanager"];
const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

interface EndpointConfig {
    readonly requiredEndpoints: readonly string[];
}

type Ctx = StackContext<EndpointConfig>;

/** "com.amazonaws.eu-west-1.ecr.dkr" -> "ecr.dkr"; other names (endpoint services) as they are. */
export function endpointService(serviceName: string): string {
    if (serviceName.startsWith("com.amazonaws.vpce.")) {
        return serviceName;
    }
    const m = /^(?:com\.amazonaws|aws\.api|aws\.sagemaker)\.[a-z0-9-]+\.(.+)$/.exec(serviceName);
    return m === null ? serviceName : m[1];
}

interface VpcEndpoints {
    readonly services: Set<string>;
    /** Endpoints whose service is unknown at preview: they may be the missing ones. */
    unknownServices: number;
}

function readEndpointConfig(r: ConfigReader): EndpointConfig {
    return { requiredEndpoints: r.stringArray("requiredEndpoints", DEFAULT_REQUIRED_ENDPOINTS) };
}

export const requiredVpcEndpoints: StackValidationPolicy = {
    name: REQUIRED_VPC_ENDPOINTS,
    description: "Requires every VPC that hosts private workloads to have a VPC endpoint for each required AWS service.",
    enforcementLevel: "mandatory",
    configSchema: policyConfigSchema(["tagKeys", "exemptions"], {
        requiredEndpoints: {
            type: "array",
            description: 'Service suffixes that need an endpoint, e.g. "s3", "ecr.dkr" (the part after com.amazonaws.<region>.).',
            items: { type: "string", minLength: 1 },
            default: [...DEFAULT_REQUIRED_ENDPOINTS],
        },
    }),
    validateStack: checkedStack(
        REQUIRED_VPC_ENDPOINTS,
        (ctx: Ctx) => {
            const workloads = privateWorkloadVpcs(ctx.index, ctx.cfg.tagKeys.tier, ctx.each);
            const endpoints = new Map<PolicyResource, VpcEndpoints>();
            const endpointsOf = (vpc: PolicyResource): VpcEndpoints => {
                let f = endpoints.get(vpc);
                if (f === undefined) {
                    f = { services: new Set(), unknownServices: 0 };
                    endpoints.set(vpc, f);
                }
                return f;
            };
            for (const ep of ctx.index.ofType(VPC_ENDPOINT)) {
                const vpcs = ctx.index.references(ep, "vpcId", VPC_TYPES, knownStringsAt(ep.props, ["vpcId"]));
                const name = knownStringsAt(ep.props, ["serviceName"])[0];
                for (const v of vpcs) {
                    if (name === undefined) {
                        endpointsOf(v).unknownServices++;
                    } else {
                        endpointsOf(v).services.add(endpointService(name));
                    }
                }
            }
            for (const vpc of ctx.index.ofType(...VPC_TYPES)) {
                const f = endpointsOf(vpc);
                if (vpc.type === AWSX_VPC) {
                    ctx.each(vpc, () => {
                        for (const spec of asArray(vpc.props["vpcEndpointSpecs"])) {
                            const name = asString(asRecord(spec)?.["serviceName"]);
                            if (name !== undefined) {
                                f.services.add(endpointService(name));
                            }
                        }
                    });
                }
                const hosted = workloads.get(vpc) ?? [];
                if (hosted.length === 0) {
                    continue;
                }
                const missing = ctx.cfg.requiredEndpoints.filter((s) => !f.services.has(s));
                if (missing.length === 0) {
                    continue;
                }
                ctx.each(vpc, () => {
                    if (f.unknownServices >= missing.length) {
                        throw new UnknownValueError(UNKNOWN_STRING, ["serviceName of an endpoint in this VPC"]);
                    }
                    const shown = hosted.slice(0, 3).join(", ") + (hosted.length > 3 ? ` and ${hosted.length - 3} more` : "");
                    ctx.report(vpc, {
                        finding: `hosts private workloads (${shown}) but has no VPC endpoint for ${list(missing)}`,
                        rule: `with no NAT, private workloads reach AWS APIs only through VPC endpoints; required: ${list(ctx.cfg.requiredEndpoints)}`,
                        fix: `Add aws.ec2.VpcEndpoint resources for ${list(missing)} (Interface with privateDnsEnabled in the subnets tagged ${ctx.cfg.tagKeys.tier}=app; s3 as a Gateway endpoint on the private route tables)`,
                    });
                });
            }
        },
        readEndpointConfig,
    ),
};
