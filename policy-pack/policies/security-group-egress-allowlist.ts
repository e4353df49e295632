// security-group-egress-allowlist: SG egress is an allowlist. Outside the two egress gateways, no SG
// may reach an address outside the allowed (private) CIDRs: not 0.0.0.0/0 or ::/0, not their split
// halves (0.0.0.0/1 + 128.0.0.0/1), not a single public /32. Each CIDR is judged on its own, so no
// combination of ranges slips through. Gateways may reach the internet, but only on their ports.
//
// A stack policy: a standalone rule (aws.ec2.SecurityGroupRule, aws.vpc.SecurityGroupEgressRule)
// only names its SG by id, which is unknown at preview, so the SG (and its egress-gateway tag) is
// found through the rule's property dependencies, or its id when known.

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { CidrVerdict, classifyCidr } from "../lib/cidr";
import { ConfigReader, SharedConfig, awsIdPattern, policyConfigSchema } from "../lib/config";
import { GatewayInfo, GatewayStatus, gatewayForCalls, gatewayInfo, gatewayTagText } from "../lib/gateways";
import { list, show, subjectOf } from "../lib/messages";
import { judgePrefixLists } from "../lib/prefix-lists";
import { asArray, asNumber, asRecord, asString, asStrings } from "../lib/resources";
import { StackContext, checkedStack } from "../lib/stack-policy";
import { Presence, UnknownTracker, peekElements, peekValue, presenceOf } from "../lib/unknowns";

export const SECURITY_GROUP_EGRESS_ALLOWLIST = "security-group-egress-allowlist";

export const SG_TYPES = ["aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"];
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const SG_EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

interface EgressConfig {
    /** Prefix lists outside the stack known to hold only AWS service or private ranges (e.g. the S3 list). */
    readonly allowedPrefixListIds: readonly string[];
}

type Ctx = StackContext<EgressConfig>;

/** One egress permission, normalised from the three shapes that can express it. */
interface EgressRule {
    readonly protocol: string;
    readonly fromPort: number | undefined;
    readonly toPort: number | undefined;
    readonly cidrs: readonly string[];
    /** Prefix list ids as given (possibly unknown at preview). */
    readonly prefixLists: readonly unknown[];
    /** The input property the prefix lists came from, to resolve them through property dependencies. */
    readonly prefixListProperty: string;
    /** "egress[2]" for inline rules, "" for standalone ones. */
    readonly where: string;
}

const ALL_PROTOCOLS = new Set(["-1", "all"]);
const PORT_PROTOCOLS = new Map([
    ["tcp", "tcp"],
    ["6", "tcp"],
    ["udp", "udp"],
    ["17", "udp"],
]);

function portText(rule: EgressRule): string {
    const proto = rule.protocol.toLowerCase();
    if (ALL_PROTOCOLS.has(proto)) {
        return "all protocols and ports";
    }
    const name = PORT_PROTOCOLS.get(proto) ?? `protocol ${rule.protocol}`;
    if (rule.fromPort === undefined || rule.toPort === undefined) {
        return name;
    }
    return rule.fromPort === rule.toPort ? `${name} ${rule.fromPort}` : `${name} ${rule.fromPort}-${rule.toPort}`;
}

/** True when the rule is TCP/UDP and every port it opens is one of the gateway's ports. */
function onlyGatewayPorts(rule: EgressRule, gw: GatewayInfo): boolean {
    if (!PORT_PROTOCOLS.has(rule.protocol.toLowerCase()) || rule.fromPort === undefined || rule.toPort === undefined) {
        return false;
    }
    if (rule.toPort < rule.fromPort || rule.toPort - rule.fromPort >= gw.ports.length) {
        return false;
    }
    for (let p = rule.fromPort; p <= rule.toPort; p++) {
        if (!gw.ports.includes(p)) {
            return false;
        }
    }
    return true;
}

function allowedText(cfg: SharedConfig): string {
    return list(cfg.allowedCidrs);
}

