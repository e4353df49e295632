import { expect } from "chai";

import { didYouMean, editDistance, nearestName } from "../../../policy-pack/lib/nearest";

describe("lib/nearest: the name a misspelling meant", () => {
    it("counts insertions, deletions and substitutions", () => {
        expect([editDistance("", ""), editDistance("abc", ""), editDistance("kitten", "sitting"), editDistance("allowedCidr", "allowedCidrs")]).to.deep.equal([0, 3, 3, 1]);
    });

    it("finds the nearest name within a third of the word, ignoring case, and nothing for an unrelated word", () => {
        const keys = ["enforcementLevel", "tagKeys", "allowedCidrs", "exemptions", "allowedPrefixListIds"];
        expect(["allowedCidr", "enforcmentLevel", "Exemption", "tagkeys", "AllowedCIDRS", "banana", "cidrs"].map((w) => nearestName(w, keys))).to.deep.equal([
            "allowedCidrs", "enforcementLevel", "exemptions", "tagKeys", "allowedCidrs", undefined, undefined,
        ]);
        expect([didYouMean("no-nat-gateway", ["no-nat-gateways", "lambda-vpc-attached"]), didYouMean("zzz", ["no-nat-gateways"])]).to.deep.equal([
            "; did you mean no-nat-gateways?", "",
        ]);
    });
});
