// Unknown values at preview, with @pulumi/policy's own semantics.
//
// The analyzer server wraps every resource's properties in `unknownCheckingProxy`: reading a value
// that is unknown at preview throws `UnknownValueError`, and the server turns that error into an
// advisory "can't run policy ... during preview" diagnostic. We keep exactly that contract, with one
// refinement: a policy runs its independent checks one by one, so an unknown value in one check
// never hides a definite violation found by another. Definite violations are reported first; then
// the first unknown is re-thrown so the server still says the resource could not be fully checked.

import * as policy from "@pulumi/policy";

// The sentinels are internal exports of @pulumi/policy/proxy (no typings); the engine sends one of
// them wherever a value is unknown. We need them to spot unknowns inside JSON strings we parse.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const proxy: Record<string, unknown> = require("@pulumi/policy/proxy");

/** The library's error for a read of an unknown value (its typings ship it as `any`). */
export interface UnknownValueError extends Error {
    readonly props: string[];
}
export const UnknownValueError: new (sentinel: string, props: string[]) => UnknownValueError = policy.UnknownValueError;

export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set(
    [
        "unknownBooleanValue",
        "unknownNumberValue",
        "unknownStringValue",
        "unknownArrayValue",
        "unknownAssetValue",
        "unknownArchiveValue",
        "unknownObjectValue",
    ].map((k) => {
        const v = proxy[k];
        if (typeof v !== "string") {
            throw new Error(`@pulumi/policy/proxy no longer exports ${k}; update policy-pack/lib/unknowns.ts`);
        }
        return v;
    }),
);

/**
 * The plain object behind a policy's props proxy (or `props` itself if it is not one): reads from it
 * neither throw on unknowns nor wrap nested values, so sentinels must be checked by the reader.
 */
export function unproxied(props: object): Record<string, unknown> {
    const target = (props as Record<string, unknown>)[proxy["getSpecialProxyTarget"] as string];
    return (typeof target === "object" && target !== null ? target : props) as Record<string, unknown>;
}

/** The engine's string sentinel, the one the recorder and most engines use for every type. */
export const UNKNOWN_STRING: string = proxy["unknownStringValue"] as string;

export function isUnknownValueError(e: unknown): e is UnknownValueError {
    return e instanceof UnknownValueError;
}

/** `fn()`, or `whenUnknown` when it reads a value the preview does not know yet. */
export function orIfUnknown<T>(fn: () => T, whenUnknown: T): T {
    try {
        return fn();
    } catch (e) {
        if (isUnknownValueError(e)) {
            return whenUnknown;
        }
        throw e;
    }
}

/**
 * Throws the library's `UnknownValueError` when a value taken out of a parsed document (which the
 * proxy never saw) is an unknown sentinel, so parsed JSON follows the same semantics as props.
 */
export function assertKnown(value: unknown, path: readonly (string | number)[]): void {
    if (typeof value === "string" && UNKNOWN_SENTINELS.has(value)) {
        throw new UnknownValueError(value, path.map(String));
    }
}

/** Runs independent checks; remembers the first unknown instead of letting it stop the others. */
export class UnknownTracker {
    private firstUnknown: UnknownValueError | undefined;

    /** Runs one check. Returns false when the check hit an unknown value (its outcome is open). */
    check(fn: () => void): boolean {
        try {
            fn();
            return true;
        } catch (e) {
            if (isUnknownValueError(e)) {
                this.firstUnknown ??= e;
                return false;
            }
            throw e;
        }
    }

    get unknown(): UnknownValueError | undefined {
        return this.firstUnknown;
    }

    /** Call last, after every definite violation has been reported. */
    rethrow(): void {
        if (this.firstUnknown !== undefined) {
            throw this.firstUnknown;
        }
    }
}

export enum Presence {
    Absent = "absent",
    Known = "known",
    Unknown = "unknown",
}

/**
 * Whether `obj[key]` is set, without reading it through the proxy: a reference whose value is still
 * unknown (e.g. `natGatewayId: nat.id` at preview) is already a definite fact that it is set.
 * Null, undefined and "" count as absent.
 */
export function presenceOf(obj: unknown, key: string): Presence {
    if (typeof obj !== "object" || obj === null) {
        return Presence.Absent;
    }
    const d = Reflect.getOwnPropertyDescriptor(obj, key);
    if (d === undefined || !("value" in d) || d.value === null || d.value === undefined || d.value === "") {
        return Presence.Absent;
    }
    return typeof d.value === "string" && UNKNOWN_SENTINELS.has(d.value) ? Presence.Unknown : Presence.Known;
}

/**
 * The elements of an array without reading them through the proxy: unknown elements come back as
 * their sentinel string, so a caller can use the known ones and decide what the unknown ones mean.
 * An unknown array itself still throws (read it through the proxy first). Non-arrays give [].
 */
export function peekElements(arr: unknown): unknown[] {
    if (!Array.isArray(arr)) {
        return [];
    }
    const out: unknown[] = [];
    for (let i = 0; i < arr.length; i++) {
        const d = Reflect.getOwnPropertyDescriptor(arr, i);
        out.push(d !== undefined && "value" in d ? d.value : undefined);
    }
    return out;
}

export function isUnknownSentinel(v: unknown): boolean {
    return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

/** `obj[key]` without the proxy: an unknown comes back as its sentinel string instead of throwing. */
export function peekValue(obj: unknown, key: string): unknown {
    if (typeof obj !== "object" || obj === null) {
        return undefined;
    }
    const d = Reflect.getOwnPropertyDescriptor(obj, key);
    return d !== undefined && "value" in d ? d.value : undefined;
}
