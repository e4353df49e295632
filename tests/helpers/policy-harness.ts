// Runs policies exactly the way @pulumi/policy's analyzer server runs them for the engine.
//
// Nothing about argument building is re-implemented here. We build the engine's protobuf requests
// (AnalyzeRequest / AnalyzeStackRequest with google.protobuf.Struct properties, resource options,
// parent, dependencies, property dependencies, provider) and hand them to the library's own RPC
// handlers (`makeAnalyzeRpcFun`, `makeAnalyzeStackRpcFun` from @pulumi/policy/server). The library
// therefore does the deserialisation (unknown sentinels, secret envelopes, assets), wraps props in
// `unknownCheckingProxy`, builds `getConfig`, `notApplicable`, `stackTags`, links parents and
// dependencies, catches `UnknownValueError` into advisory diagnostics, and turns any other
// exception into the gRPC error the engine would show as a crash.
//
// Config and stack tags live in @pulumi/policy's module state and are set by its `configure` and
// `configureStack` RPCs, which the library does not export. We obtain the real handlers by running
// the library's `serve()` once with gRPC's `addService` intercepted and no port bound. What the
// engine does before `Configure` (validate each policy's config against its schema and fill in
// top-level defaults) is done here with ajv, as the CLI does with its JSON-schema validator.

