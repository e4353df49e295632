// `pulumi preview --policy-pack` offline: record the program, serve every pack, Analyze each resource,
// AnalyzeStack once, collect the diagnostics.
import { AnalyzerError, AnalyzerErrorKind, Diagnostic, PackInfo, PolicyPackServer, StackContext } from "./analyzer";
import { exemptionReport, ExemptionReport } from "./exemptions";
import { parsePolicyConfigFile, PolicyConfigEntry } from "./policy-config";
import { loadProgramConfig, LOCAL_ORGANIZATION, prepareRecording, recordPrepared, RecordedResource, RecordedStack, RunMode } from "./recorder";
import { typeCheck, TypeCheckOutcome } from "./typecheck";

export interface PackSpec {
    dir: string;
    /** --policy-pack-config file paired with this pack (same position on the command line). */
    configFile?: string;
}

export interface PreviewOptions {
    programDir: string;
    stack: string;
    mode: RunMode;
    packs: PackSpec[];
    mocksFile?: string;
    configOverrides?: Record<string, unknown>;
    onProgress?: (event: ProgressEvent) => void;
}

/** What the preview is doing, for the progress display on stderr. */
export type ProgressEvent =
    | { kind: "recording"; registered: number }
    | { kind: "recorded"; resources: number }
    | { kind: "type-checked"; outcome: TypeCheckOutcome }
    | { kind: "pack-starting"; dir: string }
    | { kind: "pack-ready"; dir: string; name: string; version: string }
    | { kind: "analyzing"; done: number; total: number };

export interface PreviewResult {
    recorded: RecordedStack;
    packs: PackInfo[];
    violations: Diagnostic[];
    exemptions: ExemptionReport;
}

/** The exemptions the started packs applied to a recorded stack (see exemptions.ts). */
export function exemptionsFor(resources: RecordedResource[], servers: PolicyPackServer[], configFiles: (string | undefined)[] = []): ExemptionReport {
    return exemptionReport(servers.map((s, i) => ({ info: s.info, config: s.config, configFile: configFiles[i] })), resources);
}

/** In-flight Analyze calls per pack: enough to keep the pack's event loop busy, bounded for 10k-resource stacks. */
const ANALYZE_CONCURRENCY = 32;

/** The stack context the CLI gives a pack, built from the project files (no program run needed). */
export function stackContextFor(programDir: string, stack: string, mode: RunMode, configOverrides: Record<string, unknown> = {}): StackContext {
    const { project, config } = loadProgramConfig(programDir, stack, configOverrides);
    return {
        project: project.name,
        stack,
        organization: LOCAL_ORGANIZATION,
        dryRun: mode === "preview",
        config: config.values,
        secretKeys: config.secretKeys,
        tags: { "pulumi:project": project.name, "pulumi:runtime": "nodejs", ...(project.description !== undefined ? { "pulumi:description": project.description } : {}) },
    };
}

/** A pack directory with its parsed --policy-pack-config entries. */
export interface ConfiguredPack {
    dir: string;
    config: Record<string, PolicyConfigEntry>;
    configFile?: string;
}

/** Reads every --policy-pack-config file; done before anything starts, so a typo costs nothing. */
export function readPackConfigs(packs: PackSpec[]): ConfiguredPack[] {
    return packs.map((p) => ({ dir: p.dir, config: p.configFile === undefined ? {} : parsePolicyConfigFile(p.configFile), configFile: p.configFile }));
}

