// The pack README's perimeter tables, rendered from the catalogue: the README holds them between
// markers, tests/policy-pack/lib/perimeter-readme.test.ts fails when they differ from the data, and
// `npm run readme:perimeter` rewrites them.

import { CatalogueEntry, PERIMETER_CATALOGUE, PERIMETER_LEFT_OUT, Scalar, Unsafe } from "./perimeter-catalogue";

export const BEGIN = "<!-- perimeter-catalogue: generated from policy-pack/lib/perimeter-catalogue.ts by `npm run readme:perimeter` -->";
export const END = "<!-- perimeter-catalogue: end -->";

function code(v: Scalar): string {
    return `\`${typeof v === "string" ? JSON.stringify(v) : String(v)}\``;
}

function unsafeText(u: Unsafe, entry: CatalogueEntry): string {
    const paths = [entry.property, ...(entry.orSet ?? [])].map((p) => `\`${p}\``).join(" and ");
    switch (u.when) {
        case "unset":
            return `${paths} unset or empty`;
        case "not":
            return `anything but ${u.safe.map(code).join(", ")}`;
        case "is":
            return u.unsafe.map(code).join(", ");
    }
}

function conditionsText(entry: CatalogueEntry): string {
    const parts: string[] = [];
    if (entry.onlyWhen !== undefined) {
        parts.push(`only when \`${entry.onlyWhen.property}\` is ${code(entry.onlyWhen.equals)}`);
    }
    if (entry.unless !== undefined) {
        parts.push(`not when \`${entry.unless.property}\` is ${code(entry.unless.equals)}`);
    }
    return parts.length === 0 ? "" : ` (${parts.join("; ")})`;
}

function row(entry: CatalogueEntry): string {
    const dflt = entry.providerDefault === undefined ? "unset" : code(entry.providerDefault);
    const subnets = entry.subnets === undefined ? "" : `; subnets in ${entry.subnets.map((p) => `\`${p}\``).join(", ")} of a private tier`;
    const where = (entry.component === true ? "inputs, when its children are absent" : "inputs") + subnets;
    const cells = [entry.service, `\`${entry.type}\``, `\`${entry.property}\``, unsafeText(entry.unsafe, entry) + conditionsText(entry), dflt, `\`${entry.policy}\``, where];
    return `| ${cells.join(" | ")} |`;
}

export function renderPerimeterTables(): string {
    const catalogue = [
        "| service | type | property | unsafe when | default | policy | judged on |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        ...PERIMETER_CATALOGUE.map(row),
    ];
    const leftOut = [
        "| looked at, left out | types | why |",
        "| --- | --- | --- |",
        ...PERIMETER_LEFT_OUT.map((l) => `| ${l.service} | ${l.types.map((t) => `\`${t}\``).join(", ")} | ${l.reason} |`),
    ];
    return [BEGIN, "", ...catalogue, "", ...leftOut, "", END].join("\n");
}

/** `readme` with the block between the markers replaced; undefined when the markers are missing. */
export function withPerimeterTables(readme: string): string | undefined {
    const start = readme.indexOf(BEGIN);
    const end = readme.indexOf(END);
    if (start < 0 || end < start) {
        return undefined;
    }
    return readme.slice(0, start) + renderPerimeterTables() + readme.slice(end + END.length);
}
