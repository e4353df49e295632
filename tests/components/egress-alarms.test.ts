import { expect } from "chai";
import { acceptedLeavingVpcPattern, EgressAlarms, EgressAlarmsArgs, rejectedEgressPattern } from "../../components/egress-alarms";
import { Environment } from "../../config";
import { countByType, MockedResource, ofType, one, recordComponents } from "../helpers/program-mocks";

const ARGS: EgressAlarmsArgs = {
    environment: Environment.Prod,
    region: "eu-west-1",
    accountId: "345678901234",
    flowLogGroupName: "/trace/prod/vpc-flow-logs",
    sourceSubnetIds: ["subnet-app-a", "subnet-app-b", "subnet-data-a"],
    subscribers: { emails: ["oncall@trace.example", "security@trace.example"], httpsEndpoint: "https://alerts.trace.example/sns" },
    protectKey: true,
};

const TOPIC_ARN = "arn:aws:mock:::aws:sns/topic:Topic/trace-alarms";
const SOURCES = 'subnet_id = "subnet-app-a" || subnet_id = "subnet-app-b" || subnet_id = "subnet-data-a"';
const REJECTED =
    `[version, account_id, vpc_id, ${SOURCES}, interface_id, flow_direction = "egress", srcaddr, dstaddr, srcport, dstport, ` +
    'protocol, packets, bytes, start, end, action = "REJECT", log_status, pkt_srcaddr, pkt_dstaddr, pkt_dst_aws_service, traffic_path]';
const ACCEPTED_LEAVING =
    `[version, account_id, vpc_id, ${SOURCES}, interface_id, flow_direction = "egress", srcaddr, dstaddr, srcport, dstport, ` +
    'protocol, packets, bytes, start, end, action = "ACCEPT", log_status, pkt_srcaddr, pkt_dstaddr, pkt_dst_aws_service != "S3", ' +
    'traffic_path != "1" && traffic_path != "-"]';

function record(args: EgressAlarmsArgs): Promise<MockedResource[]> {
    return recordComponents(() => {
        new EgressAlarms("trace", args);
    });
}

describe("EgressAlarms", () => {
    let resources: MockedResource[];
    before(async () => {
        resources = await record(ARGS);
    });

    it("creates a KMS key, an SNS topic, one subscription per subscriber, and a metric filter and an alarm per signal", () => {
        expect(countByType(resources)).to.deep.equal({
            "aws:cloudwatch/logMetricFilter:LogMetricFilter": 2,
            "aws:cloudwatch/metricAlarm:MetricAlarm": 2,
            "aws:kms/key:Key": 1,
            "aws:sns/topic:Topic": 1,
            "aws:sns/topicSubscription:TopicSubscription": 3,
            "trace:network:EgressAlarms": 1,
        });
    });

    it("encrypts the topic with its own rotating key, whose policy lets these alarms (and only they) publish and the account administer it", () => {
        const key = one(resources, "aws:kms/key:Key", "trace-alarms-key");
        expect(key.inputs).to.deep.include({ enableKeyRotation: true, deletionWindowInDays: 30 });
        expect(JSON.parse(key.inputs.policy)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                { Sid: "AccountAdministersKey", Effect: "Allow", Principal: { AWS: "arn:aws:iam::345678901234:root" }, Action: "kms:*", Resource: "*" },
                {
                    Sid: "CloudWatchAlarmsPublish",
                    Effect: "Allow",
                    Principal: { Service: "cloudwatch.amazonaws.com" },
                    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                    Resource: "*",
                    Condition: {
                        StringEquals: { "aws:SourceAccount": "345678901234" },
                        ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:345678901234:alarm:trace-prod-egress-alarms-*" },
                    },
                },
            ],
        });
        expect(one(resources, "aws:sns/topic:Topic", "trace-alarms").inputs).to.deep.include({
            name: "trace-prod-egress-alarms",
            kmsMasterKeyId: "arn:aws:mock:::aws:kms/key:Key/trace-alarms-key",
        });
    });

    it("subscribes every configured address by email and the HTTPS endpoint by https", () => {
        const subscriptions = ofType(resources, "aws:sns/topicSubscription:TopicSubscription").map((s) => s.inputs);
        expect(subscriptions).to.deep.equal([
            { topic: TOPIC_ARN, protocol: "email", endpoint: "oncall@trace.example" },
            { topic: TOPIC_ARN, protocol: "email", endpoint: "security@trace.example" },
            { topic: TOPIC_ARN, protocol: "https", endpoint: "https://alerts.trace.example/sns" },
        ]);
    });

    it("subscribes no HTTPS endpoint when none is configured", async () => {
        const emailsOnly = await record({ ...ARGS, subscribers: { emails: ["oncall@trace.example"] } });
        expect(ofType(emailsOnly, "aws:sns/topicSubscription:TopicSubscription").map((s) => s.inputs.protocol)).to.deep.equal(["email"]);
    });

    it("filters the flow log group for rejected egress and for accepted egress leaving the VPC from the given subnets", () => {
        const filters = ofType(resources, "aws:cloudwatch/logMetricFilter:LogMetricFilter").map((f) => f.inputs);
        expect(filters).to.deep.equal([
            {
                name: "trace-prod-egress-alarms-rejected",
                logGroupName: "/trace/prod/vpc-flow-logs",
                pattern: REJECTED,
                metricTransformation: { name: "EgressRejected", namespace: "Trace/prod/Network", value: "1", defaultValue: "0" },
            },
            {
                name: "trace-prod-egress-alarms-accepted-leaving-vpc",
                logGroupName: "/trace/prod/vpc-flow-logs",
                pattern: ACCEPTED_LEAVING,
                metricTransformation: { name: "EgressAcceptedLeavingVpc", namespace: "Trace/prod/Network", value: "1", defaultValue: "0" },
            },
        ]);
    });

    it("alarms on the first occurrence of either metric and notifies the topic", () => {
        const alarms = ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm");
        expect(alarms.map((a) => [a.inputs.name, a.inputs.metricName])).to.deep.equal([
            ["trace-prod-egress-alarms-rejected", "EgressRejected"],
            ["trace-prod-egress-alarms-accepted-leaving-vpc", "EgressAcceptedLeavingVpc"],
        ]);
        for (const alarm of alarms) {
            expect(alarm.inputs, alarm.name).to.deep.include({
                namespace: "Trace/prod/Network",
                statistic: "Sum",
                period: 300,
                evaluationPeriods: 1,
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
                treatMissingData: "notBreaching",
                alarmActions: [TOPIC_ARN],
            });
        }
    });

    it("builds the patterns from whichever subnets it is given, one alternative per subnet", () => {
        expect(rejectedEgressPattern(["subnet-1"])).to.equal(
            '[version, account_id, vpc_id, subnet_id = "subnet-1", interface_id, flow_direction = "egress", srcaddr, dstaddr, srcport, dstport, ' +
                'protocol, packets, bytes, start, end, action = "REJECT", log_status, pkt_srcaddr, pkt_dstaddr, pkt_dst_aws_service, traffic_path]',
        );
        expect(acceptedLeavingVpcPattern(["subnet-1", "subnet-2"])).to.contain('subnet_id = "subnet-1" || subnet_id = "subnet-2", interface_id');
    });
});
