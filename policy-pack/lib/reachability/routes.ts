// One route, classified: where it sends traffic (a destination inside or outside the allowed CIDRs)
// and to what (a target that leaves the VPC, one that stays inside, or one we cannot identify).

import { PolicyResource } from "@pulumi/policy";

import { CidrVerdict, ParsedCidr, classifyCidr, parseCidr } from "../cidr";
import { isUnknownSentinel, peekValue } from "../unknowns";
import { KnownValues, Resolved, resolveRefs } from "./refs";
import { TYPES, label } from "./types";
import { knownString } from "./values";

/** What a route points at. Every kind but Local and GatewayEndpoint carries traffic out of the VPC. */
export enum TargetKind {
    NatGateway = "NAT gateway",
    TransitGateway = "transit gateway",
    VpcPeering = "VPC peering connection",
    VirtualPrivateGateway = "virtual private gateway",
    NetworkInterface = "network interface",
    Instance = "instance",
    CarrierGateway = "carrier gateway",
    LocalGateway = "local gateway",
    CoreNetwork = "core network",
    GatewayLoadBalancerEndpoint = "gateway load balancer endpoint",
    InternetGateway = "internet gateway",
    EgressOnlyInternetGateway = "egress-only internet gateway",
    /** The VPC's own range ("local"). */
    Local = "local",
    /** A gateway VPC endpoint (S3, DynamoDB): AWS services only. */
    GatewayEndpoint = "gateway endpoint",
}

/** The address a workload needs for a route to this target to carry its traffic, if any. */
export enum AddressNeed {
    None = "none",
    /** Public IPv4 for IPv4 destinations, an IPv6 address for IPv6 ones (internet gateway). */
    PublicForFamily = "public-for-family",
    /** An IPv6 address (egress-only internet gateway). */
    Ipv6 = "ipv6",
}

export function addressNeedOf(kind: TargetKind): AddressNeed {
    switch (kind) {
        case TargetKind.InternetGateway:
            return AddressNeed.PublicForFamily;
        case TargetKind.EgressOnlyInternetGateway:
            return AddressNeed.Ipv6;
        default:
            return AddressNeed.None;
    }
}

export function leavesVpc(kind: TargetKind): boolean {
    return kind !== TargetKind.Local && kind !== TargetKind.GatewayEndpoint;
}

export interface Target {
    /** Undefined when the target cannot be identified (a `gatewayId` outside the stack, unknown at preview). */
    readonly kind: TargetKind | undefined;
    /** `NAT gateway 'nat-a'`, `NAT gateway nat-0abc (outside this stack)`, ... */
    readonly text: string;
}

interface TargetKey {
    readonly key: string;
    /** Fixed by the key; undefined for `gatewayId`, whose target type decides. */
    readonly kind: TargetKind | undefined;
    readonly types: ReadonlySet<string>;
}

const TARGET_KEYS: readonly TargetKey[] = [
    { key: "natGatewayId", kind: TargetKind.NatGateway, types: new Set([TYPES.natGateway]) },
    { key: "transitGatewayId", kind: TargetKind.TransitGateway, types: new Set([TYPES.transitGateway]) },
    { key: "vpcPeeringConnectionId", kind: TargetKind.VpcPeering, types: new Set([TYPES.vpcPeeringConnection]) },
    { key: "egressOnlyGatewayId", kind: TargetKind.EgressOnlyInternetGateway, types: new Set([TYPES.egressOnlyInternetGateway]) },
    { key: "networkInterfaceId", kind: TargetKind.NetworkInterface, types: new Set([TYPES.networkInterface]) },
    { key: "carrierGatewayId", kind: TargetKind.CarrierGateway, types: new Set([TYPES.carrierGateway]) },
    { key: "localGatewayId", kind: TargetKind.LocalGateway, types: new Set<string>() },
    { key: "coreNetworkArn", kind: TargetKind.CoreNetwork, types: new Set([TYPES.coreNetwork]) },
    // A route's vpcEndpointId can only name a Gateway Load Balancer endpoint: traffic goes to appliances.
    { key: "vpcEndpointId", kind: TargetKind.GatewayLoadBalancerEndpoint, types: new Set([TYPES.vpcEndpoint]) },
    { key: "gatewayId", kind: undefined, types: new Set([TYPES.internetGateway, TYPES.vpnGateway, TYPES.vpcEndpoint]) },
    // Last: since @pulumi/aws 6 a Route's `instanceId` is output-only, the provider's echo of the instance
    // behind a `networkInterfaceId` target (an input in 5.x). A new route shows it unknown at preview
    // (and the offline tool's plan mode synthesises an id), so it names the target only when no other
    // key does; read first, it turned every internet-gateway route into "an instance".
    { key: "instanceId", kind: TargetKind.Instance, types: new Set([TYPES.instance]) },
];

