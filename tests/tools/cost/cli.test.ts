// The cost section through the CLI: on by default in text and JSON, off with --no-cost, a markdown
// summary for pull requests, bad explicit cost inputs refused (exit 2) before the program runs, and
// nothing about the stack's region ever stopping the check: another team's program in us-west-2, behind
// an explicit provider, or in a region without prices is checked and exits by its verdict.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CostSection, Design } from "../../../tools/cost/model";
import { JsonReport } from "../../../tools/report/formats";
import { ExitCode } from "../../../tools/cli";
import { cli, CliRun, pack, program } from "../helpers";
import { tempDir } from "../../helpers/temp-dir";

const tmp = tempDir("cost-cli-");
const BASIC = ["--program", program("basic"), "--stack", "test", "--policy-pack", pack("basic-pack")];

describe("trace-preview CLI: the cost section", function () {
    this.timeout(300_000);
    // One run writes all three reports with the cost section (text on stdout, JSON and markdown with
    // --report, as a CI job writes them); the run with --no-cost is the other.
    let withCost: CliRun;
    let noCost: CliRun;
    const jsonFile = path.join(tmp, "report.json");
    const markdownFile = path.join(tmp, "report.md");

    before(async () => {
        [withCost, noCost] = await Promise.all([
            cli(...BASIC, "--traffic", "flowLogGb=5", "--report", `json=${jsonFile}`, "--report", `markdown=${markdownFile}`),
            cli(...BASIC, "--format", "json", "--no-cost"),
        ]);
    });

    it("adds a cost object to the JSON report, with the given traffic and the subnet AZ the preview does not know", () => {
        expect(withCost.stderr).to.equal("");
        const report = JSON.parse(fs.readFileSync(jsonFile, "utf8")) as JsonReport & { cost: CostSection };
        expect(Object.keys(report)).to.deep.equal(["project", "stack", "mode", "resources", "policyPacks", "violations", "deferred", "exemptions", "staleExemptions", "placeholderAnswers", "summary", "cost"]);
        expect(report.cost.regions.map((r) => r.region)).to.deep.equal(["eu-west-1"]);
        expect(report.cost.unpriced).to.deep.equal([]);
        expect(report.cost.traffic).to.deep.equal([
            { category: "awsApiGb", gbPerMonth: 100, isDefault: true },
            { category: "internetGb", gbPerMonth: 50, isDefault: true },
            { category: "flowLogGb", gbPerMonth: 5, isDefault: false },
            { category: "dnsMillionQueries", gbPerMonth: 10, isDefault: true },
        ]);
        // No interface endpoints: one NAT design to compare with.
        const { estimates } = report.cost.regions[0];
        expect(estimates.map((e) => e.design)).to.deep.equal([Design.Current, Design.NatWithoutEndpoints]);
        // The fixture has one subnet and nothing priced; its subnet has no AZ, so the NAT count is unknown.
        expect(estimates[0].lineItems).to.deep.equal([]);
        expect(estimates[0].total).to.deep.equal({ monthly: 0, complete: true, unknownItems: 0 });
        const nat = estimates[1].lineItems.find((l) => l.kind === "nat-gateway");
        expect(nat).to.deep.include({ quantity: null, monthly: null, unknown: "the AZ of private subnet app-a is unknown at preview" });
    });

    it("leaves the cost out with --no-cost", () => {
        expect(Object.keys(JSON.parse(noCost.stdout) as object)).to.not.include("cost");
    });

    it("prints the cost before the closing summary of the text report, and after the checks in the markdown report", () => {
        expect(withCost.stdout).to.match(/\n\nCost \(eu-west-1, USD per month of 730 h; prices from .*aws-2026-12-02\.json of 2026-12-02\):\n[\s\S]*\n\nSummary:\n[^]*Deferred to deployment: [^\n]*\n$/);
        const markdown = fs.readFileSync(markdownFile, "utf8");
        expect(markdown).to.match(/^## (❌|✅) Policy check (failed|passed)/);
        expect(markdown).to.include("\n### Checks run\n");
        expect(markdown.indexOf("### Checks run")).to.be.lessThan(markdown.indexOf("### Cost per month"));
        expect(markdown).to.include("### Cost per month (eu-west-1, USD)\n\n| design | monthly | vs this stack |\n");
        // 50 GB to the internet and 100 GB to AWS APIs through the NATs, at 0.048.
        expect(markdown).to.include("| NAT per private AZ | 7.20 + 2 unknown | +7.20 (known lines only) |");
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
            '  - --traffic natGb=1: unknown traffic category "natGb" (expected awsApiGb, internetGb, flowLogGb, dnsMillionQueries)',
            "  - --traffic internetGb=-1: internetGb must be a number of GB per month, 0 or more, found -1",
            "",
        ].join("\n"));
    });

});

