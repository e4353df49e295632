import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlertSubscribers, Environment } from "../config/types";
import { FLOW_LOG_FIELDS, FlowLogField } from "./network";

export interface EgressAlarmsArgs {
    readonly environment: Environment;
    readonly region: string;
    readonly accountId: string;
    /** The VPC flow log group; its records have the `FLOW_LOG_FORMAT` fields. */
    readonly flowLogGroupName: pulumi.Input<string>;
    /** App and data subnets: the tiers that must never reach past the VPC on their own. */
    readonly sourceSubnetIds: pulumi.Input<string>[];
    readonly subscribers: AlertSubscribers;
    /** Keep the topic's KMS key from being deleted by Pulumi (prod). */
    readonly protectKey: boolean;
}

/** Where the alarms' metrics live; one namespace per environment, so stacks sharing an account do not mix. */
export function metricNamespace(environment: Environment): string {
    return `Trace/${environment}/Network`;
}

/** The two things that must never happen quietly, each one metric filter, one metric and one alarm. */
export enum EgressSignal {
    /** Something in the app or data tier tried to send and a security group or NACL refused it. */
    Rejected = "rejected",
    /** Something in the app or data tier sent past the VPC and was let through: a hole in the posture. */
    AcceptedLeavingVpc = "accepted-leaving-vpc",
}

const METRIC_NAMES: Readonly<Record<EgressSignal, string>> = {
    [EgressSignal.Rejected]: "EgressRejected",
    [EgressSignal.AcceptedLeavingVpc]: "EgressAcceptedLeavingVpc",
};

const DESCRIPTIONS: Readonly<Record<EgressSignal, string>> = {
    [EgressSignal.Rejected]: "App or data tier sent traffic that a security group or NACL rejected: an unexpected egress attempt (ADR 0002).",
    [EgressSignal.AcceptedLeavingVpc]:
        "App or data tier traffic left the VPC other than to S3 through the gateway endpoint; the posture says this cannot happen, so a route or rule is wrong.",
};

/** The field's name in a space-delimited filter pattern (CloudWatch identifiers take no hyphens). */
function term(field: FlowLogField): string {
    return field.replace(/-/g, "_");
}

/** A space-delimited filter pattern over the flow log fields, with the given conditions on some of them. */
function flowLogPattern(conditions: Partial<Record<FlowLogField, string>>): string {
    return `[${FLOW_LOG_FIELDS.map((field) => conditions[field] ?? term(field)).join(", ")}]`;
}

function anyOf(field: FlowLogField, values: readonly string[]): string {
    return values.map((value) => `${term(field)} = "${value}"`).join(" || ");
}

function noneOf(field: FlowLogField, values: readonly string[]): string {
    return values.map((value) => `${term(field)} != "${value}"`).join(" && ");
}

/** Outbound traffic from the given subnets that a security group or NACL rejected. */
export function rejectedEgressPattern(subnetIds: readonly string[]): string {
    return flowLogPattern({
        "subnet-id": anyOf("subnet-id", subnetIds),
        "flow-direction": anyOf("flow-direction", ["egress"]),
        action: anyOf("action", ["REJECT"]),
    });
}

/**
 * Outbound traffic from the given subnets that was accepted and left the VPC (`traffic-path` is not
 * "1", within the VPC, nor "-", not applicable), except to S3, which the app tier reaches through the
 * gateway endpoint by design.
 */
export function acceptedLeavingVpcPattern(subnetIds: readonly string[]): string {
    return flowLogPattern({
        "subnet-id": anyOf("subnet-id", subnetIds),
        "flow-direction": anyOf("flow-direction", ["egress"]),
        action: anyOf("action", ["ACCEPT"]),
        "pkt-dst-aws-service": noneOf("pkt-dst-aws-service", ["S3"]),
        "traffic-path": noneOf("traffic-path", ["1", "-"]),
    });
}

const PATTERNS: Readonly<Record<EgressSignal, (subnetIds: readonly string[]) => string>> = {
    [EgressSignal.Rejected]: rejectedEgressPattern,
    [EgressSignal.AcceptedLeavingVpc]: acceptedLeavingVpcPattern,
};

/** Alarm names start with this, so the key policy can name exactly these alarms. */
export function alarmPrefix(environment: Environment): string {
    return `trace-${environment}-egress-alarms`;
}

/** An alarm on one kind of log event: where the events are, what they look like, whom to tell. */
export interface LogEventAlarmArgs {
    readonly environment: Environment;
    readonly logGroupName: pulumi.Input<string>;
    readonly pattern: pulumi.Input<string>;
    readonly metricName: string;
    readonly description: string;
    readonly topicArn: pulumi.Input<string>;
}

