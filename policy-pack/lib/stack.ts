// Stack-wide lookups for stack policies. At preview the ids of new resources are unknown, so a
// reference ("securityGroupId: sg.id") is resolved through the property dependencies the engine
// sends with every resource; known ids/ARNs (plan mode, resources outside Pulumi's preview gap)
// are a fallback. Everything is indexed at most once per policy, so lookups are O(1) and a policy
// stays linear.

import { PolicyResource } from "@pulumi/policy";

import { isUnknownSentinel, peekElements, peekValue, unproxied } from "./unknowns";

export class StackIndex {
    private readonly byType = new Map<string, PolicyResource[]>();
    /** Built on first use: only references to resources outside the preview gap need it. */
    private byKnownIdMap?: Map<string, PolicyResource>;
    /** Per type, built on first use: resources of the type by their known `name` input. */
    private readonly byKnownNameMaps = new Map<string, Map<string, PolicyResource[]>>();

    constructor(readonly resources: readonly PolicyResource[]) {
        for (const r of resources) {
            const list = this.byType.get(r.type);
            if (list === undefined) {
                this.byType.set(r.type, [r]);
            } else {
                list.push(r);
            }
        }
    }

    ofType(...types: string[]): PolicyResource[] {
        return types.flatMap((t) => this.byType.get(t) ?? []);
    }

    private get byKnownId(): Map<string, PolicyResource> {
        if (this.byKnownIdMap === undefined) {
            this.byKnownIdMap = new Map();
            for (const r of this.resources) {
                // Every resource, so read past the proxy; knownString checks for unknowns itself.
                const props = unproxied(r.props);
                for (const key of ["id", "arn"]) {
                    const v = knownString(props, key);
                    if (v !== undefined && v.length > 0) {
                        this.byKnownIdMap.set(v, r);
                    }
                }
            }
        }
        return this.byKnownIdMap;
    }

    /** Resources of `type` whose `name` input is known and is `name`. */
    named(type: string, name: string): readonly PolicyResource[] {
        let byName = this.byKnownNameMaps.get(type);
        if (byName === undefined) {
            byName = new Map();
            for (const r of this.ofType(type)) {
                const known = knownString(unproxied(r.props), "name");
                if (known !== undefined) {
                    byName.set(known, [...(byName.get(known) ?? []), r]);
                }
            }
            this.byKnownNameMaps.set(type, byName);
        }
        return byName.get(name) ?? [];
    }

    /** The resource whose known id or ARN is `value`. */
    byId(value: string): PolicyResource | undefined {
        return this.byKnownId.get(value);
    }

    /**
     * Resources of `types` that input `property` of `resource` refers to: its property dependencies,
     * plus any of `values` (the property's known strings) that are the id/ARN of a stack resource.
     */
    references(resource: PolicyResource, property: string, types: readonly string[], values: readonly string[] = []): PolicyResource[] {
        const out = new Set<PolicyResource>();
        for (const dep of resource.propertyDependencies[property] ?? []) {
            if (types.includes(dep.type)) {
                out.add(dep);
            }
        }
        for (const v of values) {
            const r = this.byKnownId.get(v);
            if (r !== undefined && types.includes(r.type)) {
                out.add(r);
            }
        }
        return [...out];
    }
}

/** A string output if it is known; undefined when absent, not a string, or unknown at preview. */
function knownString(props: Record<string, unknown>, key: string): string | undefined {
    const v = props[key];
    return typeof v === "string" && !isUnknownSentinel(v) ? v : undefined;
}

/**
 * The known strings at `path` of `props` (a string or an array of strings), read without the proxy:
 * unknown values are skipped, never thrown. Used to resolve references by id in plan mode, next to
 * the property dependencies that work in both modes.
 */
export function knownStringsAt(props: unknown, path: readonly string[]): string[] {
    let cur: unknown = props;
    for (const key of path) {
        cur = peekValue(cur, key);
        if (cur === undefined || cur === null || isUnknownSentinel(cur)) {
            return [];
        }
    }
    const values = Array.isArray(cur) ? peekElements(cur) : [cur];
    return values.filter((v): v is string => typeof v === "string" && v.length > 0 && !isUnknownSentinel(v));
}
