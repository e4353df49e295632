// A program on TypeScript 6 without a tsconfig.json: the language host picks `nodenext` (TypeScript
// 4.7 and later) and runs it; forcing `moduleResolution: node` would stop it with TS5107. The program
// needs its own typescript next to its own @pulumi/pulumi (run.js resolves typescript from there), so
// the test lays one out under node_modules/.cache and removes it afterwards.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ExitCode } from "../../tools/preview";
import { conformanceProgram, PROBE_PACK } from "./helpers";

const REPO = path.resolve(__dirname, "..", "..");
const BIN = path.join(REPO, "tools", "bin", "trace-preview.js");

describe("conformance: TypeScript 6 with no tsconfig", () => {
    const dir = path.join(REPO, "node_modules", ".cache", "trace-preview-tests", `ts6-${process.pid}`);

    before(() => {
        // devDependency "typescript-6": "npm:typescript@6.x".
        const ts6 = path.dirname(require.resolve("typescript-6/package.json"));
        const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
        fs.mkdirSync(path.join(dir, "node_modules", "@pulumi"), { recursive: true });
        fs.cpSync(conformanceProgram("ts6-no-tsconfig"), dir, { recursive: true });
        fs.symlinkSync(ts6, path.join(dir, "node_modules", "typescript"));
        // A real directory (hard links), not a symlink: Node would follow a symlink back to the
        // repo's SDK, which resolves the repo's TypeScript 5.
        const copy = spawnSync("cp", ["-al", sdk, path.join(dir, "node_modules", "@pulumi", "pulumi")]);
        expect(copy.status, copy.stderr?.toString()).to.equal(0);
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("type-checks and runs the program", () => {
        const tsVersion = (require(path.join(dir, "node_modules", "typescript", "package.json")) as { version: string }).version;
        expect(tsVersion).to.match(/^6\./);
        const r = spawnSync(process.execPath, [BIN, "--program", dir, "--stack", "test", "--policy-pack", PROBE_PACK, "--format", "json"], { encoding: "utf8" });
        expect(r.status, r.stderr).to.equal(ExitCode.Clean);
        expect(r.stderr).to.include("program type check: passed\n");
        const report = JSON.parse(r.stdout) as { resources: { urn: string }[] };
        expect(report.resources.map((x) => x.urn)).to.deep.equal([
            "urn:pulumi:test::conf-ts6::pulumi:pulumi:Stack::conf-ts6-test",
            "urn:pulumi:test::conf-ts6::conf:index:Box::box",
        ]);
    });
});
