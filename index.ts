import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Compute } from "./components/compute";
import { Database } from "./components/database";
import { DnsFirewall } from "./components/dns-firewall";
import { EgressAlarms } from "./components/egress-alarms";
import { EgressGateway } from "./components/egress-gateway";
import { Endpoints } from "./components/endpoints";
import { Network } from "./components/network";
import { Secrets } from "./components/secrets";
import { SecurityGroups, WorkloadSg } from "./components/security-groups";
import { Environment, GatewayKind, loadConfig, Tier } from "./config";

// Validation runs before the first resource, so a bad stack file registers nothing.
const config = loadConfig();
const name = "trace";
// Prod's database, keys and secrets hold what cannot be recreated; Pulumi must refuse to delete them.
const protectData = config.environment === Environment.Prod;

// One explicit provider: it refuses to run against any account but the configured one, and its
// default tags put the stack's tags on every resource that takes tags.
const provider = new aws.Provider("aws", {
    region: config.region,
    allowedAccountIds: [config.accountId],
    defaultTags: { tags: { ...config.tags } },
});
const opts: pulumi.ComponentResourceOptions = { providers: [provider] };

const network = new Network(
    name,
    {
        cidrBlock: config.vpcCidr,
        subnets: config.subnets,
        accountId: config.accountId,
        flowLogGroupName: `/trace/${config.environment}/vpc-flow-logs`,
        flowLogRetentionDays: config.flowLogRetentionDays,
    },
    opts,
);

const subnetIdsIn = (tier: Tier, zones: readonly string[]): pulumi.Output<string>[] => zones.map((zone) => network.subnetIds[tier][zone]!);
const appSubnetIds = subnetIdsIn(Tier.App, config.availabilityZones);
const routeTableId = (tier: Tier): pulumi.Output<string> => network.routeTableIds[tier]!;

const endpoints = new Endpoints(
    name,
    {
        vpcId: network.vpcId,
        region: config.region,
        perimeter: config.perimeter,
        s3RouteTableIds: config.dataTierS3Endpoint ? [routeTableId(Tier.App), routeTableId(Tier.Data)] : [routeTableId(Tier.App)],
        interfaceSubnetIds: subnetIdsIn(Tier.App, config.availabilityZones.slice(0, config.endpointAzCount)),
        interfaceServices: config.interfaceEndpoints,
    },
    opts,
);

// The group's name as the Network's output, so the filters wait for the group to exist.
const egressAlarms = new EgressAlarms(
    name,
    {
        environment: config.environment,
        region: config.region,
        accountId: config.accountId,
        flowLogGroupName: network.flowLogGroupName,
        sourceSubnetIds: [...subnetIdsIn(Tier.App, config.availabilityZones), ...subnetIdsIn(Tier.Data, config.availabilityZones)],
        subscribers: config.alertSubscribers,
        protectKey: protectData,
    },
    opts,
);

// Every query of the VPC, jobs' and gateways' alike, goes through it; the gateways resolve customer
// and provider names on their own (README, "How the egress gateways resolve names").
new DnsFirewall(
    name,
    {
        environment: config.environment,
        region: config.region,
        vpcId: network.vpcId,
        vpcCidr: config.vpcCidr,
        internalDomain: config.serviceDomain,
        queryLogRetentionDays: config.flowLogRetentionDays,
        alarmTopicArn: egressAlarms.topicArn,
    },
    opts,
);

const securityGroups = new SecurityGroups(
    name,
    {
        vpcId: network.vpcId,
        endpointSecurityGroupId: endpoints.securityGroupId,
        s3PrefixListId: endpoints.s3PrefixListId,
        servicePorts: config.servicePorts,
    },
    opts,
);

const secrets = new Secrets(
    name,
    { environment: config.environment, platformSecrets: config.platformSecrets, orgSecrets: config.orgSecrets, protectData },
    opts,
);

const database = new Database(
    name,
    {
        environment: config.environment,
        subnetIds: subnetIdsIn(Tier.Data, config.availabilityZones),
        securityGroupId: securityGroups.ids[WorkloadSg.Database],
        settings: config.database,
        protectData,
    },
    opts,
);

