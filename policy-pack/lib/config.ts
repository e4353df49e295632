// Pack configuration: JSON schema fragments (what `pulumi preview --policy-pack-config` is validated
// against) and a typed reader that re-validates and applies the same defaults.
//
// The engine validates each policy's config against its `configSchema` and fills in top-level
// `default`s before it calls `Configure`; the reader repeats both, because other runners (our offline
// preview, older CLIs) may not, and a policy must never act on a half-valid config. Every problem is
// reported at once, naming the policy, the key and the bad value.

import { PolicyConfigSchema, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import * as pulumi from "@pulumi/pulumi";

import { ParsedCidr, parseAllowlist } from "./cidr";
import { suggestion } from "./nearest";

export interface TagKeys {
    /** Subnet / route table tier: app | data | egress. */
    readonly tier: string;
    /** Egress gateway kind on gateway SGs, services, tasks: webhook | rpc. */
    readonly egressGateway: string;
    /** Trust level of roles, functions, task definitions, services, SGs: untrusted | platform | service. */
    readonly trust: string;
    /** Data class of buckets (pii, exports, alerts, ...): which buckets need SSE-KMS. */
    readonly dataClass: string;
}

export interface Exemption {
    /** A URN or resource-name glob (`*` any run of characters, `?` one character). */
    readonly resource: string;
    /** Why the exemption is acceptable; required so every exemption is reviewable. */
    readonly reason: string;
    /** Optional: the policy this entry is for, so one list can be pasted into every policy's config. */
    readonly policy?: string;
}

/** What every policy shares. */
export interface SharedConfig {
    readonly tagKeys: TagKeys;
    /** Destinations that are not "the internet": the VPC ranges, peered private ranges. */
    readonly allowedCidrs: readonly string[];
    readonly allowedNetworks: readonly ParsedCidr[];
    /** Egress gateway kind (the tag value) -> the ports it may use towards the internet. */
    readonly egressGatewayPorts: Readonly<Record<string, readonly number[]>>;
    /** Stack name -> environment name; an unmapped stack's environment is its own name. */
    readonly environments: Readonly<Record<string, string>>;
    /** Forces the environment (e.g. when a runner cannot tell the policy pack the stack name). */
    readonly environment: string | undefined;
    readonly exemptions: readonly Exemption[];
}

export const DEFAULT_TAG_KEYS: TagKeys = {
    tier: "trace:tier",
    egressGateway: "trace:egress-gateway",
    trust: "trace:trust",
    dataClass: "trace:data-class",
};
export const DEFAULT_ALLOWED_CIDRS: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
export const DEFAULT_EGRESS_GATEWAY_PORTS: Readonly<Record<string, readonly number[]>> = { webhook: [443], rpc: [443] };
export const DEFAULT_ENVIRONMENTS: Readonly<Record<string, string>> = {};
const ACCOUNT_ID = /^\d{12}$/;

/** AWS resource ids: the prefix, then 8 or 17 lower-case hex digits (checked by a policy's reader). */
export function awsIdPattern(prefix: string): string {
    return `^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`;
}

// No `pattern` in these schemas: the engine validates them with gojsonschema before the pack sees
// the config, and its message for a pattern is the regular expression itself. Formats (CIDRs, names,
// ids) are checked by the readers below, in words; so are nested keys, with the nearest name.
/** Shared schema fragments; each policy's `configSchema` picks the ones it reads. */
export const sharedSchema = {
    tagKeys: {
        type: "object",
        description: "Tag keys the pack reads. Defaults: tier=trace:tier, egressGateway=trace:egress-gateway, trust=trace:trust, dataClass=trace:data-class.",
        properties: {
            tier: { type: "string", minLength: 1 },
            egressGateway: { type: "string", minLength: 1 },
            trust: { type: "string", minLength: 1 },
            dataClass: { type: "string", minLength: 1 },
        },
        default: { ...DEFAULT_TAG_KEYS },
    },
    allowedCidrs: {
        type: "array",
        description: "CIDRs that count as private (not the internet). IPv4 and IPv6.",
        items: { type: "string" },
        default: [...DEFAULT_ALLOWED_CIDRS],
    },
    egressGatewayPorts: {
        type: "object",
        description: "Egress gateway kind (value of the egress-gateway tag) -> ports it may reach the internet on.",
        additionalProperties: {
            type: "array",
            items: { type: "integer", minimum: 0, maximum: 65535 },
            minItems: 1,
        },
        default: { webhook: [443], rpc: [443] },
    },
    environments: {
        type: "object",
        description: "Stack name -> environment name used in secret paths. An unmapped stack's environment is its name.",
        additionalProperties: { type: "string" },
        default: {},
    },
    environment: {
        type: "string",
        description: "Forces the environment name, overriding the stack mapping.",
    },
    exemptions: {
        type: "array",
        description: "Resources this policy skips: {resource: URN or name glob, reason: why (required), policy?: name}.",
        items: {
            type: "object",
            properties: {
                resource: { type: "string", minLength: 1 },
                reason: { type: "string", minLength: 1 },
                policy: { type: "string", minLength: 1 },
            },
            required: ["resource", "reason"],
        },
        default: [],
    },
} satisfies Record<keyof Omit<SharedConfig, "allowedNetworks">, PolicyConfigJSONSchema>;

export type SharedKey = keyof typeof sharedSchema;

/** Builds a policy's `configSchema` from shared keys plus its own properties. */
export function policyConfigSchema(
    shared: readonly SharedKey[],
    own: Record<string, PolicyConfigJSONSchema> = {},
): PolicyConfigSchema {
    const properties: Record<string, PolicyConfigJSONSchema> = {};
    for (const k of shared) {
        properties[k] = sharedSchema[k];
    }
    return { properties: { ...properties, ...own } };
}

/** Thrown when a policy's config is invalid; lists every problem. */
export class PackConfigError extends Error {
    constructor(
        readonly policyName: string,
        readonly problems: readonly string[],
    ) {
        super(`invalid config for policy '${policyName}': ${problems.join("; ")}`);
        this.name = "PackConfigError";
    }
}

/** Collects problems while reading raw config values; every reader returns a default on error. */
export class ConfigReader {
    readonly problems: string[] = [];

    constructor(
        readonly policyName: string,
        readonly raw: Record<string, unknown>,
    ) {}

    /** A problem for every key of `object` (at `where`) that is not one of `known`, with the nearest known key. */
    unknownKeys(where: string, object: Record<string, unknown>, known: readonly string[]): void {
        for (const k of Object.keys(object).filter((x) => !known.includes(x))) {
            this.problems.push(`${where}.${k} is not a known key (${suggestion(k, known, `its keys: ${known.join(", ")}`)})`);
        }
    }

    private fail(key: string, value: unknown, expected: string): void {
        this.problems.push(`${key} must be ${expected}, got ${JSON.stringify(value)}`);
    }

    string(key: string): string | undefined {
        const v = this.raw[key];
        if (v === undefined) {
            return undefined;
        }
        if (typeof v !== "string" || v.length === 0) {
            this.fail(key, v, "a non-empty string");
            return undefined;
        }
        return v;
    }

    stringArray(key: string, fallback: readonly string[]): readonly string[] {
        const v = this.raw[key];
        if (v === undefined) {
            return fallback;
        }
        if (!Array.isArray(v) || v.some((x) => typeof x !== "string" || x.length === 0)) {
            this.fail(key, v, "an array of non-empty strings");
            return fallback;
        }
        return v as string[];
    }

    /** AWS account ids: each must be 12 digits. */
    accountIds(key: string): readonly string[] {
        const ids = this.stringArray(key, []);
        ids.filter((a) => !ACCOUNT_ID.test(a)).forEach((a) => this.problems.push(`${key} contains ${JSON.stringify(a)}, which is not a 12-digit account id`));
        return ids;
    }

    /** A map of strings; `value`, when given, is each value's rule and says in words what it must be. */
    stringMap(key: string, fallback: Readonly<Record<string, string>>, value?: NameRule): Readonly<Record<string, string>> {
        const v = this.raw[key];
        if (v === undefined) {
            return fallback;
        }
        if (!isPlainRecord(v)) {
            this.fail(key, v, "an object of strings");
            return fallback;
        }
        const out: Record<string, string> = {};
        for (const [k, x] of Object.entries(v)) {
            if (typeof x !== "string" || (value !== undefined && !value.pattern.test(x))) {
                this.fail(`${key}.${k}`, x, value === undefined ? "a string" : value.words);
            } else {
                out[k] = x;
            }
        }
        return out;
    }
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A format a config value must have, and how a message says it. */
export interface NameRule {
    readonly pattern: RegExp;
    readonly words: string;
}

const ENV_NAME: NameRule = {
    pattern: /^[a-z0-9][a-z0-9_-]*$/,
    words: "an environment name: lower-case letters, digits, '-' and '_', starting with a letter or digit",
};

function readTagKeys(r: ConfigReader): TagKeys {
    const v = r.raw["tagKeys"];
    if (v === undefined) {
        return DEFAULT_TAG_KEYS;
    }
    if (!isPlainRecord(v)) {
        r.problems.push(`tagKeys must be an object, got ${JSON.stringify(v)}`);
        return DEFAULT_TAG_KEYS;
    }
    const pick = (k: keyof TagKeys): string => {
        const x = v[k];
        if (x === undefined) {
            return DEFAULT_TAG_KEYS[k];
        }
        if (typeof x !== "string" || x.length === 0) {
            r.problems.push(`tagKeys.${k} must be a non-empty string, got ${JSON.stringify(x)}`);
            return DEFAULT_TAG_KEYS[k];
        }
        return x;
    };
    r.unknownKeys("tagKeys", v, Object.keys(DEFAULT_TAG_KEYS));
    return { tier: pick("tier"), egressGateway: pick("egressGateway"), trust: pick("trust"), dataClass: pick("dataClass") };
}

function readGatewayPorts(r: ConfigReader): Readonly<Record<string, readonly number[]>> {
    const v = r.raw["egressGatewayPorts"];
    if (v === undefined) {
        return DEFAULT_EGRESS_GATEWAY_PORTS;
    }
    if (!isPlainRecord(v)) {
        r.problems.push(`egressGatewayPorts must be an object of port arrays, got ${JSON.stringify(v)}`);
        return DEFAULT_EGRESS_GATEWAY_PORTS;
    }
    const out: Record<string, number[]> = {};
    for (const [kind, ports] of Object.entries(v)) {
        const ok =
            Array.isArray(ports) &&
            ports.length > 0 &&
            ports.every((p) => typeof p === "number" && Number.isInteger(p) && p >= 0 && p <= 65535);
        if (!ok) {
            r.problems.push(`egressGatewayPorts.${kind} must be a non-empty array of ports 0-65535, got ${JSON.stringify(ports)}`);
        } else {
            out[kind] = ports as number[];
        }
    }
    return out;
}

const EXEMPTION_KEYS: readonly (keyof Exemption)[] = ["resource", "reason", "policy"];

function readExemptions(r: ConfigReader): readonly Exemption[] {
    const v = r.raw["exemptions"];
    if (v === undefined) {
        return [];
    }
    if (!Array.isArray(v)) {
        r.problems.push(`exemptions must be an array, got ${JSON.stringify(v)}`);
        return [];
    }
    const out: Exemption[] = [];
    v.forEach((e: unknown, i: number) => {
        if (!isPlainRecord(e)) {
            r.problems.push(`exemptions[${i}] must be an object {resource, reason}, got ${JSON.stringify(e)}`);
            return;
        }
        const before = r.problems.length;
        r.unknownKeys(`exemptions[${i}]`, e, EXEMPTION_KEYS);
        if (typeof e.resource !== "string" || e.resource.length === 0) {
            r.problems.push(`exemptions[${i}].resource must be a non-empty URN or name glob, got ${JSON.stringify(e.resource)}`);
        }
        if (typeof e.reason !== "string" || e.reason.trim().length === 0) {
            r.problems.push(`exemptions[${i}].reason is required (say why the exemption is acceptable), got ${JSON.stringify(e.reason)}`);
        }
        if (e.policy !== undefined && (typeof e.policy !== "string" || e.policy.length === 0)) {
            r.problems.push(`exemptions[${i}].policy must be a policy name, got ${JSON.stringify(e.policy)}`);
        }
        if (r.problems.length === before) {
            out.push({ resource: e.resource as string, reason: e.reason as string, policy: e.policy as string | undefined });
        }
    });
    return out;
}

/**
 * Reads the shared part of a policy's config (absent keys take the defaults above) and hands the
 * reader to `own` for the policy's own keys; throws `PackConfigError` listing every problem.
 */
export function readPolicyConfig<T extends object = object>(
    policyName: string,
    raw: Record<string, unknown>,
    own?: (r: ConfigReader) => T,
): SharedConfig & T {
    const r = new ConfigReader(policyName, raw);
    const tagKeys = readTagKeys(r);
    const allowedCidrs = r.stringArray("allowedCidrs", DEFAULT_ALLOWED_CIDRS);
    const { cidrs: allowedNetworks, invalid } = parseAllowlist(allowedCidrs);
    for (const bad of invalid) {
        r.problems.push(`allowedCidrs[${bad.index}] ${JSON.stringify(bad.text)}: ${bad.defect}`);
    }
    const egressGatewayPorts = readGatewayPorts(r);
    const environments = r.stringMap("environments", DEFAULT_ENVIRONMENTS, ENV_NAME);
    const environment = r.string("environment");
    if (environment !== undefined && !ENV_NAME.pattern.test(environment)) {
        r.problems.push(`environment must be ${ENV_NAME.words}, got ${JSON.stringify(environment)}`);
    }
    const exemptions = readExemptions(r);
    const extra = own === undefined ? ({} as T) : own(r);
    if (r.problems.length > 0) {
        throw new PackConfigError(policyName, r.problems);
    }
    return { tagKeys, allowedCidrs, allowedNetworks, egressGatewayPorts, environments, environment, exemptions, ...extra };
}

/**
 * Each policy's reader for its own keys, registered when the policy is defined (by `checked` and
 * `checkedStack`), so the whole pack config can be read once at Configure (see pack-config.ts).
 */
const ownReaders = new Map<string, (r: ConfigReader) => object>();

export function registerOwnReader(policyName: string, own: ((r: ConfigReader) => object) | undefined): void {
    if (own !== undefined) {
        ownReaders.set(policyName, own);
    }
}

export function ownReaderOf(policyName: string): ((r: ConfigReader) => object) | undefined {
    return ownReaders.get(policyName);
}

/** Parsed configs by policy and raw JSON: the engine sends one config per preview, read it once. */
const configCache = new Map<string, SharedConfig>();

/** Reads a policy's config from the validation args (resource or stack policy alike). */
export function configFrom<T extends object = object>(
    policyName: string,
    args: ResourceValidationArgs | StackValidationArgs,
    own?: (r: ConfigReader) => T,
): SharedConfig & T {
    const raw = args.getConfig<Record<string, unknown>>();
    const key = `${policyName}\u0000${JSON.stringify(raw)}`;
    const cached = configCache.get(key);
    if (cached !== undefined) {
        return cached as SharedConfig & T;
    }
    const cfg = readPolicyConfig(policyName, raw, own);
    configCache.set(key, cfg);
    return cfg;
}

/** The environment of the stack under analysis: config override, else the stack map, else the stack name. */
export function environmentOf(cfg: SharedConfig, stack: string = pulumi.getStack()): string {
    return cfg.environment ?? cfg.environments[stack] ?? stack;
}
