// Synthetic stacks through the real analyzer: Analyze for every resource, then one AnalyzeStack, with
// a pack that has no policies (the cost of the protocol and the server), the SDK-floor pack (the full
// pack's policies with idle checks: what @pulumi/policy spends per policy) and the full pack.
import { PolicyPackServer } from "../../tools/analyze";
import { LOCAL_ORGANIZATION, StackContext } from "../../tools/project";
import { BenchRow, BenchSuite, EMPTY_PACK, FULL_PACK, SDK_FLOOR_PACK, median, timed } from "../suite";
import { syntheticStack } from "../synthetic";

const SIZES = [1_000, 10_000];
/** A tenth of the resources are workloads, as in the reachability benchmark's 10,000/1,000. */
const WORKLOAD_SHARE = 0.1;
const ANALYZE_CONCURRENCY = 32;
/** Timed passes per size and pack (median reported), after one untimed warm-up pass. */
const PASSES = 3;

const CONTEXT: StackContext = {
    project: "bench", stack: "dev", organization: LOCAL_ORGANIZATION, dryRun: false, config: { "aws:region": "eu-west-1" }, secretKeys: [], tags: {},
};

async function analyzeAll(server: PolicyPackServer, resources: ReturnType<typeof syntheticStack>): Promise<{ analyzeMs: number; stackMs: number; violations: number }> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
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

export const analyzerSuite: BenchSuite = {
    name: "analyzer",
    description: `synthetic plan-mode stacks (compliant, 10% workloads) through run-policy-pack over gRPC: Analyze per resource + AnalyzeStack, median of ${PASSES} passes after a warm-up`,
    async run(): Promise<BenchRow[]> {
        const rows: BenchRow[] = [];
        for (const size of SIZES) {
            const resources = syntheticStack({ resources: size, workloads: Math.round(size * WORKLOAD_SHARE) });
            const totals: Record<string, number> = {};
            for (const [packName, dir] of [["empty", EMPTY_PACK], ["sdk-floor", SDK_FLOOR_PACK], ["full", FULL_PACK]] as const) {
                const start = await timed(() => PolicyPackServer.start(dir, CONTEXT));
                const server = start.value;
                try {
                    await server.configure({});
                    await analyzeAll(server, resources);
                    const passes: Awaited<ReturnType<typeof analyzeAll>>[] = [];
                    for (let i = 0; i < PASSES; i++) {
                        passes.push(await analyzeAll(server, resources));
                    }
                    const analyzeMs = median(passes.map((p) => p.analyzeMs));
                    const stackMs = median(passes.map((p) => p.stackMs));
                    const total = median(passes.map((p) => p.analyzeMs + p.stackMs));
                    totals[packName] = total;
                    rows.push({
                        label: `${size} resources, ${packName} pack`,
                        figures: {
                            "pack start (ms)": Math.round(start.ms),
                            "Analyze x N (ms)": Math.round(analyzeMs),
                            "AnalyzeStack (ms)": Math.round(stackMs),
                            "resources/s": Math.round(size / (total / 1000)),
                            violations: passes[0].violations,
                        },
                    });
                } finally {
                    server.close();
                }
            }
            for (const [over, under] of [["full", "empty"], ["sdk-floor", "empty"], ["full", "sdk-floor"]]) {
                rows.push({ label: `${size} resources, ${over}/${under}`, figures: { "time ratio": (totals[over] / totals[under]).toFixed(2) } });
            }
        }
        return rows;
    },
};
