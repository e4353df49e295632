import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ExitCode } from "../../tools/cli";
import { analyzeRecorded, exemptionsFor, readPackConfigs, startPacks } from "../../tools/analyze";
import { stackContextFor } from "../../tools/project";
import { recordStacks } from "../../tools/record";
import { JsonReport, jsonReport, ReportInput, sarifReport, textReport } from "../../tools/report/formats";
import { SourceLocator, SourceOrigin } from "../../tools/report/source";
import { cli, pack, program, REPO_ROOT } from "./helpers";
import { tempDir } from "../helpers/temp-dir";

const CONFIGS = path.join(path.dirname(pack("basic-pack")), "configs");
const BASIC = ["--program", program("basic"), "--stack", "test", "--policy-pack", pack("basic-pack")];
const PUBLIC = ["--program", program("public-subnet"), "--stack", "test", "--policy-pack", pack("basic-pack")];
const PUBLIC_STACK = "urn:pulumi:test::fixture-public-subnet::pulumi:pulumi:Stack::fixture-public-subnet-test";
const PUBLIC_SUBNET = "urn:pulumi:test::fixture-public-subnet::aws:ec2/subnet:Subnet::public-a";
const BASIC_SUBNET = "urn:pulumi:test::fixture-basic::aws:ec2/subnet:Subnet::app-a";
const UNKNOWN_VPC_ID = "string value at .vpcId can't be known during preview";

function tmpFile(name: string): string {
    return path.join(tempDir("trace-preview-"), name);
}

