// The policy pack and the tool run from their built JavaScript (package.json `main` and bin, as the
// Pulumi CLI and another team's install run them), and several tests go through that path. Rebuild
// whatever changed before any test runs, so no test exercises output older than its source.
import { execFileSync } from "child_process";
import * as path from "path";

const REPO_ROOT = path.resolve(__dirname, "..", "..");

export function mochaGlobalSetup(): void {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-b", "policy-pack", "tools"], { cwd: REPO_ROOT, stdio: "inherit" });
}
