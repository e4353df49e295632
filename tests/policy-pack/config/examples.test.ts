// The example --policy-pack-config files must be accepted exactly as written: by the engine's side
// (schema validation with defaults) and by every policy's own reader.

import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

import { allPolicies } from "../../../policy-pack/policies";
import { isStackPolicy, runResourcePolicy, runStackPolicy } from "../../helpers/policy-harness";

const DIR = path.resolve(__dirname, "../../../policy-pack/config");
const LEVELS = new Set(["advisory", "mandatory", "remediate", "disabled"]);

/** One resource each resource policy applies to, so that it reads its config. */
const APPLICABLE: Record<string, string> = {
    "no-nat-gateways": "aws:ec2/natGateway:NatGateway",
    "rds-not-publicly-accessible": "aws:rds/instance:Instance",
    "secret-path-naming": "aws:secretsmanager/secret:Secret",
    "vpc-endpoint-private-dns": "aws:ec2/vpcEndpoint:VpcEndpoint",
    "lambda-vpc-attached": "aws:lambda/function:Function",
    "ecs-task-hardening": "aws:ecs/taskDefinition:TaskDefinition",
    "public-ip-only-for-egress-gateways": "aws:ec2/subnet:Subnet",
    "rds-storage-encrypted": "aws:rds/instance:Instance",
    "load-balancers-internal-only": "aws:lb/loadBalancer:LoadBalancer",
    "container-images-pinned-by-digest": "aws:ecs/taskDefinition:TaskDefinition",
    "public-endpoints-only-via-api-gateway": "aws:eks/cluster:Cluster",
};

describe("policy-pack/config examples", () => {
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith(".json"));

    it("ships the Trace config and a team example", () => {
        expect(files.sort()).to.deep.equal(["team-example.json", "trace.json"]);
    });

    for (const file of files) {
        it(`${file}: names only pack policies and is accepted by each of them`, async () => {
            const config = JSON.parse(fs.readFileSync(path.join(DIR, file), "utf8")) as Record<string, unknown>;
            const names = allPolicies.map((p) => p.name);
            expect(Object.keys(config).filter((k) => !names.includes(k))).to.deep.equal([]);
            for (const [name, entry] of Object.entries(config)) {
                const policy = allPolicies.find((p) => p.name === name)!;
                if (typeof entry === "string") {
                    expect(LEVELS.has(entry), `${file} ${name}`).to.equal(true);
                    continue;
                }
                const { enforcementLevel, ...props } = entry as { enforcementLevel?: EnforcementLevel };
                if (enforcementLevel !== undefined) {
                    expect(LEVELS.has(enforcementLevel), `${file} ${name}`).to.equal(true);
                }
                const opts = { config: props, stack: "prod" };
                const res = isStackPolicy(policy)
                    ? await runStackPolicy(policy as StackValidationPolicy, [], opts)
                    : await runResourcePolicy(policy as ResourceValidationPolicy, { type: APPLICABLE[name], name: "probe", props: {} }, opts);
                expect(res.notApplicable.filter((n) => n.reason.startsWith("Policy only applies")), `${file} ${name}`).to.deep.equal([]);
            }
        });
    }

    it("trace.json spells out the defaults: the policies behave the same with and without it", async () => {
        const config = JSON.parse(fs.readFileSync(path.join(DIR, "trace.json"), "utf8")) as Record<string, Record<string, unknown>>;
        const sg = { type: "aws:ec2/subnet:Subnet", name: "s", props: { mapPublicIpOnLaunch: true } };
        const policy = allPolicies.find((p) => p.name === "public-ip-only-for-egress-gateways") as ResourceValidationPolicy;
        const { enforcementLevel: _level, ...props } = config["public-ip-only-for-egress-gateways"];
        const withFile = await runResourcePolicy(policy, sg, { config: props });
        const without = await runResourcePolicy(policy, sg);
        expect(withFile.diagnostics.map((d) => d.detail)).to.deep.equal(without.diagnostics.map((d) => d.detail));
        expect(withFile.diagnostics.length).to.equal(1);
    });
});
