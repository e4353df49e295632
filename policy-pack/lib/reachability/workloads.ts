// The workloads whose paths are checked, and where each one runs: its subnets and whether it gets a
// public IPv4 address or an IPv6 address there (what an internet gateway route needs to carry its
// traffic). One pass over the resources of each workload type.

import { PolicyResource } from "@pulumi/policy";

import { StackIndex } from "../stack";
import { isUnknownSentinel, peekElements, peekValue } from "../unknowns";
import { NetworkModel, SubnetRouting } from "./network";
import { NOTHING, Resolved, resolveRefs } from "./refs";
import { TYPES } from "./types";
import { Tri, anyOf, flag, isSet, nonEmpty, peekPath, positive } from "./values";

/** Whether the workload gets an address, and the setting that gives it (for the message). */
export interface AddressFact {
    readonly tri: Tri;
    readonly why: string;
}

export interface Placement {
    readonly subnets: Resolved;
    /** Why the placement itself cannot be known (e.g. no DB subnet group: the default VPC). */
    readonly missing?: string;
    readonly publicIpv4: (subnet: SubnetRouting) => AddressFact;
    readonly ipv6: (subnet: SubnetRouting) => AddressFact;
    /**
     * Several interfaces' unknown subnets come from one dependency list (a launch template at
     * preview): each could be in any of them, so an address setting cannot be tied to a subnet.
     */
    readonly interfacesShareDependencies?: boolean;
}

export interface Workload {
    readonly resource: PolicyResource;
    readonly placements: readonly Placement[];
}

const fixed = (tri: Tri, why: string) => (): AddressFact => ({ tri, why });

const SUBNET_IPV4 = (s: SubnetRouting): AddressFact => ({ tri: s.mapPublicIpOnLaunch, why: `a public IPv4 address (its subnet '${s.subnet.name}' sets mapPublicIpOnLaunch)` });
const SUBNET_IPV6 = (s: SubnetRouting): AddressFact => ({
    tri: s.assignIpv6AddressOnCreation,
    why: `an IPv6 address (its subnet '${s.subnet.name}' sets assignIpv6AddressOnCreation)`,
});

/** An explicit setting wins; when it is not set, the subnet's default applies. */
function explicitElseSubnet(value: unknown, why: string, subnetDefault: (s: SubnetRouting) => AddressFact) {
    return isSet(value) ? fixed(flag(value), why) : subnetDefault;
}

/** IPv6 addresses requested on the interface itself, else the subnet's default. */
function ipv6Of(holder: unknown, where: string): (s: SubnetRouting) => AddressFact {
    const asked = anyOf(positive(peekValue(holder, "ipv6AddressCount")), nonEmpty(peekValue(holder, "ipv6Addresses")));
    return asked === Tri.No ? SUBNET_IPV6 : fixed(asked, `an IPv6 address (${where}ipv6AddressCount / ${where}ipv6Addresses)`);
}

const SUBNET: ReadonlySet<string> = new Set([TYPES.subnet]);
const SUBNET_GROUP: ReadonlySet<string> = new Set([TYPES.rdsSubnetGroup]);
const NETWORK_INTERFACE: ReadonlySet<string> = new Set([TYPES.networkInterface]);
const LAUNCH_TEMPLATE: ReadonlySet<string> = new Set([TYPES.launchTemplate]);
const RDS_CLUSTER: ReadonlySet<string> = new Set([TYPES.rdsCluster]);

function merge(all: readonly Resolved[]): Resolved {
    return {
        inStack: [...new Set(all.flatMap((r) => r.inStack))],
        external: [...new Set(all.flatMap((r) => r.external))],
        untraced: all.some((r) => r.untraced),
    };
}

export class WorkloadFinder {
    /** awsx components whose aws.ecs.Service child is visible (the real engine shows children). */
    private readonly servicesWithChild = new Set<string>();
    private readonly clusterPublic = new Map<string, Tri>();

    constructor(
        private readonly index: StackIndex,
        private readonly net: NetworkModel,
    ) {
        for (const svc of index.ofType(TYPES.ecsService)) {
            if (svc.parent !== undefined) {
                this.servicesWithChild.add(svc.parent.urn);
            }
        }
        for (const ci of index.ofType(TYPES.rdsClusterInstance)) {
            const clusters = resolveRefs(ci, "clusterIdentifier", peekValue(ci.props, "clusterIdentifier"), RDS_CLUSTER, net.known);
            for (const c of clusters.inStack) {
                this.clusterPublic.set(c.urn, anyOf(this.clusterPublic.get(c.urn) ?? Tri.No, flag(peekValue(ci.props, "publiclyAccessible"))));
            }
        }
    }

