// The prefix lists of one security-group permission, judged as the SG policies (egress allowlist,
// no public ingress) both judge them: a gateway VPC endpoint's list holds AWS service ranges reached
// privately; a managed prefix list in the stack is judged entry by entry against allowedCidrs; a list
// outside the stack passes only when listed in allowedPrefixListIds and is otherwise advisory, since
// it cannot be verified.

import { PolicyResource } from "@pulumi/policy";

import { CidrVerdict, classifyCidr } from "./cidr";
import { asArray, asRecord, asString } from "./resources";
import { StackContext } from "./stack-policy";
import { UNKNOWN_STRING, UnknownTracker, UnknownValueError, isUnknownSentinel } from "./unknowns";

const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const MANAGED_PREFIX_LIST = "aws:ec2/managedPrefixList:ManagedPrefixList";

export interface PrefixListPermission {
    /** Prefix list ids as given (possibly unknown at preview). */
    readonly prefixLists: readonly unknown[];
    /** The input property the prefix lists came from, to resolve them through property dependencies. */
    readonly prefixListProperty: string;
}

export interface PrefixListFindings {
    /** An entry of an in-stack managed prefix list that lies outside allowedCidrs. */
    outside(cidr: string, list: PolicyResource): void;
    /** A prefix list outside the stack that allowedPrefixListIds does not vouch for. */
    unverifiable(id: string): void;
}

export function judgePrefixLists(
    ctx: StackContext<{ readonly allowedPrefixListIds: readonly string[] }>,
    on: PolicyResource,
    permission: PrefixListPermission,
    unknowns: UnknownTracker,
    findings: PrefixListFindings,
): void {
    if (permission.prefixLists.length === 0) {
        return;
    }
    const known = permission.prefixLists.filter((p): p is string => typeof p === "string" && !isUnknownSentinel(p));
    const deps = ctx.index.references(on, permission.prefixListProperty, [VPC_ENDPOINT, MANAGED_PREFIX_LIST], known);
    if (deps.length === 0 && permission.prefixLists.some(isUnknownSentinel)) {
        // Not known yet and not traceable to a resource of the stack: the library's "can't check yet".
        throw new UnknownValueError(UNKNOWN_STRING, [permission.prefixListProperty]);
    }
    for (const pl of deps.filter((d) => d.type === MANAGED_PREFIX_LIST)) {
        unknowns.check(() => {
            for (const entry of asArray(pl.props["entries"])) {
                const cidr = asString(asRecord(entry)?.["cidr"]);
                if (cidr !== undefined && classifyCidr(cidr, ctx.cfg.allowedNetworks) !== CidrVerdict.Inside) {
                    findings.outside(cidr, pl);
                }
            }
        });
    }
    // A list found in the stack was judged above; only ids with no resource behind them are left.
    if (deps.length > 0) {
        return;
    }
    for (const id of known.filter((i) => !ctx.cfg.allowedPrefixListIds.includes(i))) {
        findings.unverifiable(id);
    }
}

