// Which properties the engine sent as secrets.
//
// The engine sends secret values wrapped in the secret envelope (`{"4dabf1...": "1b4706...", value}`;
// analyzer_plugin.go marshals with KeepSecrets). @pulumi/policy keeps that marker only for
// remediations: for validations it deserialises with `proxySecrets = false`, which unwraps every
// secret to its plain value, so `args.props` no longer says what was secret. The wire form it came
// from is kept by our hook on the library's deserialiser (deserialize.ts), and the secret paths are
// read from it on demand.

import { PolicyResource } from "@pulumi/policy";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";

import { wireFormOf } from "./deserialize";
import { unproxied } from "./unknowns";

export type SecretPath = readonly string[];

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

/** The secret paths of a resource's properties as the engine sent them (outputs for stack policies). */
export function secretPathsOf(resource: PolicyResource): SecretPath[] {
    const struct = wireFormOf(unproxied(resource.props));
    return struct === undefined ? [] : findSecretPaths(struct.toJavaScript());
}
