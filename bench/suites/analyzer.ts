// Synthetic stacks through the real analyzer: Analyze for every resource, then one AnalyzeStack, with
// a pack that has no policies (the cost of the protocol and the server), the SDK-floor pack (the full
// pack's policies with idle checks: what @pulumi/policy spends per policy) and the full pack.
//
// The packs run side by side and take turns pass by pass, so that a change in the machine's load lands
// on all of them alike instead of on whichever pack ran during it; the ratios are medians of per-pass
// ratios. A pass analyzes at least RESOURCES_PER_PASS resources (the 1,000-resource stack ten times):
// one analysis of 1,000 resources cost the full pack either about 500 or about 900 ms of CPU, as its
// garbage collections fell in it or not, which moved a per-pass ratio by ±0.3. Beside wall time, the
// pack process's own CPU time, which the other processes of a loaded machine do not add to.
//
// Each pack is served by PROCESSES_PER_PACK processes, as a JVM benchmark runs several forks: with one
// process per pack, the per-pass ratios of a run agreed closely but two runs did not (full/sdk-floor
// 0.98 in one, 1.10 in the next), since what a process's compiler and heap make of the same code
// differs from one process to the next. Ratios pair each pass with the pass of the other pack's process
// of the same rank in the same round, so the median is over processes as well as passes.
import { PolicyPackServer } from "../../tools/analyze";
import { LOCAL_ORGANIZATION, StackContext } from "../../tools/project";
import { BenchRow, BenchSuite, EMPTY_PACK, FULL_PACK, SDK_FLOOR_PACK, median, quartiles, timed } from "../suite";
import { procStat } from "../../tests/helpers/proc-stat";
import { syntheticStack } from "../synthetic";

const SIZES = [1_000, 10_000];
/** A tenth of the resources are workloads, as in the reachability benchmark's 10,000/1,000. */
const WORKLOAD_SHARE = 0.1;
const ANALYZE_CONCURRENCY = 32;
/** A pass analyzes the stack as many times as it takes to reach this many resources. */
const RESOURCES_PER_PASS = 10_000;
/** Processes serving each pack, side by side. */
const PROCESSES_PER_PACK = 3;
/** Timed passes per process, interleaved, after one untimed warm-up pass each. */
const PASSES = 3;

const PACKS = [["empty", EMPTY_PACK], ["sdk-floor", SDK_FLOOR_PACK], ["full", FULL_PACK]] as const;
type PackName = (typeof PACKS)[number][0];
const RATIOS: [PackName, PackName][] = [["full", "sdk-floor"], ["full", "empty"], ["sdk-floor", "empty"]];

const CONTEXT: StackContext = {
    project: "bench", stack: "dev", organization: LOCAL_ORGANIZATION, dryRun: false, config: { "aws:region": "eu-west-1" }, secretKeys: [], tags: {},
};

type Resources = ReturnType<typeof syntheticStack>;

interface RunningPack {
    name: PackName;
    /** Which of the pack's processes (0 to PROCESSES_PER_PACK - 1). */
    rank: number;
    server: PolicyPackServer;
    startMs: number;
}

/** Figures per analysis of the stack (a pass analyzes it `repeats` times). */
interface Pass {
    analyzeMs: number;
    stackMs: number;
    /** The pack process's user + system time during the pass; undefined where /proc cannot tell (not Linux). */
    cpuMs: number | undefined;
    violations: number;
}

/** utime + stime of a process, in ms. */
function processCpuMs(pid: number | undefined): number | undefined {
    const stat = pid === undefined ? undefined : procStat(pid);
    return stat === undefined ? undefined : stat.cpu * 1000;
}

async function analyzeOnce(server: PolicyPackServer, resources: Resources, byUrn: Map<string, Resources[number]>): Promise<Omit<Pass, "cpuMs">> {
    let next = 0;
    let violations = 0;
    const analyze = await timed(async () => {
        await Promise.all(Array.from({ length: ANALYZE_CONCURRENCY }, async () => {
            while (next < resources.length) {
                violations += (await server.analyze(resources[next++], byUrn)).length;
            }
        }));
    });
    const stack = await timed(() => server.analyzeStack(resources, byUrn));
    return { analyzeMs: analyze.ms, stackMs: stack.ms, violations: violations + stack.value.length };
}

async function pass(server: PolicyPackServer, resources: Resources): Promise<Pass> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const repeats = Math.max(1, Math.round(RESOURCES_PER_PASS / resources.length));
    const cpuBefore = processCpuMs(server.pid);
    const runs: Omit<Pass, "cpuMs">[] = [];
    for (let i = 0; i < repeats; i++) {
        runs.push(await analyzeOnce(server, resources, byUrn));
    }
    const cpuAfter = processCpuMs(server.pid);
    const perRun = (total: number): number => total / repeats;
    return {
        analyzeMs: perRun(runs.reduce((sum, r) => sum + r.analyzeMs, 0)),
        stackMs: perRun(runs.reduce((sum, r) => sum + r.stackMs, 0)),
        cpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : perRun(cpuAfter - cpuBefore),
        violations: runs[0].violations,
    };
}

