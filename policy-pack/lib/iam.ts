// IAM policy documents: does a document grant any of a set of actions (Secrets Manager, role assumption)?

import { asRecord, asString, isRecord } from "./resources";
import { assertKnown } from "./unknowns";
import { globToRegExp } from "./exemptions";

/** Every Secrets Manager action; a grant matching any of them is Secrets Manager access. */
export const SECRETS_MANAGER_ACTIONS: readonly string[] = [
    "BatchGetSecretValue",
    "CancelRotateSecret",
    "CreateSecret",
    "DeleteResourcePolicy",
    "DeleteSecret",
    "DescribeSecret",
    "GetRandomPassword",
    "GetResourcePolicy",
    "GetSecretValue",
    "ListSecretVersionIds",
    "ListSecrets",
    "PutResourcePolicy",
    "PutSecretValue",
    "RemoveRegionsFromReplication",
    "ReplicateSecretToRegions",
    "RestoreSecret",
    "RotateSecret",
    "StopReplicationToReplica",
    "TagResource",
    "UntagResource",
    "UpdateSecret",
    "UpdateSecretVersionStage",
    "ValidateResourcePolicy",
].map((a) => `secretsmanager:${a}`);

/**
 * Every way to assume a role (the `sts:AssumeRole*` family). `sts:AssumeRoot` is not among them: it
 * yields a task-scoped root session of a member account, only from an organization's management account.
 */
export const ROLE_ASSUMPTION_ACTIONS: readonly string[] = ["AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"].map((a) => `sts:${a}`);

/** IAM action patterns are case-insensitive globs. */
function matches(pattern: string, action: string): boolean {
    return globToRegExp(pattern.toLowerCase()).test(action.toLowerCase());
}

export enum DocumentVerdict {
    NoAccess = "no-access",
    Grants = "grants",
    /** Known but not a policy document we can read: cannot be shown to grant nothing. */
    Unreadable = "unreadable",
}

export interface DocumentResult {
    readonly verdict: DocumentVerdict;
    /** The granting statement's actions (or NotAction), or why it is unreadable. */
    readonly detail: string;
}

function strings(v: unknown, path: string[]): string[] {
    const items = Array.isArray(v) ? v : [v];
    const out: string[] = [];
    items.forEach((x, i) => {
        assertKnown(x, Array.isArray(v) ? [...path, String(i)] : path);
        if (typeof x === "string") {
            out.push(x);
        }
    });
    return out;
}

/** Judges a policy document for Secrets Manager access (see `actionAccess`). */
export function secretsAccess(doc: unknown, property: string): DocumentResult {
    return actionAccess(doc, property, SECRETS_MANAGER_ACTIONS);
}

/**
 * Judges whether a policy document allows any of `actions`, given as a JSON string (the usual input)
 * or an object: through `Action` (wildcards included) or `NotAction` (everything it leaves out).
 * Unknown values inside a parsed string throw the library's UnknownValueError, like any unknown prop.
 */
export function actionAccess(doc: unknown, property: string, actions: readonly string[]): DocumentResult {
    let parsed: unknown = doc;
    if (typeof doc === "string") {
        assertKnown(doc, [property]);
        try {
            parsed = JSON.parse(doc);
        } catch (e) {
            return { verdict: DocumentVerdict.Unreadable, detail: `${property} is not valid JSON (${(e as Error).message})` };
        }
    }
    const d = asRecord(parsed);
    if (d === undefined) {
        return { verdict: DocumentVerdict.Unreadable, detail: `${property} is not a policy document object` };
    }
    const stmtValue = d["Statement"];
    assertKnown(stmtValue, [property, "Statement"]);
    const statements = Array.isArray(stmtValue) ? stmtValue : isRecord(stmtValue) ? [stmtValue] : [];
    for (let i = 0; i < statements.length; i++) {
        const s = asRecord(statements[i]);
        if (s === undefined) {
            continue;
        }
        const path = [property, "Statement", String(i)];
        const effect = s["Effect"];
        assertKnown(effect, [...path, "Effect"]);
        if (asString(effect) === "Deny") {
            continue;
        }
        if (s["Action"] !== undefined) {
            const allowed = strings(s["Action"], [...path, "Action"]);
            const granting = allowed.filter((p) => actions.some((a) => matches(p, a)));
            if (granting.length > 0) {
                return { verdict: DocumentVerdict.Grants, detail: `Statement[${i}] allows ${granting.join(", ")}` };
            }
        }
        if (s["NotAction"] !== undefined) {
            const excluded = strings(s["NotAction"], [...path, "NotAction"]);
            const left = actions.filter((a) => !excluded.some((p) => matches(p, a)));
            if (left.length > 0) {
                return { verdict: DocumentVerdict.Grants, detail: `Statement[${i}] allows everything except ${excluded.join(", ")}, including ${left[0]}` };
            }
        }
    }
    return { verdict: DocumentVerdict.NoAccess, detail: "" };
}

/** "arn:aws:iam::aws:policy/SecretsManagerReadWrite" -> "SecretsManagerReadWrite"; undefined if not AWS-managed. */
export function awsManagedPolicyName(arn: string): string | undefined {
    const m = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
    return m === null ? undefined : m[1];
}

