// The offline tool as a process, as a user or CI runs it: how the language host reports a program
// that does not compile or stops with a RunError, what a signal leaves behind, progress on stderr.
import { expect } from "chai";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ExitCode } from "../../tools/cli";
import { procStat } from "../helpers/proc-stat";
import { PROBE_PACK, conformanceProgram, typeCheckedEnv } from "./helpers";

const BIN = path.resolve(__dirname, "..", "..", "tools", "bin", "trace-preview.js");

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: typeCheckedEnv() });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every live descendant of `pid`, from /proc. */
function descendants(pid: number): number[] {
    const parentOf = new Map<number, number>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) {
            continue;
        }
        // Undefined when it is gone between readdir and read.
        const stat = procStat(Number(entry));
        if (stat !== undefined) {
            parentOf.set(Number(entry), stat.ppid);
        }
    }
    const found: number[] = [];
    const walk = (p: number): void => {
        for (const [child, parent] of parentOf) {
            if (parent === p) {
                found.push(child);
                walk(child);
            }
        }
    };
    walk(pid);
    return found;
}

function alive(pid: number): boolean {
    const stat = procStat(pid);
    return stat !== undefined && stat.state !== "Z";
}

describe("conformance: the tool as a process", function () {
    // Cold type checks against @pulumi/aws's typings, 15 s of CPU each, beside the other worker's tests.
    this.timeout(180_000);

    it("stops at a type error as the language host does: exit 2, file:line, no stack trace of the tool", () => {
        const r = run("--program", conformanceProgram("type-error"), "--stack", "test", "--policy-pack", PROBE_PACK, "--quiet");
        expect(r.status).to.equal(ExitCode.Error);
        expect(r.stdout).to.equal("");
        expect(r.stderr).to.equal(
            `error: the program does not compile: Running program '${conformanceProgram("type-error")}' failed with an unhandled exception:\n` +
            "TSError: ⨯ Unable to compile TypeScript:\n" +
            "index.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.\n",
        );
    });

    it("prints a RunError as its message alone and exits 2", () => {
        const r = run("--program", conformanceProgram("run-error"), "--stack", "test", "--policy-pack", PROBE_PACK, "--quiet");
        expect(r.status).to.equal(ExitCode.Error);
        expect(r.stderr).to.equal(
            "error: the program failed (1 resource registered before the failure): Stack config has 1 problem(s); nothing was deployed:\n" +
            '  - conf-run-error:size = "big": must be an integer\n',
        );
    });

    it("checks --output's directory before running anything", () => {
        const missing = path.join(conformanceProgram("engine"), "no-such-dir", "report.json");
        const r = run("--program", conformanceProgram("engine"), "--stack", "test", "--policy-pack", PROBE_PACK, "--output", missing);
        expect(r.status).to.equal(ExitCode.Error);
        expect(r.stderr).to.equal(`error: bad arguments: --output ${missing}: the directory ${path.dirname(missing)} does not exist (see --help)\n`);
    });

    for (const [signal, code] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
        it(`on a real ${signal} mid-run stops every child within 2 s and exits ${code}`, async () => {
            const tool: ChildProcess = spawn(process.execPath, [BIN, "--program", conformanceProgram("engine"), "--stack", "test", "--policy-pack", PROBE_PACK], {
                stdio: ["ignore", "pipe", "pipe"], env: typeCheckedEnv(),
            });
            let stderr = "";
            tool.stderr?.on("data", (b: Buffer) => (stderr += b.toString("utf8")));
            const exited = new Promise<number | null>((resolve) => tool.on("exit", (c) => resolve(c)));
            // Wait until the recording, the type check and the analyzer are all running.
            let children: number[] = [];
            for (let i = 0; i < 600 && children.length < 3; i++) {
                await new Promise((r) => setTimeout(r, 100));
                children = descendants(tool.pid as number);
            }
            expect(children.length, stderr).to.be.at.least(3);
            expect(stderr).to.include("starting policy pack");
            const sent = Date.now();
            tool.kill(signal);
            const status = await exited;
            expect(Date.now() - sent).to.be.below(2000);
            expect(status).to.equal(code);
            expect(stderr.split("\n").filter((l) => l.startsWith("error:")), stderr).to.deep.equal([
                `error: interrupted by ${signal}: the preview did not finish, and every process it started was stopped`,
            ]);
            await new Promise((r) => setTimeout(r, 200));
            expect(children.filter(alive), "children left running").to.deep.equal([]);
        });
    }

    it("shows progress on stderr as plain lines outside a terminal, and nothing with --quiet", () => {
        const args = ["--program", conformanceProgram("engine"), "--stack", "test", "--policy-pack", PROBE_PACK, "--format", "json"];
        const shown = run(...args);
        expect(shown.status, shown.stderr).to.equal(ExitCode.Clean);
        const lines = shown.stderr.trimEnd().split("\n");
        expect(lines[0]).to.equal("Previewing conf-engine/test offline (preview mode)");
        // Another test of the run may have type-checked this program already: then the cache answers.
        expect(lines.filter((l) => l.startsWith("program type check: "))).to.deep.be.oneOf([["program type check: passed"], ["program type check: passed (unchanged since the last check)"]]);
        expect(lines).to.include.members([
            `starting policy pack ${path.relative(process.cwd(), PROBE_PACK)}`,
            "policy pack conformance-probe@v0.0.1 ready",
            "program recorded: 13 resources (with the stack and default providers)",
            "analysis 14/14",
        ]);
        expect(lines.some((l) => /^running the program: \d+ resources? registered$/.test(l)), shown.stderr).to.equal(true);
        expect(JSON.parse(shown.stdout).summary.resources).to.equal(13);
        const quiet = run(...args, "--quiet");
        expect(quiet.status, quiet.stderr).to.equal(ExitCode.Clean);
        expect(quiet.stderr).to.equal("");
    });
});
