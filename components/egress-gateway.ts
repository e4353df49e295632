import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Environment, GatewayKind } from "../config/types";
import { gatewayTags, serviceTrustPolicy } from "./common";
import { HTTPS_PORT } from "./security-groups";
import { allowTcpBetween, allowTcpToCidr, allowTcpToPrefixList, SgRef } from "./sg-rules";
import { hardenedTaskDefinition } from "./task-definition";

const ECS_TASK_EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

export interface EgressGatewayArgs {
    readonly kind: GatewayKind;
    readonly environment: Environment;
    readonly region: string;
    readonly accountId: string;
    readonly vpcId: pulumi.Input<string>;
    /** Egress-tier subnets: the only subnets with a route to the internet. */
    readonly subnetIds: pulumi.Input<string>[];
    readonly clusterArn: pulumi.Input<string>;
    /** Cloud Map namespace the gateway's DNS name is registered in. */
    readonly namespaceId: pulumi.Input<string>;
    readonly namespaceName: pulumi.Input<string>;
    readonly image: string;
    /** Port in-VPC callers connect to. */
    readonly port: number;
    /** The allowlist: internet CIDRs and ports the gateway may reach. */
    readonly destinationCidrs: readonly string[];
    readonly destinationPorts: readonly number[];
    readonly taskCount: number;
    /** Security groups allowed to call the gateway, by stable key; each gets a matching egress rule. */
    readonly clients: Readonly<Record<string, pulumi.Input<string>>>;
    /** The gateway pulls images and ships logs through the interface endpoints and the S3 endpoint. */
    readonly endpointSecurityGroupId: pulumi.Input<string>;
    readonly s3PrefixListId: pulumi.Input<string>;
    readonly logRetentionDays: number;
}

/**
 * One of the two ways to the internet (DESIGN.md "Egress gateways"): a Fargate service in the egress
 * subnets with a public IP per task, its own security group whose egress is the configured allowlist,
 * ingress only from its clients, and a private Cloud Map name in-VPC callers use.
 */
export class EgressGateway extends pulumi.ComponentResource {
    readonly securityGroupId: pulumi.Output<string>;
    readonly serviceName: pulumi.Output<string>;
    /** e.g. `webhook-egress.dev.trace.internal`. */
    readonly dnsName: pulumi.Output<string>;

    constructor(name: string, args: EgressGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trace:egress:EgressGateway", name, {}, opts);
        const parent = { parent: this };
        const serviceKey = `${args.kind}-egress`;
        const physical = `trace-${args.environment}-${serviceKey}`;

        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `${args.kind} egress gateway: ingress from its clients on ${args.port}, egress to its allowlist`,
                tags: gatewayTags(args.kind, physical),
            },
            parent,
        );
        this.securityGroupId = sg.id;
        const self: SgRef = { key: serviceKey, id: sg.id };

        for (const cidr of args.destinationCidrs) {
            for (const port of args.destinationPorts) {
                allowTcpToCidr(name, self, cidr, port, this);
            }
        }
        allowTcpBetween(name, self, { key: "endpoints", id: args.endpointSecurityGroupId }, HTTPS_PORT, this);
        allowTcpToPrefixList(name, self, { key: "s3", id: args.s3PrefixListId }, HTTPS_PORT, this);
        for (const [key, id] of Object.entries(args.clients)) {
            allowTcpBetween(name, { key, id }, self, args.port, this);
        }

        const logs = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: `/trace/${args.environment}/gateways/${serviceKey}`, retentionInDays: args.logRetentionDays },
            parent,
        );
        const executionRole = new aws.iam.Role(
            `${name}-execution`,
            { assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", args.accountId), tags: gatewayTags(args.kind, `${physical}-execution`) },
            parent,
        );
        new aws.iam.RolePolicyAttachment(`${name}-execution`, { role: executionRole.name, policyArn: ECS_TASK_EXECUTION_POLICY }, parent);
        // The gateway forwards traffic; it calls no AWS API, so its task role has no policy at all.
        const taskRole = new aws.iam.Role(
            `${name}-task`,
            { assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", args.accountId), tags: gatewayTags(args.kind, `${physical}-task`) },
            parent,
        );
        const task = hardenedTaskDefinition(
            `${name}-task`,
            {
                family: physical,
                containerName: serviceKey,
                image: args.image,
                region: args.region,
                logGroupName: logs.name,
                executionRoleArn: executionRole.arn,
                taskRoleArn: taskRole.arn,
                containerPorts: [args.port],
                tags: gatewayTags(args.kind, physical),
            },
            parent,
        );

        const discovery = new aws.servicediscovery.Service(
            `${name}-discovery`,
            {
                name: serviceKey,
                dnsConfig: { namespaceId: args.namespaceId, routingPolicy: "MULTIVALUE", dnsRecords: [{ type: "A", ttl: 10 }] },
                tags: gatewayTags(args.kind, physical),
            },
            parent,
        );
        const service = new aws.ecs.Service(
            `${name}-service`,
            {
                name: serviceKey,
                cluster: args.clusterArn,
                taskDefinition: task.arn,
                desiredCount: args.taskCount,
                launchType: "FARGATE",
                // The one place a public IP is allowed: each task reaches the internet through the IGW itself.
                networkConfiguration: { subnets: args.subnetIds, securityGroups: [sg.id], assignPublicIp: true },
                serviceRegistries: { registryArn: discovery.arn },
                deploymentCircuitBreaker: { enable: true, rollback: true },
                propagateTags: "SERVICE",
                tags: gatewayTags(args.kind, physical),
            },
            parent,
        );
        this.serviceName = service.name;
        this.dnsName = pulumi.interpolate`${serviceKey}.${args.namespaceName}`;

        this.registerOutputs({ securityGroupId: this.securityGroupId, serviceName: this.serviceName, dnsName: this.dnsName });
    }
}
