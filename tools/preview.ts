// trace-preview: `pulumi preview --policy-pack` without a cloud account or the Pulumi CLI.
// Exit 0: no mandatory violation; 1: at least one; 2: the preview could not be made (bad arguments,
// stack config, program error, unanswered invoke, pack failed to load, invalid policy config).
import { Command, CommanderError, Option } from "commander";
import * as fs from "fs";
import * as path from "path";
import { AnalyzerError, AnalyzerErrorKind } from "./lib/analyzer";
import { CostInputError, costText, markdownSummary, prepareCost, priceRecording } from "./lib/cost";
import { DEFAULT_TRAFFIC } from "./lib/cost/traffic";
import { PolicyConfigError } from "./lib/policy-config";
import { entryFile } from "./lib/project";
import { PackSpec, runPreview } from "./lib/preview";
import { loadProgramConfig, RecordError, RecordErrorKind, RUN_MODES, RunMode } from "./lib/recorder";
import { isBlocking, jsonReport, REPORT_FORMATS, ReportFormat, sarifReport, textReport } from "./lib/report";

export enum ExitCode {
    Clean = 0,
    MandatoryViolations = 1,
    Error = 2,
}

export interface Io {
    stdout: (text: string) => void;
    stderr: (text: string) => void;
}

export const DEFAULT_POLICY_PACK = "policy-pack";

function toolVersion(): string {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { version?: string };
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
        .option("--policy-pack <dir>", `policy pack directory; repeat for several (default: ${DEFAULT_POLICY_PACK})`, collect)
        .option("--policy-pack-config <file>", "JSON config for the policy pack at the same position; repeat for several", collect)
        .addOption(new Option("--mode <mode>", "preview: outputs of new resources unknown; plan: every value known").choices([...RUN_MODES]).default("preview"))
        .addOption(new Option("--format <format>", "report format").choices([...REPORT_FORMATS]).default(ReportFormat.Text))
        .option("--output <file>", "write the report to this file (a text summary still goes to stdout)")
        .option("--mocks <file>", 'JSON answers for invokes/resources: {"invokes": {"<token>": {...}}, "resources": {"<type>": {...}}}')
        .option("--no-cost", "leave out the cost section (the posture's monthly cost beside the NAT design)")
        .option("--price-file <file>", "JSON prices merged over the built-in table (tools/prices); repeat for several", collect)
        .option("--traffic <category=GB>", `GB per month for a traffic category; repeat (defaults: ${Object.entries(DEFAULT_TRAFFIC).map(([k, v]) => `${k}=${v}`).join(", ")})`, collect)
        .option("--traffic-file <file>", "JSON object of traffic category -> GB per month (flags override it)")
        .exitOverride()
        .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => undefined })
        .allowExcessArguments(false);
}

function pairPacks(opts: CliOptions): PackSpec[] {
    const dirs = opts.policyPack ?? [DEFAULT_POLICY_PACK];
    const configs = opts.policyPackConfig ?? [];
    if (configs.length > 0 && configs.length !== dirs.length) {
        throw new CommanderError(
            ExitCode.Error, "trace-preview.packs",
            `the number of --policy-pack-config flags (${configs.length}) must match the number of --policy-pack flags (${dirs.length}); config N applies to pack N`,
        );
    }
    return dirs.map((dir, i) => ({ dir: path.resolve(dir), configFile: configs[i] === undefined ? undefined : path.resolve(configs[i]) }));
}

function describeError(e: unknown): string {
    if (e instanceof RecordError) {
        const label: Record<RecordErrorKind, string> = {
            [RecordErrorKind.Project]: "the program directory is not a usable Pulumi project",
            [RecordErrorKind.StackConfig]: "the stack configuration is invalid",
            [RecordErrorKind.Mocks]: "the --mocks file is invalid",
            [RecordErrorKind.Program]: "the program failed",
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
        return `error: the policy pack config is invalid: ${e.message}`;
    }
    return `error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function runCli(argv: string[], io: Io): Promise<ExitCode> {
    const command = buildCommand(io);
    let opts: CliOptions;
    let packs: PackSpec[];
    try {
        command.parse(argv, { from: "user" });
        opts = command.opts<CliOptions>();
        packs = pairPacks(opts);
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
    try {
        const programDir = path.resolve(opts.program);
        // Checked before the program runs, so a bad price file or region costs nothing.
        const costSetup = opts.cost
            ? prepareCost({
                priceFiles: (opts.priceFile ?? []).map((f) => path.resolve(f)),
                trafficFile: opts.trafficFile === undefined ? undefined : path.resolve(opts.trafficFile),
                trafficFlags: opts.traffic ?? [],
                region: loadProgramConfig(programDir, opts.stack).config.values["aws:region"],
            })
            : undefined;
        const result = await runPreview({ programDir, stack: opts.stack, mode: opts.mode, packs, mocksFile: opts.mocks === undefined ? undefined : path.resolve(opts.mocks) });
        const packDirs = packs.map((p) => {
            const rel = path.relative(process.cwd(), p.dir);
            return rel === "" ? "." : rel.startsWith("..") ? p.dir : rel;
        });
        const cost = costSetup === undefined ? undefined : priceRecording(result.recorded, costSetup);
        const text = textReport(result, packDirs) + (cost === undefined ? "" : `\n${costText(cost)}`);
        let rendered: string;
        switch (opts.format) {
            case ReportFormat.Json:
                rendered = JSON.stringify({ ...jsonReport(result), ...(cost === undefined ? {} : { cost }) }, null, 2) + "\n";
                break;
            case ReportFormat.Sarif:
                rendered = JSON.stringify(sarifReport(result, entryFile(loadProgramConfig(programDir, opts.stack).project), toolVersion()), null, 2) + "\n";
                break;
            case ReportFormat.MarkdownSummary:
                rendered = markdownSummary(jsonReport(result), cost);
                break;
            case ReportFormat.Text:
                rendered = text;
                break;
        }
        if (opts.output !== undefined) {
            fs.writeFileSync(opts.output, rendered);
            io.stdout(text);
        } else {
            io.stdout(rendered);
        }
        return result.violations.some(isBlocking) ? ExitCode.MandatoryViolations : ExitCode.Clean;
    } catch (e) {
        io.stderr(describeError(e) + "\n");
        return ExitCode.Error;
    }
}

/** Entry point of the `trace-preview` bin and `npm run preview`. */
export function main(): void {
    runCli(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) })
        .then((code) => {
            process.exitCode = code;
        });
}

if (require.main === module) {
    main();
}
