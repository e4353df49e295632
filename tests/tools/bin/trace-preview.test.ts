// The bin's own contract: whatever goes wrong before or outside the CLI's error handling exits 2
// (no preview), never 1 (a mandatory violation) as Node would for an uncaught error. The bin runs
// from a scratch copy next to a stand-in for the compiled CLI, so each failure is made on purpose.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ExitCode } from "../../../tools/cli";
import { REPO_ROOT } from "../helpers";

const BIN = path.join(REPO_ROOT, "tools", "bin", "trace-preview.js");

describe("trace-preview bin: crashes exit 2", () => {
    let scratch: string | undefined;

    beforeEach(() => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "trace-preview-bin-"));
        fs.mkdirSync(path.join(scratch, "bin"));
        fs.copyFileSync(BIN, path.join(scratch, "bin", "trace-preview.js"));
    });

    afterEach(() => {
        if (scratch !== undefined) {
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    });

    const run = (cli: string | undefined): ReturnType<typeof spawnSync> & { stderr: string } => {
        const dir = scratch as string;
        if (cli !== undefined) {
            fs.mkdirSync(path.join(dir, "dist"));
            fs.writeFileSync(path.join(dir, "dist", "cli.js"), cli);
        }
        return spawnSync(process.execPath, [path.join(dir, "bin", "trace-preview.js"), "--stack", "dev"], { encoding: "utf8" });
    };

    it("names a missing module in one line, without a stack trace", () => {
        const r = run('require("commander");\nexports.main = () => undefined;\n');
        expect(r.status).to.equal(ExitCode.Error);
        expect(r.stderr).to.equal("error: trace-preview could not start: Cannot find module 'commander'. Reinstall it (npm ci in the project that depends on it); in the trace-network-posture repository, run npm ci or npm run build.\n");
    });

    it("names the compiled CLI itself when it is missing (the repository's build not run)", () => {
        const r = run(undefined);
        expect(r.status).to.equal(ExitCode.Error);
        expect(r.stderr).to.match(/^error: trace-preview could not start: Cannot find module '\.\.\/dist\/cli\.js'\. Reinstall it/);
    });

    it("exits 2 when the CLI throws while loading", () => {
        const r = run('throw new TypeError("bad build");\n');
        expect(r.status).to.equal(ExitCode.Error);
        expect(r.stderr).to.match(/^error: trace-preview could not start: TypeError: bad build\n/);
    });

    it("exits 2 on an internal error after start: an uncaught exception or an unhandled rejection", () => {
        const thrown = run('exports.main = () => { setTimeout(() => { throw new Error("boom"); }, 0); };\n');
        expect(thrown.status).to.equal(ExitCode.Error);
        expect(thrown.stderr).to.match(/^error: trace-preview failed with an internal error: Error: boom\n/);
        fs.rmSync(path.join(scratch as string, "dist"), { recursive: true });
        const rejected = run('exports.main = () => { Promise.reject(new Error("lost")); };\n');
        expect(rejected.status).to.equal(ExitCode.Error);
        expect(rejected.stderr).to.match(/^error: trace-preview failed with an internal error: Error: lost\n/);
    });
});
