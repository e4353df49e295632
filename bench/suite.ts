// What a benchmark suite is. bench/index.ts runs every suite in SUITES and prints their rows; add a
// suite by writing bench/suites/<name>.ts exporting a BenchSuite and listing it in SUITES.
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "..");
export const FULL_PACK = path.join(REPO_ROOT, "policy-pack");
export const EMPTY_PACK = path.join(REPO_ROOT, "bench", "packs", "empty-pack");
/** The full pack's policies with checks that do nothing (see its index.ts). */
export const SDK_FLOOR_PACK = path.join(REPO_ROOT, "bench", "packs", "sdk-floor-pack");

export interface BenchRow {
    /** What was measured, e.g. "10000 resources, full pack". */
    label: string;
    /** Figures in display order, e.g. { "Analyze (ms)": 1234, "resources/s": 8100 }. */
    figures: Record<string, number | string>;
}

export interface BenchSuite {
    name: string;
    description: string;
    /** Run only when named (`npm run bench -- <name>`): it takes many minutes. */
    onlyWhenNamed?: boolean;
    run(): Promise<BenchRow[]>;
}

export function median(values: number[]): number {
    const s = [...values].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The lower and upper quartiles (medians of the lower and upper halves): the spread reported beside a median. */
export function quartiles(values: number[]): [number, number] {
    const s = [...values].sort((a, b) => a - b);
    const half = Math.max(1, Math.floor(s.length / 2));
    return [median(s.slice(0, half)), median(s.slice(s.length - half))];
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
    const start = process.hrtime.bigint();
    const value = await fn();
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}