const GATEWAY_KIND_OF_TYPE: Record<string, TargetKind> = {
    [TYPES.internetGateway]: TargetKind.InternetGateway,
    [TYPES.vpnGateway]: TargetKind.VirtualPrivateGateway,
    [TYPES.vpcEndpoint]: TargetKind.GatewayEndpoint,
};

/** Id prefixes AWS uses for `gatewayId` targets managed outside the stack. */
const GATEWAY_KIND_OF_PREFIX: readonly [string, TargetKind][] = [
    ["igw-", TargetKind.InternetGateway],
    ["vgw-", TargetKind.VirtualPrivateGateway],
    ["vpce-", TargetKind.GatewayEndpoint],
];

function names(rs: readonly PolicyResource[]): string {
    return rs.map(label).join(" or ");
}

function resolvedText(kind: TargetKind | undefined, key: string, ref: Resolved, raw: unknown): string {
    if (ref.inStack.length > 0) {
        return names(ref.inStack);
    }
    if (ref.external.length > 0) {
        return `${kind ?? key} ${ref.external.join(", ")} (outside this stack)`;
    }
    return isUnknownSentinel(raw) ? `a ${kind ?? key} known only after deployment, from no resource of this stack` : `${kind ?? key} ${String(raw)}`;
}

function gatewayKind(ref: Resolved, raw: unknown): TargetKind | undefined {
    if (knownString(raw) === "local") {
        return TargetKind.Local;
    }
    const kinds = new Set<TargetKind | undefined>();
    for (const r of ref.inStack) {
        kinds.add(GATEWAY_KIND_OF_TYPE[r.type]);
    }
    for (const id of ref.external) {
        kinds.add(GATEWAY_KIND_OF_PREFIX.find(([p]) => id.startsWith(p))?.[1]);
    }
    if (ref.untraced) {
        kinds.add(undefined);
    }
    // Several candidates of different kinds (inline routes at preview share one dependency list): unidentified.
    return kinds.size === 1 ? [...kinds][0] : undefined;
}

/**
 * The route's target: the first target key that is set. `depProperty(key)` is the top-level input
 * whose dependencies explain the key (the key itself for aws.ec2.Route, `routes` for inline routes).
 */
export function readTarget(
    source: PolicyResource,
    route: unknown,
    depProperty: (key: string) => string,
    known: KnownValues,
): Target | undefined {
    for (const t of TARGET_KEYS) {
        const raw = peekValue(route, t.key);
        if (raw === undefined || raw === null || raw === "") {
            continue;
        }
        const ref = resolveRefs(source, depProperty(t.key), raw, t.types, known);
        const kind = t.kind ?? gatewayKind(ref, raw);
        if (kind === TargetKind.Local) {
            return { kind, text: "local" };
        }
        return { kind, text: resolvedText(kind, t.key, ref, raw) };
    }
    return undefined;
}

export enum DestinationVerdict {
    /** Entirely inside the allowed CIDRs. */
    Inside = "inside",
    /** Reaches addresses outside the allowed CIDRs. */
    Outside = "outside",
    /** Cannot be told (unknown at preview, a prefix list outside the stack, not a CIDR). */
    Unproven = "unproven",
}

export enum Family {
    Ipv4 = "ipv4",
    Ipv6 = "ipv6",
}

