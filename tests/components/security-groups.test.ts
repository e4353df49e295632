import { expect } from "chai";
import { SecurityGroups } from "../../components/security-groups";
import { countByType, MockedResource, ofType, recordComponents } from "../helpers/program-mocks";
import { ruleLines } from "./rules";

const NAMES = {
    "trace-jobs-id": "jobs",
    "trace-udf-id": "udf",
    "trace-platform-id": "platform",
    "trace-services-id": "services",
    "trace-database-id": "database",
    "sg-endpoints": "endpoints",
    "pl-s3": "s3-prefix-list",
};

function build(): void {
    new SecurityGroups("trace", { vpcId: "vpc-1", endpointSecurityGroupId: "sg-endpoints", s3PrefixListId: "pl-s3", servicePorts: [8080, 9090] });
}

describe("SecurityGroups", () => {
    let resources: MockedResource[];
    before(async () => {
        resources = await recordComponents(build);
    });

    it("creates the five workload SGs with their trust tags and no inline rules", async () => {
        const groups = ofType(resources, "aws:ec2/securityGroup:SecurityGroup");
        expect(groups.map((g) => [g.name, g.inputs.tags["trace:trust"], g.inputs.ingress, g.inputs.egress])).to.deep.equal([
            ["trace-jobs", "untrusted", undefined, undefined],
            ["trace-udf", "untrusted", undefined, undefined],
            ["trace-platform", "platform", undefined, undefined],
            ["trace-services", "service", undefined, undefined],
            ["trace-database", "service", undefined, undefined],
        ]);
        expect(countByType(resources)).to.deep.equal({
            "aws:ec2/securityGroup:SecurityGroup": 5,
            "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 17,
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 13,
            "trace:network:SecurityGroups": 1,
        });
    });

    it("implements exactly the DESIGN.md table among workloads, endpoints and S3, plus SES SMTP from services: no CIDR anywhere", async () => {
        expect(ruleLines(resources, NAMES)).to.deep.equal(
            [
                ...["jobs", "udf", "platform", "services"].flatMap((sg) => [
                    `egress ${sg} -> endpoints tcp/443`,
                    `egress ${sg} -> s3-prefix-list tcp/443`,
                    `ingress endpoints <- ${sg} tcp/443`,
                ]),
                ...["jobs", "udf", "platform"].flatMap((sg) => [8080, 9090].flatMap((port) => [`egress ${sg} -> services tcp/${port}`, `ingress services <- ${sg} tcp/${port}`])),
                ...["services", "platform"].flatMap((sg) => [`egress ${sg} -> database tcp/5432`, `ingress database <- ${sg} tcp/5432`]),
                "egress services -> endpoints tcp/587",
                "ingress endpoints <- services tcp/587",
            ].sort(),
        );
    });
});
