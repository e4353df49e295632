// CloudWatch Logs as the policies meet it: flow logs delivered to log groups, named by ARN or name.

import { PolicyResource } from "@pulumi/policy";

import { StackIndex, knownStringsAt } from "./stack";

export const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
export const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
/** A flow log's `logDestinationType` when it delivers to CloudWatch Logs (also its default). */
export const CLOUDWATCH_LOGS = "cloud-watch-logs";

/** The log group name in a log group ARN (with or without the trailing `:*`). */
export function logGroupNameFromArn(arn: string): string | undefined {
    const m = /:log-group:([^:]+)(?::\*)?$/.exec(arn);
    return m === null ? undefined : m[1];
}

/** The stack's log groups a resource's `property` points at: by reference, by known ARN, or by known name. */
export function logGroupsOf(index: StackIndex, r: PolicyResource, property: string): PolicyResource[] {
    const known = knownStringsAt(r.props, [property]);
    const named = known.flatMap((v) => index.named(LOG_GROUP, logGroupNameFromArn(v) ?? v));
    return [...new Set([...index.references(r, property, [LOG_GROUP], known), ...named])];
}
