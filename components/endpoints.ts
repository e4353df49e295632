import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Trust } from "../config/types";
import { slug, trustTags } from "./common";

export interface EndpointsArgs {
    readonly vpcId: pulumi.Input<string>;
    readonly region: string;
    /** The only account whose buckets the S3 endpoint lets traffic reach (besides the ECR layer bucket). */
    readonly accountId: string;
    /** Route tables that get the S3 gateway endpoint (app, and data when configured). */
    readonly s3RouteTableIds: pulumi.Input<string>[];
    /** Subnets that carry the interface endpoint ENIs: one app subnet per chosen AZ. */
    readonly interfaceSubnetIds: pulumi.Input<string>[];
    /** Interface endpoint services by short name, e.g. `ecr.api`. */
    readonly interfaceServices: readonly string[];
}

/** The bucket ECR serves image layers from; without it no image can be pulled through the S3 endpoint. */
export function ecrLayerBucket(region: string): string {
    return `prod-${region}-starport-layer-bucket`;
}

/**
 * The S3 gateway endpoint policy: objects and buckets of this account, plus reads of the regional ECR
 * layer bucket. Any other bucket (someone else's) is unreachable through the endpoint, so it is not an
 * exfiltration path.
 */
export function s3EndpointPolicy(region: string, accountId: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ThisAccountBucketsOnly",
                Effect: "Allow",
                Principal: "*",
                Action: "s3:*",
                Resource: "*",
                Condition: { StringEquals: { "aws:ResourceAccount": accountId } },
            },
            {
                Sid: "EcrImageLayers",
                Effect: "Allow",
                Principal: "*",
                Action: "s3:GetObject",
                Resource: `arn:aws:s3:::${ecrLayerBucket(region)}/*`,
            },
        ],
    });
}

/**
 * How AWS APIs are reached without internet egress (DESIGN.md "Endpoints"): the S3 gateway endpoint with
 * an account-restricting policy, interface endpoints with private DNS, and the endpoint security group.
 * The endpoint SG starts with no rules: ingress from each consumer SG is added where consumers are
 * defined (`SecurityGroups`, `EgressGateway`), and it never gets egress.
 */
export class Endpoints extends pulumi.ComponentResource {
    readonly s3EndpointId: pulumi.Output<string>;
    /** The S3 managed prefix list, the destination of workloads' S3 egress rules. */
    readonly s3PrefixListId: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    /** Interface endpoint ids by service short name. */
    readonly interfaceEndpointIds: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: EndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trace:network:Endpoints", name, {}, opts);
        const parent = { parent: this };

        const s3 = new aws.ec2.VpcEndpoint(
            `${name}-s3`,
            {
                vpcId: args.vpcId,
                serviceName: `com.amazonaws.${args.region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: args.s3RouteTableIds,
                policy: s3EndpointPolicy(args.region, args.accountId),
                tags: { Name: `${name}-s3` },
            },
            parent,
        );
        this.s3EndpointId = s3.id;
        this.s3PrefixListId = s3.prefixListId;

        const sg = new aws.ec2.SecurityGroup(
            `${name}-endpoints-sg`,
            {
                vpcId: args.vpcId,
                description: "Interface VPC endpoints: TCP 443 from consumer security groups only, no egress",
                tags: trustTags(Trust.Service, `${name}-endpoints`),
            },
            parent,
        );
        this.securityGroupId = sg.id;

        this.interfaceEndpointIds = {};
        for (const service of args.interfaceServices) {
            const endpoint = new aws.ec2.VpcEndpoint(
                `${name}-${slug(service)}`,
                {
                    vpcId: args.vpcId,
                    serviceName: `com.amazonaws.${args.region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: args.interfaceSubnetIds,
                    securityGroupIds: [sg.id],
                    tags: { Name: `${name}-${slug(service)}` },
                },
                parent,
            );
            this.interfaceEndpointIds[service] = endpoint.id;
        }

        this.registerOutputs({
            s3EndpointId: this.s3EndpointId,
            s3PrefixListId: this.s3PrefixListId,
            securityGroupId: this.securityGroupId,
            interfaceEndpointIds: this.interfaceEndpointIds,
        });
    }
}
