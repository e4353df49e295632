import { expect } from "chai";
import { allowedDomains, DNS_BLOCKED_PATTERN, DnsFirewall, DnsFirewallArgs, reverseZones } from "../../components/dns-firewall";
import { Environment } from "../../config";
import { countByType, MockedResource, one, recordComponents } from "../helpers/program-mocks";

const ARGS: DnsFirewallArgs = {
    environment: Environment.Prod,
    region: "eu-west-1",
    vpcId: "vpc-1",
    vpcCidr: "10.30.0.0/16",
    internalDomain: "prod.trace.internal",
    queryLogRetentionDays: 365,
    alarmTopicArn: "arn:aws:sns:eu-west-1:345678901234:trace-prod-egress-alarms",
};

const RULE = "aws:route53/resolverFirewallRule:ResolverFirewallRule";
const DOMAIN_LIST = "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList";

describe("DnsFirewall", () => {
    let resources: MockedResource[];
    before(async () => {
        resources = await recordComponents(() => {
            new DnsFirewall("trace", ARGS);
        });
    });

    it("creates two domain lists, a rule group with two rules associated with the VPC, a fail-closed config, query logging and one metric filter with its alarm", () => {
        expect(countByType(resources)).to.deep.equal({
            "aws:cloudwatch/logGroup:LogGroup": 1,
            "aws:cloudwatch/logMetricFilter:LogMetricFilter": 1,
            "aws:cloudwatch/metricAlarm:MetricAlarm": 1,
            "aws:route53/resolverFirewallConfig:ResolverFirewallConfig": 1,
            [DOMAIN_LIST]: 2,
            [RULE]: 2,
            "aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup": 1,
            "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation": 1,
            "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig": 1,
            "aws:route53/resolverQueryLogConfigAssociation:ResolverQueryLogConfigAssociation": 1,
            "trace:network:DnsFirewall": 1,
        });
    });

    it("allows exactly the region's AWS names, the internal namespace, the VPC's host names and its reverse zone", () => {
        expect(one(resources, DOMAIN_LIST, "trace-dns-allowed").inputs.domains).to.deep.equal([
            "eu-west-1.amazonaws.com",
            "*.eu-west-1.amazonaws.com",
            "prod.trace.internal",
            "*.prod.trace.internal",
            "eu-west-1.compute.internal",
            "*.eu-west-1.compute.internal",
            "30.10.in-addr.arpa",
            "*.30.10.in-addr.arpa",
        ]);
        expect(one(resources, DOMAIN_LIST, "trace-dns-everything").inputs.domains).to.deep.equal(["*"]);
    });

    it("allows the list first and answers NXDOMAIN to everything else", () => {
        const allow = one(resources, RULE, "trace-dns-allow").inputs;
        const block = one(resources, RULE, "trace-dns-block").inputs;
        expect(allow).to.deep.include({ action: "ALLOW", priority: 100, firewallDomainListId: "trace-dns-allowed-id", firewallRuleGroupId: "trace-dns-id" });
        expect(allow.blockResponse).to.equal(undefined);
        expect(block).to.deep.include({ action: "BLOCK", blockResponse: "NXDOMAIN", priority: 200, firewallDomainListId: "trace-dns-everything-id", firewallRuleGroupId: "trace-dns-id" });
    });

    it("associates the rule group with the VPC and fails closed", () => {
        expect(one(resources, "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation", "trace-dns").inputs).to.deep.include({
            firewallRuleGroupId: "trace-dns-id",
            vpcId: "vpc-1",
            priority: 101,
        });
        expect(one(resources, "aws:route53/resolverFirewallConfig:ResolverFirewallConfig", "trace-dns").inputs).to.deep.include({ resourceId: "vpc-1", firewallFailOpen: "DISABLED" });
    });

    it("logs every query of the VPC to a log group kept as long as configured", () => {
        expect(one(resources, "aws:cloudwatch/logGroup:LogGroup", "trace-dns-query-logs").inputs).to.deep.include({ name: "/trace/prod/resolver-query-logs", retentionInDays: 365 });
        expect(one(resources, "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig", "trace-dns-query-logs").inputs.destinationArn).to.equal(
            "arn:aws:mock:::aws:cloudwatch/logGroup:LogGroup/trace-dns-query-logs",
        );
        expect(one(resources, "aws:route53/resolverQueryLogConfigAssociation:ResolverQueryLogConfigAssociation", "trace-dns-query-logs").inputs).to.deep.equal({
            resolverQueryLogConfigId: "trace-dns-query-logs-id",
            resourceId: "vpc-1",
        });
    });

    it("counts blocked queries and alarms on the first one to the egress alarm topic, under the name the topic's key lets CloudWatch publish for", () => {
        const filter = one(resources, "aws:cloudwatch/logMetricFilter:LogMetricFilter", "trace-dns-blocked").inputs;
        expect(filter).to.deep.include({ logGroupName: "/trace/prod/resolver-query-logs", pattern: '{ $.firewall_rule_action = "BLOCK" }' });
        expect(filter.metricTransformation).to.deep.equal({ name: "DnsQueriesBlocked", namespace: "Trace/prod/Network", value: "1", defaultValue: "0" });
        const alarm = one(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "trace-dns-blocked").inputs;
        expect(alarm).to.deep.include({
            name: "trace-prod-egress-alarms-dns-blocked",
            namespace: "Trace/prod/Network",
            metricName: "DnsQueriesBlocked",
            statistic: "Sum",
            comparisonOperator: "GreaterThanThreshold",
            threshold: 0,
            treatMissingData: "notBreaching",
        });
        expect(alarm.alarmActions).to.deep.equal([ARGS.alarmTopicArn]);
        expect(DNS_BLOCKED_PATTERN).to.equal(filter.pattern);
    });
});

describe("allowedDomains and reverseZones", () => {
    it("names us-east-1's host names ec2.internal, as AWS does", () => {
        expect(allowedDomains("us-east-1", "x.internal", "10.0.0.0/8").slice(4)).to.deep.equal(["ec2.internal", "*.ec2.internal", "10.in-addr.arpa", "*.10.in-addr.arpa"]);
    });

    it("splits a block between octet boundaries into the zones of the next boundary, never widening it into public space", () => {
        expect(reverseZones("10.20.0.0/16")).to.deep.equal(["20.10.in-addr.arpa"]);
        expect(reverseZones("192.168.4.0/24")).to.deep.equal(["4.168.192.in-addr.arpa"]);
        expect(reverseZones("10.20.16.0/22")).to.deep.equal(["16.20.10.in-addr.arpa", "17.20.10.in-addr.arpa", "18.20.10.in-addr.arpa", "19.20.10.in-addr.arpa"]);
        const twelve = reverseZones("172.16.0.0/12");
        expect(twelve).to.have.length(16);
        expect([twelve[0], twelve[15]]).to.deep.equal(["16.172.in-addr.arpa", "31.172.in-addr.arpa"]);
    });
});
