import { expect } from "chai";

import { NO_NAT_GATEWAYS, noNatGateways } from "../../../policy-pack/policies/no-nat-gateways";
import { HarnessResource, runResourcePolicy } from "../../helpers/policy-harness";
import { U, canNotRun, findings, rejection } from "../support";

const RULE = "NAT gateways are forbidden: private workloads reach AWS through VPC endpoints and the internet only through the egress gateways";
const ROUTE_FIX = "Remove the route; reach AWS APIs through VPC endpoints and the internet through the egress gateways.";

const compliant: HarnessResource[] = [
    { type: "aws:ec2/routeTable:RouteTable", name: "egress-rt", props: { vpcId: U, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }] } },
    { type: "aws:ec2/routeTable:RouteTable", name: "app-rt", props: { vpcId: U, routes: [] } },
    { type: "aws:ec2/defaultRouteTable:DefaultRouteTable", name: "main-rt", props: { defaultRouteTableId: U, routes: [] } },
    { type: "aws:ec2/route:Route", name: "egress-default", props: { routeTableId: U, destinationCidrBlock: "0.0.0.0/0", gatewayId: U } },
    { type: "aws:ec2/route:Route", name: "empty-nat", props: { routeTableId: "rtb-1", destinationCidrBlock: "10.1.0.0/16", natGatewayId: "", vpcPeeringConnectionId: "pcx-1" } },
    { type: "awsx:ec2:Vpc", name: "team-vpc", props: { natGateways: { strategy: "None" } } },
];

