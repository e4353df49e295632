import { expect } from "chai";
import { PolicyResource } from "@pulumi/policy";

import { parseAllowlist } from "../../../../policy-pack/lib/cidr";
import { NetworkModel } from "../../../../policy-pack/lib/reachability/network";
import { KnownValues, resolveRefs } from "../../../../policy-pack/lib/reachability/refs";
import { DestinationVerdict, Family, TargetKind, readDestination, readTarget } from "../../../../policy-pack/lib/reachability/routes";
import { TYPES as T } from "../../../../policy-pack/lib/reachability/types";
import { Tri, flag, peekPath, refValues } from "../../../../policy-pack/lib/reachability/values";
import { StackIndex } from "../../../../policy-pack/lib/stack";
import { UNKNOWN } from "./stack-builder";

/** A resource as the analyzer hands it to a stack policy (no proxy: these helpers only peek). */
function resource(type: string, name: string, props: Record<string, unknown> = {}, deps: Record<string, PolicyResource[]> = {}): PolicyResource {
    return { type, name, urn: `urn:pulumi:dev::t::${type}::${name}`, props, propertyDependencies: deps, dependencies: Object.values(deps).flat(), isProvider: false } as unknown as PolicyResource;
}

const SUBNET = new Set([T.subnet]);
const ALLOWED = parseAllowlist(["10.0.0.0/8", "fd00::/8"]).cidrs;

