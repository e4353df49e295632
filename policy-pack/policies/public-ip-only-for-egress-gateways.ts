// public-ip-only-for-egress-gateways: a public address plus the egress tier's internet gateway route
// is an internet path. Only the two egress gateways may have one (one public IP per Fargate task);
// subnets never hand out public IPs on launch, so nothing gets one by accident.

import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

import { awsx } from "../lib/awsx";
import { policyConfigSchema } from "../lib/config";
import { GatewayStatus, gatewayInfo, gatewayTagText } from "../lib/gateways";
import { show } from "../lib/messages";
import { CheckContext, checked } from "../lib/policy";
import { asArray, asRecord, asString, isTrue, validateResourcesOfTypes } from "../lib/resources";
import { Presence, presenceOf } from "../lib/unknowns";

export const PUBLIC_IP_ONLY_FOR_EGRESS_GATEWAYS = "public-ip-only-for-egress-gateways";

type Ctx = CheckContext<object>;

function rule(ctx: Ctx): string {
    return `only egress gateways (${gatewayTagText(ctx.cfg)}) may have public IP addresses`;
}

/** Reports `finding` unless the resource itself is tagged as a recognised egress gateway. */
function reportUnlessGateway(ctx: Ctx, finding: string, fix: string): void {
    const gw = gatewayInfo({ props: ctx.args.props, provider: ctx.args.provider }, ctx.cfg);
    if (gw.status === GatewayStatus.Gateway) {
        return;
    }
    const tagged = gw.status === GatewayStatus.UnknownKind ? ` (its ${ctx.cfg.tagKeys.egressGateway} tag ${show(gw.kind)} is not a configured gateway kind)` : "";
    ctx.report({ finding: `${finding}${tagged}`, rule: rule(ctx), fix });
}

const SUBNET_FIX = "Set mapPublicIpOnLaunch: false; egress gateway tasks get their public IP per task (assignPublicIp)";
const TASK_FIX = "Set assignPublicIp: false and call the internet through an egress gateway";

/** The value at `path` of the props (each step read through the proxy, so unknowns throw). */
function at(props: unknown, path: readonly string[]): unknown {
    let cur: unknown = props;
    for (const key of path) {
        cur = asRecord(cur)?.[key];
    }
    return cur;
}

/**
 * Tasks started by another service (EventBridge rules, EventBridge Scheduler, Pipes) are never egress
 * gateways: a gateway is a long-running ECS service. `enabled` says what the setting's "on" looks like.
 */
function scheduledTaskCheck(path: readonly string[], enabled: (v: unknown) => boolean) {
    return checked(PUBLIC_IP_ONLY_FOR_EGRESS_GATEWAYS, (props: unknown, ctx: Ctx) => {
        const value = at(props, path);
        if (enabled(value)) {
            ctx.report({ finding: `starts ECS tasks with ${path.join(".")}: ${show(value)}`, rule: rule(ctx), fix: TASK_FIX });
        }
    });
}

