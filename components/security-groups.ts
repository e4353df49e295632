import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Trust } from "../config/types";
import { trustTags } from "./common";
import { allowTcpBetween, allowTcpToPrefixList, SgRef } from "./sg-rules";

export const HTTPS_PORT = 443;
export const POSTGRES_PORT = 5432;
/**
 * SMTP submission with STARTTLS, the port of the SES SMTP interface endpoint (`email-smtp`), which does
 * not listen on 443. SES requires TLS on every SMTP connection (AWS SES guide, "Connecting to an Amazon
 * SES SMTP endpoint"); 587 rather than 25, which EC2 and Fargate throttle.
 */
export const SMTP_SUBMISSION_PORT = 587;

/** The workload security groups of DESIGN.md "Security groups"; gateways own theirs (`EgressGateway`). */
export enum WorkloadSg {
    Jobs = "jobs",
    Udf = "udf",
    Platform = "platform",
    Services = "services",
    Database = "database",
}

const TRUST: Readonly<Record<WorkloadSg, Trust>> = {
    [WorkloadSg.Jobs]: Trust.Untrusted,
    [WorkloadSg.Udf]: Trust.Untrusted,
    [WorkloadSg.Platform]: Trust.Platform,
    [WorkloadSg.Services]: Trust.Service,
    [WorkloadSg.Database]: Trust.Service,
};

const DESCRIPTION: Readonly<Record<WorkloadSg, string>> = {
    [WorkloadSg.Jobs]: "Untrusted ECS jobs: no ingress; egress to endpoints, S3, services and the webhook gateway only",
    [WorkloadSg.Udf]: "Untrusted UDF Lambdas: no ingress; egress to endpoints, S3, services and the webhook gateway only",
    [WorkloadSg.Platform]: "Platform operators: no ingress; egress like jobs plus the database and the RPC gateway",
    [WorkloadSg.Services]: "Platform services: ingress from jobs, UDFs and operators on service ports; SES SMTP for alert delivery",
    [WorkloadSg.Database]: "RDS PostgreSQL: 5432 from services and platform operators, no egress",
};

export interface SecurityGroupsArgs {
    readonly vpcId: pulumi.Input<string>;
    readonly endpointSecurityGroupId: pulumi.Input<string>;
    readonly s3PrefixListId: pulumi.Input<string>;
    /** TCP ports platform services listen on. */
    readonly servicePorts: readonly number[];
}

/**
 * The workload security groups and every rule between them, the endpoint SG and the S3 prefix list:
 * egress is an allowlist of security groups and the prefix list, never a CIDR.
 */
export class SecurityGroups extends pulumi.ComponentResource {
    readonly ids: Record<WorkloadSg, pulumi.Output<string>>;

    constructor(name: string, args: SecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trace:network:SecurityGroups", name, {}, opts);

        const groups = {} as Record<WorkloadSg, SgRef>;
        this.ids = {} as Record<WorkloadSg, pulumi.Output<string>>;
        for (const key of Object.values(WorkloadSg)) {
            const sg = new aws.ec2.SecurityGroup(
                `${name}-${key}`,
                { vpcId: args.vpcId, description: DESCRIPTION[key], tags: trustTags(TRUST[key], `${name}-${key}`) },
                { parent: this },
            );
            groups[key] = { key, id: sg.id };
            this.ids[key] = sg.id;
        }
        const endpoints: SgRef = { key: "endpoints", id: args.endpointSecurityGroupId };
        const s3: SgRef = { key: "s3", id: args.s3PrefixListId };

        const awsApiConsumers = [WorkloadSg.Jobs, WorkloadSg.Udf, WorkloadSg.Platform, WorkloadSg.Services];
        for (const consumer of awsApiConsumers) {
            allowTcpBetween(name, groups[consumer], endpoints, HTTPS_PORT, this);
            allowTcpToPrefixList(name, groups[consumer], s3, HTTPS_PORT, this);
        }
        // Alert e-mail leaves through the SES SMTP endpoint, from the platform services that deliver
        // alerts (they hold the SMTP credentials; user code holds no secrets). SNS is an ordinary
        // HTTPS endpoint, reached on 443 above.
        allowTcpBetween(name, groups[WorkloadSg.Services], endpoints, SMTP_SUBMISSION_PORT, this);
        for (const caller of [WorkloadSg.Jobs, WorkloadSg.Udf, WorkloadSg.Platform]) {
            for (const port of args.servicePorts) {
                allowTcpBetween(name, groups[caller], groups[WorkloadSg.Services], port, this);
            }
        }
        for (const client of [WorkloadSg.Services, WorkloadSg.Platform]) {
            allowTcpBetween(name, groups[client], groups[WorkloadSg.Database], POSTGRES_PORT, this);
        }

        this.registerOutputs({ ids: this.ids });
    }
}
