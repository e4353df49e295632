// dns-firewall-on-workload-vpcs: DNS is a way out with no route at all. Code in a sealed subnet can
// put data in the labels of a query ("<data>.attacker.example"); the VPC resolver carries it to the
// name server of that domain. A VPC hosting private workloads needs a Route 53 Resolver DNS Firewall
// rule group associated with it whose first rule matching every name ("*") blocks it (or at least
// alerts on it), so only the names its allow rules list resolve. It must not fail open either.
//
// DNS Firewall evaluates the VPC's associated rule groups by association priority, and each group's
// rules by rule priority; the first ALLOW or BLOCK match ends the evaluation, ALERT lets it go on.
// An unknown value (a rule's action, priority or domains, a link that cannot be followed yet) defers
// the verdict only when it could change it.

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { ConfigReader, policyConfigSchema } from "../lib/config";
import { list, subjectOf } from "../lib/messages";
import { VPC_TYPES, privateWorkloadVpcs } from "../lib/network";
import { asNumber } from "../lib/resources";
import { knownStringsAt } from "../lib/stack";
import { StackContext, checkedStack } from "../lib/stack-policy";
import { rejectUnknownKeys } from "../lib/strict-config";
import { UNKNOWN_STRING, UnknownValueError, isUnknownSentinel, peekElements, peekValue } from "../lib/unknowns";

export const DNS_FIREWALL_ON_WORKLOAD_VPCS = "dns-firewall-on-workload-vpcs";

export const ASSOCIATION = "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation";
export const RULE_GROUP = "aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup";
export const FIREWALL_RULE = "aws:route53/resolverFirewallRule:ResolverFirewallRule";
export const DOMAIN_LIST = "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList";
export const FIREWALL_CONFIG = "aws:route53/resolverFirewallConfig:ResolverFirewallConfig";

const RULE =
    "a VPC hosting private workloads needs a Route 53 Resolver DNS Firewall rule group whose first rule matching every name (domain list [\"*\"]) blocks or alerts, so that only the names it allows resolve, and must not fail open";
const FIX_BLOCK =
    'Associate an aws.route53.ResolverFirewallRuleGroup with the VPC whose rules ALLOW a domain list of the names the workloads need and then BLOCK (blockResponse "NXDOMAIN") a domain list of ["*"] at a higher priority number';

const schema = policyConfigSchema(["tagKeys", "exemptions"]);
type Ctx = StackContext<object>;

/** What a value read at preview can be: a known value, or not known yet. */
const OPEN = Symbol("unknown");
type Maybe<T> = T | typeof OPEN;

/** What the first rule that matches an arbitrary name does. */
enum CatchAll {
    Blocks = "blocks",
    Alerts = "alerts",
    Allows = "allows",
}

interface EvaluatedRule {
    readonly rule: PolicyResource;
    /** [association priority, rule priority]; OPEN where unknown. */
    readonly order: readonly Maybe<number>[];
    readonly action: Maybe<string>;
    /** Whether the rule decides for a name an attacker picks: BLOCK/ALERT of "*" for every query type, or ALLOW of "*" or "*.<tld>". */
    readonly matchesEverything: Maybe<boolean>;
    readonly broadAllow: string | undefined;
}

function known(r: PolicyResource, key: string): Maybe<unknown> {
    const v = peekValue(r.props, key);
    return isUnknownSentinel(v) ? OPEN : v;
}

/** Resources of `types` `r.property` points at; OPEN when it points at something not followable yet. */
function linked(ctx: Ctx, r: PolicyResource, property: string, types: readonly string[]): Maybe<PolicyResource[]> {
    const found = ctx.index.references(r, property, types, knownStringsAt(r.props, [property]));
    return found.length === 0 && known(r, property) === OPEN ? OPEN : found;
}

/** "*" or "*.<one label>": a domain list entry that matches any name an attacker could register. */
function isBroad(domain: string): boolean {
    return /^\*(\.[^.]+)?\.?$/.test(domain.trim());
}

