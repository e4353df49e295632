import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

import { requirementLines, Seed, seedText } from "../../docs/requirements";
import { Owner, policyTest, README, readmeWithTraceability, renderTraceability, TRACES } from "../../docs/traceability";
import { allPolicies } from "../../policy-pack/policies";

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * DESIGN.md contract names that sibling branches add (issue 18's perimeter policies and issue 19's
 * TLS and at-rest ones): the table may name them before they land. Empty this list once merged.
 */
describe("traceability: the security model and ADR 0002, line by line", () => {
    for (const seed of Object.values(Seed)) {
        it(`${seed}: lists every requirement line of the document, in order, each once`, () => {
            const lines = requirementLines(seedText(seed)).map((l) => l.text);
            expect(TRACES.filter((t) => t.seed === seed).map((t) => t.line)).to.deep.equal(lines);
        });
    }

    it("reads statements only: list items, table body rows and prose, never headings, table headers or code", () => {
        const doc = ["# Title", "Intro line.", "## Part", "- item one", "  - nested", "1. step", "| a | b |", "|---|---|", "| x | y |", "```yaml", "jobs: []", "```", "---", "**Label**:"].join("\n");
        expect(requirementLines(doc)).to.deep.equal([
            { section: "Title", text: "Intro line." },
            { section: "Part", text: "item one" },
            { section: "Part", text: "nested" },
            { section: "Part", text: "step" },
            { section: "Part", text: "| x | y |" },
            { section: "Part", text: "**Label**:" },
        ]);
    });

    it("names only policies of the pack (or contract names landing from sibling branches), and each pack policy's test exists", () => {
        const names = new Set(allPolicies.map((p) => p.name));
        const named = [...new Set(TRACES.flatMap((t) => t.policies))];
        expect(named.filter((p) => !names.has(p))).to.deep.equal([]);
        expect(named.filter((p) => names.has(p) && !fs.existsSync(path.join(ROOT, policyTest(p))))).to.deep.equal([]);
    });

    it("names program files that construct the resources it lists, and test files that exist", () => {
        const missing: string[] = [];
        for (const t of TRACES) {
            for (const ref of t.program) {
                const file = path.join(ROOT, ref.file);
                const source = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
                missing.push(...ref.resources.filter((r) => !source.includes(`new ${r}(`)).map((r) => `${ref.file}: ${r}`));
            }
            missing.push(...t.tests.filter((f) => !fs.existsSync(path.join(ROOT, f))));
        }
        expect(missing).to.deep.equal([]);
    });

    it("says why for every line the infrastructure does not enforce by policy, and traces every infrastructure line to something", () => {
        const unexplained = TRACES.filter((t) => (t.owner !== Owner.Infrastructure || t.policies.length === 0) && (t.note ?? "").length === 0);
        expect(unexplained.map((t) => t.line)).to.deep.equal([]);
        const untraced = TRACES.filter((t) => t.owner === Owner.Infrastructure && t.program.length === 0 && t.policies.length === 0);
        expect(untraced.map((t) => t.line)).to.deep.equal([]);
        const stray = TRACES.filter((t) => t.owner !== Owner.Infrastructure && (t.program.length > 0 || t.policies.length > 0 || t.tests.length > 0));
        expect(stray.map((t) => t.line)).to.deep.equal([]);
    });

    it("is rendered into the pack README as generated (npx ts-node docs/traceability.ts --write)", () => {
        const readme = fs.readFileSync(README, "utf8");
        expect(readme).to.include(renderTraceability());
        expect(readmeWithTraceability(readme)).to.equal(readme);
    });
});
