import { expect } from "chai";

import { ECS_TASK_HARDENING, ecsTaskHardening } from "../../../policy-pack/policies/ecs-task-hardening";
import { runResourcePolicy } from "../../helpers/policy-harness";
import { U, canNotRun, findings } from "../support";

const VERIFY_RULE = "every container of a task definition must be verifiably hardened";
const HOST_RULE = "tasks must not share the host's network, PID or IPC namespace; each task gets its own ENI and security group (awsvpc)";
const RO_RULE = "task containers must have a read-only root filesystem";
const PRIV_RULE = "task containers must never be privileged";

const hardened = { name: "job", image: "repo@sha256:abc", readonlyRootFilesystem: true, privileged: false, user: "1000" };
const td = (containers: unknown, extra: Record<string, unknown> = {}) => ({
    type: "aws:ecs/taskDefinition:TaskDefinition",
    name: "jobs-td",
    props: { family: "jobs", networkMode: "awsvpc", containerDefinitions: typeof containers === "string" ? containers : JSON.stringify(containers), ...extra },
});

describe("ecs-task-hardening", () => {
    it("passes a hardened awsvpc task definition with several containers", async () => {
        const res = await runResourcePolicy(ecsTaskHardening, td([hardened, { ...hardened, name: "sidecar" }]));
        expect(res.diagnostics).to.deep.equal([]);
    });

    it("reports a container whose root filesystem is writable (unset) and one explicitly false, each by name", async () => {
        const res = await runResourcePolicy(ecsTaskHardening, td([hardened, { name: "sidecar" }, { name: "log", readonlyRootFilesystem: false }]));
        expect(findings(res)).to.deep.equal([
            [
                "mandatory",
                `ECS task definition 'jobs-td' runs container 'sidecar' (containerDefinitions.1) with readonlyRootFilesystem unset (defaults to false); ${RO_RULE}. Set readonlyRootFilesystem: true on container 'sidecar' (containerDefinitions.1) and mount a volume for the paths it must write.`,
            ],
            [
                "mandatory",
                `ECS task definition 'jobs-td' runs container 'log' (containerDefinitions.2) with readonlyRootFilesystem false; ${RO_RULE}. Set readonlyRootFilesystem: true on container 'log' (containerDefinitions.2) and mount a volume for the paths it must write.`,
            ],
        ]);
        expect(res.diagnostics.every((d) => d.policyName === ECS_TASK_HARDENING)).to.equal(true);
    });

    it("reports a privileged container", async () => {
        const res = await runResourcePolicy(ecsTaskHardening, td([{ ...hardened, privileged: true }]));
        expect(findings(res)).to.deep.equal([
            ["mandatory", `ECS task definition 'jobs-td' runs container 'job' (containerDefinitions.0) with privileged: true; ${PRIV_RULE}. Remove privileged from container 'job' (containerDefinitions.0).`],
        ]);
    });

    it("reports host networking, host PID and host IPC", async () => {
        const res = await runResourcePolicy(ecsTaskHardening, td([hardened], { networkMode: "host", pidMode: "host", ipcMode: "host" }));
        expect(findings(res)).to.deep.equal([
            ["mandatory", `ECS task definition 'jobs-td' sets networkMode: "host"; ${HOST_RULE}. Set networkMode: "awsvpc".`],
            ["mandatory", `ECS task definition 'jobs-td' sets pidMode: "host"; ${HOST_RULE}. Remove pidMode.`],
            ["mandatory", `ECS task definition 'jobs-td' sets ipcMode: "host"; ${HOST_RULE}. Remove ipcMode.`],
        ]);
    });

    it("never passes container definitions it cannot read: invalid JSON, not an array, a non-object element", async () => {
        const bad = await runResourcePolicy(ecsTaskHardening, td("[{"));
        const obj = await runResourcePolicy(ecsTaskHardening, td("{}"));
        const elem = await runResourcePolicy(ecsTaskHardening, td([hardened, 42]));
        const fix = "Pass containerDefinitions as a JSON array of container definitions.";
        expect(findings(bad)).to.have.length(1);
        expect(findings(bad)[0][1]).to.match(/^ECS task definition 'jobs-td' has containerDefinitions that are not valid JSON \(.+\); every container/);
        expect(findings(bad)[0][1].endsWith(fix)).to.equal(true);
        expect(findings(obj)).to.deep.equal([["mandatory", `ECS task definition 'jobs-td' has containerDefinitions that are a JSON object, not an array; ${VERIFY_RULE}. ${fix}`]]);
        expect(findings(elem)).to.deep.equal([
            ["mandatory", `ECS task definition 'jobs-td' has containerDefinitions.1 = 42, not a container definition object; ${VERIFY_RULE}. Make every element of containerDefinitions a container definition object.`],
        ]);
    });

    it("treats container definitions unknown at preview as not checkable yet (advisory), while still checking the task's modes", async () => {
        const res = await runResourcePolicy(ecsTaskHardening, td(U, { networkMode: "host" }));
        expect(findings(res)).to.deep.equal([
            ["mandatory", `ECS task definition 'jobs-td' sets networkMode: "host"; ${HOST_RULE}. Set networkMode: "awsvpc".`],
            ["advisory", canNotRun(ECS_TASK_HARDENING, "string value at .containerDefinitions")],
        ]);
    });

    it("reports a hardening flag that is unknown inside the JSON as not checkable, after the definite findings", async () => {
        const res = await runResourcePolicy(ecsTaskHardening, td([{ name: "a", readonlyRootFilesystem: U, privileged: true }]));
        expect(findings(res)).to.deep.equal([
            ["mandatory", `ECS task definition 'jobs-td' runs container 'a' (containerDefinitions.0) with privileged: true; ${PRIV_RULE}. Remove privileged from container 'a' (containerDefinitions.0).`],
            ["advisory", canNotRun(ECS_TASK_HARDENING, "string value at .containerDefinitions.0.readonlyRootFilesystem")],
        ]);
    });

    it("checks awsx Fargate task definitions and services through their container inputs", async () => {
        const tdRes = await runResourcePolicy(ecsTaskHardening, {
            type: "awsx:ecs:FargateTaskDefinition",
            name: "team-td",
            props: { containers: { web: { ...hardened, name: "web" }, worker: { name: "worker", image: "x" } } },
        });
        const svcRes = await runResourcePolicy(ecsTaskHardening, {
            type: "awsx:ecs:FargateService",
            name: "team-svc",
            props: { cluster: U, taskDefinitionArgs: { container: { name: "app", image: "x", readonlyRootFilesystem: true, privileged: true } } },
        });
        expect(findings(tdRes)).to.deep.equal([
            [
                "mandatory",
                `awsx Fargate task definition 'team-td' runs container 'worker' (containers.worker) with readonlyRootFilesystem unset (defaults to false); ${RO_RULE}. Set readonlyRootFilesystem: true on container 'worker' (containers.worker) and mount a volume for the paths it must write.`,
            ],
        ]);
        expect(findings(svcRes)).to.deep.equal([
            [
                "mandatory",
                `awsx Fargate service 'team-svc' runs container 'app' (taskDefinitionArgs.container) with privileged: true; ${PRIV_RULE}. Remove privileged from container 'app' (taskDefinitionArgs.container).`,
            ],
        ]);
    });

    it("checks awsx EC2 task definitions' network mode too", async () => {
        const res = await runResourcePolicy(ecsTaskHardening, { type: "awsx:ecs:EC2TaskDefinition", name: "ec2-td", props: { networkMode: "host", container: { ...hardened } } });
        expect(findings(res)).to.deep.equal([["mandatory", `awsx EC2 task definition 'ec2-td' sets networkMode: "host"; ${HOST_RULE}. Set networkMode: "awsvpc".`]]);
    });
});

