import { expect } from "chai";

import { SECURITY_GROUP_NO_PUBLIC_INGRESS, securityGroupNoPublicIngress } from "../../../policy-pack/policies/security-group-no-public-ingress";
import { HarnessResource, RunOptions, runStackPolicy, urnOf } from "../../helpers/policy-harness";
import { U, rejection, stackFindings } from "../support";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const RULE_T = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS_T = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const PL = "aws:ec2/managedPrefixList:ManagedPrefixList";

const RULE = "security groups may admit traffic only from 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (allowedCidrs); public ingress must come only through API Gateway";
const FIX = "Allow the source security group (or a private CIDR) instead, and publish public endpoints through API Gateway.";

function res(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): HarnessResource {
    return { type, name, props, propertyDependencies, dependencies: Object.values(propertyDependencies).flat() };
}

/** The stack in preview form (ids unknown, links by property dependencies) or plan form (ids known). */
function stack(plan: boolean): HarnessResource[] {
    const id = (v: string) => (plan ? v : U);
    return [
        res(SG, "services", { id: id("sg-svc"), ingress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: [id("sg-jobs")] }, { protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["10.20.0.0/16"] }] }),
        res(DEFAULT_SG, "default", { id: id("sg-default"), vpcId: id("vpc-1"), ingress: [] }),
        res(PL, "partners", { id: id("pl-0aa"), entries: [{ cidr: "10.99.0.0/16" }] }),
        res(RULE_T, "db-from-svc", { type: "ingress", securityGroupId: id("sg-svc"), protocol: "tcp", fromPort: 5432, toPort: 5432, sourceSecurityGroupId: id("sg-jobs") }, plan ? {} : { securityGroupId: [urnOf(SG, "services")] }),
        res(RULE_T, "svc-egress", { type: "egress", securityGroupId: id("sg-svc"), protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }),
        res(INGRESS_T, "from-partners", { securityGroupId: id("sg-svc"), ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: id("pl-0aa") }, plan ? {} : { securityGroupId: [urnOf(SG, "services")], prefixListId: [urnOf(PL, "partners")] }),
    ];
}

async function run(resources: HarnessResource[], opts: RunOptions = {}) {
    return stackFindings(await runStackPolicy(securityGroupNoPublicIngress, resources, opts));
}

