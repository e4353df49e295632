// The cost model on hand-built recordings: seed 002's NAT-vs-endpoints comparison redone per AZ,
// unknown counts kept unknown, and every priced resource kind counted.
import { expect } from "chai";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { RecordedResource } from "../../../tools/record/protocol";
import { TYPES } from "../../../tools/cost/inventory";
import { costSection, Design, Estimate, LineItem, LineKind, RegionCost, regionCost } from "../../../tools/cost/model";
import { AWS_PROVIDER_TYPE } from "../../../tools/cost/region";
import * as fs from "fs";
import * as path from "path";
import { BUILTIN_PRICE_FILE, loadPriceTable, PriceKey } from "../../../tools/cost/prices";
import { tempDir } from "../../helpers/temp-dir";
import { Traffic } from "../../../tools/cost/traffic";

const urn = (type: string, name: string): string => `urn:pulumi:test::cost::${type}::${name}`;

function res(type: string, name: string, inputs: Record<string, unknown>, deps: Record<string, string[]> = {}, id?: string): RecordedResource {
    return {
        urn: urn(type, name), type, name, custom: true, ...(id !== undefined ? { id } : {}),
        parent: "urn:pulumi:test::cost::pulumi:pulumi:Stack::cost-test",
        dependencies: Object.values(deps).flat(), propertyDependencies: deps, inputs, outputs: inputs,
        options: { protect: false, ignoreChanges: [], additionalSecretOutputs: [], aliases: [], customTimeouts: { create: 0, update: 0, delete: 0 } },
    };
}

const U = unknownValue;
const table = loadPriceTable();
const tmp = tempDir("cost-model-");

function price(resources: RecordedResource[], region: string, traffic: Traffic): Omit<RegionCost, "regionFrom"> {
    return regionCost(resources, region, table.regions[region], table.hoursPerMonth, traffic);
}

const est = (c: Pick<RegionCost, "estimates">, d: Design): Estimate => c.estimates.find((e) => e.design === d) as Estimate;
const lines = (e: Estimate, kind: LineKind): LineItem[] => e.lineItems.filter((l) => l.kind === kind);
const sum = (ls: LineItem[]): number => Math.round(ls.reduce((s, l) => s + (l.monthly ?? 0), 0) * 100) / 100;

/** A VPC as seed 002 describes it: private app subnets, a public subnet routed to an IGW, an S3 gateway endpoint and five interface endpoints. */
function seedStack(endpointAzs: string[], withNat: boolean): RecordedResource[] {
    const subnet = (name: string, az: string): RecordedResource => res(TYPES.subnet, name, { availabilityZone: az, vpcId: U, mapPublicIpOnLaunch: false });
    const app = ["a", "b"].map((z) => subnet(`app-${z}`, `eu-west-1${z}`));
    const pub = subnet("public-a", "eu-west-1a");
    const igw = res(TYPES.internetGateway, "igw", { vpcId: U });
    const publicRt = res(TYPES.routeTable, "public", { vpcId: U });
    const out: RecordedResource[] = [
        ...app, pub, igw, publicRt,
        res(TYPES.route, "public-default", { routeTableId: U, destinationCidrBlock: "0.0.0.0/0", gatewayId: U }, { routeTableId: [publicRt.urn], gatewayId: [igw.urn] }),
        res(TYPES.routeTableAssociation, "public-a", { subnetId: U, routeTableId: U }, { subnetId: [pub.urn], routeTableId: [publicRt.urn] }),
        res(TYPES.vpcEndpoint, "s3", { serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "Gateway" }),
    ];
    const chosen = app.filter((s) => endpointAzs.includes(s.inputs.availabilityZone as string));
    for (const service of ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm"]) {
        out.push(res(TYPES.vpcEndpoint, service, { serviceName: `com.amazonaws.eu-west-1.${service}`, vpcEndpointType: "Interface", privateDnsEnabled: true, subnetIds: chosen.map(() => U) },
            { subnetIds: chosen.map((s) => s.urn) }));
    }
    if (withNat) {
        const eip = res(TYPES.eip, "nat-eip", { domain: "vpc" });
        out.push(eip, res(TYPES.natGateway, "nat", { subnetId: U, allocationId: U }, { subnetId: [pub.urn], allocationId: [eip.urn] }));
    }
    return out;
}

