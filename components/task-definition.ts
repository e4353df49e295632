import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Every container runs as this uid:gid, never root. */
export const NON_ROOT_USER = "10001:10001";
/** Fargate's minimum, and so the cap: a task cannot fill more disk than this. */
export const EPHEMERAL_STORAGE_GIB = 21;
/** With a read-only root filesystem, this task-scoped volume mounted at /tmp is the only writable path. */
const SCRATCH_VOLUME = "scratch";
const TASK_CPU = "1024";
const TASK_MEMORY_MIB = "2048";

export interface ContainerSecret {
    /** Environment variable the secret is injected as. */
    readonly name: string;
    /** Secrets Manager ARN. */
    readonly valueFrom: pulumi.Input<string>;
}

export interface HardenedTaskArgs {
    readonly family: string;
    readonly containerName: string;
    readonly image: string;
    readonly region: string;
    readonly logGroupName: pulumi.Input<string>;
    readonly executionRoleArn: pulumi.Input<string>;
    readonly taskRoleArn: pulumi.Input<string>;
    readonly containerPorts?: readonly number[];
    /** Injected by ECS at launch; code never calls Secrets Manager. */
    readonly secrets?: readonly ContainerSecret[];
    readonly tags: Record<string, string>;
}

/**
 * A Fargate task definition with the hardening of seed 003 and DESIGN.md "Compute": awsvpc, one
 * container with a read-only root filesystem, a non-root user, no privilege and no Linux
 * capabilities, capped ephemeral storage, and awslogs to a log group that has retention.
 */
export function hardenedTaskDefinition(name: string, args: HardenedTaskArgs, opts: pulumi.CustomResourceOptions): aws.ecs.TaskDefinition {
    const container = {
        name: args.containerName,
        image: args.image,
        essential: true,
        user: NON_ROOT_USER,
        readonlyRootFilesystem: true,
        privileged: false,
        linuxParameters: { capabilities: { drop: ["ALL"] }, initProcessEnabled: true },
        mountPoints: [{ sourceVolume: SCRATCH_VOLUME, containerPath: "/tmp", readOnly: false }],
        portMappings: (args.containerPorts ?? []).map((port) => ({ containerPort: port, protocol: "tcp" })),
        secrets: args.secrets ?? [],
        logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": args.logGroupName, "awslogs-region": args.region, "awslogs-stream-prefix": args.containerName },
        },
    };
    return new aws.ecs.TaskDefinition(
        name,
        {
            family: args.family,
            requiresCompatibilities: ["FARGATE"],
            networkMode: "awsvpc",
            cpu: TASK_CPU,
            memory: TASK_MEMORY_MIB,
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "ARM64" },
            ephemeralStorage: { sizeInGib: EPHEMERAL_STORAGE_GIB },
            volumes: [{ name: SCRATCH_VOLUME }],
            executionRoleArn: args.executionRoleArn,
            taskRoleArn: args.taskRoleArn,
            containerDefinitions: pulumi.jsonStringify([container]),
            tags: args.tags,
        },
        opts,
    );
}
