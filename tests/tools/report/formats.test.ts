import { expect } from "chai";
import * as path from "path";

import { PackInfo } from "../../../tools/analyze/server";
import { PlaceholderAnswer } from "../../../tools/record/invokes";
import { RecordedResource, RecordedStack } from "../../../tools/record/protocol";
import { componentsNotSeenInside, jsonReport, ReportInput, textReport } from "../../../tools/report/formats";
import { SourceLocator } from "../../../tools/report/source";

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
        recorded: { project: "web", stack: "test", mode: "preview", resources, programOutput: "", warnings: [], placeholders: [] } as unknown as RecordedStack,
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

const STACK_URN = "urn:pulumi:dev::web::pulumi:pulumi:Stack::web-dev";
const INSTANCE_URN = "urn:pulumi:dev::web::aws:ec2/instance:Instance::server";

const RESOURCES = [
    { urn: STACK_URN, type: "pulumi:pulumi:Stack", name: "web-dev" },
    { urn: INSTANCE_URN, type: "aws:ec2/instance:Instance", name: "server", parent: STACK_URN },
] as RecordedResource[];

const AMI: PlaceholderAnswer = {
    token: "aws:ec2/getAmi:getAmi",
    args: { owners: ["137112412989"], mostRecent: true },
    result: { id: "ami-0123456789abcdef0", imageId: "ami-0123456789abcdef0", name: "offline-preview-placeholder" },
};

const PACK: PackInfo = { name: "guardrails", version: "1.0.0", displayName: "", pluginVersion: "1.21.0", initialConfig: {}, policies: [] };

describe("report: lookups answered with a placeholder", () => {
    const recorded: RecordedStack = {
        project: "web", stack: "dev", mode: "preview", resources: RESOURCES, stackOutputs: {}, config: {}, secretKeys: [],
        programOutput: "", warnings: [], placeholders: [AMI],
    };
    const input: ReportInput = { recorded, packs: [PACK], violations: [], exemptions: { applied: [], stale: [] } };
    const sources = new SourceLocator(RESOURCES, process.cwd(), path.join(process.cwd(), "index.ts"));

    it("text: a warning under Diagnostics names the data source, its arguments and the placeholder id", () => {
        const lines = textReport(input, ["policy-pack"], sources).split("\n");
        const at = lines.indexOf("Diagnostics:");
        expect(lines.slice(at, at + 3)).to.deep.equal([
            "Diagnostics:",
            "  pulumi:pulumi:Stack (web-dev):",
            '    warning: the data source aws:ec2/getAmi:getAmi ({"owners":["137112412989"],"mostRecent":true}) was answered with a placeholder, ' +
            'id "ami-0123456789abcdef0", not looked up: no policy judges its value; answer it in a --mocks file to run with the real one',
        ]);
    });

    it("JSON: placeholderAnswers lists each one with its token, arguments and answer", () => {
        expect(jsonReport(input, sources).placeholderAnswers).to.deep.equal([{ token: AMI.token, args: AMI.args, result: AMI.result }]);
        expect(jsonReport({ ...input, recorded: { ...recorded, placeholders: [] } }, sources).placeholderAnswers).to.deep.equal([]);
    });
});
