import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DataLocation, Environment, Operator, PlatformSecret, Trust } from "../config/types";
import { policyDocument, serviceTrustPolicy, slug, trustTags } from "./common";
import { hardenedTaskDefinition } from "./task-definition";
import { UDF_RUNNER_SOURCE } from "./udf-runner";

/** How an operator is launched: the Dispatcher runs some per job, others follow the chain as a service. */
export enum OperatorLaunch {
    OnDemand = "on-demand",
    Service = "service",
}

export const OPERATOR_LAUNCH: Readonly<Record<Operator, OperatorLaunch>> = {
    [Operator.CryoIngest]: OperatorLaunch.OnDemand,
    [Operator.BlockFollower]: OperatorLaunch.Service,
};

const ECS_TASK_EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";
const LAMBDA_VPC_ACCESS_POLICY = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";
const UDF_TIMEOUT_SECONDS = 60;
const UDF_MEMORY_MIB = 512;

/** A platform secret with the ARN of the Secrets Manager secret that holds it. */
export interface PlatformSecretRef extends PlatformSecret {
    readonly arn: pulumi.Input<string>;
}

export interface ComputeArgs {
    readonly environment: Environment;
    readonly region: string;
    readonly accountId: string;
    readonly vpcId: pulumi.Input<string>;
    /** App-tier subnets: where every workload of this component runs. */
    readonly appSubnetIds: pulumi.Input<string>[];
    readonly securityGroupIds: {
        readonly jobs: pulumi.Input<string>;
        readonly udf: pulumi.Input<string>;
        readonly platform: pulumi.Input<string>;
    };
    /** Private DNS namespace for in-VPC services, e.g. dev.trace.internal. */
    readonly serviceDomain: string;
    readonly jobImage: string;
    readonly operatorImages: Readonly<Record<Operator, string>>;
    readonly jobDataLocations: readonly DataLocation[];
    readonly jobQueueNames: readonly string[];
    /** Each operator receives the secrets whose component is the operator's name. */
    readonly platformSecrets: readonly PlatformSecretRef[];
    /** KMS key the platform secrets are encrypted with; the platform execution role may decrypt through Secrets Manager only. */
    readonly secretsKmsKeyArn: pulumi.Input<string>;
    readonly logRetentionDays: number;
}

/**
 * Where untrusted and platform code runs (DESIGN.md "Compute"): the ECS cluster, the roles, the
 * hardened job and operator task definitions, the block_follower service, the UDF runner Lambda and
 * the private DNS namespace. Every workload is in the app subnets with its own security group.
 */
export class Compute extends pulumi.ComponentResource {
    readonly clusterArn: pulumi.Output<string>;
    readonly clusterName: pulumi.Output<string>;
    readonly namespaceId: pulumi.Output<string>;
    readonly namespaceName: pulumi.Output<string>;
    readonly jobTaskDefinitionArn: pulumi.Output<string>;
    readonly operatorTaskDefinitionArns: Record<Operator, pulumi.Output<string>>;
    readonly udfFunctionArn: pulumi.Output<string>;

