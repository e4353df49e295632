// Wall time of this repo's own offline previews, as a user runs them (`npm run preview`): a fresh
// process each time, program recording and pack start included.
import { spawnSync } from "child_process";
import * as path from "path";
import { BenchRow, BenchSuite, median, REPO_ROOT } from "../suite";

const RUNS = 5;
const BIN = path.join(REPO_ROOT, "tools", "bin", "trace-preview.js");

export const previewSuite: BenchSuite = {
    name: "preview",
    description: `wall time of \`trace-preview --stack <s> --format json\` on this repo, median of ${RUNS} runs`,
    async run(): Promise<BenchRow[]> {
        const rows: BenchRow[] = [];
        for (const stack of ["dev", "prod"]) {
            const times: number[] = [];
            let resources = 0;
            let exit = 0;
            for (let i = 0; i < RUNS; i++) {
                const start = process.hrtime.bigint();
                const run = spawnSync(process.execPath, [BIN, "--stack", stack, "--format", "json"], { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
                times.push(Number(process.hrtime.bigint() - start) / 1e6);
                exit = run.status ?? -1;
                if (exit === 2) {
                    throw new Error(`preview of ${stack} failed: ${run.stderr}`);
                }
                resources = (JSON.parse(run.stdout) as { summary: { resources: number } }).summary.resources;
            }
            rows.push({
                label: `${stack} (preview mode)`,
                figures: { resources, "median (s)": (median(times) / 1000).toFixed(1), "min (s)": (Math.min(...times) / 1000).toFixed(1), "max (s)": (Math.max(...times) / 1000).toFixed(1), exit },
            });
        }
        return rows;
    },
};
