import { closest } from "fastest-levenshtein";
import { carveSubnets, cidrContains, cidrsOverlap, isRfc1918, parseCidr, Cidr, SubnetRequest } from "./cidr";
import { CONFIG_KEYS, ConfigKey, PROJECT, qualified, REGION_KEY, REQUIRED_INTERFACE_ENDPOINTS } from "./keys";
import {
    DataLocation,
    Environment,
    GatewayConfig,
    GatewayKind,
    Operator,
    OrgSecret,
    Perimeter,
    PerimeterScope,
    PlatformSecret,
    StackConfig,
    AlertSubscribers,
    SubnetPlan,
    Tier,
} from "./types";

/** One thing wrong with the stack's config: the fully qualified key, the value as given, and why. */
export interface ConfigProblem {
    readonly key: string;
    readonly value: unknown;
    readonly message: string;
}

export interface ValidationResult {
    /** Present exactly when `problems` is empty. */
    readonly config?: StackConfig;
    readonly problems: readonly ConfigProblem[];
}

/** Raw config as the engine hands it over: fully qualified key -> value (strings; arrays as JSON text). */
export type RawConfig = Readonly<Record<string, unknown>>;

export function formatProblem(problem: ConfigProblem): string {
    const shown = problem.value === undefined ? "(not set)" : JSON.stringify(problem.value);
    return `${problem.key} = ${shown}: ${problem.message}`;
}

/** Every interface endpoint service the program knows how to name; anything else is a typo. */
export const KNOWN_INTERFACE_ENDPOINTS: ReadonlySet<string> = new Set([
    ...REQUIRED_INTERFACE_ENDPOINTS,
    "ssm",
    "ssmmessages",
    "ec2messages",
    "ecs",
    "ecs-agent",
    "ecs-telemetry",
    "monitoring",
    "events",
    "sns",
    "email-smtp",
    "lambda",
    "rds",
    "servicediscovery",
    "xray",
    "athena",
    "glue",
    "kinesis-streams",
    "execute-api",
]);

