// The price table: a versioned JSON file in tools/prices (source and date per figure), optionally
// replaced or extended by --price-file. Every problem in a file is reported at once, before the
// program runs.
import Ajv, { ErrorObject } from "ajv";
import * as path from "path";
import { readJsonFile } from "../shared/json-text";

/** The unit prices the cost section uses, per region, in the table's currency. */
export enum PriceKey {
    InterfaceEndpointHour = "interfaceEndpointHour",
    InterfaceEndpointGb = "interfaceEndpointGb",
    NatGatewayHour = "natGatewayHour",
    NatGatewayGb = "natGatewayGb",
    PublicIpv4Hour = "publicIpv4Hour",
    FlowLogsToCloudWatchGb = "flowLogsToCloudWatchGb",
    AlarmMetricMonth = "alarmMetricMonth",
    HighResolutionAlarmMetricMonth = "highResolutionAlarmMetricMonth",
    CustomMetricMonth = "customMetricMonth",
    DnsFirewallDomainMonth = "dnsFirewallDomainMonth",
    DnsFirewallMillionQueries = "dnsFirewallMillionQueries",
}
export const PRICE_KEYS: readonly PriceKey[] = Object.values(PriceKey);

/** A region's figures; a figure left out (not sourced) makes the lines that need it unknown, named in the section. */
export type RegionPrices = Partial<Record<PriceKey, number>>;

export interface PriceTable {
    date: string;
    currency: string;
    hoursPerMonth: number;
    notes: string[];
    sources: Partial<Record<PriceKey, string>>;
    regions: Record<string, RegionPrices>;
    /** Per region and figure, where it comes from and how it was taken, when not the page in `sources` alone. */
    regionSources: Record<string, Partial<Record<PriceKey, string>>>;
    /** The files the table was read from, built-in first. */
    files: string[];
    /** Per region, the files its figures came from (a --price-file only when it gave one of them), built-in first. */
    regionFiles: Record<string, string[]>;
    /** The date each file gives, if any. */
    fileDates: Record<string, string | undefined>;
}

// From the package root, not this file: the same path whether the tool runs from its TypeScript
// sources (tools/cost) or from the compiled package (dist/cost).
export const BUILTIN_PRICE_FILE = path.join(path.dirname(require.resolve("@trace/preview/package.json")), "prices", "aws-2026-12-02.json");

/** A price file or traffic assumptions that cannot be used; `problems` names each one. */
export class CostInputError extends Error {
    constructor(readonly problems: string[]) {
        super(problems.join("; "));
        this.name = "CostInputError";
    }
}

const price = { type: "number", minimum: 0 };

// A --price-file has the built-in table's shape, every key optional: a region it names is merged
// over the built-in one price by price, so one figure can be corrected without copying the rest.
// A region's "sources" says, per figure, where it was read and how.
const PRICE_FILE_SCHEMA = {
    type: "object",
    additionalProperties: false,
    properties: {
        date: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
        currency: { type: "string", minLength: 1 },
        hoursPerMonth: { type: "number", exclusiveMinimum: 0, maximum: 744 },
        notes: { type: "array", items: { type: "string" } },
        sources: { type: "object", additionalProperties: false, properties: Object.fromEntries(PRICE_KEYS.map((k) => [k, { type: "string" }])) },
        regions: {
            type: "object",
            propertyNames: { pattern: "^[a-z]{2}(-[a-z]+)+-\\d+$" },
            additionalProperties: {
                type: "object",
                additionalProperties: false,
                properties: {
                    ...Object.fromEntries(PRICE_KEYS.map((k) => [k, price])),
                    sources: { type: "object", additionalProperties: false, properties: Object.fromEntries(PRICE_KEYS.map((k) => [k, { type: "string" }])) },
                },
            },
        },
    },
};

const validatePriceFile = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(PRICE_FILE_SCHEMA);

