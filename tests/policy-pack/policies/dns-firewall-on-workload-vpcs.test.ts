import { expect } from "chai";

import {
    ASSOCIATION,
    DNS_FIREWALL_ON_WORKLOAD_VPCS,
    DOMAIN_LIST,
    FIREWALL_CONFIG,
    FIREWALL_RULE,
    RULE_GROUP,
    dnsFirewallOnWorkloadVpcs,
} from "../../../policy-pack/policies/dns-firewall-on-workload-vpcs";
import { HarnessResource, RunOptions, runStackPolicy, urnOf } from "../../helpers/policy-harness";
import { U, rejection, stackFindings } from "../support";

const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const RULE =
    'a VPC hosting private workloads needs a Route 53 Resolver DNS Firewall rule group whose first rule matching every name (domain list ["*"]) blocks or alerts, so that only the names it allows resolve, and must not fail open';
const FIX_BLOCK =
    'Associate an aws.route53.ResolverFirewallRuleGroup with the VPC whose rules ALLOW a domain list of the names the workloads need and then BLOCK (blockResponse "NXDOMAIN") a domain list of ["*"] at a higher priority number.';
const WORKLOADS = "VPC 'vpc' hosts private workloads (subnet 'app-a' (tier app))";

function res(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): HarnessResource {
    return { type, name, props, propertyDependencies, dependencies: Object.values(propertyDependencies).flat() };
}

interface Parts {
    allow?: Record<string, unknown>;
    block?: Record<string, unknown>;
    allowed?: Record<string, unknown>;
    association?: Record<string, unknown>;
    config?: Record<string, unknown>;
}

/** The program's shape. Preview: links by property dependencies, ids unknown. Plan: by known ids. */
function stack(plan: boolean, parts: Parts = {}): HarnessResource[] {
    const id = (v: string) => (plan ? v : U);
    const deps = (d: Record<string, string[]>) => (plan ? {} : d);
    const rule = (name: string, list: string, props: Record<string, unknown>) =>
        res(FIREWALL_RULE, name, { firewallRuleGroupId: id("rslvr-frg-1"), firewallDomainListId: id(`rslvr-fdl-${list}`), ...props }, deps({ firewallRuleGroupId: [urnOf(RULE_GROUP, "dns")], firewallDomainListId: [urnOf(DOMAIN_LIST, list)] }));
    return [
        res(VPC, "vpc", { cidrBlock: "10.20.0.0/16", id: id("vpc-1") }),
        res(SUBNET, "app-a", { vpcId: id("vpc-1"), tags: { "trace:tier": "app" } }, deps({ vpcId: [urnOf(VPC, "vpc")] })),
        res(DOMAIN_LIST, "allowed", { domains: ["*.eu-west-1.amazonaws.com", "*.dev.trace.internal"], id: id("rslvr-fdl-allowed"), ...parts.allowed }),
        res(DOMAIN_LIST, "everything", { domains: ["*"], id: id("rslvr-fdl-everything") }),
        res(RULE_GROUP, "dns", { id: id("rslvr-frg-1") }),
        rule("allow", "allowed", { action: "ALLOW", priority: 100, ...parts.allow }),
        rule("block", "everything", { action: "BLOCK", blockResponse: "NXDOMAIN", priority: 200, ...parts.block }),
        res(ASSOCIATION, "dns", { vpcId: id("vpc-1"), firewallRuleGroupId: id("rslvr-frg-1"), priority: 101, ...parts.association }, deps({ vpcId: [urnOf(VPC, "vpc")], firewallRuleGroupId: [urnOf(RULE_GROUP, "dns")] })),
        res(FIREWALL_CONFIG, "dns", { resourceId: id("vpc-1"), firewallFailOpen: "DISABLED", ...parts.config }, deps({ resourceId: [urnOf(VPC, "vpc")] })),
    ];
}

async function run(resources: HarnessResource[], opts: RunOptions = {}) {
    return stackFindings(await runStackPolicy(dnsFirewallOnWorkloadVpcs, resources, opts));
}

const finding = (what: string, fix = FIX_BLOCK) => ["advisory", urnOf(VPC, "vpc"), `${WORKLOADS} but ${what}; ${RULE}. ${fix}`];

