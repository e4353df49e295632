// tls-in-transit: endpoints must not carry plain text nor accept TLS below 1.2 (security model: "TLS
// required: all internal and external traffic uses TLS 1.2+."). An HTTP listener whose every action
// redirects to HTTPS carries no data and passes.
//
// The catalogue below is every shape judged, as data: it builds the validation, the README's
// coverage table and the test that each property still exists in @pulumi/aws. Services that only
// speak TLS 1.2+ (Amazon MQ brokers, ElastiCache Serverless, API Gateway v2 domain names, AWS APIs
// behind VPC endpoints) have nothing to judge; RDS is held to TLS by its parameter group and S3 by
// s3-https-only. ELB security policies are judged from a sourced table (lib/elb-security-policies.ts);
// a name the pack does not know is reported, never passed.

import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy } from "@pulumi/policy";

import { ConfigReader, policyConfigSchema } from "../lib/config";
import { ResourceClass, Shape, validateShapes } from "../lib/coverage";
import { ELB_API_DEFAULT_SECURITY_POLICY, acceptsBelowTls12, minimumTlsOf } from "../lib/elb-security-policies";
import { show } from "../lib/messages";
import { CheckContext } from "../lib/policy";
import { Props, asArray, asNumber, asRecord, asString, isFalse, isTrue } from "../lib/resources";
import { rejectUnknownKeys } from "../lib/strict-config";
import { Presence, UnknownTracker, isUnknownSentinel, peekValue, presenceOf } from "../lib/unknowns";

export const TLS_IN_TRANSIT = "tls-in-transit";

const RULE = "traffic must be encrypted with TLS 1.2 or later";
const RECOMMENDED_ELB_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

interface TlsConfig {
    /** ELB security policies outside the pack's table that the team has checked accept TLS 1.2+ only. */
    readonly acceptedSslPolicies: readonly string[];
}

type Ctx = CheckContext<TlsConfig>;

const schema = policyConfigSchema(["exemptions"], {
    acceptedSslPolicies: {
        type: "array",
        description: "ELB security policy names the pack does not know that accept only TLS 1.2 or later (checked against AWS's table of protocols by policy).",
        items: { type: "string", minLength: 1 },
        default: [],
    },
});

function upper(v: unknown): string | undefined {
    return asString(v)?.toUpperCase();
}

// ------------------------------------------------------------------------------------------------
// Load balancer listeners (aws.lb / aws.alb)

/** Protocols that carry the application's bytes as they are. */
const PLAIN_LISTENER_PROTOCOLS = ["HTTP", "TCP", "UDP", "TCP_UDP", "TCP_QUIC"];
const TLS_LISTENER_PROTOCOLS = ["HTTPS", "TLS"];
/** QUIC is TLS 1.3 by construction; GENEVE (Gateway Load Balancer) forwards packets it never reads. */
const OTHER_SAFE_LISTENER_PROTOCOLS = ["QUIC", "GENEVE"];

function isRedirectToHttps(a: unknown): boolean {
    const action = asRecord(a) ?? {};
    return asString(action["type"]) === "redirect" && upper(asRecord(action["redirect"])?.["protocol"]) === "HTTPS";
}

/**
 * Every default action redirects to HTTPS, so the listener answers but never carries data. A known
 * action that does anything else decides it, whatever the unknown ones turn out to be.
 */
function redirectsToHttps(actions: unknown): boolean {
    const list = asArray(actions);
    const unknowns = new UnknownTracker();
    for (let i = 0; i < list.length; i++) {
        let redirects = true;
        // Reading an element of a preview's props may itself meet the unknown.
        unknowns.check(() => {
            redirects = isRedirectToHttps(list[i]);
        });
        if (!redirects) {
            return false;
        }
    }
    unknowns.rethrow();
    return list.length > 0;
}

/** A port for a message: never read through the proxy, since an unknown port changes no verdict. */
function portSuffix(obj: unknown, key: string): string {
    const raw = peekValue(obj, key);
    const port = isUnknownSentinel(raw) ? undefined : asNumber(raw);
    return port === undefined ? "" : ` on port ${port}`;
}

