// Property test: no property tree makes any policy crash.
//
// Other teams run the pack on stacks we have never seen, so every policy must survive any shape:
// unknown sentinels of every type at any depth, nulls, wrong types, secrets (the SDK envelope the
// engine sends), JSON strings with unknowns inside, huge arrays. Each case goes through the harness,
// i.e. @pulumi/policy's own Analyze / AnalyzeStack handlers: a policy that throws anything but the
// library's UnknownValueError makes the handler fail, which is what the engine reports as a crash.
// Keys are drawn mostly from the property names the policies read, so the trees reach deep code.

import { expect } from "chai";
import fc from "fast-check";
import { Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

import { PERIMETER_CATALOGUE } from "../../policy-pack/lib/perimeter-catalogue";
import { allPolicies } from "../../policy-pack/policies";
import { Shape, typeOf } from "../../policy-pack/lib/coverage";
import { ENCRYPTION_AT_REST_SHAPES } from "../../policy-pack/policies/encryption-at-rest";
import { TLS_IN_TRANSIT_SHAPES } from "../../policy-pack/policies/tls-in-transit";
import { HarnessResource, PolicyResult, isResourcePolicy, isStackPolicy, resourcePolicyRunner, secret, stackPolicyRunner } from "../helpers/policy-harness";
import { randomStack } from "../helpers/random-stack";

const SENTINELS = [
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
];

/** Property names the policies read, plus tag keys and policy-document keys. */
const KEYS = [
    "egress", "cidrBlocks", "ipv6CidrBlocks", "prefixListIds", "protocol", "fromPort", "toPort", "securityGroupId", "type", "cidrIpv4",
    "cidrIpv6", "prefixListId", "ipProtocol", "securityGroups", "tags", "tagsAll", "trace:egress-gateway", "trace:trust", "trace:tier",
    "natGatewayId", "routes", "cidrBlock", "destinationCidrBlock", "ipv6CidrBlock", "natGateways", "strategy", "connectivityType",
    "publiclyAccessible", "storageEncrypted", "replicateSourceDb", "engineMode", "name", "namePrefix", "vpcEndpointType", "serviceName",
    "privateDnsEnabled", "vpcEndpointSpecs", "vpcConfig", "subnetIds", "securityGroupIds", "containerDefinitions", "networkMode",
    "pidMode", "ipcMode", "container", "containers", "taskDefinitionArgs", "readonlyRootFilesystem", "privileged", "networkConfiguration",
    "assignPublicIp", "mapPublicIpOnLaunch", "assignIpv6AddressOnCreation", "associatePublicIpAddress", "networkInterfaces", "instance",
    "networkInterface", "instanceId", "subnetSpecs", "inlinePolicies", "policy", "managedPolicyArns", "role", "roles", "policyArn",
    "taskRoleArn", "taskDefinition", "environment", "variables", "secrets", "value", "entries", "cidr", "vpcId", "trafficType", "id",
    "arn", "dbSubnetGroupName", "subnets", "subnetId", "Statement", "Action", "NotAction", "Effect", "Resource", "routeTableId",
    "gatewayId", "transitGatewayId", "vpcPeeringConnectionId", "networkInterfaceId", "egressOnlyGatewayId", "carrierGatewayId",
    "defaultRouteTableId", "vpcZoneIdentifiers", "launchTemplate", "ipv6AddressCount", "clusterIdentifier", "ecsTarget", "target",
    "ecsParameters", "targetParameters", "ecsTaskParameters", "awsVpcConfiguration", "roleName", "policyArns",
    "internal", "ingress", "bucket", "serverSideEncryptionConfiguration", "rule", "rules", "applyServerSideEncryptionByDefault",
    "sseAlgorithm", "trace:data-class", "image", "imageUri", "linuxParameters", "capabilities", "add", "vpcEndpointId", "Principal", "AWS",
    "Condition", "Bool", "StringEquals", "StringEqualsIgnoreCase", "aws:SecureTransport", "aws:PrincipalAccount", "aws:ResourceAccount",
    "aws:PrincipalOrgID", "logDestination", "logDestinationType", "logGroupName", "pattern", "metricTransformation", "namespace",
    "metricName", "metricQueries", "metric", "alarmActions",
    "propagatingVgws", "subnetArns", "peerOwnerId", "direction", "ruleType", "domainName", "resourceConfigurationArn", "serviceNetworkArn",
    "firewallRuleGroupId", "firewallDomainListId", "domains", "action", "priority", "resourceId", "firewallFailOpen",
    // The perimeter catalogue's property paths, segment by segment.
    ...new Set(
        PERIMETER_CATALOGUE.flatMap((e) => [e.property, ...(e.orSet ?? []), e.onlyWhen?.property ?? "", e.unless?.property ?? ""]).flatMap((p) => p.split(".")).filter((k) => k !== ""),
    ),
    "encrypted", "blockDeviceMappings", "ebs", "rootBlockDevice", "ebsBlockDevices", "sqsManagedSseEnabled", "kmsMasterKeyId",
    "atRestEncryptionEnabled", "engine", "serverSideEncryption", "enabled", "encryptAtRest", "defaultActions", "redirect", "sslPolicy",
    "listeners", "lbProtocol", "port", "transitEncryptionEnabled", "transitEncryptionMode", "replicationGroupId",
    "clusterEndpointEncryptionType", "tlsEnabled", "encryptionInfo", "encryptionInTransit", "clientBroker", "inCluster",
    "domainEndpointOptions", "enforceHttps", "tlsSecurityPolicy", "nodeToNodeEncryption", "securityPolicy", "encryptionType",
    "defaultCacheBehavior", "orderedCacheBehaviors", "viewerProtocolPolicy", "viewerCertificate", "cloudfrontDefaultCertificate",
    "minimumProtocolVersion",
    "enableKeyRotation", "rotationPeriodInDays", "customerMasterKeySpec", "keySpec", "customKeyStoreId", "secretId", "rotationRules",
    "automaticallyAfterDays", "scheduleExpression", "retentionInDays", "destinationArn", "cloudWatchLogsGroupArn",
];

const STRINGS = [
    "0.0.0.0/0", "::/0", "0.0.0.0/1", "128.0.0.0/1", "10.0.0.0/8", "10.1.2.3/32", "8.8.8.8/32", "fd00::/8", "2001:db8::/32", "1.2.3.4",
    "not-a-cidr", "true", "false", "None", "Single", "OnePerAz", "Interface", "Gateway", "host", "awsvpc", "egress", "ingress", "-1",
    "tcp", "udp", "6", "webhook", "rpc", "smtp", "untrusted", "platform", "app", "data", "ALL", "REJECT", "Allow", "Deny",
    "/dev/trace/a/b", "/prod/acme/k", "/dev/Bad/x", "com.amazonaws.eu-west-1.sqs", "com.amazonaws.eu-west-1.s3", "com.amazonaws.vpce.x",
    "arn:aws:iam::aws:policy/SecretsManagerReadWrite", "arn:aws:iam::1:policy/x", "arn:aws:secretsmanager:eu-west-1:1:secret:x",
    "pl-123", "sg-1", "subnet-1", "vpc-1", "nat-1", "*", "secretsmanager:*", "s3:*", "Public", "Private", "serverless", "ENABLED", "", "[", "{}",
    "[{\"readonlyRootFilesystem\":true}]", "[42]", "null",
    "aws:kms", "aws:kms:dsse", "AES256", "pii", "exports", "nginx:latest", "repo@sha256:1d900b537382da2cf45f9574e07c4731ae78b9c38c22b8f1136da0536ce7ee27",
    "arn:aws:s3:::b", "arn:aws:s3:::b/*", "arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*", "123456789012", "o-abcdef1234", "REJECT",
    "cloud-watch-logs", "SYS_ADMIN", "cap_net_admin", "arn:aws:logs:eu-west-1:1:log-group:g", "g", "Trace/Network", "Rejected",
    "OUTBOUND", "INBOUND_OUTBOUND", "FORWARD", "SYSTEM", "ALLOW", "BLOCK", "ALERT", "DISABLED", "*.com", "ServiceNetwork", "vgw-1", "tgw-1",
    // The perimeter catalogue's safe, unsafe and default values.
    ...new Set(
        PERIMETER_CATALOGUE.flatMap((e) => [
            ...(e.unsafe.when === "is" ? e.unsafe.unsafe : e.unsafe.when === "not" ? e.unsafe.safe : []),
            e.providerDefault,
            e.onlyWhen?.equals,
        ]).filter((v): v is string => typeof v === "string"),
    ),
    "HTTP", "HTTPS", "TCP", "TLS", "QUIC", "http", "redirect", "forward", "ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "memcached", "redis", "valkey", "preferred", "NONE", "PLAINTEXT", "TLS_PLAINTEXT", "Policy-Min-TLS-1-0-2019-07", "TLS_1_0", "TLS_1_2",
    "KMS", "allow-all", "https-only", "TLSv1", "TLSv1.2_2021",
    "sts:AssumeRole", "sts:*", "sts:Assume*", "arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
    "SYMMETRIC_DEFAULT", "RSA_2048", "rate(30 days)", "rate(12 hours)", "cron(0 4 1 * ? *)", "cron(0 4 1 1,7 ? *)", "audit", "arn:aws:logs:eu-west-1:1:log-group:g:*",
];

const leaf: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...SENTINELS) },
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.boolean() },
    { weight: 2, arbitrary: fc.oneof(fc.integer({ min: -2, max: 70000 }), fc.double()) },
    { weight: 6, arbitrary: fc.constantFrom(...STRINGS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

const key: fc.Arbitrary<string> = fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...KEYS) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== "__proto__" && k !== "4dabf18193072939515e22adb298388d") },
);