/** The retention values CloudWatch Logs accepts (PutRetentionPolicy). */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Secret path segments (DESIGN.md "Data and secrets"). */
export const SECRET_SEGMENT = /^[a-z0-9][a-z0-9_-]*$/;

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const IMAGE_NAME = /^[a-z0-9]+(?:[._\-/][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const QUEUE = /^[A-Za-z0-9_-]{1,75}(?:\.fifo)?$/;
const INSTANCE_CLASS = /^db\.[a-z0-9]+\.[a-z0-9]+$/;
const ENGINE_VERSION = /^(\d+)(?:\.\d+)?$/;
const MIN_POSTGRES_MAJOR = 14;
const MIN_AZS = 2;
/** More than any region has; a bound for counts of AZs, not a limit anyone meets. */
const MAX_AZS = 16;
const MIN_SUBNET_PREFIX = 16;
const MAX_SUBNET_PREFIX = 28;
const MIN_PROD_BACKUP_DAYS = 7;
/** Flow logs are audit logs: "retained for 1 year minimum" (security model), in every environment. */
const MIN_FLOW_LOG_DAYS = 365;
const RESERVED_TAG_PREFIXES = ["aws:", "trace:"];
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
/** Deliberately loose (SNS confirms every address by mail): one @, no spaces, a dotted domain. */
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Collects typed values and every problem met on the way; never throws. */
class Reader {
    readonly problems: ConfigProblem[] = [];

    constructor(private readonly raw: RawConfig) {}

    report(key: string, value: unknown, message: string): void {
        this.problems.push({ key, value, message });
    }

    /** A problem with a key as a whole, shown with the value exactly as the stack file gave it. */
    problem(key: ConfigKey, message: string): void {
        this.report(qualified(key), this.raw[qualified(key)], message);
    }

    /** The raw value of one of our keys, or undefined (and a problem when the key is required). */
    private present(key: ConfigKey): unknown {
        const value = this.raw[qualified(key)];
        const declaration: { readonly optional?: true; readonly description: string } = CONFIG_KEYS[key];
        if (value === undefined && declaration.optional !== true) {
            this.report(qualified(key), undefined, `is required: ${declaration.description}`);
        }
        return value;
    }

    string(key: ConfigKey): string | undefined {
        const value = this.present(key);
        if (value === undefined) {
            return undefined;
        }
        if (typeof value !== "string" || value.trim() === "") {
            this.report(qualified(key), value, "must be a non-empty string");
            return undefined;
        }
        return value;
    }

    integer(key: ConfigKey, min: number, max: number): number | undefined {
        const value = this.present(key);
        if (value === undefined) {
            return undefined;
        }
        const parsed = toInteger(value);
        if (parsed === undefined || parsed < min || parsed > max) {
            this.report(qualified(key), value, `must be an integer from ${min} to ${max}`);
            return undefined;
        }
        return parsed;
    }

    boolean(key: ConfigKey): boolean | undefined {
        const value = this.present(key);
        if (value === undefined) {
            return undefined;
        }
        if (value === true || value === "true") {
            return true;
        }
        if (value === false || value === "false") {
            return false;
        }
        this.report(qualified(key), value, "must be true or false");
        return undefined;
    }

    stringArray(key: ConfigKey): string[] | undefined {
        const items = this.array(key);
        if (items === undefined) {
            return undefined;
        }
        const bad = items.filter((item) => typeof item !== "string" || item === "");
        if (bad.length > 0) {
            this.report(qualified(key), this.raw[qualified(key)], `must be a list of non-empty strings; bad items: ${JSON.stringify(bad)}`);
            return undefined;
        }
        return items as string[];
    }

    integerArray(key: ConfigKey, min: number, max: number): number[] | undefined {
        const items = this.array(key);
        if (items === undefined) {
            return undefined;
        }
        const parsed = items.map(toInteger);
        const bad = items.filter((_, i) => parsed[i] === undefined || parsed[i]! < min || parsed[i]! > max);
        if (bad.length > 0) {
            this.report(qualified(key), this.raw[qualified(key)], `must be a list of integers from ${min} to ${max}; bad items: ${JSON.stringify(bad)}`);
            return undefined;
        }
        return parsed as number[];
    }

    private array(key: ConfigKey): unknown[] | undefined {
        const value = this.present(key);
        if (value === undefined) {
            return undefined;
        }
        let parsed: unknown = value;
        if (typeof value === "string") {
            try {
                parsed = JSON.parse(value);
            } catch {
                parsed = undefined;
            }
        }
        if (!Array.isArray(parsed)) {
            this.report(qualified(key), value, "must be a list (a YAML sequence in the stack file)");
            return undefined;
        }
        return parsed;
    }
}

function toInteger(value: unknown): number | undefined {
    if (typeof value === "number" && Number.isInteger(value)) {
        return value;
    }
    if (typeof value === "string" && /^-?\d+$/.test(value.trim())) {
        return Number(value.trim());
    }
    return undefined;
}

function duplicates(items: readonly string[]): string[] {
    return [...new Set(items.filter((item, i) => items.indexOf(item) !== i))];
}

function checkUnique(r: Reader, key: ConfigKey, items: readonly string[] | undefined): void {
    const dupes = duplicates(items ?? []);
    if (dupes.length > 0) {
        r.problem(key, `lists ${dupes.map((d) => JSON.stringify(d)).join(", ")} more than once`);
    }
}

function checkImage(r: Reader, key: ConfigKey, image: string | undefined, environment: Environment | undefined): void {
    if (image === undefined) {
        return;
    }
    const at = image.indexOf("@");
    const name = at === -1 ? image : image.slice(0, at);
    const digest = at === -1 ? undefined : image.slice(at + 1);
    if (!IMAGE_NAME.test(name) || (digest !== undefined && !DIGEST.test(digest))) {
        r.problem(key, "is not an image reference (registry/repository[:tag][@sha256:<64 hex>])");
        return;
    }
    if (digest === undefined && environment === Environment.Prod) {
        r.problem(key, "must be pinned by digest in prod: append @sha256:<digest>");
    }
}

function checkSegment(r: Reader, key: ConfigKey, value: unknown, segment: string, what: string): boolean {
    if (!SECRET_SEGMENT.test(segment)) {
        r.report(qualified(key), value, `${what} ${JSON.stringify(segment)} must match ${SECRET_SEGMENT.source}`);
        return false;
    }
    return true;
}

function checkRetention(r: Reader, key: ConfigKey, days: number | undefined): void {
    if (days !== undefined && !CLOUDWATCH_RETENTION_DAYS.includes(days)) {
        r.problem(key, `is not a CloudWatch retention value; use one of ${CLOUDWATCH_RETENTION_DAYS.join(", ")}`);
    }
}

function readEnvironment(r: Reader): Environment | undefined {
    const value = r.string("environment");
    if (value === undefined) {
        return undefined;
    }
    const environments: string[] = Object.values(Environment);
    if (!environments.includes(value)) {
        r.problem("environment", `must be one of ${environments.join(", ")}`);
        return undefined;
    }
    return value as Environment;
}

function readRegion(r: Reader, raw: RawConfig): string | undefined {
    const value = raw[REGION_KEY];
    if (typeof value !== "string" || !REGION.test(value)) {
        r.report(REGION_KEY, value, "must be an AWS region name such as eu-west-1");
        return undefined;
    }
    return value;
}

/**
 * The VPC block, or undefined. A block with host bits set is a problem, but the checks that depend on
 * the block (subnet fit, gateway overlap) still run against the network address the user meant, so
 * they show in the same run.
 */
function readVpcCidr(r: Reader): Cidr | undefined {
    const value = r.string("vpcCidr");
    if (value === undefined) {
        return undefined;
    }
    const parsed = parseCidr(value);
    if ("defect" in parsed) {
        const hint = parsed.networkAddress === undefined ? "" : `; did you mean ${parsed.networkAddress}?`;
        r.problem("vpcCidr", `${parsed.defect}${hint}`);
        const meant = parsed.networkAddress === undefined ? undefined : parseCidr(parsed.networkAddress);
        return meant !== undefined && "cidr" in meant && acceptableVpc(meant.cidr) ? meant.cidr : undefined;
    }
    const { cidr } = parsed;
    if (!acceptableVpc(cidr)) {
        r.problem("vpcCidr", `must be an RFC 1918 IPv4 block (10/8, 172.16/12, 192.168/16) with a prefix length from ${MIN_SUBNET_PREFIX} to ${MAX_SUBNET_PREFIX}`);
        return undefined;
    }
    return cidr;
}

function acceptableVpc(cidr: Cidr): boolean {
    return cidr.kind === "ipv4" && isRfc1918(cidr) && cidr.prefixLength >= MIN_SUBNET_PREFIX && cidr.prefixLength <= MAX_SUBNET_PREFIX;
}

function readAvailabilityZones(r: Reader, region: string | undefined): string[] | undefined {
    const zones = r.stringArray("availabilityZones");
    if (zones === undefined) {
        return undefined;
    }
    let ok = true;
    if (zones.length < MIN_AZS) {
        r.problem("availabilityZones", `needs at least ${MIN_AZS} availability zones, got ${zones.length}`);
        ok = false;
    }
    if (region !== undefined) {
        const foreign = zones.filter((zone) => !new RegExp(`^${region}[a-z]$`).test(zone));
        if (foreign.length > 0) {
            r.problem("availabilityZones", `${foreign.map((z) => JSON.stringify(z)).join(", ")} not an availability zone of ${region}`);
            ok = false;
        }
    }
    const dupes = duplicates(zones);
    if (dupes.length > 0) {
        checkUnique(r, "availabilityZones", zones);
        ok = false;
    }
    return ok ? zones : undefined;
}

const TIER_KEYS: Readonly<Record<Tier, ConfigKey>> = {
    [Tier.App]: "appSubnetPrefixLength",
    [Tier.Data]: "dataSubnetPrefixLength",
    [Tier.Egress]: "egressSubnetPrefixLength",
};

function planSubnets(
    r: Reader,
    vpc: Cidr | undefined,
    zones: readonly string[] | undefined,
    prefixes: Partial<Record<Tier, number>>,
): SubnetPlan[] | undefined {
    const tiers = Object.values(Tier);
    if (vpc === undefined || zones === undefined || tiers.some((tier) => prefixes[tier] === undefined)) {
        return undefined;
    }
    let ok = true;
    for (const tier of tiers) {
        if (prefixes[tier]! < vpc.prefixLength) {
            r.problem(TIER_KEYS[tier], `a /${prefixes[tier]} subnet is larger than the VPC block ${vpc.text}`);
            ok = false;
        }
    }
    if (!ok) {
        return undefined;
    }
    const requests: SubnetRequest<{ tier: Tier; zone: string }>[] = tiers.flatMap((tier) =>
        zones.map((zone) => ({ key: { tier, zone }, prefixLength: prefixes[tier]! })),
    );
    const { subnets, overflow } = carveSubnets(vpc, requests);
    if (overflow.length > 0) {
        // Named on the tier that takes the most addresses: the prefix length whose change frees the most room.
        const size = (tier: Tier): number => zones.length * 2 ** (32 - prefixes[tier]!);
        const largest = tiers.reduce((a, b) => (size(b) > size(a) ? b : a));
        const needed = tiers.map((tier) => `${zones.length} x /${prefixes[tier]} (${tier})`).join(" + ");
        r.problem(
            TIER_KEYS[largest],
            `the tiers no longer fit: ${needed} do not fit in the VPC block ${vpc.text} (${overflow.length} subnet(s) left over); use longer prefix lengths or a larger vpcCidr`,
        );
        return undefined;
    }
    const plan = subnets.map((s) => ({ tier: s.key.tier, availabilityZone: s.key.zone, cidr: s.cidr }));
    // The carve is sequential, so this holds by construction; checking it keeps a future change to the
    // allocator from producing an overlapping or escaping plan without anyone noticing.
    for (const defect of subnetPlanDefects(vpc, plan)) {
        r.problem("vpcCidr", defect);
    }
    return plan;
}

/** Every subnet of `plan` that falls outside `vpc` or overlaps another, as messages; empty when the plan is sound. */
export function subnetPlanDefects(vpc: Cidr, plan: readonly SubnetPlan[]): string[] {
    const defects: string[] = [];
    const parsed = plan.map((p) => parseCidr(p.cidr));
    parsed.forEach((result, i) => {
        if (!("cidr" in result)) {
            defects.push(`computed subnet ${plan[i]!.cidr} ${result.defect}`);
            return;
        }
        if (!cidrContains(vpc, result.cidr)) {
            defects.push(`computed subnet ${result.cidr.text} falls outside the VPC block`);
        }
        parsed.slice(i + 1).forEach((other) => {
            if ("cidr" in other && cidrsOverlap(result.cidr, other.cidr)) {
                defects.push(`computed subnets ${result.cidr.text} and ${other.cidr.text} overlap`);
            }
        });
    });
    return defects;
}

function readInterfaceEndpoints(r: Reader): string[] | undefined {
    const services = r.stringArray("interfaceEndpoints") ?? [...REQUIRED_INTERFACE_ENDPOINTS];
    let ok = true;
    const unknown = services.filter((service) => !KNOWN_INTERFACE_ENDPOINTS.has(service));
    if (unknown.length > 0) {
        r.problem("interfaceEndpoints", `unknown endpoint service(s) ${unknown.map((s) => JSON.stringify(s)).join(", ")}; known: ${[...KNOWN_INTERFACE_ENDPOINTS].join(", ")}`);
        ok = false;
    }
    const missing = REQUIRED_INTERFACE_ENDPOINTS.filter((service) => !services.includes(service));
    if (missing.length > 0) {
        r.problem("interfaceEndpoints", `must include the required endpoint(s) ${missing.join(", ")}`);
        ok = false;
    }
    if (duplicates(services).length > 0) {
        checkUnique(r, "interfaceEndpoints", services);
        ok = false;
    }
    return ok ? services : undefined;
}

function readServiceDomain(r: Reader): string | undefined {
    const domain = r.string("serviceDomain");
    if (domain === undefined) {
        return undefined;
    }
    const labels = domain.split(".");
    if (labels.length < 2 || !labels.every((label) => DNS_LABEL.test(label))) {
        r.problem("serviceDomain", "must be a lower-case DNS name of at least two labels, e.g. dev.trace.internal");
        return undefined;
    }
    return domain;
}

function readDataLocations(r: Reader): DataLocation[] | undefined {
    const locations = r.stringArray("jobDataLocations") ?? [];
    const parsed: DataLocation[] = [];
    for (const location of locations) {
        const slash = location.indexOf("/");
        const bucket = slash === -1 ? location : location.slice(0, slash);
        const prefix = slash === -1 ? "" : location.slice(slash + 1).replace(/\/+$/, "");
        if (!BUCKET.test(bucket) || prefix === "" || prefix.includes("*")) {
            r.report(qualified("jobDataLocations"), location, "must be bucket/prefix with a valid bucket name and a non-empty prefix without wildcards");
            continue;
        }
        parsed.push({ bucket, prefix });
    }
    checkUnique(r, "jobDataLocations", locations);
    return parsed.length === locations.length ? parsed : undefined;
}

function readQueueNames(r: Reader): string[] | undefined {
    const queues = r.stringArray("jobQueueNames") ?? [];
    const bad = queues.filter((queue) => !QUEUE.test(queue));
    for (const queue of bad) {
        r.report(qualified("jobQueueNames"), queue, "is not an SQS queue name ([A-Za-z0-9_-], at most 80 characters with .fifo)");
    }
    checkUnique(r, "jobQueueNames", queues);
    return bad.length === 0 ? queues : undefined;
}

const GATEWAY_KEYS: Readonly<Record<GatewayKind, { image: ConfigKey; port: ConfigKey; cidrs: ConfigKey; ports: ConfigKey }>> = {
    [GatewayKind.Webhook]: {
        image: "webhookGatewayImage",
        port: "webhookGatewayPort",
        cidrs: "webhookGatewayDestinationCidrs",
        ports: "webhookGatewayDestinationPorts",
    },
    [GatewayKind.Rpc]: {
        image: "rpcGatewayImage",
        port: "rpcGatewayPort",
        cidrs: "rpcGatewayDestinationCidrs",
        ports: "rpcGatewayDestinationPorts",
    },
};

function readGateway(
    r: Reader,
    kind: GatewayKind,
    environment: Environment | undefined,
    vpc: Cidr | undefined,
    taskCount: number,
): GatewayConfig | undefined {
    const keys = GATEWAY_KEYS[kind];
    const image = r.string(keys.image);
    checkImage(r, keys.image, image, environment);
    const port = r.integer(keys.port, 1, 65535);
    const cidrs = r.stringArray(keys.cidrs);
    const ports = r.integerArray(keys.ports, 1, 65535);
    let cidrsOk = cidrs !== undefined;
    if (cidrs !== undefined && cidrs.length === 0) {
        r.problem(keys.cidrs, "must list at least one destination; a gateway that reaches nothing should not exist");
        cidrsOk = false;
    }
    for (const text of cidrs ?? []) {
        const parsed = parseCidr(text);
        if ("defect" in parsed) {
            const hint = parsed.networkAddress === undefined ? "" : `; did you mean ${parsed.networkAddress}?`;
            r.report(qualified(keys.cidrs), text, `${parsed.defect}${hint}`);
            cidrsOk = false;
        } else if (vpc !== undefined && parsed.cidr.prefixLength > 0 && cidrsOverlap(parsed.cidr, vpc)) {
            r.report(qualified(keys.cidrs), text, `overlaps the VPC block ${vpc.text}; in-VPC destinations are reached through security groups, not a gateway`);
            cidrsOk = false;
        }
    }
    if (ports !== undefined && ports.length === 0) {
        r.problem(keys.ports, "must list at least one destination port");
    }
    if (image === undefined || port === undefined || !cidrsOk || ports === undefined || ports.length === 0) {
        return undefined;
    }
    return { kind, image, port, destinationCidrs: cidrs!, destinationPorts: ports, taskCount };
}

function readDatabase(r: Reader, environment: Environment | undefined): StackConfig["database"] | undefined {
    const instanceClass = r.string("dbInstanceClass");
    if (instanceClass !== undefined && !INSTANCE_CLASS.test(instanceClass)) {
        r.problem("dbInstanceClass", "must be an RDS instance class such as db.t4g.medium");
    }
    const engineVersion = r.string("dbEngineVersion");
    const major = engineVersion === undefined ? undefined : ENGINE_VERSION.exec(engineVersion);
    if (engineVersion !== undefined && (major === null || Number(major![1]) < MIN_POSTGRES_MAJOR)) {
        r.problem("dbEngineVersion", `must be a PostgreSQL version ${MIN_POSTGRES_MAJOR} or later, as major or major.minor`);
    }
    const allocatedStorageGiB = r.integer("dbAllocatedStorageGiB", 20, 65536);
    const multiAz = r.boolean("dbMultiAz");
    const deletionProtection = r.boolean("dbDeletionProtection");
    const backupRetentionDays = r.integer("dbBackupRetentionDays", 0, 35);
    if (environment === Environment.Prod) {
        if (multiAz === false) {
            r.problem("dbMultiAz", "must be true in prod");
        }
        if (deletionProtection === false) {
            r.problem("dbDeletionProtection", "must be true in prod");
        }
        if (backupRetentionDays !== undefined && backupRetentionDays < MIN_PROD_BACKUP_DAYS) {
            r.problem("dbBackupRetentionDays", `must be at least ${MIN_PROD_BACKUP_DAYS} in prod`);
        }
    }
    if (
        instanceClass === undefined ||
        !INSTANCE_CLASS.test(instanceClass) ||
        engineVersion === undefined ||
        major === null ||
        allocatedStorageGiB === undefined ||
        multiAz === undefined ||
        deletionProtection === undefined ||
        backupRetentionDays === undefined
    ) {
        return undefined;
    }
    return { instanceClass, engineVersion, allocatedStorageGiB, multiAz, deletionProtection, backupRetentionDays };
}

function readOrgSlug(r: Reader): string | undefined {
    const slug = r.string("orgSlug");
    if (slug === undefined || !checkSegment(r, "orgSlug", slug, slug, "org slug")) {
        return undefined;
    }
    if (slug === "trace") {
        r.problem("orgSlug", "'trace' is the platform's own secret namespace (/{env}/trace/...); pick the organisation's slug");
        return undefined;
    }
    return slug;
}

function readPlatformSecrets(r: Reader, environment: Environment | undefined): PlatformSecret[] | undefined {
    const entries = r.stringArray("platformSecrets") ?? [];
    const secrets: PlatformSecret[] = [];
    for (const entry of entries) {
        const parts = entry.split("/");
        if (parts.length !== 2) {
            r.report(qualified("platformSecrets"), entry, "must be component/secret_name");
            continue;
        }
        const [component, name] = parts as [string, string];
        const componentOk = checkSegment(r, "platformSecrets", entry, component, "component");
        const nameOk = checkSegment(r, "platformSecrets", entry, name, "secret name");
        if (componentOk && nameOk && environment !== undefined) {
            secrets.push({ component, name, path: `/${environment}/trace/${component}/${name}` });
        }
    }
    checkUnique(r, "platformSecrets", entries);
    return secrets.length === entries.length ? secrets : undefined;
}

function readOrgSecrets(r: Reader, environment: Environment | undefined, orgSlug: string | undefined): OrgSecret[] | undefined {
    const names = r.stringArray("orgSecrets") ?? [];
    const secrets: OrgSecret[] = [];
    for (const name of names) {
        if (checkSegment(r, "orgSecrets", name, name, "secret name") && environment !== undefined && orgSlug !== undefined) {
            secrets.push({ name, path: `/${environment}/${orgSlug}/${name}` });
        }
    }
    checkUnique(r, "orgSecrets", names);
    return secrets.length === names.length ? secrets : undefined;
}

function readTags(r: Reader): Record<string, string> | undefined {
    const entries = r.stringArray("tags") ?? [];
    const tags: Record<string, string> = {};
    let ok = true;
    for (const entry of entries) {
        const eq = entry.indexOf("=");
        const key = eq === -1 ? "" : entry.slice(0, eq);
        const value = eq === -1 ? "" : entry.slice(eq + 1);
        if (key === "" || key.length > 128 || value.length > 256) {
            r.report(qualified("tags"), entry, "must be key=value with a key of 1 to 128 and a value of at most 256 characters");
            ok = false;
        } else if (RESERVED_TAG_PREFIXES.some((prefix) => key.toLowerCase().startsWith(prefix))) {
            r.report(qualified("tags"), entry, `tag key ${JSON.stringify(key)} is reserved (${RESERVED_TAG_PREFIXES.join(", ")} prefixes are set by AWS and by this program)`);
            ok = false;
        } else if (key in tags) {
            r.report(qualified("tags"), entry, `tag key ${JSON.stringify(key)} is given more than once`);
            ok = false;
        } else {
            tags[key] = value;
        }
    }
    return ok ? tags : undefined;
}

function readPerimeter(r: Reader, accountId: string | undefined): Perimeter | undefined {
    const orgId = r.string("trustedOrgId");
    if (orgId !== undefined) {
        if (!ORG_ID.test(orgId)) {
            r.problem("trustedOrgId", "must be an AWS Organizations id: o- followed by 10 to 32 lower-case letters or digits");
            return undefined;
        }
        return { scope: PerimeterScope.Organization, id: orgId };
    }
    return accountId === undefined ? undefined : { scope: PerimeterScope.Account, id: accountId };
}

function readAlertSubscribers(r: Reader): AlertSubscribers | undefined {
    const emails = r.stringArray("alertEmails");
    let ok = emails !== undefined;
    if (emails !== undefined && emails.length === 0) {
        r.problem("alertEmails", "must list at least one address; an alarm nobody hears is no alarm");
        ok = false;
    }
    for (const email of emails ?? []) {
        if (!EMAIL.test(email)) {
            r.report(qualified("alertEmails"), email, "is not an email address");
            ok = false;
        }
    }
    checkUnique(r, "alertEmails", emails);
    const httpsEndpoint = r.string("alertHttpsEndpoint");
    if (httpsEndpoint !== undefined && !isHttpsUrl(httpsEndpoint)) {
        r.problem("alertHttpsEndpoint", "must be an https:// URL (SNS delivers alarms over TLS only here)");
        ok = false;
    }
    if (!ok || emails === undefined || duplicates(emails).length > 0) {
        return undefined;
    }
    return httpsEndpoint === undefined ? { emails } : { emails, httpsEndpoint };
}

function isHttpsUrl(text: string): boolean {
    try {
        const url = new URL(text);
        return url.protocol === "https:" && url.hostname !== "";
    } catch {
        return false;
    }
}

/**
 * Validates raw stack config and returns either the typed `StackConfig` or every problem found.
 * Pure: no Pulumi runtime, no I/O, so tests can feed it any input.
 */
export function validateConfig(raw: RawConfig): ValidationResult {
    const r = new Reader(raw);

    const known = Object.keys(CONFIG_KEYS);
    for (const key of Object.keys(raw).sort()) {
        const name = key.slice(PROJECT.length + 1);
        if (key.startsWith(`${PROJECT}:`) && !known.includes(name)) {
            r.report(key, raw[key], `is not a ${PROJECT} config key; did you mean ${qualified(closest(name, known) as ConfigKey)}?`);
        }
    }

    const environment = readEnvironment(r);
    const region = readRegion(r, raw);
    const accountId = r.string("accountId");
    if (accountId !== undefined && !/^\d{12}$/.test(accountId)) {
        r.problem("accountId", "must be a 12-digit AWS account id");
    }
    const perimeter = readPerimeter(r, accountId);
    const vpc = readVpcCidr(r);
    const availabilityZones = readAvailabilityZones(r, region);
    const subnetPrefixLengths: Partial<Record<Tier, number>> = {};
    for (const tier of Object.values(Tier)) {
        subnetPrefixLengths[tier] = r.integer(TIER_KEYS[tier], MIN_SUBNET_PREFIX, MAX_SUBNET_PREFIX);
    }
    const subnets = planSubnets(r, vpc, availabilityZones, subnetPrefixLengths);

    const interfaceEndpoints = readInterfaceEndpoints(r);
    const endpointAzCountRaw = r.integer("endpointAzCount", 1, MAX_AZS);
    if (endpointAzCountRaw !== undefined && availabilityZones !== undefined && endpointAzCountRaw > availabilityZones.length) {
        r.problem("endpointAzCount", `exceeds the ${availabilityZones.length} availability zones configured`);
    }
    const dataTierS3Endpoint = r.boolean("dataTierS3Endpoint") ?? true;

    const serviceDomain = readServiceDomain(r);
    const servicePorts = r.integerArray("servicePorts", 1, 65535);
    if (servicePorts !== undefined && servicePorts.length === 0) {
        r.problem("servicePorts", "must list at least one port");
    }

    const jobImage = r.string("jobImage");
    checkImage(r, "jobImage", jobImage, environment);
    const jobDataLocations = readDataLocations(r);
    const jobQueueNames = readQueueNames(r);
    const cryoIngestImage = r.string("cryoIngestImage");
    checkImage(r, "cryoIngestImage", cryoIngestImage, environment);
    const blockFollowerImage = r.string("blockFollowerImage");
    checkImage(r, "blockFollowerImage", blockFollowerImage, environment);

    const gatewayTaskCount = r.integer("gatewayTaskCount", 1, 10) ?? 1;
    const webhook = readGateway(r, GatewayKind.Webhook, environment, vpc, gatewayTaskCount);
    const rpc = readGateway(r, GatewayKind.Rpc, environment, vpc, gatewayTaskCount);

    const database = readDatabase(r, environment);
    const orgSlug = readOrgSlug(r);
    const platformSecrets = readPlatformSecrets(r, environment);
    const orgSecrets = readOrgSecrets(r, environment, orgSlug);

    const logRetentionDays = r.integer("logRetentionDays", 1, 3653);
    checkRetention(r, "logRetentionDays", logRetentionDays);
    const flowLogRetentionDays = r.integer("flowLogRetentionDays", 1, 3653);
    checkRetention(r, "flowLogRetentionDays", flowLogRetentionDays);
    if (flowLogRetentionDays !== undefined && flowLogRetentionDays < MIN_FLOW_LOG_DAYS) {
        r.problem("flowLogRetentionDays", `must be at least ${MIN_FLOW_LOG_DAYS} (flow logs are audit logs, kept a year in every environment)`);
    }
    const alertSubscribers = readAlertSubscribers(r);
    const tags = readTags(r);

    if (r.problems.length > 0) {
        return { problems: r.problems };
    }
    // With no problems every reader above returned a value; `defined` only narrows the types.
    return {
        problems: [],
        config: {
            environment: defined(environment),
            region: defined(region),
            accountId: defined(accountId),
            perimeter: defined(perimeter),
            vpcCidr: defined(vpc).text,
            availabilityZones: defined(availabilityZones),
            subnetPrefixLengths: subnetPrefixLengths as Record<Tier, number>,
            subnets: defined(subnets),
            interfaceEndpoints: defined(interfaceEndpoints),
            endpointAzCount: endpointAzCountRaw ?? defined(availabilityZones).length,
            dataTierS3Endpoint,
            serviceDomain: defined(serviceDomain),
            servicePorts: defined(servicePorts),
            jobImage: defined(jobImage),
            jobDataLocations: defined(jobDataLocations),
            jobQueueNames: defined(jobQueueNames),
            operatorImages: {
                [Operator.CryoIngest]: defined(cryoIngestImage),
                [Operator.BlockFollower]: defined(blockFollowerImage),
            },
            gateways: { [GatewayKind.Webhook]: defined(webhook), [GatewayKind.Rpc]: defined(rpc) },
            database: defined(database),
            orgSlug: defined(orgSlug),
            platformSecrets: defined(platformSecrets),
            orgSecrets: defined(orgSecrets),
            logRetentionDays: defined(logRetentionDays),
            flowLogRetentionDays: defined(flowLogRetentionDays),
            alertSubscribers: defined(alertSubscribers),
            tags: defined(tags),
        },
    };
}

function defined<T>(value: T | undefined): T {
    if (value === undefined) {
        throw new Error("internal: a config reader returned no value without reporting a problem");
    }
    return value;
}
