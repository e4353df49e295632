// One entry point from a finished preview to any report format, so the CLI stays a thin shell.
import * as fs from "fs";
import * as path from "path";
import { jsonReport, REPORT_FORMATS, ReportFormat, ReportInput, sarifReport, textReport } from "./formats";
import { githubReport } from "./github";
import { markdownReport } from "./markdown";
import { defaultSourceRoot, SourceLocator } from "./source";

export { isBlocking, REPORT_FORMATS, ReportFormat, ReportInput } from "./formats";
export { SourceLocator } from "./source";

export interface RenderContext {
    /** Pack directories as the text report shows them, in pack order. */
    packDirs: string[];
    sources: SourceLocator;
    toolVersion: string;
}

export function renderReport(format: ReportFormat, input: ReportInput, ctx: RenderContext): string {
    switch (format) {
        case ReportFormat.Text:
            return textReport(input, ctx.packDirs, ctx.sources);
        case ReportFormat.Json:
            return JSON.stringify(jsonReport(input, ctx.sources), null, 2) + "\n";
        case ReportFormat.Sarif:
            return JSON.stringify(sarifReport(input, ctx.sources, ctx.toolVersion), null, 2) + "\n";
        case ReportFormat.Github:
            return githubReport(input, ctx.sources);
        case ReportFormat.Markdown:
            return markdownReport(input, ctx.sources);
    }
}

/**
 * The root that report paths are relative to: --sarif-root, else the program's git repository root,
 * else the program directory. Returns an error message when the given root does not hold the program.
 */
export function sourceRoot(programDir: string, given: string | undefined): { root: string } | { error: string } {
    if (given === undefined) {
        return { root: defaultSourceRoot(programDir) };
    }
    const root = path.resolve(given);
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
        return { error: `--sarif-root ${given} is not a directory` };
    }
    const rel = path.relative(root, programDir);
    if (rel.startsWith("..") || path.isAbsolute(rel)) {
        return { error: `--sarif-root ${root} does not contain the program directory ${programDir}; report paths must lie under it` };
    }
    return { root };
}

/** `--report <format>=<file>`: another format written to a file in the same run. */
export interface ExtraReport {
    format: ReportFormat;
    file: string;
}

export function parseExtraReport(value: string): ExtraReport | { error: string } {
    const at = value.indexOf("=");
    const format = value.slice(0, at);
    const file = value.slice(at + 1);
    if (at < 0 || file === "" || !REPORT_FORMATS.includes(format)) {
        return { error: `--report ${value}: expected <format>=<file> with a format among ${REPORT_FORMATS.join(", ")}` };
    }
    return { format: format as ReportFormat, file };
}