describe("reachability helpers", () => {
    describe("values", () => {
        it("peekPath stops at the first unknown and returns it, without throwing", () => {
            expect(peekPath({ a: UNKNOWN }, ["a", "b", "c"])).to.equal(UNKNOWN);
            expect(peekPath({ a: { b: 3 } }, ["a", "b"])).to.equal(3);
            expect(peekPath({ a: 3 }, ["a", "b"])).to.equal(undefined);
        });

        it("flag is Yes for true and \"true\", Unknown for the sentinel, No for anything else", () => {
            expect([true, "true", UNKNOWN, false, "yes", 1, undefined].map(flag)).to.deep.equal([Tri.Yes, Tri.Yes, Tri.Unknown, Tri.No, Tri.No, Tri.No, Tri.No]);
        });

        it("refValues splits known strings from unknowns; a whole unknown list counts as one", () => {
            expect(refValues(["subnet-1", UNKNOWN, UNKNOWN, 7, ""])).to.deep.equal({ known: ["subnet-1"], unknown: 2 });
            expect(refValues(UNKNOWN)).to.deep.equal({ known: [], unknown: 1 });
            expect(refValues("subnet-2")).to.deep.equal({ known: ["subnet-2"], unknown: 0 });
        });
    });

    describe("resolveRefs", () => {
        const a = resource(T.subnet, "a", { id: "subnet-a" });
        const b = resource(T.subnet, "b", { id: "subnet-b" });
        const sg = resource("aws:ec2/securityGroup:SecurityGroup", "sg", { id: "sg-1" });
        const known = new KnownValues(new StackIndex([a, b, sg]));

        it("resolves known ids, and keeps ids of no stack resource as external", () => {
            const w = resource(T.lambdaFunction, "f");
            expect(resolveRefs(w, "vpcConfig", ["subnet-a", "subnet-0ext", "sg-1"], SUBNET, known)).to.deep.equal({ inStack: [a], external: ["subnet-0ext", "sg-1"], untraced: false });
        });

        it("resolves unknown values through the property's dependencies of the wanted type only", () => {
            const w = resource(T.lambdaFunction, "f", {}, { vpcConfig: [b, sg] });
            expect(resolveRefs(w, "vpcConfig", [UNKNOWN, UNKNOWN], SUBNET, known)).to.deep.equal({ inStack: [b], external: [], untraced: false });
        });

        it("flags an unknown value that no dependency explains", () => {
            const w = resource(T.lambdaFunction, "f", {}, { vpcConfig: [sg] });
            expect(resolveRefs(w, "vpcConfig", [UNKNOWN], SUBNET, known)).to.deep.equal({ inStack: [], external: [], untraced: true });
        });

        it("uses the dependencies when the value is absent (an output the engine left unset)", () => {
            const w = resource(T.rdsInstance, "db", {}, { subnetId: [a] });
            expect(resolveRefs(w, "subnetId", undefined, SUBNET, known)).to.deep.equal({ inStack: [a], external: [], untraced: false });
        });
    });

    describe("routes", () => {
        const igw = resource(T.internetGateway, "igw", { id: "igw-1" });
        const vgw = resource(T.vpnGateway, "vgw", { id: "vgw-1" });
        const known = new KnownValues(new StackIndex([igw, vgw]));
        const same = (k: string) => k;

        it("identifies gatewayId targets by stack resource, by id prefix outside the stack, and 'local'", () => {
            const route = resource(T.route, "r");
            const kind = (gatewayId: unknown) => readTarget(route, { gatewayId }, same, known)?.kind;
            expect([kind("igw-1"), kind("vgw-1"), kind("igw-0ext"), kind("vgw-0ext"), kind("vpce-0ext"), kind("local"), kind("gw-0ext")]).to.deep.equal([
                TargetKind.InternetGateway,
                TargetKind.VirtualPrivateGateway,
                TargetKind.InternetGateway,
                TargetKind.VirtualPrivateGateway,
                TargetKind.GatewayEndpoint,
                TargetKind.Local,
                undefined,
            ]);
        });

        it("leaves an unknown gatewayId unidentified when its dependencies hold gateways of different kinds", () => {
            const table = resource(T.routeTable, "rt", {}, { routes: [igw, vgw] });
            expect(readTarget(table, { gatewayId: UNKNOWN }, () => "routes", known)).to.deep.equal({ kind: undefined, text: "internet gateway 'igw' or virtual private gateway 'vgw'" });
        });

        it("the key fixes the kind of every other target, in or out of the stack", () => {
            const route = resource(T.route, "r");
            expect(readTarget(route, { natGatewayId: "nat-0ext" }, same, known)).to.deep.equal({ kind: TargetKind.NatGateway, text: "NAT gateway nat-0ext (outside this stack)" });
            expect(readTarget(route, { natGatewayId: UNKNOWN }, same, known)).to.deep.equal({
                kind: TargetKind.NatGateway,
                text: "a NAT gateway known only after deployment, from no resource of this stack",
            });
        });

        it("classifies destinations against the allowlist, per address family", () => {
            const ctx = { allowed: ALLOWED, known, prefixListEntries: () => ({ cidrs: [], unknown: false }) };
            const route = resource(T.route, "r");
            const dest = (d: Record<string, unknown>) => readDestination(route, d, same, ctx);
            expect(dest({ destinationCidrBlock: "10.1.0.0/16" })?.verdict).to.equal(DestinationVerdict.Inside);
            expect(dest({ destinationCidrBlock: "11.0.0.0/8" })).to.deep.equal({ verdict: DestinationVerdict.Outside, text: "11.0.0.0/8", families: [Family.Ipv4] });
            expect(dest({ destinationIpv6CidrBlock: "fd00:1::/32" })?.verdict).to.equal(DestinationVerdict.Inside);
            expect(dest({ destinationIpv6CidrBlock: "2000::/3" })).to.deep.equal({ verdict: DestinationVerdict.Outside, text: "2000::/3", families: [Family.Ipv6] });
            expect(dest({ destinationCidrBlock: UNKNOWN })?.verdict).to.equal(DestinationVerdict.Unproven);
            expect(dest({ destinationCidrBlock: "10.0.0.0/33" })?.verdict).to.equal(DestinationVerdict.Unproven);
            expect(dest({})).to.equal(undefined);
        });
    });

    describe("NetworkModel", () => {
        const vpc = resource(T.vpc, "vpc", { id: "vpc-1", mainRouteTableId: "rtb-main" });
        const main = resource(T.routeTable, "main-rt", { id: "rtb-2" });
        const own = resource(T.routeTable, "own-rt", { id: "rtb-3" });
        const associated = resource(T.subnet, "associated", { id: "subnet-1", vpcId: "vpc-1", mapPublicIpOnLaunch: true });
        const loose = resource(T.subnet, "loose", { id: "subnet-2", vpcId: "vpc-1" });
        const index = new StackIndex([
            vpc,
            main,
            own,
            associated,
            loose,
            resource(T.routeTableAssociation, "assoc", { subnetId: "subnet-1", routeTableId: "rtb-3" }),
            resource(T.mainRouteTableAssociation, "main-assoc", { vpcId: "vpc-1", routeTableId: "rtb-2" }),
            resource(T.route, "via-main-id", { routeTableId: "rtb-main", destinationCidrBlock: "0.0.0.0/0", natGatewayId: "nat-1" }),
        ]);
        const net = new NetworkModel(index, ALLOWED);

        it("an explicit association wins; without one, the main route table association decides", () => {
            expect(net.routingOf(associated).tables.map((u) => [u.table.label, u.how])).to.deep.equal([["route table 'own-rt'", "explicit association"]]);
            expect(net.routingOf(loose).tables.map((u) => [u.table.label, u.how])).to.deep.equal([
                ["route table 'main-rt'", "the VPC's main route table through main route table association 'main-assoc'; no explicit association"],
            ]);
            // The NAT route went to the VPC's original main table, which is no longer the main one.
            expect(net.routingOf(loose).tables[0].table.routes).to.deep.equal([]);
        });

        it("reads the subnet's public address settings and computes each subnet once", () => {
            const first = net.routingOf(associated);
            expect([first.mapPublicIpOnLaunch, first.assignIpv6AddressOnCreation]).to.deep.equal([Tri.Yes, Tri.No]);
            expect(net.routingOf(associated)).to.equal(first);
        });
    });
});
