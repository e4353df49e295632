// The cost section's two steps as the CLI uses them: check the explicit inputs (price files, traffic)
// before the program runs, then price the recording. Nothing about the stack itself (its region, its
// providers) can fail the run: what cannot be priced is named in the section instead.
import type { RecordedStack } from "../record";
import { costSection, CostSection } from "./model";
import { loadPriceTable, PriceTable } from "./prices";
import { resolveTraffic, Traffic } from "./traffic";

import { CostInputError } from "./prices";
export { CostInputError };
export { costMarkdown, costText } from "./render";
export { CostSection } from "./model";
export { DEFAULT_TRAFFIC } from "./traffic";

export interface CostInputs {
    priceFiles: readonly string[];
    trafficFile?: string;
    trafficFlags: readonly string[];
}

export interface CostSetup {
    table: PriceTable;
    traffic: Traffic;
}

/** Reads and checks the price table and the traffic assumptions; throws CostInputError naming every problem. */
export function prepareCost(inputs: CostInputs): CostSetup {
    const problems: string[] = [];
    const attempt = <T>(f: () => T): T | undefined => {
        try {
            return f();
        } catch (e) {
            if (e instanceof CostInputError) {
                problems.push(...e.problems);
                return undefined;
            }
            throw e;
        }
    };
    const table = attempt(() => loadPriceTable(inputs.priceFiles));
    const traffic = attempt(() => resolveTraffic(inputs.trafficFile, inputs.trafficFlags));
    if (problems.length > 0) {
        throw new CostInputError(problems);
    }
    return { table: table as PriceTable, traffic: traffic as Traffic };
}

/** `env`: where the AWS provider would read AWS_REGION / AWS_DEFAULT_REGION (the preview's own environment). */
export function priceRecording(recorded: RecordedStack, setup: CostSetup, env: NodeJS.ProcessEnv): CostSection {
    return costSection(recorded.resources, setup.table, setup.traffic, env);
}
