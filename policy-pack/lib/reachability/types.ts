// Resource type tokens the reachability analysis reads, and how paths name them.

import { kindOf } from "../messages";

export const TYPES = {
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    defaultRouteTable: "aws:ec2/defaultRouteTable:DefaultRouteTable",
    routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    mainRouteTableAssociation: "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation",
    route: "aws:ec2/route:Route",
    internetGateway: "aws:ec2/internetGateway:InternetGateway",
    egressOnlyInternetGateway: "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    natGateway: "aws:ec2/natGateway:NatGateway",
    vpnGateway: "aws:ec2/vpnGateway:VpnGateway",
    transitGateway: "aws:ec2transitgateway/transitGateway:TransitGateway",
    vpcPeeringConnection: "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
    networkInterface: "aws:ec2/networkInterface:NetworkInterface",
    instance: "aws:ec2/instance:Instance",
    carrierGateway: "aws:ec2/carrierGateway:CarrierGateway",
    coreNetwork: "aws:networkmanager/coreNetwork:CoreNetwork",
    vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    managedPrefixList: "aws:ec2/managedPrefixList:ManagedPrefixList",
    managedPrefixListEntry: "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    autoscalingGroup: "aws:autoscaling/group:Group",
    ecsService: "aws:ecs/service:Service",
    lambdaFunction: "aws:lambda/function:Function",
    rdsInstance: "aws:rds/instance:Instance",
    rdsCluster: "aws:rds/cluster:Cluster",
    rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    rdsSubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    fargateService: "awsx:ecs:FargateService",
} as const;

/** Kinds the shared message table does not name (it covers the workloads and most network types). */
const KINDS: Record<string, string> = {
    [TYPES.routeTableAssociation]: "route table association",
    [TYPES.mainRouteTableAssociation]: "main route table association",
    [TYPES.internetGateway]: "internet gateway",
    [TYPES.egressOnlyInternetGateway]: "egress-only internet gateway",
    [TYPES.vpnGateway]: "virtual private gateway",
    [TYPES.transitGateway]: "transit gateway",
    [TYPES.vpcPeeringConnection]: "VPC peering connection",
    [TYPES.networkInterface]: "network interface",
    [TYPES.carrierGateway]: "carrier gateway",
    [TYPES.coreNetwork]: "core network",
    [TYPES.managedPrefixList]: "prefix list",
    [TYPES.autoscalingGroup]: "autoscaling group",
    [TYPES.rdsSubnetGroup]: "DB subnet group",
};

/** `NAT gateway 'nat-a'`. */
export function label(r: { type: string; name: string }): string {
    return `${KINDS[r.type] ?? kindOf(r.type)} '${r.name}'`;
}
