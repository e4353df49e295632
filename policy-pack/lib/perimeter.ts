// Evaluates the perimeter catalogue (perimeter-catalogue.ts) for the policies that own its entries.
//
// Resource types decide on their own inputs (a resource policy). awsx components are remote: under
// the engine their children (an aws.lb.LoadBalancer, an aws.ecs.Service) are registered and judged
// by the ordinary policies, offline they never appear. Whether a component has children takes the
// whole stack, so components are judged in the stack half, on their inputs, only when no resource
// in the stack names them as parent: one report either way, never two. Which subnets compute runs
// in takes the subnets too, so that is the stack half's as well.

import { PolicyConfigSchema, PolicyResource, ResourceValidation, StackValidation, validateResourceOfType } from "@pulumi/policy";

import { ConfigReader } from "./config";
import { show } from "./messages";
import { PRIVATE_TIERS, SUBNET } from "./network";
import { CatalogueEntry, Condition, PerimeterPolicyName, Scalar, catalogueFor } from "./perimeter-catalogue";
import { CheckContext, checked } from "./policy";
import { asRecord, isRecord, tagValue, validateResourcesOfTypes } from "./resources";
import { knownStringsAt } from "./stack";
import { StackContext, checkedStack } from "./stack-policy";
import { rejectUnknownKeys } from "./strict-config";
import { Presence, UnknownTracker, peekValue, presenceOf } from "./unknowns";

type Reporter = (finding: string, entry: CatalogueEntry) => void;

/**
 * Whether `path` is set: null, "" and [] count as unset, a value unknown at preview as set (a
 * reference is already a fact). Reads through the proxy up to the parent, so an unknown parent throws.
 */
function isSet(props: unknown, path: string): boolean {
    const keys = path.split(".");
    let parent: unknown = props;
    for (const key of keys.slice(0, -1)) {
        parent = isRecord(parent) ? parent[key] : undefined;
    }
    const last = keys[keys.length - 1];
    const presence = presenceOf(parent, last);
    if (presence !== Presence.Known) {
        return presence === Presence.Unknown;
    }
    const value = peekValue(parent, last);
    return !(Array.isArray(value) && value.length === 0);
}

/** The value at `path`, the provider default when unset; an unknown value throws (it decides). */
function valueAt(props: unknown, path: string, fallback: Scalar | undefined): unknown {
    if (!isSet(props, path)) {
        return fallback;
    }
    // Read through the proxy now: an unknown leaf throws the library's error, naming the path.
    let v: unknown = props;
    for (const key of path.split(".")) {
        v = asRecord(v)?.[key];
    }
    return v;
}

function holds(c: Condition, props: unknown): boolean {
    return valueAt(props, c.property, undefined) === c.equals;
}

/** The finding for an unsafe entry, or undefined when the resource is safe on this entry. */
function unsafeFinding(entry: CatalogueEntry, props: unknown): string | undefined {
    const u = entry.unsafe;
    if (u.when === "unset") {
        const placed = [entry.property, ...(entry.orSet ?? [])].some((p) => isSet(props, p));
        return placed ? undefined : `has no ${[entry.property, ...(entry.orSet ?? [])].join(" or ")}`;
    }
    const value = valueAt(props, entry.property, entry.providerDefault);
    const unsafe = u.when === "is" ? u.unsafe.includes(value as Scalar) : !u.safe.includes(value as Scalar);
    if (!unsafe) {
        return undefined;
    }
    if (isSet(props, entry.property)) {
        return `has ${entry.property} ${show(value)}`;
    }
    return entry.providerDefault === undefined ? `has no ${entry.property}` : `has ${entry.property} unset (the default is ${show(entry.providerDefault)})`;
}

/**
 * Judges one entry. An unknown value defers the verdict only when it could change it: a safe known
 * value needs no condition, and a condition that rules the entry out wins over an unknown value.
 */
export function judgeEntry(entry: CatalogueEntry, props: unknown, report: Reporter): void {
    let finding: string | undefined;
    const unknowns = new UnknownTracker();
    if (unknowns.check(() => (finding = unsafeFinding(entry, props))) && finding === undefined) {
        return;
    }
    if (entry.onlyWhen !== undefined && !holds(entry.onlyWhen, props)) {
        return;
    }
    if (entry.unless !== undefined && holds(entry.unless, props)) {
        return;
    }
    unknowns.rethrow();
    report(finding as string, entry);
}

export interface PerimeterPolicy {
    readonly name: PerimeterPolicyName;
    /** The rule every finding of the policy states. */
    readonly rule: string;
    readonly schema: PolicyConfigSchema;
}