function domainsOf(lists: Maybe<PolicyResource[]>): Maybe<string[]> {
    if (lists === OPEN) {
        return OPEN;
    }
    const out: string[] = [];
    for (const l of lists) {
        const raw = known(l, "domains");
        if (raw === OPEN || peekElements(raw).some(isUnknownSentinel)) {
            return OPEN;
        }
        out.push(...peekElements(raw).filter((d): d is string => typeof d === "string"));
    }
    return out;
}

function evaluateRule(ctx: Ctx, rule: PolicyResource, associationPriority: Maybe<number>): EvaluatedRule {
    const domains = domainsOf(linked(ctx, rule, "firewallDomainListId", [DOMAIN_LIST]));
    const action = known(rule, "action");
    const priority = known(rule, "priority");
    // A rule limited to one query type (qType "A") lets the others (TXT, CNAME...) carry the same names.
    const queryType = known(rule, "qType");
    const allTypes = queryType === OPEN ? OPEN : queryType === undefined || queryType === null || queryType === "";
    // An ALLOW of "*.com" lets an attacker's .com domain through; only a BLOCK or ALERT of "*" for every query type stops every name.
    const broad = domains === OPEN ? [] : domains.filter(isBroad);
    const stopsEverything = broad.includes("*") ? allTypes : false;
    const matches = action === "BLOCK" || action === "ALERT" ? stopsEverything : broad.length > 0;
    return {
        rule,
        order: [associationPriority, priority === OPEN ? OPEN : (asNumber(priority) ?? 0)],
        action: action === OPEN ? OPEN : String(action),
        matchesEverything: domains === OPEN ? OPEN : matches,
        broadAllow: broad[0],
    };
}

/** The rules of every rule group associated with the VPC; OPEN when an association or group cannot be followed yet. */
function rulesOf(ctx: Ctx, vpc: PolicyResource): { rules: EvaluatedRule[]; open: string[] } {
    const rules: EvaluatedRule[] = [];
    const open: string[] = [];
    for (const a of ctx.index.ofType(ASSOCIATION)) {
        const vpcs = linked(ctx, a, "vpcId", VPC_TYPES);
        if (vpcs === OPEN) {
            open.push(`vpcId of ${subjectOf(a)}`);
            continue;
        }
        if (!vpcs.includes(vpc)) {
            continue;
        }
        const groups = linked(ctx, a, "firewallRuleGroupId", [RULE_GROUP]);
        if (groups === OPEN) {
            open.push(`firewallRuleGroupId of ${subjectOf(a)}`);
            continue;
        }
        const p = known(a, "priority");
        const associationPriority = p === OPEN ? OPEN : (asNumber(p) ?? 0);
        for (const rule of ctx.index.ofType(FIREWALL_RULE)) {
            const ruleGroups = linked(ctx, rule, "firewallRuleGroupId", [RULE_GROUP]);
            if (ruleGroups === OPEN) {
                open.push(`firewallRuleGroupId of ${subjectOf(rule)}`);
            } else if (ruleGroups.some((g) => groups.includes(g))) {
                rules.push(evaluateRule(ctx, rule, associationPriority));
            }
        }
    }
    return { rules, open };
}

/** Whether `a` certainly comes before `b`; unknown priorities could put either first. */
function surelyBefore(a: EvaluatedRule, b: EvaluatedRule): boolean {
    for (let i = 0; i < a.order.length; i++) {
        const x = a.order[i];
        const y = b.order[i];
        if (x === OPEN || y === OPEN) {
            return false;
        }
        if (x !== y) {
            return x < y;
        }
    }
    return false;
}

/**
 * What the first catch-all rule does, if the known values decide it; OPEN when an unknown could
 * decide either way; undefined when no rule can match every name.
 */
