// What one recording run keeps while the program runs: every registration in the order the engine
// would see it, the count it reports to the parent, and the lookups that had no offline answer or
// only a placeholder.
import { PlaceholderAnswer, UnansweredInvokeError } from "./invokes";
import { ChildProgress, RecordedOptions, RecordedResource } from "./protocol";

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
export const PROVIDER_PREFIX = "pulumi:providers:";
// How long the run goes on after an unanswered data source, so that the other lookups the program
// has already started are named in the same run.
const UNANSWERED_SETTLE_MS = 200;
const PROGRESS_INTERVAL_MS = 100;

/** The root stack and the default providers: the engine registers them, not the program. */
function isEngineResource(r: RecordedResource): boolean {
    return r.type === ROOT_STACK_TYPE || (r.type.startsWith(PROVIDER_PREFIX) && r.parent === undefined);
}

/** The options of a resource registered without any. */
export function emptyOptions(): RecordedOptions {
    return { protect: false, ignoreChanges: [], additionalSecretOutputs: [], aliases: [], customTimeouts: { create: 0, update: 0, delete: 0 } };
}

/** Tells the parent how many resources the program has registered, at most once per interval. */
class ProgressReport {
    private registered = 0;
    private lastSent = 0;

    count(): void {
        this.registered++;
        const now = Date.now();
        if (now - this.lastSent >= PROGRESS_INTERVAL_MS) {
            this.lastSent = now;
            const progress: ChildProgress = { progress: true, registered: this.registered };
            process.send?.(progress);
        }
    }
}

export class RecordingSession {
    readonly records: RecordedResource[] = [];
    private readonly byUrn = new Map<string, RecordedResource>();
    private readonly progress = new ProgressReport();
    private readonly unanswered = new Map<string, UnansweredInvokeError>();
    // Keyed by token and arguments: a program that looks the same thing up twice gets it named once.
    private readonly placeholders = new Map<string, PlaceholderAnswer>();
    // A program that feeds a lookup's result into a resource (`getAmi(...).then(r => r.id)`) would
    // wait for it forever: the run ends once no further lookup has failed for a moment, whatever the
    // program does with the rejected promise.
    readonly unansweredSettled: Promise<void>;
    private endRun: () => void = () => undefined;
    private settleTimer: NodeJS.Timeout | undefined;

    constructor(private readonly stack: string, private readonly project: string) {
        this.unansweredSettled = new Promise<void>((resolve) => (this.endRun = resolve));
    }

    // As the engine's resource.NewURN and the SDK's createUrn: a child's type is qualified by its
    // parent's whole qualified type (the ancestor chain), except that the root stack's type is left out.
    urn(parent: string, type: string, name: string): string {
        let qualified = type;
        if (parent !== "") {
            const parentType = parent.split("::")[2];
            qualified = parentType === ROOT_STACK_TYPE ? type : `${parentType}$${type}`;
        }
        return `urn:pulumi:${this.stack}::${this.project}::${qualified}::${name}`;
    }

    record(r: RecordedResource): void {
        this.records.push(r);
        this.byUrn.set(r.urn, r);
        if (!isEngineResource(r)) {
            this.progress.count();
        }
    }

    recorded(urn: string): RecordedResource | undefined {
        return this.byUrn.get(urn);
    }

    /** What the program registered itself, without the root stack and the default providers. */
    programResources(): RecordedResource[] {
        return this.records.filter((r) => !isEngineResource(r));
    }

    stackOutputs(): Record<string, unknown> {
        return this.records.find((r) => r.type === ROOT_STACK_TYPE)?.outputs ?? {};
    }

    notePlaceholder(p: PlaceholderAnswer): void {
        this.placeholders.set(`${p.token} ${JSON.stringify(p.args)}`, p);
    }

    placeholderAnswers(): PlaceholderAnswer[] {
        return [...this.placeholders.values()];
    }

    noteUnanswered(e: UnansweredInvokeError): void {
        this.unanswered.set(e.token, e);
        clearTimeout(this.settleTimer);
        this.settleTimer = setTimeout(this.endRun, UNANSWERED_SETTLE_MS);
    }

    hasUnanswered(): boolean {
        return this.unanswered.size > 0;
    }

    /** One message per data source without an answer, in the order the program first called each. */
    unansweredMessages(): string[] {
        return [...this.unanswered.values()].map((e) => e.message);
    }
}
