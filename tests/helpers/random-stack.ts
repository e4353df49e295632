import fc from "fast-check";

import { HarnessResource, urnOf } from "./policy-harness";

export interface RandomStackShape {
    readonly types: readonly string[];
    /** Property names the dependency edges are recorded under. */
    readonly keys: readonly string[];
    readonly props: fc.Arbitrary<Record<string, unknown>>;
    readonly minLength: number;
    readonly maxLength: number;
    /** Give resource i the id `id-r{i}`, so props that name `id-r{j}` resolve to resource j as in plan mode. */
    readonly withIds: boolean;
}

/**
 * Random resources wired to each other: parents and property dependencies point at other resources
 * of the same stack (by index modulo its size), as the engine would send them, so stack policies
 * follow the edges instead of dropping dangling URNs at the first step.
 */
export function randomStack(shape: RandomStackShape): fc.Arbitrary<HarnessResource[]> {
    const draft = fc.record({
        type: fc.constantFrom(...shape.types),
        props: shape.props,
        deps: fc.array(fc.tuple(fc.constantFrom(...shape.keys), fc.array(fc.nat(), { maxLength: 3 })), { maxLength: 4 }),
        parent: fc.option(fc.nat(), { nil: undefined }),
    });
    return fc.array(draft, { minLength: shape.minLength, maxLength: shape.maxLength }).map((drafts) => {
        const urns = drafts.map((d, i) => urnOf(d.type, `r${i}`));
        return drafts.map((d, i): HarnessResource => {
            const propertyDependencies: Record<string, string[]> = {};
            for (const [key, targets] of d.deps) {
                propertyDependencies[key] = targets.map((t) => urns[t % urns.length]);
            }
            return {
                type: d.type,
                name: `r${i}`,
                urn: urns[i],
                props: shape.withIds ? { ...d.props, id: `id-r${i}` } : d.props,
                parent: d.parent === undefined ? undefined : urns[d.parent % urns.length],
                propertyDependencies,
                dependencies: Object.values(propertyDependencies).flat(),
            };
        });
    });
}
