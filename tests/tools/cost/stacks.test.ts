// This repo's dev and prod stacks, recorded as the preview records them and priced with the built-in
// eu-west-1 prices and the default traffic. Expected figures are computed by hand below from counts
// this test asserts first, so a program change moves a count here and the formulas follow.
import { expect } from "chai";
import { inventory } from "../../../tools/cost/inventory";
import { costSection, CostSection, Design, Estimate, LineKind } from "../../../tools/cost/model";
import { loadPriceTable } from "../../../tools/cost/prices";
import { DEFAULT_TRAFFIC } from "../../../tools/cost/traffic";
import { RecordedStack } from "../../../tools/record";
import { repoStack } from "../../helpers/repo-stacks";

// eu-west-1 prices of tools/prices/aws-2026-12-02.json, written out so the arithmetic is checkable by eye.
const P = { endpointHour: 0.011, endpointGb: 0.01, natHour: 0.048, natGb: 0.048, ipv4Hour: 0.005, flowLogGb: 0.57, alarmMetric: 0.1, highResAlarmMetric: 0.3, customMetric: 0.3, dnsDomainMonth: 0.0005, dnsMillionQueries: 0.6 };
const H = 730;
// Default traffic, GB per month.
const T = { awsApi: 100, internet: 50, flowLogs: 20, dnsMillionQueries: 10 };

interface Counts {
    endpointServices: string[];
    endpointAzs: string[];
    gatewayEndpoints: string[];
    publicIpTasks: Record<string, number>;
    flowLogsToCloudWatch: number;
    /** Metrics read by standard-resolution alarms, and by high-resolution ones (period under 60 s). */
    alarmMetrics: number;
    highResAlarmMetrics: number;
    filterMetrics: number;
    /** Domains of each DNS Firewall domain list, and the rule group associations (queries are billed once any exists). */
    dnsFirewallDomains: number[];
    dnsFirewallAssociations: number;
    privateAzs: string[];
}

// What Pulumi.dev.yaml / Pulumi.prod.yaml build today. The egress-attempt alarms (components/egress-alarms.ts)
// are one metric filter and one standard-resolution alarm (period 300 s, one metric) per signal, two
// signals in both stacks, and the DNS Firewall (components/dns-firewall.ts) adds one more of each for
// blocked queries, a block list of "*" and an allow list of 8 names (the region's AWS names, the
// internal namespace, the VPC's host names and its reverse zones); the gateway task counts are gatewayTaskCount.
const COUNTS: Record<"dev" | "prod", Counts> = {
    dev: {
        endpointServices: ["sqs", "sts", "kms", "ecr.api", "ecr.dkr", "logs", "secretsmanager", "sns", "email-smtp"],
        endpointAzs: ["eu-west-1a"],
        gatewayEndpoints: ["s3"],
        publicIpTasks: { "trace-webhook-service": 1, "trace-rpc-service": 1 },
        flowLogsToCloudWatch: 1,
        alarmMetrics: 3,
        highResAlarmMetrics: 0,
        filterMetrics: 3,
        dnsFirewallDomains: [1, 8],
        dnsFirewallAssociations: 1,
        privateAzs: ["eu-west-1a", "eu-west-1b"],
    },
    prod: {
        endpointServices: ["sqs", "sts", "kms", "ecr.api", "ecr.dkr", "logs", "secretsmanager", "sns", "email-smtp", "monitoring"],
        endpointAzs: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
        gatewayEndpoints: ["s3"],
        publicIpTasks: { "trace-webhook-service": 2, "trace-rpc-service": 2 },
        flowLogsToCloudWatch: 1,
        alarmMetrics: 3,
        highResAlarmMetrics: 0,
        filterMetrics: 3,
        dnsFirewallDomains: [1, 8],
        dnsFirewallAssociations: 1,
        privateAzs: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    },
};

/** The hand formulas: this stack, and the NAT design with and without the interface endpoints. */
function expected(c: Counts): Record<Design, number> {
    const endpoints = c.endpointServices.length * c.endpointAzs.length * H * P.endpointHour + T.awsApi * P.endpointGb;
    const ipv4 = Object.values(c.publicIpTasks).reduce((s, n) => s + n, 0) * H * P.ipv4Hour;
    const monitoring = c.flowLogsToCloudWatch > 0 ? T.flowLogs * P.flowLogGb : 0;
    const alarms = c.alarmMetrics * P.alarmMetric + c.highResAlarmMetrics * P.highResAlarmMetric + c.filterMetrics * P.customMetric;
    const dns = c.dnsFirewallDomains.reduce((s, n) => s + n, 0) * P.dnsDomainMonth + (c.dnsFirewallAssociations > 0 ? T.dnsMillionQueries * P.dnsMillionQueries : 0);
    const nats = c.privateAzs.length * H * (P.natHour + P.ipv4Hour);
    return {
        [Design.Current]: endpoints + ipv4 + monitoring + alarms + dns,
        [Design.NatWithEndpoints]: endpoints + ipv4 + monitoring + alarms + dns + nats + T.internet * P.natGb,
        [Design.NatWithoutEndpoints]: ipv4 + monitoring + alarms + dns + nats + (T.internet + T.awsApi) * P.natGb,
    };
}

