import { expect } from "chai";
import { specialSecretSig, specialSigKey, unknownValue as U } from "@pulumi/pulumi/runtime/rpc";

import { markSecretOutputs } from "../../../tools/record/secret-outputs";

const envelope = { sigKey: specialSigKey, secretSig: specialSecretSig };
const secret = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });

describe("secret outputs: a mock's answer marked as the engine marks additionalSecretOutputs", () => {
    it("wraps every listed output that is present (unknown ones too), never id, never twice, and leaves the rest", () => {
        const out = markSecretOutputs({ id: "r-1", result: "p4ss", later: U, kept: secret("s"), plain: "x" }, ["id", "result", "later", "kept", "absent"], envelope);
        expect(out).to.deep.equal({ id: "r-1", result: secret("p4ss"), later: secret(U), kept: secret("s"), plain: "x" });
    });

    it("returns a copy: the recorded inputs the mock answered with are not changed", () => {
        const inputs = { secretString: "v" };
        markSecretOutputs(inputs, ["secretString"], envelope);
        expect(inputs).to.deep.equal({ secretString: "v" });
    });
});
