"use strict";
// Pack configuration: JSON schema fragments (what `pulumi preview --policy-pack-config` is validated
// against) and a typed reader that re-validates and applies the same defaults.
//
// The engine validates each policy's config against its `configSchema` and fills in top-level
// `default`s before it calls `Configure`; the reader repeats both, because other runners (our offline
// preview, older CLIs) may not, and a policy must never act on a half-valid config. Every problem is
// reported at once, naming the policy, the key and the bad value.
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.ConfigReader = exports.PackConfigError = exports.sharedSchema = exports.CIDR_PATTERN = exports.DEFAULT_ENVIRONMENTS = exports.DEFAULT_EGRESS_GATEWAY_PORTS = exports.DEFAULT_ALLOWED_CIDRS = exports.DEFAULT_TAG_KEYS = void 0;
exports.awsIdPattern = awsIdPattern;
exports.policyConfigSchema = policyConfigSchema;
exports.readPolicyConfig = readPolicyConfig;
exports.registerOwnReader = registerOwnReader;
exports.ownReaderOf = ownReaderOf;
exports.configFrom = configFrom;
exports.environmentOf = environmentOf;
const pulumi = __importStar(require("@pulumi/pulumi"));
const cidr_1 = require("./cidr");
exports.DEFAULT_TAG_KEYS = {
    tier: "trace:tier",
    egressGateway: "trace:egress-gateway",
    trust: "trace:trust",
    dataClass: "trace:data-class",
};
exports.DEFAULT_ALLOWED_CIDRS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
exports.DEFAULT_EGRESS_GATEWAY_PORTS = { webhook: [443], rpc: [443] };
exports.DEFAULT_ENVIRONMENTS = {};
// Formats as JSON-schema patterns, so the engine's schema check (gojsonschema, RE2 syntax) and the
// offline tool's (ajv) reject a bad value before any resource is analyzed. IPv4 is checked exactly;
// the IPv6 pattern only catches the common mistakes (a prefix over 128, non-hex text), and the reader
// below checks every CIDR exactly with ipaddr.js.
const IPV4_OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
exports.CIDR_PATTERN = `^(${IPV4_OCTET}\\.){3}${IPV4_OCTET}/(3[0-2]|[12]?[0-9])$|^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*/(12[0-8]|1[01][0-9]|[1-9]?[0-9])$`;
/** AWS resource ids: the prefix, then 8 or 17 lower-case hex digits. */
function awsIdPattern(prefix) {
    return `^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`;
}
/** Shared schema fragments; each policy's `configSchema` picks the ones it reads. */
exports.sharedSchema = {
    tagKeys: {
        type: "object",
        description: "Tag keys the pack reads. Defaults: tier=trace:tier, egressGateway=trace:egress-gateway, trust=trace:trust, dataClass=trace:data-class.",
        properties: {
            tier: { type: "string", minLength: 1 },
            egressGateway: { type: "string", minLength: 1 },
            trust: { type: "string", minLength: 1 },
            dataClass: { type: "string", minLength: 1 },
        },
        additionalProperties: false,
        default: { ...exports.DEFAULT_TAG_KEYS },
    },
    allowedCidrs: {
        type: "array",
        description: "CIDRs that count as private (not the internet). IPv4 and IPv6.",
        items: { type: "string", pattern: exports.CIDR_PATTERN },
        default: [...exports.DEFAULT_ALLOWED_CIDRS],
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
        additionalProperties: { type: "string", pattern: "^[a-z0-9][a-z0-9_-]*$" },
        default: {},
    },
    environment: {
        type: "string",
        description: "Forces the environment name, overriding the stack mapping.",
        pattern: "^[a-z0-9][a-z0-9_-]*$",
    },
    exemptions: {
        type: "array",
        description: "Resources this policy skips: {resource: URN or name glob, reason: why (required), policy?: name}.",
        items: {
            type: "object",
            properties: {
                resource: { type: "string", minLength: 1 },
                reason: { type: "string", minLength: 1, pattern: "\\S" },
                policy: { type: "string", minLength: 1 },
            },
            required: ["resource", "reason"],
            additionalProperties: false,
        },
        default: [],
    },
};
/** Builds a policy's `configSchema` from shared keys plus its own properties. */
function policyConfigSchema(shared, own = {}) {
    const properties = {};
    for (const k of shared) {
        properties[k] = exports.sharedSchema[k];
    }
    return { properties: { ...properties, ...own } };
}
/** Thrown when a policy's config is invalid; lists every problem. */
class PackConfigError extends Error {
    policyName;
    problems;
    constructor(policyName, problems) {
        super(`invalid config for policy '${policyName}': ${problems.join("; ")}`);
        this.policyName = policyName;
        this.problems = problems;
        this.name = "PackConfigError";
    }
}
exports.PackConfigError = PackConfigError;
/** Collects problems while reading raw config values; every reader returns a default on error. */
class ConfigReader {
    policyName;
    raw;
    problems = [];
    constructor(policyName, raw) {
        this.policyName = policyName;
        this.raw = raw;
    }
    fail(key, value, expected) {
        this.problems.push(`${key} must be ${expected}, got ${JSON.stringify(value)}`);
    }
    string(key) {
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
    stringArray(key, fallback) {
        const v = this.raw[key];
        if (v === undefined) {
            return fallback;
        }
        if (!Array.isArray(v) || v.some((x) => typeof x !== "string" || x.length === 0)) {
            this.fail(key, v, "an array of non-empty strings");
            return fallback;
        }
        return v;
    }
    stringMap(key, fallback, valuePattern) {
        const v = this.raw[key];
        if (v === undefined) {
            return fallback;
        }
        if (!isPlainRecord(v)) {
            this.fail(key, v, "an object of strings");
            return fallback;
        }
        const out = {};
        for (const [k, x] of Object.entries(v)) {
            if (typeof x !== "string" || (valuePattern !== undefined && !valuePattern.test(x))) {
                this.fail(`${key}.${k}`, x, valuePattern === undefined ? "a string" : `a string matching ${valuePattern}`);
            }
            else {
                out[k] = x;
            }
        }
        return out;
    }
}
exports.ConfigReader = ConfigReader;
function isPlainRecord(v) {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}
const ENV_NAME = /^[a-z0-9][a-z0-9_-]*$/;
function readTagKeys(r) {
    const v = r.raw["tagKeys"];
    if (v === undefined) {
        return exports.DEFAULT_TAG_KEYS;
    }
    if (!isPlainRecord(v)) {
        r.problems.push(`tagKeys must be an object, got ${JSON.stringify(v)}`);
        return exports.DEFAULT_TAG_KEYS;
    }
    const pick = (k) => {
        const x = v[k];
        if (x === undefined) {
            return exports.DEFAULT_TAG_KEYS[k];
        }
        if (typeof x !== "string" || x.length === 0) {
            r.problems.push(`tagKeys.${k} must be a non-empty string, got ${JSON.stringify(x)}`);
            return exports.DEFAULT_TAG_KEYS[k];
        }
        return x;
    };
    for (const k of Object.keys(v)) {
        if (!(k in exports.DEFAULT_TAG_KEYS)) {
            r.problems.push(`tagKeys.${k} is not a known tag key (expected tier, egressGateway, trust, dataClass)`);
        }
    }
    return { tier: pick("tier"), egressGateway: pick("egressGateway"), trust: pick("trust"), dataClass: pick("dataClass") };
}
function readGatewayPorts(r) {
    const v = r.raw["egressGatewayPorts"];
    if (v === undefined) {
        return exports.DEFAULT_EGRESS_GATEWAY_PORTS;
    }
    if (!isPlainRecord(v)) {
        r.problems.push(`egressGatewayPorts must be an object of port arrays, got ${JSON.stringify(v)}`);
        return exports.DEFAULT_EGRESS_GATEWAY_PORTS;
    }
    const out = {};
    for (const [kind, ports] of Object.entries(v)) {
        const ok = Array.isArray(ports) &&
            ports.length > 0 &&
            ports.every((p) => typeof p === "number" && Number.isInteger(p) && p >= 0 && p <= 65535);
        if (!ok) {
            r.problems.push(`egressGatewayPorts.${kind} must be a non-empty array of ports 0-65535, got ${JSON.stringify(ports)}`);
        }
        else {
            out[kind] = ports;
        }
    }
    return out;
}
function readExemptions(r) {
    const v = r.raw["exemptions"];
    if (v === undefined) {
        return [];
    }
    if (!Array.isArray(v)) {
        r.problems.push(`exemptions must be an array, got ${JSON.stringify(v)}`);
        return [];
    }
    const out = [];
    v.forEach((e, i) => {
        if (!isPlainRecord(e)) {
            r.problems.push(`exemptions[${i}] must be an object {resource, reason}, got ${JSON.stringify(e)}`);
            return;
        }
        const before = r.problems.length;
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
            out.push({ resource: e.resource, reason: e.reason, policy: e.policy });
        }
    });
    return out;
}
/**
 * Reads the shared part of a policy's config (absent keys take the defaults above) and hands the
 * reader to `own` for the policy's own keys; throws `PackConfigError` listing every problem.
 */
