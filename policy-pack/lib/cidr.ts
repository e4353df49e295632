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

const IPV4_MAX_PREFIX = 32;
const IPV6_MAX_PREFIX = 128;

function ipv4AddressDefect(address: string): string | undefined {
    const octets = address.split(".");
    if (octets.length !== 4) {
        return `address ${address} has ${octets.length} parts; an IPv4 address has 4 (a.b.c.d)`;
    }
    const bad = octets.find((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255);
    return bad === undefined ? undefined : `part ${JSON.stringify(bad)} of ${address} is not a number from 0 to 255`;
}

/**
 * What is wrong with a configured CIDR, in words ("prefix /33 is longer than 32"), or undefined when
 * it is a CIDR: an IPv4 address of four parts 0-255 or an IPv6 address, "/", and a prefix length
 * the family allows. Stricter than parseCidr, which also takes the legacy short form "10.0.0/8".
 */
export function cidrDefect(text: string): string | undefined {
    const slash = text.indexOf("/");
    const address = slash === -1 ? text : text.slice(0, slash);
    const ipv6 = address.includes(":");
    if (!ipv6 && !/^[\d.]+$/.test(address)) {
        return `${JSON.stringify(address)} is not an IPv4 or IPv6 address`;
    }
    const addressDefect = ipv6 ? (ipaddr.IPv6.isValid(address) ? undefined : `${address} is not an IPv6 address`) : ipv4AddressDefect(address);
    if (addressDefect !== undefined) {
        return addressDefect;
    }
    if (slash === -1) {
        return "has no prefix length; write it as address/length, e.g. 10.0.0.0/8";
    }
    const prefix = text.slice(slash + 1);
    if (!/^\d+$/.test(prefix)) {
        return `prefix /${prefix} is not a number`;
    }
    const max = ipv6 ? IPV6_MAX_PREFIX : IPV4_MAX_PREFIX;
    if (Number(prefix) > max) {
        return `prefix /${prefix} is longer than ${max}`;
    }
    return parseCidr(text) === undefined ? "is not a CIDR" : undefined;
}

/** Parses the configured allowlist; returns each text that is not a CIDR with what is wrong with it. */
export function parseAllowlist(texts: readonly string[]): { cidrs: ParsedCidr[]; invalid: { text: string; index: number; defect: string }[] } {
    const cidrs: ParsedCidr[] = [];
    const invalid: { text: string; index: number; defect: string }[] = [];
    texts.forEach((text, index) => {
        const defect = cidrDefect(text);
        const parsed = defect === undefined ? parseCidr(text) : undefined;
        if (parsed === undefined) {
            invalid.push({ text, index, defect: defect ?? "is not a CIDR" });
        } else {
            cidrs.push(parsed);
        }
    });
    return { cidrs, invalid };
}
