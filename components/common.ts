import * as pulumi from "@pulumi/pulumi";
import { GatewayKind, TAG_EGRESS_GATEWAY, TAG_TIER, TAG_TRUST, Tier, Trust } from "../config/types";

/** Tags every trust-bearing resource carries (roles, functions, task definitions, services, SGs). */
export function trustTags(trust: Trust, name: string): Record<string, string> {
    return { Name: name, [TAG_TRUST]: trust };
}

/** Tags of subnets and route tables. */
export function tierTags(tier: Tier, name: string): Record<string, string> {
    return { Name: name, [TAG_TIER]: tier };
}

/** Tags of a gateway's SG and service: platform trust plus which gateway it is. */
export function gatewayTags(kind: GatewayKind, name: string): Record<string, string> {
    return { ...trustTags(Trust.Platform, name), [TAG_EGRESS_GATEWAY]: kind };
}

/** An IAM trust policy for an AWS service principal, scoped to this account against confused deputies. */
export function serviceTrustPolicy(service: string, accountId: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    });
}

/** A policy document whose statements may hold Outputs (ARNs of resources in this stack). */
export function policyDocument(statements: pulumi.Input<object>[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/** Keys used in resource names must be DNS- and IAM-friendly. */
export function slug(key: string): string {
    return key.replace(/[^A-Za-z0-9-]/g, "-").toLowerCase();
}
