import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import {
    EnforcementLevel, parsePolicyConfigFile, PolicyConfigError, PolicyInfo, reconcilePolicyConfig, UnknownConfigNamesError,
} from "../../../tools/analyze/policy-config";
import { tempDir } from "../../helpers/temp-dir";
import { ExitCode } from "../../../tools/cli";
import { cli, POLICY_PACK, program } from "../helpers";

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

    it("rejects a file that is not JSON, naming the line and column of the first mistake", () => {
        const unquoted = configFile("{ no-nat: advisory }");
        expect(configError(() => parsePolicyConfigFile(unquoted))).to.equal(
            `policy pack config ${unquoted} is not valid JSON: line 1, column 3: expected a property name in double quotes, found "n"`,
        );
        const trailingComma = configFile('{\n  "egress": {\n    "allowedCidrs": ["10.0.0.0/8",]\n  }\n}\n');
        expect(configError(() => parsePolicyConfigFile(trailingComma))).to.equal(
            `policy pack config ${trailingComma} is not valid JSON: line 3, column 35: expected a value, found "]"`,
        );
        const unclosed = configFile('{\n  "no-nat": "advisory"\n');
        expect(configError(() => parsePolicyConfigFile(unclosed))).to.equal(
            `policy pack config ${unclosed} is not valid JSON: line 3, column 1: expected ',' or '}', found the end of the file`,
        );
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
            "validating policy config: pack 1.0.0  no-natt: is not a policy of this pack (did you mean no-nat?)",
        ].join("\n"));
    });

    it("validates against the schema with its constraints, not only types", () => {
        expect(configError(() => reconcilePolicyConfig("pack", "1.0.0", POLICIES, {}, { "flow-logs": { properties: { retentionDays: 0 } } }))).to.equal(
            "validating policy config: pack 1.0.0  flow-logs: retentionDays: Must be greater than or equal to 1 (got 0)",
        );
    });

    it("names keys the schema does not declare (misspellings) with the nearest declared key, which the engine's wire schema cannot", () => {
        let error: unknown;
        try {
            reconcilePolicyConfig("pack", "1.0.0", POLICIES, {}, {
                ...required,
                egress: { properties: { allowedCidr: ["10.0.0.0/8"], enforcmentLevel: "advisory", zzz: 1 } },
                "flow-log": { properties: {} },
            });
        } catch (e) {
            error = e;
        }
        // Only names the engine ignores are wrong: the config is otherwise valid, so the pack may still see it.
        expect(error).to.be.instanceOf(UnknownConfigNamesError);
        expect((error as UnknownConfigNamesError).lines).to.deep.equal([
            'validating policy config: pack 1.0.0  egress: Additional property allowedCidr is not allowed; did you mean allowedCidrs? (got ["10.0.0.0/8"])',
            'validating policy config: pack 1.0.0  egress: Additional property enforcmentLevel is not allowed; did you mean enforcementLevel? (got "advisory")',
            "validating policy config: pack 1.0.0  egress: Additional property zzz is not allowed (got 1)",
            "validating policy config: pack 1.0.0  flow-log: is not a policy of this pack (did you mean flow-logs?)",
        ]);
        expect((error as UnknownConfigNamesError).resolved.egress.properties.allowedCidr).to.deep.equal(["10.0.0.0/8"]);
    });

    // Pulumi's policy-SDK scenarios (pulumi-policy tests/integration TestConfig) expect these lines.
    it("says what the engine says for a schema error, gojsonschema's words, then the value", () => {
        const policy = (foo: object, bar: object = { type: "integer" }): PolicyInfo[] => [{
            name: "resource-validation", description: "", enforcementLevel: EnforcementLevel.Mandatory,
            configSchema: { properties: { foo, bar }, required: [] },
        }];
        const errors = (foo: object, value: Record<string, unknown>) =>
            configError(() => reconcilePolicyConfig("config-policy", "0.0.1", policy(foo), {}, { "resource-validation": { properties: value } })).split("\n");
        const preamble = "validating policy config: config-policy 0.0.1  resource-validation: ";
        expect(errors({ type: "string" }, { foo: 1 })).to.deep.equal([`${preamble}foo: Invalid type. Expected: string, given: integer (got 1)`]);
        expect(errors({ type: "string", maxLength: 3 }, { foo: "this is too long", bar: 3.14 })).to.deep.equal([
            `${preamble}bar: Invalid type. Expected: integer, given: number (got 3.14)`,
            `${preamble}foo: String length must be less than or equal to 3 (got "this is too long")`,
        ]);
        expect(errors({ type: "string", minLength: 50 }, { foo: "short" })).to.deep.equal([`${preamble}foo: String length must be greater than or equal to 50 (got "short")`]);
        expect(errors({ type: "string", enum: ["bar", "baz"] }, { foo: "blah" })).to.deep.equal([`${preamble}foo: foo must be one of the following: "bar", "baz" (got "blah")`]);
        expect(errors({ const: "bar" }, { foo: "blah" })).to.deep.equal([`${preamble}foo: foo does not match: "bar" (got "blah")`]);
        expect(errors({ type: "array", uniqueItems: true, maxItems: 2 }, { foo: [1, 2, 1] })).to.deep.equal([
            `${preamble}foo: Array must have at most 2 items (got [1,2,1])`,
            `${preamble}foo: array items[0,2] must be unique (got [1,2,1])`,
        ]);
        expect(errors({ type: "number", exclusiveMinimum: 3, multipleOf: 2 }, { foo: 1 })).to.deep.equal([
            `${preamble}foo: Must be a multiple of 2 (got 1)`,
            `${preamble}foo: Must be greater than 3 (got 1)`,
        ]);
    });
});

