import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { RawConfig } from "../../config";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** A stack file's config turned into what the engine hands the program: scalars as strings, lists as JSON text. */
export function readStackConfig(stack: string): Record<string, string> {
    const file = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
    const raw: Record<string, string> = {};
    for (const [key, value] of Object.entries(file.config)) {
        raw[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return raw;
}

/** A stack's config with some keys replaced (`undefined` removes a key). */
export function stackWith(stack: string, overrides: Record<string, unknown>): RawConfig {
    const raw: Record<string, unknown> = { ...readStackConfig(stack) };
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) {
            delete raw[key];
        } else {
            raw[key] = value;
        }
    }
    return raw;
}