export const publicIpOnlyForEgressGateways: ResourceValidationPolicy = {
    name: PUBLIC_IP_ONLY_FOR_EGRESS_GATEWAYS,
    description:
        "Forbids public IPs (ECS services, task sets and scheduled tasks with assignPublicIp, subnet mapPublicIpOnLaunch, EC2 and spot instances, launch templates, Elastic IPs, awsx public subnets) except on egress gateways.",
    enforcementLevel: "mandatory",
    configSchema: policyConfigSchema(["tagKeys", "egressGatewayPorts", "exemptions"]),
    validateResource: validateResourcesOfTypes(
        validateResourceOfType(
            aws.ecs.Service,
            checked(PUBLIC_IP_ONLY_FOR_EGRESS_GATEWAYS, (props, ctx) => {
                const net = asRecord(asRecord(props)?.["networkConfiguration"]);
                if (net !== undefined && isTrue(net["assignPublicIp"])) {
                    reportUnlessGateway(ctx, "sets networkConfiguration.assignPublicIp: true", TASK_FIX);
                }
            }),
        ),
        validateResourceOfType(
            awsx.ecs.FargateService,
            checked(PUBLIC_IP_ONLY_FOR_EGRESS_GATEWAYS, (props, ctx) => {
                const svc = asRecord(props) ?? {};
                ctx.unknowns.check(() => {
                    if (isTrue(svc["assignPublicIp"])) {
                        reportUnlessGateway(ctx, "sets assignPublicIp: true", TASK_FIX);
                    }
                });
                ctx.unknowns.check(() => {
                    if (isTrue(asRecord(svc["networkConfiguration"])?.["assignPublicIp"])) {
                        reportUnlessGateway(ctx, "sets networkConfiguration.assignPublicIp: true", TASK_FIX);
                    }
                });
            }),
        ),
        validateResourceOfType(
            aws.ecs.TaskSet,
            checked(PUBLIC_IP_ONLY_FOR_EGRESS_GATEWAYS, (props, ctx) => {
                if (isTrue(at(props, ["networkConfiguration", "assignPublicIp"]))) {
                    reportUnlessGateway(ctx, "sets networkConfiguration.assignPublicIp: true", TASK_FIX);
                }
            }),
        ),
        validateResourceOfType(aws.cloudwatch.EventTarget, scheduledTaskCheck(["ecsTarget", "networkConfiguration", "assignPublicIp"], isTrue)),
        validateResourceOfType(aws.scheduler.Schedule, scheduledTaskCheck(["target", "ecsParameters", "networkConfiguration", "assignPublicIp"], isTrue)),
        validateResourceOfType(
            aws.pipes.Pipe,
            scheduledTaskCheck(["targetParameters", "ecsTaskParameters", "networkConfiguration", "awsVpcConfiguration", "assignPublicIp"], (v) => v === "ENABLED"),
        ),
        validateResourceOfType(
            aws.ec2.Subnet,
            checked(PUBLIC_IP_ONLY_FOR_EGRESS_GATEWAYS, (props, ctx) => {
                const subnet = asRecord(props) ?? {};
                ctx.unknowns.check(() => {
                    if (isTrue(subnet["mapPublicIpOnLaunch"])) {
                        ctx.report({ finding: "sets mapPublicIpOnLaunch: true, giving every ENI launched in it a public IPv4 address", rule: rule(ctx), fix: SUBNET_FIX });
                    }
                });
                ctx.unknowns.check(() => {
                    if (isTrue(subnet["assignIpv6AddressOnCreation"])) {
                        ctx.report({
                            finding: "sets assignIpv6AddressOnCreation: true, giving every ENI launched in it a globally routable IPv6 address",
                            rule: rule(ctx),
                            fix: "Set assignIpv6AddressOnCreation: false",
                        });
                    }
                });
            }),
        ),
        validateResourceOfType(
            aws.ec2.Instance,
            checked(PUBLIC_IP_ONLY_FOR_EGRESS_GATEWAYS, (props, ctx) => {
                if (isTrue(asRecord(props)?.["associatePublicIpAddress"])) {
                    reportUnlessGateway(ctx, "sets associatePublicIpAddress: true", "Set associatePublicIpAddress: false");
                }
            }),
        ),
        validateResourceOfType(
            aws.ec2.SpotInstanceRequest,
            checked(PUBLIC_IP_ONLY_FOR_EGRESS_GATEWAYS, (props, ctx) => {
                if (isTrue(asRecord(props)?.["associatePublicIpAddress"])) {
                    reportUnlessGateway(ctx, "sets associatePublicIpAddress: true", "Set associatePublicIpAddress: false");
                }
            }),
        ),
        validateResourceOfType(
            aws.ec2.LaunchTemplate,
            checked(PUBLIC_IP_ONLY_FOR_EGRESS_GATEWAYS, (props, ctx) => {
                asArray(asRecord(props)?.["networkInterfaces"]).forEach((ni, i) => {
                    ctx.unknowns.check(() => {
                        if (isTrue(asRecord(ni)?.["associatePublicIpAddress"])) {
                            reportUnlessGateway(
                                ctx,
                                `sets networkInterfaces[${i}].associatePublicIpAddress: true`,
                                "Remove associatePublicIpAddress (or set it to false)",
                            );
                        }
                    });
                });
            }),
        ),
        validateResourceOfType(
            aws.ec2.LaunchConfiguration,
            checked(PUBLIC_IP_ONLY_FOR_EGRESS_GATEWAYS, (props, ctx) => {
                if (isTrue(asRecord(props)?.["associatePublicIpAddress"])) {
                    ctx.report({ finding: "sets associatePublicIpAddress: true", rule: rule(ctx), fix: "Set associatePublicIpAddress: false" });
                }
            }),
        ),
        validateResourceOfType(
            aws.ec2.Eip,
            checked(PUBLIC_IP_ONLY_FOR_EGRESS_GATEWAYS, (props, ctx) => {
                const eip = asRecord(props) ?? {};
                for (const key of ["instance", "networkInterface"]) {
                    const p = presenceOf(eip, key);
                    if (p !== Presence.Absent) {
                        const target = p === Presence.Known ? show(eip[key]) : "a resource known after deployment";
                        reportUnlessGateway(ctx, `attaches a public Elastic IP to ${key} ${target}`, "Remove the Elastic IP; reach the internet through an egress gateway");
                    }
                }
            }),
        ),
        validateResourceOfType(
            aws.ec2.EipAssociation,
            checked(PUBLIC_IP_ONLY_FOR_EGRESS_GATEWAYS, (props, ctx) => {
                const assoc = asRecord(props) ?? {};
                const target = ["instanceId", "networkInterfaceId"].find((k) => presenceOf(assoc, k) !== Presence.Absent);
                ctx.report({
                    finding: `associates an Elastic IP with ${target === undefined ? "an instance or network interface" : target}`,
                    rule: rule(ctx),
                    fix: "Remove the association; an egress gateway that needs a fixed address must be exempted in the pack config with a reason",
                });
            }),
        ),
        validateResourceOfType(
            awsx.ec2.Vpc,
            checked(PUBLIC_IP_ONLY_FOR_EGRESS_GATEWAYS, (props, ctx) => {
                const specs = asRecord(props)?.["subnetSpecs"];
                if (specs === undefined || specs === null) {
                    ctx.report({
                        finding: "uses awsx's default subnet layout, which includes Public subnets that map public IPs on launch",
                        rule: rule(ctx),
                        fix: 'Set subnetSpecs to Private/Isolated subnets only (egress gateways belong in a VPC built from aws.ec2 primitives with mapPublicIpOnLaunch: false)',
                    });
                    return;
                }
                asArray(specs).forEach((spec, i) => {
                    ctx.unknowns.check(() => {
                        const type = asString(asRecord(spec)?.["type"]);
                        if (type !== undefined && type.toLowerCase() === "public") {
                            ctx.report({
                                finding: `declares subnetSpecs[${i}] of type Public, which maps public IPs on launch`,
                                rule: rule(ctx),
                                fix: "Use Private or Isolated subnet specs",
                            });
                        }
                    });
                });
            }),
        ),
    ),
};
