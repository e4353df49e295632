// Prices the recorded stack (the posture as built) and the NAT design it replaces: the same stack with
// one NAT gateway per private-tier AZ, once keeping the interface endpoints and once without them,
// under the same traffic assumptions. Pure functions of the recorded resources, prices and traffic.
import type { RecordedResource } from "../record";
import { Count, inventory, Inventory, PRICED_TYPES, TYPES } from "./inventory";
import { PriceKey, PriceTable, RegionPrices, unpricedRegion } from "./prices";
import { RegionSource, regionsOf } from "./region";
import { DEFAULT_TRAFFIC, Traffic, TRAFFIC_CATEGORIES, TrafficCategory } from "./traffic";

export enum Design {
    /** The stack as recorded. */
    Current = "current",
    /** Same stack, private tiers reach the internet through one NAT gateway per AZ; interface endpoints kept. */
    NatWithEndpoints = "nat-with-endpoints",
    /** Same stack with the NAT gateways and without the interface endpoints: AWS API traffic goes through the NATs too. */
    NatWithoutEndpoints = "nat-without-endpoints",
}

export const DESIGN_TITLES: Readonly<Record<Design, string>> = {
    [Design.Current]: "this stack",
    [Design.NatWithEndpoints]: "NAT per private AZ, with the interface endpoints",
    [Design.NatWithoutEndpoints]: "NAT per private AZ, without interface endpoints",
};

// A stack with no interface endpoints has one NAT design to compare with, not two.
const SINGLE_NAT_TITLE = "NAT per private AZ";

/** What a line prices; the text report groups lines by it. */
export enum LineKind {
    InterfaceEndpoint = "interface-endpoint",
    InterfaceEndpointData = "interface-endpoint-data",
    GatewayEndpoint = "gateway-endpoint",
    NatGateway = "nat-gateway",
    NatGatewayData = "nat-gateway-data",
    PublicIpv4 = "public-ipv4",
    FlowLogIngestion = "flow-log-ingestion",
    Alarm = "alarm",
    CustomMetric = "custom-metric",
    DnsFirewallDomains = "dns-firewall-domains",
    DnsFirewallQueries = "dns-firewall-queries",
}

export interface LineItem {
    kind: LineKind;
    item: string;
    /** URNs of the recorded resources the line prices (none for the counterfactual's NAT gateways). */
    resources: string[];
    unit: string;
    /** null when unknown at preview (see `unknown`). */
    quantity: number | null;
    /** null when the price table has no such price for the region (see `unknown`). */
    unitPrice: number | null;
    monthly: number | null;
    /** How the quantity was counted. */
    basis: string;
    unknown?: string;
}

export interface Estimate {
    design: Design;
    title: string;
    lineItems: LineItem[];
    /** Sum of the known monthly figures; `complete` is false when a line is unknown at preview. */
    total: { monthly: number; complete: boolean; unknownItems: number };
}

/** The estimates of the resources in one region, at that region's prices. */
export interface RegionCost {
    region: string;
    /** Where its resources' region came from: their own input, their provider, or the environment. */
    regionFrom: RegionSource[];
    estimates: Estimate[];
    /** Why this stack costs more than a NAT design, when it does. */
    comparisonNote?: string;
    /** What the region's estimates leave out. */
    notPriced: string[];
}

/** Resources the section cannot price, why, and what would let it. */
export interface Unpriced {
    resources: string[];
    why: string;
}

export interface CostSection {
    currency: string;
    hoursPerMonth: number;
    /** `used`: the files the priced regions' figures came from, with the date each gives. */
    priceTable: {
        date: string; files: string[]; used: { file: string; date?: string }[]; notes: string[]; sources: PriceTable["sources"];
        /** How each figure of the priced regions was taken. */
        regionSources: PriceTable["regionSources"];
    };
    traffic: { category: TrafficCategory; gbPerMonth: number; isDefault: boolean }[];
    regions: RegionCost[];
    unpriced: Unpriced[];
    /** What the section leaves out, so nobody reads a total as the whole bill. */
    notPriced: string[];
}

const cents = (x: number): number => Math.round(x * 100) / 100;

/** A unit price, or why the table has none. */
type Price = number | { missing: string };

