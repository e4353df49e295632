// Reading resource properties defensively. Other teams' stacks hand us any shape: a field may be
// missing, null, the wrong type, or unknown. These readers never throw on a wrong type (they answer
// "absent"); only the proxy throws, and only for unknown values, which is the library's contract.

import { PolicyProviderResource, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";

import { isUnknownValueError } from "./unknowns";

export type Props = Record<string, unknown>;

export function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function asRecord(v: unknown): Record<string, unknown> | undefined {
    return isRecord(v) ? v : undefined;
}

export function asArray(v: unknown): readonly unknown[] {
    return Array.isArray(v) ? v : [];
}

export function asString(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}

/** Strings of an array; non-string entries are skipped. */
export function asStrings(v: unknown): string[] {
    const out: string[] = [];
    for (const x of asArray(v)) {
        if (typeof x === "string") {
            out.push(x);
        }
    }
    return out;
}

/** Booleans arrive as booleans, or as "true"/"false" strings (launch templates, some converters). */
export function isTrue(v: unknown): boolean {
    return v === true || v === "true";
}

export function isFalse(v: unknown): boolean {
    return v === false || v === "false";
}

export function asNumber(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isFinite(v)) {
        return v;
    }
    if (typeof v === "string" && /^-?\d+$/.test(v.trim())) {
        return Number(v);
    }
    return undefined;
}

/** What a tag lookup needs: the resource's props and (optionally) its provider. */
export interface Taggable {
    readonly props: Props;
    readonly provider?: PolicyProviderResource;
}

/**
 * The value of tag `key`: the resource's own `tags`, else the provider's `defaultTags`, else the
 * `tagsAll` output. `tagsAll` is exactly tags plus provider default tags, so when it is still
 * unknown at preview both of its sources have already been read and it can be skipped.
 */
export function tagValue(resource: Taggable, key: string): string | undefined {
    const own = asRecord(resource.props["tags"]);
    if (own !== undefined && own[key] !== undefined && own[key] !== null) {
        return asString(own[key]);
    }
    const defaults = asRecord(asRecord(resource.provider?.props["defaultTags"])?.["tags"]);
    if (defaults !== undefined && defaults[key] !== undefined && defaults[key] !== null) {
        return asString(defaults[key]);
    }
    let all: Record<string, unknown> | undefined;
    try {
        all = asRecord(resource.props["tagsAll"]);
    } catch (e) {
        if (isUnknownValueError(e)) {
            return undefined;
        }
        throw e;
    }
    return all === undefined ? undefined : asString(all[key]);
}

/** The error `args.notApplicable(reason)` throws, caught once; built without a stack trace. */
function notApplicableError(args: ResourceValidationArgs, reason: string): unknown {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        args.notApplicable(reason);
    } catch (e) {
        return e;
    } finally {
        Error.stackTraceLimit = limit;
    }
    throw new Error("args.notApplicable returned instead of throwing; @pulumi/policy changed how a policy reports 'not applicable'");
}

/**
 * One validation for several resource types, each typed with `validateResourceOfType`. A single
 * function (not an array) so the engine records one "not applicable" for other types, not one per
 * alternative.
 */
export function validateResourcesOfTypes(...validations: ResourceValidation[]): ResourceValidation {
    const byType = new Map<string, ResourceValidation>();
    for (const v of validations) {
        const t = (v as { __pulumiType?: unknown }).__pulumiType;
        if (typeof t !== "string") {
            throw new Error("validateResourcesOfTypes takes validations built with validateResourceOfType");
        }
        byType.set(t, v);
    }
    // The engine keeps only the names of not-applicable policies (pkg/resource/analyzer/summary.go),
    // and this reason crosses the wire for nearly every resource, so it stays short.
    const reason = "Policy does not apply to this resource type";
    // Most resources take this path for several policies. A thrown Error is costly to build (a
    // stack trace each time), so the library's NotApplicableError is built once and re-thrown;
    // the server reads only its class and reason.
    let notApplicable: unknown;
    return (args: ResourceValidationArgs, reportViolation) => {
        const v = byType.get(args.type);
        if (v === undefined) {
            throw (notApplicable ??= notApplicableError(args, reason));
        }
        return v(args, reportViolation);
    };
}