const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
    tree: fc.oneof(
        { maxDepth: 3, depthSize: "small", withCrossShrink: true },
        { weight: 6, arbitrary: leaf },
        { weight: 2, arbitrary: fc.array(tie("tree"), { maxLength: 3 }) },
        { weight: 3, arbitrary: fc.dictionary(key, tie("tree"), { maxKeys: 3 }) },
        { weight: 1, arbitrary: tie("tree").map((v) => secret(v)) },
        // JSON documents (container definitions, IAM policies) with anything inside, unknowns included.
        { weight: 1, arbitrary: tie("tree").map((v) => JSON.stringify(v) ?? "null") },
    ),
}));

/** Now and then a huge array, the shape of a generated stack with thousands of rules or entries. */
const hugeArray = fc.array(fc.oneof(leaf, fc.dictionary(key, leaf, { maxKeys: 3 })), { minLength: 1000, maxLength: 1500 });

const props: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
    { weight: 150, arbitrary: fc.dictionary(key, tree, { maxKeys: 5 }) },
    { weight: 1, arbitrary: fc.tuple(key, hugeArray).map(([k, arr]) => ({ [k]: arr })) },
);

/** The distinct resource types of a coverage catalogue, so the fuzz table follows the catalogue. */
function coverageTypes(shapes: readonly Shape<never>[]): string[] {
    return [...new Set(shapes.map((shape) => typeOf(shape.resource)))];
}