describe("cost model: seed 002's comparison, per AZ", () => {
    // Seed 002 prices at $0.045 (NAT hour and GB) and $0.01 (endpoint hour): the us-east-1 figures of the table.
    const seedTraffic: Traffic = { awsApiGb: 0, internetGb: 100, flowLogGb: 0, dnsMillionQueries: 0 };
    const H = 730;

    it("matches the seed's endpoint figure only when every endpoint sits in a single AZ", () => {
        const oneAz = est(price(seedStack(["eu-west-1a"], true), "us-east-1", seedTraffic), Design.Current);
        const endpoints = lines(oneAz, LineKind.InterfaceEndpoint);
        expect(endpoints.map((l) => [l.item, l.quantity, l.basis])).to.deep.equal(["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm"]
            .map((s) => [`interface endpoint ${s}`, H, `1 AZ (eu-west-1a) x ${H} h`]));
        expect(sum(endpoints)).to.equal(36.5); // the seed: "5 endpoints x $7.30"
        expect(sum(lines(oneAz, LineKind.NatGateway))).to.equal(32.85); // the seed's $32.40 counts 720 h, not 730
        expect(sum(lines(oneAz, LineKind.NatGatewayData))).to.equal(4.5); // the seed: "100GB x $0.045"
        expect(lines(oneAz, LineKind.PublicIpv4).map((l) => [l.item, l.monthly])).to.deep.equal([["public IPv4 nat-eip", 3.65]]); // not in the seed
        expect(oneAz.total.monthly).to.be.closeTo(36.5 + 32.85 + 4.5 + 3.65, 1e-9);
        expect(oneAz.total.complete).to.equal(true);
    });

    it("bills each endpoint once per AZ: in both app subnets the endpoints cost twice the seed's figure", () => {
        const twoAz = price(seedStack(["eu-west-1a", "eu-west-1b"], false), "us-east-1", seedTraffic);
        const current = est(twoAz, Design.Current);
        expect(lines(current, LineKind.InterfaceEndpoint).map((l) => l.quantity)).to.deep.equal([2 * H, 2 * H, 2 * H, 2 * H, 2 * H]);
        expect(sum(lines(current, LineKind.InterfaceEndpoint))).to.equal(5 * 2 * H * 0.01); // 73.00, the seed says 36.50
        expect(current.total.monthly).to.equal(73);
        // The NAT design the seed compares with is one NAT per private AZ too, not one NAT.
        const nat = est(twoAz, Design.NatWithEndpoints);
        expect(lines(nat, LineKind.NatGateway).map((l) => [l.item, l.quantity, l.monthly])).to.deep.equal([
            ["NAT gateways, one per private AZ (eu-west-1a, eu-west-1b)", 2 * H, 65.7],
        ]);
        expect(nat.total.monthly).to.equal(Math.round((73 + 2 * H * 0.045 + 2 * H * 0.005 + 100 * 0.045) * 100) / 100);
        const natOnly = est(twoAz, Design.NatWithoutEndpoints);
        expect(lines(natOnly, LineKind.InterfaceEndpoint)).to.deep.equal([]);
        expect(natOnly.total.monthly).to.equal(Math.round((2 * H * 0.045 + 2 * H * 0.005 + 100 * 0.045) * 100) / 100);
    });

    it("replaces the stack's own NAT gateway and its EIP in the counterfactual instead of adding to them", () => {
        const c = price(seedStack(["eu-west-1a"], true), "us-east-1", seedTraffic);
        const nat = est(c, Design.NatWithEndpoints);
        expect(nat.lineItems.filter((l) => l.item === "NAT gateway nat" || l.item === "public IPv4 nat-eip")).to.deep.equal([]);
        expect(lines(nat, LineKind.NatGateway).map((l) => l.quantity)).to.deep.equal([2 * H]);
    });
});

