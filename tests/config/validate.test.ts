import { expect } from "chai";
import { CONFIG_KEYS, formatProblem, GatewayKind, Operator, PerimeterScope, Tier, validateConfig } from "../../config";
import { readStackConfig, stackWith } from "./stack-file";

const NS = "trace-network";
const TAGGED_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/trace/job-runner:1.4.2";

describe("validateConfig", () => {
    describe("the committed stack files", () => {
        it("accepts dev and derives its subnets tier by tier, AZ by AZ", () => {
            const { config, problems } = validateConfig(readStackConfig("dev"));
            expect(problems).to.deep.equal([]);
            expect(config!.subnets).to.deep.equal([
                { tier: Tier.App, availabilityZone: "eu-west-1a", cidr: "10.20.0.0/20" },
                { tier: Tier.App, availabilityZone: "eu-west-1b", cidr: "10.20.16.0/20" },
                { tier: Tier.Data, availabilityZone: "eu-west-1a", cidr: "10.20.32.0/24" },
                { tier: Tier.Data, availabilityZone: "eu-west-1b", cidr: "10.20.33.0/24" },
                { tier: Tier.Egress, availabilityZone: "eu-west-1a", cidr: "10.20.34.0/26" },
                { tier: Tier.Egress, availabilityZone: "eu-west-1b", cidr: "10.20.34.64/26" },
            ]);
            expect(config!.endpointAzCount).to.equal(1);
            expect(config!.platformSecrets.map((s) => s.path)).to.deep.equal([
                "/dev/trace/workers/worker_token",
                "/dev/trace/dispatcher/task_jwt_signing_key_id",
                "/dev/trace/block_follower/monad_rpc_key",
                "/dev/trace/cryo_ingest/rpc_api_key",
            ]);
            expect(config!.orgSecrets).to.deep.equal([{ name: "monad_rpc_key", path: "/dev/acme/monad_rpc_key" }]);
            expect(config!.jobDataLocations).to.deep.equal([{ bucket: "trace-dev-datasets", prefix: "jobs" }]);
            expect(config!.tags).to.deep.equal({ team: "platform", "cost-center": "trace-dev" });
        });

        it("accepts prod with three AZs, every AZ carrying endpoints, and the prod-only safeguards on", () => {
            const { config, problems } = validateConfig(readStackConfig("prod"));
            expect(problems).to.deep.equal([]);
            expect(config!.availabilityZones).to.deep.equal(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
            expect(config!.endpointAzCount).to.equal(3);
            expect(config!.database).to.deep.equal({
                instanceClass: "db.r6g.large",
                engineVersion: "16.4",
                allocatedStorageGiB: 200,
                multiAz: true,
                deletionProtection: true,
                backupRetentionDays: 14,
            });
            expect(config!.gateways[GatewayKind.Rpc].destinationCidrs).to.deep.equal(["104.18.0.0/20", "172.64.144.0/20", "34.111.0.0/16", "1.1.1.1/32", "1.0.0.1/32"]);
            expect(config!.gateways[GatewayKind.Webhook].taskCount).to.equal(2);
            expect(config!.operatorImages[Operator.BlockFollower]).to.match(/@sha256:[a-f0-9]{64}$/);
            expect(config!.perimeter).to.deep.equal({ scope: PerimeterScope.Account, id: "345678901234" });
            expect(config!.alertSubscribers).to.deep.equal({
                emails: ["platform-oncall@trace.example", "security@trace.example"],
                httpsEndpoint: "https://alerts.trace.example/sns/network-egress",
            });
        });
    });

    describe("defaults of optional keys", () => {
        it("uses the required endpoint set, every AZ, the data-tier S3 endpoint, one gateway task and no tags", () => {
            const { config, problems } = validateConfig(
                stackWith("dev", {
                    [`${NS}:interfaceEndpoints`]: undefined,
                    [`${NS}:endpointAzCount`]: undefined,
                    [`${NS}:dataTierS3Endpoint`]: undefined,
                    [`${NS}:gatewayTaskCount`]: undefined,
                    [`${NS}:tags`]: undefined,
                    [`${NS}:orgSecrets`]: undefined,
                }),
            );
            expect(problems).to.deep.equal([]);
            expect(config!.interfaceEndpoints).to.deep.equal(["sqs", "sts", "kms", "ecr.api", "ecr.dkr", "logs", "secretsmanager", "sns", "email-smtp"]);
            expect(config!.endpointAzCount).to.equal(2);
            expect(config!.dataTierS3Endpoint).to.equal(true);
            expect(config!.gateways[GatewayKind.Webhook].taskCount).to.equal(1);
            expect(config!.tags).to.deep.equal({});
            expect(config!.orgSecrets).to.deep.equal([]);
        });

        it("accepts a tag-pinned image outside prod", () => {
            const { problems } = validateConfig(stackWith("dev", { [`${NS}:jobImage`]: TAGGED_IMAGE }));
            expect(problems).to.deep.equal([]);
        });
    });

    // One change to a valid stack per row; each must yield exactly one problem naming the key and the value.
    const cases: { what: string; stack: string; key: string; value: unknown; message: string }[] = [
        { what: "a VPC CIDR with host bits set", stack: "dev", key: "vpcCidr", value: "10.20.0.1/16", message: "has host bits set; did you mean 10.20.0.0/16?" },
        { what: "a VPC CIDR that does not parse", stack: "dev", key: "vpcCidr", value: "10.20.0.0/33", message: "not a CIDR block" },
        { what: "a public VPC CIDR", stack: "dev", key: "vpcCidr", value: "8.8.0.0/16", message: "must be an RFC 1918 IPv4 block" },
        { what: "a VPC CIDR larger than AWS allows", stack: "dev", key: "vpcCidr", value: "10.0.0.0/8", message: "prefix length from 16 to 28" },
        {
            what: "subnets that do not fit in the VPC",
            stack: "dev",
            key: "appSubnetPrefixLength",
            value: "19",
            message: "the tiers no longer fit: 2 x /19 (app) + 2 x /24 (data) + 2 x /26 (egress) do not fit in the VPC block 10.20.0.0/18 (4 subnet(s) left over)",
        },
        { what: "a subnet larger than the VPC", stack: "dev", key: "appSubnetPrefixLength", value: "20", message: "a /20 subnet is larger than the VPC block 10.20.0.0/22" },
        { what: "a subnet prefix length out of range", stack: "dev", key: "egressSubnetPrefixLength", value: "29", message: "must be an integer from 16 to 28" },
        { what: "fewer than two AZs", stack: "dev", key: "availabilityZones", value: JSON.stringify(["eu-west-1a"]), message: "needs at least 2 availability zones, got 1" },
        { what: "an AZ of another region", stack: "dev", key: "availabilityZones", value: JSON.stringify(["eu-west-1a", "us-east-1b"]), message: '"us-east-1b" not an availability zone of eu-west-1' },
        { what: "the same AZ twice", stack: "dev", key: "availabilityZones", value: JSON.stringify(["eu-west-1a", "eu-west-1a"]), message: 'lists "eu-west-1a" more than once' },
        { what: "an unknown endpoint service", stack: "dev", key: "interfaceEndpoints", value: JSON.stringify(["sqs", "sts", "kms", "ecr.api", "ecr.dkr", "logs", "secretsmanager", "sns", "email-smtp", "s3"]), message: 'unknown endpoint service(s) "s3"' },
        { what: "a required endpoint left out", stack: "dev", key: "interfaceEndpoints", value: JSON.stringify(["sqs", "sts", "kms", "ecr.api", "ecr.dkr", "secretsmanager", "sns"]), message: "must include the required endpoint(s) logs, email-smtp" },
        { what: "endpoints in more AZs than exist", stack: "dev", key: "endpointAzCount", value: "3", message: "exceeds the 2 availability zones configured" },
        { what: "endpoints in no AZ", stack: "dev", key: "endpointAzCount", value: "0", message: "must be an integer from 1 to 16" },
        { what: "an image not pinned by digest in prod", stack: "prod", key: "jobImage", value: TAGGED_IMAGE, message: "must be pinned by digest in prod: append @sha256:<digest>" },
        { what: "a gateway image not pinned by digest in prod", stack: "prod", key: "rpcGatewayImage", value: "ghcr.io/trace/rpc-egress:latest", message: "must be pinned by digest in prod" },
        { what: "a malformed digest", stack: "dev", key: "cryoIngestImage", value: "trace/cryo@sha256:abc", message: "is not an image reference" },
        { what: "a platform secret name off the segment rule", stack: "dev", key: "platformSecrets", value: "workers/Worker-Token", message: 'secret name "Worker-Token" must be lower-case letters, digits, _ and -, starting with a letter or a digit' },
        { what: "a platform secret without a component", stack: "dev", key: "platformSecrets", value: "worker_token", message: "must be component/secret_name" },
        { what: "an org secret name off the segment rule", stack: "dev", key: "orgSecrets", value: "-rpc_key", message: 'secret name "-rpc_key" must be lower-case letters' },
        { what: "an org slug with capitals", stack: "dev", key: "orgSlug", value: "Acme", message: 'org slug "Acme" must be lower-case letters' },
        { what: "the platform's own namespace as org slug", stack: "dev", key: "orgSlug", value: "trace", message: "'trace' is the platform's own secret namespace" },
        { what: "a gateway destination inside the VPC", stack: "dev", key: "webhookGatewayDestinationCidrs", value: "10.20.5.0/24", message: "overlaps the VPC block 10.20.0.0/16" },
        { what: "a gateway destination with host bits set", stack: "prod", key: "rpcGatewayDestinationCidrs", value: "104.18.1.0/20", message: "did you mean 104.18.0.0/20?" },
        { what: "a gateway with no destinations", stack: "dev", key: "rpcGatewayDestinationCidrs", value: "[]", message: "must list at least one destination" },
        { what: "a gateway port out of range", stack: "dev", key: "rpcGatewayPort", value: "70000", message: "must be an integer from 1 to 65535" },
        { what: "a destination port out of range", stack: "dev", key: "webhookGatewayDestinationPorts", value: "[443, 0]", message: "bad items: [0]" },
        { what: "no service ports", stack: "dev", key: "servicePorts", value: "[]", message: "must list at least one port" },
        { what: "a prod database without deletion protection", stack: "prod", key: "dbDeletionProtection", value: false, message: "must be true in prod" },
        { what: "a single-AZ prod database", stack: "prod", key: "dbMultiAz", value: false, message: "must be true in prod" },
        { what: "prod backups kept under a week", stack: "prod", key: "dbBackupRetentionDays", value: 3, message: "must be at least 7 in prod" },
        { what: "an unsupported PostgreSQL version", stack: "dev", key: "dbEngineVersion", value: "12.19", message: "must be a PostgreSQL version 14 or later" },
        { what: "an instance class without the db. prefix", stack: "dev", key: "dbInstanceClass", value: "t4g.medium", message: "must be an RDS instance class" },
        { what: "a boolean that is not one", stack: "dev", key: "dbMultiAz", value: "yes", message: "must be true or false" },
        { what: "a retention CloudWatch does not offer", stack: "dev", key: "logRetentionDays", value: "10", message: "is not a CloudWatch retention value" },
        { what: "prod flow logs kept under a year", stack: "prod", key: "flowLogRetentionDays", value: "90", message: "must be at least 365 (flow logs are audit logs, kept a year in every environment)" },
        { what: "dev flow logs kept under a year", stack: "dev", key: "flowLogRetentionDays", value: "30", message: "must be at least 365 (flow logs are audit logs, kept a year in every environment)" },
        { what: "an unknown environment", stack: "dev", key: "environment", value: "production", message: "must be one of dev, staging, prod" },
        { what: "an account id that is not 12 digits", stack: "dev", key: "accountId", value: "12345", message: "must be a 12-digit AWS account id" },
        { what: "a reserved tag key", stack: "dev", key: "tags", value: "trace:tier=app", message: 'tag key "trace:tier" is reserved' },
        { what: "a tag without a value separator", stack: "dev", key: "tags", value: "owner", message: "must be key=value" },
        { what: "a list given as plain text", stack: "dev", key: "interfaceEndpoints", value: "sqs,sts", message: "must be a list" },
        { what: "an integer given as text", stack: "dev", key: "gatewayTaskCount", value: "two", message: "must be an integer from 1 to 10" },
        { what: "a data location without a prefix", stack: "dev", key: "jobDataLocations", value: "trace-dev-datasets", message: "must be bucket/prefix" },
        { what: "a queue name with a space", stack: "dev", key: "jobQueueNames", value: "job results", message: "is not an SQS queue name" },
        { what: "an organization id that is not one", stack: "dev", key: "trustedOrgId", value: "acme-org", message: "must be an AWS Organizations id" },
        { what: "no alert subscriber", stack: "dev", key: "alertEmails", value: "[]", message: "must list at least one address" },
        { what: "an alert address that is not one", stack: "dev", key: "alertEmails", value: "oncall", message: "is not an email address" },
        { what: "an alert endpoint over plain HTTP", stack: "prod", key: "alertHttpsEndpoint", value: "http://alerts.trace.example/sns", message: "must be an https:// URL" },
        { what: "a one-label service domain", stack: "dev", key: "serviceDomain", value: "internal", message: "at least two labels" },
    ];

    // Some rows change more than their own key to set the scene (e.g. a small VPC); list those here.
    const scene: Record<string, Record<string, unknown>> = {
        "subnets that do not fit in the VPC": { [`${NS}:vpcCidr`]: "10.20.0.0/18" },
        "a subnet larger than the VPC": { [`${NS}:vpcCidr`]: "10.20.0.0/22", [`${NS}:dataSubnetPrefixLength`]: "26", [`${NS}:egressSubnetPrefixLength`]: "27" },
    };
    // List-valued keys take the row's value as the list's only item unless the row gives JSON.
    const LIST_ITEM_KEYS = new Set(["alertEmails", "platformSecrets", "orgSecrets", "webhookGatewayDestinationCidrs", "rpcGatewayDestinationCidrs", "tags", "jobDataLocations", "jobQueueNames"]);

    for (const c of cases) {
        it(`rejects ${c.what}, naming ${NS}:${c.key} and the value`, () => {
            const isItem = LIST_ITEM_KEYS.has(c.key) && typeof c.value === "string" && !c.value.startsWith("[");
            const rawValue = isItem ? JSON.stringify([c.value]) : c.value;
            const overrides = { ...(scene[c.what] ?? {}), [`${NS}:${c.key}`]: rawValue };
            const { config, problems } = validateConfig(stackWith(c.stack, overrides));
            expect(config).to.equal(undefined);
            expect(problems).to.have.length(1, JSON.stringify(problems));
            expect(problems[0]!.key).to.equal(`${NS}:${c.key}`);
            // Whole-key problems show the value as the stack file gave it; per-item problems show the item.
            expect(problems[0]!.value).to.deep.equal(isItem ? c.value : rawValue);
            expect(problems[0]!.message).to.contain(c.message);
        });
    }

    it("rejects a missing required key, naming it and what it is for", () => {
        const { problems } = validateConfig(stackWith("dev", { [`${NS}:vpcCidr`]: undefined }));
        expect(problems).to.have.length(1);
        expect(problems[0]).to.deep.include({ key: `${NS}:vpcCidr`, value: undefined });
        expect(problems[0]!.message).to.match(/^is required: The VPC's IPv4 block/);
    });

    it("rejects an unknown key of the namespace, such as a typo, suggesting the nearest known key", () => {
        const { problems } = validateConfig(stackWith("dev", { [`${NS}:vpcCidrs`]: "10.0.0.0/16", [`${NS}:serviceDomian`]: "x" }));
        expect(problems).to.deep.equal([
            { key: `${NS}:serviceDomian`, value: "x", message: "is not a trace-network config key; did you mean trace-network:serviceDomain?" },
            { key: `${NS}:vpcCidrs`, value: "10.0.0.0/16", message: "is not a trace-network config key; did you mean trace-network:vpcCidr?" },
        ]);
    });

    it("reports the seven mistakes of a newcomer's dev stack in one run, subnet fit included despite the host bits", () => {
        const { config, problems } = validateConfig(
            stackWith("dev", {
                [`${NS}:vpcCidr`]: "10.20.0.1/16",
                [`${NS}:appSubnetPrefixLength`]: "17",
                [`${NS}:webhookGatewayDestinationCidrs`]: JSON.stringify(["0.0.0.0/0", "300.1.2.3/8"]),
                [`${NS}:dbAllocatedStorageGiB`]: "twenty",
                [`${NS}:dbMultiAz`]: "yes",
                [`${NS}:orgSlug`]: undefined,
                [`${NS}:serviceDomian`]: "x",
            }),
        );
        expect(config).to.equal(undefined);
        expect(problems.map((p) => [p.key, p.value])).to.deep.equal([
            [`${NS}:serviceDomian`, "x"],
            [`${NS}:vpcCidr`, "10.20.0.1/16"],
            [`${NS}:appSubnetPrefixLength`, "17"],
            [`${NS}:webhookGatewayDestinationCidrs`, "300.1.2.3/8"],
            [`${NS}:dbAllocatedStorageGiB`, "twenty"],
            [`${NS}:dbMultiAz`, "yes"],
            [`${NS}:orgSlug`, undefined],
        ]);
    });

    it("leaves every optional key out of a working stack, defaults applied", () => {
        const optional = Object.entries(CONFIG_KEYS)
            .filter(([, declaration]) => "optional" in declaration)
            .map(([key]) => key);
        const { problems, config } = validateConfig(stackWith("dev", Object.fromEntries(optional.map((key) => [`${NS}:${key}`, undefined]))));
        expect(problems).to.deep.equal([]);
        expect(config!.perimeter).to.deep.equal({ scope: PerimeterScope.Account, id: "123456789012" });
        expect(config!.alertSubscribers).to.deep.equal({ emails: ["platform-oncall+dev@trace.example"] });
        expect(config!.jobDataLocations).to.deep.equal([]);
        expect(config!.platformSecrets).to.deep.equal([]);
    });

    it("makes the organization the perimeter when trustedOrgId is set", () => {
        const { config } = validateConfig(stackWith("dev", { [`${NS}:trustedOrgId`]: "o-a1b2c3d4e5" }));
        expect(config!.perimeter).to.deep.equal({ scope: PerimeterScope.Organization, id: "o-a1b2c3d4e5" });
    });

    it("rejects a region that is not a region name", () => {
        const { problems } = validateConfig(stackWith("dev", { "aws:region": "Ireland" }));
        expect(problems).to.deep.equal([{ key: "aws:region", value: "Ireland", message: "must be an AWS region name such as eu-west-1" }]);
    });

    it("reports every problem at once, not just the first", () => {
        const { config, problems } = validateConfig(
            stackWith("prod", {
                [`${NS}:vpcCidr`]: "10.30.0.1/16",
                [`${NS}:availabilityZones`]: JSON.stringify(["eu-west-1a"]),
                [`${NS}:jobImage`]: TAGGED_IMAGE,
                [`${NS}:orgSlug`]: "Acme Corp",
                [`${NS}:dbDeletionProtection`]: "false",
                [`${NS}:platformSecrets`]: JSON.stringify(["workers/Token"]),
            }),
        );
        expect(config).to.equal(undefined);
        expect(problems.map((p) => p.key)).to.deep.equal([
            `${NS}:vpcCidr`,
            `${NS}:availabilityZones`,
            `${NS}:jobImage`,
            `${NS}:dbDeletionProtection`,
            `${NS}:orgSlug`,
            `${NS}:platformSecrets`,
        ]);
    });

    it("formats a problem as key = value: reason", () => {
        expect(formatProblem({ key: `${NS}:vpcCidr`, value: "10.0.0.1/16", message: "has host bits set" })).to.equal(
            'trace-network:vpcCidr = "10.0.0.1/16": has host bits set',
        );
        expect(formatProblem({ key: `${NS}:vpcCidr`, value: undefined, message: "is required" })).to.equal("trace-network:vpcCidr = (not set): is required");
    });
});
