import { expect } from "chai";

import { REQUIRED_VPC_ENDPOINTS, endpointService, requiredVpcEndpoints } from "../../../policy-pack/policies/required-vpc-endpoints";
import { HarnessResource, RunOptions, runStackPolicy, urnOf } from "../../helpers/policy-harness";
import { U, stackFindings } from "../support";

const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const EP = "aws:ec2/vpcEndpoint:VpcEndpoint";
const REQUIRED = ["s3", "sqs", "sts", "kms", "ecr.api", "ecr.dkr", "logs", "secretsmanager"];

function res(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): HarnessResource {
    return { type, name, props, propertyDependencies, dependencies: Object.values(propertyDependencies).flat() };
}

const vpc = res(VPC, "main", { cidrBlock: "10.0.0.0/16" });
const inVpc = { vpcId: [urnOf(VPC, "main")] };
const subnet = (name: string, tier?: string) => res(SUBNET, name, { vpcId: U, cidrBlock: "10.0.0.0/20", ...(tier === undefined ? {} : { tags: { "trace:tier": tier } }) }, inVpc);
const endpoint = (svc: string, serviceName: unknown = `com.amazonaws.eu-west-1.${svc}`) => res(EP, `ep-${svc}`, { vpcId: U, serviceName }, inVpc);
const service = res(
    "aws:ecs/service:Service",
    "jobs",
    { networkConfiguration: { subnets: [U], securityGroups: [U] } },
    { networkConfiguration: [urnOf(SUBNET, "plain-a"), urnOf("aws:ec2/securityGroup:SecurityGroup", "jobs")] },
);

const baseline = [vpc, subnet("plain-a"), service, ...REQUIRED.map((s) => endpoint(s))];

async function run(resources: HarnessResource[], opts: RunOptions = {}) {
    return stackFindings(await runStackPolicy(requiredVpcEndpoints, resources, opts));
}

const RULE = `with no NAT, private workloads reach AWS APIs only through VPC endpoints; required: ${REQUIRED.join(", ")}`;

