// Builds one stack description in the two shapes the engine sends it:
// - preview: a first `pulumi preview`: every reference to another resource is the unknown sentinel,
//   and the engine's property dependencies are the only way to follow it;
// - plan: every id and output known, and NO property dependencies, so a test in this mode proves
//   that resolution by known ids works on its own (the engine would send both).
// A test states its stack once and checks that both shapes get the same verdict.

import { HarnessResource, urnOf } from "../../../helpers/policy-harness";

export type Mode = "preview" | "plan";
export const MODES: readonly Mode[] = ["preview", "plan"];

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A reference to output `attr` of the stack resource named `name` (e.g. `subnet.id`, `vpc.mainRouteTableId`). */
export interface Ref {
    readonly ref: string;
    readonly attr: string;
}

export const ref = (name: string, attr = "id"): Ref => ({ ref: name, attr });

export interface Spec {
    readonly type: string;
    /** Unique within the stack: references use it. */
    readonly name: string;
    readonly props?: Record<string, unknown>;
    /** Name of the parent resource. */
    readonly parent?: string;
}

const ID_PREFIXES: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/defaultRouteTable:DefaultRouteTable": "rtb",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway": "eigw",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/vpnGateway:VpnGateway": "vgw",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
    "aws:ec2/networkInterface:NetworkInterface": "eni",
    "aws:ec2/instance:Instance": "i",
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": "pcx",
    "aws:ec2transitgateway/transitGateway:TransitGateway": "tgw",
    "aws:ec2/carrierGateway:CarrierGateway": "cagw",
    "aws:ec2/managedPrefixList:ManagedPrefixList": "pl",
};

export function idOf(spec: Spec): string {
    return `${ID_PREFIXES[spec.type] ?? spec.type.split(":").pop()!.toLowerCase()}-${spec.name}`;
}

function isRef(v: unknown): v is Ref {
    return typeof v === "object" && v !== null && typeof (v as Ref).ref === "string" && typeof (v as Ref).attr === "string";
}

export function build(specs: readonly Spec[], mode: Mode): HarnessResource[] {
    const byName = new Map<string, Spec>();
    for (const s of specs) {
        if (byName.has(s.name)) {
            throw new Error(`stack-builder: duplicate resource name ${s.name}`);
        }
        byName.set(s.name, s);
    }
    const urn = (s: Spec) => urnOf(s.type, s.name);
    const extraOutputs = new Map<string, Record<string, unknown>>();

    const resolve = (value: unknown, deps: Set<string>): unknown => {
        if (isRef(value)) {
            const target = byName.get(value.ref);
            if (target === undefined) {
                throw new Error(`stack-builder: reference to missing resource ${value.ref}`);
            }
            deps.add(urn(target));
            if (mode === "preview") {
                return UNKNOWN;
            }
            if (value.attr === "id") {
                return idOf(target);
            }
            const known = `${value.attr}-${target.name}`;
            extraOutputs.set(target.name, { ...extraOutputs.get(target.name), [value.attr]: known });
            return known;
        }
        if (Array.isArray(value)) {
            return value.map((v) => resolve(v, deps));
        }
        if (typeof value === "object" && value !== null) {
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, deps)]));
        }
        return value;
    };

    const resolved = specs.map((s) => {
        const propertyDependencies: Record<string, string[]> = {};
        const all = new Set<string>();
        const props: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(s.props ?? {})) {
            if (v === undefined) {
                continue;
            }
            const deps = new Set<string>();
            props[k] = resolve(v, deps);
            propertyDependencies[k] = [...deps];
            deps.forEach((d) => all.add(d));
        }
        return { s, props, propertyDependencies, dependencies: [...all] };
    });

    return resolved.map(({ s, props, propertyDependencies, dependencies }) => {
        const parent = s.parent === undefined ? undefined : byName.get(s.parent);
        if (s.parent !== undefined && parent === undefined) {
            throw new Error(`stack-builder: missing parent ${s.parent}`);
        }
        return {
            type: s.type,
            name: s.name,
            urn: urn(s),
            props: mode === "plan" ? { ...props, ...extraOutputs.get(s.name), id: idOf(s) } : props,
            parent: parent === undefined ? undefined : urn(parent),
            dependencies,
            propertyDependencies: mode === "preview" ? propertyDependencies : {},
        };
    });
}
