import { SourceLocator } from "../../../tools/report/source";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as sarif from "sarif";

import { PackInfo } from "../../../tools/analyze/server";
import { exemptionReport, ExemptionReport } from "../../../tools/analyze/exemptions";
import { EnforcementLevel, ResolvedPolicyConfig } from "../../../tools/analyze/policy-config";
import { RecordedResource, RecordedStack } from "../../../tools/record/protocol";
import { jsonReport, ReportInput, sarifReport, textReport } from "../../../tools/report/formats";
import { cli, POLICY_PACK, program } from "../helpers";

const STACK_URN = "urn:pulumi:prod::ledger::pulumi:pulumi:Stack::ledger-prod";
const NAT_URN = "urn:pulumi:prod::ledger::aws:ec2/natGateway:NatGateway::legacy-nat-a";
const EIP_URN = "urn:pulumi:prod::ledger::aws:ec2/eip:Eip::legacy-nat-a-ip";
const FN_URN = "urn:pulumi:prod::ledger::aws:lambda/function:Function::api";

function resource(urn: string): RecordedResource {
    const [type, name] = urn.split("::").slice(2);
    return { urn, type: type.split("$").pop() as string, name, parent: urn === STACK_URN ? undefined : STACK_URN } as RecordedResource;
}

const RESOURCES = [STACK_URN, NAT_URN, EIP_URN, FN_URN].map(resource);

const PACK: PackInfo = {
    name: "guardrails", version: "1.0.0", displayName: "", pluginVersion: "1.21.0", initialConfig: {},
    policies: ["no-nat-gateways", "lambda-vpc-attached", "flow-logs"].map((name) => ({ name, description: name, enforcementLevel: EnforcementLevel.Mandatory })),
};

function configured(config: Record<string, ResolvedPolicyConfig>): ExemptionReport {
    return exemptionReport([{ info: PACK, config }], RESOURCES);
}

const NAT_REASON = "LEDGER-412: removed by 2026-03-31";

