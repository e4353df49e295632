// Raw reads of resource properties for the reachability analysis.
//
// The analysis must reach a verdict per workload even when some values are unknown at preview, so it
// never reads through @pulumi/policy's proxy (which throws on the first unknown). It peeks at the
// raw values instead and turns every answer into a three-valued fact.

import { isUnknownSentinel, peekElements, peekValue } from "../unknowns";

/** A three-valued fact: definitely yes, definitely no, or not known until deployment. */
export enum Tri {
    No = "no",
    Yes = "yes",
    Unknown = "unknown",
}

/** The raw value at `path`; an unknown met on the way comes back as that sentinel. */
export function peekPath(obj: unknown, path: readonly string[]): unknown {
    let current = obj;
    for (const key of path) {
        if (isUnknownSentinel(current)) {
            return current;
        }
        current = peekValue(current, key);
    }
    return current;
}

/** true / "true" is Yes, an unknown is Unknown, anything else (absent, false, wrong type) is No. */
export function flag(value: unknown): Tri {
    if (isUnknownSentinel(value)) {
        return Tri.Unknown;
    }
    return value === true || value === "true" ? Tri.Yes : Tri.No;
}

/** Whether a boolean-ish value is set at all (false counts as set: it overrides a default). */
export function isSet(value: unknown): boolean {
    return value !== undefined && value !== null && value !== "";
}

/** A positive count (a number or a numeric string) is Yes. */
export function positive(value: unknown): Tri {
    if (isUnknownSentinel(value)) {
        return Tri.Unknown;
    }
    const n = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : 0;
    return n > 0 ? Tri.Yes : Tri.No;
}

/** A non-empty array (or an unknown one) of addresses. */
export function nonEmpty(value: unknown): Tri {
    if (isUnknownSentinel(value)) {
        return Tri.Unknown;
    }
    return Array.isArray(value) && value.length > 0 ? Tri.Yes : Tri.No;
}

/** Yes if any is Yes, else Unknown if any is Unknown, else No. */
export function anyOf(...facts: readonly Tri[]): Tri {
    if (facts.includes(Tri.Yes)) {
        return Tri.Yes;
    }
    return facts.includes(Tri.Unknown) ? Tri.Unknown : Tri.No;
}

/**
 * The values of a reference property: known strings and how many are unknown. A whole unknown list
 * counts as one unknown (at least one element, exact count open).
 */
export interface RefValues {
    readonly known: readonly string[];
    readonly unknown: number;
}

export function refValues(value: unknown): RefValues {
    if (isUnknownSentinel(value)) {
        return { known: [], unknown: 1 };
    }
    const items = Array.isArray(value) ? peekElements(value) : [value];
    const known: string[] = [];
    let unknown = 0;
    for (const v of items) {
        if (isUnknownSentinel(v)) {
            unknown++;
        } else if (typeof v === "string" && v !== "") {
            known.push(v);
        }
    }
    return { known, unknown };
}

/** A known string, or undefined (absent, unknown or another type). */
export function knownString(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" && !isUnknownSentinel(value) ? value : undefined;
}
