// Serves a policy pack the way the Pulumi engine does and talks to it over the AnalyzerService.
//
// The engine (sdk/go/common/resource/plugin/analyzer_plugin.go) starts the `pulumi-analyzer-policy`
// shim in the pack directory, which runs `node <pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack
// <engine-address> .`; the stack's project, stack, organization, dry-run flag and config reach the
// pack through PULUMI_NODEJS_* / PULUMI_* / PULUMI_CONFIG, which is what `pulumi.getStack()` and
// `new pulumi.Config()` read inside a pack. The server prints its port on stdout.
import * as grpc from "@grpc/grpc-js";
import { ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct, JavaScriptValue } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import {
    EnforcementLevel, PolicyConfigEntry, PolicyConfigError, PolicyConfigSchema, PolicyInfo, reconcilePolicyConfig, ResolvedPolicyConfig, UnknownConfigNamesError,
} from "./policy-config";
import { providerUrn, toAnalyzerProperties } from "./properties";
import { stripAnsi } from "../shared/ansi";
import { cleanEnv, spawnTracked } from "../shared/children";
import type { StackContext } from "../project";
import { RecordedResource } from "../record";

export enum AnalyzerErrorKind {
    PackLoad = "pack-load",
    Analyze = "analyze",
}

export class AnalyzerError extends Error {
    constructor(readonly kind: AnalyzerErrorKind, message: string) {
        super(message);
        this.name = "AnalyzerError";
    }
}

export interface PackInfo {
    name: string;
    version: string;
    displayName: string;
    /** The plugin's version (GetPluginInfo): the @pulumi/policy version serving the pack. */
    pluginVersion: string;
    policies: PolicyInfo[];
    initialConfig: Record<string, PolicyConfigEntry>;
}

export interface Diagnostic {
    policyPack: string;
    policyPackVersion: string;
    policy: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    /** Empty when a stack policy reported without naming a resource. */
    urn: string;
    message: string;
}

const PORT_TIMEOUT_MS = 180_000;
const ENGINE_ADDRESS_PLACEHOLDER = "127.0.0.1:0";
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

const LEVEL_FROM_PROTO: Record<number, EnforcementLevel> = {
    [analyzerPb.EnforcementLevel.ADVISORY]: EnforcementLevel.Advisory,
    [analyzerPb.EnforcementLevel.MANDATORY]: EnforcementLevel.Mandatory,
    [analyzerPb.EnforcementLevel.DISABLED]: EnforcementLevel.Disabled,
    [analyzerPb.EnforcementLevel.REMEDIATE]: EnforcementLevel.Remediate,
};
const LEVEL_TO_PROTO: Record<EnforcementLevel, analyzerPb.EnforcementLevel> = {
    [EnforcementLevel.Advisory]: analyzerPb.EnforcementLevel.ADVISORY,
    [EnforcementLevel.Mandatory]: analyzerPb.EnforcementLevel.MANDATORY,
    [EnforcementLevel.Disabled]: analyzerPb.EnforcementLevel.DISABLED,
    [EnforcementLevel.Remediate]: analyzerPb.EnforcementLevel.REMEDIATE,
};

