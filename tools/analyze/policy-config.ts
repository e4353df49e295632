// Policy pack config as `pulumi preview --policy-pack-config` treats it: parse the JSON file, start from
// each policy's defaults (its enforcement level and schema defaults), apply the pack's initial config,
// then `all`, then the file; validate every policy's result against its schema and report every
// problem at once.
import Ajv, { ErrorObject } from "ajv";
import * as fs from "fs";
import { didYouMean, suggestion } from "@trace/network-guardrails/dist/lib/nearest";

import { parseJsonText } from "../shared/json-text";

export enum EnforcementLevel {
    Advisory = "advisory",
    Mandatory = "mandatory",
    Remediate = "remediate",
    Disabled = "disabled",
}

export const ENFORCEMENT_LEVELS: readonly string[] = Object.values(EnforcementLevel);

function isEnforcementLevel(v: unknown): v is EnforcementLevel {
    return typeof v === "string" && ENFORCEMENT_LEVELS.includes(v);
}

export interface PolicyConfigSchema {
    properties: Record<string, unknown>;
    required: string[];
}

export interface PolicyInfo {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    configSchema?: PolicyConfigSchema;
}

export interface PolicyConfigEntry {
    enforcementLevel?: EnforcementLevel;
    properties: Record<string, unknown>;
}

export interface ResolvedPolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

/** An invalid --policy-pack-config: one line per problem, in the CLI's words (printed as `error: <line>`). */
export class PolicyConfigError extends Error {
    readonly lines: readonly string[];

    constructor(lines: string | readonly string[]) {
        const all = typeof lines === "string" ? [lines] : [...lines];
        super(all.join("\n"));
        this.name = "PolicyConfigError";
        this.lines = all;
    }
}

/**
 * Only names the engine would ignore are wrong (an unknown policy, a key no schema declares): the
 * config is otherwise valid, so the pack may still be configured with it and say more in one run.
 */
export class UnknownConfigNamesError extends PolicyConfigError {
    constructor(
        /** Unknown policy names: the pack never sees them, so only this tool can name them. */
        readonly unknownPolicies: readonly string[],
        /** Keys no schema declares: the pack sees them and may name them itself. */
        readonly unknownKeys: readonly string[],
        readonly resolved: Record<string, ResolvedPolicyConfig>,
    ) {
        super([...unknownPolicies, ...unknownKeys].sort());
        this.name = "UnknownConfigNamesError";
    }
}

/** Reads a --policy-pack-config file: policy name -> an enforcement level, or an object of properties. */
export function parsePolicyConfigFile(file: string): Record<string, PolicyConfigEntry> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new PolicyConfigError(`cannot read policy pack config ${file}: ${(e as Error).message}`);
    }
    if (text.trim() === "") {
        return {};
    }
    const parsed = parseJsonText(text);
    if ("error" in parsed) {
        throw new PolicyConfigError(`policy pack config ${file} is not valid JSON: ${parsed.error}`);
    }
    const doc = parsed.value;
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
        throw new PolicyConfigError(`policy pack config ${file} must hold a JSON object keyed by policy name, found ${JSON.stringify(doc)}`);
    }
    const problems: string[] = [];
    const result: Record<string, PolicyConfigEntry> = {};
    for (const [policy, value] of Object.entries(doc)) {
        if (typeof value === "string") {
            if (isEnforcementLevel(value)) {
                result[policy] = { enforcementLevel: value, properties: {} };
            } else {
                problems.push(`value ${JSON.stringify(value)} for "${policy}" is not a valid enforcement level (one of ${ENFORCEMENT_LEVELS.join(", ")})`);
            }
        } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            const { enforcementLevel, ...properties } = value as Record<string, unknown>;
            if (enforcementLevel !== undefined && !isEnforcementLevel(enforcementLevel)) {
                problems.push(`value ${JSON.stringify(enforcementLevel)} for "${policy}.enforcementLevel" is not a valid enforcement level (one of ${ENFORCEMENT_LEVELS.join(", ")})`);
                continue;
            }
            result[policy] = { enforcementLevel: enforcementLevel as EnforcementLevel | undefined, properties };
        } else {
            problems.push(`value ${JSON.stringify(value)} for "${policy}" is not valid; it must be an enforcement level string or an object`);
        }
    }
    if (problems.length > 0) {
        throw new PolicyConfigError(`policy pack config ${file}: ${problems.join("; ")}`);
    }
    return result;
}

