// The language host type-checks a TypeScript program while ts-node compiles it (no error: it runs; an
// error: nothing runs). The offline tool checks in a separate process at the same time as the
// transpile-only recording and discards the recording when the check fails, which gives the same
// outcome in the time of the slower of the two.
import * as path from "path";
import { ChildProcess } from "child_process";
import { cleanEnv, spawnTracked, toolModuleArgs } from "../shared/children";
import { entryFile, PulumiProject } from "../project";
import { RecordError, RecordErrorKind } from "../record";
import { TypeCheckReply, TypeCheckRequest } from "./protocol";

export type TypeCheckOutcome = "checked" | "cached" | "skipped";

/** `<node_modules holding the program's @pulumi/pulumi>/.cache/trace-preview`, the usual place for tool caches. */
export function cacheDirFor(programDir: string): string {
    const sdkMain = require.resolve("@pulumi/pulumi", { paths: [programDir] });
    const nodeModules = sdkMain.slice(0, sdkMain.lastIndexOf(`${path.sep}node_modules${path.sep}`) + `${path.sep}node_modules`.length);
    return path.join(nodeModules, ".cache", "trace-preview");
}

/**
 * Type-checks `project` as the language host would; rejects with a RecordError of kind program
 * carrying the CLI's message for a compile error. Resolves without checking when Pulumi.yaml turns
 * TypeScript off.
 */
export function typeCheck(project: PulumiProject, signal?: AbortSignal): Promise<TypeCheckOutcome> {
    // The language host's switch (run.js): "true" turns the check off whatever the tsconfig says, so
    // no process is needed to find that out. Any other value leaves it to the child, which reads the
    // tsconfig's noCheck when the variable is unset.
    if (!project.typescript || process.env.PULUMI_NODEJS_TRANSPILE_ONLY === "true") {
        return Promise.resolve("skipped");
    }
    const file = entryFile(project);
    if (!/\.[cm]?tsx?$/.test(file)) {
        return Promise.resolve("skipped");
    }
    let cacheDir: string;
    try {
        cacheDir = cacheDirFor(project.dir);
    } catch {
        // No @pulumi/pulumi next to the program: the recording fails and says so.
        return Promise.resolve("skipped");
    }
    const request: TypeCheckRequest = { programDir: project.dir, entryFile: file, tsconfig: project.tsconfig, cacheDir };
    const childModule = path.join(__dirname, `child${path.extname(__filename)}`);
    return new Promise((resolve, reject) => {
        const child: ChildProcess = spawnTracked(process.execPath, toolModuleArgs(childModule), {
            cwd: project.dir, env: cleanEnv(), stdio: ["ignore", "ignore", "pipe", "ipc"],
        });
        let stderr = "";
        child.stderr?.on("data", (b: Buffer) => (stderr += b.toString("utf8")));
        let reply: TypeCheckReply | undefined;
        child.on("message", (m: TypeCheckReply) => (reply = m));
        const onAbort = (): void => {
            child.kill("SIGKILL");
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        child.on("error", (e) => reject(new RecordError(RecordErrorKind.Internal, `could not start the type check: ${e.message}`)));
        child.on("exit", (code, sig) => {
            signal?.removeEventListener("abort", onAbort);
            if (reply === undefined) {
                reject(new RecordError(RecordErrorKind.Internal, signal?.aborted === true
                    ? "the type check was stopped because another part of the preview failed first"
                    : `the type check exited with ${sig ?? `code ${code}`} before reporting: ${stderr.trim()}`));
            } else if (reply.ok) {
                resolve(reply.outcome);
            } else if (reply.internal === true) {
                reject(new RecordError(RecordErrorKind.Internal, `the type check failed: ${reply.message}`));
            } else {
                reject(new RecordError(RecordErrorKind.TypeCheck, `Running program '${project.entry}' failed with an unhandled exception:\n${reply.message}`));
            }
        });
        child.send(request);
    });
}
