// Types shared by the recorder (index.ts) and its child process. No runtime imports: the child must not load
// any @pulumi/pulumi copy before it has put the stack's config into its environment.
import type { RunMode } from "../project";
import type { InvokeResult, PlaceholderAnswer } from "./invokes";

export type { RunMode };

/** Resource options the analyzer receives (AnalyzerResourceOptions), as registered. */
export interface RecordedOptions {
    protect: boolean;
    ignoreChanges: string[];
    deleteBeforeReplace?: boolean;
    additionalSecretOutputs: string[];
    aliases: string[];
    customTimeouts: { create: number; update: number; delete: number };
}

/** Where the program constructed a resource, as the SDK sends it (RegisterResourceRequest.sourcePosition). */
export interface SourcePosition {
    /** A file: URI; under ts-node the .ts file, with its own lines (source maps applied). */
    uri: string;
    line: number;
    column: number;
}

export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** Known ids only (plan mode). */
    id?: string;
    /** Parent URN: every resource but the root stack and the engine's default providers has one. */
    parent?: string;
    /** Provider reference as the engine passes it: "<provider urn>::<provider id>". */
    provider?: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** Wire form as plain JSON: unknowns are UNKNOWN, secrets/assets/resource refs in their SDK envelopes. */
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    options: RecordedOptions;
    /** Absent when the SDK sent none (older SDKs, frames it cannot parse, resources the engine makes). */
    sourcePosition?: SourcePosition;
}

export interface RecordedStack {
    project: string;
    stack: string;
    mode: RunMode;
    resources: RecordedResource[];
    stackOutputs: Record<string, unknown>;
    /** The stack config the program saw ("<ns>:<key>" -> value, secrets as placeholders). */
    config: Record<string, string>;
    secretKeys: string[];
    /** What the program printed (console and pulumi.log), as `pulumi preview` shows under Diagnostics. */
    programOutput: string;
    warnings: string[];
    /** Lookups answered with a placeholder (no policy judges their value); the report names each. */
    placeholders: PlaceholderAnswer[];
}

export interface RecordOptions {
    programDir: string;
    stack: string;
    mode: RunMode;
    /** "<ns>:<key>" -> value applied over the stack file; null removes the key. */
    configOverrides?: Record<string, unknown>;
    /** JSON file: {"invokes": {"<token>": result}, "resources": {"<type>": outputs (plan mode)}}. */
    mocksFile?: string;
}

export enum RecordErrorKind {
    Project = "project",
    StackConfig = "stack-config",
    Mocks = "mocks",
    Program = "program",
    Dependencies = "dependencies",
    TypeCheck = "type-check",
    Invoke = "invoke",
    Internal = "internal",
}

export class RecordError extends Error {
    constructor(
        readonly kind: RecordErrorKind,
        message: string,
        /** What the program registered before it failed (the root stack resource is not counted). */
        readonly registered: RecordedResource[] = [],
        readonly programOutput: string = "",
    ) {
        super(message);
        this.name = "RecordError";
    }
}

/** What to tell a user whose program imports packages that are not installed (the language host says "Have you run pulumi install?"). */
export function installAdvice(missing: string[], dir: string): string {
    return `cannot find ${missing.join(", ")} from ${dir}; it looks like ${missing.length === 1 ? "it has" : "they have"} not been installed. ` +
        `Run npm install (or npm ci) in ${dir} and try again.`;
}

/** What child.ts receives over IPC. */
export interface ChildRequest {
    entry: string;
    programDir: string;
    project: string;
    stack: string;
    organization: string;
    mode: RunMode;
    config: Record<string, string>;
    secretKeys: string[];
    region?: string;
    invokeAnswers: Record<string, InvokeResult>;
    resourceOutputs: Record<string, Record<string, unknown>>;
    /** Pulumi.yaml `runtime.options.typescript` (default true): compile the program with ts-node. */
    typescript: boolean;
    /** Pulumi.yaml `runtime.options.tsconfig`, relative to the program directory. */
    tsconfig?: string;
    /** Another program follows in this process once this one is answered (recordStacks); else it ends with its reply. */
    keepAlive?: boolean;
}

/**
 * Written by a process that stays up for another program to its stdout and to its stderr after a run's
 * output, so the recorder can tell each run's output from the next one's. A line no program prints.
 */
export const RUN_END_MARKER = "\u0000trace-preview: end of this program's output\u0000\n";

/** Sent by the recording process while the program runs: how many resources it has registered. */
export interface ChildProgress {
    progress: true;
    registered: number;
}

export type ChildReply =
    | { ok: true; resources: RecordedResource[]; stackOutputs: Record<string, unknown>; placeholders: PlaceholderAnswer[] }
    | { ok: false; kind: RecordErrorKind.Program | RecordErrorKind.Invoke | RecordErrorKind.Dependencies; message: string; registered: RecordedResource[] };