import Ajv, { ValidateFunction } from "ajv";
import { isDeepStrictEqual } from "util";
import * as grpc from "@grpc/grpc-js";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { EnforcementLevel, Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

// The pack's hook on the library's deserialiser, installed as when the pack loads (any policy's
// frame imports it too); the probes of the harness tests run under it like the pack's policies.
import "../../policy-pack/lib/deserialize";
import { providerUrn, toAnalyzerProperties } from "../../tools/analyze/properties";
import type { RecordedOptions, RecordedResource, RecordedStack } from "../../tools/record";

// Untyped internals of the libraries (their .d.ts files hide them).
/* eslint-disable @typescript-eslint/no-var-requires */
const analyzerproto: any = require("@pulumi/pulumi/proto/analyzer_pb");
const policyServer: {
    serve: (name: string, version: string, level: string, args: { policies: Policy[] }) => void;
    makeAnalyzeRpcFun: (name: string, version: string, level: string, policies: Policy[]) => RpcHandler;
    makeAnalyzeStackRpcFun: (name: string, version: string, level: string, policies: Policy[]) => RpcHandler;
} = require("@pulumi/policy/server");
const deserialize: { deserializeProperties: (struct: unknown, proxySecrets: boolean) => unknown } = require("@pulumi/policy/deserialize");
/* eslint-enable @typescript-eslint/no-var-requires */

type RpcHandler = (call: { request: unknown }, callback: (err: unknown, resp: any) => void) => void;

export const HARNESS_PACK_NAME = "trace-network-guardrails";
export const HARNESS_PACK_VERSION = "0.1.0";
/** The pack-level default (PolicyPack's own default when a policy sets no level). */
const PACK_LEVEL: EnforcementLevel = "advisory";

// ------------------------------------------------------------------------------------------------
// Inputs and results

/** The provider a resource was registered with, as the engine describes it to analyzers. */
export interface HarnessProvider {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
}

/**
 * A resource as the engine sends it: props in wire form (unknowns are sentinel strings, secrets the
 * SDK's secret envelope), references by URN.
 */
export interface HarnessResource {
    readonly type: string;
    readonly name: string;
    /** Defaults to a URN built from type and name in project "trace" / stack "dev". */
    readonly urn?: string;
    readonly props: Record<string, unknown>;
    readonly parent?: string;
    readonly dependencies?: readonly string[];
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
    readonly provider?: HarnessProvider;
    /** Resource options as the engine reports them (AnalyzerResourceOptions); all default to empty. */
    readonly options?: Partial<RecordedOptions>;
}

export interface RunOptions {
    /** The policy's config as in a `--policy-pack-config` file (without enforcementLevel). */
    readonly config?: Record<string, unknown>;
    /** Overrides the policy's level, as `"<policy>": "<level>"` in a config file does. */
    readonly enforcementLevel?: EnforcementLevel;
    readonly stackTags?: Readonly<Record<string, string>>;
    /** What `pulumi.getStack()` returns inside the policy (the CLI sets it for the pack process). */
    readonly stack?: string;
    /**
     * A whole `--policy-pack-config` file, keyed by policy name (each entry's enforcementLevel
     * included); a policy it names takes its entry instead of `config` and `enforcementLevel`.
     */
    readonly packConfig?: Readonly<Record<string, Record<string, unknown>>>;
}

export interface Diagnostic {
    readonly policyName: string;
    readonly enforcementLevel: EnforcementLevel;
    /** The full message as the engine receives it (the server prefixes the policy description). */
    readonly message: string;
    /** The policy's own text: the message without the description prefix. */
    readonly detail: string;
    readonly urn: string;
}

export interface NotApplicable {
    readonly policyName: string;
    readonly reason: string;
}

export interface PolicyResult {
    readonly diagnostics: Diagnostic[];
    readonly notApplicable: NotApplicable[];
}

// ------------------------------------------------------------------------------------------------
// The library's configure / configureStack handlers

interface ConfigHandlers {
    configure: RpcHandler;
    configureStack: RpcHandler;
}

let handlers: ConfigHandlers | undefined;

function configHandlers(): ConfigHandlers {
    if (handlers !== undefined) {
        return handlers;
    }
    const proto = grpc.Server.prototype as any;
    const addService = proto.addService;
    const bindAsync = proto.bindAsync;
    let captured: ConfigHandlers | undefined;
    proto.addService = function (_service: unknown, impl: ConfigHandlers) {
        captured = { configure: impl.configure, configureStack: impl.configureStack };
    };
    proto.bindAsync = function () {
        // No port: the handlers are called in-process.
    };
    try {
        policyServer.serve(`${HARNESS_PACK_NAME}-harness`, HARNESS_PACK_VERSION, PACK_LEVEL, { policies: [] });
    } finally {
        proto.addService = addService;
        proto.bindAsync = bindAsync;
    }
    if (captured === undefined) {
        throw new Error("@pulumi/policy's serve() no longer registers its handlers through grpc.Server.addService");
    }
    handlers = captured;
    return handlers;
}

// ------------------------------------------------------------------------------------------------
// google.protobuf.Struct in wire form

/**
 * A Struct's message array as google-protobuf holds it (field n at index n - 1): Value's oneof is
 * null_value 1, number_value 2, string_value 3, bool_value 4, struct_value 5, list_value 6; Struct's
 * map of fields and ListValue's values are field 1. The same message `Struct.fromJavaScript` builds
 * (tests/policy-pack/harness.test.ts compares their bytes), without its per-node wrapper objects,
 * which made building the request the larger part of a fuzz case.
 */
function valueArray(v: unknown): unknown[] {
    if (v === null) {
        return [structproto.NullValue.NULL_VALUE];
    }
    switch (typeof v) {
        case "number":
            return [undefined, v];
        case "string":
            return [undefined, undefined, v];
        case "boolean":
            return [undefined, undefined, undefined, v];
        case "object":
            return Array.isArray(v)
                ? [undefined, undefined, undefined, undefined, undefined, [v.map(valueArray)]]
                : [undefined, undefined, undefined, undefined, fieldsArray(v as Record<string, unknown>)];
        default:
            throw new Error(`Unexpected struct type: ${typeof v}`);
    }
}

function fieldsArray(obj: Record<string, unknown>): unknown[] {
    const entries: [string, unknown[]][] = [];
    for (const key in obj) {
        entries.push([key, valueArray(obj[key])]);
    }
    return [entries];
}

// google-protobuf's generated constructors take the message array; its typings leave the argument out.
const StructFromArray = structproto.Struct as unknown as new (data: unknown[]) => structproto.Struct;

/** `Struct.fromJavaScript(obj)`, built in one pass. */
export function toStruct(obj: Record<string, unknown>): structproto.Struct {
    return new StructFromArray(fieldsArray(obj));
}

function call(handler: RpcHandler, request: unknown): Promise<any> {
    return new Promise((resolve, reject) => {
        handler({ request }, (err, resp) => (err ? reject(err) : resolve(resp)));
    });
}

/** The property structs of an Analyze or AnalyzeStack request: each resource's and its provider's. */
function propertyStructs(request: any): any[] {
    const resources: any[] = typeof request.getResourcesList === "function" ? request.getResourcesList() : [request];
    return resources.flatMap((r) => [r.getProperties(), r.getProvider()?.getProperties()]).filter((s) => s !== undefined);
}

/**
 * Analyze/AnalyzeStack, then a check that no policy wrote into its props: the pack deserialises a
 * struct once and shares the result between policies (policy-pack/lib/deserialize.ts), which is
 * only sound while every policy treats its props as read-only.
 */
async function analyzeCall(handler: RpcHandler, request: any): Promise<any> {
    const resp = await call(handler, request);
    for (const struct of propertyStructs(request)) {
        const shared = deserialize.deserializeProperties(struct, false);
        if (shared !== deserialize.deserializeProperties(struct, false)) {
            throw new Error("the pack's hook on @pulumi/policy's deserializeProperties is not installed: policies ran without it");
        }
        // A wrapper of its own is a struct the pack's hook has not seen, so this deserialises afresh.
        const fresh = deserialize.deserializeProperties({ toJavaScript: () => struct.toJavaScript() }, false);
        if (!isDeepStrictEqual(shared, fresh)) {
            throw new Error(`a policy changed the props it was given: ${JSON.stringify(shared)} was deserialised as ${JSON.stringify(fresh)}`);
        }
    }
    return resp;
}

const LEVELS: Record<EnforcementLevel, number> = {
    advisory: analyzerproto.EnforcementLevel.ADVISORY,
    mandatory: analyzerproto.EnforcementLevel.MANDATORY,
    disabled: analyzerproto.EnforcementLevel.DISABLED,
    remediate: analyzerproto.EnforcementLevel.REMEDIATE,
};
const LEVEL_NAMES = new Map<number, EnforcementLevel>(Object.entries(LEVELS).map(([k, v]) => [v, k as EnforcementLevel]));

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false });
const validators = new WeakMap<Policy, ValidateFunction>();