function describe(file: string, e: ErrorObject): string {
    const where = e.instancePath === "" ? "" : e.instancePath.slice(1).replace(/\//g, ".");
    switch (e.keyword) {
        case "additionalProperties": {
            const key = (e.params as { additionalProperty: string }).additionalProperty;
            const allowed = Object.keys((e.parentSchema as { properties: Record<string, unknown> }).properties);
            return `${file}: unknown key "${where === "" ? key : `${where}.${key}`}" (expected one of ${allowed.join(", ")})`;
        }
        case "propertyNames":
            return `${file}: ${where} has a key that is not an AWS region name`;
        case "pattern":
            if (e.instancePath === "" || where.startsWith("regions")) {
                return `${file}: "${String(e.data)}" under ${where === "" ? "regions" : where} is not an AWS region name (e.g. eu-west-1)`;
            }
            return `${file}: ${where} must be a date YYYY-MM-DD, found ${JSON.stringify(e.data)}`;
        default:
            return `${file}: ${where === "" ? "the file" : where} ${e.message ?? e.keyword}, found ${JSON.stringify(e.data)}`;
    }
}

interface PriceFileDoc {
    date?: string;
    currency?: string;
    hoursPerMonth?: number;
    notes?: string[];
    sources?: Partial<Record<PriceKey, string>>;
    regions?: Record<string, RegionPrices & { sources?: Partial<Record<PriceKey, string>> }>;
}

function readPriceFile(file: string, problems: string[]): PriceFileDoc | undefined {
    const read = readJsonFile(file, "price file");
    if ("error" in read) {
        problems.push(read.error);
        return undefined;
    }
    const doc = read.value;
    if (!validatePriceFile(doc)) {
        // A bad region name is reported once (as a region name), not again by the pattern check's parent.
        const seen = new Set<string>();
        for (const err of validatePriceFile.errors ?? []) {
            if (err.keyword === "propertyNames") {
                continue;
            }
            const text = describe(file, err);
            if (!seen.has(text)) {
                seen.add(text);
                problems.push(text);
            }
        }
        return undefined;
    }
    return doc as PriceFileDoc;
}

/**
 * The built-in table with each --price-file merged over it in order (regions price by price; date,
 * currency, hours and sources replaced when given). Throws CostInputError naming every problem. A
 * region may lack some figures: the lines that need one are shown unknown, with the fix.
 */
export function loadPriceTable(priceFiles: readonly string[] = [], builtin: string = BUILTIN_PRICE_FILE): PriceTable {
    const problems: string[] = [];
    const docs = [builtin, ...priceFiles].map((f) => [f, readPriceFile(f, problems)] as const);
    if (problems.length > 0) {
        throw new CostInputError(problems);
    }
    const merged: PriceTable = {
        date: "", currency: "", hoursPerMonth: 0, notes: [], sources: {}, regions: {}, regionSources: {}, files: [], regionFiles: {}, fileDates: {},
    };
    const origin: Record<string, Partial<Record<PriceKey, string>>> = {};
    for (const [file, doc] of docs) {
        const d = doc as PriceFileDoc;
        merged.date = d.date ?? merged.date;
        merged.currency = d.currency ?? merged.currency;
        merged.hoursPerMonth = d.hoursPerMonth ?? merged.hoursPerMonth;
        merged.notes = [...merged.notes, ...(d.notes ?? [])];
        merged.sources = { ...merged.sources, ...(d.sources ?? {}) };
        for (const [region, { sources, ...prices }] of Object.entries(d.regions ?? {})) {
            merged.regions[region] = { ...(merged.regions[region] ?? {}), ...prices };
            // A figure a later file replaces no longer has the earlier file's source.
            const kept = Object.fromEntries(Object.entries(merged.regionSources[region] ?? {}).filter(([k]) => !(k in prices)));
            merged.regionSources[region] = { ...kept, ...(sources ?? {}) };
            origin[region] = { ...(origin[region] ?? {}), ...Object.fromEntries(Object.keys(prices).map((k) => [k, file])) };
        }
        merged.files.push(file);
        merged.fileDates[file] = d.date;
    }
    for (const [key, value] of [["date", merged.date], ["currency", merged.currency], ["hoursPerMonth", merged.hoursPerMonth]] as const) {
        if (value === "" || value === 0) {
            problems.push(`the price table has no "${key}" (give it in ${builtin} or a --price-file)`);
        }
    }
    if (problems.length > 0) {
        throw new CostInputError(problems);
    }
    for (const [region, byKey] of Object.entries(origin)) {
        merged.regionFiles[region] = merged.files.filter((f) => Object.values(byKey).includes(f));
    }
    return merged;
}

/** Why `region` cannot be priced, naming the fix; undefined when the table has it. */
export function unpricedRegion(table: PriceTable, region: string): string | undefined {
    return table.regions[region] !== undefined
        ? undefined
        : `the price table has no prices for ${region} (it has ${Object.keys(table.regions).sort().join(", ")}); add them with --price-file`;
}