describe("cost model: what the preview does not know stays unknown", () => {
    const traffic: Traffic = { awsApiGb: 10, internetGb: 10, flowLogGb: 10, dnsMillionQueries: 0 };

    it("an endpoint whose subnet list is unknown, a service with an unknown task count and a subnet with an unknown AZ", () => {
        const privateSubnet = res(TYPES.subnet, "app-x", { availabilityZone: U, vpcId: U });
        const c = price([
            privateSubnet,
            res(TYPES.vpcEndpoint, "sqs", { serviceName: "com.amazonaws.eu-west-1.sqs", vpcEndpointType: "Interface", subnetIds: U }),
            res(TYPES.ecsService, "gateway", { desiredCount: U, networkConfiguration: { assignPublicIp: true, subnets: [U] } }),
            res(TYPES.ecsService, "private", { desiredCount: 3, networkConfiguration: { assignPublicIp: false, subnets: [U] } }),
        ], "eu-west-1", traffic);
        const current = est(c, Design.Current);
        expect(current.lineItems.map((l) => [l.item, l.quantity, l.monthly, l.unknown])).to.deep.equal([
            ["interface endpoint sqs", null, null, "its subnet list is unknown at preview"],
            ["interface endpoint data processing", 10, 0.1, undefined],
            ["public IPv4 gateway", null, null, "its desired task count is unknown at preview"],
        ]);
        expect(current.total).to.deep.equal({ monthly: 0.1, complete: false, unknownItems: 2 });
        const nat = est(c, Design.NatWithoutEndpoints);
        expect(lines(nat, LineKind.NatGateway).map((l) => [l.quantity, l.unknown])).to.deep.equal([[null, "the AZ of private subnet app-x is unknown at preview"]]);
        expect(nat.total.complete).to.equal(false);
    });
});

describe("cost model: every priced kind", () => {
    it("prices tasks with public IPs, EIPs, flow logs by destination, alarms by resolution and metric filters by metric", () => {
        const traffic: Traffic = { awsApiGb: 0, internetGb: 0, flowLogGb: 40, dnsMillionQueries: 0 };
        const c = price([
            res(TYPES.ecsService, "webhook", { desiredCount: 2, networkConfiguration: { assignPublicIp: true } }),
            res(TYPES.eip, "spare", { domain: "vpc" }),
            res(TYPES.flowLog, "to-cwl", { logDestinationType: "cloud-watch-logs", trafficType: "ALL" }),
            res(TYPES.flowLog, "default-destination", { trafficType: "REJECT" }),
            res(TYPES.flowLog, "to-s3", { logDestinationType: "s3" }),
            res(TYPES.metricAlarm, "rejects", { period: 300, metricName: "Rejects" }),
            res(TYPES.metricAlarm, "math", { metricQueries: [{ id: "a", metric: { period: 60 } }, { id: "b", metric: { period: 60 } }, { id: "e", expression: "a+b" }] }),
            res(TYPES.metricAlarm, "fast", { period: 10 }),
            res(TYPES.logMetricFilter, "rejected", { metricTransformation: { name: "Rejects", namespace: "Trace", value: "1" } }),
            res(TYPES.logMetricFilter, "by-source", { metricTransformation: { name: "BySource", namespace: "Trace", value: "1", dimensions: { src: "$.srcaddr" } } }),
        ], "eu-west-1", traffic);
        const current = est(c, Design.Current);
        expect(current.lineItems.map((l) => [l.item, l.unit, l.quantity, l.unitPrice, l.monthly])).to.deep.equal([
            ["public IPv4 webhook", "IPv4-hour", 2 * 730, 0.005, 7.3],
            ["public IPv4 spare", "IPv4-hour", 730, 0.005, 3.65],
            ["flow-log ingestion to CloudWatch Logs", "GB", 40, 0.57, 22.8],
            ["CloudWatch alarms (standard resolution)", "alarm-metric-month", 3, 0.1, 0.3],
            ["CloudWatch alarms (high resolution)", "alarm-metric-month", 1, 0.3, 0.3],
            ["custom metrics from log metric filters", "metric-month", 1, 0.3, 0.3],
            ["custom metrics from by-source", "metric-month", null, 0.3, null],
        ]);
        expect(lines(current, LineKind.FlowLogIngestion)[0].resources).to.deep.equal([urn(TYPES.flowLog, "to-cwl"), urn(TYPES.flowLog, "default-destination")]);
        expect(c.notPriced).to.include("flow log to-s3: destination s3 is not in the price table");
        expect(current.total.monthly).to.be.closeTo(7.3 + 3.65 + 22.8 + 0.3 + 0.3 + 0.3, 1e-9);
        expect([current.total.complete, current.total.unknownItems]).to.deep.equal([false, 1]);
    });
});

