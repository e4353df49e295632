// Every message and fix of every policy is built from the config in force: run with another team's
// config (config/team-example.json: other tag keys, allowlist, gateway kinds, secret path shape),
// a violating stack in that team's terms gets findings that never mention Trace's defaults.

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { EnforcementLevel, Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

import { allPolicies } from "../../policy-pack/policies";
import { TYPES as T } from "../../policy-pack/lib/reachability/types";
import { HarnessResource, PolicyResult, isResourcePolicy, isStackPolicy, runResourcePolicy, runStackPolicy } from "../helpers/policy-harness";
import { build, ref, Spec } from "./lib/reachability/stack-builder";

const TEAM = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../policy-pack/config/team-example.json"), "utf8")) as Record<string, unknown>;
const STACK = "ledger-prod";

/**
 * Trace's own terms: default tag keys, gateway kinds, allowlist ranges, secret path shapes, component
 * names, and the platform's name and design records (another team has neither a "Trace" nor its ADRs).
 */
const TRACE_ONLY = [/trace:/, /\/trace\//, /webhook/, /\brpc\b/, /172\.16\.0\.0\/12/, /192\.168\.0\.0\/16/, /org_slug/, /\budf\b/, /\bTrace\b/, /\bADR \d/];

const EGRESS = { "ledger:egress": "smtp" };
const UNTRUSTED = { "ledger:trust": "untrusted" };

/** Per policy: a stack in the team's terms that breaks it (each finding kind the policy words from config). */
const VIOLATIONS: Record<string, Spec[]> = {
    "no-nat-gateways": [{ type: T.natGateway, name: "nat-a", props: { subnetId: "subnet-0a1b2c3d", allocationId: "eipalloc-1" } }],
    "rds-not-publicly-accessible": [{ type: T.rdsInstance, name: "pg", props: { publiclyAccessible: true, storageEncrypted: true } }],
    "security-group-egress-allowlist": [
        { type: "aws:ec2/securityGroup:SecurityGroup", name: "jobs", props: { egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] } },
        { type: "aws:ec2/securityGroup:SecurityGroup", name: "smtp-gw", props: { tags: EGRESS, egress: [{ protocol: "tcp", fromPort: 25, toPort: 25, cidrBlocks: ["0.0.0.0/0"] }] } },
        { type: "aws:ec2/securityGroup:SecurityGroup", name: "odd", props: { egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["not-a-cidr"] }] } },
    ],
    "secret-path-naming": [
        { type: "aws:secretsmanager/secret:Secret", name: "unnamed", props: {} },
        { type: "aws:secretsmanager/secret:Secret", name: "flat", props: { name: "bank-password" } },
        { type: "aws:secretsmanager/secret:Secret", name: "staging", props: { name: "/staging/ledger/settlement/bank_key" } },
        { type: "aws:secretsmanager/secret:Secret", name: "prefixed", props: { namePrefix: "/prod/ledger/x/" } },
    ],
    "vpc-endpoint-private-dns": [
        { type: T.vpcEndpoint, name: "sqs", props: { vpcEndpointType: "Interface", serviceName: "com.amazonaws.eu-west-1.sqs", privateDnsEnabled: false } },
    ],
    "required-vpc-endpoints": [
        { type: T.vpc, name: "main", props: { cidrBlock: "10.0.0.0/16" } },
        { type: T.subnet, name: "app-a", props: { vpcId: ref("main"), cidrBlock: "10.0.1.0/24", tags: { "ledger:tier": "app" } } },
    ],
    "lambda-vpc-attached": [
        { type: T.lambdaFunction, name: "batch", props: { role: "arn:aws:iam::1:role/r" } },
        { type: T.lambdaFunction, name: "nosg", props: { role: "arn:aws:iam::1:role/r", vpcConfig: { subnetIds: ["subnet-0a1b2c3d"], securityGroupIds: [] } } },
    ],
    "ecs-task-hardening": [
        {
            type: "aws:ecs/taskDefinition:TaskDefinition",
            name: "settle",
            props: { family: "settle", networkMode: "host", containerDefinitions: JSON.stringify([{ name: "app", image: "x", privileged: true }]) },
        },
    ],
    "public-ip-only-for-egress-gateways": [
        { type: T.subnet, name: "public-a", props: { vpcId: "vpc-1", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: true } },
        { type: T.ecsService, name: "api", props: { networkConfiguration: { subnets: ["subnet-0a1b2c3d"], assignPublicIp: true }, tags: { "ledger:egress": "sftp" } } },
    ],
    "untrusted-compute-no-secrets": [
        {
            type: "aws:iam/role:Role",
            name: "batch-role",
            props: {
                assumeRolePolicy: "{}",
                tags: UNTRUSTED,
                inlinePolicies: [{ name: "s", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }] }) }],
            },
        },
    ],
    "rds-storage-encrypted": [{ type: T.rdsInstance, name: "pg", props: { storageEncrypted: false } }],
    "vpc-flow-logs-enabled": [{ type: T.vpc, name: "main", props: { cidrBlock: "10.0.0.0/16" } }],
    "no-internet-path-from-workloads": [
        { type: T.vpc, name: "main", props: { cidrBlock: "10.0.0.0/16" } },
        { type: T.subnet, name: "app-a", props: { vpcId: ref("main"), cidrBlock: "10.0.1.0/24", mapPublicIpOnLaunch: false } },
        { type: T.routeTable, name: "app-rt", props: { vpcId: ref("main") } },
        { type: T.routeTableAssociation, name: "app-a-assoc", props: { subnetId: ref("app-a"), routeTableId: ref("app-rt") } },
        { type: T.internetGateway, name: "igw", props: { vpcId: ref("main") } },
        { type: T.route, name: "default", props: { routeTableId: ref("app-rt"), destinationCidrBlock: "0.0.0.0/0", gatewayId: ref("igw") } },
        { type: T.ecsService, name: "settle", props: { networkConfiguration: { subnets: [ref("app-a")], assignPublicIp: false } } },
        { type: T.ecsService, name: "bank-api", props: { networkConfiguration: { subnets: [ref("app-a")], assignPublicIp: true } } },
    ],
    // internal unset (AWS's internet-facing default) and internal false: the two findings it words.
    "load-balancers-internal-only": [
        { type: "aws:lb/loadBalancer:LoadBalancer", name: "statements-api", props: { subnets: ["subnet-0a1b2c3d"] } },
        { type: "aws:elb/loadBalancer:LoadBalancer", name: "legacy-api", props: { internal: false } },
    ],
    // Its rule names allowedCidrs, so a Trace default range would show here if the team's were ignored;
    // inline, standalone and not-a-CIDR findings, plus the advice on a prefix list outside the stack.
    "security-group-no-public-ingress": [
        { type: "aws:ec2/securityGroup:SecurityGroup", name: "bank-api", props: { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0", "bad-cidr"], prefixListIds: ["pl-0badc0de"] }] } },
        { type: "aws:ec2/securityGroupRule:SecurityGroupRule", name: "ssh", props: { type: "ingress", securityGroupId: ref("bank-api"), protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["172.20.0.0/16"] } },
        { type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "v6", props: { securityGroupId: ref("bank-api"), ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" } },
    ],
    // No policy at all, and a TLS Deny that covers the bucket but not its objects.
    "s3-https-only": [
        { type: "aws:s3/bucketV2:BucketV2", name: "statements", props: { bucket: "ledger-prod-statements" } },
        { type: "aws:s3/bucketV2:BucketV2", name: "exports", props: { bucket: "ledger-prod-exports" } },
        {
            type: "aws:s3/bucketPolicy:BucketPolicy",
            name: "exports-tls",
            props: {
                bucket: "ledger-prod-exports",
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::ledger-prod-exports", Condition: { Bool: { "aws:SecureTransport": "false" } } }],
                }),
            },
        },
    ],
    // Tagged with the team's data-class key and classes (not Trace's trace:data-class, pii|exports|alerts):
    // no encryption configuration, and one that sets AES256.
    "s3-sse-kms-for-sensitive-buckets": [
        { type: "aws:s3/bucketV2:BucketV2", name: "cards", props: { bucket: "ledger-prod-cards", tags: { "ledger:data-class": "card-data" } } },
        { type: "aws:s3/bucketV2:BucketV2", name: "customers", props: { bucket: "ledger-prod-customers", tags: { "ledger:data-class": "pii" } } },
        {
            type: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
            name: "customers-sse",
            props: { bucket: "ledger-prod-customers", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        },
    ],
    // A tag, no tag, a missing image and a Lambda image by tag.
    "container-images-pinned-by-digest": [
        {
            type: "aws:ecs/taskDefinition:TaskDefinition",
            name: "settle",
            props: { family: "settle", containerDefinitions: JSON.stringify([{ name: "app", image: "ledger/settle:v3" }, { name: "proxy", image: "envoy" }, { name: "empty" }]) },
        },
        { type: T.lambdaFunction, name: "reconcile", props: { role: "arn:aws:iam::1:role/r", packageType: "Image", imageUri: "210987654321.dkr.ecr.eu-west-1.amazonaws.com/reconcile:latest" } },
    ],
    // Its rule and fix name the trusted accounts and orgs: no policy, and Allows with a missing or untrusted perimeter.
    "vpc-endpoint-data-perimeter": [
        { type: T.vpcEndpoint, name: "sqs", props: { vpcId: "vpc-1", serviceName: "com.amazonaws.eu-west-1.sqs", vpcEndpointType: "Interface", privateDnsEnabled: true } },
        {
            type: T.vpcEndpoint,
            name: "s3",
            props: {
                vpcId: "vpc-1",
                serviceName: "com.amazonaws.eu-west-1.s3",
                vpcEndpointType: "Gateway",
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" },
                        { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*", Condition: { StringEquals: { "aws:PrincipalAccount": "111122223333", "aws:ResourceOrgID": "o-someoneelse1" } } },
                    ],
                }),
            },
        },
        { type: T.vpcEndpoint, name: "kms", props: { vpcId: "vpc-1", serviceName: "com.amazonaws.eu-west-1.kms", vpcEndpointType: "Interface", policy: "not json" } },
    ],
    "compute-inside-perimeter": [
        { type: "aws:codebuild/project:Project", name: "settle-build", props: { serviceRole: "arn:aws:iam::210987654321:role/build" } },
        { type: "aws:sagemaker/notebookInstance:NotebookInstance", name: "risk-notebook", props: { instanceType: "ml.t3.medium" } },
        { type: "awsx:ecs:FargateService", name: "settle-svc", props: {} },
        { type: T.subnet, name: "dmz-a", props: { vpcId: "vpc-0a1b2c3d", cidrBlock: "10.0.9.0/24", tags: { "ledger:tier": "egress" } } },
        { type: "aws:glue/devEndpoint:DevEndpoint", name: "recon-dev", props: { roleArn: "arn:aws:iam::210987654321:role/glue", subnetId: ref("dmz-a") } },
    ],
    "public-endpoints-only-via-api-gateway": [
        { type: "aws:lambda/functionUrl:FunctionUrl", name: "settle-url", props: { functionName: "settle", authorizationType: "NONE" } },
        { type: "aws:eks/cluster:Cluster", name: "ledger-k8s", props: { vpcConfig: { subnetIds: ["subnet-0a1b2c3d"] } } },
    ],
    // Workload VPCs found by the team's tier tag; each breaks a different link of the chain.
    "egress-attempts-alarmed": [
        { type: T.vpc, name: "no-log", props: { cidrBlock: "10.0.0.0/16" } },
        { type: T.subnet, name: "app-a", props: { vpcId: ref("no-log"), cidrBlock: "10.0.1.0/24", tags: { "ledger:tier": "app" } } },
        { type: T.vpc, name: "no-filter", props: { cidrBlock: "10.1.0.0/16" } },
        { type: T.subnet, name: "app-b", props: { vpcId: ref("no-filter"), cidrBlock: "10.1.1.0/24", tags: { "ledger:tier": "app" } } },
        { type: "aws:cloudwatch/logGroup:LogGroup", name: "flow-b", props: { name: "/ledger/prod/flow-b" } },
        { type: "aws:ec2/flowLog:FlowLog", name: "flow-log-b", props: { vpcId: ref("no-filter"), trafficType: "REJECT", logDestinationType: "cloud-watch-logs", logDestination: "arn:aws:logs:eu-west-1:210987654321:log-group:/ledger/prod/flow-b:*" } },
        { type: T.vpc, name: "no-alarm", props: { cidrBlock: "10.2.0.0/16" } },
        { type: T.subnet, name: "data-c", props: { vpcId: ref("no-alarm"), cidrBlock: "10.2.1.0/24", tags: { "ledger:tier": "data" } } },
        { type: "aws:cloudwatch/logGroup:LogGroup", name: "flow-c", props: { name: "/ledger/prod/flow-c" } },
        { type: "aws:ec2/flowLog:FlowLog", name: "flow-log-c", props: { vpcId: ref("no-alarm"), trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: "arn:aws:logs:eu-west-1:210987654321:log-group:/ledger/prod/flow-c" } },
        {
            type: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
            name: "rejects-c",
            props: { logGroupName: "/ledger/prod/flow-c", pattern: '[..., action="REJECT", flowlogstatus]', metricTransformation: { name: "RejectedEgress", namespace: "Ledger/Network", value: "1" } },
        },
        { type: "aws:cloudwatch/metricAlarm:MetricAlarm", name: "rejects-c-alarm", props: { namespace: "Ledger/Network", metricName: "RejectedEgress", threshold: 1, alarmActions: [] } },
    ],
    // The team's allowlist and trusted account in the messages: a service and a peer off them, a
    // transit gateway in a subnet of the team's app tier.
    "no-unapproved-network-paths": [
        { type: T.vpcEndpoint, name: "crm", props: { vpcId: "vpc-1", serviceName: "com.amazonaws.vpce.eu-west-1.vpce-svc-0crmvendor000001", vpcEndpointType: "Interface" } },
        { type: "aws:ec2/vpcPeeringConnection:VpcPeeringConnection", name: "vendor", props: { vpcId: "vpc-1", peerVpcId: "vpc-9", peerOwnerId: "999999999999" } },
        { type: T.vpc, name: "core", props: { cidrBlock: "10.0.0.0/16" } },
        { type: T.subnet, name: "app-a", props: { vpcId: ref("core"), cidrBlock: "10.0.1.0/24", tags: { "ledger:tier": "app" } } },
        { type: "aws:ec2transitgateway/vpcAttachment:VpcAttachment", name: "tgw", props: { vpcId: ref("core"), transitGatewayId: "tgw-1", subnetIds: [ref("app-a")] } },
    ],
    // A VPC of the team's app tier with no DNS Firewall.
    "dns-firewall-on-workload-vpcs": [
        { type: T.vpc, name: "core", props: { cidrBlock: "10.0.0.0/16" } },
        { type: T.subnet, name: "app-a", props: { vpcId: ref("core"), cidrBlock: "10.0.1.0/24", tags: { "ledger:tier": "app" } } },
    ],
    "tls-in-transit": [
        { type: "aws:lb/listener:Listener", name: "settlement-api", props: { protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-2016-08" } },
        { type: "aws:lb/listener:Listener", name: "settlement-http", props: { protocol: "HTTP", port: 80, defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] } },
        { type: "aws:elasticache/replicationGroup:ReplicationGroup", name: "ledger-cache", props: { description: "ledger", transitEncryptionEnabled: false } },
    ],
    "encryption-at-rest": [
        { type: "aws:ebs/volume:Volume", name: "ledger-scratch", props: { availabilityZone: "eu-west-1a", size: 50 } },
        { type: "aws:sqs/queue:Queue", name: "settlements", props: { sqsManagedSseEnabled: false } },
    ],
    "untrusted-compute-no-role-assumption": [
        {
            type: "aws:iam/role:Role",
            name: "batch-role",
            props: {
                assumeRolePolicy: "{}",
                tags: UNTRUSTED,
                inlinePolicies: [{ name: "hop", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] }) }],
                managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
            },
        },
    ],
    "keys-and-secrets-rotated": [
        { type: "aws:kms/key:Key", name: "settle-key", props: { enableKeyRotation: true, rotationPeriodInDays: 365 } },
        { type: "aws:secretsmanager/secret:Secret", name: "settle-token", props: { name: "/prod/ledger/settlement/token" } },
        { type: "aws:secretsmanager/secret:Secret", name: "settle-db", props: { name: "/prod/ledger/settlement/db", arn: "arn:aws:secretsmanager:eu-west-1:210987654321:secret:/prod/ledger/settlement/db-AbCdEf" } },
        { type: "aws:secretsmanager/secretRotation:SecretRotation", name: "settle-db-rotation", props: { secretId: "arn:aws:secretsmanager:eu-west-1:210987654321:secret:/prod/ledger/settlement/db-AbCdEf", rotationRules: { automaticallyAfterDays: 60 } } },
    ],
    "audit-log-retention": [
        { type: "aws:cloudwatch/logGroup:LogGroup", name: "settlement-audit", props: { name: "/ledger/prod/settlement", retentionInDays: 365, tags: { "ledger:data-class": "settlement-audit" } } },
        { type: "aws:cloudwatch/logGroup:LogGroup", name: "flow", props: { name: "/ledger/prod/flow", retentionInDays: 731 } },
        { type: "aws:ec2/flowLog:FlowLog", name: "flow-log", props: { vpcId: "vpc-1", trafficType: "ALL", logDestination: "arn:aws:logs:eu-west-1:210987654321:log-group:/ledger/prod/flow" } },
    ],
};