/** Judges one rule's destinations; `owner` is the SG the rule belongs to (undefined: outside the stack). */
function checkRule(ctx: Ctx, rule: EgressRule, reportOn: PolicyResource, subject: string, owner: PolicyResource | undefined, unknowns: UnknownTracker): void {
    const gw: GatewayInfo = owner === undefined ? { status: GatewayStatus.NotGateway, ports: [] } : gatewayInfo(owner, ctx.cfg);
    const at = rule.where === "" ? "" : ` (${rule.where})`;
    const outside = (destination: string) => {
        if (gw.status === GatewayStatus.Gateway) {
            if (onlyGatewayPorts(rule, gw)) {
                return;
            }
            ctx.report(reportOn, {
                subject,
                finding: `allows egress to ${destination} on ${portText(rule)}${at}`,
                rule: `egress gateway '${gw.kind}' may reach addresses outside ${allowedText(ctx.cfg)} only on ${PORT_PROTOCOLS.has(rule.protocol.toLowerCase()) ? PORT_PROTOCOLS.get(rule.protocol.toLowerCase()) : "tcp/udp"} ${list(gw.ports.map(String))}`,
                fix: `Narrow the rule to port ${list(gw.ports.map(String))}, or change egressGatewayPorts.${gw.kind} in the pack config`,
            });
            return;
        }
        const why =
            owner === undefined
                ? " (its security group is outside this stack, so it cannot be shown to be an egress gateway)"
                : gw.status === GatewayStatus.UnknownKind
                  ? ` (its ${ctx.cfg.tagKeys.egressGateway} tag ${show(gw.kind)} is not a configured gateway kind)`
                  : "";
        ctx.report(reportOn, {
            subject,
            finding: `allows egress to ${destination} on ${portText(rule)}${at}${why}`,
            rule: `only egress gateways (${gatewayTagText(ctx.cfg)}) may reach addresses outside ${allowedText(ctx.cfg)}`,
            fix: `Route the call through ${gatewayForCalls(ctx.cfg)} instead, or target a security group, VPC endpoint or private CIDR`,
        });
    };
    for (const cidr of rule.cidrs) {
        const verdict = classifyCidr(cidr, ctx.cfg.allowedNetworks);
        if (verdict === CidrVerdict.Outside) {
            outside(cidr);
        } else if (verdict === CidrVerdict.Invalid) {
            ctx.report(reportOn, {
                subject,
                finding: `allows egress to ${show(cidr)}${at}, which is not a CIDR`,
                rule: `egress destinations must be provably inside ${allowedText(ctx.cfg)} (or the SG an egress gateway)`,
                fix: "Use a valid CIDR such as 10.0.0.0/16",
            });
        }
    }
    judgePrefixLists(ctx, reportOn, rule, unknowns, {
        outside: (cidr, list) => outside(`${cidr} (in prefix list '${list.name}')`),
        unverifiable: (id) => ctx.advise(
            reportOn,
            `${subject} allows egress to prefix list ${id}, which is outside this stack and cannot be verified; add it to allowedPrefixListIds if it holds only AWS service or private ranges`,
        ),
    });
}

function inlineRules(egress: unknown, unknowns: UnknownTracker): EgressRule[] {
    const rules: EgressRule[] = [];
    asArray(egress).forEach((e, i) => {
        unknowns.check(() => {
            const r = asRecord(e);
            if (r === undefined) {
                return;
            }
            rules.push({
                protocol: String(r["protocol"] ?? "-1"),
                fromPort: asNumber(r["fromPort"]),
                toPort: asNumber(r["toPort"]),
                cidrs: [...asStrings(r["cidrBlocks"]), ...asStrings(r["ipv6CidrBlocks"])],
                prefixLists: peekElements(r["prefixListIds"]),
                prefixListProperty: "egress",
                where: `egress[${i}]`,
            });
        });
    });
    return rules;
}

