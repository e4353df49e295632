// Messages between the type check (index.ts) and its child process. No runtime imports (see record/protocol.ts).

export interface TypeCheckRequest {
    programDir: string;
    /** The module the language host requires first (the entry, or its directory's index file). */
    entryFile: string;
    /** Pulumi.yaml `runtime.options.tsconfig`. */
    tsconfig?: string;
    /** Where the outcome is kept, keyed by every file the check read (their mtime and size). */
    cacheDir: string;
}

export type TypeCheckReply =
    | { ok: true; outcome: "checked" | "cached" | "skipped" }
    | { ok: false; message: string; internal?: boolean };
