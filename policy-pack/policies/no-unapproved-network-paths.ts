// no-unapproved-network-paths: the ways out of a VPC that no internet route, NAT or security group
// shows. Each is a path from a private subnet to a network someone else runs:
//   - a VPC endpoint to an endpoint service (PrivateLink) or a VPC Lattice resource or service network
//     that is not an AWS service and not on the team's allowlist: another account's service, reached
//     from inside, can forward anything anywhere;
//   - VGW route propagation into an app/data route table: routes that arrive at run time from a VPN
//     or Direct Connect, which no preview can see;
//   - a transit gateway or Cloud WAN attachment in app/data subnets: the attachment's route tables,
//     not ours, decide where those subnets can go;
//   - VPC peering with an account that is not trusted;
//   - a Route 53 Resolver outbound endpoint or forwarding rule: DNS queries leave the VPC for name
//     servers it names.
// A stack policy, because the tier of a propagation's route table or an attachment's subnets is on
// another resource. Findings are attributed to the resource that opens the path; an unknown value
// defers the verdict only when it could change it.

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { ConfigReader, policyConfigSchema } from "../lib/config";
import { globToRegExp } from "../lib/exemptions";
import { list, subjectOf } from "../lib/messages";
import { PRIVATE_TIERS, SUBNET } from "../lib/network";
import { tagValue } from "../lib/resources";
import { knownStringsAt } from "../lib/stack";
import { StackContext, checkedStack } from "../lib/stack-policy";
import { rejectUnknownKeys } from "../lib/strict-config";
import { UNKNOWN_STRING, UnknownValueError, isUnknownSentinel, peekElements, peekValue } from "../lib/unknowns";
import { isAwsServiceName } from "./vpc-endpoint-private-dns";

export const NO_UNAPPROVED_NETWORK_PATHS = "no-unapproved-network-paths";

const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const ROUTE_TABLES = ["aws:ec2/routeTable:RouteTable", "aws:ec2/defaultRouteTable:DefaultRouteTable"];
const VGW_PROPAGATION = "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation";
const TGW_ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment";
const CLOUD_WAN_ATTACHMENT = "aws:networkmanager/vpcAttachment:VpcAttachment";
const PEERING = "aws:ec2/vpcPeeringConnection:VpcPeeringConnection";
const RESOLVER_ENDPOINT = "aws:route53/resolverEndpoint:ResolverEndpoint";
const RESOLVER_RULE = "aws:route53/resolverRule:ResolverRule";

/** Subnet and route table tiers that hold private workloads. */
/** Lattice endpoints name what they reach by ARN instead of a service name. */
const LATTICE_TARGETS = ["resourceConfigurationArn", "serviceNetworkArn"];

const RULE =
    "private subnets leave the VPC only through AWS service endpoints and allowlisted endpoint services, never through routes learned at run time, transit gateway or Cloud WAN attachments, peering with untrusted accounts, or DNS forwarded out of the VPC";

interface PathsConfig {
    readonly allowedEndpointServices: readonly string[];
    readonly trustedAccountIds: readonly string[];
}
type Ctx = StackContext<PathsConfig>;

const schema = policyConfigSchema(["tagKeys", "exemptions"], {
    allowedEndpointServices: {
        type: "array",
        description:
            "Endpoint services (com.amazonaws.vpce.<region>.vpce-svc-...), VPC Lattice resource configuration or service network ARNs that endpoints may reach; * matches any run of characters. AWS services are always allowed.",
        items: { type: "string", minLength: 1 },
        default: [],
    },
    trustedAccountIds: {
        type: "array",
        description: "12-digit account ids a VPC may peer with (a peering without peerOwnerId is in the same account and always allowed).",
        items: { type: "string" },
        default: [],
    },
});

/** A property's value; throws the library's unknown error when it is not known yet. */
function knownValue(r: PolicyResource, key: string): unknown {
    const v = peekValue(r.props, key);
    if (isUnknownSentinel(v)) {
        throw new UnknownValueError(UNKNOWN_STRING, [key]);
    }
    return v;
}

function isAllowedService(ctx: Ctx, name: string): boolean {
    return ctx.cfg.allowedEndpointServices.some((p) => globToRegExp(p).test(name));
}

function checkEndpoint(ctx: Ctx, ep: PolicyResource): void {
    const latticeTargets = LATTICE_TARGETS.map((k) => knownValue(ep, k)).filter((v): v is string => typeof v === "string" && v.length > 0);
    const serviceName = latticeTargets.length > 0 ? undefined : knownValue(ep, "serviceName");
    const targets = typeof serviceName === "string" ? [serviceName] : latticeTargets;
    const unapproved = targets.filter((t) => !isAwsServiceName(t) && !isAllowedService(ctx, t));
    if (unapproved.length > 0) {
        ctx.report(ep, {
            finding: `reaches ${list(unapproved)}, which is neither an AWS service nor on the allowlist${ctx.cfg.allowedEndpointServices.length > 0 ? ` (${list(ctx.cfg.allowedEndpointServices)})` : ""}`,
            rule: RULE,
            fix: `Remove the endpoint, or add ${unapproved[0]} to allowedEndpointServices once the service's owner and what it can reach are reviewed`,
        });
    }
}

/** The tier of a route table or subnet, when it is one of the private tiers. */
function privateTier(ctx: Ctx, r: PolicyResource): string | undefined {
    const tier = tagValue(r, ctx.cfg.tagKeys.tier);
    return tier !== undefined && PRIVATE_TIERS.has(tier) ? tier : undefined;
}

