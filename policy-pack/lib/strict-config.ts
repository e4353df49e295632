// Top-level strictness for a policy's config. The engine keeps only `properties` and `required` of a
// policy's schema (a top-level `additionalProperties` never reaches its validator), so a misspelt key
// would silently fall back to its default; the policy's own reader rejects it instead.

import { PolicyConfigSchema } from "@pulumi/policy";

import { ConfigReader } from "./config";
import { suggestion } from "./nearest";

/** The level is part of every policy's config entry; the engine injects it into the schema too. */
const ALWAYS_ALLOWED = "enforcementLevel";

/** Adds a problem for every top-level key `schema` does not declare. */
export function rejectUnknownKeys(r: ConfigReader, schema: PolicyConfigSchema): void {
    const known = [ALWAYS_ALLOWED, ...Object.keys(schema.properties)];
    for (const key of Object.keys(r.raw).filter((k) => !known.includes(k))) {
        r.problems.push(`${key} is not a config key of this policy (${suggestion(key, known, `its keys: ${known.join(", ")}`)})`);
    }
}
