// Child process of recorder.ts: one program run under a recording mock monitor, then one IPC reply.
// It does what the Node language host (@pulumi/pulumi/cmd/run) does — config in the environment, the
// program's own @pulumi/pulumi, the entry required inside runInPulumiStack — with the engine replaced
// by a MockMonitor subclass that keeps every registration.
import * as crypto from "crypto";
import * as path from "path";
import type * as PulumiModule from "@pulumi/pulumi";
import type * as MocksModule from "@pulumi/pulumi/runtime/mocks";
import type * as ResourceProto from "@pulumi/pulumi/proto/resource_pb";
import type * as SourceProto from "@pulumi/pulumi/proto/source_pb";
import type * as StructProto from "google-protobuf/google/protobuf/struct_pb";
import { ACCOUNT_ID, answerInvoke, DEFAULT_REGION, UnansweredInvokeError } from "./invokes";
import { ChildReply, ChildRequest, RecordedOptions, RecordedResource, RecordErrorKind, SourcePosition } from "./record-protocol";

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
const PROVIDER_PREFIX = "pulumi:providers:";
const DRAIN_TIMEOUT_MS = 10_000;

type Callback = (err: unknown, response?: unknown) => void;

function shortHash(text: string, length: number): string {
    return crypto.createHash("sha256").update(text).digest("hex").slice(0, length);
}

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

// The field stays off the record when the SDK sent no position, so recordings compare equal whatever the SDK version.
function optionalSourcePosition(pos: SourceProto.SourcePosition | undefined): { sourcePosition?: SourcePosition } {
    return pos === undefined || pos.getUri() === "" ? {} : { sourcePosition: { uri: pos.getUri(), line: pos.getLine(), column: pos.getColumn() } };
}

function toJson(s: StructProto.Struct | undefined): Record<string, unknown> {
    return (s?.toJavaScript() ?? {}) as Record<string, unknown>;
}

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

    const region = req.region ?? DEFAULT_REGION;
    const plan = req.mode === "plan";
    const records: RecordedResource[] = [];
    const byUrn = new Map<string, RecordedResource>();
    const defaultProviders = new Map<string, string>();
    const unanswered = new Map<string, UnansweredInvokeError>();

    const record = (r: RecordedResource): void => {
        records.push(r);
        byUrn.set(r.urn, r);
    };

    const makeUrn = (parent: string, type: string, name: string): string => {
        let qualified = type;
        if (parent !== "") {
            const parentType = parent.split("::")[2].split("$").pop();
            qualified = `${parentType}$${type}`;
        }
        return `urn:pulumi:${req.stack}::${req.project}::${qualified}::${name}`;
    };

    const emptyOptions = (): RecordedOptions => ({
        protect: false, ignoreChanges: [], additionalSecretOutputs: [], aliases: [], customTimeouts: { create: 0, update: 0, delete: 0 },
    });

    // The engine, not the SDK, creates a default provider per package and version the first time a
    // resource needs one; its config is the stack's "<package>:*" keys.
    const defaultProviderRef = (type: string, version: string): string => {
        const pkg = type.split(":")[0];
        const key = `${pkg}@${version}`;
        const known = defaultProviders.get(key);
        if (known !== undefined) {
            return known;
        }
        const name = version === "" ? "default" : `default_${version.replace(/[.+-]/g, "_")}`;
        const providerType = PROVIDER_PREFIX + pkg;
        const urn = makeUrn("", providerType, name);
        const inputs: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(req.config)) {
            if (k.startsWith(pkg + ":")) {
                inputs[k.slice(pkg.length + 1)] = v;
            }
        }
        if (version !== "") {
            inputs.version = version;
        }
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
        return {
            id,
            outputs: {
                ...inputs, id, ...(arn !== undefined ? { arn } : {}), ...autoName(type, name, urn, inputs), ...companionIds(type, urn), ...(req.resourceOutputs[type] ?? {}),
            },
        };
    };

    class RecordingMonitor extends MockMonitor {
        async registerResource(request: ResourceProto.RegisterResourceRequest, callback: Callback): Promise<void> {
            try {
                const type = request.getType();
                const name = request.getName();
                const parent = request.getParent();
                const custom = request.getCustom();
                const urn = makeUrn(parent, type, name);
                const inputs = toJson(request.getObject());
                let provider = request.getProvider();
                if (custom && provider === "" && !type.startsWith(PROVIDER_PREFIX) && !type.startsWith("pulumi:pulumi:")) {
                    provider = defaultProviderRef(type, request.getVersion());
                }
                const { id, outputs } = outputsFor(type, custom, urn, name, inputs);
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
                    outputs,
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
                return answerInvoke(args.token, args.inputs as Record<string, unknown>, { region: req.region, answers: req.invokeAnswers });
            } catch (e) {
                if (e instanceof UnansweredInvokeError) {
                    unanswered.set(e.token, e);
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
        // RunErrors (e.g. a missing required config key) are user-facing messages; the CLI hides their stack.
        const detail = pulumi.RunError.isInstance(e) ? e.message : (e as Error).stack ?? (e as Error).message;
        return { ok: false, kind: RecordErrorKind.Program, message: `Running program '${req.entry}' failed with an unhandled exception:\n${detail}`, registered };
    };

    let programError: unknown;
    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            const entry = req.entry === req.programDir ? req.entry + path.sep : req.entry;
            const exported = require(entry);
            return exported instanceof Function ? await exported() : exported;
        });
    } catch (e) {
        programError = e;
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
    return { ok: true, resources: records, stackOutputs: root?.outputs ?? {} };
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