function unary<Req, Res>(
    call: (req: Req, md: grpc.Metadata, opts: Partial<grpc.CallOptions>, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
    req: Req,
): Promise<Res> {
    return new Promise((resolve, reject) => {
        call(req, new grpc.Metadata(), {}, (err, res) => (err ? reject(err) : resolve(res)));
    });
}

function struct(props: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(props as Record<string, JavaScriptValue>);
}

function resourceOptions(r: RecordedResource): analyzerPb.AnalyzerResourceOptions {
    const o = new analyzerPb.AnalyzerResourceOptions();
    o.setProtect(r.options.protect);
    o.setIgnorechangesList(r.options.ignoreChanges);
    o.setDeletebeforereplace(r.options.deleteBeforeReplace ?? false);
    o.setDeletebeforereplacedefined(r.options.deleteBeforeReplace !== undefined);
    o.setAdditionalsecretoutputsList(r.options.additionalSecretOutputs);
    o.setAliasesList(r.options.aliases);
    const t = new analyzerPb.AnalyzerResourceOptions.CustomTimeouts();
    t.setCreate(r.options.customTimeouts.create);
    t.setUpdate(r.options.customTimeouts.update);
    t.setDelete(r.options.customTimeouts.delete);
    o.setCustomtimeouts(t);
    o.setParent(r.parent ?? "");
    return o;
}

function providerResource(r: RecordedResource, byUrn: Map<string, RecordedResource>): analyzerPb.AnalyzerProviderResource | undefined {
    const p = r.provider === undefined ? undefined : byUrn.get(providerUrn(r.provider));
    if (p === undefined) {
        return undefined;
    }
    const pr = new analyzerPb.AnalyzerProviderResource();
    pr.setUrn(p.urn);
    pr.setType(p.type);
    pr.setName(p.name);
    pr.setProperties(struct(toAnalyzerProperties(p.inputs)));
    return pr;
}

interface PolicyProject {
    version?: string;
    options: Record<string, unknown>;
}

function readPolicyProject(packDir: string): PolicyProject {
    const file = path.join(packDir, "PulumiPolicy.yaml");
    if (!fs.existsSync(file)) {
        throw new AnalyzerError(AnalyzerErrorKind.PackLoad, `failed to load the policy pack at ${packDir}: it has no PulumiPolicy.yaml (--policy-pack must name a policy pack directory)`);
    }
    let doc: Record<string, unknown>;
    try {
        doc = (YAML.parse(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
    } catch (e) {
        throw new AnalyzerError(AnalyzerErrorKind.PackLoad, `failed to load the policy pack at ${packDir}: ${file} is not valid YAML: ${(e as Error).message}`);
    }
    const runtime = doc.runtime;
    const name = typeof runtime === "string" ? runtime : (runtime as { name?: unknown } | undefined)?.name;
    if (name !== "nodejs") {
        throw new AnalyzerError(AnalyzerErrorKind.PackLoad, `failed to load the policy pack at ${packDir}: runtime ${JSON.stringify(runtime)} is not supported offline (only nodejs packs)`);
    }
    const options = typeof runtime === "object" && runtime !== null ? ((runtime as { options?: Record<string, unknown> }).options ?? {}) : {};
    return { version: typeof doc.version === "string" ? doc.version : undefined, options };
}

// The engine's first call; @pulumi/policy does not implement it yet, which the engine accepts.
async function handshake(client: analyzerGrpc.AnalyzerClient, packDir: string): Promise<void> {
    const req = new analyzerPb.AnalyzerHandshakeRequest();
    req.setEngineAddress(ENGINE_ADDRESS_PLACEHOLDER);
    req.setRootDirectory(packDir);
    req.setProgramDirectory(packDir);
    try {
        await unary(client.handshake.bind(client), req);
    } catch (e) {
        if ((e as grpc.ServiceError).code !== grpc.status.UNIMPLEMENTED) {
            throw e;
        }
    }
}

/** One running policy pack: an analyzer plugin process and its gRPC client. */
export class PolicyPackServer {
    private resolved: Record<string, ResolvedPolicyConfig> | undefined;

    private constructor(
        readonly packDir: string,
        readonly info: PackInfo,
        private readonly process: ChildProcess,
        private readonly client: analyzerGrpc.AnalyzerClient,
        private readonly stderr: () => string,
    ) {}

    /** The policies as GetAnalyzerInfo declared them, before any config; `info.policies` holds the effective levels. */
    private declaredPolicies?: PolicyInfo[];

    /** Starts the pack with the stack's context in its environment, then Handshake, GetAnalyzerInfo, GetPluginInfo and ConfigureStack. */
    static async start(packDir: string, ctx: StackContext, signal?: AbortSignal): Promise<PolicyPackServer> {
        const dir = path.resolve(packDir);
        const project = readPolicyProject(dir);
        let runPolicyPack: string;
        try {
            runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
        } catch {
            throw new AnalyzerError(
                AnalyzerErrorKind.PackLoad,
                `failed to load the policy pack at ${dir}: @pulumi/pulumi/cmd/run-policy-pack cannot be resolved from it; it looks like the pack's dependencies are not installed (run npm install in ${dir})`,
            );
        }
        const args = [runPolicyPack, ENGINE_ADDRESS_PLACEHOLDER, "."];
        for (const [k, v] of Object.entries(project.options)) {
            if (v !== undefined && v !== null && String(v) !== "") {
                args.push(`-${k}=${String(v)}`);
            }
        }
        // A TS_NODE_* setting inherited from a caller running under ts-node must not reach the pack,
        // which run-policy-pack compiles with its own tsconfig like the CLI does.
        const env = cleanEnv({
            PULUMI_CONFIG: JSON.stringify(ctx.config),
            PULUMI_NODEJS_ORGANIZATION: ctx.organization,
            PULUMI_NODEJS_PROJECT: ctx.project,
            PULUMI_NODEJS_STACK: ctx.stack,
            PULUMI_NODEJS_DRY_RUN: String(ctx.dryRun),
            PULUMI_ORGANIZATION: ctx.organization,
            PULUMI_PROJECT: ctx.project,
            PULUMI_STACK: ctx.stack,
            PULUMI_DRY_RUN: String(ctx.dryRun),
        });
        signal?.throwIfAborted();
        // An analyzer serves until killed: it is tracked so that it never outlives the tool.
        const child = spawnTracked(process.execPath, args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
        const onAbort = (): void => {
            child.kill("SIGKILL");
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        let stderr = "";
        child.stderr?.on("data", (b: Buffer) => {
            stderr += b.toString("utf8");
        });
        const port = await new Promise<number>((resolve, reject) => {
            let stdout = "";
            const fail = (why: string): void => {
                clearTimeout(timer);
                child.kill("SIGKILL");
                const output = stripAnsi(stderr + stdout).trim();
                reject(new AnalyzerError(AnalyzerErrorKind.PackLoad, `policy pack ${dir} failed to start: ${why}${output === "" ? "" : `; its output:\n${output}`}`));
            };
            const timer = setTimeout(() => fail(`it printed no port within ${PORT_TIMEOUT_MS / 1000} s`), PORT_TIMEOUT_MS);
            child.stdout?.on("data", (b: Buffer) => {
                stdout += b.toString("utf8");
                const firstLine = stdout.split("\n")[0];
                if (stdout.includes("\n")) {
                    const p = Number(firstLine.trim());
                    if (Number.isInteger(p) && p > 0) {
                        clearTimeout(timer);
                        child.removeAllListeners("exit");
                        resolve(p);
                    } else {
                        fail(`its first line on stdout should be the port, got ${JSON.stringify(firstLine)}`);
                    }
                }
            });
            child.on("exit", (code, sig) => fail(signal?.aborted === true ? "another part of the preview failed first" : `the process exited with ${sig ?? `code ${code}`} before serving`));
            child.on("error", (e) => fail(e.message));
        });
        const client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
            "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
        });
        try {
            await handshake(client, dir);
            const info = await unary(client.getAnalyzerInfo.bind(client), new Empty());
            const plugin = await unary(client.getPluginInfo.bind(client), new Empty());
            const policies: PolicyInfo[] = info.getPoliciesList().map((p) => {
                const schema = p.getConfigschema();
                const configSchema: PolicyConfigSchema | undefined = schema === undefined
                    ? undefined
                    : { properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>, required: schema.getRequiredList() };
                return { name: p.getName(), description: p.getDescription(), enforcementLevel: LEVEL_FROM_PROTO[p.getEnforcementlevel()], configSchema };
            });
            const initialConfig: Record<string, PolicyConfigEntry> = {};
            info.getInitialconfigMap().forEach((c, k) => {
                initialConfig[k] = {
                    enforcementLevel: LEVEL_FROM_PROTO[c.getEnforcementlevel()],
                    properties: (c.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
                };
            });
            const server = new PolicyPackServer(dir, {
                name: info.getName(),
                // As the CLI does, PulumiPolicy.yaml's version wins over the one the pack reports.
                version: project.version ?? info.getVersion(),
                displayName: info.getDisplayname(),
                pluginVersion: plugin.getVersion(),
                policies,
                initialConfig,
            }, child, client, () => stderr);
            await server.configureStack(ctx);
            signal?.removeEventListener("abort", onAbort);
            return server;
        } catch (e) {
            client.close();
            child.kill("SIGKILL");
            throw e instanceof AnalyzerError ? e : new AnalyzerError(AnalyzerErrorKind.PackLoad, `policy pack ${dir} started but did not answer: ${(e as Error).message}\n${stderr.trim()}`);
        }
    }

    private async configureStack(ctx: StackContext): Promise<void> {
        const req = new analyzerPb.AnalyzerStackConfigureRequest();
        req.setStack(ctx.stack);
        req.setProject(ctx.project);
        req.setOrganization(ctx.organization);
        req.setDryRun(ctx.dryRun);
        req.setConfigSecretKeysList(ctx.secretKeys);
        for (const [k, v] of Object.entries(ctx.config)) {
            req.getConfigMap().set(k, v);
        }
        for (const [k, v] of Object.entries(ctx.tags)) {
            req.getTagsMap().set(k, v);
        }
        await unary(this.client.configureStack.bind(this.client), req);
    }

    /**
     * Validates the --policy-pack-config entries against the policies' schemas and sends the result
     * with Configure. Returns the effective config per policy.
     */
    async configure(given: Record<string, PolicyConfigEntry>): Promise<Record<string, ResolvedPolicyConfig>> {
        this.declaredPolicies ??= this.info.policies.map((p) => ({ ...p }));
        let resolved: Record<string, ResolvedPolicyConfig>;
        let unknownNames: UnknownConfigNamesError | undefined;
        try {
            resolved = reconcilePolicyConfig(this.info.name, this.info.version, this.declaredPolicies, this.info.initialConfig, given);
        } catch (e) {
            if (!(e instanceof UnknownConfigNamesError)) {
                throw e;
            }
            // The engine would configure the pack with this config: let the pack name every problem it
            // sees in one run (this pack suggests the nearest key itself); if it accepts, name ours.
            unknownNames = e;
            resolved = e.resolved;
        }
        // Reports state the levels in force (the pack's own, as the config overrides them).
        this.info.policies = this.declaredPolicies.map((p) => ({ ...p, enforcementLevel: resolved[p.name].enforcementLevel }));
        try {
            await this.sendConfigure(resolved);
        } catch (e) {
            throw e instanceof PolicyConfigError && unknownNames !== undefined ? new PolicyConfigError([...e.lines, ...unknownNames.unknownPolicies]) : e;
        }
        if (unknownNames !== undefined) {
            throw unknownNames;
        }
        this.resolved = resolved;
        return resolved;
    }

    private async sendConfigure(resolved: Record<string, ResolvedPolicyConfig>): Promise<void> {
        const req = new analyzerPb.ConfigureAnalyzerRequest();
        for (const [name, c] of Object.entries(resolved)) {
            const pc = new analyzerPb.PolicyConfig();
            pc.setEnforcementlevel(LEVEL_TO_PROTO[c.enforcementLevel]);
            pc.setProperties(struct(c.properties));
            req.getPolicyconfigMap().set(name, pc);
        }
        try {
            await unary(this.client.configure.bind(this.client), req);
        } catch (e) {
            // The engine's wording for a pack that rejects its config (pkg/engine/update.go).
            const detail = (e as grpc.ServiceError).details ?? (e as Error).message;
            throw new PolicyConfigError(`configuring policy pack "${this.info.name}" at "${this.packDir}": ${detail}`);
        }
    }

    /** The effective config per policy sent at Configure. */
    get config(): Record<string, ResolvedPolicyConfig> {
        if (this.resolved === undefined) {
            throw new Error(`policy pack ${this.info.name} has not been configured yet`);
        }
        return this.resolved;
    }

    private diagnostics(resp: analyzerPb.AnalyzeResponse): Diagnostic[] {
        return resp.getDiagnosticsList().map((d) => ({
            policyPack: d.getPolicypackname(),
            policyPackVersion: this.info.version,
            policy: d.getPolicyname(),
            description: d.getDescription(),
            enforcementLevel: LEVEL_FROM_PROTO[d.getEnforcementlevel()],
            urn: d.getUrn(),
            message: d.getMessage(),
        }));
    }

    private analyzeFailure(what: string, e: unknown): AnalyzerError {
        const detail = (e as grpc.ServiceError).details ?? (e as Error).message;
        return new AnalyzerError(AnalyzerErrorKind.Analyze, `policy pack ${this.info.name} failed while analyzing ${what}: ${detail}`);
    }

    /** Analyze for one resource: its inputs, options and provider, unknowns kept as the sentinel. */
    async analyze(r: RecordedResource, byUrn: Map<string, RecordedResource>): Promise<Diagnostic[]> {
        const req = new analyzerPb.AnalyzeRequest();
        req.setUrn(r.urn);
        req.setType(r.type);
        req.setName(r.name);
        req.setProperties(struct(toAnalyzerProperties(r.inputs)));
        req.setOptions(resourceOptions(r));
        const provider = providerResource(r, byUrn);
        if (provider !== undefined) {
            req.setProvider(provider);
        }
        try {
            // The engine files every diagnostic of an Analyze call under the resource analyzed,
            // whatever URN the policy passed to reportViolation.
            return this.diagnostics(await unary(this.client.analyze.bind(this.client), req)).map((d) => ({ ...d, urn: r.urn }));
        } catch (e) {
            throw this.analyzeFailure(r.urn, e);
        }
    }

    /** AnalyzeStack with every resource, its outputs, parent, dependencies and property dependencies. */
    async analyzeStack(resources: RecordedResource[], byUrn: Map<string, RecordedResource>): Promise<Diagnostic[]> {
        const req = new analyzerPb.AnalyzeStackRequest();
        req.setResourcesList(resources.map((r) => {
            const ar = new analyzerPb.AnalyzerResource();
            ar.setUrn(r.urn);
            ar.setType(r.type);
            ar.setName(r.name);
            ar.setProperties(struct(toAnalyzerProperties(r.outputs)));
            ar.setOptions(resourceOptions(r));
            const provider = providerResource(r, byUrn);
            if (provider !== undefined) {
                ar.setProvider(provider);
            }
            ar.setParent(r.parent ?? "");
            ar.setDependenciesList(r.dependencies);
            for (const [k, urns] of Object.entries(r.propertyDependencies)) {
                if (urns.length > 0) {
                    const pd = new analyzerPb.AnalyzerPropertyDependencies();
                    pd.setUrnsList(urns);
                    ar.getPropertydependenciesMap().set(k, pd);
                }
            }
            return ar;
        }));
        try {
            return this.diagnostics(await unary(this.client.analyzeStack.bind(this.client), req));
        } catch (e) {
            throw this.analyzeFailure("the stack", e);
        }
    }

    /** What the pack printed on stderr so far (its console.error / pulumi.log output). */
    output(): string {
        return stripAnsi(this.stderr());
    }

    close(): void {
        this.client.close();
        this.process.kill();
    }
}
