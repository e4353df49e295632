// The analyze stage: serves each policy pack as the engine does (server.ts; the pack's process in
// launch.ts, the AnalyzerService's messages in messages.ts), configures it from its
// --policy-pack-config (policy-config.ts), sends it every recorded resource (Analyze) and the stack
// (AnalyzeStack), and reports which exemptions the packs applied (exemptions.ts).
import type { StackContext } from "../project";
import { mapLimited } from "../shared/map-limited";
import type { RecordedResource } from "../record";
import { exemptionReport, ExemptionReport } from "./exemptions";
import { parsePolicyConfigFile, PolicyConfigEntry } from "./policy-config";
import { AnalyzerError, AnalyzerErrorKind, Diagnostic, PolicyPackServer } from "./server";

export { AnalyzerError, AnalyzerErrorKind, Diagnostic, PackInfo, PolicyPackServer } from "./server";
export { EnforcementLevel, PolicyConfigEntry, PolicyConfigError } from "./policy-config";
export { AppliedExemption, ExemptionReport, StaleExemption } from "./exemptions";
export { providerUrn, toAnalyzerProperties, toAnalyzerValue } from "./properties";

export interface PackSpec {
    dir: string;
    /** --policy-pack-config file paired with this pack (same position on the command line). */
    configFile?: string;
}

/** What the analyze stage is doing, for the progress display. */
export type AnalyzeProgress =
    | { kind: "pack-starting"; dir: string }
    | { kind: "pack-ready"; dir: string; name: string; version: string }
    | { kind: "analyzing"; done: number; total: number };

/** The exemptions the started packs applied to a recorded stack (see exemptions.ts). */
export function exemptionsFor(resources: RecordedResource[], servers: PolicyPackServer[], configFiles: (string | undefined)[] = []): ExemptionReport {
    return exemptionReport(servers.map((s, i) => ({ info: s.info, config: s.config, configFile: configFiles[i] })), resources);
}

/** In-flight Analyze calls per pack: enough to keep the pack's event loop busy, bounded for 10k-resource stacks. */
const ANALYZE_CONCURRENCY = 32;

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
    packs: ConfiguredPack[], ctx: StackContext, signal?: AbortSignal, onProgress?: (event: AnalyzeProgress) => void,
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

/** Runs one recorded stack through already-started packs: Analyze per resource, then AnalyzeStack. */
export async function analyzeRecorded(
    resources: RecordedResource[], servers: PolicyPackServer[], onProgress?: (event: AnalyzeProgress) => void,
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