const compute = new Compute(
    name,
    {
        environment: config.environment,
        region: config.region,
        accountId: config.accountId,
        vpcId: network.vpcId,
        appSubnetIds,
        securityGroupIds: {
            jobs: securityGroups.ids[WorkloadSg.Jobs],
            udf: securityGroups.ids[WorkloadSg.Udf],
            platform: securityGroups.ids[WorkloadSg.Platform],
        },
        serviceDomain: config.serviceDomain,
        jobImage: config.jobImage,
        operatorImages: config.operatorImages,
        jobDataLocations: config.jobDataLocations,
        jobQueueNames: config.jobQueueNames,
        platformSecrets: config.platformSecrets.map((secret) => ({ ...secret, arn: secrets.arns[secret.path]! })),
        secretsKmsKeyArn: secrets.kmsKeyArn,
        logRetentionDays: config.logRetentionDays,
    },
    opts,
);

// Who may call which gateway (DESIGN.md "Security groups"): webhooks for everything in-VPC that
// delivers alerts, RPC for platform operators only.
const gatewayClients: Record<GatewayKind, Record<string, pulumi.Output<string>>> = {
    [GatewayKind.Webhook]: {
        [WorkloadSg.Services]: securityGroups.ids[WorkloadSg.Services],
        [WorkloadSg.Jobs]: securityGroups.ids[WorkloadSg.Jobs],
        [WorkloadSg.Udf]: securityGroups.ids[WorkloadSg.Udf],
        [WorkloadSg.Platform]: securityGroups.ids[WorkloadSg.Platform],
    },
    [GatewayKind.Rpc]: {
        [WorkloadSg.Platform]: securityGroups.ids[WorkloadSg.Platform],
    },
};

const gateways = {} as Record<GatewayKind, EgressGateway>;
for (const kind of Object.values(GatewayKind)) {
    const gateway = config.gateways[kind];
    gateways[kind] = new EgressGateway(
        `${name}-${kind}`,
        {
            kind,
            environment: config.environment,
            region: config.region,
            accountId: config.accountId,
            vpcId: network.vpcId,
            subnetIds: subnetIdsIn(Tier.Egress, config.availabilityZones),
            clusterArn: compute.clusterArn,
            namespaceId: compute.namespaceId,
            namespaceName: compute.namespaceName,
            image: gateway.image,
            port: gateway.port,
            destinationCidrs: gateway.destinationCidrs,
            destinationPorts: gateway.destinationPorts,
            taskCount: gateway.taskCount,
            clients: gatewayClients[kind],
            endpointSecurityGroupId: endpoints.securityGroupId,
            s3PrefixListId: endpoints.s3PrefixListId,
            logRetentionDays: config.logRetentionDays,
        },
        opts,
    );
}

export const vpcId = network.vpcId;
export const subnetIds = network.subnetIds;
export const s3EndpointId = endpoints.s3EndpointId;
export const interfaceEndpointIds = endpoints.interfaceEndpointIds;
export const clusterArn = compute.clusterArn;
// What the Dispatcher needs to launch jobs and operators with RunTask (with the app subnets and SGs above).
export const jobTaskDefinitionArn = compute.jobTaskDefinitionArn;
export const operatorTaskDefinitionArns = compute.operatorTaskDefinitionArns;
export const securityGroupIds = {
    ...securityGroups.ids,
    endpoints: endpoints.securityGroupId,
    [`${GatewayKind.Webhook}-gateway`]: gateways[GatewayKind.Webhook].securityGroupId,
    [`${GatewayKind.Rpc}-gateway`]: gateways[GatewayKind.Rpc].securityGroupId,
};
export const gatewayDnsNames = {
    [GatewayKind.Webhook]: gateways[GatewayKind.Webhook].dnsName,
    [GatewayKind.Rpc]: gateways[GatewayKind.Rpc].dnsName,
};
export const udfFunctionArn = compute.udfFunctionArn;
export const databaseEndpoint = database.endpoint;
export const databaseMasterUserSecretArn = database.masterUserSecretArn;
export const secretArns = secrets.arns;
export const egressAlarmTopicArn = egressAlarms.topicArn;
