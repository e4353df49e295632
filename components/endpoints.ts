import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Perimeter, PerimeterScope, Trust } from "../config/types";
import { slug, trustTags } from "./common";

export interface EndpointsArgs {
    readonly vpcId: pulumi.Input<string>;
    readonly region: string;
    /** Whose identities may use the endpoints, and whose resources they may reach: the stack's account or its organization. */
    readonly perimeter: Perimeter;
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

/** The condition keys of each perimeter scope: the identity perimeter, then the resource perimeter. */
const PERIMETER_KEYS: Readonly<Record<PerimeterScope, { readonly principal: string; readonly resource: string }>> = {
    [PerimeterScope.Account]: { principal: "aws:PrincipalAccount", resource: "aws:ResourceAccount" },
    [PerimeterScope.Organization]: { principal: "aws:PrincipalOrgID", resource: "aws:ResourceOrgID" },
};

/**
 * Both perimeters as one condition: the caller's credentials and the resource it touches must both
 * belong to the perimeter. `StringEquals` on keys AWS always sets for signed requests, so neither a
 * foreign credential brought into the VPC nor a foreign resource gets through.
 */
export function perimeterCondition(perimeter: Perimeter): object {
    const keys = PERIMETER_KEYS[perimeter.scope];
    return { StringEquals: { [keys.principal]: perimeter.id, [keys.resource]: perimeter.id } };
}

const WITHIN_PERIMETER_SID = "PerimeterIdentitiesToPerimeterResources";

/**
 * The S3 gateway endpoint policy: requests by the perimeter's identities to the perimeter's buckets,
 * plus one exception, reads of the regional ECR layer bucket. ECR hands image pulls a presigned URL
 * signed by an AWS-owned ECR account for a bucket AWS owns, so neither perimeter can hold for it
 * (AWS: "Minimum Amazon S3 bucket permissions for Amazon ECR"; aws-samples/data-perimeter-policy-examples).
 */
export function s3EndpointPolicy(region: string, perimeter: Perimeter): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: WITHIN_PERIMETER_SID, Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*", Condition: perimeterCondition(perimeter) },
            { Sid: "EcrImageLayers", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${ecrLayerBucket(region)}/*` },
        ],
    });
}

/**
 * Every interface endpoint's policy: any action, only by the perimeter's identities on the perimeter's
 * resources. No service behind our interface endpoints needs an exception: image manifests (ecr.api,
 * ecr.dkr), task logs (logs), injected secrets (secretsmanager) and everything else are called with
 * our own roles on our own resources; KMS decryption for Secrets Manager happens inside AWS, not here.
 */
export function interfaceEndpointPolicy(perimeter: Perimeter): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: WITHIN_PERIMETER_SID, Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: perimeterCondition(perimeter) }],
    });
}

/**
 * How AWS APIs are reached without internet egress (DESIGN.md "Endpoints"): the S3 gateway endpoint and
 * interface endpoints with private DNS, each with a data-perimeter policy (a credential or resource from
 * outside the perimeter gets nothing through them), and the endpoint security group.
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
                policy: s3EndpointPolicy(args.region, args.perimeter),
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
                    policy: interfaceEndpointPolicy(args.perimeter),
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
