// `--format markdown`: a summary for $GITHUB_STEP_SUMMARY or a pull-request comment — the verdict,
// a table per pack, the exemptions applied and stale, the checks deferred to deployment and what was checked.
import { costMarkdown } from "../cost";
import { findings, isBlocking, Located, ReportInput } from "./formats";
import { SourceLocation, SourceLocator, SourceOrigin, formatSource } from "./source";
import { checkedSentence, DEFERRED_EXPLANATION, plural } from "./summary";

/** Rows across all tables; a PR comment is capped at 65,536 characters, and past a few dozen rows nobody reads on. */
export const DEFAULT_MARKDOWN_ROWS = 50;

// A table cell: no HTML from messages, no column breaks, line breaks kept as <br>.
function cell(text: string): string {
    return text
        .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
        .replace(/\|/g, "\\|")
        .replace(/\r?\n/g, "<br>");
}

function code(text: string): string {
    return `\`${text.replace(/`/g, "'")}\``;
}

function sourceCell(loc: SourceLocation): string {
    switch (loc.origin) {
        case SourceOrigin.Resource:
            return code(formatSource(loc));
        case SourceOrigin.Ancestor:
            return `${code(formatSource(loc))} (its ancestor ${cell(loc.ancestor?.name ?? "")})`;
        case SourceOrigin.EntryFile:
            return `${code(formatSource(loc))} (entry file)`;
    }
}

const resourceCell = (l: Located): string => `${code(l.resource.type)} ${cell(l.resource.name)}`;

/** Hands out the row budget table by table and says what each table left out. */
class RowBudget {
    constructor(private left: number) {}

    table(header: string[], rows: string[][]): string[] {
        const shown = rows.slice(0, Math.max(0, this.left));
        this.left -= shown.length;
        const out = [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...shown.map((r) => `| ${r.join(" | ")} |`)];
        const omitted = rows.length - shown.length;
        return omitted === 0 ? out : [...out, "", `_${plural(omitted, "row")} left out; the text, JSON and SARIF reports list them all._`];
    }
}

export function markdownReport(input: ReportInput, sources: SourceLocator, maxRows: number = DEFAULT_MARKDOWN_ROWS): string {
    const found = findings(input, sources);
    const c = found.counts;
    const { project, stack, mode } = input.recorded;
    const verdict = c.mandatory > 0
        ? `## ❌ Policy check failed: ${plural(c.mandatory, "mandatory violation")}, ${c.advisory} advisory`
        : `## ✅ Policy check passed: no mandatory violations, ${c.advisory} advisory`;
    const budget = new RowBudget(maxRows);
    const out: string[] = [verdict, "", `${code(`${project}/${stack}`)} in ${mode} mode: checked ${checkedSentence(c)}.`];

    for (const p of input.packs) {
        const mine = found.violations.filter((l) => l.d.policyPack === p.name);
        out.push("", `### ${cell(p.name)}@v${cell(p.version)}`, "");
        if (mine.length === 0) {
            out.push("No violations.");
            continue;
        }
        // Mandatory first, as the text report lists them.
        const ordered = [...mine.filter((l) => isBlocking(l.d)), ...mine.filter((l) => !isBlocking(l.d))];
        out.push(...budget.table(["Policy", "Level", "Resource", "Source", "Message"], ordered.map((l) => [
            cell(l.d.policy), l.d.enforcementLevel, resourceCell(l), sourceCell(l.source), cell(l.d.message),
        ])));
    }

    out.push("", "### Exemptions applied", "");
    if (found.exemptions.length === 0) {
        out.push("None.");
    } else {
        out.push(...budget.table(["Policy", "Resource", "Reason"], found.exemptions.map((e) => [
            `${cell(e.policy)} (${cell(e.policyPack)})`, `${code(e.type)} ${cell(e.name)}`, cell(e.reason),
        ])));
    }

    // Only when there are any: an entry that matches nothing is the exception, and a reviewer must see it.
    if (input.exemptions.stale.length > 0) {
        out.push("", "### Stale exemptions", "", "These entries of the policy pack config match no resource of this stack: remove them or fix their pattern.", "");
        out.push(...budget.table(["Policy", "Entry", "Config file", "Reason"], input.exemptions.stale.map((e) => [
            `${cell(e.policy)} (${cell(e.policyPack)})`, code(e.resource),
            e.configFile === undefined ? "the pack's default config" : code(`${e.configFile.path}:${e.configFile.line}`), cell(e.reason),
        ])));
    }

    out.push("", "### Checks deferred to deployment", "");
    if (found.deferred.length === 0) {
        out.push("None: every policy ran on every resource.");
    } else {
        out.push(DEFERRED_EXPLANATION.join(" "), "");
        out.push(...budget.table(["Policy", "Resource", "Source", "Unknown during the preview"], found.deferred.map((l) => [
            `${cell(l.d.policy)} (${cell(l.d.policyPack)})`, resourceCell(l), sourceCell(l.source), cell(l.reason),
        ])));
    }

    out.push("", "### Checks run", "");
    out.push(
        "| Policy packs | Policies | Resources | Mandatory violations | Advisory violations | Exempted | Deferred |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        `| ${c.packs} | ${c.policies} | ${c.resources} | ${c.mandatory} | ${c.advisory} | ${c.exempted} | ${c.deferred} |`,
    );
    if (input.cost !== undefined) {
        out.push("", ...costMarkdown(input.cost));
    }
    return out.join("\n") + "\n";
}
