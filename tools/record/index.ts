// Runs a Pulumi program offline under a recording mock monitor and returns every registration.
// Each recording runs in its own Node process (child.ts): the SDK keeps its runtime state in
// process globals, the program's modules are cached by `require`, and another team's program must
// get its own copy of @pulumi/pulumi — a fresh process gives all three for free. recordStacks records
// many programs in a few processes, one after another, as the Automation API runs inline programs.
import { ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { stripAnsi } from "../shared/ansi";
import { cleanEnv, spawnTracked, toolModuleArgs } from "../shared/children";
import { mapLimited } from "../shared/map-limited";
import { InvokeResult } from "./invokes";
import { readJsonFile } from "../shared/json-text";
import { LOCAL_ORGANIZATION, loadProject, loadStackConfig, ProjectError, ProjectErrorKind, PulumiProject, StackConfig } from "../project";
import { ChildProgress, ChildReply, ChildRequest, installAdvice, RecordError, RecordErrorKind, RecordOptions, RecordedStack, RUN_END_MARKER } from "./protocol";
import { sharedProcessKey } from "./reuse";

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
    prepared: PreparedRecording,
    signal?: AbortSignal,
    onProgress?: (registered: number) => void,
): Promise<RecordedStack> {
    const request = childRequest(prepared);
    const run = await new RecordingProcess(request.programDir, signal).run(request, onProgress);
    return recordedStack(prepared, run);
}

/**
 * Records several programs, each as recordStack would, in at most `processes` processes at a time:
 * the programs that can share a process (reuse.ts) run one after another in it, which spares each
 * one after the first the loading of Node, the SDK and ts-node. The results are in the order of
 * `list`; the first failure rejects, naming its program, and stops the rest.
 */
