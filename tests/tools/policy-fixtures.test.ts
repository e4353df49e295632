// Every fixture program under tests/fixtures/violations is the compliant baseline plus one change.
// Each is recorded offline and sent through the real policy pack served by its analyzer plugin, and
// must produce exactly the violation it was written for: one policy, at its level, on the changed
// resource, naming the offending value.
import { expect } from "chai";
import * as path from "path";
import { Diagnostic } from "../../tools/analyze/server";
import { analyzeRecorded } from "../../tools/analyze";
import { recordStacks, RecordedStack, RunMode } from "../../tools/record";
import { FIXTURES, realPack } from "./helpers";

const VIOLATIONS = path.join(FIXTURES, "violations");
const STACK = "dev";

interface Case {
    /** Fixture directory under tests/fixtures/violations. */
    dir: string;
    policy: string;
    level: "mandatory" | "advisory";
    /** Names of the resources the violation is reported on (one per workload for stack policies). */
    resources: string[];
    /** The offending value the message must name. */
    mentions: string;
    /** Findings of other policies the same change necessarily trips: [policy, level, resource]. */
    also?: [string, "mandatory" | "advisory", string][];
}

const CASES: Case[] = [
    { dir: "no-nat-gateways/nat-gateway", policy: "no-nat-gateways", level: "mandatory", resources: ["nat"], mentions: "is a NAT gateway (connectivityType private)" },
    { dir: "no-nat-gateways/route-table-to-nat", policy: "no-nat-gateways", level: "mandatory", resources: ["spare"], mentions: "routes 192.168.0.0/16 to NAT gateway nat-0a1b2c3d4e5f60718" },
    { dir: "no-nat-gateways/awsx-vpc-default-nat", policy: "no-nat-gateways", level: "mandatory", resources: ["shared"], mentions: "natGateways.strategy is unset (awsx default OnePerAz)" },
    { dir: "no-nat-gateways/awsx-vpc-single-nat", policy: "no-nat-gateways", level: "mandatory", resources: ["shared"], mentions: "natGateways.strategy is Single" },
    { dir: "rds-not-publicly-accessible/instance-public", policy: "rds-not-publicly-accessible", level: "mandatory", resources: ["db"], mentions: "publiclyAccessible: true" },
    { dir: "rds-not-publicly-accessible/cluster-instance-public", policy: "rds-not-publicly-accessible", level: "mandatory", resources: ["aurora-1"], mentions: "publiclyAccessible: true" },
    { dir: "rds-storage-encrypted/instance-unencrypted", policy: "rds-storage-encrypted", level: "mandatory", resources: ["db"], mentions: "storageEncrypted false" },
    { dir: "security-group-egress-allowlist/inline-any-ipv4", policy: "security-group-egress-allowlist", level: "mandatory", resources: ["jobs"], mentions: "0.0.0.0/0" },
    { dir: "security-group-egress-allowlist/rule-any-ipv6", policy: "security-group-egress-allowlist", level: "mandatory", resources: ["jobs-to-any-v6"], mentions: "::/0" },
    { dir: "security-group-egress-allowlist/egress-rule-split-half", policy: "security-group-egress-allowlist", level: "mandatory", resources: ["jobs-to-half"], mentions: "0.0.0.0/1" },
    { dir: "security-group-egress-allowlist/egress-rule-public-host", policy: "security-group-egress-allowlist", level: "mandatory", resources: ["jobs-to-resolver"], mentions: "8.8.8.8/32" },
    { dir: "secret-path-naming/off-convention", policy: "secret-path-naming", level: "mandatory", resources: ["worker-token"], mentions: "worker_token" },
    { dir: "secret-path-naming/name-prefix", policy: "secret-path-naming", level: "mandatory", resources: ["worker-token"], mentions: "namePrefix" },
    { dir: "secret-path-naming/auto-named", policy: "secret-path-naming", level: "mandatory", resources: ["worker-token"], mentions: "has no name" },
    { dir: "secret-path-naming/other-environment", policy: "secret-path-naming", level: "mandatory", resources: ["worker-token"], mentions: "/prod/trace/workers/worker_token" },
    { dir: "vpc-endpoint-private-dns/sts-private-dns-off", policy: "vpc-endpoint-private-dns", level: "mandatory", resources: ["sts"], mentions: "com.amazonaws.eu-west-1.sts with privateDnsEnabled false" },
    { dir: "required-vpc-endpoints/missing-sts", policy: "required-vpc-endpoints", level: "mandatory", resources: ["vpc"], mentions: "has no VPC endpoint for sts" },
    { dir: "lambda-vpc-attached/function-outside-vpc", policy: "lambda-vpc-attached", level: "mandatory", resources: ["report"], mentions: "has no vpcConfig" },
    { dir: "ecs-task-hardening/writable-root-filesystem", policy: "ecs-task-hardening", level: "mandatory", resources: ["job"], mentions: "readonlyRootFilesystem" },
    { dir: "ecs-task-hardening/privileged-container", policy: "ecs-task-hardening", level: "mandatory", resources: ["job"], mentions: "privileged" },
    { dir: "ecs-task-hardening/host-networking", policy: "ecs-task-hardening", level: "mandatory", resources: ["job"], mentions: 'networkMode: "host"' },
    { dir: "public-ip-only-for-egress-gateways/ecs-assign-public-ip", policy: "public-ip-only-for-egress-gateways", level: "mandatory", resources: ["job"], mentions: "assignPublicIp: true" },
    { dir: "public-ip-only-for-egress-gateways/subnet-map-public-ip", policy: "public-ip-only-for-egress-gateways", level: "mandatory", resources: ["app-a"], mentions: "mapPublicIpOnLaunch: true" },
    { dir: "public-ip-only-for-egress-gateways/instance-public-ip", policy: "public-ip-only-for-egress-gateways", level: "mandatory", resources: ["bastion"], mentions: "associatePublicIpAddress: true" },
    { dir: "untrusted-compute-no-secrets/task-role-reads-secrets", policy: "untrusted-compute-no-secrets", level: "mandatory", resources: ["job-task-secrets"], mentions: "secretsmanager:GetSecretValue" },
    { dir: "untrusted-compute-no-secrets/udf-secret-environment", policy: "untrusted-compute-no-secrets", level: "mandatory", resources: ["udf"], mentions: "passes Secrets Manager ARN arn:aws:secretsmanager:eu-west-1:123456789012:secret:/dev/trace/workers/worker_token-AbCdEf in environment variable WORKER_TOKEN_ARN" },
    { dir: "no-internet-path-from-workloads/app-route-to-transit-gateway", policy: "no-internet-path-from-workloads", level: "mandatory", resources: ["job", "udf"], mentions: "tgw-0a1b2c3d4e5f60718" },
    {
        dir: "vpc-flow-logs-enabled/no-flow-logs", policy: "vpc-flow-logs-enabled", level: "advisory", resources: ["vpc"], mentions: "has no flow log",
        // The flow log is also the first link of the rejected-egress alarm chain.
        also: [["egress-attempts-alarmed", "advisory", "vpc"]],
    },
];

