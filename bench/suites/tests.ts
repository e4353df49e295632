// Where `npm test`'s CPU goes: its two steps as `npm test` runs them — the type check, then mocha with
// the suite's own settings (.mocharc.js: two workers, longest files first) — with each test file's
// CPU measured inside its worker (tests/helpers/cpu-by-file.ts, which .mocharc.js loads when the
// log variable is set): the worker's own time plus that of
// every process it waited for. CPU is what a loaded machine distorts least; wall time is the run's.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BenchRow, BenchSuite, REPO_ROOT } from "../suite";

const MOCHA = path.join(REPO_ROOT, "node_modules", "mocha", "bin", "mocha.js");
const TSC = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");

interface Measured { wall: number; cpu: number; exit: number }

/** Wall and CPU (user + system, the process and everything it waited for) of one command. */
function measured(args: string[], env: NodeJS.ProcessEnv): Promise<Measured> {
    const timeFile = path.join(os.tmpdir(), `trace-bench-time-${process.pid}-${Date.now()}`);
    return new Promise((resolve, reject) => {
        const child = spawn("/usr/bin/time", ["-f", "%e %U %S", "-o", timeFile, process.execPath, ...args], { cwd: REPO_ROOT, env, stdio: "ignore" });
        child.on("error", reject);
        child.on("close", (code) => {
            const [wall, user, system] = fs.readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
            fs.rmSync(timeFile, { force: true });
            resolve({ wall, cpu: user + system, exit: code ?? -1 });
        });
    });
}

const seconds = (s: number): string => s.toFixed(1);

export const testsSuite: BenchSuite = {
    name: "tests",
    description: "`npm test` once: CPU seconds of the type check and of each test file inside the mocha run (two workers), with each one's share of the run's CPU",
    onlyWhenNamed: true,
    async run(): Promise<BenchRow[]> {
        const log = path.join(os.tmpdir(), `trace-test-cpu-${process.pid}.jsonl`);
        const env = { ...process.env, TRACE_TEST_CPU_LOG: log };
        try {
            const typecheck = await measured([TSC, "--noEmit", "-p", "tsconfig.json"], env);
            const mocha = await measured([MOCHA, "--reporter", "dot"], env);
            const files = fs.readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { file: string; cpu: number; wall: number })
                .sort((a, b) => b.cpu - a.cpu);
            const total = typecheck.cpu + mocha.cpu;
            const share = (cpu: number): string => `${((100 * cpu) / total).toFixed(1)}%`;
            const outsideFiles = mocha.cpu - files.reduce((sum, f) => sum + f.cpu, 0);
            return [
                { label: "npm test (both steps)", figures: { "CPU (s)": seconds(total), share: "100%", "wall (s)": seconds(typecheck.wall + mocha.wall), exit: Math.max(typecheck.exit, mocha.exit) } },
                { label: "tsc --noEmit (typecheck)", figures: { "CPU (s)": seconds(typecheck.cpu), share: share(typecheck.cpu), "wall (s)": seconds(typecheck.wall), exit: typecheck.exit } },
                { label: "mocha (test:unit)", figures: { "CPU (s)": seconds(mocha.cpu), share: share(mocha.cpu), "wall (s)": seconds(mocha.wall), exit: mocha.exit } },
                { label: "  mocha itself: setup (build), workers' start, teardown", figures: { "CPU (s)": seconds(outsideFiles), share: share(outsideFiles), "wall (s)": "", exit: "" } },
                ...files.map((f) => ({ label: `  ${f.file}`, figures: { "CPU (s)": seconds(f.cpu), share: share(f.cpu), "wall (s)": seconds(f.wall), exit: "" } })),
            ];
        } finally {
            fs.rmSync(log, { force: true });
        }
    },
};