function ownerOf(ctx: Ctx, rule: PolicyResource): PolicyResource | undefined {
    const p = presenceOf(rule.props, "securityGroupId");
    const known = p === Presence.Known && typeof rule.props["securityGroupId"] === "string" ? [rule.props["securityGroupId"] as string] : [];
    return ctx.index.references(rule, "securityGroupId", SG_TYPES, known)[0];
}

function ruleSubject(rule: PolicyResource, owner: PolicyResource | undefined): string {
    return owner === undefined ? subjectOf(rule) : `${subjectOf(rule)} of ${subjectOf(owner)}`;
}

const PREFIX_LIST_ID = awsIdPattern("pl");

function readEgressConfig(r: ConfigReader): EgressConfig {
    const ids = r.stringArray("allowedPrefixListIds", []);
    ids.forEach((id, i) => {
        if (!new RegExp(PREFIX_LIST_ID).test(id)) {
            r.problems.push(`allowedPrefixListIds[${i}] must be a prefix list id (pl- and 8 or 17 hex digits), got ${JSON.stringify(id)}`);
        }
    });
    return { allowedPrefixListIds: ids };
}

export const securityGroupEgressAllowlist: StackValidationPolicy = {
    name: SECURITY_GROUP_EGRESS_ALLOWLIST,
    description:
        "Security group egress is an allowlist: only egress gateways (on their ports) may reach CIDRs outside the allowed ranges; inline egress, aws.ec2.SecurityGroupRule and aws.vpc.SecurityGroupEgressRule alike.",
    enforcementLevel: "mandatory",
    configSchema: policyConfigSchema(["tagKeys", "allowedCidrs", "egressGatewayPorts", "exemptions"], {
        allowedPrefixListIds: {
            type: "array",
            description: "Prefix list ids outside the stack that hold only AWS service or private ranges.",
            items: { type: "string" },
            default: [],
        },
    }),
    validateStack: checkedStack(
        SECURITY_GROUP_EGRESS_ALLOWLIST,
        (ctx) => {
            for (const sg of ctx.index.ofType(...SG_TYPES)) {
                ctx.each(sg, () => {
                    const unknowns = new UnknownTracker();
                    const rules = inlineRules(sg.props["egress"], unknowns);
                    for (const rule of rules) {
                        unknowns.check(() => checkRule(ctx, rule, sg, subjectOf(sg), sg, unknowns));
                    }
                    unknowns.rethrow();
                });
            }
            for (const r of ctx.index.ofType(SG_RULE)) {
                ctx.each(r, () => {
                    if (asString(r.props["type"]) !== "egress") {
                        return;
                    }
                    const owner = ownerOf(ctx, r);
                    const unknowns = new UnknownTracker();
                    const rule: EgressRule = {
                        protocol: String(r.props["protocol"] ?? "-1"),
                        fromPort: asNumber(r.props["fromPort"]),
                        toPort: asNumber(r.props["toPort"]),
                        cidrs: [...asStrings(r.props["cidrBlocks"]), ...asStrings(r.props["ipv6CidrBlocks"])],
                        prefixLists: peekElements(r.props["prefixListIds"]),
                        prefixListProperty: "prefixListIds",
                        where: "",
                    };
                    checkRule(ctx, rule, r, ruleSubject(r, owner), owner, unknowns);
                    unknowns.rethrow();
                });
            }
            for (const r of ctx.index.ofType(SG_EGRESS_RULE)) {
                ctx.each(r, () => {
                    const owner = ownerOf(ctx, r);
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
                    const rule: EgressRule = {
                        protocol: String(r.props["ipProtocol"] ?? "-1"),
                        fromPort: asNumber(r.props["fromPort"]),
                        toPort: asNumber(r.props["toPort"]),
                        cidrs,
                        prefixLists: presenceOf(r.props, "prefixListId") === Presence.Absent ? [] : [peekValue(r.props, "prefixListId")],
                        prefixListProperty: "prefixListId",
                        where: "",
                    };
                    checkRule(ctx, rule, r, ruleSubject(r, owner), owner, unknowns);
                    unknowns.rethrow();
                });
            }
        },
        readEgressConfig,
    ),
};
