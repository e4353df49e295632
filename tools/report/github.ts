// `--format github`: GitHub Actions workflow commands, so each violation shows inline on the pull
// request at the line that constructed the resource, with no code-scanning permission needed.
import { findings, isBlocking, ReportInput } from "./formats";
import { describeOrigin, SourceLocator } from "./source";
import { checkedSentence, deferredCheckCount } from "./summary";

// Escaping as the runner parses workflow commands (actions/toolkit core `command.ts`): the message
// ("data") escapes %, CR and LF; a property value also escapes ":" and ",", which delimit properties.
export function escapeData(text: string): string {
    return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(text: string): string {
    return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function command(name: string, properties: [string, string | number | undefined][], message: string): string {
    const props = properties.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(",");
    return `::${name}${props === "" ? "" : ` ${props}`}::${escapeData(message)}`;
}

/**
 * One `::error` (mandatory) or `::warning` (advisory) per violation, then one `::notice` with what was
 * checked. Deferred checks get no annotation of their own: they are not findings about the change.
 */
export function githubReport(input: ReportInput, sources: SourceLocator): string {
    const found = findings(input, sources);
    const lines = found.violations.map(({ d, resource, source }) => {
        const why = describeOrigin(source);
        const standIn = why === "" ? "" : `\n(${why}.)`;
        return command(isBlocking(d) ? "error" : "warning", [
            ["file", source.file], ["line", source.line], ["col", source.column], ["title", d.policy],
        ], `${resource.type} "${resource.name}": ${d.message}${standIn}`);
    });
    const c = found.counts;
    lines.push(command("notice", [["title", "trace-preview"]],
        `${input.recorded.project}/${input.recorded.stack} (${input.recorded.mode} mode): checked ${checkedSentence(c)}; ` +
        `${c.mandatory} mandatory and ${c.advisory} advisory violations; ${c.exempted} exempted; deferred to deployment: ${deferredCheckCount(c)}.`));
    return lines.join("\n") + "\n";
}
