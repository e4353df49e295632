import { expect } from "chai";
import * as path from "path";
import { PackInfo } from "../../tools/lib/analyzer";
import { PlaceholderAnswer } from "../../tools/lib/invokes";
import { RecordedResource, RecordedStack } from "../../tools/lib/record-protocol";
import { jsonReport, ReportInput, textReport } from "../../tools/lib/report";
import { SourceLocator } from "../../tools/lib/report-source";

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
