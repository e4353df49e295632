// Child process of the recorder (index.ts): one program run under a recording mock monitor, then one IPC reply.
// It does what the Node language host (@pulumi/pulumi/cmd/run) does — config in the environment, the
// program's own @pulumi/pulumi, the entry required inside runInPulumiStack — with the engine replaced
// by a MockMonitor subclass that keeps every registration.
import * as fs from "fs";
import * as path from "path";
import type * as PulumiModule from "@pulumi/pulumi";
import type * as MocksModule from "@pulumi/pulumi/runtime/mocks";
import type * as ResourceProto from "@pulumi/pulumi/proto/resource_pb";
import type * as SourceProto from "@pulumi/pulumi/proto/source_pb";
import type * as StructProto from "google-protobuf/google/protobuf/struct_pb";
import { languageHostTsNodeOptions, TsUtils } from "../shared/language-host-ts";
import { ACCOUNT_ID, answerInvoke, DEFAULT_REGION, PlaceholderAnswer, shortHash, UnansweredInvokeError } from "./invokes";
import { ChildProgress, ChildReply, ChildRequest, installAdvice, RecordedOptions, RecordedResource, RecordErrorKind, SourcePosition } from "./protocol";
import { markSecretOutputs } from "./secret-outputs";

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
const PROVIDER_PREFIX = "pulumi:providers:";
const DYNAMIC_PROVIDER_PACKAGES = new Set(["pulumi-nodejs", "pulumi-python"]);
// The SDK's secret envelope (runtime/rpc specialSigKey / specialSecretSig); not imported, see main().
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const DRAIN_TIMEOUT_MS = 10_000;
// How long the run goes on after an unanswered data source, so that the other lookups the program
// has already started are named in the same run.
const UNANSWERED_SETTLE_MS = 200;
const PROGRESS_INTERVAL_MS = 100;

type Callback = (err: unknown, response?: unknown) => void;

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

