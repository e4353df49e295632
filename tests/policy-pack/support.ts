// Small assertions shared by the policy tests.

import { expect } from "chai";
import { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";

import { Shape, typeOf } from "../../policy-pack/lib/coverage";
import { PolicyResult, runResourcePolicy } from "../helpers/policy-harness";

/** The engine's unknown sentinel (string), as the recorder and the CLI send it at preview. */
export const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Every diagnostic as [level, policy's own text], in order, for exact comparison. */
export function findings(res: PolicyResult): [EnforcementLevel, string][] {
    return res.diagnostics.map((d) => [d.enforcementLevel, d.detail]);
}

/** [level, urn, text] for stack policies, where the resource a finding is attributed to matters. */
export function stackFindings(res: PolicyResult): [EnforcementLevel, string, string][] {
    return res.diagnostics.map((d) => [d.enforcementLevel, d.urn, d.detail]);
}

export const canNotRun = (policy: string, what: string): string =>
    `can't run policy '${policy}' from policy pack 'trace-network-guardrails@v0.1.0' during preview: ${what} can't be known during preview`;

/** The message a promise rejects with; fails the test when it resolves. */
export async function rejection(p: Promise<unknown>): Promise<string> {
    try {
        await p;
    } catch (e) {
        return e instanceof Error ? e.message : String(e);
    }
    throw new Error("expected the promise to reject, but it resolved");
}

/** One failing case of a coverage catalogue's shape. */
export interface ShapeFailure {
    /** The catalogue shape this case breaks: `<property>[.nested]`. */
    readonly shape: string;
    /** Props to set; a key set to undefined is removed. */
    readonly change: Record<string, unknown>;
    /** The policy's own text, after the subject. */
    readonly expected: string;
}

/** A resource type of a coverage catalogue: a compliant baseline as plan and preview see it, and its failing cases. */
export interface ShapeCase {
    readonly type: string;
    readonly kind: string;
    /** Compliant, every value known (plan). */
    readonly plan: Record<string, unknown>;
    /** Compliant, as at preview: ids, ARNs and references unknown. */
    readonly preview: Record<string, unknown>;
    readonly failing: readonly ShapeFailure[];
}

function withChange(props: Record<string, unknown>, change: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...props, ...change };
    for (const [k, v] of Object.entries(change)) {
        if (v === undefined) {
            delete out[k];
        }
    }
    return out;
}

/**
 * The tests every coverage-catalogue policy shares: a failing case for each catalogued shape, then per
 * type the compliant baseline in plan and preview, and each failing case in both modes (one mandatory finding).
 */
export function describeShapeCases(policy: ResourceValidationPolicy, shapes: readonly Shape<never>[], cases: readonly ShapeCase[], name: string): void {
    it("has a failing case for every shape of its catalogue", () => {
        const catalogue = shapes.map((s) => `${typeOf(s.resource)} ${[s.property, ...(s.nested ?? [])].join(".")}`);
        const tested = cases.flatMap((c) => c.failing.map((f) => `${c.type} ${f.shape}`));
        expect([...new Set(tested)].sort()).to.deep.equal([...new Set(catalogue)].sort());
    });

    for (const c of cases) {
        describe(c.type, () => {
            it("passes the compliant baseline in plan and in preview", async () => {
                for (const props of [c.plan, c.preview]) {
                    const res = await runResourcePolicy(policy, { type: c.type, name, props });
                    expect(res.diagnostics, JSON.stringify(props)).to.deep.equal([]);
                    expect(res.notApplicable).to.deep.equal([]);
                }
            });

            for (const f of c.failing) {
                it(`reports ${f.shape} changed to ${JSON.stringify(f.change)} in plan and in preview`, async () => {
                    for (const base of [c.plan, c.preview]) {
                        const res = await runResourcePolicy(policy, { type: c.type, name, props: withChange(base, f.change) });
                        expect(findings(res)).to.deep.equal([["mandatory", `${c.kind} '${name}' ${f.expected}`]]);
                    }
                });
            }
        });
    }
}
