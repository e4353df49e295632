// An ESM loader hook for @actions/workflow-parser: its dist imports its JSON schemas without the
// `with { type: "json" }` attribute Node requires (the package is built for bundlers), so such an
// import is served as a module whose default export is the parsed file.
import { readFile } from "node:fs/promises";

export async function load(url, context, nextLoad) {
    if (url.endsWith(".json") && context.importAttributes?.type === undefined) {
        return { format: "module", source: `export default ${await readFile(new URL(url), "utf8")};`, shortCircuit: true };
    }
    return nextLoad(url, context);
}
