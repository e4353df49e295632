import { expect } from "chai";

import { TLS_IN_TRANSIT, TLS_IN_TRANSIT_SHAPES, tlsInTransit } from "../../../policy-pack/policies/tls-in-transit";
import { runResourcePolicy } from "../../helpers/policy-harness";
import { ShapeCase, ShapeFailure, U, canNotRun, describeShapeCases, findings, rejection } from "../support";

const RULE = "traffic must be encrypted with TLS 1.2 or later";
const ELB_FIX = 'Set sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" (or another policy whose minimum is TLS 1.2).';
const LISTENER_FIX = "Use protocol HTTPS (ALB) or TLS (NLB) with a certificate, or make an HTTP listener's only action a redirect to HTTPS.";

const HTTPS_LISTENER = { loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/api/1", port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: "arn:aws:acm:eu-west-1:1:certificate/c", defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] };
const HTTPS_LISTENER_PREVIEW = { ...HTTPS_LISTENER, loadBalancerArn: U, certificateArn: U, defaultActions: [{ type: "forward", targetGroupArn: U }] };

function listenerFailures(): ShapeFailure[] {
    return [
        { shape: "protocol", change: { protocol: "HTTP", port: 80 }, expected: `takes plain text on port 80: protocol is HTTP; ${RULE}. ${LISTENER_FIX}` },
        { shape: "protocol", change: { protocol: "TCP", port: 5432, sslPolicy: U }, expected: `takes plain text on port 5432: protocol is TCP; ${RULE}. ${LISTENER_FIX}` },
        {
            shape: "protocol",
            change: { protocol: undefined, sslPolicy: undefined },
            expected: `takes plain text on port 443: protocol is unset (HTTP on an Application Load Balancer, TCP on a Network Load Balancer); ${RULE}. Set protocol HTTPS (ALB) or TLS (NLB) with a certificate, or make the listener's only action a redirect to HTTPS.`,
        },
        { shape: "protocol", change: { sslPolicy: undefined }, expected: `accepts TLS 1.0: sslPolicy is unset (AWS then uses ELBSecurityPolicy-2016-08); ${RULE}. ${ELB_FIX}` },
        { shape: "protocol", change: { protocol: "TLS", sslPolicy: "ELBSecurityPolicy-TLS13-1-1-2021-06" }, expected: `accepts TLS 1.1: sslPolicy is ELBSecurityPolicy-TLS13-1-1-2021-06; ${RULE}. ${ELB_FIX}` },
        {
            shape: "protocol",
            change: { sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Future-2031-01" },
            expected: `may accept TLS below 1.2: sslPolicy is ELBSecurityPolicy-TLS13-1-2-Future-2031-01, a security policy the pack does not know; ${RULE}. Set sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" (or another policy whose minimum is TLS 1.2); if AWS's table of protocols by policy shows it accepts only TLS 1.2 or later, add it to acceptedSslPolicies.`,
        },
    ];
}

const SEARCH_OK = {
    domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
    nodeToNodeEncryption: { enabled: true },
};

function searchFailures(): ShapeFailure[] {
    return [
        {
            shape: "domainEndpointOptions.enforceHttps",
            change: { domainEndpointOptions: { enforceHttps: false, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" } },
            expected: `accepts plain HTTP: domainEndpointOptions.enforceHttps is false; ${RULE}. Set domainEndpointOptions.enforceHttps: true.`,
        },
        {
            shape: "domainEndpointOptions.tlsSecurityPolicy",
            change: { domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" } },
            expected: `has domainEndpointOptions.tlsSecurityPolicy Policy-Min-TLS-1-0-2019-07, which accepts TLS 1.0; ${RULE}. Set domainEndpointOptions.tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10".`,
        },
        {
            shape: "domainEndpointOptions.tlsSecurityPolicy",
            change: { domainEndpointOptions: undefined },
            expected: `has domainEndpointOptions.tlsSecurityPolicy unset, so AWS picks one, which may accept TLS 1.0; ${RULE}. Set domainEndpointOptions.tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10".`,
        },
        {
            shape: "nodeToNodeEncryption.enabled",
            change: { nodeToNodeEncryption: undefined },
            expected: `sends plain text between nodes: nodeToNodeEncryption.enabled is unset (defaults to false); ${RULE}. Set nodeToNodeEncryption: { enabled: true }.`,
        },
    ];
}

const CASES: readonly ShapeCase[] = [
    { type: "aws:lb/listener:Listener", kind: "load balancer listener", plan: HTTPS_LISTENER, preview: HTTPS_LISTENER_PREVIEW, failing: listenerFailures() },
    { type: "aws:alb/listener:Listener", kind: "load balancer listener", plan: HTTPS_LISTENER, preview: HTTPS_LISTENER_PREVIEW, failing: listenerFailures() },
    {
        type: "aws:elb/loadBalancer:LoadBalancer",
        kind: "classic load balancer",
        plan: { internal: true, listeners: [{ lbProtocol: "https", lbPort: 443, instanceProtocol: "https", instancePort: 8443, sslCertificateId: "arn:aws:acm:eu-west-1:1:certificate/c" }] },
        preview: { internal: true, subnets: [U], listeners: [{ lbProtocol: "ssl", lbPort: 443, instanceProtocol: "ssl", instancePort: 8443, sslCertificateId: U }] },
        failing: [
            {
                shape: "listeners.lbProtocol",
                change: { listeners: [{ lbProtocol: "https", lbPort: 443 }, { lbProtocol: "HTTP", lbPort: 80 }] },
                expected: `takes plain text: listeners[1] has lbProtocol http on port 80; ${RULE}. Use lbProtocol https or ssl with an sslCertificateId, or move to an Application or Network Load Balancer with TLS.`,
            },
        ],
    },
    {
        type: "aws:elasticache/replicationGroup:ReplicationGroup",
        kind: "ElastiCache replication group",
        plan: { description: "cache", atRestEncryptionEnabled: true, transitEncryptionEnabled: true, transitEncryptionMode: "required" },
        preview: { description: "cache", engine: "valkey", transitEncryptionEnabled: true, authToken: U },
        failing: [
            {
                shape: "transitEncryptionEnabled",
                change: { transitEncryptionEnabled: undefined, transitEncryptionMode: undefined },
                expected: `takes plain text: transitEncryptionEnabled is unset (defaults to false); ${RULE}. Set transitEncryptionEnabled: true and transitEncryptionMode: "required".`,
            },
            {
                shape: "transitEncryptionEnabled",
                change: { transitEncryptionMode: "preferred" },
                expected: `accepts plain text: transitEncryptionMode is preferred; ${RULE}. Set transitEncryptionMode: "required" once clients connect with TLS.`,
            },
        ],
    },
    {
        type: "aws:elasticache/cluster:Cluster",
        kind: "ElastiCache cluster",
        plan: { engine: "memcached", nodeType: "cache.t4g.micro", transitEncryptionEnabled: true },
        // A member of a replication group is judged on the group.
        preview: { replicationGroupId: "cache", securityGroupIds: [U] },
        failing: [
            {
                shape: "transitEncryptionEnabled",
                change: { engine: "memcached", transitEncryptionEnabled: false, replicationGroupId: undefined },
                expected: `takes plain text: transitEncryptionEnabled is false; ${RULE}. Set transitEncryptionEnabled: true (Memcached 1.6.12 or later); this replaces the cluster.`,
            },
            {
                shape: "transitEncryptionEnabled",
                change: { engine: "redis", transitEncryptionEnabled: undefined, replicationGroupId: undefined },
                expected: `takes plain text: a single redis cache cluster cannot use TLS; ${RULE}. Create an aws.elasticache.ReplicationGroup with transitEncryptionEnabled: true instead.`,
            },
        ],
    },
    {
        type: "aws:dax/cluster:Cluster",
        kind: "DAX cluster",
        plan: { nodeType: "dax.r4.large", clusterEndpointEncryptionType: "TLS" },
        preview: { iamRoleArn: U, clusterEndpointEncryptionType: "TLS" },
        failing: [
            {
                shape: "clusterEndpointEncryptionType",
                change: { clusterEndpointEncryptionType: undefined },
                expected: `takes plain text: clusterEndpointEncryptionType is unset (defaults to NONE); ${RULE}. Set clusterEndpointEncryptionType: "TLS"; this replaces the cluster.`,
            },
        ],
    },
    {
        type: "aws:memorydb/cluster:Cluster",
        kind: "MemoryDB cluster",
        plan: { nodeType: "db.t4g.small", aclName: "app" },
        preview: { nodeType: "db.t4g.small", aclName: U, tlsEnabled: true },
        failing: [
            { shape: "tlsEnabled", change: { tlsEnabled: false }, expected: `takes plain text: tlsEnabled is false; ${RULE}. Remove tlsEnabled: false (TLS is the default); this replaces the cluster.` },
        ],
    },
    {
        type: "aws:msk/cluster:Cluster",
        kind: "MSK cluster",
        plan: { kafkaVersion: "3.6.0", encryptionInfo: { encryptionInTransit: { clientBroker: "TLS", inCluster: true } } },
        preview: { kafkaVersion: "3.6.0", encryptionInfo: { encryptionAtRestKmsKeyArn: U } },
        failing: [
            {
                shape: "encryptionInfo.encryptionInTransit.clientBroker",
                change: { encryptionInfo: { encryptionInTransit: { clientBroker: "TLS_PLAINTEXT" } } },
                expected: `accepts plain text from clients: encryptionInTransit.clientBroker is TLS_PLAINTEXT; ${RULE}. Set encryptionInfo.encryptionInTransit.clientBroker: "TLS" (the default).`,
            },
            {
                shape: "encryptionInfo.encryptionInTransit.inCluster",
                change: { encryptionInfo: { encryptionInTransit: { inCluster: false } } },
                expected: `sends plain text between brokers: encryptionInTransit.inCluster is false; ${RULE}. Remove inCluster: false (true is the default); this replaces the cluster.`,
            },
        ],
    },
    { type: "aws:opensearch/domain:Domain", kind: "OpenSearch domain", plan: SEARCH_OK, preview: { ...SEARCH_OK, encryptAtRest: { enabled: true, kmsKeyId: U } }, failing: searchFailures() },
    { type: "aws:elasticsearch/domain:Domain", kind: "Elasticsearch domain", plan: SEARCH_OK, preview: { ...SEARCH_OK, vpcOptions: { subnetIds: [U] } }, failing: searchFailures() },
    {
        type: "aws:apigateway/domainName:DomainName",
        kind: "API Gateway domain name",
        plan: { domainName: "api.example.com", securityPolicy: "TLS_1_2" },
        preview: { domainName: "api.example.com", securityPolicy: "TLS_1_2", regionalCertificateArn: U },
        failing: [
            { shape: "securityPolicy", change: { securityPolicy: undefined }, expected: `accepts TLS below 1.2: securityPolicy is unset (defaults to TLS_1_0); ${RULE}. Set securityPolicy: "TLS_1_2".` },
            { shape: "securityPolicy", change: { securityPolicy: "TLS_1_0" }, expected: `accepts TLS below 1.2: securityPolicy is TLS_1_0; ${RULE}. Set securityPolicy: "TLS_1_2".` },
        ],
    },
    {
        type: "aws:cloudfront/distribution:Distribution",
        kind: "CloudFront distribution",
        plan: {
            enabled: true,
            defaultCacheBehavior: { targetOriginId: "api", viewerProtocolPolicy: "redirect-to-https" },
            orderedCacheBehaviors: [{ pathPattern: "/static/*", targetOriginId: "api", viewerProtocolPolicy: "https-only" }],
            viewerCertificate: { acmCertificateArn: "arn:aws:acm:us-east-1:1:certificate/c", sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
        },
        preview: {
            enabled: true,
            defaultCacheBehavior: { targetOriginId: "api", viewerProtocolPolicy: "https-only", cachePolicyId: U },
            viewerCertificate: { acmCertificateArn: U, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2019" },
        },
        failing: [
            {
                shape: "defaultCacheBehavior.viewerProtocolPolicy",
                change: { defaultCacheBehavior: { targetOriginId: "api", viewerProtocolPolicy: "allow-all" } },
                expected: `serves plain HTTP: defaultCacheBehavior.viewerProtocolPolicy is allow-all; ${RULE}. Set defaultCacheBehavior.viewerProtocolPolicy: "redirect-to-https" or "https-only".`,
            },
            {
                shape: "orderedCacheBehaviors.viewerProtocolPolicy",
                change: { orderedCacheBehaviors: [{ pathPattern: "/a/*", viewerProtocolPolicy: "https-only" }, { pathPattern: "/b/*", viewerProtocolPolicy: "allow-all" }] },
                expected: `serves plain HTTP: orderedCacheBehaviors[1].viewerProtocolPolicy is allow-all; ${RULE}. Set orderedCacheBehaviors[1].viewerProtocolPolicy: "redirect-to-https" or "https-only".`,
            },
            {
                shape: "viewerCertificate.minimumProtocolVersion",
                change: { viewerCertificate: { cloudfrontDefaultCertificate: true } },
                expected:
                    `accepts TLS 1.0: viewerCertificate.cloudfrontDefaultCertificate is true (the *.cloudfront.net certificate allows only minimumProtocolVersion TLSv1); ${RULE}. ` +
                    'Use an ACM certificate (acmCertificateArn, sslSupportMethod "sni-only") with minimumProtocolVersion: "TLSv1.2_2021".',
            },
            {
                shape: "viewerCertificate.minimumProtocolVersion",
                change: { viewerCertificate: { acmCertificateArn: "arn:aws:acm:us-east-1:1:certificate/c", sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.1_2016" } },
                expected: `accepts TLS below 1.2: viewerCertificate.minimumProtocolVersion is TLSv1.1_2016; ${RULE}. Use an ACM certificate (acmCertificateArn, sslSupportMethod "sni-only") with minimumProtocolVersion: "TLSv1.2_2021".`,
            },
            {
                shape: "viewerCertificate.minimumProtocolVersion",
                change: { viewerCertificate: { acmCertificateArn: "arn:aws:acm:us-east-1:1:certificate/c", sslSupportMethod: "sni-only" } },
                expected: `accepts TLS below 1.2: viewerCertificate.minimumProtocolVersion is unset (defaults to TLSv1); ${RULE}. Use an ACM certificate (acmCertificateArn, sslSupportMethod "sni-only") with minimumProtocolVersion: "TLSv1.2_2021".`,
            },
        ],
    },
];

describe("tls-in-transit", () => {
    describeShapeCases(tlsInTransit, TLS_IN_TRANSIT_SHAPES, CASES, "edge");

    describe("HTTP listeners that only redirect", () => {
        const redirect = (protocol: string) => ({ type: "redirect", redirect: { protocol, port: "443", statusCode: "HTTP_301" } });

        it("passes an HTTP listener whose only action redirects to HTTPS, in plan and in preview", async () => {
            for (const loadBalancerArn of ["arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/api/1", U]) {
                const res = await runResourcePolicy(tlsInTransit, { type: "aws:lb/listener:Listener", name: "http", props: { loadBalancerArn, port: 80, protocol: "HTTP", defaultActions: [redirect("HTTPS")] } });
                expect(res.diagnostics).to.deep.equal([]);
            }
        });

        it("reports a redirect that keeps HTTP, and a redirect next to a forward", async () => {
            const keeps = await runResourcePolicy(tlsInTransit, { type: "aws:lb/listener:Listener", name: "http", props: { port: 80, protocol: "HTTP", defaultActions: [redirect("#{protocol}")] } });
            const mixed = await runResourcePolicy(tlsInTransit, {
                type: "aws:lb/listener:Listener",
                name: "http",
                props: { port: 80, protocol: "HTTP", defaultActions: [redirect("HTTPS"), { type: "forward", targetGroupArn: "arn:tg" }] },
            });
            const expected = [["mandatory", `load balancer listener 'http' takes plain text on port 80: protocol is HTTP; ${RULE}. ${LISTENER_FIX}`]];
            expect(findings(keeps)).to.deep.equal(expected);
            expect(findings(mixed)).to.deep.equal(expected);
        });

        it("defers an HTTP listener whose actions are unknown at preview (a redirect would pass it)", async () => {
            const res = await runResourcePolicy(tlsInTransit, { type: "aws:lb/listener:Listener", name: "http", props: { port: 80, protocol: "HTTP", defaultActions: U } });
            expect(findings(res)).to.deep.equal([["advisory", canNotRun(TLS_IN_TRANSIT, "string value at .defaultActions")]]);
        });
    });

    it("decides on a known forward action next to an unknown one, and on a plain-text listener whose port is unknown", async () => {
        const actions = await runResourcePolicy(tlsInTransit, {
            type: "aws:lb/listener:Listener",
            name: "http",
            props: { port: 80, protocol: "HTTP", defaultActions: [U, { type: "forward", targetGroupArn: U }] },
        });
        expect(findings(actions)).to.deep.equal([["mandatory", `load balancer listener 'http' takes plain text on port 80: protocol is HTTP; ${RULE}. ${LISTENER_FIX}`]]);
        const port = await runResourcePolicy(tlsInTransit, { type: "aws:lb/listener:Listener", name: "db", props: { port: U, protocol: "TCP" } });
        expect(findings(port)).to.deep.equal([["mandatory", `load balancer listener 'db' takes plain text: protocol is TCP; ${RULE}. ${LISTENER_FIX}`]]);
        const classic = await runResourcePolicy(tlsInTransit, { type: "aws:elb/loadBalancer:LoadBalancer", name: "old", props: { listeners: [{ lbProtocol: "tcp", lbPort: U }] } });
        expect(findings(classic)).to.deep.equal([
            ["mandatory", `classic load balancer 'old' takes plain text: listeners[0] has lbProtocol tcp; ${RULE}. Use lbProtocol https or ssl with an sslCertificateId, or move to an Application or Network Load Balancer with TLS.`],
        ]);
    });

    it("takes a cache cluster whose replication group id is unknown at preview for a member of that group", async () => {
        const res = await runResourcePolicy(tlsInTransit, { type: "aws:elasticache/cluster:Cluster", name: "member", props: { replicationGroupId: U } });
        expect(res.diagnostics).to.deep.equal([]);
    });

    it("defers an unknown protocol, but not an unknown ssl policy on a plain-text listener", async () => {
        const protocol = await runResourcePolicy(tlsInTransit, { type: "aws:lb/listener:Listener", name: "l", props: { protocol: U, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" } });
        expect(findings(protocol)).to.deep.equal([["advisory", canNotRun(TLS_IN_TRANSIT, "string value at .protocol")]]);
        const policy = await runResourcePolicy(tlsInTransit, { type: "aws:lb/listener:Listener", name: "l", props: { protocol: "HTTPS", sslPolicy: U } });
        expect(findings(policy)).to.deep.equal([["advisory", canNotRun(TLS_IN_TRANSIT, "string value at .sslPolicy")]]);
    });

    it("reports every independent finding of a search domain while one value is unknown", async () => {
        const res = await runResourcePolicy(tlsInTransit, {
            type: "aws:opensearch/domain:Domain",
            name: "search",
            props: { domainEndpointOptions: { enforceHttps: false, tlsSecurityPolicy: U }, nodeToNodeEncryption: { enabled: false } },
        });
        expect(findings(res)).to.deep.equal([
            ["mandatory", `OpenSearch domain 'search' accepts plain HTTP: domainEndpointOptions.enforceHttps is false; ${RULE}. Set domainEndpointOptions.enforceHttps: true.`],
            ["mandatory", `OpenSearch domain 'search' sends plain text between nodes: nodeToNodeEncryption.enabled is false; ${RULE}. Set nodeToNodeEncryption: { enabled: true }.`],
            ["advisory", canNotRun(TLS_IN_TRANSIT, "string value at .domainEndpointOptions.tlsSecurityPolicy")],
        ]);
    });

    describe("config", () => {
        it("accepts an ssl policy the team listed in acceptedSslPolicies", async () => {
            const res = await runResourcePolicy(
                tlsInTransit,
                { type: "aws:lb/listener:Listener", name: "api", props: { ...HTTPS_LISTENER, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Future-2031-01" } },
                { config: { acceptedSslPolicies: ["ELBSecurityPolicy-TLS13-1-2-Future-2031-01"] } },
            );
            expect(res.diagnostics).to.deep.equal([]);
        });

        it("rejects, in one message, an accepted policy the table knows accepts TLS 1.0 and a misspelt key", async () => {
            const bad = await rejection(
                runResourcePolicy(tlsInTransit, { type: "aws:lb/listener:Listener", name: "api", props: {} }, { config: { acceptedSslPolicies: ["ELBSecurityPolicy-2016-08"], acceptedSslPolicy: [] } }),
            );
            expect(bad).to.contain(
                "invalid config for policy 'tls-in-transit': acceptedSslPolicy is not a config key of this policy (did you mean acceptedSslPolicies?); " +
                    'acceptedSslPolicies contains "ELBSecurityPolicy-2016-08", which accepts TLS 1.0; only policies whose minimum is TLS 1.2 may be listed',
            );
        });

        it("honours exemptions", async () => {
            const exempt = await runResourcePolicy(
                tlsInTransit,
                { type: "aws:lb/listener:Listener", name: "legacy-http", props: { protocol: "HTTP", port: 80 } },
                { config: { exemptions: [{ resource: "legacy-*", reason: "NET-31: health checks from the old monitor until May" }] } },
            );
            expect(exempt.diagnostics).to.deep.equal([]);
            expect(exempt.notApplicable.map((n) => n.reason)).to.deep.equal(["exempted by pack config (legacy-*): NET-31: health checks from the old monitor until May"]);
        });
    });
});