describe("cost model: DNS Firewall and Resolver query logs", () => {
    it("prices each domain list by its domains and the queries of the associated VPCs, in every design; names query logs as not priced", () => {
        const traffic: Traffic = { awsApiGb: 0, internetGb: 0, flowLogGb: 0, dnsMillionQueries: 25 };
        const c = price([
            res(TYPES.firewallDomainList, "allowed", { domains: ["*.amazonaws.com.", "api.stripe.com."] }),
            res(TYPES.firewallDomainList, "imported", { domains: U }),
            res(TYPES.firewallRuleGroupAssociation, "vpc", { firewallRuleGroupId: U, vpcId: U, priority: 101 }),
            res(TYPES.queryLogConfig, "dns-logs", { destinationArn: "arn:aws:logs:eu-west-1:123456789012:log-group:/trace/dns" }),
        ], "eu-west-1", traffic);
        for (const e of c.estimates) {
            expect(e.lineItems.filter((l) => l.kind === LineKind.DnsFirewallDomains || l.kind === LineKind.DnsFirewallQueries)
                .map((l) => [l.item, l.quantity, l.unitPrice, l.monthly, l.unknown ?? l.basis]), e.design).to.deep.equal([
                ["DNS Firewall domain list allowed", 2, 0.0005, 0, "2 domains"],
                ["DNS Firewall domain list imported", null, 0.0005, null, "its domain list is unknown at preview"],
                ["DNS Firewall queries processed", 25, 0.6, 15, "dnsMillionQueries (1 rule group association)"],
            ]);
        }
        expect(c.notPriced).to.include("Resolver query logs dns-logs: delivery to CloudWatch Logs is not in the price table");
    });

    it("prices no queries without a rule group association", () => {
        const c = price([res(TYPES.firewallDomainList, "allowed", { domains: ["a.example."] })], "eu-west-1", { awsApiGb: 0, internetGb: 0, flowLogGb: 0, dnsMillionQueries: 25 });
        expect(est(c, Design.Current).lineItems.map((l) => l.kind)).to.deep.equal([LineKind.DnsFirewallDomains]);
    });
});

