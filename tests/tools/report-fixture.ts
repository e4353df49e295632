// The `sources` fixture through the tool test pack (strict config), previewed once per mocha process
// and shared by the report tests, and the expected reports they compare byte for byte.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { PreviewResult, runPreview } from "../../tools/preview";
import { RenderContext } from "../../tools/report";
import { defaultSourceRoot, SourceLocator } from "../../tools/report/source";
import { ReportFormat } from "../../tools/report/formats";
import { renderReport } from "../../tools/report";

// Not from ./helpers: that module registers a mocha hook, and this one also runs as a plain script.
const REPO_ROOT = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(REPO_ROOT, "tests", "fixtures");
export const SOURCES = path.join(FIXTURES, "programs", "sources");
export const BASIC_PACK = path.join(FIXTURES, "packs", "basic-pack");
export const STRICT_CONFIG = path.join(FIXTURES, "packs", "configs", "strict.json");
export const EXPECTED_DIR = path.join(FIXTURES, "reports", "sources");

/** How to refresh the expected files after a deliberate change of a report format (from the repo root). */
export const REGENERATE = "node -r ts-node/register/transpile-only tests/tools/report-fixture.ts";

/** Expected file per format. */
export const EXPECTED_FILES: Record<ReportFormat, string> = {
    [ReportFormat.Text]: "report.txt",
    [ReportFormat.Json]: "report.json",
    [ReportFormat.Sarif]: "report.sarif",
    [ReportFormat.Github]: "github.txt",
    [ReportFormat.Markdown]: "report.md",
};

let cached: Promise<PreviewResult> | undefined;

export function sourcesPreview(): Promise<PreviewResult> {
    cached ??= runPreview({ programDir: SOURCES, stack: "test", mode: "preview", packs: [{ dir: BASIC_PACK, configFile: STRICT_CONFIG }] });
    return cached;
}

export function renderContext(result: PreviewResult): RenderContext {
    return {
        packDirs: ["tests/fixtures/packs/basic-pack"],
        sources: new SourceLocator(result.recorded.resources, defaultSourceRoot(SOURCES), path.join(SOURCES, "index.ts")),
        toolVersion: (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version,
    };
}

/** Compares with the expected file; mocha prints the diff. */
export function expectFixture(format: ReportFormat, actual: string): void {
    const file = path.join(EXPECTED_DIR, EXPECTED_FILES[format]);
    expect(actual, `${path.relative(REPO_ROOT, file)} differs; if the change is intended, regenerate with: ${REGENERATE}`)
        .to.equal(fs.readFileSync(file, "utf8"));
}

// Run directly, it rewrites the expected files from the current code (with the paths and pack
// directory the CLI prints when run from the repo root).
if (require.main === module) {
    if (path.resolve(process.cwd()) !== REPO_ROOT) {
        throw new Error(`run from the repo root ${REPO_ROOT}`);
    }
    sourcesPreview().then((result) => {
        fs.mkdirSync(EXPECTED_DIR, { recursive: true });
        for (const format of Object.values(ReportFormat)) {
            fs.writeFileSync(path.join(EXPECTED_DIR, EXPECTED_FILES[format]), renderReport(format, result, renderContext(result)));
        }
        process.stdout.write(`wrote ${Object.values(EXPECTED_FILES).join(", ")} to ${path.relative(REPO_ROOT, EXPECTED_DIR)}\n`);
    });
}
