// `pulumi preview --policy-pack` offline, as a pipeline of stages (each a folder with one entry):
//
//   project ─┬─ record ──────┬─ analyze ─ cost ─ (report, by the CLI)
//            ├─ typecheck ───┤
//            └─ start packs ─┘
//
// The program's recording, its type check and the packs' start-up are independent, so they run side
// by side; when one fails the others are stopped and the failure that came first is reported.
import { analyzeRecorded, AnalyzeProgress, Diagnostic, exemptionsFor, ExemptionReport, PackInfo, PackSpec, readPackConfigs, startPacks } from "./analyze";
import { CostSection, CostSetup, priceRecording } from "./cost";
import { stackContext, RunMode } from "./project";
import { PreparedRecording, prepareRecording, recordPrepared, RecordedStack } from "./record";
import { typeCheck, TypeCheckOutcome } from "./typecheck";

export { PackSpec } from "./analyze";

export interface PreviewOptions {
    programDir: string;
    stack: string;
    mode: RunMode;
    packs: PackSpec[];
    mocksFile?: string;
    configOverrides?: Record<string, unknown>;
    /** Prices the recorded stack when given (`prepareCost`, checked before anything runs). */
    cost?: CostSetup;
    onProgress?: (event: ProgressEvent) => void;
}

/** What the preview is doing, for the progress display on stderr. */
export type ProgressEvent =
    | { kind: "recording"; registered: number }
    | { kind: "recorded"; resources: number }
    | { kind: "type-checked"; outcome: TypeCheckOutcome }
    | AnalyzeProgress;

export interface PreviewResult {
    recorded: RecordedStack;
    packs: PackInfo[];
    violations: Diagnostic[];
    exemptions: ExemptionReport;
    /** Present when `PreviewOptions.cost` was given. */
    cost?: CostSection;
}

export async function runPreview(opts: PreviewOptions): Promise<PreviewResult> {
    // Before the type check, whose "cannot find module" errors would otherwise come before a missing dependency.
    const prepared = prepareRecording({
        programDir: opts.programDir, stack: opts.stack, mode: opts.mode, mocksFile: opts.mocksFile, configOverrides: opts.configOverrides,
    });
    const packs = readPackConfigs(opts.packs);
    const sideBySide = new FailFast();
    const program = recordAndCheck(prepared, sideBySide.signal, opts.onProgress).catch(sideBySide.fail);
    const starting = startPacks(packs, stackContext(prepared.project, prepared.config, opts.stack, opts.mode), sideBySide.signal, opts.onProgress).catch(sideBySide.fail);
    const [recorded, servers] = await sideBySide.all(program, starting, (started) => started.forEach((s) => s.close()));
    try {
        const violations = await analyzeRecorded(recorded.resources, servers, opts.onProgress);
        const exemptions = exemptionsFor(recorded.resources, servers, packs.map((p) => p.configFile));
        const result: PreviewResult = { recorded, packs: servers.map((s) => s.info), violations, exemptions };
        if (opts.cost !== undefined) {
            result.cost = priceRecording(recorded, opts.cost, process.env);
        }
        return result;
    } finally {
        servers.forEach((s) => s.close());
    }
}

/**
 * The program's part: its recording and its type check. A compile error wins over whatever the
 * transpile-only run did, since the language host would not have run the program at all.
 */
async function recordAndCheck(prepared: PreparedRecording, signal: AbortSignal, progress?: (event: ProgressEvent) => void): Promise<RecordedStack> {
    const programAbort = new AbortController();
    signal.addEventListener("abort", () => programAbort.abort(), { once: true });
    const checking = typeCheck(prepared.project, programAbort.signal).then((outcome) => {
        progress?.({ kind: "type-checked", outcome });
        return outcome;
    }, (e: unknown) => {
        programAbort.abort();
        throw e;
    });
    const recording = recordPrepared(prepared, programAbort.signal, (registered) => progress?.({ kind: "recording", registered }));
    const [check, rec] = await Promise.allSettled([checking, recording]);
    if (check.status === "rejected") {
        throw check.reason;
    }
    if (rec.status === "rejected") {
        throw rec.reason;
    }
    progress?.({ kind: "recorded", resources: rec.value.resources.length });
    return rec.value;
}

/** Work run side by side: the first failure aborts the rest, and is the one reported. */
class FailFast {
    private readonly abort = new AbortController();
    private firstError: unknown;

    get signal(): AbortSignal {
        return this.abort.signal;
    }

    readonly fail = (e: unknown): never => {
        if (!this.abort.signal.aborted) {
            this.firstError = e;
            this.abort.abort();
        }
        throw e;
    };

    /** Both values; or, once both have settled, the first failure (after `releaseB` undid `b` if it succeeded). */
    async all<A, B>(a: Promise<A>, b: Promise<B>, releaseB: (value: B) => void): Promise<[A, B]> {
        const [ra, rb] = await Promise.allSettled([a, b]);
        if (ra.status === "rejected" || rb.status === "rejected") {
            if (rb.status === "fulfilled") {
                releaseB(rb.value);
            }
            throw this.firstError;
        }
        return [ra.value, rb.value];
    }
}
