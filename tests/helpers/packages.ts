// Packs this repository's packages with `npm pack` and installs them outside it, the way another
// team or the Pulumi CLI gets them. Shared by the packaging tests of the policy pack and the tool.
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { sharedOnce } from "./run-shared";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

// Settings npm exports to scripts it runs (workspace, prefix, ...) must not steer the nested npm,
// which has to behave as in a shell of its own outside this repository.
function cleanEnv(): NodeJS.ProcessEnv {
    return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith("npm_")));
}

/** Runs npm; a failure throws with npm's own output. */
export function npm(args: string[], cwd: string): string {
    const run = spawnSync("npm", args, { cwd, env: cleanEnv(), encoding: "utf8" });
    if (run.status !== 0) {
        throw new Error(`npm ${args.join(" ")} in ${cwd} exited with ${run.status ?? run.signal}:\n${run.stdout}\n${run.stderr}`);
    }
    return run.stdout;
}

/** `npm`, without blocking the test process: an install runs while the test starts packs and records. */
export function npmAsync(args: string[], cwd: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = spawn("npm", args, { cwd, env: cleanEnv() });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (t: string) => (stdout += t));
        child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
        child.on("error", reject);
        child.on("close", (status, signal) => (status === 0
            ? resolve(stdout)
            : reject(new Error(`npm ${args.join(" ")} in ${cwd} exited with ${status ?? signal}:\n${stdout}\n${stderr}`))));
    });
}

export interface Packed {
    tarball: string;
    /** Paths inside the tarball, relative to its package/ directory. */
    files: string[];
}

/** `npm pack` of a package directory of this repository (its prepack builds it) into `dest`. */
export function pack(packageDir: string, dest: string): Packed {
    const [report] = JSON.parse(npm(["pack", "--json", "--pack-destination", dest], packageDir)) as { filename: string; files: { path: string }[] }[];
    return { tarball: path.join(dest, report.filename), files: report.files.map((f) => f.path).sort() };
}

export const POLICY_PACK_DIR = path.join(REPO_ROOT, "policy-pack");
export const TOOLS_DIR = path.join(REPO_ROOT, "tools");

export interface PackedPackages {
    policyPack: Packed;
    tool: Packed;
}

/**
 * The tarballs of both packages, packed once per test run (outside the repository, in the run's
 * shared directory) and shared by the packaging tests of the pack and of the tool.
 */
export function packedPackages(): Promise<PackedPackages> {
    return sharedOnce("packed-packages", async (dir) => ({ policyPack: pack(POLICY_PACK_DIR, dir), tool: pack(TOOLS_DIR, dir) }));
}

/** A fresh directory outside the repository, for a test's before() hook. */
export function scratchDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Deletes a scratch directory with everything installed in it; for the after() hook. */
export function removeScratch(dir: string | undefined): void {
    if (dir !== undefined) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Unpacks an npm tarball into `dest`/package, as `pulumi policy` does with a published pack. */
export function unpack(tarball: string, dest: string): string {
    const run = spawnSync("tar", ["xzf", tarball, "-C", dest], { encoding: "utf8" });
    if (run.status !== 0) {
        throw new Error(`tar xzf ${tarball} failed: ${run.stderr}`);
    }
    return path.join(dest, "package");
}

export const INSTALL_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund"];
