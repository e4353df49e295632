// The pack's hook on @pulumi/policy's deserialiser (policy-pack/lib/deserialize.ts), through the
// server's own Analyze and AnalyzeStack handlers.

import { expect } from "chai";
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

import { wireFormOf } from "../../../policy-pack/lib/deserialize";
import { runResourcePolicies, runStackPolicies, secret } from "../../helpers/policy-harness";
import { rejection } from "../support";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const proxy: { getSpecialProxyTarget: string } = require("@pulumi/policy/proxy");

function targetOf(props: Record<string, unknown>): object {
    return props[proxy.getSpecialProxyTarget] as object;
}

function resourceProbe(name: string, seen: object[]): ResourceValidationPolicy {
    return { name, description: "d", validateResource: (args) => void seen.push(targetOf(args.props)) };
}

function stackProbe(name: string, seen: object[][]): StackValidationPolicy {
    return { name, description: "d", validateStack: (args) => void seen.push(args.resources.map((r) => targetOf(r.props))) };
}

describe("policy-pack/lib/deserialize: one deserialisation per resource and request", () => {
    it("Analyze: every policy gets the same properties object; the next request gets its own", async () => {
        const seen: object[] = [];
        const policies = [resourceProbe("a", seen), resourceProbe("b", seen)];
        await runResourcePolicies(policies, { type: "t:m:R", name: "r", props: { cidrBlock: "10.0.0.0/16" } });
        await runResourcePolicies(policies, { type: "t:m:R", name: "r", props: { cidrBlock: "10.0.0.0/16" } });
        expect(seen).to.have.length(4);
        expect(seen[0]).to.equal(seen[1]);
        expect(seen[2]).to.equal(seen[3]);
        expect(seen[0]).to.not.equal(seen[2]);
        expect(seen[0]).to.deep.equal({ cidrBlock: "10.0.0.0/16" });
    });

    it("AnalyzeStack: every policy gets the same object per resource, distinct between resources", async () => {
        const seen: object[][] = [];
        await runStackPolicies([stackProbe("a", seen), stackProbe("b", seen)], [
            { type: "t:m:R", name: "one", props: { n: 1 } },
            { type: "t:m:R", name: "two", props: { n: 2 } },
        ]);
        expect(seen).to.have.length(2);
        expect(seen[0][0]).to.equal(seen[1][0]);
        expect(seen[0][1]).to.equal(seen[1][1]);
        expect(seen[0][0]).to.not.equal(seen[0][1]);
        expect(seen[0]).to.deep.equal([{ n: 1 }, { n: 2 }]);
    });

    it("keeps the wire form the properties came from, secret envelopes included", async () => {
        const seen: object[] = [];
        await runResourcePolicies([resourceProbe("a", seen)], { type: "t:m:R", name: "r", props: { password: secret("hunter2") } });
        expect(seen[0]).to.deep.equal({ password: "hunter2" });
        expect(wireFormOf(seen[0])?.toJavaScript()).to.deep.equal({ password: secret("hunter2") });
    });

    it("a policy that writes into its props fails the harness, since later policies would see the write", async () => {
        const writer: ResourceValidationPolicy = {
            name: "writer",
            description: "d",
            validateResource: (args) => {
                (args.props as Record<string, unknown>)["cidrBlock"] = "0.0.0.0/0";
            },
        };
        const message = await rejection(runResourcePolicies([writer], { type: "t:m:R", name: "r", props: { cidrBlock: "10.0.0.0/16" } }));
        expect(message).to.equal('a policy changed the props it was given: {"cidrBlock":"0.0.0.0/0"} was deserialised as {"cidrBlock":"10.0.0.0/16"}');
    });
});