// The engine validates with gojsonschema and prints each error as its String(): "<field>: <description>"
// in the library's English locale (locales.go), "(root): " dropped (pkg/resource/analyzer/config.go).
// These are those descriptions for ajv's keywords, word for word; the offending value follows them,
// which the engine's text lacks.
function gojsonschemaType(v: unknown): string {
    if (v === null) {
        return "null";
    }
    if (Array.isArray(v)) {
        return "array";
    }
    if (typeof v === "number") {
        return Number.isInteger(v) ? "integer" : "number";
    }
    return typeof v;
}

type Params = Record<string, unknown>;
const list = (values: unknown) => (values as unknown[]).map((v) => JSON.stringify(v)).join(", ");

/** gojsonschema's description per ajv keyword (its locale's templates, filled from ajv's params). */
const GOJSONSCHEMA_DESCRIPTIONS: Record<string, (p: Params, field: string, data: unknown) => string> = {
    required: (p) => `${String(p.missingProperty)} is required`,
    additionalProperties: (p) => `Additional property ${String(p.additionalProperty)} is not allowed`,
    type: (p, _f, data) => `Invalid type. Expected: ${Array.isArray(p.type) ? `[${p.type.join(",")}]` : String(p.type)}, given: ${gojsonschemaType(data)}`,
    enum: (p, field) => `${field} must be one of the following: ${list(p.allowedValues)}`,
    const: (p, field) => `${field} does not match: ${JSON.stringify(p.allowedValue)}`,
    pattern: (p) => `Does not match pattern '${String(p.pattern)}'`,
    format: (p) => `Does not match format '${String(p.format)}'`,
    minLength: (p) => `String length must be greater than or equal to ${String(p.limit)}`,
    maxLength: (p) => `String length must be less than or equal to ${String(p.limit)}`,
    minItems: (p) => `Array must have at least ${String(p.limit)} items`,
    maxItems: (p) => `Array must have at most ${String(p.limit)} items`,
    // ajv names the later duplicate i and the earlier j; gojsonschema prints them earlier first.
    uniqueItems: (p) => `array items[${String(p.j)},${String(p.i)}] must be unique`,
    minProperties: (p) => `Must have at least ${String(p.limit)} properties`,
    maxProperties: (p) => `Must have at most ${String(p.limit)} properties`,
    minimum: (p) => `Must be greater than or equal to ${String(p.limit)}`,
    maximum: (p) => `Must be less than or equal to ${String(p.limit)}`,
    exclusiveMinimum: (p) => `Must be greater than ${String(p.limit)}`,
    exclusiveMaximum: (p) => `Must be less than ${String(p.limit)}`,
    multipleOf: (p) => `Must be a multiple of ${String(p.multipleOf)}`,
    anyOf: () => "Must validate at least one schema (anyOf)",
    oneOf: () => "Must validate one and only one schema (oneOf)",
    not: () => "Must not validate the schema (not)",
    dependencies: (p) => `Has a dependency on ${String(p.deps)}`,
    dependentRequired: (p) => `Has a dependency on ${String(p.deps)}`,
    additionalItems: () => "No additional items allowed on array",
    "false schema": () => "False always fails validation",
};

function gojsonschemaDescription(e: ErrorObject, field: string): string {
    const describe = GOJSONSCHEMA_DESCRIPTIONS[e.keyword];
    return describe === undefined ? e.message ?? e.keyword : describe(e.params as Params, field, e.data);
}

