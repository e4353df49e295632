import { expect } from "chai";

import { NO_UNAPPROVED_NETWORK_PATHS, noUnapprovedNetworkPaths } from "../../../policy-pack/policies/no-unapproved-network-paths";
import { HarnessResource, RunOptions, runStackPolicy, urnOf } from "../../helpers/policy-harness";
import { U, rejection, stackFindings } from "../support";

const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const PROPAGATION = "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation";
const TGW = "aws:ec2transitgateway/vpcAttachment:VpcAttachment";
const CLOUD_WAN = "aws:networkmanager/vpcAttachment:VpcAttachment";
const PEERING = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection";
const RESOLVER_ENDPOINT = "aws:route53/resolverEndpoint:ResolverEndpoint";
const RESOLVER_RULE = "aws:route53/resolverRule:ResolverRule";
const RULE =
    "private subnets leave the VPC only through AWS service endpoints and allowlisted endpoint services, never through routes learned at run time, transit gateway or Cloud WAN attachments, peering with untrusted accounts, or DNS forwarded out of the VPC";
const PARTNER_SERVICE = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0";

function res(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): HarnessResource {
    return { type, name, props, propertyDependencies, dependencies: Object.values(propertyDependencies).flat() };
}

/** A compliant baseline with one of every path, each on its approved side. Preview: ids unknown, links by dependencies. */
function stack(plan: boolean): HarnessResource[] {
    const id = (v: string) => (plan ? v : U);
    const deps = (d: Record<string, string[]>) => (plan ? {} : d);
    return [
        res(VPC, "vpc", { cidrBlock: "10.20.0.0/16", id: id("vpc-1") }),
        res(SUBNET, "app-a", { vpcId: id("vpc-1"), tags: { "trace:tier": "app" }, id: id("subnet-app"), arn: id("arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-app") }),
        res(SUBNET, "transit-a", { vpcId: id("vpc-1"), tags: { "trace:tier": "transit" }, id: id("subnet-transit"), arn: id("arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-transit") }),
        res(ROUTE_TABLE, "app-rt", { vpcId: id("vpc-1"), tags: { "trace:tier": "app" }, id: id("rtb-app") }),
        res(ROUTE_TABLE, "vpn-rt", { vpcId: id("vpc-1"), tags: { "trace:tier": "vpn" }, id: id("rtb-vpn"), propagatingVgws: [id("vgw-1")] }),
        res(ENDPOINT, "sqs", { vpcId: id("vpc-1"), serviceName: "com.amazonaws.eu-west-1.sqs", vpcEndpointType: "Interface", privateDnsEnabled: true }),
        res(ENDPOINT, "s3", { vpcId: id("vpc-1"), serviceName: "com.amazonaws.eu-west-1.s3" }),
        res(PROPAGATION, "vpn", { vpnGatewayId: "vgw-1", routeTableId: id("rtb-vpn") }, deps({ routeTableId: [urnOf(ROUTE_TABLE, "vpn-rt")] })),
        res(TGW, "transit", { vpcId: id("vpc-1"), transitGatewayId: "tgw-1", subnetIds: [id("subnet-transit")] }, deps({ subnetIds: [urnOf(SUBNET, "transit-a")] })),
        res(PEERING, "same-account", { vpcId: id("vpc-1"), peerVpcId: "vpc-2" }),
        res(RESOLVER_ENDPOINT, "inbound", { direction: "INBOUND", securityGroupIds: ["sg-1"] }),
        res(RESOLVER_RULE, "system", { domainName: "corp.example", ruleType: "SYSTEM" }),
    ];
}

async function run(resources: HarnessResource[], opts: RunOptions = {}) {
    return stackFindings(await runStackPolicy(noUnapprovedNetworkPaths, resources, opts));
}

const mandatory = (type: string, name: string, text: string) => ["mandatory", urnOf(type, name), `${text}; ${RULE}.`];

