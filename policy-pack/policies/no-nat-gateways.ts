// no-nat-gateways: a NAT gateway is a path from private subnets to the internet that bypasses the
// egress gateways' allowlists (ADR "no internet egress by default"). Forbidden in every form: the
// gateway itself, a route to one (inline or standalone, in the stack or not), and awsx VPCs, whose
// NAT strategy defaults to one NAT gateway per AZ.

import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

import { awsx } from "../lib/awsx";
import { policyConfigSchema } from "../lib/config";
import { show } from "../lib/messages";
import { CheckContext, checked } from "../lib/policy";
import { asArray, asRecord, asString, validateResourcesOfTypes } from "../lib/resources";
import { Presence, presenceOf } from "../lib/unknowns";

export const NO_NAT_GATEWAYS = "no-nat-gateways";

const RULE = "NAT gateways are forbidden: private workloads reach AWS through VPC endpoints and the internet only through the egress gateways";

/** awsx's NatGatewayStrategy values; "OnePerAz" is what awsx does when none is given. */
const AWSX_NONE = "None";
const AWSX_DEFAULT = "OnePerAz";

function natTarget(value: unknown, presence: Presence): string {
    return presence === Presence.Unknown ? "a NAT gateway (id known after deployment)" : `NAT gateway ${show(value)}`;
}

function checkInlineRoutes(routes: unknown, ctx: CheckContext<object>): void {
    asArray(routes).forEach((route, i) => {
        ctx.unknowns.check(() => {
            const r = asRecord(route);
            const presence = presenceOf(r, "natGatewayId");
            if (r === undefined || presence === Presence.Absent) {
                return;
            }
            const dest = destinationOf(r);
            ctx.report({
                finding: `routes ${dest} to ${natTarget(presence === Presence.Known ? r["natGatewayId"] : undefined, presence)} (routes[${i}])`,
                rule: RULE,
                fix: "Remove the route; reach AWS APIs through VPC endpoints and the internet through the egress gateways",
            });
        });
    });
}

/** A route's destination for the message; reading it may hit an unknown, which is fine to show. */
function destinationOf(route: Record<string, unknown>): string {
    for (const key of ["cidrBlock", "destinationCidrBlock", "ipv6CidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"]) {
        const p = presenceOf(route, key);
        if (p === Presence.Known) {
            return show(route[key]);
        }
        if (p === Presence.Unknown) {
            return `a destination known after deployment (${key})`;
        }
    }
    return "traffic";
}

export const noNatGateways: ResourceValidationPolicy = {
    name: NO_NAT_GATEWAYS,
    description: "Forbids NAT gateways, routes to NAT gateways, and awsx VPCs whose NAT strategy is not None.",
    enforcementLevel: "mandatory",
    configSchema: policyConfigSchema(["exemptions"]),
    validateResource: validateResourcesOfTypes(
        validateResourceOfType(
            aws.ec2.NatGateway,
            checked(NO_NAT_GATEWAYS, (props, ctx) => {
                const connectivity = asString(asRecord(props)?.["connectivityType"]) ?? "public";
                ctx.report({
                    finding: `is a NAT gateway (connectivityType ${show(connectivity)})`,
                    rule: RULE,
                    fix: "Delete the NAT gateway and its routes; add the VPC endpoints the workloads need instead",
                });
            }),
        ),
        validateResourceOfType(
            aws.ec2.Route,
            checked(NO_NAT_GATEWAYS, (props, ctx) => {
                const route = asRecord(props) ?? {};
                const presence = presenceOf(route, "natGatewayId");
                if (presence === Presence.Absent) {
                    return;
                }
                ctx.report({
                    finding: `routes ${destinationOf(route)} to ${natTarget(presence === Presence.Known ? route["natGatewayId"] : undefined, presence)}`,
                    rule: RULE,
                    fix: "Remove the route; reach AWS APIs through VPC endpoints and the internet through the egress gateways",
                });
            }),
        ),
        validateResourceOfType(
            aws.ec2.RouteTable,
            checked(NO_NAT_GATEWAYS, (props, ctx) => checkInlineRoutes(asRecord(props)?.["routes"], ctx)),
        ),
        validateResourceOfType(
            aws.ec2.DefaultRouteTable,
            checked(NO_NAT_GATEWAYS, (props, ctx) => checkInlineRoutes(asRecord(props)?.["routes"], ctx)),
        ),
        validateResourceOfType(
            awsx.ec2.Vpc,
            checked(NO_NAT_GATEWAYS, (props, ctx) => {
                const nat = asRecord(asRecord(props)?.["natGateways"]);
                const strategy = nat === undefined ? undefined : nat["strategy"];
                if (strategy === AWSX_NONE) {
                    return;
                }
                const shown = strategy === undefined || strategy === null ? `unset (awsx default ${show(AWSX_DEFAULT)})` : show(strategy);
                ctx.report({
                    finding: `creates NAT gateways: natGateways.strategy is ${shown}`,
                    rule: RULE,
                    fix: `Set natGateways: { strategy: "${AWSX_NONE}" } and add the VPC endpoints the workloads need`,
                });
            }),
        ),
    ),
};
