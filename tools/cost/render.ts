// The cost section as text (after the preview's own report) and as markdown for a pull-request comment.
import * as path from "path";
import { CostSection, Design, Estimate, LineItem, RegionCost } from "./model";
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
        l.unitPrice === null ? "unknown" : unitPrice(l.unitPrice),
        l.monthly === null ? "unknown" : money(l.monthly),
        l.unknown ?? l.basis,
    ]);
}

function assumptions(cost: CostSection): string {
    return cost.traffic.map((t) => `${t.category} ${qty(t.gbPerMonth)}${t.isDefault ? " (default)" : ""}`).join(", ");
}

/** The prices actually used: each file that gave a priced figure, by its own name and date. */
function pricesUsed(cost: CostSection): string {
    if (cost.priceTable.used.length === 0) {
        return "nothing priced";
    }
    return `prices from ${cost.priceTable.used.map((u) => (u.date === undefined ? relPath(u.file) : `${relPath(u.file)} of ${u.date}`)).join(" over ")}`;
}

function regionNames(cost: CostSection): string {
    return cost.regions.length === 0 ? "no region priced" : cost.regions.map((r) => r.region).join(" + ");
}

function unpricedLines(cost: CostSection): string[] {
    return cost.unpriced.map((u) => `${u.resources.join(", ")}: ${u.why}`);
}

function regionText(r: RegionCost, indent: string): string[] {
    const [current, ...others] = r.estimates;
    const out: string[] = [];
    out.push(...table([["item", "quantity", "unit", "unit price", "monthly", "basis"], ...lineRows(current.lineItems), ["total, this stack", "", "", "", totalText(current), ""]], new Set([1, 3, 4]))
        .map((l) => `${indent}${l}`));
    out.push("", `${indent}Beside it, the NAT design it replaces (same stack and traffic, one NAT gateway per private-tier AZ):`);
    out.push(...table([["design", "monthly", "vs this stack"], [current.title, totalText(current), ""], ...others.map((e) => [e.title, totalText(e), delta(e, current)])], new Set([1, 2]))
        .map((l) => `${indent}${l}`));
    if (r.comparisonNote !== undefined) {
        out.push(`${indent}${r.comparisonNote}`);
    }
    for (const e of others) {
        const mine = new Set(current.lineItems.map(key));
        const theirs = new Set(e.lineItems.map(key));
        const added = e.lineItems.filter((l) => !mine.has(key(l)));
        const dropped = current.lineItems.filter((l) => !theirs.has(key(l)));
        const less = dropped.length === 0
            ? ""
            : ` less ${plural(dropped.length, "line")} (${[...new Set(dropped.map((l) => l.kind))].join(", ")}: ${money(dropped.reduce((s, l) => s + (l.monthly ?? 0), 0))})`;
        out.push("", `${indent}${e.title}: this stack's lines${less}, plus:`);
        out.push(...table(lineRows(added), new Set([1, 3, 4])).map((l) => `${indent}    ${l}`));
    }
    if (r.notPriced.length > 0) {
        out.push("", `${indent}Not priced in ${r.region}: ${r.notPriced.join("; ")}.`);
    }
    return out;
}

/** The text section printed after the preview's report. */
export function costText(cost: CostSection): string {
    const out: string[] = [];
    out.push(`Cost (${regionNames(cost)}, ${cost.currency} per month of ${cost.hoursPerMonth} h; ${pricesUsed(cost)}):`);
    out.push(`    traffic assumptions per month (GB; DNS queries in millions): ${assumptions(cost)}`);
    out.push(...cost.traffic.map((t) => `        ${t.category}: ${TRAFFIC_DESCRIPTIONS[t.category]}`));
    const several = cost.regions.length > 1;
    for (const r of cost.regions) {
        out.push("", ...(several ? [`    ${r.region}:`] : []), ...regionText(r, several ? "        " : "    "));
    }
    if (cost.unpriced.length > 0) {
        out.push("", "    Cannot be priced:", ...unpricedLines(cost).map((l) => `      - ${l}`));
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

function regionMarkdown(r: RegionCost, cost: CostSection): string[] {
    const out: string[] = [];
    const [current, ...others] = r.estimates;
    out.push(`### Cost per month (${r.region}, ${cost.currency})`, "");
    out.push("| design | monthly | vs this stack |", "| --- | ---: | ---: |");
    out.push(`| **${current.title}** | **${totalText(current)}** | |`);
    for (const e of others) {
        out.push(`| ${e.title} | ${totalText(e)} | ${delta(e, current)} |`);
    }
    out.push("", ...(r.comparisonNote !== undefined ? [r.comparisonNote, ""] : []));
    for (const e of r.estimates) {
        out.push(`<details><summary>Line items: ${e.title}${e.design === Design.Current ? "" : " (counterfactual)"}</summary>`, "", ...mdLineTable(e.lineItems), "", "</details>", "");
    }
    if (r.notPriced.length > 0) {
        out.push(`Not priced in ${r.region}: ${r.notPriced.join("; ")}.`, "");
    }
    return out;
}

/** The cost comparison for the markdown report (a job summary or pull-request comment), line items folded. */
export function costMarkdown(cost: CostSection): string[] {
    const out: string[] = [];
    for (const r of cost.regions) {
        out.push(...regionMarkdown(r, cost));
    }
    if (cost.regions.length === 0) {
        out.push(`### Cost per month (${cost.currency})`, "", "Nothing in this stack could be priced.", "");
    }
    if (cost.unpriced.length > 0) {
        out.push("Cannot be priced:", "", ...unpricedLines(cost).map((l) => `- ${mdEscape(l)}`), "");
    }
    out.push(`Traffic assumptions per month (GB; DNS queries in millions): ${assumptions(cost)}. ${pricesUsed(cost).replace(/^./, (c) => c.toUpperCase())}, ${cost.hoursPerMonth} h a month.`, "");
    out.push(`Not priced: ${cost.notPriced.join("; ")}.`);
    return out;
}
