// The mock monitor the program's SDK talks to in place of the engine: each registration is recorded
// as the engine would keep it, and the SDK gets back what a preview (in plan mode, a deployed stack)
// would give it. The monitor's class extends the program's own SDK copy's MockMonitor, so it is
// defined once that copy is loaded.
import type * as MocksModule from "@pulumi/pulumi/runtime/mocks";
import type * as ResourceProto from "@pulumi/pulumi/proto/resource_pb";
import type * as SourceProto from "@pulumi/pulumi/proto/source_pb";
import type * as StructProto from "google-protobuf/google/protobuf/struct_pb";
import { answerInvoke, UnansweredInvokeError } from "./invokes";
import { ResourceOutputs } from "./outputs";
import { ChildRequest, RecordedOptions, SourcePosition } from "./protocol";
import { Providers } from "./providers";
import { ProgramSdk } from "./sdk";
import { markSecretOutputs, SecretEnvelope } from "./secret-outputs";
import { emptyOptions, PROVIDER_PREFIX, RecordingSession } from "./session";

type Callback = (err: unknown, response?: unknown) => void;

/** A registration as the monitor answers it: the URN, the id ("" until it exists) and the outputs. */
interface Registered {
    urn: string;
    id: string;
    outputs: Record<string, unknown>;
}

/** Makes the program's SDK send every registration and lookup to a recording monitor. */
export function installRecordingMonitor(sdk: ProgramSdk, session: RecordingSession, req: ChildRequest): void {
    const outputs = new ResourceOutputs(req, sdk.pulumi.runtime.unknownValue);
    learnResourceClasses(sdk, outputs);
    const providers = new Providers(req, session, sdk.envelope, sdk.pulumi.runtime.unknownValue);
    const registrations = new Registrations(req, session, outputs, providers, sdk.envelope);
    const monitor = recordingMonitor(sdk, session, registrations, lookups(req, session));
    sdk.pulumi.runtime.setMockOptions(monitor, req.project, req.stack, req.mode === "preview", req.organization);
}

/** Set on the wrapper of the SDK's registerResource: the SDK's own, which a later run in the process wraps anew. */
const SDK_REGISTER = Symbol("the SDK's registerResource");
type Register = ((...args: unknown[]) => unknown) & { [SDK_REGISTER]?: (...args: unknown[]) => unknown };

// The SDK knows each class's output properties when a resource registers; keep them per type.
function learnResourceClasses(sdk: ProgramSdk, outputs: ResourceOutputs): void {
    const runtimeResource = sdk.runtimeResource;
    const current: Register = runtimeResource.registerResource;
    const sdkRegister = current[SDK_REGISTER] ?? current;
    const wrapper: Register = function (this: unknown, ...args: unknown[]): unknown {
        const [res, , t, , custom] = args as [{ constructor: unknown }, unknown, string, string, boolean];
        if (custom) {
            outputs.learnClass(res.constructor, t);
        }
        return sdkRegister.apply(this, args);
    };
    wrapper[SDK_REGISTER] = sdkRegister;
    runtimeResource.registerResource = wrapper;
}

/** The answers to the program's data sources (invokes), noting each placeholder and each lookup without an answer. */
function lookups(req: ChildRequest, session: RecordingSession): MocksModule.Mocks {
    return {
        call: (args) => {
            try {
                return answerInvoke(args.token, args.inputs as Record<string, unknown>, {
                    region: req.region, answers: req.invokeAnswers, onPlaceholder: (p) => session.notePlaceholder(p),
                });
            } catch (e) {
                if (e instanceof UnansweredInvokeError) {
                    session.noteUnanswered(e);
                }
                throw e;
            }
        },
        // Part of the Mocks interface; registerResource and readResource, its only callers, are overridden.
        newResource: (args) => {
            throw new Error(`unexpected MockMonitor.newResource call for ${args.type} ${args.name}`);
        },
    };
}