describe("no-nat-gateways", () => {
    for (const r of compliant) {
        it(`passes ${r.type} '${r.name}' that has no NAT`, async () => {
            const res = await runResourcePolicy(noNatGateways, r);
            expect(res.diagnostics).to.deep.equal([]);
            expect(res.notApplicable).to.deep.equal([]);
        });
    }

    it("is not applicable to other resource types, every time (the error is built once and re-thrown)", async () => {
        for (const type of ["aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/vpc:Vpc"]) {
            const res = await runResourcePolicy(noNatGateways, { type, name: "vpc", props: { cidrBlock: "10.0.0.0/16" } });
            expect(res.diagnostics).to.deep.equal([]);
            expect(res.notApplicable).to.deep.equal([{ policyName: NO_NAT_GATEWAYS, reason: "Policy does not apply to this resource type" }]);
        }
    });

    it("reports a NAT gateway, public or private", async () => {
        const pub = await runResourcePolicy(noNatGateways, { type: "aws:ec2/natGateway:NatGateway", name: "nat-a", props: { subnetId: U, allocationId: U } });
        const priv = await runResourcePolicy(noNatGateways, { type: "aws:ec2/natGateway:NatGateway", name: "nat-b", props: { subnetId: "subnet-1", connectivityType: "private" } });
        const fix = "Delete the NAT gateway and its routes; add the VPC endpoints the workloads need instead.";
        expect(findings(pub)).to.deep.equal([["mandatory", `NAT gateway 'nat-a' is a NAT gateway (connectivityType public); ${RULE}. ${fix}`]]);
        expect(findings(priv)).to.deep.equal([["mandatory", `NAT gateway 'nat-b' is a NAT gateway (connectivityType private); ${RULE}. ${fix}`]]);
        expect(pub.diagnostics[0].policyName).to.equal(NO_NAT_GATEWAYS);
    });

    it("reports a standalone route to a NAT outside the stack (known id)", async () => {
        const res = await runResourcePolicy(noNatGateways, {
            type: "aws:ec2/route:Route",
            name: "app-default",
            props: { routeTableId: "rtb-1", destinationCidrBlock: "0.0.0.0/0", natGatewayId: "nat-0abc" },
        });
        expect(findings(res)).to.deep.equal([["mandatory", `route 'app-default' routes 0.0.0.0/0 to NAT gateway nat-0abc; ${RULE}. ${ROUTE_FIX}`]]);
    });

    it("reports a route to a NAT whose id is unknown at preview: the reference alone is the violation", async () => {
        const res = await runResourcePolicy(noNatGateways, {
            type: "aws:ec2/route:Route",
            name: "app-v6",
            props: { routeTableId: U, destinationIpv6CidrBlock: "::/0", natGatewayId: U },
        });
        expect(findings(res)).to.deep.equal([
            ["mandatory", `route 'app-v6' routes ::/0 to a NAT gateway (id known after deployment); ${RULE}. ${ROUTE_FIX}`],
        ]);
    });

    it("reports an inline route table route to a NAT, naming its index, and keeps checking the others", async () => {
        const res = await runResourcePolicy(noNatGateways, {
            type: "aws:ec2/routeTable:RouteTable",
            name: "app-rt",
            props: {
                vpcId: U,
                routes: [
                    { cidrBlock: "192.168.0.0/16", vpcPeeringConnectionId: "pcx-1" },
                    { cidrBlock: "0.0.0.0/0", natGatewayId: "nat-1" },
                    { ipv6CidrBlock: U, natGatewayId: U },
                ],
            },
        });
        expect(findings(res)).to.deep.equal([
            ["mandatory", `route table 'app-rt' routes 0.0.0.0/0 to NAT gateway nat-1 (routes[1]); ${RULE}. ${ROUTE_FIX}`],
            [
                "mandatory",
                `route table 'app-rt' routes a destination known after deployment (ipv6CidrBlock) to a NAT gateway (id known after deployment) (routes[2]); ${RULE}. ${ROUTE_FIX}`,
            ],
        ]);
    });

    it("reports a NAT route on the VPC's default route table", async () => {
        const res = await runResourcePolicy(noNatGateways, {
            type: "aws:ec2/defaultRouteTable:DefaultRouteTable",
            name: "main",
            props: { defaultRouteTableId: U, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-9" }] },
        });
        expect(findings(res)).to.deep.equal([["mandatory", `default route table 'main' routes 0.0.0.0/0 to NAT gateway nat-9 (routes[0]); ${RULE}. ${ROUTE_FIX}`]]);
    });

    it("reports an awsx VPC without a NAT strategy (awsx defaults to one NAT per AZ)", async () => {
        const res = await runResourcePolicy(noNatGateways, { type: "awsx:ec2:Vpc", name: "team-vpc", props: { cidrBlock: "10.0.0.0/16" } });
        expect(findings(res)).to.deep.equal([
            [
                "mandatory",
                `awsx VPC 'team-vpc' creates NAT gateways: natGateways.strategy is unset (awsx default OnePerAz); ${RULE}. Set natGateways: { strategy: "None" } and add the VPC endpoints the workloads need.`,
            ],
        ]);
    });

    it("reports an awsx VPC whose NAT strategy is Single", async () => {
        const res = await runResourcePolicy(noNatGateways, { type: "awsx:ec2:Vpc", name: "team-vpc", props: { natGateways: { strategy: "Single" } } });
        expect(findings(res)).to.deep.equal([
            [
                "mandatory",
                `awsx VPC 'team-vpc' creates NAT gateways: natGateways.strategy is Single; ${RULE}. Set natGateways: { strategy: "None" } and add the VPC endpoints the workloads need.`,
            ],
        ]);
    });

    it("cannot decide at preview when the awsx strategy or a route list is unknown: advisory, never a pass or a violation", async () => {
        const vpc = await runResourcePolicy(noNatGateways, { type: "awsx:ec2:Vpc", name: "v", props: { natGateways: { strategy: U } } });
        const rt = await runResourcePolicy(noNatGateways, { type: "aws:ec2/routeTable:RouteTable", name: "rt", props: { routes: U } });
        expect(findings(vpc)).to.deep.equal([["advisory", canNotRun(NO_NAT_GATEWAYS, "string value at .natGateways.strategy")]]);
        expect(findings(rt)).to.deep.equal([["advisory", canNotRun(NO_NAT_GATEWAYS, "string value at .routes")]]);
    });

    it("skips a resource exempted by name glob or URN, recording the reason", async () => {
        const nat = { type: "aws:ec2/natGateway:NatGateway", name: "legacy-nat-a", props: {} };
        const byName = await runResourcePolicy(noNatGateways, nat, { config: { exemptions: [{ resource: "legacy-nat-*", reason: "removed in TICKET-12" }] } });
        const byUrn = await runResourcePolicy(noNatGateways, nat, {
            config: { exemptions: [{ resource: "urn:pulumi:dev::trace::aws:ec2/natGateway:NatGateway::legacy-*", reason: "dev only" }] },
        });
        const otherPolicy = await runResourcePolicy(noNatGateways, nat, {
            config: { exemptions: [{ resource: "legacy-nat-*", reason: "x", policy: "rds-storage-encrypted" }] },
        });
        expect(byName.diagnostics).to.deep.equal([]);
        expect(byName.notApplicable).to.deep.equal([{ policyName: NO_NAT_GATEWAYS, reason: "exempted by pack config (legacy-nat-*): removed in TICKET-12" }]);
        expect(byUrn.notApplicable).to.deep.equal([
            { policyName: NO_NAT_GATEWAYS, reason: "exempted by pack config (urn:pulumi:dev::trace::aws:ec2/natGateway:NatGateway::legacy-*): dev only" },
        ]);
        expect(otherPolicy.diagnostics.length).to.equal(1);
    });

    it("rejects an exemption without a reason as a config error", async () => {
        const nat = { type: "aws:ec2/natGateway:NatGateway", name: "nat", props: {} };
        const message = await rejection(runResourcePolicy(noNatGateways, nat, { config: { exemptions: [{ resource: "nat", reason: "  " }] } }));
        // The harness runs no Configure: the policy's reader rejects it at Analyze (the pack does so at Configure).
        expect(message).to.contain(`PackConfigError: invalid config for policy 'no-nat-gateways': exemptions[0].reason is required (say why the exemption is acceptable), got "  "\n`);
    });

    it("follows an enforcement level override from config", async () => {
        const res = await runResourcePolicy(noNatGateways, { type: "aws:ec2/natGateway:NatGateway", name: "nat", props: {} }, { enforcementLevel: "advisory" });
        expect(res.diagnostics.map((d) => d.enforcementLevel)).to.deep.equal(["advisory"]);
    });
});
