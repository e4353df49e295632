import { expect } from "chai";
import * as path from "path";

import { RecordedResource, RecordedStack } from "../../tools/lib/record-protocol";
import { componentsNotSeenInside, jsonReport, ReportInput, textReport } from "../../tools/lib/report";
import { SourceLocator } from "../../tools/lib/report-source";

const STACK = "urn:pulumi:test::web::pulumi:pulumi:Stack::web-test";
const urn = (type: string, name: string, parent?: string): string => `urn:pulumi:test::web::${parent === undefined ? "" : "awsx:lb:ApplicationLoadBalancer$"}${type}::${name}`;

function resource(type: string, name: string, custom: boolean, parent = STACK): RecordedResource {
    return { urn: type === "pulumi:pulumi:Stack" ? STACK : urn(type, name, parent === STACK ? undefined : parent), type, name, custom, parent: type === "pulumi:pulumi:Stack" ? undefined : parent } as RecordedResource;
}

const ALB = resource("awsx:lb:ApplicationLoadBalancer", "web", false);
const NLB = resource("awsx:lb:NetworkLoadBalancer", "tcp", false);
const OFFLINE = [resource("pulumi:pulumi:Stack", "web-test", false), ALB, NLB];
const UNDER_ENGINE = [...OFFLINE, resource("aws:lb/loadBalancer:LoadBalancer", "web", true, ALB.urn)];

function input(resources: RecordedResource[]): ReportInput {
    return {
        recorded: { project: "web", stack: "test", mode: "preview", resources, programOutput: "", warnings: [] } as unknown as RecordedStack,
        packs: [],
        violations: [],
        exemptions: { applied: [], stale: [] },
    };
}

describe("report: components not seen inside", () => {
    it("names the components no resource has as parent (not the stack, not custom resources)", () => {
        expect(componentsNotSeenInside(OFFLINE).map((r) => r.name)).to.deep.equal(["web", "tcp"]);
        expect(componentsNotSeenInside(UNDER_ENGINE).map((r) => r.name)).to.deep.equal(["tcp"]);
    });

    it("lists them in the text report after the resource count, and in JSON only when there are any", () => {
        const sources = new SourceLocator(OFFLINE, process.cwd(), path.join(process.cwd(), "index.ts"));
        const text = textReport(input(OFFLINE), [], sources);
        const lines = text.split("\n");
        const at = lines.indexOf("Components not seen inside (offline, their children are not registered; the pack judged the inputs of those it catalogues):");
        expect(lines.slice(at - 3, at + 3)).to.deep.equal(["Resources:", "    + 3 to create", "", lines[at], "    awsx:lb:ApplicationLoadBalancer: web", "    awsx:lb:NetworkLoadBalancer: tcp"]);
        expect(jsonReport(input(OFFLINE), sources).componentsNotSeenInside).to.deep.equal([
            { urn: ALB.urn, type: ALB.type, name: "web" },
            { urn: NLB.urn, type: NLB.type, name: "tcp" },
        ]);
        const plain = [resource("pulumi:pulumi:Stack", "web-test", false), resource("aws:s3/bucket:Bucket", "b", true)];
        expect(jsonReport(input(plain), sources)).to.not.have.property("componentsNotSeenInside");
        expect(textReport(input(plain), [], sources)).to.not.include("Components not seen inside");
    });
});
