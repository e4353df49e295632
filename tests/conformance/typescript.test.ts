// A program on TypeScript 6 without a tsconfig.json: the language host picks `nodenext` (TypeScript
// 4.7 and later) and runs it; forcing `moduleResolution: node` would stop it with TS5107. The program
// needs its own typescript next to its own @pulumi/pulumi (run.js resolves typescript from there), so
// the test lays one out under node_modules/.cache and removes it afterwards. TypeScript 6 is installed
// there from the registry (npm cache first), not as a root devDependency: two packages named
// typescript in the root would fight over node_modules/.bin/tsc.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ExitCode } from "../../tools/cli";
import { conformanceProgram, PROBE_PACK, typeCheckedEnv } from "./helpers";

const REPO = path.resolve(__dirname, "..", "..");
const BIN = path.join(REPO, "tools", "bin", "trace-preview.js");
const TYPESCRIPT_6 = "6.0.3";

describe("conformance: TypeScript 6 with no tsconfig", () => {
    const dir = path.join(REPO, "node_modules", ".cache", "trace-preview-tests", `ts6-${process.pid}`);

    before(function () {
        this.timeout(300_000);
        const ts6Prefix = path.join(dir, "ts6");
        const install = spawnSync("npm", ["install", "--prefix", ts6Prefix, "--no-save", "--no-audit", "--no-fund", "--prefer-offline", `typescript@${TYPESCRIPT_6}`], { encoding: "utf8" });
        expect(install.status, install.stderr).to.equal(0);
        const ts6 = path.join(ts6Prefix, "node_modules", "typescript");
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
        const r = spawnSync(process.execPath, [BIN, "--program", dir, "--stack", "test", "--policy-pack", PROBE_PACK, "--format", "json", "--no-cost"], { encoding: "utf8", env: typeCheckedEnv() });
        expect(r.status, r.stderr).to.equal(ExitCode.Clean);
        expect(r.stderr).to.include("program type check: passed\n");
        const report = JSON.parse(r.stdout) as { resources: { urn: string }[] };
        expect(report.resources.map((x) => x.urn)).to.deep.equal([
            "urn:pulumi:test::conf-ts6::pulumi:pulumi:Stack::conf-ts6-test",
            "urn:pulumi:test::conf-ts6::conf:index:Box::box",
        ]);
    });
});
