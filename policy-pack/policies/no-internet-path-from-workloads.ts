// no-internet-path-from-workloads: the networking ADR's real question, "can this workload reach the
// internet?", answered at preview from the whole stack: the workload's subnets, the route table each
// subnet really uses, that table's routes and their targets, and whether the workload gets a public
// address. Per-resource policies cannot see a path that is spread over several resources.

import { StackValidationPolicy } from "@pulumi/policy";

import { awsIdPattern, policyConfigSchema } from "../lib/config";
import { GatewayStatus, gatewayForCalls, gatewayInfo, gatewayTagText } from "../lib/gateways";
import { list } from "../lib/messages";
import { NetworkModel } from "../lib/reachability/network";
import { PathVerdict, assess } from "../lib/reachability/paths";
import { label } from "../lib/reachability/types";
import { WorkloadFinder } from "../lib/reachability/workloads";
import { checkedStack } from "../lib/stack-policy";

export const NO_INTERNET_PATH = "no-internet-path-from-workloads";

export interface ReachabilityConfig {
    /** Ids of subnets outside the stack that the team vouches have no path to the internet. */
    readonly isolatedExternalSubnets: readonly string[];
}

const SUBNET_ID = new RegExp(awsIdPattern("subnet"));

export const noInternetPathFromWorkloads: StackValidationPolicy = {
    name: NO_INTERNET_PATH,
    description: "Forbids workloads (ECS services, Lambda functions, RDS, EC2 instances, launch templates, autoscaling groups, awsx Fargate services) whose subnet routing gives them a path to the internet.",
    enforcementLevel: "mandatory",
    configSchema: policyConfigSchema(["tagKeys", "allowedCidrs", "egressGatewayPorts", "exemptions"], {
        isolatedExternalSubnets: {
            type: "array",
            description: "Ids of subnets managed outside the stack (e.g. by a network team) that have no route to the internet; workloads in them are not reported as unprovable.",
            items: { type: "string" },
            default: [],
        },
    }),
    validateStack: checkedStack<ReachabilityConfig>(
        NO_INTERNET_PATH,
        (ctx) => {
            const net = new NetworkModel(ctx.index, ctx.cfg.allowedNetworks);
            const isolated = new Set(ctx.cfg.isolatedExternalSubnets);
            const gateway = gatewayForCalls(ctx.cfg);
            const rule = `only egress gateways (${gatewayTagText(ctx.cfg)}) may have a route to addresses outside ${list(ctx.cfg.allowedCidrs)}`;
            for (const w of new WorkloadFinder(ctx.index, net).all()) {
                const r = w.resource;
                if (ctx.isExempt(r)) {
                    continue;
                }
                ctx.each(r, () => {
                    const a = assess(w, net, isolated);
                    // Read the tags only when they matter: an unknown tag on a workload without a path is no finding.
                    if (a.verdict === PathVerdict.NoPath || gatewayInfo(r, ctx.cfg).status === GatewayStatus.Gateway) {
                        return;
                    }
                    const subject = label(r);
                    if (a.verdict === PathVerdict.Path) {
                        const [first, ...more] = a.paths;
                        const also = more.length === 0 ? "" : ` (${more.length} more: ${more.map((p) => p.text).join("; ")})`;
                        ctx.report(r, {
                            subject,
                            finding: `can reach the internet: ${first.text}${also}`,
                            rule,
                            fix: first.throughPublicAddress
                                ? `Give it no public address, or move it to subnets without an internet gateway route, and call the internet through ${gateway}`
                                : `Remove the route, or run this workload behind ${gateway}`,
                        });
                    } else {
                        ctx.advise(
                            r,
                            `cannot prove ${subject} has no path to the internet: ${a.missing.join("; ")}. ` +
                                "It is checked again when the values are known; bring the missing resources into this stack, or list subnets of other stacks that are isolated in isolatedExternalSubnets.",
                        );
                    }
                });
            }
        },
        (r) => {
            const ids = r.stringArray("isolatedExternalSubnets", []);
            ids.forEach((id, i) => {
                if (!SUBNET_ID.test(id)) {
                    r.problems.push(`isolatedExternalSubnets[${i}] must be a subnet id (subnet- and 8 or 17 hex digits), got ${JSON.stringify(id)}`);
                }
            });
            return { isolatedExternalSubnets: ids };
        },
    ),
};