/** The engine's side of config: validate against the policy's schema, fill in top-level defaults. */
export function engineConfig(policy: Policy, config: Record<string, unknown> = {}): Record<string, unknown> {
    const schema = policy.configSchema;
    if (schema === undefined) {
        return { ...config };
    }
    const withDefaults: Record<string, unknown> = { ...config };
    for (const [k, s] of Object.entries(schema.properties)) {
        if (withDefaults[k] === undefined && typeof s === "object" && s.default !== undefined) {
            withDefaults[k] = structuredClone(s.default);
        }
    }
    let validate = validators.get(policy);
    if (validate === undefined) {
        validate = ajv.compile({ type: "object", properties: schema.properties, required: schema.required ?? [] });
        validators.set(policy, validate);
    }
    if (!validate(withDefaults)) {
        const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
        throw new Error(`config for policy '${policy.name}' is invalid: ${problems.join("; ")}`);
    }
    return withDefaults;
}

async function configure(policies: readonly Policy[], opts: RunOptions): Promise<void> {
    const h = configHandlers();
    const req = new analyzerproto.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const p of policies) {
        const pc = new analyzerproto.PolicyConfig();
        const { enforcementLevel: fileLevel, ...fileConfig } = opts.packConfig?.[p.name] ?? {};
        const level = (fileLevel as EnforcementLevel | undefined) ?? opts.enforcementLevel ?? p.enforcementLevel ?? PACK_LEVEL;
        pc.setEnforcementlevel(LEVELS[level]);
        pc.setProperties(structproto.Struct.fromJavaScript(engineConfig(p, opts.packConfig?.[p.name] === undefined ? opts.config : fileConfig) as any));
        map.set(p.name, pc);
    }
    await call(h.configure, req);
    const sreq = new analyzerproto.AnalyzerStackConfigureRequest();
    const tags = sreq.getTagsMap();
    for (const [k, v] of Object.entries(opts.stackTags ?? {})) {
        tags.set(k, v);
    }
    await call(h.configureStack, sreq);
    // The SDK's own testing hook for the stack name (the CLI passes it in PULUMI_NODEJS_STACK).
    (pulumi.runtime as unknown as { _setStack(stack: string): void })._setStack(opts.stack ?? "dev");
}

// ------------------------------------------------------------------------------------------------
// Requests

