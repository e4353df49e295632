// Small assertions shared by the policy tests.

import { EnforcementLevel } from "@pulumi/policy";

import { PolicyResult } from "../helpers/policy-harness";

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
