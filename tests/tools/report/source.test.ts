import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as sarif from "sarif";
import { pathToFileURL } from "url";
import { Diagnostic, PackInfo, PolicyPackServer } from "../../../tools/analyze/server";
import { EnforcementLevel } from "../../../tools/analyze/policy-config";
import { analyzeRecorded, readPackConfigs, startPacks } from "../../../tools/analyze";
import { stackContextFor } from "../../../tools/project";
import { recordStacks, RecordedResource, RecordedStack } from "../../../tools/record";
import { sarifReport } from "../../../tools/report/formats";
import { defaultSourceRoot, SourceLocation, SourceLocator, SourceOrigin } from "../../../tools/report/source";
import { pack, program, REPO_ROOT } from "../helpers";

type Where = [string | undefined, string | undefined, number | undefined, number | undefined];

function sarifLocations(log: sarif.Log): Where[] {
    return (log.runs[0].results ?? []).map((r) => {
        const loc = (r.locations as sarif.Location[])[0];
        return [loc.logicalLocations?.[0].name, loc.physicalLocation?.artifactLocation?.uri, loc.physicalLocation?.region?.startLine, loc.physicalLocation?.region?.startColumn];
    });
}

const SOURCES = program("sources");
const REL = "tests/fixtures/programs/sources";

function byName(stack: RecordedStack, name: string): RecordedResource {
    const r = stack.resources.find((x) => x.name === name);
    expect(r, name).to.not.equal(undefined);
    return r as RecordedResource;
}