/** Stack resources of `types` that `property` names; throws when it names something not followable yet. */
function mustFollow(ctx: Ctx, r: PolicyResource, property: string, types: readonly string[]): PolicyResource[] {
    const found = ctx.index.references(r, property, types, knownStringsAt(r.props, [property]));
    const raw = peekValue(r.props, property);
    const unfollowed = found.length === 0 && (isUnknownSentinel(raw) || peekElements(raw).some(isUnknownSentinel));
    if (unfollowed) {
        throw new UnknownValueError(UNKNOWN_STRING, [property]);
    }
    return found;
}

function checkInlinePropagation(ctx: Ctx, table: PolicyResource): void {
    const tier = privateTier(ctx, table);
    if (tier === undefined) {
        return;
    }
    const vgws = knownValue(table, "propagatingVgws");
    if (Array.isArray(vgws) && vgws.length > 0) {
        ctx.report(table, {
            finding: `(tier ${tier}) takes routes propagated from a virtual private gateway (propagatingVgws)`,
            rule: RULE,
            fix: "Remove propagatingVgws; give the VPN its own route table and subnets, outside the app and data tiers",
        });
    }
}

function checkPropagation(ctx: Ctx, p: PolicyResource): void {
    const tables = mustFollow(ctx, p, "routeTableId", ROUTE_TABLES).filter((t) => privateTier(ctx, t) !== undefined);
    if (tables.length > 0) {
        ctx.report(p, {
            finding: `propagates a virtual private gateway's routes into ${list(tables.map((t) => `${subjectOf(t)} (tier ${privateTier(ctx, t)})`))}`,
            rule: RULE,
            fix: "Remove the propagation; give the VPN its own route table and subnets, outside the app and data tiers",
        });
    }
}

function checkAttachment(ctx: Ctx, a: PolicyResource, property: string, what: string): void {
    const subnets = mustFollow(ctx, a, property, [SUBNET]).filter((s) => privateTier(ctx, s) !== undefined);
    if (subnets.length > 0) {
        ctx.report(a, {
            finding: `attaches ${list(subnets.map((s) => `${subjectOf(s)} (tier ${privateTier(ctx, s)})`))} to a ${what}`,
            rule: RULE,
            fix: `Attach dedicated subnets outside the app and data tiers (their own route table), never the workloads' subnets`,
        });
    }
}

function checkPeering(ctx: Ctx, peering: PolicyResource): void {
    const owner = knownValue(peering, "peerOwnerId");
    if (typeof owner !== "string" || owner.length === 0 || ctx.cfg.trustedAccountIds.includes(owner)) {
        return;
    }
    ctx.report(peering, {
        finding: `peers with a VPC of account ${owner}, which is not trusted${ctx.cfg.trustedAccountIds.length > 0 ? ` (trusted: ${list(ctx.cfg.trustedAccountIds)})` : ""}`,
        rule: RULE,
        fix: `Remove the peering, or add ${owner} to trustedAccountIds once that account's egress is reviewed`,
    });
}

function checkResolverEndpoint(ctx: Ctx, endpoint: PolicyResource): void {
    const direction = knownValue(endpoint, "direction");
    if (direction === "OUTBOUND" || direction === "INBOUND_OUTBOUND") {
        ctx.report(endpoint, {
            finding: `is a Resolver endpoint with direction ${direction}: DNS queries of the VPC can be forwarded to name servers outside it`,
            rule: RULE,
            fix: "Remove the outbound endpoint, or exempt it with the reason and the forwarding rules it serves",
        });
    }
}

function checkResolverRule(ctx: Ctx, rule: PolicyResource): void {
    if (knownValue(rule, "ruleType") === "FORWARD") {
        const domain = knownStringsAt(rule.props, ["domainName"])[0] ?? "its domain";
        ctx.report(rule, {
            finding: `forwards queries for ${domain} to name servers outside the VPC (ruleType FORWARD)`,
            rule: RULE,
            fix: "Remove the forwarding rule, or exempt it with the reason and the name servers it reaches",
        });
    }
}

function readConfig(r: ConfigReader): PathsConfig {
    rejectUnknownKeys(r, schema);
    const services = r.stringArray("allowedEndpointServices", []);
    const accounts = r.accountIds("trustedAccountIds");
    return { allowedEndpointServices: services, trustedAccountIds: accounts };
}

const CHECKS: readonly [readonly string[], (ctx: Ctx, r: PolicyResource) => void][] = [
    [[VPC_ENDPOINT], checkEndpoint],
    [ROUTE_TABLES, checkInlinePropagation],
    [[VGW_PROPAGATION], checkPropagation],
    [[TGW_ATTACHMENT], (ctx, r) => checkAttachment(ctx, r, "subnetIds", "transit gateway")],
    [[CLOUD_WAN_ATTACHMENT], (ctx, r) => checkAttachment(ctx, r, "subnetArns", "Cloud WAN core network")],
    [[PEERING], checkPeering],
    [[RESOLVER_ENDPOINT], checkResolverEndpoint],
    [[RESOLVER_RULE], checkResolverRule],
];

export const noUnapprovedNetworkPaths: StackValidationPolicy = {
    name: NO_UNAPPROVED_NETWORK_PATHS,
    description:
        "Forbids the ways out of a VPC that no route shows: endpoints to non-AWS endpoint services off the allowlist, VGW route propagation into app/data route tables, transit gateway and Cloud WAN attachments in app/data subnets, peering with untrusted accounts, Resolver outbound endpoints and forwarding rules.",
    enforcementLevel: "mandatory",
    configSchema: schema,
    validateStack: checkedStack(
        NO_UNAPPROVED_NETWORK_PATHS,
        (ctx) => {
            for (const [types, check] of CHECKS) {
                for (const r of ctx.index.ofType(...types)) {
                    ctx.each(r, () => check(ctx, r));
                }
            }
        },
        readConfig,
    ),
};
