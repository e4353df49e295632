// One message shape for every policy: what is wrong with which resource, the rule, and the fix.
//   "security group 'jobs' allows egress to 0.0.0.0/0 on 443; only egress gateways (tag
//    trace:egress-gateway) may reach addresses outside 10.0.0.0/8, ... Route the call through the
//    webhook gateway instead."

import { PERIMETER_CATALOGUE } from "./perimeter-catalogue";

export interface Finding {
    /** The resource as a reader knows it, e.g. `security group 'jobs'` (see `subject`). */
    readonly subject: string;
    /** What it does, with the offending value, e.g. `allows egress to 0.0.0.0/0 on 443`. */
    readonly finding: string;
    /** The rule it breaks, e.g. `only egress gateways (tag ...) may reach ...`. */
    readonly rule: string;
    /** How to fix it, one sentence. */
    readonly fix: string;
}

export function formatFinding(f: Finding): string {
    const fix = f.fix.endsWith(".") ? f.fix : `${f.fix}.`;
    return `${f.subject} ${f.finding}; ${f.rule}. ${fix}`;
}

/** `security group 'jobs'`: a human kind plus the Pulumi resource name. */
export function subject(kind: string, name: string): string {
    return `${kind} '${name}'`;
}

/**
 * Renders a value for a message: plain tokens (CIDRs, ids, ARNs, names) as they are, other strings
 * quoted, everything else as compact JSON; long values are cut.
 */
