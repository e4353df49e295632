import * as pulumi from "@pulumi/pulumi";
import { PROJECT, REGION_KEY } from "./keys";
import { formatProblem, ConfigProblem, RawConfig } from "./shapes";
import { validateConfig } from "./validate";
import { StackConfig } from "./types";

export * from "./keys";
export * from "./types";
export * from "./validate";
export { ConfigProblem, formatProblem, RawConfig } from "./shapes";
export { CLOUDWATCH_RETENTION_DAYS, SECRET_SEGMENT } from "./formats";

/**
 * Thrown by `loadConfig` with every problem, so one run shows the whole list. A config mistake is the
 * user's, not a crash: as a `RunError`, the language host prints only the message, no stack trace.
 */
export class ConfigError extends pulumi.RunError {
    constructor(readonly problems: readonly ConfigProblem[]) {
        super(
            `Stack config has ${problems.length} problem(s); nothing was deployed:\n` +
                problems.map((problem) => `  - ${formatProblem(problem)}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

/**
 * Reads this project's keys and `aws:region` from the stack's config, validates them, and returns the
 * typed config. The only place in the program that reads Pulumi config. Throws `ConfigError` listing
 * every problem before any resource exists.
 */
export function loadConfig(): StackConfig {
    const all = pulumi.runtime.allConfig();
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(all)) {
        if (key.startsWith(`${PROJECT}:`) || key === REGION_KEY) {
            raw[key] = value;
        }
    }
    const result = validateConfig(raw as RawConfig);
    if (result.config === undefined) {
        throw new ConfigError(result.problems);
    }
    return result.config;
}
