// `pulumi preview --policy-pack` offline: record the program, serve every pack, Analyze each resource,
// AnalyzeStack once, collect the diagnostics.
import { AnalyzerError, AnalyzerErrorKind, Diagnostic, PackInfo, PolicyPackServer, StackContext } from "./analyzer";
import { exemptionReport, ExemptionReport } from "./exemptions";
import { parsePolicyConfigFile, PolicyConfigEntry } from "./policy-config";
import { loadProgramConfig, LOCAL_ORGANIZATION, recordStack, RecordedResource, RecordedStack, RunMode } from "./recorder";

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
}

export interface PreviewResult {
    recorded: RecordedStack;
    packs: PackInfo[];
    violations: Diagnostic[];
    exemptions: ExemptionReport;
}

/** The exemptions the started packs applied to a recorded stack (see exemptions.ts). */
export function exemptionsFor(resources: RecordedResource[], servers: PolicyPackServer[]): ExemptionReport {
    return exemptionReport(servers.map((s) => ({ info: s.info, config: s.config })), resources);
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
}

/** Reads every --policy-pack-config file; done before anything starts, so a typo costs nothing. */
export function readPackConfigs(packs: PackSpec[]): ConfiguredPack[] {
    return packs.map((p) => ({ dir: p.dir, config: p.configFile === undefined ? {} : parsePolicyConfigFile(p.configFile) }));
}

/** Starts every pack in parallel and configures it; on any failure stops the ones that started. */
export async function startPacks(packs: ConfiguredPack[], ctx: StackContext, signal?: AbortSignal): Promise<PolicyPackServer[]> {
    const started = await Promise.allSettled(packs.map((p) => PolicyPackServer.start(p.dir, ctx, signal)));
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
export async function analyzeRecorded(resources: RecordedResource[], servers: PolicyPackServer[]): Promise<Diagnostic[]> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const perPack = await Promise.all(servers.map(async (s) => {
        const perResource = await mapLimited(resources, ANALYZE_CONCURRENCY, (r) => s.analyze(r, byUrn));
        const stack = await s.analyzeStack(resources, byUrn);
        return [...perResource.flat(), ...stack];
    }));
    return perPack.flat();
}

export async function runPreview(opts: PreviewOptions): Promise<PreviewResult> {
    const ctx = stackContextFor(opts.programDir, opts.stack, opts.mode, opts.configOverrides);
    const packs = readPackConfigs(opts.packs);
    // Recording and pack start-up are independent: run them side by side, and when one fails stop
    // the other and report the failure that came first.
    const abort = new AbortController();
    let firstError: unknown;
    const failFast = (e: unknown): never => {
        if (!abort.signal.aborted) {
            firstError = e;
            abort.abort();
        }
        throw e;
    };
    const recording = recordStack({
        programDir: opts.programDir, stack: opts.stack, mode: opts.mode, mocksFile: opts.mocksFile, configOverrides: opts.configOverrides,
    }, abort.signal).catch(failFast);
    const starting = startPacks(packs, ctx, abort.signal).catch(failFast);
    const [rec, started] = await Promise.allSettled([recording, starting]);
    if (rec.status === "rejected" || started.status === "rejected") {
        if (started.status === "fulfilled") {
            started.value.forEach((s) => s.close());
        }
        throw firstError;
    }
    const servers = started.value;
    try {
        const violations = await analyzeRecorded(rec.value.resources, servers);
        return { recorded: rec.value, packs: servers.map((s) => s.info), violations, exemptions: exemptionsFor(rec.value.resources, servers) };
    } finally {
        servers.forEach((s) => s.close());
    }
}
