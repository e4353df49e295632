// The engine marshals properties for analyzers with KeepUnknowns, KeepSecrets and SkipInternalKeys,
// and without resource references or output values (@pulumi/policy cannot deserialise either). The
// offline tool and the test harness send recorded properties through this one conversion, so a
// verdict under test is the verdict the tool reports.

import { specialOutputValueSig, specialResourceSig, specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";

/**
 * A resource reference becomes the resource's id (custom; unknown while it has none) or its URN
 * (component); an output value its plain value, unknown when it has none, secret-wrapped if secret.
 */
export function toAnalyzerValue(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(toAnalyzerValue);
    }
    if (typeof value !== "object" || value === null) {
        return value;
    }
    const obj = value as Record<string, unknown>;
    if (obj[specialSigKey] === specialResourceSig) {
        if ("id" in obj) {
            return obj.id === "" || obj.id === undefined ? unknownValue : obj.id;
        }
        return obj.urn;
    }
    if (obj[specialSigKey] === specialOutputValueSig) {
        if (!("value" in obj)) {
            return unknownValue;
        }
        const plain = toAnalyzerValue(obj.value);
        return obj.secret === true ? { [specialSigKey]: specialSecretSig, value: plain } : plain;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
        if (v !== undefined) {
            out[k] = toAnalyzerValue(v);
        }
    }
    return out;
}

/** A resource's properties without the engine's internal `__` keys, each value as above. */
export function toAnalyzerProperties(props: Record<string, unknown>): Record<string, unknown> {
    return toAnalyzerValue(Object.fromEntries(Object.entries(props).filter(([k]) => !k.startsWith("__")))) as Record<string, unknown>;
}

/** "<provider urn>::<id>" -> the provider's URN (URNs contain "::" themselves, ids never do). */
export function providerUrn(ref: string): string {
    return ref.slice(0, ref.lastIndexOf("::"));
}
