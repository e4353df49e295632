import { expect } from "chai";
import { PreviewResult } from "../../../tools/preview";
import { markdownReport } from "../../../tools/report/markdown";
import { renderContext, sourcesPreview } from "../report-fixture";

function section(md: string, heading: string): string {
    const start = md.indexOf(`### ${heading}\n`);
    expect(start, heading).to.be.greaterThan(-1);
    const next = md.indexOf("\n### ", start + 1);
    return md.slice(start, next < 0 ? undefined : next + 1);
}

describe("--format markdown: a summary for a job summary or a PR comment", () => {
    let result: PreviewResult;

    before(async () => {
        result = await sourcesPreview();
    });

    it("past the row limit, fills the tables in order and says how many rows each left out", () => {
        const md = markdownReport(result, renderContext(result).sources, 3);
        const pack = section(md, "tool-test-pack@v1.2.3");
        expect(pack.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| Policy") && !l.startsWith("| ---")).length).to.equal(3);
        expect(pack).to.include("\n_1 row left out; the text, JSON and SARIF reports list them all._\n");
        const deferred = section(md, "Checks deferred to deployment");
        expect(deferred).to.include("| Policy | Resource | Source | Unknown during the preview |\n| --- | --- | --- | --- |\n\n_2 rows left out; the text, JSON and SARIF reports list them all._\n");
        // The counts still cover everything.
        expect(md.endsWith("| 1 | 3 | 8 | 4 | 0 | 0 | 2 |\n")).to.equal(true);
    });

    it("lists the exemptions the exemption step applied, with their reasons", () => {
        const md = markdownReport({
            ...result,
            exemptions: { applied: [{ policyPack: "tool-test-pack", policy: "no-public-subnets", resource: "open", urn: "urn:x", type: "aws:ec2/subnet:Subnet", name: "open", reason: "public by design | see ADR-7" }], stale: [] },
        }, renderContext(result).sources);
        expect(section(md, "Exemptions applied")).to.equal([
            "### Exemptions applied",
            "",
            "| Policy | Resource | Reason |",
            "| --- | --- | --- |",
            "| no-public-subnets (tool-test-pack) | `aws:ec2/subnet:Subnet` open | public by design \\| see ADR-7 |",
            "",
            "",
        ].join("\n"));
        expect(md).to.include("| 1 | 3 | 8 | 4 | 0 | 1 | 2 |\n");
    });

    it("lists stale exemptions with their entry in the config file, as the text, JSON and SARIF reports do", () => {
        const md = markdownReport({
            ...result,
            exemptions: {
                applied: [],
                stale: [
                    { policyPack: "tool-test-pack", policy: "no-public-subnets", resource: "gone-*", reason: "TEAM-3", configFile: { path: "config/team.json", line: 4 } },
                    { policyPack: "tool-test-pack", policy: "max-security-groups", resource: "old-sg", reason: "pack default" },
                ],
            },
        }, renderContext(result).sources);
        expect(section(md, "Stale exemptions")).to.equal([
            "### Stale exemptions",
            "",
            "These entries of the policy pack config match no resource of this stack: remove them or fix their pattern.",
            "",
            "| Policy | Entry | Config file | Reason |",
            "| --- | --- | --- | --- |",
            "| no-public-subnets (tool-test-pack) | `gone-*` | `config/team.json:4` | TEAM-3 |",
            "| max-security-groups (tool-test-pack) | `old-sg` | the pack's default config | pack default |",
            "",
            "",
        ].join("\n"));
        expect(markdownReport(result, renderContext(result).sources)).to.not.include("### Stale exemptions");
    });

    it("keeps a message's HTML and table syntax out of the table, and its line breaks as <br>", () => {
        const violation = result.violations.find((d) => d.urn.endsWith("::open"));
        expect(violation).to.not.equal(undefined);
        const md = markdownReport({ ...result, violations: [{ ...violation!, message: "<img src=x> a|b\nline two" }] }, renderContext(result).sources);
        expect(md).to.include("| `tests/fixtures/programs/sources/index.ts:5` | &lt;img src=x&gt; a\\|b<br>line two |\n");
    });

    it("gives the verdict first: ✅ when nothing mandatory is left", () => {
        const md = markdownReport({ ...result, violations: [] }, renderContext(result).sources);
        expect(md.split("\n")[0]).to.equal("## ✅ Policy check passed: no mandatory violations, 0 advisory");
        expect(section(md, "tool-test-pack@v1.2.3")).to.equal("### tool-test-pack@v1.2.3\n\nNo violations.\n\n");
        expect(section(md, "Checks deferred to deployment")).to.equal("### Checks deferred to deployment\n\nNone: every policy ran on every resource.\n\n");
    });
});