export async function recordStacks(list: RecordOptions[], processes: number): Promise<RecordedStack[]> {
    const prepared = list.map((opts) => prepareRecording(opts));
    const requests = prepared.map(childRequest);
    const groups = new Map<string, number[]>();
    requests.forEach((req, i) => {
        const key = sharedProcessKey(req);
        groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    const queues = [...groups.values()].flatMap((indices) => split(indices, Math.max(1, Math.round(processes * indices.length / list.length))));
    const results: RecordedStack[] = new Array(list.length);
    const stop = new AbortController();
    const recordQueue = async (queue: number[]): Promise<void> => {
        if (stop.signal.aborted) {
            return;
        }
        const child = new RecordingProcess(requests[queue[0]].programDir, stop.signal);
        for (const [n, i] of queue.entries()) {
            if (stop.signal.aborted) {
                return;
            }
            const run = await child.run({ ...requests[i], keepAlive: n < queue.length - 1 });
            results[i] = recordedStack(prepared[i], run);
        }
    };
    try {
        await mapLimited(queues, processes, recordQueue);
    } catch (e) {
        stop.abort();
        throw e;
    }
    return results;
}

/** `items` in `parts` runs of near-equal length. */
function split<T>(items: T[], parts: number): T[][] {
    const size = Math.ceil(items.length / parts);
    return Array.from({ length: Math.ceil(items.length / size) }, (_, k) => items.slice(k * size, (k + 1) * size));
}

function childRequest({ opts, project, config }: PreparedRecording): ChildRequest {
    const mocks = loadMocks(opts.mocksFile);
    return {
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
}

/** The program's reply as a RecordedStack, or its failure as a RecordError. */
function recordedStack({ opts, project, config }: PreparedRecording, { reply, output }: ChildRun): RecordedStack {
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

interface ChildRun {
    reply: ChildReply;
    /** What the program printed, stdout and stderr as they arrived. */
    output: string;
}

/** What a stream of the recording process wrote, in arrival order across both streams. */
interface Piece {
    stream: "stdout" | "stderr";
    bytes: Buffer;
}

const MARKER = Buffer.from(RUN_END_MARKER);

/**
 * A recording process (child.ts): one request at a time. After a request with `keepAlive` it stays
 * up for the next, and this run's output is what each stream wrote before its end marker; after
 * any other request, or a failure, it ends, and the run's output is all it wrote since.
 */
class RecordingProcess {
    private readonly child: ChildProcess;
    private pieces: Piece[] = [];
    private current?: {
        request: ChildRequest;
        resolve: (run: ChildRun) => void;
        reject: (e: Error) => void;
        onProgress?: (registered: number) => void;
        reply?: ChildReply;
    };
    private exited = false;

    constructor(cwd: string, private readonly signal?: AbortSignal) {
        this.child = spawnTracked(process.execPath, toolModuleArgs(path.join(__dirname, `child${path.extname(__filename)}`)), {
            cwd,
            env: cleanEnv(),
            stdio: ["ignore", "pipe", "pipe", "ipc"],
        });
        this.child.stdout?.on("data", (b: Buffer) => this.received("stdout", b));
        this.child.stderr?.on("data", (b: Buffer) => this.received("stderr", b));
        this.child.on("message", (m: ChildReply | ChildProgress) => {
            if ("progress" in m) {
                this.current?.onProgress?.(m.registered);
            } else if (this.current !== undefined) {
                this.current.reply = m;
                this.settleIfComplete();
            }
        });
        this.child.on("error", (e) => {
            this.exited = true;
            this.current?.reject(new RecordError(RecordErrorKind.Internal, `could not start the recording process: ${e.message}`));
        });
        // Aborting stops the process whether a run is under way or it waits for the next one.
        const onAbort = (): void => {
            this.child.kill("SIGKILL");
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        this.child.on("exit", (code, exitSignal) => {
            signal?.removeEventListener("abort", onAbort);
            this.onExit(code, exitSignal);
        });
    }

    run(request: ChildRequest, onProgress?: (registered: number) => void): Promise<ChildRun> {
        if (this.exited) {
            return Promise.reject(new RecordError(RecordErrorKind.Internal, `the recording process ended before '${request.entry}' could run`));
        }
        return new Promise<ChildRun>((resolve, reject) => {
            const timer = setTimeout(() => this.child.kill("SIGKILL"), CHILD_TIMEOUT_MS);
            const done = (): void => {
                clearTimeout(timer);
                this.current = undefined;
            };
            this.current = {
                request,
                onProgress,
                resolve: (r) => {
                    done();
                    resolve(r);
                },
                reject: (e) => {
                    done();
                    reject(e);
                },
            };
            this.child.send(request);
        });
    }

    private received(stream: Piece["stream"], bytes: Buffer): void {
        this.pieces.push({ stream, bytes });
        this.settleIfComplete();
    }

    /** A run that keeps the process up is complete once its reply and both streams' end markers have arrived. */
    private settleIfComplete(): void {
        const current = this.current;
        if (current?.reply === undefined || !current.reply.ok || current.request.keepAlive !== true) {
            return;
        }
        const ends = { stdout: this.markerAt("stdout"), stderr: this.markerAt("stderr") };
        if (ends.stdout < 0 || ends.stderr < 0) {
            return;
        }
        const output: Buffer[] = [];
        const rest: Piece[] = [];
        const seen = { stdout: 0, stderr: 0 };
        for (const piece of this.pieces) {
            const start = seen[piece.stream];
            const end = ends[piece.stream];
            seen[piece.stream] += piece.bytes.length;
            output.push(piece.bytes.subarray(0, Math.max(0, end - start)));
            const after = piece.bytes.subarray(Math.max(0, end + MARKER.length - start));
            if (after.length > 0) {
                rest.push({ stream: piece.stream, bytes: after });
            }
        }
        this.pieces = rest;
        current.resolve({ reply: current.reply, output: stripAnsi(Buffer.concat(output).toString("utf8")) });
    }

    /** Where the stream's first end marker starts in what it has written since the last run, or -1. */
    private markerAt(stream: Piece["stream"]): number {
        return Buffer.concat(this.pieces.filter((p) => p.stream === stream).map((p) => p.bytes)).indexOf(MARKER);
    }

    private onExit(code: number | null, exitSignal: NodeJS.Signals | null): void {
        this.exited = true;
        const current = this.current;
        if (current === undefined) {
            return;
        }
        const output = stripAnsi(Buffer.concat(this.pieces.map((p) => p.bytes)).toString("utf8"));
        this.pieces = [];
        if (current.reply !== undefined) {
            current.resolve({ reply: current.reply, output });
            return;
        }
        const why = this.signal?.aborted === true
            ? "was stopped because another part of the preview failed first"
            : exitSignal === "SIGKILL" ? `was stopped after ${CHILD_TIMEOUT_MS / 1000} s` : `exited with code ${code}${exitSignal ? ` (${exitSignal})` : ""}`;
        current.reject(new RecordError(
            RecordErrorKind.Program,
            `running program '${current.request.entry}' ${why} before reporting its resources; its output:\n${output.trim()}`,
            [],
            output,
        ));
    }
}
