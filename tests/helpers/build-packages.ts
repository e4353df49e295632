// The policy pack and the tool run from their built JavaScript (package.json `main` and bin, as the
// Pulumi CLI and another team's install run them), and several tests go through that path. Rebuild
// whatever changed before any test runs, so no test exercises output older than its source.
import { execFileSync } from "child_process";
import * as fs from "fs";
import Module from "module";
import * as os from "os";
import * as path from "path";
import { RUN_DIR_VARIABLE } from "./run-shared";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

// Tests of verdicts and reports run fixture programs through the tool again and again; type-checking
// each one against @pulumi/aws's typings costs 10-40 s of CPU and proves nothing they assert (`npm
// test` type-checks every fixture program with tsc first). The language host's own switch turns the
// program type check off for them; tests/conformance turns it back on where it is what they test.
// Set here because this module is required in every mocha worker.
process.env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";

// Mocha's workers run the tool as it ships: there an import of a tool module (tools/preview.ts,
// tools/<stage>/**) loads the JavaScript the setup below compiled from it (tools/dist), so the recording
// and type-check processes the tool starts run compiled JavaScript too. From its TypeScript sources
// the tool makes every child process compile the tool's own files again with ts-node
// (tools/shared/tool-ts.js): half a second of CPU in each of the hundred-odd children of a run.
// tests/tools/record/index.test.ts runs that path in a process of its own; types still come from the
// sources (`npm run typecheck`). The workers start after the setup, so the build is fresh when they
// load anything; a run without workers (a file on its own) loads its files before the setup and
// keeps to the sources.
const TOOLS_BUILT_VARIABLE = "TRACE_TEST_TOOLS_BUILT";
const TOOLS_SOURCES = path.join(REPO_ROOT, "tools") + path.sep;
const TOOLS_DIST = path.join(REPO_ROOT, "tools", "dist") + path.sep;
if (process.env[TOOLS_BUILT_VARIABLE] === "true") {
    const moduleInternals = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
    const resolveFilename = moduleInternals._resolveFilename;
    moduleInternals._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
        const file = resolveFilename.call(this, request, ...rest);
        const ofTheTool = file.startsWith(TOOLS_SOURCES) && !file.startsWith(TOOLS_DIST) && !file.includes(`${path.sep}node_modules${path.sep}`);
        if (!ofTheTool || !file.endsWith(".ts") || file.endsWith(".d.ts")) {
            return file;
        }
        const compiled = path.join(TOOLS_DIST, file.slice(TOOLS_SOURCES.length).replace(/\.ts$/, ".js"));
        if (!fs.existsSync(compiled)) {
            throw new Error(`${compiled} is missing: the tool's build (tsc -b policy-pack tools) did not compile ${file}`);
        }
        return compiled;
    };
}

export function mochaGlobalSetup(): void {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b", "policy-pack", "tools"], { cwd: REPO_ROOT, stdio: "inherit" });
    process.env[TOOLS_BUILT_VARIABLE] = "true";
    // The directory of what the run's test files share (run-shared.ts); mocha starts its workers
    // after this setup, so they inherit the variable.
    process.env[RUN_DIR_VARIABLE] = fs.mkdtempSync(path.join(os.tmpdir(), "trace-test-run-"));
}

export function mochaGlobalTeardown(): void {
    const dir = process.env[RUN_DIR_VARIABLE];
    if (dir !== undefined) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