    /** Every workload, in the stack's order. */
    all(): Workload[] {
        const out: Workload[] = [];
        for (const r of this.index.resources) {
            const placements = this.placementsOf(r);
            if (placements.length > 0) {
                out.push({ resource: r, placements });
            }
        }
        return out;
    }

    private placementsOf(r: PolicyResource): Placement[] {
        switch (r.type) {
            case TYPES.ecsService:
                return this.ecsService(r);
            case TYPES.fargateService:
                return this.servicesWithChild.has(r.urn) ? [] : this.fargateService(r);
            case TYPES.lambdaFunction:
                return this.lambda(r);
            case TYPES.rdsInstance:
                return this.rds(r, flag(peekValue(r.props, "publiclyAccessible")), "publiclyAccessible: true");
            case TYPES.rdsCluster:
                return this.rds(r, this.clusterPublic.get(r.urn) ?? Tri.No, "a cluster instance sets publiclyAccessible: true");
            case TYPES.instance:
                return this.instance(r);
            case TYPES.launchTemplate:
                return this.launchTemplate(r);
            case TYPES.autoscalingGroup:
                return this.autoscalingGroup(r);
            default:
                return [];
        }
    }

    /** awsvpc services only: the others share their container instances' network, checked as instances. */
    private ecsService(r: PolicyResource): Placement[] {
        const net = peekValue(r.props, "networkConfiguration");
        if (net === undefined || net === null) {
            return [];
        }
        // Fargate ignores the subnet's mapPublicIpOnLaunch: only assignPublicIp gives a task a public IPv4 address.
        return [
            {
                subnets: this.net.subnets(r, "networkConfiguration", peekPath(net, ["subnets"])),
                publicIpv4: fixed(flag(peekPath(net, ["assignPublicIp"])), "a public IPv4 address (networkConfiguration.assignPublicIp)"),
                ipv6: SUBNET_IPV6,
            },
        ];
    }

    private fargateService(r: PolicyResource): Placement[] {
        const net = peekValue(r.props, "networkConfiguration");
        const assign = anyOf(flag(peekValue(r.props, "assignPublicIp")), flag(peekPath(net, ["assignPublicIp"])));
        if (net === undefined || net === null) {
            return [
                {
                    subnets: NOTHING,
                    missing: "it has no networkConfiguration, so awsx runs it in the default VPC's subnets, which are outside this stack",
                    publicIpv4: fixed(Tri.Unknown, "a public IPv4 address"),
                    ipv6: SUBNET_IPV6,
                },
            ];
        }
        return [
            {
                subnets: this.net.subnets(r, "networkConfiguration", peekPath(net, ["subnets"])),
                publicIpv4: fixed(assign, "a public IPv4 address (assignPublicIp)"),
                ipv6: SUBNET_IPV6,
            },
        ];
    }

    private lambda(r: PolicyResource): Placement[] {
        const vpc = peekValue(r.props, "vpcConfig");
        if (vpc === undefined || vpc === null) {
            return [];
        }
        return [
            {
                subnets: this.net.subnets(r, "vpcConfig", peekPath(vpc, ["subnetIds"])),
                // A VPC-attached Lambda's interfaces never get a public IPv4 address, whatever the subnet says.
                publicIpv4: fixed(Tri.No, "a public IPv4 address"),
                ipv6: fixed(flag(peekPath(vpc, ["ipv6AllowedForDualStack"])), "an IPv6 address (vpcConfig.ipv6AllowedForDualStack)"),
            },
        ];
    }

    private rds(r: PolicyResource, publicIpv4: Tri, why: string): Placement[] {
        const name = peekValue(r.props, "dbSubnetGroupName");
        const networkType = peekValue(r.props, "networkType");
        const ipv6 = fixed(isUnknownSentinel(networkType) ? Tri.Unknown : networkType === "DUAL" ? Tri.Yes : Tri.No, "an IPv6 address (networkType DUAL)");
        const ipv4 = fixed(publicIpv4, `a public IPv4 address (${why})`);
        const groups = resolveRefs(r, "dbSubnetGroupName", name, SUBNET_GROUP, this.net.known);
        if (groups.inStack.length === 0 && groups.external.length === 0 && !groups.untraced) {
            return [{ subnets: NOTHING, missing: "it names no DB subnet group, so RDS places it in the default VPC, which is outside this stack", publicIpv4: ipv4, ipv6 }];
        }
        const subnets = merge([
            { inStack: [], external: [], untraced: groups.untraced },
            ...groups.inStack.map((g) => this.net.subnets(g, "subnetIds", peekValue(g.props, "subnetIds"))),
        ]);
        const missing = groups.external.length > 0 ? `its DB subnet group ${groups.external.join(", ")} is outside this stack` : undefined;
        return [{ subnets, missing, publicIpv4: ipv4, ipv6 }];
    }

