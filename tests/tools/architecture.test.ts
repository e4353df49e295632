// The preview tool's layout is its architecture (README "Architecture"): each stage is a folder with
// one entry, index.ts; other stages reach it only through that entry; and imports go down the
// pipeline, never up, so a stage can be read knowing only the stages before it.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const TOOLS = path.resolve(__dirname, "..", "..", "tools");

/** Down the pipeline: a module may import from its own stage and from those before it. */
const ORDER = ["shared", "project", "record", "typecheck", "analyze", "cost", "report", "."] as const;
/** Not a stage: small modules every stage may use, imported one by one. */
const LIBRARY = "shared";

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) {
            return ["dist", "node_modules", "bin", "prices"].includes(e.name) ? [] : sourceFiles(full);
        }
        return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [full] : [];
    });
}

function stageOf(file: string): string {
    const rel = path.relative(TOOLS, file).split(path.sep);
    return rel.length === 1 ? "." : rel[0];
}

function resolveLocal(from: string, specifier: string): string | undefined {
    const base = path.resolve(path.dirname(from), specifier);
    return [base, `${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

interface Edge { from: string; to: string; specifier: string }

function localImports(file: string): Edge[] {
    return ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true).importedFiles
        .filter((i) => i.fileName.startsWith("."))
        .map((i) => ({ from: file, specifier: i.fileName, to: resolveLocal(file, i.fileName) ?? `${i.fileName} (unresolved)` }));
}

/** Every way an import breaks the layout, in words; none for a well-placed import. */
export function layoutProblems(edge: Edge): string[] {
    const from = stageOf(edge.from);
    const to = stageOf(edge.to);
    const where = `${path.relative(TOOLS, edge.from)} imports "${edge.specifier}"`;
    if (from === to) {
        return [];
    }
    const problems: string[] = [];
    if (ORDER.indexOf(to as (typeof ORDER)[number]) >= ORDER.indexOf(from as (typeof ORDER)[number])) {
        problems.push(`${where}: ${to} comes after ${from} in the pipeline`);
    }
    if (to !== LIBRARY && to !== "." && path.basename(edge.to) !== "index.ts") {
        problems.push(`${where}: another stage's inside; import its entry, ${to}/index.ts`);
    }
    return problems;
}

describe("tools layout: stages as folders, imports down the pipeline", () => {
    const files = sourceFiles(TOOLS);

    it("every folder of tools/ is a known stage (or the shared library), and every stage has its entry", () => {
        const folders = [...new Set(files.map(stageOf))].filter((s) => s !== ".").sort();
        expect(folders).to.deep.equal(ORDER.filter((s) => s !== ".").slice().sort());
        for (const stage of ORDER.filter((s) => s !== "." && s !== LIBRARY)) {
            expect(fs.existsSync(path.join(TOOLS, stage, "index.ts")), `${stage}/index.ts`).to.equal(true);
        }
    });

    it("no module imports a later stage or another stage's inside", () => {
        const problems = files.flatMap(localImports).flatMap(layoutProblems);
        expect(problems).to.deep.equal([]);
    });

    it("the check catches an import up the pipeline and one into another stage's inside", () => {
        const record = path.join(TOOLS, "record", "index.ts");
        expect(layoutProblems({ from: record, to: path.join(TOOLS, "report", "index.ts"), specifier: "../report" }))
            .to.deep.equal(['record/index.ts imports "../report": report comes after record in the pipeline']);
        expect(layoutProblems({ from: path.join(TOOLS, "report", "index.ts"), to: path.join(TOOLS, "record", "protocol.ts"), specifier: "../record/protocol" }))
            .to.deep.equal(['report/index.ts imports "../record/protocol": another stage\'s inside; import its entry, record/index.ts']);
        expect(layoutProblems({ from: record, to: path.join(TOOLS, "shared", "children.ts"), specifier: "../shared/children" })).to.deep.equal([]);
    });
});