function firstCatchAll(rules: readonly EvaluatedRule[]): { verdict: Maybe<CatchAll> | undefined; rule?: EvaluatedRule } {
    const candidates = rules.filter((r) => r.matchesEverything !== false);
    const first = candidates.filter((r) => !candidates.some((o) => o !== r && surelyBefore(o, r)));
    const verdicts = first.map((r): Maybe<CatchAll> | "none" => {
        if (r.matchesEverything === OPEN || r.action === OPEN) {
            return OPEN;
        }
        return r.action === "ALLOW" ? CatchAll.Allows : r.action === "BLOCK" ? CatchAll.Blocks : CatchAll.Alerts;
    });
    if (first.length === 0) {
        return { verdict: undefined };
    }
    const distinct = new Set(verdicts);
    if (distinct.size === 1 && !distinct.has(OPEN)) {
        return { verdict: verdicts[0] as CatchAll, rule: first[0] };
    }
    return { verdict: OPEN, rule: first.find((_, i) => verdicts[i] === OPEN) ?? first[0] };
}

function failsOpen(ctx: Ctx, vpc: PolicyResource): PolicyResource | undefined {
    return ctx.index.ofType(FIREWALL_CONFIG).find((c) => {
        const vpcs = ctx.index.references(c, "resourceId", VPC_TYPES, knownStringsAt(c.props, ["resourceId"]));
        return vpcs.includes(vpc) && known(c, "firewallFailOpen") === "ENABLED";
    });
}

function checkVpc(ctx: Ctx, vpc: PolicyResource, workloads: readonly string[]): void {
    const shown = workloads.slice(0, 3).join(", ") + (workloads.length > 3 ? ` and ${workloads.length - 3} more` : "");
    const report = (finding: string, fix: string) => ctx.report(vpc, { finding: `hosts private workloads (${shown}) but ${finding}`, rule: RULE, fix });
    const open = failsOpen(ctx, vpc);
    if (open !== undefined) {
        report(`its DNS Firewall fails open (${subjectOf(open)} has firewallFailOpen ENABLED)`, `Set firewallFailOpen: "DISABLED" on ${subjectOf(open)}`);
    }
    const { rules, open: unfollowed } = rulesOf(ctx, vpc);
    const { verdict, rule } = firstCatchAll(rules);
    if (verdict === CatchAll.Blocks || verdict === CatchAll.Alerts) {
        return;
    }
    if (verdict === OPEN || unfollowed.length > 0) {
        throw new UnknownValueError(UNKNOWN_STRING, [unfollowed[0] ?? `action, priority or domains of ${subjectOf(rule!.rule)}`]);
    }
    if (verdict === CatchAll.Allows) {
        report(
            `${subjectOf(rule!.rule)} ALLOWs every name (domain ${rule!.broadAllow}) before anything blocks`,
            `Replace the broad domain in ${subjectOf(rule!.rule)}'s domain list with the names the workloads need, and BLOCK ["*"] after it`,
        );
        return;
    }
    report(
        rules.length === 0
            ? "no Route 53 Resolver DNS Firewall rule group is associated with it"
            : `no rule of its DNS Firewall rule groups (${list([...new Set(rules.map((r) => subjectOf(r.rule)))])}) blocks or alerts on every other name`,
        FIX_BLOCK,
    );
}

function readConfig(r: ConfigReader): object {
    rejectUnknownKeys(r, schema);
    return {};
}

export const dnsFirewallOnWorkloadVpcs: StackValidationPolicy = {
    name: DNS_FIREWALL_ON_WORKLOAD_VPCS,
    description:
        "Requires, for every VPC hosting private workloads, a Route 53 Resolver DNS Firewall rule group whose first catch-all rule refuses (or alerts on) every name it does not allow, failing closed.",
    enforcementLevel: "advisory",
    configSchema: schema,
    validateStack: checkedStack(
        DNS_FIREWALL_ON_WORKLOAD_VPCS,
        (ctx) => {
            for (const [vpc, workloads] of privateWorkloadVpcs(ctx.index, ctx.cfg.tagKeys.tier, ctx.each)) {
                ctx.each(vpc, () => checkVpc(ctx, vpc, workloads));
            }
        },
        readConfig,
    ),
};
