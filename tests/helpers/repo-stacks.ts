// This repository's own program, recorded for its dev and prod stacks once per test run and shared by
// every test file that checks it (see run-shared.ts). Five test files assert on the same four
// recordings, which are made together, two after each other in each of two processes (recordStacks).
import * as path from "path";
import { recordStacks, RecordedStack, RunMode } from "../../tools/record";
import { sharedOnce } from "./run-shared";

export const PROGRAM_DIR = path.resolve(__dirname, "..", "..");

export type RepoStack = "dev" | "prod";

const RECORDED: { stack: RepoStack; mode: RunMode }[] = [
    { stack: "dev", mode: "preview" },
    { stack: "dev", mode: "plan" },
    { stack: "prod", mode: "preview" },
    { stack: "prod", mode: "plan" },
];

/** The recording of this repository's program for a stack and mode: the same for every caller of the run, a copy each. */
export async function repoStack(stack: RepoStack, mode: RunMode): Promise<RecordedStack> {
    const all = await sharedOnce("repo-stacks", () => recordStacks(RECORDED.map((r) => ({ programDir: PROGRAM_DIR, ...r })), 2));
    return all[RECORDED.findIndex((r) => r.stack === stack && r.mode === mode)];
}
