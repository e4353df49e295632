// Reads a Pulumi project the way the CLI does before it starts the language host: Pulumi.yaml for the
// project name, runtime, entry point and project-level config, then Pulumi.<stack>.yaml for the stack's
// values. The result is the flat "<ns>:<key>" -> string map the Node SDK reads from PULUMI_CONFIG.
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

export enum ProjectErrorKind {
    Project = "project",
    StackConfig = "stack-config",
}

export class ProjectError extends Error {
    constructor(readonly kind: ProjectErrorKind, message: string) {
        super(message);
        this.name = "ProjectError";
    }
}

/** preview: outputs of resources to be created are unknown, as in `pulumi preview`; plan: every value known. */
export type RunMode = "preview" | "plan";
export const RUN_MODES: readonly RunMode[] = ["preview", "plan"];

/** The organization a local (non-Cloud) backend reports, so `pulumi.getOrganization()` behaves as under the CLI. */
export const LOCAL_ORGANIZATION = "organization";

/** What the engine tells a policy pack about the stack it checks (its environment and GetAnalyzerInfo's peers). */
export interface StackContext {
    project: string;
    stack: string;
    organization: string;
    dryRun: boolean;
    /** "<ns>:<key>" -> value, as the program saw it. */
    config: Record<string, string>;
    secretKeys: string[];
    tags: Record<string, string>;
}

export interface PulumiProject {
    dir: string;
    /** Pulumi.yaml (or Pulumi.yml). */
    file: string;
    name: string;
    description?: string;
    /** The program path handed to the language host: Pulumi.yaml `main`, else package.json, else the directory. */
    entry: string;
    stackConfigDir: string;
    /** `runtime.options.typescript`: the language host compiles TypeScript unless this is false. */
    typescript: boolean;
    /** `runtime.options.tsconfig`: the tsconfig the language host uses instead of tsconfig.json. */
    tsconfig?: string;
}

export interface StackConfig {
    /** "<ns>:<key>" -> value as the SDK receives it (structured values are JSON text). */
    values: Record<string, string>;
    /** Keys whose value (or part of it) is `secure:`; the SDK turns them into secret outputs. */
    secretKeys: string[];
    /** Things the CLI would resolve online (ESC environments) that an offline run skips. */
    warnings: string[];
}

/** Stands in for a `secure:` value: never decrypted, never the real text, recognisable in reports. */
export function secretPlaceholder(key: string): string {
    return `[secret ${key}]`;
}

type Yaml = Record<string, unknown>;

function isObject(v: unknown): v is Yaml {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function readYaml(file: string, kind: ProjectErrorKind): Yaml {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new ProjectError(kind, `cannot read ${file}: ${(e as Error).message}`);
    }
    let doc: unknown;
    try {
        doc = YAML.parse(text);
    } catch (e) {
        throw new ProjectError(kind, `${file} is not valid YAML: ${(e as Error).message}`);
    }
    if (doc === null || doc === undefined) {
        return {};
    }
    if (!isObject(doc)) {
        throw new ProjectError(kind, `${file} must hold a YAML mapping, found ${JSON.stringify(doc)}`);
    }
    return doc;
}

function runtimeName(runtime: unknown): string | undefined {
    if (typeof runtime === "string") {
        return runtime;
    }
    if (isObject(runtime) && typeof runtime.name === "string") {
        return runtime.name;
    }
    return undefined;
}

// Mirrors cmd/run/run.js: an explicit `main` wins, then package.json `exports`/`main`, then the directory.
function resolveEntry(dir: string, main: unknown): string {
    if (typeof main === "string" && main !== "") {
        return path.resolve(dir, main);
    }
    const pkgFile = path.join(dir, "package.json");
    if (fs.existsSync(pkgFile)) {
        const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as Yaml;
        const exp = pkg.exports;
        let candidate: unknown;
        if (typeof exp === "string") {
            candidate = exp;
        } else if (isObject(exp) && exp["."] !== undefined) {
            const dot = exp["."];
            candidate = isObject(dot) ? dot.default ?? dot.require ?? dot.import : dot;
        } else {
            candidate = pkg.main;
        }
        if (typeof candidate === "string" && fs.existsSync(path.join(dir, candidate))) {
            return path.resolve(dir, candidate);
        }
    }
    return dir;
}

