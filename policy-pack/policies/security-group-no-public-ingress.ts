// security-group-no-public-ingress: public ingress reaches Trace only through API Gateway, so no
// security group may admit traffic from the internet: not 0.0.0.0/0 or ::/0, not their split halves
// (0.0.0.0/1 + 128.0.0.0/1), not a single public /32. Sources are judged exactly as the egress
// allowlist judges destinations: each CIDR on its own against `allowedCidrs`, IPv4 and IPv6, and
// prefix lists entry by entry when they are managed in the stack. There is no gateway exception:
// the egress gateways need no inbound internet traffic either.
//
// A stack policy, because a standalone rule names its SG and its prefix list by ids that are unknown
// at preview; both are found through the rule's property dependencies (or the ids when known).

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { CidrVerdict, classifyCidr } from "../lib/cidr";
import { ConfigReader, policyConfigSchema } from "../lib/config";
import { list, show, subjectOf } from "../lib/messages";
import { judgePrefixLists } from "../lib/prefix-lists";
import { asArray, asRecord, asString, asStrings } from "../lib/resources";
import { StackContext, checkedStack } from "../lib/stack-policy";
import { rejectUnknownKeys } from "../lib/strict-config";
import { Presence, UnknownTracker, peekElements, peekValue, presenceOf } from "../lib/unknowns";

export const SECURITY_GROUP_NO_PUBLIC_INGRESS = "security-group-no-public-ingress";

const SG_TYPES = ["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"];
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const SG_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

interface IngressConfig {
    readonly allowedPrefixListIds: readonly string[];
}

type Ctx = StackContext<IngressConfig>;

/** One ingress permission, normalised from the three shapes that can express it. */
interface IngressRule {
    readonly cidrs: readonly string[];
    readonly prefixLists: readonly unknown[];
    /** The input the prefix lists came from, to resolve them through property dependencies. */
    readonly prefixListProperty: string;
    /** " (ingress[2])" for inline rules, "" for standalone ones. */
    readonly at: string;
}

function rule(ctx: Ctx): string {
    return `security groups may admit traffic only from ${list(ctx.cfg.allowedCidrs)} (allowedCidrs); public ingress must come only through API Gateway`;
}

const FIX = "Allow the source security group (or a private CIDR) instead, and publish public endpoints through API Gateway";

function checkRule(ctx: Ctx, r: IngressRule, on: PolicyResource, subject: string, unknowns: UnknownTracker): void {
    for (const cidr of r.cidrs) {
        const verdict = classifyCidr(cidr, ctx.cfg.allowedNetworks);
        if (verdict === CidrVerdict.Outside) {
            ctx.report(on, { subject, finding: `allows ingress from ${cidr}${r.at}`, rule: rule(ctx), fix: FIX });
        } else if (verdict === CidrVerdict.Invalid) {
            ctx.report(on, { subject, finding: `allows ingress from ${show(cidr)}${r.at}, which is not a CIDR`, rule: rule(ctx), fix: "Use a valid private CIDR such as 10.0.0.0/16, or a source security group" });
        }
    }
    judgePrefixLists(ctx, on, r, unknowns, {
        outside: (cidr, list) => ctx.report(on, { subject, finding: `allows ingress from ${show(cidr)} (in prefix list '${list.name}')${r.at}`, rule: rule(ctx), fix: FIX }),
        unverifiable: (id) => ctx.advise(
            on,
            `${subject} allows ingress from prefix list ${show(id)}${r.at}, which is outside this stack and cannot be verified; add it to allowedPrefixListIds if it holds only private ranges`,
        ),
    });
}

function ownerOf(ctx: Ctx, r: PolicyResource): PolicyResource | undefined {
    const known = presenceOf(r.props, "securityGroupId") === Presence.Known && typeof peekValue(r.props, "securityGroupId") === "string" ? [peekValue(r.props, "securityGroupId") as string] : [];
    return ctx.index.references(r, "securityGroupId", SG_TYPES, known)[0];
}