/** The resource types each resource policy handles, plus one it does not (its not-applicable path). */
const RESOURCE_TYPES: Record<string, string[]> = {
    "no-nat-gateways": ["aws:ec2/natGateway:NatGateway", "aws:ec2/route:Route", "aws:ec2/routeTable:RouteTable", "aws:ec2/defaultRouteTable:DefaultRouteTable", "awsx:ec2:Vpc"],
    "rds-not-publicly-accessible": ["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"],
    "secret-path-naming": ["aws:secretsmanager/secret:Secret"],
    "vpc-endpoint-private-dns": ["aws:ec2/vpcEndpoint:VpcEndpoint", "awsx:ec2:Vpc"],
    "lambda-vpc-attached": ["aws:lambda/function:Function"],
    "ecs-task-hardening": [
        "aws:ecs/taskDefinition:TaskDefinition",
        "awsx:ecs:FargateTaskDefinition",
        "awsx:ecs:EC2TaskDefinition",
        "awsx:ecs:FargateService",
        "awsx:ecs:EC2Service",
    ],
    "public-ip-only-for-egress-gateways": [
        "aws:ecs/service:Service",
        "aws:ecs/taskSet:TaskSet",
        "aws:cloudwatch/eventTarget:EventTarget",
        "aws:scheduler/schedule:Schedule",
        "aws:pipes/pipe:Pipe",
        "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
        "awsx:ecs:FargateService",
        "aws:ec2/subnet:Subnet",
        "aws:ec2/instance:Instance",
        "aws:ec2/launchTemplate:LaunchTemplate",
        "aws:ec2/launchConfiguration:LaunchConfiguration",
        "aws:ec2/eip:Eip",
        "aws:ec2/eipAssociation:EipAssociation",
        "awsx:ec2:Vpc",
    ],
    "rds-storage-encrypted": ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"],
    "load-balancers-internal-only": ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer", "aws:elb/loadBalancer:LoadBalancer"],
    "compute-inside-perimeter": catalogueTypes("compute-inside-perimeter"),
    "public-endpoints-only-via-api-gateway": catalogueTypes("public-endpoints-only-via-api-gateway"),
    "container-images-pinned-by-digest": [
        "aws:ecs/taskDefinition:TaskDefinition",
        "awsx:ecs:FargateTaskDefinition",
        "awsx:ecs:EC2TaskDefinition",
        "awsx:ecs:FargateService",
        "awsx:ecs:EC2Service",
        "aws:lambda/function:Function",
    ],
    "tls-in-transit": coverageTypes(TLS_IN_TRANSIT_SHAPES),
    "encryption-at-rest": coverageTypes(ENCRYPTION_AT_REST_SHAPES),
};
const OTHER_TYPE = "aws:s3/bucket:Bucket";

