// What the preview is doing, on stderr (stdout is the report): one live line rewritten in place on a
// terminal, plain lines otherwise (CI logs, redirected output).
import * as path from "path";
import { ProgressEvent } from "./preview";

const LIVE_INTERVAL_MS = 100;
/** Plain lines for analysis: at most one per this fraction of the work, plus the last. */
const PLAIN_STEPS = 4;

export interface ProgressOutput {
    write: (text: string) => void;
    /** A terminal: rewrite one line in place. */
    live: boolean;
}

export class ProgressDisplay {
    private lastLive = 0;
    private lineShown = false;
    private plainStep = 0;
    private recordingShown = false;

    constructor(private readonly out: ProgressOutput) {}

    /** Shown before anything starts. */
    start(project: string, stack: string, mode: string): void {
        this.line(`Previewing ${project}/${stack} offline (${mode} mode)`, true);
    }

    readonly onEvent = (e: ProgressEvent): void => {
        switch (e.kind) {
            case "recording":
                this.line(`running the program: ${e.registered} resource${e.registered === 1 ? "" : "s"} registered`, !this.recordingShown);
                this.recordingShown = true;
                break;
            case "recorded":
                this.line(`program recorded: ${e.resources} resources (with the stack and default providers)`, true);
                break;
            case "type-checked":
                this.line(`program type check: ${e.outcome === "cached" ? "passed (unchanged since the last check)" : e.outcome === "skipped" ? "off (runtime.options.typescript: false, noCheck or PULUMI_NODEJS_TRANSPILE_ONLY)" : "passed"}`, true);
                break;
            case "pack-starting":
                this.line(`starting policy pack ${path.relative(process.cwd(), e.dir) || "."}`, true);
                break;
            case "pack-ready":
                this.line(`policy pack ${e.name}@v${e.version} ready`, true);
                break;
            case "analyzing": {
                const step = Math.floor((e.done * PLAIN_STEPS) / e.total);
                const important = !this.out.live && (step > this.plainStep || e.done === e.total);
                if (important) {
                    this.plainStep = step;
                }
                this.line(`analysis ${e.done}/${e.total}`, important || e.done === e.total);
                break;
            }
        }
    };

    /** Clears the live line so the report starts on a clean line. */
    finish(): void {
        if (this.out.live && this.lineShown) {
            this.out.write("\r\x1b[K");
            this.lineShown = false;
        }
    }

    private line(text: string, important: boolean): void {
        if (this.out.live) {
            const now = Date.now();
            if (!important && now - this.lastLive < LIVE_INTERVAL_MS) {
                return;
            }
            this.lastLive = now;
            this.out.write(`\r\x1b[K${text}`);
            this.lineShown = true;
        } else if (important) {
            this.out.write(`${text}\n`);
        }
    }
}
