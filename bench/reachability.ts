// no-internet-path-from-workloads at scale: synthetic stacks of 1,000 and 10,000 resources, a tenth
// of them workloads of every kind, some behind a NAT route, in preview shape (references only
// through property dependencies) and plan shape (ids known). The stacks go through @pulumi/policy's
// real AnalyzeStack handler; the figure is the policy's own time (validateStack), median of 5 runs.
// The policy indexes once and resolves each workload through maps, so the 10,000/1,000 ratio should
// stay near 10 (goal: at most 12).
import { StackValidationPolicy } from "@pulumi/policy";

import { noInternetPathFromWorkloads } from "../policy-pack/policies/no-internet-path-from-workloads";
import { TYPES as T } from "../policy-pack/lib/reachability/types";
import { runStackPolicy } from "../tests/helpers/policy-harness";
import { MODES, Mode, Spec, build, ref } from "../tests/policy-pack/lib/reachability/stack-builder";
import { BenchRow, BenchSuite, median } from "./suite";

const SIZES = [1_000, 10_000] as const;
const RUNS = 5;
/** One cell = 9 network/filler resources + 1 workload: a tenth of the stack are workloads. */
const CELL = 10;
/** Every fourth cell's route table routes 0.0.0.0/0 to the NAT gateway: its workload has a path. */
const NAT_EVERY = 4;

function workload(kind: number, i: number, subnet: string): Spec[] {
    switch (kind % 6) {
        case 0:
            return [{ type: T.ecsService, name: `job-${i}`, props: { networkConfiguration: { subnets: [ref(subnet)], assignPublicIp: false } } }];
        case 1:
            return [{ type: T.lambdaFunction, name: `udf-${i}`, props: { vpcConfig: { subnetIds: [ref(subnet)], securityGroupIds: [] } } }];
        case 2:
            return [{ type: T.instance, name: `worker-${i}`, props: { subnetId: ref(subnet) } }];
        case 3:
            return [{ type: T.launchTemplate, name: `lt-${i}`, props: { networkInterfaces: [{ subnetId: ref(subnet) }] } }];
        case 4:
            return [{ type: T.autoscalingGroup, name: `asg-${i}`, props: { vpcZoneIdentifiers: [ref(subnet)] } }];
        default:
            return [{ type: T.fargateService, name: `fargate-${i}`, props: { networkConfiguration: { subnets: [ref(subnet)] } } }];
    }
}

/** A stack of exactly `size` resources (a multiple of CELL), size / CELL of them workloads. */
export function reachabilityStack(size: number): Spec[] {
    const specs: Spec[] = [
        { type: T.vpc, name: "vpc", props: { cidrBlock: "10.0.0.0/8" } },
        { type: T.subnet, name: "public", props: { vpcId: ref("vpc"), cidrBlock: "10.255.0.0/24" } },
        { type: T.natGateway, name: "nat", props: { subnetId: ref("public") } },
    ];
    const header = specs.length;
    for (let cell = 0; cell < size / CELL; cell++) {
        const subnet = `app-${cell}`;
        const rt = `rt-${cell}`;
        const withNat = cell % NAT_EVERY === 0;
        specs.push(
            { type: T.subnet, name: subnet, props: { vpcId: ref("vpc"), cidrBlock: `10.${(cell >> 8) & 255}.${cell & 255}.0/24`, mapPublicIpOnLaunch: false } },
            { type: T.routeTable, name: rt, props: { vpcId: ref("vpc"), routes: [{ cidrBlock: "10.0.0.0/8", gatewayId: "local" }] } },
            { type: T.routeTableAssociation, name: `assoc-${cell}`, props: { subnetId: ref(subnet), routeTableId: ref(rt) } },
            { type: "aws:ec2/securityGroup:SecurityGroup", name: `sg-${cell}`, props: { vpcId: ref("vpc") } },
            { type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", name: `sg-${cell}-443`, props: { securityGroupId: ref(`sg-${cell}`), ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/8" } },
            { type: "aws:secretsmanager/secret:Secret", name: `secret-${cell}`, props: { name: `/dev/trace/c${cell}/token` } },
            // The first cells leave out their log group to make room for the VPC, public subnet and NAT.
            ...(cell < header ? [] : [{ type: "aws:cloudwatch/logGroup:LogGroup", name: `logs-${cell}`, props: { retentionInDays: 365 } }]),
            { type: "aws:iam/role:Role", name: `role-${cell}`, props: { assumeRolePolicy: "{}" } },
            withNat
                ? { type: T.route, name: `out-${cell}`, props: { routeTableId: ref(rt), destinationCidrBlock: "0.0.0.0/0", natGatewayId: ref("nat") } }
                : { type: "aws:ec2/securityGroupRule:SecurityGroupRule", name: `sg-${cell}-in`, props: { type: "ingress", securityGroupId: ref(`sg-${cell}`), protocol: "tcp", fromPort: 443, toPort: 443, self: true } },
            ...workload(cell, cell, subnet),
        );
    }
    if (specs.length !== size) {
        throw new Error(`reachabilityStack: built ${specs.length} resources for ${size}; sizes must be multiples of ${CELL}`);
    }
    return specs;
}

async function measure(size: number, mode: Mode): Promise<{ ms: number; workloads: number; mandatory: number; advisory: number }> {
    const resources = build(reachabilityStack(size), mode);
    const workloadTypes = new Set<string>([T.ecsService, T.lambdaFunction, T.instance, T.launchTemplate, T.autoscalingGroup, T.fargateService]);
    const times: number[] = [];
    let mandatory = 0;
    let advisory = 0;
    const policy = noInternetPathFromWorkloads;
    const timedPolicy: StackValidationPolicy = {
        ...policy,
        validateStack: (args, report) => {
            const start = process.hrtime.bigint();
            policy.validateStack(args, report);
            times.push(Number(process.hrtime.bigint() - start) / 1e6);
        },
    };
    for (let run = 0; run < RUNS; run++) {
        const result = await runStackPolicy(timedPolicy, resources);
        mandatory = result.diagnostics.filter((d) => d.enforcementLevel === "mandatory").length;
        advisory = result.diagnostics.filter((d) => d.enforcementLevel === "advisory").length;
    }
    return { ms: median(times), workloads: resources.filter((r) => workloadTypes.has(r.type)).length, mandatory, advisory };
}

export const reachabilitySuite: BenchSuite = {
    name: "reachability",
    description: `no-internet-path-from-workloads, policy time only (median of ${RUNS}), 10% workloads, every ${NAT_EVERY}th behind a NAT route`,
    async run(): Promise<BenchRow[]> {
        const rows: BenchRow[] = [];
        for (const mode of MODES) {
            const ms: Record<number, number> = {};
            for (const size of SIZES) {
                const r = await measure(size, mode);
                ms[size] = r.ms;
                rows.push({
                    label: `${size} resources, ${mode}`,
                    figures: { workloads: r.workloads, "paths (mandatory)": r.mandatory, advisory: r.advisory, "policy (ms)": r.ms.toFixed(1) },
                });
            }
            rows.push({ label: `${mode}: 10000/1000`, figures: { "time ratio": (ms[10_000] / ms[1_000]).toFixed(2) } });
        }
        return rows;
    },
};
