import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CIDR_PATTERN } from "../../policy-pack/lib/config";
import { SHAPE_PATTERN } from "../../policy-pack/policies/secret-path-naming";
import { EnforcementLevel, parsePolicyConfigFile, PolicyConfigError, PolicyInfo, reconcilePolicyConfig } from "../../tools/lib/policy-config";
import { tempDir } from "../helpers/temp-dir";
import { ExitCode } from "../../tools/preview";
import { cli, POLICY_PACK, program } from "./helpers";

const POLICIES: PolicyInfo[] = [
    { name: "no-nat", description: "", enforcementLevel: EnforcementLevel.Mandatory },
    {
        name: "egress", description: "", enforcementLevel: EnforcementLevel.Mandatory,
        configSchema: {
            properties: {
                allowedCidrs: { type: "array", items: { type: "string" }, default: ["10.0.0.0/8"] },
                ports: { type: "object", additionalProperties: { type: "integer" } },
            },
            required: [],
        },
    },
    {
        name: "flow-logs", description: "", enforcementLevel: EnforcementLevel.Advisory,
        configSchema: { properties: { retentionDays: { type: "integer", minimum: 1 } }, required: ["retentionDays"] },
    },
];

function configFile(content: unknown): string {
    const file = path.join(tempDir("policy-config-"), "config.json");
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
}

function configError(fn: () => unknown): string {
    try {
        fn();
    } catch (e) {
        expect(e).to.be.instanceOf(PolicyConfigError);
        return (e as Error).message;
    }
    throw new Error("expected a PolicyConfigError");
}

describe("policy pack config: parsing a --policy-pack-config file", () => {
    it("reads enforcement-level strings and property objects, keeping enforcementLevel apart", () => {
        expect(parsePolicyConfigFile(configFile({ "no-nat": "advisory", egress: { enforcementLevel: "disabled", allowedCidrs: ["10.1.0.0/16"] } }))).to.deep.equal({
            "no-nat": { enforcementLevel: "advisory", properties: {} },
            egress: { enforcementLevel: "disabled", properties: { allowedCidrs: ["10.1.0.0/16"] } },
        });
    });

    it("accepts an empty file as no config", () => {
        expect(parsePolicyConfigFile(configFile("  \n"))).to.deep.equal({});
    });

    it("reports every bad entry at once, naming policy and value", () => {
        const file = configFile({ "no-nat": "block", egress: 3, "flow-logs": { enforcementLevel: 1 } });
        expect(configError(() => parsePolicyConfigFile(file))).to.equal(
            `policy pack config ${file}: value "block" for "no-nat" is not a valid enforcement level (one of advisory, mandatory, remediate, disabled); ` +
            `value 3 for "egress" is not valid; it must be an enforcement level string or an object; ` +
            `value 1 for "flow-logs.enforcementLevel" is not a valid enforcement level (one of advisory, mandatory, remediate, disabled)`,
        );
    });

    it("rejects a file that is not JSON", () => {
        const file = configFile("{ no-nat: advisory }");
        expect(configError(() => parsePolicyConfigFile(file))).to.match(new RegExp(`^policy pack config ${file} is not valid JSON: `));
    });
});

