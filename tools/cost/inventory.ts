// What the recorded stack holds that the network posture pays for: endpoints, NAT gateways, public
// IPv4 addresses, flow logs, alarms and metric filters, DNS Firewall and Resolver query logs, and the AZs of the private subnets. A count or
// AZ the preview does not know yet is kept as unknown with the reason, never guessed.
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { toAnalyzerProperties } from "../analyze";
import type { RecordedResource } from "../record";

export const TYPES = {
    vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    natGateway: "aws:ec2/natGateway:NatGateway",
    eip: "aws:ec2/eip:Eip",
    ecsService: "aws:ecs/service:Service",
    flowLog: "aws:ec2/flowLog:FlowLog",
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    logMetricFilter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    defaultRouteTable: "aws:ec2/defaultRouteTable:DefaultRouteTable",
    route: "aws:ec2/route:Route",
    routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    internetGateway: "aws:ec2/internetGateway:InternetGateway",
    firewallDomainList: "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList",
    firewallRuleGroupAssociation: "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation",
    queryLogConfig: "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig",
} as const;

/** The types whose resources the section prices (the rest only help to count them). */
export const PRICED_TYPES: ReadonlySet<string> = new Set([
    TYPES.vpcEndpoint, TYPES.natGateway, TYPES.eip, TYPES.ecsService, TYPES.flowLog, TYPES.metricAlarm, TYPES.logMetricFilter,
    TYPES.firewallDomainList, TYPES.firewallRuleGroupAssociation, TYPES.queryLogConfig,
]);

/** A count, or why it is not known at preview. */
export type Count = { known: true; value: number } | { known: false; why: string };

const known = (value: number): Count => ({ known: true, value });
const unknown = (why: string): Count => ({ known: false, why });

export interface InterfaceEndpoint {
    urn: string;
    name: string;
    service: string;
    /** ENIs = AZs: one per subnet in subnetIds. */
    azCount: Count;
    /** AZ names when the subnets they sit in are known; undefined otherwise. */
    azs?: string[];
}

export interface NamedResource {
    urn: string;
    name: string;
}

export interface PublicIpHolder extends NamedResource {
    /** Public IPv4 addresses held all month. */
    addresses: Count;
}

export interface Alarm extends NamedResource {
    metrics: Count;
    highResolution: boolean | undefined;
}

export interface Inventory {
    interfaceEndpoints: InterfaceEndpoint[];
    gatewayEndpoints: (NamedResource & { service: string })[];
    /** Endpoints whose type is unknown at preview or not priced here (GatewayLoadBalancer). */
    otherEndpoints: (NamedResource & { why: string })[];
    natGateways: NamedResource[];
    /** EIPs a NAT gateway of the stack uses (replaced with the NATs in the counterfactual). */
    natEips: string[];
    publicIps: PublicIpHolder[];
    /** Flow logs delivered to CloudWatch Logs. */
    flowLogsToCloudWatch: NamedResource[];
    /** Flow logs with another destination, not priced here. */
    otherFlowLogs: (NamedResource & { destination: string })[];
    alarms: Alarm[];
    metricFilters: (NamedResource & { metrics: Count })[];
    /** DNS Firewall domain lists with their domain counts (billed per domain per month). */
    firewallDomainLists: (NamedResource & { domains: Count })[];
    /** Rule group associations: a VPC whose queries DNS Firewall processes. */
    firewallAssociations: NamedResource[];
    /** Resolver query logging configurations, with where they deliver. */
    queryLogConfigs: (NamedResource & { destination: string })[];
    /** AZs of the subnets with no route to an internet gateway (where one NAT per AZ would go). */
    privateAzs: { azs: string[] } | { azs: undefined; why: string };
}

const converted = new WeakMap<RecordedResource, Record<string, unknown>>();

