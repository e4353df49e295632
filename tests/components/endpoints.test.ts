import { expect } from "chai";
import { Endpoints, interfaceEndpointPolicy, s3EndpointPolicy } from "../../components/endpoints";
import { PerimeterScope } from "../../config";
import { countByType, MockedResource, ofType, one, recordComponents } from "../helpers/program-mocks";

const SERVICES = ["sqs", "sts", "kms", "ecr.api", "ecr.dkr", "logs", "secretsmanager"];

function build(): void {
    new Endpoints("trace", {
        vpcId: "vpc-1",
        region: "eu-west-1",
        perimeter: { scope: PerimeterScope.Account, id: "123456789012" },
        s3RouteTableIds: ["rtb-app", "rtb-data"],
        interfaceSubnetIds: ["subnet-app-a"],
        interfaceServices: SERVICES,
    });
}

describe("Endpoints", () => {
    let resources: MockedResource[];
    before(async () => {
        resources = await recordComponents(build);
    });

    it("creates the S3 gateway endpoint, one interface endpoint per service and the endpoint SG, and no SG rules", async () => {
        expect(countByType(resources)).to.deep.equal({
            "aws:ec2/securityGroup:SecurityGroup": 1,
            "aws:ec2/vpcEndpoint:VpcEndpoint": 8,
            "trace:network:Endpoints": 1,
        });
    });

    it("attaches S3 as a gateway endpoint to the given route tables, with both perimeters on the account and the ECR layer bucket as the one exception", async () => {
        const s3 = one(resources, "aws:ec2/vpcEndpoint:VpcEndpoint", "trace-s3");
        expect(s3.inputs).to.deep.include({ serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "Gateway", routeTableIds: ["rtb-app", "rtb-data"] });
        expect(JSON.parse(s3.inputs.policy)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "PerimeterIdentitiesToPerimeterResources",
                    Effect: "Allow",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: "*",
                    Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012", "aws:ResourceAccount": "123456789012" } },
                },
                { Sid: "EcrImageLayers", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*" },
            ],
        });
    });

    it("gives every interface endpoint a policy allowing only the account's identities on the account's resources", async () => {
        const interfaces = ofType(resources, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface");
        expect(interfaces).to.have.length(7);
        for (const endpoint of interfaces) {
            expect(JSON.parse(endpoint.inputs.policy), endpoint.name).to.deep.equal({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "PerimeterIdentitiesToPerimeterResources",
                        Effect: "Allow",
                        Principal: "*",
                        Action: "*",
                        Resource: "*",
                        Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012", "aws:ResourceAccount": "123456789012" } },
                    },
                ],
            });
        }
    });

    it("puts every interface endpoint in the given subnets with private DNS on and only the endpoint SG", async () => {
        const interfaces = ofType(resources, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface");
        expect(interfaces.map((e) => e.inputs.serviceName)).to.deep.equal(SERVICES.map((s) => `com.amazonaws.eu-west-1.${s}`));
        for (const endpoint of interfaces) {
            expect(endpoint.inputs, endpoint.name).to.deep.include({ privateDnsEnabled: true, subnetIds: ["subnet-app-a"], securityGroupIds: ["trace-endpoints-sg-id"] });
        }
    });

    it("leaves the endpoint SG without inline rules, so its only rules are the consumer ingress rules added elsewhere", async () => {
        const sg = one(resources, "aws:ec2/securityGroup:SecurityGroup", "trace-endpoints-sg");
        expect(sg.inputs.ingress).to.equal(undefined);
        expect(sg.inputs.egress).to.equal(undefined);
        expect(sg.inputs.tags).to.deep.equal({ Name: "trace-endpoints", "trace:trust": "service" });
    });

    it("builds the S3 policy for the stack's own region and account", () => {
        const policy = JSON.parse(s3EndpointPolicy("us-east-2", { scope: PerimeterScope.Account, id: "210987654321" }));
        expect(policy.Statement[0].Condition).to.deep.equal({ StringEquals: { "aws:PrincipalAccount": "210987654321", "aws:ResourceAccount": "210987654321" } });
        expect(policy.Statement[1].Resource).to.equal("arn:aws:s3:::prod-us-east-2-starport-layer-bucket/*");
    });

    it("uses the organization's id for both perimeters when the stack trusts an organization", () => {
        const org = { scope: PerimeterScope.Organization, id: "o-abcdefghij" };
        const expected = { StringEquals: { "aws:PrincipalOrgID": "o-abcdefghij", "aws:ResourceOrgID": "o-abcdefghij" } };
        expect(JSON.parse(s3EndpointPolicy("eu-west-1", org)).Statement[0].Condition).to.deep.equal(expected);
        expect(JSON.parse(interfaceEndpointPolicy(org)).Statement.map((s: { Condition: unknown }) => s.Condition)).to.deep.equal([expected]);
    });
});
