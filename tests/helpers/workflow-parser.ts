// GitHub's own workflow parser (@actions/workflow-parser, the one behind the Actions language
// server): the schema check a workflow file gets when it is pushed, without pushing it.
import * as fs from "fs";
import { register } from "module";
import * as path from "path";
import { pathToFileURL } from "url";

type WorkflowParser = typeof import("@actions/workflow-parser");

// The parser is an ES module only; this repository's TypeScript compiles `import()` to `require()`,
// which cannot load it.
const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<WorkflowParser>;

let parser: Promise<WorkflowParser> | undefined;

function loadParser(): Promise<WorkflowParser> {
    if (parser === undefined) {
        register(pathToFileURL(path.join(__dirname, "json-modules.mjs")));
        parser = importEsm("@actions/workflow-parser");
    }
    return parser;
}

/**
 * Every error GitHub's parser finds in a workflow file, YAML and schema alike (an unknown key, a
 * duplicate key, a missing `runs-on`), as `<file> (Line: n, Col: m): <message>`.
 */
export async function workflowErrors(file: string): Promise<string[]> {
    const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await loadParser();
    const parsed = parseWorkflow({ name: file, content: fs.readFileSync(file, "utf8") }, new NoOperationTraceWriter());
    const parseErrors = parsed.context.errors.getErrors().map((e) => e.message);
    if (parsed.value === undefined) {
        return parseErrors.length > 0 ? parseErrors : [`${file}: no workflow in the file`];
    }
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    return [...new Set([...parseErrors, ...(template.errors ?? []).map((e) => e.Message)])];
}