describe("offline preview reports (basic fixture through the tool test pack)", () => {
    let preview: ReportInput;
    let plan: ReportInput;
    const entry = path.join(program("basic"), "index.ts");
    const sources = (input: ReportInput): SourceLocator => new SourceLocator(input.recorded.resources, REPO_ROOT, entry);

    before(async () => {
        // One pack process serves both recordings: the test pack does not read the dry-run flag.
        const ctx = stackContextFor(program("basic"), "test", "preview");
        const [servers, [previewRec, planRec]] = await Promise.all([
            startPacks(readPackConfigs([{ dir: pack("basic-pack") }]), ctx),
            recordStacks([{ programDir: program("basic"), stack: "test", mode: "preview" }, { programDir: program("basic"), stack: "test", mode: "plan" }], 1),
        ]);
        try {
            const packs = servers.map((s) => s.info);
            preview = { recorded: previewRec, packs, violations: await analyzeRecorded(previewRec.resources, servers), exemptions: exemptionsFor(previewRec.resources, servers) };
            plan = { recorded: planRec, packs, violations: await analyzeRecorded(planRec.resources, servers), exemptions: exemptionsFor(planRec.resources, servers) };
        } finally {
            servers.forEach((s) => s.close());
        }
    });

    it("builds the JSON report in exactly the documented shape", () => {
        const report = jsonReport(preview, sources(preview));
        expect(Object.keys(report)).to.deep.equal(["project", "stack", "mode", "resources", "policyPacks", "violations", "deferred", "exemptions", "staleExemptions", "placeholderAnswers", "summary"]);
        expect(report.project).to.equal("fixture-basic");
        expect(report.stack).to.equal("test");
        expect(report.mode).to.equal("preview");
        expect(report.resources.map((r) => [r.type, r.name, r.parent])).to.deep.equal([
            ["pulumi:pulumi:Stack", "fixture-basic-test", null],
            ["pulumi:providers:aws", "default_7_48_0", null],
            ["aws:ec2/vpc:Vpc", "main", "urn:pulumi:test::fixture-basic::pulumi:pulumi:Stack::fixture-basic-test"],
            ["aws:ec2/subnet:Subnet", "app-a", "urn:pulumi:test::fixture-basic::pulumi:pulumi:Stack::fixture-basic-test"],
            ["aws:ec2/securityGroup:SecurityGroup", "jobs", "urn:pulumi:test::fixture-basic::pulumi:pulumi:Stack::fixture-basic-test"],
        ]);
        expect(report.policyPacks).to.deep.equal([{ name: "tool-test-pack", version: "1.2.3" }]);
        // The policy that could not run in the preview is a deferred check, not a violation.
        expect(report.violations).to.deep.equal([]);
        expect(report.deferred).to.deep.equal([{
            policyPack: "tool-test-pack", policy: "subnet-vpc-known", urn: BASIC_SUBNET, type: "aws:ec2/subnet:Subnet", name: "app-a",
            reason: UNKNOWN_VPC_ID, source: "tests/fixtures/programs/basic/index.ts:6", sourceOrigin: SourceOrigin.Resource,
        }]);
        expect([report.exemptions, report.staleExemptions]).to.deep.equal([[], []]);
        expect(report.summary).to.deep.equal({ resources: 5, toCreate: 4, mandatory: 0, advisory: 0, exempted: 0, policyPacks: 1, policies: 3, deferred: 1 });
    });

    it("sends known values in plan mode, so the policy that needed the VPC id runs and passes", () => {
        const report = jsonReport(plan, sources(plan));
        expect(report.mode).to.equal("plan");
        expect(report.violations).to.deep.equal([]);
        expect(report.deferred).to.deep.equal([]);
        expect(report.summary).to.deep.equal({ resources: 5, toCreate: 4, mandatory: 0, advisory: 0, exempted: 0, policyPacks: 1, policies: 3, deferred: 0 });
    });

    it("builds SARIF 2.1.0 with one rule per policy; a check deferred to deployment is a note of the invocation, not a result", () => {
        const log = sarifReport(preview, sources(preview), "9.9.9");
        expect(log.version).to.equal("2.1.0");
        expect(log.runs).to.have.length(1);
        const run = log.runs[0];
        expect(run.tool.driver.name).to.equal("trace-offline-preview");
        expect(run.tool.driver.version).to.equal("9.9.9");
        expect(run.tool.driver.rules?.map((r) => [r.id, r.defaultConfiguration?.level])).to.deep.equal([
            ["tool-test-pack/no-public-subnets", "error"],
            ["tool-test-pack/subnet-vpc-known", "warning"],
            ["tool-test-pack/max-security-groups", "warning"],
        ]);
        expect(run.results).to.deep.equal([]);
        expect(run.invocations).to.deep.equal([{
            executionSuccessful: true,
            toolExecutionNotifications: [{
                level: "note",
                message: { text: `aws:ec2/subnet:Subnet "app-a": subnet-vpc-known deferred to deployment: ${UNKNOWN_VPC_ID}` },
                locations: [{
                    physicalLocation: { artifactLocation: { uri: "tests/fixtures/programs/basic/index.ts" }, region: { startLine: 6, startColumn: 16 } },
                    logicalLocations: [{ fullyQualifiedName: BASIC_SUBNET, name: "app-a", kind: "resource" }],
                }],
                associatedRule: { id: "tool-test-pack/subnet-vpc-known", index: 1 },
            }],
        }]);
        expect(sarifReport(plan, sources(plan), "9.9.9").runs[0].invocations?.[0].toolExecutionNotifications).to.deep.equal([]);
    });

    it("prints a resource tree without default providers, the deferred checks under their own heading, and ends with the summary", () => {
        const text = textReport(preview, ["tests/fixtures/packs/basic-pack"], sources(preview));
        const lines = text.split("\n");
        expect(lines[0]).to.equal("Previewing update (test) of project fixture-basic offline (preview mode: outputs of new resources unknown)");
        expect(lines.filter((l) => l.startsWith(" +   ")).map((l) => l.replace(/\s+/g, " ").trim())).to.deep.equal([
            "+ pulumi:pulumi:Stack fixture-basic-test create",
            "+ ├─ aws:ec2:Vpc main create",
            "+ ├─ aws:ec2:Subnet app-a create",
            "+ └─ aws:ec2:SecurityGroup jobs create",
        ]);
        // A check that could not run yet is no warning about the stack.
        expect(text).to.not.include("⚠️");
        expect(text).to.include("    ✅ tool-test-pack@v1.2.3 (local: tests/fixtures/packs/basic-pack)\n");
        expect(text.slice(text.indexOf("Resources:"))).to.equal([
            "Resources:",
            // The default provider is analyzed but, as in `pulumi preview`, neither drawn nor counted.
            "    + 4 to create",
            "",
            "Checks deferred to deployment:",
            "    These policies read values that are unknown until the resources exist, so the analyzer could not",
            "    run them in a preview. `pulumi up` runs them against the real values before it changes anything;",
            "    `--mode plan` runs them now, against synthesised values.",
            "    - subnet-vpc-known (tool-test-pack)  aws:ec2:Subnet: app-a  at tests/fixtures/programs/basic/index.ts:6",
            `      ${UNKNOWN_VPC_ID}`,
            "",
            "Summary:",
            "    Checked 3 policies (1 mandatory, 2 advisory) from 1 policy pack over 5 resources (preview mode)",
            "    Policy violations: 0 mandatory, 0 advisory",
            "    Exempted: none",
            "    Deferred to deployment: 1 check of 1 policy",
            "",
        ].join("\n"));
        expect(textReport(plan, ["p"], sources(plan))).to.include("    Deferred to deployment: none\n");
    });
});