// Inputs as the analyzer sees them (resource references resolved, output values plain), secrets unwrapped:
// a secret count is still a count. Converted once per resource: route and association lookups read them often.
function props(r: RecordedResource): Record<string, unknown> {
    const cached = converted.get(r);
    if (cached !== undefined) {
        return cached;
    }
    const unwrap = (v: unknown): unknown => {
        if (Array.isArray(v)) {
            return v.map(unwrap);
        }
        if (typeof v !== "object" || v === null) {
            return v;
        }
        const obj = v as Record<string, unknown>;
        if (obj[specialSigKey] === specialSecretSig) {
            return unwrap(obj.value);
        }
        return Object.fromEntries(Object.entries(obj).map(([k, x]) => [k, unwrap(x)]));
    };
    const plain = unwrap(toAnalyzerProperties(r.inputs)) as Record<string, unknown>;
    converted.set(r, plain);
    return plain;
}

const isUnknown = (v: unknown): boolean => v === unknownValue;

/** Whether `from.inputs[key]` names `target`: its known id, or a dependency on it when the value is unknown. */
function refersTo(from: RecordedResource, key: string, target: RecordedResource): boolean {
    const value = props(from)[key];
    if (target.id !== undefined && value === target.id) {
        return true;
    }
    return (from.propertyDependencies[key] ?? []).includes(target.urn);
}

function shortService(serviceName: unknown): string {
    if (typeof serviceName !== "string" || isUnknown(serviceName)) {
        return "(service unknown at preview)";
    }
    const m = /^com\.amazonaws\.[a-z0-9-]+\.(.+)$/.exec(serviceName);
    return m === null ? serviceName : m[1];
}

function subnetAz(subnet: RecordedResource): string | undefined {
    const p = props(subnet);
    const az = p.availabilityZone ?? p.availabilityZoneId;
    return typeof az === "string" && !isUnknown(az) ? az : undefined;
}

/** AZs of the subnets a list input is built from, when each element is one known subnet. */
function azsOf(r: RecordedResource, key: string, count: number, subnets: RecordedResource[]): string[] | undefined {
    const list = props(r)[key];
    const bySubnet = subnets.filter((s) => Array.isArray(list) && (list.includes(s.id) || (r.propertyDependencies[key] ?? []).includes(s.urn)));
    const azs = bySubnet.map(subnetAz);
    if (bySubnet.length !== count || azs.some((a) => a === undefined)) {
        return undefined;
    }
    return (azs as string[]).sort();
}

function listCount(value: unknown, what: string): Count {
    if (value === undefined || value === null) {
        return known(0);
    }
    if (Array.isArray(value)) {
        return known(value.length);
    }
    return unknown(`${what} is unknown at preview`);
}

function endpoints(resources: RecordedResource[], subnets: RecordedResource[], inv: Inventory): void {
    for (const r of resources.filter((x) => x.type === TYPES.vpcEndpoint)) {
        const p = props(r);
        // The provider's default endpoint type is Gateway.
        const type = p.vpcEndpointType ?? "Gateway";
        const service = shortService(p.serviceName);
        if (type === "Interface") {
            const azCount = listCount(p.subnetIds, "its subnet list");
            const azs = azCount.known ? azsOf(r, "subnetIds", azCount.value, subnets) : undefined;
            inv.interfaceEndpoints.push({ urn: r.urn, name: r.name, service, azCount, ...(azs !== undefined ? { azs } : {}) });
        } else if (type === "Gateway") {
            inv.gatewayEndpoints.push({ urn: r.urn, name: r.name, service });
        } else {
            inv.otherEndpoints.push({
                urn: r.urn, name: r.name,
                why: isUnknown(type) ? "its endpoint type is unknown at preview" : `${String(type)} endpoints are not in the price table`,
            });
        }
    }
}

