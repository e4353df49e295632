// Runs a Pulumi program offline under a recording mock monitor and returns every registration.
// Each recording runs in its own Node process (child.ts): the SDK keeps its runtime state in
// process globals, the program's modules are cached by `require`, and another team's program must
// get its own copy of @pulumi/pulumi — a fresh process gives all three for free.
import { ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { stripAnsi } from "../shared/ansi";
import { cleanEnv, spawnTracked, toolModuleArgs } from "../shared/children";
import { InvokeResult } from "./invokes";
import { readJsonFile } from "../shared/json-text";
import { LOCAL_ORGANIZATION, loadProject, loadStackConfig, ProjectError, ProjectErrorKind, PulumiProject, StackConfig } from "../project";
import { ChildProgress, ChildReply, ChildRequest, installAdvice, RecordError, RecordErrorKind, RecordOptions, RecordedStack } from "./protocol";

/** The engine's unknown sentinel, as the SDK defines it. */
export const UNKNOWN: string = unknownValue;

export * from "./protocol";
export { PlaceholderAnswer } from "./invokes";

const CHILD_TIMEOUT_MS = 5 * 60 * 1000;

interface Mocks {
    invokes: Record<string, InvokeResult>;
    resources: Record<string, Record<string, unknown>>;
}

function loadMocks(file: string | undefined): Mocks {
    if (file === undefined) {
        return { invokes: {}, resources: {} };
    }
    const read = readJsonFile(file, "mocks file");
    if ("error" in read) {
        throw new RecordError(RecordErrorKind.Mocks, read.error);
    }
    const doc = read.value;
    const isMap = (v: unknown): v is Record<string, Record<string, unknown>> =>
        typeof v === "object" && v !== null && !Array.isArray(v) &&
        Object.values(v).every((x) => typeof x === "object" && x !== null && !Array.isArray(x));
    const problems: string[] = [];
    const d = (typeof doc === "object" && doc !== null ? doc : {}) as Record<string, unknown>;
    for (const key of Object.keys(d)) {
        if (key !== "invokes" && key !== "resources") {
            problems.push(`unknown top-level key "${key}" (expected "invokes" and/or "resources")`);
        }
    }
    for (const key of ["invokes", "resources"]) {
        if (d[key] !== undefined && !isMap(d[key])) {
            problems.push(`"${key}" must map each token to a JSON object, found ${JSON.stringify(d[key])}`);
        }
    }
    if (problems.length > 0 || typeof doc !== "object" || doc === null) {
        throw new RecordError(RecordErrorKind.Mocks, `mocks file ${file}: ${problems.length > 0 ? problems.join("; ") : "must hold a JSON object"}`);
    }
    return {
        invokes: (d.invokes ?? {}) as Mocks["invokes"],
        resources: (d.resources ?? {}) as Mocks["resources"],
    };
}

/** Loads Pulumi.yaml and the stack's config, failing as a RecordError of kind project/stack-config. */
export function loadProgramConfig(
    programDir: string, stack: string, overrides: Record<string, unknown> = {},
): { project: PulumiProject; config: StackConfig } {
    try {
        const project = loadProject(programDir);
        return { project, config: loadStackConfig(project, stack, overrides) };
    } catch (e) {
        if (e instanceof ProjectError) {
            throw new RecordError(e.kind === ProjectErrorKind.Project ? RecordErrorKind.Project : RecordErrorKind.StackConfig, e.message);
        }
        throw e;
    }
}

/** Whether `name` is installed where Node's `require` would look for it from `dir`. */
function installed(name: string, dir: string): boolean {
    for (let d = dir; ; d = path.dirname(d)) {
        if (fs.existsSync(path.join(d, "node_modules", name, "package.json"))) {
            return true;
        }
        if (path.dirname(d) === d) {
            return false;
        }
    }
}

/**
 * Fails, naming every missing package at once, when the SDK or a dependency the program's
 * package.json declares is not installed: the program would otherwise stop on its first import with
 * the tool's own stack trace.
 */
function checkInstalledDependencies(project: PulumiProject): void {
    let declared: string[] = [];
    try {
        const manifest = JSON.parse(fs.readFileSync(path.join(project.dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
        declared = Object.keys(manifest.dependencies ?? {});
    } catch {
        // No readable package.json: only the SDK is needed.
    }
    const missing = [...new Set(["@pulumi/pulumi", ...declared])].filter((name) => !installed(name, project.dir));
    if (missing.length > 0) {
        throw new RecordError(RecordErrorKind.Dependencies, installAdvice(missing, project.dir));
    }
}

/** A program ready to record: its project and stack config loaded, its dependencies found installed. */
export interface PreparedRecording {
    readonly opts: RecordOptions;
    readonly project: PulumiProject;
    readonly config: ReturnType<typeof loadProgramConfig>["config"];
}

/** Loads the project and its stack config and checks its dependencies; throws a RecordError naming what is wrong. */
export function prepareRecording(opts: RecordOptions): PreparedRecording {
    const { project, config } = loadProgramConfig(opts.programDir, opts.stack, opts.configOverrides);
    checkInstalledDependencies(project);
    return { opts, project, config };
}

/** `signal` stops the recording process early (the preview aborts it when a pack fails to start). */
export function recordStack(opts: RecordOptions, signal?: AbortSignal, onProgress?: (registered: number) => void): Promise<RecordedStack> {
    try {
        return recordPrepared(prepareRecording(opts), signal, onProgress);
    } catch (e) {
        return Promise.reject(e);
    }
}

export async function recordPrepared(
    { opts, project, config }: PreparedRecording,
    signal?: AbortSignal,
    onProgress?: (registered: number) => void,
): Promise<RecordedStack> {
    const mocks = loadMocks(opts.mocksFile);
    const request: ChildRequest = {
        entry: project.entry,
        programDir: project.dir,
        project: project.name,
        stack: opts.stack,
        organization: LOCAL_ORGANIZATION,
        mode: opts.mode,
        config: config.values,
        secretKeys: config.secretKeys,
        region: config.values["aws:region"],
        invokeAnswers: mocks.invokes,
        resourceOutputs: mocks.resources,
        typescript: project.typescript,
        tsconfig: project.tsconfig,
    };
    const { reply, output } = await runChild(request, signal, onProgress);
    if (!reply.ok) {
        throw new RecordError(reply.kind, reply.message, reply.registered, output);
    }
    return {
        project: project.name,
        stack: opts.stack,
        mode: opts.mode,
        resources: reply.resources,
        stackOutputs: reply.stackOutputs,
        config: config.values,
        secretKeys: config.secretKeys,
        programOutput: output,
        warnings: config.warnings,
        placeholders: reply.placeholders,
    };
}

function runChild(request: ChildRequest, signal?: AbortSignal, onProgress?: (registered: number) => void): Promise<{ reply: ChildReply; output: string }> {
    const childModule = path.join(__dirname, `child${path.extname(__filename)}`);
    return new Promise((resolve, reject) => {
        const child: ChildProcess = spawnTracked(process.execPath, toolModuleArgs(childModule), {
            cwd: request.programDir,
            env: cleanEnv(),
            stdio: ["ignore", "pipe", "pipe", "ipc"],
        });
        const chunks: Buffer[] = [];
        child.stdout?.on("data", (b: Buffer) => chunks.push(b));
        child.stderr?.on("data", (b: Buffer) => chunks.push(b));
        let reply: ChildReply | undefined;
        child.on("message", (m: ChildReply | ChildProgress) => {
            if ("progress" in m) {
                onProgress?.(m.registered);
            } else {
                reply = m;
            }
        });
        const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS);
        const onAbort = (): void => {
            child.kill("SIGKILL");
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        child.on("error", (e) => {
            clearTimeout(timer);
            reject(new RecordError(RecordErrorKind.Internal, `could not start the recording process: ${e.message}`));
        });
        child.on("exit", (code, exitSignal) => {
            clearTimeout(timer);
            signal?.removeEventListener("abort", onAbort);
            const output = stripAnsi(Buffer.concat(chunks).toString("utf8"));
            if (reply !== undefined) {
                resolve({ reply, output });
                return;
            }
            const why = signal?.aborted === true
                ? "was stopped because another part of the preview failed first"
                : exitSignal === "SIGKILL" ? `was stopped after ${CHILD_TIMEOUT_MS / 1000} s` : `exited with code ${code}${exitSignal ? ` (${exitSignal})` : ""}`;
            reject(new RecordError(
                RecordErrorKind.Program,
                `running program '${request.entry}' ${why} before reporting its resources; its output:\n${output.trim()}`,
                [],
                output,
            ));
        });
        child.send(request);
    });
}