describe("trace-preview CLI: mandatory violations and policy config", () => {
    it("exits 1 on mandatory violations; the pack sees the stack, project, parents and dependencies", async () => {
        const out = tmpFile("report.json");
        const run = await cli(...PUBLIC, "--policy-pack-config", path.join(CONFIGS, "strict.json"), "--format", "json", "--output", out);
        expect(run.code).to.equal(ExitCode.MandatoryViolations);
        expect(run.stdout).to.include("    Policy violations: 2 mandatory, 0 advisory\n");
        const report = JSON.parse(fs.readFileSync(out, "utf8")) as JsonReport;
        expect(report.violations.map((v) => [v.policy, v.enforcementLevel, v.urn, v.message, v.source])).to.deep.equal([
            // A stack policy that names no resource is attributed to the root stack, located at the entry file.
            ["max-security-groups", "mandatory", PUBLIC_STACK, "Caps the number of security groups per stack.\n1 security groups (1 parented to the stack with dependencies), max 0", "tests/fixtures/programs/public-subnet/index.ts:1"],
            ["no-public-subnets", "mandatory", PUBLIC_SUBNET, "Subnets must not map public IPs on launch.\nsubnet public-a maps public IPs (stack test, project fixture-public-subnet)", "tests/fixtures/programs/public-subnet/index.ts:4"],
        ]);
        expect(report.deferred.map((d) => [d.policy, d.urn, d.reason])).to.deep.equal([["subnet-vpc-known", PUBLIC_SUBNET, UNKNOWN_VPC_ID]]);
        // The config made max-security-groups mandatory: the summary counts the levels in force.
        expect(report.summary).to.deep.equal({ resources: 5, toCreate: 4, mandatory: 2, advisory: 0, exempted: 0, policyPacks: 1, policies: 3, deferred: 1 });
    });

    it("serves several packs at once, each with its own config (`all: disabled` silences the first)", async () => {
        const run = await cli(...PUBLIC, "--policy-pack", pack("second-pack"), "--policy-pack-config", path.join(CONFIGS, "all-disabled.json"),
            "--policy-pack-config", path.join(CONFIGS, "second.json"), "--format", "json");
        expect(run.code).to.equal(ExitCode.MandatoryViolations);
        const report = JSON.parse(run.stdout) as JsonReport;
        expect(report.policyPacks).to.deep.equal([{ name: "tool-test-pack", version: "1.2.3" }, { name: "second-pack", version: "0.0.1" }]);
        expect(report.violations.map((v) => [v.policyPack, v.policy, v.name])).to.deep.equal([["second-pack", "vpc-needs-name-tag", "main"]]);
        // Disabled policies did not run, so they are not counted as checked.
        expect([report.summary.policyPacks, report.summary.policies]).to.deep.equal([2, 1]);
    });
});