export function show(value: unknown): string {
    if (typeof value === "string") {
        if (value.length > 120) {
            return `${JSON.stringify(value.slice(0, 117))}...`;
        }
        return /^[\w.:/@*+=,-]+$/.test(value) ? value : JSON.stringify(value);
    }
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function list(items: readonly string[]): string {
    return items.join(", ");
}

/** Human names of the resource types the pack reports on. */
const KINDS: Record<string, string> = {
    "aws:ec2/natGateway:NatGateway": "NAT gateway",
    "aws:ec2/route:Route": "route",
    "aws:ec2/routeTable:RouteTable": "route table",
    "aws:ec2/defaultRouteTable:DefaultRouteTable": "default route table",
    "aws:ec2/securityGroup:SecurityGroup": "security group",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "default security group",
    "aws:ec2/securityGroupRule:SecurityGroupRule": "security group rule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "security group egress rule",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/instance:Instance": "EC2 instance",
    "aws:ec2/launchTemplate:LaunchTemplate": "launch template",
    "aws:ec2/launchConfiguration:LaunchConfiguration": "launch configuration",
    "aws:ec2/eip:Eip": "Elastic IP",
    "aws:ec2/eipAssociation:EipAssociation": "Elastic IP association",
    "aws:ec2/vpc:Vpc": "VPC",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "VPC endpoint",
    "aws:ec2/flowLog:FlowLog": "flow log",
    "aws:rds/instance:Instance": "RDS instance",
    "aws:rds/clusterInstance:ClusterInstance": "RDS cluster instance",
    "aws:rds/cluster:Cluster": "RDS cluster",
    "aws:secretsmanager/secret:Secret": "secret",
    "aws:secretsmanager/secretVersion:SecretVersion": "secret version",
    "aws:ec2/managedPrefixList:ManagedPrefixList": "managed prefix list",
    "aws:rds/subnetGroup:SubnetGroup": "DB subnet group",
    "aws:lambda/function:Function": "Lambda function",
    "aws:ecs/taskDefinition:TaskDefinition": "ECS task definition",
    "aws:ecs/service:Service": "ECS service",
    "aws:ecs/taskSet:TaskSet": "ECS task set",
    "aws:cloudwatch/eventTarget:EventTarget": "EventBridge target",
    "aws:scheduler/schedule:Schedule": "EventBridge schedule",
    "aws:pipes/pipe:Pipe": "EventBridge pipe",
    "aws:ec2/spotInstanceRequest:SpotInstanceRequest": "spot instance request",
    "aws:iam/role:Role": "IAM role",
    "aws:iam/rolePolicy:RolePolicy": "IAM role policy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "IAM role policy attachment",
    "aws:iam/policyAttachment:PolicyAttachment": "IAM policy attachment",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "IAM policy attachment set",
    "aws:iam/policy:Policy": "IAM policy",
    "aws:lb/loadBalancer:LoadBalancer": "load balancer",
    "aws:alb/loadBalancer:LoadBalancer": "load balancer",
    "aws:elb/loadBalancer:LoadBalancer": "classic load balancer",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "security group ingress rule",
    "aws:s3/bucket:Bucket": "S3 bucket",
    "aws:s3/bucketV2:BucketV2": "S3 bucket",
    "aws:s3/bucketPolicy:BucketPolicy": "S3 bucket policy",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "S3 bucket encryption configuration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": "S3 bucket encryption configuration",
    "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy": "VPC endpoint policy",
    "aws:cloudwatch/logGroup:LogGroup": "log group",
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": "log metric filter",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "metric alarm",
    "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation": "Route 53 Resolver DNS Firewall association",
    "aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup": "Route 53 Resolver DNS Firewall rule group",
    "aws:route53/resolverFirewallRule:ResolverFirewallRule": "Route 53 Resolver DNS Firewall rule",
    "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList": "Route 53 Resolver DNS Firewall domain list",
    "aws:route53/resolverFirewallConfig:ResolverFirewallConfig": "Route 53 Resolver DNS Firewall config",
    "aws:route53/resolverEndpoint:ResolverEndpoint": "Route 53 Resolver endpoint",
    "aws:route53/resolverRule:ResolverRule": "Route 53 Resolver rule",
    "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation": "VGW route propagation",
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": "transit gateway VPC attachment",
    "aws:networkmanager/vpcAttachment:VpcAttachment": "Cloud WAN VPC attachment",
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": "VPC peering connection",
    "aws:ebs/volume:Volume": "EBS volume",
    "aws:efs/fileSystem:FileSystem": "EFS file system",
    "aws:sqs/queue:Queue": "SQS queue",
    "aws:lb/listener:Listener": "load balancer listener",
    "aws:alb/listener:Listener": "load balancer listener",
    "aws:elasticache/replicationGroup:ReplicationGroup": "ElastiCache replication group",
    "aws:elasticache/cluster:Cluster": "ElastiCache cluster",
    "aws:dax/cluster:Cluster": "DAX cluster",
    "aws:memorydb/cluster:Cluster": "MemoryDB cluster",
    "aws:msk/cluster:Cluster": "MSK cluster",
    "aws:opensearch/domain:Domain": "OpenSearch domain",
    "aws:elasticsearch/domain:Domain": "Elasticsearch domain",
    "aws:apigateway/domainName:DomainName": "API Gateway domain name",
    "aws:docdb/cluster:Cluster": "DocumentDB cluster",
    "aws:neptune/cluster:Cluster": "Neptune cluster",
    "aws:sns/topic:Topic": "SNS topic",
    "aws:kinesis/stream:Stream": "Kinesis stream",
    "aws:redshift/cluster:Cluster": "Redshift cluster",
    "aws:cloudfront/distribution:Distribution": "CloudFront distribution",
    "aws:kms/key:Key": "KMS key",
    "aws:secretsmanager/secretRotation:SecretRotation": "secret rotation",
    "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig": "Resolver query log config",
    "aws:cloudtrail/trail:Trail": "CloudTrail trail",
    "awsx:ec2:Vpc": "awsx VPC",
    "awsx:ecs:FargateService": "awsx Fargate service",
    "awsx:ecs:FargateTaskDefinition": "awsx Fargate task definition",
    "awsx:ecs:EC2Service": "awsx EC2 service",
    "awsx:ecs:EC2TaskDefinition": "awsx EC2 task definition",
};

/** The perimeter catalogue names the kinds of the many types it covers. */
const CATALOGUE_KINDS = new Map(PERIMETER_CATALOGUE.map((e) => [e.type, e.kind]));

export function kindOf(type: string): string {
    return KINDS[type] ?? CATALOGUE_KINDS.get(type) ?? type;
}

/** `security group 'jobs'` for a resource, from its type and name. */
export function subjectOf(resource: { type: string; name: string }): string {
    return subject(kindOf(resource.type), resource.name);
}
