// The pack as another team or the Pulumi CLI gets it. `pulumi policy publish` uploads what `npm pack`
// makes of the pack directory (pkg/backend/httpstate/policypack.go); a stack that runs the published
// pack gets it unpacked on its own, `npm install --loglevel=error` run in it (the nodejs language
// host's InstallDependencies) and run-policy-pack started there. This test does the same outside this
// repository: it must serve the same policies and find the same violations as the pack in this repository.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { Diagnostic, PolicyPackServer } from "../../tools/analyze/server";
import { analyzeRecorded, readPackConfigs, startPacks } from "../../tools/analyze";
import { stackContextFor } from "../../tools/project";
import { recordStack, RecordedStack } from "../../tools/record";
import { INSTALL_FLAGS, npm, npmAsync, packedPackages, Packed, POLICY_PACK_DIR as PACK_DIR, removeScratch, REPO_ROOT, scratchDir, undeclaredRequires, unpack } from "../helpers/packages";

const PROGRAM = path.join(REPO_ROOT, "tests", "fixtures", "programs", "other-team");
const STACK = "staging";
const TEAM_CONFIG = path.join("config", "team-example.json");

describe("policy-pack as a package: npm pack, installed outside the repository, served by run-policy-pack", function () {
    // npm install of the pack's ~250 dependencies from the npm cache, plus two pack processes.
    this.timeout(600_000);
    let scratch: string | undefined;
    let packed: Packed;
    let installed: string;
    let shippedShrinkwrap: string;
    let recorded: RecordedStack;
    let servers: PolicyPackServer[] = [];
    let packagedViolations: Diagnostic[];
    let repoViolations: Diagnostic[];

    before(async () => {
        scratch = scratchDir("trace-pack-");
        // The tarball is packed once per run and shared with the tool's packaging test.
        packed = (await packedPackages()).policyPack;
        installed = unpack(packed.tarball, scratch);
        shippedShrinkwrap = fs.readFileSync(path.join(installed, "npm-shrinkwrap.json"), "utf8");
        const ctx = stackContextFor(PROGRAM, STACK, "preview");
        // Two processes of one pack name need two startPacks calls: one call refuses duplicate names, as the CLI does.
        const start = (dir: string): Promise<PolicyPackServer[]> => startPacks(readPackConfigs([{ dir, configFile: path.join(dir, TEAM_CONFIG) }]), ctx);
        // The in-repo pack and the recording do not wait for the install.
        const installedPack = npmAsync(["install", "--loglevel=error", ...INSTALL_FLAGS], installed).then(() => start(installed));
        installedPack.catch(() => undefined); // Awaited below; a failure meanwhile is not unhandled.
        const [repo, stack] = await Promise.all([start(PACK_DIR), recordStack({ programDir: PROGRAM, stack: STACK, mode: "preview" })]);
        servers = [...repo];
        const packaged = await installedPack;
        servers = [...packaged, ...repo];
        recorded = stack;
        packagedViolations = await analyzeRecorded(recorded.resources, packaged);
        repoViolations = await analyzeRecorded(recorded.resources, repo);
    });

    after(() => {
        servers.forEach((s) => s.close());
        removeScratch(scratch);
    });

    it("ships its sources, the JavaScript compiled from each of them as main, PulumiPolicy.yaml, config examples and lockfile", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")) as { main: string };
        expect(pkg.main).to.equal("dist/index.js");
        const sources = packed.files.filter((f) => f.endsWith(".ts") && !f.startsWith("dist/"));
        expect(sources).to.include.members(["index.ts", "policies/index.ts", "lib/config.ts"]);
        expect(packed.files.filter((f) => f.startsWith("dist/"))).to.deep.equal(sources.map((f) => `dist/${f.replace(/\.ts$/, ".js")}`).sort());
        expect(packed.files.filter((f) => !f.endsWith(".ts") && !f.startsWith("dist/"))).to.deep.equal([
            "PulumiPolicy.yaml", "README.md", "config/team-example.json", "config/trace.json", "npm-shrinkwrap.json", "package.json", "tsconfig.json",
        ]);
    });

    it("can be published with npm: not private, with its README, loading only what it declares", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")) as { dependencies: Record<string, string> } & Record<string, unknown>;
        expect(pkg).not.to.have.property("private");
        expect(pkg.name).to.equal("@trace/network-guardrails");
        expect(fs.readFileSync(path.join(installed, "README.md"), "utf8")).to.match(/^# /);
        expect(undeclaredRequires(installed, packed.files)).to.deep.equal([]);
    });

    it("installs on its own as the engine installs a published pack: from its shrinkwrap, without awsx or docker", () => {
        // npm install rewrites a lockfile it had to change; the engine's install must follow it as shipped.
        expect(fs.readFileSync(path.join(installed, "npm-shrinkwrap.json"), "utf8")).to.equal(shippedShrinkwrap);
        const scopes = ["@pulumi", ""].map((scope) => fs.readdirSync(path.join(installed, "node_modules", scope)).map((n) => (scope === "" ? n : `${scope}/${n}`)));
        expect(scopes.flat().filter((n) => /awsx|docker/.test(n))).to.deep.equal([]);
    });

    it("gives run-policy-pack's loader a TypeScript >= 4.7 and ts-node of its own, not the SDK's vendored TypeScript 3.8", () => {
        // run-policy-pack registers ts-node even for a JavaScript main, with whatever `typescript` and
        // `ts-node` the SDK resolves; when none is found it falls back to TypeScript 3.8.
        const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [installed] }));
        expect(sdk.startsWith(installed + path.sep)).to.equal(true);
        const version = (name: string): string => (JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`, { paths: [sdk] }), "utf8")) as { version: string }).version;
        const [major, minor] = version("typescript").split(".").map(Number);
        expect(major > 4 || (major === 4 && minor >= 7), `typescript ${version("typescript")}`).to.equal(true);
        expect(Number(version("ts-node").split(".")[0])).to.be.at.least(10);
    });

    it("serves every policy of the in-repo pack, with the same levels and config schemas", () => {
        const [packaged, repo] = servers.map((s) => s.info);
        expect(packaged.name).to.equal("trace-network-guardrails");
        expect(packaged.policies.map((p) => p.name)).to.have.length(repo.policies.length).and.to.have.length.above(0);
        expect(packaged.policies).to.deep.equal(repo.policies);
        expect(packaged.initialConfig).to.deep.equal(repo.initialConfig);
        expect(packaged.version).to.equal(repo.version);
    });

    it("finds exactly the in-repo pack's violations on another team's program, with that team's config", () => {
        const shown = (ds: Diagnostic[]): string[] => ds.map((d) => `${d.enforcementLevel} ${d.policy} ${d.urn}: ${d.message}`).sort();
        expect(repoViolations.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.policy).sort()).to.deep.equal([
            "lambda-vpc-attached", "no-nat-gateways", "rds-not-publicly-accessible", "required-vpc-endpoints",
            "secret-path-naming", "security-group-egress-allowlist", "vpc-flow-logs-enabled",
        ]);
        expect(shown(packagedViolations)).to.deep.equal(shown(repoViolations));
    });

    it("rebuilds from the unpacked package to the JavaScript it shipped (npm run build, as prepack does for pulumi policy publish)", () => {
        // The build also writes declarations and build info (the pack is a composite project the tool
        // references); only the JavaScript is shipped, so only the JavaScript is compared.
        const dist = path.join(installed, "dist");
        const javaScript = (): Record<string, string> => Object.fromEntries(
            (fs.readdirSync(dist, { recursive: true }) as string[]).filter((f) => f.endsWith(".js")).sort().map((f) => [f, fs.readFileSync(path.join(dist, f), "utf8")]),
        );
        const shipped = javaScript();
        expect(Object.keys(shipped).map((f) => `dist/${f.split(path.sep).join("/")}`)).to.deep.equal(packed.files.filter((f) => f.startsWith("dist/")));
        fs.rmSync(dist, { recursive: true });
        npm(["run", "build"], installed);
        expect(javaScript()).to.deep.equal(shipped);
    });
});
