// Traffic assumptions: GB (or million DNS queries) per month per category, the only figures the
// recorded stack cannot give.
// Defaults are shown in every cost section; a file and `--traffic category=amount` flags override them.
import { readJsonFile } from "../shared/json-text";
import { CostInputError } from "./prices";

export enum TrafficCategory {
    /** From the private tiers to AWS APIs (sqs, sts, kms, ecr, logs, ...): interface endpoints, or a NAT without them. */
    AwsApi = "awsApiGb",
    /** From the private tiers to the internet: through the egress gateways' public IPs, or a NAT. */
    Internet = "internetGb",
    /** VPC flow-log records delivered to CloudWatch Logs. */
    FlowLogs = "flowLogGb",
    /** DNS queries from the VPCs with a DNS Firewall rule group, millions per month. */
    DnsQueries = "dnsMillionQueries",
}
export const TRAFFIC_CATEGORIES: readonly TrafficCategory[] = Object.values(TrafficCategory);

export type Traffic = Record<TrafficCategory, number>;

export const DEFAULT_TRAFFIC: Readonly<Traffic> = {
    [TrafficCategory.AwsApi]: 100,
    [TrafficCategory.Internet]: 50,
    [TrafficCategory.FlowLogs]: 20,
    [TrafficCategory.DnsQueries]: 10,
};

export const TRAFFIC_DESCRIPTIONS: Readonly<Record<TrafficCategory, string>> = {
    [TrafficCategory.AwsApi]: "private tiers -> AWS APIs",
    [TrafficCategory.Internet]: "private tiers -> internet",
    [TrafficCategory.FlowLogs]: "flow-log records -> CloudWatch Logs",
    [TrafficCategory.DnsQueries]: "millions of DNS queries from VPCs with DNS Firewall (only with a rule group association)",
};

const unitOf = (c: TrafficCategory): string => (c === TrafficCategory.DnsQueries ? "million queries" : "GB");

function isCategory(k: string): k is TrafficCategory {
    return (TRAFFIC_CATEGORIES as readonly string[]).includes(k);
}

function checkValue(where: string, key: string, value: unknown, problems: string[]): number | undefined {
    if (!isCategory(key)) {
        problems.push(`${where}: unknown traffic category "${key}" (expected ${TRAFFIC_CATEGORIES.join(", ")})`);
        return undefined;
    }
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        problems.push(`${where}: ${key} must be a number of ${unitOf(key)} per month, 0 or more, found ${JSON.stringify(value)}`);
        return undefined;
    }
    return value;
}

/**
 * Defaults, then the file (a JSON object category -> amount per month), then each `category=amount` flag.
 * Throws CostInputError naming every bad file entry and flag at once.
 */
export function resolveTraffic(file: string | undefined, flags: readonly string[]): Traffic {
    const problems: string[] = [];
    const traffic: Traffic = { ...DEFAULT_TRAFFIC };
    if (file !== undefined) {
        const read = readJsonFile(file, "traffic file");
        let doc: unknown;
        if ("error" in read) {
            problems.push(read.error);
        } else {
            doc = read.value;
        }
        if (typeof doc === "object" && doc !== null && !Array.isArray(doc)) {
            for (const [key, value] of Object.entries(doc)) {
                const gb = checkValue(`traffic file ${file}`, key, value, problems);
                if (gb !== undefined) {
                    traffic[key as TrafficCategory] = gb;
                }
            }
        } else if (doc !== undefined) {
            problems.push(`traffic file ${file} must hold a JSON object of category -> amount per month, found ${JSON.stringify(doc)}`);
        }
    }
    for (const flag of flags) {
        const eq = flag.indexOf("=");
        if (eq <= 0) {
            problems.push(`--traffic ${JSON.stringify(flag)} must be category=amount (categories: ${TRAFFIC_CATEGORIES.join(", ")})`);
            continue;
        }
        const key = flag.slice(0, eq);
        const text = flag.slice(eq + 1).trim();
        const n = Number(text);
        const gb = checkValue(`--traffic ${flag}`, key, text !== "" && Number.isFinite(n) ? n : text, problems);
        if (gb !== undefined) {
            traffic[key as TrafficCategory] = gb;
        }
    }
    if (problems.length > 0) {
        throw new CostInputError(problems);
    }
    return traffic;
}
