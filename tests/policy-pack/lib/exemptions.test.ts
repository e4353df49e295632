import { expect } from "chai";

import { findExemption, globToRegExp, matchesResource } from "../../../policy-pack/lib/exemptions";

const r = { urn: "urn:pulumi:prod::ledger::aws:ec2/natGateway:NatGateway::legacy-nat-a", name: "legacy-nat-a" };

describe("lib/exemptions", () => {
    it("matches names with * and ? and treats everything else literally", () => {
        expect(matchesResource("legacy-nat-*", r)).to.equal(true);
        expect(matchesResource("legacy-nat-?", r)).to.equal(true);
        expect(matchesResource("legacy-nat", r)).to.equal(false);
        expect(matchesResource("legacy.nat.a", r)).to.equal(false);
        expect(globToRegExp("a(b)[c]+").test("a(b)[c]+")).to.equal(true);
    });

    it("matches patterns starting with urn: against the URN, across its separators", () => {
        expect(matchesResource("urn:pulumi:prod::ledger::*::legacy-*", r)).to.equal(true);
        expect(matchesResource("urn:pulumi:dev::*", r)).to.equal(false);
    });

    it("finds the first exemption for this policy, ignoring those scoped to another", () => {
        const list = [
            { resource: "legacy-*", reason: "other", policy: "rds-storage-encrypted" },
            { resource: "legacy-*", reason: "mine" },
        ];
        expect(findExemption(list, "no-nat-gateways", r)?.reason).to.equal("mine");
        expect(findExemption(list.slice(0, 1), "no-nat-gateways", r)).to.equal(undefined);
    });
});
