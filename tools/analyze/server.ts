// Serves a policy pack the way the Pulumi engine does and talks to it over the AnalyzerService: the
// steps are the pack's start (launch.ts), its configuration, Analyze per resource, AnalyzeStack and
// its stop; messages.ts builds the engine's requests and reads the pack's answers.
import * as grpc from "@grpc/grpc-js";
import { ChildProcess } from "child_process";
import * as path from "path";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { AnalyzerError, AnalyzerErrorKind } from "./errors";
import { ENGINE_ADDRESS_PLACEHOLDER, launchPack, readPolicyProject } from "./launch";
import {
    analyzeRequest, analyzeStackRequest, configureRequest, Diagnostic, diagnostics, handshakeRequest, PackInfo, packInfo, stackConfigureRequest,
} from "./messages";
import { PolicyConfigEntry, PolicyConfigError, PolicyInfo, reconcilePolicyConfig, ResolvedPolicyConfig, UnknownConfigNamesError } from "./policy-config";
import type { StackContext } from "../project";
import { RecordedResource } from "../record";

export { AnalyzerError, AnalyzerErrorKind } from "./errors";
export type { Diagnostic, PackInfo } from "./messages";

const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

function unary<Req, Res>(
    call: (req: Req, md: grpc.Metadata, opts: Partial<grpc.CallOptions>, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
    req: Req,
): Promise<Res> {
    return new Promise((resolve, reject) => {
        call(req, new grpc.Metadata(), {}, (err, res) => (err ? reject(err) : resolve(res)));
    });
}

function connect(port: number): analyzerGrpc.AnalyzerClient {
    return new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
        "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    });
}

// The engine's first call; @pulumi/policy does not implement it yet, which the engine accepts.
async function handshake(client: analyzerGrpc.AnalyzerClient, packDir: string): Promise<void> {
    const req = handshakeRequest(ENGINE_ADDRESS_PLACEHOLDER, packDir);
    try {
        await unary(client.handshake.bind(client), req);
    } catch (e) {
        if ((e as grpc.ServiceError).code !== grpc.status.UNIMPLEMENTED) {
            throw e;
        }
    }
}

/** Handshake, GetAnalyzerInfo and GetPluginInfo, in the engine's order. */
async function greet(client: analyzerGrpc.AnalyzerClient, packDir: string, projectVersion: string | undefined): Promise<PackInfo> {
    await handshake(client, packDir);
    const info = await unary(client.getAnalyzerInfo.bind(client), new Empty());
    const plugin = await unary(client.getPluginInfo.bind(client), new Empty());
    return packInfo(info, plugin, projectVersion);
}

/** One running policy pack: an analyzer plugin process and its gRPC client. */
export class PolicyPackServer {
    private resolved: Record<string, ResolvedPolicyConfig> | undefined;

    private constructor(
        readonly packDir: string,
        readonly info: PackInfo,
        private readonly process: ChildProcess,
        private readonly client: analyzerGrpc.AnalyzerClient,
    ) {}

    /** The policies as GetAnalyzerInfo declared them, before any config; `info.policies` holds the effective levels. */
    private declaredPolicies?: PolicyInfo[];

    /** The pack's own process, whose CPU time the analyzer bench reads. */
    get pid(): number | undefined {
        return this.process.pid;
    }

    /** Starts the pack with the stack's context in its environment, then Handshake, GetAnalyzerInfo, GetPluginInfo and ConfigureStack. */
    static async start(packDir: string, ctx: StackContext, signal?: AbortSignal): Promise<PolicyPackServer> {
        const dir = path.resolve(packDir);
        const project = readPolicyProject(dir);
        const pack = await launchPack(dir, project.options, ctx, signal);
        const client = connect(pack.port);
        try {
            const server = new PolicyPackServer(dir, await greet(client, dir, project.version), pack.child, client);
            await server.configureStack(ctx);
            pack.releaseAbort();
            return server;
        } catch (e) {
            client.close();
            pack.child.kill("SIGKILL");
            throw e instanceof AnalyzerError ? e : new AnalyzerError(AnalyzerErrorKind.PackLoad, `policy pack ${dir} started but did not answer: ${(e as Error).message}\n${pack.stderr().trim()}`);
        }
    }

    private async configureStack(ctx: StackContext): Promise<void> {
        await unary(this.client.configureStack.bind(this.client), stackConfigureRequest(ctx));
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
        const req = configureRequest(resolved);
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

    private analyzeFailure(what: string, e: unknown): AnalyzerError {
        const detail = (e as grpc.ServiceError).details ?? (e as Error).message;
        return new AnalyzerError(AnalyzerErrorKind.Analyze, `policy pack ${this.info.name} failed while analyzing ${what}: ${detail}`);
    }

    /** Analyze for one resource: its inputs, options and provider, unknowns kept as the sentinel. */
    async analyze(r: RecordedResource, byUrn: Map<string, RecordedResource>): Promise<Diagnostic[]> {
        const req = analyzeRequest(r, byUrn);
        try {
            // The engine files every diagnostic of an Analyze call under the resource analyzed,
            // whatever URN the policy passed to reportViolation.
            return diagnostics(await unary(this.client.analyze.bind(this.client), req), this.info.version).map((d) => ({ ...d, urn: r.urn }));
        } catch (e) {
            throw this.analyzeFailure(r.urn, e);
        }
    }

    /** AnalyzeStack with every resource, its outputs, parent, dependencies and property dependencies. */
    async analyzeStack(resources: RecordedResource[], byUrn: Map<string, RecordedResource>): Promise<Diagnostic[]> {
        const req = analyzeStackRequest(resources, byUrn);
        try {
            return diagnostics(await unary(this.client.analyzeStack.bind(this.client), req), this.info.version);
        } catch (e) {
            throw this.analyzeFailure("the stack", e);
        }
    }

    close(): void {
        this.client.close();
        this.process.kill();
    }
}
