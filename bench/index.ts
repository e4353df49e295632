// `npm run bench [-- <suite>...]`: runs the benchmark suites and prints their figures. Not a test:
// nothing here asserts a threshold.
//
// To add a benchmark (e.g. reachability: 10,000 resources with 1,000 workloads, policy time only),
// write bench/suites/<name>.ts exporting a BenchSuite and append it to SUITES; syntheticStack() in
// bench/synthetic.ts builds the stack ({ resources: 10_000, workloads: 1_000 }).
import { analyzerSuite } from "./suites/analyzer";
import { previewSuite } from "./suites/preview";
import { reachabilitySuite } from "./reachability";
import { testsSuite } from "./suites/tests";
import { BenchRow, BenchSuite } from "./suite";
import { exitOnSignals } from "../tools/shared/children";

export const SUITES: BenchSuite[] = [analyzerSuite, previewSuite, reachabilitySuite, testsSuite];

function print(suite: BenchSuite, rows: BenchRow[]): void {
    console.log(`\n## ${suite.name}: ${suite.description}\n`);
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r.figures)))];
    const header = ["", ...columns];
    const lines = rows.map((r) => [r.label, ...columns.map((c) => String(r.figures[c] ?? ""))]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
    const fmt = (cells: string[]): string => "| " + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ") + " |";
    console.log(fmt(header));
    console.log("|" + widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|");
    lines.forEach((l) => console.log(fmt(l)));
}

async function main(): Promise<void> {
    // A bench stopped with Ctrl-C or SIGTERM stops the packs and programs it started too.
    exitOnSignals();
    const wanted = process.argv.slice(2);
    const unknown = wanted.filter((w) => !SUITES.some((s) => s.name === w));
    if (unknown.length > 0) {
        console.error(`unknown suite(s) ${unknown.join(", ")}; suites: ${SUITES.map((s) => s.name).join(", ")}`);
        process.exitCode = 2;
        return;
    }
    for (const suite of SUITES.filter((s) => (wanted.length === 0 ? !s.onlyWhenNamed : wanted.includes(s.name)))) {
        print(suite, await suite.run());
    }
}

main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exitCode = 2;
});
