// Exemptions from pack config: a URN or resource-name glob plus a mandatory reason.

import { ResourceValidationArgs } from "@pulumi/policy";

import { Exemption } from "./config";

const globCache = new Map<string, RegExp>();

/** `*` matches any run of characters (including ':' and '/'), `?` exactly one; all else is literal. */
export function globToRegExp(glob: string): RegExp {
    let re = globCache.get(glob);
    if (re === undefined) {
        const body = glob
            .split("")
            .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&")))
            .join("");
        re = new RegExp(`^${body}$`, "s");
        globCache.set(glob, re);
    }
    return re;
}

/** A pattern starting with "urn:" is matched against the URN, anything else against the name. */
export function matchesResource(pattern: string, resource: { urn: string; name: string }): boolean {
    const subject = pattern.startsWith("urn:") ? resource.urn : resource.name;
    return globToRegExp(pattern).test(subject);
}

/** The first exemption of `policyName` covering the resource, if any. */
export function findExemption(
    exemptions: readonly Exemption[],
    policyName: string,
    resource: { urn: string; name: string },
): Exemption | undefined {
    return exemptions.find((e) => (e.policy === undefined || e.policy === policyName) && matchesResource(e.resource, resource));
}

export function exemptionNote(e: Exemption): string {
    return `exempted by pack config (${e.resource}): ${e.reason}`;
}

/**
 * For resource policies: an exempted resource is reported as "not applicable" with the reason,
 * which is how the engine records a policy that deliberately did not run.
 */
export function skipIfExempt(args: ResourceValidationArgs, exemptions: readonly Exemption[], policyName: string): void {
    const e = findExemption(exemptions, policyName, args);
    if (e !== undefined) {
        args.notApplicable(exemptionNote(e));
    }
}
