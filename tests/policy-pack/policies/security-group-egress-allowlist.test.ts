import { expect } from "chai";

import { SECURITY_GROUP_EGRESS_ALLOWLIST, securityGroupEgressAllowlist } from "../../../policy-pack/policies/security-group-egress-allowlist";
import { HarnessResource, RunOptions, runStackPolicy, urnOf } from "../../helpers/policy-harness";
import { U, stackFindings } from "../support";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

const RULE = "only egress gateways (tag trace:egress-gateway=rpc|webhook) may reach addresses outside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16";
const FIX = "Route the call through the webhook gateway instead, or target a security group, VPC endpoint or private CIDR.";

function res(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): HarnessResource {
    return { type, name, props, propertyDependencies, dependencies: Object.values(propertyDependencies).flat() };
}

const vpc = res("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" });
const endpointsSg = res(SG, "endpoints", { vpcId: U, tags: { "trace:trust": "service" } }, { vpcId: [urnOf("aws:ec2/vpc:Vpc", "vpc")] });
const s3 = res("aws:ec2/vpcEndpoint:VpcEndpoint", "s3", { vpcId: U, serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "Gateway" });
const privateList = res("aws:ec2/managedPrefixList:ManagedPrefixList", "partners", { addressFamily: "IPv4", maxEntries: 2, entries: [{ cidr: "10.20.0.0/16" }] });
const jobs = (egress: unknown[], tags: Record<string, string> = { "trace:trust": "untrusted" }) =>
    res(SG, "jobs", { vpcId: U, tags, egress }, { egress: [urnOf(SG, "endpoints"), urnOf("aws:ec2/vpcEndpoint:VpcEndpoint", "s3"), urnOf(privateList.type, "partners")] });
