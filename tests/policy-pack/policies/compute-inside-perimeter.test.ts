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

    it("honours exemptions in both halves and rejects unknown config keys", async () => {
        const config = { exemptions: [{ resource: "legacy-*", reason: "DATA-12: moves into the VPC in Q3" }] };
        const resource = await runResourcePolicy(computeInsidePerimeter, { type: "aws:codebuild/project:Project", name: "legacy-ci", props: {} }, { config });
        const component = await runStackPolicy(computeInsidePerimeter, [{ type: FARGATE, name: "legacy-svc", props: {} }], { config });
        expect(resource.diagnostics).to.deep.equal([]);
        expect(resource.notApplicable.map((n) => n.reason)).to.deep.equal(["exempted by pack config (legacy-*): DATA-12: moves into the VPC in Q3"]);
        expect(stackFindings(component)).to.deep.equal([]);
        const bad = await rejection(runResourcePolicy(computeInsidePerimeter, { type: NOTEBOOK, name: "nb", props: {} }, { config: { exemption: [], allowedCidr: [] } }));
        expect(bad).to.contain(
            "invalid config for policy 'compute-inside-perimeter': allowedCidr is not a config key of this policy (its keys: exemptions); exemption is not a config key of this policy (its keys: exemptions)",
        );
    });

    it("does not apply to Lambda functions (lambda-vpc-attached) or other types", async () => {
        const res = await runResourcePolicy(computeInsidePerimeter, { type: "aws:lambda/function:Function", name: "f", props: {} });
        expect(res.diagnostics).to.deep.equal([]);
        expect(res.notApplicable.map((n) => n.policyName)).to.deep.equal([COMPUTE_INSIDE_PERIMETER]);
    });
});
