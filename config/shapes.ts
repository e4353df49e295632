import { closest } from "fastest-levenshtein";
import { awsRegion, quoted, Range, Requirement } from "./formats";
import { CONFIG_KEYS, ConfigKey, ConfigType, KeyDeclaration, MinItems, PROJECT, qualified, REGION_KEY } from "./keys";
import { Environment } from "./types";

/** One thing wrong with the stack's config: the fully qualified key, the value as given, and why. */
export interface ConfigProblem {
    readonly key: string;
    readonly value: unknown;
    readonly message: string;
}

/** Raw config as the engine hands it over: fully qualified key -> value (strings; arrays as JSON text). */
export type RawConfig = Readonly<Record<string, unknown>>;

export function formatProblem(problem: ConfigProblem): string {
    const shown = problem.value === undefined ? "(not set)" : JSON.stringify(problem.value);
    return `${problem.key} = ${shown}: ${problem.message}`;
}

interface ValueOfType {
    [ConfigType.String]: string;
    [ConfigType.Integer]: number;
    [ConfigType.Boolean]: boolean;
    [ConfigType.StringArray]: readonly string[];
    [ConfigType.IntegerArray]: readonly number[];
}
type Declarations = typeof CONFIG_KEYS;
export type ValueOf<K extends ConfigKey> = ValueOfType[Declarations[K]["type"]];
/** Optional keys without a default are the only ones that may have no value in a sound config. */
type Unset<K extends ConfigKey> = Declarations[K] extends { readonly optional: true } ? (Declarations[K] extends { readonly default: unknown } ? never : undefined) : never;

/** Some keys' values; a key is absent where it has none to give. */
export type SomeValues = { readonly [K in ConfigKey]?: ValueOf<K> };
/** Every key's value, as a config without problems has them. */
export type KeyValues = { readonly [K in ConfigKey]: ValueOf<K> | Unset<K> };

export interface KeyReading {
    readonly region?: string;
    /** Every key whose value has the declared type, even where its format then fails: rules between keys check what they can. */
    readonly typed: SomeValues;
    /** Every key whose value has its whole declared shape, defaults applied. */
    readonly valid: SomeValues;
    readonly problems: readonly ConfigProblem[];
}

/** A problem not yet tied to its key: the value at fault (the key's, or one item of a list) and why. */
export interface Fault {
    readonly value: unknown;
    readonly message: string;
}

export interface KeyCheck {
    /** The value converted to the declared type, or the default of a key left out. */
    readonly typed?: unknown;
    readonly faults: readonly Fault[];
}

/**
 * Checks every key against its own declaration, and `aws:region`: unknown keys of the namespace first
 * (with the nearest known name), then the region, then the keys in declaration order. Never throws.
 */
export function readKeys(raw: RawConfig): KeyReading {
    const problems = unknownKeys(raw);
    const regionText = raw[REGION_KEY];
    const regionFaults = awsRegion(typeof regionText === "string" ? regionText : "");
    problems.push(...regionFaults.map((message) => ({ key: REGION_KEY, value: regionText, message })));
    // The environment decides what the other keys must be, so it is read before them (and again in turn).
    const environment = checkKey(CONFIG_KEYS.environment, raw[qualified("environment")]);
    const typed: Partial<Record<ConfigKey, unknown>> = {};
    const valid: Partial<Record<ConfigKey, unknown>> = {};
    for (const key of Object.keys(CONFIG_KEYS) as ConfigKey[]) {
        const check = checkKey(CONFIG_KEYS[key], raw[qualified(key)], soundValue(environment) as Environment | undefined);
        typed[key] = check.typed;
        valid[key] = soundValue(check);
        problems.push(...check.faults.map((fault) => ({ key: qualified(key), ...fault })));
    }
    return { region: regionFaults.length === 0 ? (regionText as string) : undefined, typed: typed as SomeValues, valid: valid as SomeValues, problems };
}

function soundValue(check: KeyCheck): unknown {
    return check.faults.length === 0 ? check.typed : undefined;
}

function unknownKeys(raw: RawConfig): ConfigProblem[] {
    const known = Object.keys(CONFIG_KEYS);
    return Object.keys(raw)
        .sort()
        .filter((key) => key.startsWith(`${PROJECT}:`) && !known.includes(key.slice(PROJECT.length + 1)))
        .map((key) => {
            const nearest = closest(key.slice(PROJECT.length + 1), known) as ConfigKey;
            return { key, value: raw[key], message: `is not a ${PROJECT} config key; did you mean ${qualified(nearest)}?` };
        });
}

/** Problems in the order a reader meets their keys: unknown keys, the region, then ours as declared; a key's own problems before those it shares. */
export function inReferenceOrder(problems: readonly ConfigProblem[]): ConfigProblem[] {
    const order = [REGION_KEY, ...Object.keys(CONFIG_KEYS).map((key) => qualified(key as ConfigKey))];
    return problems
        .map((problem, index) => ({ problem, index, rank: order.indexOf(problem.key) }))
        .sort((a, b) => a.rank - b.rank || a.index - b.index)
        .map(({ problem }) => problem);
}

