import { expect } from "chai";

import { CONTAINER_IMAGES_PINNED_BY_DIGEST, containerImagesPinnedByDigest } from "../../../policy-pack/policies/container-images-pinned-by-digest";
import { HarnessResource, runResourcePolicy } from "../../helpers/policy-harness";
import { U, canNotRun, findings } from "../support";

const RULE = "container images must be pinned by digest (<repository>@sha256:<64 hex digits>) so what runs is exactly what was reviewed";
const HINT = "(the digest is printed by docker push, or is the imageUri of an awsx.ecr.Image).";
const REPO = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/trace/job-runner";
const PINNED = `${REPO}@sha256:${"1d900b537382da2cf45f9574e07c4731ae78b9c38c22b8f1136da0536ce7ee27"}`;

const td = (containers: unknown[] | string): HarnessResource => ({
    type: "aws:ecs/taskDefinition:TaskDefinition",
    name: "jobs-td",
    props: { family: "jobs", containerDefinitions: typeof containers === "string" ? containers : JSON.stringify(containers) },
});

async function run(r: HarnessResource) {
    return findings(await runResourcePolicy(containerImagesPinnedByDigest, r));
}

describe("container-images-pinned-by-digest", () => {
    it("passes pinned images in every shape: ECS (preview and plan), awsx task definitions and services, Lambda images", async () => {
        const shapes: HarnessResource[] = [
            td([{ name: "job", image: PINNED }, { name: "sidecar", image: PINNED }]),
            { ...td([{ name: "job", image: PINNED }]), props: { family: "jobs", containerDefinitions: JSON.stringify([{ name: "job", image: PINNED }]), arn: "arn:aws:ecs:eu-west-1:1:task-definition/jobs:1" } },
            { type: "awsx:ecs:FargateTaskDefinition", name: "t", props: { containers: { web: { name: "web", image: PINNED } } } },
            { type: "awsx:ecs:EC2TaskDefinition", name: "t", props: { container: { name: "web", image: PINNED } } },
            { type: "awsx:ecs:FargateService", name: "s", props: { cluster: U, taskDefinitionArgs: { container: { name: "app", image: PINNED } } } },
            { type: "awsx:ecs:EC2Service", name: "s", props: { taskDefinitionArgs: { containers: { app: { name: "app", image: PINNED } } } } },
            { type: "aws:lambda/function:Function", name: "udf", props: { packageType: "Image", imageUri: PINNED } },
            { type: "aws:lambda/function:Function", name: "zip", props: { runtime: "nodejs20.x", code: U } },
        ];
        for (const r of shapes) {
            expect(await run(r), `${r.type}`).to.deep.equal([]);
        }
    });

    it("reports a tag, :latest, no tag at all, and a malformed digest, naming the container and the image", async () => {
        const out = await run(
            td([
                { name: "job", image: `${REPO}:v3` },
                { name: "latest", image: "nginx:latest" },
                { name: "bare", image: "localhost:5000/team/app" },
                { name: "short", image: `${REPO}@sha256:abc` },
                { name: "pinned", image: PINNED },
            ]),
        );
        expect(out).to.deep.equal([
            ["mandatory", `ECS task definition 'jobs-td' runs container 'job' (containerDefinitions.0) with image ${REPO}:v3, pinned only by tag :v3; ${RULE}. Pin it as ${REPO}@sha256:<digest> ${HINT}`],
            ["mandatory", `ECS task definition 'jobs-td' runs container 'latest' (containerDefinitions.1) with image nginx:latest, pinned only by tag :latest; ${RULE}. Pin it as nginx@sha256:<digest> ${HINT}`],
            [
                "mandatory",
                `ECS task definition 'jobs-td' runs container 'bare' (containerDefinitions.2) with image localhost:5000/team/app, which has no tag or digest (it means :latest); ${RULE}. Pin it as localhost:5000/team/app@sha256:<digest> ${HINT}`,
            ],
            ["mandatory", `ECS task definition 'jobs-td' runs container 'short' (containerDefinitions.3) with image ${REPO}@sha256:abc, whose digest is not sha256:<64 hex digits>; ${RULE}. Pin it as ${REPO}@sha256:<digest> ${HINT}`],
        ]);
    });

    it("reports unpinned images of awsx task definitions and services and a Lambda imageUri", async () => {
        const awsxTd = await run({ type: "awsx:ecs:FargateTaskDefinition", name: "t", props: { containers: { web: { name: "web", image: "web:1" }, ok: { name: "ok", image: PINNED } } } });
        const ec2Td = await run({ type: "awsx:ecs:EC2TaskDefinition", name: "t", props: { container: { name: "web", image: "web" } } });
        const svc = await run({ type: "awsx:ecs:FargateService", name: "s", props: { taskDefinitionArgs: { container: { name: "app", image: "app:2" } } } });
        const ec2Svc = await run({ type: "awsx:ecs:EC2Service", name: "s", props: { taskDefinitionArgs: { containers: { app: { name: "app", image: "app:2" } } } } });
        const fn = await run({ type: "aws:lambda/function:Function", name: "udf", props: { packageType: "Image", imageUri: `${REPO}:latest` } });
        expect(awsxTd.map((f) => f[1].split(";")[0])).to.deep.equal(["awsx Fargate task definition 't' runs container 'web' (containers.web) with image web:1, pinned only by tag :1"]);
        expect(ec2Td.map((f) => f[1].split(";")[0])).to.deep.equal(["awsx EC2 task definition 't' runs container 'web' (container) with image web, which has no tag or digest (it means :latest)"]);
        expect(svc.map((f) => f[1].split(";")[0])).to.deep.equal(["awsx Fargate service 's' runs container 'app' (taskDefinitionArgs.container) with image app:2, pinned only by tag :2"]);
        expect(ec2Svc.map((f) => f[1].split(";")[0])).to.deep.equal(["awsx EC2 service 's' runs container 'app' (taskDefinitionArgs.containers.app) with image app:2, pinned only by tag :2"]);
        expect(fn).to.deep.equal([["mandatory", `Lambda function 'udf' runs its function image (imageUri) with image ${REPO}:latest, pinned only by tag :latest; ${RULE}. Pin it as ${REPO}@sha256:<digest> ${HINT}`]]);
    });

    it("reports a container without an image and definitions it cannot read", async () => {
        const noImage = await run(td([{ name: "job" }]));
        const notJson = await run(td("[{"));
        expect(noImage.map((f) => f[1].split(";")[0])).to.deep.equal(["ECS task definition 'jobs-td' runs container 'job' (containerDefinitions.0) with no image (unset)"]);
        expect(notJson).to.have.length(1);
        expect(notJson[0][1]).to.match(/^ECS task definition 'jobs-td' has containerDefinitions that are not a JSON array \(.+\), so no image can be verified;/);
    });

    it("defers an image unknown at preview, for that container only, after the definite findings", async () => {
        const inJson = await run(td([{ name: "built", image: U }, { name: "job", image: "job:1" }]));
        const whole = await run(td(U));
        const awsx = await run({ type: "awsx:ecs:FargateService", name: "s", props: { taskDefinitionArgs: { container: { name: "app", image: U } } } });
        expect(inJson.map((f) => [f[0], f[1].split(";")[0]])).to.deep.equal([
            ["mandatory", "ECS task definition 'jobs-td' runs container 'job' (containerDefinitions.1) with image job:1, pinned only by tag :1"],
            ["advisory", canNotRun(CONTAINER_IMAGES_PINNED_BY_DIGEST, "string value at .containerDefinitions.0.image")],
        ]);
        expect(whole).to.deep.equal([["advisory", canNotRun(CONTAINER_IMAGES_PINNED_BY_DIGEST, "string value at .containerDefinitions")]]);
        expect(awsx).to.deep.equal([["advisory", canNotRun(CONTAINER_IMAGES_PINNED_BY_DIGEST, "string value at .taskDefinitionArgs.container.image")]]);
    });
});
