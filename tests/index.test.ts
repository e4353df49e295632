import { expect } from "chai";
import * as ipaddr from "ipaddr.js";
import * as path from "path";
import { RecordOptions, recordStack, RecordedResource, RecordedStack, RecordError, RecordErrorKind, UNKNOWN } from "../tools/record";
import { PROGRAM_DIR, repoStack } from "./helpers/repo-stacks";

const NS = "trace-network";
/** The program itself with a stack file holding the seven mistakes of issue 11. */
const SEVEN_MISTAKES_DIR = path.resolve(__dirname, "fixtures", "programs", "seven-mistakes");

const T = {
    stack: "pulumi:pulumi:Stack",
    provider: "pulumi:providers:aws",
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    defaultRouteTable: "aws:ec2/defaultRouteTable:DefaultRouteTable",
    association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    route: "aws:ec2/route:Route",
    igw: "aws:ec2/internetGateway:InternetGateway",
    nat: "aws:ec2/natGateway:NatGateway",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    service: "aws:ecs/service:Service",
    task: "aws:ecs/taskDefinition:TaskDefinition",
    lambda: "aws:lambda/function:Function",
    dbInstance: "aws:rds/instance:Instance",
    dbSubnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    secret: "aws:secretsmanager/secret:Secret",
    kmsKey: "aws:kms/key:Key",
    flowLog: "aws:ec2/flowLog:FlowLog",
    metricFilter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    topic: "aws:sns/topic:Topic",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
};

/** Resource counts shared by both stacks: everything that does not scale with AZs, endpoints, ports or secrets. */
const COMMON_COUNTS: Record<string, number> = {
    "aws:cloudwatch/logGroup:LogGroup": 8,
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": 3,
    "aws:cloudwatch/metricAlarm:MetricAlarm": 3,
    "aws:ec2/defaultRouteTable:DefaultRouteTable": 1,
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": 1,
    "aws:ec2/flowLog:FlowLog": 1,
    "aws:ec2/internetGateway:InternetGateway": 1,
    "aws:ec2/route:Route": 1,
    "aws:ec2/routeTable:RouteTable": 3,
    "aws:ec2/securityGroup:SecurityGroup": 8,
    "aws:ec2/vpc:Vpc": 1,
    "aws:ecs/cluster:Cluster": 1,
    "aws:ecs/service:Service": 3,
    "aws:ecs/taskDefinition:TaskDefinition": 5,
    "aws:iam/role:Role": 10,
    "aws:iam/rolePolicy:RolePolicy": 4,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 5,
    // RDS, secrets, alarm topic
    "aws:kms/key:Key": 3,
    "aws:lambda/function:Function": 1,
    "aws:rds/instance:Instance": 1,
    "aws:rds/parameterGroup:ParameterGroup": 1,
    "aws:rds/subnetGroup:SubnetGroup": 1,
    // DNS Firewall (allowed names, everything else, one rule each) and Resolver query logging
    "aws:route53/resolverFirewallConfig:ResolverFirewallConfig": 1,
    "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList": 2,
    "aws:route53/resolverFirewallRule:ResolverFirewallRule": 2,
    "aws:route53/resolverFirewallRuleGroup:ResolverFirewallRuleGroup": 1,
    "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation": 1,
    "aws:route53/resolverQueryLogConfig:ResolverQueryLogConfig": 1,
    "aws:route53/resolverQueryLogConfigAssociation:ResolverQueryLogConfigAssociation": 1,
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": 1,
    "aws:servicediscovery/service:Service": 2,
    "aws:sns/topic:Topic": 1,
    "pulumi:providers:aws": 1,
    "pulumi:pulumi:Stack": 1,
    "trace:compute:Compute": 1,
    "trace:data:Database": 1,
    "trace:egress:EgressGateway": 2,
    "trace:network:DnsFirewall": 1,
    "trace:network:EgressAlarms": 1,
    "trace:network:Endpoints": 1,
    "trace:network:Network": 1,
    "trace:network:SecurityGroups": 1,
    "trace:secrets:Secrets": 1,
};

interface StackExpectations {
    readonly environment: string;
    readonly accountId: string;
    readonly vpcCidr: string;
    /** What scales with the stack file, with how it is derived. */
    readonly counts: Record<string, number>;
    readonly secretNames: string[];
    readonly interfaceEndpointSubnets: number;
    readonly rpcDestinations: string[];
    readonly database: Record<string, unknown>;
}