function readPolicyConfig(policyName, raw, own) {
    const r = new ConfigReader(policyName, raw);
    const tagKeys = readTagKeys(r);
    const allowedCidrs = r.stringArray("allowedCidrs", exports.DEFAULT_ALLOWED_CIDRS);
    const { cidrs: allowedNetworks, invalid } = (0, cidr_1.parseAllowlist)(allowedCidrs);
    for (const bad of invalid) {
        r.problems.push(`allowedCidrs contains ${JSON.stringify(bad)}, which is not a CIDR`);
    }
    const egressGatewayPorts = readGatewayPorts(r);
    const environments = r.stringMap("environments", exports.DEFAULT_ENVIRONMENTS, ENV_NAME);
    const environment = r.string("environment");
    if (environment !== undefined && !ENV_NAME.test(environment)) {
        r.problems.push(`environment must match ${ENV_NAME}, got ${JSON.stringify(environment)}`);
    }
    const exemptions = readExemptions(r);
    const extra = own === undefined ? {} : own(r);
    if (r.problems.length > 0) {
        throw new PackConfigError(policyName, r.problems);
    }
    return { tagKeys, allowedCidrs, allowedNetworks, egressGatewayPorts, environments, environment, exemptions, ...extra };
}
/**
 * Each policy's reader for its own keys, registered when the policy is defined (by `checked` and
 * `checkedStack`), so the whole pack config can be read once at Configure (see pack-config.ts).
 */
const ownReaders = new Map();
function registerOwnReader(policyName, own) {
    if (own !== undefined) {
        ownReaders.set(policyName, own);
    }
}
function ownReaderOf(policyName) {
    return ownReaders.get(policyName);
}
/** Parsed configs by policy and raw JSON: the engine sends one config per preview, read it once. */
const configCache = new Map();
/** Reads a policy's config from the validation args (resource or stack policy alike). */
function configFrom(policyName, args, own) {
    const raw = args.getConfig();
    const key = `${policyName}\u0000${JSON.stringify(raw)}`;
    const cached = configCache.get(key);
    if (cached !== undefined) {
        return cached;
    }
    const cfg = readPolicyConfig(policyName, raw, own);
    configCache.set(key, cfg);
    return cfg;
}
/** The environment of the stack under analysis: config override, else the stack map, else the stack name. */
function environmentOf(cfg, stack = pulumi.getStack()) {
    return cfg.environment ?? cfg.environments[stack] ?? stack;
}
