// trace-preview: `pulumi preview --policy-pack` without a cloud account or the Pulumi CLI.
// Exit 0: no mandatory violation; 1: at least one; 2: the preview could not be made (bad arguments,
// stack config, program or type error, unanswered invoke, pack failed to load, invalid policy config, a
// --price-file, --traffic or --traffic-file given but wrong, or any failure of the tool itself; never what
// the cost section cannot price); 129/130/143: stopped by SIGHUP/SIGINT/SIGTERM.
import { Command, CommanderError, Option } from "commander";
import * as fs from "fs";
import * as path from "path";
import { AnalyzerError, AnalyzerErrorKind, PolicyConfigError } from "./analyze";
import { CostInputError, DEFAULT_TRAFFIC, prepareCost } from "./cost";
import { entryFile, RUN_MODES, RunMode } from "./project";
import { exitOnSignals } from "./shared/children";
import { PackSpec, runPreview } from "./preview";
import { ProgressDisplay, ProgressOutput } from "./progress";
import { loadProgramConfig, RecordError, RecordErrorKind } from "./record";
import { ExtraReport, isBlocking, parseExtraReport, renderReport, REPORT_FORMATS, ReportFormat, SourceLocator, sourceRoot } from "./report";

export enum ExitCode {
    Clean = 0,
    MandatoryViolations = 1,
    Error = 2,
}

export interface Io {
    stdout: (text: string) => void;
    stderr: (text: string) => void;
    /** Where progress goes (stderr of the real process); none: no progress shown. */
    progress?: ProgressOutput;
}

/** The pack this tool ships with; in this repository the workspace link makes it ./policy-pack. */
export const DEFAULT_POLICY_PACK_PACKAGE = "@trace/network-guardrails";

function defaultPolicyPack(): string {
    return path.dirname(require.resolve(`${DEFAULT_POLICY_PACK_PACKAGE}/package.json`));
}

function toolVersion(): string {
    // By package name: this file runs from tools/ (source) and from tools/dist/ (built), at different depths.
    const pkg = JSON.parse(fs.readFileSync(require.resolve("@trace/preview/package.json"), "utf8")) as { version?: string };
    return pkg.version ?? "0.0.0";
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

interface CliOptions {
    program: string;
    stack: string;
    policyPack?: string[];
    policyPackConfig?: string[];
    mode: RunMode;
    format: ReportFormat;
    output?: string;
    mocks?: string;
    quiet?: boolean;
    sarifRoot?: string;
    report?: string[];
    cost: boolean;
    priceFile?: string[];
    traffic?: string[];
    trafficFile?: string;
}

function buildCommand(io: Io): Command {
    return new Command("trace-preview")
        .description("Offline `pulumi preview --policy-pack`: runs a Pulumi program under a recording mock monitor and sends every resource through the real policy analyzer.")
        .version(toolVersion())
        .option("--program <dir>", "Pulumi project directory (has Pulumi.yaml)", ".")
        .requiredOption("--stack <name>", "stack whose Pulumi.<stack>.yaml config is used")
        .option("--policy-pack <dir>", `policy pack directory; repeat for several (default: the ${DEFAULT_POLICY_PACK_PACKAGE} pack installed with this tool)`, collect)
        .option("--policy-pack-config <file>", "JSON config for the policy pack at the same position; repeat for several", collect)
        .addOption(new Option("--mode <mode>", "preview: outputs of new resources unknown; plan: every value known").choices([...RUN_MODES]).default("preview"))
        .addOption(new Option("--format <format>", "report format").choices([...REPORT_FORMATS]).default(ReportFormat.Text))
        .option("--output <file>", "write the report to this file (a text summary still goes to stdout)")
        .option("--sarif-root <dir>", "directory that source paths in every report are relative to (default: the program's git repository root, else the program directory)")
        .option("--report <format=file>", "also write the report in another format to a file, e.g. markdown=$GITHUB_STEP_SUMMARY; repeat for several", collect)
        .option("--mocks <file>", 'JSON answers for invokes/resources: {"invokes": {"<token>": {...}}, "resources": {"<type>": {...}}}')
        .option("--quiet", "no progress on stderr (errors are still printed)")
        .option("--no-cost", "leave out the cost section (the posture's monthly cost beside the NAT design)")
        .option("--price-file <file>", "JSON prices merged over the built-in table (tools/prices); repeat for several", collect)
        .option("--traffic <category=GB>", `GB per month for a traffic category; repeat (defaults: ${Object.entries(DEFAULT_TRAFFIC).map(([k, v]) => `${k}=${v}`).join(", ")})`, collect)
        .option("--traffic-file <file>", "JSON object of traffic category -> amount per month (flags override it)")
        .exitOverride()
        .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => undefined })
        .allowExcessArguments(false);
}