export function urnOf(type: string, name: string, stack = "dev", project = "trace"): string {
    return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

function resourceUrn(r: HarnessResource): string {
    return r.urn ?? urnOf(r.type, r.name);
}

function options(r: HarnessResource): any {
    const o = new analyzerproto.AnalyzerResourceOptions();
    const opts = r.options ?? {};
    o.setProtect(opts.protect ?? false);
    o.setIgnorechangesList(opts.ignoreChanges ?? []);
    o.setAliasesList(opts.aliases ?? []);
    o.setAdditionalsecretoutputsList(opts.additionalSecretOutputs ?? []);
    if (opts.deleteBeforeReplace !== undefined) {
        o.setDeletebeforereplacedefined(true);
        o.setDeletebeforereplace(opts.deleteBeforeReplace);
    }
    if (opts.customTimeouts !== undefined) {
        const t = new analyzerproto.AnalyzerResourceOptions.CustomTimeouts();
        t.setCreate(opts.customTimeouts.create);
        t.setUpdate(opts.customTimeouts.update);
        t.setDelete(opts.customTimeouts.delete);
        o.setCustomtimeouts(t);
    }
    if (r.parent !== undefined) {
        o.setParent(r.parent);
    }
    return o;
}

function providerProto(p: HarnessProvider): any {
    const pr = new analyzerproto.AnalyzerProviderResource();
    pr.setUrn(p.urn);
    pr.setType(p.type);
    pr.setName(p.name);
    pr.setProperties(toStruct(p.props));
    return pr;
}

function analyzeRequest(r: HarnessResource): any {
    const req = new analyzerproto.AnalyzeRequest();
    req.setType(r.type);
    req.setName(r.name);
    req.setUrn(resourceUrn(r));
    req.setProperties(toStruct(r.props));
    req.setOptions(options(r));
    if (r.provider !== undefined) {
        req.setProvider(providerProto(r.provider));
    }
    return req;
}

function stackRequest(resources: readonly HarnessResource[]): any {
    const req = new analyzerproto.AnalyzeStackRequest();
    req.setResourcesList(
        resources.map((r) => {
            const ar = new analyzerproto.AnalyzerResource();
            ar.setType(r.type);
            ar.setName(r.name);
            ar.setUrn(resourceUrn(r));
            ar.setProperties(toStruct(r.props));
            ar.setOptions(options(r));
            if (r.parent !== undefined) {
                ar.setParent(r.parent);
            }
            ar.setDependenciesList([...(r.dependencies ?? [])]);
            const pd = ar.getPropertydependenciesMap();
            for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
                const deps = new analyzerproto.AnalyzerPropertyDependencies();
                deps.setUrnsList([...urns]);
                pd.set(k, deps);
            }
            if (r.provider !== undefined) {
                ar.setProvider(providerProto(r.provider));
            }
            return ar;
        }),
    );
    return req;
}

function decode(resp: any, description: Map<string, string>): PolicyResult {
    const diagnostics: Diagnostic[] = resp.getDiagnosticsList().map((d: any): Diagnostic => {
        const message: string = d.getMessage();
        const prefix = `${description.get(d.getPolicyname()) ?? ""}\n`;
        return {
            policyName: d.getPolicyname(),
            enforcementLevel: LEVEL_NAMES.get(d.getEnforcementlevel()) ?? "advisory",
            message,
            detail: message.startsWith(prefix) ? message.slice(prefix.length) : message,
            urn: d.getUrn(),
        };
    });
    const notApplicable: NotApplicable[] = resp
        .getNotApplicableList()
        .map((n: any): NotApplicable => ({ policyName: n.getPolicyName(), reason: n.getReason() }));
    return { diagnostics, notApplicable };
}

// ------------------------------------------------------------------------------------------------
// Running policies

/** Runs resource policies on one resource, as the engine's `Analyze` call does. */
export async function runResourcePolicies(
    policies: readonly ResourceValidationPolicy[],
    resource: HarnessResource,
    opts: RunOptions = {},
): Promise<PolicyResult> {
    await configure(policies, opts);
    const fn = policyServer.makeAnalyzeRpcFun(HARNESS_PACK_NAME, HARNESS_PACK_VERSION, PACK_LEVEL, [...policies]);
    const resp = await analyzeCall(fn, analyzeRequest(resource));
    return decode(resp, new Map(policies.map((p) => [p.name, p.description])));
}

export function runResourcePolicy(policy: ResourceValidationPolicy, resource: HarnessResource, opts: RunOptions = {}): Promise<PolicyResult> {
    return runResourcePolicies([policy], resource, opts);
}

/**
 * Configures once and returns a runner for many resources (the engine, too, configures once per
 * preview). Valid until the next configure: do not interleave runners with other runs.
 */
export async function resourcePolicyRunner(policy: ResourceValidationPolicy, opts: RunOptions = {}): Promise<(r: HarnessResource) => Promise<PolicyResult>> {
    await configure([policy], opts);
    const fn = policyServer.makeAnalyzeRpcFun(HARNESS_PACK_NAME, HARNESS_PACK_VERSION, PACK_LEVEL, [policy]);
    const descriptions = new Map([[policy.name, policy.description]]);
    return async (r) => decode(await analyzeCall(fn, analyzeRequest(r)), descriptions);
}

