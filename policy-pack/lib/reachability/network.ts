// The routing side of the model, indexed once per stack: which route table each subnet really uses
// and which routes each table holds. Every index is a map filled in one pass over the resources of
// its type, and a subnet's routing is computed once and cached, so the analysis stays linear.

import { PolicyResource } from "@pulumi/policy";

import { ParsedCidr } from "../cidr";
import { StackIndex } from "../stack";
import { isUnknownSentinel, peekElements, peekValue } from "../unknowns";
import { KnownValues, NOTHING, Resolved, resolveRefs } from "./refs";
import { Destination, PrefixListEntries, Target, readDestination, readTarget } from "./routes";
import { TYPES, label } from "./types";
import { Tri, flag, knownString } from "./values";

export interface RouteInfo {
    readonly destination: Destination;
    readonly target: Target;
}

export interface Table {
    /** `route table 'app-rt'`, `the main route table of VPC 'main'`. */
    readonly label: string;
    readonly routes: readonly RouteInfo[];
}

/** The table a subnet uses and how it got it (for the path message). */
export interface TableUse {
    readonly table: Table;
    /** `explicit association`, `the VPC's main route table: no explicit association`. */
    readonly how: string;
}

export interface SubnetRouting {
    readonly subnet: PolicyResource;
    readonly tables: readonly TableUse[];
    /** What keeps the subnet's routing from being known (route table or VPC outside the stack). */
    readonly missing: readonly string[];
    readonly mapPublicIpOnLaunch: Tri;
    readonly assignIpv6AddressOnCreation: Tri;
}

const TABLE_TYPES: ReadonlySet<string> = new Set([TYPES.routeTable, TYPES.defaultRouteTable, TYPES.vpc]);
const VPC: ReadonlySet<string> = new Set([TYPES.vpc]);
const SUBNET: ReadonlySet<string> = new Set([TYPES.subnet]);
const PREFIX_LIST: ReadonlySet<string> = new Set([TYPES.managedPrefixList]);

interface Association {
    readonly via: PolicyResource;
    readonly tables: Resolved;
}

const same = (key: string) => key;
const inline = () => "routes";

export class NetworkModel {
    readonly known: KnownValues;
    /** Table key (a RouteTable's URN, or a VPC's URN for its original main table) -> routes. */
    private readonly tables = new Map<string, { readonly label: string; readonly routes: RouteInfo[] }>();
    /** DefaultRouteTable URN -> the key of the VPC main table it manages. */
    private readonly defaultTableKey = new Map<string, string>();
    private readonly explicit = new Map<string, Association>();
    private readonly mainOfVpc = new Map<string, Association>();
    private readonly prefixLists = new Map<string, { cidrs: string[]; unknown: boolean }>();
    private readonly routing = new Map<string, SubnetRouting>();

    constructor(
        index: StackIndex,
        private readonly allowed: readonly ParsedCidr[],
    ) {
        this.known = new KnownValues(index);
        for (const vpc of index.ofType(TYPES.vpc)) {
            // `routeTableId: vpc.mainRouteTableId` (or defaultRouteTableId) names the VPC's original main table.
            this.known.add(knownString(peekValue(vpc.props, "mainRouteTableId")), vpc);
            this.known.add(knownString(peekValue(vpc.props, "defaultRouteTableId")), vpc);
        }
        for (const sg of index.ofType(TYPES.rdsSubnetGroup)) {
            this.known.add(knownString(peekValue(sg.props, "name")), sg);
        }
        this.indexPrefixLists(index);
        this.indexTables(index);
        this.indexAssociations(index);
    }

    private indexPrefixLists(index: StackIndex): void {
        for (const pl of index.ofType(TYPES.managedPrefixList)) {
            const entries = { cidrs: [] as string[], unknown: false };
            const raw = peekValue(pl.props, "entries");
            entries.unknown = isUnknownSentinel(raw);
            for (const e of peekElements(raw)) {
                this.addEntry(entries, isUnknownSentinel(e) ? e : peekValue(e, "cidr"));
            }
            this.prefixLists.set(pl.urn, entries);
        }
        for (const entry of index.ofType(TYPES.managedPrefixListEntry)) {
            const lists = resolveRefs(entry, "prefixListId", peekValue(entry.props, "prefixListId"), PREFIX_LIST, this.known);
            for (const pl of lists.inStack) {
                const entries = this.prefixLists.get(pl.urn);
                if (entries !== undefined) {
                    this.addEntry(entries, peekValue(entry.props, "cidr"));
                }
            }
        }
    }

    private addEntry(entries: { cidrs: string[]; unknown: boolean }, cidr: unknown): void {
        if (isUnknownSentinel(cidr)) {
            entries.unknown = true;
        } else if (typeof cidr === "string") {
            entries.cidrs.push(cidr);
        }
    }

    private prefixListEntries = (pl: PolicyResource): PrefixListEntries => this.prefixLists.get(pl.urn) ?? { cidrs: [], unknown: true };

    private readRoutes(source: PolicyResource, routes: readonly unknown[], depProperty: (key: string) => string, into: RouteInfo[]): void {
        const ctx = { allowed: this.allowed, known: this.known, prefixListEntries: this.prefixListEntries };
        for (const route of routes) {
            const target = readTarget(source, route, depProperty, this.known);
            const destination = readDestination(source, route, depProperty, ctx);
            if (target !== undefined && destination !== undefined) {
                into.push({ destination, target });
            }
        }
    }

    /** The routes of table `key`, created with `tableLabel` on first use (tables come before routes). */
    private table(key: string, tableLabel: string): RouteInfo[] {
        let t = this.tables.get(key);
        if (t === undefined) {
            t = { label: tableLabel, routes: [] };
            this.tables.set(key, t);
        }
        return t.routes;
    }