function checkSslPolicy(props: Props, ctx: Ctx): void {
    const value = props["sslPolicy"];
    const unset = value === undefined || value === null;
    const name = unset ? ELB_API_DEFAULT_SECURITY_POLICY : asString(value);
    if (name !== undefined && ctx.cfg.acceptedSslPolicies.includes(name)) {
        return;
    }
    const min = name === undefined ? undefined : minimumTlsOf(name);
    const fix = `Set sslPolicy: "${RECOMMENDED_ELB_POLICY}" (or another policy whose minimum is TLS 1.2)`;
    if (min === undefined) {
        ctx.report({
            finding: `may accept TLS below 1.2: sslPolicy is ${show(value)}, a security policy the pack does not know`,
            rule: RULE,
            fix: `${fix}; if AWS's table of protocols by policy shows it accepts only TLS 1.2 or later, add it to acceptedSslPolicies`,
        });
    } else if (acceptsBelowTls12(min)) {
        const shown = unset ? `unset (AWS then uses ${name})` : show(value);
        ctx.report({ finding: `accepts ${min}: sslPolicy is ${shown}`, rule: RULE, fix });
    }
}

function checkListener(props: Props, ctx: Ctx): void {
    const value = props["protocol"];
    const protocol = upper(value);
    if (protocol !== undefined && TLS_LISTENER_PROTOCOLS.includes(protocol)) {
        checkSslPolicy(props, ctx);
        return;
    }
    if (protocol !== undefined && OTHER_SAFE_LISTENER_PROTOCOLS.includes(protocol)) {
        return;
    }
    if ((protocol === undefined || protocol === "HTTP") && redirectsToHttps(props["defaultActions"])) {
        return;
    }
    const on = portSuffix(props, "port");
    if (protocol === undefined && (value === undefined || value === null)) {
        ctx.report({
            finding: `takes plain text${on}: protocol is unset (HTTP on an Application Load Balancer, TCP on a Network Load Balancer)`,
            rule: RULE,
            fix: "Set protocol HTTPS (ALB) or TLS (NLB) with a certificate, or make the listener's only action a redirect to HTTPS",
        });
        return;
    }
    const known = protocol !== undefined && PLAIN_LISTENER_PROTOCOLS.includes(protocol);
    ctx.report({
        finding: known ? `takes plain text${on}: protocol is ${show(value)}` : `has protocol ${show(value)}${on}, which the pack does not know to be encrypted`,
        rule: RULE,
        fix: "Use protocol HTTPS (ALB) or TLS (NLB) with a certificate, or make an HTTP listener's only action a redirect to HTTPS",
    });
}

/** Classic load balancers: plain-text front ends. Their TLS versions live in aws.elb.LoadBalancerPolicy (see README). */
function checkClassicListeners(props: Props, ctx: Ctx): void {
    const listeners = props["listeners"];
    if (!Array.isArray(listeners)) {
        return;
    }
    for (let i = 0; i < listeners.length; i++) {
        ctx.unknowns.check(() => {
            const listener = asRecord(listeners[i]) ?? {};
            const protocol = asString(listener["lbProtocol"])?.toLowerCase();
            if (protocol === "http" || protocol === "tcp") {
                ctx.report({
                    finding: `takes plain text: listeners[${i}] has lbProtocol ${protocol}${portSuffix(listener, "lbPort")}`,
                    rule: RULE,
                    fix: "Use lbProtocol https or ssl with an sslCertificateId, or move to an Application or Network Load Balancer with TLS",
                });
            }
        });
    }
}

// ------------------------------------------------------------------------------------------------
// Caches, brokers, search domains, API domain names

function checkReplicationGroupTransit(props: Props, ctx: Ctx): void {
    const enabled = props["transitEncryptionEnabled"];
    if (!isTrue(enabled)) {
        ctx.report({
            finding: `takes plain text: transitEncryptionEnabled is ${enabled === undefined || enabled === null ? "unset (defaults to false)" : show(enabled)}`,
            rule: RULE,
            fix: 'Set transitEncryptionEnabled: true and transitEncryptionMode: "required"',
        });
        return;
    }
    const mode = props["transitEncryptionMode"];
    if (asString(mode) === "preferred") {
        ctx.report({ finding: "accepts plain text: transitEncryptionMode is preferred", rule: RULE, fix: 'Set transitEncryptionMode: "required" once clients connect with TLS' });
    }
}

function checkCacheCluster(props: Props, ctx: Ctx): void {
    // A member of a replication group takes the group's settings; the group is judged on its own.
    if (presenceOf(props, "replicationGroupId") !== Presence.Absent) {
        return;
    }
    const engine = asString(props["engine"]);
    if (engine === "memcached") {
        const enabled = props["transitEncryptionEnabled"];
        if (!isTrue(enabled)) {
            ctx.report({
                finding: `takes plain text: transitEncryptionEnabled is ${enabled === undefined || enabled === null ? "unset (defaults to false)" : show(enabled)}`,
                rule: RULE,
                fix: "Set transitEncryptionEnabled: true (Memcached 1.6.12 or later); this replaces the cluster",
            });
        }
        return;
    }
    ctx.report({
        finding: `takes plain text: a single ${engine === undefined ? "cache" : `${engine} cache`} cluster cannot use TLS`,
        rule: RULE,
        fix: "Create an aws.elasticache.ReplicationGroup with transitEncryptionEnabled: true instead",
    });
}