describe("exemptions: which resources each policy's entries cover", () => {
    it("lists every resource an entry matches (URN glob or name glob) and the entries that match nothing", () => {
        const report = configured({
            "no-nat-gateways": {
                enforcementLevel: EnforcementLevel.Mandatory,
                properties: {
                    exemptions: [
                        { resource: "urn:pulumi:prod::ledger::aws:ec2/natGateway:NatGateway::legacy-nat-*", reason: NAT_REASON },
                        { resource: "legacy-nat-a-*", reason: "its address" },
                        { resource: "old-nat", reason: "deleted last year" },
                        { resource: "api", reason: "for another policy", policy: "lambda-vpc-attached" },
                    ],
                },
            },
            "lambda-vpc-attached": { enforcementLevel: EnforcementLevel.Mandatory, properties: { exemptions: [] } },
            "flow-logs": { enforcementLevel: EnforcementLevel.Advisory, properties: {} },
        });
        expect(report).to.deep.equal({
            applied: [
                { policyPack: "guardrails", policy: "no-nat-gateways", resource: "urn:pulumi:prod::ledger::aws:ec2/natGateway:NatGateway::legacy-nat-*", reason: NAT_REASON, urn: NAT_URN, type: "aws:ec2/natGateway:NatGateway", name: "legacy-nat-a" },
                { policyPack: "guardrails", policy: "no-nat-gateways", resource: "legacy-nat-a-*", reason: "its address", urn: EIP_URN, type: "aws:ec2/eip:Eip", name: "legacy-nat-a-ip" },
            ],
            stale: [
                { policyPack: "guardrails", policy: "no-nat-gateways", resource: "old-nat", reason: "deleted last year" },
                { policyPack: "guardrails", policy: "no-nat-gateways", resource: "api", reason: "for another policy" },
            ],
        });
    });

    it("names the config file and line of a stale entry that the file holds", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exemptions-"));
        try {
            const file = path.join(dir, "team.json");
            const exemptions = [{ resource: "legacy-nat-*", reason: NAT_REASON }, { resource: "old-nat", reason: "deleted last year" }];
            fs.writeFileSync(file, JSON.stringify({ "lambda-vpc-attached": { exemptions: [] }, "no-nat-gateways": { exemptions } }, null, 2));
            const fromPack = { resource: "pack-default-*", reason: "shipped with the pack" };
            const report = exemptionReport([{
                info: PACK,
                configFile: file,
                config: { "no-nat-gateways": { enforcementLevel: EnforcementLevel.Mandatory, properties: { exemptions: [...exemptions, fromPack] } } },
            }], RESOURCES);
            expect(report.stale).to.deep.equal([
                { policyPack: "guardrails", policy: "no-nat-gateways", resource: "old-nat", reason: "deleted last year", configFile: { path: file, line: 12 } },
                { policyPack: "guardrails", policy: "no-nat-gateways", resource: "pack-default-*", reason: "shipped with the pack" },
            ]);
            expect(fs.readFileSync(file, "utf8").split("\n")[11]).to.equal('        "resource": "old-nat",');
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("ignores the entries of a disabled policy, which skips nothing", () => {
        expect(configured({
            "no-nat-gateways": { enforcementLevel: EnforcementLevel.Disabled, properties: { exemptions: [{ resource: "legacy-nat-*", reason: NAT_REASON }] } },
        })).to.deep.equal({ applied: [], stale: [] });
    });
});

describe("exemptions in the three report formats", () => {
    const input: ReportInput = {
        recorded: { project: "ledger", stack: "prod", mode: "preview", resources: RESOURCES, programOutput: "", warnings: [], placeholders: [] } as unknown as RecordedStack,
        packs: [PACK],
        violations: [],
        exemptions: {
            applied: [{ policyPack: "guardrails", policy: "no-nat-gateways", resource: "legacy-nat-*", reason: NAT_REASON, urn: NAT_URN, type: "aws:ec2/natGateway:NatGateway", name: "legacy-nat-a" }],
            stale: [{ policyPack: "guardrails", policy: "lambda-vpc-attached", resource: "cdn-edge-*", reason: "Lambda@Edge", configFile: { path: path.join(process.cwd(), "config", "team.json"), line: 7 } }],
        },
    };

    const SOURCES = new SourceLocator(RESOURCES, process.cwd(), path.join(process.cwd(), "index.ts"));

    it("JSON: exemptions[] with pack, policy, urn, type, name, reason; staleExemptions[]", () => {
        const report = jsonReport(input, SOURCES);
        expect(report.exemptions).to.deep.equal([
            { policyPack: "guardrails", policy: "no-nat-gateways", urn: NAT_URN, type: "aws:ec2/natGateway:NatGateway", name: "legacy-nat-a", reason: NAT_REASON, pattern: "legacy-nat-*" },
        ]);
        expect(report.staleExemptions).to.deep.equal([{
            policyPack: "guardrails", policy: "lambda-vpc-attached", pattern: "cdn-edge-*", reason: "Lambda@Edge",
            configFile: { path: path.join(process.cwd(), "config", "team.json"), line: 7 },
        }]);
    });

    it("JSON: the summary counts the exempted violations, as the text summary does", () => {
        expect(jsonReport(input, SOURCES).summary).to.deep.equal({
            resources: 4, toCreate: 4, mandatory: 0, advisory: 0, exempted: 1, policyPacks: 1, policies: 3, deferred: 0,
        });
    });

    it("text: an Exemptions section after the policies, before the resource summary", () => {
        const text = textReport(input, ["policy-pack"], SOURCES);
        const section = text.slice(text.indexOf("Policies:"), text.indexOf("Resources:"));
        expect(section.split("\n").slice(section.split("\n").indexOf("Exemptions:"))).to.deep.equal([
            "Exemptions:",
            "    - [exempted]  no-nat-gateways  (aws:ec2:NatGateway: legacy-nat-a)",
            `          ${NAT_REASON} (exemption legacy-nat-*, guardrails)`,
            "    - [stale]  lambda-vpc-attached  cdn-edge-* matches no resource of this stack",
            "          Lambda@Edge (guardrails; remove the entry or fix its pattern)",
            "",
            "",
        ]);
    });

    it("SARIF: a suppressed result per exempted resource; a stale entry is a finding about the config file, not of its policy", () => {
        const run = sarifReport(input, SOURCES, "1.0.0").runs[0];
        const results = run.results as sarif.Result[];
        expect(results.map((r) => [r.ruleId, r.level, r.suppressions, r.locations?.[0].logicalLocations?.[0]?.fullyQualifiedName])).to.deep.equal([
            ["guardrails/no-nat-gateways", "error", [{ kind: "external", justification: NAT_REASON }], NAT_URN],
            ["trace-offline-preview/stale-exemption", "warning", undefined, "guardrails/lambda-vpc-attached/exemptions/cdn-edge-*"],
        ]);
        expect(results[1].locations?.[0].physicalLocation).to.deep.equal({ artifactLocation: { uri: "config/team.json" }, region: { startLine: 7 } });
        expect(results[1].message.text).to.equal("exemption cdn-edge-* of lambda-vpc-attached (guardrails, in config/team.json:7) matches no resource of this stack; remove it or fix its pattern (its reason: Lambda@Edge)");
        expect(run.tool.driver.rules?.[results[1].ruleIndex as number].id).to.equal("trace-offline-preview/stale-exemption");
    });
});

describe("exemptions through the tool and the real pack", function () {
    this.timeout(300_000);

    it("a skipped subnet is listed with its reason and a stale entry is reported, in text and SARIF", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exemptions-"));
        try {
            const config = path.join(dir, "config.json");
            fs.writeFileSync(config, JSON.stringify({
                "public-ip-only-for-egress-gateways": {
                    exemptions: [{ resource: "public-a", reason: "TEAM-7: bastion subnet until 2026-06" }, { resource: "gone-*", reason: "TEAM-3" }],
                },
            }));
            const out = path.join(dir, "report.sarif");
            const run = await cli("--program", program("public-subnet"), "--stack", "test", "--policy-pack", POLICY_PACK,
                "--policy-pack-config", config, "--format", "sarif", "--output", out);
            expect(run.stderr).to.equal("");
            const text = run.stdout.slice(run.stdout.indexOf("Exemptions:"), run.stdout.indexOf("\nResources:"));
            expect(text.split("\n")).to.deep.equal([
                "Exemptions:",
                "    - [exempted]  public-ip-only-for-egress-gateways  (aws:ec2:Subnet: public-a)",
                "          TEAM-7: bastion subnet until 2026-06 (exemption public-a, trace-network-guardrails)",
                "    - [stale]  public-ip-only-for-egress-gateways  gone-* matches no resource of this stack",
                "          TEAM-3 (trace-network-guardrails; remove the entry or fix its pattern)",
                "",
            ]);
            const results = (JSON.parse(fs.readFileSync(out, "utf8")) as sarif.Log).runs[0].results as sarif.Result[];
            const suppressed = results.filter((r) => r.suppressions !== undefined);
            expect(suppressed.map((r) => [r.ruleId, r.suppressions, r.properties?.resourceType])).to.deep.equal([
                ["trace-network-guardrails/public-ip-only-for-egress-gateways", [{ kind: "external", justification: "TEAM-7: bastion subnet until 2026-06" }], "aws:ec2/subnet:Subnet"],
            ]);
            // The config file lies outside the source root here: named in the message, never pinned on the program.
            expect(results.filter((r) => r.properties?.staleExemption !== undefined).map((r) => [r.ruleId, r.properties?.staleExemption, r.locations?.[0].physicalLocation, r.message.text]))
                .to.deep.equal([["trace-offline-preview/stale-exemption", "gone-*", undefined,
                    `exemption gone-* of public-ip-only-for-egress-gateways (trace-network-guardrails, in ${config}:1) matches no resource of this stack; remove it or fix its pattern (its reason: TEAM-3)`]]);
            // Without the entry this subnet (mapPublicIpOnLaunch: true) is a violation of the policy.
            expect(results.filter((r) => r.suppressions === undefined && r.ruleId === "trace-network-guardrails/public-ip-only-for-egress-gateways" &&
                r.locations?.[0].logicalLocations?.[0]?.name === "public-a")).to.deep.equal([]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
