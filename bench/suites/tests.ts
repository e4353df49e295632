// Where `npm test`'s CPU goes: its two steps as `npm test` runs them — the type check, then mocha with
// the suite's own settings (.mocharc.js: two workers, longest files first) — with each test file's
// CPU measured inside its worker (tests/helpers/cpu-by-file.ts, which .mocharc.js loads when the
// log variable is set): the worker's own time plus that of
// every process it waited for. CPU is what a loaded machine distorts least; wall time is the run's.
// A second table splits the same run by kind of process (bench/process-cpu-hook.js, preloaded into
// every Node process of the run): how many the suite starts and what each costs at the least, the
// floor below which no change to the tests' own code can bring it.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BenchRow, BenchSuite, median, REPO_ROOT } from "../suite";

const MOCHA = path.join(REPO_ROOT, "node_modules", "mocha", "bin", "mocha.js");
const TSC = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
const PROCESS_HOOK = path.join(REPO_ROOT, "bench", "process-cpu-hook.js");

/** Kinds of process, by the script each runs (first match). */
const PROCESS_KINDS: [string, (script: string) => boolean][] = [
    ["recording child (record/child)", (s) => /record[\\/]child\.[jt]s$/.test(s)],
    ["type-check child (typecheck/child)", (s) => /typecheck[\\/]child\.[jt]s$/.test(s)],
    ["policy pack (run-policy-pack)", (s) => s.includes("run-policy-pack")],
    ["mocha worker (the tests' own code)", (s) => s.endsWith(path.join("mocha", "lib", "nodejs", "worker.js"))],
    ["npm (pack, install)", (s) => /npm(-cli)?(\.js)?$/.test(s)],
    ["tsc", (s) => /tsc$/.test(s)],
    ["trace-preview bin", (s) => /trace-preview(\.js)?$/.test(s)],
];

function kindOf(script: string): string {
    return PROCESS_KINDS.find(([, matches]) => matches(script))?.[0] ?? "other (mocha itself, npx, tar, ...)";
}

interface Measured { wall: number; cpu: number; exit: number; output: string }

/** Wall and CPU (user + system, the process and everything it waited for) of one command. */
function measured(args: string[], env: NodeJS.ProcessEnv): Promise<Measured> {
    const timeFile = path.join(os.tmpdir(), `trace-bench-time-${process.pid}-${Date.now()}`);
    return new Promise((resolve, reject) => {
        const child = spawn("/usr/bin/time", ["-f", "%e %U %S", "-o", timeFile, process.execPath, ...args], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (b: Buffer) => (output += b.toString("utf8")));
        child.stderr.on("data", (b: Buffer) => (output += b.toString("utf8")));
        child.on("error", reject);
        child.on("close", (code) => {
            const [wall, user, system] = fs.readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
            fs.rmSync(timeFile, { force: true });
            resolve({ wall, cpu: user + system, exit: code ?? -1, output });
        });
    });
}

const seconds = (s: number): string => s.toFixed(1);
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

export const testsSuite: BenchSuite = {
    name: "tests",
    description: "`npm test` once: CPU seconds of the type check and of each test file inside the mocha run (two workers), with each one's share of the run's CPU",
    onlyWhenNamed: true,
    async run(): Promise<BenchRow[]> {
        const log = path.join(os.tmpdir(), `trace-test-cpu-${process.pid}.jsonl`);
        const processLog = path.join(os.tmpdir(), `trace-process-cpu-${process.pid}.jsonl`);
        const env = {
            ...process.env, TRACE_TEST_CPU_LOG: log, TRACE_PROCESS_CPU_LOG: processLog,
            NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${PROCESS_HOOK}`.trim(),
        };
        try {
            const typecheck = await measured([TSC, "--noEmit", "-p", "tsconfig.json"], env);
            const mocha = await measured([MOCHA, "--reporter", "dot"], env);
            // A failing run's figures are no suite's: say which tests failed, in mocha's words.
            for (const step of [typecheck, mocha].filter((m) => m.exit !== 0)) {
                console.error(step.output);
            }
            const files = fs.readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { file: string; cpu: number; wall: number })
                .sort((a, b) => b.cpu - a.cpu);
            const total = typecheck.cpu + mocha.cpu;
            const share = (cpu: number): string => `${((100 * cpu) / total).toFixed(1)}%`;
            const outsideFiles = mocha.cpu - sum(files.map((f) => f.cpu));
            const byKind = new Map<string, number[]>();
            for (const line of fs.readFileSync(processLog, "utf8").trim().split("\n")) {
                const { script, cpu } = JSON.parse(line) as { script: string; cpu: number };
                byKind.set(kindOf(script), [...(byKind.get(kindOf(script)) ?? []), cpu]);
            }
            const kinds = [...byKind].sort((a, b) => sum(b[1]) - sum(a[1])).map(([kind, cpus]) => ({
                label: `process: ${kind}`,
                figures: { "CPU (s)": seconds(sum(cpus)), share: share(sum(cpus)), processes: cpus.length, "median each (s)": seconds(median(cpus)), "least (s)": seconds(Math.min(...cpus)) },
            }));
            return [
                { label: "npm test (both steps)", figures: { "CPU (s)": seconds(total), share: "100%", "wall (s)": seconds(typecheck.wall + mocha.wall), exit: Math.max(typecheck.exit, mocha.exit) } },
                { label: "tsc --noEmit (typecheck)", figures: { "CPU (s)": seconds(typecheck.cpu), share: share(typecheck.cpu), "wall (s)": seconds(typecheck.wall), exit: typecheck.exit } },
                { label: "mocha (test:unit)", figures: { "CPU (s)": seconds(mocha.cpu), share: share(mocha.cpu), "wall (s)": seconds(mocha.wall), exit: mocha.exit } },
                { label: "  mocha itself: setup (build), workers' start, teardown", figures: { "CPU (s)": seconds(outsideFiles), share: share(outsideFiles), "wall (s)": "", exit: "" } },
                ...files.map((f) => ({ label: `  ${f.file}`, figures: { "CPU (s)": seconds(f.cpu), share: share(f.cpu), "wall (s)": seconds(f.wall), exit: "" } })),
                ...kinds,
            ];
        } finally {
            fs.rmSync(log, { force: true });
            fs.rmSync(processLog, { force: true });
        }
    },
};
