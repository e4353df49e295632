// Whole-number config keys (days, counts), read with the same every-problem-at-once reporting as the
// shared keys in config.ts.

import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

import { ConfigReader } from "./config";

/** The schema of a whole number in [minimum, maximum] with a default. */
export function integerSchema(description: string, minimum: number, maximum: number, fallback: number): PolicyConfigJSONSchema {
    return { type: "integer", description, minimum, maximum, default: fallback };
}

/** Reads `key` as a whole number in [minimum, maximum]; a bad value is a problem and gives `fallback`. */
export function readInteger(r: ConfigReader, key: string, minimum: number, maximum: number, fallback: number): number {
    const v = r.raw[key];
    if (v === undefined) {
        return fallback;
    }
    if (typeof v !== "number" || !Number.isInteger(v) || v < minimum || v > maximum) {
        r.problems.push(`${key} must be a whole number of days from ${minimum} to ${maximum}, got ${JSON.stringify(v)}`);
        return fallback;
    }
    return v;
}
