// Policy pack config as `pulumi preview --policy-pack-config` treats it: parse the JSON file, start from
// each policy's defaults (its enforcement level and schema defaults), apply the pack's initial config,
// then `all`, then the file; validate every policy's result against its schema and report every
// problem at once.
import Ajv, { ErrorObject } from "ajv";
import * as fs from "fs";

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
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new PolicyConfigError(`policy pack config ${file} is not valid JSON: ${(e as Error).message}`);
    }
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

// The engine validates with gojsonschema and prints its error strings ("<field>: <description>",
// "(root): " dropped); these are its English descriptions for the keywords a pack schema uses. The
// offending value is appended, which the engine's text lacks.
function describeAjvError(e: ErrorObject): string {
    const field = e.instancePath === "" ? "" : `${e.instancePath.slice(1).replace(/\//g, ".")}: `;
    const p = e.params as Record<string, unknown>;
    const got = ` (got ${JSON.stringify(e.data)})`;
    switch (e.keyword) {
        case "required":
            return `${field}${String(p.missingProperty)} is required`;
        case "additionalProperties": {
            const key = String(p.additionalProperty);
            return `${field}Additional property ${key} is not allowed (got ${JSON.stringify((e.data as Record<string, unknown>)[key])})`;
        }
        case "enum":
            return `${field === "" ? "(root)" : field.slice(0, -2)} must be one of the following: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}${got}`;
        case "pattern":
            return `${field}Does not match pattern '${String(p.pattern)}'${got}`;
        case "type":
            return `${field}Invalid type. Expected: ${String(p.type)}, given: ${Array.isArray(e.data) ? "array" : e.data === null ? "null" : typeof e.data}${got}`;
        case "minItems":
            return `${field}Array must have at least ${String(p.limit)} items${got}`;
        case "minLength":
            return `${field}String length must be greater than or equal to ${String(p.limit)}${got}`;
        case "minimum":
            return `${field}Must be greater than or equal to ${String(p.limit)}${got}`;
        case "maximum":
            return `${field}Must be less than or equal to ${String(p.limit)}${got}`;
        default:
            return `${field}${e.message ?? e.keyword}${got}`;
    }
}

/**
 * Merges defaults, the pack's initial config, `all` and the given file into one config per policy,
 * and validates each against its schema. Throws PolicyConfigError listing every problem.
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
    const problems: string[] = [];
    const problem = (policy: string, text: string) => problems.push(`validating policy config: ${packName} ${packVersion}  ${policy}: ${text}`);
    // The CLI silently ignores unknown names; a typo there would silently drop an exemption or an
    // enforcement override, so this tool reports it.
    for (const name of Object.keys(given)) {
        if (name !== "all" && !known.has(name)) {
            problem(name, `is not a policy of this pack (its policies: ${[...known].sort().join(", ")})`);
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
        // Stricter than the engine: its schema has no top-level additionalProperties (the wire form
        // cannot carry it), so there a misspelt key passes silently; here it is an error.
        const schema = {
            type: "object",
            properties: { ...p.configSchema.properties, enforcementLevel: { type: "string", enum: ENFORCEMENT_LEVELS } },
            additionalProperties: false,
            ...(p.configSchema.required.length > 0 ? { required: p.configSchema.required } : {}),
        };
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
        throw new PolicyConfigError(problems.sort());
    }
    return result;
}
