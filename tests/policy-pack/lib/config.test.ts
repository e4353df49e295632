import { expect } from "chai";

import { DEFAULT_ALLOWED_CIDRS, DEFAULT_TAG_KEYS, PackConfigError, environmentOf, readPolicyConfig } from "../../../policy-pack/lib/config";

describe("lib/config", () => {
    it("applies every default to an empty config", () => {
        const cfg = readPolicyConfig("p", {});
        expect(cfg.tagKeys).to.deep.equal(DEFAULT_TAG_KEYS);
        expect(cfg.allowedCidrs).to.deep.equal(DEFAULT_ALLOWED_CIDRS);
        expect(cfg.egressGatewayPorts).to.deep.equal({ webhook: [443], rpc: [443] });
        expect(cfg.environments).to.deep.equal({});
        expect(cfg.environment).to.equal(undefined);
        expect(cfg.exemptions).to.deep.equal([]);
    });

    it("fills a partial tagKeys object key by key", () => {
        expect(readPolicyConfig("p", { tagKeys: { trust: "team:trust" } }).tagKeys).to.deep.equal({
            tier: "trace:tier",
            egressGateway: "trace:egress-gateway",
            trust: "team:trust",
            dataClass: "trace:data-class",
        });
    });

    it("reports every problem at once, naming the policy, the key and the bad value", () => {
        let error: unknown;
        try {
            readPolicyConfig("no-nat-gateways", {
                tagKeys: { trust: "", color: "x" },
                allowedCidrs: ["10.0.0.0/8", "ten"],
                egressGatewayPorts: { webhook: [], rpc: [70000] },
                environments: { prod: "Prod" },
                environment: "UPPER",
                exemptions: [{ resource: "a" }, { resource: "", reason: "r" }, "x"],
            });
        } catch (e) {
            error = e;
        }
        expect(error).to.be.instanceOf(PackConfigError);
        expect((error as PackConfigError).problems).to.deep.equal([
            "tagKeys.color is not a known key (its keys: tier, egressGateway, trust, dataClass)",
            'tagKeys.trust must be a non-empty string, got ""',
            'allowedCidrs[1] "ten": "ten" is not an IPv4 or IPv6 address',
            "egressGatewayPorts.webhook must be a non-empty array of ports 0-65535, got []",
            "egressGatewayPorts.rpc must be a non-empty array of ports 0-65535, got [70000]",
            "environments.prod must be an environment name: lower-case letters, digits, '-' and '_', starting with a letter or digit, got \"Prod\"",
            "environment must be an environment name: lower-case letters, digits, '-' and '_', starting with a letter or digit, got \"UPPER\"",
            "exemptions[0].reason is required (say why the exemption is acceptable), got undefined",
            'exemptions[1].resource must be a non-empty URN or name glob, got ""',
            'exemptions[2] must be an object {resource, reason}, got "x"',
        ]);
        expect((error as Error).message.startsWith("invalid config for policy 'no-nat-gateways': tagKeys.color")).to.equal(true);
    });

    it("derives the environment: forced, mapped, else the stack name", () => {
        expect(environmentOf(readPolicyConfig("p", { environment: "staging", environments: { dev: "x" } }), "dev")).to.equal("staging");
        expect(environmentOf(readPolicyConfig("p", { environments: { "prod-eu": "prod" } }), "prod-eu")).to.equal("prod");
        expect(environmentOf(readPolicyConfig("p", {}), "dev")).to.equal("dev");
    });
});
