import { expect } from "chai";
import { Network } from "../../components/network";
import { SubnetPlan, Tier } from "../../config";
import { countByType, MockedResource, ofType, one, recordComponents } from "../helpers/program-mocks";

const PLAN: SubnetPlan[] = [
    { tier: Tier.App, availabilityZone: "eu-west-1a", cidr: "10.20.0.0/20" },
    { tier: Tier.App, availabilityZone: "eu-west-1b", cidr: "10.20.16.0/20" },
    { tier: Tier.Data, availabilityZone: "eu-west-1a", cidr: "10.20.32.0/24" },
    { tier: Tier.Data, availabilityZone: "eu-west-1b", cidr: "10.20.33.0/24" },
    { tier: Tier.Egress, availabilityZone: "eu-west-1a", cidr: "10.20.34.0/26" },
    { tier: Tier.Egress, availabilityZone: "eu-west-1b", cidr: "10.20.34.64/26" },
];

function build(subnets: SubnetPlan[]): () => void {
    return () => {
        new Network("trace", { cidrBlock: "10.20.0.0/16", subnets, accountId: "123456789012", flowLogGroupName: "/trace/dev/vpc-flow-logs", flowLogRetentionDays: 365 });
    };
}

describe("Network", () => {
    let resources: MockedResource[];
    before(async () => {
        resources = await recordComponents(build(PLAN));
    });

    it("creates the VPC, one subnet per tier and AZ, one route table per tier, an IGW and flow logs, and no NAT", async () => {
        expect(countByType(resources)).to.deep.equal({
            "aws:cloudwatch/logGroup:LogGroup": 1,
            "aws:ec2/defaultRouteTable:DefaultRouteTable": 1,
            "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": 1,
            "aws:ec2/flowLog:FlowLog": 1,
            "aws:ec2/internetGateway:InternetGateway": 1,
            "aws:ec2/route:Route": 1,
            "aws:ec2/routeTable:RouteTable": 3,
            "aws:ec2/routeTableAssociation:RouteTableAssociation": 6,
            "aws:ec2/subnet:Subnet": 6,
            "aws:ec2/vpc:Vpc": 1,
            "aws:iam/role:Role": 1,
            "aws:iam/rolePolicy:RolePolicy": 1,
            "trace:network:Network": 1,
        });
        expect(one(resources, "aws:ec2/vpc:Vpc", "trace-vpc").inputs).to.deep.include({ cidrBlock: "10.20.0.0/16", enableDnsSupport: true, enableDnsHostnames: true });
    });

    it("gives every subnet its planned CIDR, its tier tag and no public IP on launch", async () => {
        const subnets = ofType(resources, "aws:ec2/subnet:Subnet");
        expect(subnets.map((s) => [s.name, s.inputs.cidrBlock, s.inputs.availabilityZone, s.inputs.tags["trace:tier"], s.inputs.mapPublicIpOnLaunch])).to.deep.equal(
            PLAN.map((p) => [`trace-${p.tier}-${p.availabilityZone}`, p.cidr, p.availabilityZone, p.tier, false]),
        );
    });

    it("associates each subnet with its own tier's route table", async () => {
        const associations = ofType(resources, "aws:ec2/routeTableAssociation:RouteTableAssociation");
        expect(associations.map((a) => [a.inputs.subnetId, a.inputs.routeTableId])).to.deep.equal(
            PLAN.map((p) => [`trace-${p.tier}-${p.availabilityZone}-id`, `trace-${p.tier}-rt-id`]),
        );
    });

    it("routes 0.0.0.0/0 to the internet gateway from the egress table only, and gives no table an inline route", async () => {
        expect(ofType(resources, "aws:ec2/route:Route").map((r) => r.inputs)).to.deep.equal([
            { routeTableId: "trace-egress-rt-id", destinationCidrBlock: "0.0.0.0/0", gatewayId: "trace-igw-id" },
        ]);
        const tables = ofType(resources, "aws:ec2/routeTable:RouteTable");
        expect(tables.map((t) => [t.inputs.tags["trace:tier"], t.inputs.routes])).to.deep.equal([
            ["app", undefined],
            ["data", undefined],
            ["egress", undefined],
        ]);
    });

    it("takes over the main route table and default security group and leaves them empty", async () => {
        expect(one(resources, "aws:ec2/defaultRouteTable:DefaultRouteTable", "trace-main-rt").inputs).to.deep.include({ defaultRouteTableId: "rtb-main-trace-vpc", routes: [] });
        expect(one(resources, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "trace-default-sg").inputs).to.deep.include({ vpcId: "trace-vpc-id", ingress: [], egress: [] });
    });

    it("records the flow log in a custom format with the fields the egress-attempt filters read", async () => {
        expect(one(resources, "aws:ec2/flowLog:FlowLog", "trace-flow-log").inputs.logFormat).to.equal(
            "${version} ${account-id} ${vpc-id} ${subnet-id} ${interface-id} ${flow-direction} ${srcaddr} ${dstaddr} ${srcport} ${dstport} " +
                "${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${pkt-srcaddr} ${pkt-dstaddr} ${pkt-dst-aws-service} ${traffic-path}",
        );
    });

    it("sends all flow logs to a log group with the configured retention through a role only flow logs of this account can assume", async () => {
        expect(one(resources, "aws:ec2/flowLog:FlowLog", "trace-flow-log").inputs).to.deep.include({
            vpcId: "trace-vpc-id",
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: "arn:aws:mock:::aws:cloudwatch/logGroup:LogGroup/trace-flow-logs",
            iamRoleArn: "arn:aws:mock:::aws:iam/role:Role/trace-flow-logs",
        });
        expect(one(resources, "aws:cloudwatch/logGroup:LogGroup", "trace-flow-logs").inputs).to.deep.include({ name: "/trace/dev/vpc-flow-logs", retentionInDays: 365 });
        const trust = JSON.parse(one(resources, "aws:iam/role:Role", "trace-flow-logs").inputs.assumeRolePolicy);
        const policy = JSON.parse(one(resources, "aws:iam/rolePolicy:RolePolicy", "trace-flow-logs").inputs.policy);
        expect(policy.Statement).to.deep.equal([
            {
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
                Resource: [
                    "arn:aws:mock:::aws:cloudwatch/logGroup:LogGroup/trace-flow-logs",
                    "arn:aws:mock:::aws:cloudwatch/logGroup:LogGroup/trace-flow-logs:*",
                ],
            },
        ]);
        expect(trust.Statement).to.deep.equal([
            {
                Effect: "Allow",
                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
            },
        ]);
    });

    it("creates no internet gateway and no route when the plan has no egress tier", async () => {
        const privateOnly = await recordComponents(build(PLAN.filter((p) => p.tier !== Tier.Egress)));
        expect(ofType(privateOnly, "aws:ec2/internetGateway:InternetGateway")).to.have.length(0);
        expect(ofType(privateOnly, "aws:ec2/route:Route")).to.have.length(0);
        expect(ofType(privateOnly, "aws:ec2/routeTable:RouteTable")).to.have.length(2);
    });
});
