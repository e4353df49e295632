// Where a test run's CPU goes, file by file (`npm run bench -- tests`). .mocharc.js loads it as a
// root-hook plugin into every mocha worker only when TRACE_TEST_CPU_LOG names a file: after each test
// file it reads the worker's own CPU time and that of every child process it has waited for (the
// tool's recording children, the policy packs, npm), and appends the difference to the log. In
// parallel mode a worker runs one file at a time and loads the file's modules before its first hook,
// so a file's CPU is counted from the end of the worker's previous file (or from the worker's start).
import * as fs from "fs";
import * as path from "path";
import { procStat } from "./proc-stat";

const LOG_VARIABLE = "TRACE_TEST_CPU_LOG";

/** Seconds of CPU of this process plus its reaped children. */
function cpuSeconds(): number {
    const stat = procStat("self");
    if (stat === undefined) {
        throw new Error("the per-file CPU figures need /proc (Linux)");
    }
    return stat.cpu + stat.childrenCpu;
}

const REPO_ROOT = path.resolve(__dirname, "..", "..");

let since = process.env[LOG_VARIABLE] === undefined ? undefined : { cpu: cpuSeconds(), wall: Date.now() };

export const mochaHooks = since === undefined ? {} : {
    afterAll(this: Mocha.Context): void {
        const file = this.test?.parent?.suites[0]?.file ?? this.test?.parent?.file;
        const now = { cpu: cpuSeconds(), wall: Date.now() };
        if (since !== undefined && file !== undefined) {
            const line = { file: path.relative(REPO_ROOT, file), cpu: now.cpu - since.cpu, wall: (now.wall - since.wall) / 1000 };
            fs.appendFileSync(process.env[LOG_VARIABLE] as string, `${JSON.stringify(line)}\n`);
        }
        since = now;
    },
};