describe("policy pack config: the pack's own config through the tool", function () {
    this.timeout(300_000);

    it("stops before any analysis on misspelt keys, bad CIDRs and a path shape without {env}, naming every problem in one run, in words", async () => {
        const file = configFile({
            "no-nat-gateway": "advisory",
            "no-nat-gateways": { enforcmentLevel: "advisory", exemption: [{ resource: "nat-*", reason: "r" }] },
            "security-group-egress-allowlist": { allowedCidr: ["10.0.0.0/8"], allowedCidrs: ["10.0.0.0/33", "banana"] },
            "secret-path-naming": { secretPathShapes: ["/ledger/{service}/{secret_name}"] },
        });
        try {
            const run = await cli("--program", program("public-subnet"), "--stack", "test", "--policy-pack", POLICY_PACK, "--policy-pack-config", file);
            expect(run.code).to.equal(ExitCode.Error);
            expect(run.stdout).to.equal("");
            // The engine's schema check passes (no pattern, no closed object): the pack names every
            // problem at Configure; the unknown policy name, which the pack never sees, is the tool's.
            expect(run.stderr).to.equal(
                `error: configuring policy pack "trace-network-guardrails" at "${POLICY_PACK}": invalid policy config:\n` +
                '  no-nat-gateways: unknown key "enforcmentLevel" (value "advisory"); did you mean enforcementLevel?\n' +
                // The engine sends the config as a protobuf Struct, whose keys come sorted.
                '  no-nat-gateways: unknown key "exemption" (value [{"reason":"r","resource":"nat-*"}]); did you mean exemptions?\n' +
                '  security-group-egress-allowlist: unknown key "allowedCidr" (value ["10.0.0.0/8"]); did you mean allowedCidrs?\n' +
                '  security-group-egress-allowlist: allowedCidrs[0] "10.0.0.0/33": prefix /33 is longer than 32\n' +
                '  security-group-egress-allowlist: allowedCidrs[1] "banana": "banana" is not an IPv4 or IPv6 address\n' +
                '  secret-path-naming: secretPathShapes[0] "/ledger/{service}/{secret_name}" has no {env} segment\n' +
                `error: validating policy config: trace-network-guardrails ${version()}  no-nat-gateway: is not a policy of this pack (did you mean no-nat-gateways?)\n`,
            );
        } finally {
            fs.rmSync(path.dirname(file), { recursive: true, force: true });
        }
    });
});

function version(): string {
    return (JSON.parse(fs.readFileSync(path.join(POLICY_PACK, "package.json"), "utf8")) as { version: string }).version;
}
