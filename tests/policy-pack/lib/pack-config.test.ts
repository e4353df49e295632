import Ajv from "ajv";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

import { CIDR_PATTERN, awsIdPattern } from "../../../policy-pack/lib/config";
import { packConfigProblems } from "../../../policy-pack/lib/pack-config";
import { allPolicies } from "../../../policy-pack/policies";
import { SHAPE_PATTERN, parseShape } from "../../../policy-pack/policies/secret-path-naming";
import { parseCidr } from "../../../policy-pack/lib/cidr";
import { PolicyConfigError } from "../../../tools/lib/policy-config";
import { readPackConfigs, stackContextFor, startPacks } from "../../../tools/lib/preview";
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

    it("names every misspelt key, bad value and unknown policy of every policy in one list", () => {
        expect(packConfigProblems(allPolicies, {
            "no-nat-gateway": { exemptions: [] },
            "no-nat-gateways": { enforcmentLevel: "advisory", exemption: [{ resource: "nat-*", reason: "r" }] },
            "security-group-egress-allowlist": {
                allowedCidr: ["10.0.0.0/8"],
                allowedCidrs: ["10.0.0.0/33", "banana", "fd00::/8"],
                allowedPrefixListIds: ["pl-1234"],
            },
            "secret-path-naming": { secretPathShapes: ["/ledger/{service}/{secret_name}"] },
            "no-internet-path-from-workloads": { isolatedExternalSubnets: ["subnet-xyz"] },
        })).to.deep.equal([
            `no-nat-gateway: is not a policy of this pack (its policies: ${allPolicies.map((p) => p.name).sort().join(", ")})`,
            'no-nat-gateways: unknown key "enforcmentLevel" (value "advisory"); its keys are enforcementLevel, exemptions',
            'no-nat-gateways: unknown key "exemption" (value [{"resource":"nat-*","reason":"r"}]); its keys are enforcementLevel, exemptions',
            'security-group-egress-allowlist: unknown key "allowedCidr" (value ["10.0.0.0/8"]); its keys are enforcementLevel, tagKeys, allowedCidrs, egressGatewayPorts, exemptions, allowedPrefixListIds',
            'security-group-egress-allowlist: allowedCidrs contains "10.0.0.0/33", which is not a CIDR',
            'security-group-egress-allowlist: allowedCidrs contains "banana", which is not a CIDR',
            'security-group-egress-allowlist: allowedPrefixListIds[0] must be a prefix list id (pl- and 8 or 17 hex digits), got "pl-1234"',
            'secret-path-naming: secretPathShapes: "/ledger/{service}/{secret_name}" must contain the {env} segment',
            'no-internet-path-from-workloads: isolatedExternalSubnets[0] must be a subnet id (subnet- and 8 or 17 hex digits), got "subnet-xyz"',
        ]);
    });
});

describe("lib/config and secret-path-naming: schema patterns agree with the readers", () => {
    const ajv = new Ajv();
    const matches = (pattern: string) => ajv.compile({ type: "string", pattern });

    it("CIDR_PATTERN accepts the CIDRs ipaddr.js accepts and rejects the ones it rejects", () => {
        const cidr = matches(CIDR_PATTERN);
        for (const good of ["10.0.0.0/8", "0.0.0.0/0", "255.255.255.255/32", "192.168.1.0/24", "fd00::/8", "::/0", "2001:db8::/128", "::ffff:10.0.0.0/104"]) {
            expect([good, cidr(good)]).to.deep.equal([good, true]);
            expect(parseCidr(good), good).to.not.equal(undefined);
        }
        // ipaddr.js takes the legacy short form; the schema asks for four octets.
        expect([cidr("10.0.0/8"), parseCidr("10.0.0/8") !== undefined]).to.deep.equal([false, true]);
        for (const bad of ["10.0.0.0/33", "banana", "256.0.0.0/8", "10.0.0.0", "fd00::/129", "fd00::", "10.0.0.0/-1", " 10.0.0.0/8"]) {
            expect([bad, cidr(bad)]).to.deep.equal([bad, false]);
            expect(parseCidr(bad), bad).to.equal(undefined);
        }
    });

    it("awsIdPattern takes 8 or 17 lower-case hex digits after the prefix", () => {
        const pl = matches(awsIdPattern("pl"));
        expect(["pl-6da54004", "pl-0123456789abcdef0", "pl-6DA54004", "pl-1234", "subnet-6da54004", "pl-6da540041"].map((x) => pl(x))).to.deep.equal([
            true, true, false, false, false, false,
        ]);
    });

    it("SHAPE_PATTERN accepts exactly the shapes parseShape accepts", () => {
        const shape = matches(SHAPE_PATTERN);
        const samples = [
            "/{env}/trace/{component}/{secret_name}", "/{env}/{org_slug}/{secret_name}", "/{env}", "/ledger/{env}/x",
            "/trace/{component}/{secret_name}", "{env}/trace", "/{env}/Trace", "/{env}//x", "/{env}/{Bad}", "/{env}/", "/{environment}/x",
        ];
        expect(samples.map((s) => shape(s))).to.deep.equal(samples.map((s) => typeof parseShape(s) !== "string"));
        expect(samples.map((s) => shape(s))).to.deep.equal([true, true, true, true, false, false, false, false, false, false, false]);
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
                '  security-group-egress-allowlist: allowedCidrs contains "1:2:3:4:5:6:7:8:9/64", which is not a CIDR\n' +
                '  no-internet-path-from-workloads: allowedCidrs contains "fd00:::1::/8", which is not a CIDR',
        ]);
    });
});