describe("ecs-task-hardening: forbidden Linux capabilities", () => {
    const CAP_RULE = "task containers must not add the capabilities ALL, SYS_ADMIN, NET_ADMIN, SYS_MODULE, SYS_PTRACE, SYS_RAWIO, BPF (forbiddenCapabilities)";
    const withCaps = (add: unknown) => ({ ...hardened, linuxParameters: { capabilities: { add, drop: ["ALL"] } } });

    it("passes harmless added capabilities and dropped ones", async () => {
        const res = await runResourcePolicy(ecsTaskHardening, td([withCaps(["NET_BIND_SERVICE", "CHOWN"])]));
        expect(res.diagnostics).to.deep.equal([]);
    });

    it("reports every forbidden capability a container adds, in either spelling", async () => {
        const res = await runResourcePolicy(ecsTaskHardening, td([withCaps(["SYS_ADMIN", "CHOWN", "cap_net_admin", "BPF"])]));
        expect(findings(res)).to.deep.equal([
            [
                "mandatory",
                `ECS task definition 'jobs-td' adds Linux capabilities SYS_ADMIN, cap_net_admin, BPF to container 'job' (containerDefinitions.0); ${CAP_RULE}. Remove SYS_ADMIN, cap_net_admin, BPF from linuxParameters.capabilities.add of container 'job' (containerDefinitions.0).`,
            ],
        ]);
    });

    it("checks awsx containers and reads the team's list", async () => {
        const svc = { type: "awsx:ecs:FargateService", name: "team-svc", props: { taskDefinitionArgs: { container: withCaps(["SYS_PTRACE", "NET_RAW"]) } } };
        const byDefault = await runResourcePolicy(ecsTaskHardening, svc);
        const team = await runResourcePolicy(ecsTaskHardening, svc, { config: { forbiddenCapabilities: ["NET_RAW"] } });
        expect(findings(byDefault).map((f) => f[1].split(";")[0])).to.deep.equal(["awsx Fargate service 'team-svc' adds Linux capabilities SYS_PTRACE to container 'job' (taskDefinitionArgs.container)"]);
        expect(findings(team)).to.deep.equal([
            [
                "mandatory",
                "awsx Fargate service 'team-svc' adds Linux capabilities NET_RAW to container 'job' (taskDefinitionArgs.container); task containers must not add the capabilities NET_RAW (forbiddenCapabilities). Remove NET_RAW from linuxParameters.capabilities.add of container 'job' (taskDefinitionArgs.container).",
            ],
        ]);
    });

    it("defers an added capability unknown at preview", async () => {
        const res = await runResourcePolicy(ecsTaskHardening, td([withCaps(["CHOWN", U])]));
        expect(findings(res)).to.deep.equal([["advisory", canNotRun(ECS_TASK_HARDENING, "string value at .containerDefinitions.0.linuxParameters.capabilities.add.1")]]);
    });
});
