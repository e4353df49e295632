import { expect } from "chai";
import { specialSecretSig, specialSigKey, unknownValue as U } from "@pulumi/pulumi/runtime/rpc";

import { providerUrn, toAnalyzerProperties, toAnalyzerValue } from "../../../tools/analyze/properties";

const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });

describe("analyzer properties: recorded values as the engine sends them to a policy pack", () => {
    it("downgrades resource references and output values the way the engine marshals them for analyzers", () => {
        const sig = "4dabf18193072939515e22adb298388d";
        const wire = toAnalyzerValue({
            custom: { [sig]: "5cf8f73096256a8f31e491e813e4eb8e", urn: "urn:x", id: "sg-1" },
            customUnknown: { [sig]: "5cf8f73096256a8f31e491e813e4eb8e", urn: "urn:x", id: "" },
            component: { [sig]: "5cf8f73096256a8f31e491e813e4eb8e", urn: "urn:c" },
            out: { [sig]: "d0e6a833031e9bbcd3f4e8bde6ca49a4", value: ["a"] },
            outUnknown: { [sig]: "d0e6a833031e9bbcd3f4e8bde6ca49a4" },
            outSecret: { [sig]: "d0e6a833031e9bbcd3f4e8bde6ca49a4", value: "s", secret: true },
        });
        expect(wire).to.deep.equal({ custom: "sg-1", customUnknown: U, component: "urn:c", out: ["a"], outUnknown: U, outSecret: secret("s") });
    });

    it("drops the engine's internal top-level keys and undefined values, keeping unknowns and secrets", () => {
        expect(toAnalyzerProperties({ __defaults: ["name"], name: "jobs", later: U, gone: undefined, nested: { __kept: 1, pw: secret("x") } })).to.deep.equal({
            name: "jobs",
            later: U,
            nested: { __kept: 1, pw: secret("x") },
        });
    });

    it("takes the provider's URN from a provider reference, whose URN itself contains '::'", () => {
        expect(providerUrn("urn:pulumi:dev::trace::pulumi:providers:aws::default::0b1c-id")).to.equal("urn:pulumi:dev::trace::pulumi:providers:aws::default");
    });
});
