// The `sources` fixture through the CLI, every format at once: each report byte for byte, and the
// SARIF against the official 2.1.0 schema.
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as sarif from "sarif";
import { RecordedResource, RecordedStack } from "../../../tools/record/protocol";
import { ReportFormat, textReport } from "../../../tools/report/formats";
import { SourceLocator } from "../../../tools/report/source";
import { ExitCode } from "../../../tools/cli";
import { cli, FIXTURES, pack, program, REPO_ROOT } from "../helpers";
import { EXPECTED_FILES, expectFixture, SOURCES, STRICT_CONFIG } from "../report-fixture";

// The official OASIS schema, vendored (see tests/fixtures/sarif/SOURCE.md for where it comes from).
const SARIF_SCHEMA = JSON.parse(fs.readFileSync(path.join(FIXTURES, "sarif", "sarif-schema-2.1.0.json"), "utf8")) as object;

function sarifValidator(): (log: unknown) => string[] {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(SARIF_SCHEMA);
    return (log) => (validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

describe("reports of the sources fixture, through the CLI in one run", () => {
    let dir: string;
    let run: { code: ExitCode; stdout: string; stderr: string };
    const written = (format: ReportFormat): string => fs.readFileSync(path.join(dir, EXPECTED_FILES[format]), "utf8");

    before(async () => {
        // The cost section has its own tests (tests/tools/cost); these files pin the report formats.
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "trace-preview-reports-"));
        const extra = Object.values(ReportFormat).map((f) => ["--report", `${f}=${path.join(dir, EXPECTED_FILES[f])}`]).flat();
        run = await cli("--program", SOURCES, "--stack", "test", "--policy-pack", pack("basic-pack"), "--policy-pack-config", STRICT_CONFIG, "--no-cost", ...extra);
    });

    after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("exits 1 on the mandatory violations and prints the text report, which ends with the summary", () => {
        expect(run.stderr).to.equal("");
        expect(run.code).to.equal(ExitCode.MandatoryViolations);
        expect(run.stdout).to.equal(written(ReportFormat.Text));
        expect(run.stdout.endsWith([
            "Summary:",
            "    Checked 3 policies (2 mandatory, 1 advisory) from 1 policy pack over 8 resources (preview mode)",
            "    Policy violations: 4 mandatory, 0 advisory",
            "    Exempted: none",
            "    Deferred to deployment: 2 checks of 1 policy",
            "",
        ].join("\n"))).to.equal(true);
    });

    for (const format of Object.values(ReportFormat)) {
        it(`writes the ${format} report byte for byte`, () => {
            expectFixture(format, written(format));
        });
    }

    it("puts one ::error per mandatory violation at the resource's line, the stand-ins said so", () => {
        expect(written(ReportFormat.Github).split("\n").filter((l) => l.startsWith("::error")).map((l) => l.split("::").slice(0, 2).join("::"))).to.deep.equal([
            "::error file=tests/fixtures/programs/sources/index.ts,line=1,title=max-security-groups",
            "::error file=tests/fixtures/programs/sources/index.ts,line=5,col=1,title=no-public-subnets",
            "::error file=tests/fixtures/programs/sources/tier.ts,line=13,col=9,title=no-public-subnets",
            "::error file=tests/fixtures/programs/sources/index.ts,line=6,col=1,title=no-public-subnets",
        ]);
    });

    it("locates each SARIF result at the file, line and column, with the URN and name as logical location, and validates against the SARIF 2.1.0 schema", () => {
        const log = JSON.parse(written(ReportFormat.Sarif)) as sarif.Log;
        expect(sarifValidator()(log)).to.deep.equal([]);
        const results = log.runs[0].results as sarif.Result[];
        expect(results.map((r) => {
            const loc = (r.locations as sarif.Location[])[0];
            const region = loc.physicalLocation?.region;
            return [r.ruleId, loc.physicalLocation?.artifactLocation?.uri, region?.startLine, region?.startColumn, loc.logicalLocations?.[0].name];
        })).to.deep.equal([
            ["tool-test-pack/max-security-groups", "tests/fixtures/programs/sources/index.ts", 1, undefined, "fixture-sources-test"],
            ["tool-test-pack/no-public-subnets", "tests/fixtures/programs/sources/index.ts", 5, 1, "open"],
            ["tool-test-pack/no-public-subnets", "tests/fixtures/programs/sources/tier.ts", 13, 9, "app-0"],
            ["tool-test-pack/no-public-subnets", "tests/fixtures/programs/sources/index.ts", 6, 1, "app-1"],
        ]);
        const json = JSON.parse(written(ReportFormat.Json)) as { violations: { urn: string }[] };
        expect(results.map((r) => (r.locations as sarif.Location[])[0].logicalLocations?.[0].fullyQualifiedName)).to.deep.equal(json.violations.map((v) => v.urn));
        // The deferred checks are notes of the invocation, not alerts.
        expect(log.runs[0].invocations?.[0].toolExecutionNotifications?.map((n) => [n.level, n.associatedRule?.id])).to.deep.equal([
            ["note", "tool-test-pack/subnet-vpc-known"], ["note", "tool-test-pack/subnet-vpc-known"],
        ]);
    });

    it("is the markdown the tool's README shows as a rendering", () => {
        const quoted = written(ReportFormat.Markdown).trimEnd().split("\n").map((l) => (l === "" ? ">" : `> ${l}`)).join("\n");
        expect(fs.readFileSync(path.join(REPO_ROOT, "tools", "README.md"), "utf8")).to.include(`\n${quoted}\n`);
    });

    it("the schema check catches a SARIF log that breaks the schema", () => {
        const log = JSON.parse(written(ReportFormat.Sarif)) as { runs: { results: { locations: { physicalLocation: { region: { startLine: unknown } } }[] }[] }[] };
        log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
        expect(sarifValidator()(log)).to.deep.equal(["/runs/0/results/0/locations/0/physicalLocation/region/startLine must be >= 1"]);
    });
});

