// This repo's own program and policy pack under Trace's pack config, offline: both stacks in both
// modes must pass with no mandatory violation, and `npm run preview -- --stack prod --format json` must print the report.
import { expect } from "chai";
import * as path from "path";
import { ExitCode } from "../../tools/cli";
import { Diagnostic } from "../../tools/analyze/server";
import { analyzeRecorded } from "../../tools/analyze";
import { RecordedStack, RunMode } from "../../tools/record";
import { JsonReport, textReport } from "../../tools/report/formats";
import { SourceLocator } from "../../tools/report/source";
import { plural, splitDeferred } from "../../tools/report/summary";
import { repoStack, RepoStack } from "../helpers/repo-stacks";
import { cli, POLICY_PACK, realPack, REPO_ROOT, TRACE_PACK_CONFIG } from "./helpers";

// The only advisories a first preview may show: policies saying a value is not known yet.
const UNKNOWN_ADVISORY = /^can't (run policy|fully check) /;

interface Run {
    recorded: RecordedStack;
    violations: Diagnostic[];
}

async function previewStack(stack: RepoStack, modes: RunMode[]): Promise<Map<RunMode, Run>> {
    const [servers, ...recorded] = await Promise.all([
        realPack(stack, REPO_ROOT, TRACE_PACK_CONFIG),
        ...modes.map((mode) => repoStack(stack, mode)),
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
            cli("--program", REPO_ROOT, "--stack", "prod", "--policy-pack", POLICY_PACK, "--policy-pack-config", TRACE_PACK_CONFIG, "--format", "json"),
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

    it("dev (preview): the text report ends with the summary, and the checks deferred to deployment are no ⚠️", async () => {
        const run = dev.get("preview") as Run;
        const packs = (await realPack("dev", REPO_ROOT, TRACE_PACK_CONFIG)).map((s) => s.info);
        const sources = new SourceLocator(run.recorded.resources, REPO_ROOT, path.join(REPO_ROOT, "index.ts"));
        const text = textReport({ recorded: run.recorded, packs, violations: run.violations, exemptions: { applied: [], stale: [] } }, ["policy-pack"], sources);
        const deferred = splitDeferred(run.violations).deferred;
        expect(deferred.length).to.be.greaterThan(0);
        expect(text).to.not.include("⚠️");
        expect(text).to.include("    ✅ trace-network-guardrails@v0.1.0 (local: policy-pack)\n");
        expect(text).to.include("\nChecks deferred to deployment:\n    These policies read values that are unknown until the resources exist");
        const summary = text.slice(text.lastIndexOf("\nSummary:\n") + 1).split("\n");
        expect(summary.length).to.equal(6);
        expect(summary[0]).to.equal("Summary:");
        expect(summary[1]).to.match(/^ {4}Checked \d+ policies \(\d+ mandatory, \d+ advisory\) from 1 policy pack over \d+ resources \(preview mode\)$/);
        expect(summary.slice(2)).to.deep.equal([
            "    Policy violations: 0 mandatory, 0 advisory",
            "    Exempted: none",
            `    Deferred to deployment: ${plural(deferred.length, "check")} of ${plural(new Set(deferred.map((c) => c.diagnostic.policy)).size, "policy", "policies")}`,
            "",
        ]);
    });

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
        expect(Object.keys(report)).to.deep.equal(["project", "stack", "mode", "resources", "policyPacks", "violations", "deferred", "exemptions", "staleExemptions", "placeholderAnswers", "summary", "cost"]);
        // Trace's one exemption: its secrets, whose values are set out of band, take no rotation
        // schedule (config/trace.json says why); it applies to each of prod's seven secrets and is not stale.
        expect(report.exemptions.map((e) => [e.policy, e.type])).to.deep.equal(Array(7).fill(["keys-and-secrets-rotated", "aws:secretsmanager/secret:Secret"]));
        expect(report.staleExemptions).to.deep.equal([]);
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
