// The harness must behave like the engine + @pulumi/policy's server, or every policy test is moot.

import { expect } from "chai";
import fc from "fast-check";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as pulumi from "@pulumi/pulumi";
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

import type { RecordedOptions, RecordedResource, RecordedStack } from "../../tools/record";
import { fromRecordedStack, runResourcePolicy, runStackPolicy, secret, toStruct, urnOf } from "../helpers/policy-harness";
import { U, canNotRun, rejection } from "./support";

describe("policy harness (the engine's path through @pulumi/policy)", () => {
    it("builds the same Struct as google-protobuf's Struct.fromJavaScript, byte for byte and back", () => {
        const leaf = fc.oneof(fc.constant(null), fc.boolean(), fc.double(), fc.integer(), fc.string(), fc.constantFrom(U, "", "0", "-0"));
        const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
            tree: fc.oneof({ maxDepth: 4 }, leaf, fc.array(tie("tree"), { maxLength: 4 }), fc.dictionary(fc.string(), tie("tree"), { maxKeys: 4 })),
        }));
        const props = fc.oneof(
            fc.dictionary(fc.string(), tree, { maxKeys: 6 }),
            fc.constant({ deep: { a: [[[{ b: [null, -0, Number.NaN, Infinity, { c: secret("s") }] }]]] } }),
        );
        fc.assert(fc.property(props, (p) => {
            const fast = toStruct(p);
            const library = structproto.Struct.fromJavaScript(p as Record<string, structproto.JavaScriptValue>);
            expect(Buffer.from(fast.serializeBinary()).equals(Buffer.from(library.serializeBinary()))).to.equal(true);
            expect(fast.toJavaScript()).to.deep.equal(library.toJavaScript());
        }), { numRuns: 500, seed: 20261202 });
        expect(() => toStruct({ f: () => 1 })).to.throw("Unexpected struct type");
    });

    it("turns a policy exception into the server's error, which the engine shows as a crash", async () => {
        const crashing: ResourceValidationPolicy = {
            name: "crashing",
            description: "d",
            validateResource: () => {
                throw new Error("boom");
            },
        };
        const message = await rejection(runResourcePolicy(crashing, { type: "t:m:R", name: "r", props: {} }));
        expect(message.startsWith("Error validating resource with policy 'crashing' from policy pack 'trace-network-guardrails@v0.1.0':\nError: boom")).to.equal(true);
    });

    it("hands policies plain values for secrets, throws on unknowns, and passes stack name and tags", async () => {
        const seen: unknown[] = [];
        const probe: ResourceValidationPolicy = {
            name: "probe",
            description: "d",
            enforcementLevel: "mandatory",
            validateResource: (args) => {
                seen.push(args.props.password, args.stackTags.get("team"), pulumi.getStack(), args.urn, args.opts.parent);
                seen.push(args.props.later);
            },
        };
        const res = await runResourcePolicy(
            probe,
            { type: "t:m:R", name: "r", parent: "urn:p", props: { password: secret("hunter2"), later: U } },
            { stack: "prod", stackTags: { team: "ledger" } },
        );
        expect(seen).to.deep.equal(["hunter2", "ledger", "prod", urnOf("t:m:R", "r"), "urn:p"]);
        expect(res.diagnostics.map((d) => [d.enforcementLevel, d.message])).to.deep.equal([["advisory", canNotRun("probe", "string value at .later")]]);
    });

    it("links parents, dependencies and property dependencies to resource objects in stack policies", async () => {
        let seen: PolicyResource[] = [];
        const probe: StackValidationPolicy = { name: "probe", description: "d", validateStack: (args) => void (seen = args.resources) };
        const a = { type: "t:m:A", name: "a", props: {} };
        const b = { type: "t:m:B", name: "b", props: { ref: U }, parent: urnOf("t:m:A", "a"), dependencies: [urnOf("t:m:A", "a")], propertyDependencies: { ref: [urnOf("t:m:A", "a"), "urn:missing"] } };
        await runStackPolicy(probe, [a, b]);
        expect(seen.length).to.equal(2);
        expect(seen[1].parent).to.equal(seen[0]);
        expect(seen[1].dependencies).to.deep.equal([seen[0]]);
        expect(seen[1].propertyDependencies["ref"]).to.deep.equal([seen[0]]);
    });

    it("adapts a RecordedStack: inputs for Analyze, outputs for AnalyzeStack, provider and options passed on", async () => {
        const options: RecordedOptions = {
            protect: true,
            ignoreChanges: ["tags"],
            additionalSecretOutputs: [],
            aliases: [],
            deleteBeforeReplace: true,
            customTimeouts: { create: 60, update: 0, delete: 0 },
        };
        const base = { custom: true, dependencies: [], propertyDependencies: {}, options };
        const provider: RecordedResource = { ...base, urn: "urn:pulumi:dev::trace::pulumi:providers:aws::default", type: "pulumi:providers:aws", name: "default", inputs: { region: "eu-west-1" }, outputs: {} };
        const sg: RecordedResource = {
            ...base,
            urn: urnOf("aws:ec2/securityGroup:SecurityGroup", "jobs"),
            type: "aws:ec2/securityGroup:SecurityGroup",
            name: "jobs",
            provider: `${provider.urn}::abc`,
            inputs: { description: "in" },
            outputs: { description: "out", arn: U },
        };
        const recorded: RecordedStack = { project: "trace", stack: "dev", mode: "preview", resources: [provider, sg], stackOutputs: {}, config: {}, secretKeys: [], programOutput: "", warnings: [], placeholders: [] };
        const h = fromRecordedStack(recorded);
        expect(h.inputs[1].props).to.deep.equal({ description: "in" });
        expect(h.outputs[1].props).to.deep.equal({ description: "out", arn: U });
        expect(h.inputs[1].provider).to.deep.equal({ urn: provider.urn, type: provider.type, name: "default", props: { region: "eu-west-1" } });

        let seen: unknown[] = [];
        const probe: ResourceValidationPolicy = {
            name: "probe",
            description: "d",
            validateResource: (args) => void (seen = [args.opts, args.provider?.props.region]),
        };
        await runResourcePolicy(probe, h.inputs[1]);
        expect(seen).to.deep.equal([
            { protect: true, ignoreChanges: ["tags"], aliases: [], customTimeouts: { createSeconds: 60, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [], deleteBeforeReplace: true },
            "eu-west-1",
        ]);
    });
});
