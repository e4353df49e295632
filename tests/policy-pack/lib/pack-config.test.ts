import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

import { awsIdPattern } from "../../../policy-pack/lib/config";
import { packConfigProblems } from "../../../policy-pack/lib/pack-config";
import { allPolicies } from "../../../policy-pack/policies";
import { parseShape } from "../../../policy-pack/policies/secret-path-naming";
import { cidrDefect, parseCidr } from "../../../policy-pack/lib/cidr";
import { PolicyConfigError } from "../../../tools/analyze/policy-config";
import { readPackConfigs, startPacks } from "../../../tools/analyze";
import { stackContextFor } from "../../../tools/project";
import { POLICY_PACK, REPO_ROOT } from "../../tools/helpers";

const CONFIG_DIR = path.join(REPO_ROOT, "policy-pack", "config");

function configFile(name: string): Record<string, Record<string, unknown>> {
    const doc = JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, name), "utf8")) as Record<string, unknown>;
    // A string entry is an enforcement level only, as the engine reads it.
    return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, typeof v === "string" ? { enforcementLevel: v } : (v as Record<string, unknown>)]));
}

describe("lib/pack-config: the whole pack config at Configure", () => {
    it("accepts the example configs shipped with the pack", () => {
        expect(packConfigProblems(allPolicies, configFile("trace.json"))).to.deep.equal([]);
        expect(packConfigProblems(allPolicies, configFile("team-example.json"))).to.deep.equal([]);
    });

    it("names every misspelt key, bad value and unknown policy of every policy in one list, in words, with the nearest name", () => {
        expect(packConfigProblems(allPolicies, {
            "no-nat-gateway": { exemptions: [] },
            "no-nat-gateways": { enforcmentLevel: "advisory", exemption: [{ resource: "nat-*", reason: "r" }] },
            "security-group-egress-allowlist": {
                allowedCidr: ["10.0.0.0/8"],
                allowedCidrs: ["10.0.0.0/33", "banana", "fd00::/8", "10.50.0/16"],
                allowedPrefixListIds: ["pl-1234"],
                tagKeys: { tiers: "tier" },
                exemptions: [{ resource: "sg-*", reson: "r" }],
            },
            "secret-path-naming": { secretPathShapes: ["/ledger/{service}/{secret_name}", "/{env}/Bad Segment"], environment: "Prod" },
            "no-internet-path-from-workloads": { isolatedExternalSubnets: ["subnet-xyz"] },
            "vpc-flow-logs-enabled": { nonsense: true },
        })).to.deep.equal([
            "no-nat-gateway: is not a policy of this pack (did you mean no-nat-gateways?)",
            'no-nat-gateways: unknown key "enforcmentLevel" (value "advisory"); did you mean enforcementLevel?',
            'no-nat-gateways: unknown key "exemption" (value [{"resource":"nat-*","reason":"r"}]); did you mean exemptions?',
            'security-group-egress-allowlist: unknown key "allowedCidr" (value ["10.0.0.0/8"]); did you mean allowedCidrs?',
            "security-group-egress-allowlist: tagKeys.tiers is not a known key (did you mean tier?)",
            'security-group-egress-allowlist: allowedCidrs[0] "10.0.0.0/33": prefix /33 is longer than 32',
            'security-group-egress-allowlist: allowedCidrs[1] "banana": "banana" is not an IPv4 or IPv6 address',
            'security-group-egress-allowlist: allowedCidrs[3] "10.50.0/16": address 10.50.0 has 3 parts; an IPv4 address has 4 (a.b.c.d)',
            "security-group-egress-allowlist: exemptions[0].reson is not a known key (did you mean reason?)",
            'security-group-egress-allowlist: exemptions[0].reason is required (say why the exemption is acceptable), got undefined',
            'security-group-egress-allowlist: allowedPrefixListIds[0] must be a prefix list id (pl- and 8 or 17 hex digits), got "pl-1234"',
            "secret-path-naming: environment must be an environment name: lower-case letters, digits, '-' and '_', starting with a letter or digit, got \"Prod\"",
            'secret-path-naming: secretPathShapes[0] "/ledger/{service}/{secret_name}" has no {env} segment',
            "secret-path-naming: secretPathShapes[1] \"/{env}/Bad Segment\" has segment \"Bad Segment\", which is neither a {placeholder} nor a name of lower-case letters, digits, '-' and '_'",
            'vpc-flow-logs-enabled: unknown key "nonsense" (value true); its keys are enforcementLevel, exemptions',
            'no-internet-path-from-workloads: isolatedExternalSubnets[0] must be a subnet id (subnet- and 8 or 17 hex digits), got "subnet-xyz"',
        ]);
    });
});

// Walks a JSON schema: every sub-schema with the path that leads to it.
function subSchemas(schema: unknown, at: string): [string, Record<string, unknown>][] {
    if (typeof schema !== "object" || schema === null) {
        return [];
    }
    const s = schema as Record<string, unknown>;
    const children: [string, unknown][] = [
        ...Object.entries((s.properties ?? {}) as Record<string, unknown>).map(([k, v]): [string, unknown] => [`${at}.${k}`, v]),
        [`${at}[]`, s.items],
        [`${at}.*`, typeof s.additionalProperties === "object" ? s.additionalProperties : undefined],
    ];
    return [[at, s], ...children.flatMap(([p, c]) => subSchemas(c, p))];
}

