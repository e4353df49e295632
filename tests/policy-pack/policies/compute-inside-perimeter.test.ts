import { expect } from "chai";

import { COMPUTE_INSIDE_PERIMETER, computeInsidePerimeter } from "../../../policy-pack/policies/compute-inside-perimeter";
import { runResourcePolicy, runStackPolicy, urnOf } from "../../helpers/policy-harness";
import { catalogueCases } from "../perimeter-policy-tests";
import { U, canNotRun, findings, rejection, stackFindings } from "../support";

const RULE = "everything that runs customer or user code must run in this VPC's private subnets, with no internet egress of its own";
const NOTEBOOK = "aws:sagemaker/notebookInstance:NotebookInstance";
const MODEL = "aws:sagemaker/model:Model";
const FARGATE = "awsx:ecs:FargateService";

describe("compute-inside-perimeter", () => {
    catalogueCases(computeInsidePerimeter, RULE);

    it("reports a notebook whose direct internet access is explicitly Enabled", async () => {
        const res = await runResourcePolicy(computeInsidePerimeter, { type: NOTEBOOK, name: "research", props: { directInternetAccess: "Enabled" } });
        expect(findings(res)).to.deep.equal([
            [
                "mandatory",
                `SageMaker notebook instance 'research' has directInternetAccess Enabled, so it has internet access through SageMaker's own network; ${RULE}. Set directInternetAccess: "Disabled" with subnetId (a private app subnet) and securityGroups.`,
            ],
        ]);
    });

    it("defers only the unknowns that could change the verdict", async () => {
        const accessUnknown = await runResourcePolicy(computeInsidePerimeter, { type: NOTEBOOK, name: "nb", props: { directInternetAccess: U } });
        const vpcByReference = await runResourcePolicy(computeInsidePerimeter, { type: "aws:codebuild/project:Project", name: "ci", props: { vpcConfig: U } });
        const subnetByReference = await runResourcePolicy(computeInsidePerimeter, { type: "aws:glue/devEndpoint:DevEndpoint", name: "dev", props: { subnetId: U } });
        const isolated = await runResourcePolicy(computeInsidePerimeter, { type: MODEL, name: "m", props: { vpcConfig: { subnets: [U] }, enableNetworkIsolation: U } });
        const isolationUnknown = await runResourcePolicy(computeInsidePerimeter, { type: MODEL, name: "m", props: { enableNetworkIsolation: U } });
        expect(findings(accessUnknown)).to.deep.equal([["advisory", canNotRun(COMPUTE_INSIDE_PERIMETER, "string value at .directInternetAccess")]]);
        expect(vpcByReference.diagnostics).to.deep.equal([]);
        expect(subnetByReference.diagnostics).to.deep.equal([]);
        expect(isolated.diagnostics).to.deep.equal([]);
        expect(findings(isolationUnknown)).to.deep.equal([["advisory", canNotRun(COMPUTE_INSIDE_PERIMETER, "string value at .enableNetworkIsolation")]]);
    });

    it("defers an awsx component whose network is unknown, and judges each component on its own", async () => {
        const res = await runStackPolicy(computeInsidePerimeter, [
            { type: FARGATE, name: "unknown-net", props: { networkConfiguration: U } },
            { type: FARGATE, name: "default-vpc", props: {} },
        ]);
        expect(res.diagnostics.map((d) => [d.enforcementLevel, d.urn])).to.deep.equal([
            ["mandatory", urnOf(FARGATE, "default-vpc")],
        ]);
    });

    describe("the subnets it runs in", () => {
        const PROJECT = "aws:codebuild/project:Project";
        const SUBNET = "aws:ec2/subnet:Subnet";
        const subnet = (name: string, id: string, tags: Record<string, string>) => ({ type: SUBNET, name, props: { id, vpcId: "vpc-0a1b2c3d", tags } });
        /** Preview: the project names the subnet through a property dependency; plan: by its known id. */
        const project = (subnetName: string, subnetId: string, mode: "preview" | "plan") => ({
            type: PROJECT,
            name: "ci",
            props: { vpcConfig: { vpcId: "vpc-0a1b2c3d", subnets: [mode === "plan" ? subnetId : U], securityGroupIds: ["sg-0a1b2c3d"] } },
            ...(mode === "preview" ? { propertyDependencies: { vpcConfig: [urnOf(SUBNET, subnetName)] } } : {}),
        });

        for (const mode of ["preview", "plan"] as const) {
            it(`reports a project in a public-tier subnet, passes one in a private tier or untagged (${mode})`, async () => {
                const egress = await runStackPolicy(computeInsidePerimeter, [subnet("egress-a", "subnet-0e0e0e0e", { "trace:tier": "egress" }), project("egress-a", "subnet-0e0e0e0e", mode)]);
                const app = await runStackPolicy(computeInsidePerimeter, [subnet("app-a", "subnet-0a0a0a0a", { "trace:tier": "app" }), project("app-a", "subnet-0a0a0a0a", mode)]);
                const untagged = await runStackPolicy(computeInsidePerimeter, [subnet("other", "subnet-0b0b0b0b", {}), project("other", "subnet-0b0b0b0b", mode)]);
                expect(stackFindings(egress)).to.deep.equal([
                    [
                        "mandatory",
                        urnOf(PROJECT, "ci"),
                        `CodeBuild project 'ci' runs in subnet 'egress-a' (trace:tier=egress), which is not one of this VPC's private subnets; ${RULE}. Set vpcConfig.subnets to subnets tagged trace:tier=app.`,
                    ],
                ]);
                expect(app.diagnostics).to.deep.equal([]);
                expect(untagged.diagnostics).to.deep.equal([]);
            });
        }

        it("reads the tier from the team's tag key", async () => {
            const res = await runStackPolicy(
                computeInsidePerimeter,
                [subnet("dmz-a", "subnet-0d0d0d0d", { "ledger:tier": "dmz" }), project("dmz-a", "subnet-0d0d0d0d", "plan")],
                { config: { tagKeys: { tier: "ledger:tier" } } },
            );
            expect(res.diagnostics.map((d) => d.detail)).to.deep.equal([
                `CodeBuild project 'ci' runs in subnet 'dmz-a' (ledger:tier=dmz), which is not one of this VPC's private subnets; ${RULE}. Set vpcConfig.subnets to subnets tagged ledger:tier=app.`,
            ]);
        });
    });

    it("honours exemptions in both halves and rejects unknown config keys", async () => {
        const config = { exemptions: [{ resource: "legacy-*", reason: "DATA-12: moves into the VPC in Q3" }] };
        const resource = await runResourcePolicy(computeInsidePerimeter, { type: "aws:codebuild/project:Project", name: "legacy-ci", props: {} }, { config });
        const component = await runStackPolicy(computeInsidePerimeter, [{ type: FARGATE, name: "legacy-svc", props: {} }], { config });
        expect(resource.diagnostics).to.deep.equal([]);
        expect(resource.notApplicable.map((n) => n.reason)).to.deep.equal(["exempted by pack config (legacy-*): DATA-12: moves into the VPC in Q3"]);
        expect(stackFindings(component)).to.deep.equal([]);
        const bad = await rejection(runResourcePolicy(computeInsidePerimeter, { type: NOTEBOOK, name: "nb", props: {} }, { config: { exemption: [], allowedCidr: [] } }));
        expect(bad).to.contain(
            "invalid config for policy 'compute-inside-perimeter': allowedCidr is not a config key of this policy (its keys: enforcementLevel, exemptions, tagKeys); exemption is not a config key of this policy (did you mean exemptions?)",
        );
    });

    it("does not apply to Lambda functions (lambda-vpc-attached) or other types", async () => {
        const res = await runResourcePolicy(computeInsidePerimeter, { type: "aws:lambda/function:Function", name: "f", props: {} });
        expect(res.diagnostics).to.deep.equal([]);
        expect(res.notApplicable.map((n) => n.policyName)).to.deep.equal([COMPUTE_INSIDE_PERIMETER]);
    });
});
