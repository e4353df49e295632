import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { slug } from "./common";

/** A security group and the stable key its rules are named by. */
export interface SgRef {
    readonly key: string;
    readonly id: pulumi.Input<string>;
}

/**
 * Opens TCP `port` from `from` to `to`: an egress rule on `from` and the matching ingress rule on
 * `to`, both referencing the other group. Standalone rules let two groups reference each other
 * without a dependency cycle.
 */
export function allowTcpBetween(name: string, from: SgRef, to: SgRef, port: number, parent: pulumi.Resource): void {
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-${from.key}-to-${to.key}-${port}`,
        {
            securityGroupId: from.id,
            referencedSecurityGroupId: to.id,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            description: `${from.key} to ${to.key} on ${port}`,
        },
        { parent },
    );
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-${to.key}-from-${from.key}-${port}`,
        {
            securityGroupId: to.id,
            referencedSecurityGroupId: from.id,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            description: `${to.key} from ${from.key} on ${port}`,
        },
        { parent },
    );
}

/** Opens TCP `port` from `from` to a managed prefix list (the S3 gateway endpoint's). */
export function allowTcpToPrefixList(name: string, from: SgRef, prefixList: SgRef, port: number, parent: pulumi.Resource): void {
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-${from.key}-to-${prefixList.key}-${port}`,
        {
            securityGroupId: from.id,
            prefixListId: prefixList.id,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            description: `${from.key} to ${prefixList.key} on ${port}`,
        },
        { parent },
    );
}

/** Opens TCP `port` from `from` to a CIDR block, IPv4 or IPv6. Only egress gateways do this for public CIDRs. */
export function allowTcpToCidr(name: string, from: SgRef, cidr: string, port: number, parent: pulumi.Resource): void {
    const ipv6 = cidr.includes(":");
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-${from.key}-to-${slug(cidr)}-${port}`,
        {
            securityGroupId: from.id,
            ...(ipv6 ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            description: `${from.key} to ${cidr} on ${port}`,
        },
        { parent },
    );
}
