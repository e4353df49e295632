// Expensive results computed once per mocha run and shared by every test file, whichever worker
// process runs it: the first process to ask for a key computes the value, the others wait for the
// file it writes. The run's directory is made by the global setup (build-packages.ts) and removed by
// its teardown; a process started without it (a test file run on its own with another runner) keeps
// its results to itself, in a directory of its own.
import * as fs from "fs";
import * as path from "path";
import { tempDir } from "./temp-dir";

/** The environment variable naming the run's shared directory; set before mocha starts its workers. */
export const RUN_DIR_VARIABLE = "TRACE_TEST_RUN_DIR";

const WAIT_MS = 10 * 60 * 1000;
const POLL_MS = 100;

let ownDir: string | undefined;

/** The run's shared directory (another process's results may be there). */
export function runDir(): string {
    const shared = process.env[RUN_DIR_VARIABLE];
    if (shared !== undefined && fs.existsSync(shared)) {
        return shared;
    }
    ownDir ??= tempDir("trace-test-run-");
    return ownDir;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

const inProcess = new Map<string, Promise<unknown>>();

async function waitFor<T>(file: string, key: string): Promise<Outcome<T>> {
    const deadline = Date.now() + WAIT_MS;
    while (!fs.existsSync(file)) {
        if (Date.now() > deadline) {
            throw new Error(`waited ${WAIT_MS / 1000} s for another test process to compute the shared "${key}"`);
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
    }
    return JSON.parse(fs.readFileSync(file, "utf8")) as Outcome<T>;
}

async function computeOnce<T>(key: string, compute: (dir: string) => Promise<T>): Promise<Outcome<T>> {
    const dir = runDir();
    const file = path.join(dir, `${key}.json`);
    try {
        // mkdir is atomic: exactly one process of the run gets to compute this key.
        fs.mkdirSync(path.join(dir, `${key}.lock`));
    } catch {
        return waitFor<T>(file, key);
    }
    let outcome: Outcome<T>;
    try {
        const work = path.join(dir, key);
        fs.mkdirSync(work, { recursive: true });
        outcome = { ok: true, value: await compute(work) };
    } catch (e) {
        outcome = { ok: false, error: e instanceof Error ? e.stack ?? e.message : String(e) };
    }
    const tmp = `${file}.${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(outcome));
    fs.renameSync(tmp, file);
    // Every caller, in this process or another, gets the value as read back from the file.
    return JSON.parse(fs.readFileSync(file, "utf8")) as Outcome<T>;
}

/**
 * The value of `compute` for `key`, computed once per run. It must survive JSON; each call gets a copy
 * of its own. `compute` gets a directory of its own under the run's directory for files it makes
 * (they last until the run ends). A failure is shared too: every caller gets its error.
 */
export async function sharedOnce<T>(key: string, compute: (dir: string) => Promise<T>): Promise<T> {
    if (!/^[\w.-]+$/.test(key)) {
        throw new Error(`shared key ${JSON.stringify(key)} must be a plain file name`);
    }
    let pending = inProcess.get(key) as Promise<Outcome<T>> | undefined;
    if (pending === undefined) {
        pending = computeOnce(key, compute);
        inProcess.set(key, pending);
    }
    const outcome = await pending;
    if (!outcome.ok) {
        throw new Error(`the shared "${key}" failed in the process that computed it:\n${outcome.error}`);
    }
    return structuredClone(outcome.value);
}
