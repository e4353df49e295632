import * as path from "path";

export const CONFORMANCE = path.resolve(__dirname, "..", "fixtures", "conformance");
export const conformanceProgram = (name: string): string => path.join(CONFORMANCE, "programs", name);
export const PROBE_PACK = path.join(CONFORMANCE, "packs", "probe");
