// Packs this repository's packages with `npm pack` and installs them outside it, the way another
// team or the Pulumi CLI gets them. Shared by the packaging tests of the policy pack and the tool.
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import { builtinModules } from "module";
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

export interface NpmRun {
    stdout: string;
    /** npm's warnings, e.g. the packages whose install scripts it left unapproved. */
    stderr: string;
}

/** `npm`, without blocking the test process: an install runs while the test starts packs and records. */
export function npmAsync(args: string[], cwd: string): Promise<NpmRun> {
    return new Promise((resolve, reject) => {
        const child = spawn("npm", args, { cwd, env: cleanEnv() });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (t: string) => (stdout += t));
        child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
        child.on("error", reject);
        child.on("close", (status, signal) => (status === 0
            ? resolve({ stdout, stderr })
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

/** The packages npm names in its `install-scripts` warning (scripts it did not run). */
export function installScriptWarnings(stderr: string): string[] {
    return [...stderr.matchAll(/^npm warn install-scripts +(\S+)@[^@\s]+ \(/gm)].map((m) => m[1]).sort();
}

interface LockEntry {
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    hasInstallScript?: boolean;
}

export interface InstalledPackage {
    /** As npm's lockfile names it: node_modules/a/node_modules/b. */
    location: string;
    name: string;
    hasInstallScript: boolean;
    /** Its files, without the packages nested in it. */
    bytes: number;
}

/** Node's resolution over npm's lockfile: the nearest node_modules/<name> from `from` upwards. */
function resolveInLock(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
    for (let dir = from; ; dir = dir.slice(0, Math.max(dir.lastIndexOf("/node_modules/"), 0))) {
        const candidate = `${dir === "" ? "" : `${dir}/`}node_modules/${name}`;
        if (packages[candidate] !== undefined) {
            return candidate;
        }
        if (dir === "") {
            return undefined;
        }
    }
}

function bytesOf(dir: string): number {
    return fs.readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.name !== "node_modules")
        .reduce((sum, e) => sum + (e.isDirectory() ? bytesOf(path.join(dir, e.name)) : e.isFile() ? fs.statSync(path.join(dir, e.name)).size : 0), 0);
}

/**
 * What a project's install holds for `roots` and nothing else needs: every package reachable from
 * them (dependencies and required peers, as npm installs them) and not from `otherRoots`.
 */
export function packagesOnlyFor(projectDir: string, roots: string[], otherRoots: string[]): InstalledPackage[] {
    const packages = (JSON.parse(fs.readFileSync(path.join(projectDir, "node_modules", ".package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> }).packages;
    const reachable = (names: string[]): Set<string> => {
        const seen = new Set<string>();
        const pending = names.map((n) => resolveInLock(packages, "", n));
        while (pending.length > 0) {
            const at = pending.pop();
            if (at === undefined || seen.has(at)) {
                continue;
            }
            seen.add(at);
            const entry = packages[at];
            const optionalPeer = (n: string): boolean => entry.peerDependenciesMeta?.[n]?.optional === true;
            const needs = [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {}), ...Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeer(n))];
            pending.push(...needs.map((n) => resolveInLock(packages, at, n)));
        }
        return seen;
    };
    const others = reachable(otherRoots);
    return [...reachable(roots)].filter((at) => !others.has(at)).sort().map((location) => ({
        location,
        name: location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length),
        hasInstallScript: packages[location].hasInstallScript === true,
        bytes: bytesOf(path.join(projectDir, location)),
    }));
}

/**
 * The packages a package's shipped JavaScript loads (`require`, `require.resolve`) that it does not
 * declare as dependencies; Node's own modules and the package itself excepted, and so is a
 * `require.resolve` with `paths`, which finds a dependency's own dependency from that dependency.
 */
export function undeclaredRequires(packageDir: string, files: string[]): string[] {
    const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")) as { name: string; dependencies?: Record<string, string> };
    const declared = new Set([pkg.name, ...Object.keys(pkg.dependencies ?? {})]);
    const loaded = files.filter((f) => f.endsWith(".js")).flatMap((f) =>
        [...fs.readFileSync(path.join(packageDir, f), "utf8").matchAll(/require(?:\.resolve)?\("([^".][^"]*)"(?!, \{ paths)/g)].map((m) => m[1]));
    const packageName = (specifier: string): string => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");
    return [...new Set(loaded.map(packageName))].filter((n) => !declared.has(n) && !builtinModules.includes(n.replace(/^node:/, ""))).sort();
}
