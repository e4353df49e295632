// Mocha's settings (a .js file so the order of the test files can be computed).
//
// The files run in parallel on 2 workers (the machines are 2-core), each worker taking the next file
// in this order when it finishes one. The longest files go first, so no long file starts near the
// end and runs on alone while the other core idles; the many short files fill in after them.
const fs = require("fs");
const path = require("path");

/** The longest files, longest first (CPU seconds of each alone, with its child processes). */
const LONGEST_FIRST = [
    "tests/policy-pack/fuzz.test.ts",
    "tests/policy-pack/package.test.ts",
    "tests/tools/cli.test.ts",
    "tests/tools/record/index.test.ts",
    "tests/tools/policy-fixtures.test.ts",
    "tests/tools/package.test.ts",
    "tests/conformance/cli.test.ts",
    "tests/tools/cost/cli.test.ts",
    // The first of the files on this repo's own stacks: it records them for the others (tests/helpers/repo-stacks.ts).
    "tests/index.test.ts",
    "tests/conformance/typescript.test.ts",
    "tests/policy-pack/policies/no-internet-path-from-workloads.test.ts",
    "tests/conformance/outputs.test.ts",
    "tests/tools/reachability-fixtures.test.ts",
    "tests/tools/report/index.test.ts",
];

const all = fs.readdirSync(path.join(__dirname, "tests"), { recursive: true })
    .map((f) => path.posix.join("tests", f.split(path.sep).join("/")))
    .filter((f) => f.endsWith(".test.ts"))
    .sort();
for (const f of LONGEST_FIRST) {
    if (!all.includes(f)) {
        throw new Error(`.mocharc.js names ${f}, which is not a test file`);
    }
}

module.exports = {
    // cpu-by-file.ts: only for `npm run bench -- tests`, which names its log in the environment.
    require: ["ts-node/register/transpile-only", "tests/helpers/build-packages.ts", ...(process.env.TRACE_TEST_CPU_LOG === undefined ? [] : ["tests/helpers/cpu-by-file.ts"])],
    extension: ["ts"],
    spec: [...LONGEST_FIRST, ...all.filter((f) => !LONGEST_FIRST.includes(f))],
    // The workers inherit mocha's Node flags. A 64 MB young generation (V8's default is 16 MB) halves the
    // scavenges of the fuzz's short-lived property trees: 64 -> 48 CPU-seconds for that file alone.
    "node-option": ["max-semi-space-size=64"],
    timeout: 60000,
    reporter: "spec",
    parallel: true,
    jobs: 2,
};
