// What a report says was checked: policies, packs, resources, the verdict counts, the exemptions
// applied, and the checks the analyzer could not run during a preview (deferred to deployment).
import { Diagnostic, PackInfo } from "../analyze";
import type { AppliedExemption } from "../analyze";
import { EnforcementLevel } from "../analyze";
import { RecordedResource, RecordedStack } from "../record";

/** A remediate-level violation is reported as mandatory by the analyzer already; anything not advisory blocks. */
export function isBlocking(d: Diagnostic): boolean {
    return d.enforcementLevel !== EnforcementLevel.Advisory;
}

/**
 * A provider the engine created for a package with no explicit one (providers.IsDefaultProvider: a
 * `pulumi:providers:*` type named `default…`). Its step is internal to the engine: `pulumi preview`
 * neither draws it nor counts it in "+ N to create" (update.go, isInternalStep).
 */
export function isDefaultProvider(r: Pick<RecordedResource, "type" | "name">): boolean {
    return r.type.startsWith("pulumi:providers:") && r.name.startsWith("default");
}

// The exemption step (exemptions.ts) finds them; the reports only list them.
export type { AppliedExemption };

/** A policy the analyzer could not run during a preview because it read a value unknown until deployment. */
export interface DeferredCheck {
    diagnostic: Diagnostic;
    /** What was unknown, as the analyzer says it ("string value at .vpcId can't be known during preview"). */
    reason: string;
}

// @pulumi/policy's server reports an UnknownValueError as an advisory diagnostic with exactly this
// prefix (server.js: `can't run ${policyFrom} during preview: ${e.message}`).
function deferredPrefix(d: Diagnostic): string {
    return `can't run policy '${d.policy}' from policy pack '${d.policyPack}@v${d.policyPackVersion}' during preview: `;
}

// The same deferral from a stack policy of the Trace pack, for one resource of the stack (its
// lib/stack-policy.ts); the rest of the stack was checked.
const STACK_POLICY_DEFERRAL = /^can't fully check .+? during preview: (.+); it is checked again when the value is known$/s;

function deferralReason(d: Diagnostic): string | undefined {
    if (d.enforcementLevel !== EnforcementLevel.Advisory) {
        return undefined;
    }
    const prefix = deferredPrefix(d);
    if (d.message.startsWith(prefix)) {
        return d.message.slice(prefix.length);
    }
    return STACK_POLICY_DEFERRAL.exec(d.message)?.[1];
}

/** Splits the analyzer's diagnostics into findings about the stack and checks deferred to deployment. */
export function splitDeferred(diagnostics: Diagnostic[]): { violations: Diagnostic[]; deferred: DeferredCheck[] } {
    const violations: Diagnostic[] = [];
    const deferred: DeferredCheck[] = [];
    for (const d of diagnostics) {
        const reason = deferralReason(d);
        if (reason !== undefined) {
            deferred.push({ diagnostic: d, reason });
        } else {
            violations.push(d);
        }
    }
    return { violations, deferred };
}

export interface CheckCounts {
    packs: number;
    /** Policies that ran (not disabled), with their effective levels after the pack config. */
    policies: number;
    mandatoryPolicies: number;
    advisoryPolicies: number;
    /** Resources the packs analyzed, default providers included. */
    resources: number;
    /** Resources `pulumi preview` shows and counts as "+ N to create": all but the default providers. */
    toCreate: number;
    mandatory: number;
    advisory: number;
    exempted: number;
    /** Distinct resources with at least one exempted violation. */
    exemptedResources: number;
    deferred: number;
    deferredPolicies: number;
}

export function countChecks(
    recorded: RecordedStack, packs: PackInfo[], violations: Diagnostic[], deferred: DeferredCheck[], exemptions: AppliedExemption[],
): CheckCounts {
    const running = packs.flatMap((p) => p.policies).filter((p) => p.enforcementLevel !== EnforcementLevel.Disabled);
    return {
        packs: packs.length,
        policies: running.length,
        mandatoryPolicies: running.filter((p) => p.enforcementLevel !== EnforcementLevel.Advisory).length,
        advisoryPolicies: running.filter((p) => p.enforcementLevel === EnforcementLevel.Advisory).length,
        resources: recorded.resources.length,
        toCreate: recorded.resources.filter((r) => !isDefaultProvider(r)).length,
        mandatory: violations.filter(isBlocking).length,
        advisory: violations.filter((d) => !isBlocking(d)).length,
        exempted: exemptions.length,
        exemptedResources: new Set(exemptions.map((e) => e.urn)).size,
        deferred: deferred.length,
        deferredPolicies: new Set(deferred.map((c) => `${c.diagnostic.policyPack}/${c.diagnostic.policy}`)).size,
    };
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "3 policies (2 mandatory, 1 advisory) from 1 policy pack over 8 resources" */
export function checkedSentence(c: CheckCounts): string {
    return `${plural(c.policies, "policy", "policies")} (${c.mandatoryPolicies} mandatory, ${c.advisoryPolicies} advisory) ` +
        `from ${plural(c.packs, "policy pack")} over ${plural(c.resources, "resource")}`;
}

/** Why a deferred check is not a finding, for the text and markdown headings. */
export const DEFERRED_EXPLANATION = [
    "These policies read values that are unknown until the resources exist, so the analyzer could not",
    "run them in a preview. `pulumi up` runs them against the real values before it changes anything;",
    "`--mode plan` runs them now, against synthesised values.",
];

export function deferredCheckCount(c: CheckCounts): string {
    return c.deferred === 0 ? "none" : `${plural(c.deferred, "check")} of ${plural(c.deferredPolicies, "policy", "policies")}`;
}

/** The closing lines of the text report. */
export function summaryLines(c: CheckCounts, mode: string): string[] {
    return [
        "Summary:",
        `    Checked ${checkedSentence(c)} (${mode} mode)`,
        `    Policy violations: ${c.mandatory} mandatory, ${c.advisory} advisory`,
        `    Exempted: ${c.exempted === 0 ? "none" : `${plural(c.exempted, "violation")} on ${plural(c.exemptedResources, "resource")}`}`,
        `    Deferred to deployment: ${deferredCheckCount(c)}`,
    ];
}