/** The file a report can point at for the program: the entry itself, or the index module of an entry directory. */
export function entryFile(project: PulumiProject): string {
    if (!fs.existsSync(project.entry) || !fs.statSync(project.entry).isDirectory()) {
        return project.entry;
    }
    const index = ["index.ts", "index.js", "index.mts", "index.mjs"].map((f) => path.join(project.entry, f)).find((f) => fs.existsSync(f));
    return index ?? path.join(project.dir, "Pulumi.yaml");
}

export function loadProject(programDir: string): PulumiProject {
    const dir = path.resolve(programDir);
    const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (file === undefined) {
        throw new ProjectError(ProjectErrorKind.Project, `no Pulumi.yaml in ${dir}: --program must name a Pulumi project directory`);
    }
    const doc = readYaml(file, ProjectErrorKind.Project);
    const problems: string[] = [];
    if (typeof doc.name !== "string" || doc.name === "") {
        problems.push(`"name" must be a non-empty string, found ${JSON.stringify(doc.name)}`);
    }
    const runtime = runtimeName(doc.runtime);
    if (runtime !== "nodejs") {
        problems.push(`"runtime" must be nodejs (this tool runs Node.js programs), found ${JSON.stringify(doc.runtime)}`);
    }
    if (problems.length > 0) {
        throw new ProjectError(ProjectErrorKind.Project, `${file}: ${problems.join("; ")}`);
    }
    const stackConfigDir = typeof doc.stackConfigDir === "string" ? path.resolve(dir, doc.stackConfigDir) : dir;
    const description = typeof doc.description === "string" ? doc.description : undefined;
    const options = isObject(doc.runtime) && isObject(doc.runtime.options) ? doc.runtime.options : {};
    return {
        dir, file, name: doc.name as string, description, entry: resolveEntry(dir, doc.main), stackConfigDir,
        // The language host passes these on as PULUMI_NODEJS_TYPESCRIPT / PULUMI_NODEJS_TSCONFIG_PATH.
        typescript: options.typescript !== false,
        tsconfig: typeof options.tsconfig === "string" && options.tsconfig !== "" ? options.tsconfig : undefined,
    };
}

interface Converted {
    text: string;
    secret: boolean;
}

// Structured config reaches the SDK as JSON text; `secure:` leaves anywhere inside it become placeholders.
function convertValue(key: string, value: unknown): Converted {
    let secret = false;
    const strip = (v: unknown): unknown => {
        if (isObject(v)) {
            const keys = Object.keys(v);
            if (keys.length === 1 && keys[0] === "secure" && typeof v.secure === "string") {
                secret = true;
                return secretPlaceholder(key);
            }
            return Object.fromEntries(keys.map((k) => [k, strip(v[k])]));
        }
        if (Array.isArray(v)) {
            return v.map(strip);
        }
        return v;
    };
    const plain = strip(value);
    const text = typeof plain === "string" ? plain : JSON.stringify(plain);
    return { text, secret };
}

