import { ComputeArgs } from "../../components/compute";
import { Environment, Operator } from "../../config";

export const DIGEST = "@sha256:" + "a".repeat(64);

/** Compute args shaped like the dev stack's, with recognisable ids. */
export function computeArgs(overrides: Partial<ComputeArgs> = {}): ComputeArgs {
    return {
        environment: Environment.Dev,
        region: "eu-west-1",
        accountId: "123456789012",
        vpcId: "vpc-1",
        appSubnetIds: ["subnet-app-a", "subnet-app-b"],
        securityGroupIds: { jobs: "sg-jobs", udf: "sg-udf", platform: "sg-platform" },
        serviceDomain: "dev.trace.internal",
        jobImage: `registry.example/trace/job${DIGEST}`,
        operatorImages: { [Operator.CryoIngest]: `registry.example/trace/cryo${DIGEST}`, [Operator.BlockFollower]: `registry.example/trace/bf${DIGEST}` },
        jobDataLocations: [{ bucket: "trace-dev-datasets", prefix: "jobs" }],
        jobQueueNames: ["trace-dev-job-results"],
        platformSecrets: [
            { component: "block_follower", name: "monad_rpc_key", path: "/dev/trace/block_follower/monad_rpc_key", arn: "arn:secret:bf-monad" },
            { component: "cryo_ingest", name: "rpc_api_key", path: "/dev/trace/cryo_ingest/rpc_api_key", arn: "arn:secret:cryo-rpc" },
            { component: "workers", name: "worker_token", path: "/dev/trace/workers/worker_token", arn: "arn:secret:worker-token" },
        ],
        secretsKmsKeyArn: "arn:kms:secrets",
        logRetentionDays: 30,
        ...overrides,
    };
}
