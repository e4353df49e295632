// The catalogue-driven part of the perimeter policies' tests: every entry a policy owns, compliant
// and failing, in plan mode (all known) and preview mode (ids and names unknown). Resource types go
// through `Analyze`, awsx components through `AnalyzeStack` without and with their children.

import { expect } from "chai";
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

import { CatalogueEntry } from "../../policy-pack/lib/perimeter-catalogue";
import { runResourcePolicy, runStackPolicy, urnOf } from "../helpers/policy-harness";
import { caseOf, entriesOf, previewOf } from "./perimeter-cases";
import { findings, stackFindings } from "./support";

export function expectedMessage(entry: CatalogueEntry, name: string, finding: string, rule: string, suffix = ""): string {
    return `${entry.kind} '${name}' ${finding}, so it ${entry.consequence}${suffix}; ${rule}. ${entry.fix}.`;
}

const MODES: [string, (p: Record<string, unknown>) => Record<string, unknown>][] = [
    ["plan", (p) => p],
    ["preview", previewOf],
];

function resourceCases(policy: ResourceValidationPolicy, entry: CatalogueEntry, rule: string): void {
    const c = caseOf(entry);
    for (const [mode, props] of MODES) {
        it(`${entry.type} ${entry.property}: passes the compliant value and reports the unsafe one (${mode})`, async () => {
            const ok = await runResourcePolicy(policy, { type: entry.type, name: "svc", props: props(c?.compliant ?? {}) });
            const bad = await runResourcePolicy(policy, { type: entry.type, name: "svc", props: props(c?.failing ?? {}) });
            expect(ok.diagnostics).to.deep.equal([]);
            expect(findings(bad)).to.deep.equal([["mandatory", expectedMessage(entry, "svc", c?.finding ?? "(no case)", rule)]]);
        });
    }
}

const CHILDREN = " (judged on its inputs: its children are not in the stack)";

function componentCases(policy: StackValidationPolicy, entry: CatalogueEntry, rule: string): void {
    const c = caseOf(entry);
    const urn = urnOf(entry.type, "svc");
    const child = { type: "aws:ecs/service:Service", name: "svc-child", parent: urn, props: {} };
    for (const [mode, props] of MODES) {
        it(`${entry.type} ${entry.property}: judges the inputs only when the children are absent (${mode})`, async () => {
            const bad = await runStackPolicy(policy, [{ type: entry.type, name: "svc", props: props(c?.failing ?? {}) }]);
            const underEngine = await runStackPolicy(policy, [{ type: entry.type, name: "svc", props: props(c?.failing ?? {}) }, child]);
            const ok = await runStackPolicy(policy, [{ type: entry.type, name: "svc", props: props(c?.compliant ?? {}) }]);
            expect(stackFindings(bad)).to.deep.equal([["mandatory", urn, expectedMessage(entry, "svc", c?.finding ?? "(no case)", rule, CHILDREN)]]);
            expect(underEngine.diagnostics).to.deep.equal([]);
            expect(ok.diagnostics).to.deep.equal([]);
        });
    }
}

/** One test per catalogue entry of `policy` and mode. */
export function catalogueCases(policy: ResourceValidationPolicy & Partial<Pick<StackValidationPolicy, "validateStack">>, rule: string): void {
    for (const entry of entriesOf(policy.name)) {
        if (entry.component === true) {
            componentCases(policy as ResourceValidationPolicy & StackValidationPolicy, entry, rule);
        } else {
            resourceCases(policy, entry, rule);
        }
    }
}
