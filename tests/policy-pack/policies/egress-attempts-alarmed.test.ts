import { expect } from "chai";

import { EGRESS_ATTEMPTS_ALARMED, egressAttemptsAlarmed } from "../../../policy-pack/policies/egress-attempts-alarmed";
import { HarnessResource, RunOptions, runStackPolicy, urnOf } from "../../helpers/policy-harness";
import { U, stackFindings } from "../support";

const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

const RULE =
    "unexpected egress attempts must raise an alert, so every VPC hosting private workloads needs a flow log of rejected traffic to CloudWatch Logs, a metric filter on it matching REJECT records, and an alarm with an action on that metric";
const PATTERN = '[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action="REJECT", flowlogstatus]';
const WORKLOADS = "hosts private workloads (subnet 'app-a' (tier app))";

function res(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): HarnessResource {
    return { type, name, props, propertyDependencies, dependencies: Object.values(propertyDependencies).flat() };
}

interface Parts {
    flowLog?: Record<string, unknown>;
    filter?: Record<string, unknown>;
    alarm?: Record<string, unknown>;
}

/** Preview: links by property dependencies, ids/ARNs unknown. Plan: links by known names and ARNs. */
function stack(plan: boolean, parts: Parts = {}): HarnessResource[] {
    const known = <T>(v: T) => (plan ? v : U);
    const deps = (d: Record<string, string[]>) => (plan ? {} : d);
    const groupArn = "arn:aws:logs:eu-west-1:123456789012:log-group:/trace/dev/flow-logs";
    return [
        res(VPC, "vpc", { cidrBlock: "10.20.0.0/16", id: known("vpc-1") }),
        res(SUBNET, "app-a", { vpcId: known("vpc-1"), tags: { "trace:tier": "app" } }, deps({ vpcId: [urnOf(VPC, "vpc")] })),
        res(LOG_GROUP, "flow-logs", { name: "/trace/dev/flow-logs", retentionInDays: 365, arn: known(groupArn) }),
        res(FLOW_LOG, "flow-log", { vpcId: known("vpc-1"), trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: known(groupArn), ...parts.flowLog }, deps({ vpcId: [urnOf(VPC, "vpc")], logDestination: [urnOf(LOG_GROUP, "flow-logs")] })),
        res(FILTER, "rejects", { logGroupName: known("/trace/dev/flow-logs"), pattern: PATTERN, metricTransformation: { name: "RejectedEgress", namespace: "Trace/Network", value: "1" }, ...parts.filter }, deps({ logGroupName: [urnOf(LOG_GROUP, "flow-logs")] })),
        res(ALARM, "rejects-alarm", { namespace: "Trace/Network", metricName: "RejectedEgress", statistic: "Sum", threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold", alarmActions: [known("arn:aws:sns:eu-west-1:123456789012:security")], ...parts.alarm }),
    ];
}

async function run(resources: HarnessResource[], opts: RunOptions = {}) {
    return stackFindings(await runStackPolicy(egressAttemptsAlarmed, resources, opts));
}

describe("egress-attempts-alarmed", () => {
    for (const plan of [false, true]) {
        const mode = plan ? "plan" : "preview";
        it(`${mode}: passes a workload VPC with the whole chain: flow log -> log group -> REJECT metric filter -> alarm with an action`, async () => {
            expect(await run(stack(plan))).to.deep.equal([]);
        });

        it(`${mode}: reports a VPC without a flow log of rejected traffic to CloudWatch Logs (none, ACCEPT only, to S3)`, async () => {
            const none = await run(stack(plan).filter((r) => r.type !== FLOW_LOG));
            const accept = await run(stack(plan, { flowLog: { trafficType: "ACCEPT" } }));
            const s3 = await run(stack(plan, { flowLog: { logDestinationType: "s3" } }));
            const expected = [
                [
                    "advisory",
                    urnOf(VPC, "vpc"),
                    `VPC 'vpc' ${WORKLOADS} but has no flow log of rejected traffic (trafficType ALL or REJECT) to CloudWatch Logs; ${RULE}. Add aws.ec2.FlowLog { vpcId, trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: <log group ARN> }.`,
                ],
            ];
            expect(none).to.deep.equal(expected);
            expect(accept).to.deep.equal(expected);
            expect(s3).to.deep.equal(expected);
        });

        it(`${mode}: reports a flow log group without a metric filter on REJECT records`, async () => {
            const none = await run(stack(plan).filter((r) => r.type !== FILTER));
            const wrong = await run(stack(plan, { filter: { pattern: '[..., action="ACCEPT", flowlogstatus]' } }));
            const text = `VPC 'vpc' ${WORKLOADS} but its flow log group (log group 'flow-logs') has no metric filter matching REJECT records; ${RULE}. Add aws.cloudwatch.LogMetricFilter { logGroupName: <the flow log group>, pattern: '${PATTERN}', metricTransformation: { name, namespace, value: "1" } }.`;
            expect(none).to.deep.equal([["advisory", urnOf(VPC, "vpc"), text]]);
            expect(wrong).to.deep.equal([["advisory", urnOf(VPC, "vpc"), text]]);
        });

        it(`${mode}: reports a metric with no alarm, and an alarm with no action`, async () => {
            const noAlarm = await run(stack(plan).filter((r) => r.type !== ALARM));
            const otherMetric = await run(stack(plan, { alarm: { metricName: "CPUUtilization" } }));
            const noAction = await run(stack(plan, { alarm: { alarmActions: [] } }));
            const fix =
                'Add aws.cloudwatch.MetricAlarm { namespace, metricName: <the filter\'s metric>, statistic: "Sum", threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold", alarmActions: [<SNS topic ARN>] }.';
            const missing = `VPC 'vpc' ${WORKLOADS} but no metric alarm watches the rejected-traffic metric Trace/Network/RejectedEgress (log metric filter 'rejects'); ${RULE}. ${fix}`;
            expect(noAlarm).to.deep.equal([["advisory", urnOf(VPC, "vpc"), missing]]);
            expect(otherMetric).to.deep.equal([["advisory", urnOf(VPC, "vpc"), missing]]);
            expect(noAction).to.deep.equal([
                ["advisory", urnOf(VPC, "vpc"), `VPC 'vpc' ${WORKLOADS} but the alarms on Trace/Network/RejectedEgress (log metric filter 'rejects') (metric alarm 'rejects-alarm') have no alarm action; ${RULE}. ${fix}`],
            ]);
        });
    }

    it("accepts an alarm on a metric query and ignores VPCs without private workloads", async () => {
        const viaQuery = stack(true, { alarm: { metricName: undefined, namespace: undefined, metricQueries: [{ id: "m1", metric: { namespace: "Trace/Network", metricName: "RejectedEgress", stat: "Sum", period: 60 } }] } }).map((r) =>
            r.type === ALARM ? res(ALARM, r.name, Object.fromEntries(Object.entries(r.props).filter(([, v]) => v !== undefined))) : r,
        );
        expect(await run(viaQuery)).to.deep.equal([]);
        expect(await run([res(VPC, "empty", { cidrBlock: "10.9.0.0/16" })])).to.deep.equal([]);
    });

    it("reads the team's tier tag key", async () => {
        const team = stack(true).map((r) => (r.type === SUBNET ? res(SUBNET, "app-a", { vpcId: "vpc-1", tags: { "team:tier": "app" } }) : r)).filter((r) => r.type !== ALARM);
        expect(await run(team)).to.deep.equal([]);
        expect((await run(team, { config: { tagKeys: { tier: "team:tier" } } })).map((f) => f[1])).to.deep.equal([urnOf(VPC, "vpc")]);
    });

    it("defers when the flow log's destination or a filter's log group is unknown and not traceable", async () => {
        const out = await run(stack(false).map((r) => (r.type === FLOW_LOG ? res(FLOW_LOG, r.name, r.props, { vpcId: [urnOf(VPC, "vpc")] }) : r)));
        expect(out).to.deep.equal([
            ["advisory", urnOf(VPC, "vpc"), "can't fully check VPC 'vpc' during preview: string value at .logDestination of flow log 'flow-log' can't be known during preview; it is checked again when the value is known"],
        ]);
        expect(out.every(([level]) => level === "advisory")).to.equal(true);
        expect((await runStackPolicy(egressAttemptsAlarmed, stack(true).filter((r) => r.type !== FLOW_LOG))).diagnostics[0].policyName).to.equal(EGRESS_ATTEMPTS_ALARMED);
    });

    it("preview: a filter with an untraceable log group but no REJECT in its pattern defers nothing: it could never complete the chain", async () => {
        const acceptOnly = stack(false)
            .filter((r) => r.type !== FILTER)
            .concat(res(FILTER, "accepts", { logGroupName: U, pattern: '[..., action="ACCEPT", flowlogstatus]', metricTransformation: { name: "Accepted", namespace: "Trace/Network", value: "1" } }));
        const out = await run(acceptOnly);
        expect(out.map((f) => [f[0], f[1], f[2].split(";")[0]])).to.deep.equal([
            ["advisory", urnOf(VPC, "vpc"), `VPC 'vpc' ${WORKLOADS} but its flow log group (log group 'flow-logs') has no metric filter matching REJECT records`],
        ]);
        expect((await run(acceptOnly, { enforcementLevel: "mandatory" }))[0][0]).to.equal("mandatory");
    });

    it("preview: an untraceable link does not defer a VPC whose chain is already complete", async () => {
        const extra = res(FLOW_LOG, "second", { vpcId: U, trafficType: "REJECT", logDestinationType: "cloud-watch-logs", logDestination: U }, { vpcId: [urnOf(VPC, "vpc")] });
        expect(await run([...stack(false), extra])).to.deep.equal([]);
    });
});