    private inlineRoutes(r: PolicyResource): unknown[] {
        const raw = peekValue(r.props, "routes");
        // An unknown route list could hold anything: one route with every part unknown stands for it.
        return isUnknownSentinel(raw) ? [{ destinationCidrBlock: raw, gatewayId: raw }] : peekElements(raw);
    }

    private indexTables(index: StackIndex): void {
        for (const rt of index.ofType(TYPES.routeTable)) {
            this.readRoutes(rt, this.inlineRoutes(rt), inline, this.table(rt.urn, label(rt)));
        }
        for (const drt of index.ofType(TYPES.defaultRouteTable)) {
            const vpcs = resolveRefs(drt, "defaultRouteTableId", peekValue(drt.props, "defaultRouteTableId"), VPC, this.known);
            const key = vpcs.inStack.length === 1 ? vpcs.inStack[0].urn : drt.urn;
            this.defaultTableKey.set(drt.urn, key);
            this.readRoutes(drt, this.inlineRoutes(drt), inline, this.table(key, label(drt)));
        }
        for (const route of index.ofType(TYPES.route)) {
            const tables = resolveRefs(route, "routeTableId", peekValue(route.props, "routeTableId"), TABLE_TYPES, this.known);
            for (const t of tables.inStack) {
                this.readRoutes(route, [route.props], same, this.table(this.keyOf(t), mainLabel(t)));
            }
        }
    }

    private indexAssociations(index: StackIndex): void {
        for (const a of index.ofType(TYPES.routeTableAssociation)) {
            const subnets = resolveRefs(a, "subnetId", peekValue(a.props, "subnetId"), SUBNET, this.known);
            const tables = resolveRefs(a, "routeTableId", peekValue(a.props, "routeTableId"), TABLE_TYPES, this.known);
            for (const s of subnets.inStack) {
                this.explicit.set(s.urn, { via: a, tables });
            }
        }
        for (const m of index.ofType(TYPES.mainRouteTableAssociation)) {
            const vpcs = resolveRefs(m, "vpcId", peekValue(m.props, "vpcId"), VPC, this.known);
            const tables = resolveRefs(m, "routeTableId", peekValue(m.props, "routeTableId"), TABLE_TYPES, this.known);
            for (const v of vpcs.inStack) {
                this.mainOfVpc.set(v.urn, { via: m, tables });
            }
        }
    }

    private keyOf(t: PolicyResource): string {
        return t.type === TYPES.defaultRouteTable ? this.defaultTableKey.get(t.urn) ?? t.urn : t.urn;
    }

    private use(key: string, fallbackLabel: string, how: string): TableUse {
        const t = this.tables.get(key);
        return { table: { label: t?.label ?? fallbackLabel, routes: t?.routes ?? [] }, how };
    }

    private associated(subnet: PolicyResource, a: Association, how: string, missing: string[]): TableUse[] {
        for (const ext of a.tables.external) {
            missing.push(`${label(subnet)} uses route table ${ext} (${how}), which is outside this stack`);
        }
        if (a.tables.untraced) {
            missing.push(`${label(subnet)} uses a route table (${how}) known only after deployment, from no resource of this stack`);
        }
        return a.tables.inStack.map((t) => this.use(this.keyOf(t), mainLabel(t), how));
    }

    /** Which tables `subnet` (a stack subnet) uses, and its public-address settings. Cached. */
    routingOf(subnet: PolicyResource): SubnetRouting {
        const cached = this.routing.get(subnet.urn);
        if (cached !== undefined) {
            return cached;
        }
        const missing: string[] = [];
        let tables: TableUse[] = [];
        const explicit = this.explicit.get(subnet.urn);
        if (explicit !== undefined) {
            tables = this.associated(subnet, explicit, "explicit association", missing);
        } else {
            const vpcs = resolveRefs(subnet, "vpcId", peekValue(subnet.props, "vpcId"), VPC, this.known);
            if (vpcs.inStack.length === 0) {
                const vpc = vpcs.external.length > 0 ? `its VPC ${vpcs.external.join(", ")} is outside this stack` : "its VPC is no resource of this stack";
                missing.push(`${label(subnet)} has no explicit route table association and ${vpc}, so the VPC's main route table is unknown`);
            }
            for (const vpc of vpcs.inStack) {
                const main = this.mainOfVpc.get(vpc.urn);
                tables.push(
                    ...(main !== undefined
                        ? this.associated(subnet, main, `the VPC's main route table through main route table association '${main.via.name}'; no explicit association`, missing)
                        : [this.use(vpc.urn, mainLabel(vpc), "the VPC's main route table: no explicit association")]),
                );
            }
        }
        const routing: SubnetRouting = {
            subnet,
            tables,
            missing,
            mapPublicIpOnLaunch: flag(peekValue(subnet.props, "mapPublicIpOnLaunch")),
            assignIpv6AddressOnCreation: flag(peekValue(subnet.props, "assignIpv6AddressOnCreation")),
        };
        this.routing.set(subnet.urn, routing);
        return routing;
    }

    /** Resolves the subnets of a reference property of `resource`. */
    subnets(resource: PolicyResource, property: string, value: unknown): Resolved {
        return value === undefined && (resource.propertyDependencies[property] ?? []).length === 0
            ? NOTHING
            : resolveRefs(resource, property, value, SUBNET, this.known);
    }
}

/** A VPC stands for its original main table (no DefaultRouteTable manages it). */
function mainLabel(t: PolicyResource): string {
    return t.type === TYPES.vpc ? `the main route table of ${label(t)}` : label(t);
}