async function startPacks(): Promise<RunningPack[]> {
    const packs: RunningPack[] = [];
    try {
        for (let rank = 0; rank < PROCESSES_PER_PACK; rank++) {
            for (const [name, dir] of PACKS) {
                const start = await timed(() => PolicyPackServer.start(dir, CONTEXT));
                packs.push({ name, rank, server: start.value, startMs: start.ms });
                await start.value.configure({});
            }
        }
        return packs;
    } catch (e) {
        packs.forEach((p) => p.server.close());
        throw e;
    }
}

/**
 * One warm-up pass per process, then PASSES rounds of one pass per process in turn (rank by rank,
 * the packs of a rank one after another). Each pack's passes come out in the same order, round by
 * round and rank by rank, so passes at the same index were made side by side.
 */
async function interleavedPasses(packs: RunningPack[], resources: Resources): Promise<Map<PackName, Pass[]>> {
    for (const pack of packs) {
        await pass(pack.server, resources);
    }
    const passes = new Map<PackName, Pass[]>(PACKS.map(([name]) => [name, []]));
    for (let i = 0; i < PASSES; i++) {
        for (const pack of packs) {
            passes.get(pack.name)!.push(await pass(pack.server, resources));
        }
    }
    return passes;
}

const wallMs = (p: Pass): number => p.analyzeMs + p.stackMs;

function packRow(size: number, name: PackName, processes: RunningPack[], passes: Pass[]): BenchRow {
    const cpu = passes.map((p) => p.cpuMs);
    return {
        label: `${size} resources, ${name} pack`,
        figures: {
            "pack start (ms)": Math.round(median(processes.map((p) => p.startMs))),
            "Analyze x N (ms)": Math.round(median(passes.map((p) => p.analyzeMs))),
            "AnalyzeStack (ms)": Math.round(median(passes.map((p) => p.stackMs))),
            "resources/s": Math.round(size / (median(passes.map(wallMs)) / 1000)),
            "pack CPU (ms)": cpu.includes(undefined) ? "n/a" : Math.round(median(cpu as number[])),
            violations: passes[0].violations,
        },
    };
}

/** "median (lower quartile–upper quartile)" of the per-pass ratios. */
function ratioWithSpread(over: number[], under: number[]): string {
    const ratios = over.map((o, i) => o / under[i]);
    const [low, high] = quartiles(ratios);
    return `${median(ratios).toFixed(2)} (${low.toFixed(2)}–${high.toFixed(2)})`;
}

function ratioRow(size: number, over: Pass[], under: Pass[], overName: PackName, underName: PackName): BenchRow {
    const cpuOver = over.map((p) => p.cpuMs);
    const cpuUnder = under.map((p) => p.cpuMs);
    const cpuKnown = !cpuOver.includes(undefined) && !cpuUnder.includes(undefined);
    return {
        label: `${size} resources, ${overName}/${underName}`,
        figures: {
            "wall ratio (IQR)": ratioWithSpread(over.map(wallMs), under.map(wallMs)),
            "CPU ratio (IQR)": cpuKnown ? ratioWithSpread(cpuOver as number[], cpuUnder as number[]) : "n/a",
        },
    };
}

export const analyzerSuite: BenchSuite = {
    name: "analyzer",
    description:
        `synthetic plan-mode stacks (compliant, 10% workloads) through run-policy-pack over gRPC: Analyze per resource + AnalyzeStack; ` +
        `each pack served by ${PROCESSES_PER_PACK} processes, all side by side, one pass (at least ${RESOURCES_PER_PASS} resources) each in turn, ` +
        `${PASSES} timed passes per process after a warm-up; figures are per analysis of the stack, medians over every process's passes; ` +
        `ratios the median of the per-pass ratios with their interquartile range; pack CPU is the pack process's user + system time`,
    async run(): Promise<BenchRow[]> {
        const rows: BenchRow[] = [];
        for (const size of SIZES) {
            const resources = syntheticStack({ resources: size, workloads: Math.round(size * WORKLOAD_SHARE) });
            const packs = await startPacks();
            try {
                const passes = await interleavedPasses(packs, resources);
                rows.push(...PACKS.map(([name]) => packRow(size, name, packs.filter((p) => p.name === name), passes.get(name)!)));
                rows.push(...RATIOS.map(([over, under]) => ratioRow(size, passes.get(over)!, passes.get(under)!, over, under)));
            } finally {
                packs.forEach((p) => p.server.close());
            }
        }
        return rows;
    },
};
