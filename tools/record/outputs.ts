// What the recording monitor answers for a resource in place of its provider: in a first preview its
// inputs, every output-only property unknown; in plan mode the state a deployed stack would have,
// with ids, ARNs and names shaped as AWS makes them.
import * as fs from "fs";
import { ACCOUNT_ID, DEFAULT_REGION, shortHash } from "./invokes";
import { ChildRequest } from "./protocol";
import { PROVIDER_PREFIX } from "./session";

// AWS ids carry a type prefix ("vpc-0123..."); policies and programs sometimes pattern-match on them.
const ID_PREFIXES: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
    "aws:ec2/networkAcl:NetworkAcl": "acl",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/instance:Instance": "i",
    "aws:ec2/flowLog:FlowLog": "fl",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
    "aws:ec2/defaultRouteTable:DefaultRouteTable": "rtb",
    "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation": "rtbassoc",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
    "aws:kms/key:Key": "key",
};

// Resources AWS creates along with a VPC: its main route table (which is also the "default" route
// table), default security group and default network ACL. Reachability falls back to the main route
// table for subnets without an association, so plan mode must know its id as a deployed stack does.
const COMPANION_IDS: Record<string, Record<string, string>> = {
    "aws:ec2/vpc:Vpc": { defaultRouteTableId: "rtb", mainRouteTableId: "rtb", defaultSecurityGroupId: "sg", defaultNetworkAclId: "acl" },
};

// Resources that adopt a companion instead of creating anything: their id is the adopted one's.
const ADOPTED_ID_INPUT: Record<string, string> = {
    "aws:ec2/defaultRouteTable:DefaultRouteTable": "defaultRouteTableId",
    "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": "defaultNetworkAclId",
};

function companionIds(type: string, urn: string): Record<string, string> {
    const ids: Record<string, string> = {};
    for (const [key, prefix] of Object.entries(COMPANION_IDS[type] ?? {})) {
        ids[key] = `${prefix}-0${shortHash(`${urn}#${prefix}`, 16)}`;
    }
    return ids;
}

// Services whose ARNs carry no region (and for S3 no account either).
const GLOBAL_SERVICES = new Set(["iam", "s3", "cloudfront", "route53"]);
const SERVICE_OF_MODULE: Record<string, string> = { cloudwatch: "logs", lb: "elasticloadbalancing", alb: "elasticloadbalancing", servicediscovery: "servicediscovery" };

export function synthesizeId(type: string, name: string, urn: string, inputs: Record<string, unknown>): string {
    const adoptedKey: string | undefined = ADOPTED_ID_INPUT[type];
    if (adoptedKey !== undefined && typeof inputs[adoptedKey] === "string") {
        return inputs[adoptedKey] as string;
    }
    const prefix = ID_PREFIXES[type];
    if (prefix !== undefined) {
        return `${prefix}-0${shortHash(urn, 16)}`;
    }
    if (type.startsWith(PROVIDER_PREFIX)) {
        return shortHash(urn, 8) + "-" + shortHash(urn + "#", 4) + "-4000-8000-" + shortHash(urn + "$", 12);
    }
    for (const key of ["name", "bucket", "functionName", "identifier", "clusterIdentifier"]) {
        if (typeof inputs[key] === "string") {
            return inputs[key] as string;
        }
    }
    return `${name}-${shortHash(urn, 7)}`;
}

function synthesizeArn(type: string, id: string, region: string): string | undefined {
    const [pkg, mod] = type.split(":");
    if (pkg !== "aws" || mod === undefined) {
        return undefined;
    }
    const module = mod.split("/")[0];
    const resource = mod.split("/")[1] ?? module;
    const service = SERVICE_OF_MODULE[module] ?? module;
    if (service === "s3") {
        return `arn:aws:s3:::${id}`;
    }
    const reg = GLOBAL_SERVICES.has(service) ? "" : region;
    return `arn:aws:${service}:${reg}:${ACCOUNT_ID}:${resource.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}/${id}`;
}

// Most AWS resources outside EC2 have a physical `name` the provider auto-generates ("<name>-<hex>")
// when the program gives none; S3 buckets call it `bucket`. Without it a plan-mode program would
// pass `undefined` wherever it references the name (e.g. a DB subnet group's name).
function autoName(type: string, name: string, urn: string, inputs: Record<string, unknown>): Record<string, string> {
    const [pkg, mod] = type.split(":");
    const module = mod?.split("/")[0];
    if (pkg !== "aws" || module === "ec2" || inputs.namePrefix !== undefined) {
        return {};
    }
    const key = type === "aws:s3/bucket:Bucket" || type === "aws:s3/bucketV2:BucketV2" ? "bucket" : "name";
    return inputs[key] === undefined ? { [key]: `${name}-${shortHash(urn, 7)}` } : {};
}

/** An output-only property of a resource class: its name and its TypeScript type as declared. */
interface DeclaredOutput {
    name: string;
    type: string;
}

