// What `pulumi preview --policy-pack` hands a policy pack, checked through the offline tool: URNs as
// the engine builds them, where a violation is filed, the config a dynamic provider gets, and
// computed outputs (unknown at preview, known after a deployment).
import { expect } from "chai";
import { PolicyPackServer } from "../../tools/analyze/server";
import { analyzeRecorded, readPackConfigs, startPacks } from "../../tools/analyze";
import { stackContextFor } from "../../tools/project";
import { recordStack, RecordedStack, UNKNOWN } from "../../tools/record";
import { Diagnostic } from "../../tools/analyze/server";
import { conformanceProgram, PROBE_PACK } from "./helpers";

const ENGINE = conformanceProgram("engine");
const U = "urn:pulumi:test::conf-engine::";
const STACK = `${U}pulumi:pulumi:Stack::conf-engine-test`;
const DEFAULT_AWS = `${U}pulumi:providers:aws::default_7_48_0`;
const EXPLICIT = `${U}conf:index:A$pulumi:providers:aws::explicit`;

function messageOf(ds: Diagnostic[], policy: string): string[] {
    return ds.filter((d) => d.policy === policy).map((d) => d.message.slice(d.message.indexOf("\n") + 1));
}

describe("conformance: what the engine hands a policy pack", () => {
    let servers: PolicyPackServer[];
    const runs = new Map<string, { recorded: RecordedStack; diagnostics: Diagnostic[] }>();

    before(async () => {
        const [started, preview, plan] = await Promise.all([
            startPacks(readPackConfigs([{ dir: PROBE_PACK }]), stackContextFor(ENGINE, "test", "preview")),
            recordStack({ programDir: ENGINE, stack: "test", mode: "preview" }),
            recordStack({ programDir: ENGINE, stack: "test", mode: "plan" }),
        ]);
        servers = started;
        for (const recorded of [preview, plan]) {
            runs.set(recorded.mode, { recorded, diagnostics: await analyzeRecorded(recorded.resources, servers) });
        }
    });

    after(() => servers?.forEach((s) => s.close()));

    it("builds URNs as resource.NewURN: no root stack type at the top, the whole ancestor chain below", () => {
        const [listed] = messageOf(runs.get("preview")!.diagnostics, "urns");
        const rows = JSON.parse(listed) as [string, string | null, string | null][];
        expect(rows).to.deep.include.members([
            [STACK, null, null],
            [`${U}aws:s3/bucket:Bucket::top`, STACK, DEFAULT_AWS],
            [`${U}conf:index:A::a`, STACK, null],
            [`${U}conf:index:A$conf:index:B::b`, `${U}conf:index:A::a`, null],
            [`${U}conf:index:A$conf:index:B$conf:index:C::c`, `${U}conf:index:A$conf:index:B::b`, null],
            [`${U}conf:index:A$conf:index:B$conf:index:C$aws:s3/bucket:Bucket::leaf`, `${U}conf:index:A$conf:index:B$conf:index:C::c`, DEFAULT_AWS],
            [EXPLICIT, `${U}conf:index:A::a`, null],
            [`${U}conf:index:A$conf:index:B$aws:s3/bucket:Bucket::via-explicit`, `${U}conf:index:A$conf:index:B::b`, EXPLICIT],
            [`${U}pulumi-nodejs:dynamic:Resource::dyn`, STACK, `${U}pulumi:providers:pulumi-nodejs::default`],
        ]);
        expect(rows.map(([urn]) => urn).filter((u) => u.includes("pulumi:pulumi:Stack$"))).to.deep.equal([]);
    });

    it("files a validateResource violation under the resource analyzed, whatever URN the policy names", () => {
        for (const mode of ["preview", "plan"]) {
            const misfiled = runs.get(mode)!.diagnostics.filter((d) => d.policy === "misfiled");
            expect(misfiled.map((d) => d.urn), mode).to.deep.equal([`${U}aws:s3/bucket:Bucket::victim`]);
        }
    });

    it("gives the dynamic provider the whole stack config, namespaces kept", () => {
        expect(messageOf(runs.get("preview")!.diagnostics, "dynamic-provider-config").map((m) => JSON.parse(m))).to.deep.equal([
            { "aws:region": "eu-west-1", "conf-engine:greeting": "hello", "other:flag": "true" },
        ]);
    });

    it("leaves a new resource's computed outputs unknown in AnalyzeStack at preview, not absent", () => {
        const vpc = runs.get("preview")!.recorded.resources.find((r) => r.type === "aws:ec2/vpc:Vpc")!;
        expect(vpc.outputs.arn).to.equal(UNKNOWN);
        expect(vpc.outputs.ownerId).to.equal(UNKNOWN);
        expect(vpc.outputs.cidrBlock).to.equal("10.0.0.0/16");
        // The policy reads the arn: @pulumi/policy reports that it cannot run at preview.
        const diagnostics = runs.get("preview")!.diagnostics.filter((d) => d.policy === "vpc-arn");
        expect(diagnostics).to.have.length(1);
        expect(diagnostics[0].message).to.include("can't be known during preview");
    });

    it("knows every declared output after a deployment (plan mode)", () => {
        const [seen] = messageOf(runs.get("plan")!.diagnostics, "vpc-arn");
        expect(seen).to.match(/^arn=arn:aws:ec2:eu-west-1:123456789012:vpc\/vpc-0[0-9a-f]{16} ownerId=123456789012$/);
    });
});
