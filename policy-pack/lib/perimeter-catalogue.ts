// The perimeter catalogue: every provider property (and awsx component input) that can run code
// outside the VPC, give it an internet path of its own, or open an endpoint to the internet. Data,
// not logic: `compute-inside-perimeter`, `public-endpoints-only-via-api-gateway` and
// `load-balancers-internal-only` evaluate it (perimeter.ts), the pack README's table is rendered from
// it, and tests/policy-pack/lib/perimeter-catalogue.test.ts fails when a type or property named here
// leaves @pulumi/aws or @pulumi/awsx. Defaults are the provider's documented ones (its .d.ts), or
// AWS's where the provider leaves the value to AWS (said so in `providerDefault`).

export const COMPUTE_INSIDE_PERIMETER = "compute-inside-perimeter";
export const PUBLIC_ENDPOINTS_ONLY_VIA_API_GATEWAY = "public-endpoints-only-via-api-gateway";
export const LOAD_BALANCERS_INTERNAL_ONLY = "load-balancers-internal-only";

export type PerimeterPolicyName =
    | typeof COMPUTE_INSIDE_PERIMETER
    | typeof PUBLIC_ENDPOINTS_ONLY_VIA_API_GATEWAY
    | typeof LOAD_BALANCERS_INTERNAL_ONLY;

export type Scalar = string | boolean;

/** When the value at `property` (the provider's default when unset) is unsafe. */
export type Unsafe =
    /** Unset, null, "" or []: the resource has no network placement at all. */
    | { readonly when: "unset" }
    /** Anything but `safe`. */
    | { readonly when: "not"; readonly safe: readonly Scalar[] }
    /** One of `unsafe`. */
    | { readonly when: "is"; readonly unsafe: readonly Scalar[] };

/** A sibling property whose value decides whether the entry applies at all. */
export interface Condition {
    readonly property: string;
    readonly equals: Scalar;
}

export interface CatalogueEntry {
    readonly service: string;
    /** The Pulumi type token. */
    readonly type: string;
    /** Human kind for messages: `SageMaker notebook instance`. */
    readonly kind: string;
    /** Dot path in the resource's inputs. */
    readonly property: string;
    readonly unsafe: Unsafe;
    /** The value the provider (or AWS) uses when the property is unset; undefined: no value. */
    readonly providerDefault?: Scalar;
    /** Other paths that, when set, count as placing the resource (e.g. `subnetIds` next to `subnetId`). */
    readonly orSet?: readonly string[];
    /** The entry applies only when this holds (e.g. a Lambda permission whose principal is `*`). */
    readonly onlyWhen?: Condition;
    /** The entry never applies when this holds (e.g. a model with network isolation has no network). */
    readonly unless?: Condition;
    readonly policy: PerimeterPolicyName;
    /** What the unsafe value means, completing "<subject> <finding>, so it ...". */
    readonly consequence: string;
    readonly fix: string;
    /** awsx components are judged on their inputs only when their children are absent from the stack. */
    readonly component?: true;
    /** Dot paths of the subnet ids it runs in: those subnets must be of a private tier (stack half). */
    readonly subnets?: readonly string[];
}

const COMPUTE = COMPUTE_INSIDE_PERIMETER;
const PUBLIC = PUBLIC_ENDPOINTS_ONLY_VIA_API_GATEWAY;

const OUTSIDE_VPC = "runs outside this VPC, with the internet reachable from its own network";

