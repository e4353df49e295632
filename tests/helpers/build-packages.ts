// The policy pack and the tool run from their built JavaScript (package.json `main` and bin, as the
// Pulumi CLI and another team's install run them), and several tests go through that path. Rebuild
// whatever changed before any test runs, so no test exercises output older than its source.
import { execFileSync } from "child_process";
import * as fs from "fs";
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

export function mochaGlobalSetup(): void {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b", "policy-pack", "tools"], { cwd: REPO_ROOT, stdio: "inherit" });
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
