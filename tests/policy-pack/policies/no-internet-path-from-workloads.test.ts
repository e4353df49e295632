import { expect } from "chai";
import * as fc from "fast-check";
import { StackValidationArgs } from "@pulumi/policy";

import { noInternetPathFromWorkloads } from "../../../policy-pack/policies/no-internet-path-from-workloads";
import { TYPES as T } from "../../../policy-pack/lib/reachability/types";
import { HarnessResource, RunOptions, fromRecordedStack, runStackPolicy, urnOf } from "../../helpers/policy-harness";
import { MODES, Spec, UNKNOWN, build, ref } from "../lib/reachability/stack-builder";
import { randomStack } from "../../helpers/random-stack";
import { repoStack } from "../../helpers/repo-stacks";

const POLICY = "no-internet-path-from-workloads";
const RULE =
    "only egress gateways (tag trace:egress-gateway=rpc|webhook) may have a route to addresses outside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16";
const ROUTE_FIX = "Remove the route, or run this workload behind the webhook gateway.";
const ADDRESS_FIX =
    "Give it no public address, or move it to subnets without an internet gateway route, and call the internet through the webhook gateway.";
const ADVICE =
    "It is checked again when the values are known; bring the missing resources into this stack, or list subnets of other stacks that are isolated in isolatedExternalSubnets.";

const APP_TABLE = "subnet 'app-a' uses route table 'app-rt' (explicit association)";

interface Verdict {
    readonly level: string;
    readonly urn: string;
    readonly detail: string;
}

/** Runs the policy on the stack in preview and plan shape; both must give exactly the same verdicts. */
async function verdicts(specs: readonly Spec[], opts: RunOptions = {}): Promise<Verdict[]> {
    // One after the other: the library keeps the configured policy config in module state.
    const preview = await runStackPolicy(noInternetPathFromWorkloads, build(specs, "preview"), opts);
    const plan = await runStackPolicy(noInternetPathFromWorkloads, build(specs, "plan"), opts);
    const shape = (r: typeof preview) =>
        r.diagnostics.map((d) => {
            expect(d.policyName).to.equal(POLICY);
            return { level: d.enforcementLevel, urn: d.urn, detail: d.detail };
        });
    expect(shape(plan), "plan-mode verdicts differ from preview").to.deep.equal(shape(preview));
    return shape(preview);
}

async function previewVerdicts(specs: readonly Spec[], opts: RunOptions = {}): Promise<Verdict[]> {
    const r = await runStackPolicy(noInternetPathFromWorkloads, build(specs, "preview"), opts);
    return r.diagnostics.map((d) => ({ level: d.enforcementLevel, urn: d.urn, detail: d.detail }));
}

const violation = (type: string, name: string, subject: string, path: string, fix = ROUTE_FIX): Verdict => ({
    level: "mandatory",
    urn: urnOf(type, name),
    detail: `${subject} can reach the internet: ${path}; ${RULE}. ${fix}`,
});

const advisory = (type: string, name: string, subject: string, missing: string): Verdict => ({
    level: "advisory",
    urn: urnOf(type, name),
    detail: `cannot prove ${subject} has no path to the internet: ${missing}. ${ADVICE}`,
});

// ------------------------------------------------------------------------------------------------
// A compliant stack: every workload kind in a private app subnet, an egress gateway in a public one.

const network: Spec[] = [
    { type: T.vpc, name: "main", props: { cidrBlock: "10.0.0.0/16" } },
    { type: T.subnet, name: "app-a", props: { vpcId: ref("main"), cidrBlock: "10.0.1.0/24", mapPublicIpOnLaunch: false } },
    { type: T.routeTable, name: "app-rt", props: { vpcId: ref("main") } },
    { type: T.routeTableAssociation, name: "app-a-assoc", props: { subnetId: ref("app-a"), routeTableId: ref("app-rt") } },
    { type: T.subnet, name: "egress-a", props: { vpcId: ref("main"), cidrBlock: "10.0.9.0/24", mapPublicIpOnLaunch: false } },
    { type: T.routeTable, name: "egress-rt", props: { vpcId: ref("main") } },
    { type: T.routeTableAssociation, name: "egress-a-assoc", props: { subnetId: ref("egress-a"), routeTableId: ref("egress-rt") } },
    { type: T.internetGateway, name: "igw", props: { vpcId: ref("main") } },
    { type: T.route, name: "egress-default", props: { routeTableId: ref("egress-rt"), destinationCidrBlock: "0.0.0.0/0", gatewayId: ref("igw") } },
    {
        type: T.ecsService,
        name: "webhook",
        props: {
            networkConfiguration: { subnets: [ref("egress-a")], assignPublicIp: true },
            tags: { "trace:egress-gateway": "webhook" },
        },
    },
];

/** One workload of each kind, all in app-a; `subject` is how messages name it. */
const WORKLOADS = [
    { type: T.ecsService, name: "jobs", subject: "ECS service 'jobs'", props: { networkConfiguration: { subnets: [ref("app-a")], assignPublicIp: false } } },
    { type: T.lambdaFunction, name: "udf", subject: "Lambda function 'udf'", props: { vpcConfig: { subnetIds: [ref("app-a")], securityGroupIds: [] } } },
    { type: T.rdsInstance, name: "pg", subject: "RDS instance 'pg'", props: { dbSubnetGroupName: ref("db", "name"), publiclyAccessible: false } },
    { type: T.rdsCluster, name: "aurora", subject: "RDS cluster 'aurora'", props: { dbSubnetGroupName: ref("db", "name") } },
    { type: T.instance, name: "worker", subject: "EC2 instance 'worker'", props: { subnetId: ref("app-a") } },
    { type: T.launchTemplate, name: "lt", subject: "launch template 'lt'", props: { networkInterfaces: [{ subnetId: ref("app-a"), deviceIndex: 0 }] } },
    { type: T.autoscalingGroup, name: "asg", subject: "autoscaling group 'asg'", props: { vpcZoneIdentifiers: [ref("app-a")], maxSize: 1, minSize: 1 } },
    { type: T.fargateService, name: "fargate", subject: "awsx Fargate service 'fargate'", props: { networkConfiguration: { subnets: [ref("app-a")] } } },
] as const;