describe("the pack's config schemas: only what the engine can say in words", () => {
    it("has no pattern (the engine would print the regular expression) and no closed nested object (no nearest name); the readers check both", () => {
        const offending = allPolicies.flatMap((p) => subSchemas({ properties: p.configSchema?.properties ?? {} }, p.name)
            .filter(([, s]) => "pattern" in s || "patternProperties" in s || s.additionalProperties === false)
            .map(([at]) => at));
        expect(offending).to.deep.equal([]);
    });
});

describe("lib/cidr cidrDefect: what is wrong with a configured CIDR, in words", () => {
    it("accepts the CIDRs ipaddr.js accepts in the full form", () => {
        for (const good of ["10.0.0.0/8", "0.0.0.0/0", "255.255.255.255/32", "192.168.1.0/24", "fd00::/8", "::/0", "2001:db8::/128", "::ffff:10.0.0.0/104"]) {
            expect([good, cidrDefect(good)]).to.deep.equal([good, undefined]);
            expect(parseCidr(good), good).to.not.equal(undefined);
        }
    });

    it("names the defect of each malformed CIDR", () => {
        expect(["10.0.0.0/33", "fd00::/129", "10.0.0.0", "10.0.0/8", "256.0.0.0/8", "10.0.0.0/-1", " 10.0.0.0/8", "banana", "fd00:::1::/8", "10.0.0.0/x"].map((c) => [c, cidrDefect(c)])).to.deep.equal([
            ["10.0.0.0/33", "prefix /33 is longer than 32"],
            ["fd00::/129", "prefix /129 is longer than 128"],
            ["10.0.0.0", "has no prefix length; write it as address/length, e.g. 10.0.0.0/8"],
            ["10.0.0/8", "address 10.0.0 has 3 parts; an IPv4 address has 4 (a.b.c.d)"],
            ["256.0.0.0/8", 'part "256" of 256.0.0.0 is not a number from 0 to 255'],
            ["10.0.0.0/-1", "prefix /-1 is not a number"],
            [" 10.0.0.0/8", '" 10.0.0.0" is not an IPv4 or IPv6 address'],
            ["banana", '"banana" is not an IPv4 or IPv6 address'],
            ["fd00:::1::/8", "fd00:::1:: is not an IPv6 address"],
            ["10.0.0.0/x", "prefix /x is not a number"],
        ]);
    });
});

describe("lib/config awsIdPattern and secret-path-naming parseShape: the readers' formats", () => {
    it("awsIdPattern takes 8 or 17 lower-case hex digits after the prefix", () => {
        const pl = new RegExp(awsIdPattern("pl"));
        expect(["pl-6da54004", "pl-0123456789abcdef0", "pl-6DA54004", "pl-1234", "subnet-6da54004", "pl-6da540041"].map((x) => pl.test(x))).to.deep.equal([
            true, true, false, false, false, false,
        ]);
    });

    it("parseShape accepts '/'-separated lower-case names and {placeholders} with {env}, and says what is wrong with the rest", () => {
        const samples = [
            "/{env}/trace/{component}/{secret_name}", "/{env}/{org_slug}/{secret_name}", "/{env}", "/ledger/{env}/x",
            "/trace/{component}/{secret_name}", "{env}/trace", "/{env}/Trace", "/{env}//x", "/{env}/{Bad}", "/{environment}/x",
        ];
        expect(samples.map((s) => { const r = parseShape(s); return typeof r === "string" ? r : "ok"; })).to.deep.equal([
            "ok", "ok", "ok", "ok",
            "has no {env} segment",
            'does not start with "/"',
            "has segment \"Trace\", which is neither a {placeholder} nor a name of lower-case letters, digits, '-' and '_'",
            "has segment \"\", which is neither a {placeholder} nor a name of lower-case letters, digits, '-' and '_'",
            "has segment \"{Bad}\", which is neither a {placeholder} nor a name of lower-case letters, digits, '-' and '_'",
            "has no {env} segment",
        ]);
    });
});

describe("the real pack process fails Configure on a config its schemas cannot judge", function () {
    this.timeout(240_000);

    it("names every policy, key and value in the engine's 'configuring policy pack' error, before any analysis", async () => {
        const file = path.join(fs.mkdtempSync(path.join(require("os").tmpdir(), "pack-config-")), "config.json");
        fs.writeFileSync(file, JSON.stringify({
            "security-group-egress-allowlist": { allowedCidrs: ["10.0.0.0/8", "1:2:3:4:5:6:7:8:9/64"] },
            "no-internet-path-from-workloads": { allowedCidrs: ["fd00:::1::/8"] },
        }));
        let error: unknown;
        try {
            const servers = await startPacks(readPackConfigs([{ dir: POLICY_PACK, configFile: file }]), stackContextFor(REPO_ROOT, "dev", "preview"));
            servers.forEach((s) => s.close());
        } catch (e) {
            error = e;
        } finally {
            fs.rmSync(path.dirname(file), { recursive: true, force: true });
        }
        expect(error).to.be.instanceOf(PolicyConfigError);
        expect((error as PolicyConfigError).lines).to.deep.equal([
            `configuring policy pack "trace-network-guardrails" at "${POLICY_PACK}": invalid policy config:\n` +
                '  security-group-egress-allowlist: allowedCidrs[1] "1:2:3:4:5:6:7:8:9/64": 1:2:3:4:5:6:7:8:9 is not an IPv6 address\n' +
                '  no-internet-path-from-workloads: allowedCidrs[0] "fd00:::1::/8": fd00:::1:: is not an IPv6 address',
        ]);
    });
});