export const PERIMETER_CATALOGUE: readonly CatalogueEntry[] = [
    // --- compute that runs customer or user code -------------------------------------------------
    {
        service: "CodeBuild", type: "aws:codebuild/project:Project", kind: "CodeBuild project",
        property: "vpcConfig", unsafe: { when: "unset" }, subnets: ["vpcConfig.subnets"], policy: COMPUTE,
        consequence: OUTSIDE_VPC, fix: "Set vpcConfig: { vpcId, subnets: <private app subnets>, securityGroupIds: [<an allowlist security group>] }",
    },
    {
        service: "CodeBuild", type: "aws:codebuild/fleet:Fleet", kind: "CodeBuild fleet",
        property: "vpcConfigs", unsafe: { when: "unset" }, policy: COMPUTE,
        consequence: OUTSIDE_VPC, fix: "Set vpcConfigs: [{ vpcId, subnets: <private app subnets>, securityGroupIds: [<an allowlist security group>] }]",
    },
    {
        service: "SageMaker", type: "aws:sagemaker/notebookInstance:NotebookInstance", kind: "SageMaker notebook instance",
        property: "directInternetAccess", unsafe: { when: "not", safe: ["Disabled"] }, providerDefault: "Enabled", subnets: ["subnetId"], policy: COMPUTE,
        consequence: "has internet access through SageMaker's own network", fix: 'Set directInternetAccess: "Disabled" with subnetId (a private app subnet) and securityGroups',
    },
    {
        service: "SageMaker", type: "aws:sagemaker/domain:Domain", kind: "SageMaker domain",
        property: "appNetworkAccessType", unsafe: { when: "not", safe: ["VpcOnly"] }, providerDefault: "PublicInternetOnly", subnets: ["subnetIds"], policy: COMPUTE,
        consequence: "gives its apps internet access through SageMaker's own network", fix: 'Set appNetworkAccessType: "VpcOnly" with subnetIds in the private app subnets',
    },
    {
        service: "SageMaker", type: "aws:sagemaker/model:Model", kind: "SageMaker model",
        property: "vpcConfig", unsafe: { when: "unset" }, unless: { property: "enableNetworkIsolation", equals: true }, subnets: ["vpcConfig.subnets"], policy: COMPUTE,
        consequence: OUTSIDE_VPC, fix: "Set vpcConfig with private app subnets, or enableNetworkIsolation: true when the container needs no network",
    },
    {
        service: "SageMaker", type: "aws:sagemaker/trainingJob:TrainingJob", kind: "SageMaker training job",
        property: "vpcConfig", unsafe: { when: "unset" }, unless: { property: "enableNetworkIsolation", equals: true }, subnets: ["vpcConfig.subnets"], policy: COMPUTE,
        consequence: OUTSIDE_VPC, fix: "Set vpcConfig with private app subnets, or enableNetworkIsolation: true when the container needs no network",
    },
    {
        service: "Glue", type: "aws:glue/job:Job", kind: "Glue job",
        property: "connections", unsafe: { when: "unset" }, policy: COMPUTE,
        consequence: OUTSIDE_VPC, fix: "Add a NETWORK Glue connection in a private app subnet to connections",
    },
    {
        service: "Glue", type: "aws:glue/devEndpoint:DevEndpoint", kind: "Glue development endpoint",
        property: "subnetId", unsafe: { when: "unset" }, subnets: ["subnetId"], policy: COMPUTE,
        consequence: "runs outside this VPC with a public address", fix: "Set subnetId to a private app subnet and securityGroupIds to an allowlist security group",
    },
    {
        service: "App Runner", type: "aws:apprunner/service:Service", kind: "App Runner service",
        property: "networkConfiguration.egressConfiguration.egressType", unsafe: { when: "not", safe: ["VPC"] }, providerDefault: "DEFAULT", policy: COMPUTE,
        consequence: "sends its outbound traffic to the internet from App Runner's own network", fix: 'Set networkConfiguration.egressConfiguration: { egressType: "VPC", vpcConnectorArn: <a VPC connector in the private app subnets> }',
    },
    {
        service: "EMR", type: "aws:emr/cluster:Cluster", kind: "EMR cluster",
        property: "ec2Attributes.subnetId", orSet: ["ec2Attributes.subnetIds"], unsafe: { when: "unset" }, subnets: ["ec2Attributes.subnetId", "ec2Attributes.subnetIds"], policy: COMPUTE,
        consequence: "launches in the account's default VPC, whose subnets are public", fix: "Set ec2Attributes.subnetId (or subnetIds) to private app subnets",
    },
    {
        service: "EMR Serverless", type: "aws:emrserverless/application:Application", kind: "EMR Serverless application",
        property: "networkConfiguration", unsafe: { when: "unset" }, subnets: ["networkConfiguration.subnetIds"], policy: COMPUTE,
        consequence: "runs outside this VPC, in EMR Serverless's own network", fix: "Set networkConfiguration: { subnetIds: <private app subnets>, securityGroupIds: [<an allowlist security group>] }",
    },
    {
        service: "Managed Service for Apache Flink", type: "aws:kinesisanalyticsv2/application:Application", kind: "Flink application",
        property: "applicationConfiguration.vpcConfiguration", unsafe: { when: "unset" }, subnets: ["applicationConfiguration.vpcConfiguration.subnetIds"], policy: COMPUTE,
        consequence: OUTSIDE_VPC, fix: "Set applicationConfiguration.vpcConfiguration with private app subnets and an allowlist security group",
    },
    {
        service: "CloudWatch Synthetics", type: "aws:synthetics/canary:Canary", kind: "Synthetics canary",
        property: "vpcConfig", unsafe: { when: "unset" }, subnets: ["vpcConfig.subnetIds"], policy: COMPUTE,
        consequence: OUTSIDE_VPC, fix: "Set vpcConfig: { subnetIds: <private app subnets>, securityGroupIds: [<an allowlist security group>] }",
    },
    {
        service: "Cloud9", type: "aws:cloud9/environmentEC2:EnvironmentEC2", kind: "Cloud9 environment",
        property: "subnetId", unsafe: { when: "unset" }, subnets: ["subnetId"], policy: COMPUTE,
        consequence: "launches in the account's default VPC, whose subnets are public", fix: 'Set subnetId to a private app subnet (with connectionType "CONNECT_SSM")',
    },
    {
        service: "EC2 Image Builder", type: "aws:imagebuilder/infrastructureConfiguration:InfrastructureConfiguration", kind: "Image Builder infrastructure configuration",
        property: "subnetId", unsafe: { when: "unset" }, subnets: ["subnetId"], policy: COMPUTE,
        consequence: "builds in the account's default VPC, whose subnets are public", fix: "Set subnetId to a private app subnet and securityGroupIds to an allowlist security group",
    },
    {
        service: "AppStream 2.0", type: "aws:appstream/fleet:Fleet", kind: "AppStream fleet",
        property: "enableDefaultInternetAccess", unsafe: { when: "is", unsafe: [true] }, providerDefault: false, subnets: ["vpcConfig.subnetIds"], policy: COMPUTE,
        consequence: "gives its streaming instances internet access of their own", fix: "Set enableDefaultInternetAccess: false and vpcConfig with private app subnets",
    },
    {
        service: "AppStream 2.0", type: "aws:appstream/imageBuilder:ImageBuilder", kind: "AppStream image builder",
        property: "enableDefaultInternetAccess", unsafe: { when: "is", unsafe: [true] }, providerDefault: false, policy: COMPUTE,
        consequence: "gives its instance internet access of its own", fix: "Set enableDefaultInternetAccess: false and vpcConfig with private app subnets",
    },
    {
        service: "Bedrock AgentCore", type: "aws:bedrock/agentcoreAgentRuntime:AgentcoreAgentRuntime", kind: "AgentCore runtime",
        property: "networkConfiguration.networkMode", unsafe: { when: "not", safe: ["VPC"] }, subnets: ["networkConfiguration.networkModeConfig.subnets"], policy: COMPUTE,
        consequence: "runs the agent outside this VPC, with internet access", fix: 'Set networkConfiguration: { networkMode: "VPC", networkModeConfig: { subnets: <private app subnets>, securityGroups: [...] } }',
    },
    {
        service: "Bedrock AgentCore", type: "aws:bedrock/agentcoreCodeInterpreter:AgentcoreCodeInterpreter", kind: "AgentCore code interpreter",
        property: "networkConfiguration.networkMode", unsafe: { when: "is", unsafe: ["PUBLIC"] }, policy: COMPUTE,
        consequence: "runs generated code with internet access", fix: 'Set networkConfiguration.networkMode to "SANDBOX" (no network) or "VPC" with private app subnets',
    },
    {
        service: "Bedrock AgentCore", type: "aws:bedrock/agentcoreBrowser:AgentcoreBrowser", kind: "AgentCore browser",
        property: "networkConfiguration.networkMode", unsafe: { when: "not", safe: ["VPC"] }, policy: COMPUTE,
        consequence: "browses from outside this VPC, with internet access", fix: 'Set networkConfiguration.networkMode: "VPC" with private app subnets',
    },
    {
        service: "WorkSpaces", type: "aws:workspaces/directory:Directory", kind: "WorkSpaces directory",
        property: "workspaceCreationProperties.enableInternetAccess", unsafe: { when: "is", unsafe: [true] }, providerDefault: false, subnets: ["subnetIds"], policy: COMPUTE,
        consequence: "gives its desktops public IP addresses and internet access of their own", fix: "Set workspaceCreationProperties.enableInternetAccess: false",
    },
    {
        service: "awsx", type: "awsx:ecs:FargateService", kind: "awsx Fargate service",
        property: "networkConfiguration", unsafe: { when: "unset" }, policy: COMPUTE, component: true,
        consequence: "runs its tasks in the account's default VPC (awsx's default network)", fix: "Set networkConfiguration: { subnets: <private app subnets>, securityGroups: [<an allowlist security group>] }",
    },

    // --- endpoints reachable from the internet ---------------------------------------------------
    {
        service: "Lambda", type: "aws:lambda/functionUrl:FunctionUrl", kind: "Lambda function URL",
        property: "authorizationType", unsafe: { when: "is", unsafe: ["NONE"] }, policy: PUBLIC,
        consequence: "lets anyone on the internet invoke the function", fix: 'Set authorizationType: "AWS_IAM", or expose the function through API Gateway',
    },
    {
        service: "Lambda", type: "aws:lambda/permission:Permission", kind: "Lambda permission",
        property: "sourceArn", orSet: ["sourceAccount", "principalOrgId"], onlyWhen: { property: "principal", equals: "*" },
        unsafe: { when: "unset" }, policy: PUBLIC,
        consequence: "lets any principal invoke the function (principal * without sourceArn, sourceAccount or principalOrgId)", fix: "Name the calling service or account as principal, or set sourceArn/sourceAccount/principalOrgId",
    },
    {
        service: "App Runner", type: "aws:apprunner/service:Service", kind: "App Runner service",
        property: "networkConfiguration.ingressConfiguration.isPubliclyAccessible", unsafe: { when: "not", safe: [false] }, providerDefault: true, policy: PUBLIC,
        consequence: "serves its URL to the internet", fix: "Set networkConfiguration.ingressConfiguration.isPubliclyAccessible: false and reach it through an App Runner VPC ingress connection",
    },
    {
        service: "OpenSearch", type: "aws:opensearch/domain:Domain", kind: "OpenSearch domain",
        property: "vpcOptions", unsafe: { when: "unset" }, policy: PUBLIC,
        consequence: "has a public endpoint (a domain outside a VPC is reachable from the internet)", fix: "Set vpcOptions: { subnetIds: <private data subnets>, securityGroupIds: [...] }",
    },
    {
        service: "OpenSearch", type: "aws:opensearchingest/pipeline:Pipeline", kind: "OpenSearch Ingestion pipeline",
        property: "vpcOptions", unsafe: { when: "unset" }, policy: PUBLIC,
        consequence: "has a public ingestion endpoint (the provider's documented default without vpcOptions)", fix: "Set vpcOptions: { subnetIds: <private subnets>, securityGroupIds: [...] }",
    },
    {
        service: "OpenSearch", type: "aws:elasticsearch/domain:Domain", kind: "Elasticsearch domain",
        property: "vpcOptions", unsafe: { when: "unset" }, policy: PUBLIC,
        consequence: "has a public endpoint (a domain outside a VPC is reachable from the internet)", fix: "Set vpcOptions: { subnetIds: <private data subnets>, securityGroupIds: [...] }",
    },
    {
        service: "EKS", type: "aws:eks/cluster:Cluster", kind: "EKS cluster",
        property: "vpcConfig.endpointPublicAccess", unsafe: { when: "not", safe: [false] }, providerDefault: true, policy: PUBLIC,
        consequence: "has a public Kubernetes API endpoint", fix: "Set vpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true }",
    },
    {
        service: "Redshift", type: "aws:redshift/cluster:Cluster", kind: "Redshift cluster",
        property: "publiclyAccessible", unsafe: { when: "is", unsafe: [true] }, providerDefault: false, policy: PUBLIC,
        consequence: "has a public endpoint", fix: "Set publiclyAccessible: false",
    },
    {
        service: "Redshift", type: "aws:redshiftserverless/workgroup:Workgroup", kind: "Redshift Serverless workgroup",
        property: "publiclyAccessible", unsafe: { when: "is", unsafe: [true] }, providerDefault: false, policy: PUBLIC,
        consequence: "has a public endpoint", fix: "Set publiclyAccessible: false",
    },
    {
        service: "DMS", type: "aws:dms/replicationInstance:ReplicationInstance", kind: "DMS replication instance",
        property: "publiclyAccessible", unsafe: { when: "not", safe: [false] }, providerDefault: true, policy: PUBLIC,
        consequence: "gets a public IP address (AWS's default when the provider leaves it unset)", fix: "Set publiclyAccessible: false",
    },
    {
        service: "Amazon MQ", type: "aws:mq/broker:Broker", kind: "MQ broker",
        property: "publiclyAccessible", unsafe: { when: "is", unsafe: [true] }, providerDefault: false, policy: PUBLIC,
        consequence: "accepts connections from outside its VPC", fix: "Set publiclyAccessible: false",
    },
    {
        service: "Neptune", type: "aws:neptune/clusterInstance:ClusterInstance", kind: "Neptune instance",
        property: "publiclyAccessible", unsafe: { when: "is", unsafe: [true] }, providerDefault: false, policy: PUBLIC,
        consequence: "has a public endpoint", fix: "Set publiclyAccessible: false",
    },
    {
        service: "Neptune", type: "aws:neptunegraph/graph:Graph", kind: "Neptune Analytics graph",
        property: "publicConnectivity", unsafe: { when: "is", unsafe: [true] }, providerDefault: false, policy: PUBLIC,
        consequence: "is reachable from the internet", fix: "Set publicConnectivity: false and reach it through a private graph endpoint",
    },
    {
        service: "RDS", type: "aws:rds/shardGroup:ShardGroup", kind: "Aurora shard group",
        property: "publiclyAccessible", unsafe: { when: "not", safe: [false] }, policy: PUBLIC,
        consequence: "may have a public endpoint (the provider documents no default, so it must be set)", fix: "Set publiclyAccessible: false",
    },
    {
        service: "Timestream for InfluxDB", type: "aws:timestreaminfluxdb/dbInstance:DbInstance", kind: "Timestream InfluxDB instance",
        property: "publiclyAccessible", unsafe: { when: "is", unsafe: [true] }, providerDefault: false, policy: PUBLIC,
        consequence: "has a public IP address", fix: "Set publiclyAccessible: false",
    },
    {
        service: "Timestream for InfluxDB", type: "aws:timestreaminfluxdb/dbCluster:DbCluster", kind: "Timestream InfluxDB cluster",
        property: "publiclyAccessible", unsafe: { when: "is", unsafe: [true] }, providerDefault: false, policy: PUBLIC,
        consequence: "has a public IP address", fix: "Set publiclyAccessible: false",
    },
    {
        service: "Mainframe Modernization", type: "aws:m2/environment:Environment", kind: "M2 environment",
        property: "publiclyAccessible", unsafe: { when: "is", unsafe: [true] }, providerDefault: false, policy: PUBLIC,
        consequence: "has a public endpoint", fix: "Set publiclyAccessible: false",
    },
    {
        service: "MWAA", type: "aws:mwaa/environment:Environment", kind: "MWAA environment",
        property: "webserverAccessMode", unsafe: { when: "not", safe: ["PRIVATE_ONLY"] }, providerDefault: "PRIVATE_ONLY", policy: PUBLIC,
        consequence: "serves the Airflow web server to the internet", fix: 'Set webserverAccessMode: "PRIVATE_ONLY"',
    },
    {
        service: "Transfer Family", type: "aws:transfer/server:Server", kind: "Transfer server",
        property: "endpointType", unsafe: { when: "is", unsafe: ["PUBLIC"] }, providerDefault: "PUBLIC", policy: PUBLIC,
        consequence: "has a public endpoint", fix: 'Set endpointType: "VPC" with endpointDetails in private subnets and no addressAllocationIds',
    },
    {
        service: "MSK", type: "aws:msk/cluster:Cluster", kind: "MSK cluster",
        property: "brokerNodeGroupInfo.connectivityInfo.publicAccess.type", unsafe: { when: "is", unsafe: ["SERVICE_PROVIDED_EIPS"] }, providerDefault: "DISABLED", policy: PUBLIC,
        consequence: "gives its brokers public IP addresses", fix: 'Set brokerNodeGroupInfo.connectivityInfo.publicAccess.type: "DISABLED"',
    },
    {
        service: "AppSync", type: "aws:appsync/graphQLApi:GraphQLApi", kind: "AppSync GraphQL API",
        property: "visibility", unsafe: { when: "not", safe: ["PRIVATE"] }, providerDefault: "GLOBAL", policy: PUBLIC,
        consequence: "has a public endpoint", fix: 'Set visibility: "PRIVATE" (reached through an AppSync interface endpoint), or serve the API through API Gateway',
    },

    // --- awsx load balancers: their children are aws.lb load balancers, judged by the same policy --
    {
        service: "awsx", type: "awsx:lb:ApplicationLoadBalancer", kind: "awsx application load balancer",
        property: "internal", unsafe: { when: "not", safe: [true] }, providerDefault: false, policy: LOAD_BALANCERS_INTERNAL_ONLY, component: true,
        consequence: "is internet-facing, in the default VPC's public subnets unless subnets are given", fix: "Set internal: true and put API Gateway (with a VPC link) in front of it if it must be reachable from the internet",
    },
    {
        service: "awsx", type: "awsx:lb:NetworkLoadBalancer", kind: "awsx network load balancer",
        property: "internal", unsafe: { when: "not", safe: [true] }, providerDefault: false, policy: LOAD_BALANCERS_INTERNAL_ONLY, component: true,
        consequence: "is internet-facing, in the default VPC's public subnets unless subnets are given", fix: "Set internal: true and put API Gateway (with a VPC link) in front of it if it must be reachable from the internet",
    },
];

