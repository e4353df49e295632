// vpc-flow-logs-enabled (advisory): the ADR asks to monitor and audit outbound traffic and alert on
// unexpected egress; without VPC flow logs there is nothing to audit. Flow logs on single subnets
// or ENIs do not cover the VPC, and REJECT-only logs miss the traffic that did get out.

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { policyConfigSchema } from "../lib/config";
import { FLOW_LOG } from "../lib/logs";
import { VPC_TYPES } from "../lib/network";
import { knownStringsAt } from "../lib/stack";
import { checkedStack } from "../lib/stack-policy";
import { Presence, UNKNOWN_STRING, UnknownValueError, presenceOf } from "../lib/unknowns";

export const VPC_FLOW_LOGS_ENABLED = "vpc-flow-logs-enabled";

const ALL_TRAFFIC = "ALL";
/** A flow log whose traffic type is not known yet (or not set). */
const UNKNOWN_TRAFFIC = "unknown";

export const vpcFlowLogsEnabled: StackValidationPolicy = {
    name: VPC_FLOW_LOGS_ENABLED,
    description: "Requires a VPC flow log capturing ALL traffic for every VPC (aws.ec2.Vpc and awsx VPCs).",
    enforcementLevel: "advisory",
    configSchema: policyConfigSchema(["exemptions"]),
    validateStack: checkedStack(VPC_FLOW_LOGS_ENABLED, (ctx) => {
        /** Per VPC, the traffic types of its flow logs. */
        const logged = new Map<PolicyResource, string[]>();
        for (const fl of ctx.index.ofType(FLOW_LOG)) {
            const presence = presenceOf(fl.props, "trafficType");
            const traffic = presence === Presence.Unknown ? UNKNOWN_TRAFFIC : (knownStringsAt(fl.props, ["trafficType"])[0] ?? "unset");
            for (const vpc of ctx.index.references(fl, "vpcId", VPC_TYPES, knownStringsAt(fl.props, ["vpcId"]))) {
                logged.set(vpc, [...(logged.get(vpc) ?? []), traffic]);
            }
        }
        for (const vpc of ctx.index.ofType(...VPC_TYPES)) {
            const types = logged.get(vpc) ?? [];
            if (types.includes(ALL_TRAFFIC)) {
                continue;
            }
            if (types.includes(UNKNOWN_TRAFFIC)) {
                ctx.each(vpc, () => {
                    throw new UnknownValueError(UNKNOWN_STRING, ["trafficType of its flow log"]);
                });
                continue;
            }
            ctx.report(vpc, {
                finding: types.length === 0 ? "has no flow log" : `has flow logs only for ${types.join(", ")} traffic`,
                rule: "every VPC needs flow logs of ALL traffic so unexpected egress can be audited and alerted on",
                fix: 'Add aws.ec2.FlowLog { vpcId, trafficType: "ALL", logDestinationType: "cloud-watch-logs" } with a retained log group',
            });
        }
    }),
};