function line(kind: LineKind, item: string, resources: string[], unit: string, quantity: Count, unitPrice: Price, basis: (n: number) => string): LineItem {
    const known = typeof unitPrice === "number" ? unitPrice : null;
    if (!quantity.known) {
        return { kind, item, resources, unit, quantity: null, unitPrice: known, monthly: null, basis: "unknown at preview", unknown: quantity.why };
    }
    if (typeof unitPrice !== "number") {
        return { kind, item, resources, unit, quantity: quantity.value, unitPrice: null, monthly: null, basis: basis(quantity.value), unknown: unitPrice.missing };
    }
    return { kind, item, resources, unit, quantity: quantity.value, unitPrice, monthly: cents(quantity.value * unitPrice), basis: basis(quantity.value) };
}

const k = (value: number): Count => ({ known: true, value });
const times = (c: Count, f: number): Count => (c.known ? k(c.value * f) : c);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

interface Ctx {
    inv: Inventory;
    price: (key: PriceKey) => Price;
    hours: number;
    traffic: Traffic;
}

function endpointLines({ inv, price, hours, traffic }: Ctx): LineItem[] {
    const lines = inv.interfaceEndpoints.map((e) => line(
        LineKind.InterfaceEndpoint, `interface endpoint ${e.service}`, [e.urn], "endpoint-AZ-hour", times(e.azCount, hours), price(PriceKey.InterfaceEndpointHour),
        () => `${plural((e.azCount as { value: number }).value, "AZ")}${e.azs !== undefined ? ` (${e.azs.join(", ")})` : ""} x ${hours} h`,
    ));
    if (inv.interfaceEndpoints.length > 0) {
        lines.push(line(
            LineKind.InterfaceEndpointData, "interface endpoint data processing", inv.interfaceEndpoints.map((e) => e.urn), "GB", k(traffic[TrafficCategory.AwsApi]),
            price(PriceKey.InterfaceEndpointGb), () => `${TrafficCategory.AwsApi} (all interface endpoints of the region)`,
        ));
    }
    return lines;
}

function gatewayEndpointLines({ inv }: Ctx): LineItem[] {
    return inv.gatewayEndpoints.map((e) => line(LineKind.GatewayEndpoint, `gateway endpoint ${e.service}`, [e.urn], "endpoint-month", k(1), 0, () => "gateway endpoints have no charge"));
}

function natLines({ inv, price, hours, traffic }: Ctx): LineItem[] {
    if (inv.natGateways.length === 0) {
        return [];
    }
    const viaNat = traffic[TrafficCategory.Internet] + (inv.interfaceEndpoints.length === 0 ? traffic[TrafficCategory.AwsApi] : 0);
    return [
        ...inv.natGateways.map((n) => line(LineKind.NatGateway, `NAT gateway ${n.name}`, [n.urn], "NAT-hour", k(hours), price(PriceKey.NatGatewayHour), () => `${hours} h`)),
        line(LineKind.NatGatewayData, "NAT gateway data processing", inv.natGateways.map((n) => n.urn), "GB", k(viaNat), price(PriceKey.NatGatewayGb),
            () => (inv.interfaceEndpoints.length === 0 ? `${TrafficCategory.Internet} + ${TrafficCategory.AwsApi} (no interface endpoints)` : TrafficCategory.Internet)),
    ];
}

function publicIpLines({ inv, price, hours }: Ctx, skip: ReadonlySet<string>): LineItem[] {
    return inv.publicIps.filter((p) => !skip.has(p.urn)).map((p) => line(
        LineKind.PublicIpv4, `public IPv4 ${p.name}`, [p.urn], "IPv4-hour", times(p.addresses, hours), price(PriceKey.PublicIpv4Hour),
        () => `${plural((p.addresses as { value: number }).value, "address", "addresses")} x ${hours} h`,
    ));
}