export interface Destination {
    readonly verdict: DestinationVerdict;
    /** `0.0.0.0/0`, `prefix list 'partners' (203.0.113.0/24)`. */
    readonly text: string;
    /** Address families of the outside part (for an internet gateway: which address the workload needs). */
    readonly families: readonly Family[];
}

/** Entries of a stack prefix list: known CIDRs and whether any is unknown. */
export interface PrefixListEntries {
    readonly cidrs: readonly string[];
    readonly unknown: boolean;
}

export interface DestinationContext {
    readonly allowed: readonly ParsedCidr[];
    readonly known: KnownValues;
    readonly prefixListEntries: (list: PolicyResource) => PrefixListEntries;
}

const CIDR_KEYS: readonly [string, Family][] = [
    ["cidrBlock", Family.Ipv4],
    ["destinationCidrBlock", Family.Ipv4],
    ["ipv6CidrBlock", Family.Ipv6],
    ["destinationIpv6CidrBlock", Family.Ipv6],
];

function classifyCidrs(cidrs: readonly string[], allowed: readonly ParsedCidr[]): { outside: string[]; invalid: string[]; families: Family[] } {
    const outside: string[] = [];
    const invalid: string[] = [];
    const families = new Set<Family>();
    for (const c of cidrs) {
        const verdict = classifyCidr(c, allowed);
        if (verdict === CidrVerdict.Outside) {
            outside.push(c);
            families.add(parseCidr(c)?.family === "ipv6" ? Family.Ipv6 : Family.Ipv4);
        } else if (verdict === CidrVerdict.Invalid) {
            invalid.push(c);
        }
    }
    return { outside, invalid, families: [...families] };
}

/** The route's destination, or undefined when it has none (not a deployable route). */
export function readDestination(
    source: PolicyResource,
    route: unknown,
    depProperty: (key: string) => string,
    ctx: DestinationContext,
): Destination | undefined {
    for (const [key, family] of CIDR_KEYS) {
        const raw = peekValue(route, key);
        if (isUnknownSentinel(raw)) {
            return { verdict: DestinationVerdict.Unproven, text: `a ${key} known only after deployment`, families: [family] };
        }
        const cidr = knownString(raw);
        if (cidr === undefined) {
            continue;
        }
        const { outside, invalid } = classifyCidrs([cidr], ctx.allowed);
        if (invalid.length > 0) {
            return { verdict: DestinationVerdict.Unproven, text: `${JSON.stringify(cidr)} (${key} is not a CIDR)`, families: [family] };
        }
        return { verdict: outside.length > 0 ? DestinationVerdict.Outside : DestinationVerdict.Inside, text: cidr, families: [family] };
    }
    const raw = peekValue(route, "destinationPrefixListId");
    if (raw === undefined || raw === null || raw === "") {
        return undefined;
    }
    const ref = resolveRefs(source, depProperty("destinationPrefixListId"), raw, new Set([TYPES.managedPrefixList]), ctx.known);
    if (ref.inStack.length === 0) {
        const what = ref.external.length > 0 ? `prefix list ${ref.external.join(", ")} (outside this stack)` : "a prefix list known only after deployment, from no resource of this stack";
        return { verdict: DestinationVerdict.Unproven, text: what, families: [Family.Ipv4, Family.Ipv6] };
    }
    const entries = ref.inStack.map((pl) => ctx.prefixListEntries(pl));
    const { outside, invalid, families } = classifyCidrs(entries.flatMap((e) => e.cidrs), ctx.allowed);
    const what = names(ref.inStack);
    if (outside.length > 0) {
        return { verdict: DestinationVerdict.Outside, text: `${what} (${outside.join(", ")})`, families };
    }
    if (invalid.length > 0 || entries.some((e) => e.unknown)) {
        return { verdict: DestinationVerdict.Unproven, text: `${what} (entries known only after deployment)`, families: [Family.Ipv4, Family.Ipv6] };
    }
    return { verdict: DestinationVerdict.Inside, text: what, families: [] };
}