const workloads: Spec[] = [
    { type: T.rdsSubnetGroup, name: "db", props: { subnetIds: [ref("app-a")] } },
    ...WORKLOADS.map((w) => ({ type: w.type, name: w.name, props: w.props })),
];

const baseline: Spec[] = [...network, ...workloads];

/** The baseline with extra resources and some resources' props replaced (by name). */
function variant(extra: Spec[], changes: Record<string, Record<string, unknown>> = {}, base: Spec[] = baseline): Spec[] {
    const changed = base.map((s) => (changes[s.name] === undefined ? s : { ...s, props: { ...s.props, ...changes[s.name] } }));
    return [...changed, ...extra];
}

const appRoute = (name: string, props: Record<string, unknown>): Spec => ({ type: T.route, name, props: { routeTableId: ref("app-rt"), ...props } });

/** Every workload of WORKLOADS has exactly this path. */
function everyWorkload(path: string, fix = ROUTE_FIX): Verdict[] {
    return WORKLOADS.map((w) => violation(w.type, w.name, w.subject, path, fix));
}

describe("no-internet-path-from-workloads", () => {
    it("passes the compliant baseline: private workloads, and an egress gateway whose public path is allowed", async () => {
        expect(await verdicts(baseline)).to.deep.equal([]);
    });

    it("reports the egress gateway's path once its tag names no configured gateway kind", async () => {
        const v = await verdicts(variant([], { webhook: { tags: { "trace:egress-gateway": "ftp" } } }));
        expect(v).to.deep.equal([
            violation(
                T.ecsService,
                "webhook",
                "ECS service 'webhook'",
                "subnet 'egress-a' uses route table 'egress-rt' (explicit association) which routes 0.0.0.0/0 to internet gateway 'igw', and it gets a public IPv4 address (networkConfiguration.assignPublicIp)",
                ADDRESS_FIX,
            ),
        ]);
    });

    describe("path kinds (every workload kind, preview and plan alike)", () => {
        const kinds: [string, Spec, string, string][] = [
            ["a NAT gateway", { type: T.natGateway, name: "nat-a", props: { subnetId: ref("egress-a") } }, "natGatewayId", "NAT gateway 'nat-a'"],
            ["a transit gateway", { type: T.transitGateway, name: "tgw" }, "transitGatewayId", "transit gateway 'tgw'"],
            ["a VPC peering connection", { type: T.vpcPeeringConnection, name: "peer" }, "vpcPeeringConnectionId", "VPC peering connection 'peer'"],
            ["a virtual private gateway", { type: T.vpnGateway, name: "vgw" }, "gatewayId", "virtual private gateway 'vgw'"],
            ["a network interface", { type: T.networkInterface, name: "appliance-eni", props: { subnetId: ref("egress-a") } }, "networkInterfaceId", "network interface 'appliance-eni'"],
            ["an instance", { type: T.instance, name: "nat-box", props: { subnetId: ref("egress-a") } }, "instanceId", "EC2 instance 'nat-box'"],
            ["a carrier gateway", { type: T.carrierGateway, name: "cagw", props: { vpcId: ref("main") } }, "carrierGatewayId", "carrier gateway 'cagw'"],
            ["a core network", { type: T.coreNetwork, name: "wan", props: { globalNetworkId: "global-network-1" } }, "coreNetworkArn", "core network 'wan'"],
            [
                "a gateway load balancer endpoint",
                { type: T.vpcEndpoint, name: "inspect", props: { vpcEndpointType: "GatewayLoadBalancer", serviceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-1" } },
                "vpcEndpointId",
                "VPC endpoint 'inspect'",
            ],
        ];
        for (const [what, target, key, shown] of kinds) {
            it(`reports a default route to ${what}, whatever the workload's addresses`, async () => {
                const v = await verdicts(variant([target, appRoute("out", { destinationCidrBlock: "0.0.0.0/0", [key]: ref(target.name) })]));
                expect(v).to.deep.equal(everyWorkload(`${APP_TABLE} which routes 0.0.0.0/0 to ${shown}`));
            });
        }

        it("reports a route to a local gateway (no Pulumi resource: its id is always known)", async () => {
            const v = await verdicts(variant([appRoute("out", { destinationCidrBlock: "0.0.0.0/0", localGatewayId: "lgw-0123456789abcdef0" })]));
            expect(v).to.deep.equal(everyWorkload(`${APP_TABLE} which routes 0.0.0.0/0 to local gateway lgw-0123456789abcdef0 (outside this stack)`));
        });

        it("reports an IPv6 default route, a public range and a prefix list with a public entry", async () => {
            const extra: Spec[] = [
                { type: T.natGateway, name: "nat-a" },
                { type: T.managedPrefixList, name: "partners", props: { addressFamily: "IPv4", maxEntries: 2, entries: [{ cidr: "10.8.0.0/16" }, { cidr: "203.0.113.0/24" }] } },
            ];
            for (const [dest, shown] of [
                [{ destinationIpv6CidrBlock: "::/0" }, "::/0"],
                [{ destinationCidrBlock: "8.8.8.0/24" }, "8.8.8.0/24"],
                [{ destinationCidrBlock: "0.0.0.0/1" }, "0.0.0.0/1"],
                [{ destinationPrefixListId: ref("partners") }, "prefix list 'partners' (203.0.113.0/24)"],
            ] as const) {
                const v = await verdicts(variant([...extra, appRoute("out", { ...dest, natGatewayId: ref("nat-a") })]));
                expect(v, shown).to.deep.equal(everyWorkload(`${APP_TABLE} which routes ${shown} to NAT gateway 'nat-a'`));
            }
        });

        it("reads a prefix list's entries from standalone aws.ec2.ManagedPrefixListEntry resources too", async () => {
            const v = await verdicts(
                variant([
                    { type: T.natGateway, name: "nat-a" },
                    { type: T.managedPrefixList, name: "partners", props: { addressFamily: "IPv4", maxEntries: 2 } },
                    { type: T.managedPrefixListEntry, name: "partner-1", props: { prefixListId: ref("partners"), cidr: "198.51.100.0/24" } },
                    appRoute("out", { destinationPrefixListId: ref("partners"), natGatewayId: ref("nat-a") }),
                ]),
            );
            expect(v).to.deep.equal(everyWorkload(`${APP_TABLE} which routes prefix list 'partners' (198.51.100.0/24) to NAT gateway 'nat-a'`));
        });

        it("follows an instance launched with a network interface to that interface's subnet", async () => {
            const v = await verdicts(
                variant(
                    [
                        { type: T.natGateway, name: "nat-a" },
                        { type: T.networkInterface, name: "worker-eni", props: { subnetId: ref("app-a") } },
                        appRoute("out", { destinationCidrBlock: "0.0.0.0/0", natGatewayId: ref("nat-a") }),
                    ],
                    { worker: { subnetId: undefined, networkInterfaces: [{ networkInterfaceId: ref("worker-eni"), deviceIndex: 0 }] } },
                ),
            );
            expect(v).to.deep.equal(everyWorkload(`${APP_TABLE} which routes 0.0.0.0/0 to NAT gateway 'nat-a'`));
        });

        it("reads inline routes of the route table as well as aws.ec2.Route", async () => {
            const v = await verdicts(
                variant([{ type: T.natGateway, name: "nat-a" }], { "app-rt": { routes: [{ cidrBlock: "10.9.0.0/16", vpcPeeringConnectionId: "pcx-0inside" }, { cidrBlock: "0.0.0.0/0", natGatewayId: ref("nat-a") }] } }),
            );
            expect(v).to.deep.equal(everyWorkload(`${APP_TABLE} which routes 0.0.0.0/0 to NAT gateway 'nat-a'`));
        });
    });

    describe("internet gateways need a public address", () => {
        const igwRoute = appRoute("out", { destinationCidrBlock: "0.0.0.0/0", gatewayId: ref("igw") });
        const igwPath = `${APP_TABLE} which routes 0.0.0.0/0 to internet gateway 'igw', and it gets`;

        it("reports ECS services with assignPublicIp, awsx Fargate services with assignPublicIp, and RDS publicly accessible", async () => {
            const v = await verdicts(
                variant([igwRoute], {
                    jobs: { networkConfiguration: { subnets: [ref("app-a")], assignPublicIp: true } },
                    fargate: { assignPublicIp: true },
                    pg: { publiclyAccessible: true },
                }),
            );
            expect(v).to.deep.equal([
                violation(T.ecsService, "jobs", "ECS service 'jobs'", `${igwPath} a public IPv4 address (networkConfiguration.assignPublicIp)`, ADDRESS_FIX),
                violation(T.rdsInstance, "pg", "RDS instance 'pg'", `${igwPath} a public IPv4 address (publiclyAccessible: true)`, ADDRESS_FIX),
                violation(T.fargateService, "fargate", "awsx Fargate service 'fargate'", `${igwPath} a public IPv4 address (assignPublicIp)`, ADDRESS_FIX),
            ]);
        });

        it("reports instances, launch templates and groups in a subnet that maps public IPs, unless they opt out", async () => {
            const v = await verdicts(
                variant([igwRoute], {
                    "app-a": { mapPublicIpOnLaunch: true },
                    lt: { networkInterfaces: [{ subnetId: ref("app-a"), associatePublicIpAddress: "false" }] },
                }),
            );
            const why = "a public IPv4 address (its subnet 'app-a' sets mapPublicIpOnLaunch)";
            expect(v).to.deep.equal([
                violation(T.instance, "worker", "EC2 instance 'worker'", `${igwPath} ${why}`, ADDRESS_FIX),
                violation(T.autoscalingGroup, "asg", "autoscaling group 'asg'", `${igwPath} ${why}`, ADDRESS_FIX),
            ]);
        });

        it("reports an RDS cluster one of whose cluster instances is publicly accessible", async () => {
            const v = await verdicts(
                variant([igwRoute, { type: T.rdsClusterInstance, name: "aurora-1", props: { clusterIdentifier: ref("aurora"), publiclyAccessible: true } }]),
            );
            expect(v).to.deep.equal([
                violation(T.rdsCluster, "aurora", "RDS cluster 'aurora'", `${igwPath} a public IPv4 address (a cluster instance sets publiclyAccessible: true)`, ADDRESS_FIX),
            ]);
        });

        it("gives an autoscaling group the public IP setting of its launch template's first interface", async () => {
            const v = await verdicts(
                variant([igwRoute], {
                    lt: { networkInterfaces: [{ associatePublicIpAddress: "true", deviceIndex: 0 }] },
                    asg: { vpcZoneIdentifiers: [ref("app-a")], launchTemplate: { id: ref("lt"), version: "$Latest" } },
                }),
            );
            expect(v).to.deep.equal([
                violation(
                    T.autoscalingGroup,
                    "asg",
                    "autoscaling group 'asg'",
                    `${igwPath} a public IPv4 address (launch template 'lt' networkInterfaces[0].associatePublicIpAddress)`,
                    ADDRESS_FIX,
                ),
            ]);
        });

        it("reports an instance and a launch template that ask for a public IP in a private-by-default subnet", async () => {
            const v = await verdicts(
                variant([igwRoute], {
                    worker: { associatePublicIpAddress: true },
                    lt: { networkInterfaces: [{ subnetId: ref("app-a"), associatePublicIpAddress: "true" }] },
                }),
            );
            expect(v).to.deep.equal([
                violation(T.instance, "worker", "EC2 instance 'worker'", `${igwPath} a public IPv4 address (associatePublicIpAddress)`, ADDRESS_FIX),
                violation(T.launchTemplate, "lt", "launch template 'lt'", `${igwPath} a public IPv4 address (networkInterfaces[0].associatePublicIpAddress)`, ADDRESS_FIX),
            ]);
        });

        it("does not tie a launch template interface's public IP to a subnet at preview when several interfaces share one dependency list", async () => {
            // Interface 0 (public) is in app-a, which has no internet route; interface 1 (private) is in egress-a, which does.
            const stack = variant([], {
                lt: {
                    networkInterfaces: [
                        { subnetId: ref("app-a"), associatePublicIpAddress: "true", deviceIndex: 0 },
                        { subnetId: ref("egress-a"), associatePublicIpAddress: "false", deviceIndex: 1 },
                    ],
                },
            });
            const plan = await runStackPolicy(noInternetPathFromWorkloads, build(stack, "plan"));
            expect(plan.diagnostics).to.deep.equal([]);
            expect(await previewVerdicts(stack)).to.deep.equal([
                advisory(
                    T.launchTemplate,
                    "lt",
                    "launch template 'lt'",
                    "subnet 'egress-a' uses route table 'egress-rt' (explicit association) which routes 0.0.0.0/0 to internet gateway 'igw', and whether the interface in that subnet gets a public IPv4 address (networkInterfaces[0].associatePublicIpAddress) is known only after deployment",
                ),
            ]);
        });

        it("reports IPv6 paths through an egress-only internet gateway for workloads with IPv6 addresses", async () => {
            const v = await verdicts(
                variant(
                    [
                        { type: T.egressOnlyInternetGateway, name: "eigw", props: { vpcId: ref("main") } },
                        appRoute("out6", { destinationIpv6CidrBlock: "::/0", egressOnlyGatewayId: ref("eigw") }),
                    ],
                    { udf: { vpcConfig: { subnetIds: [ref("app-a")], ipv6AllowedForDualStack: true } }, worker: { ipv6AddressCount: 1 } },
                ),
            );
            const path = `${APP_TABLE} which routes ::/0 to egress-only internet gateway 'eigw', and it gets`;
            expect(v).to.deep.equal([
                violation(T.lambdaFunction, "udf", "Lambda function 'udf'", `${path} an IPv6 address (vpcConfig.ipv6AllowedForDualStack)`, ADDRESS_FIX),
                violation(T.instance, "worker", "EC2 instance 'worker'", `${path} an IPv6 address (ipv6AddressCount / ipv6Addresses)`, ADDRESS_FIX),
            ]);
        });

        it("gives every ENI in a subnet with assignIpv6AddressOnCreation an IPv6 path through an internet gateway, except IPv4-only RDS", async () => {
            const v = await verdicts(variant([appRoute("out6", { destinationIpv6CidrBlock: "::/0", gatewayId: ref("igw") })], { "app-a": { assignIpv6AddressOnCreation: true } }));
            const why = "an IPv6 address (its subnet 'app-a' sets assignIpv6AddressOnCreation)";
            const path = `${APP_TABLE} which routes ::/0 to internet gateway 'igw', and it gets ${why}`;
            expect(v).to.deep.equal(
                WORKLOADS.filter((w) => ![T.lambdaFunction, T.rdsInstance, T.rdsCluster].includes(w.type as never)).map((w) => violation(w.type, w.name, w.subject, path, ADDRESS_FIX)),
            );
        });
    });

    describe("no path", () => {
        it("a public IP without an internet gateway route is no path", async () => {
            const v = await verdicts(
                variant([], {
                    "app-a": { mapPublicIpOnLaunch: true, assignIpv6AddressOnCreation: true },
                    jobs: { networkConfiguration: { subnets: [ref("app-a")], assignPublicIp: true } },
                    worker: { associatePublicIpAddress: true },
                }),
            );
            expect(v).to.deep.equal([]);
        });

        it("an internet gateway route without a public address is no path", async () => {
            const v = await verdicts(
                variant([
                    appRoute("out", { destinationCidrBlock: "0.0.0.0/0", gatewayId: ref("igw") }),
                    { type: T.egressOnlyInternetGateway, name: "eigw" },
                    appRoute("out6", { destinationIpv6CidrBlock: "::/0", egressOnlyGatewayId: ref("eigw") }),
                ]),
            );
            expect(v).to.deep.equal([]);
        });

        it("routes only inside the allowed CIDRs are no path, even to a NAT, a peering or a transit gateway", async () => {
            const v = await verdicts(
                variant([
                    { type: T.natGateway, name: "nat-a" },
                    { type: T.transitGateway, name: "tgw" },
                    { type: T.managedPrefixList, name: "corp", props: { entries: [{ cidr: "192.168.0.0/16" }] } },
                    appRoute("r1", { destinationCidrBlock: "10.50.0.0/16", natGatewayId: ref("nat-a") }),
                    appRoute("r2", { destinationCidrBlock: "172.16.0.0/12", vpcPeeringConnectionId: "pcx-0corp" }),
                    appRoute("r3", { destinationPrefixListId: ref("corp"), transitGatewayId: ref("tgw") }),
                ]),
            );
            expect(v).to.deep.equal([]);
        });

        it("the local route and gateway endpoints are no path", async () => {
            const v = await verdicts(
                variant([
                    { type: T.vpcEndpoint, name: "s3", props: { vpcEndpointType: "Gateway", serviceName: "com.amazonaws.eu-west-1.s3" } },
                    appRoute("s3-route", { destinationPrefixListId: "pl-6da54004", gatewayId: ref("s3") }),
                    appRoute("local", { destinationCidrBlock: "0.0.0.0/0", gatewayId: "local" }),
                ]),
            );
            expect(v).to.deep.equal([]);
        });

        it("widening the allowlist through pack config turns a path into no path", async () => {
            const stack = variant([{ type: T.natGateway, name: "nat-a" }, appRoute("out", { destinationCidrBlock: "100.64.0.0/10", natGatewayId: ref("nat-a") })]);
            expect(await verdicts(stack)).to.have.length(WORKLOADS.length);
            expect(await verdicts(stack, { config: { allowedCidrs: ["10.0.0.0/8", "100.64.0.0/10"] } })).to.deep.equal([]);
        });
    });

    describe("the subnet's route table: explicit association, else the VPC's main route table", () => {
        const unassociated = (changes: Record<string, Record<string, unknown>> = {}, extra: Spec[] = []) =>
            variant(extra, changes, baseline.filter((s) => s.name !== "app-a-assoc"));

        it("a subnet without an association uses the VPC's default main table, which has only the local route", async () => {
            expect(await verdicts(unassociated())).to.deep.equal([]);
        });

        it("follows a DefaultRouteTable that adopts the main table and routes it to a NAT", async () => {
            const v = await verdicts(
                unassociated({}, [
                    { type: T.natGateway, name: "nat-a" },
                    { type: T.defaultRouteTable, name: "main-rt", props: { defaultRouteTableId: ref("main", "defaultRouteTableId"), routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: ref("nat-a") }] } },
                ]),
            );
            expect(v).to.deep.equal(
                everyWorkload("subnet 'app-a' uses default route table 'main-rt' (the VPC's main route table: no explicit association) which routes 0.0.0.0/0 to NAT gateway 'nat-a'"),
            );
        });

        it("follows an aws.ec2.Route added to the VPC's original main table", async () => {
            const v = await verdicts(
                unassociated({}, [
                    { type: T.natGateway, name: "nat-a" },
                    { type: T.route, name: "main-out", props: { routeTableId: ref("main", "mainRouteTableId"), destinationCidrBlock: "0.0.0.0/0", natGatewayId: ref("nat-a") } },
                ]),
            );
            expect(v).to.deep.equal(
                everyWorkload("subnet 'app-a' uses the main route table of VPC 'main' (the VPC's main route table: no explicit association) which routes 0.0.0.0/0 to NAT gateway 'nat-a'"),
            );
        });

        it("follows a MainRouteTableAssociation that makes another table the main one", async () => {
            const v = await verdicts(
                unassociated({}, [
                    { type: T.natGateway, name: "nat-a" },
                    { type: T.routeTable, name: "shared-rt", props: { vpcId: ref("main"), routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: ref("nat-a") }] } },
                    { type: T.mainRouteTableAssociation, name: "main-assoc", props: { vpcId: ref("main"), routeTableId: ref("shared-rt") } },
                ]),
            );
            expect(v).to.deep.equal(
                everyWorkload(
                    "subnet 'app-a' uses route table 'shared-rt' (the VPC's main route table through main route table association 'main-assoc'; no explicit association) which routes 0.0.0.0/0 to NAT gateway 'nat-a'",
                ),
            );
        });

        it("ignores the main table's routes for a subnet with an explicit association", async () => {
            const v = await verdicts(
                variant([
                    { type: T.natGateway, name: "nat-a" },
                    { type: T.defaultRouteTable, name: "main-rt", props: { defaultRouteTableId: ref("main", "defaultRouteTableId"), routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: ref("nat-a") }] } },
                ]),
            );
            expect(v).to.deep.equal([]);
        });
    });

    describe("resources outside the stack: advisory, never mandatory, never silent", () => {
        const jobsIn = (subnets: unknown[]) => ({ jobs: { networkConfiguration: { subnets, assignPublicIp: false } } });
        const jobsAdvisory = (missing: string) => advisory(T.ecsService, "jobs", "ECS service 'jobs'", missing);

        it("cannot prove a workload in a subnet of another stack", async () => {
            const v = await verdicts(variant([], jobsIn([ref("app-a"), "subnet-0abc1234"])));
            expect(v).to.deep.equal([jobsAdvisory("subnet subnet-0abc1234 is outside this stack")]);
        });

        it("accepts external subnets the team declares isolated", async () => {
            expect(await verdicts(variant([], jobsIn(["subnet-0abc1234"])), { config: { isolatedExternalSubnets: ["subnet-0abc1234"] } })).to.deep.equal([]);
        });

        it("still reports a definite path in the stack next to an external subnet", async () => {
            const v = await verdicts(
                variant([{ type: T.natGateway, name: "nat-a" }, appRoute("out", { destinationCidrBlock: "0.0.0.0/0", natGatewayId: ref("nat-a") })], jobsIn([ref("app-a"), "subnet-0abc1234"])),
            );
            expect(v).to.deep.equal(everyWorkload(`${APP_TABLE} which routes 0.0.0.0/0 to NAT gateway 'nat-a'`));
        });

        it("cannot prove a subnet associated with a route table of another stack", async () => {
            const v = await verdicts(variant([], { "app-a-assoc": { routeTableId: "rtb-0ext" } }));
            expect(v).to.deep.equal(WORKLOADS.map((w) => advisory(w.type, w.name, w.subject, "subnet 'app-a' uses route table rtb-0ext (explicit association), which is outside this stack")));
        });

        it("cannot prove an unassociated subnet of a VPC from another stack", async () => {
            const v = await verdicts(variant([], { "app-a": { vpcId: "vpc-0ext" } }, baseline.filter((s) => s.name !== "app-a-assoc")));
            expect(v).to.deep.equal(
                WORKLOADS.map((w) =>
                    advisory(w.type, w.name, w.subject, "subnet 'app-a' has no explicit route table association and its VPC vpc-0ext is outside this stack, so the VPC's main route table is unknown"),
                ),
            );
        });

        it("reports a NAT gateway of another stack (the key says what it is) but cannot prove a gatewayId of another stack", async () => {
            const nat = await verdicts(variant([appRoute("out", { destinationCidrBlock: "0.0.0.0/0", natGatewayId: "nat-0ext" })]));
            expect(nat).to.deep.equal(everyWorkload(`${APP_TABLE} which routes 0.0.0.0/0 to NAT gateway nat-0ext (outside this stack)`));
            const gw = await verdicts(variant([appRoute("out", { destinationCidrBlock: "0.0.0.0/0", gatewayId: "gw-0ext" })]));
            expect(gw).to.deep.equal(
                WORKLOADS.map((w) =>
                    advisory(
                        w.type,
                        w.name,
                        w.subject,
                        `${APP_TABLE} which routes 0.0.0.0/0 to gatewayId gw-0ext (outside this stack), which cannot be identified as an internet gateway, a virtual private gateway or an endpoint`,
                    ),
                ),
            );
        });

        it("cannot prove a route to a NAT whose destination is an AWS prefix list of another stack", async () => {
            const v = await verdicts(variant([{ type: T.natGateway, name: "nat-a" }, appRoute("out", { destinationPrefixListId: "pl-0ext", natGatewayId: ref("nat-a") })]));
            expect(v).to.deep.equal(
                WORKLOADS.map((w) => advisory(w.type, w.name, w.subject, `${APP_TABLE} which routes prefix list pl-0ext (outside this stack) to NAT gateway 'nat-a'`)),
            );
        });

        it("cannot prove an awsx Fargate service without networkConfiguration (awsx uses the default VPC); an ECS service without one is no awsvpc workload", async () => {
            const natStack = variant([{ type: T.natGateway, name: "nat-a" }, appRoute("out", { destinationCidrBlock: "0.0.0.0/0", natGatewayId: ref("nat-a") })]);
            const v = await verdicts(variant([], { fargate: { networkConfiguration: undefined }, jobs: { networkConfiguration: undefined } }, natStack));
            expect(v.map((d) => d.urn)).to.deep.equal(WORKLOADS.filter((w) => w.name !== "jobs").map((w) => urnOf(w.type, w.name)));
            expect(v[v.length - 1]).to.deep.equal(
                advisory(T.fargateService, "fargate", "awsx Fargate service 'fargate'", "it has no networkConfiguration, so awsx runs it in the default VPC's subnets, which are outside this stack"),
            );
        });

        it("cannot prove RDS without a DB subnet group, or with one of another stack", async () => {
            const v = await verdicts(variant([], { pg: { dbSubnetGroupName: undefined }, aurora: { dbSubnetGroupName: "shared-db" } }));
            expect(v).to.deep.equal([
                advisory(T.rdsInstance, "pg", "RDS instance 'pg'", "it names no DB subnet group, so RDS places it in the default VPC, which is outside this stack"),
                advisory(T.rdsCluster, "aurora", "RDS cluster 'aurora'", "its DB subnet group shared-db is outside this stack"),
            ]);
        });
    });

    describe("unknown values at preview", () => {
        it("cannot prove an internet gateway path while the public IP setting is unknown", async () => {
            const v = await previewVerdicts(
                variant([appRoute("out", { destinationCidrBlock: "0.0.0.0/0", gatewayId: ref("igw") })], { jobs: { networkConfiguration: { subnets: [ref("app-a")], assignPublicIp: UNKNOWN } } }),
            );
            expect(v).to.deep.equal([
                advisory(
                    T.ecsService,
                    "jobs",
                    "ECS service 'jobs'",
                    `${APP_TABLE} which routes 0.0.0.0/0 to internet gateway 'igw', and whether it gets a public IPv4 address (networkConfiguration.assignPublicIp) is known only after deployment`,
                ),
            ]);
        });

        it("cannot prove a route whose destination is unknown, nor subnets that come from no resource of the stack", async () => {
            const v = await previewVerdicts(
                variant([{ type: T.natGateway, name: "nat-a" }, appRoute("out", { destinationCidrBlock: UNKNOWN, natGatewayId: ref("nat-a") })], {
                    jobs: { networkConfiguration: { subnets: [UNKNOWN], assignPublicIp: false } },
                }),
            );
            expect(v).to.have.length(WORKLOADS.length);
            expect(v.every((d) => d.level === "advisory")).to.equal(true);
            expect(v[0]).to.deep.equal(advisory(T.ecsService, "jobs", "ECS service 'jobs'", "a subnet id is known only after deployment, from no resource of this stack"));
            expect(v[1]).to.deep.equal(
                advisory(T.lambdaFunction, "udf", "Lambda function 'udf'", `${APP_TABLE} which routes a destinationCidrBlock known only after deployment to NAT gateway 'nat-a'`),
            );
        });

        it("never throws on shapes it has not seen", async () => {
            const v = await previewVerdicts(
                variant([{ type: T.route, name: "odd", props: { routeTableId: 42, destinationCidrBlock: ["x"], natGatewayId: {} } }], {
                    "app-rt": { routes: "not-a-list" },
                    jobs: { networkConfiguration: "awsvpc" },
                    udf: { vpcConfig: { subnetIds: 7 } },
                    lt: { networkInterfaces: [null, 3, { subnetId: null }] },
                    asg: { vpcZoneIdentifiers: UNKNOWN },
                    "app-a": { mapPublicIpOnLaunch: "maybe" },
                }),
            );
            expect(v).to.deep.equal([
                advisory(T.autoscalingGroup, "asg", "autoscaling group 'asg'", "a subnet id is known only after deployment, from no resource of this stack"),
            ]);
        });
    });

    describe("exemptions, egress gateways and components", () => {
        const natStack = variant([{ type: T.natGateway, name: "nat-a" }, appRoute("out", { destinationCidrBlock: "0.0.0.0/0", natGatewayId: ref("nat-a") })]);

        it("skips workloads matched by an exemption with a reason, and only those", async () => {
            const v = await verdicts(natStack, { config: { exemptions: [{ resource: "jobs", reason: "legacy batch, migrating in Q3" }, { resource: "udf", reason: "other policy", policy: "no-nat-gateways" }] } });
            expect(v.map((d) => d.urn)).to.deep.equal(WORKLOADS.filter((w) => w.name !== "jobs").map((w) => urnOf(w.type, w.name)));
        });

        it("skips workloads tagged as a configured egress gateway", async () => {
            const v = await verdicts(variant([], { udf: { tags: { "trace:egress-gateway": "rpc" } } }, natStack));
            expect(v.map((d) => d.urn)).to.deep.equal(WORKLOADS.filter((w) => w.name !== "udf").map((w) => urnOf(w.type, w.name)));
        });

        it("reads the gateway tag only for a workload with a path: an unknown tag there is a per-resource advisory", async () => {
            const unknownTags = (base: Spec[]) => previewVerdicts(variant([], { jobs: { tags: UNKNOWN } }, base));
            expect(await unknownTags(baseline)).to.deep.equal([]);
            const v = await unknownTags(natStack);
            expect(v[0]).to.deep.equal({
                level: "advisory",
                urn: urnOf(T.ecsService, "jobs"),
                detail: "can't fully check ECS service 'jobs' during preview: string value at .tags can't be known during preview; it is checked again when the value is known",
            });
            expect(v.slice(1)).to.deep.equal(everyWorkload(`${APP_TABLE} which routes 0.0.0.0/0 to NAT gateway 'nat-a'`).slice(1));
        });

        it("checks an awsx Fargate service through its aws.ecs.Service child when the engine shows it, not twice", async () => {
            const child: Spec = { type: T.ecsService, name: "fargate-svc", parent: "fargate", props: { networkConfiguration: { subnets: [ref("app-a")] } } };
            const v = await verdicts([...natStack, child]);
            expect(v.map((d) => d.urn)).to.deep.equal(
                [...WORKLOADS.filter((w) => w.name !== "fargate").map((w) => urnOf(w.type, w.name)), urnOf(T.ecsService, "fargate-svc")],
            );
        });

        it("names every path of a workload in one violation", async () => {
            const stack = variant(
                [
                    { type: T.natGateway, name: "nat-a" },
                    { type: T.subnet, name: "app-b", props: { vpcId: ref("main"), cidrBlock: "10.0.2.0/24" } },
                    { type: T.routeTableAssociation, name: "app-b-assoc", props: { subnetId: ref("app-b"), routeTableId: ref("app-rt") } },
                    appRoute("out", { destinationCidrBlock: "0.0.0.0/0", natGatewayId: ref("nat-a") }),
                ],
                { jobs: { networkConfiguration: { subnets: [ref("app-a"), ref("app-b")] } } },
            );
            const v = await verdicts(stack);
            expect(v[0]).to.deep.equal(
                violation(
                    T.ecsService,
                    "jobs",
                    "ECS service 'jobs'",
                    `${APP_TABLE} which routes 0.0.0.0/0 to NAT gateway 'nat-a' (1 more: subnet 'app-b' uses route table 'app-rt' (explicit association) which routes 0.0.0.0/0 to NAT gateway 'nat-a')`,
                ),
            );
        });

        it("rejects isolatedExternalSubnets entries that are not subnet ids, naming the value", async () => {
            let error: Error | undefined;
            try {
                await runStackPolicy(noInternetPathFromWorkloads, build(baseline, "preview"), { config: { isolatedExternalSubnets: ["subnet-0abc", "rtb-0abc"] } });
            } catch (e) {
                error = e as Error;
            }
            expect(error?.message).to.contain(
                `PackConfigError: invalid config for policy '${POLICY}': isolatedExternalSubnets[0] must be a subnet id (subnet- and 8 or 17 hex digits), got "subnet-0abc"; ` +
                    'isolatedExternalSubnets[1] must be a subnet id (subnet- and 8 or 17 hex digits), got "rtb-0abc"\n',
            );
        });

        it("re-validates isolatedExternalSubnets for runners that skip the schema, naming every bad value at once", () => {
            const args = { resources: [], getConfig: () => ({ isolatedExternalSubnets: ["rtb-0abc", "subnet-0abc", "subnet-XYZ"] }) } as unknown as StackValidationArgs;
            expect(() => noInternetPathFromWorkloads.validateStack(args, () => undefined)).to.throw(
                `invalid config for policy '${POLICY}': isolatedExternalSubnets[0] must be a subnet id (subnet- and 8 or 17 hex digits), got "rtb-0abc"; ` +
                    'isolatedExternalSubnets[1] must be a subnet id (subnet- and 8 or 17 hex digits), got "subnet-0abc"; ' +
                    'isolatedExternalSubnets[2] must be a subnet id (subnet- and 8 or 17 hex digits), got "subnet-XYZ"',
            );
        });
    });
});