    private instance(r: PolicyResource): Placement[] {
        const publicIpv4 = explicitElseSubnet(peekValue(r.props, "associatePublicIpAddress"), "a public IPv4 address (associatePublicIpAddress)", SUBNET_IPV4);
        const ipv6 = ipv6Of(r.props, "");
        const subnetId = peekValue(r.props, "subnetId");
        const direct = this.net.subnets(r, "subnetId", subnetId);
        if (direct !== NOTHING) {
            return [{ subnets: direct, publicIpv4, ipv6 }];
        }
        // No subnetId: the subnets of the network interfaces it is launched with, else the default VPC.
        const attached = peekValue(r.props, "networkInterfaces");
        const eniIds = isUnknownSentinel(attached) ? attached : peekElements(attached).map((ni) => (isUnknownSentinel(ni) ? ni : peekValue(ni, "networkInterfaceId")));
        const enis = resolveRefs(r, "networkInterfaces", eniIds, NETWORK_INTERFACE, this.net.known);
        if (enis.inStack.length === 0 && enis.external.length === 0 && !enis.untraced) {
            return [{ subnets: NOTHING, missing: "it names no subnet, so EC2 launches it in the default VPC, which is outside this stack", publicIpv4, ipv6 }];
        }
        const subnets = merge([
            { inStack: [], external: [], untraced: enis.untraced },
            ...enis.inStack.map((eni) => this.net.subnets(eni, "subnetId", peekValue(eni.props, "subnetId"))),
        ]);
        const missing = enis.external.length > 0 ? `its network interface ${enis.external.join(", ")} is outside this stack` : undefined;
        return [{ subnets, missing, publicIpv4, ipv6 }];
    }

    private launchTemplate(r: PolicyResource): Placement[] {
        const nis = peekValue(r.props, "networkInterfaces");
        const items = isUnknownSentinel(nis) ? [{ subnetId: nis, associatePublicIpAddress: nis }] : peekElements(nis);
        const out: Placement[] = [];
        const shared = items.filter((ni) => isUnknownSentinel(peekValue(ni, "subnetId"))).length > 1;
        items.forEach((ni, i) => {
            const subnetId = peekValue(ni, "subnetId");
            if (subnetId === undefined || subnetId === null || subnetId === "") {
                // No subnet in the template: whoever launches it (an autoscaling group) chooses one.
                return;
            }
            out.push({
                interfacesShareDependencies: shared && isUnknownSentinel(subnetId),
                subnets: resolveRefs(r, "networkInterfaces", subnetId, SUBNET, this.net.known),
                publicIpv4: explicitElseSubnet(
                    peekValue(ni, "associatePublicIpAddress"),
                    `a public IPv4 address (networkInterfaces[${i}].associatePublicIpAddress)`,
                    SUBNET_IPV4,
                ),
                ipv6: ipv6Of(ni, `networkInterfaces[${i}].`),
            });
        });
        return out;
    }

    private autoscalingGroup(r: PolicyResource): Placement[] {
        const zones = peekValue(r.props, "vpcZoneIdentifiers");
        const subnets = this.net.subnets(r, "vpcZoneIdentifiers", zones);
        if (subnets === NOTHING) {
            return [];
        }
        // The first interface of the group's launch template decides, as it does for instances it launches.
        const templates = resolveRefs(r, "launchTemplate", peekPath(r.props, ["launchTemplate", "id"]), LAUNCH_TEMPLATE, this.net.known);
        const ni = templates.inStack.length === 1 ? peekElements(peekValue(templates.inStack[0].props, "networkInterfaces"))[0] : undefined;
        const via = templates.inStack.length === 1 ? `launch template '${templates.inStack[0].name}' networkInterfaces[0].` : "";
        return [
            {
                subnets,
                publicIpv4: explicitElseSubnet(peekValue(ni, "associatePublicIpAddress"), `a public IPv4 address (${via}associatePublicIpAddress)`, SUBNET_IPV4),
                ipv6: ni === undefined ? SUBNET_IPV6 : ipv6Of(ni, via),
            },
        ];
    }
}