/** The resource types (not awsx components) a perimeter policy judges, from the catalogue. */
function catalogueTypes(policy: string, components = false): string[] {
    return [...new Set(PERIMETER_CATALOGUE.filter((e) => e.policy === policy && (e.component === true) === components).map((e) => e.type))];
}

/** Policies whose many resource types share one evaluator (the catalogue's), fuzzed with fewer runs per type. */
const CATALOGUE_POLICIES = new Set(["compute-inside-perimeter", "public-endpoints-only-via-api-gateway"]);

/** Untrusted compute and every grant that can reach its roles (lib/untrusted.ts). */
const UNTRUSTED_COMPUTE_TYPES = [
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:iam/policyAttachment:PolicyAttachment",
        "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
        "aws:iam/policy:Policy",
        "aws:ecs/taskDefinition:TaskDefinition",
        "aws:ecs/service:Service",
        "aws:lambda/function:Function",
];

/** Types a stack policy looks at (and resolves references to); the generated stacks mix them. */
const STACK_TYPES: Record<string, string[]> = {
    "security-group-egress-allowlist": [
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        "aws:ec2/securityGroupRule:SecurityGroupRule",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "aws:ec2/managedPrefixList:ManagedPrefixList",
    ],
    "required-vpc-endpoints": [
        "aws:ec2/vpc:Vpc",
        "awsx:ec2:Vpc",
        "aws:ec2/subnet:Subnet",
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "aws:ecs/service:Service",
        "awsx:ecs:FargateService",
        "aws:lambda/function:Function",
        "aws:ec2/instance:Instance",
        "aws:rds/instance:Instance",
        "aws:rds/subnetGroup:SubnetGroup",
    ],
    "untrusted-compute-no-secrets": [
        ...UNTRUSTED_COMPUTE_TYPES,
        "aws:secretsmanager/secretVersion:SecretVersion",
    ],
    "vpc-flow-logs-enabled": ["aws:ec2/vpc:Vpc", "awsx:ec2:Vpc", "aws:ec2/flowLog:FlowLog"],
    "no-internet-path-from-workloads": [
        "aws:ecs/service:Service",
        "awsx:ecs:FargateService",
        "aws:lambda/function:Function",
        "aws:rds/instance:Instance",
        "aws:rds/subnetGroup:SubnetGroup",
        "aws:ec2/instance:Instance",
        "aws:ec2/launchTemplate:LaunchTemplate",
        "aws:autoscaling/group:Group",
        "aws:ec2/vpc:Vpc",
        "aws:ec2/subnet:Subnet",
        "aws:ec2/routeTable:RouteTable",
        "aws:ec2/defaultRouteTable:DefaultRouteTable",
        "aws:ec2/route:Route",
        "aws:ec2/routeTableAssociation:RouteTableAssociation",
        "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation",
        "aws:ec2/natGateway:NatGateway",
        "aws:ec2/internetGateway:InternetGateway",
        "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
        "aws:ec2transitgateway/transitGateway:TransitGateway",
        "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
        "aws:ec2/managedPrefixList:ManagedPrefixList",
    ],
    "security-group-no-public-ingress": [
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        "aws:ec2/securityGroupRule:SecurityGroupRule",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "aws:ec2/managedPrefixList:ManagedPrefixList",
    ],
    "s3-https-only": ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws:s3/bucketPolicy:BucketPolicy"],
    "s3-sse-kms-for-sensitive-buckets": [
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    "vpc-endpoint-data-perimeter": ["aws:ec2/vpcEndpoint:VpcEndpoint", "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy", "awsx:ec2:Vpc"],
    "egress-attempts-alarmed": [
        "aws:ec2/vpc:Vpc",
        "aws:ec2/subnet:Subnet",
        "aws:ecs/service:Service",
        "aws:lambda/function:Function",
        "aws:ec2/flowLog:FlowLog",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:cloudwatch/logMetricFilter:LogMetricFilter",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
    ],
    "load-balancers-internal-only": [...catalogueTypes("load-balancers-internal-only", true), "aws:lb/loadBalancer:LoadBalancer"],
    "compute-inside-perimeter": [...catalogueTypes("compute-inside-perimeter", true), "aws:ecs/service:Service", "aws:ec2/subnet:Subnet", "aws:codebuild/project:Project", "aws:sagemaker/notebookInstance:NotebookInstance"],
    "no-unapproved-network-paths": [
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "aws:ec2/routeTable:RouteTable",
        "aws:ec2/subnet:Subnet",
        "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation",
        "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
        "aws:networkmanager/vpcAttachment:VpcAttachment",
        "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
        "aws:route53/resolverEndpoint:ResolverEndpoint",
        "aws:route53/resolverRule:ResolverRule",
    ],
    "dns-firewall-on-workload-vpcs": [
        "aws:ec2/vpc:Vpc",
        "aws:ec2/subnet:Subnet",
        "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation",
        "aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup",
        "aws:route53/resolverFirewallRule:ResolverFirewallRule",
        "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList",
        "aws:route53/resolverFirewallConfig:ResolverFirewallConfig",
    ],
    "untrusted-compute-no-role-assumption": UNTRUSTED_COMPUTE_TYPES,
    "keys-and-secrets-rotated": ["aws:kms/key:Key", "aws:secretsmanager/secret:Secret", "aws:secretsmanager/secretRotation:SecretRotation"],
    "audit-log-retention": [
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:ec2/flowLog:FlowLog",
        "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig",
        "aws:cloudtrail/trail:Trail",
    ],
};

// 67 resource types x 2150 + 44 perimeter catalogue types x 200 + 12 other-type probes x 200 + 17 stack
// policies x 1000 = 172,250 cases. A stack case (up to six resources) costs about four resource cases,
// hence fewer of them; the catalogue's types share one evaluator, hence fewer runs each.
const RUNS_PER_RESOURCE_TYPE = 2150;
const RUNS_OTHER_TYPE = 200;
const RUNS_PER_CATALOGUE_TYPE = 200;
const RUNS_PER_STACK_POLICY = 1000;

function stackArb(types: string[]): fc.Arbitrary<HarnessResource[]> {
    return randomStack({ types, keys: KEYS, props, minLength: 1, maxLength: 6, withIds: false });
}

/** Every diagnostic is well formed: a level, a non-empty message, the policy's own name. */
function wellFormed(policy: Policy, res: PolicyResult): boolean {
    return res.diagnostics.every((d) => d.policyName === policy.name && d.message.length > 0 && (d.enforcementLevel === "advisory" || d.enforcementLevel === "mandatory"));
}

describe("fuzz: no property tree makes a policy throw", function () {
    this.timeout(120_000);
    let total = 0;
    let started = 0;
    let cpu: NodeJS.CpuUsage;

    before(() => {
        started = Date.now();
        cpu = process.cpuUsage();
    });

    after(() => {
        const seconds = (Date.now() - started) / 1000;
        const used = process.cpuUsage(cpu);
        const cpuSeconds = (used.user + used.system) / 1e6;
        console.log(`      fuzz: ${total} cases across ${allPolicies.length} policies in ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s CPU)`);
    });

    for (const policy of allPolicies) {
        if (isStackPolicy(policy)) {
            const types = STACK_TYPES[policy.name];
            it(`${policy.name}: has a fuzz table of the resource types it looks at`, () => {
                expect(types, `fuzz table lacks ${policy.name}`).to.not.equal(undefined);
            });
            if (types === undefined) {
                continue;
            }
            it(`${policy.name}: ${RUNS_PER_STACK_POLICY} random stacks of ${types.length} types`, async () => {
                const run = await stackPolicyRunner(policy as StackValidationPolicy);
                await fc.assert(
                    fc.asyncProperty(stackArb(types), async (resources) => wellFormed(policy, await run(resources))),
                    { numRuns: RUNS_PER_STACK_POLICY, seed: 20261123 },
                );
                total += RUNS_PER_STACK_POLICY;
            });
            // A policy with a resource half too (awsx components judged in the stack half) is fuzzed as both.
            if (!isResourcePolicy(policy)) {
                continue;
            }
        }
        const types = RESOURCE_TYPES[policy.name];
        it(`${policy.name}: has a fuzz table of the resource types it handles`, () => {
            expect(types, `fuzz table lacks ${policy.name}`).to.not.equal(undefined);
        });
        for (const type of [...(types ?? []), OTHER_TYPE]) {
            const runs = type === OTHER_TYPE ? RUNS_OTHER_TYPE : CATALOGUE_POLICIES.has(policy.name) ? RUNS_PER_CATALOGUE_TYPE : RUNS_PER_RESOURCE_TYPE;
            it(`${policy.name} on ${type}: ${runs} random property trees`, async () => {
                const run = await resourcePolicyRunner(policy as ResourceValidationPolicy);
                await fc.assert(
                    fc.asyncProperty(props, async (p) => wellFormed(policy, await run({ type, name: "fuzzed", props: p }))),
                    { numRuns: runs, seed: 20261123 },
                );
                total += runs;
            });
        }
    }
});
