import * as ipaddr from "ipaddr.js";

/** A parsed CIDR block: the address family, the prefix length and the network address as written. */
export interface Cidr {
    readonly kind: "ipv4" | "ipv6";
    readonly address: ipaddr.IPv4 | ipaddr.IPv6;
    readonly prefixLength: number;
    readonly text: string;
}

/** Why a string is not an acceptable CIDR block. */
export enum CidrDefect {
    Syntax = "not a CIDR block (expected a.b.c.d/n or an IPv6 prefix)",
    HostBitsSet = "has host bits set",
}

export type CidrParse = { readonly cidr: Cidr } | { readonly defect: CidrDefect; readonly networkAddress?: string };

/** Parses a CIDR block and insists on the network address, so `10.0.0.1/16` is not silently read as `10.0.0.0/16`. */
export function parseCidr(text: string): CidrParse {
    if (!ipaddr.isValidCIDR(text)) {
        return { defect: CidrDefect.Syntax };
    }
    const [address, prefixLength] = ipaddr.parseCIDR(text);
    const network =
        address.kind() === "ipv4"
            ? ipaddr.IPv4.networkAddressFromCIDR(text)
            : ipaddr.IPv6.networkAddressFromCIDR(text);
    if (network.toString() !== address.toString()) {
        return { defect: CidrDefect.HostBitsSet, networkAddress: `${network.toString()}/${prefixLength}` };
    }
    return { cidr: { kind: address.kind(), address, prefixLength, text } };
}

/** True when the two blocks share at least one address. Blocks of different families never overlap. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
    if (a.kind !== b.kind) {
        return false;
    }
    return a.address.match(b.address, b.prefixLength) || b.address.match(a.address, a.prefixLength);
}

/** True when `inner` lies wholly inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
    return outer.kind === inner.kind && inner.prefixLength >= outer.prefixLength && inner.address.match(outer.address, outer.prefixLength);
}

/** True for the RFC 1918 private IPv4 ranges, the only ones AWS accepts without caveats for a VPC's primary block. */
export function isRfc1918(cidr: Cidr): boolean {
    return cidr.kind === "ipv4" && (cidr.address as ipaddr.IPv4).range() === "private";
}

function ipv4ToNumber(address: ipaddr.IPv4): number {
    return address.octets.reduce((acc, octet) => acc * 256 + octet, 0);
}

function numberToIpv4(value: number): string {
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256);
    return octets.join(".");
}

/** One subnet to carve out of the VPC block. */
export interface SubnetRequest<K> {
    readonly key: K;
    readonly prefixLength: number;
}

export interface CarvedSubnet<K> {
    readonly key: K;
    readonly cidr: string;
}

/**
 * Carves IPv4 subnets out of `vpc` in the order given, each aligned to its own size, and reports the
 * requests that run past the end of the block. The order is the caller's (tier, then AZ), so the same
 * config always yields the same CIDRs.
 */
export function carveSubnets<K>(
    vpc: Cidr,
    requests: readonly SubnetRequest<K>[],
): { readonly subnets: CarvedSubnet<K>[]; readonly overflow: SubnetRequest<K>[] } {
    const start = ipv4ToNumber(vpc.address as ipaddr.IPv4);
    const end = start + 2 ** (32 - vpc.prefixLength);
    let cursor = start;
    const subnets: CarvedSubnet<K>[] = [];
    const overflow: SubnetRequest<K>[] = [];
    for (const request of requests) {
        const size = 2 ** (32 - request.prefixLength);
        const aligned = Math.ceil(cursor / size) * size;
        if (request.prefixLength < vpc.prefixLength || aligned + size > end) {
            overflow.push(request);
            continue;
        }
        subnets.push({ key: request.key, cidr: `${numberToIpv4(aligned)}/${request.prefixLength}` });
        cursor = aligned + size;
    }
    return { subnets, overflow };
}