describe("security-group-no-public-ingress", () => {
    for (const plan of [false, true]) {
        const mode = plan ? "plan" : "preview";
        it(`${mode}: passes the baseline (SG and prefix-list sources, private CIDRs, egress rules ignored)`, async () => {
            expect(await run(stack(plan))).to.deep.equal([]);
        });

        it(`${mode}: reports 0.0.0.0/0, ::/0, split halves and a public /32 in inline ingress, one finding each`, async () => {
            const open = res(SG, "web", { id: plan ? "sg-web" : U, ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1", "10.0.0.0/8"], ipv6CidrBlocks: ["::/0"] }, { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0", "203.0.113.7/32"] }] });
            const out = await run([...stack(plan), open]);
            const at = (c: string, i: number) => ["mandatory", urnOf(SG, "web"), `security group 'web' allows ingress from ${c} (ingress[${i}]); ${RULE}. ${FIX}`];
            expect(out).to.deep.equal([at("0.0.0.0/1", 0), at("128.0.0.0/1", 0), at("::/0", 0), at("0.0.0.0/0", 1), at("203.0.113.7/32", 1)]);
        });

        it(`${mode}: reports the default SG, an ingress SecurityGroupRule and a vpc.SecurityGroupIngressRule, named with their SG`, async () => {
            const deps = (d: Record<string, string[]>) => (plan ? {} : d);
            const out = await run([
                ...stack(plan).filter((r) => r.name !== "default"),
                res(DEFAULT_SG, "default", { id: plan ? "sg-default" : U, ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }),
                res(RULE_T, "ssh", { type: "ingress", securityGroupId: plan ? "sg-svc" : U, protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["198.51.100.0/24"] }, deps({ securityGroupId: [urnOf(SG, "services")] })),
                res(INGRESS_T, "v6", { securityGroupId: plan ? "sg-svc" : U, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" }, deps({ securityGroupId: [urnOf(SG, "services")] })),
            ]);
            expect(out).to.deep.equal([
                ["mandatory", urnOf(DEFAULT_SG, "default"), `default security group 'default' allows ingress from 0.0.0.0/0 (ingress[0]); ${RULE}. ${FIX}`],
                ["mandatory", urnOf(RULE_T, "ssh"), `security group rule 'ssh' of security group 'services' allows ingress from 198.51.100.0/24; ${RULE}. ${FIX}`],
                ["mandatory", urnOf(INGRESS_T, "v6"), `security group ingress rule 'v6' of security group 'services' allows ingress from ::/0; ${RULE}. ${FIX}`],
            ]);
        });

        it(`${mode}: judges an in-stack managed prefix list entry by entry`, async () => {
            const out = await run([...stack(plan).filter((r) => r.name !== "partners"), res(PL, "partners", { id: plan ? "pl-0aa" : U, entries: [{ cidr: "10.99.0.0/16" }, { cidr: "0.0.0.0/0" }] })]);
            expect(out).to.deep.equal([
                ["mandatory", urnOf(INGRESS_T, "from-partners"), `security group ingress rule 'from-partners' of security group 'services' allows ingress from 0.0.0.0/0 (in prefix list 'partners'); ${RULE}. ${FIX}`],
            ]);
        });
    }

    it("calls a prefix list outside the stack advisory unless allowed, and reports a source that is not a CIDR", async () => {
        const ext = res(INGRESS_T, "ext", { securityGroupId: "sg-svc", ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-0bb" });
        const junk = res(RULE_T, "junk", { type: "ingress", securityGroupId: "sg-svc", protocol: "tcp", fromPort: 1, toPort: 1, cidrBlocks: ["anywhere"] });
        const out = await run([...stack(true), ext, junk]);
        expect(out).to.deep.equal([
            ["mandatory", urnOf(RULE_T, "junk"), `security group rule 'junk' of security group 'services' allows ingress from anywhere, which is not a CIDR; ${RULE}. Use a valid private CIDR such as 10.0.0.0/16, or a source security group.`],
            ["advisory", urnOf(INGRESS_T, "ext"), "security group ingress rule 'ext' of security group 'services' allows ingress from prefix list pl-0bb, which is outside this stack and cannot be verified; add it to allowedPrefixListIds if it holds only private ranges"],
        ]);
        expect(await run([...stack(true), ext], { config: { allowedPrefixListIds: ["pl-0bb"] } })).to.deep.equal([]);
    });

    it("uses the team's allowedCidrs in the verdict and the message", async () => {
        const cgnat = res(SG, "cgnat", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["100.64.1.0/24", "172.16.0.0/16"] }] });
        const out = await run([...stack(true), cgnat], { config: { allowedCidrs: ["10.0.0.0/8", "100.64.0.0/10"] } });
        expect(out).to.deep.equal([
            [
                "mandatory",
                urnOf(SG, "cgnat"),
                `security group 'cgnat' allows ingress from 172.16.0.0/16 (ingress[0]); security groups may admit traffic only from 10.0.0.0/8, 100.64.0.0/10 (allowedCidrs); public ingress must come only through API Gateway. ${FIX}`,
            ],
        ]);
    });

    it("defers a source CIDR or prefix list unknown at preview, keeping definite findings", async () => {
        const out = await run([
            ...stack(false),
            res(SG, "later", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [U] }, { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] }] }),
            res(INGRESS_T, "pl-later", { securityGroupId: U, ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: U }),
        ]);
        expect(out.map(([level, urn, msg]) => [level, urn, msg.split(";")[0]])).to.deep.equal([
            ["mandatory", urnOf(SG, "later"), "security group 'later' allows ingress from 0.0.0.0/0 (ingress[1])"],
            ["advisory", urnOf(SG, "later"), "can't fully check security group 'later' during preview: string value at .ingress.0.cidrBlocks.0 can't be known during preview"],
            ["advisory", urnOf(INGRESS_T, "pl-later"), "can't fully check security group ingress rule 'pl-later' during preview: string value at .prefixListId can't be known during preview"],
        ]);
    });

    it("rejects an unknown config key and a prefix list id that is not one, in the policy's reader", async () => {
        const unknownKey = await rejection(runStackPolicy(securityGroupNoPublicIngress, [], { config: { allowedCidr: ["10.0.0.0/8"] } }));
        const badId = await rejection(runStackPolicy(securityGroupNoPublicIngress, [], { config: { allowedPrefixListIds: ["sg-1"] } }));
        expect(unknownKey).to.contain(`invalid config for policy '${SECURITY_GROUP_NO_PUBLIC_INGRESS}': allowedCidr is not a config key of this policy (did you mean allowedCidrs?)`);
        expect(badId).to.contain(`PackConfigError: invalid config for policy '${SECURITY_GROUP_NO_PUBLIC_INGRESS}': allowedPrefixListIds contains "sg-1", which is not a prefix list id (pl-...)\n`);
    });
});
