// The reachability policy through the offline preview tool, as CI runs it: a fixture program written
// with raw @pulumi/aws and awsx, recorded offline, judged by the real pack served by its analyzer
// plugin. Only this policy is enabled (pack config), so the exit code is its verdict alone. Each
// offline run costs a recording and a pack process, so one program holds every case.
import { expect } from "chai";
import * as path from "path";
import { ExitCode } from "../../tools/cli";
import { cli, program } from "./helpers";

const FIXTURE = program("reach-paths");
const POLICY = "no-internet-path-from-workloads";
const DESCRIPTION =
    "Forbids workloads (ECS services, Lambda functions, RDS, EC2 instances, launch templates, autoscaling groups, awsx Fargate services) whose subnet routing gives them a path to the internet.";
const RULE =
    "only egress gateways (tag trace:egress-gateway=rpc|webhook) may have a route to addresses outside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16";
const ROUTE_FIX = "Remove the route, or run this workload behind the webhook gateway";

interface Violation {
    policy: string;
    enforcementLevel: string;
    type: string;
    name: string;
    message: string;
}

async function preview(mode: "preview" | "plan", config: string): Promise<{ code: ExitCode; violations: Violation[] }> {
    const run = await cli("--program", FIXTURE, "--stack", "test", "--mode", mode, "--format", "json", "--policy-pack-config", path.join(FIXTURE, config));
    expect(run.stderr, mode).to.equal("");
    const report = JSON.parse(run.stdout) as { violations: Violation[] };
    const violations = report.violations.map(({ policy, enforcementLevel, type, name, message }) => ({ policy, enforcementLevel, type, name, message }));
    return { code: run.code, violations: violations.sort((a, b) => a.name.localeCompare(b.name)) };
}

const violation = (type: string, name: string, subject: string, hops: string, fix = ROUTE_FIX): Violation => ({
    policy: POLICY,
    enforcementLevel: "mandatory",
    type,
    name,
    message: `${DESCRIPTION}\n${subject} can reach the internet: ${hops}; ${RULE}. ${fix}.`,
});

const PATHS: Violation[] = [
    violation(
        "awsx:ecs:FargateService",
        "partner-sync",
        "awsx Fargate service 'partner-sync'",
        "subnet 'partner-a' uses route table 'partner' (explicit association) which routes 0.0.0.0/0 to VPC peering connection 'partner'",
    ),
    violation(
        "aws:lambda/function:Function",
        "udf",
        "Lambda function 'udf'",
        "subnet 'app-a' uses route table 'shared' (the VPC's main route table through main route table association 'main'; no explicit association) which routes 0.0.0.0/0 to NAT gateway 'nat-a'",
    ),
    violation(
        "aws:ecs/service:Service",
        "web",
        "ECS service 'web'",
        "subnet 'web-a' uses route table 'web' (explicit association) which routes 0.0.0.0/0 to internet gateway 'igw', and it gets a public IPv4 address (networkConfiguration.assignPublicIp)",
        "Give it no public address, or move it to subnets without an internet gateway route, and call the internet through the webhook gateway",
    ),
];

const EXTERNAL: Violation = {
    policy: POLICY,
    enforcementLevel: "advisory",
    type: "aws:lambda/function:Function",
    name: "reporter",
    // Advisories reported as policy-info objects reach the engine without the description prefix.
    message:
        "cannot prove Lambda function 'reporter' has no path to the internet: subnet subnet-0123456789abcdef0 is outside this stack. " +
        "It is checked again when the values are known; bring the missing resources into this stack, or list subnets of other stacks that are isolated in isolatedExternalSubnets.",
};

describe("no-internet-path-from-workloads through the offline preview tool", function () {
    this.timeout(600_000);

    it("reach-paths (preview): the NAT, internet-gateway and peering paths, and an advisory for the subnet of another stack", async () => {
        const run = await preview("preview", "reachability-only.json");
        expect(run.violations).to.deep.equal([...PATHS.slice(0, 1), EXTERNAL, ...PATHS.slice(1)]);
        expect(run.code).to.equal(ExitCode.MandatoryViolations);
    });

    it("reach-paths (plan, the external subnet declared isolated in pack config): the same paths, and no advisory", async () => {
        const run = await preview("plan", "isolated.json");
        expect(run.violations).to.deep.equal(PATHS);
        expect(run.code).to.equal(ExitCode.MandatoryViolations);
    });
});