function synthesizeId(type: string, name: string, urn: string, inputs: Record<string, unknown>): string {
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

// "1h30m" -> 5400: the analyzer's custom timeouts are seconds, the SDK sends Go durations.
function durationSeconds(text: string): number {
    let total = 0;
    for (const m of text.matchAll(/([\d.]+)(h|ms|m|s)/g)) {
        const n = Number(m[1]);
        total += m[2] === "h" ? n * 3600 : m[2] === "m" ? n * 60 : m[2] === "s" ? n : n / 1000;
    }
    return total;
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

// The field stays off the record when the SDK sent no position, so recordings compare equal whatever the SDK version.
function optionalSourcePosition(pos: SourceProto.SourcePosition | undefined): { sourcePosition?: SourcePosition } {
    return pos === undefined || pos.getUri() === "" ? {} : { sourcePosition: { uri: pos.getUri(), line: pos.getLine(), column: pos.getColumn() } };
}

function toJson(s: StructProto.Struct | undefined): Record<string, unknown> {
    return (s?.toJavaScript() ?? {}) as Record<string, unknown>;
}

/**
 * Registers ts-node for the program exactly as @pulumi/pulumi/cmd/run/run.js does (CommonJS branch):
 * the program's own typescript and ts-node, `nodenext` for TypeScript 4.7 and later, the project's
 * tsconfig when it exists, its compiler options over the defaults. The type check itself runs in a
 * separate process (typecheck/child.ts) at the same time, so this one only transpiles.
 */
function registerTypeScript(sdkRoot: string, req: ChildRequest): void {
    const tsutils: TsUtils = require(path.join(sdkRoot, "tsutils"));
    const defaultTsConfigPath = "tsconfig.json";
    const tsConfigPath = req.tsconfig ?? defaultTsConfigPath;
    const skipProject = !fs.existsSync(path.resolve(req.programDir, tsConfigPath));
    if (skipProject && tsConfigPath !== defaultTsConfigPath) {
        throw new ProgramStartError(`tsconfig path was set to ${tsConfigPath} but the file was not found`);
    }
    const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
    const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
    const ts: { version: string } = require(require.resolve(typescriptRequire, { paths: [sdkRoot] }));
    const tsn: { register(options: unknown): unknown } = require(require.resolve(tsnodeRequire, { paths: [sdkRoot] }));
    tsn.register(languageHostTsNodeOptions({ typescriptRequire, typescriptVersion: ts.version, tsConfigPath, skipProject, compilerOptions }));
}

/**
 * The plugin version the Node language host reports for a package (GetRequiredPlugins): from the
 * program's installed `@pulumi/<package>` whose package.json marks it as a resource plugin, its
 * `pulumi.version` or else its own version, without a leading "v". Empty when none is installed.
 */
function installedPluginVersion(pkg: string, programDir: string): string {
    try {
        const manifest = JSON.parse(fs.readFileSync(require.resolve(`@pulumi/${pkg}/package.json`, { paths: [programDir] }), "utf8")) as {
            version?: string; pulumi?: { resource?: boolean; version?: string };
        };
        return manifest.pulumi?.resource === true ? (manifest.pulumi.version ?? manifest.version ?? "").replace(/^v/, "") : "";
    } catch {
        return "";
    }
}

/**
 * The package named by a "Cannot find module" error of the program's own import (a bare name, required
 * from a file of the program rather than from a package), if that is what `e` is.
 */
function uninstalledImport(e: Error, programDir: string): string | undefined {
    const { code, requireStack } = e as Error & { code?: string; requireStack?: string[] };
    const specifier = /Cannot find module '([^'.\/][^']*)'/.exec(e.message)?.[1];
    // "@scope/pkg/sub/path" and "pkg/sub/path" are installed as "@scope/pkg" and "pkg".
    const name = specifier?.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");
    const requiredBy = requireStack?.[0];
    const fromProgram = requiredBy !== undefined && !path.relative(programDir, requiredBy).startsWith("..") && !requiredBy.includes(`${path.sep}node_modules${path.sep}`);
    return code === "MODULE_NOT_FOUND" && name !== undefined && fromProgram ? name : undefined;
}

/** A failure the language host reports as a plain message, before the program runs. */
class ProgramStartError extends Error {}

async function main(req: ChildRequest): Promise<ChildReply> {
    // The SDK reads these once, when its runtime state is first created: set them before it loads.
    process.env.PULUMI_CONFIG = JSON.stringify(req.config);
    process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(req.secretKeys);
    process.env.PULUMI_NODEJS_PROJECT = req.project;
    process.env.PULUMI_NODEJS_STACK = req.stack;
    process.env.PULUMI_NODEJS_ORGANIZATION = req.organization;
    process.env.PULUMI_NODEJS_DRY_RUN = String(req.mode === "preview");
    process.env.PULUMI_NODEJS_ROOT_DIRECTORY = req.programDir;

    // Another team's program brings its own SDK copy; use the one its `require("@pulumi/pulumi")` gets.
    const sdkMain = require.resolve("@pulumi/pulumi", { paths: [req.programDir] });
    const sdkRoot = path.dirname(sdkMain);
    const pulumi: typeof PulumiModule = require(sdkMain);
    const { MockMonitor }: typeof MocksModule = require(path.join(sdkRoot, "runtime", "mocks"));
    const resproto: typeof ResourceProto = require(path.join(sdkRoot, "proto", "resource_pb"));
    const structproto: typeof StructProto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkRoot] }));
    const sdkLog: { hasErrors(): boolean } = require(path.join(sdkRoot, "log"));
    const rpc: { specialSigKey: string; specialSecretSig: string } = require(path.join(sdkRoot, "runtime", "rpc"));
    const envelope = { sigKey: rpc.specialSigKey, secretSig: rpc.specialSecretSig };

    const region = req.region ?? DEFAULT_REGION;
    const plan = req.mode === "plan";
    const records: RecordedResource[] = [];
    const byUrn = new Map<string, RecordedResource>();
    const defaultProviders = new Map<string, string>();
    const unanswered = new Map<string, UnansweredInvokeError>();
    // Keyed by token and arguments: a program that looks the same thing up twice gets it named once.
    const placeholders = new Map<string, PlaceholderAnswer>();
    const notePlaceholder = (p: PlaceholderAnswer): void => {
        placeholders.set(`${p.token} ${JSON.stringify(p.args)}`, p);
    };
    // A program that feeds a lookup's result into a resource (`getAmi(...).then(r => r.id)`) would
    // wait for it forever: the run ends once no further lookup has failed for a moment, whatever the
    // program does with the rejected promise.
    let endRun: () => void = () => undefined;
    const unansweredSettled = new Promise<void>((resolve) => (endRun = resolve));
    let settleTimer: NodeJS.Timeout | undefined;
    const noteUnanswered = (e: UnansweredInvokeError): void => {
        unanswered.set(e.token, e);
        clearTimeout(settleTimer);
        settleTimer = setTimeout(endRun, UNANSWERED_SETTLE_MS);
    };

    let registered = 0;
    let lastProgress = 0;
    const record = (r: RecordedResource): void => {
        records.push(r);
        byUrn.set(r.urn, r);
        if (r.type === ROOT_STACK_TYPE || (r.type.startsWith(PROVIDER_PREFIX) && r.parent === undefined)) {
            return;
        }
        registered++;
        const now = Date.now();
        if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
            lastProgress = now;
            const progress: ChildProgress = { progress: true, registered };
            process.send?.(progress);
        }
    };

    // As the engine's resource.NewURN and the SDK's createUrn: a child's type is qualified by its
    // parent's whole qualified type (the ancestor chain), except that the root stack's type is left out.
    const makeUrn = (parent: string, type: string, name: string): string => {
        let qualified = type;
        if (parent !== "") {
            const parentType = parent.split("::")[2];
            qualified = parentType === ROOT_STACK_TYPE ? type : `${parentType}$${type}`;
        }
        return `urn:pulumi:${req.stack}::${req.project}::${qualified}::${name}`;
    };

    const emptyOptions = (): RecordedOptions => ({
        protect: false, ignoreChanges: [], additionalSecretOutputs: [], aliases: [], customTimeouts: { create: 0, update: 0, delete: 0 },
    });

    // As the engine: the plugin version the SDK asked for, else the one the program has installed for
    // the package (read once per package: a package whose SDK sends none would read it per resource).
    const installedVersions = new Map<string, string>();
    const pluginVersion = (pkg: string, requested: string): string => {
        if (requested !== "") {
            return requested;
        }
        const version = installedVersions.get(pkg) ?? installedPluginVersion(pkg, req.programDir);
        installedVersions.set(pkg, version);
        return version;
    };
    const pluginInputs = (version: string, pluginDownloadURL: string): Record<string, string> => ({
        ...(version === "" ? {} : { version }),
        ...(pluginDownloadURL === "" ? {} : { pluginDownloadURL }),
    });

    // The engine, not the SDK, creates a default provider per package and version the first time a
    // resource needs one; its config is the stack's "<package>:*" keys.
    const defaultProviderRef = (type: string, requestedVersion: string, pluginDownloadURL: string): string => {
        const pkg = type.split(":")[0];
        const version = pluginVersion(pkg, requestedVersion);
        const key = `${pkg}@${version}`;
        const known = defaultProviders.get(key);
        if (known !== undefined) {
            return known;
        }
        const name = version === "" ? "default" : `default_${version.replace(/[.+-]/g, "_")}`;
        const providerType = PROVIDER_PREFIX + pkg;
        const urn = makeUrn("", providerType, name);
        // As the engine's Target.GetPackageConfig: a package gets its own namespace's keys without the
        // namespace; a dynamic provider gets every key, namespace kept. Secure values stay secret.
        const dynamic = DYNAMIC_PROVIDER_PACKAGES.has(pkg);
        const secret = new Set(req.secretKeys);
        const inputs: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(req.config)) {
            if (dynamic || k.startsWith(pkg + ":")) {
                inputs[dynamic ? k : k.slice(pkg.length + 1)] = secret.has(k) ? { [SECRET_SIG_KEY]: SECRET_SIG, value: v } : v;
            }
        }
        Object.assign(inputs, pluginInputs(version, pluginDownloadURL));
        const id = plan ? synthesizeId(providerType, name, urn, inputs) : undefined;
        record({
            urn, type: providerType, name, custom: true, id, dependencies: [], propertyDependencies: {},
            inputs, outputs: inputs, options: emptyOptions(),
        });
        const ref = `${urn}::${id ?? pulumi.runtime.unknownValue}`;
        defaultProviders.set(key, ref);
        return ref;
    };

    const outputsFor = (type: string, custom: boolean, urn: string, name: string, inputs: Record<string, unknown>): { id: string; outputs: Record<string, unknown> } => {
        // In a first preview nothing exists yet: no id, and only the inputs are known. Answering with
        // the inputs alone makes the SDK mark every other output unknown, as the engine's preview does.
        if (!plan || !custom) {
            return { id: "", outputs: inputs };
        }
        const id = synthesizeId(type, name, urn, inputs);
        const arn = synthesizeArn(type, id, region);
        const declared: Record<string, unknown> = {};
        for (const out of outputNames.get(type) ?? []) {
            const value = synthesizeOutput(out, type, urn, region, inputs);
            if (value !== undefined) {
                declared[out.name] = value;
            }
        }
        return {
            id,
            outputs: {
                ...declared, ...inputs, id, ...(arn !== undefined ? { arn } : {}), ...autoName(type, name, urn, inputs), ...companionIds(type, urn), ...(req.resourceOutputs[type] ?? {}),
            },
        };
    };

    // What the engine's preview shows for a new resource: its inputs, and every output-only
    // property unknown (the provider computes it on create).
    const previewState = (type: string, custom: boolean, inputs: Record<string, unknown>): Record<string, unknown> => {
        if (plan || !custom) {
            return inputs;
        }
        const unknowns = Object.fromEntries((outputNames.get(type) ?? []).filter((o) => !(o.name in inputs)).map((o) => [o.name, pulumi.runtime.unknownValue]));
        return { ...unknowns, ...inputs };
    };

    // The SDK knows each class's output properties when a resource registers; keep them per type.
    const outputNames = new Map<string, DeclaredOutput[]>();
    const runtimeResource: { registerResource: (...args: unknown[]) => unknown } = require(path.join(sdkRoot, "runtime", "resource"));
    const sdkRegister = runtimeResource.registerResource;
    runtimeResource.registerResource = function (this: unknown, ...args: unknown[]): unknown {
        const [res, , t, , custom] = args as [{ constructor: unknown }, unknown, string, string, boolean];
        if (custom && !outputNames.has(t)) {
            outputNames.set(t, declaredOutputs(res.constructor, t, req.programDir));
        }
        return sdkRegister.apply(this, args);
    };

    // As the engine's RegisterResource for a provider resource: the plugin the SDK asked for becomes
    // its `version` (and `pluginDownloadURL`) inputs, and one that names none gets the plugin the
    // program has installed for that package, as a default provider would.
    const providerPluginInputs = (type: string, request: ResourceProto.RegisterResourceRequest): Record<string, string> =>
        pluginInputs(pluginVersion(type.slice(PROVIDER_PREFIX.length), request.getVersion()), request.getPlugindownloadurl());

    class RecordingMonitor extends MockMonitor {
        async registerResource(request: ResourceProto.RegisterResourceRequest, callback: Callback): Promise<void> {
            try {
                const type = request.getType();
                const name = request.getName();
                const parent = request.getParent();
                const custom = request.getCustom();
                const urn = makeUrn(parent, type, name);
                const inputs = { ...toJson(request.getObject()), ...(type.startsWith(PROVIDER_PREFIX) ? providerPluginInputs(type, request) : {}) };
                let provider = request.getProvider();
                if (custom && provider === "" && !type.startsWith(PROVIDER_PREFIX) && !type.startsWith("pulumi:pulumi:")) {
                    provider = defaultProviderRef(type, request.getVersion(), request.getPlugindownloadurl());
                }
                const answer = outputsFor(type, custom, urn, name, inputs);
                const id = answer.id;
                const outputs = markSecretOutputs(answer.outputs, request.getAdditionalsecretoutputsList(), envelope);
                const propertyDependencies: Record<string, string[]> = {};
                request.getPropertydependenciesMap().forEach((deps, key) => {
                    propertyDependencies[key] = deps.getUrnsList();
                });
                const timeouts = request.getCustomtimeouts();
                record({
                    urn, type, name, custom,
                    id: id === "" ? undefined : id,
                    parent: parent === "" ? undefined : parent,
                    provider: provider === "" ? undefined : provider,
                    dependencies: request.getDependenciesList(),
                    propertyDependencies,
                    inputs,
                    outputs: previewState(type, custom, outputs),
                    options: {
                        protect: request.getProtect() ?? false,
                        ignoreChanges: request.getIgnorechangesList(),
                        ...(request.getDeletebeforereplacedefined() ? { deleteBeforeReplace: request.getDeletebeforereplace() } : {}),
                        additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
                        aliases: [...request.getAliasurnsList(), ...request.getAliasesList().map((a) => a.getUrn()).filter((u) => u !== "")],
                        customTimeouts: {
                            create: durationSeconds(timeouts?.getCreate() ?? ""),
                            update: durationSeconds(timeouts?.getUpdate() ?? ""),
                            delete: durationSeconds(timeouts?.getDelete() ?? ""),
                        },
                    },
                    ...optionalSourcePosition(request.getSourceposition()),
                });
                this.resources.set(urn, { urn, id: id === "" ? null : id, state: outputs });
                const response = new resproto.RegisterResourceResponse();
                response.setUrn(urn);
                response.setId(id);
                response.setObject(structproto.Struct.fromJavaScript(outputs as Record<string, StructProto.JavaScriptValue>));
                callback(null, response);
            } catch (err) {
                callback(err);
            }
        }

        async readResource(request: ResourceProto.ReadResourceRequest, callback: Callback): Promise<void> {
            try {
                const type = request.getType();
                const name = request.getName();
                const parent = request.getParent();
                const urn = makeUrn(parent, type, name);
                const inputs = toJson(request.getProperties());
                const outputs = { ...inputs, ...(req.resourceOutputs[type] ?? {}) };
                record({
                    urn, type, name, custom: true, id: request.getId(),
                    parent: parent === "" ? undefined : parent,
                    provider: request.getProvider() === "" ? undefined : request.getProvider(),
                    dependencies: request.getDependenciesList(), propertyDependencies: {},
                    inputs, outputs, options: emptyOptions(), ...optionalSourcePosition(request.getSourceposition()),
                });
                this.resources.set(urn, { urn, id: request.getId(), state: outputs });
                const response = new resproto.ReadResourceResponse();
                response.setUrn(urn);
                response.setProperties(structproto.Struct.fromJavaScript(outputs as Record<string, StructProto.JavaScriptValue>));
                callback(null, response);
            } catch (err) {
                callback(err);
            }
        }

        registerResourceOutputs(request: ResourceProto.RegisterResourceOutputsRequest, callback: Callback): void {
            const r = byUrn.get(request.getUrn());
            if (r === undefined) {
                callback(new Error(`registerResourceOutputs for unknown resource ${request.getUrn()}`));
                return;
            }
            r.outputs = toJson(request.getOutputs());
            super.registerResourceOutputs(request, callback);
        }
    }

    const monitor = new RecordingMonitor({
        call: (args) => {
            try {
                return answerInvoke(args.token, args.inputs as Record<string, unknown>, { region: req.region, answers: req.invokeAnswers, onPlaceholder: notePlaceholder });
            } catch (e) {
                if (e instanceof UnansweredInvokeError) {
                    noteUnanswered(e);
                }
                throw e;
            }
        },
        // Part of the Mocks interface; registerResource and readResource, its only callers, are overridden.
        newResource: (args) => {
            throw new Error(`unexpected MockMonitor.newResource call for ${args.type} ${args.name}`);
        },
    });
    pulumi.runtime.setMockOptions(monitor, req.project, req.stack, req.mode === "preview", req.organization);

    // An exception thrown on a later turn of the event loop (inside an apply) does not reject the
    // stack promise; the language host catches those process-wide, and so do we.
    let asyncError: unknown;
    const onAsync = (e: unknown): void => {
        asyncError = asyncError ?? e;
    };
    process.on("uncaughtException", onAsync);
    process.on("unhandledRejection", onAsync);

    const programOnly = (): RecordedResource[] => records.filter((r) => r.type !== ROOT_STACK_TYPE && !(r.type.startsWith(PROVIDER_PREFIX) && r.parent === undefined));
    const failure = (err: unknown): ChildReply => {
        const registered = programOnly();
        if (unanswered.size > 0) {
            const msgs = [...unanswered.values()].map((e) => e.message);
            return { ok: false, kind: RecordErrorKind.Invoke, message: msgs.join("\n"), registered };
        }
        const e = err instanceof Error ? err : new Error(String(err));
        const notInstalled = uninstalledImport(e, req.programDir);
        if (notInstalled !== undefined) {
            return { ok: false, kind: RecordErrorKind.Dependencies, message: installAdvice([notInstalled], req.programDir), registered };
        }
        // As run.js's uncaught handler: a RunError (e.g. a config validator's) is its message alone;
        // a compile or syntax error shows what precedes the message in its stack (its name) but no
        // frames; anything else shows the whole stack.
        const userMessage: boolean = e instanceof ProgramStartError || pulumi.RunError.isInstance(e);
        if (userMessage) {
            return { ok: false, kind: RecordErrorKind.Program, message: e.message, registered };
        }
        let detail = e.stack ?? e.message;
        if (e.name === "TSError" || e.name === SyntaxError.name) {
            const parts = detail.split(e.message);
            detail = parts.length === 2 ? parts[0] + e.message : e.message;
        }
        return { ok: false, kind: RecordErrorKind.Program, message: `Running program '${req.entry}' failed with an unhandled exception:\n${detail}`, registered };
    };

    let programError: unknown;
    try {
        if (req.typescript) {
            registerTypeScript(sdkRoot, req);
        }
        const run = pulumi.runtime.runInPulumiStack(async () => {
            const entry = req.entry === req.programDir ? req.entry + path.sep : req.entry;
            const exported = require(entry);
            return exported instanceof Function ? await exported() : exported;
        });
        await Promise.race([run, unansweredSettled]);
    } catch (e) {
        programError = e;
    }
    if (unanswered.size > 0) {
        return failure(programError);
    }
    // Registrations started before a failure still complete, so `registered` shows how far it got.
    await Promise.race([pulumi.runtime.disconnect(), new Promise((resolve) => setTimeout(resolve, DRAIN_TIMEOUT_MS))]);
    // Rejections of registrations surface as 'unhandledRejection' only after the microtask queue drains.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (programError !== undefined || asyncError !== undefined || unanswered.size > 0) {
        return failure(programError ?? asyncError);
    }
    if (sdkLog.hasErrors()) {
        return failure(new pulumi.RunError("the program logged errors with pulumi.log.error (see its output); `pulumi preview` fails in that case too"));
    }
    const root = records.find((r) => r.type === ROOT_STACK_TYPE);
    return { ok: true, resources: records, stackOutputs: root?.outputs ?? {}, placeholders: [...placeholders.values()] };
}

// The parent gave up (it was killed or aborted this recording): nothing is left to report to.
process.once("disconnect", () => process.exit(1));

process.once("message", (request: ChildRequest) => {
    main(request)
        .catch((e: unknown): ChildReply => ({
            ok: false, kind: RecordErrorKind.Program, message: `offline recording failed: ${e instanceof Error ? e.stack : String(e)}`, registered: [],
        }))
        .then((reply) => {
            process.send?.(reply, () => process.exit(0));
        });
});
