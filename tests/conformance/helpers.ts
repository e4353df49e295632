import * as path from "path";

export const CONFORMANCE = path.resolve(__dirname, "..", "fixtures", "conformance");
export const conformanceProgram = (name: string): string => path.join(CONFORMANCE, "programs", name);
export const PROBE_PACK = path.join(CONFORMANCE, "packs", "probe");

/** The environment of a tool run that type-checks its program, as `pulumi preview` does by default (see tests/helpers/build-packages.ts). */
export function typeCheckedEnv(): NodeJS.ProcessEnv {
    const env = { ...process.env };
    delete env.PULUMI_NODEJS_TRANSPILE_ONLY;
    return env;
}