/**
 * A metric filter counting the events `pattern` matches and an alarm on the first of them in any five
 * minutes (no data means no event: an egress attempt is never routine), both named
 * `<alarmPrefix>-<suffix>` so that the topic key's policy lets CloudWatch publish for the alarm.
 */
export function alarmOnLogEvents(name: string, suffix: string, args: LogEventAlarmArgs, opts: pulumi.CustomResourceOptions): aws.cloudwatch.MetricAlarm {
    const alarmName = `${alarmPrefix(args.environment)}-${suffix}`;
    const namespace = metricNamespace(args.environment);
    new aws.cloudwatch.LogMetricFilter(
        name,
        {
            name: alarmName,
            logGroupName: args.logGroupName,
            pattern: args.pattern,
            // 0 for every batch of records without a match, so the alarm sees data rather than gaps.
            metricTransformation: { name: args.metricName, namespace, value: "1", defaultValue: "0" },
        },
        opts,
    );
    return new aws.cloudwatch.MetricAlarm(
        name,
        {
            name: alarmName,
            alarmDescription: args.description,
            namespace,
            metricName: args.metricName,
            statistic: "Sum",
            period: 300,
            evaluationPeriods: 1,
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
            treatMissingData: "notBreaching",
            alarmActions: [args.topicArn],
            tags: { Name: alarmName },
        },
        opts,
    );
}

/**
 * The key policy of the topic's key: the account administers it through IAM, and CloudWatch may use it,
 * because an alarm cannot publish to a KMS-encrypted topic unless the key lets cloudwatch.amazonaws.com
 * generate data keys and decrypt (AWS SNS guide, "Enable compatibility between event sources from AWS
 * services and encrypted topics"). The source conditions keep CloudWatch from using it on behalf of any
 * alarm but these (confused deputy).
 */
export function alarmTopicKeyPolicy(region: string, accountId: string, environment: Environment): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "AccountAdministersKey", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
            {
                Sid: "CloudWatchAlarmsPublish",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                Resource: "*",
                Condition: {
                    StringEquals: { "aws:SourceAccount": accountId },
                    ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:${accountId}:alarm:${alarmPrefix(environment)}-*` },
                },
            },
        ],
    });
}

/**
 * "Alert on unexpected egress attempts" (ADR 0002): metric filters on the VPC flow log group for
 * rejected and for VPC-leaving traffic from the app and data tiers, an alarm on each metric, and a
 * KMS-encrypted SNS topic with the configured subscribers as the alarms' action.
 */
export class EgressAlarms extends pulumi.ComponentResource {
    readonly topicArn: pulumi.Output<string>;
    /** Alarm ARNs by signal. */
    readonly alarmArns: Record<EgressSignal, pulumi.Output<string>>;

    constructor(name: string, args: EgressAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trace:network:EgressAlarms", name, {}, opts);
        const parent = { parent: this };
        const prefix = alarmPrefix(args.environment);

        const key = new aws.kms.Key(
            `${name}-alarms-key`,
            {
                description: `${prefix} SNS topic`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: alarmTopicKeyPolicy(args.region, args.accountId, args.environment),
                tags: { Name: prefix },
            },
            { parent: this, protect: args.protectKey },
        );
        const topic = new aws.sns.Topic(`${name}-alarms`, { name: prefix, kmsMasterKeyId: key.arn, tags: { Name: prefix } }, parent);
        this.topicArn = topic.arn;

        for (const email of args.subscribers.emails) {
            new aws.sns.TopicSubscription(`${name}-alarms-${email}`, { topic: topic.arn, protocol: "email", endpoint: email }, parent);
        }
        if (args.subscribers.httpsEndpoint !== undefined) {
            new aws.sns.TopicSubscription(`${name}-alarms-https`, { topic: topic.arn, protocol: "https", endpoint: args.subscribers.httpsEndpoint }, parent);
        }

        const subnetIds = pulumi.all(args.sourceSubnetIds);
        this.alarmArns = {} as Record<EgressSignal, pulumi.Output<string>>;
        for (const signal of Object.values(EgressSignal)) {
            const alarm = alarmOnLogEvents(`${name}-${signal}`, signal, {
                environment: args.environment,
                logGroupName: args.flowLogGroupName,
                pattern: subnetIds.apply((ids) => PATTERNS[signal](ids)),
                metricName: METRIC_NAMES[signal],
                description: DESCRIPTIONS[signal],
                topicArn: topic.arn,
            }, parent);
            this.alarmArns[signal] = alarm.arn;
        }

        this.registerOutputs({ topicArn: this.topicArn, alarmArns: this.alarmArns });
    }
}
