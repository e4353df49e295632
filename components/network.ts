import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SubnetPlan, Tier, Trust } from "../config/types";
import { policyDocument, serviceTrustPolicy, tierTags, trustTags } from "./common";

/**
 * The flow log's record, field by field (VPC flow log fields of versions 2 to 5). The egress-attempt
 * filters need the subnet (which tier), the direction, the action, where the packet was really going
 * (`pkt-dstaddr`), whether it left the VPC (`traffic-path`) and whether that was an AWS service
 * (`pkt-dst-aws-service`, S3 through the gateway endpoint being the one expected case).
 */
export const FLOW_LOG_FIELDS = [
    "version",
    "account-id",
    "vpc-id",
    "subnet-id",
    "interface-id",
    "flow-direction",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "packets",
    "bytes",
    "start",
    "end",
    "action",
    "log-status",
    "pkt-srcaddr",
    "pkt-dstaddr",
    "pkt-dst-aws-service",
    "traffic-path",
] as const;

export type FlowLogField = (typeof FLOW_LOG_FIELDS)[number];

/** The flow log's custom format: every field of `FLOW_LOG_FIELDS`, space-separated, in that order. */
export const FLOW_LOG_FORMAT = FLOW_LOG_FIELDS.map((field) => `\${${field}}`).join(" ");

export interface NetworkArgs {
    /** The VPC's IPv4 block. */
    readonly cidrBlock: string;
    /** One entry per subnet: its tier, AZ and CIDR. The egress tier (and with it the internet gateway) exists only if planned. */
    readonly subnets: readonly SubnetPlan[];
    /** Account that owns the flow log role; the role's trust policy is limited to it. */
    readonly accountId: string;
    /** CloudWatch log group name for VPC flow logs. */
    readonly flowLogGroupName: string;
    readonly flowLogRetentionDays: number;
}

/**
 * The VPC and its tiers (DESIGN.md "Network topology"): private `app` and `data` subnets whose route
 * tables have no route beyond the VPC, a public `egress` tier routed to an internet gateway, the main
 * route table and default security group taken over and left empty, and flow logs to CloudWatch.
 * There is no NAT gateway and no code path that could create one.
 */
export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    /** Subnet ids by tier, then by availability zone. */
    readonly subnetIds: Record<Tier, Record<string, pulumi.Output<string>>>;
    /** One route table per tier present in the plan. */
    readonly routeTableIds: Partial<Record<Tier, pulumi.Output<string>>>;
    readonly internetGatewayId?: pulumi.Output<string>;
    readonly flowLogGroupName: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trace:network:Network", name, {}, opts);
        const parent = { parent: this };

        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            { cidrBlock: args.cidrBlock, enableDnsSupport: true, enableDnsHostnames: true, tags: { Name: `${name}-vpc` } },
            parent,
        );
        this.vpcId = vpc.id;

        // Taken over so a subnet that is never associated, or an ENI created without an SG, lands on
        // something that routes nowhere and allows nothing.
        new aws.ec2.DefaultRouteTable(
            `${name}-main-rt`,
            { defaultRouteTableId: vpc.defaultRouteTableId, routes: [], tags: { Name: `${name}-main-unused` } },
            parent,
        );
        new aws.ec2.DefaultSecurityGroup(
            `${name}-default-sg`,
            { vpcId: vpc.id, ingress: [], egress: [], tags: { Name: `${name}-default-unused` } },
            parent,
        );

        const tiers = Object.values(Tier).filter((tier) => args.subnets.some((s) => s.tier === tier));
        this.routeTableIds = {};
        this.subnetIds = { [Tier.App]: {}, [Tier.Data]: {}, [Tier.Egress]: {} };
        const routeTables: Partial<Record<Tier, aws.ec2.RouteTable>> = {};
        for (const tier of tiers) {
            // No inline routes: the only routes a table gets are the local one and, for egress, the IGW route below.
            const table = new aws.ec2.RouteTable(`${name}-${tier}-rt`, { vpcId: vpc.id, tags: tierTags(tier, `${name}-${tier}`) }, parent);
            routeTables[tier] = table;
            this.routeTableIds[tier] = table.id;
        }

        for (const plan of args.subnets) {
            const subnetName = `${name}-${plan.tier}-${plan.availabilityZone}`;
            const subnet = new aws.ec2.Subnet(
                subnetName,
                {
                    vpcId: vpc.id,
                    cidrBlock: plan.cidr,
                    availabilityZone: plan.availabilityZone,
                    // Even egress subnets: a gateway task asks for its own public IP, nothing else gets one.
                    mapPublicIpOnLaunch: false,
                    tags: tierTags(plan.tier, subnetName),
                },
                parent,
            );
            new aws.ec2.RouteTableAssociation(subnetName, { subnetId: subnet.id, routeTableId: routeTables[plan.tier]!.id }, parent);
            this.subnetIds[plan.tier][plan.availabilityZone] = subnet.id;
        }

        const egressTable = routeTables[Tier.Egress];
        if (egressTable !== undefined) {
            const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: `${name}-igw` } }, parent);
            new aws.ec2.Route(
                `${name}-egress-default`,
                { routeTableId: egressTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
                parent,
            );
            this.internetGatewayId = igw.id;
        }

        const flowLogGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            { name: args.flowLogGroupName, retentionInDays: args.flowLogRetentionDays },
            parent,
        );
        this.flowLogGroupName = flowLogGroup.name;
        const flowLogRole = new aws.iam.Role(
            `${name}-flow-logs`,
            { assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", args.accountId), tags: trustTags(Trust.Service, `${name}-flow-logs`) },
            parent,
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs`,
            {
                role: flowLogRole.id,
                policy: policyDocument([
                    {
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
                        Resource: [flowLogGroup.arn, pulumi.interpolate`${flowLogGroup.arn}:*`],
                    },
                ]),
            },
            parent,
        );
        new aws.ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId: vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: flowLogGroup.arn,
                iamRoleArn: flowLogRole.arn,
                maxAggregationInterval: 60,
                logFormat: FLOW_LOG_FORMAT,
                tags: { Name: `${name}-flow-log` },
            },
            parent,
        );

        this.registerOutputs({
            vpcId: this.vpcId,
            subnetIds: this.subnetIds,
            routeTableIds: this.routeTableIds,
            internetGatewayId: this.internetGatewayId,
            flowLogGroupName: this.flowLogGroupName,
        });
    }
}