/** Services (and awsx components) surveyed and deliberately not in the catalogue, with the reason. */
export interface LeftOut {
    readonly service: string;
    readonly types: readonly string[];
    readonly reason: string;
}

export const PERIMETER_LEFT_OUT: readonly LeftOut[] = [
    { service: "Lambda functions", types: ["aws:lambda/function:Function"], reason: "`lambda-vpc-attached` covers them" },
    { service: "ECS services and task sets", types: ["aws:ecs/service:Service", "aws:ecs/taskSet:TaskSet"], reason: "`public-ip-only-for-egress-gateways` and `no-internet-path-from-workloads` cover their subnets and public IPs" },
    { service: "EC2 instances, launch templates", types: ["aws:ec2/instance:Instance", "aws:ec2/launchTemplate:LaunchTemplate"], reason: "`public-ip-only-for-egress-gateways` and `no-internet-path-from-workloads` cover them" },
    { service: "RDS", types: ["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"], reason: "`rds-not-publicly-accessible` covers `publiclyAccessible`" },
    { service: "Load balancers (aws.lb, aws.alb, aws.elb)", types: ["aws:lb/loadBalancer:LoadBalancer"], reason: "`load-balancers-internal-only` covers `internal`" },
    { service: "Security groups", types: ["aws:ec2/securityGroup:SecurityGroup"], reason: "`security-group-no-public-ingress` covers public ingress" },
    { service: "API Gateway (REST, HTTP, WebSocket)", types: ["aws:apigateway/restApi:RestApi", "aws:apigatewayv2/api:Api"], reason: "the one sanctioned way in from the internet (hardening checklist)" },
    { service: "EKS node groups, Fargate profiles", types: ["aws:eks/nodeGroup:NodeGroup", "aws:eks/fargateProfile:FargateProfile"], reason: "`subnetIds` is required, so they are always in a VPC; which subnets is a routing question for `no-internet-path-from-workloads`" },
    { service: "Batch compute environments", types: ["aws:batch/computeEnvironment:ComputeEnvironment"], reason: "managed environments require `computeResources.subnets`, so they are always in a VPC; not yet judged by subnet tier" },
    { service: "MWAA workers", types: ["aws:mwaa/environment:Environment"], reason: "`networkConfiguration.subnetIds` is required, so the workers are always in a VPC (the web server's access mode is catalogued)" },
    { service: "DocumentDB instances", types: ["aws:docdb/clusterInstance:ClusterInstance"], reason: "`publiclyAccessible` is an output only: DocumentDB has no public endpoints" },
    { service: "Lightsail, GameLift, Amplify Hosting, CloudFront, Global Accelerator", types: ["aws:lightsail/instance:Instance", "aws:lightsail/database:Database", "aws:gamelift/fleet:Fleet", "aws:amplify/app:App", "aws:cloudfront/distribution:Distribution", "aws:globalaccelerator/accelerator:Accelerator"], reason: "outside any VPC or public by design, with no property that changes it: forbid the service (an SCP), not a property" },
    { service: "Comprehend, Bedrock custom models and batch inference", types: ["aws:comprehend/documentClassifier:DocumentClassifier", "aws:bedrock/customModel:CustomModel", "aws:bedrockmodel/invocationJob:InvocationJob"], reason: "run AWS's code on customer data, not customer code; their `vpcConfig` only reaches data in the VPC" },
    { service: "Elastic Beanstalk", types: ["aws:elasticbeanstalk/environment:Environment"], reason: "network placement is free-form `settings` name/value pairs; its children are not visible to the pack" },
    { service: "Verified Access, Client VPN", types: ["aws:verifiedaccess/endpoint:Endpoint", "aws:ec2clientvpn/endpoint:Endpoint"], reason: "authenticated ways in by design (identity-aware), not anonymous endpoints" },
    { service: "Resource policies (S3, SQS, SNS, ECR, KMS, Secrets Manager)", types: ["aws:s3/bucketPolicy:BucketPolicy", "aws:sqs/queuePolicy:QueuePolicy", "aws:sns/topicPolicy:TopicPolicy"], reason: "their APIs are AWS's, reached with credentials; a `*` principal in them is an access question (data perimeter), not a network endpoint. Lambda's `*` permission is catalogued because it backs function URLs" },
    { service: "Data services always placed in subnets", types: ["aws:elasticache/serverlessCache:ServerlessCache", "aws:efs/mountTarget:MountTarget", "aws:fsx/lustreFileSystem:LustreFileSystem", "aws:cloudhsmv2/cluster:Cluster", "aws:docdb/elasticCluster:ElasticCluster", "aws:msk/serverlessCluster:ServerlessCluster", "aws:emr/studio:Studio", "aws:redshiftserverless/endpointAccess:EndpointAccess"], reason: "their subnets are required and they have no public mode: always in the VPC" },
    { service: "Managed services sending data out (EventBridge API destinations, Firehose HTTP endpoints)", types: ["aws:cloudwatch/eventConnection:EventConnection", "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"], reason: "AWS calls out on the account's behalf: no customer code runs and no endpoint opens; a data-perimeter question" },
    { service: "SES Mail Manager ingress points", types: ["aws:mailmanager/ingressPoint:IngressPoint"], reason: "an inbound mail (SMTP) endpoint by design, filtered by its traffic policy; not an application endpoint" },
    { service: "Network paths (Client VPN associations, transit gateway and VPC Lattice attachments, Route Server)", types: ["aws:ec2clientvpn/networkAssociation:NetworkAssociation", "aws:ec2transitgateway/vpcAttachment:VpcAttachment", "aws:vpclattice/resourceGateway:ResourceGateway", "aws:vpc/routeServerEndpoint:RouteServerEndpoint"], reason: "ways in and out of the VPC, not compute or endpoints: `no-unapproved-network-paths`" },
    { service: "awsx VPC", types: ["awsx:ec2:Vpc"], reason: "`no-nat-gateways` judges its NAT strategy; its public subnets are judged as children by `public-ip-only-for-egress-gateways`" },
    { service: "awsx EC2 service", types: ["awsx:ecs:EC2Service"], reason: "no network default of its own: its `networkConfiguration` passes through to the ECS service, and bridge/host tasks use their instances' subnets" },
    { service: "awsx ECR repository, image; awsx trail", types: ["awsx:ecr:Repository", "awsx:ecr:Image", "awsx:cloudtrail:Trail"], reason: "no network placement or endpoint" },
    { service: "awsx default VPC", types: ["awsx:ec2:DefaultVpc"], reason: "a read of the account's default VPC; what is placed in it is judged on that resource" },
];

/** Entries of one policy, by type token. */
export function catalogueFor(policy: PerimeterPolicyName): ReadonlyMap<string, readonly CatalogueEntry[]> {
    const byType = new Map<string, CatalogueEntry[]>();
    for (const e of PERIMETER_CATALOGUE) {
        if (e.policy === policy) {
            byType.set(e.type, [...(byType.get(e.type) ?? []), e]);
        }
    }
    return byType;
}
