import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../config/types";
import { alarmOnLogEvents } from "./egress-alarms";

export interface DnsFirewallArgs {
    readonly environment: Environment;
    readonly region: string;
    readonly vpcId: pulumi.Input<string>;
    /** The VPC's IPv4 block: its reverse zones stay resolvable (PTR lookups of in-VPC addresses). */
    readonly vpcCidr: string;
    /** The private Cloud Map namespace in-VPC callers use (e.g. `dev.trace.internal`). */
    readonly internalDomain: string;
    /** Resolver query logs are audit logs: kept as long as the flow logs. */
    readonly queryLogRetentionDays: number;
    /** The egress alarms' KMS-encrypted SNS topic. */
    readonly alarmTopicArn: pulumi.Input<string>;
}

/** The metric the blocked-query filter publishes, next to the flow-log egress metrics. */
export const DNS_BLOCKED_METRIC = "DnsQueriesBlocked";

/** A Resolver query log record (JSON) of a query the firewall blocked. */
export const DNS_BLOCKED_PATTERN = '{ $.firewall_rule_action = "BLOCK" }';

/** AWS-provided private host names of a region's instances and ENIs. */
function computeDomain(region: string): string {
    return region === "us-east-1" ? "ec2.internal" : `${region}.compute.internal`;
}

/**
 * The reverse zones that hold exactly the block's addresses: zones are whole octets, so a block
 * between octet boundaries is split into the zones of the next boundary (`10.20.0.0/16` ->
 * `20.10.in-addr.arpa`; `172.16.0.0/12` -> `16.172` ... `31.172`). Rounding down instead would allow
 * reverse zones of public addresses, which their owners serve: a channel out.
 */
export function reverseZones(cidr: string): string[] {
    const [address, prefix] = cidr.split("/");
    const octets = address.split(".").map(Number);
    const wholeOctets = Math.ceil(Number(prefix) / 8);
    const zoneCount = 2 ** (wholeOctets * 8 - Number(prefix));
    return Array.from({ length: zoneCount }, (_, i) => {
        const zoneOctets = octets.slice(0, wholeOctets);
        zoneOctets[wholeOctets - 1] += i;
        return [...zoneOctets.reverse().map(String), "in-addr", "arpa"].join(".");
    });
}

/**
 * What any workload of the VPC may resolve: the region's AWS service names (the interface endpoints
 * answer them through private DNS; S3 and the ECR layer bucket are subdomains of them too), the
 * internal namespace, the VPC's own host names and its reverse zones. Every name below is served by
 * AWS or by the VPC, never by a name server someone else runs, so none of them is a channel out.
 */
export function allowedDomains(region: string, internalDomain: string, vpcCidr: string): string[] {
    const zones = [`${region}.amazonaws.com`, internalDomain, computeDomain(region), ...reverseZones(vpcCidr)];
    return zones.flatMap((zone) => [zone, `*.${zone}`]);
}

/**
 * DNS is a way out that no route table shows: code in a sealed subnet can put data in the labels of a
 * query, and the VPC resolver carries it to whoever serves that domain. Route 53 Resolver DNS Firewall
 * on the VPC answers the allowed names and NXDOMAIN for everything else, fails closed, logs every
 * query to CloudWatch Logs and raises the egress alarm topic on any blocked query (ADR 0002).
 * The egress gateways do not depend on it (README, "How the egress gateways resolve names").
 */
export class DnsFirewall extends pulumi.ComponentResource {
    readonly ruleGroupId: pulumi.Output<string>;
    readonly queryLogGroupName: pulumi.Output<string>;
    readonly blockedAlarmArn: pulumi.Output<string>;

    constructor(name: string, args: DnsFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trace:network:DnsFirewall", name, {}, opts);
        const parent = { parent: this };
        const prefix = `trace-${args.environment}-dns`;

        const allowed = new aws.route53.ResolverFirewallDomainList(
            `${name}-dns-allowed`,
            { name: `${prefix}-allowed`, domains: allowedDomains(args.region, args.internalDomain, args.vpcCidr), tags: { Name: `${prefix}-allowed` } },
            parent,
        );
        const everything = new aws.route53.ResolverFirewallDomainList(
            `${name}-dns-everything`,
            { name: `${prefix}-everything`, domains: ["*"], tags: { Name: `${prefix}-everything` } },
            parent,
        );
        const group = new aws.route53.ResolverFirewallRuleGroup(`${name}-dns`, { name: prefix, tags: { Name: prefix } }, parent);
        this.ruleGroupId = group.id;
        new aws.route53.ResolverFirewallRule(
            `${name}-dns-allow`,
            { name: "allow-aws-and-internal", firewallRuleGroupId: group.id, firewallDomainListId: allowed.id, action: "ALLOW", priority: 100 },
            parent,
        );
        new aws.route53.ResolverFirewallRule(
            `${name}-dns-block`,
            {
                name: "block-everything-else",
                firewallRuleGroupId: group.id,
                firewallDomainListId: everything.id,
                action: "BLOCK",
                blockResponse: "NXDOMAIN",
                priority: 200,
            },
            parent,
        );
        new aws.route53.ResolverFirewallRuleGroupAssociation(
            `${name}-dns`,
            { name: prefix, firewallRuleGroupId: group.id, vpcId: args.vpcId, priority: 101, tags: { Name: prefix } },
            parent,
        );
        // Fail closed: if the firewall cannot evaluate a query, Resolver refuses it instead of answering.
        new aws.route53.ResolverFirewallConfig(`${name}-dns`, { resourceId: args.vpcId, firewallFailOpen: "DISABLED" }, parent);

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-dns-query-logs`,
            { name: `/trace/${args.environment}/resolver-query-logs`, retentionInDays: args.queryLogRetentionDays },
            parent,
        );
        this.queryLogGroupName = logGroup.name;
        const queryLog = new aws.route53.ResolverQueryLogConfig(
            `${name}-dns-query-logs`,
            { name: `${prefix}-query-logs`, destinationArn: logGroup.arn, tags: { Name: `${prefix}-query-logs` } },
            parent,
        );
        new aws.route53.ResolverQueryLogConfigAssociation(`${name}-dns-query-logs`, { resolverQueryLogConfigId: queryLog.id, resourceId: args.vpcId }, parent);

        this.blockedAlarmArn = this.alarmOnBlockedQueries(name, args, logGroup);
        this.registerOutputs({ ruleGroupId: this.ruleGroupId, queryLogGroupName: this.queryLogGroupName, blockedAlarmArn: this.blockedAlarmArn });
    }

    /** A metric of blocked queries and an alarm on it, on the egress alarms' topic. */
    private alarmOnBlockedQueries(name: string, args: DnsFirewallArgs, logGroup: aws.cloudwatch.LogGroup): pulumi.Output<string> {
        return alarmOnLogEvents(`${name}-dns-blocked`, "dns-blocked", {
            environment: args.environment,
            logGroupName: logGroup.name,
            pattern: DNS_BLOCKED_PATTERN,
            metricName: DNS_BLOCKED_METRIC,
            description: "A workload of the VPC asked the resolver for a name outside the DNS Firewall's allowlist: an egress attempt through DNS (ADR 0002).",
            topicArn: args.alarmTopicArn,
        }, { parent: this }).arn;
    }
}
