// The requirement lines of the two source documents, read from the copies vendored in docs/seeds/
// (the originals live outside the repository, so CI reads these).
//
// A requirement line is every statement of a document: each list item (bullets and numbered steps,
// at any depth), each table body row, and each prose line. Headings, table header and separator
// rows, horizontal rules and the contents of code blocks (YAML, paths, diagrams) are not statements.
// Lines that state no requirement (a status, a threat, a label such as "Tokens grant:") are still
// listed in the traceability table, as context, so that nothing is left unlisted by judgement.

import * as fs from "fs";
import * as path from "path";

export enum Seed {
    NetworkingAdr = "000-adr-0002-networking-posture.txt",
    SecurityModel = "001-security-model.txt",
}

export const SEED_TITLES: Readonly<Record<Seed, string>> = {
    [Seed.NetworkingAdr]: "ADR 0002: Networking Posture",
    [Seed.SecurityModel]: "Security model",
};

export const SEEDS_DIR = path.join(__dirname, "seeds");

export interface RequirementLine {
    /** The nearest heading above the line. */
    readonly section: string;
    /** The line as written, without its list marker or table pipes' outer spaces. */
    readonly text: string;
}

const TABLE_SEPARATOR = /^\|[-:| ]+\|$/;
const LIST_ITEM = /^(?:[-*]|\d+\.)\s+/;

/** Every requirement line of a document, in order. */
export function requirementLines(document: string): RequirementLine[] {
    const out: RequirementLine[] = [];
    const lines = document.split(/\r?\n/);
    let section = "";
    let inCode = false;
    lines.forEach((raw, i) => {
        const line = raw.trim();
        if (line.startsWith("```")) {
            inCode = !inCode;
            return;
        }
        if (inCode || line === "" || line === "---") {
            return;
        }
        if (line.startsWith("#")) {
            section = line.replace(/^#+\s*/, "");
            return;
        }
        if (line.startsWith("|")) {
            const isHeader = TABLE_SEPARATOR.test((lines[i + 1] ?? "").trim());
            if (!isHeader && !TABLE_SEPARATOR.test(line)) {
                out.push({ section, text: line });
            }
            return;
        }
        out.push({ section, text: line.replace(LIST_ITEM, "") });
    });
    return out;
}

export function seedText(seed: Seed): string {
    return fs.readFileSync(path.join(SEEDS_DIR, seed), "utf8");
}
