import * as path from "path";
import { PolicyPackServer } from "../../tools/analyze/server";
import { readPackConfigs, startPacks } from "../../tools/analyze";
import { stackContextFor } from "../../tools/project";
import { ExitCode, runCli } from "../../tools/cli";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const FIXTURES = path.join(REPO_ROOT, "tests", "fixtures");
export const program = (name: string): string => path.join(FIXTURES, "programs", name);
export const pack = (name: string): string => path.join(FIXTURES, "packs", name);
export const POLICY_PACK = path.join(REPO_ROOT, "policy-pack");
/** Trace's own pack config, which the README's CI command passes with --policy-pack-config. */
export const TRACE_PACK_CONFIG = path.join(POLICY_PACK, "config", "trace.json");

export interface CliRun {
    code: ExitCode;
    stdout: string;
    stderr: string;
}

/** Runs the CLI in this process, capturing what it writes. */
export async function cli(...argv: string[]): Promise<CliRun> {
    let stdout = "";
    let stderr = "";
    const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr };
}

const realPacks = new Map<string, Promise<PolicyPackServer[]>>();

/**
 * This repo's policy pack, served once per stack name (and config file) for the whole mocha run and shared by the test
 * files: each start loads the compiled pack with @pulumi/aws (seconds), and the pack reads nothing from its
 * context but the stack name (no program config, not the dry-run flag), so any program of that stack
 * can be analyzed with it.
 */
export function realPack(stack: string, programDir: string, configFile?: string): Promise<PolicyPackServer[]> {
    const key = `${stack}\u0000${configFile ?? ""}`;
    let servers = realPacks.get(key);
    if (servers === undefined) {
        servers = startPacks(readPackConfigs([{ dir: POLICY_PACK, configFile }]), stackContextFor(programDir, stack, "preview"));
        realPacks.set(key, servers);
    }
    return servers;
}

// Under `mocha --parallel` this root hook runs after each file in a reused worker, so the cache is
// emptied with the servers it held; the next file in that worker starts its own.
after(async () => {
    const started = [...realPacks.values()];
    realPacks.clear();
    for (const servers of started) {
        (await servers).forEach((s) => s.close());
    }
});