describe("cost model: both NAT designs carry the same traffic", () => {
    const traffic: Traffic = { awsApiGb: 100, internetGb: 50, flowLogGb: 0, dnsMillionQueries: 0 };
    const H = 730;

    it("a stack without interface endpoints gets one NAT design, whose NATs carry its AWS API traffic too", () => {
        const c = price(seedStack([], false).filter((r) => r.inputs.vpcEndpointType !== "Interface"), "us-east-1", traffic);
        expect(c.estimates.map((e) => [e.design, e.title])).to.deep.equal([[Design.Current, "this stack"], [Design.NatWithoutEndpoints, "NAT per private AZ"]]);
        const nat = est(c, Design.NatWithoutEndpoints);
        expect(lines(nat, LineKind.NatGatewayData).map((l) => [l.quantity, l.basis])).to.deep.equal([[150, "internetGb + awsApiGb"]]);
        expect(nat.total.monthly).to.equal(Math.round((2 * H * (0.045 + 0.005) + 150 * 0.045) * 100) / 100);
    });

    it("with interface endpoints, the AWS API traffic goes through the endpoints in one design and the NATs in the other", () => {
        const c = price(seedStack(["eu-west-1a"], false), "us-east-1", traffic);
        const gb = (d: Design): number => lines(est(c, d), LineKind.InterfaceEndpointData).reduce((s, l) => s + (l.quantity ?? 0), 0)
            + lines(est(c, d), LineKind.NatGatewayData).reduce((s, l) => s + (l.quantity ?? 0), 0);
        expect([gb(Design.Current), gb(Design.NatWithEndpoints), gb(Design.NatWithoutEndpoints)]).to.deep.equal([100, 150, 150]);
    });

    it("says in one sentence when the no-NAT posture costs more than a NAT design, and why", () => {
        // Five endpoints in two AZs (73.00 + 1.00 of data) against two NATs with 150 GB (73.00 + 6.75).
        const c = price(seedStack(["eu-west-1a", "eu-west-1b"], false), "us-east-1", { awsApiGb: 100, internetGb: 50, flowLogGb: 0, dnsMillionQueries: 0 });
        expect(est(c, Design.Current).total.monthly).to.equal(74);
        expect(est(c, Design.NatWithoutEndpoints).total.monthly).to.equal(79.75);
        expect(c.comparisonNote).to.equal(undefined);
        // At eu-west-1 prices with no traffic: 10 endpoint-AZs x 730 h x 0.011 = 80.30 against 2 x 730 x (0.048 + 0.005) = 77.38.
        const idle = price(seedStack(["eu-west-1a", "eu-west-1b"], false), "eu-west-1", { awsApiGb: 0, internetGb: 0, flowLogGb: 0, dnsMillionQueries: 0 });
        expect([est(idle, Design.Current).total.monthly, est(idle, Design.NatWithoutEndpoints).total.monthly]).to.deep.equal([80.3, 77.38]);
        expect(idle.comparisonNote).to.equal('This stack costs 2.92 a month more than "NAT per private AZ, without interface endpoints": '
            + "the difference buys the perimeter (the private tiers have no route to the internet), and each interface endpoint is billed per AZ it sits in "
            + "(5 endpoints, 10 endpoint-AZs x 730 h).");
    });
});

