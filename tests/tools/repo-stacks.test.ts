// This repo's own program and policy pack, offline: both stacks in both modes must pass with no
// mandatory violation, and `npm run preview -- --stack prod --format json` must print the report.
import { expect } from "chai";
import { ExitCode } from "../../tools/preview";
import { Diagnostic } from "../../tools/lib/analyzer";
import { analyzeRecorded } from "../../tools/lib/preview";
import { recordStack, RecordedStack, RunMode } from "../../tools/lib/recorder";
import { JsonReport } from "../../tools/lib/report";
import { cli, POLICY_PACK, realPack, REPO_ROOT } from "./helpers";

// The only advisories a first preview may show: policies saying a value is not known yet.
const UNKNOWN_ADVISORY = /^can't (run policy|fully check) /;

interface Run {
    recorded: RecordedStack;
    violations: Diagnostic[];
}

async function previewStack(stack: string, modes: RunMode[]): Promise<Map<RunMode, Run>> {
    const [servers, ...recorded] = await Promise.all([
        realPack(stack, REPO_ROOT),
        ...modes.map((mode) => recordStack({ programDir: REPO_ROOT, stack, mode })),
    ]);
    const runs = new Map<RunMode, Run>();
    for (const r of recorded) {
        runs.set(r.mode, { recorded: r, violations: await analyzeRecorded(r.resources, servers) });
    }
    return runs;
}

describe("this repo's stacks through the offline preview and the real policy pack", function () {
    this.timeout(600_000);
    let dev: Map<RunMode, Run>;
    let prodPlan: Map<RunMode, Run>;
    let prodCli: { code: ExitCode; stdout: string; stderr: string };

    before(async () => {
        [dev, prodPlan, prodCli] = await Promise.all([
            previewStack("dev", ["preview", "plan"]),
            previewStack("prod", ["plan"]),
            cli("--program", REPO_ROOT, "--stack", "prod", "--policy-pack", POLICY_PACK, "--format", "json"),
        ]);
    });

    for (const [stack, mode] of [["dev", "preview"], ["dev", "plan"], ["prod", "plan"]] as const) {
        it(`${stack} (${mode}): no mandatory violation${mode === "plan" ? " and no advisory either" : ", advisories only for values unknown at preview"}`, () => {
            const run = (stack === "dev" ? dev : prodPlan).get(mode) as Run;
            expect(run.recorded.project).to.equal("trace-network");
            expect(run.violations.filter((v) => v.enforcementLevel !== "advisory").map((v) => `${v.policy}: ${v.message}`)).to.deep.equal([]);
            const advisories = run.violations.map((v) => v.message);
            if (mode === "plan") {
                expect(advisories).to.deep.equal([]);
            } else {
                expect(advisories.filter((m) => !UNKNOWN_ADVISORY.test(m))).to.deep.equal([]);
            }
        });
    }

    it("records the same resources in both modes", () => {
        const urns = (m: RunMode): string[] => (dev.get(m) as Run).recorded.resources.map((r) => r.urn).sort();
        expect(urns("plan")).to.deep.equal(urns("preview"));
    });

    it("knows in plan mode the VPC's main route table, which the program's DefaultRouteTable adopts, as a deployed stack does", () => {
        const resources = (dev.get("plan") as Run).recorded.resources;
        const vpc = resources.find((r) => r.type === "aws:ec2/vpc:Vpc");
        const adopter = resources.find((r) => r.type === "aws:ec2/defaultRouteTable:DefaultRouteTable");
        expect(vpc?.outputs.defaultRouteTableId).to.match(/^rtb-0[0-9a-f]{16}$/);
        expect(vpc?.outputs.mainRouteTableId).to.equal(vpc?.outputs.defaultRouteTableId);
        expect(vpc?.outputs.defaultSecurityGroupId).to.match(/^sg-0[0-9a-f]{16}$/);
        expect(vpc?.outputs.defaultNetworkAclId).to.match(/^acl-0[0-9a-f]{16}$/);
        expect(adopter?.inputs.defaultRouteTableId).to.equal(vpc?.outputs.defaultRouteTableId);
        expect(adopter?.id).to.equal(vpc?.outputs.defaultRouteTableId);
    });

    it("`--stack prod --format json` exits 0 and prints the documented report", () => {
        expect(prodCli.stderr).to.equal("");
        expect(prodCli.code).to.equal(ExitCode.Clean);
        const report = JSON.parse(prodCli.stdout) as JsonReport;
        expect(Object.keys(report)).to.deep.equal(["project", "stack", "mode", "resources", "policyPacks", "violations", "summary", "cost"]);
        expect([report.project, report.stack, report.mode]).to.deep.equal(["trace-network", "prod", "preview"]);
        expect(report.policyPacks).to.deep.equal([{ name: "trace-network-guardrails", version: "0.1.0" }]);
        expect(report.summary.mandatory).to.equal(0);
        expect(report.summary.resources).to.equal(report.resources.length);
        expect(report.summary.advisory).to.equal(report.violations.length);
        expect(report.violations.filter((v) => !UNKNOWN_ADVISORY.test(v.message))).to.deep.equal([]);
        // The same program in plan mode registered the same resources.
        expect(report.resources.map((r) => r.urn).sort()).to.deep.equal(((prodPlan.get("plan") as Run).recorded.resources.map((r) => r.urn)).sort());
    });
});
