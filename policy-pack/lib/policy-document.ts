// Reading JSON policy documents (bucket policies, VPC endpoint policies) without trusting their shape:
// a document may be a JSON string or an object, `Statement` one object or a list, every field a
// string or a list. Unknown values inside a parsed string throw the library's UnknownValueError,
// like any unknown prop, so a document that is not known yet defers the verdict.

import { isRecord } from "./resources";
import { assertKnown } from "./unknowns";

export interface Statement {
    /** Position in `Statement`, for messages. */
    readonly index: number;
    readonly raw: Record<string, unknown>;
    /** `property.Statement.<i>`, the path an unknown inside it is reported under. */
    readonly path: readonly string[];
}

export enum DocumentStatus {
    Read = "read",
    /** Known, but not a policy document: it can never be shown to satisfy a rule. */
    Unreadable = "unreadable",
}

export type ParsedDocument =
    | { readonly status: DocumentStatus.Read; readonly statements: readonly Statement[] }
    | { readonly status: DocumentStatus.Unreadable; readonly reason: string };

export function parsePolicyDocument(doc: unknown, property: string): ParsedDocument {
    assertKnown(doc, [property]);
    let parsed: unknown = doc;
    if (typeof doc === "string") {
        try {
            parsed = JSON.parse(doc);
        } catch (e) {
            return { status: DocumentStatus.Unreadable, reason: `${property} is not valid JSON (${(e as Error).message})` };
        }
    }
    if (!isRecord(parsed)) {
        return { status: DocumentStatus.Unreadable, reason: `${property} is not a policy document object` };
    }
    const value = parsed["Statement"];
    assertKnown(value, [property, "Statement"]);
    const items = Array.isArray(value) ? value : isRecord(value) ? [value] : [];
    const statements: Statement[] = [];
    items.forEach((s: unknown, i: number) => {
        const path = [property, "Statement", String(i)];
        assertKnown(s, path);
        if (isRecord(s)) {
            statements.push({ index: i, raw: s, path });
        }
    });
    return { status: DocumentStatus.Read, statements };
}

/** A field that may be one string or a list of them; unknown elements throw, non-strings are dropped. */
export function stringList(v: unknown, path: readonly string[]): string[] {
    assertKnown(v, path);
    const items = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
    const out: string[] = [];
    items.forEach((x: unknown, i: number) => {
        assertKnown(x, Array.isArray(v) ? [...path, String(i)] : path);
        if (typeof x === "string") {
            out.push(x);
        }
    });
    return out;
}

/** The statement's Effect; anything but an explicit "Deny" grants, as IAM evaluates it. */
export function isDeny(s: Statement): boolean {
    const effect = s.raw["Effect"];
    assertKnown(effect, [...s.path, "Effect"]);
    return effect === "Deny";
}

/** The value of a condition block (`Condition[operator]`), keyed case-insensitively as IAM keys are. */
export function conditionValues(s: Statement, operator: string, key: string): string[] | undefined {
    const cond = s.raw["Condition"];
    assertKnown(cond, [...s.path, "Condition"]);
    if (!isRecord(cond)) {
        return undefined;
    }
    const block = cond[operator];
    assertKnown(block, [...s.path, "Condition", operator]);
    if (!isRecord(block)) {
        return undefined;
    }
    const found = Object.keys(block).find((k) => k.toLowerCase() === key.toLowerCase());
    if (found === undefined) {
        return undefined;
    }
    const raw = block[found];
    const path = [...s.path, "Condition", operator, found];
    assertKnown(raw, path);
    const items = Array.isArray(raw) ? raw : [raw];
    return items.map((x: unknown, i: number) => {
        assertKnown(x, Array.isArray(raw) ? [...path, String(i)] : path);
        return typeof x === "string" ? x : JSON.stringify(x);
    });
}