function checkDax(props: Props, ctx: Ctx): void {
    const value = props["clusterEndpointEncryptionType"];
    if (asString(value) !== "TLS") {
        ctx.report({
            finding: `takes plain text: clusterEndpointEncryptionType is ${value === undefined || value === null ? "unset (defaults to NONE)" : show(value)}`,
            rule: RULE,
            fix: 'Set clusterEndpointEncryptionType: "TLS"; this replaces the cluster',
        });
    }
}

function checkMemoryDb(props: Props, ctx: Ctx): void {
    if (isFalse(props["tlsEnabled"])) {
        ctx.report({ finding: "takes plain text: tlsEnabled is false", rule: RULE, fix: "Remove tlsEnabled: false (TLS is the default); this replaces the cluster" });
    }
}

function mskInTransit(props: Props): Props {
    return asRecord(asRecord(props["encryptionInfo"])?.["encryptionInTransit"]) ?? {};
}

function checkMskClientBroker(props: Props, ctx: Ctx): void {
    const value = mskInTransit(props)["clientBroker"];
    const mode = asString(value);
    if (mode === "PLAINTEXT" || mode === "TLS_PLAINTEXT") {
        ctx.report({ finding: `accepts plain text from clients: encryptionInTransit.clientBroker is ${mode}`, rule: RULE, fix: 'Set encryptionInfo.encryptionInTransit.clientBroker: "TLS" (the default)' });
    }
}

function checkMskInCluster(props: Props, ctx: Ctx): void {
    if (isFalse(mskInTransit(props)["inCluster"])) {
        ctx.report({ finding: "sends plain text between brokers: encryptionInTransit.inCluster is false", rule: RULE, fix: "Remove inCluster: false (true is the default); this replaces the cluster" });
    }
}

function endpointOptions(props: Props): Props {
    return asRecord(props["domainEndpointOptions"]) ?? {};
}

function checkEnforceHttps(props: Props, ctx: Ctx): void {
    if (isFalse(endpointOptions(props)["enforceHttps"])) {
        ctx.report({ finding: "accepts plain HTTP: domainEndpointOptions.enforceHttps is false", rule: RULE, fix: "Set domainEndpointOptions.enforceHttps: true" });
    }
}

/** Search domain TLS policies whose minimum is TLS 1.2 (AWS OpenSearch API reference, DomainEndpointOptions). */
const SEARCH_TLS12_POLICIES = ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"];

function checkSearchTlsPolicy(props: Props, ctx: Ctx): void {
    const value = endpointOptions(props)["tlsSecurityPolicy"];
    const name = asString(value);
    if (name !== undefined && SEARCH_TLS12_POLICIES.includes(name)) {
        return;
    }
    const why = name === "Policy-Min-TLS-1-0-2019-07" ? "which accepts TLS 1.0" : name === undefined ? "so AWS picks one, which may accept TLS 1.0" : "a policy the pack does not know";
    ctx.report({
        finding: `has domainEndpointOptions.tlsSecurityPolicy ${value === undefined || value === null ? "unset" : show(value)}, ${why}`,
        rule: RULE,
        fix: 'Set domainEndpointOptions.tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10"',
    });
}

function checkNodeToNode(props: Props, ctx: Ctx): void {
    const value = asRecord(props["nodeToNodeEncryption"])?.["enabled"];
    if (!isTrue(value)) {
        ctx.report({
            finding: `sends plain text between nodes: nodeToNodeEncryption.enabled is ${value === undefined || value === null ? "unset (defaults to false)" : show(value)}`,
            rule: RULE,
            fix: "Set nodeToNodeEncryption: { enabled: true }",
        });
    }
}

function checkApiDomainName(props: Props, ctx: Ctx): void {
    const value = props["securityPolicy"];
    const name = asString(value);
    if (name === "TLS_1_2") {
        return;
    }
    const why = name === undefined ? "unset (defaults to TLS_1_0)" : name === "TLS_1_0" ? "TLS_1_0" : `${show(value)}, a policy the pack does not know`;
    ctx.report({ finding: `accepts TLS below 1.2: securityPolicy is ${why}`, rule: RULE, fix: 'Set securityPolicy: "TLS_1_2"' });
}

