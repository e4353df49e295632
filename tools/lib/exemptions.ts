// Which exemptions a run applied, for the reports. The pack applies its exemptions inside each policy
// and the analyzer protocol carries no per-resource record of it, so the same question is asked here
// of the same matcher, the pack's own (its compiled lib/exemptions, a dependency of this package), against every recorded
// resource: a resource is exempted from a policy when an entry of that policy's `exemptions` config
// (after defaults, `all` and the file, as sent at Configure) matches its URN or name.
import type { Exemption } from "@trace/network-guardrails/dist/lib/config";
import { findExemption } from "@trace/network-guardrails/dist/lib/exemptions";
import { PackInfo } from "./analyzer";
import { EnforcementLevel, ResolvedPolicyConfig } from "./policy-config";
import { RecordedResource } from "./record-protocol";

export interface AppliedExemption {
    policyPack: string;
    policy: string;
    /** The entry's URN or name glob. */
    resource: string;
    reason: string;
    urn: string;
    type: string;
    name: string;
}

/** An entry that matches no resource of the stack: a stale exception to review or delete. */
export interface StaleExemption {
    policyPack: string;
    policy: string;
    resource: string;
    reason: string;
}

export interface ExemptionReport {
    applied: AppliedExemption[];
    stale: StaleExemption[];
}

export interface ConfiguredPackInfo {
    info: PackInfo;
    /** The effective config per policy, as sent at Configure. */
    config: Record<string, ResolvedPolicyConfig>;
}

/** Entries in this pack's shape ({resource, reason, policy?}); a policy without them has none. */
function exemptionsOf(properties: Record<string, unknown>): Exemption[] {
    const list = properties["exemptions"];
    if (!Array.isArray(list)) {
        return [];
    }
    return list.filter((e): e is Exemption =>
        typeof e === "object" && e !== null && typeof (e as Exemption).resource === "string" && typeof (e as Exemption).reason === "string");
}

export function exemptionReport(packs: readonly ConfiguredPackInfo[], resources: readonly RecordedResource[]): ExemptionReport {
    const applied: AppliedExemption[] = [];
    const stale: StaleExemption[] = [];
    for (const { info, config } of packs) {
        for (const policy of info.policies) {
            const resolved = config[policy.name];
            if (resolved === undefined || resolved.enforcementLevel === EnforcementLevel.Disabled) {
                continue;
            }
            const entries = exemptionsOf(resolved.properties);
            for (const r of resources) {
                const e = findExemption(entries, policy.name, r);
                if (e !== undefined) {
                    applied.push({ policyPack: info.name, policy: policy.name, resource: e.resource, reason: e.reason, urn: r.urn, type: r.type, name: r.name });
                }
            }
            // Stale: no resource matches it for this policy (an entry shadowed by an earlier one still counts as matching).
            const live = (e: Exemption) => resources.some((r) => findExemption([e], policy.name, r) !== undefined);
            for (const e of entries.filter((x) => !live(x))) {
                stale.push({ policyPack: info.name, policy: policy.name, resource: e.resource, reason: e.reason });
            }
        }
    }
    return { applied, stale };
}