    constructor(name: string, args: ComputeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("trace:compute:Compute", name, {}, opts);
        const parent = { parent: this };
        const prefix = `trace-${args.environment}`;

        const cluster = new aws.ecs.Cluster(
            `${name}-cluster`,
            { name: prefix, settings: [{ name: "containerInsights", value: "enabled" }], tags: { Name: prefix } },
            parent,
        );
        this.clusterArn = cluster.arn;
        this.clusterName = cluster.name;

        const namespace = new aws.servicediscovery.PrivateDnsNamespace(
            `${name}-namespace`,
            { name: args.serviceDomain, vpc: args.vpcId, description: "In-VPC service names (Cloud Map)" },
            parent,
        );
        this.namespaceId = namespace.id;
        this.namespaceName = namespace.name;

        const logGroup = (key: string, logGroupName: string): aws.cloudwatch.LogGroup =>
            new aws.cloudwatch.LogGroup(`${name}-${key}-logs`, { name: logGroupName, retentionInDays: args.logRetentionDays }, parent);

        const role = (key: string, service: string, trust: Trust, managedPolicyArn?: string): aws.iam.Role => {
            const created = new aws.iam.Role(
                `${name}-${key}`,
                { assumeRolePolicy: serviceTrustPolicy(service, args.accountId), tags: trustTags(trust, `${name}-${key}`) },
                parent,
            );
            if (managedPolicyArn !== undefined) {
                new aws.iam.RolePolicyAttachment(`${name}-${key}`, { role: created.name, policyArn: managedPolicyArn }, parent);
            }
            return created;
        };

        // Untrusted jobs: the execution role only pulls images and writes logs; the task role reaches only
        // the declared data locations and queues. Neither can read a secret or assume a role.
        const jobExecutionRole = role("job-execution", "ecs-tasks.amazonaws.com", Trust.Untrusted, ECS_TASK_EXECUTION_POLICY);
        const jobTaskRole = role("job-task", "ecs-tasks.amazonaws.com", Trust.Untrusted);
        const dataStatements = dataAccessStatements(args.region, args.accountId, args.jobDataLocations, args.jobQueueNames);
        if (dataStatements.length > 0) {
            new aws.iam.RolePolicy(`${name}-job-task-data`, { role: jobTaskRole.id, policy: policyDocument(dataStatements) }, parent);
        }

        // Platform operators: secrets are injected by ECS, so only the execution role may read them, and
        // only under /{env}/trace/.
        const platformExecutionRole = role("platform-execution", "ecs-tasks.amazonaws.com", Trust.Platform, ECS_TASK_EXECUTION_POLICY);
        new aws.iam.RolePolicy(
            `${name}-platform-execution-secrets`,
            {
                role: platformExecutionRole.id,
                policy: policyDocument([
                    {
                        Effect: "Allow",
                        Action: "secretsmanager:GetSecretValue",
                        Resource: `arn:aws:secretsmanager:${args.region}:${args.accountId}:secret:/${args.environment}/trace/*`,
                    },
                    {
                        Effect: "Allow",
                        Action: "kms:Decrypt",
                        Resource: args.secretsKmsKeyArn,
                        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com` } },
                    },
                ]),
            },
            parent,
        );
        const platformTaskRole = role("platform-task", "ecs-tasks.amazonaws.com", Trust.Platform);
        if (dataStatements.length > 0) {
            new aws.iam.RolePolicy(`${name}-platform-task-data`, { role: platformTaskRole.id, policy: policyDocument(dataStatements) }, parent);
        }

        const jobLogs = logGroup("job", `/trace/${args.environment}/jobs`);
        const jobTask = hardenedTaskDefinition(
            `${name}-job`,
            {
                family: `${prefix}-job`,
                containerName: "job",
                image: args.jobImage,
                region: args.region,
                logGroupName: jobLogs.name,
                executionRoleArn: jobExecutionRole.arn,
                taskRoleArn: jobTaskRole.arn,
                tags: trustTags(Trust.Untrusted, `${prefix}-job`),
            },
            parent,
        );
        this.jobTaskDefinitionArn = jobTask.arn;

        this.operatorTaskDefinitionArns = {} as Record<Operator, pulumi.Output<string>>;
        for (const operator of Object.values(Operator)) {
            const key = slug(operator);
            const logs = logGroup(key, `/trace/${args.environment}/operators/${operator}`);
            const task = hardenedTaskDefinition(
                `${name}-${key}`,
                {
                    family: `${prefix}-${key}`,
                    containerName: key,
                    image: args.operatorImages[operator],
                    region: args.region,
                    logGroupName: logs.name,
                    executionRoleArn: platformExecutionRole.arn,
                    taskRoleArn: platformTaskRole.arn,
                    secrets: args.platformSecrets
                        .filter((secret) => secret.component === operator)
                        .map((secret) => ({ name: secret.name.toUpperCase().replace(/-/g, "_"), valueFrom: secret.arn })),
                    tags: trustTags(Trust.Platform, `${prefix}-${key}`),
                },
                parent,
            );
            this.operatorTaskDefinitionArns[operator] = task.arn;
            if (OPERATOR_LAUNCH[operator] === OperatorLaunch.Service) {
                new aws.ecs.Service(
                    `${name}-${key}`,
                    {
                        name: key,
                        cluster: cluster.arn,
                        taskDefinition: task.arn,
                        desiredCount: 1,
                        launchType: "FARGATE",
                        networkConfiguration: { subnets: args.appSubnetIds, securityGroups: [args.securityGroupIds.platform], assignPublicIp: false },
                        deploymentCircuitBreaker: { enable: true, rollback: true },
                        propagateTags: "SERVICE",
                        tags: trustTags(Trust.Platform, `${prefix}-${key}`),
                    },
                    parent,
                );
            }
        }

        const udfName = `${prefix}-udf-runner`;
        const udfRole = role("udf", "lambda.amazonaws.com", Trust.Untrusted, LAMBDA_VPC_ACCESS_POLICY);
        const udfLogs = logGroup("udf", `/aws/lambda/${udfName}`);
        const udf = new aws.lambda.Function(
            `${name}-udf-runner`,
            {
                name: udfName,
                description: "Runs content-addressed UDF bundles; VPC-attached with no internet route and no secrets",
                runtime: aws.lambda.Runtime.NodeJS22dX,
                architectures: ["arm64"],
                handler: "index.handler",
                code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(UDF_RUNNER_SOURCE) }),
                role: udfRole.arn,
                timeout: UDF_TIMEOUT_SECONDS,
                memorySize: UDF_MEMORY_MIB,
                vpcConfig: { subnetIds: args.appSubnetIds, securityGroupIds: [args.securityGroupIds.udf] },
                loggingConfig: { logFormat: "JSON", logGroup: udfLogs.name },
                tags: trustTags(Trust.Untrusted, udfName),
            },
            { parent: this, dependsOn: [udfLogs] },
        );
        this.udfFunctionArn = udf.arn;

        this.registerOutputs({
            clusterArn: this.clusterArn,
            clusterName: this.clusterName,
            namespaceId: this.namespaceId,
            namespaceName: this.namespaceName,
            jobTaskDefinitionArn: this.jobTaskDefinitionArn,
            operatorTaskDefinitionArns: this.operatorTaskDefinitionArns,
            udfFunctionArn: this.udfFunctionArn,
        });
    }
}

/** Read/write on the declared S3 locations and consume/send on the declared queues, nothing else. */
export function dataAccessStatements(
    region: string,
    accountId: string,
    locations: readonly DataLocation[],
    queues: readonly string[],
): object[] {
    const statements: object[] = [];
    if (locations.length > 0) {
        statements.push({
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            Resource: locations.map((l) => `arn:aws:s3:::${l.bucket}/${l.prefix}/*`),
        });
        statements.push({
            Effect: "Allow",
            Action: "s3:ListBucket",
            Resource: [...new Set(locations.map((l) => `arn:aws:s3:::${l.bucket}`))],
            Condition: { StringLike: { "s3:prefix": locations.map((l) => `${l.prefix}/*`) } },
        });
    }
    if (queues.length > 0) {
        statements.push({
            Effect: "Allow",
            Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:SendMessage", "sqs:GetQueueAttributes"],
            Resource: queues.map((q) => `arn:aws:sqs:${region}:${accountId}:${q}`),
        });
    }
    return statements;
}