describe("no-unapproved-network-paths", () => {
    for (const plan of [false, true]) {
        const mode = plan ? "plan" : "preview";
        const id = (v: string) => (plan ? v : U);
        const deps = (d: Record<string, string[]>) => (plan ? {} : d);

        it(`${mode}: passes AWS service endpoints, VPN routes in their own table, a transit gateway in transit subnets, same-account peering, inbound DNS`, async () => {
            expect(await run(stack(plan))).to.deep.equal([]);
        });

        it(`${mode}: reports an endpoint to another account's endpoint service, and a Lattice endpoint, off the allowlist`, async () => {
            const out = await run([
                ...stack(plan),
                res(ENDPOINT, "partner", { vpcId: id("vpc-1"), serviceName: PARTNER_SERVICE, vpcEndpointType: "Interface" }),
                res(ENDPOINT, "lattice", { vpcId: id("vpc-1"), vpcEndpointType: "ServiceNetwork", serviceNetworkArn: "arn:aws:vpc-lattice:eu-west-1:999999999999:servicenetwork/sn-1" }),
            ]);
            expect(out.map((f) => f.slice(0, 2).concat(f[2].split(";")[0]))).to.deep.equal([
                ["mandatory", urnOf(ENDPOINT, "partner"), `VPC endpoint 'partner' reaches ${PARTNER_SERVICE}, which is neither an AWS service nor on the allowlist`],
                ["mandatory", urnOf(ENDPOINT, "lattice"), "VPC endpoint 'lattice' reaches arn:aws:vpc-lattice:eu-west-1:999999999999:servicenetwork/sn-1, which is neither an AWS service nor on the allowlist"],
            ]);
            expect(out[0][2]).to.equal(
                `VPC endpoint 'partner' reaches ${PARTNER_SERVICE}, which is neither an AWS service nor on the allowlist; ${RULE}. Remove the endpoint, or add ${PARTNER_SERVICE} to allowedEndpointServices once the service's owner and what it can reach are reviewed.`,
            );
        });

        it(`${mode}: reports VGW route propagation into an app route table, inline or as its own resource`, async () => {
            const base = stack(plan).map((r) => (r.name === "app-rt" ? res(ROUTE_TABLE, "app-rt", { ...r.props, propagatingVgws: [id("vgw-1")] }) : r));
            const separate = [...stack(plan), res(PROPAGATION, "into-app", { vpnGatewayId: "vgw-1", routeTableId: id("rtb-app") }, deps({ routeTableId: [urnOf(ROUTE_TABLE, "app-rt")] }))];
            expect(await run(base)).to.deep.equal([
                mandatory(ROUTE_TABLE, "app-rt", "route table 'app-rt' (tier app) takes routes propagated from a virtual private gateway (propagatingVgws)").map((x, i) =>
                    i === 2 ? `${x} Remove propagatingVgws; give the VPN its own route table and subnets, outside the app and data tiers.` : x,
                ),
            ]);
            expect((await run(separate)).map((f) => [f[1], f[2].split(";")[0]])).to.deep.equal([
                [urnOf(PROPAGATION, "into-app"), "VGW route propagation 'into-app' propagates a virtual private gateway's routes into route table 'app-rt' (tier app)"],
            ]);
        });

        it(`${mode}: reports transit gateway and Cloud WAN attachments in app subnets`, async () => {
            const out = await run([
                ...stack(plan),
                res(TGW, "tgw-app", { vpcId: id("vpc-1"), transitGatewayId: "tgw-1", subnetIds: [id("subnet-app"), id("subnet-transit")] }, deps({ subnetIds: [urnOf(SUBNET, "app-a"), urnOf(SUBNET, "transit-a")] })),
                res(CLOUD_WAN, "wan-app", { coreNetworkId: "core-network-1", vpcArn: "arn", subnetArns: [id("arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-app")] }, deps({ subnetArns: [urnOf(SUBNET, "app-a")] })),
            ]);
            expect(out.map((f) => [f[1], f[2].split(";")[0]])).to.deep.equal([
                [urnOf(TGW, "tgw-app"), "transit gateway VPC attachment 'tgw-app' attaches subnet 'app-a' (tier app) to a transit gateway"],
                [urnOf(CLOUD_WAN, "wan-app"), "Cloud WAN VPC attachment 'wan-app' attaches subnet 'app-a' (tier app) to a Cloud WAN core network"],
            ]);
        });

        it(`${mode}: reports peering with an untrusted account, outbound Resolver endpoints and forwarding rules`, async () => {
            const out = await run([
                ...stack(plan),
                res(PEERING, "vendor", { vpcId: id("vpc-1"), peerVpcId: "vpc-9", peerOwnerId: "999999999999" }),
                res(RESOLVER_ENDPOINT, "outbound", { direction: "OUTBOUND", securityGroupIds: ["sg-1"] }),
                res(RESOLVER_RULE, "forward", { domainName: "corp.example", ruleType: "FORWARD", targetIps: [{ ip: "192.0.2.53" }] }),
            ]);
            expect(out.map((f) => [f[1], f[2].split(";")[0]])).to.deep.equal([
                [urnOf(PEERING, "vendor"), "VPC peering connection 'vendor' peers with a VPC of account 999999999999, which is not trusted"],
                [urnOf(RESOLVER_ENDPOINT, "outbound"), "Route 53 Resolver endpoint 'outbound' is a Resolver endpoint with direction OUTBOUND: DNS queries of the VPC can be forwarded to name servers outside it"],
                [urnOf(RESOLVER_RULE, "forward"), "Route 53 Resolver rule 'forward' forwards queries for corp.example to name servers outside the VPC (ruleType FORWARD)"],
            ]);
        });
    }

    it("preview: defers what an unknown could change, and decides what it cannot", async () => {
        const deferred = (type: string, name: string, path: string) => [
            "advisory",
            urnOf(type, name),
            `can't fully check ${name === "unknown-service" ? "VPC endpoint" : name === "somewhere" ? "VGW route propagation" : "VPC peering connection"} '${name}' during preview: string value at .${path} can't be known during preview; it is checked again when the value is known`,
        ];
        const out = await run([
            ...stack(false),
            res(ENDPOINT, "unknown-service", { vpcId: U, serviceName: U, vpcEndpointType: "Interface" }),
            res(PROPAGATION, "somewhere", { vpnGatewayId: "vgw-1", routeTableId: U }),
            res(PEERING, "unknown-owner", { vpcId: U, peerVpcId: U, peerOwnerId: U }),
            // Unknown ids on known AWS services and known trusted owners never matter.
            res(ENDPOINT, "kms", { vpcId: U, serviceName: "com.amazonaws.eu-west-1.kms", vpcEndpointType: U }),
        ]);
        expect(out).to.deep.equal([
            deferred(ENDPOINT, "unknown-service", "serviceName"),
            deferred(PROPAGATION, "somewhere", "routeTableId"),
            deferred(PEERING, "unknown-owner", "peerOwnerId"),
        ]);
    });

    it("honours the allowlist (globs), trusted accounts, team tag keys and exemptions", async () => {
        const resources = [
            ...stack(true),
            res(ENDPOINT, "partner", { vpcId: "vpc-1", serviceName: PARTNER_SERVICE, vpcEndpointType: "Interface" }),
            res(PEERING, "vendor", { vpcId: "vpc-1", peerVpcId: "vpc-9", peerOwnerId: "999999999999" }),
        ];
        expect(await run(resources, { config: { allowedEndpointServices: ["com.amazonaws.vpce.eu-west-1.vpce-svc-*"], trustedAccountIds: ["999999999999"] } })).to.deep.equal([]);
        expect(await run(resources, { config: { exemptions: [{ resource: "partner", reason: "payments partner, reviewed" }, { resource: "vendor", reason: "vendor VPC, reviewed" }] } })).to.deep.equal([]);
        const app = [...stack(true), res(TGW, "tgw-app", { vpcId: "vpc-1", transitGatewayId: "tgw-1", subnetIds: ["subnet-app"] })];
        expect((await run(app)).length).to.equal(1);
        expect(await run(app, { config: { tagKeys: { tier: "team:tier" } } })).to.deep.equal([]);
    });

    it("rejects a malformed account id in words, and a misspelt key with the nearest one", async () => {
        const badAccount = await rejection(run(stack(true), { config: { trustedAccountIds: ["12345"] } }));
        expect(badAccount).to.contain(`invalid config for policy '${NO_UNAPPROVED_NETWORK_PATHS}': trustedAccountIds contains "12345", which is not a 12-digit account id`);
        const misspelt = await rejection(run(stack(true), { config: { allowedEndpointService: ["x"] } }));
        expect(misspelt).to.contain(
            `invalid config for policy '${NO_UNAPPROVED_NETWORK_PATHS}': allowedEndpointService is not a config key of this policy (did you mean allowedEndpointServices?)`,
        );
    });
});