/** One schema error as the engine prints it, then the value. */
function describeAjvError(e: ErrorObject): string {
    const field = e.instancePath === "" ? "(root)" : e.instancePath.slice(1).replace(/\//g, ".");
    const line = `${field}: ${gojsonschemaDescription(e, field)}`.replace(/^\(root\): /, "");
    if (e.keyword === "additionalProperties") {
        return `${line} (got ${JSON.stringify((e.data as Record<string, unknown>)[String((e.params as Record<string, unknown>).additionalProperty)])})`;
    }
    return e.keyword === "required" ? line : `${line} (got ${JSON.stringify(e.data)})`;
}

// Stricter than the engine: the wire form of a schema has no top-level additionalProperties, so
// there a misspelt key passes silently; here it is named, with the nearest declared key.
function unknownKeyProblems(properties: Record<string, unknown>, declared: readonly string[]): string[] {
    return Object.keys(properties).filter((k) => !declared.includes(k))
        .map((k) => `Additional property ${k} is not allowed${didYouMean(k, declared)} (got ${JSON.stringify(properties[k])})`);
}

/**
 * Merges defaults, the pack's initial config, `all` and the given file into one config per policy,
 * and validates each against its schema as the engine does. Throws PolicyConfigError listing every
 * problem, or UnknownConfigNamesError when only names the engine ignores are wrong.
 */
export function reconcilePolicyConfig(
    packName: string,
    packVersion: string,
    policies: PolicyInfo[],
    initialConfig: Record<string, PolicyConfigEntry>,
    given: Record<string, PolicyConfigEntry>,
): Record<string, ResolvedPolicyConfig> {
    const known = new Set(policies.map((p) => p.name));
    // As the engine prints each problem (pkg/engine/update.go, loadPolicyPlugins), sorted.
    const line = (policy: string, text: string) => `validating policy config: ${packName} ${packVersion}  ${policy}: ${text}`;
    const problems: string[] = [];
    const problem = (policy: string, text: string) => problems.push(line(policy, text));
    // The CLI silently ignores unknown names; a typo there would silently drop an exemption or an
    // enforcement override, so this tool reports it.
    const unknownPolicies: string[] = [];
    const unknownKeys: string[] = [];
    for (const name of Object.keys(given)) {
        if (name !== "all" && !known.has(name)) {
            unknownPolicies.push(line(name, `is not a policy of this pack (${suggestion(name, [...known], `its policies: ${[...known].sort().join(", ")}`)})`));
        }
    }
    const result: Record<string, ResolvedPolicyConfig> = {};
    for (const p of policies) {
        const defaults: Record<string, unknown> = {};
        for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
            if (typeof s === "object" && s !== null && "default" in s) {
                defaults[k] = (s as { default: unknown }).default;
            }
        }
        const layers = [initialConfig.all, initialConfig[p.name], given.all, given[p.name]];
        let enforcementLevel = p.enforcementLevel;
        let properties = defaults;
        for (const layer of layers) {
            if (layer === undefined) {
                continue;
            }
            enforcementLevel = layer.enforcementLevel ?? enforcementLevel;
            if (layer !== given.all && layer !== initialConfig.all) {
                properties = { ...properties, ...layer.properties };
            }
        }
        result[p.name] = { enforcementLevel, properties };
    }
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    for (const p of policies) {
        if (p.configSchema === undefined) {
            continue;
        }
        const schema = {
            type: "object",
            properties: { ...p.configSchema.properties, enforcementLevel: { type: "string", enum: ENFORCEMENT_LEVELS } },
            ...(p.configSchema.required.length > 0 ? { required: p.configSchema.required } : {}),
        };
        unknownKeys.push(...unknownKeyProblems(result[p.name].properties, Object.keys(schema.properties)).map((x) => line(p.name, x)));
        let validate;
        try {
            validate = ajv.compile(schema);
        } catch (e) {
            problem(p.name, `the policy declares an invalid config schema: ${(e as Error).message}`);
            continue;
        }
        if (!validate(result[p.name].properties)) {
            for (const err of validate.errors ?? []) {
                problem(p.name, describeAjvError(err));
            }
        }
    }
    if (problems.length > 0) {
        throw new PolicyConfigError([...problems, ...unknownPolicies, ...unknownKeys].sort());
    }
    if (unknownPolicies.length > 0 || unknownKeys.length > 0) {
        throw new UnknownConfigNamesError(unknownPolicies, unknownKeys, result);
    }
    return result;
}
