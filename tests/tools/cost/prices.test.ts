// The versioned price table and --price-file: what the built-in table holds, how a file replaces or
// extends it, and that every problem in a file is named at once.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { BUILTIN_PRICE_FILE, CostInputError, loadPriceTable, PRICE_KEYS, PriceKey, unpricedRegion } from "../../../tools/cost/prices";
import { tempDir } from "../../helpers/temp-dir";

const tmp = tempDir("cost-prices-");
function file(name: string, content: unknown): string {
    const f = path.join(tmp, name);
    fs.writeFileSync(f, typeof content === "string" ? content : JSON.stringify(content));
    return f;
}

function problemsOf(f: () => unknown): string[] {
    try {
        f();
    } catch (e) {
        expect(e).to.be.instanceOf(CostInputError);
        return (e as CostInputError).problems;
    }
    throw new Error("expected a CostInputError");
}

describe("cost price table", () => {
    it("ships a dated table whose every figure names its page and how it was taken, every price for eu-west-1 and us-east-1", () => {
        const table = loadPriceTable();
        expect(path.basename(BUILTIN_PRICE_FILE)).to.equal(`aws-${table.date}.json`);
        expect(table.currency).to.equal("USD");
        expect(table.hoursPerMonth).to.equal(730);
        expect(Object.keys(table.regions).sort()).to.deep.equal(["eu-west-1", "us-east-1", "us-east-2", "us-west-2"]);
        for (const [region, prices] of Object.entries(table.regions)) {
            expect(Object.keys(table.regionSources[region]).sort(), region).to.deep.equal(Object.keys(prices).sort());
        }
        expect(Object.keys(table.regions["eu-west-1"]).sort()).to.deep.equal([...PRICE_KEYS].sort());
        // us-west-2: what could be sourced here (VPC figures), the CloudWatch ones left out rather than guessed.
        expect(table.regions["us-west-2"]).to.deep.equal({
            interfaceEndpointHour: 0.01, interfaceEndpointGb: 0.01, natGatewayHour: 0.045, natGatewayGb: 0.045, publicIpv4Hour: 0.005,
            dnsFirewallDomainMonth: 0.0005, dnsFirewallMillionQueries: 0.6,
        });
        expect(Object.keys(table.sources).sort()).to.deep.equal([...PRICE_KEYS].sort());
        for (const source of Object.values(table.sources)) {
            expect(source).to.match(/^https:\/\/aws\.amazon\.com\//);
        }
        // The figures the cited pages show for us-east-1.
        expect(table.regions["us-east-1"]).to.deep.equal({
            interfaceEndpointHour: 0.01, interfaceEndpointGb: 0.01, natGatewayHour: 0.045, natGatewayGb: 0.045, publicIpv4Hour: 0.005,
            flowLogsToCloudWatchGb: 0.5, alarmMetricMonth: 0.1, highResolutionAlarmMetricMonth: 0.3, customMetricMonth: 0.3,
            dnsFirewallDomainMonth: 0.0005, dnsFirewallMillionQueries: 0.6,
        });
        expect(table.files).to.deep.equal([BUILTIN_PRICE_FILE]);
        expect(table.regionFiles["us-west-2"]).to.deep.equal([BUILTIN_PRICE_FILE]);
    });

    it("merges a --price-file over the table: one price corrected, a complete new region added, the date replaced, each region's files kept", () => {
        const full = Object.fromEntries(PRICE_KEYS.map((k, i) => [k, (i + 1) / 100]));
        const f = file("override.json", { date: "2027-01-15", regions: { "eu-west-1": { natGatewayHour: 0.05 }, "ap-south-1": full } });
        const table = loadPriceTable([f]);
        expect(table.date).to.equal("2027-01-15");
        expect(table.regions["eu-west-1"][PriceKey.NatGatewayHour]).to.equal(0.05);
        expect(table.regions["eu-west-1"][PriceKey.NatGatewayGb]).to.equal(0.048);
        expect(table.regions["ap-south-1"]).to.deep.equal(full);
        expect(table.files).to.deep.equal([BUILTIN_PRICE_FILE, f]);
        expect(table.fileDates).to.deep.equal({ [BUILTIN_PRICE_FILE]: loadPriceTable().date, [f]: "2027-01-15" });
        expect([table.regionFiles["eu-west-1"], table.regionFiles["ap-south-1"], table.regionFiles["us-east-1"]]).to.deep.equal([[BUILTIN_PRICE_FILE, f], [f], [BUILTIN_PRICE_FILE]]);
        // The corrected figure no longer claims the built-in table's source.
        expect(table.regionSources["eu-west-1"]).to.not.have.property(PriceKey.NatGatewayHour);
        expect(table.regionSources["eu-west-1"]).to.have.property(PriceKey.NatGatewayGb);
    });

    it("names every problem of a bad price file at once", () => {
        const f = file("bad.json", {
            date: "15/01/2027",
            currency: "USD",
            extra: true,
            regions: { "eu-west-1": { natGatewayHour: -1, interfaceEndpointGb: "0.01", natGateway: 0.05 }, "Ireland": {} },
        });
        expect(problemsOf(() => loadPriceTable([f]))).to.deep.equal([
            `${f}: unknown key "extra" (expected one of date, currency, hoursPerMonth, notes, sources, regions)`,
            `${f}: date must be a date YYYY-MM-DD, found "15/01/2027"`,
            `${f}: "Ireland" under regions is not an AWS region name (e.g. eu-west-1)`,
            `${f}: unknown key "regions.eu-west-1.natGateway" (expected one of ${PRICE_KEYS.join(", ")}, sources)`,
            `${f}: regions.eu-west-1.interfaceEndpointGb must be number, found "0.01"`,
            `${f}: regions.eu-west-1.natGatewayHour must be >= 0, found -1`,
        ]);
    });

    it("names every unreadable file at once, and accepts a new region with some prices only", () => {
        const missing = path.join(tmp, "missing.json");
        const notJson = file("not-json.json", "{ regions: ");
        expect(problemsOf(() => loadPriceTable([missing, notJson]))).to.have.members([
            `cannot read price file ${missing}: ENOENT: no such file or directory, open '${missing}'`,
            `price file ${notJson} is not valid JSON: line 1, column 3: expected a property name in double quotes, found "r"`,
        ]);
        const partial = file("partial.json", { regions: { "ap-south-1": { natGatewayHour: 0.056, sources: { natGatewayHour: "read on the VPC pricing page for Asia Pacific (Mumbai)" } } } });
        const table = loadPriceTable([partial]);
        expect(table.regions["ap-south-1"]).to.deep.equal({ natGatewayHour: 0.056 });
        expect(table.regionSources["ap-south-1"]).to.deep.equal({ natGatewayHour: "read on the VPC pricing page for Asia Pacific (Mumbai)" });
    });

    it("names a region the table does not have, the regions it has and the fix, without throwing", () => {
        const table = loadPriceTable();
        expect(unpricedRegion(table, "ap-south-1")).to.equal(
            "the price table has no prices for ap-south-1 (it has eu-west-1, us-east-1, us-east-2, us-west-2); add them with --price-file",
        );
        expect(unpricedRegion(table, "eu-west-1")).to.equal(undefined);
    });
});