function pairPacks(opts: CliOptions): PackSpec[] {
    const dirs = opts.policyPack ?? [defaultPolicyPack()];
    const configs = opts.policyPackConfig ?? [];
    if (configs.length > 0 && configs.length !== dirs.length) {
        throw new CommanderError(
            ExitCode.Error, "trace-preview.packs",
            `the number of --policy-pack-config flags (${configs.length}) must match the number of --policy-pack flags (${dirs.length}); config N applies to pack N`,
        );
    }
    return dirs.map((dir, i) => ({ dir: path.resolve(dir), configFile: configs[i] === undefined ? undefined : path.resolve(configs[i]) }));
}

// Checked before the run: a report that cannot be written must not cost a whole preview first.
function checkOutput(file: string): void {
    const dir = path.dirname(path.resolve(file));
    const st = fs.statSync(dir, { throwIfNoEntry: false });
    const problem = st === undefined ? "does not exist" : !st.isDirectory() ? "is not a directory" : undefined;
    if (problem !== undefined) {
        throw new CommanderError(ExitCode.Error, "trace-preview.output", `--output ${file}: the directory ${dir} ${problem}`);
    }
    try {
        fs.accessSync(dir, fs.constants.W_OK);
    } catch {
        throw new CommanderError(ExitCode.Error, "trace-preview.output", `--output ${file}: the directory ${dir} is not writable`);
    }
}

// --sarif-root and --report, checked before anything runs.
function reportArguments(opts: CliOptions): { root: string; extraReports: ExtraReport[] } {
    const root = sourceRoot(path.resolve(opts.program), opts.sarifRoot);
    const extras = (opts.report ?? []).map(parseExtraReport);
    const problems = [
        ...("error" in root ? [root.error] : []),
        ...extras.flatMap((x) => ("error" in x ? [x.error] : fs.existsSync(path.dirname(path.resolve(x.file))) ? [] : [`--report ${x.format}=${x.file}: directory ${path.dirname(path.resolve(x.file))} does not exist`])),
    ];
    if (problems.length > 0 || "error" in root) {
        throw new CommanderError(ExitCode.Error, "trace-preview.reports", problems.join("; "));
    }
    return { root: root.root, extraReports: extras.filter((x): x is ExtraReport => !("error" in x)) };
}

