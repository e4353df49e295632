// The pack's manifest is a contract: other teams pin policy names and levels in their configs, so a
// rename or a silent level change must fail here. Checked twice: on the in-process list, and on
// what the real pack process tells an engine through GetAnalyzerInfo.

import { expect } from "chai";
import * as path from "path";
import { EnforcementLevel } from "@pulumi/policy";

import { allPolicies } from "../../policy-pack/policies";
import { PolicyPackServer } from "../../tools/analyze/server";

const EXPECTED: [string, EnforcementLevel][] = [
    ["no-nat-gateways", "mandatory"],
    ["rds-not-publicly-accessible", "mandatory"],
    ["security-group-egress-allowlist", "mandatory"],
    ["secret-path-naming", "mandatory"],
    ["vpc-endpoint-private-dns", "mandatory"],
    ["required-vpc-endpoints", "mandatory"],
    ["lambda-vpc-attached", "mandatory"],
    ["ecs-task-hardening", "mandatory"],
    ["public-ip-only-for-egress-gateways", "mandatory"],
    ["untrusted-compute-no-secrets", "mandatory"],
    ["rds-storage-encrypted", "mandatory"],
    ["vpc-flow-logs-enabled", "advisory"],
    ["no-internet-path-from-workloads", "mandatory"],
    ["load-balancers-internal-only", "mandatory"],
    ["security-group-no-public-ingress", "mandatory"],
    ["s3-https-only", "mandatory"],
    ["s3-sse-kms-for-sensitive-buckets", "mandatory"],
    ["container-images-pinned-by-digest", "mandatory"],
    ["vpc-endpoint-data-perimeter", "mandatory"],
    ["egress-attempts-alarmed", "advisory"],
    ["compute-inside-perimeter", "mandatory"],
    ["public-endpoints-only-via-api-gateway", "mandatory"],
    ["no-unapproved-network-paths", "mandatory"],
    ["dns-firewall-on-workload-vpcs", "advisory"],
    ["untrusted-compute-no-role-assumption", "mandatory"],
    ["tls-in-transit", "mandatory"],
    ["encryption-at-rest", "mandatory"],
    ["keys-and-secrets-rotated", "advisory"],
    ["audit-log-retention", "mandatory"],
];

describe("policy pack manifest", () => {
    it("lists exactly the DESIGN.md policies, in order, with their default levels", () => {
        expect(allPolicies.map((p) => [p.name, p.enforcementLevel])).to.deep.equal(EXPECTED);
    });

    it("has unique, kebab-case policy names", () => {
        const names = allPolicies.map((p) => p.name);
        expect(new Set(names).size).to.equal(names.length);
        expect(names.filter((n) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(n))).to.deep.equal([]);
    });

    it("gives every policy a description and a config schema that accepts exemptions with a required reason", () => {
        for (const p of allPolicies) {
            expect(p.description.length, p.name).to.be.greaterThan(20);
            const exemptions = p.configSchema?.properties["exemptions"];
            expect(exemptions, `${p.name} has no exemptions key`).to.not.equal(undefined);
            expect((exemptions as { items: { required: string[] } }).items.required, p.name).to.deep.equal(["resource", "reason"]);
        }
    });

    // The engine prints the description before every violation's message, at the level a team's config
    // sets; "Recommends …" under mandatory (or "must" under advisory) would contradict the verdict.
    it("describes each policy as its rule, in words that fit any enforcement level", () => {
        const levelWords = /\b(recommend\w*|suggest\w*|advis\w*|mandator\w*|optional\w*|should|must|block\w*|warn\w*)\b/i;
        expect(allPolicies.filter((p) => levelWords.test(p.description)).map((p) => [p.name, p.description.match(levelWords)?.[0]])).to.deep.equal([]);
    });

    it("is served by the real pack process under the name trace-network-guardrails with the same policies and levels", async function () {
        // The pack process type-checks twenty policy files with ts-node before it serves: on a shared
        // two-core machine that alone has taken 95 s.
        this.timeout(180_000);
        const server = await PolicyPackServer.start(path.resolve(__dirname, "../../policy-pack"), {
            project: "trace",
            stack: "dev",
            organization: "organization",
            dryRun: true,
            config: {},
            secretKeys: [],
            tags: {},
        });
        try {
            expect(server.info.name).to.equal("trace-network-guardrails");
            expect(server.info.version).to.equal("0.1.0");
            expect(server.info.policies.map((p) => [p.name, p.enforcementLevel])).to.deep.equal(EXPECTED);
        } finally {
            server.close();
        }
    });
});
