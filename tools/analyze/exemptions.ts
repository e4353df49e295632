// Which exemptions a run applied, for the reports. The pack applies its exemptions inside each policy
// and the analyzer protocol carries no per-resource record of it, so the same question is asked here
// of the same matcher, the pack's own (its compiled lib/exemptions, a dependency of this package), against every recorded
// resource: a resource is exempted from a policy when an entry of that policy's `exemptions` config
// (after defaults, `all` and the file, as sent at Configure) matches its URN or name.
import type { Exemption } from "@trace/network-guardrails/dist/lib/config";
import * as fs from "fs";
import { findExemption } from "@trace/network-guardrails/dist/lib/exemptions";
import { PackInfo } from "./server";
import { EnforcementLevel, ResolvedPolicyConfig } from "./policy-config";
import { RecordedResource } from "../record";

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
    /** The --policy-pack-config file that holds the entry and the entry's line there; absent for the pack's own defaults. */
    configFile?: { path: string; line: number };
}

export interface ExemptionReport {
    applied: AppliedExemption[];
    stale: StaleExemption[];
}

export interface ConfiguredPackInfo {
    info: PackInfo;
    /** The effective config per policy, as sent at Configure. */
    config: Record<string, ResolvedPolicyConfig>;
    /** The --policy-pack-config file the config came from, if any. */
    configFile?: string;
}

// The line of an entry in the config file: the first line naming its resource glob after the line
// that opens the policy's entry. Undefined when the file does not hold it (a default of the pack).
function entryLine(lines: readonly string[], policy: string, resource: string): number | undefined {
    const policyLine = lines.findIndex((l) => l.includes(JSON.stringify(policy)));
    if (policyLine === -1) {
        return undefined;
    }
    const offset = lines.slice(policyLine).findIndex((l) => l.includes(JSON.stringify(resource)));
    return offset === -1 ? undefined : policyLine + offset + 1;
}

function configFileLines(file: string | undefined): readonly string[] {
    if (file === undefined) {
        return [];
    }
    try {
        return fs.readFileSync(file, "utf8").split(/\r?\n/);
    } catch {
        return [];
    }
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
    for (const { info, config, configFile } of packs) {
        const lines = configFileLines(configFile);
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
                const line = entryLine(lines, policy.name, e.resource);
                stale.push({
                    policyPack: info.name, policy: policy.name, resource: e.resource, reason: e.reason,
                    ...(configFile !== undefined && line !== undefined ? { configFile: { path: configFile, line } } : {}),
                });
            }
        }
    }
    return { applied, stale };
}
