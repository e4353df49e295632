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
type Wrapped = ((struct: unknown, proxySecrets: boolean) => unknown) & { [WRAPPED]?: WeakMap<object, SecretPath[]> };

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

function install(): WeakMap<object, SecretPath[]> {
    const original = deserialize.deserializeProperties as Wrapped;
    if (typeof original !== "function") {
        throw new Error("@pulumi/policy/deserialize no longer exports deserializeProperties; update policy-pack/lib/secrets.ts");
    }
    const existing = original[WRAPPED];
    if (existing !== undefined) {
        return existing;
    }
    const secretPaths = new WeakMap<object, SecretPath[]>();
    const wrapped: Wrapped = (struct: unknown, proxySecrets: boolean): unknown => {
        const result = original(struct, proxySecrets);
        const toJs = (struct as { toJavaScript?: () => unknown } | undefined)?.toJavaScript;
        if (!proxySecrets && typeof result === "object" && result !== null && typeof toJs === "function") {
            const paths = findSecretPaths(toJs.call(struct));
            if (paths.length > 0) {
                secretPaths.set(result, paths);
            }
        }
        return result;
    };
    wrapped[WRAPPED] = secretPaths;
    deserialize.deserializeProperties = wrapped;
    return secretPaths;
}

const secretPaths = install();

/** The secret paths of a resource's properties as the engine sent them (outputs for stack policies). */
export function secretPathsOf(resource: PolicyResource): SecretPath[] {
    const props = resource.props as Record<string, unknown>;
    const target = props[proxy.getSpecialProxyTarget] as object | undefined;
    return secretPaths.get(target ?? props) ?? [];
}