// Generated provider SDKs set every output-only property to `undefined /*out*/` in the constructor;
// the class's declaration file gives each one's type.
function declaredOutputs(ctor: unknown, type: string, programDir: string): DeclaredOutput[] {
    const names = [...String(ctor).matchAll(/resourceInputs\["(\w+)"\] = undefined \/\*out\*\//g)].map((m) => m[1]);
    if (names.length === 0) {
        return [];
    }
    const [pkg, mod] = type.split(":");
    const types = new Map<string, string>();
    try {
        const file = require.resolve(`@pulumi/${pkg}/${mod.replace(/^index\//, "")}`, { paths: [programDir] }).replace(/\.js$/, ".d.ts");
        for (const m of fs.readFileSync(file, "utf8").matchAll(/readonly (\w+): pulumi\.Output<([\s\S]*?)>;\n/g)) {
            types.set(m[1], m[2].replace(/\s+/g, " ").trim());
        }
    } catch {
        // Not a generated provider SDK: names without types.
    }
    return names.map((name) => ({ name, type: types.get(name) ?? "string" }));
}

// Id-valued outputs that name another resource kind, with that kind's AWS id prefix.
const REFERENCED_ID_PREFIXES: Record<string, string> = {
    networkInterface: "eni", vpc: "vpc", subnet: "subnet", securityGroup: "sg", routeTable: "rtb", defaultRouteTable: "rtb",
    mainRouteTable: "rtb", defaultSecurityGroup: "sg", defaultNetworkAcl: "acl", networkAcl: "acl", allocation: "eipalloc",
    association: "eipassoc", prefixList: "pl", image: "ami", snapshot: "snap", volume: "vol", kmsKey: "key",
};

/** A value of a deployed resource's output as plan mode shows it; undefined when it may be absent after a deployment. */
function synthesizeOutput(out: DeclaredOutput, type: string, urn: string, region: string, inputs: Record<string, unknown>): unknown {
    if (out.type.includes("undefined")) {
        return undefined;
    }
    if (out.type.endsWith("[]")) {
        return [];
    }
    if (out.type === "number") {
        return 0;
    }
    if (out.type === "boolean") {
        return false;
    }
    if (out.type !== "string") {
        return out.name === "tagsAll" ? (inputs.tags ?? {}) : {};
    }
    const hash = shortHash(`${urn}#${out.name}`, 16);
    if (out.name === "ownerId" || out.name === "accountId") {
        return ACCOUNT_ID;
    }
    if (out.name.endsWith("Id")) {
        const referent = out.name.slice(0, -2).replace(/^primary/, "").replace(/^./, (c) => c.toLowerCase());
        return `${REFERENCED_ID_PREFIXES[referent] ?? referent.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}-0${hash}`;
    }
    if (out.name.endsWith("Arn")) {
        const base = synthesizeArn(type, hash, region);
        return base === undefined ? `arn:aws:unknown:${region}:${ACCOUNT_ID}:${hash}` : base;
    }
    // Addresses and names AWS fills in only in some configurations read as empty, never as a made-up
    // public address a policy would act on.
    return "";
}

/** The outputs the monitor gives each registered resource, from what the SDK knows of its class. */
export class ResourceOutputs {
    private readonly plan: boolean;
    private readonly region: string;
    private readonly outputNames = new Map<string, DeclaredOutput[]>();

    constructor(private readonly req: ChildRequest, private readonly unknownValue: string) {
        this.plan = req.mode === "plan";
        this.region = req.region ?? DEFAULT_REGION;
    }

    /** Keeps the output properties of a custom resource's class, read once per type. */
    learnClass(ctor: unknown, type: string): void {
        if (!this.outputNames.has(type)) {
            this.outputNames.set(type, declaredOutputs(ctor, type, this.req.programDir));
        }
    }

    /** What the SDK gets back for a registration: the resource's id ("" until it exists) and its outputs. */
    answer(type: string, custom: boolean, urn: string, name: string, inputs: Record<string, unknown>): { id: string; outputs: Record<string, unknown> } {
        // In a first preview nothing exists yet: no id, and only the inputs are known. Answering with
        // the inputs alone makes the SDK mark every other output unknown, as the engine's preview does.
        if (!this.plan || !custom) {
            return { id: "", outputs: inputs };
        }
        const id = synthesizeId(type, name, urn, inputs);
        const arn = synthesizeArn(type, id, this.region);
        const declared: Record<string, unknown> = {};
        for (const out of this.outputNames.get(type) ?? []) {
            const value = synthesizeOutput(out, type, urn, this.region, inputs);
            if (value !== undefined) {
                declared[out.name] = value;
            }
        }
        return {
            id,
            outputs: {
                ...declared, ...inputs, id, ...(arn !== undefined ? { arn } : {}), ...autoName(type, name, urn, inputs), ...companionIds(type, urn), ...(this.req.resourceOutputs[type] ?? {}),
            },
        };
    }

    // What the engine's preview shows for a new resource: its inputs, and every output-only
    // property unknown (the provider computes it on create).
    previewState(type: string, custom: boolean, inputs: Record<string, unknown>): Record<string, unknown> {
        if (this.plan || !custom) {
            return inputs;
        }
        const unknowns = Object.fromEntries((this.outputNames.get(type) ?? []).filter((o) => !(o.name in inputs)).map((o) => [o.name, this.unknownValue]));
        return { ...unknowns, ...inputs };
    }
}
