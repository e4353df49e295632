import { expect } from "chai";
import { PreviewResult } from "../../../tools/preview";
import { escapeData, escapeProperty, githubReport } from "../../../tools/report/github";
import { renderContext, sourcesPreview } from "../report-fixture";

describe("--format github: workflow commands", () => {
    let result: PreviewResult;

    before(async () => {
        result = await sourcesPreview();
    });

    it("escapes a message as the runner parses it: %, CR and LF, percent first", () => {
        expect(escapeData("100% of 2 lines:\r\nsecond, with a colon: here")).to.equal("100%25 of 2 lines:%0D%0Asecond, with a colon: here");
        expect(escapeData("%0A")).to.equal("%250A");
    });

    it("escapes a property value further: ':' and ',' delimit properties", () => {
        expect(escapeProperty("a:b,c%d\ne")).to.equal("a%3Ab%2Cc%25d%0Ae");
    });

    it("escapes the policy name in title= and the multi-line message, so each annotation stays one line", () => {
        const policy = result.violations.find((d) => d.policy === "no-public-subnets" && d.urn.endsWith("::open"));
        expect(policy).to.not.equal(undefined);
        const odd: PreviewResult = {
            ...result,
            violations: [{ ...policy!, policy: "odd:name,1", message: "50% public\r\nfix: set mapPublicIpOnLaunch, false" }],
        };
        expect(githubReport(odd, renderContext(result).sources).split("\n")[0]).to.equal(
            "::error file=tests/fixtures/programs/sources/index.ts,line=5,col=1,title=odd%3Aname%2C1::" +
            'aws:ec2/subnet:Subnet "open": 50%25 public%0D%0Afix: set mapPublicIpOnLaunch, false',
        );
    });

    it("marks an advisory violation ::warning and ends with one ::notice of what was checked; deferred checks get no annotation", () => {
        const advisory: PreviewResult = {
            ...result,
            violations: result.violations.map((d) => (d.policy === "no-public-subnets" ? { ...d, enforcementLevel: "advisory" as typeof d.enforcementLevel } : d)),
        };
        const lines = githubReport(advisory, renderContext(result).sources).trimEnd().split("\n");
        expect(lines.map((l) => l.split(" ")[0])).to.deep.equal(["::error", "::warning", "::warning", "::warning", "::notice"]);
        expect(lines[4]).to.equal(
            "::notice title=trace-preview::fixture-sources/test (preview mode): checked 3 policies (2 mandatory, 1 advisory) from 1 policy pack over 8 resources; " +
            "1 mandatory and 3 advisory violations; 0 exempted; deferred to deployment: 2 checks of 1 policy.",
        );
    });
});
