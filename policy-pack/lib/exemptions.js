"use strict";
// Exemptions from pack config: a URN or resource-name glob plus a mandatory reason.
Object.defineProperty(exports, "__esModule", { value: true });
exports.globToRegExp = globToRegExp;
exports.matchesResource = matchesResource;
exports.findExemption = findExemption;
exports.exemptionNote = exemptionNote;
exports.skipIfExempt = skipIfExempt;
const globCache = new Map();
/** `*` matches any run of characters (including ':' and '/'), `?` exactly one; all else is literal. */
function globToRegExp(glob) {
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
function matchesResource(pattern, resource) {
    const subject = pattern.startsWith("urn:") ? resource.urn : resource.name;
    return globToRegExp(pattern).test(subject);
}
/** The first exemption of `policyName` covering the resource, if any. */
function findExemption(exemptions, policyName, resource) {
    return exemptions.find((e) => (e.policy === undefined || e.policy === policyName) && matchesResource(e.resource, resource));
}
function exemptionNote(e) {
    return `exempted by pack config (${e.resource}): ${e.reason}`;
}
/**
 * For resource policies: an exempted resource is reported as "not applicable" with the reason,
 * which is how the engine records a policy that deliberately did not run.
 */
function skipIfExempt(args, exemptions, policyName) {
    const e = findExemption(exemptions, policyName, args);
    if (e !== undefined) {
        args.notApplicable(exemptionNote(e));
    }
}