const EXPECTED: Record<"dev" | "prod", StackExpectations> = {
    dev: {
        environment: "dev",
        accountId: "123456789012",
        vpcCidr: "10.20.0.0/16",
        counts: {
            // 3 tiers x 2 AZs
            [T.subnet]: 6,
            [T.association]: 6,
            // S3 gateway + 9 interface endpoints (sns and email-smtp for alert delivery)
            [T.endpoint]: 10,
            // workloads 14 (4 consumers x {endpoints, S3} + services -> SES SMTP + 3 callers x 1 service port + 2 database clients)
            // + webhook 7 (1 CIDR x 1 port, endpoints, S3, 4 clients) + rpc 4 (1 CIDR x 1 port, endpoints, S3, 1 client)
            [T.egressRule]: 25,
            // workloads 10 (4 endpoint consumers + SES SMTP from services + 3 service callers + 2 database clients) + webhook 5 + rpc 2
            [T.ingressRule]: 17,
            // 4 platform + 1 org secret
            [T.secret]: 5,
            // 1 alert email
            [T.subscription]: 1,
        },
        secretNames: [
            "/dev/trace/workers/worker_token",
            "/dev/trace/dispatcher/task_jwt_signing_key_id",
            "/dev/trace/block_follower/monad_rpc_key",
            "/dev/trace/cryo_ingest/rpc_api_key",
            "/dev/acme/monad_rpc_key",
        ],
        interfaceEndpointSubnets: 1,
        rpcDestinations: ["0.0.0.0/0"],
        database: { multiAz: false, deletionProtection: false, backupRetentionPeriod: 1, instanceClass: "db.t4g.medium" },
    },
    prod: {
        environment: "prod",
        accountId: "345678901234",
        vpcCidr: "10.30.0.0/16",
        counts: {
            [T.subnet]: 9,
            [T.association]: 9,
            // S3 gateway + 10 interface endpoints (sns, email-smtp and monitoring added)
            [T.endpoint]: 11,
            // workloads 17 (8 + SES SMTP + 3 callers x 2 service ports + 2) + webhook 7 + rpc 8 (3 provider CIDRs + 2 DoH resolver /32s x 1 port, endpoints, S3, 1 client)
            [T.egressRule]: 32,
            // workloads 13 (4 + 1 + 6 + 2) + webhook 5 + rpc 2
            [T.ingressRule]: 20,
            [T.secret]: 7,
            // 2 alert emails + the HTTPS endpoint
            [T.subscription]: 3,
        },
        secretNames: [
            "/prod/trace/workers/worker_token",
            "/prod/trace/dispatcher/task_jwt_signing_key_id",
            "/prod/trace/postgres_state/password",
            "/prod/trace/block_follower/monad_rpc_key",
            "/prod/trace/cryo_ingest/rpc_api_key",
            "/prod/acme/monad_rpc_key",
            "/prod/acme/alchemy_api_key",
        ],
        interfaceEndpointSubnets: 3,
        rpcDestinations: ["104.18.0.0/20", "172.64.144.0/20", "34.111.0.0/16", "1.1.1.1/32", "1.0.0.1/32"],
        database: { multiAz: true, deletionProtection: true, backupRetentionPeriod: 14, instanceClass: "db.r6g.large" },
    },
};

function ofType(stack: RecordedStack, type: string): RecordedResource[] {
    return stack.resources.filter((r) => r.type === type);
}

function countByType(stack: RecordedStack): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of stack.resources) {
        counts[r.type] = (counts[r.type] ?? 0) + 1;
    }
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

function inputs(r: RecordedResource): Record<string, any> {
    return r.inputs as Record<string, any>;
}

function tag(r: RecordedResource, key: string): string | undefined {
    return inputs(r).tags?.[key];
}

/** Subnet id -> tier, from the subnets' `trace:tier` tags. */
function subnetTiers(stack: RecordedStack): Map<string, string> {
    return new Map(ofType(stack, T.subnet).map((s) => [s.id!, tag(s, "trace:tier")!]));
}

function tiersOf(stack: RecordedStack, subnetIds: string[]): string[] {
    const tiers = subnetTiers(stack);
    return [...new Set(subnetIds.map((id) => tiers.get(id) ?? `unknown subnet ${id}`))];
}

function cidrInside(cidr: string, vpcCidr: string): boolean {
    const [address, prefix] = ipaddr.parseCIDR(cidr);
    const vpc = ipaddr.parseCIDR(vpcCidr);
    return address.kind() === vpc[0].kind() && prefix >= vpc[1] && address.match(vpc);
}