function describeError(e: unknown): string {
    if (e instanceof RecordError) {
        const label: Record<RecordErrorKind, string> = {
            [RecordErrorKind.Project]: "the program directory is not a usable Pulumi project",
            [RecordErrorKind.StackConfig]: "the stack configuration is invalid",
            [RecordErrorKind.Mocks]: "the --mocks file is invalid",
            [RecordErrorKind.Program]: "the program failed",
            [RecordErrorKind.Dependencies]: "the program's dependencies are not installed",
            [RecordErrorKind.TypeCheck]: "the program does not compile",
            [RecordErrorKind.Invoke]: "the program called a data source with no offline answer",
            [RecordErrorKind.Internal]: "the offline recording could not run",
        };
        const registered = e.kind === RecordErrorKind.Program || e.kind === RecordErrorKind.Invoke
            ? ` (${e.registered.length} resource${e.registered.length === 1 ? "" : "s"} registered before the failure)`
            : "";
        return `error: ${label[e.kind]}${registered}: ${e.message}`;
    }
    if (e instanceof AnalyzerError) {
        const label: Record<AnalyzerErrorKind, string> = {
            [AnalyzerErrorKind.PackLoad]: "a policy pack failed to load",
            [AnalyzerErrorKind.Analyze]: "a policy failed while analyzing",
        };
        return `error: ${label[e.kind]}: ${e.message}`;
    }
    if (e instanceof CostInputError) {
        return `error: the cost inputs are invalid:\n${e.problems.map((p) => `  - ${p}`).join("\n")}`;
    }
    if (e instanceof PolicyConfigError) {
        return e.lines.map((l) => `error: ${l}`).join("\n");
    }
    // Not a failure of the preview's inputs: a defect of the tool, shown with its stack for a report.
    return `error: internal error of trace-preview (please report it): ${e instanceof Error ? e.stack ?? e.message : String(e)}`;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function runCli(argv: string[], io: Io): Promise<ExitCode> {
    const command = buildCommand(io);
    let opts: CliOptions;
    let packs: PackSpec[];
    let root: string;
    let extraReports: ExtraReport[];
    try {
        command.parse(argv, { from: "user" });
        opts = command.opts<CliOptions>();
        packs = pairPacks(opts);
        if (opts.output !== undefined) {
            checkOutput(opts.output);
        }
        ({ root, extraReports } = reportArguments(opts));
    } catch (e) {
        if (e instanceof CommanderError) {
            if (e.code === "commander.helpDisplayed" || e.code === "commander.version") {
                return ExitCode.Clean;
            }
            io.stderr(`error: bad arguments: ${e.message.replace(/^error: /, "")} (see --help)\n`);
            return ExitCode.Error;
        }
        throw e;
    }
    const display = io.progress === undefined || opts.quiet === true ? undefined : new ProgressDisplay(io.progress);
    try {
        const programDir = path.resolve(opts.program);
        const { project } = loadProgramConfig(programDir, opts.stack);
        display?.start(project.name, opts.stack, opts.mode);
        // Checked before the program runs, so a bad price or traffic file costs nothing.
        const costSetup = opts.cost
            ? prepareCost({
                priceFiles: (opts.priceFile ?? []).map((f) => path.resolve(f)),
                trafficFile: opts.trafficFile === undefined ? undefined : path.resolve(opts.trafficFile),
                trafficFlags: opts.traffic ?? [],
            })
            : undefined;
        const input = await runPreview({
            programDir, stack: opts.stack, mode: opts.mode, packs, mocksFile: opts.mocks === undefined ? undefined : path.resolve(opts.mocks), cost: costSetup, onProgress: display?.onEvent,
        });
        display?.finish();
        const packDirs = packs.map((p) => {
            const rel = path.relative(process.cwd(), p.dir);
            return rel === "" ? "." : rel.startsWith("..") ? p.dir : rel;
        });
        const sources = new SourceLocator(input.recorded.resources, root, entryFile(project));
        const ctx = { packDirs, sources, toolVersion: toolVersion() };
        const text = renderReport(ReportFormat.Text, input, ctx);
        const rendered = renderReport(opts.format, input, ctx);
        for (const extra of extraReports) {
            fs.writeFileSync(extra.file, renderReport(extra.format, input, ctx));
        }
        if (opts.output !== undefined) {
            fs.writeFileSync(opts.output, rendered);
            io.stdout(text);
        } else {
            io.stdout(rendered);
        }
        return input.violations.some(isBlocking) ? ExitCode.MandatoryViolations : ExitCode.Clean;
    } catch (e) {
        display?.finish();
        io.stderr(describeError(e) + "\n");
        return ExitCode.Error;
    }
}

/** What the tool says when a signal stops it: a run that ends in silence reads as a crash. */
export function interruptedMessage(signal: NodeJS.Signals): string {
    return `error: interrupted by ${signal}: the preview did not finish, and every process it started was stopped`;
}

/** Entry point of the `trace-preview` bin and `npm run preview`. */
export function main(): void {
    const crash = (e: unknown): void => {
        process.stderr.write(`${describeError(e)}\n`);
        process.exit(ExitCode.Error);
    };
    // 1 means "mandatory violation" to CI; a crash of the tool must never look like one.
    process.on("uncaughtException", crash);
    process.on("unhandledRejection", crash);
    exitOnSignals((signal) => {
        if (process.stderr.isTTY) {
            process.stderr.write("\r\x1b[K");
        }
        process.stderr.write(`${interruptedMessage(signal)}\n`);
    });
    const progress: ProgressOutput = { write: (t) => process.stderr.write(t), live: process.stderr.isTTY === true };
    runCli(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), progress })
        .then((code) => {
            process.exitCode = code;
        }, crash);
}

if (require.main === module) {
    main();
}