/**
 * One value against one declaration: present when required, of the declared type, then of the declared
 * format, and, once all that holds, what `environment` requires of it.
 */
export function checkKey(declaration: KeyDeclaration, value: unknown, environment?: Environment): KeyCheck {
    if (value === undefined) {
        return declaration.optional === true ? { typed: declaration.default, faults: [] } : wrong(value, `is required: ${declaration.description}`);
    }
    const check = checkType(declaration, value);
    const requirement = environment === undefined ? undefined : (declaration.requiredIn?.[environment] as Requirement<unknown> | undefined);
    if (check.faults.length > 0 || requirement === undefined || requirement.holds(check.typed)) {
        return check;
    }
    return { typed: check.typed, faults: [{ value, message: `must ${requirement.must} in ${environment}${requirement.hint ?? ""}` }] };
}

function checkType(declaration: KeyDeclaration, value: unknown): KeyCheck {
    switch (declaration.type) {
        case ConfigType.String:
            if (typeof value !== "string" || value.trim() === "") {
                return wrong(value, "must be a non-empty string");
            }
            return { typed: value, faults: whole(value, declaration.format(value)) };
        case ConfigType.Integer: {
            const integer = toInteger(value);
            if (integer === undefined || !within(declaration.range, integer)) {
                return wrong(value, `must be an integer from ${declaration.range[0]} to ${declaration.range[1]}`);
            }
            return { typed: integer, faults: whole(value, declaration.format?.(integer) ?? []) };
        }
        case ConfigType.Boolean:
            if (value === true || value === "true" || value === false || value === "false") {
                return { typed: value === true || value === "true", faults: [] };
            }
            return wrong(value, "must be true or false");
        case ConfigType.StringArray:
            return checkStringList(declaration, value);
        case ConfigType.IntegerArray:
            return checkIntegerList(declaration, value);
    }
}

function checkStringList(declaration: Extract<KeyDeclaration, { type: ConfigType.StringArray }>, value: unknown): KeyCheck {
    const items = list(value);
    if (items === undefined) {
        return wrong(value, LIST);
    }
    const bad = items.filter((item) => typeof item !== "string" || item === "");
    if (bad.length > 0) {
        return wrong(value, `must be a list of non-empty strings; bad items: ${JSON.stringify(bad)}`);
    }
    const strings = items as string[];
    const itemFaults = strings.flatMap((item, i) => (declaration.itemFormat?.(item, strings.slice(0, i)) ?? []).map((message) => ({ value: item, message })));
    const repeated = [...new Set(strings.filter((item, i) => strings.indexOf(item) !== i))];
    return {
        typed: strings,
        faults: [
            ...whole(value, tooFew(declaration.minItems, strings.length)),
            ...itemFaults,
            ...whole(value, declaration.listFormat?.(strings) ?? []),
            ...whole(value, declaration.unique === true && repeated.length > 0 ? [`lists ${quoted(repeated)} more than once`] : []),
        ],
    };
}

function checkIntegerList(declaration: Extract<KeyDeclaration, { type: ConfigType.IntegerArray }>, value: unknown): KeyCheck {
    const items = list(value);
    if (items === undefined) {
        return wrong(value, LIST);
    }
    const integers = items.map(toInteger);
    const bad = items.filter((_, i) => integers[i] === undefined || !within(declaration.range, integers[i]!));
    if (bad.length > 0) {
        const [min, max] = declaration.range;
        return wrong(value, `must be a list of integers from ${min} to ${max}; bad items: ${JSON.stringify(bad)}`);
    }
    return { typed: integers, faults: whole(value, tooFew(declaration.minItems, integers.length)) };
}

const LIST = "must be a list (a YAML sequence in the stack file)";

function wrong(value: unknown, message: string): KeyCheck {
    return { faults: [{ value, message }] };
}

function whole(value: unknown, messages: readonly string[]): Fault[] {
    return messages.map((message) => ({ value, message }));
}

function tooFew(minItems: MinItems | undefined, count: number): string[] {
    if (minItems === undefined || count >= minItems.count) {
        return [];
    }
    if (minItems.count === 1) {
        return [`must list at least one ${minItems.noun}${minItems.why === undefined ? "" : `; ${minItems.why}`}`];
    }
    return [`needs at least ${minItems.count} ${minItems.noun}s, got ${count}`];
}

function within([min, max]: Range, value: number): boolean {
    return value >= min && value <= max;
}

function toInteger(value: unknown): number | undefined {
    if (typeof value === "number" && Number.isInteger(value)) {
        return value;
    }
    if (typeof value === "string" && /^-?\d+$/.test(value.trim())) {
        return Number(value.trim());
    }
    return undefined;
}

/** A list as given: a YAML sequence arrives as JSON text. */
function list(value: unknown): unknown[] | undefined {
    let parsed: unknown = value;
    if (typeof value === "string") {
        try {
            parsed = JSON.parse(value);
        } catch {
            parsed = undefined;
        }
    }
    return Array.isArray(parsed) ? parsed : undefined;
}