function publicIps(resources: RecordedResource[], inv: Inventory): void {
    for (const r of resources.filter((x) => x.type === TYPES.ecsService)) {
        const p = props(r);
        const net = p.networkConfiguration as Record<string, unknown> | undefined;
        const assign = isUnknown(net) ? unknownValue : net?.assignPublicIp;
        if (assign === false || assign === undefined) {
            continue;
        }
        // The provider's default desired count is 0.
        const desired = p.desiredCount ?? 0;
        const addresses = isUnknown(assign)
            ? unknown("whether its tasks get a public IP is unknown at preview")
            : typeof desired === "number" ? known(desired) : unknown("its desired task count is unknown at preview");
        inv.publicIps.push({ urn: r.urn, name: r.name, addresses });
    }
    for (const r of resources.filter((x) => x.type === TYPES.eip)) {
        inv.publicIps.push({ urn: r.urn, name: r.name, addresses: known(1) });
    }
}

function monitoring(resources: RecordedResource[], inv: Inventory): void {
    for (const r of resources.filter((x) => x.type === TYPES.flowLog)) {
        // The provider's default destination type is cloud-watch-logs.
        const destination = props(r).logDestinationType ?? "cloud-watch-logs";
        if (destination === "cloud-watch-logs") {
            inv.flowLogsToCloudWatch.push({ urn: r.urn, name: r.name });
        } else {
            inv.otherFlowLogs.push({ urn: r.urn, name: r.name, destination: isUnknown(destination) ? "unknown at preview" : String(destination) });
        }
    }
    for (const r of resources.filter((x) => x.type === TYPES.metricAlarm)) {
        const p = props(r);
        const queries = p.metricQueries;
        // A metric-math alarm is billed per metric it reads; expressions themselves are free.
        const metrics = queries === undefined || (Array.isArray(queries) && queries.length === 0)
            ? known(1)
            : Array.isArray(queries) && queries.every((q) => !isUnknown(q))
                ? known(queries.filter((q) => (q as Record<string, unknown>).metric !== undefined).length)
                : unknown("its metric queries are unknown at preview");
        // High resolution means a period under 60 s, on the alarm or on any metric it reads.
        const periods = [p.period, ...(Array.isArray(queries) ? queries.map((q) => ((q as Record<string, unknown>).metric as Record<string, unknown> | undefined)?.period) : [])]
            .filter((x) => x !== undefined);
        const highResolution = periods.every((x) => typeof x === "number") ? periods.some((x) => (x as number) < 60) : undefined;
        inv.alarms.push({ urn: r.urn, name: r.name, metrics, highResolution });
    }
    for (const r of resources.filter((x) => x.type === TYPES.logMetricFilter)) {
        const t = props(r).metricTransformation as Record<string, unknown> | undefined;
        const dims = isUnknown(t) ? unknownValue : t?.dimensions;
        // With dimensions, each distinct dimension value seen in the logs is its own metric.
        const metrics = dims === undefined || (typeof dims === "object" && dims !== null && Object.keys(dims).length === 0)
            ? known(1)
            : unknown(isUnknown(dims) ? "its metric transformation is unknown at preview" : "it has dimensions: one metric per distinct value in the logs");
        inv.metricFilters.push({ urn: r.urn, name: r.name, metrics });
    }
}

function dnsFirewall(resources: RecordedResource[], inv: Inventory): void {
    for (const r of resources.filter((x) => x.type === TYPES.firewallDomainList)) {
        inv.firewallDomainLists.push({ urn: r.urn, name: r.name, domains: listCount(props(r).domains, "its domain list") });
    }
    for (const r of resources.filter((x) => x.type === TYPES.firewallRuleGroupAssociation)) {
        inv.firewallAssociations.push({ urn: r.urn, name: r.name });
    }
    for (const r of resources.filter((x) => x.type === TYPES.queryLogConfig)) {
        const arn = props(r).destinationArn;
        const service = typeof arn === "string" && !isUnknown(arn) ? /^arn:[^:]+:([^:]+):/.exec(arn)?.[1] : undefined;
        const destination = service === "logs" ? "CloudWatch Logs" : service === "s3" ? "S3" : service === "firehose" ? "Firehose" : "a destination unknown at preview";
        inv.queryLogConfigs.push({ urn: r.urn, name: r.name, destination });
    }
}

