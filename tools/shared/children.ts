// Every process the tool starts (recording, type check, analyzers) is registered here, so that an
// exit of any kind — normal end, crash, or SIGINT/SIGTERM/SIGHUP — stops all of them. A process
// killed by a signal runs no `exit` listeners, so the signals are handled explicitly.
import { ChildProcess, spawn, SpawnOptions } from "child_process";
import * as path from "path";

const live = new Set<ChildProcess>();

export function killAllChildren(): void {
    for (const child of live) {
        child.kill("SIGKILL");
    }
    live.clear();
}

process.once("exit", killAllChildren);

/** Starts a process that dies with the tool. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions): ChildProcess {
    const child = spawn(command, args, options);
    live.add(child);
    child.once("exit", () => live.delete(child));
    return child;
}

/** The environment of a process that loads user TypeScript: no TS_NODE_* setting of the caller may reach its ts-node. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
    for (const k of Object.keys(env)) {
        if (k.startsWith("TS_NODE_")) {
            delete env[k];
        }
    }
    return env;
}

/** The live child pids (for tests and diagnostics). */
export function liveChildPids(): number[] {
    return [...live].flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
}

/** Exit codes of a process ended by a signal, as shells report them (128 + signal number). */
export const SIGNAL_EXIT_CODES: Readonly<Record<"SIGHUP" | "SIGINT" | "SIGTERM", number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** On SIGINT, SIGTERM or SIGHUP: stop every child at once and exit 128 + signal number. */
export function exitOnSignals(onSignal: (signal: NodeJS.Signals) => void = () => undefined): void {
    for (const signal of Object.keys(SIGNAL_EXIT_CODES) as (keyof typeof SIGNAL_EXIT_CODES)[]) {
        process.once(signal, () => {
            onSignal(signal);
            killAllChildren();
            process.exit(SIGNAL_EXIT_CODES[signal]);
        });
    }
}

/**
 * Arguments that run one of the tool's own modules in a new Node process. From TypeScript sources the
 * process first registers ts-node scoped to the tool's directory, so the tool's files are compiled
 * while a program or pack it loads is compiled only by the ts-node that program registers itself.
 */
export function toolModuleArgs(modulePath: string): string[] {
    if (modulePath.endsWith(".ts")) {
        return ["--require", path.join(__dirname, "tool-ts.js"), modulePath];
    }
    return [modulePath];
}