// ------------------------------------------------------------------------------------------------
// CloudFront (viewer side; the origin side is listed as not judged in the README)

function checkViewerProtocol(behavior: unknown, where: string, ctx: Ctx): void {
    const value = asRecord(behavior)?.["viewerProtocolPolicy"];
    if (asString(value) === "allow-all") {
        ctx.report({ finding: `serves plain HTTP: ${where}.viewerProtocolPolicy is allow-all`, rule: RULE, fix: `Set ${where}.viewerProtocolPolicy: "redirect-to-https" or "https-only"` });
    }
}

function checkDefaultBehavior(props: Props, ctx: Ctx): void {
    checkViewerProtocol(props["defaultCacheBehavior"], "defaultCacheBehavior", ctx);
}

function checkOrderedBehaviors(props: Props, ctx: Ctx): void {
    const behaviors = props["orderedCacheBehaviors"];
    if (!Array.isArray(behaviors)) {
        return;
    }
    for (let i = 0; i < behaviors.length; i++) {
        ctx.unknowns.check(() => checkViewerProtocol(behaviors[i], `orderedCacheBehaviors[${i}]`, ctx));
    }
}

/** CloudFront security policies whose minimum is TLS 1.2 start with these (AWS: supported protocols and ciphers between viewers and CloudFront). */
const CLOUDFRONT_TLS12_PREFIXES = ["TLSv1.2_", "TLSv1.3_"];
const CLOUDFRONT_BELOW_TLS12 = ["SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016"];
const CLOUDFRONT_MIN_FIX = 'Use an ACM certificate (acmCertificateArn, sslSupportMethod "sni-only") with minimumProtocolVersion: "TLSv1.2_2021"';

function checkViewerCertificate(props: Props, ctx: Ctx): void {
    const certificate = asRecord(props["viewerCertificate"]) ?? {};
    if (isTrue(certificate["cloudfrontDefaultCertificate"])) {
        ctx.report({ finding: "accepts TLS 1.0: viewerCertificate.cloudfrontDefaultCertificate is true (the *.cloudfront.net certificate allows only minimumProtocolVersion TLSv1)", rule: RULE, fix: CLOUDFRONT_MIN_FIX });
        return;
    }
    const value = certificate["minimumProtocolVersion"];
    const name = asString(value);
    if (name !== undefined && CLOUDFRONT_TLS12_PREFIXES.some((p) => name.startsWith(p))) {
        return;
    }
    ctx.report({ finding: `accepts TLS below 1.2: viewerCertificate.minimumProtocolVersion is ${describeMinimum(value)}`, rule: RULE, fix: CLOUDFRONT_MIN_FIX });
}

function describeMinimum(value: unknown): string {
    if (value === undefined || value === null) {
        return "unset (defaults to TLSv1)";
    }
    const name = asString(value);
    return name !== undefined && CLOUDFRONT_BELOW_TLS12.includes(name) ? name : `${show(value)}, a security policy the pack does not know`;
}

// ------------------------------------------------------------------------------------------------

const LISTENER_UNSAFE = "protocol unset, `HTTP` (unless every default action redirects to HTTPS), `TCP`, `UDP`, `TCP_UDP`, `TCP_QUIC` or unknown; `HTTPS`/`TLS` with an `sslPolicy` accepting TLS below 1.2 or unknown to the pack";
const LISTENER_UNSET = "HTTP (ALB) or TCP (NLB), fails; `sslPolicy` unset means `ELBSecurityPolicy-2016-08` (TLS 1.0), fails";

function searchDomainShapes(resource: ResourceClass): Shape<TlsConfig>[] {
    return [
        { resource, property: "domainEndpointOptions", nested: ["enforceHttps"], unsafe: "false", whenUnset: "true (provider default), passes", check: checkEnforceHttps },
        {
            resource,
            property: "domainEndpointOptions",
            nested: ["tlsSecurityPolicy"],
            unsafe: "anything but `Policy-Min-TLS-1-2-2019-07` or `Policy-Min-TLS-1-2-PFS-2023-10`",
            whenUnset: "AWS picks the policy (it may accept TLS 1.0), fails",
            check: checkSearchTlsPolicy,
        },
        { resource, property: "nodeToNodeEncryption", nested: ["enabled"], unsafe: "block missing or `enabled` false", whenUnset: "false, fails", check: checkNodeToNode },
    ];
}