describe("trace-preview CLI: report arguments", () => {
    it("rejects a --sarif-root that does not hold the program, and malformed --report values, all at once before running", async () => {
        const run = await cli("--program", SOURCES, "--stack", "test", "--policy-pack", pack("basic-pack"),
            "--sarif-root", program("basic"), "--report", "pdf=out.pdf", "--report", "markdown", "--report", "json=/no/such/dir/r.json");
        expect(run.code).to.equal(ExitCode.Error);
        expect(run.stdout).to.equal("");
        expect(run.stderr).to.equal(
            `error: bad arguments: --sarif-root ${program("basic")} does not contain the program directory ${SOURCES}; report paths must lie under it; ` +
            "--report pdf=out.pdf: expected <format>=<file> with a format among text, json, sarif, github, markdown; " +
            "--report markdown: expected <format>=<file> with a format among text, json, sarif, github, markdown; " +
            "--report json=/no/such/dir/r.json: directory /no/such/dir does not exist (see --help)\n",
        );
    });

    it("makes report paths relative to --sarif-root", async () => {
        const run = await cli("--program", SOURCES, "--stack", "test", "--policy-pack", pack("basic-pack"), "--sarif-root", SOURCES, "--format", "github");
        expect(run.code).to.equal(ExitCode.MandatoryViolations);
        expect(run.stdout.split("\n").filter((l) => l.startsWith("::error")).map((l) => l.split("::")[1])).to.deep.equal([
            "error file=index.ts,line=5,col=1,title=no-public-subnets",
            "error file=tier.ts,line=13,col=9,title=no-public-subnets",
            "error file=index.ts,line=6,col=1,title=no-public-subnets",
        ]);
        expect(path.relative(REPO_ROOT, SOURCES)).to.equal("tests/fixtures/programs/sources");
    });
});

describe("text report: the tree and the resource count, as `pulumi preview` shows them", () => {
    const STACK = "urn:pulumi:test::p::pulumi:pulumi:Stack::p-test";
    const resource = (type: string, name: string, parent?: string): RecordedResource =>
        ({ urn: parent === undefined ? STACK : `urn:pulumi:test::p::${type}::${name}`, type, name, parent } as RecordedResource);

    it("hides the engine's default providers from the tree and from '+ N to create', and shows an explicit provider in both", () => {
        const resources = [
            resource("pulumi:pulumi:Stack", "p-test"),
            resource("pulumi:providers:aws", "default_6_0_0", STACK),
            resource("pulumi:providers:aws", "usw2", STACK),
            resource("aws:ec2/vpc:Vpc", "main", STACK),
        ];
        const recorded = { project: "p", stack: "test", mode: "preview", resources, programOutput: "", warnings: [], placeholders: [] } as unknown as RecordedStack;
        const sources = new SourceLocator(resources, REPO_ROOT, path.join(REPO_ROOT, "index.ts"));
        const text = textReport({ recorded, packs: [], violations: [], exemptions: { applied: [], stale: [] } }, [], sources);
        const lines = text.split("\n");
        expect(lines.slice(2, lines.indexOf("", 2))).to.deep.equal([
            "     Type                     Name    Plan",
            " +   pulumi:pulumi:Stack      p-test  create",
            " +   ├─ pulumi:providers:aws  usw2    create",
            " +   └─ aws:ec2:Vpc           main    create",
        ]);
        expect(lines[lines.indexOf("Resources:") + 1]).to.equal("    + 3 to create");
    });
});