const jobsEgress = [
    { protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: [U] },
    { protocol: "tcp", fromPort: 443, toPort: 443, prefixListIds: [U] },
    { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.32.0/20"] },
];
const webhookSg = res(SG, "webhook", { vpcId: U, tags: { "trace:egress-gateway": "webhook" } });
const gatewayRule = (name: string, props: Record<string, unknown>, sg = "webhook") =>
    res(EGRESS_RULE, name, { securityGroupId: U, ipProtocol: "tcp", fromPort: 443, toPort: 443, ...props }, { securityGroupId: [urnOf(SG, sg)] });
/** A standalone rule; `sg` null means its security group is not a resource of the stack. */
const sgRule = (name: string, props: Record<string, unknown>, sg: string | null = "jobs") =>
    res(SG_RULE, name, { securityGroupId: U, protocol: "tcp", fromPort: 443, toPort: 443, ...props }, sg === null ? {} : { securityGroupId: [urnOf(SG, sg)] });

const baseline: HarnessResource[] = [
    vpc,
    endpointsSg,
    s3,
    privateList,
    jobs(jobsEgress),
    webhookSg,
    gatewayRule("webhook-out-v4", { cidrIpv4: "0.0.0.0/0" }),
    gatewayRule("webhook-out-v6", { cidrIpv6: "::/0" }),
    gatewayRule("webhook-to-endpoints", { referencedSecurityGroupId: U }),
    sgRule("jobs-to-db", { type: "egress", cidrBlocks: ["172.16.5.0/24"], fromPort: 5432, toPort: 5432 }),
    sgRule("jobs-in-any", { type: "ingress", cidrBlocks: ["0.0.0.0/0"] }),
];

async function run(resources: HarnessResource[], opts: RunOptions = {}) {
    return stackFindings(await runStackPolicy(securityGroupEgressAllowlist, resources, opts));
}

/** The baseline with `name` replaced (or added when absent). */
function withResource(r: HarnessResource): HarnessResource[] {
    const i = baseline.findIndex((b) => b.type === r.type && b.name === r.name);
    return i === -1 ? [...baseline, r] : baseline.map((b, j) => (j === i ? r : b));
}

describe("security-group-egress-allowlist", () => {
    it("passes the compliant baseline: SG targets, the S3 endpoint prefix list, private CIDRs, gateway rules on 443", async () => {
        const out = await runStackPolicy(securityGroupEgressAllowlist, baseline);
        expect(out.diagnostics).to.deep.equal([]);
        expect(out.notApplicable).to.deep.equal([]);
    });

    it("reports inline egress to 0.0.0.0/0 from a workload SG, attributed to the SG", async () => {
        const out = await run(withResource(jobs([...jobsEgress, { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }])));
        expect(out).to.deep.equal([["mandatory", urnOf(SG, "jobs"), `security group 'jobs' allows egress to 0.0.0.0/0 on tcp 443 (egress[3]); ${RULE}. ${FIX}`]]);
    });

    it("reports inline IPv6 egress to ::/0 with all protocols", async () => {
        const out = await run(withResource(jobs([...jobsEgress, { protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }])));
        expect(out).to.deep.equal([["mandatory", urnOf(SG, "jobs"), `security group 'jobs' allows egress to ::/0 on all protocols and ports (egress[3]); ${RULE}. ${FIX}`]]);
    });

    it("reports each half of a split default route (0.0.0.0/1 + 128.0.0.0/1)", async () => {
        const out = await run(withResource(jobs([{ protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] }])));
        expect(out).to.deep.equal([
            ["mandatory", urnOf(SG, "jobs"), `security group 'jobs' allows egress to 0.0.0.0/1 on tcp 0-65535 (egress[0]); ${RULE}. ${FIX}`],
            ["mandatory", urnOf(SG, "jobs"), `security group 'jobs' allows egress to 128.0.0.0/1 on tcp 0-65535 (egress[0]); ${RULE}. ${FIX}`],
        ]);
    });

    it("reports a public /32 in an aws.ec2.SecurityGroupRule of type egress, naming the rule and its SG", async () => {
        const out = await run(withResource(sgRule("jobs-dns", { type: "egress", protocol: "udp", fromPort: 53, toPort: 53, cidrBlocks: ["8.8.8.8/32"] })));
        expect(out).to.deep.equal([
            [
                "mandatory",
                urnOf(SG_RULE, "jobs-dns"),
                `security group rule 'jobs-dns' of security group 'jobs' allows egress to 8.8.8.8/32 on udp 53; ${RULE}. ${FIX}`,
            ],
        ]);
    });

    it("reports an aws.vpc.SecurityGroupEgressRule on a workload SG (SG found through property dependencies)", async () => {
        const out = await run(withResource(gatewayRule("jobs-out", { cidrIpv4: "1.2.3.0/24" }, "jobs")));
        expect(out).to.deep.equal([
            [
                "mandatory",
                urnOf(EGRESS_RULE, "jobs-out"),
                `security group egress rule 'jobs-out' of security group 'jobs' allows egress to 1.2.3.0/24 on tcp 443; ${RULE}. ${FIX}`,
            ],
        ]);
    });

    it("limits an egress gateway to its ports: port 80 and all-protocol rules are reported", async () => {
        const out = await run([
            ...baseline,
            gatewayRule("webhook-http", { cidrIpv4: "0.0.0.0/0", fromPort: 80, toPort: 80 }),
            gatewayRule("webhook-all", { cidrIpv6: "::/0", ipProtocol: "-1", fromPort: -1, toPort: -1 }),
        ]);
        const rule = (proto: string) => `egress gateway 'webhook' may reach addresses outside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 only on ${proto} 443`;
        const fix = "Narrow the rule to port 443, or change egressGatewayPorts.webhook in the pack config.";
        expect(out).to.deep.equal([
            ["mandatory", urnOf(EGRESS_RULE, "webhook-http"), `security group egress rule 'webhook-http' of security group 'webhook' allows egress to 0.0.0.0/0 on tcp 80; ${rule("tcp")}. ${fix}`],
            [
                "mandatory",
                urnOf(EGRESS_RULE, "webhook-all"),
                `security group egress rule 'webhook-all' of security group 'webhook' allows egress to ::/0 on all protocols and ports; ${rule("tcp/udp")}. ${fix}`,
            ],
        ]);
    });

    it("does not treat an unconfigured gateway kind as a gateway", async () => {
        const smtp = res(SG, "webhook", { vpcId: U, tags: { "trace:egress-gateway": "smtp" } });
        const out = await run(withResource(smtp));
        const why = "(its trace:egress-gateway tag smtp is not a configured gateway kind)";
        expect(out).to.deep.equal([
            [
                "mandatory",
                urnOf(EGRESS_RULE, "webhook-out-v4"),
                `security group egress rule 'webhook-out-v4' of security group 'webhook' allows egress to 0.0.0.0/0 on tcp 443 ${why}; ${RULE}. ${FIX}`,
            ],
            [
                "mandatory",
                urnOf(EGRESS_RULE, "webhook-out-v6"),
                `security group egress rule 'webhook-out-v6' of security group 'webhook' allows egress to ::/0 on tcp 443 ${why}; ${RULE}. ${FIX}`,
            ],
        ]);
    });

    it("reports public egress added to a security group outside the stack, which cannot be shown to be a gateway", async () => {
        const out = await run([...baseline, sgRule("foreign", { type: "egress", securityGroupId: "sg-0ext", cidrBlocks: ["0.0.0.0/0"] }, null)]);
        expect(out).to.deep.equal([
            [
                "mandatory",
                urnOf(SG_RULE, "foreign"),
                `security group rule 'foreign' allows egress to 0.0.0.0/0 on tcp 443 (its security group is outside this stack, so it cannot be shown to be an egress gateway); ${RULE}. ${FIX}`,
            ],
        ]);
    });

    it("resolves a rule's SG by its known id in plan mode, without property dependencies", async () => {
        const sg = res(SG, "webhook", { id: "sg-0web", vpcId: "vpc-1", tags: { "trace:egress-gateway": "webhook" } });
        const rule = res(EGRESS_RULE, "web-out", { securityGroupId: "sg-0web", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
        expect(await run([sg, rule])).to.deep.equal([]);
    });

    it("checks in-stack managed prefix lists entry by entry", async () => {
        const list = res("aws:ec2/managedPrefixList:ManagedPrefixList", "partners", { entries: [{ cidr: "10.20.0.0/16" }, { cidr: "1.1.1.1/32" }] });
        const out = await run(withResource(list));
        expect(out).to.deep.equal([
            ["mandatory", urnOf(SG, "jobs"), `security group 'jobs' allows egress to 1.1.1.1/32 (in prefix list 'partners') on tcp 443 (egress[1]); ${RULE}. ${FIX}`],
        ]);
    });

    it("cannot verify a prefix list outside the stack (advisory) unless it is allowlisted in config", async () => {
        const extra = sgRule("jobs-pl", { type: "egress", prefixListIds: ["pl-6da54004"] });
        const advisory = await run([...baseline, extra]);
        const allowed = await run([...baseline, extra], { config: { allowedPrefixListIds: ["pl-6da54004"] } });
        expect(advisory).to.deep.equal([
            [
                "advisory",
                urnOf(SG_RULE, "jobs-pl"),
                "security group rule 'jobs-pl' of security group 'jobs' allows egress to prefix list pl-6da54004, which is outside this stack and cannot be verified; add it to allowedPrefixListIds if it holds only AWS service or private ranges",
            ],
        ]);
        expect(allowed).to.deep.equal([]);
    });

    it("reports a destination that is not a CIDR", async () => {
        const out = await run(withResource(jobs([{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["example.com"] }])));
        expect(out).to.deep.equal([
            [
                "mandatory",
                urnOf(SG, "jobs"),
                "security group 'jobs' allows egress to example.com (egress[0]), which is not a CIDR; egress destinations must be provably inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (or the SG an egress gateway). Use a valid CIDR such as 10.0.0.0/16.",
            ],
        ]);
    });

    it("reports the definite findings of an SG and an advisory for its rules that are unknown at preview", async () => {
        const out = await run(
            withResource(
                jobs([
                    { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: U },
                    { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
                ]),
            ),
        );
        expect(out).to.deep.equal([
            ["mandatory", urnOf(SG, "jobs"), `security group 'jobs' allows egress to 0.0.0.0/0 on tcp 443 (egress[1]); ${RULE}. ${FIX}`],
            [
                "advisory",
                urnOf(SG, "jobs"),
                "can't fully check security group 'jobs' during preview: string value at .egress.0.cidrBlocks can't be known during preview; it is checked again when the value is known",
            ],
        ]);
    });

    it("takes a team's allowlist, IPv6 included", async () => {
        const team = jobs([{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["100.64.1.0/24"], ipv6CidrBlocks: ["fd12:3456::/64", "2001:db8::/32"] }]);
        const out = await run(withResource(team), { config: { allowedCidrs: ["10.0.0.0/8", "172.16.0.0/12", "100.64.0.0/10", "fd00::/8"] } });
        expect(out).to.deep.equal([
            [
                "mandatory",
                urnOf(SG, "jobs"),
                `security group 'jobs' allows egress to 2001:db8::/32 on tcp 443 (egress[0]); only egress gateways (tag trace:egress-gateway=rpc|webhook) may reach addresses outside 10.0.0.0/8, 172.16.0.0/12, 100.64.0.0/10, fd00::/8. ${FIX}`,
            ],
        ]);
    });

    it("covers the VPC's default security group", async () => {
        const dflt = res("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "default", { vpcId: U, egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] });
        const out = await run([...baseline, dflt]);
        expect(out).to.deep.equal([
            [
                "mandatory",
                urnOf(dflt.type, "default"),
                `default security group 'default' allows egress to 0.0.0.0/0 on all protocols and ports (egress[0]); ${RULE}. ${FIX}`,
            ],
        ]);
    });

    it("skips exempted resources only", async () => {
        const rules = [sgRule("legacy-out", { type: "egress", cidrBlocks: ["0.0.0.0/0"] }), sgRule("new-out", { type: "egress", cidrBlocks: ["0.0.0.0/0"] })];
        const out = await run([...baseline, ...rules], { config: { exemptions: [{ resource: "legacy-*", reason: "vendor SFTP until Q3" }] } });
        expect(out.map(([, urn]) => urn)).to.deep.equal([urnOf(SG_RULE, "new-out")]);
        expect(out[0][0]).to.equal("mandatory");
    });

    it("names the policy on every finding", async () => {
        const out = await runStackPolicy(securityGroupEgressAllowlist, withResource(jobs([{ protocol: "tcp", fromPort: 1, toPort: 1, cidrBlocks: ["0.0.0.0/0"] }])));
        expect(out.diagnostics.map((d) => d.policyName)).to.deep.equal([SECURITY_GROUP_EGRESS_ALLOWLIST]);
    });
});