/** Runs stack policies on a list of resources, as the engine's `AnalyzeStack` call does. */
export async function runStackPolicies(
    policies: readonly StackValidationPolicy[],
    resources: readonly HarnessResource[],
    opts: RunOptions = {},
): Promise<PolicyResult> {
    await configure(policies, opts);
    const fn = policyServer.makeAnalyzeStackRpcFun(HARNESS_PACK_NAME, HARNESS_PACK_VERSION, PACK_LEVEL, [...policies]);
    const resp = await analyzeCall(fn, stackRequest(resources));
    return decode(resp, new Map(policies.map((p) => [p.name, p.description])));
}

export function runStackPolicy(policy: StackValidationPolicy, resources: readonly HarnessResource[], opts: RunOptions = {}): Promise<PolicyResult> {
    return runStackPolicies([policy], resources, opts);
}

/** Like `resourcePolicyRunner`, for a stack policy. */
export async function stackPolicyRunner(policy: StackValidationPolicy, opts: RunOptions = {}): Promise<(rs: readonly HarnessResource[]) => Promise<PolicyResult>> {
    await configure([policy], opts);
    const fn = policyServer.makeAnalyzeStackRpcFun(HARNESS_PACK_NAME, HARNESS_PACK_VERSION, PACK_LEVEL, [policy]);
    const descriptions = new Map([[policy.name, policy.description]]);
    return async (rs) => decode(await analyzeCall(fn, stackRequest(rs)), descriptions);
}

export function isStackPolicy(p: Policy): p is StackValidationPolicy {
    return typeof (p as StackValidationPolicy).validateStack === "function";
}

export function isResourcePolicy(p: Policy): p is ResourceValidationPolicy {
    return (p as ResourceValidationPolicy).validateResource !== undefined;
}

/**
 * Runs a whole pack on a stack the way a preview does: `Analyze` for every resource (inputs), then
 * `AnalyzeStack` once (outputs). Diagnostics of both phases, in that order.
 */
export async function runPack(
    policies: readonly Policy[],
    stack: { inputs: readonly HarnessResource[]; outputs: readonly HarnessResource[] },
    opts: RunOptions = {},
): Promise<PolicyResult> {
    const resourcePolicies = policies.filter(isResourcePolicy);
    const stackPolicies = policies.filter(isStackPolicy);
    const diagnostics: Diagnostic[] = [];
    const notApplicable: NotApplicable[] = [];
    for (const r of stack.inputs) {
        const res = await runResourcePolicies(resourcePolicies, r, opts);
        // The engine attributes a resource policy's diagnostics to the resource it analysed.
        diagnostics.push(...res.diagnostics.map((d) => (d.urn === "" ? { ...d, urn: resourceUrn(r) } : d)));
        notApplicable.push(...res.notApplicable);
    }
    const res = await runStackPolicies(stackPolicies, stack.outputs, opts);
    diagnostics.push(...res.diagnostics);
    notApplicable.push(...res.notApplicable);
    return { diagnostics, notApplicable };
}

// ------------------------------------------------------------------------------------------------
// RecordedStack (tools/record/protocol.ts) -> harness resources

/**
 * The engine sends analyzers the inputs per resource (`Analyze`) and the outputs for the whole
 * stack (`AnalyzeStack`); provider references ("<urn>::<id>") become the provider resource itself.
 */
export function fromRecordedStack(stack: RecordedStack): { inputs: HarnessResource[]; outputs: HarnessResource[] } {
    const byUrn = new Map<string, RecordedResource>(stack.resources.map((r) => [r.urn, r]));
    const providerOf = (r: RecordedResource): HarnessProvider | undefined => {
        if (r.provider === undefined) {
            return undefined;
        }
        const p = byUrn.get(providerUrn(r.provider));
        return p === undefined ? undefined : { urn: p.urn, type: p.type, name: p.name, props: toAnalyzerProperties(p.inputs) };
    };
    const convert = (r: RecordedResource, props: Record<string, unknown>): HarnessResource => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: toAnalyzerProperties(props),
        parent: r.parent,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
        provider: providerOf(r),
        options: r.options,
    });
    return {
        inputs: stack.resources.map((r) => convert(r, r.inputs)),
        outputs: stack.resources.map((r) => convert(r, r.outputs)),
    };
}

// ------------------------------------------------------------------------------------------------
// Wire-form builders for tests

/** The SDK's secret envelope, as the engine sends a secret value. */
export function secret(value: unknown): Record<string, unknown> {
    return { [specialSigKey]: specialSecretSig, value };
}