function monitoringLines({ inv, price, traffic }: Ctx): LineItem[] {
    const lines: LineItem[] = [];
    if (inv.flowLogsToCloudWatch.length > 0) {
        lines.push(line(LineKind.FlowLogIngestion, "flow-log ingestion to CloudWatch Logs", inv.flowLogsToCloudWatch.map((f) => f.urn), "GB", k(traffic[TrafficCategory.FlowLogs]),
            price(PriceKey.FlowLogsToCloudWatchGb), () => `${TrafficCategory.FlowLogs} (vended logs)`));
    }
    for (const [high, key, label] of [[false, PriceKey.AlarmMetricMonth, "standard"], [true, PriceKey.HighResolutionAlarmMetricMonth, "high"]] as const) {
        const alarms = inv.alarms.filter((a) => a.highResolution === high && a.metrics.known);
        if (alarms.length > 0) {
            const metrics = alarms.reduce((s, a) => s + (a.metrics as { value: number }).value, 0);
            lines.push(line(LineKind.Alarm, `CloudWatch alarms (${label} resolution)`, alarms.map((a) => a.urn), "alarm-metric-month", k(metrics), price(key),
                () => `${plural(alarms.length, "alarm")}, ${plural(metrics, "metric")}`));
        }
    }
    for (const a of inv.alarms.filter((x) => x.highResolution === undefined || !x.metrics.known)) {
        const why = a.metrics.known ? "its period is unknown at preview" : a.metrics.why;
        lines.push(line(LineKind.Alarm, `CloudWatch alarm ${a.name}`, [a.urn], "alarm-metric-month", { known: false, why }, price(PriceKey.AlarmMetricMonth), () => ""));
    }
    const filters = inv.metricFilters.filter((f) => f.metrics.known);
    if (filters.length > 0) {
        const metrics = filters.reduce((s, f) => s + (f.metrics as { value: number }).value, 0);
        lines.push(line(LineKind.CustomMetric, "custom metrics from log metric filters", filters.map((f) => f.urn), "metric-month", k(metrics), price(PriceKey.CustomMetricMonth),
            () => `${plural(filters.length, "filter")}, ${plural(metrics, "metric")}`));
    }
    for (const f of inv.metricFilters.filter((x) => !x.metrics.known)) {
        lines.push(line(LineKind.CustomMetric, `custom metrics from ${f.name}`, [f.urn], "metric-month", f.metrics, price(PriceKey.CustomMetricMonth), () => ""));
    }
    return lines;
}

function dnsFirewallLines({ inv, price, traffic }: Ctx): LineItem[] {
    const lines: LineItem[] = [];
    for (const d of inv.firewallDomainLists) {
        lines.push(line(LineKind.DnsFirewallDomains, `DNS Firewall domain list ${d.name}`, [d.urn], "domain-month", d.domains, price(PriceKey.DnsFirewallDomainMonth),
            (n) => plural(n, "domain")));
    }
    if (inv.firewallAssociations.length > 0) {
        lines.push(line(LineKind.DnsFirewallQueries, "DNS Firewall queries processed", inv.firewallAssociations.map((a) => a.urn), "million queries",
            k(traffic[TrafficCategory.DnsQueries]), price(PriceKey.DnsFirewallMillionQueries),
            () => `${TrafficCategory.DnsQueries} (${plural(inv.firewallAssociations.length, "rule group association")})`));
    }
    return lines;
}

function counterfactualNatLines({ inv, price, hours, traffic }: Ctx, withEndpoints: boolean): LineItem[] {
    const azs = inv.privateAzs.azs;
    const nats: Count = azs !== undefined ? k(azs.length) : { known: false, why: (inv.privateAzs as { why: string }).why };
    const where = azs !== undefined ? ` (${azs.join(", ")})` : "";
    // AWS API traffic goes through the NATs unless interface endpoints carry it: both designs carry the same traffic.
    const apiViaNat = !withEndpoints || inv.interfaceEndpoints.length === 0;
    const gb = traffic[TrafficCategory.Internet] + (apiViaNat ? traffic[TrafficCategory.AwsApi] : 0);
    return [
        line(LineKind.NatGateway, `NAT gateways, one per private AZ${where}`, [], "NAT-hour", times(nats, hours), price(PriceKey.NatGatewayHour),
            (n) => `${plural(n / hours, "NAT gateway")} x ${hours} h`),
        line(LineKind.PublicIpv4, "NAT gateway public IPv4 (one EIP per NAT)", [], "IPv4-hour", times(nats, hours), price(PriceKey.PublicIpv4Hour),
            (n) => `${plural(n / hours, "address", "addresses")} x ${hours} h`),
        line(LineKind.NatGatewayData, "NAT gateway data processing", [], "GB", k(gb), price(PriceKey.NatGatewayGb),
            () => (apiViaNat ? `${TrafficCategory.Internet} + ${TrafficCategory.AwsApi}` : TrafficCategory.Internet)),
    ];
}

