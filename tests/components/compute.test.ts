import { expect } from "chai";
import { Compute } from "../../components/compute";
import { EPHEMERAL_STORAGE_GIB, NON_ROOT_USER } from "../../components/task-definition";
import { UDF_RUNNER_SOURCE } from "../../components/udf-runner";
import { countByType, MockedResource, ofType, one, recordComponents } from "../helpers/program-mocks";
import { computeArgs, DIGEST } from "./fixtures";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";

async function record(overrides = {}): Promise<MockedResource[]> {
    return recordComponents(() => {
        new Compute("trace", computeArgs(overrides));
    });
}

/** Everything an IAM role is allowed: its inline policies' statements and its managed policy ARNs. */
function grants(resources: MockedResource[], roleName: string): { statements: any[]; managed: string[] } {
    const roleId = `${roleName}-id`;
    const physical = `${roleName}-physical`;
    return {
        statements: ofType(resources, ROLE_POLICY)
            .filter((p) => p.inputs.role === roleId)
            .flatMap((p) => JSON.parse(p.inputs.policy).Statement),
        managed: ofType(resources, ATTACHMENT)
            .filter((a) => a.inputs.role === physical)
            .map((a) => a.inputs.policyArn),
    };
}

describe("Compute", () => {
    let devLike: MockedResource[];
    before(async () => {
        devLike = await record();
    });

    it("creates the cluster, namespace, roles, three task definitions, one operator service and the UDF Lambda", async () => {
        expect(countByType(devLike)).to.deep.equal({
            "aws:cloudwatch/logGroup:LogGroup": 4,
            "aws:ecs/cluster:Cluster": 1,
            "aws:ecs/service:Service": 1,
            "aws:ecs/taskDefinition:TaskDefinition": 3,
            "aws:iam/role:Role": 5,
            "aws:iam/rolePolicy:RolePolicy": 3,
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 3,
            "aws:lambda/function:Function": 1,
            "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": 1,
            "trace:compute:Compute": 1,
        });
    });

    it("turns Container Insights on and names the private namespace after the service domain", async () => {
        const resources = devLike;
        expect(one(resources, "aws:ecs/cluster:Cluster", "trace-cluster").inputs.settings).to.deep.equal([{ name: "containerInsights", value: "enabled" }]);
        expect(one(resources, "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace", "trace-namespace").inputs).to.deep.include({ name: "dev.trace.internal", vpc: "vpc-1" });
    });

    it("hardens every task definition: awsvpc, read-only root, non-root, unprivileged, no capabilities, capped disk, awslogs", async () => {
        const resources = devLike;
        const tasks = ofType(resources, TASK);
        expect(tasks.map((t) => t.inputs.family)).to.deep.equal(["trace-dev-job", "trace-dev-cryo-ingest", "trace-dev-block-follower"]);
        for (const task of tasks) {
            expect(task.inputs, task.name).to.deep.include({ networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], ephemeralStorage: { sizeInGib: EPHEMERAL_STORAGE_GIB } });
            const containers = JSON.parse(task.inputs.containerDefinitions);
            expect(containers).to.have.length(1);
            const [container] = containers;
            expect(container, task.name).to.deep.include({ readonlyRootFilesystem: true, privileged: false, user: NON_ROOT_USER });
            expect(container.image.endsWith(DIGEST), container.image).to.equal(true);
            expect(container.linuxParameters.capabilities).to.deep.equal({ drop: ["ALL"] });
            expect(container.logConfiguration.logDriver).to.equal("awslogs");
            const group = container.logConfiguration.options["awslogs-group"];
            const logGroup = ofType(resources, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === group);
            expect(logGroup?.inputs.retentionInDays, group).to.equal(30);
        }
    });

    it("injects into each operator exactly the secrets of its own component, by ARN, and none into the job", async () => {
        const tasks = ofType(devLike, TASK);
        const secretsOf = (family: string): unknown => JSON.parse(tasks.find((t) => t.inputs.family === family)!.inputs.containerDefinitions)[0].secrets;
        expect(secretsOf("trace-dev-job")).to.deep.equal([]);
        expect(secretsOf("trace-dev-cryo-ingest")).to.deep.equal([{ name: "RPC_API_KEY", valueFrom: "arn:secret:cryo-rpc" }]);
        expect(secretsOf("trace-dev-block-follower")).to.deep.equal([{ name: "MONAD_RPC_KEY", valueFrom: "arn:secret:bf-monad" }]);
    });

    it("gives untrusted job roles image pull, logs and declared data only: no Secrets Manager, no role assumption", async () => {
        const resources = devLike;
        expect(grants(resources, "trace-job-execution")).to.deep.equal({
            statements: [],
            managed: ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
        });
        expect(grants(resources, "trace-job-task")).to.deep.equal({
            managed: [],
            statements: [
                { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: ["arn:aws:s3:::trace-dev-datasets/jobs/*"] },
                { Effect: "Allow", Action: "s3:ListBucket", Resource: ["arn:aws:s3:::trace-dev-datasets"], Condition: { StringLike: { "s3:prefix": ["jobs/*"] } } },
                {
                    Effect: "Allow",
                    Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:SendMessage", "sqs:GetQueueAttributes"],
                    Resource: ["arn:aws:sqs:eu-west-1:123456789012:trace-dev-job-results"],
                },
            ],
        });
        expect(grants(resources, "trace-udf")).to.deep.equal({
            statements: [],
            managed: ["arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"],
        });
        for (const role of ["trace-job-execution", "trace-job-task", "trace-udf"]) {
            expect(one(resources, ROLE, role).inputs.tags["trace:trust"], role).to.equal("untrusted");
        }
    });

    it("lets only the platform execution role read secrets, and only under /{env}/trace/", async () => {
        const resources = devLike;
        expect(grants(resources, "trace-platform-execution")).to.deep.equal({
            managed: ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
            statements: [
                { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:/dev/trace/*" },
                {
                    Effect: "Allow",
                    Action: "kms:Decrypt",
                    Resource: "arn:kms:secrets",
                    Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
                },
            ],
        });
        expect(one(resources, ROLE, "trace-platform-execution").inputs.tags["trace:trust"]).to.equal("platform");
    });

    it("runs block_follower as a private service in the app subnets with the platform SG; cryo_ingest has no service", async () => {
        const services = ofType(devLike, "aws:ecs/service:Service");
        expect(services.map((s) => s.inputs.name)).to.deep.equal(["block-follower"]);
        expect(services[0]!.inputs.networkConfiguration).to.deep.equal({ subnets: ["subnet-app-a", "subnet-app-b"], securityGroups: ["sg-platform"], assignPublicIp: false });
        expect(services[0]!.inputs.launchType).to.equal("FARGATE");
    });

    it("attaches the UDF Lambda to the app subnets with the udf SG, ships the real handler and no environment", async () => {
        const resources = devLike;
        const udf = one(resources, "aws:lambda/function:Function", "trace-udf-runner");
        expect(udf.inputs.vpcConfig).to.deep.equal({ subnetIds: ["subnet-app-a", "subnet-app-b"], securityGroupIds: ["sg-udf"] });
        expect(udf.inputs.environment).to.equal(undefined);
        expect(udf.inputs).to.deep.include({ runtime: "nodejs22.x", handler: "index.handler", role: "arn:aws:mock:::aws:iam/role:Role/trace-udf" });
        expect(udf.inputs.tags["trace:trust"]).to.equal("untrusted");
        expect(udf.inputs.loggingConfig).to.deep.equal({ logFormat: "JSON", logGroup: "/aws/lambda/trace-dev-udf-runner" });
        const assets = await udf.inputs.code.assets;
        expect(Object.keys(assets)).to.deep.equal(["index.js"]);
        expect(await assets["index.js"].text).to.equal(UDF_RUNNER_SOURCE);
    });

    it("creates no data policy at all when no data locations or queues are declared", async () => {
        const resources = await record({ jobDataLocations: [], jobQueueNames: [] });
        expect(ofType(resources, ROLE_POLICY).map((p) => p.name)).to.deep.equal(["trace-platform-execution-secrets"]);
    });
});
