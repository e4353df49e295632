// egress-attempts-alarmed (advisory): ADR 0002 asks to "alert on unexpected egress attempts". With no
// NAT and an egress allowlist, an attempt to reach the internet from a workload subnet is rejected
// by a security group or NACL, and the only trace it leaves is a REJECT record in the VPC flow log.
// Someone must hear about it, so each VPC that hosts private workloads needs the whole chain:
//   1. a flow log of rejected traffic (trafficType ALL or REJECT) to CloudWatch Logs;
//   2. on that log group, an aws.cloudwatch.LogMetricFilter whose pattern matches REJECT records;
//   3. an aws.cloudwatch.MetricAlarm on that filter's metric, with at least one alarm action.
//
// Links are followed through property dependencies (unknown names and ARNs at preview) or known
// names/ARNs (plan); a link that cannot be followed yet defers the verdict for that VPC only when it
// could complete the chain: a metric filter whose pattern has no REJECT never could.

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { ConfigReader, policyConfigSchema } from "../lib/config";
import { CLOUDWATCH_LOGS, FLOW_LOG, logGroupsOf } from "../lib/logs";
import { list, subjectOf } from "../lib/messages";
import { VPC_TYPES, privateWorkloadVpcs } from "../lib/network";
import { asArray, asRecord, asString } from "../lib/resources";
import { knownStringsAt } from "../lib/stack";
import { StackContext, checkedStack } from "../lib/stack-policy";
import { rejectUnknownKeys } from "../lib/strict-config";
import { Presence, UNKNOWN_STRING, UnknownValueError, presenceOf } from "../lib/unknowns";

export const EGRESS_ATTEMPTS_ALARMED = "egress-attempts-alarmed";

const METRIC_FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter";
const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const REJECT_TRAFFIC = ["ALL", "REJECT"];
const REJECT = "REJECT";
// Trace's ADR number stays in the comment above: another team running the pack has no ADR 0002.
const RULE = `unexpected egress attempts must raise an alert, so every VPC hosting private workloads needs a flow log of rejected traffic to CloudWatch Logs, a metric filter on it matching ${REJECT} records, and an alarm with an action on that metric`;

const schema = policyConfigSchema(["tagKeys", "exemptions"]);
type Ctx = StackContext<object>;

/**
 * Links that cannot be followed yet. They could only add to the chain, so they defer a verdict that
 * would be a finding, never one that already passes.
 */
type Pending = string[];

function noteIfUnknown(pending: Pending, r: PolicyResource, property: string): void {
    if (presenceOf(r.props, property) === Presence.Unknown) {
        pending.push(`${property} of ${subjectOf(r)}`);
    }
}

interface Metric {
    readonly filter: PolicyResource;
    readonly name: string;
    readonly namespace: string;
}

/** The flow log groups of a VPC that receive its rejected traffic. */
function rejectLogGroups(ctx: Ctx, vpc: PolicyResource, pending: Pending): PolicyResource[] {
    const groups: PolicyResource[] = [];
    for (const fl of ctx.index.ofType(FLOW_LOG)) {
        if (!ctx.index.references(fl, "vpcId", VPC_TYPES, knownStringsAt(fl.props, ["vpcId"])).includes(vpc)) {
            continue;
        }
        const destination = asString(fl.props["logDestinationType"]) ?? CLOUDWATCH_LOGS;
        const traffic = asString(fl.props["trafficType"]);
        if (destination !== CLOUDWATCH_LOGS || traffic === undefined || !REJECT_TRAFFIC.includes(traffic)) {
            continue;
        }
        const found = [...logGroupsOf(ctx.index, fl, "logDestination"), ...logGroupsOf(ctx.index, fl, "logGroupName")];
        if (found.length === 0) {
            noteIfUnknown(pending, fl, "logDestination");
            noteIfUnknown(pending, fl, "logGroupName");
        }
        groups.push(...found);
    }
    return [...new Set(groups)];
}

function rejectMetrics(ctx: Ctx, groups: readonly PolicyResource[], pending: Pending): Metric[] {
    const metrics: Metric[] = [];
    for (const f of ctx.index.ofType(METRIC_FILTER)) {
        // The pattern first: a filter that does not match REJECT records never counts, whatever its group.
        const pattern = asString(f.props["pattern"]);
        if (pattern === undefined || !pattern.includes(REJECT)) {
            continue;
        }
        const targets = logGroupsOf(ctx.index, f, "logGroupName");
        if (targets.length === 0) {
            noteIfUnknown(pending, f, "logGroupName");
        }
        if (!targets.some((g) => groups.includes(g))) {
            continue;
        }
        const t = asRecord(f.props["metricTransformation"]);
        const name = asString(t?.["name"]);
        const namespace = asString(t?.["namespace"]);
        if (name !== undefined && namespace !== undefined) {
            metrics.push({ filter: f, name, namespace });
        }
    }
    return metrics;
}