describe("the trace-network program (whole stack, recorded offline)", function () {
    const plans: Partial<Record<"dev" | "prod", RecordedStack>> = {};
    let devPreview: RecordedStack;
    let rejected: RecordError;
    let sevenMistakes: RecordError;

    before(async function () {
        this.timeout(180_000);
        // Each recording is its own Node process; running them together keeps the suite to one wait.
        // Plan mode gives every resource an id, so subnets, route tables and SGs can be joined by id.
        // The repo's stacks are recorded once per test run, for every file that checks them.
        [plans.dev, plans.prod, devPreview, rejected, sevenMistakes] = await Promise.all([
            repoStack("dev", "plan"),
            repoStack("prod", "plan"),
            repoStack("dev", "preview"),
            rejection({
                [`${NS}:vpcCidr`]: "10.30.0.1/16",
                [`${NS}:availabilityZones`]: ["eu-west-1a"],
                [`${NS}:jobImage`]: "trace/job-runner:latest",
                [`${NS}:orgSlug`]: "trace",
                [`${NS}:dbDeletionProtection`]: false,
            }),
            rejection({ programDir: SEVEN_MISTAKES_DIR, stack: "dev", mode: "preview" }),
        ]);
    });

    for (const stackName of ["dev", "prod"] as const) {
        const expected = EXPECTED[stackName];
        const plan = (): RecordedStack => plans[stackName]!;

        describe(`stack ${stackName}`, () => {
            it("registers exactly the expected resources by type", () => {
                const counts = { ...COMMON_COUNTS, ...expected.counts };
                expect(countByType(plan())).to.deep.equal(Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))));
            });

            it("has no NAT gateway and no route to anything but the internet gateway", () => {
                expect(ofType(plan(), T.nat)).to.have.length(0);
                const igwId = ofType(plan(), T.igw)[0]!.id;
                const routes = ofType(plan(), T.route).map(inputs);
                expect(routes).to.have.length(1);
                expect(routes[0]!.gatewayId).to.equal(igwId);
                for (const field of ["natGatewayId", "transitGatewayId", "vpcPeeringConnectionId", "networkInterfaceId", "egressOnlyGatewayId"]) {
                    expect(routes[0]![field], field).to.equal(undefined);
                }
            });

            it("gives no app or data route table a route to 0.0.0.0/0 or ::/0, inline or standalone", () => {
                const tables = ofType(plan(), T.routeTable);
                const privateTables = tables.filter((t) => ["app", "data"].includes(tag(t, "trace:tier")!));
                expect(privateTables.map((t) => tag(t, "trace:tier"))).to.deep.equal(["app", "data"]);
                for (const table of privateTables) {
                    expect(inputs(table).routes ?? [], table.name).to.deep.equal([]);
                }
                const privateIds = new Set(privateTables.map((t) => t.id));
                const routesFromPrivate = ofType(plan(), T.route).filter((r) => privateIds.has(inputs(r).routeTableId));
                expect(routesFromPrivate).to.deep.equal([]);
                const egressTable = tables.find((t) => tag(t, "trace:tier") === "egress")!;
                expect(ofType(plan(), T.route).map((r) => [inputs(r).routeTableId, inputs(r).destinationCidrBlock])).to.deep.equal([[egressTable.id, "0.0.0.0/0"]]);
                expect(inputs(ofType(plan(), T.defaultRouteTable)[0]!).routes).to.deep.equal([]);
            });

            it("associates every subnet with the route table of its own tier, and no subnet maps public IPs", () => {
                const tableTier = new Map(ofType(plan(), T.routeTable).map((t) => [t.id!, tag(t, "trace:tier")]));
                const tiers = subnetTiers(plan());
                const associations = ofType(plan(), T.association).map(inputs);
                expect(associations.map((a) => tiers.get(a.subnetId))).to.deep.equal(associations.map((a) => tableTier.get(a.routeTableId)));
                expect(new Set(associations.map((a) => a.subnetId)).size).to.equal(tiers.size);
                expect(ofType(plan(), T.subnet).filter((s) => inputs(s).mapPublicIpOnLaunch !== false)).to.deep.equal([]);
            });

            it("runs every workload in app or data subnets, and only the two gateways in egress subnets with public IPs", () => {
                const services = ofType(plan(), T.service);
                const placement = services.map((s) => [
                    inputs(s).name,
                    tiersOf(plan(), inputs(s).networkConfiguration.subnets),
                    inputs(s).networkConfiguration.assignPublicIp,
                    tag(s, "trace:egress-gateway") ?? null,
                ]);
                placement.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
                expect(placement).to.deep.equal([
                    ["block-follower", ["app"], false, null],
                    ["rpc-egress", ["egress"], true, "rpc"],
                    ["webhook-egress", ["egress"], true, "webhook"],
                ]);
                const lambda = inputs(ofType(plan(), T.lambda)[0]!);
                expect(tiersOf(plan(), lambda.vpcConfig.subnetIds)).to.deep.equal(["app"]);
                const dbSubnets = inputs(ofType(plan(), T.dbSubnetGroup)[0]!).subnetIds as string[];
                expect(tiersOf(plan(), dbSubnets)).to.deep.equal(["data"]);
                expect(dbSubnets).to.have.length(ofType(plan(), T.subnet).length / 3);
                const interfaces = ofType(plan(), T.endpoint).filter((e) => inputs(e).vpcEndpointType === "Interface");
                for (const endpoint of interfaces) {
                    expect(tiersOf(plan(), inputs(endpoint).subnetIds), endpoint.name).to.deep.equal(["app"]);
                    expect(inputs(endpoint).subnetIds, endpoint.name).to.have.length(expected.interfaceEndpointSubnets);
                    expect(inputs(endpoint).privateDnsEnabled, endpoint.name).to.equal(true);
                }
            });

            it("lets only the two gateway SGs send to CIDRs, and every other SG only to SGs, the S3 prefix list or the VPC", () => {
                const gatewaySgs = new Map(ofType(plan(), T.sg).filter((sg) => tag(sg, "trace:egress-gateway") !== undefined).map((sg) => [sg.id!, tag(sg, "trace:egress-gateway")]));
                expect([...gatewaySgs.values()]).to.deep.equal(["webhook", "rpc"]);
                const prefixListId = ofType(plan(), T.endpoint).find((e) => inputs(e).vpcEndpointType === "Gateway")!.outputs.prefixListId;
                const sgIds = new Set(ofType(plan(), T.sg).map((sg) => sg.id));
                const outsideVpc: Record<string, string[]> = {};
                for (const rule of ofType(plan(), T.egressRule).map(inputs)) {
                    const cidr = rule.cidrIpv4 ?? rule.cidrIpv6;
                    if (cidr === undefined) {
                        const target = rule.referencedSecurityGroupId ?? rule.prefixListId;
                        expect(sgIds.has(target) || target === prefixListId, `egress target ${target}`).to.equal(true);
                    } else if (!cidrInside(cidr, expected.vpcCidr)) {
                        const owner = gatewaySgs.get(rule.securityGroupId) ?? `non-gateway SG ${rule.securityGroupId}`;
                        (outsideVpc[owner] ??= []).push(`${cidr}:${rule.fromPort}`);
                    }
                }
                expect(outsideVpc).to.deep.equal({ webhook: ["0.0.0.0/0:443"], rpc: expected.rpcDestinations.map((c) => `${c}:443`) });
                expect(ofType(plan(), T.sg).filter((sg) => inputs(sg).egress !== undefined || inputs(sg).ingress !== undefined)).to.deep.equal([]);
            });

            it("keeps RDS private, KMS-encrypted, in the data tier, with an RDS-managed password and the stack's safeguards", () => {
                const db = inputs(ofType(plan(), T.dbInstance)[0]!);
                const keyArns = ofType(plan(), T.kmsKey).map((k) => k.outputs.arn);
                expect(db).to.deep.include({ publiclyAccessible: false, storageEncrypted: true, manageMasterUserPassword: true, engine: "postgres", ...expected.database });
                expect(keyArns).to.include(db.kmsKeyId);
                expect(db.password).to.equal(undefined);
            });

            it("names every secret on the path convention for this environment, KMS-encrypted, with no value", () => {
                const secrets = ofType(plan(), T.secret).map(inputs);
                expect(secrets.map((s) => s.name)).to.deep.equal(expected.secretNames);
                const shape = new RegExp(`^/${expected.environment}/(trace/[a-z0-9][a-z0-9_-]*|(?!trace/)[a-z0-9][a-z0-9_-]*)/[a-z0-9][a-z0-9_-]*$`);
                const keyArns = ofType(plan(), T.kmsKey).map((k) => k.outputs.arn);
                for (const secret of secrets) {
                    expect(secret.name, secret.name).to.match(shape);
                    expect(keyArns, secret.name).to.include(secret.kmsKeyId);
                    expect(secret.namePrefix, secret.name).to.equal(undefined);
                }
                expect(stackOutputsOf(plan()).secretArns).to.have.keys(expected.secretNames);
            });

            it("hardens every task definition and pins every image by digest", () => {
                const tasks = ofType(plan(), T.task);
                expect(tasks).to.have.length(5);
                for (const task of tasks) {
                    expect(inputs(task).networkMode, task.name).to.equal("awsvpc");
                    expect(inputs(task).ephemeralStorage, task.name).to.deep.equal({ sizeInGib: 21 });
                    const containers = JSON.parse(inputs(task).containerDefinitions);
                    for (const c of containers) {
                        expect(c, task.name).to.deep.include({ readonlyRootFilesystem: true, privileged: false, user: "10001:10001" });
                        expect(c.image, task.name).to.match(/@sha256:[a-f0-9]{64}$/);
                        expect(c.logConfiguration.logDriver, task.name).to.equal("awslogs");
                    }
                }
            });

            it("gives platform operators their secrets by ARN under /{env}/trace/ and untrusted jobs none", () => {
                const secretArns = new Map(ofType(plan(), T.secret).map((s) => [s.outputs.arn as string, inputs(s).name as string]));
                const injected = Object.fromEntries(
                    ofType(plan(), T.task).map((t) => [
                        inputs(t).family,
                        JSON.parse(inputs(t).containerDefinitions)[0].secrets.map((s: { name: string; valueFrom: string }) => `${s.name}=${secretArns.get(s.valueFrom)}`),
                    ]),
                );
                const env = expected.environment;
                expect(injected).to.deep.equal({
                    [`trace-${env}-job`]: [],
                    [`trace-${env}-cryo-ingest`]: [`RPC_API_KEY=/${env}/trace/cryo_ingest/rpc_api_key`],
                    [`trace-${env}-block-follower`]: [`MONAD_RPC_KEY=/${env}/trace/block_follower/monad_rpc_key`],
                    [`trace-${env}-webhook-egress`]: [],
                    [`trace-${env}-rpc-egress`]: [],
                });
            });

            it("tags every role, function, task definition, service and SG with its trust, and subnets and route tables with their tier", () => {
                const trustBearing = [T.sg, T.service, T.task, T.lambda, "aws:iam/role:Role"];
                const untagged = plan()
                    .resources.filter((r) => trustBearing.includes(r.type) && !["untrusted", "platform", "service"].includes(tag(r, "trace:trust")!))
                    .map((r) => r.urn);
                expect(untagged).to.deep.equal([]);
                const untiered = [...ofType(plan(), T.subnet), ...ofType(plan(), T.routeTable)].filter((r) => !["app", "data", "egress"].includes(tag(r, "trace:tier")!));
                expect(untiered.map((r) => r.urn)).to.deep.equal([]);
                const untrusted = plan()
                    .resources.filter((r) => tag(r, "trace:trust") === "untrusted")
                    .map((r) => `${r.type.split(":").pop()} ${r.name}`)
                    .sort();
                expect(untrusted).to.deep.equal([
                    "Function trace-udf-runner",
                    "Role trace-job-execution",
                    "Role trace-job-task",
                    "Role trace-udf",
                    "SecurityGroup trace-jobs",
                    "SecurityGroup trace-udf",
                    "TaskDefinition trace-job",
                ]);
            });

            it("attaches the UDF Lambda to the VPC with the udf SG and no environment", () => {
                const lambda = inputs(ofType(plan(), T.lambda)[0]!);
                const udfSg = ofType(plan(), T.sg).find((sg) => sg.name === "trace-udf")!;
                expect(lambda.vpcConfig.securityGroupIds).to.deep.equal([udfSg.id]);
                expect(lambda.vpcConfig.subnetIds).to.have.length(ofType(plan(), T.subnet).length / 3);
                expect(lambda.environment).to.equal(undefined);
                expect(tag(ofType(plan(), T.lambda)[0]!, "trace:trust")).to.equal("untrusted");
            });

            it("gives every VPC endpoint a policy whose every Allow needs the account's identity and resource, but for ECR's layer bucket", () => {
                const endpoints = ofType(plan(), T.endpoint);
                const perimeter = { StringEquals: { "aws:PrincipalAccount": expected.accountId, "aws:ResourceAccount": expected.accountId } };
                for (const endpoint of endpoints) {
                    const statements = JSON.parse(inputs(endpoint).policy).Statement as Record<string, unknown>[];
                    const open = statements.filter((st) => st.Effect === "Allow" && JSON.stringify(st.Condition) !== JSON.stringify(perimeter));
                    const expectedOpen =
                        inputs(endpoint).vpcEndpointType === "Gateway"
                            ? [{ Sid: "EcrImageLayers", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*" }]
                            : [];
                    expect(open, endpoint.name).to.deep.equal(expectedOpen);
                    expect(statements.length - open.length, endpoint.name).to.equal(1);
                }
            });

            it("alarms, through a KMS-encrypted topic, on rejected egress and on egress leaving the VPC from the app and data subnets", () => {
                const flowLogGroup = ofType(plan(), "aws:cloudwatch/logGroup:LogGroup").find((g) => g.outputs.arn === inputs(ofType(plan(), T.flowLog)[0]!).logDestination)!;
                const tiers = subnetTiers(plan());
                const sources = [...tiers].filter(([, tier]) => tier !== "egress").map(([id]) => `subnet_id = "${id}"`).join(" || ");
                const flowLogFilters = ofType(plan(), T.metricFilter).filter((f) => !f.name.includes("dns"));
                const filters = flowLogFilters.map(inputs);
                expect(filters.map((f) => f.logGroupName)).to.deep.equal([inputs(flowLogGroup).name, inputs(flowLogGroup).name]);
                // Through the group's output, so no filter is created before its group exists.
                for (const filter of flowLogFilters) {
                    expect(filter.propertyDependencies.logGroupName, filter.name).to.deep.equal([flowLogGroup.urn]);
                }
                for (const filter of filters) {
                    expect(filter.pattern).to.contain(`, ${sources}, interface_id,`);
                }
                expect(filters.map((f) => f.pattern.match(/action = "(\w+)"/)[1])).to.deep.equal(["REJECT", "ACCEPT"]);
                const topic = ofType(plan(), T.topic)[0]!;
                expect(ofType(plan(), T.kmsKey).map((k) => k.outputs.arn)).to.include(inputs(topic).kmsMasterKeyId);
                for (const alarm of ofType(plan(), T.alarm)) {
                    expect(inputs(alarm).alarmActions, alarm.name).to.deep.equal([topic.outputs.arn]);
                    expect(ofType(plan(), T.metricFilter).map((f) => inputs(f).metricTransformation.name), alarm.name).to.include(inputs(alarm).metricName);
                }
            });

            it("puts the VPC behind a fail-closed DNS Firewall, logs its queries as long as its flows, and alarms on blocked queries to the same topic", () => {
                const vpc = ofType(plan(), T.vpc)[0]!;
                const association = ofType(plan(), "aws:route53/resolverFirewallRuleGroupAssociation:ResolverFirewallRuleGroupAssociation")[0]!;
                expect(inputs(association).vpcId).to.equal(vpc.outputs.id);
                const firewallConfig = ofType(plan(), "aws:route53/resolverFirewallConfig:ResolverFirewallConfig")[0]!;
                expect([inputs(firewallConfig).resourceId, inputs(firewallConfig).firewallFailOpen]).to.deep.equal([vpc.outputs.id, "DISABLED"]);
                const allowed = ofType(plan(), "aws:route53/resolverFirewallDomainList:ResolverFirewallDomainList").find((l) => l.name.endsWith("allowed"))!;
                expect(inputs(allowed).domains.slice(0, 4)).to.deep.equal(["eu-west-1.amazonaws.com", "*.eu-west-1.amazonaws.com", `${expected.environment}.trace.internal`, `*.${expected.environment}.trace.internal`]);
                const groups = ofType(plan(), "aws:cloudwatch/logGroup:LogGroup").map(inputs);
                const queryLogs = groups.find((g) => g.name === `/trace/${expected.environment}/resolver-query-logs`)!;
                expect(queryLogs.retentionInDays).to.equal(groups.find((g) => g.name === `/trace/${expected.environment}/vpc-flow-logs`)!.retentionInDays);
                const alarm = ofType(plan(), T.alarm).find((a) => a.name.endsWith("dns-blocked"))!;
                expect([inputs(alarm).metricName, inputs(alarm).alarmActions]).to.deep.equal(["DnsQueriesBlocked", [ofType(plan(), T.topic)[0]!.outputs.arn]]);
            });

            it(`protects the database, the KMS keys and the secrets ${stackName === "prod" ? "in prod" : "only in prod, so not in dev"}, and nothing else`, () => {
                const guarded = [T.dbInstance, T.kmsKey, T.secret];
                const protectedTypes = plan().resources.filter((r) => r.options.protect).map((r) => r.type);
                const expectedTypes = stackName === "prod" ? plan().resources.filter((r) => guarded.includes(r.type)).map((r) => r.type) : [];
                expect(protectedTypes).to.deep.equal(expectedTypes);
                expect(protectedTypes.length).to.equal(stackName === "prod" ? 1 + 3 + expected.secretNames.length : 0);
            });

            it("deploys through one explicit provider pinned to the stack's account, and parents everything under a component", () => {
                const provider = ofType(plan(), T.provider)[0]!;
                expect(inputs(provider).allowedAccountIds).to.deep.equal(JSON.stringify([expected.accountId]));
                const providerRef = `${provider.urn}::${provider.id}`;
                const awsResources = plan().resources.filter((r) => r.custom && r.type.startsWith("aws:"));
                expect(awsResources.filter((r) => r.provider !== providerRef).map((r) => r.urn)).to.deep.equal([]);
                const stackUrn = ofType(plan(), T.stack)[0]!.urn;
                const components = new Set(plan().resources.filter((r) => r.type.startsWith("trace:")).map((r) => r.urn));
                expect(awsResources.filter((r) => !components.has(r.parent!)).map((r) => r.urn)).to.deep.equal([]);
                expect(plan().resources.filter((r) => r.type.startsWith("trace:") && r.parent !== stackUrn)).to.deep.equal([]);
            });

            it("exports the VPC, subnets per tier, endpoints, cluster, SGs, gateway DNS names and secret ARNs", () => {
                const outputs = stackOutputsOf(plan());
                // Plan mode synthesises the RDS instance's output-only properties: `endpoint` (a string
                // the recorder leaves empty rather than invent an address) is exported; `masterUserSecrets`
                // is synthesised as an empty list, so the master secret's ARN is undefined and left out.
                const expectedKeys = [
                    "clusterArn",
                    "databaseEndpoint",
                    "gatewayDnsNames",
                    "interfaceEndpointIds",
                    "jobTaskDefinitionArn",
                    "operatorTaskDefinitionArns",
                    "s3EndpointId",
                    "secretArns",
                    "securityGroupIds",
                    "subnetIds",
                    "egressAlarmTopicArn",
                    "udfFunctionArn",
                    "vpcId",
                ];
                expect(Object.keys(outputs).sort()).to.deep.equal(expectedKeys.sort());
                expect(outputs.databaseEndpoint).to.equal("");
                expect(outputs.gatewayDnsNames).to.deep.equal({
                    webhook: `webhook-egress.${expected.environment}.trace.internal`,
                    rpc: `rpc-egress.${expected.environment}.trace.internal`,
                });
                expect(Object.keys(outputs.subnetIds)).to.deep.equal(["app", "data", "egress"]);
                expect(Object.keys(outputs.operatorTaskDefinitionArns).sort()).to.deep.equal(["block_follower", "cryo_ingest"]);
                expect(Object.keys(outputs.securityGroupIds).sort()).to.deep.equal(
                    ["database", "endpoints", "jobs", "platform", "rpc-gateway", "services", "udf", "webhook-gateway"],
                );
            });
        });
    }

    it("wires the security groups of dev exactly as DESIGN.md's table, gateway clients included", () => {
        const stack = plans.dev!;
        const names = new Map<string, string>(ofType(stack, T.sg).map((sg) => [sg.id!, tag(sg, "Name")!]));
        const prefixListId = ofType(stack, T.endpoint).find((e) => inputs(e).vpcEndpointType === "Gateway")!.outputs.prefixListId as string;
        names.set(prefixListId, "s3");
        const label = (id: string): string => names.get(id) ?? id;
        const lines = [...ofType(stack, T.egressRule), ...ofType(stack, T.ingressRule)]
            .map((r) => {
                const i = inputs(r);
                const egress = r.type === T.egressRule;
                return `${label(i.securityGroupId)} ${egress ? "->" : "<-"} ${label(i.referencedSecurityGroupId ?? i.prefixListId ?? i.cidrIpv4)} ${i.fromPort}`;
            })
            .sort();
        const sg = (key: string): string => `trace-${key}`;
        const webhook = "trace-dev-webhook-egress";
        const rpc = "trace-dev-rpc-egress";
        const expected: string[] = [];
        for (const consumer of ["jobs", "udf", "platform", "services"]) {
            expected.push(`${sg(consumer)} -> trace-endpoints 443`, `trace-endpoints <- ${sg(consumer)} 443`, `${sg(consumer)} -> s3 443`);
        }
        expected.push(`${sg("services")} -> trace-endpoints 587`, `trace-endpoints <- ${sg("services")} 587`);
        for (const caller of ["jobs", "udf", "platform"]) {
            expected.push(`${sg(caller)} -> ${sg("services")} 8080`, `${sg("services")} <- ${sg(caller)} 8080`);
        }
        for (const client of ["services", "platform"]) {
            expected.push(`${sg(client)} -> ${sg("database")} 5432`, `${sg("database")} <- ${sg(client)} 5432`);
        }
        for (const client of ["services", "jobs", "udf", "platform"]) {
            expected.push(`${sg(client)} -> ${webhook} 8443`, `${webhook} <- ${sg(client)} 8443`);
        }
        expected.push(`${sg("platform")} -> ${rpc} 8545`, `${rpc} <- ${sg("platform")} 8545`);
        for (const gateway of [webhook, rpc]) {
            expected.push(`${gateway} -> 0.0.0.0/0 443`, `${gateway} -> trace-endpoints 443`, `trace-endpoints <- ${gateway} 443`, `${gateway} -> s3 443`);
        }
        expect(lines).to.deep.equal(expected.sort());
    });

    it("registers the same resources in preview, where new resources' outputs are unknown, and exports the database endpoint and master secret unknown", () => {
        expect(countByType(devPreview)).to.deep.equal(countByType(plans.dev!));
        expect(stackOutputsOf(devPreview).databaseEndpoint).to.equal(UNKNOWN);
        expect(stackOutputsOf(devPreview).databaseMasterUserSecretArn).to.equal(UNKNOWN);
    });

    it("stops on bad config with every problem in one error, before a single resource is registered", () => {
        expect(rejected.kind).to.equal(RecordErrorKind.Program);
        expect(rejected.message).to.contain("Stack config has 5 problem(s); nothing was deployed:");
        for (const line of [
            '- trace-network:vpcCidr = "10.30.0.1/16": has host bits set; did you mean 10.30.0.0/16?',
            '- trace-network:availabilityZones = "[\\"eu-west-1a\\"]": needs at least 2 availability zones, got 1',
            '- trace-network:jobImage = "trace/job-runner:latest": must be pinned by digest in prod',
            '- trace-network:dbDeletionProtection = "false": must be true in prod',
            "- trace-network:orgSlug = \"trace\": 'trace' is the platform's own secret namespace",
        ]) {
            expect(rejected.message).to.contain(line);
        }
        expect(rejected.registered).to.deep.equal([]);
    });

    it("shows all seven mistakes of a newcomer's stack file in one run, each with its key and value, and no stack trace", () => {
        expect(sevenMistakes.kind).to.equal(RecordErrorKind.Program);
        const lines = sevenMistakes.message.split("\n");
        expect(lines.filter((line) => line.startsWith("  - "))).to.deep.equal([
            '  - trace-network:serviceDomian = "x": is not a trace-network config key; did you mean trace-network:serviceDomain?',
            '  - trace-network:vpcCidr = "10.20.0.1/16": has host bits set; did you mean 10.20.0.0/16?',
            '  - trace-network:appSubnetPrefixLength = "17": the tiers no longer fit: 2 x /17 (app) + 2 x /24 (data) + 2 x /26 (egress) do not fit ' +
                "in the VPC block 10.20.0.0/16 (4 subnet(s) left over); use longer prefix lengths or a larger vpcCidr",
            '  - trace-network:webhookGatewayDestinationCidrs = "300.1.2.3/8": not a CIDR block (expected a.b.c.d/n or an IPv6 prefix)',
            '  - trace-network:dbAllocatedStorageGiB = "twenty": must be an integer from 20 to 65536',
            '  - trace-network:dbMultiAz = "yes": must be true or false',
            "  - trace-network:orgSlug = (not set): is required: Organisation slug, the {org_slug} segment of org-scoped job secrets; lower-case letters, digits, _ and -, starting with a letter or a digit, and not 'trace'.",
        ]);
        expect(sevenMistakes.message).to.contain("Stack config has 7 problem(s); nothing was deployed:");
        expect(lines.filter((line) => /^\s+at /.test(line))).to.deep.equal([]);
        expect(sevenMistakes.message).not.to.contain("ConfigError");
        expect(sevenMistakes.registered).to.deep.equal([]);
    });
});

function stackOutputsOf(stack: RecordedStack): Record<string, any> {
    return stack.stackOutputs as Record<string, any>;
}

/** Records prod with config overrides (or another project's stack) that the program must reject, and returns the rejection. */
async function rejection(what: Record<string, unknown> | RecordOptions): Promise<RecordError> {
    const options: RecordOptions = "programDir" in what ? (what as RecordOptions) : { programDir: PROGRAM_DIR, stack: "prod", mode: "preview", configOverrides: what };
    try {
        await recordStack(options);
    } catch (e) {
        if (e instanceof RecordError) {
            return e;
        }
        throw e;
    }
    throw new Error("the program accepted bad config");
}
