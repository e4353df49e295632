// /proc/<pid>/stat as Linux writes it. Field 2, the command name, is parenthesised and may hold
// spaces, so the fields are counted from the last ")"; CPU times are in USER_HZ ticks, which Linux
// fixes at 100 a second for /proc whatever the kernel's own tick rate.
import * as fs from "fs";

const TICKS_PER_SECOND = 100;

/** Field `n` (1-based, as proc(5) numbers them) is at index n - 3: the fields from the state (3) on. */
export interface ProcStat {
    readonly state: string;
    readonly ppid: number;
    /** utime + stime, in seconds. */
    readonly cpu: number;
    /** cutime + cstime: the children this process has waited for, in seconds. */
    readonly childrenCpu: number;
}

/** The process's stat, or undefined when it is gone (or there is no /proc). */
export function procStat(pid: number | "self"): ProcStat | undefined {
    let text: string;
    try {
        text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
        return undefined;
    }
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const seconds = (...indexes: number[]): number => indexes.reduce((sum, i) => sum + Number(fields[i]), 0) / TICKS_PER_SECOND;
    return { state: fields[0], ppid: Number(fields[1]), cpu: seconds(11, 12), childrenCpu: seconds(13, 14) };
}