describe("trace-preview CLI: errors exit 2 with one message naming the cause", () => {
    it("rejects a missing stack file", async () => {
        const run = await cli("--program", program("basic"), "--stack", "staging", "--policy-pack", pack("basic-pack"));
        expect(run.code).to.equal(ExitCode.Error);
        expect(run.stdout).to.equal("");
        expect(run.stderr).to.equal(
            `error: the stack configuration is invalid: stack "staging" has no config file: ${path.join(program("basic"), "Pulumi.staging.yaml")} does not exist (create it, or pick an existing stack with --stack)\n`,
        );
    });

    it("reports a throwing program with its stack trace, never as an empty preview", async () => {
        const run = await cli("--program", program("throws"), "--stack", "test", "--policy-pack", pack("basic-pack"));
        expect(run.code).to.equal(ExitCode.Error);
        expect(run.stdout).to.equal("");
        expect(run.stderr).to.match(/^error: the program failed \(1 resource registered before the failure\): Running program '.*throws' failed with an unhandled exception:\nError: fixture-throws: tier 'app' has no subnets\n {4}at validateTiers \(.*throws\/index\.ts:6:11\)/);
    });

    it("names an unanswered invoke and the --mocks flag", async () => {
        const run = await cli("--program", program("mocked-vpc"), "--stack", "test", "--policy-pack", pack("basic-pack"));
        expect(run.code).to.equal(ExitCode.Error);
        expect(run.stderr).to.include('error: the program called a data source with no offline answer (0 resources registered before the failure): the program called the data source "aws:ec2/getVpc:getVpc"');
        expect(run.stderr).to.include("--mocks <file.json>");
    });

    it("previews the same program once the invoke is answered by --mocks", async () => {
        const run = await cli("--program", program("mocked-vpc"), "--stack", "test", "--policy-pack", pack("basic-pack"),
            "--mocks", path.join(program("mocked-vpc"), "mocks.json"), "--mode", "plan", "--format", "json");
        expect(run.code).to.equal(ExitCode.Clean);
        expect((JSON.parse(run.stdout) as JsonReport).summary).to.deep.equal({ resources: 3, toCreate: 2, mandatory: 0, advisory: 0, exempted: 0, policyPacks: 1, policies: 3, deferred: 0 });
    });

    it("lists every policy config problem at once: schema errors and unknown policy names", async () => {
        const run = await cli(...PUBLIC, "--policy-pack-config", path.join(CONFIGS, "invalid.json"));
        expect(run.code).to.equal(ExitCode.Error);
        expect(run.stderr).to.equal(
            'error: validating policy config: tool-test-pack 1.2.3  max-security-groups: max: Invalid type. Expected: integer, given: string (got "five")\n' +
            "error: validating policy config: tool-test-pack 1.2.3  no-public-subnet: is not a policy of this pack (did you mean no-public-subnets?)\n",
        );
    });

    it("rejects an invalid enforcement level in the config file as the CLI does", async () => {
        const file = tmpFile("bad-level.json");
        fs.writeFileSync(file, JSON.stringify({ "no-public-subnets": { enforcementLevel: "blocking" } }));
        const run = await cli(...PUBLIC, "--policy-pack-config", file);
        expect(run.code).to.equal(ExitCode.Error);
        expect(run.stderr).to.equal(
            `error: policy pack config ${file}: value "blocking" for "no-public-subnets.enforcementLevel" is not a valid enforcement level (one of advisory, mandatory, remediate, disabled)\n`,
        );
    });

    it("reports a pack that fails to load with the pack's own error", async () => {
        const run = await cli("--program", program("basic"), "--stack", "test", "--policy-pack", pack("broken-pack"));
        expect(run.code).to.equal(ExitCode.Error);
        expect(run.stderr).to.match(/^error: a policy pack failed to load: policy pack .*broken-pack failed to start: the process exited with code 32 before serving; its output:\n/);
        expect(run.stderr).to.include("Error: broken-pack: no rules were loaded from rules.json");
    });

    it("reports a directory that is not a policy pack", async () => {
        const run = await cli("--program", program("basic"), "--stack", "test", "--policy-pack", program("basic"));
        expect(run.code).to.equal(ExitCode.Error);
        expect(run.stderr).to.equal(`error: a policy pack failed to load: failed to load the policy pack at ${program("basic")}: it has no PulumiPolicy.yaml (--policy-pack must name a policy pack directory)\n`);
    });

    it("rejects bad arguments: an unknown mode, a missing stack, unpaired configs", async () => {
        const mode = await cli(...BASIC, "--mode", "fast");
        expect(mode.code).to.equal(ExitCode.Error);
        expect(mode.stderr).to.equal("error: bad arguments: option '--mode <mode>' argument 'fast' is invalid. Allowed choices are preview, plan. (see --help)\n");
        const stack = await cli("--program", program("basic"));
        expect(stack.code).to.equal(ExitCode.Error);
        expect(stack.stderr).to.equal("error: bad arguments: required option '--stack <name>' not specified (see --help)\n");
        const paired = await cli(...BASIC, "--policy-pack", pack("second-pack"), "--policy-pack-config", path.join(CONFIGS, "strict.json"));
        expect(paired.code).to.equal(ExitCode.Error);
        expect(paired.stderr).to.equal("error: bad arguments: the number of --policy-pack-config flags (1) must match the number of --policy-pack flags (2); config N applies to pack N (see --help)\n");
    });

    it("sets the process exit code through the bin entry", () => {
        const run = spawnSync(process.execPath, [path.join(REPO_ROOT, "tools", "bin", "trace-preview.js"), "--program", program("throws"), "--stack", "test", "--policy-pack", pack("basic-pack")], { encoding: "utf8" });
        expect(run.status).to.equal(ExitCode.Error);
        expect(run.stdout).to.equal("");
        expect(run.stderr).to.include("Error: fixture-throws: tier 'app' has no subnets");
    });
});