describe("cost of this repo's stacks (preview mode, eu-west-1, default traffic)", function () {
    this.timeout(600_000);
    const recorded = new Map<string, RecordedStack>();

    before(async () => {
        const [dev, prod] = await Promise.all([repoStack("dev", "preview"), repoStack("prod", "preview")]);
        recorded.set("dev", dev);
        recorded.set("prod", prod);
    });

    for (const stack of ["dev", "prod"] as const) {
        const counts = COUNTS[stack];

        it(`${stack}: the stack holds what the formulas count`, () => {
            const rec = recorded.get(stack) as RecordedStack;
            expect(rec.config["aws:region"]).to.equal("eu-west-1");
            const inv = inventory(rec.resources);
            expect(inv.interfaceEndpoints.map((e) => e.service)).to.deep.equal(counts.endpointServices);
            for (const e of inv.interfaceEndpoints) {
                expect([e.azCount, e.azs]).to.deep.equal([{ known: true, value: counts.endpointAzs.length }, counts.endpointAzs]);
            }
            expect(inv.gatewayEndpoints.map((e) => e.service)).to.deep.equal(counts.gatewayEndpoints);
            expect(Object.fromEntries(inv.publicIps.map((p) => [p.name, p.addresses.known ? p.addresses.value : NaN]))).to.deep.equal(counts.publicIpTasks);
            expect(inv.natGateways).to.deep.equal([]);
            expect(inv.flowLogsToCloudWatch.length).to.equal(counts.flowLogsToCloudWatch);
            const alarmMetrics = (high: boolean): number => inv.alarms.filter((a) => a.highResolution === high).reduce((s, a) => s + (a.metrics.known ? a.metrics.value : NaN), 0);
            expect(inv.alarms.every((a) => a.highResolution !== undefined)).to.equal(true);
            expect([alarmMetrics(false), alarmMetrics(true)]).to.deep.equal([counts.alarmMetrics, counts.highResAlarmMetrics]);
            expect(inv.metricFilters.reduce((s, f) => s + (f.metrics.known ? f.metrics.value : NaN), 0)).to.equal(counts.filterMetrics);
            expect(inv.firewallDomainLists.map((d) => (d.domains.known ? d.domains.value : NaN))).to.deep.equal(counts.dnsFirewallDomains);
            expect(inv.firewallAssociations.length).to.equal(counts.dnsFirewallAssociations);
            expect(inv.privateAzs).to.deep.equal({ azs: counts.privateAzs });
        });

        it(`${stack}: every figure is known at preview and each design's total matches the hand formula`, () => {
            const table = loadPriceTable();
            // The region comes from the default provider's aws:region, whatever the environment says.
            const cost: CostSection = costSection((recorded.get(stack) as RecordedStack).resources, table, DEFAULT_TRAFFIC, { AWS_REGION: "us-west-2" });
            expect(cost.regions.map((r) => r.region)).to.deep.equal(["eu-west-1"]);
            expect(cost.unpriced).to.deep.equal([]);
            const want = expected(counts);
            for (const e of cost.regions[0].estimates) {
                expect(e.total.complete, `${e.design} has unknown lines`).to.equal(true);
                // Each line is rounded to the cent, so the sum may differ from the formula by a cent per line.
                expect(e.total.monthly, e.design).to.be.closeTo(want[e.design], 0.005 * e.lineItems.length);
            }
            const current = cost.regions[0].estimates[0] as Estimate;
            expect(current.lineItems.filter((l) => l.kind === LineKind.InterfaceEndpoint).map((l) => l.quantity))
                .to.deep.equal(counts.endpointServices.map(() => counts.endpointAzs.length * H));
        });
    }

    it("the hand formulas give the figures the README quotes", () => {
        // By hand, dev: 9 x 1 x 730 x 0.011 + 100 x 0.01 (endpoints 73.27) + 2 x 730 x 0.005 (IPv4 7.30) + 20 x 0.57 (flow logs 11.40)
        //   + 3 x 0.10 + 3 x 0.30 (alarms and filters 1.20) + 9 x 0.0005 + 10 x 0.60 (DNS Firewall 6.0045) = 99.17;
        //   + 2 x 730 x (0.048 + 0.005) + 50 x 0.048 (79.78) = 178.95; 99.17 - 73.27 + 77.38 + 150 x 0.048 = 110.48.
        // prod: 10 x 3 x 730 x 0.011 + 1.00 (241.90) + 4 x 730 x 0.005 (14.60) + 11.40 + 1.20 + 6.0045 = 275.10; + 3 x 730 x 0.053
        //   + 2.40 (118.47) = 393.57; 275.10 - 241.90 + 116.07 + 7.20 = 156.47.
        expect(Object.values(expected(COUNTS.dev)).map((x) => Math.round(x * 100) / 100)).to.deep.equal([99.17, 178.95, 110.48]);
        expect(Object.values(expected(COUNTS.prod)).map((x) => Math.round(x * 100) / 100)).to.deep.equal([275.1, 393.57, 156.47]);
    });
});
