// The repo's own dev and prod stacks, recorded under mocks as a preview (new resources' outputs
// unknown) and as a plan (everything known), must pass every policy of the pack with zero mandatory
// violations, under Trace's own pack config. This is what CI's offline preview enforces on every change
// to the program.

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

import { allPolicies } from "../../policy-pack/policies";
import { fromRecordedStack, isResourcePolicy, runPack, runResourcePolicy } from "../helpers/policy-harness";
import { RunMode } from "../../tools/record";
import { repoStack } from "../helpers/repo-stacks";

/** Trace's own pack config, as CI passes it with --policy-pack-config (exemptions and all). */
const TRACE_CONFIG = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../policy-pack/config/trace.json"), "utf8")) as Record<string, Record<string, unknown>>;

/** Resource types each resource policy must actually have checked in our stacks (not "not applicable"). */
const EXERCISED: Record<string, string[]> = {
    "no-nat-gateways": ["aws:ec2/routeTable:RouteTable", "aws:ec2/defaultRouteTable:DefaultRouteTable", "aws:ec2/route:Route"],
    "rds-not-publicly-accessible": ["aws:rds/instance:Instance"],
    "secret-path-naming": ["aws:secretsmanager/secret:Secret"],
    "vpc-endpoint-private-dns": ["aws:ec2/vpcEndpoint:VpcEndpoint"],
    "lambda-vpc-attached": ["aws:lambda/function:Function"],
    "ecs-task-hardening": ["aws:ecs/taskDefinition:TaskDefinition"],
    "public-ip-only-for-egress-gateways": ["aws:ecs/service:Service", "aws:ec2/subnet:Subnet"],
    "rds-storage-encrypted": ["aws:rds/instance:Instance"],
    "container-images-pinned-by-digest": ["aws:ecs/taskDefinition:TaskDefinition"],
};

describe("the repo's dev and prod stacks pass the pack", function () {
    this.timeout(180_000);

    for (const stack of ["dev", "prod"] as const) {
        for (const mode of ["preview", "plan"] as RunMode[]) {
            it(`${stack} (${mode}): zero mandatory violations, every resource policy exercised`, async () => {
                const recorded = await repoStack(stack, mode);
                const harness = fromRecordedStack(recorded);
                const result = await runPack(allPolicies, harness, { stack, packConfig: TRACE_CONFIG });

                const mandatory = result.diagnostics.filter((d) => d.enforcementLevel === "mandatory");
                expect(mandatory.map((d) => `${d.policyName} ${d.urn}: ${d.detail}`)).to.deep.equal([]);

                const advisories = result.diagnostics.map((d) => `${d.policyName} ${d.urn.split("::").pop()}: ${d.detail}`);
                // Preview may only defer: the two operator task definitions embed secret ARNs that are
                // unknown until the secrets exist, and the egress-attempt metric filters' patterns name
                // the workload subnets' ids, unknown until the subnets exist. A plan knows everything and
                // must be silent.
                const deferred = (policy: string, name: string) =>
                    `${policy} ${name}: can't run policy '${policy}' from policy pack 'trace-network-guardrails@v0.1.0' during preview: string value at .containerDefinitions can't be known during preview`;
                const operators = ["trace-block-follower", "trace-cryo-ingest"];
                const alarmsDeferred =
                    "egress-attempts-alarmed trace-vpc: can't fully check VPC 'trace-vpc' during preview: string value at .pattern can't be known during preview; it is checked again when the value is known";
                expect(advisories).to.deep.equal(
                    mode === "plan"
                        ? []
                        : [...operators.flatMap((o) => ["ecs-task-hardening", "container-images-pinned-by-digest"].map((p) => deferred(p, o))), alarmsDeferred],
                );

                for (const p of allPolicies.filter(isResourcePolicy)) {
                    for (const type of EXERCISED[p.name] ?? []) {
                        const ofType = harness.inputs.filter((r) => r.type === type);
                        expect(ofType.length, `${stack} has no ${type}`).to.be.greaterThan(0);
                        for (const r of ofType) {
                            const one = await runResourcePolicy(p, r, { stack });
                            expect(one.notApplicable, `${p.name} on ${r.name}`).to.deep.equal([]);
                        }
                    }
                }
            });
        }
    }
});