function readStrict(policy: PerimeterPolicy): (r: ConfigReader) => object {
    return (r) => {
        rejectUnknownKeys(r, policy.schema);
        return {};
    };
}

function reportTo(ctx: CheckContext<object>, policy: PerimeterPolicy, name: string): Reporter {
    return (finding, entry) =>
        ctx.report({ subject: `${entry.kind} '${name}'`, finding: `${finding}, so it ${entry.consequence}`, rule: policy.rule, fix: entry.fix });
}

/** The resource half: every catalogued resource type of the policy, each judged on its inputs. */
export function perimeterResourceValidation(policy: PerimeterPolicy): ResourceValidation {
    const byType = new Map([...catalogueFor(policy.name)].filter(([, entries]) => entries.every((e) => e.component !== true)));
    const check = checked(
        policy.name,
        (props: unknown, ctx: CheckContext<object>) => {
            for (const entry of byType.get(ctx.args.type) ?? []) {
                ctx.unknowns.check(() => judgeEntry(entry, props, reportTo(ctx, policy, ctx.args.name)));
            }
        },
        readStrict(policy),
    );
    // The catalogue names types by token, which is all validateResourceOfType reads of a class.
    return validateResourcesOfTypes(...[...byType.keys()].map((token) => validateResourceOfType({ __pulumiType: token } as never, check)));
}

/** The components of `types` that no resource in the stack has as parent. */
export function componentsWithoutChildren(resources: readonly PolicyResource[], types: ReadonlySet<string>): PolicyResource[] {
    const parents = new Set<string>();
    for (const r of resources) {
        if (r.parent !== undefined) {
            parents.add(r.parent.urn);
        }
    }
    return resources.filter((r) => types.has(r.type) && !parents.has(r.urn));
}

/** Subnet tiers that are this VPC's private subnets. */

function judgeComponents(ctx: StackContext<object>, policy: PerimeterPolicy, byType: ReadonlyMap<string, readonly CatalogueEntry[]>): void {
    for (const component of componentsWithoutChildren(ctx.args.resources, new Set(byType.keys()))) {
        for (const entry of byType.get(component.type) ?? []) {
            ctx.each(component, () =>
                judgeEntry(entry, component.props, (finding) =>
                    ctx.report(component, {
                        subject: `${entry.kind} '${component.name}'`,
                        finding: `${finding}, so it ${entry.consequence} (judged on its inputs: its children are not in the stack)`,
                        rule: policy.rule,
                        fix: entry.fix,
                    }),
                ),
            );
        }
    }
}

/**
 * A resource placed in the stack's subnets must be in private ones: a subnet tagged with another
 * tier (the public `egress` tier) gives it the internet through the subnet's routes. Untagged subnets
 * and subnets outside the stack are left to the routing policies, which follow the routes.
 */
function judgeSubnetTiers(ctx: StackContext<object>, policy: PerimeterPolicy, entries: readonly CatalogueEntry[]): void {
    const tierKey = ctx.cfg.tagKeys.tier;
    for (const entry of entries) {
        for (const resource of ctx.index.ofType(entry.type)) {
            for (const path of entry.subnets ?? []) {
                const subnets = ctx.index.references(resource, path.split(".")[0], [SUBNET], knownStringsAt(resource.props, path.split(".")));
                for (const subnet of subnets) {
                    ctx.each(subnet, () => {
                        const tier = tagValue(subnet, tierKey);
                        if (tier !== undefined && !PRIVATE_TIERS.has(tier)) {
                            ctx.report(resource, {
                                subject: `${entry.kind} '${resource.name}'`,
                                finding: `runs in subnet '${subnet.name}' (${tierKey}=${tier}), which is not one of this VPC's private subnets`,
                                rule: policy.rule,
                                fix: `Set ${path} to subnets tagged ${tierKey}=app`,
                            });
                        }
                    });
                }
            }
        }
    }
}

/**
 * The stack half: awsx components whose children are absent, judged on their inputs; and the
 * subnets catalogued compute runs in, which must be private.
 */
export function perimeterStackValidation(policy: PerimeterPolicy): StackValidation {
    const catalogue = catalogueFor(policy.name);
    const components = new Map([...catalogue].filter(([, entries]) => entries.every((e) => e.component === true)));
    const placed = [...catalogue.values()].flat().filter((e) => e.component !== true && e.subnets !== undefined);
    return checkedStack(
        policy.name,
        (ctx: StackContext<object>) => {
            judgeComponents(ctx, policy, components);
            judgeSubnetTiers(ctx, policy, placed);
        },
        readStrict(policy),
    );
}
