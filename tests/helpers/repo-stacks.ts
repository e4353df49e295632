// This repository's own program, recorded for its dev and prod stacks once per test run and shared by
// every test file that checks it (see run-shared.ts). A recording of the whole program is a Node
// process of several seconds of CPU; five test files assert on the same four recordings.
import * as path from "path";
import { recordStack, RecordedStack, RunMode } from "../../tools/record";
import { sharedOnce } from "./run-shared";

export const PROGRAM_DIR = path.resolve(__dirname, "..", "..");

export type RepoStack = "dev" | "prod";

/** `recordStack` of this repository's program: the same recording for every caller of the run, a copy each. */
export function repoStack(stack: RepoStack, mode: RunMode): Promise<RecordedStack> {
    return sharedOnce(`repo-${stack}-${mode}`, () => recordStack({ programDir: PROGRAM_DIR, stack, mode }));
}