function teamConfig(policy: Policy): { config: Record<string, unknown>; enforcementLevel?: EnforcementLevel } {
    const entry = TEAM[policy.name];
    if (typeof entry === "string") {
        return { config: {}, enforcementLevel: entry as EnforcementLevel };
    }
    const { enforcementLevel, ...config } = (entry ?? {}) as Record<string, unknown>;
    return { config, ...(enforcementLevel === undefined ? {} : { enforcementLevel: enforcementLevel as EnforcementLevel }) };
}

async function run(policy: Policy, resources: HarnessResource[]): Promise<PolicyResult[]> {
    const opts = { ...teamConfig(policy), stack: STACK };
    // A policy may have both halves (awsx components judged in its stack half): run each it has.
    const results: PolicyResult[] = isStackPolicy(policy) ? [await runStackPolicy(policy as StackValidationPolicy, resources, opts)] : [];
    if (!isResourcePolicy(policy)) {
        return results;
    }
    for (const r of resources) {
        results.push(await runResourcePolicy(policy as ResourceValidationPolicy, r, opts));
    }
    return results;
}

describe("messages in the team's terms (config/team-example.json)", () => {
    it("has a violating stack for every policy of the pack", () => {
        expect(Object.keys(VIOLATIONS).sort()).to.deep.equal(allPolicies.map((p) => p.name).sort());
    });

    for (const policy of allPolicies) {
        it(`${policy.name}: every finding names the team's config, none of Trace's defaults`, async () => {
            const results = await run(policy, build(VIOLATIONS[policy.name], "plan"));
            const texts = results.flatMap((r) => r.diagnostics.map((d) => d.detail));
            expect(texts.length, "the stack must break the policy").to.be.greaterThan(0);
            for (const text of texts) {
                expect(TRACE_ONLY.filter((re) => re.test(text)).map(String), text).to.deep.equal([]);
            }
        });
    }

    it("compute-inside-perimeter: a subnet's tier is read and named with the team's tag key", async () => {
        const policy = allPolicies.find((p) => p.name === "compute-inside-perimeter")!;
        const texts = (await run(policy, build(VIOLATIONS[policy.name], "plan"))).flatMap((r) => r.diagnostics.map((d) => d.detail));
        expect(texts.filter((t) => t.includes("recon-dev"))).to.deep.equal([
            "Glue development endpoint 'recon-dev' runs in subnet 'dmz-a' (ledger:tier=egress), which is not one of this VPC's private subnets; everything that runs customer or user code must run in this VPC's private subnets, with no internet egress of its own. Set subnetId to subnets tagged ledger:tier=app.",
        ]);
    });

    it("keys-and-secrets-rotated and audit-log-retention: the rules and fixes state the team's maximum and minimum", async () => {
        const rotated = allPolicies.find((p) => p.name === "keys-and-secrets-rotated")!;
        const [keys] = await run(rotated, build(VIOLATIONS["keys-and-secrets-rotated"], "plan"));
        expect(keys.diagnostics.map((d) => d.detail.split("; ")[1])).to.deep.equal([
            "KMS keys rotate their key material automatically at least every 180 days. Set enableKeyRotation: true and rotationPeriodInDays to at most 180.",
            "stored secrets rotate on a fixed schedule of at most 30 days. Add aws.secretsmanager.SecretRotation { secretId: <this secret>, rotationLambdaArn, rotationRules: { automaticallyAfterDays: 30 } }, or exempt the secret with the reason it cannot rotate automatically.",
            "stored secrets rotate on a fixed schedule of at most 30 days. Set rotationRules to at most 30 days (automaticallyAfterDays or rate(N days)).",
        ]);
        const audit = allPolicies.find((p) => p.name === "audit-log-retention")!;
        const [logs] = await run(audit, build(VIOLATIONS["audit-log-retention"], "plan"));
        expect(logs.diagnostics.map((d) => d.detail)).to.deep.equal([
            "log group 'settlement-audit' receives audit logs (tagged ledger:data-class=settlement-audit) but keeps them 365 days; audit logs are kept at least 2557 days (never expire counts). Set retentionInDays to 2557 or more, or leave it unset to never expire.",
            "log group 'flow' receives audit logs (the destination of flow log 'flow-log') but keeps them 731 days; audit logs are kept at least 2557 days (never expire counts). Set retentionInDays to 2557 or more, or leave it unset to never expire.",
        ]);
    });

    it("secret-path-naming: the example name follows the team's shape and environment", async () => {
        const policy = allPolicies.find((p) => p.name === "secret-path-naming")!;
        const [res] = await run(policy, build([VIOLATIONS["secret-path-naming"][0]], "plan"));
        expect(res.diagnostics.map((d) => d.detail)).to.deep.equal([
            "secret 'unnamed' has no name, so Pulumi auto-names it with a random suffix; secret names must follow /prod/ledger/{service}/{secret_name} " +
                "(each segment lower-case letters, digits, '-' and '_', starting with a letter or digit) so IAM path policies scope them. " +
                'Set name explicitly, e.g. "/prod/ledger/<service>/<secret_name>".',
        ]);
    });

    it("security-group-egress-allowlist: the fix names the team's gateways", async () => {
        const policy = allPolicies.find((p) => p.name === "security-group-egress-allowlist")!;
        const [res] = await run(policy, build([VIOLATIONS["security-group-egress-allowlist"][0]], "plan"));
        expect(res.diagnostics.map((d) => d.detail)).to.deep.equal([
            "security group 'jobs' allows egress to 0.0.0.0/0 on tcp 443 (egress[0]); only egress gateways (tag ledger:egress=bank-sftp|smtp) may reach " +
                "addresses outside 10.0.0.0/8, 100.64.0.0/10, fd00::/8. Route the call through an egress gateway (bank-sftp or smtp) instead, or target a " +
                "security group, VPC endpoint or private CIDR.",
        ]);
    });
});