// A table routes to an internet gateway when a 0.0.0.0/0 or ::/0 route (its own resource or inline)
// names one of the stack's internet gateways or a known igw- id.
function routesToInternet(table: RecordedResource, resources: RecordedResource[], igws: RecordedResource[]): boolean {
    const isIgw = (from: RecordedResource, key: string, value: unknown): boolean =>
        (typeof value === "string" && value.startsWith("igw-")) || igws.some((g) => refersTo(from, key, g));
    const isDefault = (route: Record<string, unknown>, cidrKey: string, ipv6Key: string): boolean =>
        route[cidrKey] === "0.0.0.0/0" || route[ipv6Key] === "::/0";
    const standalone = resources.filter((x) => x.type === TYPES.route && refersTo(x, "routeTableId", table)).some((x) => {
        const p = props(x);
        return isDefault(p, "destinationCidrBlock", "destinationIpv6CidrBlock") && isIgw(x, "gatewayId", p.gatewayId);
    });
    const inline = props(table).routes;
    const inlineIgw = Array.isArray(inline) && inline.some((route) => {
        const rt = route as Record<string, unknown>;
        return isDefault(rt, "cidrBlock", "ipv6CidrBlock") && isIgw(table, "routes", rt.gatewayId);
    });
    return standalone || inlineIgw;
}

function privateAzs(resources: RecordedResource[], subnets: RecordedResource[]): Inventory["privateAzs"] {
    const igws = resources.filter((x) => x.type === TYPES.internetGateway);
    const tables = resources.filter((x) => x.type === TYPES.routeTable || x.type === TYPES.defaultRouteTable);
    const publicTables = tables.filter((t) => routesToInternet(t, resources, igws));
    const publicAssociations = resources.filter((x) => x.type === TYPES.routeTableAssociation && publicTables.some((t) => refersTo(x, "routeTableId", t)));
    const isPublic = (s: RecordedResource): boolean =>
        props(s).mapPublicIpOnLaunch === true || publicAssociations.some((a) => refersTo(a, "subnetId", s));
    const priv = subnets.filter((s) => !isPublic(s));
    const unknownAz = priv.filter((s) => subnetAz(s) === undefined);
    if (unknownAz.length > 0) {
        return { azs: undefined, why: `the AZ of private subnet${unknownAz.length === 1 ? "" : "s"} ${unknownAz.map((s) => s.name).join(", ")} is unknown at preview` };
    }
    return { azs: [...new Set(priv.map((s) => subnetAz(s) as string))].sort() };
}

/** Reads the priced resources out of a recorded stack. */
export function inventory(resources: readonly RecordedResource[]): Inventory {
    const all = [...resources];
    const subnets = all.filter((x) => x.type === TYPES.subnet);
    const inv: Inventory = {
        interfaceEndpoints: [], gatewayEndpoints: [], otherEndpoints: [], natGateways: [], natEips: [], publicIps: [],
        flowLogsToCloudWatch: [], otherFlowLogs: [], alarms: [], metricFilters: [], firewallDomainLists: [], firewallAssociations: [], queryLogConfigs: [],
        privateAzs: { azs: [] },
    };
    endpoints(all, subnets, inv);
    const eips = all.filter((x) => x.type === TYPES.eip);
    for (const r of all.filter((x) => x.type === TYPES.natGateway)) {
        inv.natGateways.push({ urn: r.urn, name: r.name });
        inv.natEips.push(...eips.filter((e) => refersTo(r, "allocationId", e)).map((e) => e.urn));
    }
    publicIps(all, inv);
    monitoring(all, inv);
    dnsFirewall(all, inv);
    inv.privateAzs = privateAzs(all, subnets);
    return inv;
}