/** The metrics an alarm watches: its own metricName/namespace, or those of its metric queries. */
function alarmMetrics(alarm: PolicyResource): { name: string | undefined; namespace: string | undefined }[] {
    const own = { name: asString(alarm.props["metricName"]), namespace: asString(alarm.props["namespace"]) };
    const queries = asArray(alarm.props["metricQueries"]).map((q) => {
        const m = asRecord(asRecord(q)?.["metric"]);
        return { name: asString(m?.["metricName"]), namespace: asString(m?.["namespace"]) };
    });
    return [own, ...queries];
}

function hasAction(alarm: PolicyResource): boolean {
    if (presenceOf(alarm.props, "alarmActions") === Presence.Unknown) {
        // A list computed from outputs (e.g. [topic.arn]) is set: a reference is a fact.
        return true;
    }
    return asArray(alarm.props["alarmActions"]).length > 0;
}

function checkVpc(ctx: Ctx, vpc: PolicyResource, workloads: readonly string[]): void {
    const shown = workloads.slice(0, 3).join(", ") + (workloads.length > 3 ? ` and ${workloads.length - 3} more` : "");
    const pending: Pending = [];
    const report = (finding: string, fix: string) => {
        if (pending.length > 0) {
            throw new UnknownValueError(UNKNOWN_STRING, [pending[0]]);
        }
        ctx.report(vpc, { finding: `hosts private workloads (${shown}) but ${finding}`, rule: RULE, fix });
    };
    const groups = rejectLogGroups(ctx, vpc, pending);
    if (groups.length === 0) {
        report(
            `has no flow log of rejected traffic (trafficType ${REJECT_TRAFFIC.join(" or ")}) to CloudWatch Logs`,
            'Add aws.ec2.FlowLog { vpcId, trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: <log group ARN> }',
        );
        return;
    }
    const metrics = rejectMetrics(ctx, groups, pending);
    const groupText = list(groups.map(subjectOf));
    if (metrics.length === 0) {
        report(
            `its flow log group (${groupText}) has no metric filter matching ${REJECT} records`,
            `Add aws.cloudwatch.LogMetricFilter { logGroupName: <the flow log group>, pattern: '[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action="${REJECT}", flowlogstatus]', metricTransformation: { name, namespace, value: "1" } }`,
        );
        return;
    }
    const alarms = ctx.index.ofType(METRIC_ALARM);
    const watching = alarms.filter((a) => alarmMetrics(a).some((m) => metrics.some((x) => x.name === m.name && x.namespace === m.namespace)));
    if (watching.some(hasAction)) {
        return;
    }
    const metricText = list(metrics.map((m) => `${m.namespace}/${m.name} (${subjectOf(m.filter)})`));
    report(
        watching.length === 0 ? `no metric alarm watches the rejected-traffic metric ${metricText}` : `the alarms on ${metricText} (${list(watching.map(subjectOf))}) have no alarm action`,
        `Add aws.cloudwatch.MetricAlarm { namespace, metricName: <the filter's metric>, statistic: "Sum", threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold", alarmActions: [<SNS topic ARN>] }`,
    );
}

function readConfig(r: ConfigReader): object {
    rejectUnknownKeys(r, schema);
    return {};
}

export const egressAttemptsAlarmed: StackValidationPolicy = {
    name: EGRESS_ATTEMPTS_ALARMED,
    description:
        "Requires, for every VPC hosting private workloads, a flow log of rejected traffic to CloudWatch Logs, a metric filter on REJECT records and a metric alarm with an action on it.",
    enforcementLevel: "advisory",
    configSchema: schema,
    validateStack: checkedStack(
        EGRESS_ATTEMPTS_ALARMED,
        (ctx) => {
            const vpcs = privateWorkloadVpcs(ctx.index, ctx.cfg.tagKeys.tier, ctx.each);
            for (const [vpc, workloads] of vpcs) {
                ctx.each(vpc, () => checkVpc(ctx, vpc, workloads));
            }
        },
        readConfig,
    ),
};
