import { expect } from "chai";
import { EgressGateway, EgressGatewayArgs } from "../../components/egress-gateway";
import { NON_ROOT_USER } from "../../components/task-definition";
import { Environment, GatewayKind } from "../../config";
import { countByType, MockedResource, ofType, one, recordComponents, valueOf } from "../helpers/program-mocks";
import { DIGEST } from "./fixtures";
import { ruleLines } from "./rules";

function args(overrides: Partial<EgressGatewayArgs> = {}): EgressGatewayArgs {
    return {
        kind: GatewayKind.Webhook,
        environment: Environment.Dev,
        region: "eu-west-1",
        accountId: "123456789012",
        vpcId: "vpc-1",
        subnetIds: ["subnet-egress-a", "subnet-egress-b"],
        clusterArn: "arn:cluster",
        namespaceId: "ns-1",
        namespaceName: "dev.trace.internal",
        image: `registry.example/trace/webhook-egress${DIGEST}`,
        port: 8443,
        destinationCidrs: ["0.0.0.0/0"],
        destinationPorts: [443],
        taskCount: 2,
        clients: { services: "sg-services", jobs: "sg-jobs" },
        endpointSecurityGroupId: "sg-endpoints",
        s3PrefixListId: "pl-s3",
        logRetentionDays: 30,
        ...overrides,
    };
}

const NAMES = { "sg-services": "services", "sg-jobs": "jobs", "sg-platform": "platform", "sg-endpoints": "endpoints", "pl-s3": "s3-prefix-list", "gw-sg-id": "gateway" };

async function record(overrides: Partial<EgressGatewayArgs> = {}): Promise<{ resources: MockedResource[]; dnsName: string }> {
    let gateway: EgressGateway | undefined;
    const resources = await recordComponents(() => {
        gateway = new EgressGateway("gw", args(overrides));
    });
    return { resources, dnsName: await valueOf(gateway!.dnsName) };
}

describe("EgressGateway", () => {
    let webhook: { resources: MockedResource[]; dnsName: string };
    before(async () => {
        webhook = await record();
    });

    it("creates its own SG and rules, roles, hardened task, Cloud Map name and Fargate service", async () => {
        expect(countByType(webhook.resources)).to.deep.equal({
            "aws:cloudwatch/logGroup:LogGroup": 1,
            "aws:ec2/securityGroup:SecurityGroup": 1,
            "aws:ecs/service:Service": 1,
            "aws:ecs/taskDefinition:TaskDefinition": 1,
            "aws:iam/role:Role": 2,
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 1,
            "aws:servicediscovery/service:Service": 1,
            "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 5,
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 3,
            "trace:egress:EgressGateway": 1,
        });
    });

    it("tags its SG and service with the gateway kind, the key the policy pack exempts by", async () => {
        const { resources } = webhook;
        const tags = { Name: "trace-dev-webhook-egress", "trace:trust": "platform", "trace:egress-gateway": "webhook" };
        expect(one(resources, "aws:ec2/securityGroup:SecurityGroup", "gw-sg").inputs.tags).to.deep.equal(tags);
        expect(one(resources, "aws:ecs/service:Service", "gw-service").inputs.tags).to.deep.equal(tags);
    });

    it("allows the internet allowlist, endpoints and S3 out, and only its clients in, each client with a matching egress rule", async () => {
        expect(ruleLines(webhook.resources, NAMES)).to.deep.equal(
            [
                "egress gateway -> 0.0.0.0/0 tcp/443",
                "egress gateway -> endpoints tcp/443",
                "ingress endpoints <- gateway tcp/443",
                "egress gateway -> s3-prefix-list tcp/443",
                "ingress gateway <- services tcp/8443",
                "egress services -> gateway tcp/8443",
                "ingress gateway <- jobs tcp/8443",
                "egress jobs -> gateway tcp/8443",
            ].sort(),
        );
    });

    it("opens one egress rule per destination CIDR and port, IPv6 ones as cidrIpv6", async () => {
        const { resources } = await record({
            kind: GatewayKind.Rpc,
            destinationCidrs: ["104.18.0.0/20", "2606:4700::/32"],
            destinationPorts: [443, 8545],
            clients: { platform: "sg-platform" },
        });
        const internet = ofType(resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.inputs.referencedSecurityGroupId === undefined && r.inputs.prefixListId === undefined);
        expect(internet.map((r) => [r.inputs.cidrIpv4, r.inputs.cidrIpv6, r.inputs.fromPort, r.inputs.toPort])).to.deep.equal([
            ["104.18.0.0/20", undefined, 443, 443],
            ["104.18.0.0/20", undefined, 8545, 8545],
            [undefined, "2606:4700::/32", 443, 443],
            [undefined, "2606:4700::/32", 8545, 8545],
        ]);
    });

    it("runs its tasks in the egress subnets with a public IP each, registered in Cloud Map", async () => {
        const { resources, dnsName } = webhook;
        const service = one(resources, "aws:ecs/service:Service", "gw-service");
        expect(service.inputs).to.deep.include({
            name: "webhook-egress",
            cluster: "arn:cluster",
            desiredCount: 2,
            launchType: "FARGATE",
            networkConfiguration: { subnets: ["subnet-egress-a", "subnet-egress-b"], securityGroups: ["gw-sg-id"], assignPublicIp: true },
            serviceRegistries: { registryArn: "arn:aws:mock:::aws:servicediscovery/service:Service/gw-discovery" },
        });
        expect(one(resources, "aws:servicediscovery/service:Service", "gw-discovery").inputs.dnsConfig).to.deep.equal({
            namespaceId: "ns-1",
            routingPolicy: "MULTIVALUE",
            dnsRecords: [{ type: "A", ttl: 10 }],
        });
        expect(dnsName).to.equal("webhook-egress.dev.trace.internal");
    });

    it("runs a hardened container on its port, and its task role has no permissions", async () => {
        const { resources } = webhook;
        const [container] = JSON.parse(one(resources, "aws:ecs/taskDefinition:TaskDefinition", "gw-task").inputs.containerDefinitions);
        expect(container).to.deep.include({ readonlyRootFilesystem: true, privileged: false, user: NON_ROOT_USER, secrets: [] });
        expect(container.portMappings).to.deep.equal([{ containerPort: 8443, protocol: "tcp" }]);
        expect(ofType(resources, "aws:iam/rolePolicy:RolePolicy")).to.deep.equal([]);
        expect(ofType(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => a.inputs.role)).to.deep.equal(["gw-execution-physical"]);
    });
});