function ruleSubject(r: PolicyResource, owner: PolicyResource | undefined): string {
    return owner === undefined ? subjectOf(r) : `${subjectOf(r)} of ${subjectOf(owner)}`;
}

const schema = policyConfigSchema(["allowedCidrs", "exemptions"], {
    allowedPrefixListIds: {
        type: "array",
        description: "Prefix list ids outside the stack that hold only private ranges.",
        items: { type: "string" },
        default: [],
    },
});

function readConfig(r: ConfigReader): IngressConfig {
    rejectUnknownKeys(r, schema);
    const ids = r.stringArray("allowedPrefixListIds", []);
    for (const id of ids.filter((i) => !/^pl-[0-9a-f]+$/.test(i))) {
        r.problems.push(`allowedPrefixListIds contains ${JSON.stringify(id)}, which is not a prefix list id (pl-...)`);
    }
    return { allowedPrefixListIds: ids };
}

export const securityGroupNoPublicIngress: StackValidationPolicy = {
    name: SECURITY_GROUP_NO_PUBLIC_INGRESS,
    description:
        "Forbids security group ingress from 0.0.0.0/0, ::/0 or any CIDR outside allowedCidrs: inline ingress (also of the default SG), aws.ec2.SecurityGroupRule and aws.vpc.SecurityGroupIngressRule.",
    enforcementLevel: "mandatory",
    configSchema: schema,
    validateStack: checkedStack(
        SECURITY_GROUP_NO_PUBLIC_INGRESS,
        (ctx) => {
            for (const sg of ctx.index.ofType(...SG_TYPES)) {
                ctx.each(sg, () => {
                    const unknowns = new UnknownTracker();
                    unknowns.check(() => {
                        asArray(sg.props["ingress"]).forEach((e, i) => {
                            unknowns.check(() => {
                                const r = asRecord(e);
                                if (r === undefined) {
                                    return;
                                }
                                const at = ` (ingress[${i}])`;
                                const cidrs = [...asStrings(r["cidrBlocks"]), ...asStrings(r["ipv6CidrBlocks"])];
                                checkRule(ctx, { cidrs, prefixLists: peekElements(r["prefixListIds"]), prefixListProperty: "ingress", at }, sg, subjectOf(sg), unknowns);
                            });
                        });
                    });
                    unknowns.rethrow();
                });
            }
            for (const r of ctx.index.ofType(SG_RULE)) {
                ctx.each(r, () => {
                    if (asString(r.props["type"]) !== "ingress") {
                        return;
                    }
                    const unknowns = new UnknownTracker();
                    const cidrs: string[] = [];
                    for (const key of ["cidrBlocks", "ipv6CidrBlocks"]) {
                        unknowns.check(() => cidrs.push(...asStrings(r.props[key])));
                    }
                    const rule: IngressRule = { cidrs, prefixLists: peekElements(r.props["prefixListIds"]), prefixListProperty: "prefixListIds", at: "" };
                    checkRule(ctx, rule, r, ruleSubject(r, ownerOf(ctx, r)), unknowns);
                    unknowns.rethrow();
                });
            }
            for (const r of ctx.index.ofType(SG_INGRESS_RULE)) {
                ctx.each(r, () => {
                    const unknowns = new UnknownTracker();
                    const cidrs: string[] = [];
                    for (const key of ["cidrIpv4", "cidrIpv6"]) {
                        unknowns.check(() => {
                            const c = asString(r.props[key]);
                            if (c !== undefined && c !== "") {
                                cidrs.push(c);
                            }
                        });
                    }
                    const prefixLists = presenceOf(r.props, "prefixListId") === Presence.Absent ? [] : [peekValue(r.props, "prefixListId")];
                    checkRule(ctx, { cidrs, prefixLists, prefixListProperty: "prefixListId", at: "" }, r, ruleSubject(r, ownerOf(ctx, r)), unknowns);
                    unknowns.rethrow();
                });
            }
        },
        readConfig,
    ),
};