describe("dns-firewall-on-workload-vpcs", () => {
    for (const plan of [false, true]) {
        const mode = plan ? "plan" : "preview";
        it(`${mode}: passes a workload VPC whose associated rule group allows a list, then blocks "*", failing closed`, async () => {
            expect(await run(stack(plan))).to.deep.equal([]);
        });

        it(`${mode}: passes a catch-all that only alerts ("at least alerts on everything else")`, async () => {
            expect(await run(stack(plan, { block: { action: "ALERT" } }))).to.deep.equal([]);
        });

        it(`${mode}: reports a workload VPC with no rule group associated`, async () => {
            expect(await run(stack(plan).filter((r) => r.type !== ASSOCIATION))).to.deep.equal([finding("no Route 53 Resolver DNS Firewall rule group is associated with it")]);
        });

        it(`${mode}: reports a rule group whose only rules allow a list (nothing blocks the rest)`, async () => {
            expect(await run(stack(plan).filter((r) => r.name !== "block"))).to.deep.equal([
                finding("no rule of its DNS Firewall rule groups (Route 53 Resolver DNS Firewall rule 'allow') blocks or alerts on every other name"),
            ]);
        });

        it(`${mode}: reports an ALLOW of every name, or of a whole top-level domain, that comes before the block`, async () => {
            const star = await run(stack(plan, { allowed: { domains: ["*"] } }));
            const tld = await run(stack(plan, { allowed: { domains: ["*.trace.internal", "*.com"] } }));
            const fix = "Replace the broad domain in Route 53 Resolver DNS Firewall rule 'allow''s domain list with the names the workloads need, and BLOCK [\"*\"] after it.";
            expect(star).to.deep.equal([finding("Route 53 Resolver DNS Firewall rule 'allow' ALLOWs every name (domain *) before anything blocks", fix)]);
            expect(tld).to.deep.equal([finding("Route 53 Resolver DNS Firewall rule 'allow' ALLOWs every name (domain *.com) before anything blocks", fix)]);
        });

        it(`${mode}: passes a broad ALLOW placed after the block (never reached), and reports the block placed after it`, async () => {
            expect(await run(stack(plan, { allowed: { domains: ["*"] }, allow: { priority: 300 } }))).to.deep.equal([]);
            expect((await run(stack(plan, { allowed: { domains: ["*"] }, block: { priority: 50 }, allow: { priority: 60 } }))).length).to.equal(0);
            expect((await run(stack(plan, { allowed: { domains: ["*"] }, block: { priority: 300 } }))).length).to.equal(1);
        });

        it(`${mode}: reports a block of "*" limited to one query type (TXT queries would still leave)`, async () => {
            expect(await run(stack(plan, { block: { qType: "A" } }))).to.deep.equal([
                finding("no rule of its DNS Firewall rule groups (Route 53 Resolver DNS Firewall rule 'allow', Route 53 Resolver DNS Firewall rule 'block') blocks or alerts on every other name"),
            ]);
        });

        it(`${mode}: reports a firewall that fails open`, async () => {
            expect(await run(stack(plan, { config: { firewallFailOpen: "ENABLED" } }))).to.deep.equal([
                finding("its DNS Firewall fails open (Route 53 Resolver DNS Firewall config 'dns' has firewallFailOpen ENABLED)", 'Set firewallFailOpen: "DISABLED" on Route 53 Resolver DNS Firewall config \'dns\'.'),
            ]);
        });
    }

    it("preview: an unknown action or domain list defers only when it could decide the verdict", async () => {
        const deferred = (rule: string) => [
            ["advisory", urnOf(VPC, "vpc"), `can't fully check VPC 'vpc' during preview: string value at .action, priority or domains of Route 53 Resolver DNS Firewall rule '${rule}' can't be known during preview; it is checked again when the value is known`],
        ];
        // An allow list not known yet, after the block of "*": whatever it holds, it is never reached.
        expect(await run(stack(false, { allowed: { domains: U }, allow: { priority: 300 } }))).to.deep.equal([]);
        // Before the block it could hold "*": deferred.
        expect(await run(stack(false, { allowed: { domains: U } }))).to.deep.equal(deferred("allow"));
        // An unknown action on the catch-all could be BLOCK or ALLOW: deferred.
        expect(await run(stack(false, { block: { action: U } }))).to.deep.equal(deferred("block"));
        // An unknown action on a rule of a narrow list cannot matter: still no catch-all, reported.
        expect(await run(stack(false, { allow: { action: U } }).filter((r) => r.name !== "block"))).to.deep.equal([
            finding("no rule of its DNS Firewall rule groups (Route 53 Resolver DNS Firewall rule 'allow') blocks or alerts on every other name"),
        ]);
        // An unknown priority on the broad ALLOW could put it before the block: deferred.
        expect((await run(stack(false, { allowed: { domains: ["*"] }, allow: { priority: U } })))[0]?.[0]).to.equal("advisory");
    });

    it("does not judge a VPC without private workloads, honours exemptions and team tag keys", async () => {
        const noWorkloads = stack(true).filter((r) => r.type !== SUBNET && r.type !== ASSOCIATION);
        expect(await run(noWorkloads)).to.deep.equal([]);
        const bare = stack(true).filter((r) => r.type !== ASSOCIATION);
        expect(await run(bare, { config: { exemptions: [{ resource: "vpc", reason: "sandbox VPC without untrusted code" }] } })).to.deep.equal([]);
        expect(await run(bare, { config: { tagKeys: { tier: "team:tier" } } })).to.deep.equal([]);
    });

    it("is mandatory when the config says so, and rejects an unknown key naming the policy's keys", async () => {
        const bare = stack(true).filter((r) => r.type !== ASSOCIATION);
        expect((await run(bare, { enforcementLevel: "mandatory" })).map((f) => f[0])).to.deep.equal(["mandatory"]);
        const message = await rejection(run(bare, { config: { allowedDomains: ["x"] } }));
        expect(message).to.contain(`invalid config for policy '${DNS_FIREWALL_ON_WORKLOAD_VPCS}': allowedDomains is not a config key of this policy (its keys: enforcementLevel, tagKeys, exemptions)`);
    });
});
