// The cost section through the CLI: on by default in text and JSON, off with --no-cost, a markdown
// summary for pull requests, and bad cost inputs refused (exit 2) before the program runs.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CostSection, Design } from "../../../tools/lib/cost/model";
import { JsonReport } from "../../../tools/lib/report";
import { ExitCode } from "../../../tools/preview";
import { cli, CliRun, pack, program } from "../helpers";
import { tempDir } from "../../helpers/temp-dir";

const tmp = tempDir("cost-cli-");
const BASIC = ["--program", program("basic"), "--stack", "test", "--policy-pack", pack("basic-pack")];

describe("trace-preview CLI: the cost section", function () {
    this.timeout(300_000);
    let json: CliRun;
    let noCost: CliRun;
    let markdown: CliRun;
    let text: CliRun;

    before(async () => {
        [json, noCost, markdown, text] = await Promise.all([
            cli(...BASIC, "--format", "json", "--traffic", "flowLogGb=5"),
            cli(...BASIC, "--format", "json", "--no-cost"),
            cli(...BASIC, "--format", "markdown"),
            cli(...BASIC),
        ]);
    });

    it("adds a cost object to the JSON report, with the given traffic and the subnet AZ the preview does not know", () => {
        expect(json.stderr).to.equal("");
        const report = JSON.parse(json.stdout) as JsonReport & { cost: CostSection };
        expect(Object.keys(report)).to.deep.equal(["project", "stack", "mode", "resources", "policyPacks", "violations", "deferred", "exemptions", "staleExemptions", "placeholderAnswers", "summary", "cost"]);
        expect(report.cost.region).to.equal("eu-west-1");
        expect(report.cost.traffic).to.deep.equal([
            { category: "awsApiGb", gbPerMonth: 100, isDefault: true },
            { category: "internetGb", gbPerMonth: 50, isDefault: true },
            { category: "flowLogGb", gbPerMonth: 5, isDefault: false },
        ]);
        expect(report.cost.estimates.map((e) => e.design)).to.deep.equal([Design.Current, Design.NatWithEndpoints, Design.NatWithoutEndpoints]);
        // The fixture has one subnet and nothing priced; its subnet has no AZ, so the NAT count is unknown.
        expect(report.cost.estimates[0].lineItems).to.deep.equal([]);
        expect(report.cost.estimates[0].total).to.deep.equal({ monthly: 0, complete: true, unknownItems: 0 });
        const nat = report.cost.estimates[1].lineItems.find((l) => l.kind === "nat-gateway");
        expect(nat).to.deep.include({ quantity: null, monthly: null, unknown: "the AZ of private subnet app-a is unknown at preview" });
    });

    it("leaves the cost out with --no-cost", () => {
        expect(Object.keys(JSON.parse(noCost.stdout) as object)).to.not.include("cost");
    });

    it("prints the cost before the closing summary of the text report, and after the checks in the markdown report", () => {
        expect(text.stdout).to.match(/\n\nCost \(eu-west-1, USD per month of 730 h; prices of 2026-12-02 from .*aws-2026-12-02\.json\):\n[\s\S]*\n\nSummary:\n[^]*Deferred to deployment: [^\n]*\n$/);
        expect(markdown.stdout).to.match(/^## (❌|✅) Policy check (failed|passed)/);
        expect(markdown.stdout).to.include("\n### Checks run\n");
        expect(markdown.stdout.indexOf("### Checks run")).to.be.lessThan(markdown.stdout.indexOf("### Cost per month"));
        expect(markdown.stdout).to.include("### Cost per month (eu-west-1, USD)\n\n| design | monthly | vs this stack |\n");
        expect(markdown.stdout).to.include("| NAT per private AZ, with the interface endpoints | 2.40 + 2 unknown | +2.40 (known lines only) |");
    });

    it("refuses bad price and traffic inputs before the program runs, naming every problem", async () => {
        const prices = path.join(tmp, "prices.json");
        fs.writeFileSync(prices, JSON.stringify({ regions: { "eu-west-1": { natGatewayHour: "cheap" } }, hoursPerMonth: 0 }));
        const run = await cli("--program", program("throws"), "--stack", "test", "--policy-pack", pack("basic-pack"),
            "--price-file", prices, "--traffic", "natGb=1", "--traffic", "internetGb=-1");
        expect(run.code).to.equal(ExitCode.Error);
        expect(run.stdout).to.equal("");
        expect(run.stderr).to.equal([
            "error: the cost inputs are invalid:",
            `  - ${prices}: hoursPerMonth must be > 0, found 0`,
            `  - ${prices}: regions.eu-west-1.natGatewayHour must be number, found "cheap"`,
            '  - --traffic natGb=1: unknown traffic category "natGb" (expected awsApiGb, internetGb, flowLogGb)',
            "  - --traffic internetGb=-1: internetGb must be a number of GB per month, 0 or more, found -1",
            "",
        ].join("\n"));
    });

    it("refuses a region the price table does not have, naming the regions it has", async () => {
        const dir = path.join(tmp, "mumbai");
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: mumbai\nruntime: nodejs\n");
        fs.writeFileSync(path.join(dir, "Pulumi.test.yaml"), "config:\n  aws:region: ap-south-1\n");
        fs.writeFileSync(path.join(dir, "index.ts"), 'throw new Error("the program must not run");\n');
        const run = await cli("--program", dir, "--stack", "test", "--policy-pack", pack("basic-pack"));
        expect(run.code).to.equal(ExitCode.Error);
        expect(run.stderr).to.equal("error: the cost inputs are invalid:\n  - region ap-south-1 is not in the price table (it has eu-west-1, us-east-1); add it with --price-file or pass --no-cost\n");
    });
});