describe("trace-preview CLI: the cost section never stops the check", function () {
    this.timeout(600_000);
    const OTHER = program("other-region");
    const saved = { AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION };
    let usw2: CliRun;
    let explicit: CliRun;
    let mumbai: CliRun;
    let ownPrices: string;

    before(async () => {
        delete process.env.AWS_REGION;
        delete process.env.AWS_DEFAULT_REGION;
        ownPrices = path.join(tmp, "oregon.json");
        fs.writeFileSync(ownPrices, JSON.stringify({ date: "2026-11-30", regions: { "us-west-2": { natGatewayHour: 0.046, sources: { natGatewayHour: "our negotiated rate" } } } }));
        [usw2, explicit, mumbai] = await Promise.all([
            cli("--program", OTHER, "--stack", "usw2", "--format", "json", "--quiet"),
            cli("--program", OTHER, "--stack", "explicit", "--price-file", ownPrices, "--quiet"),
            cli("--program", OTHER, "--stack", "mumbai", "--format", "json", "--quiet"),
        ]);
    });

    after(() => {
        for (const [k, v] of Object.entries(saved)) {
            if (v !== undefined) {
                process.env[k] = v;
            }
        }
    });

    const costOf = (run: CliRun): CostSection => (JSON.parse(run.stdout) as { cost: CostSection }).cost;
    const natHour = (cost: CostSection): unknown => cost.regions[0].estimates[0].lineItems.find((l) => l.item === "NAT gateway nat")?.unitPrice;

    it("checks a us-west-2 stack by default, exits by its verdict and prices it at us-west-2 rates", () => {
        expect([usw2.code, usw2.stderr]).to.deep.equal([ExitCode.MandatoryViolations, ""]);
        const report = JSON.parse(usw2.stdout) as JsonReport & { cost: CostSection };
        expect(report.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.policy).sort())
            .to.deep.equal(["no-nat-gateways", "rds-not-publicly-accessible", "security-group-egress-allowlist", "security-group-no-public-ingress"]);
        expect(report.cost.regions.map((r) => r.region)).to.deep.equal(["us-west-2"]);
        expect(natHour(report.cost)).to.equal(0.045);
        expect(report.cost.unpriced).to.deep.equal([]);
    });

    it("takes the region of an explicit aws.Provider when the stack sets no aws:region, and names the --price-file it used", () => {
        expect([explicit.code, explicit.stderr]).to.deep.equal([ExitCode.MandatoryViolations, ""]);
        expect(explicit.stdout).to.match(/\nCost \(us-west-2, USD per month of 730 h; prices from \S*aws-2026-12-02\.json of 2026-12-02 over \S*oregon\.json of 2026-11-30\):\n/);
        expect(explicit.stdout).to.match(/\n {4}NAT gateway nat +730 +NAT-hour +0\.046 +33\.58 +730 h\n/);
    });

    it("checks a stack in a region without prices, exits by its verdict and names what it could not price, why and the fix", () => {
        expect([mumbai.code, mumbai.stderr]).to.deep.equal([ExitCode.MandatoryViolations, ""]);
        const cost = costOf(mumbai);
        expect(cost.regions).to.deep.equal([]);
        expect(cost.unpriced).to.deep.equal([{
            resources: ["nat (eip)", "nat (natGateway)"],
            why: "the price table has no prices for ap-south-1 (it has eu-west-1, us-east-1, us-east-2, us-west-2); add them with --price-file",
        }]);
    });

    it("still refuses a --price-file, --traffic or --traffic-file given but wrong (exit 2), before the program runs", async () => {
        const traffic = path.join(tmp, "traffic.json");
        fs.writeFileSync(traffic, JSON.stringify({ awsApiGb: "lots" }));
        const run = await cli("--program", program("throws"), "--stack", "test", "--policy-pack", pack("basic-pack"), "--traffic-file", traffic);
        expect([run.code, run.stdout]).to.deep.equal([ExitCode.Error, ""]);
        expect(run.stderr).to.equal(`error: the cost inputs are invalid:\n  - traffic file ${traffic}: awsApiGb must be a number of GB per month, 0 or more, found "lots"\n`);
    });
});
