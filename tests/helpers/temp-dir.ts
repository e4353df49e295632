import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const made: string[] = [];
// Removed when the test process (or mocha worker) ends, so a run leaves nothing in the temp dir.
process.once("exit", () => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A fresh directory under the OS temp dir, removed when the test process ends. */
export function tempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
}
