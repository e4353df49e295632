// Child process of the recorder (index.ts): a program run under a recording mock monitor, then one IPC reply.
// It does what the Node language host (@pulumi/pulumi/cmd/run) does — config in the environment, the
// program's own @pulumi/pulumi, the entry required inside runInPulumiStack — with the engine replaced
// by a MockMonitor subclass that keeps every registration. Its own modules import no SDK copy: the
// program's is loaded (sdk.ts) once the stack's config is in the environment.
//
// A request that says another follows (`keepAlive`) leaves the process up for the next program, which
// runs as the Automation API runs one inline program after another in one process: in a new store of
// the SDK's runtime state, with the programs' own modules loaded afresh (reuse.ts says which programs
// can share a process).
import * as fs from "fs";
import * as path from "path";
import { languageHostTsNodeOptions, TsUtils } from "../shared/language-host-ts";
import { installRecordingMonitor } from "./monitor";
import { ChildReply, ChildRequest, installAdvice, RecordErrorKind, RUN_END_MARKER } from "./protocol";
import { sharedProcessKey } from "./reuse";
import { loadProgramSdk, ProgramSdk, putStackInEnvironment } from "./sdk";
import { RecordingSession } from "./session";

const DRAIN_TIMEOUT_MS = 10_000;

/** What the first run loaded, which later runs in this process keep. */
interface Loaded {
    readonly sdk: ProgramSdk;
    readonly key: string;
}
let loaded: Loaded | undefined;

/** The project's tsconfig as the language host finds it; a tsconfig named in Pulumi.yaml must exist. */
function tsconfigOf(req: ChildRequest): { tsConfigPath: string; skipProject: boolean } {
    const defaultTsConfigPath = "tsconfig.json";
    const tsConfigPath = req.tsconfig ?? defaultTsConfigPath;
    const skipProject = !fs.existsSync(path.resolve(req.programDir, tsConfigPath));
    if (skipProject && tsConfigPath !== defaultTsConfigPath) {
        throw new ProgramStartError(`tsconfig path was set to ${tsConfigPath} but the file was not found`);
    }
    return { tsConfigPath, skipProject };
}

/**
 * ts-node's options for the program exactly as @pulumi/pulumi/cmd/run/run.js builds them (CommonJS
 * branch): the program's own typescript and ts-node, `nodenext` for TypeScript 4.7 and later, the
 * project's tsconfig when it exists, its compiler options over the defaults. The type check itself
 * runs in a separate process (typecheck/child.ts) at the same time, so this one only transpiles.
 */
function tsNodeSetup(sdkRoot: string, req: ChildRequest): { tsnodeRequire: string; options: Record<string, unknown> } {
    const tsutils: TsUtils = require(path.join(sdkRoot, "tsutils"));
    const { tsConfigPath, skipProject } = tsconfigOf(req);
    const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
    const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
    const ts: { version: string } = require(require.resolve(typescriptRequire, { paths: [sdkRoot] }));
    return { tsnodeRequire, options: languageHostTsNodeOptions({ typescriptRequire, typescriptVersion: ts.version, tsConfigPath, skipProject, compilerOptions }) };
}

function registerTypeScript(sdkRoot: string, req: ChildRequest): void {
    const { tsnodeRequire, options } = tsNodeSetup(sdkRoot, req);
    const tsn: { register(options: unknown): unknown } = require(require.resolve(tsnodeRequire, { paths: [sdkRoot] }));
    tsn.register(options);
}

/**
 * The package named by a "Cannot find module" error of the program's own import (a bare name, required
 * from a file of the program rather than from a package), if that is what `e` is.
 */
function uninstalledImport(e: Error, programDir: string): string | undefined {
    const { code, requireStack } = e as Error & { code?: string; requireStack?: string[] };
    const specifier = /Cannot find module '([^'.\/][^']*)'/.exec(e.message)?.[1];
    // "@scope/pkg/sub/path" and "pkg/sub/path" are installed as "@scope/pkg" and "pkg".
    const name = specifier?.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");
    const requiredBy = requireStack?.[0];
    const fromProgram = requiredBy !== undefined && !path.relative(programDir, requiredBy).startsWith("..") && !requiredBy.includes(`${path.sep}node_modules${path.sep}`);
    return code === "MODULE_NOT_FOUND" && name !== undefined && fromProgram ? name : undefined;
}

/** A failure the language host reports as a plain message, before the program runs. */
class ProgramStartError extends Error {}

/**
 * Requires the program's entry inside runInPulumiStack, as the language host does, once ts-node is set
 * up for it. A later program in the same process keeps the first one's ts-node registration, which
 * reuse.ts made sure is the one it needs; its tsconfig setting is still checked as the first one's was.
 */
function startProgram(sdk: ProgramSdk, req: ChildRequest, firstInProcess: boolean): Promise<unknown> {
    if (req.typescript) {
        if (firstInProcess) {
            registerTypeScript(sdk.root, req);
        } else {
            tsconfigOf(req);
        }
    }
    return sdk.pulumi.runtime.runInPulumiStack(async () => {
        const entry = req.entry === req.programDir ? req.entry + path.sep : req.entry;
        const exported = require(entry);
        return exported instanceof Function ? await exported() : exported;
    });
}

/**
 * Before a later program: its directory as the working directory, and the modules of the programs
 * before it forgotten, so that its own files (and any file it shares with them) load and run afresh,
 * as in a process of its own. Installed packages, the SDK among them, stay loaded.
 */
function prepareLaterRun(req: ChildRequest): void {
    process.chdir(req.programDir);
    const toolDir = path.resolve(__dirname, "..") + path.sep;
    for (const file of Object.keys(require.cache)) {
        if (!file.includes(`${path.sep}node_modules${path.sep}`) && !file.startsWith(toolDir)) {
            delete require.cache[file];
        }
    }
}

