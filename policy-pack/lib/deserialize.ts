// The one hook this pack puts on @pulumi/policy: its internal `deserializeProperties`, which its
// server calls through the module object for every resource it hands to a policy.
//
// Why hook it at all:
// - Cost. The server deserialises a resource's wire-form properties again for every policy that
//   looks at it: once per resource policy without a single type (before the policy can even say
//   "not applicable"), once per stack policy for every resource in the stack, and once more for
//   the provider each time. With 20 policies that was most of the pack's own cost in the analyzer
//   bench. The wire-form struct is one object per request (google-protobuf caches message
//   wrappers), so we deserialise it once and hand every later caller the same result.
// - Secrets. Validations get secrets unwrapped to plain values, so `args.props` no longer says
//   what was secret; `wireFormOf` gives back the struct the engine sent (see secrets.ts).
//
// Sharing one result between policies is safe because policies only read their props: no policy
// in this pack assigns into them, and the test harness checks after every request that the shared
// objects still equal a fresh deserialisation. Remediations (`proxySecrets = true`) are passed
// through untouched: the library wraps those results in its own secret-preserving proxy.

// Internal module of @pulumi/policy (no typings for the export we wrap).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const deserialize: { deserializeProperties: Deserialize } = require("@pulumi/policy/deserialize");

type Deserialize = (struct: unknown, proxySecrets: boolean) => unknown;
interface WireStruct {
    toJavaScript(): unknown;
}
interface Hook {
    /** Wire-form struct -> its deserialised properties. */
    readonly results: WeakMap<object, unknown>;
    /** Deserialised properties -> the wire-form struct they came from. */
    readonly sources: WeakMap<object, WireStruct>;
}

/** Set on the wrapper and holding its maps, so a second copy of this module shares the first one's. */
const HOOK = Symbol.for("trace-network-guardrails.deserialize-hook");
type Wrapped = Deserialize & { [HOOK]?: Hook };

function isWireStruct(s: unknown): s is WireStruct & object {
    return typeof s === "object" && s !== null && typeof (s as { toJavaScript?: unknown }).toJavaScript === "function";
}

function install(): Hook {
    const original = deserialize.deserializeProperties as Wrapped;
    if (typeof original !== "function") {
        throw new Error("@pulumi/policy/deserialize no longer exports deserializeProperties; update policy-pack/lib/deserialize.ts");
    }
    const existing = original[HOOK];
    if (existing !== undefined) {
        return existing;
    }
    const hook: Hook = { results: new WeakMap(), sources: new WeakMap() };
    const wrapped: Wrapped = (struct: unknown, proxySecrets: boolean): unknown => {
        if (proxySecrets || !isWireStruct(struct)) {
            return original(struct, proxySecrets);
        }
        if (hook.results.has(struct)) {
            return hook.results.get(struct);
        }
        const result = original(struct, proxySecrets);
        hook.results.set(struct, result);
        if (typeof result === "object" && result !== null) {
            hook.sources.set(result, struct);
        }
        return result;
    };
    wrapped[HOOK] = hook;
    deserialize.deserializeProperties = wrapped;
    return hook;
}

const hook = install();

/** The wire-form struct deserialised into `props` (the object behind the policy's proxy), if any. */
export function wireFormOf(props: object): WireStruct | undefined {
    return hook.sources.get(props);
}
