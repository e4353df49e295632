import { expect } from "chai";
import {
    allOf,
    atLeast,
    cidrBlock,
    cloudWatchRetention,
    endpointServices,
    httpsUrl,
    imageReference,
    orgSlug,
    platformSecret,
    postgresVersion,
    privateVpcBlock,
    splitDataLocation,
    splitTag,
    tag,
} from "../../config/formats";

const DIGEST = `sha256:${"0".repeat(64)}`;

describe("config formats", () => {
    it("privateVpcBlock names the network address meant before it judges the block", () => {
        const vpc = privateVpcBlock([16, 28]);
        expect(vpc("10.20.0.0/16")).to.deep.equal([]);
        expect(vpc("8.8.0.1/16")).to.deep.equal(["has host bits set; did you mean 8.8.0.0/16?"]);
        expect(vpc("172.32.0.0/16")).to.deep.equal(["must be an RFC 1918 IPv4 block (10/8, 172.16/12, 192.168/16) with a prefix length from 16 to 28"]);
        expect(vpc("192.168.0.0/29")).to.have.length(1);
    });

    it("cidrBlock accepts IPv4 and IPv6 network addresses and names a syntax error without a hint", () => {
        expect(cidrBlock("::/0")).to.deep.equal([]);
        expect(cidrBlock("1.1.1.1/32")).to.deep.equal([]);
        expect(cidrBlock("1.1.1.1")).to.deep.equal(["not a CIDR block (expected a.b.c.d/n or an IPv6 prefix)"]);
    });

    it("imageReference takes a tag or a digest, not a short digest", () => {
        expect(imageReference("ghcr.io/trace/rpc-egress:1.2")).to.deep.equal([]);
        expect(imageReference(`localhost:5000/trace/job@${DIGEST}`)).to.deep.equal([]);
        expect(imageReference("trace/job@sha256:0")).to.deep.equal(["is not an image reference (registry/repository[:tag][@sha256:<64 hex>])"]);
    });

    it("postgresVersion reads the major version", () => {
        const version = postgresVersion(14);
        expect([version("14"), version("16.4")]).to.deep.equal([[], []]);
        expect(version("13.9")).to.deep.equal(["must be a PostgreSQL version 14 or later, as major or major.minor"]);
        expect(version("16.4.1")).to.have.length(1);
    });

    it("platformSecret names both bad segments of one entry", () => {
        expect(platformSecret("workers/worker_token")).to.deep.equal([]);
        expect(platformSecret("Workers/-token")).to.deep.equal([
            'component "Workers" must be lower-case letters, digits, _ and -, starting with a letter or a digit',
            'secret name "-token" must be lower-case letters, digits, _ and -, starting with a letter or a digit',
        ]);
        expect(platformSecret("a/b/c")).to.deep.equal(["must be component/secret_name"]);
    });

    it("orgSlug keeps the platform's own namespace for the platform", () => {
        expect(orgSlug("acme")).to.deep.equal([]);
        expect(orgSlug("trace")).to.deep.equal(["'trace' is the platform's own secret namespace (/{env}/trace/...); pick the organisation's slug"]);
    });

    it("splitDataLocation drops trailing slashes from the prefix", () => {
        expect(splitDataLocation("trace-dev-datasets/jobs/in//")).to.deep.equal({ bucket: "trace-dev-datasets", prefix: "jobs/in" });
        expect(splitDataLocation("trace-dev-datasets")).to.deep.equal({ bucket: "trace-dev-datasets", prefix: "" });
    });

    it("tag refuses a key given by an earlier well-formed item, not one an earlier malformed item tried", () => {
        const format = tag(["aws:", "trace:"]);
        expect(format("team=platform", ["owner=me"])).to.deep.equal([]);
        expect(format("team=data", ["team=platform"])).to.deep.equal(['tag key "team" is given more than once']);
        expect(format("team=" + "x".repeat(256), ["team"])).to.deep.equal([]);
        expect(format("AWS:team=x", [])).to.deep.equal(['tag key "AWS:team" is reserved (aws:, trace: prefixes are set by AWS and by this program)']);
        expect(format("=x", [])).to.deep.equal(["must be key=value with a key of 1 to 128 and a value of at most 256 characters"]);
        expect(splitTag("a=b=c")).to.deep.equal({ key: "a", value: "b=c" });
    });

    it("endpointServices names unknown and missing services in one run", () => {
        const services = endpointServices(new Set(["sqs", "sts", "ssm"]), ["sqs", "sts"]);
        expect(services(["sqs", "sts"])).to.deep.equal([]);
        expect(services(["sqs", "s3"])).to.deep.equal(['unknown endpoint service(s) "s3"; known: sqs, sts, ssm', "must include the required endpoint(s) sts"]);
    });

    it("allOf keeps every message of every format, in order", () => {
        const auditRetention = allOf(cloudWatchRetention, atLeast(365, "audit logs"));
        expect(auditRetention(400)).to.deep.equal([]);
        expect(auditRetention(10)).to.deep.equal([
            "is not a CloudWatch retention value; use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
            "must be at least 365 (audit logs)",
        ]);
    });

    it("httpsUrl wants TLS and a host", () => {
        expect(httpsUrl("https://alerts.trace.example/sns")).to.deep.equal([]);
        expect([httpsUrl("http://alerts.trace.example"), httpsUrl("https:"), httpsUrl("alerts.trace.example")].map((m) => m.length)).to.deep.equal([1, 1, 1]);
    });
});
