import { carveSubnets, cidrContains, cidrsOverlap, parseCidr, Cidr, SubnetRequest } from "./cidr";
import { quoted, splitDataLocation, splitTag } from "./formats";
import { CONFIG_KEYS, ConfigKey, qualified } from "./keys";
import { ConfigProblem, inReferenceOrder, KeyReading, KeyValues, RawConfig, readKeys, SomeValues } from "./shapes";
import { Environment, GatewayConfig, GatewayKind, Operator, PerimeterScope, StackConfig, SubnetPlan, Tier } from "./types";

export interface ValidationResult {
    /** Present exactly when `problems` is empty. */
    readonly config?: StackConfig;
    readonly problems: readonly ConfigProblem[];
}

/** Problems of rules between keys, each named on the key whose change would fix it. */
class Findings {
    readonly problems: ConfigProblem[] = [];

    constructor(private readonly raw: RawConfig) {}

    /** About the key as a whole unless `value` names the list item at fault. */
    about(key: ConfigKey, message: string, value: unknown = this.raw[qualified(key)]): void {
        this.problems.push({ key: qualified(key), value, message });
    }
}

const TIER_KEYS = {
    [Tier.App]: "appSubnetPrefixLength",
    [Tier.Data]: "dataSubnetPrefixLength",
    [Tier.Egress]: "egressSubnetPrefixLength",
} as const satisfies Record<Tier, ConfigKey>;

const GATEWAY_KEYS = {
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
} as const satisfies Record<GatewayKind, Record<string, ConfigKey>>;

/**
 * The VPC block that the checks depending on it (subnet fit, gateway overlap) run against. A block with
 * host bits set is a problem of its own, but those checks still run against the network address the
 * user meant, so they show in the same run.
 */
function vpcForChecks(text: string | undefined): Cidr | undefined {
    if (text === undefined) {
        return undefined;
    }
    const parsed = parseCidr(text);
    const meant = "defect" in parsed && parsed.networkAddress !== undefined ? parsed.networkAddress : text;
    const block = parseCidr(meant);
    return "cidr" in block && CONFIG_KEYS.vpcCidr.format(meant).length === 0 ? block.cidr : undefined;
}

/** The zones when they are sound and all lie in the region; checked whenever they are a list and the region a name. */
function zonesInRegion(found: Findings, { typed, valid, region }: KeyReading): readonly string[] | undefined {
    const foreign = region === undefined ? [] : (typed.availabilityZones ?? []).filter((zone) => !new RegExp(`^${region}[a-z]$`).test(zone));
    if (foreign.length > 0) {
        found.about("availabilityZones", `${quoted(foreign)} not an availability zone of ${region}`);
        return undefined;
    }
    return valid.availabilityZones;
}