/** Starts every pack in parallel and configures it; on any failure stops the ones that started. */
export async function startPacks(
    packs: ConfiguredPack[], ctx: StackContext, signal?: AbortSignal, onProgress?: (event: ProgressEvent) => void,
): Promise<PolicyPackServer[]> {
    const started = await Promise.allSettled(packs.map(async (p) => {
        onProgress?.({ kind: "pack-starting", dir: p.dir });
        const server = await PolicyPackServer.start(p.dir, ctx, signal);
        onProgress?.({ kind: "pack-ready", dir: p.dir, name: server.info.name, version: server.info.version });
        return server;
    }));
    const servers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed !== undefined) {
        servers.forEach((s) => s.close());
        throw failed.reason;
    }
    const names = new Map<string, string>();
    for (const s of servers) {
        const other = names.get(s.info.name);
        if (other !== undefined) {
            servers.forEach((x) => x.close());
            throw new AnalyzerError(AnalyzerErrorKind.PackLoad, `policy packs ${other} and ${s.packDir} are both named "${s.info.name}"; the CLI refuses duplicate pack names too`);
        }
        names.set(s.info.name, s.packDir);
    }
    try {
        await Promise.all(servers.map((s, i) => s.configure(packs[i].config)));
    } catch (e) {
        servers.forEach((s) => s.close());
        throw e;
    }
    return servers;
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    const worker = async (): Promise<void> => {
        while (next < items.length) {
            const i = next++;
            results[i] = await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    return results;
}

/** Runs one recorded stack through already-started packs: Analyze per resource, then AnalyzeStack. */
export async function analyzeRecorded(
    resources: RecordedResource[], servers: PolicyPackServer[], onProgress?: (event: ProgressEvent) => void,
): Promise<Diagnostic[]> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const total = servers.length * (resources.length + 1);
    let done = 0;
    const counted = async <T>(call: Promise<T>): Promise<T> => {
        const result = await call;
        onProgress?.({ kind: "analyzing", done: ++done, total });
        return result;
    };
    const perPack = await Promise.all(servers.map(async (s) => {
        const perResource = await mapLimited(resources, ANALYZE_CONCURRENCY, (r) => counted(s.analyze(r, byUrn)));
        const stack = await counted(s.analyzeStack(resources, byUrn));
        return [...perResource.flat(), ...stack];
    }));
    return perPack.flat();
}

export async function runPreview(opts: PreviewOptions): Promise<PreviewResult> {
    const ctx = stackContextFor(opts.programDir, opts.stack, opts.mode, opts.configOverrides);
    // Before the type check, whose "cannot find module" errors would otherwise come before a missing dependency.
    const prepared = prepareRecording({
        programDir: opts.programDir, stack: opts.stack, mode: opts.mode, mocksFile: opts.mocksFile, configOverrides: opts.configOverrides,
    });
    const project = prepared.project;
    const packs = readPackConfigs(opts.packs);
    const progress = opts.onProgress;
    // Recording, type check and pack start-up are independent: run them side by side, and when one
    // fails stop the others and report the failure that came first.
    const abort = new AbortController();
    let firstError: unknown;
    const failFast = (e: unknown): never => {
        if (!abort.signal.aborted) {
            firstError = e;
            abort.abort();
        }
        throw e;
    };
    // The program's part: a compile error wins over whatever the transpile-only run did, since the
    // language host would not have run the program at all.
    const programAbort = new AbortController();
    abort.signal.addEventListener("abort", () => programAbort.abort(), { once: true });
    const checking = typeCheck(project, programAbort.signal).then((outcome) => {
        progress?.({ kind: "type-checked", outcome });
        return outcome;
    }, (e: unknown) => {
        programAbort.abort();
        throw e;
    });
    const recording = recordPrepared(prepared, programAbort.signal, (registered) => progress?.({ kind: "recording", registered }));
    const program = Promise.allSettled([checking, recording]).then(([check, rec]) => {
        if (check.status === "rejected") {
            throw check.reason;
        }
        if (rec.status === "rejected") {
            throw rec.reason;
        }
        progress?.({ kind: "recorded", resources: rec.value.resources.length });
        return rec.value;
    }).catch(failFast);
    const starting = startPacks(packs, ctx, abort.signal, progress).catch(failFast);
    const [rec, started] = await Promise.allSettled([program, starting]);
    if (rec.status === "rejected" || started.status === "rejected") {
        if (started.status === "fulfilled") {
            started.value.forEach((s) => s.close());
        }
        throw firstError;
    }
    const servers = started.value;
    try {
        const violations = await analyzeRecorded(rec.value.resources, servers, progress);
        return { recorded: rec.value, packs: servers.map((s) => s.info), violations, exemptions: exemptionsFor(rec.value.resources, servers, packs.map((p) => p.configFile)) };
    } finally {
        servers.forEach((s) => s.close());
    }
}