describe("cost model: each resource priced in its own region, what cannot be priced named", () => {
    const traffic: Traffic = { awsApiGb: 100, internetGb: 50, flowLogGb: 20, dnsMillionQueries: 0 };
    const provider = (name: string, inputs: Record<string, unknown>): RecordedResource => ({ ...res(AWS_PROVIDER_TYPE, name, inputs), parent: undefined });
    const via = (r: RecordedResource, p: RecordedResource): RecordedResource => ({ ...r, provider: `${p.urn}::${U}` });
    const oregon = provider("default", { region: "us-west-2" });
    const mumbai = provider("mumbai", { region: "ap-south-1" });
    const nowhere = provider("nowhere", {});
    const stack = [
        oregon, mumbai, nowhere,
        via(res(TYPES.subnet, "app-a", { availabilityZone: "us-west-2a", vpcId: U }), oregon),
        via(res(TYPES.natGateway, "nat", { subnetId: U, connectivityType: "private" }), oregon),
        via(res(TYPES.flowLog, "flows", {}), oregon),
        via(res(TYPES.natGateway, "nat-mumbai", { subnetId: U }), mumbai),
        via(res(TYPES.eip, "eip-nowhere", { domain: "vpc" }), nowhere),
        via(res("aws:ec2/securityGroup:SecurityGroup", "sg-nowhere", {}), nowhere),
        res("random:index/randomId:RandomId", "suffix", {}),
    ];

    it("prices a us-west-2 stack at us-west-2 rates, never another region's", () => {
        const c = costSection(stack, table, traffic, {});
        expect(c.regions.map((r) => r.region)).to.deep.equal(["us-west-2"]);
        const current = est(c.regions[0], Design.Current);
        expect(current.lineItems.map((l) => [l.item, l.unitPrice, l.monthly])).to.deep.equal([
            ["NAT gateway nat", 0.045, 32.85],
            ["NAT gateway data processing", 0.045, 6.75], // 50 GB to the internet + 100 GB to AWS APIs (no interface endpoints)
            ["flow-log ingestion to CloudWatch Logs", null, null],
        ]);
        // A figure the table could not source for us-west-2 is named with the fix, not borrowed.
        expect(lines(current, LineKind.FlowLogIngestion)[0].unknown).to.equal("the price table has no flowLogsToCloudWatchGb for us-west-2 (add it with --price-file)");
        expect(current.total).to.deep.equal({ monthly: 39.6, complete: false, unknownItems: 1 });
        expect(c.priceTable.used).to.deep.equal([{ file: table.files[0], date: table.date }]);
        expect(Object.keys(c.priceTable.regionSources)).to.deep.equal(["us-west-2"]);
        expect(c.priceTable.regionSources["us-west-2"][PriceKey.NatGatewayHour]).to.match(/USW2-NatGateway-Hours/);
    });

    it("leaves out a region that holds nothing priced and no subnet", () => {
        const virginia = provider("virginia", { region: "us-east-1" });
        const c = costSection([...stack, virginia, via(res("aws:s3/bucket:Bucket", "logs", {}), virginia)], table, traffic, {});
        expect(c.regions.map((r) => r.region)).to.deep.equal(["us-west-2"]);
    });

    it("names what cannot be priced: a region without prices, no region at all, another provider's package", () => {
        const c = costSection(stack, table, traffic, {});
        expect(c.unpriced).to.deep.equal([
            { resources: ["nat-mumbai (natGateway)"], why: "the price table has no prices for ap-south-1 (it has eu-west-1, us-east-1, us-east-2, us-west-2); add them with --price-file" },
            { resources: ["eip-nowhere (eip)"], why: "no region: neither aws:region, its provider's region, nor AWS_REGION / AWS_DEFAULT_REGION is set" },
            { resources: ["1 resource of package random"], why: "the price table covers AWS only" },
        ]);
    });

    it("takes AWS_REGION for a provider without a region, and prices several regions side by side", () => {
        const c = costSection(stack, table, traffic, { AWS_REGION: "eu-west-1" });
        expect(c.regions.map((r) => [r.region, r.regionFrom, est(r, Design.Current).lineItems.map((l) => l.item)])).to.deep.equal([
            ["eu-west-1", ["environment"], ["public IPv4 eip-nowhere"]],
            ["us-west-2", ["provider"], ["NAT gateway nat", "NAT gateway data processing", "flow-log ingestion to CloudWatch Logs"]],
        ]);
        expect(c.unpriced.map((u) => u.resources)).to.deep.equal([["nat-mumbai (natGateway)"], ["1 resource of package random"]]);
    });

    it("with a --price-file for the region, names that file and its date as the prices used", () => {
        const own = path.join(tmp, "mumbai.json");
        fs.writeFileSync(own, JSON.stringify({ date: "2026-11-30", regions: { "ap-south-1": { natGatewayHour: 0.056, natGatewayGb: 0.056 } } }));
        const c = costSection(stack.filter((r) => r.name !== "nat"), loadPriceTable([own]), traffic, {});
        expect(c.regions.map((r) => r.region)).to.deep.equal(["ap-south-1", "us-west-2"]);
        expect(c.priceTable.used).to.deep.equal([{ file: BUILTIN_PRICE_FILE, date: table.date }, { file: own, date: "2026-11-30" }]);
        const onlyMumbai = costSection([mumbai, ...stack.filter((r) => r.provider?.startsWith(mumbai.urn) === true)], loadPriceTable([own]), traffic, {});
        expect(onlyMumbai.priceTable.used).to.deep.equal([{ file: own, date: "2026-11-30" }]);
        expect(est(onlyMumbai.regions[0], Design.Current).lineItems.map((l) => [l.item, l.monthly])).to.deep.equal([
            ["NAT gateway nat-mumbai", 40.88],
            ["NAT gateway data processing", 8.4],
        ]);
    });
});
