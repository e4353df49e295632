// Synthetic recorded stacks for benchmarks: the shapes of a real posture (VPC, tiers, route tables,
// endpoints, security groups and rules, Lambda and ECS workloads, secrets), repeated until the wanted
// size, with ids, parents, dependencies and property dependencies as a plan-mode recording has them.
import { RecordedOptions, RecordedResource } from "../tools/record";

export interface SyntheticOptions {
    /** Total resources, the root stack and provider included. */
    resources: number;
    /** How many of them are workloads (Lambda functions and ECS services, alternating). */
    workloads: number;
    project?: string;
    stack?: string;
}

// Ids shaped like AWS's, as a plan-mode recording synthesises them; policies resolve references by id.
const ID_PREFIX: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc", "aws:ec2/subnet:Subnet": "subnet", "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/routeTable:RouteTable": "rtb", "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
};

function idFor(type: string, name: string, index: number): string {
    const prefix = ID_PREFIX[type];
    return prefix === undefined ? name : `${prefix}-0${index.toString(16).padStart(16, "0")}`;
}

/** This account's principals on this account's resources: the data perimeter every endpoint needs. */
const ENDPOINT_POLICY = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{
        Effect: "Allow", Principal: "*", Action: "*", Resource: "*",
        Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012", "aws:ResourceAccount": "123456789012" } },
    }],
});

const OPTIONS: RecordedOptions = { protect: false, ignoreChanges: [], additionalSecretOutputs: [], aliases: [], customTimeouts: { create: 0, update: 0, delete: 0 } };

