// The reachability policy through the offline preview tool, as CI runs it: fixture programs written
// with raw @pulumi/aws and awsx, recorded offline, judged by the real pack served by its analyzer
// plugin. Only this policy is enabled (pack config), so the exit code is its verdict alone.
import { expect } from "chai";
import * as path from "path";
import { ExitCode } from "../../tools/preview";
import { cli, program } from "./helpers";

const POLICY = "no-internet-path-from-workloads";
const DESCRIPTION =
    "Forbids workloads (ECS services, Lambda functions, RDS, EC2 instances, launch templates, autoscaling groups, awsx Fargate services) whose subnet routing gives them a path to the internet.";
const RULE =
    "only egress gateways (tag trace:egress-gateway=rpc|webhook) may have a route to addresses outside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16";
const ONLY_REACHABILITY = path.join(program("reach-paths"), "reachability-only.json");

interface Violation {
    policy: string;
    enforcementLevel: string;
    type: string;
    name: string;
    message: string;
}

async function preview(fixture: string, mode: "preview" | "plan", config: string): Promise<{ code: ExitCode; violations: Violation[] }> {
    const run = await cli("--program", program(fixture), "--stack", "test", "--mode", mode, "--format", "json", "--policy-pack-config", config);
    expect(run.stderr, `${fixture} ${mode}`).to.equal("");
    const report = JSON.parse(run.stdout) as { violations: Violation[] };
    return { code: run.code, violations: report.violations.map(({ policy, enforcementLevel, type, name, message }) => ({ policy, enforcementLevel, type, name, message })) };
}

describe("no-internet-path-from-workloads through the offline preview tool", function () {
    this.timeout(600_000);

    it("reach-paths: reports exactly the NAT, internet-gateway and peering paths, with identical verdicts in preview and plan", async () => {
        const violation = (type: string, name: string, subject: string, path: string, fix: string): Violation => ({
            policy: POLICY,
            enforcementLevel: "mandatory",
            type,
            name,
            message: `${DESCRIPTION}\n${subject} can reach the internet: ${path}; ${RULE}. ${fix}.`,
        });
        const routeFix = "Remove the route, or run this workload behind the webhook gateway";
        const expected = [
            violation(
                "awsx:ecs:FargateService",
                "partner-sync",
                "awsx Fargate service 'partner-sync'",
                "subnet 'partner-a' uses route table 'partner' (explicit association) which routes 0.0.0.0/0 to VPC peering connection 'partner'",
                routeFix,
            ),
            violation(
                "aws:lambda/function:Function",
                "udf",
                "Lambda function 'udf'",
                "subnet 'app-a' uses route table 'shared' (the VPC's main route table through main route table association 'main'; no explicit association) which routes 0.0.0.0/0 to NAT gateway 'nat-a'",
                routeFix,
            ),
            violation(
                "aws:ecs/service:Service",
                "web",
                "ECS service 'web'",
                "subnet 'web-a' uses route table 'web' (explicit association) which routes 0.0.0.0/0 to internet gateway 'igw', and it gets a public IPv4 address (networkConfiguration.assignPublicIp)",
                "Give it no public address, or move it to subnets without an internet gateway route, and call the internet through the webhook gateway",
            ),
        ];
        const byName = (vs: Violation[]) => [...vs].sort((a, b) => a.name.localeCompare(b.name));
        for (const mode of ["preview", "plan"] as const) {
            const run = await preview("reach-paths", mode, ONLY_REACHABILITY);
            expect(byName(run.violations), mode).to.deep.equal(expected);
            expect(run.code, mode).to.equal(ExitCode.MandatoryViolations);
        }
    });

    it("reach-external-subnet: a subnet of another stack is an advisory, and nothing once the config declares it isolated", async () => {
        const advisory: Violation = {
            policy: POLICY,
            enforcementLevel: "advisory",
            type: "aws:lambda/function:Function",
            name: "reporter",
            // Advisories reported as policy-info objects reach the engine without the description prefix.
            message:
                `cannot prove Lambda function 'reporter' has no path to the internet: subnet subnet-0123456789abcdef0 is outside this stack. ` +
                "It is checked again when the values are known; bring the missing resources into this stack, or list subnets of other stacks that are isolated in isolatedExternalSubnets.",
        };
        // Preview only: the external subnet is a literal id, the same in both modes (the policy's own
        // tests check every case in both); each offline run costs a recording and a pack process.
        const run = await preview("reach-external-subnet", "preview", ONLY_REACHABILITY);
        expect(run).to.deep.equal({ code: ExitCode.Clean, violations: [advisory] });
        const isolated = await preview("reach-external-subnet", "preview", path.join(program("reach-external-subnet"), "isolated.json"));
        expect(isolated).to.deep.equal({ code: ExitCode.Clean, violations: [] });
    });
});