function recordingMonitor(sdk: ProgramSdk, session: RecordingSession, registrations: Registrations, mocks: MocksModule.Mocks): MocksModule.MockMonitor {
    const { resproto, structproto } = sdk;
    class RecordingMonitor extends sdk.MockMonitor {
        async registerResource(request: ResourceProto.RegisterResourceRequest, callback: Callback): Promise<void> {
            try {
                const { urn, id, outputs } = registrations.register(request);
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
                const { urn, id, outputs } = registrations.read(request);
                this.resources.set(urn, { urn, id, state: outputs });
                const response = new resproto.ReadResourceResponse();
                response.setUrn(urn);
                response.setProperties(structproto.Struct.fromJavaScript(outputs as Record<string, StructProto.JavaScriptValue>));
                callback(null, response);
            } catch (err) {
                callback(err);
            }
        }

        registerResourceOutputs(request: ResourceProto.RegisterResourceOutputsRequest, callback: Callback): void {
            const r = session.recorded(request.getUrn());
            if (r === undefined) {
                callback(new Error(`registerResourceOutputs for unknown resource ${request.getUrn()}`));
                return;
            }
            r.outputs = toJson(request.getOutputs());
            super.registerResourceOutputs(request, callback);
        }
    }
    return new RecordingMonitor(mocks);
}

/** Turns the SDK's requests into records, as the engine would register each resource. */
class Registrations {
    constructor(
        private readonly req: ChildRequest,
        private readonly session: RecordingSession,
        private readonly outputs: ResourceOutputs,
        private readonly providers: Providers,
        private readonly envelope: SecretEnvelope,
    ) {}

    register(request: ResourceProto.RegisterResourceRequest): Registered {
        const type = request.getType();
        const name = request.getName();
        const parent = request.getParent();
        const custom = request.getCustom();
        const urn = this.session.urn(parent, type, name);
        const inputs = { ...toJson(request.getObject()), ...(type.startsWith(PROVIDER_PREFIX) ? this.providers.pluginInputs(type, request) : {}) };
        let provider = request.getProvider();
        if (custom && provider === "" && !type.startsWith(PROVIDER_PREFIX) && !type.startsWith("pulumi:pulumi:")) {
            provider = this.providers.defaultProviderRef(type, request.getVersion(), request.getPlugindownloadurl());
        }
        const answer = this.outputs.answer(type, custom, urn, name, inputs);
        const id = answer.id;
        const outputs = markSecretOutputs(answer.outputs, request.getAdditionalsecretoutputsList(), this.envelope);
        this.session.record({
            urn, type, name, custom,
            id: id === "" ? undefined : id,
            parent: parent === "" ? undefined : parent,
            provider: provider === "" ? undefined : provider,
            dependencies: request.getDependenciesList(),
            propertyDependencies: propertyDependencies(request),
            inputs,
            outputs: this.outputs.previewState(type, custom, outputs),
            options: registeredOptions(request),
            ...optionalSourcePosition(request.getSourceposition()),
        });
        return { urn, id, outputs };
    }

    /** A resource the program reads (`get`): its outputs are the properties it was read with, or the mocks file's. */
    read(request: ResourceProto.ReadResourceRequest): Registered {
        const type = request.getType();
        const name = request.getName();
        const parent = request.getParent();
        const urn = this.session.urn(parent, type, name);
        const inputs = toJson(request.getProperties());
        const outputs = { ...inputs, ...(this.req.resourceOutputs[type] ?? {}) };
        this.session.record({
            urn, type, name, custom: true, id: request.getId(),
            parent: parent === "" ? undefined : parent,
            provider: request.getProvider() === "" ? undefined : request.getProvider(),
            dependencies: request.getDependenciesList(), propertyDependencies: {},
            inputs, outputs, options: emptyOptions(), ...optionalSourcePosition(request.getSourceposition()),
        });
        return { urn, id: request.getId(), outputs };
    }
}

function propertyDependencies(request: ResourceProto.RegisterResourceRequest): Record<string, string[]> {
    const dependencies: Record<string, string[]> = {};
    request.getPropertydependenciesMap().forEach((deps, key) => {
        dependencies[key] = deps.getUrnsList();
    });
    return dependencies;
}

function registeredOptions(request: ResourceProto.RegisterResourceRequest): RecordedOptions {
    const timeouts = request.getCustomtimeouts();
    return {
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
    };
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