function estimate(design: Design, lineItems: LineItem[], title: string = DESIGN_TITLES[design]): Estimate {
    const unknownItems = lineItems.filter((l) => l.monthly === null).length;
    return {
        design,
        title,
        lineItems,
        total: { monthly: cents(lineItems.reduce((s, l) => s + (l.monthly ?? 0), 0)), complete: unknownItems === 0, unknownItems },
    };
}

const ALWAYS_LEFT_OUT = [
    "data transfer out to the internet (the same in every design), cross-AZ transfer, log storage, compute (Fargate tasks, Lambda, RDS)",
    "account-wide free tiers (10 alarm metrics, 10 custom metrics, 5 GB of logs) are not deducted",
];

function notPriced(inv: Inventory): string[] {
    const out: string[] = [];
    for (const e of inv.otherEndpoints) {
        out.push(`endpoint ${e.name}: ${e.why}`);
    }
    for (const f of inv.otherFlowLogs) {
        out.push(`flow log ${f.name}: destination ${f.destination} is not in the price table`);
    }
    // Whether Resolver query logs bill as vended logs could not be sourced: named, not guessed.
    for (const q of inv.queryLogConfigs) {
        out.push(`Resolver query logs ${q.name}: delivery to ${q.destination} is not in the price table`);
    }
    if (inv.interfaceEndpoints.length === 0 && inv.natGateways.length === 0) {
        out.push(`${TrafficCategory.AwsApi}: the stack has neither interface endpoints nor NAT gateways, so that traffic has no priced path`);
    }
    return out;
}

// The no-NAT posture costs more than a NAT design when its endpoints (billed per AZ) outweigh the NATs:
// say so, and what the difference buys.
function comparisonNote(inv: Inventory, current: Estimate, others: Estimate[], hours: number): string | undefined {
    const cheaper = others.filter((e) => e.total.complete && current.total.complete && e.total.monthly < current.total.monthly)
        .sort((a, b) => a.total.monthly - b.total.monthly)[0];
    if (cheaper === undefined || inv.natGateways.length > 0) {
        return undefined;
    }
    const endpointAzs = inv.interfaceEndpoints.reduce((s, e) => s + (e.azCount.known ? e.azCount.value : 0), 0);
    return `This stack costs ${(current.total.monthly - cheaper.total.monthly).toFixed(2)} a month more than "${cheaper.title}": `
        + "the difference buys the perimeter (the private tiers have no route to the internet), and each interface endpoint is billed "
        + `per AZ it sits in (${plural(inv.interfaceEndpoints.length, "endpoint")}, ${endpointAzs} endpoint-AZs x ${hours} h).`;
}

/** The estimates of one region's resources at its prices: the stack as recorded beside its NAT design(s). */
export function regionCost(resources: readonly RecordedResource[], region: string, prices: RegionPrices, hours: number, traffic: Traffic): Omit<RegionCost, "regionFrom"> {
    const inv = inventory(resources);
    const price = (key: PriceKey): Price => prices[key] ?? { missing: `the price table has no ${key} for ${region} (add it with --price-file)` };
    const ctx: Ctx = { inv, price, hours, traffic };
    const endpoints = endpointLines(ctx);
    const gateways = gatewayEndpointLines(ctx);
    const monitor = [...monitoringLines(ctx), ...dnsFirewallLines(ctx)];
    // The counterfactual replaces the stack's own NAT gateways (and the EIPs they hold) with one per private AZ.
    const natEips = new Set(inv.natEips);
    const current = estimate(Design.Current, [...endpoints, ...gateways, ...natLines(ctx), ...publicIpLines(ctx, new Set()), ...monitor]);
    const withoutEndpoints = [...gateways, ...counterfactualNatLines(ctx, false), ...publicIpLines(ctx, natEips), ...monitor];
    const others = inv.interfaceEndpoints.length === 0
        ? [estimate(Design.NatWithoutEndpoints, withoutEndpoints, SINGLE_NAT_TITLE)]
        : [
            estimate(Design.NatWithEndpoints, [...endpoints, ...gateways, ...counterfactualNatLines(ctx, true), ...publicIpLines(ctx, natEips), ...monitor]),
            estimate(Design.NatWithoutEndpoints, withoutEndpoints),
        ];
    const note = comparisonNote(inv, current, others, hours);
    return { region, estimates: [current, ...others], ...(note !== undefined ? { comparisonNote: note } : {}), notPriced: notPriced(inv) };
}

