// Prices the recorded stack (the posture as built) and the NAT design it replaces: the same stack with
// one NAT gateway per private-tier AZ, once keeping the interface endpoints and once without them,
// under the same traffic assumptions. Pure functions of the recorded resources, prices and traffic.
import type { RecordedResource } from "../record-protocol";
import { Count, inventory, Inventory } from "./inventory";
import { PriceKey, PriceTable, RegionPrices } from "./prices";
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
}

export interface LineItem {
    kind: LineKind;
    item: string;
    /** URNs of the recorded resources the line prices (none for the counterfactual's NAT gateways). */
    resources: string[];
    unit: string;
    /** null when unknown at preview (see `unknown`). */
    quantity: number | null;
    unitPrice: number;
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

export interface CostSection {
    region: string;
    currency: string;
    hoursPerMonth: number;
    priceTable: { date: string; files: string[]; notes: string[]; sources: PriceTable["sources"] };
    traffic: { category: TrafficCategory; gbPerMonth: number; isDefault: boolean }[];
    estimates: Estimate[];
    /** What the section leaves out, so nobody reads a total as the whole bill. */
    notPriced: string[];
}

const cents = (x: number): number => Math.round(x * 100) / 100;

function line(kind: LineKind, item: string, resources: string[], unit: string, quantity: Count, unitPrice: number, basis: (n: number) => string): LineItem {
    if (!quantity.known) {
        return { kind, item, resources, unit, quantity: null, unitPrice, monthly: null, basis: "unknown at preview", unknown: quantity.why };
    }
    return { kind, item, resources, unit, quantity: quantity.value, unitPrice, monthly: cents(quantity.value * unitPrice), basis: basis(quantity.value) };
}

const k = (value: number): Count => ({ known: true, value });
const times = (c: Count, f: number): Count => (c.known ? k(c.value * f) : c);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

interface Ctx {
    inv: Inventory;
    prices: RegionPrices;
    hours: number;
    traffic: Traffic;
}

function endpointLines({ inv, prices, hours, traffic }: Ctx): LineItem[] {
    const lines = inv.interfaceEndpoints.map((e) => line(
        LineKind.InterfaceEndpoint, `interface endpoint ${e.service}`, [e.urn], "endpoint-AZ-hour", times(e.azCount, hours), prices[PriceKey.InterfaceEndpointHour],
        () => `${plural((e.azCount as { value: number }).value, "AZ")}${e.azs !== undefined ? ` (${e.azs.join(", ")})` : ""} x ${hours} h`,
    ));
    if (inv.interfaceEndpoints.length > 0) {
        lines.push(line(
            LineKind.InterfaceEndpointData, "interface endpoint data processing", inv.interfaceEndpoints.map((e) => e.urn), "GB", k(traffic[TrafficCategory.AwsApi]),
            prices[PriceKey.InterfaceEndpointGb], () => `${TrafficCategory.AwsApi} (all interface endpoints of the region)`,
        ));
    }
    return lines;
}

function gatewayEndpointLines({ inv }: Ctx): LineItem[] {
    return inv.gatewayEndpoints.map((e) => line(LineKind.GatewayEndpoint, `gateway endpoint ${e.service}`, [e.urn], "endpoint-month", k(1), 0, () => "gateway endpoints have no charge"));
}

function natLines({ inv, prices, hours, traffic }: Ctx): LineItem[] {
    if (inv.natGateways.length === 0) {
        return [];
    }
    const viaNat = traffic[TrafficCategory.Internet] + (inv.interfaceEndpoints.length === 0 ? traffic[TrafficCategory.AwsApi] : 0);
    return [
        ...inv.natGateways.map((n) => line(LineKind.NatGateway, `NAT gateway ${n.name}`, [n.urn], "NAT-hour", k(hours), prices[PriceKey.NatGatewayHour], () => `${hours} h`)),
        line(LineKind.NatGatewayData, "NAT gateway data processing", inv.natGateways.map((n) => n.urn), "GB", k(viaNat), prices[PriceKey.NatGatewayGb],
            () => (inv.interfaceEndpoints.length === 0 ? `${TrafficCategory.Internet} + ${TrafficCategory.AwsApi} (no interface endpoints)` : TrafficCategory.Internet)),
    ];
}

function publicIpLines({ inv, prices, hours }: Ctx, skip: ReadonlySet<string>): LineItem[] {
    return inv.publicIps.filter((p) => !skip.has(p.urn)).map((p) => line(
        LineKind.PublicIpv4, `public IPv4 ${p.name}`, [p.urn], "IPv4-hour", times(p.addresses, hours), prices[PriceKey.PublicIpv4Hour],
        () => `${plural((p.addresses as { value: number }).value, "address", "addresses")} x ${hours} h`,
    ));
}

function monitoringLines({ inv, prices, traffic }: Ctx): LineItem[] {
    const lines: LineItem[] = [];
    if (inv.flowLogsToCloudWatch.length > 0) {
        lines.push(line(LineKind.FlowLogIngestion, "flow-log ingestion to CloudWatch Logs", inv.flowLogsToCloudWatch.map((f) => f.urn), "GB", k(traffic[TrafficCategory.FlowLogs]),
            prices[PriceKey.FlowLogsToCloudWatchGb], () => `${TrafficCategory.FlowLogs} (vended logs)`));
    }
    for (const [high, key, label] of [[false, PriceKey.AlarmMetricMonth, "standard"], [true, PriceKey.HighResolutionAlarmMetricMonth, "high"]] as const) {
        const alarms = inv.alarms.filter((a) => a.highResolution === high && a.metrics.known);
        if (alarms.length > 0) {
            const metrics = alarms.reduce((s, a) => s + (a.metrics as { value: number }).value, 0);
            lines.push(line(LineKind.Alarm, `CloudWatch alarms (${label} resolution)`, alarms.map((a) => a.urn), "alarm-metric-month", k(metrics), prices[key],
                () => `${plural(alarms.length, "alarm")}, ${plural(metrics, "metric")}`));
        }
    }
    for (const a of inv.alarms.filter((x) => x.highResolution === undefined || !x.metrics.known)) {
        const why = a.metrics.known ? "its period is unknown at preview" : a.metrics.why;
        lines.push(line(LineKind.Alarm, `CloudWatch alarm ${a.name}`, [a.urn], "alarm-metric-month", { known: false, why }, prices[PriceKey.AlarmMetricMonth], () => ""));
    }
    const filters = inv.metricFilters.filter((f) => f.metrics.known);
    if (filters.length > 0) {
        const metrics = filters.reduce((s, f) => s + (f.metrics as { value: number }).value, 0);
        lines.push(line(LineKind.CustomMetric, "custom metrics from log metric filters", filters.map((f) => f.urn), "metric-month", k(metrics), prices[PriceKey.CustomMetricMonth],
            () => `${plural(filters.length, "filter")}, ${plural(metrics, "metric")}`));
    }
    for (const f of inv.metricFilters.filter((x) => !x.metrics.known)) {
        lines.push(line(LineKind.CustomMetric, `custom metrics from ${f.name}`, [f.urn], "metric-month", f.metrics, prices[PriceKey.CustomMetricMonth], () => ""));
    }
    return lines;
}

function counterfactualNatLines({ inv, prices, hours, traffic }: Ctx, withEndpoints: boolean): LineItem[] {
    const azs = inv.privateAzs.azs;
    const nats: Count = azs !== undefined ? k(azs.length) : { known: false, why: (inv.privateAzs as { why: string }).why };
    const where = azs !== undefined ? ` (${azs.join(", ")})` : "";
    const gb = traffic[TrafficCategory.Internet] + (withEndpoints ? 0 : traffic[TrafficCategory.AwsApi]);
    return [
        line(LineKind.NatGateway, `NAT gateways, one per private AZ${where}`, [], "NAT-hour", times(nats, hours), prices[PriceKey.NatGatewayHour],
            (n) => `${plural(n / hours, "NAT gateway")} x ${hours} h`),
        line(LineKind.PublicIpv4, "NAT gateway public IPv4 (one EIP per NAT)", [], "IPv4-hour", times(nats, hours), prices[PriceKey.PublicIpv4Hour],
            (n) => `${plural(n / hours, "address", "addresses")} x ${hours} h`),
        line(LineKind.NatGatewayData, "NAT gateway data processing", [], "GB", k(gb), prices[PriceKey.NatGatewayGb],
            () => (withEndpoints ? TrafficCategory.Internet : `${TrafficCategory.Internet} + ${TrafficCategory.AwsApi}`)),
    ];
}

function estimate(design: Design, lineItems: LineItem[]): Estimate {
    const unknownItems = lineItems.filter((l) => l.monthly === null).length;
    return {
        design,
        title: DESIGN_TITLES[design],
        lineItems,
        total: { monthly: cents(lineItems.reduce((s, l) => s + (l.monthly ?? 0), 0)), complete: unknownItems === 0, unknownItems },
    };
}

function notPriced(inv: Inventory): string[] {
    const out = [
        "data transfer out to the internet (the same in every design), cross-AZ transfer, log storage, compute (Fargate tasks, Lambda, RDS)",
        "account-wide free tiers (10 alarm metrics, 10 custom metrics, 5 GB of logs) are not deducted",
    ];
    for (const e of inv.otherEndpoints) {
        out.push(`endpoint ${e.name}: ${e.why}`);
    }
    for (const f of inv.otherFlowLogs) {
        out.push(`flow log ${f.name}: destination ${f.destination} is not in the price table`);
    }
    if (inv.interfaceEndpoints.length === 0 && inv.natGateways.length === 0) {
        out.push(`${TrafficCategory.AwsApi}: the stack has neither interface endpoints nor NAT gateways, so that traffic has no priced path`);
    }
    return out;
}

/** The cost section for a recorded stack in `region` (whose prices the caller has already checked). */
export function costSection(resources: readonly RecordedResource[], table: PriceTable, region: string, prices: RegionPrices, traffic: Traffic): CostSection {
    const inv = inventory(resources);
    const ctx: Ctx = { inv, prices, hours: table.hoursPerMonth, traffic };
    const endpoints = endpointLines(ctx);
    const gateways = gatewayEndpointLines(ctx);
    const monitor = monitoringLines(ctx);
    // The counterfactual replaces the stack's own NAT gateways (and the EIPs they hold) with one per private AZ.
    const natEips = new Set(inv.natEips);
    const current = [...endpoints, ...gateways, ...natLines(ctx), ...publicIpLines(ctx, new Set()), ...monitor];
    const withEndpoints = [...endpoints, ...gateways, ...counterfactualNatLines(ctx, true), ...publicIpLines(ctx, natEips), ...monitor];
    const withoutEndpoints = [...gateways, ...counterfactualNatLines(ctx, false), ...publicIpLines(ctx, natEips), ...monitor];
    return {
        region,
        currency: table.currency,
        hoursPerMonth: table.hoursPerMonth,
        priceTable: { date: table.date, files: table.files, notes: table.notes, sources: table.sources },
        traffic: TRAFFIC_CATEGORIES.map((c) => ({ category: c, gbPerMonth: traffic[c], isDefault: traffic[c] === DEFAULT_TRAFFIC[c] })),
        estimates: [
            estimate(Design.Current, current),
            estimate(Design.NatWithEndpoints, withEndpoints),
            estimate(Design.NatWithoutEndpoints, withoutEndpoints),
        ],
        notPriced: notPriced(inv),
    };
}
