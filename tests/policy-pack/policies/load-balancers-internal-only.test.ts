import { expect } from "chai";

import { LOAD_BALANCERS_INTERNAL_ONLY, loadBalancersInternalOnly } from "../../../policy-pack/policies/load-balancers-internal-only";
import { runPack, runResourcePolicy, runStackPolicy, urnOf } from "../../helpers/policy-harness";
import { catalogueCases } from "../perimeter-policy-tests";
import { U, canNotRun, findings, rejection, stackFindings } from "../support";

const RULE = "load balancers must be internal; public ingress must come only through API Gateway";
const FIX = "Set internal: true and put API Gateway (with a VPC link) in front of it if it must be reachable from the internet.";
const TYPES: [string, string][] = [
    ["aws:lb/loadBalancer:LoadBalancer", "load balancer"],
    ["aws:alb/loadBalancer:LoadBalancer", "load balancer"],
    ["aws:elb/loadBalancer:LoadBalancer", "classic load balancer"],
];

describe("load-balancers-internal-only", () => {
    for (const [type, kind] of TYPES) {
        describe(type, () => {
            it("passes an internal load balancer (preview: other fields unknown; plan: all known)", async () => {
                const preview = await runResourcePolicy(loadBalancersInternalOnly, { type, name: "api", props: { internal: true, subnets: [U], securityGroups: [U] } });
                const plan = await runResourcePolicy(loadBalancersInternalOnly, { type, name: "api", props: { internal: true, subnets: ["subnet-1"], arn: "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/api/1" } });
                expect(preview.diagnostics).to.deep.equal([]);
                expect(plan.diagnostics).to.deep.equal([]);
                expect(plan.notApplicable).to.deep.equal([]);
            });

            it("reports internal unset (AWS's default is internet-facing) and internal false", async () => {
                const unset = await runResourcePolicy(loadBalancersInternalOnly, { type, name: "api", props: { subnets: [U] } });
                const off = await runResourcePolicy(loadBalancersInternalOnly, { type, name: "api", props: { internal: false, subnets: ["subnet-1"] } });
                expect(findings(unset)).to.deep.equal([["mandatory", `${kind} 'api' is internet-facing: internal is unset (AWS then creates it internet-facing); ${RULE}. ${FIX}`]]);
                expect(findings(off)).to.deep.equal([["mandatory", `${kind} 'api' is internet-facing: internal is false; ${RULE}. ${FIX}`]]);
                expect(off.diagnostics[0].policyName).to.equal(LOAD_BALANCERS_INTERNAL_ONLY);
            });
        });
    }

    describe("awsx load balancers (remote components)", () => {
        catalogueCases(loadBalancersInternalOnly, RULE);

        const ALB = "awsx:lb:ApplicationLoadBalancer";
        const NLB = "awsx:lb:NetworkLoadBalancer";
        const offline = [
            { type: ALB, name: "web", props: {} },
            { type: NLB, name: "tcp", props: {} },
        ];

        it("reports a program of nothing but an awsx ALB and NLB offline, where their children never appear", async () => {
            const res = await runPack([loadBalancersInternalOnly], { inputs: offline, outputs: offline });
            const suffix = " (judged on its inputs: its children are not in the stack)";
            expect(stackFindings(res)).to.deep.equal([
                ["mandatory", urnOf(ALB, "web"), `awsx application load balancer 'web' has internal unset (the default is false), so it is internet-facing, in the default VPC's public subnets unless subnets are given${suffix}; ${RULE}. ${FIX}`],
                ["mandatory", urnOf(NLB, "tcp"), `awsx network load balancer 'tcp' has internal unset (the default is false), so it is internet-facing, in the default VPC's public subnets unless subnets are given${suffix}; ${RULE}. ${FIX}`],
            ]);
        });

        it("reports only the children under the engine, where they are registered: one report per load balancer", async () => {
            // awsx names the child after the component; its URN carries the parent's type.
            const child = (parent: string, name: string, loadBalancerType: string) => ({
                type: TYPES[0][0], name, parent: urnOf(parent, name), urn: `urn:pulumi:dev::trace::${parent}$${TYPES[0][0]}::${name}`, props: { loadBalancerType },
            });
            const children = [child(ALB, "web", "application"), child(NLB, "tcp", "network")];
            const stack = [...offline, ...children];
            const res = await runPack([loadBalancersInternalOnly], { inputs: stack, outputs: stack });
            expect(res.diagnostics.map((d) => [d.enforcementLevel, d.urn])).to.deep.equal([
                ["mandatory", children[0].urn],
                ["mandatory", children[1].urn],
            ]);
        });

        it("defers a component whose internal flag is unknown at preview", async () => {
            const res = await runStackPolicy(loadBalancersInternalOnly, [{ type: ALB, name: "web", props: { internal: U } }]);
            expect(stackFindings(res)).to.deep.equal([
                ["advisory", urnOf(ALB, "web"), "can't fully check awsx application load balancer 'web' during preview: string value at .internal can't be known during preview; it is checked again when the value is known"],
            ]);
        });
    });

    it("defers an internal flag unknown at preview", async () => {
        const res = await runResourcePolicy(loadBalancersInternalOnly, { type: TYPES[0][0], name: "api", props: { internal: U } });
        expect(findings(res)).to.deep.equal([["advisory", canNotRun(LOAD_BALANCERS_INTERNAL_ONLY, "string value at .internal")]]);
    });

    it("honours exemptions and rejects unknown config keys", async () => {
        const exempt = await runResourcePolicy(
            loadBalancersInternalOnly,
            { type: TYPES[0][0], name: "legacy-public", props: {} },
            { config: { exemptions: [{ resource: "legacy-*", reason: "WEB-9: moves behind API Gateway in Q3" }] } },
        );
        expect(exempt.diagnostics).to.deep.equal([]);
        expect(exempt.notApplicable.map((n) => n.reason)).to.deep.equal(["exempted by pack config (legacy-*): WEB-9: moves behind API Gateway in Q3"]);
        const bad = await rejection(runResourcePolicy(loadBalancersInternalOnly, { type: TYPES[0][0], name: "api", props: {} }, { config: { exemption: [] } }));
        expect(bad).to.contain("invalid config for policy 'load-balancers-internal-only': exemption is not a config key of this policy (did you mean exemptions?)");
    });
});
