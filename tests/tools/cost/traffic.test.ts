import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CostInputError } from "../../../tools/cost/prices";
import { DEFAULT_TRAFFIC, resolveTraffic } from "../../../tools/cost/traffic";
import { tempDir } from "../../helpers/temp-dir";

const tmp = tempDir("cost-traffic-");

describe("cost traffic assumptions", () => {
    it("starts from the defaults, applies the file, then each --traffic flag", () => {
        expect(resolveTraffic(undefined, [])).to.deep.equal({ awsApiGb: 100, internetGb: 50, flowLogGb: 20, dnsMillionQueries: 10 });
        expect(resolveTraffic(undefined, [])).to.deep.equal(DEFAULT_TRAFFIC);
        const f = path.join(tmp, "traffic.json");
        fs.writeFileSync(f, JSON.stringify({ awsApiGb: 400, flowLogGb: 0 }));
        expect(resolveTraffic(f, ["awsApiGb=250.5", "internetGb=0"])).to.deep.equal({ awsApiGb: 250.5, internetGb: 0, flowLogGb: 0, dnsMillionQueries: 10 });
    });

    it("names every bad file entry and flag at once", () => {
        const f = path.join(tmp, "bad.json");
        fs.writeFileSync(f, JSON.stringify({ awsApiGB: 10, internetGb: -5, flowLogGb: "20" }));
        let problems: string[] = [];
        try {
            resolveTraffic(f, ["internetGb", "natGb=3", "flowLogGb=lots", "awsApiGb="]);
        } catch (e) {
            expect(e).to.be.instanceOf(CostInputError);
            problems = (e as CostInputError).problems;
        }
        expect(problems).to.deep.equal([
            `traffic file ${f}: unknown traffic category "awsApiGB" (expected awsApiGb, internetGb, flowLogGb, dnsMillionQueries)`,
            `traffic file ${f}: internetGb must be a number of GB per month, 0 or more, found -5`,
            `traffic file ${f}: flowLogGb must be a number of GB per month, 0 or more, found "20"`,
            `--traffic "internetGb" must be category=amount (categories: awsApiGb, internetGb, flowLogGb, dnsMillionQueries)`,
            `--traffic natGb=3: unknown traffic category "natGb" (expected awsApiGb, internetGb, flowLogGb, dnsMillionQueries)`,
            `--traffic flowLogGb=lots: flowLogGb must be a number of GB per month, 0 or more, found "lots"`,
            `--traffic awsApiGb=: awsApiGb must be a number of GB per month, 0 or more, found ""`,
        ]);
    });

    it("names the line and column where a traffic file stops being JSON", () => {
        const f = path.join(tmp, "broken.json");
        fs.writeFileSync(f, '{"awsApiGb": 400,\n "internetGb": }');
        expect(() => resolveTraffic(f, [])).to.throw(CostInputError, `traffic file ${f} is not valid JSON: line 2, column 16: expected a value, found "}"`);
    });

    it("refuses a traffic file that is not a JSON object", () => {
        const f = path.join(tmp, "list.json");
        fs.writeFileSync(f, "[1, 2]");
        expect(() => resolveTraffic(f, [])).to.throw(CostInputError, `traffic file ${f} must hold a JSON object of category -> amount per month, found [1,2]`);
    });
});