function qualify(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

const typeChecks: Record<string, (v: unknown) => boolean> = {
    string: (v) => typeof v === "string",
    integer: (v) => typeof v === "number" && Number.isInteger(v),
    boolean: (v) => typeof v === "boolean",
    array: (v) => Array.isArray(v),
    object: (v) => isObject(v),
};

export function loadStackConfig(
    project: PulumiProject,
    stack: string,
    overrides: Record<string, unknown> = {},
): StackConfig {
    const projectDoc = readYaml(project.file, ProjectErrorKind.Project);
    const stackFile = path.join(project.stackConfigDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) {
        throw new ProjectError(
            ProjectErrorKind.StackConfig,
            `stack "${stack}" has no config file: ${stackFile} does not exist (create it, or pick an existing stack with --stack)`,
        );
    }
    const stackDoc = readYaml(stackFile, ProjectErrorKind.StackConfig);
    const stackValues = stackDoc.config ?? {};
    if (!isObject(stackValues)) {
        throw new ProjectError(ProjectErrorKind.StackConfig, `${stackFile}: "config" must be a mapping, found ${JSON.stringify(stackValues)}`);
    }
    const projectConfig = projectDoc.config ?? {};
    if (!isObject(projectConfig)) {
        throw new ProjectError(ProjectErrorKind.Project, `${project.file}: "config" must be a mapping, found ${JSON.stringify(projectConfig)}`);
    }

    const raw = new Map<string, unknown>();
    const declaredTypes = new Map<string, string>();
    const declaredSecret = new Set<string>();
    const required: string[] = [];
    const problems: string[] = [];
    for (const [key, decl] of Object.entries(projectConfig)) {
        const full = qualify(project.name, key);
        // A mapping with any schema field is a declaration; anything else is a project-wide value.
        const isDeclaration = isObject(decl) && ["type", "default", "description", "secret", "value", "items"].some((f) => f in decl);
        if (!isDeclaration) {
            raw.set(full, decl);
            continue;
        }
        const d = decl as Yaml;
        if (typeof d.type === "string") {
            declaredTypes.set(full, d.type);
        }
        if (d.secret === true) {
            declaredSecret.add(full);
        }
        if ("value" in d) {
            raw.set(full, d.value);
        } else if ("default" in d) {
            raw.set(full, d.default);
        } else {
            required.push(full);
        }
    }
    for (const [key, value] of Object.entries(stackValues)) {
        raw.set(qualify(project.name, key), value);
    }
    for (const [key, value] of Object.entries(overrides)) {
        const full = qualify(project.name, key);
        if (value === null) {
            raw.delete(full);
        } else {
            raw.set(full, value);
        }
    }

    for (const key of required) {
        if (!raw.has(key)) {
            problems.push(`missing required value "${key}" (declared in Pulumi.yaml without a default)`);
        }
    }
    for (const [key, type] of declaredTypes) {
        const check = typeChecks[type];
        if (check !== undefined && raw.has(key)) {
            const v = raw.get(key);
            const isSecure = isObject(v) && "secure" in v;
            if (!isSecure && !check(v)) {
                problems.push(`"${key}" must be of type ${type}, found ${JSON.stringify(v)}`);
            }
        }
    }
    if (problems.length > 0) {
        throw new ProjectError(ProjectErrorKind.StackConfig, `stack "${stack}" config (${stackFile}): ${problems.join("; ")}`);
    }

    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of raw) {
        const { text, secret } = convertValue(key, value);
        values[key] = text;
        if (secret || declaredSecret.has(key)) {
            secretKeys.push(key);
        }
    }
    const warnings: string[] = [];
    if (stackDoc.environment !== undefined) {
        warnings.push(`${stackFile} imports ESC environments (${JSON.stringify(stackDoc.environment)}); an offline run cannot open them, so their values are absent`);
    }
    return { values, secretKeys, warnings };
}

/** The stack context the CLI gives a pack, built from the project files (no program run needed). */
export function stackContext(project: PulumiProject, config: StackConfig, stack: string, mode: RunMode): StackContext {
    return {
        project: project.name,
        stack,
        organization: LOCAL_ORGANIZATION,
        dryRun: mode === "preview",
        config: config.values,
        secretKeys: config.secretKeys,
        tags: { "pulumi:project": project.name, "pulumi:runtime": "nodejs", ...(project.description !== undefined ? { "pulumi:description": project.description } : {}) },
    };
}

/** `stackContext` of a program directory's stack, read from its files. */
export function stackContextFor(programDir: string, stack: string, mode: RunMode, configOverrides: Record<string, unknown> = {}): StackContext {
    const project = loadProject(programDir);
    return stackContext(project, loadStackConfig(project, stack, configOverrides), stack, mode);
}
