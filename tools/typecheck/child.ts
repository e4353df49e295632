// Child process of typecheck.ts: type-checks a program the way the language host's ts-node would
// while it runs it (@pulumi/pulumi/cmd/run/run.js), and reports the first compile error as ts-node's
// TSError reads. It runs beside the transpile-only recording, so checking costs no extra wall time.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type * as TypeScript from "typescript";
import { languageHostTsNodeOptions, TsUtils } from "../shared/language-host-ts";
import type { TypeCheckReply, TypeCheckRequest } from "./protocol";

/** ts-node's default ignoreDiagnostics: 6059 (rootDir), 18002 / 18003 (no inputs in tsconfig). */
const IGNORED_CODES = new Set([6059, 18002, 18003]);

interface TsNode {
    create(options: unknown): { ts: typeof TypeScript; config: TypeScript.ParsedCommandLine };
}

interface CacheEntry {
    /** [file, mtimeMs, size] of every file the program read. */
    files: [string, number, number][];
    error: string | null;
}

function readCache(file: string): CacheEntry | undefined {
    try {
        const entry = JSON.parse(fs.readFileSync(file, "utf8")) as CacheEntry;
        const unchanged = entry.files.every(([f, mtime, size]) => {
            const st = fs.statSync(f, { throwIfNoEntry: false });
            return st !== undefined && st.mtimeMs === mtime && st.size === size;
        });
        return unchanged ? entry : undefined;
    } catch {
        return undefined;
    }
}

function writeCache(file: string, entry: CacheEntry): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(entry));
    fs.renameSync(tmp, file);
}

/** The version of a package as `require(name)` from `from` would load it (a path to a vendored copy: its directory's package.json). */
function packageVersion(name: string, from: string): string {
    const main = require.resolve(name, { paths: [from] });
    let dir = path.dirname(main);
    while (!fs.existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) {
        dir = path.dirname(dir);
    }
    return (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
}

function check(req: TypeCheckRequest): TypeCheckReply {
    process.chdir(req.programDir);
    const sdkMain = require.resolve("@pulumi/pulumi", { paths: [req.programDir] });
    const sdkRoot = path.dirname(sdkMain);
    const tsutils: TsUtils = require(path.join(sdkRoot, "tsutils"));
    const tsConfigPath = req.tsconfig ?? "tsconfig.json";
    const skipProject = !fs.existsSync(tsConfigPath);
    const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
    // run.js: PULUMI_NODEJS_TRANSPILE_ONLY decides when set, else the tsconfig's noCheck.
    const transpileOnlyEnv = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    const transpileOnly = transpileOnlyEnv ? transpileOnlyEnv === "true" : compilerOptions.noCheck === true;
    if (transpileOnly) {
        return { ok: true, outcome: "skipped" };
    }
    const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
    const tsVersion = packageVersion(typescriptRequire, sdkRoot);
    // Everything the check depends on besides the files it reads, known without loading the compiler:
    // an unchanged program costs a few stats.
    const cacheFile = path.join(req.cacheDir, `typecheck-${crypto.createHash("sha256")
        .update(JSON.stringify([req.programDir, req.entryFile, tsVersion, packageVersion(tsnodeRequire, sdkRoot), tsConfigPath, compilerOptions]))
        .digest("hex").slice(0, 16)}.json`);
    const cached = readCache(cacheFile);
    if (cached !== undefined) {
        return cached.error === null ? { ok: true, outcome: "cached" } : { ok: false, message: cached.error };
    }
    const tsn: TsNode = require(require.resolve(tsnodeRequire, { paths: [sdkRoot] }));
    // ts-node itself merges the tsconfig, its defaults and these options, exactly as when the
    // language host registers it; a config error throws its TSError here as it would there.
    let service: ReturnType<TsNode["create"]>;
    try {
        service = tsn.create(languageHostTsNodeOptions({ typescriptRequire, typescriptVersion: tsVersion, tsConfigPath, skipProject, compilerOptions }));
    } catch (e) {
        if (e instanceof Error && e.name === "TSError") {
            return { ok: false, message: `TSError: ${e.message.trimEnd()}` };
        }
        throw e;
    }
    const ts = service.ts;
    const options = service.config.options;
    const cwd = process.cwd();

    const host: TypeScript.FormatDiagnosticsHost = {
        getCurrentDirectory: () => cwd,
        getCanonicalFileName: (f) => f,
        getNewLine: () => ts.sys.newLine,
    };
    const tsError = (ds: readonly TypeScript.Diagnostic[]): string =>
        `TSError: ⨯ Unable to compile TypeScript:\n${ts.formatDiagnostics(ds, host).trimEnd()}`;
    const relevant = (ds: readonly TypeScript.Diagnostic[]): TypeScript.Diagnostic[] => ds.filter((d) => !IGNORED_CODES.has(d.code));

    const program = ts.createProgram([req.entryFile], options);
    let error: string | null = null;
    // ts-node compiles each file as it is first required, in the order the program imports
    // them, and throws at the first one with errors: walk the imports depth-first from the entry.
    const seen = new Set<string>();
    const order: TypeScript.SourceFile[] = [];
    const visit = (sf: TypeScript.SourceFile): void => {
        if (seen.has(sf.fileName)) {
            return;
        }
        seen.add(sf.fileName);
        order.push(sf);
        for (const imp of ts.preProcessFile(sf.text, true, true).importedFiles) {
            const resolved = ts.resolveModuleName(imp.fileName, sf.fileName, options, ts.sys).resolvedModule;
            const target = resolved === undefined || resolved.isExternalLibraryImport === true ? undefined : program.getSourceFile(resolved.resolvedFileName);
            if (target !== undefined && !target.isDeclarationFile) {
                visit(target);
            }
        }
    };
    const entry = program.getSourceFile(req.entryFile);
    if (entry !== undefined) {
        visit(entry);
    }
    for (const sf of order) {
        const errors = relevant([...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]);
        if (errors.length > 0) {
            error = tsError(errors);
            break;
        }
    }
    const files = program.getSourceFiles().map((sf): [string, number, number] => {
        const st = fs.statSync(sf.fileName);
        return [sf.fileName, st.mtimeMs, st.size];
    });
    if (!skipProject) {
        const st = fs.statSync(path.resolve(tsConfigPath));
        files.push([path.resolve(tsConfigPath), st.mtimeMs, st.size]);
    }
    try {
        writeCache(cacheFile, { files, error });
    } catch {
        // A read-only cache directory only costs the next run its check.
    }
    return error === null ? { ok: true, outcome: "checked" } : { ok: false, message: error };
}

process.once("disconnect", () => process.exit(1));

process.once("message", (req: TypeCheckRequest) => {
    let reply: TypeCheckReply;
    try {
        reply = check(req);
    } catch (e) {
        reply = { ok: false, internal: true, message: e instanceof Error ? e.stack ?? e.message : String(e) };
    }
    process.send?.(reply, () => process.exit(0));
});
