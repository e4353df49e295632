import * as path from "path";
import { ExitCode, runCli } from "../../tools/preview";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const FIXTURES = path.join(REPO_ROOT, "tests", "fixtures");
export const program = (name: string): string => path.join(FIXTURES, "programs", name);
export const pack = (name: string): string => path.join(FIXTURES, "packs", name);
export const POLICY_PACK = path.join(REPO_ROOT, "policy-pack");

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