export const TLS_IN_TRANSIT_SHAPES: readonly Shape<TlsConfig>[] = [
    { resource: aws.lb.Listener, property: "protocol", unsafe: LISTENER_UNSAFE, whenUnset: LISTENER_UNSET, check: checkListener },
    { resource: aws.alb.Listener, property: "protocol", unsafe: LISTENER_UNSAFE, whenUnset: LISTENER_UNSET, check: checkListener },
    {
        resource: aws.elb.LoadBalancer,
        property: "listeners",
        nested: ["lbProtocol"],
        unsafe: "`http` or `tcp` (TLS versions of `https`/`ssl` listeners are set by `aws.elb.LoadBalancerPolicy`: not judged)",
        whenUnset: "required",
        check: checkClassicListeners,
    },
    {
        resource: aws.elasticache.ReplicationGroup,
        property: "transitEncryptionEnabled",
        unsafe: "unset or false; `transitEncryptionMode` `preferred`",
        whenUnset: "false, fails",
        check: checkReplicationGroupTransit,
    },
    {
        resource: aws.elasticache.Cluster,
        property: "transitEncryptionEnabled",
        unsafe: "Memcached: unset or false; Redis/Valkey outside a replication group: always (it cannot use TLS)",
        whenUnset: "false, fails; members of a replication group are judged on the group",
        check: checkCacheCluster,
    },
    { resource: aws.dax.Cluster, property: "clusterEndpointEncryptionType", unsafe: "anything but `TLS`", whenUnset: "`NONE`, fails", check: checkDax },
    { resource: aws.memorydb.Cluster, property: "tlsEnabled", unsafe: "false", whenUnset: "true, passes", check: checkMemoryDb },
    {
        resource: aws.msk.Cluster,
        property: "encryptionInfo",
        nested: ["encryptionInTransit", "clientBroker"],
        unsafe: "`PLAINTEXT` or `TLS_PLAINTEXT`",
        whenUnset: "`TLS`, passes",
        check: checkMskClientBroker,
    },
    { resource: aws.msk.Cluster, property: "encryptionInfo", nested: ["encryptionInTransit", "inCluster"], unsafe: "false", whenUnset: "true, passes", check: checkMskInCluster },
    ...searchDomainShapes(aws.opensearch.Domain),
    ...searchDomainShapes(aws.elasticsearch.Domain),
    { resource: aws.apigateway.DomainName, property: "securityPolicy", unsafe: "anything but `TLS_1_2`", whenUnset: "`TLS_1_0`, fails", check: checkApiDomainName },
    {
        resource: aws.cloudfront.Distribution,
        property: "defaultCacheBehavior",
        nested: ["viewerProtocolPolicy"],
        unsafe: "`allow-all`",
        whenUnset: "required",
        check: checkDefaultBehavior,
    },
    {
        resource: aws.cloudfront.Distribution,
        property: "orderedCacheBehaviors",
        nested: ["viewerProtocolPolicy"],
        unsafe: "`allow-all` on any behavior",
        whenUnset: "required",
        check: checkOrderedBehaviors,
    },
    {
        resource: aws.cloudfront.Distribution,
        property: "viewerCertificate",
        nested: ["minimumProtocolVersion"],
        unsafe: "`cloudfrontDefaultCertificate` true (forces `TLSv1`); a version not starting `TLSv1.2_` or `TLSv1.3_`",
        whenUnset: "`TLSv1`, fails",
        check: checkViewerCertificate,
    },
];

function readConfig(r: ConfigReader): TlsConfig {
    rejectUnknownKeys(r, schema);
    const accepted = r.stringArray("acceptedSslPolicies", []);
    for (const name of accepted) {
        const min = minimumTlsOf(name);
        if (min !== undefined && acceptsBelowTls12(min)) {
            r.problems.push(`acceptedSslPolicies contains ${JSON.stringify(name)}, which accepts ${min}; only policies whose minimum is TLS 1.2 may be listed`);
        }
    }
    return { acceptedSslPolicies: accepted };
}

export const tlsInTransit: ResourceValidationPolicy = {
    name: TLS_IN_TRANSIT,
    description: "Forbids plain-text endpoints and TLS below 1.2: load balancer listeners, caches, DAX, MemoryDB, MSK, OpenSearch/Elasticsearch, API Gateway domain names, CloudFront distributions.",
    enforcementLevel: "mandatory",
    configSchema: schema,
    validateResource: validateShapes(TLS_IN_TRANSIT, TLS_IN_TRANSIT_SHAPES, readConfig),
};
