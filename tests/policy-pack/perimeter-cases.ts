// One compliant and one failing value per perimeter catalogue entry, with the exact finding, shared
// by the tests of the policies that own the entries. A catalogue entry without a case here fails
// tests/policy-pack/lib/perimeter-catalogue.test.ts.

import { CatalogueEntry, PERIMETER_CATALOGUE } from "../../policy-pack/lib/perimeter-catalogue";
import { U } from "./support";

export interface PerimeterCase {
    /** Inputs that pass in plan mode (everything known). */
    readonly compliant: Record<string, unknown>;
    /** Inputs that fail, and the finding (before ", so it <consequence>"). */
    readonly failing: Record<string, unknown>;
    readonly finding: string;
}

/** `{a: {b: v}}` for "a.b". */
export function at(path: string, value: unknown): Record<string, unknown> {
    return path
        .split(".")
        .reverse()
        .reduce<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

const SUBNETS = { subnetIds: ["subnet-0a1b2c3d"], securityGroupIds: ["sg-0a1b2c3d"] };

/** Keyed by `<type> <property>`. */
export const PERIMETER_CASES: Readonly<Record<string, PerimeterCase>> = {
    "aws:codebuild/project:Project vpcConfig": { compliant: { vpcConfig: { vpcId: "vpc-1", subnets: ["subnet-0a1b2c3d"], securityGroupIds: ["sg-1"] } }, failing: {}, finding: "has no vpcConfig" },
    "aws:codebuild/fleet:Fleet vpcConfigs": { compliant: { vpcConfigs: [{ vpcId: "vpc-1", subnets: ["subnet-0a1b2c3d"], securityGroupIds: ["sg-1"] }] }, failing: { vpcConfigs: [] }, finding: "has no vpcConfigs" },
    "aws:sagemaker/notebookInstance:NotebookInstance directInternetAccess": {
        compliant: { directInternetAccess: "Disabled", subnetId: "subnet-0a1b2c3d" },
        failing: { subnetId: "subnet-0a1b2c3d" },
        finding: "has directInternetAccess unset (the default is Enabled)",
    },
    "aws:sagemaker/domain:Domain appNetworkAccessType": { compliant: { appNetworkAccessType: "VpcOnly" }, failing: { appNetworkAccessType: "PublicInternetOnly" }, finding: "has appNetworkAccessType PublicInternetOnly" },
    "aws:sagemaker/model:Model vpcConfig": { compliant: { enableNetworkIsolation: true }, failing: { enableNetworkIsolation: false }, finding: "has no vpcConfig" },
    "aws:sagemaker/trainingJob:TrainingJob vpcConfig": { compliant: { vpcConfig: SUBNETS }, failing: {}, finding: "has no vpcConfig" },
    "aws:glue/job:Job connections": { compliant: { connections: ["private-network"] }, failing: {}, finding: "has no connections" },
    "aws:glue/devEndpoint:DevEndpoint subnetId": { compliant: { subnetId: "subnet-0a1b2c3d" }, failing: { subnetId: "" }, finding: "has no subnetId" },
    "aws:apprunner/service:Service networkConfiguration.egressConfiguration.egressType": {
        compliant: { networkConfiguration: { egressConfiguration: { egressType: "VPC", vpcConnectorArn: "arn:aws:apprunner:eu-west-1:1:vpcconnector/c/1/x" }, ingressConfiguration: { isPubliclyAccessible: false } } },
        failing: { networkConfiguration: { ingressConfiguration: { isPubliclyAccessible: false } } },
        finding: "has networkConfiguration.egressConfiguration.egressType unset (the default is DEFAULT)",
    },
    "aws:emr/cluster:Cluster ec2Attributes.subnetId": { compliant: { ec2Attributes: { subnetIds: ["subnet-0a1b2c3d"] } }, failing: { ec2Attributes: { instanceProfile: "p" } }, finding: "has no ec2Attributes.subnetId or ec2Attributes.subnetIds" },
    "aws:emrserverless/application:Application networkConfiguration": { compliant: { networkConfiguration: SUBNETS }, failing: {}, finding: "has no networkConfiguration" },
    "aws:kinesisanalyticsv2/application:Application applicationConfiguration.vpcConfiguration": {
        compliant: { applicationConfiguration: { vpcConfiguration: SUBNETS } },
        failing: { applicationConfiguration: { runConfiguration: {} } },
        finding: "has no applicationConfiguration.vpcConfiguration",
    },
    "aws:synthetics/canary:Canary vpcConfig": { compliant: { vpcConfig: SUBNETS }, failing: {}, finding: "has no vpcConfig" },
    "aws:cloud9/environmentEC2:EnvironmentEC2 subnetId": { compliant: { subnetId: "subnet-0a1b2c3d", connectionType: "CONNECT_SSM" }, failing: {}, finding: "has no subnetId" },
    "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration subnetId": { compliant: { subnetId: "subnet-0a1b2c3d" }, failing: {}, finding: "has no subnetId" },
    "aws:appstream/fleet:Fleet enableDefaultInternetAccess": { compliant: { vpcConfig: SUBNETS }, failing: { enableDefaultInternetAccess: true }, finding: "has enableDefaultInternetAccess true" },
    "aws:appstream/imageBuilder:ImageBuilder enableDefaultInternetAccess": { compliant: { enableDefaultInternetAccess: false }, failing: { enableDefaultInternetAccess: true }, finding: "has enableDefaultInternetAccess true" },
    "aws:bedrock/agentcoreAgentRuntime:AgentcoreAgentRuntime networkConfiguration.networkMode": {
        compliant: { networkConfiguration: { networkMode: "VPC", networkModeConfig: { subnets: ["subnet-0a1b2c3d"], securityGroups: ["sg-1"] } } },
        failing: { networkConfiguration: { networkMode: "PUBLIC" } },
        finding: "has networkConfiguration.networkMode PUBLIC",
    },
    "aws:bedrock/agentcoreCodeInterpreter:AgentcoreCodeInterpreter networkConfiguration.networkMode": {
        compliant: { networkConfiguration: { networkMode: "SANDBOX" } },
        failing: { networkConfiguration: { networkMode: "PUBLIC" } },
        finding: "has networkConfiguration.networkMode PUBLIC",
    },
    "aws:bedrock/agentcoreBrowser:AgentcoreBrowser networkConfiguration.networkMode": {
        compliant: { networkConfiguration: { networkMode: "VPC" } },
        failing: { networkConfiguration: { networkMode: "PUBLIC" } },
        finding: "has networkConfiguration.networkMode PUBLIC",
    },
    "aws:workspaces/directory:Directory workspaceCreationProperties.enableInternetAccess": {
        compliant: { directoryId: "d-1234567890", workspaceCreationProperties: { enableInternetAccess: false } },
        failing: { directoryId: "d-1234567890", workspaceCreationProperties: { enableInternetAccess: true } },
        finding: "has workspaceCreationProperties.enableInternetAccess true",
    },
    "awsx:ecs:FargateService networkConfiguration": { compliant: { networkConfiguration: { subnets: ["subnet-0a1b2c3d"], securityGroups: ["sg-1"] } }, failing: { assignPublicIp: false }, finding: "has no networkConfiguration" },
    "aws:lambda/functionUrl:FunctionUrl authorizationType": { compliant: { functionName: "f", authorizationType: "AWS_IAM" }, failing: { functionName: "f", authorizationType: "NONE" }, finding: "has authorizationType NONE" },
    "aws:lambda/permission:Permission sourceArn": {
        compliant: { action: "lambda:InvokeFunction", function: "f", principal: "*", principalOrgId: "o-abc123" },
        failing: { action: "lambda:InvokeFunctionUrl", function: "f", principal: "*", functionUrlAuthType: "NONE" },
        finding: "has no sourceArn or sourceAccount or principalOrgId",
    },
    "aws:apprunner/service:Service networkConfiguration.ingressConfiguration.isPubliclyAccessible": {
        compliant: { networkConfiguration: { egressConfiguration: { egressType: "VPC" }, ingressConfiguration: { isPubliclyAccessible: false } } },
        failing: { networkConfiguration: { egressConfiguration: { egressType: "VPC" }, ingressConfiguration: { isPubliclyAccessible: true } } },
        finding: "has networkConfiguration.ingressConfiguration.isPubliclyAccessible true",
    },
    "aws:opensearch/domain:Domain vpcOptions": { compliant: { vpcOptions: SUBNETS }, failing: { engineVersion: "OpenSearch_2.13" }, finding: "has no vpcOptions" },
    "aws:opensearchingest/pipeline:Pipeline vpcOptions": { compliant: { pipelineName: "logs", vpcOptions: SUBNETS }, failing: { pipelineName: "logs" }, finding: "has no vpcOptions" },
    "aws:elasticsearch/domain:Domain vpcOptions": { compliant: { vpcOptions: SUBNETS }, failing: {}, finding: "has no vpcOptions" },
    "aws:eks/cluster:Cluster vpcConfig.endpointPublicAccess": {
        compliant: { vpcConfig: { subnetIds: ["subnet-0a1b2c3d"], endpointPublicAccess: false, endpointPrivateAccess: true } },
        failing: { vpcConfig: { subnetIds: ["subnet-0a1b2c3d"] } },
        finding: "has vpcConfig.endpointPublicAccess unset (the default is true)",
    },
    "aws:redshift/cluster:Cluster publiclyAccessible": { compliant: { publiclyAccessible: false }, failing: { publiclyAccessible: true }, finding: "has publiclyAccessible true" },
    "aws:redshiftserverless/workgroup:Workgroup publiclyAccessible": { compliant: {}, failing: { publiclyAccessible: true }, finding: "has publiclyAccessible true" },
    "aws:dms/replicationInstance:ReplicationInstance publiclyAccessible": { compliant: { publiclyAccessible: false }, failing: {}, finding: "has publiclyAccessible unset (the default is true)" },
    "aws:mq/broker:Broker publiclyAccessible": { compliant: { publiclyAccessible: false }, failing: { publiclyAccessible: true }, finding: "has publiclyAccessible true" },
    "aws:neptune/clusterInstance:ClusterInstance publiclyAccessible": { compliant: {}, failing: { publiclyAccessible: true }, finding: "has publiclyAccessible true" },
    "aws:neptunegraph/graph:Graph publicConnectivity": { compliant: { provisionedMemory: 16 }, failing: { provisionedMemory: 16, publicConnectivity: true }, finding: "has publicConnectivity true" },
    "aws:rds/shardGroup:ShardGroup publiclyAccessible": { compliant: { publiclyAccessible: false }, failing: {}, finding: "has no publiclyAccessible" },
    "aws:timestreaminfluxdb/dbCluster:DbCluster publiclyAccessible": { compliant: {}, failing: { publiclyAccessible: true }, finding: "has publiclyAccessible true" },
    "aws:timestreaminfluxdb/dbInstance:DbInstance publiclyAccessible": { compliant: { publiclyAccessible: false }, failing: { publiclyAccessible: true }, finding: "has publiclyAccessible true" },
    "aws:m2/environment:Environment publiclyAccessible": { compliant: { publiclyAccessible: false }, failing: { publiclyAccessible: true }, finding: "has publiclyAccessible true" },
    "aws:mwaa/environment:Environment webserverAccessMode": { compliant: {}, failing: { webserverAccessMode: "PUBLIC_ONLY" }, finding: "has webserverAccessMode PUBLIC_ONLY" },
    "aws:transfer/server:Server endpointType": { compliant: { endpointType: "VPC" }, failing: {}, finding: "has endpointType unset (the default is PUBLIC)" },
    "aws:msk/cluster:Cluster brokerNodeGroupInfo.connectivityInfo.publicAccess.type": {
        compliant: { brokerNodeGroupInfo: { clientSubnets: ["subnet-0a1b2c3d"], connectivityInfo: { publicAccess: { type: "DISABLED" } } } },
        failing: { brokerNodeGroupInfo: { clientSubnets: ["subnet-0a1b2c3d"], connectivityInfo: { publicAccess: { type: "SERVICE_PROVIDED_EIPS" } } } },
        finding: "has brokerNodeGroupInfo.connectivityInfo.publicAccess.type SERVICE_PROVIDED_EIPS",
    },
    "aws:appsync/graphQLApi:GraphQLApi visibility": { compliant: { visibility: "PRIVATE" }, failing: {}, finding: "has visibility unset (the default is GLOBAL)" },
    "awsx:lb:ApplicationLoadBalancer internal": { compliant: { internal: true }, failing: {}, finding: "has internal unset (the default is false)" },
    "awsx:lb:NetworkLoadBalancer internal": { compliant: { internal: true, subnetIds: ["subnet-0a1b2c3d"] }, failing: { internal: false }, finding: "has internal false" },
};

export function caseOf(entry: CatalogueEntry): PerimeterCase | undefined {
    return PERIMETER_CASES[`${entry.type} ${entry.property}`];
}

/** Preview mode: the same inputs with the ids and names the engine does not know yet. */
export function previewOf(props: Record<string, unknown>): Record<string, unknown> {
    return { ...props, name: U, arn: U, tags: U };
}

export function entriesOf(policy: string): CatalogueEntry[] {
    return PERIMETER_CATALOGUE.filter((e) => e.policy === policy);
}
