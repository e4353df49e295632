// Where `npm test`'s CPU goes: the type check, then each test file as a mocha run of its own (the
// suite's settings, one worker), two at a time as the suite's two workers run them, all sharing one
// run directory so a recording shared by several files is paid by one of them, as in a real run.
// CPU is user + system time of the file's mocha process and every process it waited for (the tool's
// recording and type-check children, the policy packs); it is what a loaded machine distorts least.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BenchRow, BenchSuite, REPO_ROOT } from "../suite";

const CONCURRENCY = 2;
const MOCHA = path.join(REPO_ROOT, "node_modules", "mocha", "bin", "mocha.js");
const TSC = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");

interface Measured { wall: number; cpu: number; exit: number }

function measured(args: string[], env: NodeJS.ProcessEnv): Promise<Measured> {
    const timeFile = path.join(os.tmpdir(), `trace-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
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

/** The test files in the order `npm test` hands them to its workers (.mocharc.js). */
function specOrder(): string[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(path.join(REPO_ROOT, ".mocharc.js")) as { spec: string[] }).spec;
}

export const testsSuite: BenchSuite = {
    name: "tests",
    description: `CPU seconds of \`npm test\` by step and test file (each file a mocha run of its own, ${CONCURRENCY} at a time, sharing one run directory)`,
    onlyWhenNamed: true,
    async run(): Promise<BenchRow[]> {
        const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "trace-test-run-"));
        const env = { ...process.env, TRACE_TEST_RUN_DIR: runDir };
        const mochaArgs = ["--no-config", "-r", "ts-node/register/transpile-only", "-r", "tests/helpers/build-packages.ts", "--extension", "ts", "--timeout", "600000", "--parallel", "--jobs", "1", "--reporter", "dot"];
        const rows: { label: string; m: Measured }[] = [];
        try {
            rows.push({ label: "tsc --noEmit (typecheck)", m: await measured([TSC, "--noEmit", "-p", "tsconfig.json"], env) });
            const queue = specOrder();
            await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
                for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
                    rows.push({ label: file, m: await measured([MOCHA, ...mochaArgs, file], env) });
                }
            }));
        } finally {
            fs.rmSync(runDir, { recursive: true, force: true });
        }
        const totalCpu = rows.reduce((sum, r) => sum + r.m.cpu, 0);
        return [...rows.sort((a, b) => b.m.cpu - a.m.cpu), { label: "total", m: { wall: NaN, cpu: totalCpu, exit: rows.some((r) => r.m.exit !== 0) ? 1 : 0 } }]
            .map(({ label, m }) => ({
                label,
                figures: { "CPU (s)": m.cpu.toFixed(1), "share": `${((100 * m.cpu) / totalCpu).toFixed(1)}%`, "wall (s)": Number.isNaN(m.wall) ? "" : m.wall.toFixed(1), exit: m.exit },
            }));
    },
};