export function syntheticStack(o: SyntheticOptions): RecordedResource[] {
    const project = o.project ?? "bench";
    const stack = o.stack ?? "dev";
    const root = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
    const providerUrn = `urn:pulumi:${stack}::${project}::pulumi:providers:aws::default_7_48_0`;
    const provider = `${providerUrn}::00000000-0000-4000-8000-000000000000`;
    const out: RecordedResource[] = [];
    const add = (type: string, name: string, props: Record<string, unknown>, deps: Record<string, string[]> = {}): RecordedResource => {
        const urn = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack$${type}::${name}`;
        const id = idFor(type, name, out.length);
        const all = [...new Set(Object.values(deps).flat())];
        const r: RecordedResource = {
            urn, type, name, custom: true, id, parent: root, provider, dependencies: all, propertyDependencies: deps,
            inputs: props, outputs: { ...props, id, arn: `arn:aws:bench:eu-west-1:123456789012:${name}` }, options: OPTIONS,
        };
        out.push(r);
        return r;
    };
    out.push({ urn: root, type: "pulumi:pulumi:Stack", name: `${project}-${stack}`, custom: false, dependencies: [], propertyDependencies: {}, inputs: {}, outputs: {}, options: OPTIONS });
    out.push({ urn: providerUrn, type: "pulumi:providers:aws", name: "default_7_48_0", custom: true, id: "00000000-0000-4000-8000-000000000000", dependencies: [], propertyDependencies: {}, inputs: { region: "eu-west-1" }, outputs: { region: "eu-west-1" }, options: OPTIONS });

    const vpc = add("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/8" });
    // Rejected egress goes to CloudWatch Logs, a metric filter counts it and an alarm pages someone.
    const flowLogs = add("aws:cloudwatch/logGroup:LogGroup", "flow-logs", { name: "/bench/dev/flow-logs", retentionInDays: 365 });
    add("aws:ec2/flowLog:FlowLog", "flow-log", {
        vpcId: vpc.id, trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: flowLogs.outputs.arn,
    }, { vpcId: [vpc.urn], logDestination: [flowLogs.urn] });
    add("aws:cloudwatch/logMetricFilter:LogMetricFilter", "rejects", {
        logGroupName: "/bench/dev/flow-logs",
        pattern: '[version, account, eni, source, destination, srcport, destport, protocol, packets, bytes, windowstart, windowend, action="REJECT", flowlogstatus]',
        metricTransformation: { name: "RejectedEgress", namespace: "Bench/Network", value: "1" },
    }, { logGroupName: [flowLogs.urn] });
    add("aws:cloudwatch/metricAlarm:MetricAlarm", "rejects-alarm", {
        namespace: "Bench/Network", metricName: "RejectedEgress", statistic: "Sum", threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold",
        alarmActions: ["arn:aws:sns:eu-west-1:123456789012:security"],
    });
    // DNS answers only the allowed names: the rule group allows a list, then blocks everything else.
    const allowedNames = add("aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList", "dns-allowed", { domains: ["*.eu-west-1.amazonaws.com", "*.bench.internal"] });
    const everything = add("aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList", "dns-everything", { domains: ["*"] });
    const dnsRules = add("aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup", "dns", { name: "bench-dns" });
    add("aws:route53/resolverFirewallRule:ResolverFirewallRule", "dns-allow", {
        firewallRuleGroupId: dnsRules.id, firewallDomainListId: allowedNames.id, action: "ALLOW", priority: 100,
    }, { firewallRuleGroupId: [dnsRules.urn], firewallDomainListId: [allowedNames.urn] });
    add("aws:route53/resolverFirewallRule:ResolverFirewallRule", "dns-block", {
        firewallRuleGroupId: dnsRules.id, firewallDomainListId: everything.id, action: "BLOCK", blockResponse: "NXDOMAIN", priority: 200,
    }, { firewallRuleGroupId: [dnsRules.urn], firewallDomainListId: [everything.urn] });
    add("aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation", "dns", {
        vpcId: vpc.id, firewallRuleGroupId: dnsRules.id, priority: 101,
    }, { vpcId: [vpc.urn], firewallRuleGroupId: [dnsRules.urn] });
    const endpointsSg = add("aws:ec2/securityGroup:SecurityGroup", "endpoints", { vpcId: vpc.id, tags: { "trace:trust": "service" } }, { vpcId: [vpc.urn] });
    add("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", {
        vpcId: vpc.id, serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "Gateway", policy: ENDPOINT_POLICY,
    }, { vpcId: [vpc.urn] });
    for (const svc of ["sqs", "sts", "kms", "ecr.api", "ecr.dkr", "logs", "secretsmanager"]) {
        add("aws:ec2/vpcEndpoint:VpcEndpoint", svc.replace(".", "-"), {
            vpcId: vpc.id, serviceName: `com.amazonaws.eu-west-1.${svc}`, vpcEndpointType: "Interface", privateDnsEnabled: true, securityGroupIds: [endpointsSg.id], policy: ENDPOINT_POLICY,
        }, { vpcId: [vpc.urn], securityGroupIds: [endpointsSg.urn] });
    }

    // Each cell is one app subnet with its route table, a security group with an egress rule, a secret,
    // and workloads while the workload budget lasts; cells repeat until the size is reached.
    let workloads = 0;
    for (let cell = 0; out.length < o.resources; cell++) {
        const subnet = add("aws:ec2/subnet:Subnet", `app-${cell}`, {
            vpcId: vpc.id, cidrBlock: `10.${(cell >> 8) & 255}.${cell & 255}.0/24`, mapPublicIpOnLaunch: false, tags: { "trace:tier": "app" },
        }, { vpcId: [vpc.urn] });
        const rt = add("aws:ec2/routeTable:RouteTable", `app-${cell}`, { vpcId: vpc.id, tags: { "trace:tier": "app" } }, { vpcId: [vpc.urn] });
        add("aws:ec2/routeTableAssociation:RouteTableAssociation", `app-${cell}`, { subnetId: subnet.id, routeTableId: rt.id }, { subnetId: [subnet.urn], routeTableId: [rt.urn] });
        const sg = add("aws:ec2/securityGroup:SecurityGroup", `jobs-${cell}`, { vpcId: vpc.id, tags: { "trace:trust": "untrusted" } }, { vpcId: [vpc.urn] });
        add("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", `jobs-${cell}-to-endpoints`, {
            securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: endpointsSg.id,
        }, { securityGroupId: [sg.urn], referencedSecurityGroupId: [endpointsSg.urn] });
        const secret = add("aws:secretsmanager/secret:Secret", `secret-${cell}`, { name: `/dev/trace/component${cell}/token` });
        add("aws:secretsmanager/secretRotation:SecretRotation", `secret-${cell}`, {
            secretId: secret.outputs.arn, rotationLambdaArn: "arn:aws:lambda:eu-west-1:123456789012:function:rotate", rotationRules: { automaticallyAfterDays: 30 },
        }, { secretId: [secret.urn] });
        for (let w = 0; w < 2 && workloads < o.workloads && out.length < o.resources; w++, workloads++) {
            if (workloads % 2 === 0) {
                add("aws:lambda/function:Function", `udf-${workloads}`, {
                    runtime: "nodejs20.x", handler: "index.handler", role: "arn:aws:iam::123456789012:role/udf",
                    vpcConfig: { subnetIds: [subnet.id], securityGroupIds: [sg.id] }, tags: { "trace:trust": "untrusted" },
                }, { vpcConfig: [subnet.urn, sg.urn] });
            } else {
                add("aws:ecs/service:Service", `job-${workloads}`, {
                    launchType: "FARGATE", networkConfiguration: { subnets: [subnet.id], securityGroups: [sg.id], assignPublicIp: false }, tags: { "trace:trust": "untrusted" },
                }, { networkConfiguration: [subnet.urn, sg.urn] });
            }
        }
    }
    return out.slice(0, o.resources);
}