// An exception thrown on a later turn of the event loop (inside an apply) does not reject the
// stack promise; the language host catches those process-wide, and so do we. A run's catcher stays
// until the next run starts (or the process ends), so that nothing a program left behind crashes the
// process before its reply is sent.
let previousRunErrors: { stop(): void } | undefined;

function catchAsyncErrors(): { first?: unknown; stop(): void } {
    previousRunErrors?.stop();
    const onAsync = (e: unknown): void => {
        caught.first = caught.first ?? e;
    };
    const caught: { first?: unknown; stop(): void } = {
        stop: () => {
            process.off("uncaughtException", onAsync);
            process.off("unhandledRejection", onAsync);
        },
    };
    process.on("uncaughtException", onAsync);
    process.on("unhandledRejection", onAsync);
    previousRunErrors = caught;
    return caught;
}

function waitAtMost(ms: number, work: Promise<unknown>): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() => clearTimeout(timer));
}

async function main(req: ChildRequest): Promise<ChildReply> {
    if (loaded === undefined) {
        loaded = { sdk: loadProgramSdk(req), key: sharedProcessKey(req) };
        return record(loaded.sdk, req, true);
    }
    const key = sharedProcessKey(req);
    if (key !== loaded.key) {
        return { ok: false, kind: RecordErrorKind.Program, message: `offline recording failed: the recording process loaded ${loaded.key} for an earlier program; ${req.programDir} needs ${key}`, registered: [] };
    }
    prepareLaterRun(req);
    putStackInEnvironment(req);
    const { sdk } = loaded;
    return sdk.inNewStore(() => record(sdk, req, false));
}

async function record(sdk: ProgramSdk, req: ChildRequest, firstInProcess: boolean): Promise<ChildReply> {
    const session = new RecordingSession(req.stack, req.project);
    installRecordingMonitor(sdk, session, req);
    const asyncErrors = catchAsyncErrors();
    const failure = (err: unknown): ChildReply => failureReply(err, sdk, session, req);

    let programError: unknown;
    try {
        await Promise.race([startProgram(sdk, req, firstInProcess), session.unansweredSettled]);
    } catch (e) {
        programError = e;
    }
    if (session.hasUnanswered()) {
        return failure(programError);
    }
    // Registrations started before a failure still complete, so `registered` shows how far it got.
    await waitAtMost(DRAIN_TIMEOUT_MS, sdk.pulumi.runtime.disconnect());
    // Rejections of registrations surface as 'unhandledRejection' only after the microtask queue drains.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (programError !== undefined || asyncErrors.first !== undefined || session.hasUnanswered()) {
        return failure(programError ?? asyncErrors.first);
    }
    if (sdk.log.hasErrors()) {
        return failure(new sdk.pulumi.RunError("the program logged errors with pulumi.log.error (see its output); `pulumi preview` fails in that case too"));
    }
    return { ok: true, resources: session.records, stackOutputs: session.stackOutputs(), placeholders: session.placeholderAnswers() };
}

/** Why the run failed: the lookups without an answer, else an import not installed, else the program's error. */
function failureReply(err: unknown, sdk: ProgramSdk, session: RecordingSession, req: ChildRequest): ChildReply {
    const registered = session.programResources();
    if (session.hasUnanswered()) {
        return { ok: false, kind: RecordErrorKind.Invoke, message: session.unansweredMessages().join("\n"), registered };
    }
    const e = err instanceof Error ? err : new Error(String(err));
    const notInstalled = uninstalledImport(e, req.programDir);
    if (notInstalled !== undefined) {
        return { ok: false, kind: RecordErrorKind.Dependencies, message: installAdvice([notInstalled], req.programDir), registered };
    }
    return { ok: false, kind: RecordErrorKind.Program, message: programErrorMessage(e, sdk, req.entry), registered };
}

// As run.js's uncaught handler: a RunError (e.g. a config validator's) is its message alone;
// a compile or syntax error shows what precedes the message in its stack (its name) but no
// frames; anything else shows the whole stack.
function programErrorMessage(e: Error, sdk: ProgramSdk, entry: string): string {
    const userMessage: boolean = e instanceof ProgramStartError || sdk.pulumi.RunError.isInstance(e);
    if (userMessage) {
        return e.message;
    }
    let detail = e.stack ?? e.message;
    if (e.name === "TSError" || e.name === SyntaxError.name) {
        const parts = detail.split(e.message);
        detail = parts.length === 2 ? parts[0] + e.message : e.message;
    }
    return `Running program '${entry}' failed with an unhandled exception:\n${detail}`;
}

// The parent gave up (it was killed or aborted this recording): nothing is left to report to.
process.once("disconnect", () => process.exit(1));

// One request at a time: the parent sends the next only once this one's reply has arrived. After a
// failure the process ends whatever the request said, since a failed run may leave work behind.
process.on("message", (request: ChildRequest) => {
    main(request)
        .catch((e: unknown): ChildReply => ({
            ok: false, kind: RecordErrorKind.Program, message: `offline recording failed: ${e instanceof Error ? e.stack : String(e)}`, registered: [],
        }))
        .then((reply) => {
            if (request.keepAlive !== true || !reply.ok) {
                process.send?.(reply, () => process.exit(0));
                return;
            }
            // Output to a pipe is written synchronously on Linux: the markers follow all of this run's output.
            process.stdout.write(RUN_END_MARKER);
            process.stderr.write(RUN_END_MARKER);
            process.send?.(reply);
        });
});
