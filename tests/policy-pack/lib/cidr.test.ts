import { expect } from "chai";

import { CidrVerdict, classifyCidr, parseAllowlist } from "../../../policy-pack/lib/cidr";

const RFC1918 = parseAllowlist(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]).cidrs;

describe("lib/cidr", () => {
    it("classifies private ranges as inside and every way to reach the internet as outside", () => {
        const table: [string, CidrVerdict][] = [
            ["10.0.0.0/8", CidrVerdict.Inside],
            ["10.1.2.3/32", CidrVerdict.Inside],
            ["172.31.255.0/24", CidrVerdict.Inside],
            ["192.168.1.0/24", CidrVerdict.Inside],
            ["0.0.0.0/0", CidrVerdict.Outside],
            ["0.0.0.0/1", CidrVerdict.Outside],
            ["128.0.0.0/1", CidrVerdict.Outside],
            ["8.8.8.8/32", CidrVerdict.Outside],
            ["10.0.0.0/7", CidrVerdict.Outside],
            ["172.32.0.0/16", CidrVerdict.Outside],
            ["::/0", CidrVerdict.Outside],
            ["::ffff:10.0.0.1/128", CidrVerdict.Outside],
            ["fd00::/8", CidrVerdict.Outside],
            ["10.0.0.0", CidrVerdict.Invalid],
            ["example.com", CidrVerdict.Invalid],
            ["1.2.3.4/33", CidrVerdict.Invalid],
        ];
        expect(table.map(([c]) => [c, classifyCidr(c, RFC1918)])).to.deep.equal(table);
    });

    it("handles IPv6 allowlists without mixing families", () => {
        const v6 = parseAllowlist(["fd00::/8"]).cidrs;
        expect(["fd12:3456::/64", "fc00::/8", "10.0.0.0/8"].map((c) => classifyCidr(c, v6))).to.deep.equal([
            CidrVerdict.Inside,
            CidrVerdict.Outside,
            CidrVerdict.Outside,
        ]);
    });

    it("returns every entry of an allowlist that is not a CIDR, with its position and what is wrong with it", () => {
        expect(parseAllowlist(["10.0.0.0/8", "10.0.0.0", "nope"]).invalid).to.deep.equal([
            { text: "10.0.0.0", index: 1, defect: "has no prefix length; write it as address/length, e.g. 10.0.0.0/8" },
            { text: "nope", index: 2, defect: "\"nope\" is not an IPv4 or IPv6 address" },
        ]);
    });
});
