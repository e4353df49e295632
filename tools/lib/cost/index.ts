// The cost section's two steps as the CLI uses them: check every input before the program runs, then
// price the recording.
import type { RecordedStack } from "../record-protocol";
import { costSection, CostSection } from "./model";
import { loadPriceTable, PriceTable, RegionPrices, regionPrices } from "./prices";
import { resolveTraffic, Traffic } from "./traffic";

import { CostInputError } from "./prices";
export { CostInputError };
export { costMarkdown, costText } from "./render";

export interface CostInputs {
    priceFiles: readonly string[];
    trafficFile?: string;
    trafficFlags: readonly string[];
    /** The stack's aws:region. */
    region: string | undefined;
}

export interface CostSetup {
    table: PriceTable;
    region: string;
    prices: RegionPrices;
    traffic: Traffic;
}

/** Reads and checks the price table, the region and the traffic assumptions; throws CostInputError naming every problem. */
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
    const prices = table === undefined ? undefined : attempt(() => regionPrices(table, inputs.region));
    const traffic = attempt(() => resolveTraffic(inputs.trafficFile, inputs.trafficFlags));
    if (problems.length > 0) {
        throw new CostInputError(problems);
    }
    return { table: table as PriceTable, region: inputs.region as string, prices: prices as RegionPrices, traffic: traffic as Traffic };
}

export function priceRecording(recorded: RecordedStack, setup: CostSetup): CostSection {
    return costSection(recorded.resources, setup.table, setup.region, setup.prices, setup.traffic);
}
