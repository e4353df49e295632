import { expect } from "chai";
import { subnetPlanDefects, Tier } from "../../config";
import { carveSubnets, cidrContains, CidrDefect, cidrsOverlap, parseCidr, Cidr } from "../../config/cidr";

function cidr(text: string): Cidr {
    const parsed = parseCidr(text);
    if (!("cidr" in parsed)) {
        throw new Error(`test CIDR ${text} is invalid`);
    }
    return parsed.cidr;
}

describe("CIDR maths", () => {
    it("parses IPv4 and IPv6 network addresses", () => {
        expect(cidr("10.0.0.0/16")).to.include({ kind: "ipv4", prefixLength: 16, text: "10.0.0.0/16" });
        expect(cidr("2001:db8::/32")).to.include({ kind: "ipv6", prefixLength: 32 });
    });

    it("rejects host bits and says which network was meant", () => {
        expect(parseCidr("10.0.3.7/22")).to.deep.equal({ defect: CidrDefect.HostBitsSet, networkAddress: "10.0.0.0/22" });
        expect(parseCidr("10.0.0.0")).to.deep.equal({ defect: CidrDefect.Syntax });
        expect(parseCidr("10.0.0.0/40")).to.deep.equal({ defect: CidrDefect.Syntax });
    });

    it("detects overlap in either direction and never across families", () => {
        expect(cidrsOverlap(cidr("10.0.0.0/16"), cidr("10.0.128.0/20"))).to.equal(true);
        expect(cidrsOverlap(cidr("10.0.128.0/20"), cidr("10.0.0.0/16"))).to.equal(true);
        expect(cidrsOverlap(cidr("10.0.0.0/17"), cidr("10.0.128.0/17"))).to.equal(false);
        expect(cidrsOverlap(cidr("0.0.0.0/0"), cidr("::/0"))).to.equal(false);
    });

    it("tells containment from mere overlap", () => {
        expect(cidrContains(cidr("10.0.0.0/16"), cidr("10.0.4.0/24"))).to.equal(true);
        expect(cidrContains(cidr("10.0.4.0/24"), cidr("10.0.0.0/16"))).to.equal(false);
    });

    it("carves in order, aligning each subnet to its own size", () => {
        const { subnets, overflow } = carveSubnets(cidr("10.0.0.0/24"), [
            { key: "a", prefixLength: 26 },
            { key: "b", prefixLength: 28 },
            { key: "c", prefixLength: 26 },
        ]);
        expect(subnets).to.deep.equal([
            { key: "a", cidr: "10.0.0.0/26" },
            { key: "b", cidr: "10.0.0.64/28" },
            { key: "c", cidr: "10.0.0.128/26" },
        ]);
        expect(overflow).to.deep.equal([]);
    });

    it("reports what does not fit instead of wrapping past the block", () => {
        const { subnets, overflow } = carveSubnets(cidr("10.0.0.0/24"), [
            { key: "a", prefixLength: 25 },
            { key: "b", prefixLength: 25 },
            { key: "c", prefixLength: 28 },
        ]);
        expect(subnets.map((s) => s.cidr)).to.deep.equal(["10.0.0.0/25", "10.0.0.128/25"]);
        expect(overflow).to.deep.equal([{ key: "c", prefixLength: 28 }]);
    });
});

describe("subnetPlanDefects", () => {
    const vpc = cidr("10.20.0.0/16");

    it("accepts a plan of disjoint subnets inside the VPC", () => {
        expect(
            subnetPlanDefects(vpc, [
                { tier: Tier.App, availabilityZone: "eu-west-1a", cidr: "10.20.0.0/20" },
                { tier: Tier.Data, availabilityZone: "eu-west-1a", cidr: "10.20.16.0/24" },
            ]),
        ).to.deep.equal([]);
    });

    it("names every subnet that escapes the VPC and every overlapping pair", () => {
        expect(
            subnetPlanDefects(vpc, [
                { tier: Tier.App, availabilityZone: "eu-west-1a", cidr: "10.20.0.0/20" },
                { tier: Tier.Data, availabilityZone: "eu-west-1a", cidr: "10.20.8.0/24" },
                { tier: Tier.Egress, availabilityZone: "eu-west-1a", cidr: "10.21.0.0/26" },
            ]),
        ).to.deep.equal(["computed subnets 10.20.0.0/20 and 10.20.8.0/24 overlap", "computed subnet 10.21.0.0/26 falls outside the VPC block"]);
    });
});