describe("policy pack config: reconciling defaults, all and the file", () => {
    const required = { "flow-logs": { properties: { retentionDays: 365 } } };

    it("starts from each policy's level and schema defaults", () => {
        expect(reconcilePolicyConfig("pack", "1.0.0", POLICIES, {}, required)).to.deep.equal({
            "no-nat": { enforcementLevel: "mandatory", properties: {} },
            egress: { enforcementLevel: "mandatory", properties: { allowedCidrs: ["10.0.0.0/8"] } },
            "flow-logs": { enforcementLevel: "advisory", properties: { retentionDays: 365 } },
        });
    });

    it("applies the pack's initial config, then `all`, then per-policy entries", () => {
        const resolved = reconcilePolicyConfig("pack", "1.0.0", POLICIES, { egress: { enforcementLevel: EnforcementLevel.Advisory, properties: { ports: { webhook: 443 } } } }, {
            ...required,
            all: { enforcementLevel: EnforcementLevel.Disabled, properties: {} },
            "no-nat": { enforcementLevel: EnforcementLevel.Mandatory, properties: {} },
        });
        expect(resolved["no-nat"].enforcementLevel).to.equal("mandatory");
        expect(resolved.egress).to.deep.equal({ enforcementLevel: "disabled", properties: { allowedCidrs: ["10.0.0.0/8"], ports: { webhook: 443 } } });
        expect(resolved["flow-logs"].enforcementLevel).to.equal("disabled");
    });

    it("reports unknown policy names and every schema error of every policy at once", () => {
        expect(configError(() => reconcilePolicyConfig("pack", "1.0.0", POLICIES, {}, {
            "no-natt": { enforcementLevel: EnforcementLevel.Advisory, properties: {} },
            egress: { properties: { allowedCidrs: "10.0.0.0/8", ports: { rpc: "8545" } } },
        }))).to.equal([
            'validating policy config: pack 1.0.0  egress: allowedCidrs: Invalid type. Expected: array, given: string (got "10.0.0.0/8")',
            'validating policy config: pack 1.0.0  egress: ports.rpc: Invalid type. Expected: integer, given: string (got "8545")',
            "validating policy config: pack 1.0.0  flow-logs: retentionDays is required",
            "validating policy config: pack 1.0.0  no-natt: is not a policy of this pack (its policies: egress, flow-logs, no-nat)",
        ].join("\n"));
    });

    it("validates against the schema with its constraints, not only types", () => {
        expect(configError(() => reconcilePolicyConfig("pack", "1.0.0", POLICIES, {}, { "flow-logs": { properties: { retentionDays: 0 } } }))).to.equal(
            "validating policy config: pack 1.0.0  flow-logs: retentionDays: Must be greater than or equal to 1 (got 0)",
        );
    });

    it("rejects keys the schema does not declare (misspellings), which the engine's wire schema cannot", () => {
        expect(configError(() => reconcilePolicyConfig("pack", "1.0.0", POLICIES, {}, {
            ...required,
            egress: { properties: { allowedCidr: ["10.0.0.0/8"], enforcmentLevel: "advisory" } },
        }))).to.equal([
            'validating policy config: pack 1.0.0  egress: Additional property allowedCidr is not allowed (got ["10.0.0.0/8"])',
            'validating policy config: pack 1.0.0  egress: Additional property enforcmentLevel is not allowed (got "advisory")',
        ].join("\n"));
    });
});

describe("policy pack config: the pack's own config through the tool", function () {
    this.timeout(300_000);

    it("stops before any analysis on misspelt keys, bad CIDRs and a path shape without {env}, naming every problem in one run", async () => {
        const file = configFile({
            "no-nat-gateways": { enforcmentLevel: "advisory", exemption: [{ resource: "nat-*", reason: "r" }] },
            "security-group-egress-allowlist": { allowedCidr: ["10.0.0.0/8"], allowedCidrs: ["10.0.0.0/33", "banana"] },
            "secret-path-naming": { secretPathShapes: ["/ledger/{service}/{secret_name}"] },
        });
        try {
            const run = await cli("--program", program("public-subnet"), "--stack", "test", "--policy-pack", POLICY_PACK, "--policy-pack-config", file);
            expect(run.code).to.equal(ExitCode.Error);
            expect(run.stdout).to.equal("");
            const version = (JSON.parse(fs.readFileSync(path.join(POLICY_PACK, "package.json"), "utf8")) as { version: string }).version;
            const line = (policy: string, text: string) => `error: validating policy config: trace-network-guardrails ${version}  ${policy}: ${text}\n`;
            expect(run.stderr).to.equal(
                line("no-nat-gateways", 'Additional property enforcmentLevel is not allowed (got "advisory")') +
                line("no-nat-gateways", 'Additional property exemption is not allowed (got [{"resource":"nat-*","reason":"r"}])') +
                line("secret-path-naming", `secretPathShapes.0: Does not match pattern '${SHAPE_PATTERN}' (got "/ledger/{service}/{secret_name}")`) +
                line("security-group-egress-allowlist", 'Additional property allowedCidr is not allowed (got ["10.0.0.0/8"])') +
                line("security-group-egress-allowlist", `allowedCidrs.0: Does not match pattern '${CIDR_PATTERN}' (got "10.0.0.0/33")`) +
                line("security-group-egress-allowlist", `allowedCidrs.1: Does not match pattern '${CIDR_PATTERN}' (got "banana")`),
            );
        } finally {
            fs.rmSync(path.dirname(file), { recursive: true, force: true });
        }
    });
});
