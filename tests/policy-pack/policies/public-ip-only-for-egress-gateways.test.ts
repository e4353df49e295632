import { expect } from "chai";

import { PUBLIC_IP_ONLY_FOR_EGRESS_GATEWAYS, publicIpOnlyForEgressGateways } from "../../../policy-pack/policies/public-ip-only-for-egress-gateways";
import { HarnessResource, runResourcePolicy } from "../../helpers/policy-harness";
import { U, canNotRun, findings } from "../support";

const RULE = "only egress gateways (tag trace:egress-gateway=rpc|webhook) may have public IP addresses";
const SVC_FIX = "Set assignPublicIp: false and call the internet through an egress gateway.";

const service = (assignPublicIp: unknown, tags?: Record<string, string>): HarnessResource => ({
    type: "aws:ecs/service:Service",
    name: "jobs-svc",
    props: { cluster: U, networkConfiguration: { subnets: [U], securityGroups: [U], assignPublicIp }, ...(tags === undefined ? {} : { tags }) },
});

describe("public-ip-only-for-egress-gateways", () => {
    const compliant: HarnessResource[] = [
        service(false),
        service(true, { "trace:egress-gateway": "webhook", "trace:trust": "platform" }),
        { type: "aws:ec2/subnet:Subnet", name: "app-a", props: { vpcId: U, cidrBlock: "10.0.0.0/20", mapPublicIpOnLaunch: false } },
        { type: "aws:ec2/subnet:Subnet", name: "egress-a", props: { vpcId: U, cidrBlock: "10.0.64.0/24" } },
        { type: "aws:ec2/instance:Instance", name: "bastion", props: { ami: "ami-1", associatePublicIpAddress: false } },
        { type: "aws:ec2/launchTemplate:LaunchTemplate", name: "lt", props: { networkInterfaces: [{ associatePublicIpAddress: "false" }] } },
        { type: "aws:ec2/eip:Eip", name: "unattached", props: { domain: "vpc" } },
        { type: "aws:ec2/eip:Eip", name: "gw-eip", props: { networkInterface: U, tags: { "trace:egress-gateway": "rpc" } } },
        { type: "awsx:ec2:Vpc", name: "team", props: { subnetSpecs: [{ type: "Private" }, { type: "Isolated" }] } },
        { type: "awsx:ecs:FargateService", name: "team-gw", props: { assignPublicIp: true, tags: { "trace:egress-gateway": "webhook" } } },
    ];
    for (const r of compliant) {
        it(`passes ${r.type} '${r.name}'`, async () => {
            const res = await runResourcePolicy(publicIpOnlyForEgressGateways, r);
            expect(res.diagnostics).to.deep.equal([]);
        });
    }

    it("reports an ECS service with a public IP that is not an egress gateway", async () => {
        const res = await runResourcePolicy(publicIpOnlyForEgressGateways, service(true, { "trace:trust": "untrusted" }));
        expect(findings(res)).to.deep.equal([["mandatory", `ECS service 'jobs-svc' sets networkConfiguration.assignPublicIp: true; ${RULE}. ${SVC_FIX}`]]);
        expect(res.diagnostics[0].policyName).to.equal(PUBLIC_IP_ONLY_FOR_EGRESS_GATEWAYS);
    });

    it("does not accept an egress-gateway tag whose value is not a configured gateway kind", async () => {
        const res = await runResourcePolicy(publicIpOnlyForEgressGateways, service(true, { "trace:egress-gateway": "smtp" }));
        expect(findings(res)).to.deep.equal([
            [
                "mandatory",
                `ECS service 'jobs-svc' sets networkConfiguration.assignPublicIp: true (its trace:egress-gateway tag smtp is not a configured gateway kind); ${RULE}. ${SVC_FIX}`,
            ],
        ]);
    });

    it("honours the provider's default tags and a team's own tag key and gateway kinds", async () => {
        const provider = { urn: "urn:pulumi:dev::trace::pulumi:providers:aws::default", type: "pulumi:providers:aws", name: "default", props: { defaultTags: { tags: { "net:gw": "smtp" } } } };
        const res = await runResourcePolicy(publicIpOnlyForEgressGateways, { ...service(true), provider }, { config: { tagKeys: { egressGateway: "net:gw" }, egressGatewayPorts: { smtp: [587] } } });
        expect(res.diagnostics).to.deep.equal([]);
    });

    it("reports a subnet that maps public IPv4 addresses or assigns IPv6 addresses on launch, both at once", async () => {
        const res = await runResourcePolicy(publicIpOnlyForEgressGateways, {
            type: "aws:ec2/subnet:Subnet",
            name: "egress-a",
            props: { vpcId: U, mapPublicIpOnLaunch: true, assignIpv6AddressOnCreation: true, tags: { "trace:egress-gateway": "webhook" } },
        });
        expect(findings(res)).to.deep.equal([
            [
                "mandatory",
                `subnet 'egress-a' sets mapPublicIpOnLaunch: true, giving every ENI launched in it a public IPv4 address; ${RULE}. Set mapPublicIpOnLaunch: false; egress gateway tasks get their public IP per task (assignPublicIp).`,
            ],
            ["mandatory", `subnet 'egress-a' sets assignIpv6AddressOnCreation: true, giving every ENI launched in it a globally routable IPv6 address; ${RULE}. Set assignIpv6AddressOnCreation: false.`],
        ]);
    });

    it("reports EC2 instances, launch templates and launch configurations with public IPs", async () => {
        const inst = await runResourcePolicy(publicIpOnlyForEgressGateways, { type: "aws:ec2/instance:Instance", name: "box", props: { associatePublicIpAddress: true } });
        const lt = await runResourcePolicy(publicIpOnlyForEgressGateways, {
            type: "aws:ec2/launchTemplate:LaunchTemplate",
            name: "lt",
            props: { networkInterfaces: [{ deviceIndex: 0 }, { associatePublicIpAddress: "true" }] },
        });
        const lc = await runResourcePolicy(publicIpOnlyForEgressGateways, { type: "aws:ec2/launchConfiguration:LaunchConfiguration", name: "lc", props: { associatePublicIpAddress: true } });
        expect(findings(inst)).to.deep.equal([["mandatory", `EC2 instance 'box' sets associatePublicIpAddress: true; ${RULE}. Set associatePublicIpAddress: false.`]]);
        expect(findings(lt)).to.deep.equal([
            ["mandatory", `launch template 'lt' sets networkInterfaces[1].associatePublicIpAddress: true; ${RULE}. Remove associatePublicIpAddress (or set it to false).`],
        ]);
        expect(findings(lc)).to.deep.equal([["mandatory", `launch configuration 'lc' sets associatePublicIpAddress: true; ${RULE}. Set associatePublicIpAddress: false.`]]);
    });

    it("reports Elastic IPs attached to workloads, with the target known or not", async () => {
        const eip = await runResourcePolicy(publicIpOnlyForEgressGateways, { type: "aws:ec2/eip:Eip", name: "ip", props: { instance: "i-123" } });
        const eipU = await runResourcePolicy(publicIpOnlyForEgressGateways, { type: "aws:ec2/eip:Eip", name: "ip2", props: { networkInterface: U } });
        const assoc = await runResourcePolicy(publicIpOnlyForEgressGateways, { type: "aws:ec2/eipAssociation:EipAssociation", name: "a", props: { allocationId: U, instanceId: U } });
        const fix = "Remove the Elastic IP; reach the internet through an egress gateway.";
        expect(findings(eip)).to.deep.equal([["mandatory", `Elastic IP 'ip' attaches a public Elastic IP to instance i-123; ${RULE}. ${fix}`]]);
        expect(findings(eipU)).to.deep.equal([["mandatory", `Elastic IP 'ip2' attaches a public Elastic IP to networkInterface a resource known after deployment; ${RULE}. ${fix}`]]);
        expect(findings(assoc)).to.deep.equal([
            [
                "mandatory",
                `Elastic IP association 'a' associates an Elastic IP with instanceId; ${RULE}. Remove the association; an egress gateway that needs a fixed address must be exempted in the pack config with a reason.`,
            ],
        ]);
    });

    it("reports awsx VPCs with public subnets, explicit or from awsx's default layout", async () => {
        const dflt = await runResourcePolicy(publicIpOnlyForEgressGateways, { type: "awsx:ec2:Vpc", name: "team", props: {} });
        const explicit = await runResourcePolicy(publicIpOnlyForEgressGateways, { type: "awsx:ec2:Vpc", name: "team", props: { subnetSpecs: [{ type: "Private" }, { type: "Public" }] } });
        expect(findings(dflt)).to.deep.equal([
            [
                "mandatory",
                `awsx VPC 'team' uses awsx's default subnet layout, which includes Public subnets that map public IPs on launch; ${RULE}. Set subnetSpecs to Private/Isolated subnets only (egress gateways belong in a VPC built from aws.ec2 primitives with mapPublicIpOnLaunch: false).`,
            ],
        ]);
        expect(findings(explicit)).to.deep.equal([["mandatory", `awsx VPC 'team' declares subnetSpecs[1] of type Public, which maps public IPs on launch; ${RULE}. Use Private or Isolated subnet specs.`]]);
    });

    it("reports an awsx Fargate service with a public IP, and defers an unknown one", async () => {
        const res = await runResourcePolicy(publicIpOnlyForEgressGateways, { type: "awsx:ecs:FargateService", name: "svc", props: { assignPublicIp: U, networkConfiguration: { assignPublicIp: true } } });
        expect(findings(res)).to.deep.equal([
            ["mandatory", `awsx Fargate service 'svc' sets networkConfiguration.assignPublicIp: true; ${RULE}. ${SVC_FIX}`],
            ["advisory", canNotRun(PUBLIC_IP_ONLY_FOR_EGRESS_GATEWAYS, "string value at .assignPublicIp")],
        ]);
    });

    it("reports public IPs on ECS task sets and spot instances unless they are gateways", async () => {
        const ts = await runResourcePolicy(publicIpOnlyForEgressGateways, { type: "aws:ecs/taskSet:TaskSet", name: "canary", props: { networkConfiguration: { subnets: [U], assignPublicIp: true } } });
        const tsGw = await runResourcePolicy(publicIpOnlyForEgressGateways, {
            type: "aws:ecs/taskSet:TaskSet",
            name: "gw-canary",
            props: { networkConfiguration: { assignPublicIp: true }, tags: { "trace:egress-gateway": "rpc" } },
        });
        const spot = await runResourcePolicy(publicIpOnlyForEgressGateways, { type: "aws:ec2/spotInstanceRequest:SpotInstanceRequest", name: "spot", props: { associatePublicIpAddress: true } });
        expect(findings(ts)).to.deep.equal([["mandatory", `ECS task set 'canary' sets networkConfiguration.assignPublicIp: true; ${RULE}. ${SVC_FIX}`]]);
        expect(tsGw.diagnostics).to.deep.equal([]);
        expect(findings(spot)).to.deep.equal([["mandatory", `spot instance request 'spot' sets associatePublicIpAddress: true; ${RULE}. Set associatePublicIpAddress: false.`]]);
    });

    it("reports ECS tasks started with a public IP by EventBridge rules, Scheduler and Pipes", async () => {
        const target = await runResourcePolicy(publicIpOnlyForEgressGateways, {
            type: "aws:cloudwatch/eventTarget:EventTarget",
            name: "nightly",
            props: { rule: U, arn: U, ecsTarget: { taskDefinitionArn: U, networkConfiguration: { subnets: [U], assignPublicIp: true } } },
        });
        const schedule = await runResourcePolicy(publicIpOnlyForEgressGateways, {
            type: "aws:scheduler/schedule:Schedule",
            name: "hourly",
            props: { target: { arn: U, ecsParameters: { networkConfiguration: { assignPublicIp: true } } } },
        });
        const pipe = await runResourcePolicy(publicIpOnlyForEgressGateways, {
            type: "aws:pipes/pipe:Pipe",
            name: "ingest",
            props: { targetParameters: { ecsTaskParameters: { networkConfiguration: { awsVpcConfiguration: { assignPublicIp: "ENABLED" } } } } },
        });
        const quiet = await runResourcePolicy(publicIpOnlyForEgressGateways, {
            type: "aws:pipes/pipe:Pipe",
            name: "ingest",
            props: { targetParameters: { ecsTaskParameters: { networkConfiguration: { awsVpcConfiguration: { assignPublicIp: "DISABLED" } } } } },
        });
        expect(findings(target)).to.deep.equal([
            ["mandatory", `EventBridge target 'nightly' starts ECS tasks with ecsTarget.networkConfiguration.assignPublicIp: true; ${RULE}. ${SVC_FIX}`],
        ]);
        expect(findings(schedule)).to.deep.equal([
            ["mandatory", `EventBridge schedule 'hourly' starts ECS tasks with target.ecsParameters.networkConfiguration.assignPublicIp: true; ${RULE}. ${SVC_FIX}`],
        ]);
        expect(findings(pipe)).to.deep.equal([
            [
                "mandatory",
                `EventBridge pipe 'ingest' starts ECS tasks with targetParameters.ecsTaskParameters.networkConfiguration.awsVpcConfiguration.assignPublicIp: ENABLED; ${RULE}. ${SVC_FIX}`,
            ],
        ]);
        expect(quiet.diagnostics).to.deep.equal([]);
    });

    it("cannot tell whether a public ECS service is a gateway when its tags are unknown", async () => {
        const res = await runResourcePolicy(publicIpOnlyForEgressGateways, { ...service(true), props: { ...service(true).props, tags: U } });
        expect(findings(res)).to.deep.equal([["advisory", canNotRun(PUBLIC_IP_ONLY_FOR_EGRESS_GATEWAYS, "string value at .tags")]]);
    });
});
