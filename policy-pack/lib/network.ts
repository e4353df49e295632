// Which VPC a resource lives in, resolved through subnets, DB subnet groups and awsx VPCs. Shared by
// the stack policies that reason per VPC.

import { PolicyResource } from "@pulumi/policy";

import { subjectOf } from "./messages";
import { tagValue } from "./resources";
import { StackIndex, knownStringsAt } from "./stack";

export const VPC = "aws:ec2/vpc:Vpc";
export const AWSX_VPC = "awsx:ec2:Vpc";
export const VPC_TYPES = [VPC, AWSX_VPC];
export const SUBNET = "aws:ec2/subnet:Subnet";
const DB_SUBNET_GROUP = "aws:rds/subnetGroup:SubnetGroup";

/** A compute resource and where its subnets are declared (top-level property, then the path to the ids). */
export interface WorkloadShape {
    readonly type: string;
    readonly property: string;
    readonly path: readonly string[];
}

/** Workloads that sit in subnets (RDS instances go through their DB subnet group, see vpcsOfWorkload). */
const SUBNET_WORKLOADS: readonly WorkloadShape[] = [
    { type: "aws:ecs/service:Service", property: "networkConfiguration", path: ["networkConfiguration", "subnets"] },
    { type: "awsx:ecs:FargateService", property: "networkConfiguration", path: ["networkConfiguration", "subnets"] },
    { type: "aws:lambda/function:Function", property: "vpcConfig", path: ["vpcConfig", "subnetIds"] },
    { type: "aws:ec2/instance:Instance", property: "subnetId", path: ["subnetId"] },
];
const RDS_INSTANCE = "aws:rds/instance:Instance";

/** The VPCs of the stack a subnet belongs to. */
function vpcsOfSubnet(index: StackIndex, subnet: PolicyResource): PolicyResource[] {
    return index.references(subnet, "vpcId", VPC_TYPES, knownStringsAt(subnet.props, ["vpcId"]));
}

/** The VPCs of the stack a workload runs in (via its subnets, or directly an awsx VPC's subnet ids). */
function vpcsOfWorkload(index: StackIndex, workload: PolicyResource, shape: WorkloadShape): PolicyResource[] {
    const refs = index.references(workload, shape.property, [SUBNET, AWSX_VPC], knownStringsAt(workload.props, shape.path));
    return unique(refs.flatMap((r) => (r.type === SUBNET ? vpcsOfSubnet(index, r) : [r])));
}

function vpcsOfRdsInstance(index: StackIndex, db: PolicyResource): PolicyResource[] {
    const groups = index.references(db, "dbSubnetGroupName", [DB_SUBNET_GROUP], knownStringsAt(db.props, ["dbSubnetGroupName"]));
    const subnets = groups.flatMap((g) => index.references(g, "subnetIds", [SUBNET, AWSX_VPC], knownStringsAt(g.props, ["subnetIds"])));
    return unique(subnets.flatMap((s) => (s.type === SUBNET ? vpcsOfSubnet(index, s) : [s])));
}

function unique<T>(items: T[]): T[] {
    return [...new Set(items)];
}

/** Subnet tiers whose subnets hold private workloads. */
export const PRIVATE_TIERS: ReadonlySet<string> = new Set(["app", "data"]);

/**
 * The VPCs of the stack that host private workloads, each with a description of them: subnets
 * tagged with a private tier, and the workloads of SUBNET_WORKLOADS and RDS found through their
 * subnets. `each` runs a read that may hit an unknown (the stack policy's per-resource frame).
 */
export function privateWorkloadVpcs(
    index: StackIndex,
    tierTagKey: string,
    each: (r: PolicyResource, fn: () => void) => void,
): Map<PolicyResource, string[]> {
    const out = new Map<PolicyResource, string[]>();
    const add = (vpc: PolicyResource, what: string): void => {
        const hosted = out.get(vpc);
        if (hosted === undefined) {
            out.set(vpc, [what]);
        } else {
            hosted.push(what);
        }
    };
    for (const subnet of index.ofType(SUBNET)) {
        each(subnet, () => {
            const tier = tagValue(subnet, tierTagKey);
            if (tier !== undefined && PRIVATE_TIERS.has(tier)) {
                vpcsOfSubnet(index, subnet).forEach((v) => add(v, `${subjectOf(subnet)} (tier ${tier})`));
            }
        });
    }
    for (const shape of SUBNET_WORKLOADS) {
        for (const w of index.ofType(shape.type)) {
            vpcsOfWorkload(index, w, shape).forEach((v) => add(v, subjectOf(w)));
        }
    }
    for (const db of index.ofType(RDS_INSTANCE)) {
        vpcsOfRdsInstance(index, db).forEach((v) => add(v, subjectOf(db)));
    }
    return out;
}
