// The verdict for one workload: a definite path to the internet (every hop known), no path, or
// "cannot prove" with the list of what is missing. Unknowns and resources outside the stack never
// make a path definite, and never silently count as "no path".

import { NetworkModel, RouteInfo, SubnetRouting, TableUse } from "./network";
import { AddressNeed, DestinationVerdict, Family, addressNeedOf, leavesVpc } from "./routes";
import { label } from "./types";
import { Tri } from "./values";
import { AddressFact, Placement, Workload } from "./workloads";

export enum PathVerdict {
    NoPath = "no-path",
    Path = "path",
    CannotProve = "cannot-prove",
}

export interface InternetPath {
    /** `subnet 'app-a' uses route table 'app-rt' (explicit association) which routes 0.0.0.0/0 to NAT gateway 'nat-a'`. */
    readonly text: string;
    /** The path exists because the workload has a public address (internet gateway routes). */
    readonly throughPublicAddress: boolean;
}

export interface Assessment {
    readonly verdict: PathVerdict;
    readonly paths: readonly InternetPath[];
    /** What keeps the analysis from proving there is no path (empty unless CannotProve). */
    readonly missing: readonly string[];
}

const NO_ADDRESS_NEEDED: AddressFact = { tri: Tri.Yes, why: "" };

function addressFor(need: AddressNeed, families: readonly Family[], p: Placement, s: SubnetRouting): AddressFact {
    if (need === AddressNeed.None) {
        return NO_ADDRESS_NEEDED;
    }
    const facts = need === AddressNeed.Ipv6 ? [p.ipv6(s)] : families.map((f) => (f === Family.Ipv6 ? p.ipv6(s) : p.publicIpv4(s)));
    return facts.find((f) => f.tri === Tri.Yes) ?? facts.find((f) => f.tri === Tri.Unknown) ?? { tri: Tri.No, why: "" };
}

function checkRoute(route: RouteInfo, use: TableUse, p: Placement, s: SubnetRouting, paths: InternetPath[], missing: string[]): void {
    const { destination: d, target: t } = route;
    if ((t.kind !== undefined && !leavesVpc(t.kind)) || d.verdict === DestinationVerdict.Inside) {
        return;
    }
    const hop = `${label(s.subnet)} uses ${use.table.label} (${use.how}) which routes ${d.text} to ${t.text}`;
    if (t.kind === undefined) {
        missing.push(`${hop}, which cannot be identified as an internet gateway, a virtual private gateway or an endpoint`);
        return;
    }
    const need = addressNeedOf(t.kind);
    const address = addressFor(need, d.families, p, s);
    if (address.tri === Tri.No) {
        return;
    }
    if (address.tri === Tri.Unknown) {
        missing.push(`${hop}, and whether it gets ${address.why} is known only after deployment`);
    } else if (need !== AddressNeed.None && p.interfacesShareDependencies === true) {
        missing.push(`${hop}, and whether the interface in that subnet gets ${address.why} is known only after deployment`);
    } else if (d.verdict === DestinationVerdict.Unproven) {
        missing.push(hop);
    } else {
        paths.push({ text: need === AddressNeed.None ? hop : `${hop}, and it gets ${address.why}`, throughPublicAddress: need !== AddressNeed.None });
    }
}

/** `isolated`: subnet ids outside the stack that the team declared isolated (pack config). */
export function assess(w: Workload, net: NetworkModel, isolated: ReadonlySet<string>): Assessment {
    const paths: InternetPath[] = [];
    const missing: string[] = [];
    for (const p of w.placements) {
        if (p.missing !== undefined) {
            missing.push(p.missing);
        }
        for (const id of p.subnets.external) {
            if (!isolated.has(id)) {
                missing.push(`subnet ${id} is outside this stack`);
            }
        }
        if (p.subnets.untraced) {
            missing.push("a subnet id is known only after deployment, from no resource of this stack");
        }
        for (const subnet of p.subnets.inStack) {
            const s = net.routingOf(subnet);
            missing.push(...s.missing);
            for (const use of s.tables) {
                for (const route of use.table.routes) {
                    checkRoute(route, use, p, s, paths, missing);
                }
            }
        }
    }
    const verdict = paths.length > 0 ? PathVerdict.Path : missing.length > 0 ? PathVerdict.CannotProve : PathVerdict.NoPath;
    return { verdict, paths: dedupe(paths, (x) => x.text), missing: dedupe(missing, (x) => x) };
}

/** The first item of each key, in order (several subnets often share one table and one missing piece). */
function dedupe<T>(items: readonly T[], key: (t: T) => string): T[] {
    const byKey = new Map<string, T>();
    for (const i of items) {
        if (!byKey.has(key(i))) {
            byKey.set(key(i), i);
        }
    }
    return [...byKey.values()];
}