const COMPLIANT = "compliant/baseline";
// Two recording processes, each recording half of the fixtures one after another (recordStacks).
const RECORDING_PROCESSES = 2;

describe("policy pack through the offline preview: one fixture program per way to break each policy", function () {
    // One shared pack process and two recording processes for all 30 recordings.
    this.timeout(600_000);
    const results = new Map<string, Diagnostic[]>();
    const recordings = new Map<string, RecordedStack>();

    before(async () => {
        const jobs = [...CASES.map((c) => ({ dir: c.dir, mode: "preview" as RunMode })), { dir: COMPLIANT, mode: "preview" as RunMode }, { dir: COMPLIANT, mode: "plan" as RunMode }];
        const [servers, recorded] = await Promise.all([
            realPack(STACK, path.join(VIOLATIONS, COMPLIANT)),
            recordStacks(jobs.map((job) => ({ programDir: path.join(VIOLATIONS, job.dir), stack: STACK, mode: job.mode })), RECORDING_PROCESSES),
        ]);
        for (const [i, job] of jobs.entries()) {
            const key = `${job.mode}:${job.dir}`;
            recordings.set(key, recorded[i]);
            results.set(key, await analyzeRecorded(recorded[i].resources, servers));
        }
    });

    const shown = (ds: Diagnostic[]): string[] => ds.map((d) => `${d.enforcementLevel} ${d.policy} on ${d.urn.split("::").pop()}: ${d.message}`);

    for (const mode of ["preview", "plan"] as const) {
        it(`passes the compliant baseline with no violation at all (${mode})`, () => {
            expect(recordings.get(`${mode}:${COMPLIANT}`)?.resources).to.have.length(56);
            expect(shown(results.get(`${mode}:${COMPLIANT}`) ?? [])).to.deep.equal([]);
        });
    }

    for (const c of CASES) {
        it(`${c.dir}: only ${c.level} ${c.policy} violations, on ${c.resources.join(", ")}, naming ${c.mentions}`, () => {
            const ds = results.get(`preview:${c.dir}`) ?? [];
            const key = (f: string[]) => f.join(" ");
            const found = ds.map((d) => [d.policy, d.enforcementLevel, d.urn.split("::").pop() ?? ""]).sort((a, b) => key(a).localeCompare(key(b)));
            const expected = [...c.resources.map((r) => [c.policy, c.level, r]), ...(c.also ?? [])].sort((a, b) => key(a).localeCompare(key(b)));
            expect(found, shown(ds).join("\n")).to.deep.equal(expected);
            for (const d of ds.filter((x) => x.policy === c.policy)) {
                expect(d.message).to.include(c.mentions);
            }
        });
    }
});
