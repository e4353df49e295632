// Starts a policy pack's analyzer process the way the Pulumi engine does.
//
// The engine (sdk/go/common/resource/plugin/analyzer_plugin.go) starts the `pulumi-analyzer-policy`
// shim in the pack directory, which runs `node <pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack
// <engine-address> .`; the stack's project, stack, organization, dry-run flag and config reach the
// pack through PULUMI_NODEJS_* / PULUMI_* / PULUMI_CONFIG, which is what `pulumi.getStack()` and
// `new pulumi.Config()` read inside a pack. The server prints its port on stdout.
import { ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { stripAnsi } from "../shared/ansi";
import { cleanEnv, spawnTracked } from "../shared/children";
import type { StackContext } from "../project";
import { AnalyzerError, AnalyzerErrorKind } from "./errors";

const PORT_TIMEOUT_MS = 180_000;
export const ENGINE_ADDRESS_PLACEHOLDER = "127.0.0.1:0";

export interface PolicyProject {
    version?: string;
    options: Record<string, unknown>;
}

export function readPolicyProject(packDir: string): PolicyProject {
    const file = path.join(packDir, "PulumiPolicy.yaml");
    if (!fs.existsSync(file)) {
        throw new AnalyzerError(AnalyzerErrorKind.PackLoad, `failed to load the policy pack at ${packDir}: it has no PulumiPolicy.yaml (--policy-pack must name a policy pack directory)`);
    }
    let doc: Record<string, unknown>;
    try {
        doc = (YAML.parse(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
    } catch (e) {
        throw new AnalyzerError(AnalyzerErrorKind.PackLoad, `failed to load the policy pack at ${packDir}: ${file} is not valid YAML: ${(e as Error).message}`);
    }
    const runtime = doc.runtime;
    const name = typeof runtime === "string" ? runtime : (runtime as { name?: unknown } | undefined)?.name;
    if (name !== "nodejs") {
        throw new AnalyzerError(AnalyzerErrorKind.PackLoad, `failed to load the policy pack at ${packDir}: runtime ${JSON.stringify(runtime)} is not supported offline (only nodejs packs)`);
    }
    const options = typeof runtime === "object" && runtime !== null ? ((runtime as { options?: Record<string, unknown> }).options ?? {}) : {};
    return { version: typeof doc.version === "string" ? doc.version : undefined, options };
}

function locateRunPolicyPack(dir: string): string {
    try {
        return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
    } catch {
        throw new AnalyzerError(
            AnalyzerErrorKind.PackLoad,
            `failed to load the policy pack at ${dir}: @pulumi/pulumi/cmd/run-policy-pack cannot be resolved from it; it looks like the pack's dependencies are not installed (run npm install in ${dir})`,
        );
    }
}

function runPolicyPackArgs(runPolicyPack: string, options: Record<string, unknown>): string[] {
    const args = [runPolicyPack, ENGINE_ADDRESS_PLACEHOLDER, "."];
    for (const [k, v] of Object.entries(options)) {
        if (v !== undefined && v !== null && String(v) !== "") {
            args.push(`-${k}=${String(v)}`);
        }
    }
    return args;
}

function engineEnvironment(ctx: StackContext): NodeJS.ProcessEnv {
    // A TS_NODE_* setting inherited from a caller running under ts-node must not reach the pack,
    // which run-policy-pack compiles with its own tsconfig like the CLI does.
    return cleanEnv({
        PULUMI_CONFIG: JSON.stringify(ctx.config),
        PULUMI_NODEJS_ORGANIZATION: ctx.organization,
        PULUMI_NODEJS_PROJECT: ctx.project,
        PULUMI_NODEJS_STACK: ctx.stack,
        PULUMI_NODEJS_DRY_RUN: String(ctx.dryRun),
        PULUMI_ORGANIZATION: ctx.organization,
        PULUMI_PROJECT: ctx.project,
        PULUMI_STACK: ctx.stack,
        PULUMI_DRY_RUN: String(ctx.dryRun),
    });
}

/** An analyzer process that is serving: its port, and what it printed on stderr so far. */
export interface LaunchedPack {
    child: ChildProcess;
    port: number;
    stderr: () => string;
    /** Until called, an abort of the preview kills the process. */
    releaseAbort: () => void;
}

/** Runs the pack's run-policy-pack with the stack's context in its environment and waits for its port. */
export async function launchPack(dir: string, options: Record<string, unknown>, ctx: StackContext, signal?: AbortSignal): Promise<LaunchedPack> {
    const args = runPolicyPackArgs(locateRunPolicyPack(dir), options);
    const env = engineEnvironment(ctx);
    signal?.throwIfAborted();
    // An analyzer serves until killed: it is tracked so that it never outlives the tool.
    const child = spawnTracked(process.execPath, args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    const onAbort = (): void => {
        child.kill("SIGKILL");
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    let stderr = "";
    child.stderr?.on("data", (b: Buffer) => {
        stderr += b.toString("utf8");
    });
    const port = await readPort(child, dir, () => stderr, signal);
    return { child, port, stderr: () => stderr, releaseAbort: () => signal?.removeEventListener("abort", onAbort) };
}

/** The port the pack prints as its first line on stdout; any other end kills it and names why, with its output. */
function readPort(child: ChildProcess, dir: string, stderr: () => string, signal?: AbortSignal): Promise<number> {
    return new Promise<number>((resolve, reject) => {
        let stdout = "";
        const fail = (why: string): void => {
            clearTimeout(timer);
            child.kill("SIGKILL");
            const output = stripAnsi(stderr() + stdout).trim();
            reject(new AnalyzerError(AnalyzerErrorKind.PackLoad, `policy pack ${dir} failed to start: ${why}${output === "" ? "" : `; its output:\n${output}`}`));
        };
        const timer = setTimeout(() => fail(`it printed no port within ${PORT_TIMEOUT_MS / 1000} s`), PORT_TIMEOUT_MS);
        const onExit = (code: number | null, sig: NodeJS.Signals | null): void =>
            fail(signal?.aborted === true ? "another part of the preview failed first" : `the process exited with ${sig ?? `code ${code}`} before serving`);
        const onError = (e: Error): void => fail(e.message);
        const onStdout = (b: Buffer): void => {
            stdout += b.toString("utf8");
            const firstLine = stdout.split("\n")[0];
            if (stdout.includes("\n")) {
                const p = Number(firstLine.trim());
                if (Number.isInteger(p) && p > 0) {
                    clearTimeout(timer);
                    // Only this wait's own listeners: the tracker's exit listener must stay (shared/children.ts).
                    child.off("exit", onExit);
                    child.off("error", onError);
                    child.stdout?.off("data", onStdout);
                    child.stdout?.resume();
                    resolve(p);
                } else {
                    fail(`its first line on stdout should be the port, got ${JSON.stringify(firstLine)}`);
                }
            }
        };
        child.stdout?.on("data", onStdout);
        child.on("exit", onExit);
        child.on("error", onError);
    });
}