describe("report sources: the line that constructed each resource", function () {
    // Three recordings and a pack start at once: slow on a loaded machine.
    this.timeout(600_000);
    let sources: RecordedStack;
    let awsx: RecordedStack;
    let outside: RecordedStack;
    let outsideDir: string;
    let outsideFindings: { packs: PackInfo[]; violations: Diagnostic[] };

    before(async () => {
        // A program outside any git repository: a copy of the fixture in a temporary directory, with
        // this repo's node_modules linked in so that it resolves its packages.
        outsideDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "trace-preview-outside-")));
        for (const f of ["Pulumi.yaml", "Pulumi.test.yaml", "index.ts", "tier.ts"]) {
            fs.copyFileSync(path.join(SOURCES, f), path.join(outsideDir, f));
        }
        fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(outsideDir, "node_modules"), "dir");
        let servers: PolicyPackServer[];
        let recorded: RecordedStack[];
        [recorded, servers] = await Promise.all([
            recordStacks([SOURCES, program("awsx-vpc"), outsideDir].map((programDir) => ({ programDir, stack: "test", mode: "preview" as const })), 1),
            startPacks(readPackConfigs([{ dir: pack("basic-pack") }]), stackContextFor(outsideDir, "test", "preview")),
        ]);
        [sources, awsx, outside] = recorded;
        try {
            outsideFindings = { packs: servers.map((s) => s.info), violations: await analyzeRecorded(outside.resources, servers) };
        } finally {
            servers.forEach((s) => s.close());
        }
    });

    after(() => {
        fs.rmSync(outsideDir, { recursive: true, force: true });
    });

    it("records the position the SDK sends: the .ts file's own line and column under ts-node", () => {
        const at = (name: string): unknown => byName(sources, name).sourcePosition;
        expect(at("main")).to.deep.equal({ uri: pathToFileURL(path.join(SOURCES, "index.ts")).href, line: 4, column: 13 });
        expect(at("open")).to.deep.equal({ uri: pathToFileURL(path.join(SOURCES, "index.ts")).href, line: 5, column: 1 });
        expect(at("app")).to.deep.equal({ uri: pathToFileURL(path.join(SOURCES, "index.ts")).href, line: 6, column: 1 });
        expect(at("jobs")).to.deep.equal({ uri: pathToFileURL(path.join(SOURCES, "index.ts")).href, line: 7, column: 1 });
        // A component's child stands at its line in the component's file.
        expect(at("app-0")).to.deep.equal({ uri: pathToFileURL(path.join(SOURCES, "tier.ts")).href, line: 13, column: 9 });
        // Created in an anonymous callback: the SDK cannot parse that stack frame and sends nothing.
        expect(at("app-1")).to.equal(undefined);
        // The engine's default provider is not constructed by the program.
        expect(sources.resources.find((r) => r.type === "pulumi:providers:aws")?.sourcePosition).to.equal(undefined);
    });

    it("locates each resource relative to the program's git repository root, standing in the ancestor's or the entry file's position where it has none", () => {
        const root = defaultSourceRoot(SOURCES);
        expect(root).to.equal(REPO_ROOT);
        const locator = new SourceLocator(sources.resources, root, path.join(SOURCES, "index.ts"));
        const loc = (name: string): SourceLocation => locator.locate(byName(sources, name).urn);
        expect(loc("open")).to.deep.equal({ file: `${REL}/index.ts`, line: 5, column: 1, origin: SourceOrigin.Resource });
        expect(loc("app-0")).to.deep.equal({ file: `${REL}/tier.ts`, line: 13, column: 9, origin: SourceOrigin.Resource });
        const tier = byName(sources, "app");
        expect(loc("app-1")).to.deep.equal({
            file: `${REL}/index.ts`, line: 6, column: 1, origin: SourceOrigin.Ancestor, ancestor: { urn: tier.urn, type: "fixture:index:Tier", name: "app" },
        });
        // The stack's own position is inside the SDK (node_modules), which is not the program.
        expect(byName(sources, "fixture-sources-test").sourcePosition?.uri).to.include("/node_modules/");
        expect(loc("fixture-sources-test")).to.deep.equal({ file: `${REL}/index.ts`, line: 1, origin: SourceOrigin.EntryFile });
    });

    it("uses the program directory as the root for a program outside any git repository", () => {
        expect(defaultSourceRoot(outsideDir)).to.equal(outsideDir);
        const locator = new SourceLocator(outside.resources, defaultSourceRoot(outsideDir), path.join(outsideDir, "index.ts"));
        expect(locator.locate(byName(outside, "open").urn)).to.deep.equal({ file: "index.ts", line: 5, column: 1, origin: SourceOrigin.Resource });
        expect(locator.locate(byName(outside, "app-0").urn)).to.deep.equal({ file: "tier.ts", line: 13, column: 9, origin: SourceOrigin.Resource });
        // Code scanning resolves these against the checkout: no "../" path that it cannot map.
        expect(sarifLocations(sarifReport({ recorded: outside, ...outsideFindings, exemptions: { applied: [], stale: [] } }, locator, "0.0.0"))).to.deep.equal([
            ["open", "index.ts", 5, 1],
            ["app-0", "tier.ts", 13, 9],
            ["app-1", "index.ts", 6, 1],
        ]);
    });

    it("locates an awsx component at the line that declares it", () => {
        const vpc = byName(awsx, "shared");
        expect(vpc.type).to.equal("awsx:ec2:Vpc");
        const locator = new SourceLocator(awsx.resources, REPO_ROOT, path.join(program("awsx-vpc"), "index.ts"));
        expect(locator.locate(vpc.urn)).to.deep.equal({ file: "tests/fixtures/programs/awsx-vpc/index.ts", line: 3, column: 13, origin: SourceOrigin.Resource });
        // A violation on the component, as the pack's no-nat-gateways reports one for awsx's default NAT strategy.
        const violation: Diagnostic = {
            policyPack: "trace-network-guardrails", policyPackVersion: "0.1.0", policy: "no-nat-gateways", description: "",
            enforcementLevel: EnforcementLevel.Mandatory, urn: vpc.urn, message: "natGateways.strategy is unset (awsx default OnePerAz)",
        };
        expect(sarifLocations(sarifReport({ recorded: awsx, packs: [], violations: [violation], exemptions: { applied: [], stale: [] } }, locator, "0.0.0"))).to.deep.equal([
            ["shared", "tests/fixtures/programs/awsx-vpc/index.ts", 3, 13],
        ]);
    });

    it("counts a position inside node_modules or outside the root as no position in the program", () => {
        const make = (urn: string, parent: string | undefined, file: string | undefined): RecordedResource => ({
            urn, type: `t:m:${urn}`, name: urn, custom: false, parent, dependencies: [], propertyDependencies: {}, inputs: {}, outputs: {},
            options: { protect: false, ignoreChanges: [], additionalSecretOutputs: [], aliases: [], customTimeouts: { create: 0, update: 0, delete: 0 } },
            ...(file === undefined ? {} : { sourcePosition: { uri: pathToFileURL(file).href, line: 9, column: 3 } }),
        });
        const resources = [
            make("component", undefined, path.join(SOURCES, "index.ts")),
            make("library-child", "component", path.join(REPO_ROOT, "node_modules", "some-lib", "index.js")),
            make("foreign", "component", path.join(os.tmpdir(), "elsewhere.ts")),
        ];
        const locator = new SourceLocator(resources, SOURCES, path.join(SOURCES, "index.ts"));
        const standIn = { file: "index.ts", line: 9, column: 3, origin: SourceOrigin.Ancestor, ancestor: { urn: "component", type: "t:m:component", name: "component" } };
        expect(locator.locate("library-child")).to.deep.equal(standIn);
        expect(locator.locate("foreign")).to.deep.equal(standIn);
        expect(() => new SourceLocator(resources, path.join(SOURCES, "..", "basic"), path.join(SOURCES, "index.ts")))
            .to.throw(`the program's entry file ${path.join(SOURCES, "index.ts")} is outside the source root`);
    });
});
