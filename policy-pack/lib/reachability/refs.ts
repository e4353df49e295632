// Resolving references between resources without ids.
//
// At preview the ids of new resources are unknown, so `subnetId: subnet.id` arrives as the unknown
// sentinel; the engine still tells us which resources each top-level input depends on
// (propertyDependencies). In plan mode the ids are known and resolve directly. Both give the same
// resources for the same program, which is what keeps preview and plan verdicts identical.

import { PolicyResource } from "@pulumi/policy";

import { StackIndex } from "../stack";
import { refValues } from "./values";

/** Known values (ids, ARNs, names, a VPC's main route table id) -> the stack resource they denote. */
export class KnownValues {
    private readonly extra = new Map<string, PolicyResource>();

    constructor(private readonly index: StackIndex) {}

    /** Registers another known value of `resource` (e.g. a DB subnet group's name). */
    add(value: string | undefined, resource: PolicyResource): void {
        if (value !== undefined) {
            this.extra.set(value, resource);
        }
    }

    get(value: string): PolicyResource | undefined {
        return this.extra.get(value) ?? this.index.byId(value);
    }
}

export interface Resolved {
    /** Stack resources the property refers to. */
    readonly inStack: readonly PolicyResource[];
    /** Known values that denote no resource of this stack (ids of resources managed elsewhere). */
    readonly external: readonly string[];
    /** Some value is unknown and no property dependency of a matching type explains it. */
    readonly untraced: boolean;
}

export const NOTHING: Resolved = { inStack: [], external: [], untraced: false };

/**
 * The resources of `types` that `value` (the raw value found under top-level input `property`, a
 * string or a list) refers to. Known values resolve by id; unknown ones through the property's
 * dependencies. When the value is absent but dependencies exist (a mock or engine that leaves an
 * output unset), the dependencies still say what it was built from.
 */
export function resolveRefs(
    resource: PolicyResource,
    property: string,
    value: unknown,
    types: ReadonlySet<string>,
    known: KnownValues,
): Resolved {
    const values = refValues(value);
    const inStack = new Set<PolicyResource>();
    const external: string[] = [];
    for (const v of values.known) {
        const r = known.get(v);
        if (r !== undefined && types.has(r.type)) {
            inStack.add(r);
        } else {
            external.push(v);
        }
    }
    let untraced = false;
    if (values.unknown > 0 || (values.known.length === 0 && external.length === 0)) {
        let found = false;
        for (const dep of resource.propertyDependencies[property] ?? []) {
            if (types.has(dep.type)) {
                found = true;
                inStack.add(dep);
            }
        }
        untraced = values.unknown > 0 && !found;
    }
    return { inStack: [...inStack], external, untraced };
}