const label = (r: RecordedResource): string => `${r.name} (${r.type.split(":")[1]?.split("/").pop() ?? r.type})`;

/** Groups the stack's resources by the region AWS would use; what cannot be priced is named with the reason. */
function byRegion(resources: readonly RecordedResource[], table: PriceTable, env: NodeJS.ProcessEnv): {
    priced: Map<string, RecordedResource[]>; from: Map<string, Set<RegionSource>>; unpriced: Unpriced[];
} {
    const regions = regionsOf(resources, env);
    const priced = new Map<string, RecordedResource[]>();
    const from = new Map<string, Set<RegionSource>>();
    const unpriced = new Map<string, RecordedResource[]>();
    const add = <K>(m: Map<K, RecordedResource[]>, k: K, r: RecordedResource): void => {
        m.set(k, [...(m.get(k) ?? []), r]);
    };
    for (const r of resources) {
        const resolved = regions.get(r.urn);
        if (resolved === undefined) {
            continue;
        }
        const why = resolved.known ? unpricedRegion(table, resolved.region) : resolved.why;
        if (resolved.known && why === undefined) {
            add(priced, resolved.region, r);
            from.set(resolved.region, (from.get(resolved.region) ?? new Set()).add(resolved.source));
        } else if (why !== undefined && PRICED_TYPES.has(r.type)) {
            add(unpriced, why, r);
        }
    }
    const others = new Map<string, number>();
    for (const r of resources.filter((x) => x.custom && !x.type.startsWith("aws:") && !x.type.startsWith("pulumi:"))) {
        const pkg = r.type.split(":")[0];
        others.set(pkg, (others.get(pkg) ?? 0) + 1);
    }
    return {
        priced,
        from,
        unpriced: [
            ...[...unpriced].map(([why, rs]) => ({ resources: rs.map(label), why })),
            ...[...others].map(([pkg, n]) => ({ resources: [`${plural(n, "resource")} of package ${pkg}`], why: "the price table covers AWS only" })),
        ],
    };
}

/**
 * The cost section for a recorded stack: each AWS resource priced in the region AWS would use (see
 * region.ts, `env` for its fallback), what cannot be priced named with the reason. Never throws for a
 * region: an estimate must not cost a team its policy check.
 */
export function costSection(resources: readonly RecordedResource[], table: PriceTable, traffic: Traffic, env: NodeJS.ProcessEnv = {}): CostSection {
    const { priced, from, unpriced } = byRegion(resources, table, env);
    // A region holding nothing priced and no subnet (say, a bucket behind a second provider) has nothing to compare.
    const relevant = [...priced.keys()].filter((region) => (priced.get(region) as RecordedResource[]).some((r) => PRICED_TYPES.has(r.type) || r.type === TYPES.subnet));
    const regions = relevant.sort().map((region) => ({
        ...regionCost(priced.get(region) as RecordedResource[], region, table.regions[region], table.hoursPerMonth, traffic),
        regionFrom: [...(from.get(region) as Set<RegionSource>)].sort(),
    }));
    const usedFiles = table.files.filter((f) => regions.some((r) => (table.regionFiles[r.region] ?? []).includes(f)));
    return {
        currency: table.currency,
        hoursPerMonth: table.hoursPerMonth,
        priceTable: {
            date: table.date,
            files: table.files,
            used: usedFiles.map((file) => ({ file, ...(table.fileDates[file] !== undefined ? { date: table.fileDates[file] } : {}) })),
            notes: table.notes,
            sources: table.sources,
            regionSources: Object.fromEntries(regions.map((r) => [r.region, table.regionSources[r.region] ?? {}])),
        },
        traffic: TRAFFIC_CATEGORIES.map((c) => ({ category: c, gbPerMonth: traffic[c], isDefault: traffic[c] === DEFAULT_TRAFFIC[c] })),
        regions,
        unpriced,
        notPriced: ALWAYS_LEFT_OUT,
    };
}