describe("required-vpc-endpoints", () => {
    it("reads the service out of AWS endpoint names", () => {
        expect(["com.amazonaws.eu-west-1.ecr.dkr", "com.amazonaws.us-gov-west-1.s3", "com.amazonaws.vpce.eu-west-1.vpce-svc-1"].map(endpointService)).to.deep.equal([
            "ecr.dkr",
            "s3",
            "com.amazonaws.vpce.eu-west-1.vpce-svc-1",
        ]);
    });

    it("passes a VPC whose ECS workload has every required endpoint", async () => {
        expect(await run(baseline)).to.deep.equal([]);
    });

    it("passes a VPC without private workloads, whatever its endpoints", async () => {
        expect(await run([vpc, subnet("plain-a")])).to.deep.equal([]);
    });

    it("reports the missing endpoints of a VPC hosting an ECS service, on the VPC", async () => {
        const out = await run(baseline.filter((r) => r.name !== "ep-sts" && r.name !== "ep-ecr.dkr"));
        expect(out).to.deep.equal([
            [
                "mandatory",
                urnOf(VPC, "main"),
                `VPC 'main' hosts private workloads (ECS service 'jobs') but has no VPC endpoint for sts, ecr.dkr; ${RULE}. Add aws.ec2.VpcEndpoint resources for sts, ecr.dkr (Interface with privateDnsEnabled in the subnets tagged trace:tier=app; s3 as a Gateway endpoint on the private route tables).`,
            ],
        ]);
    });

    it("finds private workloads through tier tags, Lambda vpcConfig, EC2 instances and RDS subnet groups", async () => {
        const lambda = res("aws:lambda/function:Function", "udf", { vpcConfig: { subnetIds: [U] } }, { vpcConfig: [urnOf(SUBNET, "plain-a")] });
        const ec2 = res("aws:ec2/instance:Instance", "box", { subnetId: U }, { subnetId: [urnOf(SUBNET, "plain-a")] });
        const group = res("aws:rds/subnetGroup:SubnetGroup", "db-subnets", { subnetIds: [U] }, { subnetIds: [urnOf(SUBNET, "plain-a")] });
        const db = res("aws:rds/instance:Instance", "db", { dbSubnetGroupName: U }, { dbSubnetGroupName: [urnOf(group.type, "db-subnets")] });
        const out = await run([vpc, subnet("plain-a"), subnet("app-a", "app"), lambda, ec2, group, db, endpoint("s3")], { config: { requiredEndpoints: ["s3", "sqs"] } });
        expect(out).to.deep.equal([
            [
                "mandatory",
                urnOf(VPC, "main"),
                "VPC 'main' hosts private workloads (subnet 'app-a' (tier app), Lambda function 'udf', EC2 instance 'box' and 1 more) but has no VPC endpoint for sqs; with no NAT, private workloads reach AWS APIs only through VPC endpoints; required: s3, sqs. Add aws.ec2.VpcEndpoint resources for sqs (Interface with privateDnsEnabled in the subnets tagged trace:tier=app; s3 as a Gateway endpoint on the private route tables).",
            ],
        ]);
    });

    it("resolves subnets and endpoints by known ids in plan mode", async () => {
        const planVpc = res(VPC, "main", { id: "vpc-1", cidrBlock: "10.0.0.0/16" });
        const planSubnet = res(SUBNET, "app-a", { id: "subnet-1", vpcId: "vpc-1" });
        const planService = res("aws:ecs/service:Service", "jobs", { networkConfiguration: { subnets: ["subnet-1"] } });
        const planEp = res(EP, "sqs", { vpcId: "vpc-1", serviceName: "com.amazonaws.eu-west-1.sqs" });
        const out = await run([planVpc, planSubnet, planService, planEp], { config: { requiredEndpoints: ["sqs", "logs"] } });
        expect(out.map(([level, urn, msg]) => [level, urn, msg.split(";")[0]])).to.deep.equal([
            ["mandatory", urnOf(VPC, "main"), "VPC 'main' hosts private workloads (ECS service 'jobs') but has no VPC endpoint for logs"],
        ]);
    });

    it("counts awsx VPC endpoint specs, and awsx VPCs as the home of workloads using their subnet ids", async () => {
        const awsxVpc = res("awsx:ec2:Vpc", "team", { vpcEndpointSpecs: [{ serviceName: "com.amazonaws.eu-west-1.sqs" }] });
        const svc = res("aws:ecs/service:Service", "api", { networkConfiguration: { subnets: [U] } }, { networkConfiguration: [urnOf("awsx:ec2:Vpc", "team")] });
        const out = await run([awsxVpc, svc], { config: { requiredEndpoints: ["sqs", "s3"] } });
        expect(out.map(([level, urn, msg]) => [level, urn, msg.split(";")[0]])).to.deep.equal([
            ["mandatory", urnOf("awsx:ec2:Vpc", "team"), "awsx VPC 'team' hosts private workloads (ECS service 'api') but has no VPC endpoint for s3"],
        ]);
    });

    it("cannot decide at preview while an endpoint's service name is unknown and could be the missing one", async () => {
        const out = await run([...baseline.filter((r) => r.name !== "ep-kms"), endpoint("unknown", U)]);
        expect(out).to.deep.equal([
            [
                "advisory",
                urnOf(VPC, "main"),
                "can't fully check VPC 'main' during preview: string value at .serviceName of an endpoint in this VPC can't be known during preview; it is checked again when the value is known",
            ],
        ]);
    });

    it("skips an exempted VPC", async () => {
        const out = await run(baseline.filter((r) => r.name !== "ep-logs"), { config: { exemptions: [{ resource: "main", reason: "logs go to a sidecar" }] } });
        expect(out).to.deep.equal([]);
    });

    it("names the policy", async () => {
        const out = await runStackPolicy(requiredVpcEndpoints, baseline.filter((r) => r.name !== "ep-s3"));
        expect(out.diagnostics.map((d) => d.policyName)).to.deep.equal([REQUIRED_VPC_ENDPOINTS]);
    });
});
