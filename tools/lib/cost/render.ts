// The cost section as text (after the preview's own report) and as markdown for a pull-request comment.
import * as path from "path";
import { CostSection, Design, Estimate, LineItem } from "./model";
import { TRAFFIC_DESCRIPTIONS } from "./traffic";

const money = (x: number): string => x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const qty = (x: number): string => x.toLocaleString("en-US", { maximumFractionDigits: 3 });
const unitPrice = (x: number): string => x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 });

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? "" : "s"}`;
const key = (l: LineItem): string => `${l.item}|${l.resources.join(",")}`;

function totalText(e: Estimate): string {
    return e.total.complete ? money(e.total.monthly) : `${money(e.total.monthly)} + ${e.total.unknownItems} unknown`;
}

function delta(e: Estimate, current: Estimate): string {
    const d = e.total.monthly - current.total.monthly;
    const sign = d >= 0 ? "+" : "-";
    return `${sign}${money(Math.abs(d))}${e.total.complete && current.total.complete ? "" : " (known lines only)"}`;
}

function relPath(file: string): string {
    const rel = path.relative(process.cwd(), file);
    return rel.startsWith("..") ? file : rel;
}

function table(rows: string[][], rightAligned: ReadonlySet<number>): string[] {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
    return rows.map((r) => r.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd());
}

function lineRows(lines: LineItem[]): string[][] {
    return lines.map((l) => [
        l.item,
        l.quantity === null ? "unknown" : qty(l.quantity),
        l.unit,
        unitPrice(l.unitPrice),
        l.monthly === null ? "unknown" : money(l.monthly),
        l.unknown ?? l.basis,
    ]);
}

function assumptions(cost: CostSection): string {
    return cost.traffic.map((t) => `${t.category} ${qty(t.gbPerMonth)}${t.isDefault ? " (default)" : ""}`).join(", ");
}

/** The text section printed after the preview's report. */
export function costText(cost: CostSection): string {
    const [current, ...others] = cost.estimates;
    const out: string[] = [];
    out.push(`Cost (${cost.region}, ${cost.currency} per month of ${cost.hoursPerMonth} h; prices of ${cost.priceTable.date} from ${cost.priceTable.files.map(relPath).join(" + ")}):`);
    out.push(`    traffic assumptions, GB per month: ${assumptions(cost)}`);
    out.push(...cost.traffic.map((t) => `        ${t.category}: ${TRAFFIC_DESCRIPTIONS[t.category]}`));
    out.push("");
    out.push(...table([["item", "quantity", "unit", "unit price", "monthly", "basis"], ...lineRows(current.lineItems), ["total, this stack", "", "", "", totalText(current), ""]], new Set([1, 3, 4]))
        .map((l) => `    ${l}`));
    out.push("", "    Beside it, the NAT design it replaces (same stack and traffic, one NAT gateway per private-tier AZ):");
    out.push(...table([["design", "monthly", "vs this stack"], [current.title, totalText(current), ""], ...others.map((e) => [e.title, totalText(e), delta(e, current)])], new Set([1, 2]))
        .map((l) => `    ${l}`));
    for (const e of others) {
        const mine = new Set(current.lineItems.map(key));
        const theirs = new Set(e.lineItems.map(key));
        const added = e.lineItems.filter((l) => !mine.has(key(l)));
        const dropped = current.lineItems.filter((l) => !theirs.has(key(l)));
        const less = dropped.length === 0
            ? ""
            : ` less ${plural(dropped.length, "line")} (${[...new Set(dropped.map((l) => l.kind))].join(", ")}: ${money(dropped.reduce((s, l) => s + (l.monthly ?? 0), 0))})`;
        out.push("", `    ${e.title}: this stack's lines${less}, plus:`);
        out.push(...table(lineRows(added), new Set([1, 3, 4])).map((l) => `        ${l}`));
    }
    out.push("", `    Not priced: ${cost.notPriced.join("; ")}.`);
    return out.join("\n") + "\n";
}

function mdEscape(s: string): string {
    return s.replace(/\|/g, "\\|");
}

function mdLineTable(lines: LineItem[]): string[] {
    return [
        "| item | quantity | unit | unit price | monthly | basis |",
        "| --- | ---: | --- | ---: | ---: | --- |",
        ...lineRows(lines).map((r) => `| ${r.map(mdEscape).join(" | ")} |`),
    ];
}

/** The cost comparison for the markdown report (a job summary or pull-request comment), line items folded. */
export function costMarkdown(cost: CostSection): string[] {
    const out: string[] = [];
    const [current, ...others] = cost.estimates;
    out.push(`### Cost per month (${cost.region}, ${cost.currency})`, "");
    out.push("| design | monthly | vs this stack |", "| --- | ---: | ---: |");
    out.push(`| **${current.title}** | **${totalText(current)}** | |`);
    for (const e of others) {
        out.push(`| ${e.title} | ${totalText(e)} | ${delta(e, current)} |`);
    }
    out.push("", `Traffic assumptions, GB per month: ${assumptions(cost)}. Prices of ${cost.priceTable.date}, ${cost.hoursPerMonth} h a month.`, "");
    for (const e of cost.estimates) {
        out.push(`<details><summary>Line items: ${e.title}${e.design === Design.Current ? "" : " (counterfactual)"}</summary>`, "", ...mdLineTable(e.lineItems), "", "</details>", "");
    }
    out.push(`Not priced: ${cost.notPriced.join("; ")}.`);
    return out;
}
