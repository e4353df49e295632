// The offline preview as another team gets it, without a clone: `npm pack` of tools/ and of the pack
// it ships with, `npm i -D` of both tarballs into that team's project outside this repository, then
// `npx trace-preview` there. Its report must equal the in-repo tool's on the same program.
import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { JsonReport } from "../../tools/report/formats";
import { ExitCode } from "../../tools/cli";
import { INSTALL_FLAGS, installScriptWarnings, npmAsync, packagesOnlyFor, packedPackages, Packed, removeScratch, REPO_ROOT, scratchDir, undeclaredRequires } from "../helpers/packages";
import { cli, POLICY_PACK, program } from "./helpers";

const STACK = "staging";
const TEAM_CONFIG = path.join("config", "team-example.json");

describe("tools as a package: npm pack, npm i -D into another team's project, npx trace-preview", function () {
    // Two tarballs and the team's own @pulumi/aws installed from the npm cache, then two previews.
    this.timeout(600_000);
    let scratch: string | undefined;
    let team: string;
    let tool: Packed;
    let packedPack: Packed;
    let installWarnings: string;

    // Asynchronous, so the packaged tool and the in-repo one can preview side by side.
    const npx = (...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> =>
        new Promise((resolve, reject) => {
            const child = spawn("npx", ["--no-install", "trace-preview", ...args], {
                cwd: team,
                env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith("npm_"))),
            });
            let stdout = "";
            let stderr = "";
            child.stdout.setEncoding("utf8").on("data", (t: string) => (stdout += t));
            child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
            child.on("error", reject);
            child.on("close", (status) => resolve({ status, stdout, stderr }));
        });

    before(async () => {
        scratch = scratchDir("trace-preview-pkg-");
        team = path.join(scratch, "ledger-infra");
        // Both tarballs are packed once per run and shared with the pack's packaging test.
        ({ tool, policyPack: packedPack } = await packedPackages());
        fs.cpSync(program("other-team"), team, { recursive: true });
        const rootPkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        fs.writeFileSync(path.join(team, "package.json"), JSON.stringify({
            name: "ledger-infra",
            private: true,
            main: "index.ts",
            dependencies: { "@pulumi/pulumi": rootPkg.dependencies["@pulumi/pulumi"], "@pulumi/aws": rootPkg.dependencies["@pulumi/aws"] },
        }, null, 2));
        ({ stderr: installWarnings } = await npmAsync(["install", "-D", ...INSTALL_FLAGS, tool.tarball, packedPack.tarball], team));
    });

    after(() => removeScratch(scratch));

    it("ships the bin, compiled JavaScript, the price table and its README only", () => {
        expect(tool.files.filter((f) => !f.startsWith("dist/"))).to.deep.equal(["README.md", "bin/trace-preview.js", "package.json", "prices/aws-2026-12-02.json"]);
        expect(tool.files.filter((f) => f.startsWith("dist/") && !f.endsWith(".js"))).to.deep.equal([]);
        expect(tool.files).to.include.members(["dist/cli.js", "dist/preview.js", "dist/record/child.js", "dist/analyze/server.js"]);
    });

    it("can be published: neither package is private, and each carries its README", () => {
        for (const name of ["preview", "network-guardrails"]) {
            const installed = path.join(team, "node_modules", "@trace", name);
            const pkg = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")) as Record<string, unknown>;
            expect(pkg, name).not.to.have.property("private");
            expect(pkg.name).to.equal(`@trace/${name}`);
            expect(fs.readFileSync(path.join(installed, "README.md"), "utf8"), name).to.match(/^# /);
        }
    });

    it("loads only packages it declares as dependencies", () => {
        const installed = path.join(team, "node_modules", "@trace", "preview");
        expect(undeclaredRequires(installed, tool.files)).to.deep.equal([]);
    });

    it("adds to an AWS-only project what the README says, without awsx, docker or install scripts", () => {
        const added = packagesOnlyFor(team, ["@trace/preview", "@trace/network-guardrails"], ["@pulumi/pulumi", "@pulumi/aws"]);
        const names = added.map((p) => p.name);
        expect(names).to.include.members(["@trace/preview", "@trace/network-guardrails", "@pulumi/policy"]);
        expect(names.filter((n) => /awsx|docker/.test(n))).to.deep.equal([]);
        expect(added.filter((p) => p.hasInstallScript).map((p) => p.name)).to.deep.equal([]);
        // npm lists every unapproved install script on each install, the team's own included.
        expect(installScriptWarnings(installWarnings).filter((n) => names.includes(n))).to.deep.equal([]);
        const megabytes = added.reduce((sum, p) => sum + p.bytes, 0) / 1e6;
        for (const readme of [path.join("tools", "README.md")]) {
            const stated = /adds (\d+) packages \(about (\d+) MB\)/.exec(fs.readFileSync(path.join(REPO_ROOT, readme), "utf8"));
            expect(stated, `${readme} states what an install adds`).not.to.equal(null);
            expect(added.length, readme).to.equal(Number(stated?.[1]));
            expect(megabytes, readme).to.be.closeTo(Number(stated?.[2]), Number(stated?.[2]) * 0.05);
        }
    });

    it("reports the package's version", async () => {
        const run = await npx("--version");
        expect(run.status, run.stderr).to.equal(ExitCode.Clean);
        expect(run.stdout.trim()).to.equal((JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "tools", "package.json"), "utf8")) as { version: string }).version);
    });

    it("previews the team's stack with the pack it ships with and gives the in-repo tool's report", async () => {
        const [packaged, repo] = await Promise.all([
            npx("--stack", STACK, "--format", "json", "--policy-pack-config", path.join("node_modules", "@trace", "network-guardrails", TEAM_CONFIG)),
            cli("--program", team, "--stack", STACK, "--format", "json", "--policy-pack", POLICY_PACK, "--policy-pack-config", path.join(POLICY_PACK, TEAM_CONFIG)),
        ]);
        expect(packaged.status, packaged.stderr).to.equal(ExitCode.MandatoryViolations);
        expect(repo.code, repo.stderr).to.equal(ExitCode.MandatoryViolations);
        const report = JSON.parse(packaged.stdout) as JsonReport;
        const repoReport = JSON.parse(repo.stdout) as JsonReport;
        expect(report.summary).to.deep.equal({ resources: 10, toCreate: 9, mandatory: 7, advisory: 4, exempted: 0, policyPacks: 1, policies: 29, deferred: 0 });
        // Each tool reads the price table it ships with: one difference between the reports ...
        const priceFile = path.join("prices", "aws-2026-12-02.json");
        expect(report.cost?.priceTable.files).to.deep.equal([path.join(fs.realpathSync(team), "node_modules", "@trace", "preview", priceFile)]);
        expect(repoReport.cost?.priceTable.files).to.deep.equal([path.join(REPO_ROOT, "tools", priceFile)]);
        // ... and each names the config file it was given at a stale exemption's entry.
        expect(report.staleExemptions.map((e) => e.configFile?.path)).to.deep.equal(report.staleExemptions.map(() => path.join(fs.realpathSync(team), "node_modules", "@trace", "network-guardrails", TEAM_CONFIG)));
        expect(repoReport.staleExemptions.map((e) => e.configFile?.path)).to.deep.equal(repoReport.staleExemptions.map(() => path.join(POLICY_PACK, TEAM_CONFIG)));
        expect(report.cost?.priceTable.used.map((u) => u.file)).to.deep.equal(report.cost?.priceTable.files);
        const withoutFiles = (r: JsonReport): unknown => ({
            ...r,
            staleExemptions: r.staleExemptions.map((e) => ({ ...e, configFile: { ...e.configFile, path: "" } })),
            cost: { ...r.cost, priceTable: { ...r.cost?.priceTable, files: [], used: [] } },
        });
        expect(withoutFiles(report)).to.deep.equal(withoutFiles(repoReport));
    });

    it("exits 2, not 1, with a one-line cause when a module it needs is missing", async () => {
        const commander = path.join(team, "node_modules", "commander");
        expect(fs.existsSync(path.join(commander, "package.json"))).to.equal(true);
        fs.renameSync(commander, `${commander}.moved`);
        try {
            const run = await npx("--stack", STACK);
            expect(run.status).to.equal(ExitCode.Error);
            expect(run.stdout).to.equal("");
            expect(run.stderr).to.match(/^error: trace-preview could not start: Cannot find module 'commander'\. Reinstall it/);
            expect(run.stderr.trim().split("\n")).to.have.length(1);
        } finally {
            fs.renameSync(`${commander}.moved`, commander);
        }
    });
});
