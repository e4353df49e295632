// CIDR arithmetic on ipaddr.js: is a destination range entirely inside the allowlist?

import * as ipaddr from "ipaddr.js";

export type IpFamily = "ipv4" | "ipv6";

export interface ParsedCidr {
    readonly text: string;
    readonly family: IpFamily;
    readonly address: ipaddr.IPv4 | ipaddr.IPv6;
    readonly prefix: number;
}

/** Parses "a.b.c.d/n" or an IPv6 CIDR; undefined when the text is not a CIDR. */
export function parseCidr(text: string): ParsedCidr | undefined {
    if (!ipaddr.isValidCIDR(text)) {
        return undefined;
    }
    const [address, prefix] = ipaddr.parseCIDR(text);
    return { text, family: address.kind(), address, prefix };
}

/**
 * True when every address of `inner` lies inside `outer`: same family, at least as long a prefix,
 * and the inner network address matches the outer network.
 */
export function cidrContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
    if (outer.family !== inner.family || inner.prefix < outer.prefix) {
        return false;
    }
    return inner.address.match([outer.address, outer.prefix] as [ipaddr.IPv4 | ipaddr.IPv6, number]);
}

export enum CidrVerdict {
    /** Entirely inside one allowed range. */
    Inside = "inside",
    /** Reaches at least one address outside every allowed range. */
    Outside = "outside",
    /** Not a CIDR at all, so it cannot be proven to stay inside. */
    Invalid = "invalid",
}

/** Classifies one destination CIDR against the (already parsed) allowlist. */
export function classifyCidr(text: string, allowed: readonly ParsedCidr[]): CidrVerdict {
    const parsed = parseCidr(text);
    if (parsed === undefined) {
        return CidrVerdict.Invalid;
    }
    return allowed.some((a) => cidrContains(a, parsed)) ? CidrVerdict.Inside : CidrVerdict.Outside;
}

/** Parses the configured allowlist; returns the texts that are not CIDRs as problems. */
export function parseAllowlist(texts: readonly string[]): { cidrs: ParsedCidr[]; invalid: string[] } {
    const cidrs: ParsedCidr[] = [];
    const invalid: string[] = [];
    for (const t of texts) {
        const p = parseCidr(t);
        if (p === undefined) {
            invalid.push(t);
        } else {
            cidrs.push(p);
        }
    }
    return { cidrs, invalid };
}