function planSubnets(
    found: Findings,
    vpc: Cidr | undefined,
    zones: readonly string[] | undefined,
    prefixes: Partial<Record<Tier, number>>,
): SubnetPlan[] | undefined {
    const tiers = Object.values(Tier);
    if (vpc === undefined || zones === undefined || tiers.some((tier) => prefixes[tier] === undefined)) {
        return undefined;
    }
    const larger = tiers.filter((tier) => prefixes[tier]! < vpc.prefixLength);
    for (const tier of larger) {
        found.about(TIER_KEYS[tier], `a /${prefixes[tier]} subnet is larger than the VPC block ${vpc.text}`);
    }
    if (larger.length > 0) {
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
        found.about(
            TIER_KEYS[largest],
            `the tiers no longer fit: ${needed} do not fit in the VPC block ${vpc.text} (${overflow.length} subnet(s) left over); use longer prefix lengths or a larger vpcCidr`,
        );
        return undefined;
    }
    const plan = subnets.map((s) => ({ tier: s.key.tier, availabilityZone: s.key.zone, cidr: s.cidr }));
    // The carve is sequential, so this holds by construction; checking it keeps a future change to the
    // allocator from producing an overlapping or escaping plan without anyone noticing.
    for (const defect of subnetPlanDefects(vpc, plan)) {
        found.about("vpcCidr", defect);
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

/** In-VPC destinations are reached through security groups; only the default routes may cover the VPC. */
function checkDestinationsOutsideVpc(found: Findings, typed: SomeValues, vpc: Cidr | undefined): void {
    for (const kind of Object.values(GatewayKind)) {
        const key = GATEWAY_KEYS[kind].cidrs;
        for (const text of typed[key] ?? []) {
            const parsed = parseCidr(text);
            if (vpc !== undefined && "cidr" in parsed && parsed.cidr.prefixLength > 0 && cidrsOverlap(parsed.cidr, vpc)) {
                found.about(key, `overlaps the VPC block ${vpc.text}; in-VPC destinations are reached through security groups, not a gateway`, text);
            }
        }
    }
}

/**
 * Validates raw stack config and returns either the typed `StackConfig` or every problem found: each
 * key against its own declaration (`keys.ts`), then the rules between keys.
 * Pure: no Pulumi runtime, no I/O, so tests can feed it any input.
 */
export function validateConfig(raw: RawConfig): ValidationResult {
    const reading = readKeys(raw);
    const { typed, valid } = reading;
    const found = new Findings(raw);
    const vpc = vpcForChecks(typed.vpcCidr);
    const zones = zonesInRegion(found, reading);
    const subnets = planSubnets(found, vpc, zones, {
        [Tier.App]: valid.appSubnetPrefixLength,
        [Tier.Data]: valid.dataSubnetPrefixLength,
        [Tier.Egress]: valid.egressSubnetPrefixLength,
    });
    if (valid.endpointAzCount !== undefined && zones !== undefined && valid.endpointAzCount > zones.length) {
        found.about("endpointAzCount", `exceeds the ${zones.length} availability zones configured`);
    }
    checkDestinationsOutsideVpc(found, typed, vpc);

    const problems = inReferenceOrder([...reading.problems, ...found.problems]);
    if (problems.length > 0) {
        return { problems };
    }
    // With no problem, every required key has its shape and every rule between keys had its inputs.
    return { problems: [], config: stackConfig(valid as KeyValues, defined(reading.region), defined(subnets)) };
}

function stackConfig(values: KeyValues, region: string, subnets: readonly SubnetPlan[]): StackConfig {
    const environment = values.environment as Environment;
    const gateway = (kind: GatewayKind): GatewayConfig => {
        const keys = GATEWAY_KEYS[kind];
        const destinations = { destinationCidrs: values[keys.cidrs], destinationPorts: values[keys.ports] };
        return { kind, image: values[keys.image], port: values[keys.port], ...destinations, taskCount: values.gatewayTaskCount };
    };
    return {
        environment,
        region,
        accountId: values.accountId,
        perimeter:
            values.trustedOrgId === undefined
                ? { scope: PerimeterScope.Account, id: values.accountId }
                : { scope: PerimeterScope.Organization, id: values.trustedOrgId },
        vpcCidr: values.vpcCidr,
        availabilityZones: values.availabilityZones,
        subnetPrefixLengths: { [Tier.App]: values.appSubnetPrefixLength, [Tier.Data]: values.dataSubnetPrefixLength, [Tier.Egress]: values.egressSubnetPrefixLength },
        subnets,
        interfaceEndpoints: values.interfaceEndpoints,
        endpointAzCount: values.endpointAzCount ?? values.availabilityZones.length,
        dataTierS3Endpoint: values.dataTierS3Endpoint,
        serviceDomain: values.serviceDomain,
        servicePorts: values.servicePorts,
        jobImage: values.jobImage,
        jobDataLocations: values.jobDataLocations.map(splitDataLocation),
        jobQueueNames: values.jobQueueNames,
        operatorImages: { [Operator.CryoIngest]: values.cryoIngestImage, [Operator.BlockFollower]: values.blockFollowerImage },
        gateways: { [GatewayKind.Webhook]: gateway(GatewayKind.Webhook), [GatewayKind.Rpc]: gateway(GatewayKind.Rpc) },
        database: {
            instanceClass: values.dbInstanceClass,
            engineVersion: values.dbEngineVersion,
            allocatedStorageGiB: values.dbAllocatedStorageGiB,
            multiAz: values.dbMultiAz,
            deletionProtection: values.dbDeletionProtection,
            backupRetentionDays: values.dbBackupRetentionDays,
        },
        orgSlug: values.orgSlug,
        platformSecrets: values.platformSecrets.map((entry) => {
            const [component, name] = entry.split("/") as [string, string];
            return { component, name, path: `/${environment}/trace/${component}/${name}` };
        }),
        orgSecrets: values.orgSecrets.map((name) => ({ name, path: `/${environment}/${values.orgSlug}/${name}` })),
        logRetentionDays: values.logRetentionDays,
        flowLogRetentionDays: values.flowLogRetentionDays,
        alertSubscribers:
            values.alertHttpsEndpoint === undefined ? { emails: values.alertEmails } : { emails: values.alertEmails, httpsEndpoint: values.alertHttpsEndpoint },
        tags: Object.fromEntries(values.tags.map((entry) => splitTag(entry)!).map(({ key, value }) => [key, value])),
    };
}

function defined<T>(value: T | undefined): T {
    if (value === undefined) {
        throw new Error("internal: a config reader returned no value without reporting a problem");
    }
    return value;
}