describe("no-internet-path-from-workloads on the repo's own stacks (recorded offline)", function () {
    this.timeout(180_000);
    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: no diagnostic in preview or plan, and a NAT route added to the app route table is caught in both`, async () => {
            const [preview, plan] = await Promise.all([repoStack(stack, "preview"), repoStack(stack, "plan")]);
            const urn = (type: string, parent: string, name: string) => `urn:pulumi:${stack}::trace-network::${parent}$${type}::${name}`;
            const appRt = urn(T.routeTable, "trace:network:Network", "trace-app-rt");
            const azs = preview.resources.filter((r) => r.type === T.subnet && r.name.startsWith("trace-app-")).map((r) => r.name);
            for (const recorded of [preview, plan]) {
                const { outputs } = fromRecordedStack(recorded);
                const clean = await runStackPolicy(noInternetPathFromWorkloads, outputs, { stack });
                expect(clean.diagnostics, `${stack} ${recorded.mode}`).to.deep.equal([]);

                const table = recorded.resources.find((r) => r.urn === appRt);
                const injected: HarnessResource = {
                    type: T.route,
                    name: "injected-nat-route",
                    urn: urn(T.route, "trace:network:Network", "injected-nat-route"),
                    props: { routeTableId: table?.id ?? UNKNOWN, destinationCidrBlock: "0.0.0.0/0", natGatewayId: "nat-0ext" },
                    propertyDependencies: recorded.mode === "preview" ? { routeTableId: [appRt] } : {},
                };
                const broken = await runStackPolicy(noInternetPathFromWorkloads, [...outputs, injected], { stack });
                const hop = (az: string) => `subnet '${az}' uses route table 'trace-app-rt' (explicit association) which routes 0.0.0.0/0 to NAT gateway nat-0ext (outside this stack)`;
                const [first, ...more] = azs.map(hop);
                const paths = `${first} (${more.length} more: ${more.join("; ")})`;
                expect(broken.diagnostics.map((d) => ({ level: d.enforcementLevel, urn: d.urn, detail: d.detail })), `${stack} ${recorded.mode}`).to.deep.equal([
                    {
                        level: "mandatory",
                        urn: urn(T.lambdaFunction, "trace:compute:Compute", "trace-udf-runner"),
                        detail: `Lambda function 'trace-udf-runner' can reach the internet: ${paths}; ${RULE}. ${ROUTE_FIX}`,
                    },
                    {
                        level: "mandatory",
                        urn: urn(T.ecsService, "trace:compute:Compute", "trace-block-follower"),
                        detail: `ECS service 'trace-block-follower' can reach the internet: ${paths}; ${RULE}. ${ROUTE_FIX}`,
                    },
                ]);
            }
            expect(azs).to.have.length(stack === "dev" ? 2 : 3);
        });
    }
});

describe("no-internet-path-from-workloads never throws (property-based)", () => {
    const RUNS = 2000;
    const TYPES_FUZZED = [
        T.vpc, T.subnet, T.routeTable, T.defaultRouteTable, T.routeTableAssociation, T.mainRouteTableAssociation, T.route, T.internetGateway,
        T.natGateway, T.vpcEndpoint, T.managedPrefixList, T.managedPrefixListEntry, T.ecsService, T.lambdaFunction, T.rdsInstance, T.rdsCluster,
        T.rdsClusterInstance, T.rdsSubnetGroup, T.instance, T.launchTemplate, T.autoscalingGroup, T.fargateService, T.networkInterface,
    ];
    const KEYS = [
        "vpcId", "subnetId", "subnetIds", "subnets", "routeTableId", "routes", "defaultRouteTableId", "mainRouteTableId", "gatewayId", "natGatewayId",
        "egressOnlyGatewayId", "vpcEndpointId", "cidrBlock", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId",
        "prefixListId", "entries", "cidr", "networkConfiguration", "assignPublicIp", "vpcConfig", "ipv6AllowedForDualStack", "dbSubnetGroupName",
        "publiclyAccessible", "networkType", "clusterIdentifier", "associatePublicIpAddress", "networkInterfaces", "ipv6AddressCount",
        "ipv6Addresses", "vpcZoneIdentifiers", "launchTemplate", "id", "name", "tags", "trace:egress-gateway", "mapPublicIpOnLaunch",
        "assignIpv6AddressOnCreation",
    ];
    const leaf = fc.oneof(
        fc.constantFrom(UNKNOWN, "local", "igw-0abc", "vgw-0abc", "vpce-0abc", "subnet-0abc", "rtb-0abc", "nat-0abc", "pl-0abc", "webhook", "DUAL"),
        fc.constantFrom("0.0.0.0/0", "::/0", "10.0.0.0/8", "8.8.8.8/32", "not-a-cidr", ""),
        fc.constantFrom("id-r0", "id-r1", "id-r2", "name-r0"),
        fc.boolean(),
        fc.constantFrom("true", "false", 0, 1, -1),
        fc.constant(null),
    );
    const { tree } = fc.letrec((tie) => ({
        tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, fc.array(tie("tree"), { maxLength: 3 }), fc.dictionary(fc.constantFrom(...KEYS), tie("tree"), { maxKeys: 4 })),
    }));
    const randomResources = randomStack({
        types: TYPES_FUZZED,
        keys: KEYS,
        props: fc.dictionary(fc.constantFrom(...KEYS), tree, { maxKeys: 6 }),
        minLength: 0,
        maxLength: 6,
        withIds: true,
    });
    // A real stack with a path for every workload, in either shape, with random damage: some
    // resources' props overwritten by random trees, plus random extra resources.
    const withPaths = variant([{ type: T.natGateway, name: "nat-a" }, appRoute("out", { destinationCidrBlock: "0.0.0.0/0", natGatewayId: ref("nat-a") })]);
    const stack = fc
        .tuple(
            fc.constantFrom(...MODES),
            fc.array(fc.tuple(fc.nat(), fc.dictionary(fc.constantFrom(...KEYS), tree, { maxKeys: 3 })), { maxLength: 4 }),
            randomResources,
        )
        .map(([mode, damage, extra]) => {
            const base = build(withPaths, mode);
            for (const [i, props] of damage) {
                const r = base[i % base.length];
                base[i % base.length] = { ...r, props: { ...r.props, ...props } };
            }
            return [...base, ...extra];
        });

    it(`${RUNS} random stacks of network resources and workloads: no exception, every diagnostic a path or a "cannot prove"`, async function () {
        this.timeout(120_000);
        const seen = { mandatory: 0, advisory: 0 };
        await fc.assert(
            fc.asyncProperty(stack, async (resources) => {
                const res = await runStackPolicy(noInternetPathFromWorkloads, resources);
                res.diagnostics.forEach((d) => (d.enforcementLevel === "mandatory" ? seen.mandatory++ : seen.advisory++));
                return res.diagnostics.every(
                    (d) =>
                        d.policyName === POLICY &&
                        ((d.enforcementLevel === "mandatory" && d.detail.includes(" can reach the internet: ")) ||
                            (d.enforcementLevel === "advisory" && /^(cannot prove|can't fully check) /.test(d.detail))),
                );
            }),
            { numRuns: RUNS, seed: 20261123 },
        );
        // The generator must reach both verdicts, or the property says nothing about them.
        expect(seen.mandatory, "mandatory diagnostics").to.be.greaterThan(0);
        expect(seen.advisory, "advisory diagnostics").to.be.greaterThan(0);
        console.log(`      reachability fuzz: ${RUNS} stacks, ${seen.mandatory} paths and ${seen.advisory} advisories`);
    });
});
