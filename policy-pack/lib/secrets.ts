// Which properties the engine sent as secrets.
//
// The engine sends secret values wrapped in the secret envelope (`{"4dabf1...": "1b4706...", value}`;
// analyzer_plugin.go marshals with KeepSecrets). @pulumi/policy keeps that marker only for
// remediations: for validations it deserialises with `proxySecrets = false`, which unwraps every
// secret to its plain value, so `args.props` no longer says what was secret. To see the markers we
// wrap the library's own `deserializeProperties` (which its server calls through the module object)
// and remember, per deserialised object, the paths of the secrets it had. Nothing else changes: the
// wrapped function returns exactly what the original returns.

import { PolicyResource } from "@pulumi/policy";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";

// Internal module of @pulumi/policy (no typings for the export we wrap).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const deserialize: { deserializeProperties: (struct: unknown, proxySecrets: boolean) => unknown } = require("@pulumi/policy/deserialize");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const proxy: { getSpecialProxyTarget: string } = require("@pulumi/policy/proxy");

export type SecretPath = readonly string[];

/** Set on the wrapper and holding its map, so a second copy of this module shares the first one's. */
const WRAPPED = Symbol.for("trace-network-guardrails.secret-paths");
/** Deserialised props -> the wire-form struct they came from; secret paths are computed on demand. */
type Sources = WeakMap<object, { toJavaScript(): unknown }>;
type Wrapped = ((struct: unknown, proxySecrets: boolean) => unknown) & { [WRAPPED]?: Sources };

/** Paths (from the top of `value`) of every secret envelope in a wire-form value. */
export function findSecretPaths(value: unknown, path: string[] = [], out: SecretPath[] = []): SecretPath[] {
    if (Array.isArray(value)) {
        value.forEach((v, i) => findSecretPaths(v, [...path, String(i)], out));
    } else if (typeof value === "object" && value !== null) {
        const obj = value as Record<string, unknown>;
        if (obj[specialSigKey] === specialSecretSig) {
            out.push(path);
            return out;
        }
        for (const [k, v] of Object.entries(obj)) {
            findSecretPaths(v, [...path, k], out);
        }
    }
    return out;
}

function install(): Sources {
    const original = deserialize.deserializeProperties as Wrapped;
    if (typeof original !== "function") {
        throw new Error("@pulumi/policy/deserialize no longer exports deserializeProperties; update policy-pack/lib/secrets.ts");
    }
    const existing = original[WRAPPED];
    if (existing !== undefined) {
        return existing;
    }
    const sources: Sources = new WeakMap();
    const wrapped: Wrapped = (struct: unknown, proxySecrets: boolean): unknown => {
        const result = original(struct, proxySecrets);
        const s = struct as { toJavaScript?: unknown } | undefined;
        if (!proxySecrets && typeof result === "object" && result !== null && typeof s?.toJavaScript === "function") {
            sources.set(result, s as { toJavaScript(): unknown });
        }
        return result;
    };
    wrapped[WRAPPED] = sources;
    deserialize.deserializeProperties = wrapped;
    return sources;
}

const sources = install();

/** The secret paths of a resource's properties as the engine sent them (outputs for stack policies). */
export function secretPathsOf(resource: PolicyResource): SecretPath[] {
    const props = resource.props as Record<string, unknown>;
    const target = (props[proxy.getSpecialProxyTarget] as object | undefined) ?? props;
    const struct = sources.get(target);
    return struct === undefined ? [] : findSecretPaths(struct.toJavaScript());
}
